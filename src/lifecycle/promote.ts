/** `pgsr promote`: the blockers are plan.ts promoteBlockers; this gathers the evidence and promotes. */
import { clearSyncStandbyNamesOnline } from './syncrep';
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { LifecycleConfig } from '../config/lifecycle';
import { lastLine, runAs, runShell } from '../host/exec';
import { probeSender, senderTarget } from '../probe/liveness';
import { SQL } from '../probe/statements';
import { PRIMARY_POSITION_SQL, STANDBY_TIMELINE_SQL, walReceiverSenderSql } from '../probe/versions';
import { readConfSetting } from './conf';
import { writeLock } from './lock';
import { describeEvidence, promoteBlockers, type ActionResult, type PromoteEvidence } from './plan';
import {
  askRole,
  Run,
  facts,
  guarded,
  localConnection,
  remoteConnection,
  requirePgdata,
  sql,
  waitUntil,
} from './steps';
import { withConnection, type SqlRunner } from '../probe/observe';
import { t } from '../i18n';

/**
 * `pgsr promote`: only from a running standby, only when the old primary is not reachable as a
 * primary (unless --force): checked through the walreceiver, --primary-conninfo, --peer-conninfo
 * and the standby's own primary_conninfo (`probeOldPrimaries: false` keeps only the walreceiver
 * check: under Pacemaker the old primary is demoted/stopped or fenced before promote, and
 * probing a floating IP nobody holds would only wait out its timeout). pg_promote() from 12, `pg_ctl promote` before; waits
 * (bounded) until pg_is_in_recovery() is false; creates the primary lock; runs
 * --post-promote-command (e.g. `ip addr add` of the service address) with the
 * remaining time.
 */
export async function promote(
  cfg: LifecycleConfig,
  opts: { probeOldPrimaries?: boolean; clusterReleased?: boolean } = {},
): Promise<ActionResult> {
  const probeOldPrimaries = opts.probeOldPrimaries ?? true;
  const run = new Run('promote', cfg);
  return guarded(run, async () => {
    const pgdata = requirePgdata(cfg);
    const { f, bin } = await facts(run, pgdata);
    const conn = localConnection(cfg, f.pidFile);
    // The role and, on a standby, what its walreceiver knows: one connection, bounded (10 s).
    // A server that does not answer has no role (promoteBlockers says so).
    const answer =
      f.state === 'running'
        ? await withConnection(conn, Math.min(run.deadline, Date.now() + 10_000), async (q) => {
            if ((await q(SQL.inRecovery))[0].r !== true) return undefined;
            return standbyEvidence(q);
          })
        : undefined;
    const role = answer?.ok ? (answer.value ? 'standby' : 'primary') : null;
    if (role === 'primary') return run.result('already', t('promote.already'));
    const evidence: PromoteEvidence = {
      walreceiver: { status: null, sender: null, lastMsgAgeS: null },
      candidates: [],
    };
    const candidates = new Set<string>();
    if (answer?.ok && answer.value) {
      const st = answer.value;
      const sender = st.w ? senderTarget(st.w.sender_host, st.w.sender_port, st.w.conninfo) : undefined;
      evidence.walreceiver = {
        status: st.w?.status ?? null,
        sender: sender ? `${sender.host}:${sender.port}` : null,
        lastMsgAgeS: st.w?.last_msg_age_s ?? null,
      };
      run.facts.received_lsn = String(st.pos.received ?? '');
      run.facts.replayed_lsn = String(st.pos.replayed ?? '');
      run.facts.timeline_before = st.tl;
      run.facts.walreceiver = evidence.walreceiver.status;
      // A streaming walreceiver whose primary went silent: ask the primary's postmaster (a power
      // loss sends no FIN), so the refusal can say what is known.
      if (evidence.walreceiver.status === 'streaming' && sender && !cfg.force && !opts.clusterReleased) {
        const p = await probeSender(sender.host, sender.port, Math.min(3000, Math.max(100, run.remaining() - 1000)));
        evidence.senderProbe = { result: p.result, detail: p.detail };
      }
      const fromRecovery =
        (f.major ?? 0) < 12 && existsSync(join(pgdata, 'recovery.conf'))
          ? readConfSetting(readFileSync(join(pgdata, 'recovery.conf'), 'utf8'), 'primary_conninfo')
          : undefined;
      for (const c of [cfg.primaryConninfo, cfg.peerConninfo, st.configured ?? undefined, fromRecovery])
        if (c) candidates.add(c);
    }
    if (role === 'standby' && !cfg.force && probeOldPrimaries) {
      const asked = new Set<string>();
      for (const c of candidates) {
        const target = remoteConnection(cfg, c);
        if (asked.has(`${target.host}:${target.port}`)) continue;
        asked.add(`${target.host}:${target.port}`);
        evidence.candidates.push(await askRole(cfg, c, Math.min(3000, run.remaining())));
      }
    }
    const blockers = promoteBlockers(f, role, evidence, { force: cfg.force, clusterReleased: opts.clusterReleased });
    if (blockers.length)
      return run.result('refused', `${blockers[0]} [${describeEvidence(evidence)}]`, [
        ...blockers,
        describeEvidence(evidence),
      ]);
    if (cfg.dryRun) {
      run.steps.push(
        { step: (f.major ?? 0) >= 12 ? 'SELECT pg_promote(wait => false)' : 'pg_ctl promote', status: 'planned' },
        { step: 'wait until not in recovery', status: 'planned' },
        { step: 'create the primary lock', status: 'planned' },
      );
      if (cfg.postPromoteCommand) run.steps.push({ step: `run ${cfg.postPromoteCommand}`, status: 'planned' });
      return run.result(
        'planned',
        t('promote.planned', {
          received: String(run.facts.received_lsn),
          replayed: String(run.facts.replayed_lsn),
          timeline: String(run.facts.timeline_before),
        }),
      );
    }
    // rep-mode sync: the standby may carry the old primary's names (pg_basebackup copies
    // postgresql.auto.conf); promoted with them, its commits would wait for a standby that may be gone.
    if (cfg.common.sync.repMode === 'sync')
      await run.step(
        'synchronous_standby_names (rep-mode sync)',
        () => clearSyncStandbyNamesOnline(conn, run.deadline),
        (v) => v,
      );
    const t0 = Date.now();
    if ((f.major ?? 0) >= 12) {
      // pg_promote(wait => false), then our own 10 ms polling below: the server-side wait (and
      // pg_ctl promote -w) check for the end of recovery only every 100 ms.
      await run.step('SELECT pg_promote(wait => false)', () =>
        sql(conn, run.deadline, async (q) => {
          const ok = (await q(SQL.promoteNoWait))[0].ok;
          if (ok !== true) throw new Error(t('promote.not_signalled'));
          run.facts.promote_signalled = true;
        }),
      );
    } else {
      await run.step('pg_ctl promote', async () => {
        // Signalled once it runs: it may write the promote file even when it then fails.
        run.facts.promote_signalled = true;
        const r = await runAs(
          cfg.common.osUser,
          bin.pg_ctl as string,
          ['promote', '-D', pgdata, '-w', '-t', String(Math.max(1, Math.floor(run.remaining() / 1000) - 1))],
          { timeoutMs: run.remaining() },
        );
        if (r.exitCode !== 0) throw new Error(lastLine(r));
      });
    }
    // One kept connection, polled every 10 ms (a hot standby accepts read-only sessions
    // throughout), which then reads the new timeline: no second connection after the promotion.
    let writableMs = 0;
    let readMs = 0;
    const pos = await run.step('wait until not in recovery', () =>
      sql(conn, run.deadline, async (q) => {
        await waitUntil(run, t('wait.end_of_recovery'), async () => (await q(SQL.inRecovery))[0].r === false, 10);
        writableMs = Date.now() - t0;
        const row = (await q(PRIMARY_POSITION_SQL))[0];
        readMs = Date.now() - t0 - writableMs;
        return row;
      }),
    );
    run.steps.push({ step: 'read the new timeline', status: 'done', ms: readMs });
    run.facts.timeline_after = pos ? Number(pos.timeline) : null;
    run.facts.writable_after_ms = writableMs;
    await run.step('create the primary lock', () =>
      writeLock(pgdata, {
        since: new Date().toISOString(),
        how: 'promote',
        timeline: (run.facts.timeline_after as number) ?? null,
        host: hostname(),
      }),
    );
    const promoted = t('promote.facts', {
      before: String(run.facts.timeline_before ?? '?'),
      after: String(run.facts.timeline_after ?? '?'),
      replayed: String(run.facts.replayed_lsn),
      ms: writableMs,
    });
    if (cfg.postPromoteCommand) {
      const cmd = cfg.postPromoteCommand;
      const r = await runShell(cmd, { timeoutMs: run.remaining() });
      const ok = r.exitCode === 0;
      const why = r.timedOut
        ? t('promote.timed_out')
        : t('promote.exit', { code: String(r.exitCode), output: r.output ? `: ${r.output.split('\n').at(-1)}` : '' });
      run.steps.push({
        step: `post-promote command: ${cmd}`,
        status: ok ? 'done' : 'failed',
        detail: ok ? undefined : why,
      });
      run.facts.post_promote_command = ok ? 'ok' : 'failed';
      // The promotion cannot be undone: say that it stands, and fail loudly for the command.
      if (!ok) return run.result('partial', t('promote.partial', { facts: promoted, why }));
      return run.result('done', t('promote.done_command', { facts: promoted }));
    }
    return run.result('done', t('promote.done', { facts: promoted }));
  });
}

/**
 * A standby's positions, walreceiver (status, sender, silence) and timeline, and its configured
 * primary_conninfo (12+), on a connection already open. A timeline that cannot be read (no
 * privilege on pg_control_checkpoint) is null.
 */
async function standbyEvidence(q: SqlRunner) {
  const pos = (await q(SQL.standbyPositions))[0];
  const w = (await q(walReceiverSenderSql(Number(pos.v)))).at(0) as
    | {
        status?: string;
        sender_host?: string | null;
        sender_port?: number | null;
        conninfo?: string | null;
        last_msg_age_s?: number | null;
      }
    | undefined;
  let tl: number | null = null;
  try {
    tl = Number((await q(STANDBY_TIMELINE_SQL))[0].timeline);
  } catch {
    tl = null;
  }
  let configured: string | null = null;
  if (Number(pos.v) >= 120000) configured = String((await q(SQL.primaryConninfo))[0].c ?? '');
  return { w, pos, tl, configured };
}
