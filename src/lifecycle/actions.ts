/**
 * The lifecycle commands carried out (one module each; this index re-exports them): start, stop, promote, rebuild, switchover, archive
 * hold/resume/status and unlock. Each gathers facts (probe/), asks lifecycle/plan.ts what to do,
 * then runs the steps with bounded child processes and SQL, recording every step. Server-side
 * programs run as the PostgreSQL OS user; files written in PGDATA get the data directory's owner.
 *
 * Procedures follow the usual CLUSTERPRO runbook (promote, failback with pg_basebackup, archive_command
 * while the standby is down), PG-REX's (lock, stop order, rebuild) and the standard SR
 * scenario 1 (stop fast then immediate, promote, rebuild, switch back).
 */
export { archive, HELD_ARCHIVE_PREFIX, heldArchiveCommand, previousArchiveCommand } from './archive';
export { promote } from './promote';
export { rebuild } from './rebuild';
export { start } from './start';
export { localConnection } from './steps';
export { stop } from './stop';
export { switchover } from './switchover';
export { unlock } from './unlock';
export { describeSyncSwitch, manageSyncStandbyNames, type SyncManagerRun } from './syncrep';
export type { SyncRelease } from './sync-plan';
