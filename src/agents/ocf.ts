/**
 * The Pacemaker adapter: the OCF resource agent of a promotable clone (packaging/ocf/pgsql-sr
 * runs it). Configuration only from the environment Pacemaker gives: OCF_RESKEY_<param>
 * (see dialect/ocf.ts OCF_PARAMS), OCF_RESKEY_CRM_meta_* (interval, timeout, notify_*),
 * OCF_RESOURCE_INSTANCE. Failures print `ocf-exit-reason:` on stderr.
 *
 * monitor = the check's probe and verdict rendered as OCF codes, plus pg_controldata when the
 * server is down (PAF's approach); start = pgsr start --as standby; stop = pgsr stop; promote =
 * pgsr promote after comparing the LSNs the standbys published at pre-promote; demote = clean
 * stop + start as standby. The primary's monitor sets the promotion scores and the status
 * attributes of PG-REX (PRI / HS:sync / HS:async / HS:alone / STOP; LATEST / STREAMING|SYNC /
 * STREAMING|ASYNC / DISCONNECT).
 *
 * Over 350 lines because the OCF actions (start, stop, monitor, promote, demote, notify) share one configuration and the node-attribute helpers; the election and promotion decisions are apart (ocf-election.ts, ocf-promote.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { LifecycleConfig } from '../config/lifecycle';
import { namedStandby, ocfConfig, resourceName } from './ocf-config';
import { ConfigError, oneLine } from '../errors';
import { decideOcfPromote, decodeNotifyContext, encodeNotifyContext, notifyContextFromEnv } from './ocf-promote';
import { electAtPrePromote, handOver, standbyState } from './ocf-election';
import {
  OCF,
  metaData,
  monitorFailureCode,
  promotionScores,
  stoppedStateToOcf,
  syncPromotionScores,
} from '../dialect/ocf';
import { runAs } from '../host/exec';
import { passwdEntry } from '../host/passwd';
import {
  boundPacemakerCalls,
  getNodeAttribute,
  localNodeName,
  partitionNodes,
  privateAttributeAllNodes,
  setNodeAttribute,
  setPrivateAttribute,
  syncNodeAttributes,
} from '../host/pacemaker';
import {
  describeSyncSwitch,
  localConnection,
  manageSyncStandbyNames,
  promote,
  start,
  stop,
  type SyncRelease,
} from '../lifecycle/actions';
import { writeFileAtomic } from '../host/state';
import type { ActionResult } from '../lifecycle/plan';
import { dataMajor, findBinaries, localFacts, parseControlData, walTimelines } from '../probe/local';
import { lsnValue } from '../lsn';
import type { StandbyState } from '../observation';
import { timelineDivergence, type TimelineDivergence } from '../verdict/standby';
import { observe } from '../probe/observe';
import { judge, type CheckPolicy } from '../verdict/check';
import { langFromLocale, parseLang, setLang, t } from '../i18n';

/** The monitor judges what it cannot query with the check's verdict (no expectations of its own). */
const MONITOR_POLICY: CheckPolicy = {
  expectedRole: 'auto',
  expectedPrimary: {},
  applicationNames: [],
  minStandbys: 0,
  thresholds: { lagBytes: {}, lagSeconds: {}, silenceSeconds: {} },
  replayPausedSeverity: 'ok',
};

/** The manager's releases kept between monitors ($HA_RSCTMP, emptied at boot); [] when none or unreadable. */
function readReleases(file: string): SyncRelease[] {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(v) ? (v as SyncRelease[]) : [];
  } catch {
    return [];
  }
}

interface Out {
  code: number;
  reason?: string;
  log: string[];
}

function fromAction(r: ActionResult, okCode: number = OCF.SUCCESS): Out {
  const log = [`pgsr ${r.action}: ${r.outcome}: ${r.summary}`];
  if (r.outcome === 'done' || r.outcome === 'already') return { code: okCode, log };
  return { code: OCF.ERR_GENERIC, reason: r.summary, log };
}

/** Cluster state of a stopped data directory, from pg_controldata. */
async function controlState(cfg: LifecycleConfig, pgdata: string, timeoutMs: number): Promise<string | undefined> {
  const bin = findBinaries(cfg.bindir, dataMajor(cfg.pgdata));
  if (!bin.pg_controldata) return undefined;
  const r = await runAs(cfg.common.osUser, bin.pg_controldata, [pgdata], { timeoutMs });
  return r.exitCode === 0 ? parseControlData(r.stdout)['Database cluster state'] : undefined;
}

/**
 * validate-all and the checks before each action. ERR_CONFIGURED (fatal: Pacemaker stops the
 * resource on every node) only for what is wrong everywhere: a clone without notify=true (the
 * promotion election needs the notifications; checked when Pacemaker runs the agent as a clone),
 * no pgdata parameter.
 * What is missing on this node only (binaries, OS user, PGDATA) is ERR_INSTALLED: the resource
 * moves away from this node and runs elsewhere (Pacemaker Explained, "OCF Return Codes").
 */
async function validate(cfg: LifecycleConfig, probe: boolean, env: NodeJS.ProcessEnv = {}): Promise<Out | undefined> {
  if (env.OCF_RESKEY_CRM_meta_clone_max !== undefined && env.OCF_RESKEY_CRM_meta_notify !== 'true') {
    return { code: OCF.ERR_CONFIGURED, reason: t('ocf.needs_notify'), log: [] };
  }
  // pgdata has no default: each family keeps it elsewhere (Debian /var/lib/postgresql/N/main, PGDG /var/lib/pgsql/N/data).
  if (!cfg.pgdata) return { code: OCF.ERR_CONFIGURED, reason: t('ocf.no_pgdata'), log: [] };
  const bin = findBinaries(cfg.bindir, dataMajor(cfg.pgdata));
  if (!bin.pg_ctl || !bin.postgres)
    return { code: OCF.ERR_INSTALLED, reason: t('ocf.no_binaries', { bindir: String(bin.bindir) }), log: [] };
  if (!passwdEntry(cfg.common.osUser)) {
    return { code: OCF.ERR_INSTALLED, reason: t('ocf.no_user', { user: cfg.common.osUser }), log: [] };
  }
  if (!cfg.pgdata || !existsSync(join(cfg.pgdata, 'PG_VERSION'))) {
    // A probe on a node without the data is "not running", not an error (OCF, Pacemaker Explained).
    return probe
      ? { code: OCF.NOT_RUNNING, log: [`no data directory ${cfg.pgdata}: not running`] }
      : { code: OCF.ERR_INSTALLED, reason: t('ocf.no_data_dir', { pgdata: String(cfg.pgdata) }), log: [] };
  }
  return undefined;
}

/** A standby that cannot follow the newest timeline it knows of (its pg_wal's history files); undefined when it can. */
function divergence(pgdata: string, s: StandbyState): TimelineDivergence | undefined {
  const r = lsnValue(s.receiveLsn);
  const p = lsnValue(s.replayLsn);
  const furthest = r !== null && (p === null || r > p) ? s.receiveLsn : s.replayLsn;
  return s.timeline === null || !furthest ? undefined : timelineDivergence(s.timeline, furthest, walTimelines(pgdata));
}

async function monitor(cfg: LifecycleConfig, env: NodeJS.ProcessEnv, rsc: string): Promise<Out> {
  const probe = (env.OCF_RESKEY_CRM_meta_interval ?? '0') === '0';
  const bad = await validate(cfg, probe, env);
  if (bad) return bad;
  const pgdata = cfg.pgdata as string;
  const deadline = Date.now() + cfg.common.timeoutMs;
  const f = await localFacts(
    pgdata,
    findBinaries(cfg.bindir, dataMajor(cfg.pgdata)),
    cfg.common.osUser,
    cfg.common.timeoutMs,
  );
  if (f.state !== 'running') {
    const state = await controlState(cfg, pgdata, Math.max(1000, deadline - Date.now()));
    const code = stoppedStateToOcf(state);
    return {
      code,
      reason:
        code === OCF.NOT_RUNNING ? undefined : t('ocf.not_running_state', { state: state ?? t('word.unreadable') }),
      log: [`not running (${state ?? '?'})`],
    };
  }
  const obs = await observe(localConnection(cfg, f.pidFile), deadline - 500);
  if (!obs.ok)
    return {
      code: monitorFailureCode(judge(obs, MONITOR_POLICY)),
      reason: t('ocf.not_answering', { detail: obs.failure.detail }),
      log: [],
    };
  const me = await localNodeName(env);
  const log: string[] = [];
  if (obs.server.role === 'primary' && obs.primary) {
    const maxlag = Number(env.OCF_RESKEY_maxlag ?? '0') || 0;
    const rows = obs.primary.standbys.map((r) => ({
      node: r.applicationName,
      state: r.state,
      writeLagBytes: r.flushLagBytes,
      sync: r.syncState,
    }));
    const syncMode = cfg.common.sync.repMode === 'sync';
    const scores = syncMode
      ? syncPromotionScores(
          rows.map((r) => r.node),
          undefined,
        )
      : promotionScores(rows, maxlag);
    for (const n of await partitionNodes()) if (n !== me && !scores.has(n)) scores.set(n, '-INFINITY');
    // Scores and PG-REX's status attributes, written only where they changed (one query per
    // attribute name instead of a crm_attribute per value every monitor), within the operation's timeout.
    const score = new Map<string, string>();
    const status = new Map<string, string>();
    const dataStatus = new Map<string, string>();
    if (me) {
      scores.set(me, '1001');
      status.set(me, 'PRI');
      dataStatus.set(me, 'LATEST');
    }
    for (const [node, value] of scores) {
      score.set(node, value);
      if (node === me) continue;
      const row = rows.find((r) => r.node === node);
      const streaming = row?.state === 'streaming';
      dataStatus.set(node, streaming ? `STREAMING|${(row?.sync ?? 'async').toUpperCase()}` : 'DISCONNECT');
      if (streaming) status.set(node, `HS:${row?.sync ?? 'async'}`);
    }
    const write = async () => {
      const wanted = new Map([
        [`master-${rsc}`, score],
        [`${rsc}-status`, status],
        [`${rsc}-data-status`, dataStatus],
      ]);
      log.push(...(await syncNodeAttributes(wanted, deadline)));
    };
    if (!syncMode) {
      await write();
      log.push(`primary; scores ${[...scores].map(([n, s]) => `${n}=${s}`).join(' ')}`);
      return { code: OCF.RUNNING_PROMOTED, log };
    }
    // rep_mode sync: scores from the manager's decision, written BEFORE synchronous_standby_names
    // changes (a standby loses the right to be promoted before commits stop waiting for it).
    const stateFile = join(env.HA_RSCTMP || '/run/resource-agents', `pgsr-${rsc}-sync.json`);
    const before = readReleases(stateFile);
    const run = await manageSyncStandbyNames(
      localConnection(cfg, f.pidFile),
      obs.primary,
      before,
      cfg.common.sync,
      Date.now(),
      deadline - 300,
      async (plan) => {
        for (const [n, v] of syncPromotionScores(
          [...scores.keys()].filter((n) => n !== me),
          plan.promotable,
        ))
          scores.set(n, v);
        for (const [node, value] of scores) score.set(node, value);
        await write();
      },
    );
    // Written only when it changed (a monitor every few seconds need not rewrite the same file).
    const problem =
      JSON.stringify(run.plan.released) === JSON.stringify(before)
        ? undefined
        : writeFileAtomic(stateFile, JSON.stringify(run.plan.released) + '\n', true);
    if (problem) log.push(t('ocf.sync_not_saved', { file: stateFile, problem }));
    if (run.applied) log.push(describeSyncSwitch(run));
    log.push(
      `primary (rep_mode sync, synchronous_standby_names '${run.applied?.ok ? run.plan.names : run.plan.current}'); scores ${[...scores].map(([n, s]) => `${n}=${s}`).join(' ')}`,
    );
    return { code: OCF.RUNNING_PROMOTED, log };
  }
  const streaming = obs.standby?.walreceiver?.status === 'streaming';
  const diverged = streaming || !obs.standby ? undefined : divergence(pgdata, obs.standby);
  if (me && diverged) {
    // It has WAL the primary never had: never a score that could promote it, whatever happens.
    await Promise.all([
      setNodeAttribute(me, `${rsc}-status`, 'HS:diverged'),
      setNodeAttribute(me, `${rsc}-data-status`, 'DISCONNECT'),
      setNodeAttribute(me, `master-${rsc}`, '-INFINITY'),
    ]);
    return {
      code: OCF.SUCCESS,
      log: [
        t('ocf.diverged', {
          tli: String(diverged.tli),
          fork: diverged.forkLsn ?? t('ocf.not_in_history'),
          own: diverged.own,
          pgdata,
          node: me,
        }),
      ],
    };
  }
  if (me && !streaming) {
    await Promise.all([
      setNodeAttribute(me, `${rsc}-status`, 'HS:alone'),
      setNodeAttribute(me, `${rsc}-data-status`, 'DISCONNECT'),
    ]);
  }
  // With no primary at all (cold start), a standby offers itself with a minimal score; the
  // pre-promote LSN comparison then picks the most advanced one.
  if (me && !streaming && (await getNodeAttribute(me, `master-${rsc}`)) === undefined)
    await setNodeAttribute(me, `master-${rsc}`, '1');
  return {
    code: OCF.SUCCESS,
    log: [t('ocf.log_standby', { status: obs.standby?.walreceiver?.status ?? t('ocf.no_walreceiver') })],
  };
}

async function ocfPromote(cfg: LifecycleConfig, env: NodeJS.ProcessEnv, rsc: string): Promise<Out> {
  // Outside a cluster (ocf-tester) crm_node cannot answer: the host name, as Pacemaker defaults to.
  // The reads are independent: run together (every 100 ms here is 100 ms without a primary).
  const [node, published, ctxs, own] = await Promise.all([
    localNodeName(env),
    privateAttributeAllNodes(`${rsc}-lsn`),
    privateAttributeAllNodes(`${rsc}-promote-ctx`),
    standbyState(cfg),
  ]);
  const me = node ?? hostname();
  const ctx = decodeNotifyContext(ctxs.get(me));
  const mine = own.position ?? published.get(me);
  const d = decideOcfPromote({ me, ctx, published, mine, walreceiverStatus: own.walStatus });
  if (d.kind === 'handover') {
    // Another standby is more advanced: hand it the promotion (as PG-REX: promote the newest).
    await handOver(d.to, me, rsc);
    return { code: OCF.ERR_GENERIC, reason: d.reason, log: [] };
  }
  if (d.kind === 'refuse') return { code: OCF.ERR_GENERIC, reason: d.reason, log: [] };
  // Pacemaker has demoted/stopped (or fenced) the old primary before promoting: no probe of the
  // (floating) upstream address; the walreceiver check is skipped when the transition says so.
  const out = fromAction(await promote(cfg, { probeOldPrimaries: false, clusterReleased: d.skipWalreceiverCheck }));
  out.log.unshift(`election: position ${mine}; ${d.notes.join('; ')}`);
  if (out.code === OCF.SUCCESS) {
    await Promise.all([
      setNodeAttribute(me, `master-${rsc}`, '1001'),
      setNodeAttribute(me, `${rsc}-status`, 'PRI'),
      setNodeAttribute(me, `${rsc}-data-status`, 'LATEST'),
    ]);
  }
  return out;
}

async function ocfDemote(cfg: LifecycleConfig): Promise<Out> {
  const pgdata = cfg.pgdata as string;
  const f = await localFacts(
    pgdata,
    findBinaries(cfg.bindir, dataMajor(cfg.pgdata)),
    cfg.common.osUser,
    cfg.common.timeoutMs,
  );
  if (f.state !== 'running') return { code: OCF.SUCCESS, log: [t('ocf.nothing_to_demote')] };
  const stopped = await stop(cfg);
  if (stopped.outcome !== 'done' && stopped.outcome !== 'already') return fromAction(stopped);
  return fromAction(await start({ ...cfg, as: 'standby' }, undefined, true));
}

async function notify(cfg: LifecycleConfig, env: NodeJS.ProcessEnv, rsc: string): Promise<Out> {
  const type = env.OCF_RESKEY_CRM_meta_notify_type;
  const op = env.OCF_RESKEY_CRM_meta_notify_operation;
  if (type === 'pre' && op === 'promote') {
    const [own, me] = await Promise.all([standbyState(cfg), localNodeName(env)]);
    const pos = own.position;
    // The node to be promoted keeps what the transition says (who is promoted now, who is
    // demoted, stopped or started) for its promote action: notify variables reach notify only.
    const ctx = notifyContextFromEnv(env);
    const target = Boolean(ctx && me && ctx.promote.includes(me));
    await Promise.all([
      setPrivateAttribute(`${rsc}-lsn`, pos ?? null),
      setPrivateAttribute(`${rsc}-promote-ctx`, ctx && target ? encodeNotifyContext(ctx) : null),
    ]);
    const log = [
      t('ocf.published', {
        position: pos ?? t('ocf.nothing_published'),
        transition: ctx && target ? `; transition ${encodeNotifyContext(ctx)}` : '',
      }),
    ];
    const handedOver =
      ctx && target && me
        ? await electAtPrePromote(me, ctx, pos, own.walStatus, rsc, Date.now() + cfg.common.timeoutMs)
        : undefined;
    if (handedOver) log.push(t('ocf.handed_over', { reason: handedOver }));
    return { code: OCF.SUCCESS, log };
  }
  if (type === 'post' && op === 'promote') {
    // Both at once: the promoted pseudo-action (and a service address ordered after the
    // promote) waits for this notify to end.
    await Promise.all([setPrivateAttribute(`${rsc}-lsn`, null), setPrivateAttribute(`${rsc}-promote-ctx`, null)]);
    return { code: OCF.SUCCESS, log: [t('ocf.withdrawn')] };
  }
  return { code: OCF.SUCCESS, log: [] };
}

/** Runs one OCF action. Never throws: configuration problems become OCF_ERR_CONFIGURED. */
export async function ocfAction(
  action: string,
  env: NodeJS.ProcessEnv,
  version: string,
): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  if (action === 'meta-data') return { code: OCF.SUCCESS, stdout: [metaData(version).trimEnd()], stderr: [] };
  const rsc = resourceName(env);
  let out: Out;
  try {
    // The message language: OCF_RESKEY_lang, else the locale Pacemaker passes (usually none: en).
    const lang = env.OCF_RESKEY_lang ? parseLang(env.OCF_RESKEY_lang) : langFromLocale(env);
    if (!lang) throw new ConfigError(t('ocf.bad_lang', { value: String(env.OCF_RESKEY_lang) }));
    setLang(lang);
    const base = ocfConfig(env, action);
    // Every crm_attribute/attrd_updater/crm_node call of this operation ends within it.
    boundPacemakerCalls(Date.now() + base.common.timeoutMs);
    const cfg = await namedStandby(base, env, action);
    switch (action) {
      case 'validate-all':
        out = (await validate(cfg, false, env)) ?? { code: OCF.SUCCESS, log: [] };
        break;
      case 'monitor':
        out = await monitor(cfg, env, rsc);
        break;
      case 'start': {
        const bad = await validate(cfg, false, env);
        if (bad) {
          out = bad;
          break;
        }
        // A data directory whose last state is a clean primary shutdown holds data at least as
        // new as any standby's: offer it first at a cold start (score 2; plain standbys offer 1).
        const wasPrimary = (await controlState(cfg, cfg.pgdata as string, 5000)) === 'shut down';
        out = fromAction(await start({ ...cfg, as: 'standby' }, undefined, true));
        const me = await localNodeName(env);
        if (out.code === OCF.SUCCESS && me && wasPrimary && (await getNodeAttribute(me, `master-${rsc}`)) === undefined)
          await setNodeAttribute(me, `master-${rsc}`, '2');
        break;
      }
      case 'stop': {
        if (!cfg.pgdata || !existsSync(join(cfg.pgdata, 'PG_VERSION'))) {
          out = { code: OCF.SUCCESS, log: [t('ocf.no_data_stopped')] };
          break;
        }
        out = fromAction(await stop(cfg));
        const me = await localNodeName(env);
        if (out.code === OCF.SUCCESS && me) await setNodeAttribute(me, `${rsc}-status`, 'STOP');
        break;
      }
      case 'promote':
        out = (await validate(cfg, false)) ?? (await ocfPromote(cfg, env, rsc));
        break;
      case 'demote':
        out = (await validate(cfg, false)) ?? (await ocfDemote(cfg));
        break;
      case 'notify':
        out = await notify(cfg, env, rsc);
        break;
      case 'reload':
        out = { code: OCF.SUCCESS, log: [] };
        break;
      default:
        out = { code: OCF.ERR_UNIMPLEMENTED, reason: t('ocf.not_implemented', { action }), log: [] };
    }
  } catch (err) {
    out =
      err instanceof ConfigError
        ? { code: OCF.ERR_CONFIGURED, reason: oneLine(err), log: [] }
        : { code: OCF.ERR_GENERIC, reason: t('ocf.internal_error', { detail: oneLine(err) }), log: [] };
  }
  const stderr = out.log.map((l) => `pgsr ocf ${action}: ${l}`);
  if (out.reason) stderr.push(`ocf-exit-reason:${out.reason}`);
  return { code: out.code, stdout: [], stderr };
}
