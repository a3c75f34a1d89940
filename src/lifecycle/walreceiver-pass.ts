/**
 * The walreceiver's password, where pgsr was given one: a rebuild that authenticated with a
 * password (PGPASSWORD, or a password file only root reads) writes a primary_conninfo without
 * it (a password in postgresql.auto.conf is readable by every superuser and every backup). The
 * walreceiver runs as the OS user and reads that user's ~/.pgpass (libpq docs 34.16), so the
 * entry goes there: one line `host:port:*:user:password` (`:` and `\` escaped), mode 0600, owned
 * by the OS user, added only when no line already matches (an operator's entry wins).
 */
import { appendFileSync, chmodSync, chownSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConninfo } from '../config/conninfo';
import type { PasswdEntry } from '../host/passwd';
import { lookupPassword, passfileLine } from '../probe/pgpass';

/** Where the walreceiver connects, as libpq reads primary_conninfo (user defaults to the OS user). */
export interface Upstream {
  host: string;
  port: number;
  user: string;
}

/**
 * The upstream of a primary_conninfo (validated already: config/lifecycle.ts), or undefined when
 * its credentials are the operator's business already (a `passfile=` of its own) or it names no host.
 * @throws Error from parseConninfo when the text is not a conninfo.
 */
export function upstreamOf(conninfo: string, osUser: string): Upstream | undefined {
  const c = parseConninfo(conninfo);
  const host = c.host ?? c.hostaddr;
  if (c.passfile !== undefined || !host) return undefined;
  return { host, port: c.port ? Number(c.port) : 5432, user: c.user ?? osUser };
}

/**
 * Adds the entry to `owner`'s ~/.pgpass when none matches the upstream (replication database).
 * @returns the file written, or undefined when an entry was there already.
 * @throws Error from the file system (caller reports it as a failed step).
 */
export function ensureWalreceiverPassword(owner: PasswdEntry, up: Upstream, password: string): string | undefined {
  const file = join(owner.home, '.pgpass');
  if (
    lookupPassword([file], { host: up.host, port: up.port, database: 'replication', user: up.user }).password !==
    undefined
  )
    return undefined;
  const fresh = !existsSync(file);
  const text = fresh ? '' : readFileSync(file, 'utf8');
  appendFileSync(
    file,
    `${text === '' || text.endsWith('\n') ? '' : '\n'}${passfileLine(up.host, up.port, up.user, password)}`,
    { mode: 0o600 },
  );
  chmodSync(file, 0o600);
  if (fresh && process.getuid?.() === 0) chownSync(file, owner.uid, owner.gid);
  return file;
}
