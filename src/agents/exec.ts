/**
 * The CLUSTERPRO EXEC adapter. Rules (pure): what `pgsr exec start|stop` may do given the CLP_*
 * variables the cluster sets (CLUSTERPRO X Reference Guide, EXEC resource; NEC's PostgreSQL
 * sample start.sh/stop.sh): CLP_EVENT START/FAILOVER/RECOVER (empty = not run by the cluster:
 * refuse), CLP_DISK SUCCESS/FAILURE (never start on a failed disk), CLP_SERVER HOME/OTHER,
 * CLP_FACTOR (stop), CLP_GROUPNAME, CLP_RESOURCENAME. Then execStart/execStop carry them out
 * with the lifecycle actions, the decision line first (what CLUSTERPRO asked).
 */
import { hostname } from 'node:os';
import { withApplicationName } from '../config/conninfo';
import { localTimestamp } from '../dialect/clusterpro';
import type { LifecycleConfig } from '../config/lifecycle';
import { start, stop } from '../lifecycle/actions';
import type { ActionResult, PeerAnswer } from '../lifecycle/plan';
import { roleWord, t } from '../i18n';

/** The CLP_* variables pgsr reads. */
export interface ClpEnv {
  event?: string;
  disk?: string;
  server?: string;
  factor?: string;
  group?: string;
  resource?: string;
}

/** Reads the CLP_* variables from an environment. */
export function clpEnv(env: NodeJS.ProcessEnv): ClpEnv {
  return {
    event: env.CLP_EVENT,
    disk: env.CLP_DISK,
    server: env.CLP_SERVER,
    factor: env.CLP_FACTOR,
    group: env.CLP_GROUPNAME,
    resource: env.CLP_RESOURCENAME,
  };
}

/** One line describing the cluster's request, for the log. */
export function describeClp(e: ClpEnv): string {
  return [
    'CLP_EVENT',
    e.event,
    'CLP_DISK',
    e.disk,
    'CLP_SERVER',
    e.server,
    'CLP_FACTOR',
    e.factor,
    'group',
    e.group,
    'resource',
    e.resource,
  ]
    .reduce<string[]>(
      (acc, v, i, a) => (i % 2 === 0 && a[i + 1] !== undefined ? [...acc, `${v}=${a[i + 1]}`] : acc),
      [],
    )
    .join(' ');
}

/** Reasons `exec start` must not start anything (empty = go). */
export function execStartBlockers(e: ClpEnv): string[] {
  const reasons: string[] = [];
  if (!e.event) reasons.push(t('exec.no_event_start'));
  else if (!['START', 'FAILOVER', 'RECOVER'].includes(e.event))
    reasons.push(t('exec.unknown_event', { event: e.event }));
  if (e.disk === 'FAILURE') reasons.push(t('exec.disk_failure'));
  return reasons;
}

/** Reasons `exec stop` must not run (empty = go). */
export function execStopBlockers(e: ClpEnv): string[] {
  return e.event ? [] : [t('exec.no_event_stop')];
}

/**
 * Why the primary lock of a data directory may be ignored at exec start (it travels with the
 * mirror disk: after a failover it is expected): only when starting as primary and the peer is
 * not a primary (start refuses a primary peer anyway). undefined = keep the lock's refusal.
 */
export function execLockOverride(
  event: string | undefined,
  as: 'primary' | 'standby',
  peer: PeerAnswer,
): string | undefined {
  if (as !== 'primary' || peer.answer === 'primary') return undefined;
  if (peer.answer === 'none') return t('exec.lock_no_peer', { event: String(event) });
  return t('exec.lock_peer', {
    event: String(event),
    where: peer.where,
    answer: peer.answer === 'unknown' ? t('exec.unreachable') : roleWord(peer.answer),
  });
}

/**
 * This server's CLUSTERPRO server name: CLUSTERPRO names each server by its host name (the
 * short name; no CLP_* variable carries it). A standby started by `exec start --as standby`
 * whose primary_conninfo has no application_name is named so, as the primary's checks and
 * synchronous_standby_names expect.
 */
export function clusterproServerName(): string {
  return hostname().split('.')[0];
}

function execLine(what: string): string {
  return `${localTimestamp(new Date())} pgsr ${what}`;
}

/**
 * `pgsr exec start`: the decision line (what CLUSTERPRO asked) goes to `emit` first, then the
 * start (as primary by default: the failover group carries the primary).
 */
export async function execStart(
  cfg: LifecycleConfig,
  env: NodeJS.ProcessEnv,
  emit: (line: string) => void,
): Promise<ActionResult> {
  const e = clpEnv(env);
  if (cfg.common.format !== 'json') emit(execLine(`exec start: ${describeClp(e) || t('exec.no_clp_variables')}`));
  const t0 = Date.now();
  const blockers = execStartBlockers(e);
  if (blockers.length)
    return {
      action: 'exec start',
      outcome: 'refused',
      summary: blockers[0],
      reasons: blockers,
      steps: [],
      facts: { event: e.event ?? null },
      durationMs: Date.now() - t0,
    };
  const as = cfg.as ?? 'primary';
  const named =
    as === 'standby' && cfg.primaryConninfo
      ? { ...cfg, primaryConninfo: withApplicationName(cfg.primaryConninfo, clusterproServerName()) }
      : cfg;
  const r = await start({ ...named, as }, (_f, peer) => execLockOverride(e.event, as, peer));
  return { ...r, action: 'exec start', facts: { ...r.facts, event: e.event ?? null } };
}

/** `pgsr exec stop`: the decision line, then the stop (fast, then immediate). */
export async function execStop(
  cfg: LifecycleConfig,
  env: NodeJS.ProcessEnv,
  emit: (line: string) => void,
): Promise<ActionResult> {
  const e = clpEnv(env);
  if (cfg.common.format !== 'json') emit(execLine(`exec stop: ${describeClp(e) || t('exec.no_clp_variables')}`));
  const blockers = execStopBlockers(e);
  if (blockers.length)
    return {
      action: 'exec stop',
      outcome: 'refused',
      summary: blockers[0],
      reasons: blockers,
      steps: [],
      facts: {},
      durationMs: 0,
    };
  const r = await stop(cfg);
  return { ...r, action: 'exec stop', facts: { ...r.facts, factor: e.factor ?? null } };
}
