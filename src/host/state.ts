/**
 * State files that remember the last alerted state of each monitored target, so repeated
 * failures alert once. One small JSON file per target in the state directory, replaced
 * atomically (write to a temporary file, then rename). Faults are returned as text, never thrown.
 */
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AlertState } from '../dialect/clusterpro';

/** File name for a target: safe characters only, e.g. `check-127.0.0.1-5433-standby.json`. */
export function stateFileName(kind: string, host: string, port: number, role: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');
  return `${safe(kind)}-${safe(host)}-${port}-${safe(role)}.json`;
}

/** Reads a state; undefined when absent or unreadable (a damaged file is treated as no state). */
export function readState(dir: string, file: string): AlertState | undefined {
  try {
    const data = JSON.parse(readFileSync(join(dir, file), 'utf8')) as AlertState;
    if (typeof data.severity === 'string' && typeof data.signature === 'string') return data;
  } catch {
    // absent or damaged: no previous state
  }
  return undefined;
}

/** Writes a state atomically; returns an error line, or undefined on success. */
export function writeState(dir: string, file: string, state: AlertState): string | undefined {
  const problem = writeFileAtomic(join(dir, file), JSON.stringify(state) + '\n', true);
  return problem && `state not saved in ${dir}: ${problem}`;
}

/**
 * Replaces a file atomically (temporary file in the same directory, then rename), so readers
 * never see a half-written file. Returns the error code as text, or undefined on success.
 */
export function writeFileAtomic(path: string, text: string, makeDir = false): string | undefined {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    if (makeDir) mkdirSync(dirname(path), { recursive: true, mode: 0o750 });
    writeFileSync(tmp, text, { mode: 0o640 });
    renameSync(tmp, path);
    return undefined;
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // nothing to remove
    }
    const e = err as NodeJS.ErrnoException;
    return e.code ?? e.message;
  }
}
