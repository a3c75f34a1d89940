/** `pgsr unlock`. */
import { join } from 'node:path';
import type { LifecycleConfig } from '../config/lifecycle';
import { removeLock } from './lock';
import { type ActionResult } from './plan';
import { Run, requirePgdata } from './steps';
import { t } from '../i18n';

/** `pgsr unlock`: removes the primary lock (the operator asserts this node holds the latest data). */
export async function unlock(cfg: LifecycleConfig): Promise<ActionResult> {
  const run = new Run('unlock', cfg);
  const pgdata = requirePgdata(cfg);
  if (cfg.dryRun) return run.result('planned', t('unlock.planned', { file: join(pgdata, 'pgsr.primary.lock') }));
  return removeLock(pgdata) ? run.result('done', t('unlock.done')) : run.result('already', t('unlock.already'));
}
