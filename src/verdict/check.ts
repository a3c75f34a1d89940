/**
 * The replication verdict: pure function from an Observation and the operator's expectations
 * to a Verdict (severity + findings + metrics). No I/O, no formatting for any host: dialect/
 * renders the same Verdict for CLUSTERPRO, Nagios, Pacemaker, JSON and humans.
 *
 * Rules and their sources:
 * - Standby: `pg_stat_wal_receiver.status` must be `streaming` (PostgreSQL docs 28.2.6, as
 *   CLUSTERPRO genw scripts check it); the sender must be the expected primary (sender_host = the floating IP).
 * - Primary: each expected standby has a `pg_stat_replication` row in state `streaming` with the
 *   expected `sync_state` (PostgreSQL docs 28.2.4).
 * - Lag: bytes from LSN differences, seconds from replay timestamps; idle primaries do not count
 *   as lag (replay lag is 0 when everything received is replayed: the check_pgactivity and
 *   Patroni convention).
 */
import type { Observation, ProbeFailure } from '../observation';
import {
  SEVERITY_RANK,
  type Endpoint,
  type ExpectedRole,
  type FreeLimit,
  type PgRole,
  type Severity,
  type SyncSettings,
  type SyncState,
} from '../types';
import type { Thresholds } from '../range';
import { formatQuantity } from './findings';
import { roleWord, t } from '../i18n';
import { judgeArchiver, judgeSlotRetention, judgeWalVolume } from './archive';
import { judgePrimary, judgeSlots, silentStandbyLimitS, uniqueLabels } from './primary';
import { judgeStandby, silenceThresholds } from './standby';
import { judgeSync } from './sync';

export { formatQuantity, silenceThresholds, silentStandbyLimitS, uniqueLabels };

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
  | 'slot_unreserved'
  | 'slot_retained_wal'
  | 'archive_failing'
  | 'archive_backlog'
  | 'wal_disk_space'
  | 'sync_standby_missing'
  | 'sync_commits_waiting'
  | 'sync_degraded'
  | 'pgpool_primary_mismatch'
  | 'pgpool_two_primaries'
  | 'pgpool_standby_detached'
  | 'pgpool_backend_down'
  | 'pgpool_backend_unreachable'
  | 'pgpool_no_standby';

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
  slot_retained_wal: 'replication',
  archive_failing: 'replication',
  archive_backlog: 'replication',
  wal_disk_space: 'replication',
  sync_standby_missing: 'replication',
  sync_commits_waiting: 'replication',
  sync_degraded: 'replication',
  pgpool_primary_mismatch: 'role',
  pgpool_two_primaries: 'role',
  pgpool_standby_detached: 'replication',
  pgpool_backend_down: 'replication',
  pgpool_backend_unreachable: 'connection',
  pgpool_no_standby: 'replication',
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
   * How a cluster manager should treat a failure: `soft` may pass by itself or by a restart in
   * place (a refused or slow connection, too many clients); `hard` will not (authentication or
   * pg_hba rejection, missing privileges, an unsupported server, a configuration finding): the
   * OCF monitor answers a hard error so that the resource is not restarted here forever.
   */
  hardness: 'soft' | 'hard';
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
  /** The observation's time, ms (to 0.1 ms). */
  durationMs: number;
}

/** What the operator expects; built from CheckConfig by the command layer. */
export interface CheckPolicy {
  expectedRole: ExpectedRole;
  expectedPrimary: { host?: string; port?: number };
  applicationNames: string[];
  syncState?: SyncState;
  minStandbys: number;
  thresholds: {
    lagBytes: Thresholds;
    lagSeconds: Thresholds;
    silenceSeconds: Thresholds;
    flushLagBytes?: Thresholds;
    standbys?: Thresholds;
    archiveReady?: Thresholds;
    slotRetainedBytes?: Thresholds;
  };
  /** Seconds without a successful archive while archive_command fails, after which archive_failing is critical; absent: never critical. */
  archiveFailingCriticalS?: number;
  /** Free-space limits of pg_wal's filesystem; absent: 20 % / 10 %. */
  walFree?: { warning: FreeLimit; critical: FreeLimit };
  /** `ok` ignores a paused replay (check_pgactivity is_replay_paused: only the lag thresholds alert). */
  replayPausedSeverity: 'ok' | 'warning' | 'critical';
  /** Synchronous replication wanted (`--rep-mode`) and the commit wait limit; absent = async, 10 s. */
  sync?: SyncSettings;
}

/** Probe failures that a restart of the server does not cure (see Verdict.hardness). */
const HARD_FAILURES: ReadonlySet<ProbeFailure['kind']> = new Set(['auth', 'privilege', 'unsupported-version']);

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
        policy.expectedRole === 'standby' ? t('finding.role_expected_standby') : t('finding.role_expected_primary'),
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
    if (others.length)
      facts.other_walsenders = others
        .map(
          (r) =>
            `${r.applicationName || `pid${r.pid}`}:${r.kind}:${r.state ?? '?'}${r.clientAddr ? `@${r.clientAddr}` : ''}`,
        )
        .join(',');
    judgeSlots(obs.primary.slots ?? [], findings);
    judgeSlotRetention(obs.primary.slots ?? [], policy.thresholds.slotRetainedBytes ?? {}, findings, metrics);
    if (obs.primary.archiver)
      judgeArchiver(
        obs.primary.archiver,
        policy.thresholds.archiveReady ?? {},
        policy.archiveFailingCriticalS,
        findings,
        metrics,
        facts,
      );
    if (obs.primary.sync) judgeSync(obs.primary.sync, obs.primary.standbys, policy.sync, findings, metrics, facts);
  }

  if (obs.ok)
    judgeWalVolume(
      obs.walVolume,
      obs.server.walBytes,
      policy.walFree ?? { warning: { percent: 20 }, critical: { percent: 10 } },
      findings,
      metrics,
      facts,
    );
  findings.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  const severity = findings.reduce<Severity>(
    (worst, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst] ? f.severity : worst),
    'ok',
  );
  const problems = findings.filter((f) => f.severity !== 'ok');
  return {
    severity,
    hardness:
      (!obs.ok && HARD_FAILURES.has(obs.failure.kind)) || problems.some((f) => FINDING_CLASS[f.code] === 'config')
        ? 'hard'
        : 'soft',
    target: obs.target,
    role,
    expectedRole: policy.expectedRole,
    summary: problems.length
      ? problems.map((f) => f.message).join(t('word.findings_separator'))
      : healthySummary(role, facts),
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
      return {
        code: 'insufficient_privilege',
        severity: 'unknown',
        message: t('finding.permission_denied', { where, detail: f.detail }),
      };
    case 'sql':
    case 'protocol':
      if (f.phase === 'query')
        return {
          code: 'query_failed',
          severity: 'unknown',
          message: t('finding.query_failed', { where, detail: f.detail }),
        };
      break;
    default:
      break;
  }
  // Cannot connect (refused, timeout, auth, not accepting connections): critical, like the
  // monitoring-plugins rule "a refused connection is CRITICAL" and the psql failure branch of a genw script.
  const message = t(f.phase === 'connect' ? 'finding.cannot_connect' : 'finding.connection_lost', {
    where,
    detail: f.detail,
  });
  return {
    code: f.phase === 'connect' ? 'cannot_connect' : 'query_failed',
    severity: 'critical',
    message,
    value: f.kind,
  };
}

function addPrimaryFacts(currentLsn: string | null, timeline: number | null, facts: Verdict['facts']): void {
  facts.current_lsn = currentLsn;
  facts.timeline = timeline;
}

/**
 * The role to name in lines and alerts: the actual one, else the expected one, else "server",
 * in the message language (プライマリ / スタンバイ / サーバ in Japanese).
 */
export function roleLabel(v: Verdict): string {
  return roleWord(v.role ?? (v.expectedRole === 'auto' ? 'server' : v.expectedRole));
}

function healthySummary(role: PgRole | null, facts: Verdict['facts']): string {
  if (role === 'standby')
    return t('healthy.standby', { sender: String(facts.sender ?? '?'), timeline: String(facts.received_tli ?? '?') });
  if (role === 'primary')
    return t(facts.streaming === 1 ? 'healthy.primary_one' : 'healthy.primary_other', {
      count: String(facts.streaming),
      standbys: String(facts.standbys || t('word.none')),
    });
  return t('word.ok');
}
