/**
 * Whether a PostgreSQL server is this host's, and the filesystem holding its WAL: host I/O, bounded.
 * The same data directory path exists on every node of a typical cluster (/var/lib/pgsql/data),
 * so the path alone proves nothing: the server's host must be one of this machine's addresses
 * (or a socket directory), and a running server in that directory must listen on the server's
 * port (postmaster.pid, line 4: PostgreSQL docs 19.2 / miscinit.c).
 */
import { existsSync, readFileSync } from 'node:fs';
import { readdir, realpath, statfs } from 'node:fs/promises';
import { hostname, networkInterfaces } from 'node:os';
import { join } from 'node:path';

/** `work`'s value, or `fallback` once `ms` have passed (a hung filesystem call is left behind, not waited for). */
async function within<T>(work: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  try {
    return await Promise.race([work, bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** Whether `host` names this machine: a socket directory, localhost, its host name or one of its addresses. */
export function isLocalHost(host: string): boolean {
  if (host.startsWith('/') || host === 'localhost' || host === hostname()) return true;
  return Object.values(networkInterfaces()).some((list) => (list ?? []).some((i) => i.address === host));
}

/**
 * Whether the data directory `pgdata` on this host is the server at `host`:`port`: the host is
 * local and the directory holds a cluster (PG_VERSION) whose running postmaster, if any, listens
 * on `port`. A directory without postmaster.pid counts as local (a stopped server).
 */
export function isNodeLocal(pgdata: string, host: string, port: number): boolean {
  if (pgdata === '' || !existsSync(join(pgdata, 'PG_VERSION')) || !isLocalHost(host)) return false;
  const pid = join(pgdata, 'postmaster.pid');
  if (!existsSync(pid)) return true;
  return Number(readFileSync(pid, 'utf8').split('\n')[3]) === port;
}

/** The filesystem holding a server's pg_wal: its path (symlinks resolved: `initdb -X`), size and free space in bytes. */
export interface WalVolume {
  path: string;
  totalBytes: number;
  /** Bytes an unprivileged process may still write (f_bavail), what PostgreSQL can use. */
  freeBytes: number;
}

/**
 * Measures the filesystem of `<dataDirectory>/pg_wal` when the server at `host`:`port` runs on
 * this host and its data directory can be read here; else says why not (never a guess).
 * Bounded by `timeoutMs` (a hung network filesystem must not hang the check). Never throws.
 */
export async function measureWalVolume(
  dataDirectory: string | null | undefined,
  host: string,
  port: number,
  timeoutMs: number,
): Promise<WalVolume | { notMeasured: string }> {
  if (!dataDirectory) return { notMeasured: 'data_directory not readable by this role' };
  if (!isLocalHost(host)) return { notMeasured: 'the server is on another host' };
  const measure = async (): Promise<WalVolume | { notMeasured: string }> => {
    try {
      if (!isNodeLocal(dataDirectory, host, port))
        return { notMeasured: `${dataDirectory} here is not this server's data directory` };
      const path = await realpath(join(dataDirectory, 'pg_wal'));
      const s = await statfs(path);
      return { path, totalBytes: s.blocks * s.bsize, freeBytes: s.bavail * s.bsize };
    } catch (err) {
      return { notMeasured: `${dataDirectory}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
    }
  };
  return within(measure(), timeoutMs, { notMeasured: `no answer from the filesystem within ${timeoutMs} ms` });
}

/**
 * `.ready` files in `<dataDirectory>/pg_wal/archive_status`, read from the disk when the server
 * is this host's and the directory can be read here (root, or the server's OS user): the archive
 * backlog for a role that may not list it over SQL. Undefined when not readable. Bounded; never throws.
 */
export async function countReadyLocally(
  dataDirectory: string | null | undefined,
  host: string,
  port: number,
  timeoutMs: number,
): Promise<number | undefined> {
  if (!dataDirectory || !isNodeLocal(dataDirectory, host, port)) return undefined;
  const count = readdir(join(dataDirectory, 'pg_wal', 'archive_status')).then(
    (names) => names.filter((n) => n.endsWith('.ready')).length,
    () => undefined,
  );
  return within(count, timeoutMs, undefined);
}
