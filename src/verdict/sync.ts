/**
 * Synchronous replication rules on a primary (PostgreSQL docs 27.2.8 "Synchronous Replication"
 * and 20.6.2 synchronous_standby_names / synchronous_commit; seed 002 PG-REX rep_mode). Pure.
 *
 * - Names set, commits waiting (synchronous_commit on/remote_write/remote_apply) and no standby
 *   in sync_state sync/quorum: every commit hangs until one connects → critical.
 * - Sessions waiting on SyncRep longer than the wait limit: the synchronous standby does not
 *   acknowledge (vanished while its walsender lingers until wal_sender_timeout) → critical.
 * - rep-mode sync wanted but synchronous_standby_names empty, or synchronous_commit local/off:
 *   commits are acknowledged by the primary alone (a failover may lose them) → warning with the
 *   reason. (synchronous_commit can also be lowered per session or transaction: those commits
 *   opt out of the guarantee; only the server's setting is visible here.)
 */
import type { ReplicationRow, SyncReplicationState } from '../observation';
import type { SyncSettings } from '../types';
import type { Finding, Metric, Verdict } from './check';
import { formatQuantity } from './findings';

/** synchronous_commit values whose commits wait for a synchronous standby (docs 20.5.1). */
export const WAITING_COMMIT_LEVELS: ReadonlySet<string> = new Set(['on', 'remote_write', 'remote_apply']);

/** Appends the synchronous replication findings, metric and facts of a primary. */
export function judgeSync(sync: SyncReplicationState, rows: ReplicationRow[], settings: SyncSettings | undefined, findings: Finding[], metrics: Metric[], facts: Verdict['facts']): void {
  const mode = settings?.repMode ?? 'async';
  const inSync = rows.filter((r) => r.state === 'streaming' && (r.syncState === 'sync' || r.syncState === 'quorum'));
  facts.rep_mode = mode;
  facts.synchronous_standby_names = sync.standbyNames;
  facts.sync_standbys = inSync.map((r) => r.applicationName).join(',');
  facts.sync_waiting = sync.waiting;
  const named = sync.standbyNames.trim() !== '';
  // Perfdata only where synchronous replication is configured or wanted (an async pair's output stays as it was).
  if (named || mode === 'sync') metrics.push({ label: 'sync_waiting', value: sync.waiting, unit: '', min: 0 });
  const commitsWait = WAITING_COMMIT_LEVELS.has(sync.commit);

  if (named && commitsWait && inSync.length === 0) {
    const waiting = sync.waiting ? ` (${sync.waiting} waiting now)` : '';
    findings.push({
      code: 'sync_standby_missing',
      severity: 'critical',
      message: `synchronous_standby_names is '${sync.standbyNames}' but no synchronous standby is streaming: every commit waits${waiting}${mode === 'sync' ? ' until pgsr releases it' : ''}`,
      value: sync.standbyNames,
    });
  }
  const limit = settings?.waitLimitS ?? 10;
  if (sync.waiting > 0 && sync.longestWaitS !== null && limit > 0 && sync.longestWaitS > limit) {
    findings.push({
      code: 'sync_commits_waiting',
      severity: 'critical',
      message: `${sync.waiting} session${sync.waiting === 1 ? ' has' : 's have'} waited ${formatQuantity(sync.longestWaitS, 's')} for a synchronous standby (limit ${limit} s): it does not acknowledge (gone while its walsender lingers until wal_sender_timeout?)`,
      value: Math.round(sync.longestWaitS * 1000) / 1000,
      unit: 's',
      threshold: String(limit),
    });
  }
  if (mode === 'sync' && named && !commitsWait) {
    findings.push({ code: 'sync_degraded', severity: 'warning', message: `rep-mode sync but synchronous_commit = ${sync.commit}: commits do not wait for the synchronous standby, so a failover may lose acknowledged ones`, value: sync.commit });
  }
  if (mode === 'sync' && !named) {
    const streaming = rows.filter((r) => r.state === 'streaming');
    const why = streaming.length
      ? `standby ${streaming.map((r) => `"${r.applicationName}"`).join(', ')} streams but is not named yet (pgsr sets it at its next run, or released it after commits waited)`
      : rows.length
        ? `no standby streams (${rows.map((r) => `"${r.applicationName}" ${r.state ?? '?'}`).join(', ')})`
        : 'no standby is connected';
    findings.push({ code: 'sync_degraded', severity: 'warning', message: `rep-mode sync but synchronous_standby_names is empty: commits are acknowledged without a standby (${why})`, value: '' });
  }
}
