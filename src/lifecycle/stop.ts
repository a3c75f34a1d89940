/** `pgsr stop`: fast, then immediate unless the caller forbids it (switchover). */
import type { LifecycleConfig } from '../config/lifecycle';
import { lastLine, runAs } from '../host/exec';
import { removeLock } from './lock';
import { type ActionResult } from './plan';
import { Run, facts, guarded, killOrphans, requirePgdata } from './steps';
import { t } from '../i18n';

/**
 * `pgsr stop`: `pg_ctl stop -m fast`, then `-m immediate` if fast did not finish within
 * --fast-timeout (leftovers stopped fast, then immediate). Already stopped = success; a
 * stale postmaster.pid is left for PostgreSQL itself to discard (never deleted by pgsr). A clean
 * (fast) stop removes the primary lock; an immediate stop keeps it.
 */
export async function stop(cfg: LifecycleConfig, opts: { noImmediate?: boolean } = {}): Promise<ActionResult> {
  const run = new Run('stop', cfg);
  return guarded(run, async () => {
    const pgdata = requirePgdata(cfg);
    const { f, bin } = await facts(run, pgdata);
    if (f.state === 'no-data')
      return run.result('refused', t('stop.not_data_dir', { pgdata }), [t('stop.not_data_dir', { pgdata })]);
    if (f.state === 'stopped') {
      if (!cfg.dryRun && (await killOrphans(run, pgdata))) return run.result('done', t('stop.orphans_killed'));
      const stale = f.pidFile ? t('stop.stale_pid', { pid: f.pidFile.pid }) : '';
      return run.result('already', t('stop.already', { stale }));
    }
    if (cfg.dryRun) {
      run.steps.push(
        { step: `pg_ctl stop -m fast (${cfg.fastTimeoutMs / 1000}s)`, status: 'planned' },
        { step: 'pg_ctl stop -m immediate if fast did not finish', status: 'planned' },
      );
      return run.result('planned', t('stop.planned'));
    }
    const osUser = cfg.common.osUser;
    const fastSecs = Math.max(1, Math.floor(Math.min(cfg.fastTimeoutMs, run.remaining() - 2000) / 1000));
    let clean = false;
    const t0 = Date.now();
    const fast = await runAs(
      osUser,
      bin.pg_ctl as string,
      ['stop', '-D', pgdata, '-m', 'fast', '-w', '-t', String(fastSecs)],
      { timeoutMs: fastSecs * 1000 + 2000 },
    );
    if (fast.exitCode === 0) {
      clean = true;
      run.steps.push({ step: 'pg_ctl stop -m fast', status: 'done', ms: Date.now() - t0 });
    } else if (opts.noImmediate) {
      // The caller forbids the escalation (switchover): report, leave the server to finish.
      run.steps.push({ step: 'pg_ctl stop -m fast', status: 'failed', detail: lastLine(fast), ms: Date.now() - t0 });
      run.facts.clean = false;
      return run.result('failed', t('stop.fast_not_finished', { seconds: fastSecs }));
    } else {
      run.steps.push({ step: 'pg_ctl stop -m fast', status: 'failed', detail: lastLine(fast), ms: Date.now() - t0 });
      await run.step('pg_ctl stop -m immediate', async () => {
        const secs = Math.max(1, Math.floor(run.remaining() / 1000) - 1);
        const imm = await runAs(
          osUser,
          bin.pg_ctl as string,
          ['stop', '-D', pgdata, '-m', 'immediate', '-w', '-t', String(secs)],
          { timeoutMs: run.remaining() },
        );
        if (imm.exitCode !== 0) throw new Error(lastLine(imm));
      });
    }
    if (clean && f.lock) await run.step('remove the primary lock (clean stop)', () => removeLock(pgdata));
    run.facts.clean = clean;
    return run.result('done', clean ? t('stop.clean') : t('stop.immediate'));
  });
}
