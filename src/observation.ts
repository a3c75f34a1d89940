/**
 * What the probe layer observed: raw facts, no judgement. Produced by probe/, consumed by the
 * pure verdict/ layer. This module is a leaf (types only).
 *
 * Units: LSNs are text as PostgreSQL prints them (`0/3000060`); byte differences are numbers of
 * bytes (from `pg_wal_lsn_diff`); ages and lags are seconds (float); timelines are integers.
 */
import type { Endpoint, PgRole } from './types';

/** Facts every observation has. */
export interface ServerInfo {
  /** `server_version_num`, e.g. 110022 or 150018. */
  versionNum: number;
  /** `server_version`, e.g. "15.18 (Debian 15.18-0+deb12u1)". */
  version: string;
  /** `pg_is_in_recovery()`. */
  inRecovery: boolean;
  /** Role derived from `inRecovery`. */
  role: PgRole;
  /** `data_directory`; null when this role may not read it (superuser or pg_read_all_settings). */
  dataDirectory?: string | null;
  /** Bytes in pg_wal (pg_ls_waldir()); null when this role may not list it (pg_monitor). */
  walBytes?: number | null;
}

/**
 * One row of `pg_stat_wal_receiver` (PostgreSQL docs 28.2.6), with version differences
 * normalised by probe/versions.ts: `senderHost/senderPort` are null before 11,
 * `flushedLsn` is `received_lsn` before 13, `writtenLsn` null before 13.
 */
export interface WalReceiverInfo {
  pid: number | null;
  status: string | null;
  senderHost: string | null;
  senderPort: number | null;
  /** The walreceiver's conninfo (passwords obfuscated by the server); used for the sender before 11. */
  conninfo: string | null;
  receivedTli: number | null;
  writtenLsn: string | null;
  flushedLsn: string | null;
  latestEndLsn: string | null;
  slotName: string | null;
  /** Seconds since the last message from the sender arrived (now() − last_msg_receipt_time). */
  /** application_name in the walreceiver's conninfo (how the primary names this standby); null when none. */
  applicationName?: string | null;
  lastMsgAgeS: number | null;
}

/** A standby's own recovery state. */
export interface StandbyState {
  /** null when there is no walreceiver process (no row). */
  walreceiver: WalReceiverInfo | null;
  /** `pg_last_wal_receive_lsn()`. */
  receiveLsn: string | null;
  /** `pg_last_wal_replay_lsn()`. */
  replayLsn: string | null;
  /** receive − replay, bytes; null when either is unknown. */
  replayLagBytes: number | null;
  /** Seconds since the last replayed transaction's commit (`pg_last_xact_replay_timestamp()`). */
  lastReplayAgeS: number | null;
  /**
   * Kept sessions (watch) only: the WAL not yet replayed arrived at most this many seconds ago
   * (the last earlier observation whose received position had not passed today's replay
   * position). No transaction waiting for replay can be older, whatever the age of the last
   * replayed one. Absent when unknown (one-shot check, first observations, after a walreceiver
   * restart until replay passes what was received before it).
   */
  pendingAtMostS?: number;
  /** `pg_is_wal_replay_paused()`. */
  replayPaused: boolean;
  /**
   * The standby's own timeline: the newer of its last restartpoint's and its minimum recovery
   * point's timeline (`pg_control_checkpoint()`, `pg_control_recovery()`); null if unreadable.
   */
  timeline: number | null;
  /** The standby's `wal_receiver_timeout`, ms (0 = disabled); null when unreadable. */
  walReceiverTimeoutMs: number | null;
  /**
   * A liveness probe of the walreceiver's sender (probe/liveness.ts), made only when the
   * walreceiver streams but has heard nothing for a while; absent when not made.
   */
  senderProbe?: SenderProbe;
}

/** The result of one liveness probe of a primary's postmaster (probe/liveness.ts). */
export interface SenderProbe {
  /** `host:port` probed (a socket directory shows as the directory). */
  target: string;
  /** answered = alive; refused = host up, no PostgreSQL; no-answer = silent (power loss, frozen, partition); unreachable = no route or no such name. */
  result: 'answered' | 'refused' | 'no-answer' | 'unreachable';
  /** One line: what the OS or the server did. */
  detail: string;
  /** Duration of the probe, ms. */
  ms: number;
}

/** When and how long to probe the sender of a streaming standby (`--sender-probe-after`, `--sender-probe-timeout`). */
export interface SenderProbePolicy {
  /** Probe when the walreceiver has heard nothing for at least this many seconds. */
  afterS: number;
  /** Bound of one probe, ms (further bounded by the run's deadline). */
  timeoutMs: number;
}

/** One row of `pg_stat_replication` (PostgreSQL docs 28.2.4), seen from the primary. */
export interface ReplicationRow {
  pid: number | null;
  applicationName: string;
  clientAddr: string | null;
  state: string | null;
  syncState: string | null;
  sentLsn: string | null;
  writeLsn: string | null;
  flushLsn: string | null;
  replayLsn: string | null;
  /** current WAL LSN − replay_lsn, bytes. */
  replayLagBytes: number | null;
  /** current WAL LSN − flush_lsn, bytes. */
  flushLagBytes: number | null;
  /** write_lag, flush_lag, replay_lag as seconds (null when the server has no recent sample). */
  writeLagS: number | null;
  flushLagS: number | null;
  replayLagS: number | null;
  /** Seconds since the standby's last reply (now() − reply_time, 12+); null before 12. */
  replyAgeS: number | null;
  /** The replication slot this walsender uses, if any. */
  slotName: string | null;
}

/**
 * What a walsender serves: a physical `standby`, a WAL client that archives or backs up WAL
 * (`wal-client`: pg_receivewal, pg_basebackup -X stream), a base `backup` in progress, or a
 * `logical` decoding client. Only standbys count as standbys.
 */
export type WalsenderKind = 'standby' | 'wal-client' | 'backup' | 'logical';

/** A primary's replication state. */
export interface PrimaryState {
  currentLsn: string | null;
  /** Current timeline, from the WAL file name of the current LSN. */
  timeline: number | null;
  /** Walsenders serving physical standbys (pg_stat_replication rows of kind `standby`). */
  standbys: ReplicationRow[];
  /** The other walsenders (WAL clients, base backups, logical decoding), for the facts. */
  otherWalsenders: Array<ReplicationRow & { kind: Exclude<WalsenderKind, 'standby'> }>;
  /** The primary's `wal_sender_timeout`, ms (0 = disabled); null when unreadable. */
  walSenderTimeoutMs: number | null;
  /** Physical replication slots (pg_replication_slots); see SlotState. */
  slots: SlotState[];
  /** Synchronous replication as configured and as felt by committing sessions; absent when not read. */
  sync?: SyncReplicationState;
  /** pg_stat_archiver's counters since its last reset; absent when not read. */
  archiver?: ArchiverState;
}

/** One physical replication slot (PostgreSQL docs 54.19 pg_replication_slots). */
export interface SlotState {
  name: string;
  active: boolean;
  /** wal_status (13+): reserved, extended, unreserved, lost; null before 13. */
  walStatus: string | null;
  /** Bytes of WAL the slot keeps (current LSN − restart_lsn); null when it never reserved any. */
  retainedBytes?: number | null;
  /** safe_wal_size (13+, bytes): WAL that may still be written before the slot would lose some; null without max_slot_wal_keep_size or before 13. */
  safeWalSize?: number | null;
}

/** pg_stat_archiver (PostgreSQL docs 28.2.13): counters since the statistics were last reset, and archive_mode. */
export interface ArchiverState {
  /** archive_mode: off, on, always (absent from old reports). */
  mode?: string;
  /** WAL files archived successfully. */
  archivedCount: number;
  /** Failed attempts to archive a WAL file. */
  failedCount: number;
  /** Seconds since the last failure; null when none. */
  lastFailedAgeS: number | null;
  /** Seconds since the last success; null when none since the reset. */
  lastArchivedAgeS?: number | null;
  /** The WAL file of the last failure (a name, never the command). */
  lastFailedWal?: string | null;
  /** Seconds since the statistics were reset (stats_reset). */
  statsResetAgeS?: number | null;
  /** `.ready` files in pg_wal/archive_status; null when not measured (archive_mode off, or the role may not list it). */
  readyCount?: number | null;
}

/**
 * Synchronous replication on a primary (PostgreSQL docs 27.2.8 "Synchronous Replication", 20.6.2).
 * Waiting sessions are those in wait event `SyncRep` (IPC): a commit waiting for a synchronous
 * standby's acknowledgement. Other users' wait events are visible only with pg_read_all_stats
 * (pg_monitor): without it `waiting` reads 0.
 */
export interface SyncReplicationState {
  /** `synchronous_standby_names` in effect; '' = asynchronous (commits wait for no standby). */
  standbyNames: string;
  /** `synchronous_commit`: `on`, `remote_write`, `remote_apply` wait for a standby; `local`, `off` do not. */
  commit: string;
  /** Sessions waiting for a synchronous standby now (wait_event = 'SyncRep'). */
  waiting: number;
  /** Seconds the longest of them has waited (now() − state_change: an upper bound); null when none. */
  longestWaitS: number | null;
}

/**
 * Why a probe could not answer. `kind` classifies once, from SQLSTATE or the socket error
 * code (never from message text elsewhere).
 */
export interface ProbeFailure {
  kind:
    | 'timeout'
    | 'refused'
    | 'dns'
    | 'network'
    | 'auth'
    | 'not-accepting'
    | 'privilege'
    | 'sql'
    | 'unsupported-version'
    | 'protocol';
  /** One line, the server's or the OS's message; never contains a password. */
  detail: string;
  sqlstate?: string;
  /** Which step failed: connecting or querying. */
  phase: 'connect' | 'query';
}

/**
 * The outcome of one probe of one server. `durationMs`: the observation's time in ms, to 0.1 ms
 * (the SQL, plus an inline sender probe's time when one ran).
 */
/** The filesystem holding pg_wal, measured on the server's own host (bytes), or why it was not measured. */
export type WalVolumeState = { path: string; totalBytes: number; freeBytes: number } | { notMeasured: string };

export type Observation =
  | {
      ok: true;
      target: Endpoint;
      server: ServerInfo;
      standby?: StandbyState;
      primary?: PrimaryState;
      walVolume?: WalVolumeState;
      durationMs: number;
    }
  | { ok: false; target: Endpoint; failure: ProbeFailure; server?: ServerInfo; durationMs: number };

/**
 * What `pgsr preflight` reads of one server beyond the check's observation (probe/preflight.ts):
 * settings by name as pg_settings shows them (text; a name is absent when the server has no
 * such setting, e.g. archive_library before 15, or hides it from the role), and the cluster's
 * system identifier (pg_control_system(), a 64-bit number as decimal text; null when unreadable).
 */
export interface PreflightFacts {
  settings: Readonly<Record<string, string>>;
  systemIdentifier: string | null;
}

/**
 * A replication connection from where pgsr runs to the primary, as a standby's walreceiver makes
 * it (streaming replication protocol, IDENTIFY_SYSTEM: the cluster's systemid as decimal text
 * and the server's timeline), with the user it tried; or why it failed.
 */
export type ReplicationAttempt =
  | { ok: true; user: string; systemIdentifier: string; timeline: number }
  | { ok: false; user: string; failure: ProbeFailure };

/**
 * A password file pgsr or the walreceiver reads (libpq ignores one with any group or world
 * permission, PostgreSQL docs 32.16): its permission bits, its owner's uid, and whose it should
 * be (the OS user whose home holds it, else the user running pgsr).
 */
export interface PassfileFact {
  path: string;
  mode: number;
  ownerUid: number;
  expectedUid: number;
  expectedUser: string;
}
