/** `pgsr switchover`: a planned role swap that never leaves the pair without a primary. */
import type { LifecycleConfig } from '../config/lifecycle';
import { ConfigError } from '../errors';
import { runAs } from '../host/exec';
import { localFacts, parseControlData, type Binaries } from '../probe/local';
import { SQL } from '../probe/statements';
import { removeLock } from './lock';
import { type ActionResult } from './plan';
import {
  Run,
  facts,
  guarded,
  isStreaming,
  localConnection,
  requirePgdata,
  roleOf,
  serverLogOf,
  sql,
  waitUntil,
} from './steps';
import { stop } from './stop';
import { start } from './start';
import { promote } from './promote';
import { afterFailedPromote, promoteSignalled, switchoverBlockers } from './plan';
import { waitStreaming } from './wait-streaming';
import { t } from '../i18n';

/**
 * `pgsr switchover --pgdata PRIMARY --standby-pgdata STANDBY --primary-conninfo NEW_PRIMARY`:
 * planned role swap of a healthy pair whose two data directories this host can reach (the lab,
 * or one host running both). Stop the primary cleanly (fast; never immediate: an unclean stop
 * aborts the switchover), wait until the standby has received the shutdown checkpoint, promote
 * the standby, restart the old primary as its standby. No rebuild needed.
 */
export async function switchover(cfg: LifecycleConfig): Promise<ActionResult> {
  const run = new Run('switchover', cfg);
  return guarded(run, async () => {
    const pgdata = requirePgdata(cfg);
    if (!cfg.standbyPgdata)
      throw new ConfigError('--standby-pgdata is required (the standby data directory on this host)');
    if (!cfg.primaryConninfo)
      throw new ConfigError('--primary-conninfo is required (how the old primary will reach the new one)');
    const { f, bin } = await facts(run, pgdata);
    const sf = await localFacts(cfg.standbyPgdata, bin, cfg.common.osUser, run.remaining());
    const pconn = localConnection({ ...cfg, hostGiven: false, portGiven: false }, f.pidFile);
    const sconn = localConnection({ ...cfg, hostGiven: false, portGiven: false }, sf.pidFile);
    const prole = f.state === 'running' ? await roleOf(pconn, Math.min(run.deadline, Date.now() + 5000)) : null;
    const srole = sf.state === 'running' ? await roleOf(sconn, Math.min(run.deadline, Date.now() + 5000)) : null;
    if (prole === 'standby' && srole === 'primary') return run.result('already', t('switchover.already'));
    const streaming = srole === 'standby' ? await isStreaming(run, sconn) : false;
    const reasons = switchoverBlockers(pgdata, cfg.standbyPgdata, prole, srole, streaming);
    if (reasons.length) return run.result('refused', reasons[0], reasons);
    if (cfg.dryRun) {
      for (const s of [
        'terminate client sessions',
        'stop the primary (fast, clean)',
        'wait until the standby received the shutdown checkpoint',
        'promote the standby',
        'start the old primary as standby of the new one',
        'wait until streaming',
      ])
        run.steps.push({ step: s, status: 'planned' });
      return run.result('planned', t('switchover.planned'));
    }
    // A checkpoint first keeps the shutdown checkpoint short (PAF and Patroni do the same);
    // best effort: a monitoring role without pg_checkpoint may not run it.
    await sql(pconn, run.deadline, (q) => q(SQL.checkpoint)).then(
      () => run.steps.push({ step: 'CHECKPOINT on the primary', status: 'done' }),
      (err: Error) => run.steps.push({ step: 'CHECKPOINT on the primary', status: 'skipped', detail: err.message }),
    );
    // The point of no return is the shutdown signal: a session that will not end would hold the
    // fast shutdown (it cannot be withdrawn) and leave the pair without a primary. Drain first.
    const drainMs = Math.min(cfg.fastTimeoutMs, run.remaining() / 4);
    const stuck = await drainSessions(run, pconn, drainMs);
    if (stuck.length)
      return run.result(
        'failed',
        t('switchover.sessions_stuck', { pids: stuck.join(', '), seconds: String(Math.round(drainMs / 1000)) }),
      );
    const before = String((await sql(pconn, run.deadline, async (q) => (await q(SQL.currentLsn))[0].l)) ?? '');
    // Never immediate: an unclean stop could lose WAL the standby has not received, and the
    // switchover is planned work that may simply be retried.
    const stopped = await stop(
      {
        ...cfg,
        fastTimeoutMs: Math.min(cfg.fastTimeoutMs, run.remaining() / 2),
        common: { ...cfg.common, timeoutMs: run.remaining() },
      },
      { noImmediate: true },
    );
    run.steps.push({
      step: 'stop the primary (fast only)',
      status: stopped.outcome === 'done' && stopped.facts.clean === true ? 'done' : 'failed',
      detail: stopped.summary,
    });
    if (stopped.facts.clean !== true) return abortAfterSlowStop(run, cfg, pgdata, bin, stopped.summary);
    // The shutdown checkpoint: exact from pg_controldata when available, else everything after `before`.
    let ckpt = before;
    if (bin.pg_controldata) {
      const cd = await runAs(cfg.common.osUser, bin.pg_controldata, [pgdata], {
        timeoutMs: Math.min(10_000, run.remaining()),
      });
      const loc = parseControlData(cd.stdout)['Latest checkpoint location'];
      if (cd.exitCode === 0 && loc) ckpt = loc;
    }
    run.facts.shutdown_checkpoint = ckpt;
    // Keep time for a rollback (start the old primary again) whatever happens next.
    const rollbackReserve = run.deadline - 20_000;
    const received = await waitUntil(
      run,
      t('wait.shutdown_checkpoint'),
      async () => Boolean(await sql(sconn, run.deadline, async (q) => (await q(SQL.receivedPast, [ckpt]))[0].ok)),
      100,
      rollbackReserve,
    ).then(
      () => true,
      () => false,
    );
    run.steps.push({
      step: 'wait until the standby received the shutdown checkpoint',
      status: received ? 'done' : 'failed',
    });
    if (!received) return rollBack(run, cfg, t('switchover.no_checkpoint'));
    const promoted = await promote({
      ...cfg,
      pgdata: cfg.standbyPgdata,
      force: true,
      postPromoteCommand: undefined,
      common: { ...cfg.common, timeoutMs: Math.max(1000, rollbackReserve - Date.now()) },
    });
    run.steps.push({
      step: 'promote the standby',
      status: promoted.outcome === 'done' ? 'done' : 'failed',
      detail: promoted.summary,
    });
    if (promoted.outcome !== 'done') {
      const standbyRole = await roleOf(sconn, Math.min(run.deadline, Date.now() + 3000));
      if (afterFailedPromote(promoteSignalled(promoted.facts), standbyRole) === 'roll back')
        return rollBack(run, cfg, t('switchover.promote_failed', { summary: promoted.summary }));
      return run.result(
        'failed',
        t('switchover.promote_failed_signalled', { summary: promoted.summary, standby: cfg.standbyPgdata, pgdata }),
      );
    }
    const restarted = await start({ ...cfg, as: 'standby', common: { ...cfg.common, timeoutMs: run.remaining() } });
    run.steps.push({
      step: 'start the old primary as standby',
      status: restarted.outcome === 'done' ? 'done' : 'failed',
      detail: restarted.summary,
    });
    if (restarted.outcome !== 'done')
      return run.result('failed', t('switchover.not_restarted', { summary: restarted.summary }));
    const nconn = localConnection(
      { ...cfg, hostGiven: false, portGiven: false },
      (await localFacts(pgdata, bin, cfg.common.osUser, run.remaining())).pidFile,
    );
    await run.step('wait until streaming', () => waitStreaming(run, nconn, { log: serverLogOf(cfg, pgdata), pgdata }));
    return run.result(
      'done',
      t('switchover.done', { standby: cfg.standbyPgdata, timeline: String(promoted.facts.timeline_after), pgdata }),
    );
  });
}

/**
 * Ends the primary's client sessions before the shutdown is signalled: pg_terminate_backend on
 * each (what a fast shutdown would send them anyway), then a bounded wait until those processes
 * are gone. Sessions this role may not terminate are left to the fast shutdown (step `skipped`,
 * as without the privilege of pg_signal_backend). Walsenders are not touched: the standby must
 * still receive the shutdown checkpoint.
 * @param waitMs how long the terminated sessions may take to end.
 * @returns pids still there after `waitMs` (a process that does not run: stopped, or stuck in
 *   the kernel); empty when drained.
 */
async function drainSessions(run: Run, conn: ReturnType<typeof localConnection>, waitMs: number): Promise<number[]> {
  const t0 = Date.now();
  const refused: string[] = [];
  let signalled: number[] = [];
  try {
    signalled = await sql(conn, run.deadline, async (q) => {
      const pids = (await q(SQL.clientBackends)).map((r) => Number(r.pid));
      const done: number[] = [];
      for (const pid of pids) {
        await q(SQL.terminateBackend, [pid]).then(
          () => done.push(pid),
          (err: Error) => refused.push(`${pid}: ${err.message}`),
        );
      }
      return done;
    });
  } catch (err) {
    run.steps.push({ step: 'terminate client sessions', status: 'skipped', detail: (err as Error).message });
    return [];
  }
  let left = signalled;
  const end = Date.now() + waitMs;
  for (let i = 0; i < 10_000 && left.length && Date.now() < end; i++) {
    await new Promise((r) => setTimeout(r, 100));
    left = await sql(conn, run.deadline, async (q) =>
      (await q(SQL.backendsLeft, [left])).map((r) => Number(r.pid)),
    ).catch(() => left);
  }
  const detail = [
    `${signalled.length} terminated`,
    ...(refused.length ? [`not permitted: ${refused.join('; ')}`] : []),
    ...(left.length ? [`still running: ${left.join(', ')}`] : []),
  ].join('; ');
  run.steps.push({
    step: 'terminate client sessions',
    status: left.length ? 'failed' : refused.length && !signalled.length ? 'skipped' : 'done',
    detail,
    ms: Date.now() - t0,
  });
  return left;
}

/**
 * Switchover rollback: the old primary, stopped cleanly, starts again as primary (its standby
 * was not promoted), so the pair keeps its primary.
 */
async function rollBack(run: Run, cfg: LifecycleConfig, why: string): Promise<ActionResult> {
  const back = await start({
    ...cfg,
    as: 'primary',
    peerConninfo: undefined,
    hostGiven: false,
    portGiven: false,
    common: { ...cfg.common, timeoutMs: Math.max(1000, run.remaining()) },
  });
  run.steps.push({
    step: 'roll back: start the old primary as primary',
    status: back.outcome === 'done' || back.outcome === 'already' ? 'done' : 'failed',
    detail: back.summary,
  });
  run.facts.rolled_back = back.outcome === 'done' || back.outcome === 'already';
  return run.result(
    'failed',
    t('switchover.rolled_back', {
      why,
      how: run.facts.rolled_back
        ? t('switchover.rolled_back_ok', { pgdata: String(cfg.pgdata) })
        : t('switchover.rolled_back_failed', { summary: back.summary }),
    }),
  );
}

/**
 * The old primary's fast shutdown did not finish in time. It cannot be called back (the signal
 * is sent) and is never escalated: wait for it to end, bounded, then start it again as primary.
 */
async function abortAfterSlowStop(
  run: Run,
  cfg: LifecycleConfig,
  pgdata: string,
  bin: Binaries,
  detail: string,
): Promise<ActionResult> {
  const gone = await waitUntil(
    run,
    t('wait.old_primary_stop'),
    async () => (await localFacts(pgdata, bin, cfg.common.osUser, 2000)).state !== 'running',
    200,
    run.deadline - 15_000,
  ).then(
    () => true,
    () => false,
  );
  if (!gone) return run.result('failed', t('switchover.stop_late', { detail }));
  // It finished its fast shutdown after all: a clean stop (pg_controldata says so), so its lock goes as after any clean stop.
  const cd = bin.pg_controldata
    ? await runAs(cfg.common.osUser, bin.pg_controldata, [pgdata], { timeoutMs: Math.min(10_000, run.remaining()) })
    : undefined;
  const state = cd && cd.exitCode === 0 ? parseControlData(cd.stdout)['Database cluster state'] : undefined;
  run.steps.push({
    step: 'the fast shutdown finished late',
    status: 'done',
    detail: `pg_controldata: ${state ?? 'unreadable'}`,
  });
  if (state !== 'shut down')
    return run.result('failed', t('switchover.stop_unclean', { detail, state: state ?? t('word.unreadable') }));
  removeLock(pgdata);
  return rollBack(run, cfg, t('switchover.stop_slow', { detail }));
}
