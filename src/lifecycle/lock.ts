/**
 * The primary lock (the role of PG-REX's PGSQL.lock, seed 002 4.2/4.3): a file in the data
 * directory that says "this data directory runs, or last ran, as a primary and was not stopped
 * cleanly". Created when pgsr starts an instance as primary or promotes one; removed by a clean
 * `pgsr stop`, `pgsr rebuild` and `pgsr unlock`. While it exists, `pgsr start` refuses both
 * roles: a primary that crashed may hold WAL its promoted standby never received, and starting
 * it again as primary could split the brain. It lives inside PGDATA so that it travels with the
 * data (CLUSTERPRO mirror disk, seed 000).
 */
import { chownSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** File name of the lock inside PGDATA. */
export const LOCK_FILE = 'pgsr.primary.lock';

/** What the lock records. */
export interface LockInfo {
  /** ISO time the instance became primary under pgsr. */
  since: string;
  /** How: `start` or `promote`. */
  how: string;
  timeline: number | null;
  host: string;
}

/** Reads the lock of a data directory; undefined when there is none. A damaged lock still counts. */
export function readLock(pgdata: string): LockInfo | undefined {
  const path = join(pgdata, LOCK_FILE);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
  } catch {
    return { since: 'unknown', how: 'unknown (unreadable lock file)', timeline: null, host: 'unknown' };
  }
}

/** Writes the lock, owned like the data directory. */
export function writeLock(pgdata: string, info: LockInfo): void {
  const path = join(pgdata, LOCK_FILE);
  writeFileSync(path, JSON.stringify(info) + '\n', { mode: 0o600 });
  const st = statSync(pgdata);
  if (process.getuid?.() === 0) chownSync(path, st.uid, st.gid);
}

/** Removes the lock; true if there was one. */
export function removeLock(pgdata: string): boolean {
  const path = join(pgdata, LOCK_FILE);
  if (!existsSync(path)) return false;
  rmSync(path, { force: true });
  return true;
}
