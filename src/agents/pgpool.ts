/**
 * The Pgpool-II adapter: `pgsr pgpool failover` (failover_command) and `pgsr pgpool
 * follow-primary` (follow_primary_command), replacing the usual failover.sh / follow_master.sh scripts.
 * Pgpool ignores the exit status of both, so every outcome is one line on stderr (Pgpool's log)
 * and in `--log-file`, and a failure also runs `--on-failure` (an alert hook).
 *
 * failover: a failed standby needs nothing (its replication slot on the primary is dropped when
 * `--slot-name` names it); a failed primary: the old primary must not answer as a primary any
 * more (a local one is stopped first, a remote one that still answers blocks the promotion: two
 * primaries), the candidate must answer as a standby (already primary: nothing promoted twice),
 * then pg_promote() over SQL (12+), or pg_ctl promote on a local data directory before 12.
 *
 * follow-primary: a running standby is re-pointed at the new primary (ALTER SYSTEM
 * primary_conninfo + reload from 13; a restart of a local server before) and must stream on the
 * new primary's timeline; a running standby that cannot (diverged) is rebuilt locally by
 * `pgsr rebuild` (pg_rewind first, pg_basebackup if that fails); then pcp_attach_node.
 *
 * Over 350 lines because Pgpool-II's failover_command and follow_primary_command handlers share the placeholder parsing, the node questions and the remote rebuild; the decisions are apart (pgpool-plan.ts).
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LifecycleConfig } from '../config/lifecycle';
import { oneLine } from '../errors';
import { runAs, runHere, runShell } from '../host/exec';
import { pcpAttachNode, pcpNodes, type PcpSettings } from '../host/pcp';
import { isNodeLocal } from '../host/local-server';
import { releaseStuckSrCheckWorker } from '../host/pgpool-worker';
import { rebuild, start, stop } from '../lifecycle/actions';
import { binaries, remoteConnection, roleOf, sql } from '../lifecycle/steps';
import { SQL, alterSystemSet } from '../probe/statements';
import { PRIMARY_POSITION_SQL } from '../probe/versions';
import type { CommandResult } from '../types';
import { standbyPosition } from '../probe/position';
import {
  applicationNameOf,
  chooseCandidate,
  decideFailover,
  type CandidateChoice,
  type FailoverArgs,
  type FailoverCandidate,
  type FollowArgs,
} from './pgpool-plan';
import { t } from '../i18n';

/** Options of the pgpool commands besides the lifecycle ones. */
export interface PgpoolOptions {
  pcp: PcpSettings;
  /** Replication slot of a standby, `%d` = its node id (e.g. `node%d`); unset: slots are left alone. */
  slotName?: string;
  /** Also append each line here (Pgpool's own log may be elsewhere). */
  logFile?: string;
  /** Run on failure (sh -c), with PGSR_EVENT and PGSR_MESSAGE in the environment; bounded by 10 s. */
  onFailure?: string;
  /**
   * How to act on another host when a data directory is not here, e.g. `ssh -T postgres@%h`: its
   * words (%h = the node's host) followed by one argument, the shell command to run there.
   */
  remotePrefix?: string;
  /** pgsr on the other host (default `pgsr`, the packaged /usr/bin/pgsr). */
  remotePgsr: string;
}

/** A word for a POSIX shell command line: single-quoted. */
export function shellQuote(word: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** argv of a command run on `host` through the remote prefix (pure). */
export function remoteArgv(prefix: string, host: string, command: string[]): string[] {
  return [
    ...prefix
      .trim()
      .split(/\s+/)
      .map((w) => w.replace(/%h/g, host)),
    command.map(shellQuote).join(' '),
  ];
}

/** Runs a command on another host through --remote-prefix: its first output line (what happened), or why it failed. */
async function onHost(
  opts: PgpoolOptions,
  host: string,
  command: string[],
  timeoutMs: number,
): Promise<{ ok: boolean; detail: string }> {
  const argv = remoteArgv(opts.remotePrefix as string, host, command);
  const r = await runHere(argv[0], argv.slice(1), { timeoutMs: Math.max(1000, timeoutMs) });
  const lines = r.output.split('\n').filter((l) => l.trim() !== '');
  if (r.exitCode === 0) return { ok: true, detail: lines[0] ?? 'done' };
  return {
    ok: false,
    detail: r.timedOut
      ? t('pgpool.timed_out', { command: argv[0] })
      : t('pgpool.exit', { code: String(r.exitCode ?? '?'), output: lines.slice(-4).join(' / ') }),
  };
}

type Outcome = 'done' | 'already' | 'refused' | 'failed';

const conninfo = (cfg: LifecycleConfig, host: string, port: number, extra = '') =>
  `host=${host} port=${port} user=${cfg.common.connection.user} dbname=postgres${extra}`;
async function finish(
  event: string,
  outcome: Outcome,
  summary: string,
  notes: string[],
  opts: PgpoolOptions,
): Promise<CommandResult> {
  const line = `pgsr pgpool ${event}: ${t(`outcome.${outcome}`)}: ${summary}${notes.length ? ` [${notes.join('; ')}]` : ''}`;
  if (opts.logFile) {
    try {
      appendFileSync(opts.logFile, `${new Date().toISOString()} ${line}\n`);
    } catch (err) {
      notes.push(t('pgpool.log_not_written', { detail: oneLine(err) }));
    }
  }
  const bad = outcome === 'refused' || outcome === 'failed';
  if (bad && opts.onFailure) {
    const r = await runShell(opts.onFailure, { timeoutMs: 10_000, env: { PGSR_EVENT: event, PGSR_MESSAGE: line } });
    if (r.exitCode !== 0) notes.push(t('pgpool.on_failure_exit', { code: String(r.exitCode ?? 'timeout') }));
  }
  return { exitCode: bad ? 1 : 0, stdout: [], stderr: [line] };
}

/** A standby's position and version over SQL (bounded); position undefined when it is not a standby or does not answer. */
async function candidateAt(
  cfg: LifecycleConfig,
  id: number,
  host: string,
  port: number,
  untilMs: number,
): Promise<FailoverCandidate> {
  const conn = remoteConnection(cfg, conninfo(cfg, host, port));
  const r = await sql(conn, untilMs, async (q) => {
    const rv = (await q(SQL.roleAndVersion))[0];
    return rv.r === true
      ? { version: Number(rv.v), position: (await standbyPosition(q)).position }
      : { version: Number(rv.v) };
  }).catch(() => ({}));
  return { id, host, port, ...r };
}

/**
 * The standby to promote (chooseCandidate): every backend Pgpool still has in service (PCP)
 * asked for its position in parallel, within 5 s. Pgpool's `%m` when PCP cannot list them.
 */
async function electCandidate(
  cfg: LifecycleConfig,
  opts: PgpoolOptions,
  a: FailoverArgs,
  deadline: number,
  notes: string[],
): Promise<CandidateChoice> {
  const until = Math.min(deadline - 2000, Date.now() + 5000);
  const nodes = await pcpNodes(opts.pcp, [a.failedId], until - Date.now());
  if (typeof nodes === 'string') {
    notes.push(t('pgpool.not_compared', { detail: nodes }));
    return { id: a.newMainId, host: a.newMainHost, port: a.newMainPort };
  }
  const inService = nodes.filter((n) => n.status === 'up' || n.status === 'waiting');
  if (!inService.some((n) => n.id === a.newMainId))
    inService.push({ id: a.newMainId, host: a.newMainHost, port: a.newMainPort, status: 'up', role: 'standby' });
  return chooseCandidate(a, await Promise.all(inService.map((n) => candidateAt(cfg, n.id, n.host, n.port, until))));
}

/** A failed standby: its replication slot dropped on the primary when --slot-name names one. */
async function standbyFailed(
  cfg: LifecycleConfig,
  opts: PgpoolOptions,
  a: FailoverArgs,
  deadline: number,
  notes: string[],
): Promise<void> {
  if (!opts.slotName || a.oldPrimaryId < 0) return;
  const slot = opts.slotName.replace(/%d/g, String(a.failedId));
  const primary = remoteConnection(cfg, conninfo(cfg, a.oldPrimaryHost, a.oldPrimaryPort));
  const dropped = await sql(
    primary,
    Math.min(deadline, Date.now() + 5000),
    async (q) => (await q(SQL.dropInactiveSlot, [slot])).length,
  ).catch((err: Error) => {
    notes.push(t('pgpool.slot_not_dropped', { slot, detail: err.message }));
    return 0;
  });
  if (dropped) notes.push(t('pgpool.slot_dropped', { slot }));
}

/** Never two primaries: the old primary must not answer as one (a local one is stopped). Why not, or undefined. */
async function oldPrimaryGone(
  cfg: LifecycleConfig,
  a: FailoverArgs,
  deadline: number,
  notes: string[],
): Promise<string | undefined> {
  const oldConn = remoteConnection(cfg, conninfo(cfg, a.oldPrimaryHost, a.oldPrimaryPort));
  const oldRole = await roleOf(oldConn, Math.min(deadline, Date.now() + 3000));
  if (oldRole !== 'primary') {
    notes.push(
      t('pgpool.old_primary_state', {
        where: `${a.oldPrimaryHost}:${a.oldPrimaryPort}`,
        state: oldRole === null ? t('pgpool.does_not_answer') : t('pgpool.answers_standby'),
      }),
    );
    return undefined;
  }
  if (!isNodeLocal(a.failedPgdata, a.oldPrimaryHost, a.oldPrimaryPort))
    return t('pgpool.old_primary_remote', { where: `${a.oldPrimaryHost}:${a.oldPrimaryPort}`, id: a.newMainId });
  const s = await stop({ ...cfg, pgdata: a.failedPgdata, hostGiven: false, portGiven: false });
  if (s.outcome !== 'done' && s.outcome !== 'already')
    return t('pgpool.old_primary_unstoppable', { summary: s.summary });
  notes.push(t('pgpool.old_primary_stopped', { summary: s.summary }));
  return undefined;
}

/**
 * Promotes node `b.newMainId`: pg_promote() from 12, pg_ctl promote on a local data directory
 * (or through --remote-prefix) before; then waits until it leaves recovery.
 */
async function promote(
  cfg: LifecycleConfig,
  opts: PgpoolOptions,
  b: FailoverArgs,
  why: string,
  deadline: number,
  notes: string[],
): Promise<CommandResult> {
  const where = `${b.newMainHost}:${b.newMainPort}`;
  const cand = remoteConnection(cfg, conninfo(cfg, b.newMainHost, b.newMainPort));
  const info = await sql(
    cand,
    Math.min(deadline, Date.now() + 5000),
    async (q) => (await q(SQL.roleAndVersion))[0],
  ).catch((err: Error) => err);
  if (info instanceof Error)
    return finish(
      'failover',
      'refused',
      t('pgpool.candidate_unreachable', { id: b.newMainId, where, detail: info.message }),
      notes,
      opts,
    );
  if (info.r !== true)
    return finish('failover', 'already', t('pgpool.already_primary', { id: b.newMainId, where }), notes, opts);
  const t0 = Date.now();
  if (Number(info.v) >= 120000) {
    await sql(cand, deadline, async (q) => {
      if ((await q(SQL.promoteNoWait))[0].ok !== true) throw new Error(t('pgpool.promote_false'));
    });
  } else if (isNodeLocal(b.newMainPgdata, b.newMainHost, b.newMainPort)) {
    const bin = binaries({ ...cfg, pgdata: b.newMainPgdata }, Math.floor(Number(info.v) / 10000));
    const r = await runAs(cfg.common.osUser, bin.pg_ctl as string, ['promote', '-D', b.newMainPgdata], {
      timeoutMs: Math.max(1000, deadline - Date.now()),
    });
    if (r.exitCode !== 0)
      return finish(
        'failover',
        'failed',
        t('pgpool.pg_ctl_failed', {
          id: b.newMainId,
          detail: String(r.stderr.trim().split('\n').at(-1) ?? r.exitCode),
        }),
        notes,
        opts,
      );
  } else if (opts.remotePrefix) {
    const done = await onHost(
      opts,
      b.newMainHost,
      [cfg.bindir ? join(cfg.bindir, 'pg_ctl') : 'pg_ctl', 'promote', '-D', b.newMainPgdata],
      deadline - Date.now(),
    );
    if (!done.ok)
      return finish(
        'failover',
        'failed',
        t('pgpool.remote_promote_failed', { id: b.newMainId, detail: done.detail }),
        notes,
        opts,
      );
  } else {
    return finish(
      'failover',
      'refused',
      t('pgpool.old_remote_major', { id: b.newMainId, version: String(info.v), pgdata: b.newMainPgdata }),
      notes,
      opts,
    );
  }
  const writable = await sql(cand, deadline, async (q) => {
    for (let i = 0; i < 100_000 && Date.now() < deadline; i++) {
      if ((await q(SQL.inRecovery))[0].r === false) return true;
      await new Promise((r) => setTimeout(r, 20));
    }
    return false;
  }).catch(() => false);
  if (!writable) return finish('failover', 'failed', t('pgpool.still_recovery', { id: b.newMainId }), notes, opts);
  return finish('failover', 'done', t('pgpool.promoted', { why, ms: Date.now() - t0 }), notes, opts);
}

/**
 * failover_command. First Pgpool's replication check worker is released when it hangs on the
 * failed node (host/pgpool-worker.ts); a failed standby needs nothing more; a failed primary:
 * the old one must not answer as a primary, then the most advanced standby in service is
 * promoted (chooseCandidate). Never throws.
 */
export async function pgpoolFailover(
  cfg: LifecycleConfig,
  opts: PgpoolOptions,
  a: FailoverArgs,
): Promise<CommandResult> {
  const deadline = Date.now() + cfg.common.timeoutMs;
  const notes: string[] = [];
  const d = decideFailover(a);
  try {
    const worker = await releaseStuckSrCheckWorker(a.failedHost, a.failedPort);
    if (worker) notes.push(t('pgpool.worker_released', { pid: worker }));
    if (d.kind === 'no-candidate') return await finish('failover', 'failed', d.why, notes, opts);
    if (d.kind === 'standby-failed') {
      await standbyFailed(cfg, opts, a, deadline, notes);
      return await finish('failover', 'done', d.why, notes, opts);
    }
    const refused = await oldPrimaryGone(cfg, a, deadline, notes);
    if (refused) return await finish('failover', 'refused', refused, notes, opts);
    const choice = await electCandidate(cfg, opts, a, deadline, notes);
    if (!choice.overrides) return await promote(cfg, opts, a, d.why, deadline, notes);
    const b: FailoverArgs = {
      ...a,
      newMainId: choice.id,
      newMainHost: choice.host,
      newMainPort: choice.port,
      newMainPgdata: '',
    };
    notes.push(choice.overrides);
    return await promote(cfg, opts, b, decideFailover(b).why, deadline, notes);
  } catch (err) {
    return finish('failover', 'failed', oneLine(err), notes, opts);
  }
}

/** Waits (bounded) until the node streams from `port` on timeline `tli`. */
async function streamsOn(
  cfg: LifecycleConfig,
  node: string,
  port: number,
  tli: number,
  untilMs: number,
): Promise<boolean> {
  const conn = remoteConnection(cfg, node);
  for (let i = 0; i < 1000 && Date.now() < untilMs; i++) {
    const r = await sql(
      conn,
      Math.min(untilMs, Date.now() + 3000),
      async (q) => (await q(SQL.walReceiverTimeline))[0],
    ).catch(() => undefined);
    if (
      r &&
      r.status === 'streaming' &&
      Number(r.received_tli) === tli &&
      new RegExp(`port=${port}\\b`).test(String(r.conninfo ?? ''))
    )
      return true;
    await new Promise((res) => setTimeout(res, 200));
  }
  return false;
}

/** follow_primary_command. Never throws. */
export async function pgpoolFollow(cfg: LifecycleConfig, opts: PgpoolOptions, a: FollowArgs): Promise<CommandResult> {
  const deadline = Date.now() + cfg.common.timeoutMs;
  const notes: string[] = [];
  const who = t('pgpool.node', { id: a.nodeId, host: a.host, port: a.port });
  try {
    if (a.nodeId === a.newPrimaryId)
      return finish('follow-primary', 'already', t('pgpool.is_new_primary', { who }), notes, opts);
    const np = remoteConnection(cfg, conninfo(cfg, a.newPrimaryHost, a.newPrimaryPort));
    const pos = await sql(np, Math.min(deadline, Date.now() + 5000), async (q) => ({
      role: (await q(SQL.inRecovery))[0].r,
      tl: Number((await q(PRIMARY_POSITION_SQL))[0].timeline),
    })).catch((err: Error) => err);
    if (pos instanceof Error || pos.role !== false)
      return finish(
        'follow-primary',
        'refused',
        t('pgpool.new_not_primary', {
          where: `${a.newPrimaryHost}:${a.newPrimaryPort}`,
          detail: pos instanceof Error ? pos.message : t('pgpool.in_recovery'),
          who,
        }),
        notes,
        opts,
      );
    const node = conninfo(cfg, a.host, a.port);
    const nodeConn = remoteConnection(cfg, node);
    const state = await sql(nodeConn, Math.min(deadline, Date.now() + 5000), async (q) => {
      const rv = (await q(SQL.roleAndVersion))[0];
      const w = rv.r === true ? (await q(SQL.walReceiverTimeline)).at(0) : undefined;
      const ci =
        rv.r === true && Number(rv.v) >= 120000
          ? String((await q(SQL.primaryConninfo))[0].c)
          : String(w?.conninfo ?? '');
      return { standby: rv.r === true, version: Number(rv.v), conninfo: ci };
    }).catch(() => undefined);
    const app = applicationNameOf(state?.conninfo ?? null, a.nodeId);
    const upstream = conninfo(cfg, a.newPrimaryHost, a.newPrimaryPort, ` application_name=${app}`).replace(
      ' dbname=postgres',
      '',
    );
    // Pgpool calls this for every node but the new primary, the failed old primary included: a
    // node that is not running is skipped, as Pgpool's follow_primary.sh.sample does (a failed
    // primary comes back only by an operator's rebuild, never by itself).
    if (!state)
      return finish(
        'follow-primary',
        'done',
        t('pgpool.not_running_skip', { who, upstream, id: a.nodeId }),
        notes,
        opts,
      );
    if (!state.standby) return finish('follow-primary', 'refused', t('pgpool.follower_primary', { who }), notes, opts);

    let how = '';
    if (state?.standby) {
      // Re-point without copying: only a walreceiver restart (13+: primary_conninfo reloads).
      if (state.version >= 130000) {
        await sql(nodeConn, deadline, async (q) => {
          await q(alterSystemSet('primary_conninfo', upstream));
          await q(SQL.reloadConf);
        });
        how = t('pgpool.repointed_reload');
      } else if (isNodeLocal(a.pgdata, a.host, a.port)) {
        const local = { ...cfg, pgdata: a.pgdata, hostGiven: false, portGiven: false };
        const s = await stop(local);
        const r =
          s.outcome === 'done' || s.outcome === 'already'
            ? await start({ ...local, as: 'standby', primaryConninfo: upstream })
            : s;
        if (r.outcome !== 'done' && r.outcome !== 'already')
          notes.push(t('pgpool.restart_failed', { summary: r.summary }));
        how = t('pgpool.repointed_restart');
      }
      if (how && (await streamsOn(cfg, node, a.newPrimaryPort, pos.tl, Math.min(deadline - 5000, Date.now() + 15_000))))
        notes.push(how);
      else {
        if (how) notes.push(t('pgpool.diverged', { how, timeline: pos.tl }));
        how = '';
      }
    }
    if (!how && !isNodeLocal(a.pgdata, a.host, a.port)) {
      if (!opts.remotePrefix)
        return finish(
          'follow-primary',
          'failed',
          t('pgpool.not_local', { who, pgdata: a.pgdata, upstream }),
          notes,
          opts,
        );
      const cmd = [
        ...opts.remotePgsr.trim().split(/\s+/),
        'rebuild',
        '-D',
        a.pgdata,
        '--from',
        upstream,
        '--primary-conninfo',
        upstream,
        '--discard-old',
        // Its result line is what this command reports: no progress lines in between.
        '--no-progress',
        '-U',
        cfg.common.connection.user,
        ...(cfg.bindir ? ['--bindir', cfg.bindir] : []),
        '--format',
        'text',
      ];
      const done = await onHost(opts, a.host, cmd, deadline - Date.now() - 10_000);
      if (!done.ok)
        return finish(
          'follow-primary',
          'failed',
          t('pgpool.remote_rebuild_failed', { who, detail: done.detail }),
          notes,
          opts,
        );
      notes.push(t('pgpool.remote_rebuilt', { host: a.host, detail: done.detail }));
      how = t('pgpool.rebuilt_remotely');
    }
    if (!how) {
      const r = await rebuild({
        ...cfg,
        pgdata: a.pgdata,
        hostGiven: false,
        portGiven: false,
        from: upstream,
        primaryConninfo: upstream,
        method: 'auto',
        discardOld: true,
      });
      if (r.outcome !== 'done' && r.outcome !== 'already')
        return finish('follow-primary', 'failed', t('pgpool.rebuild_failed', { who, summary: r.summary }), notes, opts);
      notes.push(t('pgpool.rebuilt', { summary: r.summary }));
    }
    const attach = await pcpAttachNode(opts.pcp, a.nodeId, Math.max(1000, Math.min(10_000, deadline - Date.now())));
    if (attach)
      return finish(
        'follow-primary',
        'failed',
        t('pgpool.not_attached', { who, where: `${a.newPrimaryHost}:${a.newPrimaryPort}`, detail: attach }),
        notes,
        opts,
      );
    return finish(
      'follow-primary',
      'done',
      t('pgpool.follows', { who, where: `${a.newPrimaryHost}:${a.newPrimaryPort}`, timeline: pos.tl }),
      notes,
      opts,
    );
  } catch (err) {
    return finish('follow-primary', 'failed', oneLine(err), notes, opts);
  }
}
