/**
 * The primary lock (the role of PG-REX's PGSQL.lock): a file in the data
 * directory that says "this data directory runs, or last ran, as a primary and was not stopped
 * cleanly". Created when pgsr starts an instance as primary or promotes one; removed by a clean
 * `pgsr stop`, `pgsr rebuild` and `pgsr unlock`. While it exists, `pgsr start` refuses both
 * roles: a primary that crashed may hold WAL its promoted standby never received, and starting
 * it again as primary could split the brain. It lives inside PGDATA so that it travels with the
 * data (CLUSTERPRO mirror disk).
 */
import { chownSync, existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCK_FILE, type LockInfo } from '../probe/local';

export { LOCK_FILE, readLock, type LockInfo } from '../probe/local';

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
