/**
 * The SQL statements of the lifecycle commands and the OCF agent, named, in the probe layer
 * (statements that differ between majors are built in versions.ts). Column aliases are what
 * the callers read.
 */

export const SQL = {
  /** r: pg_is_in_recovery(). */
  inRecovery: 'SELECT pg_is_in_recovery() AS r',
  /** r: in recovery; v: server_version_num. */
  roleAndVersion: "SELECT pg_is_in_recovery() AS r, current_setting('server_version_num')::int AS v",
  /**
   * name, location: the tablespaces kept outside the data directory (an absolute
   * pg_tablespace_location; in-place tablespaces, 15+, are inside it and copied with it).
   */
  tablespaces:
    "SELECT spcname AS name, pg_tablespace_location(oid) AS location FROM pg_tablespace WHERE pg_tablespace_location(oid) LIKE '/%' ORDER BY spcname",
  /** v: server_version_num. */
  versionNum: "SELECT current_setting('server_version_num')::int AS v",
  /** status, received_tli and the conninfo (password obfuscated) of the walreceiver (no row: none). */
  walReceiverTimeline: 'SELECT status, received_tli, conninfo FROM pg_stat_wal_receiver',
  /** status of the walreceiver (no row: none). */
  walReceiverStatus: 'SELECT status FROM pg_stat_wal_receiver',
  /** status and conninfo of the walreceiver. */
  walReceiverStatusConninfo: 'SELECT status, conninfo FROM pg_stat_wal_receiver',
  /** received / replayed LSN of a standby, and v: server_version_num. */
  standbyPositions:
    "SELECT pg_last_wal_receive_lsn()::text AS received, pg_last_wal_replay_lsn()::text AS replayed, current_setting('server_version_num')::int AS v",
  /**
   * l: the furthest WAL position a standby holds: the greater of received and replayed (after a
   * walreceiver restart the received position restarts at a segment start, and WAL restored
   * from the archive is replayed without being received). NULL when neither is known.
   */
  standbyFurthestLsn: 'SELECT greatest(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::text AS l',
  /** c: primary_conninfo as the server uses it (a GUC from 12). */
  primaryConninfo: "SELECT current_setting('primary_conninfo') AS c",
  /** ok: pg_promote(wait => false) (12+): signals the promotion; the caller waits. */
  promoteNoWait: 'SELECT pg_promote(false) AS ok',
  /** n: synchronous_standby_names in effect. */
  syncStandbyNames: "SELECT current_setting('synchronous_standby_names') AS n",
  /**
   * n: synchronous_standby_names in effect; f: the value the configuration files set now (the
   * last valid line, pg_file_settings: what a reload or restart would bring), NULL when none.
   */
  syncStandbyNamesInFiles:
    "SELECT current_setting('synchronous_standby_names') AS n, (SELECT setting FROM pg_file_settings WHERE name = 'synchronous_standby_names' AND error IS NULL ORDER BY seqno DESC LIMIT 1) AS f",
  /** name, setting: the pg_settings rows named in $1 (text[]; absent names have no row). */
  settingsNamed: 'SELECT name, setting FROM pg_settings WHERE name = ANY($1::text[])',
  /** id: the cluster's system identifier as decimal text (pg_control_system(), 9.6+). */
  systemIdentifier: 'SELECT system_identifier::text AS id FROM pg_control_system()',
  /** Replication protocol (a replication connection only): systemid, timeline, xlogpos, dbname. */
  identifySystem: 'IDENTIFY_SYSTEM',
  /** l: pg_current_wal_lsn(). */
  currentLsn: 'SELECT pg_current_wal_lsn()::text AS l',
  /** ok: the standby has received WAL past $1 (an LSN). */
  receivedPast: 'SELECT pg_wal_lsn_diff(pg_last_wal_receive_lsn(), $1::pg_lsn) > 0 AS ok',
  /** setting, sourcefile: archive_command as the configuration files set it (the last valid line wins). */
  archiveCommandInFiles:
    "SELECT setting, sourcefile FROM pg_file_settings WHERE name = 'archive_command' AND error IS NULL ORDER BY seqno DESC LIMIT 1",
  /** m: archive_mode. */
  archiveMode: "SELECT current_setting('archive_mode') AS m",
  /** v: archive_command in effect in this session. */
  archiveCommandInEffect: "SELECT current_setting('archive_command') AS v",
  /** pg_reload_conf(): the postmaster and its children re-read the configuration files. */
  reloadConf: 'SELECT pg_reload_conf()',
  checkpoint: 'CHECKPOINT',
  /** pid: every client backend but this session (walsenders and background workers excluded; backend_type from 10). */
  clientBackends: "SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()",
  /** ok: pg_terminate_backend($1) (SIGTERM; false when the process is gone; an error without the privilege). */
  terminateBackend: 'SELECT pg_terminate_backend($1) AS ok',
  /** pid: those of $1 (int[]) still in pg_stat_activity. */
  backendsLeft: 'SELECT pid FROM pg_stat_activity WHERE pid = ANY($1::int[])',
  /** pg_stat_archiver, times as text. */
  archiver:
    'SELECT archived_count, last_archived_wal, last_archived_time::text, failed_count, last_failed_wal, last_failed_time::text FROM pg_stat_archiver',
  resetArchiveCommand: 'ALTER SYSTEM RESET archive_command',
  /** Drops the physical slot named $1 when no walsender uses it; one row per slot dropped. */
  dropInactiveSlot:
    'SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = $1 AND NOT active',
} as const;

/** A string literal for SQL (standard_conforming_strings: quotes doubled, backslashes literal). */
export function sqlLiteral(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
}

/**
 * ALTER SYSTEM SET name = value (postgresql.auto.conf; takes effect at the next reload; allowed
 * on a hot standby too: it writes a file, no WAL). ALTER SYSTEM takes no bind parameters: the
 * value is a standard-conforming literal. Needs a superuser, or from 15
 * `GRANT ALTER SYSTEM ON PARAMETER name`.
 */
export function alterSystemSet(
  name: 'archive_command' | 'synchronous_standby_names' | 'primary_conninfo',
  value: string,
): string {
  return `ALTER SYSTEM SET ${name} = ${sqlLiteral(value)}`;
}
