/**
 * The rows of the probe's statements (versions.ts) turned into the observation's shapes (pure).
 * Columns arrive as node-postgres gives them (text types as strings, float8 and int as numbers,
 * NULL as null); the shapes are in observation.ts.
 */
import { addressOf } from '../config/conninfo';
import type {
  ArchiverState,
  PrimaryState,
  ReplicationRow,
  StandbyState,
  SyncReplicationState,
  WalReceiverInfo,
  WalsenderKind,
} from '../observation';
import { senderTarget } from './liveness';

/** One row as node-postgres returns it. */
export type Row = Record<string, unknown>;

/** A number, or null for NULL and what is not a finite number. */
/**
 * An age in seconds from `now() - <timestamp>`, never negative: now() is the transaction's start,
 * so a message the walreceiver received while the query ran is "younger than now" (seen: a
 * silence of -0.0 s judged outside the range 0..40, a false CRITICAL). Null stays null.
 */
const age = (v: unknown): number | null => {
  const n = num(v);
  return n === null ? null : Math.max(0, n);
};

export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
}
/** A string, or null for NULL. */
export function str(v: unknown): string | null {
  return v === null || v === undefined ? null : String(v);
}

/** The archiver's counters from the primary position row (PRIMARY_POSITION_SQL). */
export function toArchiver(r: Row): ArchiverState {
  return {
    mode: str(r.archive_mode) ?? undefined,
    archivedCount: num(r.archived_count) ?? 0,
    failedCount: num(r.archive_failed_count) ?? 0,
    lastFailedAgeS: num(r.archive_last_failed_age_s),
    lastArchivedAgeS: num(r.archive_last_archived_age_s),
    lastFailedWal: str(r.archive_last_failed_wal),
    statsResetAgeS: num(r.archive_stats_reset_age_s),
    readyCount: num(r.archive_ready),
  };
}

/** The physical slots from slotsSql() rows. */
export function toSlots(rows: Row[]): PrimaryState['slots'] {
  return rows.map((r) => ({
    name: String(r.slot_name),
    active: r.active === true,
    walStatus: str(r.wal_status),
    retainedBytes: num(r.retained_bytes),
    safeWalSize: num(r.safe_wal_size),
  }));
}

/** Synchronous replication facts from the primary position row (PRIMARY_POSITION_SQL). */
export function toSync(r: Row): SyncReplicationState {
  return {
    standbyNames: String(r.sync_standby_names ?? ''),
    commit: String(r.sync_commit ?? 'on'),
    waiting: num(r.waiting) ?? 0,
    longestWaitS: num(r.longest_wait_s),
  };
}

/**
 * A standby's observation from its row of standbySql() (pure; exported for tests). PostgreSQL
 * 10 has no sender_host/sender_port: they are read from the walreceiver's conninfo here, so the
 * verdict sees one shape on every major.
 */
export function toStandby(row: Row, timeline: number | null): StandbyState {
  const sender =
    row.pid === null || row.pid === undefined
      ? undefined
      : str(row.sender_host)
        ? undefined
        : senderTarget(null, null, str(row.conninfo));
  const walreceiver: WalReceiverInfo | null =
    row.pid === null || row.pid === undefined
      ? null
      : {
          pid: num(row.pid),
          status: str(row.status),
          senderHost: str(row.sender_host) ?? sender?.host ?? null,
          senderPort: num(row.sender_port) ?? sender?.port ?? null,
          conninfo: str(row.conninfo),
          receivedTli: num(row.received_tli),
          writtenLsn: str(row.written_lsn),
          flushedLsn: str(row.flushed_lsn),
          latestEndLsn: str(row.latest_end_lsn),
          slotName: str(row.slot_name),
          applicationName: addressOf(str(row.conninfo) ?? '').application_name ?? null,
          lastMsgAgeS: age(row.last_msg_age_s),
        };
  return {
    walreceiver,
    receiveLsn: str(row.receive_lsn),
    replayLsn: str(row.replay_lsn),
    replayLagBytes: num(row.replay_lag_bytes),
    lastReplayAgeS: age(row.last_replay_age_s),
    replayPaused: row.replay_paused === true,
    timeline,
    walReceiverTimeoutMs: num(row.wal_receiver_timeout_ms),
  };
}

/** pg_stat_replication rows split by what they serve (the `client_kind` column). */
export function splitWalsenders(rows: Row[]): Pick<PrimaryState, 'standbys' | 'otherWalsenders'> {
  const standbys: ReplicationRow[] = [];
  const otherWalsenders: PrimaryState['otherWalsenders'] = [];
  for (const row of rows) {
    const kind = String(row.client_kind ?? 'standby') as WalsenderKind;
    if (kind === 'standby') standbys.push(toReplicationRow(row));
    else otherWalsenders.push({ ...toReplicationRow(row), kind });
  }
  return { standbys, otherWalsenders };
}

function toReplicationRow(row: Row): ReplicationRow {
  return {
    pid: num(row.pid),
    applicationName: str(row.application_name) ?? '',
    clientAddr: str(row.client_addr),
    state: str(row.state),
    syncState: str(row.sync_state),
    sentLsn: str(row.sent_lsn),
    writeLsn: str(row.write_lsn),
    flushLsn: str(row.flush_lsn),
    replayLsn: str(row.replay_lsn),
    replayLagBytes: num(row.replay_lag_bytes),
    flushLagBytes: num(row.flush_lag_bytes),
    writeLagS: num(row.write_lag_s),
    flushLagS: num(row.flush_lag_s),
    replayLagS: num(row.replay_lag_s),
    replyAgeS: age(row.reply_age_s),
    slotName: str(row.slot_name),
  };
}
