/**
 * Shared vocabulary of pgsr. This module is a leaf: it imports nothing, so probe/, verdict/,
 * dialect/ and host/ can all depend on it.
 */

/** A PostgreSQL role as seen by replication: `primary` (not in recovery) or `standby`. */
export type PgRole = 'primary' | 'standby';

/** What the caller expects the server to be; `auto` asks `pg_is_in_recovery()`. */
/** The role a check expects; `pgsr check --role pgpool` checks a Pgpool-II and its backends instead. */
export type ExpectedRole = PgRole | 'auto' | 'pgpool';

/**
 * Monitoring severity, the four states of the Nagios plugin guidelines
 * (https://www.monitoring-plugins.org/doc/guidelines.html#AEN78). "Cannot tell" is `unknown`,
 * never `critical`.
 */
export type Severity = 'ok' | 'warning' | 'critical' | 'unknown';

/** Severity order, worst last (unknown ranks above critical only for the "cannot tell" class). */
export const SEVERITY_RANK: Record<Severity, number> = { ok: 0, warning: 1, unknown: 2, critical: 3 };

/** Expected `sync_state` values of `pg_stat_replication` (PostgreSQL docs, 28.2.3). */
export type SyncState = 'async' | 'sync' | 'quorum' | 'potential';
export const SYNC_STATES: readonly SyncState[] = ['async', 'sync', 'quorum', 'potential'];

/**
 * PG-REX's replication mode (`rep_mode`): `async` leaves synchronous_standby_names to
 * the operator; `sync` lets pgsr set it to the streaming standby and empty it when none streams.
 */
export type RepMode = 'async' | 'sync';

/** Synchronous replication management (`--rep-mode`, `--sync-wait-limit`). */
export interface SyncSettings {
  repMode: RepMode;
  /**
   * Seconds a commit may wait for the synchronous standby before that standby is released
   * (taken out of synchronous_standby_names): how long a vanished standby (power loss, partition)
   * can hold commits when its walsender lingers until wal_sender_timeout. Default 10; 0 = release
   * only when the walsender is gone.
   */
  waitLimitS: number;
}

/** Host and port of a server, as pgsr addresses it (host may be a unix-socket directory). */
export interface Endpoint {
  host: string;
  port: number;
}

/**
 * The outcome classes of an action; exit codes in dialect/action.ts (shared here so that dialect/ needs nothing of lifecycle/). `partial`: the action's
 * main effect stands but a later part failed (a promotion whose post-promote command failed).
 */
export type Outcome = 'done' | 'already' | 'planned' | 'refused' | 'failed' | 'partial';

/** One step of an action, as reported (dry-run shows them as `planned`). */
export interface StepReport {
  step: string;
  status: 'done' | 'planned' | 'skipped' | 'failed';
  detail?: string;
  ms?: number;
}

/** The result of any lifecycle command: one summary line plus steps and facts. */
export interface ActionResult {
  action: string;
  outcome: Outcome;
  summary: string;
  reasons: string[];
  steps: StepReport[];
  facts: Record<string, string | number | boolean | null>;
  /** Done, but something the operator must look at (CLUSTERPRO: a WARN alert). */
  warnings?: string[];
  durationMs: number;
}

/** What a command returns to main.ts: the exit code and the lines for each stream. */
export interface CommandResult {
  exitCode: number;
  stdout: string[];
  stderr: string[];
}

/** A free-space limit of a filesystem (pg_wal's): a share of its size (percent) or an amount (bytes). */
export type FreeLimit = { percent: number } | { bytes: number };
