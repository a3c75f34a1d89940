/** `pgsr start`: the pure decision is plan.ts decideStart; this carries it out. */
import { hostname } from 'node:os';
import type { LifecycleConfig } from '../config/lifecycle';
import { localFacts, type LocalFacts } from '../probe/local';
import { withConnection } from '../probe/observe';
import { SQL } from '../probe/statements';
import { PRIMARY_POSITION_SQL } from '../probe/versions';
import type { PgRole } from '../types';
import { removeLock, writeLock } from './lock';
import { clearSyncStandbyNamesFile } from './syncrep';
import { decideStart, peerVerdict, type ActionResult, type PeerAnswer } from './plan';
import {
  askRole,
  Run,
  clearStandbyConfig,
  facts,
  guarded,
  killOrphans,
  localConnection,
  pgCtlStart,
  requirePgdata,
  roleOf,
  sql,
  writeStandbyConfig,
} from './steps';
import { roleWord, t } from '../i18n';

/**
 * `pgsr start [--as standby|primary]`: default role = what the data directory says (standby
 * configuration present → standby). Idempotent.
 * @param lockOverride see decideStart (CLUSTERPRO exec start only).
 */
export async function start(
  cfg: LifecycleConfig,
  lockOverride?: (f: LocalFacts, peer: PeerAnswer) => string | undefined,
  allowNoUpstream = false,
): Promise<ActionResult> {
  const run = new Run('start', cfg);
  return guarded(run, async () => {
    const pgdata = requirePgdata(cfg);
    const first = await facts(run, pgdata);
    const bin = first.bin;
    // A postmaster that has just exited may not be reaped yet, and PostgreSQL refuses to start
    // while its pid exists: wait for the reap (bounded) before deciding, for every caller.
    let f = first.f;
    for (let i = 0; i < 25 && f.zombiePostmaster && run.remaining() > 3000; i++) {
      await new Promise((r) => setTimeout(r, 200));
      f = await localFacts(pgdata, bin, cfg.common.osUser, run.remaining());
    }
    const wanted: PgRole = cfg.as ?? (f.standbySignal || f.recoveryConf ? 'standby' : 'primary');
    run.facts.as = wanted;
    const conn = localConnection(cfg, f.pidFile);
    const runningRole = f.state === 'running' ? await roleOf(conn, Math.min(run.deadline, Date.now() + 5000)) : null;
    // Starting as primary: ask the peer every time, lock or not (a cleanly stopped old primary
    // has no lock, and the standby may have been promoted meanwhile).
    const peer: PeerAnswer | undefined =
      wanted === 'primary' && f.state !== 'running'
        ? await askPeer(cfg, Math.min(3000, Math.max(500, run.remaining() / 4)))
        : undefined;
    const pv = peer ? peerVerdict(peer) : undefined;
    if (peer) {
      run.facts.peer = peer.where || null;
      run.facts.peer_answer = peer.answer;
    }
    const override = f.lock && lockOverride && !f.backupLabel && peer ? lockOverride(f, peer) : undefined;
    const d = decideStart(f, wanted, runningRole, Boolean(cfg.primaryConninfo), override, allowNoUpstream, peer);
    if (d.kind === 'already') return run.result('already', d.why);
    if (d.kind === 'refuse') return run.result('refused', d.reasons[0], d.reasons);
    if (cfg.dryRun) {
      if (pv) run.steps.push({ step: `peer check: ${pv.note}`, status: 'done' });
      for (const s of d.steps) run.steps.push({ step: s, status: 'planned' });
      return run.result('planned', t('start.planned', { role: roleWord(wanted) }));
    }
    if (d.removeLock) await run.step(d.removeLock, () => removeLock(pgdata));
    await killOrphans(run, pgdata);
    if (wanted === 'standby')
      await run.step(
        'standby configuration',
        () => writeStandbyConfig(f, cfg.primaryConninfo),
        (v) => v,
      );
    else
      await run.step(
        'primary configuration',
        () => clearStandbyConfig(f),
        (v) => v,
      );
    if (cfg.common.sync.repMode === 'sync')
      await run.step(
        'synchronous_standby_names (rep-mode sync)',
        () => clearSyncStandbyNamesFile(f),
        (v) => v,
      );
    await run.step(
      'pg_ctl start -w',
      () => pgCtlStart(run, f, bin),
      (v) => v,
    );
    const started = localConnection(cfg, (await localFacts(pgdata, bin, cfg.common.osUser, run.remaining())).pidFile);
    const role = await run.step('check role', async () => {
      const asked = await withConnection(started, run.deadline, async (q) => (await q(SQL.inRecovery))[0].r === true);
      if (!asked.ok)
        throw new Error(
          t('start.role_unreadable', { where: `${started.host}:${started.port}`, detail: asked.failure.detail }),
        );
      const r: PgRole = asked.value ? 'standby' : 'primary';
      if (r !== wanted) throw new Error(t('start.wrong_role', { actual: roleWord(r), wanted: roleWord(wanted) }));
      return r;
    });
    if (role === 'primary') {
      await run.step('create the primary lock', async () => {
        const tl = await sql(started, run.deadline, async (q) => Number((await q(PRIMARY_POSITION_SQL))[0].timeline));
        writeLock(pgdata, { since: new Date().toISOString(), how: 'start', timeline: tl, host: hostname() });
      });
    }
    const done = run.result(
      'done',
      t('start.done', {
        role: roleWord(wanted),
        major: String(f.major),
        note: pv ? t('start.note', { note: pv.note }) : '',
      }),
    );
    if (pv?.warn) done.warnings = [pv.warn];
    return done;
  });
}

/** How --peer-conninfo answers (`none` when not configured); bounded by `timeoutMs`. */
async function askPeer(cfg: LifecycleConfig, timeoutMs: number): Promise<PeerAnswer> {
  return cfg.peerConninfo
    ? askRole(cfg, cfg.peerConninfo, Math.min(cfg.common.timeoutMs, timeoutMs))
    : { where: '', answer: 'none' };
}
