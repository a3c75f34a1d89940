/** Test-side wrappers around scripts/lib/genw.ts: one alert/state sandbox per scenario. */
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { CLPSIM_DIR, readAlerts, runAsGenw, type AlertRecord, type GenwRun } from '../../scripts/lib/genw';

export { BASE_PATH, BUNDLE, CLPSIM_DIR, LAB_KITS, REPO } from '../../scripts/lib/genw';
export type RunResult = GenwRun;

/** A place for alerts and state of one test scenario. */
export interface Sandbox {
  dir: string;
  alertLog: string;
  stateDir: string;
}

export function sandbox(): Sandbox {
  if (!existsSync(join(CLPSIM_DIR, 'clplogcmd')))
    throw new Error(
      `the clpsim kit is missing at ${CLPSIM_DIR} (lab/clusterpro in the repository; PGSR_LAB_KITS overrides)`,
    );
  const dir = mkdtempSync('/tmp/pgsr-test-');
  return { dir, alertLog: join(dir, 'alerts.jsonl'), stateDir: join(dir, 'state') };
}

/** Alerts recorded so far in a sandbox. */
export function alerts(sb: Sandbox): AlertRecord[] {
  return readAlerts(sb.alertLog);
}

/** Runs the bundle as a genw, with the sandbox's alert log and state directory. */
export function runPgsr(
  args: string[],
  opts: { sb?: Sandbox; env?: Record<string, string>; timeoutMs?: number; path?: string } = {},
): Promise<GenwRun> {
  return runAsGenw(args, {
    alertLog: opts.sb?.alertLog,
    stateDir: opts.sb?.stateDir,
    env: opts.env,
    timeoutMs: opts.timeoutMs,
    path: opts.path,
  });
}
