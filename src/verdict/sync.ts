/**
 * Synchronous replication rules on a primary (PostgreSQL docs 27.2.8 "Synchronous Replication"
 * and 20.6.2 synchronous_standby_names / synchronous_commit; PG-REX's rep_mode). Pure.
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
import { t } from '../i18n';

/** synchronous_commit values whose commits wait for a synchronous standby (docs 20.5.1). */
export const WAITING_COMMIT_LEVELS: ReadonlySet<string> = new Set(['on', 'remote_write', 'remote_apply']);

/** Appends the synchronous replication findings, metric and facts of a primary. */
export function judgeSync(
  sync: SyncReplicationState,
  rows: ReplicationRow[],
  settings: SyncSettings | undefined,
  findings: Finding[],
  metrics: Metric[],
  facts: Verdict['facts'],
): void {
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
    const waiting = sync.waiting ? t('finding.sync_waiting_now', { count: sync.waiting }) : '';
    findings.push({
      code: 'sync_standby_missing',
      severity: 'critical',
      message: t('finding.sync_standby_missing', {
        names: sync.standbyNames,
        waiting,
        release: mode === 'sync' ? t('finding.sync_until_release') : '',
      }),
      value: sync.standbyNames,
    });
  }
  const limit = settings?.waitLimitS ?? 10;
  if (sync.waiting > 0 && sync.longestWaitS !== null && limit > 0 && sync.longestWaitS > limit) {
    findings.push({
      code: 'sync_commits_waiting',
      severity: 'critical',
      message: t(sync.waiting === 1 ? 'finding.sync_commits_waiting_one' : 'finding.sync_commits_waiting_other', {
        count: sync.waiting,
        quantity: formatQuantity(sync.longestWaitS, 's'),
        limit,
      }),
      value: Math.round(sync.longestWaitS * 1000) / 1000,
      unit: 's',
      threshold: String(limit),
    });
  }
  if (mode === 'sync' && named && !commitsWait) {
    findings.push({
      code: 'sync_degraded',
      severity: 'warning',
      message: t('finding.sync_commit_local', { commit: sync.commit }),
      value: sync.commit,
    });
  }
  if (mode === 'sync' && !named) {
    const streaming = rows.filter((r) => r.state === 'streaming');
    const why = streaming.length
      ? t('finding.sync_not_named', { names: streaming.map((r) => `"${r.applicationName}"`).join(', ') })
      : rows.length
        ? t('finding.sync_none_streams', {
            standbys: rows.map((r) => `"${r.applicationName}" ${r.state ?? '?'}`).join(', '),
          })
        : t('finding.sync_none_connected');
    findings.push({
      code: 'sync_degraded',
      severity: 'warning',
      message: t('finding.sync_names_empty', { why }),
      value: '',
    });
  }
}
