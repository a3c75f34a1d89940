/**
 * Prometheus rendering of one check (`check --format openmetrics`, `watch --metrics-listen`):
 * the same Observation and Verdict as every other dialect, as metric families named by the
 * Prometheus conventions (prometheus.io "Metric and label naming": `pgsr_` prefix, base units,
 * `_bytes` / `_seconds`, `_total` for counters, one-hot `*_info`-style gauges for states).
 * The exposition is prom-client's (text format 0.0.4, or OpenMetrics 1.0 when asked), loaded on
 * first use so that other checks do not pay for it. Pure apart from that: a fresh registry per
 * rendering, no I/O.
 *
 * Families (README "Prometheus / OpenMetrics" lists them with their postgres_exporter twins):
 * pgsr_up, pgsr_probe_failure{kind}, pgsr_in_recovery, pgsr_role{role}, pgsr_severity{role},
 * pgsr_finding{code,severity,standby}, pgsr_check_duration_seconds, pgsr_timeline; standby:
 * pgsr_walreceiver_streaming, pgsr_replay_lag_bytes, pgsr_replay_lag_seconds,
 * pgsr_primary_silence_seconds; primary: pgsr_standbys_streaming, pgsr_standby_info{...},
 * pgsr_standby_{replay,flush}_lag_bytes, pgsr_standby_replay_lag_seconds,
 * pgsr_standby_reply_age_seconds, pgsr_slot_info{slot,wal_status,active},
 * pgsr_slot_retained_wal_bytes{slot}, pgsr_slot_safe_wal_size_bytes{slot},
 * pgsr_archiver_{archived,failed}_total, pgsr_archiver_ready_files,
 * pgsr_archiver_last_{archived,failed}_age_seconds, pgsr_sync_waiting_sessions; both roles:
 * pgsr_wal_bytes, pgsr_wal_volume_{free,size}_bytes (measured on the server's host); watch: pgsr_watch_checks_total,
 * pgsr_watch_consecutive_failures, pgsr_watch_last_check_timestamp_seconds.
 */
import type { Registry as RegistryT } from 'prom-client';
import type { ArchiverState, Observation } from '../observation';
import { uniqueLabels, type Verdict } from '../verdict/check';
import { NAGIOS_EXIT } from './nagios';

type GaugeOf = (name: string, help: string) => { set: (v: number) => void };
type CounterOf = (name: string, help: string) => { inc: (v: number) => void };

/** The archiver's families: counters, the ready backlog when measured, ages of the last success and failure. */
function archiverMetrics(a: ArchiverState, gauge: GaugeOf, counter: CounterOf): void {
  counter('pgsr_archiver_archived', 'WAL files archived (pg_stat_archiver.archived_count).').inc(a.archivedCount);
  counter('pgsr_archiver_failed', 'Failed archive attempts (pg_stat_archiver.failed_count).').inc(a.failedCount);
  if (a.readyCount !== undefined && a.readyCount !== null)
    gauge('pgsr_archiver_ready_files', 'WAL segments waiting for archive_command (.ready files).').set(a.readyCount);
  if (a.lastArchivedAgeS !== undefined && a.lastArchivedAgeS !== null)
    gauge('pgsr_archiver_last_archived_age_seconds', 'Seconds since the last WAL file was archived.').set(
      a.lastArchivedAgeS,
    );
  if (a.lastFailedAgeS !== null)
    gauge('pgsr_archiver_last_failed_age_seconds', 'Seconds since the last failed archive attempt.').set(
      a.lastFailedAgeS,
    );
}

/** pg_wal's filesystem when measured on this host, and pg_wal's size when the role may list it. */
function walVolumeMetrics(obs: Extract<Observation, { ok: true }>, gauge: GaugeOf): void {
  if (obs.server.walBytes !== undefined && obs.server.walBytes !== null)
    gauge('pgsr_wal_bytes', 'Bytes in pg_wal (pg_ls_waldir()).').set(obs.server.walBytes);
  const v = obs.walVolume;
  if (!v || 'notMeasured' in v) return;
  gauge(
    'pgsr_wal_volume_free_bytes',
    "Free bytes of pg_wal's filesystem (statvfs f_bavail, on the server's host).",
  ).set(v.freeBytes);
  gauge('pgsr_wal_volume_size_bytes', "Size of pg_wal's filesystem in bytes.").set(v.totalBytes);
}

/** Which exposition: Prometheus text 0.0.4 or OpenMetrics 1.0 text. */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

/** What a resident watch adds to a rendering. */
export interface WatchFigures {
  checks: number;
  consecutiveFailures: number;
  /** When the observation was made (epoch ms). */
  lastCheckMs: number;
}

/** prom-client, loaded on first use. */
export const loadPromClient = (): Promise<typeof import('prom-client')> => import('prom-client');

/** The HTTP Content-Type of an exposition format (prom-client's constants). */
export async function contentTypeOf(format: ExpositionFormat): Promise<string> {
  const { Registry } = await loadPromClient();
  return format === 'openmetrics' ? Registry.OPENMETRICS_CONTENT_TYPE : Registry.PROMETHEUS_CONTENT_TYPE;
}

/** An empty registry of the format (prom-client's typings lack the constructor's argument). */
export function newRegistry(prom: typeof import('prom-client'), format: ExpositionFormat): RegistryT {
  const reg = new prom.Registry() as unknown as { setContentType(t: string): void };
  reg.setContentType(
    format === 'openmetrics' ? prom.Registry.OPENMETRICS_CONTENT_TYPE : prom.Registry.PROMETHEUS_CONTENT_TYPE,
  );
  return reg as unknown as RegistryT;
}

/**
 * Renders one observation and its verdict.
 * @param extra a registry to merge in (the watch's process metrics), of the same format.
 * @returns the exposition text (OpenMetrics ends with `# EOF`).
 */
export async function renderMetrics(
  obs: Observation,
  v: Verdict,
  format: ExpositionFormat,
  watch?: WatchFigures,
  extra?: RegistryT,
): Promise<string> {
  const prom = await loadPromClient();
  const reg = newRegistry(prom, format);
  const gauge = (name: string, help: string, labelNames: string[] = []) =>
    new prom.Gauge({ name, help, labelNames, registers: [reg] });
  // prom-client appends `_total` to counter samples in OpenMetrics only: name them so that both
  // formats show `<name>_total`.
  const counter = (name: string, help: string) =>
    new prom.Counter({ name: format === 'openmetrics' ? name : `${name}_total`, help, registers: [reg] });

  gauge('pgsr_up', 'Whether the server answered the probe (1) or not (0).').set(obs.ok ? 1 : 0);
  if (!obs.ok)
    gauge(
      'pgsr_probe_failure',
      'Why the probe failed, by kind (refused, timeout, auth, ...); 1 for the failure seen.',
      ['kind'],
    ).set({ kind: obs.failure.kind }, 1);
  if (v.role) {
    gauge('pgsr_in_recovery', 'pg_is_in_recovery(): 1 on a standby, 0 on a primary.').set(v.role === 'standby' ? 1 : 0);
    const role = gauge('pgsr_role', 'The role the server has: 1 for it, 0 for the other.', ['role']);
    role.set({ role: 'primary' }, v.role === 'primary' ? 1 : 0);
    role.set({ role: 'standby' }, v.role === 'standby' ? 1 : 0);
  }
  const roleLabel = v.role ?? (v.expectedRole === 'auto' ? 'unknown' : v.expectedRole);
  gauge('pgsr_severity', 'The verdict as a Nagios state: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.', ['role']).set(
    { role: roleLabel },
    NAGIOS_EXIT[v.severity],
  );
  const finding = gauge(
    'pgsr_finding',
    'One series per non-OK finding of the verdict (finding codes: README "What it checks").',
    ['code', 'severity', 'standby'],
  );
  for (const f of v.findings) finding.set({ code: f.code, severity: f.severity, standby: f.subject ?? '' }, 1);
  if (obs.ok) walVolumeMetrics(obs, gauge);
  gauge('pgsr_check_duration_seconds', 'Duration of the probe.').set(v.durationMs / 1000);
  const tl = v.role === 'standby' ? v.facts.received_tli : v.facts.timeline;
  if (typeof tl === 'number')
    gauge('pgsr_timeline', 'Timeline: the primary current one, the standby the one it receives.').set(tl);

  const metric = (label: string) => v.metrics.find((m) => m.label === label)?.value;
  if (obs.ok && obs.standby) {
    gauge('pgsr_walreceiver_streaming', 'pg_stat_wal_receiver.status = streaming (1) or not (0).').set(
      obs.standby.walreceiver?.status === 'streaming' ? 1 : 0,
    );
    const set = (name: string, help: string, value: number | undefined) =>
      value !== undefined && gauge(name, help).set(value);
    set(
      'pgsr_replay_lag_bytes',
      'Received but not yet replayed WAL (pg_last_wal_receive_lsn - pg_last_wal_replay_lsn).',
      metric('replay_lag_bytes'),
    );
    set(
      'pgsr_replay_lag_seconds',
      'now() - pg_last_xact_replay_timestamp() while something received is not replayed, else 0.',
      metric('replay_lag_seconds'),
    );
    set(
      'pgsr_primary_silence_seconds',
      'Seconds since the last message from the primary (last_msg_receipt_time).',
      metric('silence_seconds'),
    );
  }
  if (obs.ok && obs.primary) {
    const p = obs.primary;
    gauge('pgsr_standbys_streaming', 'Physical standbys whose walsender is in state streaming.').set(
      p.standbys.filter((r) => r.state === 'streaming').length,
    );
    const info = gauge('pgsr_standby_info', 'One series per physical standby (pg_stat_replication), value 1.', [
      'application_name',
      'client_addr',
      'state',
      'sync_state',
    ]);
    const replayB = gauge('pgsr_standby_replay_lag_bytes', 'pg_current_wal_lsn() - replay_lsn per standby.', [
      'application_name',
    ]);
    const flushB = gauge('pgsr_standby_flush_lag_bytes', 'pg_current_wal_lsn() - flush_lsn per standby.', [
      'application_name',
    ]);
    const replayS = gauge(
      'pgsr_standby_replay_lag_seconds',
      'replay_lag per standby (0 on an idle, caught-up primary).',
      ['application_name'],
    );
    const reply = gauge('pgsr_standby_reply_age_seconds', 'Seconds since the standby last replied (reply_time, 12+).', [
      'application_name',
    ]);
    const labels = uniqueLabels(p.standbys);
    p.standbys.forEach((r, i) => {
      const application_name = labels[i];
      info.set(
        { application_name, client_addr: r.clientAddr ?? '', state: r.state ?? '', sync_state: r.syncState ?? '' },
        1,
      );
      if (r.replayLagBytes !== null) replayB.set({ application_name }, Math.max(0, r.replayLagBytes));
      if (r.flushLagBytes !== null) flushB.set({ application_name }, Math.max(0, r.flushLagBytes));
      const lagS = r.replayLagS ?? (r.replayLagBytes === 0 ? 0 : null);
      if (lagS !== null) replayS.set({ application_name }, lagS);
      if (r.replyAgeS !== null) reply.set({ application_name }, Math.max(0, r.replyAgeS));
    });
    const slot = gauge('pgsr_slot_info', 'One series per physical replication slot, value 1 (wal_status from 13).', [
      'slot',
      'wal_status',
      'active',
    ]);
    for (const s of p.slots ?? [])
      slot.set({ slot: s.name, wal_status: s.walStatus ?? '', active: String(s.active) }, 1);
    const retained = gauge(
      'pgsr_slot_retained_wal_bytes',
      'WAL a physical slot keeps in pg_wal (current LSN - restart_lsn).',
      ['slot'],
    );
    const safe = gauge(
      'pgsr_slot_safe_wal_size_bytes',
      'WAL that may still be written before the slot loses some (safe_wal_size, 13+).',
      ['slot'],
    );
    for (const s of p.slots ?? []) {
      if (s.retainedBytes !== undefined && s.retainedBytes !== null)
        retained.set({ slot: s.name }, Math.max(0, s.retainedBytes));
      if (s.safeWalSize !== undefined && s.safeWalSize !== null) safe.set({ slot: s.name }, s.safeWalSize);
    }
    if (p.archiver) archiverMetrics(p.archiver, gauge, counter);
    if (p.sync)
      gauge('pgsr_sync_waiting_sessions', 'Sessions waiting for a synchronous standby (wait event SyncRep).').set(
        p.sync.waiting,
      );
  }
  if (watch) {
    counter('pgsr_watch_checks', 'Checks made by this watch process.').inc(watch.checks);
    gauge('pgsr_watch_consecutive_failures', 'Consecutive failed checks (the watch exits at --fail-after).').set(
      watch.consecutiveFailures,
    );
    gauge('pgsr_watch_last_check_timestamp_seconds', 'When the observation served was made (Unix time).').set(
      watch.lastCheckMs / 1000,
    );
  }
  return (extra ? prom.Registry.merge([reg, extra]) : reg).metrics();
}
