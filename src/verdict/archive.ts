/**
 * WAL health, the ways a server dies of its own WAL (PostgreSQL docs 25.3 "Continuous
 * Archiving", 28.2.13 pg_stat_archiver, 54.19 pg_replication_slots, 30.5 "WAL Configuration"):
 * archive_command failing, segments piling up for it, a replication slot keeping WAL, pg_wal's
 * filesystem filling. Pure.
 */
import type { ArchiverState, SlotState, WalVolumeState } from '../observation';
import type { Thresholds } from '../range';
import type { FreeLimit } from '../types';
import type { Finding, Metric, Verdict } from './check';
import { formatQuantity, metric, round3, thresholdFinding } from './findings';
import { t } from '../i18n';

/**
 * Whether archive_command is failing now (pure): archiving on, and the last failure newer than
 * the last success, or failures and no success since the statistics reset. The next success
 * clears it. Returns how long nothing has been archived (seconds: since the last success, else
 * since the reset; null when unknown), or undefined when not failing.
 */
export function archiveFailingFor(a: ArchiverState): { sinceS: number | null } | undefined {
  if (!a.mode || a.mode === 'off' || a.failedCount === 0 || a.lastFailedAgeS === null) return undefined;
  const lastOk = a.lastArchivedAgeS ?? null;
  if (lastOk !== null && lastOk <= a.lastFailedAgeS) return undefined;
  return { sinceS: lastOk ?? a.statsResetAgeS ?? null };
}

/**
 * The archiver's findings and perfdata: `archive_failing` (warning; critical once nothing has
 * been archived for `criticalAfterS`) naming the WAL file that failed, never the command;
 * `archive_backlog` from the `.ready` count against `readyTh`; perfdata `archive_ready` whenever
 * archiving is on and the count was measured.
 */
export function judgeArchiver(
  a: ArchiverState,
  readyTh: Thresholds,
  criticalAfterS: number | undefined,
  findings: Finding[],
  metrics: Metric[],
  facts: Verdict['facts'],
): void {
  if (!a.mode || a.mode === 'off') return;
  facts.archive_mode = a.mode;
  const failing = archiveFailingFor(a);
  if (failing) {
    const critical = criticalAfterS !== undefined && failing.sinceS !== null && failing.sinceS >= criticalAfterS;
    const since = failing.sinceS === null ? t('finding.archive_never') : formatQuantity(round3(failing.sinceS), 's');
    findings.push({
      code: 'archive_failing',
      severity: critical ? 'critical' : 'warning',
      message: t('finding.archive_failing', {
        wal: a.lastFailedWal ?? '?',
        ago: formatQuantity(round3(a.lastFailedAgeS ?? 0), 's'),
        since,
        count: a.failedCount,
      }),
      value: failing.sinceS === null ? null : round3(failing.sinceS),
      unit: 's',
      ...(criticalAfterS !== undefined ? { threshold: String(criticalAfterS) } : {}),
    });
  }
  if (a.readyCount === undefined || a.readyCount === null) {
    facts.archive_ready = 'not measured';
    return;
  }
  metrics.push(metric('archive_ready', a.readyCount, '', readyTh));
  thresholdFinding(findings, 'archive_backlog', a.readyCount, '', readyTh, (v) =>
    t('finding.archive_backlog', { count: v }),
  );
}

/** Per physical slot: perfdata `slot_<name>_retained_bytes` and `slot_retained_wal` against `th`, naming the slot and whether a standby uses it. */
export function judgeSlotRetention(slots: SlotState[], th: Thresholds, findings: Finding[], metrics: Metric[]): void {
  for (const s of slots) {
    if (s.retainedBytes === undefined || s.retainedBytes === null) continue;
    const bytes = Math.max(0, s.retainedBytes);
    metrics.push(metric(`slot_${s.name}_retained_bytes`, bytes, 'B', th));
    const safe =
      s.safeWalSize !== undefined && s.safeWalSize !== null
        ? t('finding.slot_safe', { quantity: formatQuantity(Math.max(0, s.safeWalSize), 'B') })
        : '';
    thresholdFinding(
      findings,
      'slot_retained_wal',
      bytes,
      'B',
      th,
      (v) =>
        t(s.active ? 'finding.slot_retained_active' : 'finding.slot_retained_inactive', {
          name: s.name,
          quantity: v,
          safe,
        }),
      s.name,
    );
  }
}

/** The bytes a limit stands for on a filesystem of `totalBytes`. */
export const limitBytes = (l: FreeLimit, totalBytes: number): number =>
  Math.floor('percent' in l ? (totalBytes * l.percent) / 100 : l.bytes);
const limitText = (l: FreeLimit): string => ('percent' in l ? `${l.percent} %` : formatQuantity(l.bytes, 'B'));

/**
 * pg_wal's filesystem, measured on the server's host (host/local-server.ts): `wal_disk_space`
 * when the free space is below a limit (default warning 20 %, critical 10 %), perfdata
 * `wal_free_bytes` (thresholds as `N:`, alert below) and `wal_free_percent`, and pg_wal's own
 * size as `wal_bytes` when the role may list it. Not measured: a fact saying why, no finding:
 * PostgreSQL stops with "No space left on device" when pg_wal fills (docs 30.5).
 */
export function judgeWalVolume(
  v: WalVolumeState | undefined,
  walBytes: number | null | undefined,
  limits: { warning: FreeLimit; critical: FreeLimit },
  findings: Finding[],
  metrics: Metric[],
  facts: Verdict['facts'],
): void {
  if (walBytes !== undefined && walBytes !== null) metrics.push(metric('wal_bytes', walBytes, 'B'));
  if (!v) return;
  if ('notMeasured' in v) {
    facts.wal_disk_space = `not measured: ${v.notMeasured}`;
    return;
  }
  const [w, c] = [limitBytes(limits.warning, v.totalBytes), limitBytes(limits.critical, v.totalBytes)];
  const pct = v.totalBytes > 0 ? round3((v.freeBytes / v.totalBytes) * 100) : 0;
  metrics.push({ label: 'wal_free_bytes', value: v.freeBytes, unit: 'B', warning: `${w}:`, critical: `${c}:`, min: 0 });
  metrics.push({ label: 'wal_free_percent', value: pct, unit: '', min: 0 });
  facts.wal_volume = v.path;
  const severity = v.freeBytes < c ? 'critical' : v.freeBytes < w ? 'warning' : 'ok';
  if (severity === 'ok') return;
  const limit = severity === 'critical' ? limits.critical : limits.warning;
  findings.push({
    code: 'wal_disk_space',
    severity,
    message: t('finding.wal_disk_space', {
      path: v.path,
      free: formatQuantity(v.freeBytes, 'B'),
      total: formatQuantity(v.totalBytes, 'B'),
      pct: pct.toFixed(1),
      limit: limitText(limit),
    }),
    value: v.freeBytes,
    unit: 'B',
    threshold: `${severity === 'critical' ? c : w}:`,
  });
}
