/**
 * The replication verdict: pure function from an Observation and the operator's expectations
 * to a Verdict (severity + findings + metrics). No I/O, no formatting for any host: dialect/
 * renders the same Verdict for CLUSTERPRO, Nagios, Pacemaker, JSON and humans.
 *
 * Rules and their sources:
 * - Standby: `pg_stat_wal_receiver.status` must be `streaming` (PostgreSQL docs 28.2.6; seed 000
 *   genw.sh); the sender must be the expected primary (seed 000: sender_host = floating IP).
 * - Primary: each expected standby has a `pg_stat_replication` row in state `streaming` with the
 *   expected `sync_state` (PostgreSQL docs 28.2.4; seed 000 5.5.2.1).
 * - Lag: bytes from LSN differences, seconds from replay timestamps; idle primaries do not count
 *   as lag (replay lag is 0 when everything received is replayed: the check_pgactivity and
 *   Patroni convention).
 */
import type { Observation, ProbeFailure, ReplicationRow, StandbyState } from '../observation';
import { SEVERITY_RANK, type Endpoint, type ExpectedRole, type PgRole, type Severity, type SyncState } from '../types';
import { parseRange, thresholdSeverity, type Range, type Thresholds } from '../range';

/** Stable finding codes; documented in README ("Findings"). */
export type FindingCode =
  | 'cannot_connect'
  | 'query_failed'
  | 'insufficient_privilege'
  | 'unsupported_version'
  | 'role_mismatch'
  | 'walreceiver_missing'
  | 'walreceiver_not_streaming'
  | 'sender_mismatch'
  | 'timeline_mismatch'
  | 'replay_paused'
  | 'replay_lag_bytes'
  | 'replay_lag_seconds'
  | 'primary_silence'
  | 'primary_unreachable'
  | 'standby_missing'
  | 'standby_not_streaming'
  | 'standby_catching_up'
  | 'standby_silent'
  | 'sync_state_mismatch'
  | 'standby_lag_bytes'
  | 'standby_flush_lag_bytes'
  | 'standby_lag_seconds'
  | 'too_few_standbys'
  | 'slot_lost'
  | 'slot_unreserved';

/**
 * The class of a finding decides the CLUSTERPRO exit code and the OCF hardness:
 * `connection` (cannot reach or query the server), `config` (the operator must change
 * something: privileges, version), `role` (primary where a standby was expected or the reverse),
 * `replication` (everything about streaming, lag and sync state).
 */
export type FindingClass = 'connection' | 'config' | 'role' | 'replication';

export const FINDING_CLASS: Record<FindingCode, FindingClass> = {
  cannot_connect: 'connection',
  query_failed: 'connection',
  insufficient_privilege: 'config',
  unsupported_version: 'config',
  role_mismatch: 'role',
  walreceiver_missing: 'replication',
  walreceiver_not_streaming: 'replication',
  sender_mismatch: 'replication',
  timeline_mismatch: 'replication',
  replay_paused: 'replication',
  replay_lag_bytes: 'replication',
  replay_lag_seconds: 'replication',
  primary_silence: 'replication',
  primary_unreachable: 'replication',
  standby_missing: 'replication',
  standby_not_streaming: 'replication',
  standby_catching_up: 'replication',
  standby_silent: 'replication',
  sync_state_mismatch: 'replication',
  standby_lag_bytes: 'replication',
  standby_flush_lag_bytes: 'replication',
  standby_lag_seconds: 'replication',
  too_few_standbys: 'replication',
  slot_lost: 'replication',
  slot_unreserved: 'replication',
};

/** One judged fact. `value`/`unit`/`threshold` are set for measured findings. */
export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** One line for humans, no trailing period. */
  message: string;
  /** The standby's application_name on a primary, when the finding is about one standby. */
  subject?: string;
  value?: number | string | boolean | null;
  /** `B` bytes, `s` seconds, `` plain count. */
  unit?: 'B' | 's' | '';
  /** The range text that was crossed (monitoring-plugins syntax). */
  threshold?: string;
}

/** A measured figure, for perfdata and log lines. `warning`/`critical` are range texts. */
export interface Metric {
  label: string;
  value: number;
  unit: 'B' | 's' | '';
  warning?: string;
  critical?: string;
  min?: number;
}

/** The decision about one server, shared by every rendering. */
export interface Verdict {
  severity: Severity;
  /**
   * How a cluster manager should treat a failure (OCF: soft errors may recover in place,
   * configuration errors must not be retried on this node).
   */
  hardness: 'soft' | 'config';
  target: Endpoint;
  /** The role the server actually has; null when it could not be asked. */
  role: PgRole | null;
  expectedRole: ExpectedRole;
  /** One line: the reason when not OK, else what is healthy. */
  summary: string;
  /** Non-OK findings, worst first. */
  findings: Finding[];
  metrics: Metric[];
  /** Raw key figures for logs and JSON (version, timeline, sender, LSNs...). */
  facts: Record<string, string | number | boolean | null>;
  durationMs: number;
}

/** What the operator expects; built from CheckConfig by the command layer. */
export interface CheckPolicy {
  expectedRole: ExpectedRole;
  expectedPrimary: { host?: string; port?: number };
  applicationNames: string[];
  syncState?: SyncState;
  minStandbys: number;
  thresholds: { lagBytes: Thresholds; lagSeconds: Thresholds; silenceSeconds: Thresholds; flushLagBytes?: Thresholds; standbys?: Thresholds };
  /** `ok` ignores a paused replay (check_pgactivity is_replay_paused: only the lag thresholds alert). */
  replayPausedSeverity: 'ok' | 'warning' | 'critical';
}

/** Judges one observation. Pure; never throws. */
export function judge(obs: Observation, policy: CheckPolicy): Verdict {
  const findings: Finding[] = [];
  const metrics: Metric[] = [];
  const facts: Verdict['facts'] = {};
  const role = obs.server?.role ?? null;
  if (obs.server) {
    facts.version = obs.server.version;
    facts.role = obs.server.role;
  }

  if (!obs.ok) {
    findings.push(failureFinding(obs.failure, obs.target));
  } else if (policy.expectedRole !== 'auto' && policy.expectedRole !== obs.server.role) {
    // A standby that became primary (or the reverse) is a split-brain warning sign: critical.
    findings.push({
      code: 'role_mismatch',
      severity: 'critical',
      message:
        policy.expectedRole === 'standby'
          ? 'expected a standby but the server is a primary (not in recovery): possible split brain'
          : 'expected a primary but the server is a standby (in recovery)',
      value: obs.server.role,
    });
    if (obs.primary) addPrimaryFacts(obs.primary.currentLsn, obs.primary.timeline, facts);
  } else if (obs.standby) {
    judgeStandby(obs.standby, policy, findings, metrics, facts);
  } else if (obs.primary) {
    addPrimaryFacts(obs.primary.currentLsn, obs.primary.timeline, facts);
    judgePrimary(obs.primary.standbys, policy, findings, metrics, facts, obs.primary.walSenderTimeoutMs ?? null);
    const others = obs.primary.otherWalsenders ?? [];
    // WAL archivers, base backups and logical decoding are not standbys: shown, never counted.
    if (others.length) facts.other_walsenders = others.map((r) => `${r.applicationName || `pid${r.pid}`}:${r.kind}:${r.state ?? '?'}${r.clientAddr ? `@${r.clientAddr}` : ''}`).join(',');
    judgeSlots(obs.primary.slots ?? [], findings);
  }

  findings.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  const severity = findings.reduce<Severity>((worst, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst] ? f.severity : worst), 'ok');
  const problems = findings.filter((f) => f.severity !== 'ok');
  return {
    severity,
    hardness: problems.some((f) => FINDING_CLASS[f.code] === 'config') ? 'config' : 'soft',
    target: obs.target,
    role,
    expectedRole: policy.expectedRole,
    summary: problems.length ? problems.map((f) => f.message).join('; ') : healthySummary(role, facts),
    findings: problems,
    metrics,
    facts,
    durationMs: obs.durationMs,
  };
}

function failureFinding(f: ProbeFailure, target: Endpoint): Finding {
  const where = `${target.host}:${target.port}`;
  switch (f.kind) {
    case 'unsupported-version':
      return { code: 'unsupported_version', severity: 'unknown', message: f.detail };
    case 'privilege':
      return { code: 'insufficient_privilege', severity: 'unknown', message: `permission denied on ${where}: ${f.detail} (grant pg_monitor to the monitoring user)` };
    case 'sql':
    case 'protocol':
      if (f.phase === 'query') return { code: 'query_failed', severity: 'unknown', message: `query failed on ${where}: ${f.detail}` };
      break;
    default:
      break;
  }
  // Cannot connect (refused, timeout, auth, not accepting connections): critical, like the
  // monitoring-plugins rule "a refused connection is CRITICAL" and seed 000's psql failure branch.
  const verb = f.phase === 'connect' ? 'cannot connect to' : 'lost the connection to';
  return { code: f.phase === 'connect' ? 'cannot_connect' : 'query_failed', severity: 'critical', message: `${verb} ${where}: ${f.detail}`, value: f.kind };
}

function addPrimaryFacts(currentLsn: string | null, timeline: number | null, facts: Verdict['facts']): void {
  facts.current_lsn = currentLsn;
  facts.timeline = timeline;
}

function metric(label: string, value: number, unit: Metric['unit'], t?: Thresholds): Metric {
  return { label, value, unit, warning: t?.warning?.text, critical: t?.critical?.text, min: 0 };
}

/**
 * One perfdata/finding label per row: the application_name (or pid<N> when empty), with `_2`,
 * `_3`... for further rows of the same name, in pid order (the query's order).
 */
export function uniqueLabels(rows: ReplicationRow[]): string[] {
  const seen = new Map<string, number>();
  return rows.map((r) => {
    const base = r.applicationName || `pid${r.pid}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}_${n}`;
  });
}

/**
 * Seconds without a reply after which a streaming standby is called silent (PostgreSQL 12+
 * reply_time): half the primary's wal_sender_timeout plus 10 s. The walsender asks for a reply
 * once half of wal_sender_timeout passed without one (walsender.c) and a live standby answers at
 * once; it also replies every wal_receiver_status_interval (10 s). null when disabled (0).
 */
export function silentStandbyLimitS(walSenderTimeoutMs: number | null): number | null {
  return walSenderTimeoutMs && walSenderTimeoutMs > 0 ? Math.round(walSenderTimeoutMs / 2000 + 10) : null;
}

/**
 * The silence thresholds in force: the operator's, or by default critical above half the
 * standby's wal_receiver_timeout plus 10 s. Why: an idle primary sends nothing on its own; the
 * walreceiver asks it for a reply once half of wal_receiver_timeout has passed without a message
 * (PostgreSQL walreceiver.c; measured: silence cycles 0-30 s on an idle pair with the default
 * 60 s), and a live primary answers at once. Longer silence means the primary is gone or cut
 * off, well before the walreceiver's own timeout. No default when the timeout is disabled (0).
 */
export function silenceThresholds(given: Thresholds, walReceiverTimeoutMs: number | null): Thresholds {
  if (given.warning || given.critical || !walReceiverTimeoutMs || walReceiverTimeoutMs <= 0) return given;
  const limit = Math.round(walReceiverTimeoutMs / 2000 + 10);
  return { ...given, critical: parseRange(String(limit), 'seconds') };
}

/** Adds a threshold finding when `value` crosses `t`; returns nothing either way. */
function thresholdFinding(
  findings: Finding[],
  code: FindingCode,
  value: number,
  unit: 'B' | 's',
  t: Thresholds,
  describe: (v: string) => string,
  subject?: string,
): void {
  const sev = thresholdSeverity(t, value);
  if (sev === 'ok') return;
  const range = (sev === 'critical' ? t.critical : t.warning) as Range;
  findings.push({ code, severity: sev, message: `${describe(formatQuantity(value, unit))} (${sev} threshold ${range.text})`, value, unit, threshold: range.text, subject });
}

/** Formats bytes or seconds for messages: `0 B`, `16.0 MiB`, `2.5 s`. */
export function formatQuantity(value: number, unit: 'B' | 's' | ''): string {
  if (unit === 's') return `${value < 10 ? value.toFixed(1) : Math.round(value)} s`;
  if (unit === 'B') {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let v = value;
    let i = 0;
    while (Math.abs(v) >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return i === 0 ? `${v} B` : `${v.toFixed(1)} ${units[i]}`;
  }
  return String(value);
}

/** Where the walreceiver streams from (PostgreSQL 10's conninfo already read by the probe). */
function senderOf(s: StandbyState): { host: string | null; port: number | null } {
  const w = s.walreceiver;
  return w ? { host: w.senderHost, port: w.senderPort } : { host: null, port: null };
}

function judgeStandby(s: StandbyState, policy: CheckPolicy, findings: Finding[], metrics: Metric[], facts: Verdict['facts']): void {
  const w = s.walreceiver;
  const sender = senderOf(s);
  facts.status = w?.status ?? null;
  facts.sender = sender.host === null ? null : `${sender.host}:${sender.port ?? ''}`;
  facts.timeline = s.timeline;
  facts.received_tli = w?.receivedTli ?? null;
  facts.receive_lsn = s.receiveLsn;
  facts.replay_lsn = s.replayLsn;
  facts.replay_paused = s.replayPaused;

  if (!w) {
    findings.push({ code: 'walreceiver_missing', severity: 'critical', message: 'no walreceiver: the standby is not connected to a primary (replication streaming is not found)', value: null });
  } else if (w.status === null) {
    findings.push({ code: 'insufficient_privilege', severity: 'unknown', message: 'pg_stat_wal_receiver details are hidden from this user (grant pg_monitor)' });
  } else if (w.status !== 'streaming') {
    findings.push({ code: 'walreceiver_not_streaming', severity: 'critical', message: `walreceiver is not streaming (status ${w.status})`, value: w.status });
  }

  if (w && w.status !== null) {
    const exp = policy.expectedPrimary;
    const hostBad = exp.host !== undefined && sender.host !== exp.host;
    const portBad = exp.port !== undefined && sender.port !== exp.port;
    if (hostBad || portBad) {
      const want = `${exp.host ?? '*'}:${exp.port ?? '*'}`;
      findings.push({ code: 'sender_mismatch', severity: 'critical', message: `streaming from ${facts.sender ?? 'an unknown sender'}, expected ${want}`, value: facts.sender });
    }
    // Receiving an older timeline than the standby's own means the histories diverged. A newer
    // received timeline is the normal "follow the promoted primary" case (recovery_target_timeline
    // = latest) until the next restartpoint records it, so it is not a finding.
    if (w.receivedTli !== null && s.timeline !== null && w.receivedTli < s.timeline) {
      findings.push({
        code: 'timeline_mismatch',
        severity: 'critical',
        message: `standby is on timeline ${s.timeline} but receives timeline ${w.receivedTli}: histories diverged, rebuild needed`,
        value: w.receivedTli,
      });
    }
    if (w.lastMsgAgeS !== null) {
      const silence = silenceThresholds(policy.thresholds.silenceSeconds, s.walReceiverTimeoutMs);
      metrics.push(metric('silence_seconds', round3(w.lastMsgAgeS), 's', silence));
      thresholdFinding(findings, 'primary_silence', w.lastMsgAgeS, 's', silence, (v) => `no message from the primary for ${v}`);
    }
    const probe = s.senderProbe;
    if (probe && probe.result !== 'answered' && w.status === 'streaming') {
      const how = probe.result === 'refused' ? 'refuses connections (no PostgreSQL listening: its postmaster is down)' : probe.result === 'unreachable' ? `cannot be reached (${probe.detail})` : `does not answer (${probe.detail})`;
      const wrt = s.walReceiverTimeoutMs ? `${round3(s.walReceiverTimeoutMs / 1000)} s` : 'never (disabled)';
      findings.push({
        code: 'primary_unreachable',
        severity: 'critical',
        message: `the walreceiver still says streaming, but the primary ${probe.target} has sent nothing for ${formatQuantity(w.lastMsgAgeS ?? 0, 's')} and ${how}: it may have lost power or be cut off (the walreceiver itself gives up only at wal_receiver_timeout, ${wrt})`,
        value: probe.result,
      });
    }
  }

  if (s.replayPaused && policy.replayPausedSeverity !== 'ok') {
    findings.push({ code: 'replay_paused', severity: policy.replayPausedSeverity, message: 'WAL replay is paused (pg_wal_replay_pause)', value: true });
  }
  // receive − replay is negative when replay is ahead of what this walreceiver received: WAL
  // restored from the archive, or the received position restarted at a segment start after a
  // walreceiver restart. Nothing received is waiting for replay then: the lag is 0, never negative.
  const lagBytes = s.replayLagBytes === null ? null : Math.max(0, s.replayLagBytes);
  if (s.replayLagBytes !== null && s.replayLagBytes < 0) facts.receive_behind_replay = true;
  if (lagBytes !== null) {
    metrics.push(metric('replay_lag_bytes', lagBytes, 'B', policy.thresholds.lagBytes));
    thresholdFinding(findings, 'replay_lag_bytes', lagBytes, 'B', policy.thresholds.lagBytes, (v) => `replay lag ${v}`);
  }
  // Seconds of lag only while something received is not yet replayed: an idle primary sends
  // no transactions, and the age of the last replayed one is not lag.
  const lagS = lagBytes === 0 ? 0 : s.lastReplayAgeS;
  if (lagS !== null) {
    const v = Math.max(0, round3(lagS));
    metrics.push(metric('replay_lag_seconds', v, 's', policy.thresholds.lagSeconds));
    thresholdFinding(findings, 'replay_lag_seconds', v, 's', policy.thresholds.lagSeconds, (x) => `replay lag ${x}`);
  }
}

function judgePrimary(rows: ReplicationRow[], policy: CheckPolicy, findings: Finding[], metrics: Metric[], facts: Verdict['facts'], walSenderTimeoutMs: number | null = null): void {
  const streaming = rows.filter((r) => r.state === 'streaming');
  facts.standbys = rows.map((r) => `${r.applicationName}:${r.state ?? '?'}:${r.syncState ?? '?'}`).join(',');
  facts.streaming = streaming.length;
  const countT = policy.thresholds.standbys ?? {};
  metrics.push({ label: 'standbys', value: streaming.length, unit: '', warning: countT.warning?.text, critical: countT.critical?.text ?? `${policy.minStandbys}:`, min: 0 });

  if (rows.some((r) => r.pid !== null && r.state === null)) {
    findings.push({ code: 'insufficient_privilege', severity: 'unknown', message: 'pg_stat_replication details are hidden from this user (grant pg_monitor)' });
    return;
  }
  for (const name of policy.applicationNames) {
    const mine = rows.filter((r) => r.applicationName === name);
    if (mine.length === 0) {
      findings.push({ code: 'standby_missing', severity: 'critical', message: `standby "${name}" is not connected (no pg_stat_replication row)`, subject: name });
      continue;
    }
    // Every row is judged: one streaming connection must not hide another one that is not.
    for (const r of mine) {
      const who = mine.length > 1 ? `standby "${name}" (pid ${r.pid}${r.clientAddr ? `, ${r.clientAddr}` : ''})` : `standby "${name}"`;
      if (r.state === 'catchup') {
        const lag = r.replayLagBytes !== null ? ` (replay lag ${formatQuantity(Math.max(0, r.replayLagBytes), 'B')})` : '';
        findings.push({ code: 'standby_catching_up', severity: 'warning', message: `${who} is catching up, not streaming yet${lag}`, subject: name, value: r.replayLagBytes, unit: 'B' });
      } else if (r.state !== 'streaming') {
        findings.push({ code: 'standby_not_streaming', severity: 'critical', message: `${who} is ${r.state}, not streaming`, subject: name, value: r.state });
      } else if (policy.syncState && r.syncState !== policy.syncState) {
        findings.push({ code: 'sync_state_mismatch', severity: 'critical', message: `${who} has sync_state ${r.syncState}, expected ${policy.syncState}`, subject: name, value: r.syncState });
      }
    }
  }
  if (policy.applicationNames.length === 0 && policy.syncState) {
    for (const r of streaming) {
      if (r.syncState !== policy.syncState) {
        findings.push({ code: 'sync_state_mismatch', severity: 'critical', message: `standby "${r.applicationName}" has sync_state ${r.syncState}, expected ${policy.syncState}`, subject: r.applicationName, value: r.syncState });
      }
    }
  }
  // A standby catching up is connected and progressing: it counts toward --min-standbys (its own
  // finding is a warning), so that catching up is not reported as missing.
  const present = rows.filter((r) => r.state === 'streaming' || r.state === 'catchup');
  if (present.length < policy.minStandbys) {
    findings.push({
      code: 'too_few_standbys',
      severity: 'critical',
      message: `${present.length} streaming standby${present.length === 1 ? '' : 's'}, at least ${policy.minStandbys} expected (replication streaming is not found)`,
      value: present.length,
      unit: '',
      threshold: `${policy.minStandbys}:`,
    });
  } else {
    const sev = thresholdSeverity(countT, streaming.length);
    if (sev !== 'ok') {
      const range = (sev === 'critical' ? countT.critical : countT.warning) as Range;
      findings.push({ code: 'too_few_standbys', severity: sev, message: `${streaming.length} streaming standby${streaming.length === 1 ? '' : 's'} (${sev} threshold ${range.text})`, value: streaming.length, unit: '', threshold: range.text });
    }
  }
  const judged = policy.applicationNames.length ? rows.filter((r) => policy.applicationNames.includes(r.applicationName)) : rows;
  const silentAfter = silentStandbyLimitS(walSenderTimeoutMs);
  const labels = uniqueLabels(judged);
  for (const [i, r] of judged.entries()) {
    const name = labels[i];
    if (silentAfter !== null && r.state === 'streaming' && r.replyAgeS !== null && r.replyAgeS > silentAfter) {
      findings.push({
        code: 'standby_silent',
        severity: 'critical',
        message: `standby "${name}"${r.clientAddr ? ` (${r.clientAddr})` : ''} still shows as streaming but has not replied for ${formatQuantity(r.replyAgeS, 's')} (a live standby answers within half of wal_sender_timeout, ${round3((walSenderTimeoutMs ?? 0) / 2000)} s): it may have lost power or be cut off; the walsender gives up only at wal_sender_timeout`,
        subject: name,
        value: round3(r.replyAgeS),
        unit: 's',
        threshold: String(silentAfter),
      });
    }
    if (r.replayLagBytes !== null) {
      metrics.push(metric(`${name}_replay_lag_bytes`, r.replayLagBytes, 'B', policy.thresholds.lagBytes));
      thresholdFinding(findings, 'standby_lag_bytes', r.replayLagBytes, 'B', policy.thresholds.lagBytes, (v) => `standby "${name}" replay lag ${v}`, name);
    }
    if (r.flushLagBytes !== null) {
      const t = policy.thresholds.flushLagBytes ?? {};
      metrics.push(metric(`${name}_flush_lag_bytes`, r.flushLagBytes, 'B', t));
      thresholdFinding(findings, 'standby_flush_lag_bytes', r.flushLagBytes, 'B', t, (v) => `standby "${name}" flush lag ${v}`, name);
    }
    // replay_lag is NULL on an idle primary once the standby has caught up (docs 28.2.4): 0 s.
    const lagS = r.replayLagS ?? (r.replayLagBytes === 0 ? 0 : null);
    if (lagS !== null) {
      metrics.push(metric(`${name}_replay_lag_seconds`, round3(lagS), 's', policy.thresholds.lagSeconds));
      thresholdFinding(findings, 'standby_lag_seconds', lagS, 's', policy.thresholds.lagSeconds, (v) => `standby "${name}" replay lag ${v}`, name);
    }
  }
}

/** The role to name in lines and alerts: the actual one, else the expected one, else "server". */
export function roleLabel(v: Verdict): string {
  return v.role ?? (v.expectedRole === 'auto' ? 'server' : v.expectedRole);
}

/**
 * Replication slots (PostgreSQL docs 27.2.6, pg_replication_slots.wal_status, 13+): `lost` means
 * WAL its standby needs is gone, so that standby can never catch up by streaming: critical, with
 * the remedy; `unreserved` means it will be lost at the next checkpoint: warning.
 */
function judgeSlots(slots: Array<{ name: string; walStatus: string | null }>, findings: Finding[]): void {
  for (const s of slots) {
    if (s.walStatus === 'lost') {
      findings.push({ code: 'slot_lost', severity: 'critical', message: `replication slot "${s.name}" has lost WAL its standby needs: that standby can never catch up, rebuild it (pgsr rebuild --from this primary) after recreating the slot`, subject: s.name, value: 'lost' });
    } else if (s.walStatus === 'unreserved') {
      findings.push({ code: 'slot_unreserved', severity: 'warning', message: `replication slot "${s.name}" no longer reserves the WAL its standby needs (lost at the next checkpoint)`, subject: s.name, value: 'unreserved' });
    }
  }
}

function healthySummary(role: PgRole | null, facts: Verdict['facts']): string {
  if (role === 'standby') return `streaming from ${facts.sender ?? '?'} on timeline ${facts.received_tli ?? '?'}`;
  if (role === 'primary') return `${facts.streaming} standby${facts.streaming === 1 ? '' : 's'} streaming (${facts.standbys || 'none'})`;
  return 'ok';
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
