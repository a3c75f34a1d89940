/** `pgsr unlock`. */
import { join } from 'node:path';
import type { LifecycleConfig } from '../config/lifecycle';
import { removeLock } from './lock';
import { type ActionResult } from './plan';
import { Run, requirePgdata } from './steps';

/** `pgsr unlock`: removes the primary lock (the operator asserts this node holds the latest data). */
export async function unlock(cfg: LifecycleConfig): Promise<ActionResult> {
  const run = new Run('unlock', cfg);
  const pgdata = requirePgdata(cfg);
  if (cfg.dryRun) return run.result('planned', `would remove ${join(pgdata, 'pgsr.primary.lock')}`);
  return removeLock(pgdata) ? run.result('done', 'primary lock removed') : run.result('already', 'no primary lock');
}
