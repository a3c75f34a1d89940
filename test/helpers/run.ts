/**
 * Runs the built bundle the way CLUSTERPRO runs a genw script: cwd /, a small daemon-like
 * environment, stdin closed, stdout/stderr captured, and the strict fake clplogcmd of the
 * clpsim kit first on PATH, recording alerts into a JSON-lines file.
 */
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUNDLE = join(REPO, 'dist', 'pgsr.cjs');
/** ../shared beside the checkout (CI lays a copy there); PGSR_SHARED_DIR overrides. */
export const SHARED = process.env.PGSR_SHARED_DIR ?? resolve(REPO, '..', 'shared');
export const CLPSIM_DIR = join(SHARED, 'lab', 'clusterpro');
export const BASE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** One alert as recorded by the fake clplogcmd. */
export interface AlertRecord {
  message: string;
  event_id: number;
  level: string;
  destinations: string[];
  warnings: Array<{ type: string }>;
  argv: string[];
  uid: number;
  bytes: number;
}

/** A place for alerts and state of one test context. */
export interface Sandbox {
  dir: string;
  alertLog: string;
  stateDir: string;
}

export function sandbox(): Sandbox {
  if (!existsSync(join(CLPSIM_DIR, 'clplogcmd'))) throw new Error(`the clpsim kit is missing at ${CLPSIM_DIR} (set PGSR_SHARED_DIR)`);
  const dir = mkdtempSync('/tmp/pgsr-test-');
  return { dir, alertLog: join(dir, 'alerts.jsonl'), stateDir: join(dir, 'state') };
}

/** Alerts recorded so far in a sandbox. */
export function alerts(sb: Sandbox): AlertRecord[] {
  if (!existsSync(sb.alertLog)) return [];
  return readFileSync(sb.alertLog, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as AlertRecord);
}

/** Runs `node dist/pgsr.cjs ARGS` as a genw would; never throws on a non-zero exit. */
export async function runPgsr(args: string[], opts: { sb?: Sandbox; env?: Record<string, string>; timeoutMs?: number; path?: string } = {}): Promise<RunResult> {
  const env: Record<string, string> = { PATH: opts.path ?? `${CLPSIM_DIR}:${BASE_PATH}`, LANG: 'C', ...(opts.sb ? { CLPSIM_ALERT_LOG: opts.sb.alertLog, PGSR_STATE_DIR: opts.sb.stateDir } : {}), ...opts.env };
  const t0 = Date.now();
  const r = await execa(process.execPath, [BUNDLE, ...args], { cwd: '/', env, extendEnv: false, reject: false, stdin: 'ignore', timeout: opts.timeoutMs ?? 30_000 });
  return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}
