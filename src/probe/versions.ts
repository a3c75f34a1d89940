/**
 * The one place that knows how PostgreSQL majors differ. Every query pgsr sends is built here
 * from a table of named columns, each with the first major that has it and the expression
 * to use before that (PostgreSQL docs 28.2 "The Cumulative Statistics System", per release).
 * Queries always return the same column names, NULL where a version lacks a field.
 */
import { t } from '../i18n';
import type { PgRole } from '../types';

/** First supported server_version_num (PostgreSQL 10: the `*_lsn` / `pg_wal_*` renames). */
export const MIN_VERSION_NUM = 100000;
/** First unsupported server_version_num (newest known major + 1). */
export const MAX_VERSION_NUM_EXCLUSIVE = 190000;

/** Reason a server version is refused, or null when supported. */
export function unsupportedReason(versionNum: number, version: string): string | null {
  if (versionNum < MIN_VERSION_NUM) return t('probe.too_old', { version });
  if (versionNum >= MAX_VERSION_NUM_EXCLUSIVE) {
    return t('probe.too_new', { version, newest: MAX_VERSION_NUM_EXCLUSIVE / 10000 - 1 });
  }
  return null;
}

/** A column whose expression depends on the server version. */
export interface VersionedColumn {
  /** Output column name (stable across versions). */
  name: string;
  /** Expression on servers >= `since`. */
  expr: string;
  /** server_version_num from which `expr` applies (default: all supported). */
  since?: number;
  /** Expression on older servers (default NULL). */
  before?: string;
  /** Why the column differs, with the release that changed it. */
  note?: string;
}

/**
 * Version differences pgsr relies on, one entry each; tests run every entry on the majors
 * where it applies.
 */
export const VERSION_DIFFERENCES = [
  {
    key: 'walreceiver.sender_host',
    since: 110000,
    note: 'pg_stat_wal_receiver.sender_host/sender_port added in 11; before, the host is read from conninfo',
  },
  {
    key: 'walreceiver.flushed_lsn',
    since: 130000,
    note: 'pg_stat_wal_receiver.received_lsn replaced by written_lsn + flushed_lsn in 13',
  },
  {
    key: 'slots.wal_status',
    since: 130000,
    note: 'pg_replication_slots.wal_status (reserved/extended/unreserved/lost) added in 13 with max_slot_wal_keep_size',
  },
  {
    key: 'archive.status_dir_function',
    since: 120000,
    note: 'pg_ls_archive_statusdir() (pg_monitor) added in 12; before, pg_ls_dir() (superuser): the archive backlog (archive_ready) is measured for superusers only on 10 and 11',
  },
  {
    key: 'slots.safe_wal_size',
    since: 130000,
    note: 'pg_replication_slots.safe_wal_size (bytes left before the slot would lose WAL) added in 13',
  },
  {
    key: 'replication.reply_time',
    since: 120000,
    note: "pg_stat_replication.reply_time added in 12: before, a standby's silence is not visible from the primary (standby_silent needs 12+)",
  },
  {
    key: 'recovery.signal_files',
    since: 120000,
    note: 'recovery.conf replaced by standby.signal + postgresql.conf settings in 12',
  },
] as const;

/**
 * Options of PostgreSQL's own programs that pgsr passes on some majors only, with the first
 * major that has each (the programs' documentation, per release).
 */
export const TOOL_OPTIONS = {
  /** pg_rewind --config-file (15): the target's postgresql.conf when it is not in its data directory (pg_rewind runs the target in single-user mode to finish crash recovery). */
  pgRewindConfigFile: 15,
} as const;

/** True when the programs of `major` take the option. */
export function toolHas(option: keyof typeof TOOL_OPTIONS, major: number | null): boolean {
  return major !== null && major >= TOOL_OPTIONS[option];
}

const WALRECEIVER_COLUMNS: VersionedColumn[] = [
  { name: 'pid', expr: 'w.pid' },
  { name: 'status', expr: 'w.status' },
  { name: 'sender_host', expr: 'w.sender_host', since: 110000, before: 'NULL::text', note: 'added in 11' },
  { name: 'sender_port', expr: 'w.sender_port', since: 110000, before: 'NULL::int', note: 'added in 11' },
  { name: 'conninfo', expr: 'w.conninfo' },
  { name: 'received_tli', expr: 'w.received_tli' },
  { name: 'written_lsn', expr: 'w.written_lsn::text', since: 130000, before: 'NULL::text', note: 'added in 13' },
  {
    name: 'flushed_lsn',
    expr: 'w.flushed_lsn::text',
    since: 130000,
    before: 'w.received_lsn::text',
    note: 'received_lsn renamed flushed_lsn in 13',
  },
  { name: 'latest_end_lsn', expr: 'w.latest_end_lsn::text' },
  { name: 'slot_name', expr: 'w.slot_name' },
  { name: 'last_msg_age_s', expr: 'extract(epoch FROM now() - w.last_msg_receipt_time)::float8' },
];

const REPLICATION_COLUMNS: VersionedColumn[] = [
  { name: 'pid', expr: 'r.pid' },
  { name: 'application_name', expr: 'r.application_name' },
  { name: 'client_addr', expr: 'host(r.client_addr)' },
  { name: 'state', expr: 'r.state' },
  { name: 'sync_state', expr: 'r.sync_state' },
  { name: 'sent_lsn', expr: 'r.sent_lsn::text' },
  { name: 'write_lsn', expr: 'r.write_lsn::text' },
  { name: 'flush_lsn', expr: 'r.flush_lsn::text' },
  { name: 'replay_lsn', expr: 'r.replay_lsn::text' },
  { name: 'replay_lag_bytes', expr: 'pg_wal_lsn_diff(c.lsn, r.replay_lsn)::float8' },
  { name: 'flush_lag_bytes', expr: 'pg_wal_lsn_diff(c.lsn, r.flush_lsn)::float8' },
  { name: 'write_lag_s', expr: 'extract(epoch FROM r.write_lag)::float8' },
  { name: 'flush_lag_s', expr: 'extract(epoch FROM r.flush_lag)::float8' },
  { name: 'replay_lag_s', expr: 'extract(epoch FROM r.replay_lag)::float8' },
  {
    name: 'reply_age_s',
    expr: 'extract(epoch FROM now() - r.reply_time)::float8',
    since: 120000,
    before: 'NULL::float8',
    note: 'reply_time added in 12',
  },
  // What the walsender serves, from what the server knows: a logical walsender is connected to a
  // database (or holds a logical slot); pg_basebackup's copy is in state backup; a WAL client
  // (pg_receivewal, pg_basebackup -X stream) reports write (and flush) positions but never a
  // replay position, which every standby reports (receivelog.c sends apply = invalid).
  {
    name: 'client_kind',
    expr: "CASE WHEN a.datname IS NOT NULL OR sl.slot_type = 'logical' THEN 'logical' WHEN r.state = 'backup' THEN 'backup' WHEN r.replay_lsn IS NULL AND r.write_lsn IS NOT NULL THEN 'wal-client' ELSE 'standby' END",
  },
  { name: 'slot_name', expr: 'sl.slot_name' },
];

function select(columns: VersionedColumn[], versionNum: number): string {
  return columns
    .map((c) => `${c.since === undefined || versionNum >= c.since ? c.expr : (c.before ?? 'NULL')} AS ${c.name}`)
    .join(',\n  ');
}

/**
 * A time setting in milliseconds, as float8. current_setting() shows the value with its unit
 * (`1min`, `500ms`, `0`), which interval input reads; pg_settings has the number in the base unit
 * but builds a row for every setting first (about 1 ms per query on a 2-core machine, measured).
 */
function msSetting(name: 'wal_receiver_timeout' | 'wal_sender_timeout'): string {
  return `(extract(epoch FROM current_setting('${name}')::interval) * 1000)::float8`;
}

/**
 * First query of every probe: version and role, the data directory (superuser or
 * pg_read_all_settings, else NULL: current_setting() raises at run time, so the CASE guards it),
 * and whether this role may list pg_wal (pg_ls_waldir(), pg_monitor) and the archive status
 * directory (pg_ls_archive_statusdir() from 12, a superuser's pg_ls_dir() before). A function the
 * role may not execute fails a statement at its start even in an untaken CASE branch (its
 * EXECUTE right is checked when the expression is set up), so the listings are only put into the
 * role's statements once these flags allow them (WalListing). Same on every version.
 */
export const SERVER_INFO_SQL = `SELECT current_setting('server_version_num')::int AS version_num, current_setting('server_version') AS version, pg_is_in_recovery() AS in_recovery,
  CASE WHEN current_setting('is_superuser') = 'on' OR pg_has_role(current_user, 'pg_read_all_settings', 'MEMBER') THEN current_setting('data_directory') END AS data_directory,
  has_function_privilege('pg_ls_waldir()', 'EXECUTE') AS can_ls_waldir,
  CASE WHEN to_regprocedure('pg_ls_archive_statusdir()') IS NOT NULL THEN has_function_privilege(to_regprocedure('pg_ls_archive_statusdir()'), 'EXECUTE') ELSE current_setting('is_superuser') = 'on' END AS can_ls_archive`;

/** Which directory listings the role's statements include (SERVER_INFO_SQL's can_ls_* flags). */
export interface WalListing {
  waldir: boolean;
  archive: boolean;
}
export const NO_LISTING: WalListing = { waldir: false, archive: false };

/** pg_wal's size in bytes as a column, when the role may list it. */
const walBytesColumn = (l: WalListing) =>
  l.waldir ? ',\n  (SELECT sum(size) FROM pg_ls_waldir())::float8 AS wal_bytes' : '';

/** The standby query for a server version: one row, walreceiver columns NULL when it has no walreceiver. */
export function standbySql(versionNum: number, listing: WalListing = NO_LISTING): string {
  return `SELECT
  ${select(WALRECEIVER_COLUMNS, versionNum)},
  pg_last_wal_receive_lsn()::text AS receive_lsn,
  pg_last_wal_replay_lsn()::text AS replay_lsn,
  pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::float8 AS replay_lag_bytes,
  extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS last_replay_age_s,
  pg_is_wal_replay_paused() AS replay_paused,
  ${msSetting('wal_receiver_timeout')} AS wal_receiver_timeout_ms${walBytesColumn(listing)}
FROM (SELECT 1) AS one LEFT JOIN pg_stat_wal_receiver AS w ON true`;
}

/**
 * The standby's own timeline from pg_control (needs superuser or pg_monitor-like rights on
 * some setups; a failure leaves the timeline unknown rather than failing the check).
 */
/**
 * A primary's timelines: the one its pg_control checkpoint records and the one it writes (from
 * the WAL file name of its current LSN). They differ after a promotion until the end-of-recovery
 * checkpoint completes (pg_rewind reads the former). 10-18 alike.
 */
export const SOURCE_TIMELINES_SQL =
  "SELECT (SELECT timeline_id FROM pg_control_checkpoint()) AS checkpoint_tli, ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int AS current_tli";

export const STANDBY_TIMELINE_SQL =
  'SELECT greatest((SELECT timeline_id FROM pg_control_checkpoint()), (SELECT min_recovery_end_timeline FROM pg_control_recovery())) AS timeline';

/**
 * A kept connection's whole standby observation as one statement: SERVER_INFO_SQL, standbySql()
 * and (when readable) STANDBY_TIMELINE_SQL side by side, each one row, so the row carries every
 * column of the three. One statement can be prepared: parsed and planned once per connection,
 * then only bound and executed. Measured on a 2-core machine (PostgreSQL 15, loopback): pgbench
 * 0.41 ms for the three as one simple query, 0.15 ms for this prepared; from Node at a 1 s
 * cadence, median 1.7 → 1.2 ms, p99 4.9 → 2.7 ms (docs/benchmarks.md).
 */
export function standbyObservationSql(versionNum: number, timeline: boolean, listing: WalListing = NO_LISTING): string {
  return `SELECT * FROM (${SERVER_INFO_SQL}) AS info, (${standbySql(versionNum, listing)}) AS standby${timeline ? `, (${STANDBY_TIMELINE_SQL}) AS tl` : ''}`;
}

/** The primary query for a server version: one row per walsender (physical replication only). */
export function primarySql(versionNum: number): string {
  return `WITH c AS (SELECT pg_current_wal_lsn() AS lsn)
SELECT
  ${select(REPLICATION_COLUMNS, versionNum)}
FROM pg_stat_replication AS r CROSS JOIN c
  LEFT JOIN pg_stat_activity AS a ON a.pid = r.pid
  LEFT JOIN pg_replication_slots AS sl ON sl.active_pid = r.pid
ORDER BY r.application_name, r.pid`;
}

/**
 * The primary's current LSN and timeline (timeline = first 8 hex digits of the WAL file name),
 * wal_sender_timeout, and synchronous replication: the names in effect, synchronous_commit, and
 * the sessions waiting for a synchronous standby (wait event SyncRep, 10+), the archiver's
 * counters (pg_stat_archiver: one row, readable by everyone). Read before the
 * pg_stat_replication query, so a standby's flush_lsn ≥ this current_lsn means it holds every
 * commit acknowledged before this probe began (lifecycle/sync-plan.ts).
 */
const POSITION_COLUMNS = `pg_current_wal_lsn()::text AS current_lsn,
  ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int AS timeline,
  ${msSetting('wal_sender_timeout')} AS wal_sender_timeout_ms,
  current_setting('synchronous_standby_names') AS sync_standby_names,
  current_setting('synchronous_commit') AS sync_commit,
  w.waiting, w.longest_wait_s,
  current_setting('archive_mode') AS archive_mode,
  a.archived_count::float8 AS archived_count, a.failed_count::float8 AS archive_failed_count,
  extract(epoch FROM now() - a.last_failed_time)::float8 AS archive_last_failed_age_s,
  extract(epoch FROM now() - a.last_archived_time)::float8 AS archive_last_archived_age_s,
  a.last_failed_wal AS archive_last_failed_wal,
  extract(epoch FROM now() - a.stats_reset)::float8 AS archive_stats_reset_age_s`;
const POSITION_FROM = `FROM (SELECT count(*)::int AS waiting, extract(epoch FROM max(now() - state_change))::float8 AS longest_wait_s
      FROM pg_stat_activity WHERE wait_event = 'SyncRep') AS w
  CROSS JOIN pg_stat_archiver AS a`;
export const PRIMARY_POSITION_SQL = `SELECT ${POSITION_COLUMNS}
${POSITION_FROM}`;

/**
 * WAL segments waiting for archive_command (`.ready` files in pg_wal/archive_status), as an
 * expression for a role allowed to list them (WalListing.archive): pg_ls_archive_statusdir()
 * from 12, pg_ls_dir() before; NULL when archive_mode is off.
 */
export function archiveReadyExpr(versionNum: number): string {
  const count =
    versionNum >= 120000
      ? "(SELECT count(*) FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready')"
      : "(SELECT count(*) FROM pg_ls_dir('pg_wal/archive_status') AS name WHERE name LIKE '%.ready')";
  return `CASE WHEN current_setting('archive_mode') <> 'off' THEN ${count}::int END`;
}

/** PRIMARY_POSITION_SQL with the listings the role may make: the archive backlog (`archive_ready`), pg_wal's size (`wal_bytes`). */
export function primaryPositionSql(versionNum: number, listing: WalListing = NO_LISTING): string {
  return `SELECT ${POSITION_COLUMNS}${listing.archive ? `,\n  ${archiveReadyExpr(versionNum)} AS archive_ready` : ''}${walBytesColumn(listing)}
${POSITION_FROM}`;
}

/**
 * A kept connection's whole primary observation as one statement, to be prepared like
 * standbyObservationSql(): the SERVER_INFO_SQL and PRIMARY_POSITION_SQL rows side by side, with
 * the walsenders (primarySql) and the
 * physical slots (slotsSql) as JSON arrays of their rows (`walsenders`, `slots`; node-postgres
 * parses json). The position is still read first: the subquery in FROM is fenced (OFFSET 0)
 * and its row is produced before the select list's subqueries run, so a standby's flush_lsn ≥
 * current_lsn keeps its meaning (lifecycle/sync-plan.ts).
 */
export function primaryObservationSql(versionNum: number, listing: WalListing = NO_LISTING): string {
  return `SELECT info.*, pos.*,
  (SELECT coalesce(json_agg(ws ORDER BY ws.application_name, ws.pid), '[]') FROM (${primarySql(versionNum)}) AS ws) AS walsenders,
  (SELECT coalesce(json_agg(sl ORDER BY sl.slot_name), '[]') FROM (${slotsSql(versionNum)}) AS sl) AS slots
FROM (${SERVER_INFO_SQL}) AS info, (${primaryPositionSql(versionNum, listing)} OFFSET 0) AS pos`;
}

/** Count of WAL segments waiting to be archived (.ready files in pg_wal/archive_status). */
export function archiveReadySql(versionNum: number): string {
  return versionNum >= 120000
    ? "SELECT count(*) AS ready FROM pg_ls_archive_statusdir() WHERE name LIKE '%.ready'"
    : "SELECT count(*) AS ready FROM pg_ls_dir('pg_wal/archive_status') AS name WHERE name LIKE '%.ready'";
}

/** status, sender_host, sender_port (NULL before 11), conninfo and last_msg_age_s (seconds) of the walreceiver. */
export function walReceiverSenderSql(versionNum: number): string {
  const cols = WALRECEIVER_COLUMNS.filter((c) =>
    ['status', 'sender_host', 'sender_port', 'conninfo', 'last_msg_age_s'].includes(c.name),
  );
  return `SELECT ${select(cols, versionNum)} FROM pg_stat_wal_receiver AS w`;
}

/**
 * Physical replication slots and, from 13, whether they still hold the WAL their standby needs
 * (wal_status) and how much more WAL may be written before they would not (safe_wal_size, bytes;
 * NULL without max_slot_wal_keep_size); `retained_bytes`: WAL between the current LSN and the
 * slot's restart_lsn, what the slot keeps in pg_wal (NULL for a slot that never reserved WAL).
 */
export function slotsSql(versionNum: number): string {
  const v13 = versionNum >= 130000;
  return `SELECT slot_name, active, ${v13 ? 'wal_status' : 'NULL::text AS wal_status'},
  pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::float8 AS retained_bytes,
  ${v13 ? 'safe_wal_size::float8' : 'NULL::float8'} AS safe_wal_size
FROM pg_replication_slots WHERE slot_type = 'physical' ORDER BY slot_name`;
}

/**
 * Role, version and timeline readability to try first, from the startup's ParameterStatus:
 * the major from server_version (`11.4`, `15.10 (Debian ...)`, `18beta1`), the role from
 * in_hot_standby (14+) or else `roleHint`. undefined when either is unknown or the version is
 * not supported (then the step-by-step path reports it). A wrong guess costs one failed round
 * trip: the caller falls back to asking.
 */
export function guessKnown(
  params: Readonly<Record<string, string>>,
  roleHint?: PgRole,
): { role: PgRole; versionNum: number; timeline: boolean } | undefined {
  const m = /^(\d+)(?:\.(\d+))?/.exec(params.server_version ?? '');
  if (!m) return undefined;
  const major = Number(m[1]);
  const versionNum = major >= 10 ? major * 10000 + Number(m[2] ?? 0) : 0;
  if (unsupportedReason(versionNum, params.server_version)) return undefined;
  const role = params.in_hot_standby === 'on' ? 'standby' : params.in_hot_standby === 'off' ? 'primary' : roleHint;
  return role ? { role, versionNum, timeline: role === 'standby' } : undefined;
}
