/**
 * The primary's rules: each expected standby streaming with the expected sync_state (PostgreSQL
 * docs pg_stat_replication; the CLUSTERPRO genw_watchprimary setup), every row judged, catching up, silence (reply_time),
 * lag per standby, replication slots' wal_status. Pure.
 */
import type { ReplicationRow } from '../observation';
import { thresholdSeverity, type Range } from '../range';
import type { CheckPolicy, Finding, Metric, Verdict } from './check';
import { formatQuantity, metric, round3, thresholdFinding } from './findings';
import { t } from '../i18n';

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

/** The primary's rules (pg_stat_replication, physical standbys only); appends to findings, metrics, facts. */
export function judgePrimary(
  rows: ReplicationRow[],
  policy: CheckPolicy,
  findings: Finding[],
  metrics: Metric[],
  facts: Verdict['facts'],
  walSenderTimeoutMs: number | null = null,
): void {
  const streaming = rows.filter((r) => r.state === 'streaming');
  facts.standbys = rows.map((r) => `${r.applicationName}:${r.state ?? '?'}:${r.syncState ?? '?'}`).join(',');
  facts.streaming = streaming.length;
  const countT = policy.thresholds.standbys ?? {};
  metrics.push({
    label: 'standbys',
    value: streaming.length,
    unit: '',
    warning: countT.warning?.text,
    critical: countT.critical?.text ?? `${policy.minStandbys}:`,
    min: 0,
  });

  if (rows.some((r) => r.pid !== null && r.state === null)) {
    findings.push({ code: 'insufficient_privilege', severity: 'unknown', message: t('finding.replication_hidden') });
    return;
  }
  for (const name of policy.applicationNames) {
    const mine = rows.filter((r) => r.applicationName === name);
    if (mine.length === 0) {
      findings.push({
        code: 'standby_missing',
        severity: 'critical',
        message: t('finding.standby_missing', { name }),
        subject: name,
      });
      continue;
    }
    // Every row is judged: one streaming connection must not hide another one that is not.
    for (const r of mine) {
      const who =
        mine.length > 1
          ? r.clientAddr
            ? t('who.standby_pid_addr', { name, pid: String(r.pid), addr: r.clientAddr })
            : t('who.standby_pid', { name, pid: String(r.pid) })
          : t('who.standby', { name });
      if (r.state === 'catchup') {
        const message =
          r.replayLagBytes !== null
            ? t('finding.standby_catching_up_lag', {
                who,
                quantity: formatQuantity(Math.max(0, r.replayLagBytes), 'B'),
              })
            : t('finding.standby_catching_up', { who });
        findings.push({
          code: 'standby_catching_up',
          severity: 'warning',
          message,
          subject: name,
          value: r.replayLagBytes,
          unit: 'B',
        });
      } else if (r.state !== 'streaming') {
        findings.push({
          code: 'standby_not_streaming',
          severity: 'critical',
          message: t('finding.standby_not_streaming', { who, state: String(r.state) }),
          subject: name,
          value: r.state,
        });
      } else if (policy.syncState && r.syncState !== policy.syncState) {
        findings.push({
          code: 'sync_state_mismatch',
          severity: 'critical',
          message: t('finding.sync_state_mismatch', { who, actual: String(r.syncState), expected: policy.syncState }),
          subject: name,
          value: r.syncState,
        });
      }
    }
  }
  if (policy.applicationNames.length === 0 && policy.syncState) {
    for (const r of streaming) {
      if (r.syncState !== policy.syncState) {
        findings.push({
          code: 'sync_state_mismatch',
          severity: 'critical',
          message: t('finding.sync_state_mismatch', {
            who: t('who.standby', { name: r.applicationName }),
            actual: String(r.syncState),
            expected: policy.syncState,
          }),
          subject: r.applicationName,
          value: r.syncState,
        });
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
      message: t(present.length === 1 ? 'finding.too_few_standbys_one' : 'finding.too_few_standbys_other', {
        count: present.length,
        min: policy.minStandbys,
      }),
      value: present.length,
      unit: '',
      threshold: `${policy.minStandbys}:`,
    });
  } else {
    const sev = thresholdSeverity(countT, streaming.length);
    if (sev !== 'ok') {
      const range = (sev === 'critical' ? countT.critical : countT.warning) as Range;
      findings.push({
        code: 'too_few_standbys',
        severity: sev,
        message: t('threshold.crossed', {
          what: t(streaming.length === 1 ? 'finding.standbys_count_one' : 'finding.standbys_count_other', {
            count: streaming.length,
          }),
          severity: sev,
          range: range.text,
        }),
        value: streaming.length,
        unit: '',
        threshold: range.text,
      });
    }
  }
  // Perfdata covers every connected physical standby (as check_pgactivity's streaming_delta);
  // with --application-name the findings judge only the named ones.
  const judged = (r: ReplicationRow) =>
    policy.applicationNames.length === 0 || policy.applicationNames.includes(r.applicationName);
  const silentAfter = silentStandbyLimitS(walSenderTimeoutMs);
  const labels = uniqueLabels(rows);
  for (const [i, r] of rows.entries()) {
    const name = labels[i];
    const mine: Finding[] = [];
    judgeStandbyRow(r, name, policy, silentAfter, walSenderTimeoutMs, mine, metrics);
    if (judged(r)) findings.push(...mine);
  }
}

/** One standby row's perfdata and threshold findings (silence, replay and flush lag). */
function judgeStandbyRow(
  r: ReplicationRow,
  name: string,
  policy: CheckPolicy,
  silentAfter: number | null,
  walSenderTimeoutMs: number | null,
  findings: Finding[],
  metrics: Metric[],
): void {
  if (silentAfter !== null && r.state === 'streaming' && r.replyAgeS !== null && r.replyAgeS > silentAfter) {
    findings.push({
      code: 'standby_silent',
      severity: 'critical',
      message: t('finding.standby_silent', {
        name,
        addr: r.clientAddr ? t('finding.addr', { addr: r.clientAddr }) : '',
        quantity: formatQuantity(r.replyAgeS, 's'),
        half: round3((walSenderTimeoutMs ?? 0) / 2000),
      }),
      subject: name,
      value: round3(r.replyAgeS),
      unit: 's',
      threshold: String(silentAfter),
    });
  }
  if (r.replayLagBytes !== null) {
    metrics.push(metric(`${name}_replay_lag_bytes`, r.replayLagBytes, 'B', policy.thresholds.lagBytes));
    thresholdFinding(
      findings,
      'standby_lag_bytes',
      r.replayLagBytes,
      'B',
      policy.thresholds.lagBytes,
      (v) => t('finding.standby_replay_lag', { name, quantity: v }),
      name,
    );
  }
  if (r.flushLagBytes !== null) {
    const th = policy.thresholds.flushLagBytes ?? {};
    metrics.push(metric(`${name}_flush_lag_bytes`, r.flushLagBytes, 'B', th));
    thresholdFinding(
      findings,
      'standby_flush_lag_bytes',
      r.flushLagBytes,
      'B',
      th,
      (v) => t('finding.standby_flush_lag', { name, quantity: v }),
      name,
    );
  }
  // replay_lag is NULL on an idle primary once the standby has caught up (docs 28.2.4): 0 s.
  const lagS = r.replayLagS ?? (r.replayLagBytes === 0 ? 0 : null);
  if (lagS !== null) {
    metrics.push(metric(`${name}_replay_lag_seconds`, round3(lagS), 's', policy.thresholds.lagSeconds));
    thresholdFinding(
      findings,
      'standby_lag_seconds',
      lagS,
      's',
      policy.thresholds.lagSeconds,
      (v) => t('finding.standby_replay_lag', { name, quantity: v }),
      name,
    );
  }
}

/**
 * Replication slots (PostgreSQL docs 27.2.6, pg_replication_slots.wal_status, 13+): `lost` means
 * WAL its standby needs is gone, so that standby can never catch up by streaming: critical, with
 * the remedy; `unreserved` means it will be lost at the next checkpoint: warning.
 */
export function judgeSlots(slots: Array<{ name: string; walStatus: string | null }>, findings: Finding[]): void {
  for (const s of slots) {
    if (s.walStatus === 'lost') {
      findings.push({
        code: 'slot_lost',
        severity: 'critical',
        message: t('finding.slot_lost', { name: s.name }),
        subject: s.name,
        value: 'lost',
      });
    } else if (s.walStatus === 'unreserved') {
      findings.push({
        code: 'slot_unreserved',
        severity: 'warning',
        message: t('finding.slot_unreserved', { name: s.name }),
        subject: s.name,
        value: 'unreserved',
      });
    }
  }
}
