/**
 * Finding programs: a cluster manager's PATH is often short (CLUSTERPRO's lacks /usr/sbin), so
 * every external program is looked up on PATH and then in fixed system directories, and a
 * missing one is reported as "not found: NAME" instead of a bare ENOENT.
 */
import { statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Looks a command up on PATH, then in the fallback locations; returns its path or undefined. */
export function findOnPath(name: string, pathVar: string | undefined, fallbacks: string[] = []): string | undefined {
  const dirs = (pathVar ?? '').split(delimiter).filter((d) => d !== '');
  for (const candidate of [...dirs.map((d) => join(d, name)), ...fallbacks]) {
    try {
      const st = statSync(candidate);
      if (st.isFile() && (st.mode & 0o111) !== 0) return candidate;
    } catch {
      // not there: try the next one
    }
  }
  return undefined;
}

/** System directories searched after PATH for system programs (runuser lives in /usr/sbin or /sbin). */
export const SYSTEM_DIRS = ['/usr/sbin', '/sbin', '/usr/bin', '/bin', '/usr/local/sbin', '/usr/local/bin'];

/** A system program by absolute path: PATH first, then SYSTEM_DIRS; undefined when absent. */
export function systemProgram(name: string, pathVar: string | undefined = process.env.PATH): string | undefined {
  return findOnPath(
    name,
    pathVar,
    SYSTEM_DIRS.map((d) => join(d, name)),
  );
}
