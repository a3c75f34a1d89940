/**
 * Runs the bundle the way CLUSTERPRO runs a genw script: cwd /, a small daemon-like
 * environment, stdin closed, stdout/stderr captured; alerts go to whatever clplogcmd is
 * first on PATH (the clpsim kit's strict fake in tests and the demo).
 */
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUNDLE = join(REPO, 'dist', 'pgsr.cjs');
/**
 * The lab kits the tests use, owned by this repository (lab/: the CLUSTERPRO simulator with its
 * strict clplogcmd, the two-node Pacemaker kit); they started as copies of the product owner's
 * kits and are adapted here. PGSR_LAB_KITS overrides.
 */
export const LAB_KITS = process.env.PGSR_LAB_KITS ?? join(REPO, 'lab');
export const CLPSIM_DIR = join(LAB_KITS, 'clusterpro');
/** The PATH CLUSTERPRO-like daemons give their scripts. */
export const BASE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface GenwRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** One alert as recorded by the clpsim kit's fake clplogcmd (JSON lines). */
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

/**
 * Runs `node dist/pgsr.cjs ARGS` as a genw would; never throws on a non-zero exit.
 * @param opts.alertLog where the fake clplogcmd records alerts (CLPSIM_ALERT_LOG).
 * @param opts.path PATH for the child (default: the clpsim kit, then the daemon PATH).
 */
export async function runAsGenw(
  args: string[],
  opts: { alertLog?: string; stateDir?: string; env?: Record<string, string>; timeoutMs?: number; path?: string } = {},
): Promise<GenwRun> {
  const env: Record<string, string> = {
    PATH: opts.path ?? `${CLPSIM_DIR}:${BASE_PATH}`,
    LANG: 'C',
    ...(opts.alertLog ? { CLPSIM_ALERT_LOG: opts.alertLog } : {}),
    ...(opts.stateDir ? { PGSR_STATE_DIR: opts.stateDir } : {}),
    ...opts.env,
  };
  const t0 = Date.now();
  const r = await execa(process.execPath, [BUNDLE, ...args], {
    cwd: '/',
    env,
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: opts.timeoutMs ?? 30_000,
  });
  return { exitCode: r.exitCode ?? -1, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

/** Alerts recorded in a fake-clplogcmd log so far. */
export function readAlerts(file: string): AlertRecord[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as AlertRecord);
}
