/**
 * The standby's rules: walreceiver status and sender (the CLUSTERPRO genw monitor scripts this replaces; PostgreSQL docs
 * pg_stat_wal_receiver), timelines, replay pause and lag, the primary's silence and the sender
 * probe (a power loss sends no FIN). Pure.
 */
import type { StandbyState } from '../observation';
import { parseRange, type Thresholds } from '../range';
import type { CheckPolicy, Finding, Metric, Verdict } from './check';
import { formatQuantity, metric, round3, thresholdFinding } from './findings';
import { t } from '../i18n';

/** Where the walreceiver streams from (PostgreSQL 10's conninfo already read by the probe). */
function senderOf(s: StandbyState): { host: string | null; port: number | null } {
  const w = s.walreceiver;
  return w ? { host: w.senderHost, port: w.senderPort } : { host: null, port: null };
}

/** The standby rules (pg_stat_wal_receiver and the recovery functions); appends to findings, metrics, facts. */
export function judgeStandby(
  s: StandbyState,
  policy: CheckPolicy,
  findings: Finding[],
  metrics: Metric[],
  facts: Verdict['facts'],
): void {
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
    findings.push({
      code: 'walreceiver_missing',
      severity: 'critical',
      message: t('finding.walreceiver_missing'),
      value: null,
    });
  } else if (w.status === null) {
    findings.push({ code: 'insufficient_privilege', severity: 'unknown', message: t('finding.walreceiver_hidden') });
  } else if (w.status !== 'streaming') {
    findings.push({
      code: 'walreceiver_not_streaming',
      severity: 'critical',
      message: t('finding.walreceiver_not_streaming', { status: w.status }),
      value: w.status,
    });
  }

  if (w && w.status !== null) {
    const exp = policy.expectedPrimary;
    const hostBad = exp.host !== undefined && sender.host !== exp.host;
    const portBad = exp.port !== undefined && sender.port !== exp.port;
    if (hostBad || portBad) {
      const want = `${exp.host ?? '*'}:${exp.port ?? '*'}`;
      findings.push({
        code: 'sender_mismatch',
        severity: 'critical',
        message: t('finding.sender_mismatch', { sender: facts.sender ?? t('word.unknown_sender'), expected: want }),
        value: facts.sender,
      });
    }
    // Receiving an older timeline than the standby's own means the histories diverged. A newer
    // received timeline is the normal "follow the promoted primary" case (recovery_target_timeline
    // = latest) until the next restartpoint records it, so it is not a finding.
    if (w.receivedTli !== null && s.timeline !== null && w.receivedTli < s.timeline) {
      findings.push({
        code: 'timeline_mismatch',
        severity: 'critical',
        message: t('finding.timeline_mismatch', { timeline: s.timeline, received: w.receivedTli }),
        value: w.receivedTli,
      });
    }
    if (w.lastMsgAgeS !== null) {
      const silence = silenceThresholds(policy.thresholds.silenceSeconds, s.walReceiverTimeoutMs);
      metrics.push(metric('silence_seconds', round3(w.lastMsgAgeS), 's', silence));
      thresholdFinding(findings, 'primary_silence', w.lastMsgAgeS, 's', silence, (v) =>
        t('finding.primary_silence', { quantity: v }),
      );
    }
    const probe = s.senderProbe;
    // Which checks asked the sender, and what it cost (a kept session asks at most every afterS).
    if (probe) {
      facts.sender_probe = probe.result;
      facts.sender_probe_ms = probe.ms;
    }
    if (probe && probe.result !== 'answered' && w.status === 'streaming') {
      const how =
        probe.result === 'refused'
          ? t('probe.refused')
          : probe.result === 'unreachable'
            ? t('probe.unreachable', { detail: probe.detail })
            : t('probe.no_answer', { detail: probe.detail });
      const wrt = s.walReceiverTimeoutMs ? `${round3(s.walReceiverTimeoutMs / 1000)} s` : t('word.timeout_disabled');
      findings.push({
        code: 'primary_unreachable',
        severity: 'critical',
        message: t('finding.primary_unreachable', {
          target: probe.target,
          quantity: formatQuantity(w.lastMsgAgeS ?? 0, 's'),
          how,
          timeout: wrt,
        }),
        value: probe.result,
      });
    }
  }

  if (s.replayPaused && policy.replayPausedSeverity !== 'ok') {
    findings.push({
      code: 'replay_paused',
      severity: policy.replayPausedSeverity,
      message: t('finding.replay_paused'),
      value: true,
    });
  }
  // receive − replay is negative when replay is ahead of what this walreceiver received: WAL
  // restored from the archive, or the received position restarted at a segment start after a
  // walreceiver restart. Nothing received is waiting for replay then: the lag is 0, never negative.
  const lagBytes = s.replayLagBytes === null ? null : Math.max(0, s.replayLagBytes);
  if (s.replayLagBytes !== null && s.replayLagBytes < 0) facts.receive_behind_replay = true;
  if (lagBytes !== null) {
    metrics.push(metric('replay_lag_bytes', lagBytes, 'B', policy.thresholds.lagBytes));
    thresholdFinding(findings, 'replay_lag_bytes', lagBytes, 'B', policy.thresholds.lagBytes, (v) =>
      t('finding.replay_lag', { quantity: v }),
    );
  }
  // Seconds of lag only while something received is not yet replayed: an idle primary sends
  // no transactions, and the age of the last replayed one is not lag. A kept session also knows
  // when the pending WAL arrived at the latest: nothing pending is older than that, so a
  // checkpoint record behind paused replay on an idle pair does not read as "lag = age of the
  // last commit" (the one-shot check cannot know, and keeps the upper bound).
  const cap = s.pendingAtMostS;
  const lagS =
    lagBytes === 0
      ? 0
      : s.lastReplayAgeS === null
        ? null
        : cap !== undefined
          ? Math.min(s.lastReplayAgeS, cap)
          : s.lastReplayAgeS;
  if (lagBytes !== 0 && cap !== undefined && s.lastReplayAgeS !== null && cap < s.lastReplayAgeS)
    facts.pending_wal_at_most_s = round3(cap);
  if (lagS !== null) {
    const v = Math.max(0, round3(lagS));
    metrics.push(metric('replay_lag_seconds', v, 's', policy.thresholds.lagSeconds));
    thresholdFinding(findings, 'replay_lag_seconds', v, 's', policy.thresholds.lagSeconds, (x) =>
      t('finding.replay_lag', { quantity: x }),
    );
  }
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

/** A standby that cannot follow a newer timeline: that timeline, and where it forked off the standby's (null: not in its history). */
export interface TimelineDivergence {
  tli: number;
  forkLsn: string | null;
  /** The standby's timeline and position compared (`tli/LSN`). */
  own: string;
}

/** `X/Y` to bytes (bigint); null when malformed (the verdict layer reads no probe module). */
const lsnBytes = (lsn: string | null): bigint | null => {
  const m = /^([0-9A-Fa-f]{1,8})\/([0-9A-Fa-f]{1,8})$/.exec(lsn ?? '');
  return m ? (BigInt(`0x${m[1]}`) << 32n) + BigInt(`0x${m[2]}`) : null;
};

/**
 * Whether a standby can follow the newest timeline whose history file it holds (pure).
 * PostgreSQL refuses a timeline that forked off the standby's own before the standby's
 * position ("new timeline N forked off current database system timeline T before current
 * recovery point") or whose history does not contain the standby's timeline ("not a child of
 * this server's history"): the standby has WAL the new primary never had, and only a rebuild
 * (pg_rewind or a base backup) brings it back. The standby's timeline is the newest of
 * pg_control's and of its WAL segments' (a standby that followed a timeline has its segments
 * before its next restartpoint updates pg_control).
 * @param ownTli pg_control's timeline; @param ownLsn the greater of received and replayed LSN.
 * @returns undefined when it can follow (or nothing newer is known).
 */
export function timelineDivergence(
  ownTli: number,
  ownLsn: string,
  wal: { histories: Array<{ tli: number; text: string }>; segmentTlis: Set<number> },
): TimelineDivergence | undefined {
  const tli = Math.max(ownTli, ...wal.segmentTlis);
  const newest = wal.histories.filter((h) => h.tli > tli).sort((a, b) => b.tli - a.tli)[0];
  const own = lsnBytes(ownLsn);
  if (!newest || own === null) return undefined;
  let forkLsn: string | null = null;
  for (const line of newest.text.split('\n')) {
    const m = /^\s*(\d+)\s+([0-9A-Fa-f]{1,8}\/[0-9A-Fa-f]{1,8})/.exec(line);
    if (m && Number(m[1]) === tli) forkLsn = m[2].toUpperCase();
  }
  const fork = lsnBytes(forkLsn);
  if (fork !== null && own <= fork) return undefined;
  return { tli: newest.tli, forkLsn, own: `${tli}/${ownLsn}` };
}
