/**
 * `pgsr status`: one view of the whole cluster from each node's observation and verdict (the
 * checks' own), in the shape of `patronictl list` and `repmgr cluster show`: who is primary, who
 * streams from whom, how far behind. Pure.
 */
import type { Observation } from '../observation';
import { lsnValue } from '../lsn';
import { SEVERITY_RANK, type Severity } from '../types';
import type { Verdict } from './check';
import { t } from '../i18n';

/** One node as `pgsr status` asked it. */
export interface StatusInput {
  name: string;
  host: string;
  port: number;
  obs: Observation;
  verdict: Verdict;
}

/** A node's role in the cluster: `cascading standby` streams from another standby. */
export type StatusRole = 'primary' | 'standby' | 'cascading standby' | 'unreachable';

/** One row of the view (README "pgsr status"; the JSON keys are these names in snake_case). */
export interface StatusRow {
  name: string;
  host: string;
  port: number;
  role: StatusRole;
  /** streaming, catchup, stopped replay, not connected (walreceiver status otherwise); '' on a primary. */
  state: string;
  /** The node it streams from (matched by host and port), else that host:port; null on a primary. */
  upstream: string | null;
  timeline: number | null;
  /** The primary's current LSN; a standby's replayed LSN. */
  lsn: string | null;
  receiveLsn: string | null;
  replayLsn: string | null;
  /** Bytes between the primary's current LSN and this standby's replayed LSN. */
  lagBytes: number | null;
  /** Replay lag in seconds as the standby reports it (0 when caught up). */
  lagSeconds: number | null;
  /** sync_state in the primary's pg_stat_replication row for this standby (by application_name). */
  syncState: string | null;
  severity: Severity;
  /** The node's worst finding, or its check's summary when all is well. */
  summary: string;
}

/** The whole view: rows with the primary (or primaries) first, and the cluster's severity. */
export interface ClusterStatus {
  nodes: StatusRow[];
  /** The primary's name; null when none or more than one answers as primary. */
  primary: string | null;
  /** Every node answering as a primary (more than one: split brain). */
  primaries: string[];
  severity: Severity;
}

/** One node's row, before the cross-node columns (upstream role, lag against the primary). */
function rowOf(n: StatusInput): StatusRow {
  const worst = n.verdict.findings[0];
  const base = {
    name: n.name,
    host: n.host,
    port: n.port,
    severity: n.verdict.severity,
    summary: worst?.message ?? n.verdict.summary,
    upstream: null,
    lagBytes: null,
    syncState: null,
  };
  if (!n.obs.ok)
    return {
      ...base,
      role: 'unreachable',
      state: '',
      timeline: null,
      lsn: null,
      receiveLsn: null,
      replayLsn: null,
      lagSeconds: null,
      severity: 'critical',
      summary: n.obs.failure.detail,
    };
  if (n.obs.primary)
    return {
      ...base,
      role: 'primary',
      state: '',
      timeline: n.obs.primary.timeline,
      lsn: n.obs.primary.currentLsn,
      receiveLsn: null,
      replayLsn: null,
      lagSeconds: null,
    };
  const s = n.obs.standby;
  const w = s?.walreceiver ?? null;
  const state = !w ? t('status.not_connected') : s?.replayPaused ? t('status.stopped_replay') : String(w.status ?? '?');
  const lagS = s?.replayLagBytes === 0 ? 0 : (s?.lastReplayAgeS ?? null);
  return {
    ...base,
    role: 'standby',
    state,
    timeline: s?.timeline ?? null,
    lsn: s?.replayLsn ?? null,
    receiveLsn: s?.receiveLsn ?? null,
    replayLsn: s?.replayLsn ?? null,
    lagSeconds: lagS,
  };
}

/**
 * The cluster's view: each node's row; a standby's upstream matched to the node with its
 * walreceiver's sender host and port (sender_host/sender_port from 11, its conninfo on 10); a
 * standby streaming from another standby is a cascading standby; lag in bytes against the one
 * primary. Severity: the worst node's (Nagios order), an unreachable node critical, two nodes
 * answering as primary critical.
 */
export function clusterStatus(inputs: StatusInput[]): ClusterStatus {
  const rows = inputs.map(rowOf);
  const primaries = rows.filter((r) => r.role === 'primary').map((r) => r.name);
  const primary = primaries.length === 1 ? inputs.find((n) => n.name === primaries[0]) : undefined;
  const current = primary?.obs.ok ? lsnValue(primary.obs.primary?.currentLsn) : null;
  inputs.forEach((n, i) => {
    const r = rows[i];
    if (!n.obs.ok || !n.obs.standby) return;
    // The probe reads the sender from the walreceiver's conninfo where sender_host is missing (10).
    const w = n.obs.standby.walreceiver;
    const host = w?.senderHost ?? null;
    const port = w?.senderPort ?? null;
    const up = inputs.find((m) => m.host === host && m.port === port);
    r.upstream = up ? up.name : host ? `${host}:${port ?? '?'}` : null;
    if (up && rows[inputs.indexOf(up)].role !== 'primary') r.role = 'cascading standby';
    const replayed = lsnValue(n.obs.standby.replayLsn);
    if (current !== null && replayed !== null) r.lagBytes = Math.max(0, Number(current - replayed));
    const app = w?.applicationName ?? null;
    const seen = primary?.obs.ok ? primary.obs.primary?.standbys.find((x) => x.applicationName === app) : undefined;
    r.syncState = seen?.syncState ?? null;
    if (seen && (seen.replayLagS !== null || seen.replayLagBytes === 0)) r.lagSeconds = seen.replayLagS ?? 0;
  });
  let severity = rows.reduce<Severity>(
    (worst, r) => (SEVERITY_RANK[r.severity] > SEVERITY_RANK[worst] ? r.severity : worst),
    'ok',
  );
  if (primaries.length > 1) severity = 'critical';
  const order = (r: StatusRow) =>
    r.role === 'primary' ? 0 : r.role === 'unreachable' ? 3 : r.role === 'standby' ? 1 : 2;
  const sorted = rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => order(a.r) - order(b.r) || a.i - b.i)
    .map((x) => x.r);
  return { nodes: sorted, primary: primaries.length === 1 ? primaries[0] : null, primaries, severity };
}
