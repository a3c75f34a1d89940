/** A standby's WAL position as the elections compare it (pgsql-sr promote, Pgpool-II failover_command). */
import type { SqlRunner } from './connect';
import { SQL } from './statements';
import { STANDBY_TIMELINE_SQL } from './versions';

/** What `standbyPosition` read: `position` is `tli/LSN` (see comparePositions), undefined when the server has none. */
export interface StandbyPosition {
  position?: string;
  /** pg_stat_wal_receiver.status, null without a walreceiver. */
  walStatus: string | null;
}

/**
 * A standby's position over an open connection: the greater of the received and replayed LSN,
 * on the walreceiver's received_tli when it is newer than pg_control's. A standby that followed
 * a new primary says so in pg_control only at its next restartpoint, and two standbys streaming
 * the same timeline must not be told apart by which of them had one.
 * @throws what the queries throw (the caller bounds and catches).
 */
export async function standbyPosition(q: SqlRunner): Promise<StandbyPosition> {
  const lsn = (await q(SQL.standbyFurthestLsn))[0].l as string | null;
  const wr = (await q(SQL.walReceiverTimeline)).at(0);
  const walStatus = (wr?.status as string | undefined) ?? null;
  let tli = Number(wr?.received_tli ?? 0) || 0;
  try {
    tli = Math.max(tli, Number((await q(STANDBY_TIMELINE_SQL))[0].timeline));
  } catch {
    // pg_control unreadable (privileges): the walreceiver's timeline alone
  }
  return { position: lsn ? `${tli}/${lsn}` : undefined, walStatus };
}
