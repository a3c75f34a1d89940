/**
 * The walreceiver's password, where pgsr was given one: a rebuild that authenticated with a
 * password (PGPASSWORD, or a password file only root reads) writes a primary_conninfo without
 * it (a password in postgresql.auto.conf is readable by every superuser and every backup). The
 * walreceiver runs as the OS user and reads that user's ~/.pgpass (libpq docs 34.16), so the
 * entry goes there: one line `host:port:*:user:password` (`:` and `\` escaped), mode 0600, owned
 * by the OS user, added only when no line already matches (an operator's entry wins).
 */
import { appendFileSync, chmodSync, chownSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { addressOf } from '../config/conninfo';
import type { PasswdEntry } from '../host/passwd';
import { lookupPassword } from '../probe/pgpass';

/** Where the walreceiver connects, as libpq reads primary_conninfo (user defaults to the OS user). */
export interface Upstream {
  host: string;
  port: number;
  user: string;
}

/**
 * The upstream of a primary_conninfo, or undefined when its credentials are the operator's
 * business already (a `passfile=` of its own) or it names no host.
 */
export function upstreamOf(conninfo: string, osUser: string): Upstream | undefined {
  if (/(^|\s|[?&])passfile\s*=/.test(conninfo)) return undefined;
  const a = addressOf(conninfo);
  if (!a.host) return undefined;
  return { host: a.host, port: a.port ? Number(a.port) : 5432, user: a.user ?? osUser };
}

/**
 * Adds the entry to `owner`'s ~/.pgpass when none matches the upstream (replication database).
 * @returns the file written, or undefined when an entry was there already.
 * @throws Error from the file system (caller reports it as a failed step).
 */
export function ensureWalreceiverPassword(owner: PasswdEntry, up: Upstream, password: string): string | undefined {
  const file = join(owner.home, '.pgpass');
  const host = up.host.startsWith('/') ? 'localhost' : up.host;
  if (lookupPassword([file], { host, port: up.port, database: 'replication', user: up.user }).password !== undefined) return undefined;
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
  const fresh = !existsSync(file);
  const sep = !fresh && !readFileSync(file, 'utf8').endsWith('\n') && statSync(file).size > 0 ? '\n' : '';
  appendFileSync(file, `${sep}${esc(host)}:${up.port}:*:${esc(up.user)}:${esc(password)}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  if (fresh && process.getuid?.() === 0) chownSync(file, owner.uid, owner.gid);
  return file;
}
