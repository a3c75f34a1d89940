/**
 * Pure decisions of the lifecycle commands: from observed facts to "already done", a refusal
 * with reasons, or the steps to run. No I/O here; the action modules (start.ts, promote.ts, ...) carry the steps out.
 * Reasons, not booleans (Patroni's failover_limitation() habit).
 */
import type { LocalFacts } from '../probe/local';
import type { PgRole } from '../types';

/** The action result types live in src/types.ts (dialect/ renders them without importing lifecycle/). */
export type { ActionResult, Outcome, StepReport } from '../types';
import type { ActionResult } from '../types';
import { roleWord, t } from '../i18n';

/**
 * How the other node answered before this one starts as primary (`--peer-conninfo`): `none` when
 * no peer is configured, `refused` when its host refused the connection (no PostgreSQL there),
 * `unknown` when it could not be asked (timeout, no route, authentication...).
 */
export interface PeerAnswer {
  where: string;
  answer: 'primary' | 'standby' | 'refused' | 'unknown' | 'none';
  detail?: string;
}

/** What a peer's answer means for starting as primary: a refusal, a warning, or a note for the log line. */
export function peerVerdict(p: PeerAnswer): { refuse?: string; warn?: string; note: string } {
  switch (p.answer) {
    case 'primary':
      return { refuse: t('peer.primary_refuse', { where: p.where }), note: t('peer.primary_note', { where: p.where }) };
    case 'standby':
      return { note: t('peer.standby_note', { where: p.where }) };
    case 'refused':
      return { note: t('peer.refused_note', { where: p.where }) };
    case 'unknown':
      return {
        warn: t('peer.unknown_warn', { where: p.where, detail: p.detail ?? t('word.no_answer') }),
        note: t('peer.unknown_note', { where: p.where }),
      };
    default:
      return { note: t('peer.none_note') };
  }
}

/** What `pgsr start` will do. */
export type StartDecision =
  | { kind: 'already'; why: string }
  | { kind: 'refuse'; reasons: string[] }
  /** `removeLock`: the step that removes the primary lock, when the start overrides it (its display text). */
  | { kind: 'start'; steps: string[]; removeLock?: string };

/**
 * Decides `pgsr start --as ROLE`.
 * @param runningRole the role the running server answered with (null when stopped or unreachable).
 * @param lockOverride reason the lock may be ignored (CLUSTERPRO exec start when the peer is not a primary), else undefined.
 * @param peer how `--peer-conninfo` answered (start as primary probes it on every start, lock or not).
 */
export function decideStart(
  f: LocalFacts,
  wanted: PgRole,
  runningRole: PgRole | null,
  hasPrimaryConninfo: boolean,
  lockOverride?: string,
  allowNoUpstream = false,
  peer?: PeerAnswer,
): StartDecision {
  const reasons: string[] = [];
  if (!f.initialized) return { kind: 'refuse', reasons: [t('start.not_data_dir', { pgdata: f.pgdata })] };
  const peerRefusal = wanted === 'primary' && f.state !== 'running' && peer ? peerVerdict(peer).refuse : undefined;
  if (peerRefusal) return { kind: 'refuse', reasons: [peerRefusal] };
  if (f.state === 'running') {
    if (runningRole === wanted) return { kind: 'already', why: t('start.already', { role: roleWord(wanted) }) };
    if (runningRole === null) return { kind: 'refuse', reasons: [t('start.no_sql')] };
    return {
      kind: 'refuse',
      reasons: [wanted === 'standby' ? t('start.running_primary') : t('start.running_standby')],
    };
  }
  if (f.zombiePostmaster && f.pidFile) {
    return {
      kind: 'refuse',
      reasons: [t('start.zombie', { pid: f.pidFile.pid })],
    };
  }
  // A lock inside a base backup not yet started was copied from the source primary: not ours.
  if (f.lock && f.backupLabel && !lockOverride) lockOverride = t('start.lock_copied');
  if (f.lock && !lockOverride) {
    reasons.push(t('start.locked', { how: f.lock.how, since: f.lock.since }));
  }
  if (wanted === 'standby' && !hasPrimaryConninfo && !allowNoUpstream && !f.standbySignal && !f.recoveryConf) {
    reasons.push(t('start.no_upstream'));
  }
  if (reasons.length) return { kind: 'refuse', reasons };
  const steps: string[] = [];
  const removeLock = f.lock && lockOverride ? `remove the primary lock: ${lockOverride}` : undefined;
  if (removeLock) steps.push(removeLock);
  if (wanted === 'standby')
    steps.push(f.major !== null && f.major >= 12 ? 'write standby.signal and primary_conninfo' : 'write recovery.conf');
  else if (f.standbySignal || f.recoveryConf)
    steps.push(f.major !== null && f.major >= 12 ? 'remove standby.signal' : 'move recovery.conf to recovery.done');
  steps.push('pg_ctl start -w');
  steps.push(`check the role is ${wanted}`);
  if (wanted === 'primary') steps.push('create the primary lock');
  return { kind: 'start', steps, removeLock };
}

/** What promote knows about the old primary before deciding (for the decision and the refusal text). */
export interface PromoteEvidence {
  /** This standby's walreceiver; status null = no walreceiver. */
  walreceiver: { status: string | null; sender: string | null; lastMsgAgeS: number | null };
  /** The sender's answer to a liveness probe (probe/liveness.ts), when the walreceiver streams. */
  senderProbe?: { result: string; detail: string };
  /** Each old-primary candidate asked (--primary-conninfo, --peer-conninfo, primary_conninfo). */
  candidates: Array<{ where: string; answer: 'primary' | 'standby' | 'refused' | 'unknown'; detail?: string }>;
}

/** One line of what is known, appended to every refusal so the operator can judge `--force`. */
export function describeEvidence(e: PromoteEvidence): string {
  const w = e.walreceiver;
  const parts = [
    w.status === null
      ? t('evidence.walreceiver_none')
      : t('evidence.walreceiver', {
          status: w.status,
          from: w.sender ? t('evidence.from', { sender: w.sender }) : '',
          last: w.lastMsgAgeS !== null ? t('evidence.last', { seconds: Math.round(w.lastMsgAgeS) }) : '',
          probe: e.senderProbe ? t('evidence.probe', { result: e.senderProbe.result }) : '',
        }),
  ];
  if (e.candidates.length)
    parts.push(
      t('evidence.asked', {
        list: e.candidates
          .map((c) => `${c.where} ${c.answer}${c.answer === 'unknown' && c.detail ? ` (${c.detail})` : ''}`)
          .join(', '),
      }),
    );
  return t('evidence.known', { parts: parts.join(t('word.findings_separator')) });
}

/**
 * Reasons not to promote (empty = go). `force` skips the old-primary checks (the operator takes
 * the responsibility); `clusterReleased` (Pacemaker demoted, stopped or fenced the old primary:
 * agents/ocf-promote.ts) skips only the walreceiver check. Only positive evidence clears an
 * old-primary candidate: it answers as a standby, or its host refuses the connection; silence or
 * a timeout is what a network partition looks like.
 */
export function promoteBlockers(
  f: LocalFacts,
  runningRole: PgRole | null,
  e: PromoteEvidence,
  opts: { force: boolean; clusterReleased?: boolean },
): string[] {
  const reasons: string[] = [];
  if (f.state !== 'running') reasons.push(t('promote.not_running'));
  else if (runningRole === null) reasons.push(t('promote.no_sql'));
  if (!opts.force) {
    if (e.walreceiver.status === 'streaming' && !opts.clusterReleased) {
      const silent = e.senderProbe && e.senderProbe.result !== 'answered';
      reasons.push(
        silent
          ? t('promote.sender_silent', {
              from: e.walreceiver.sender ? t('evidence.from', { sender: e.walreceiver.sender }) : '',
              detail: String(e.senderProbe?.detail),
            })
          : t('promote.sender_alive', {
              from: e.walreceiver.sender ? t('evidence.from', { sender: e.walreceiver.sender }) : '',
            }),
      );
    }
    for (const c of e.candidates) {
      if (c.answer === 'primary') reasons.push(t('promote.candidate_primary', { where: c.where }));
      if (c.answer === 'unknown')
        reasons.push(t('promote.candidate_unknown', { where: c.where, detail: c.detail ?? t('word.no_answer') }));
    }
  }
  return reasons;
}

/** Order of the rebuild methods to try. pg_rewind needs the bin dir's pg_rewind (same major). */
export function rebuildMethods(
  method: 'auto' | 'rewind' | 'basebackup',
  hasRewind: boolean,
  hasOldData: boolean,
): Array<'rewind' | 'basebackup'> {
  if (method === 'basebackup') return ['basebackup'];
  if (method === 'rewind') return ['rewind'];
  return hasRewind && hasOldData ? ['rewind', 'basebackup'] : ['basebackup'];
}

/**
 * Reasons a switchover must not begin (empty = go): it needs a running primary and a running
 * standby that streams (a planned swap of a healthy pair).
 */
export function switchoverBlockers(
  primaryDir: string,
  standbyDir: string,
  primaryRole: PgRole | null,
  standbyRole: PgRole | null,
  standbyStreaming: boolean,
): string[] {
  const reasons: string[] = [];
  if (primaryRole !== 'primary') reasons.push(t('switchover.not_primary', { dir: primaryDir }));
  if (standbyRole !== 'standby') reasons.push(t('switchover.not_standby', { dir: standbyDir }));
  else if (!standbyStreaming) reasons.push(t('switchover.not_streaming'));
  return reasons;
}

/**
 * What a switchover does when the promote failed after the old primary's clean stop: roll back
 * (start the old primary again as primary) only when the promotion certainly did not start (not
 * signalled, and the standby still answers as a standby); otherwise report and leave both as
 * they are, since a signalled promotion that is merely slow would give two primaries.
 * `signalled`: pg_promote() returned true, or a `pg_ctl promote` ran (it may have written the
 * promote file even when it failed).
 */
export function afterFailedPromote(signalled: boolean, standbyRole: PgRole | null): 'roll back' | 'report' {
  return !signalled && standbyRole === 'standby' ? 'roll back' : 'report';
}

/**
 * Whether a promote signalled the promotion (see afterFailedPromote): its fact
 * `promote_signalled`, set by promote when pg_promote() returned true or a `pg_ctl promote` ran.
 */
export function promoteSignalled(facts: ActionResult['facts']): boolean {
  return facts.promote_signalled === true;
}
