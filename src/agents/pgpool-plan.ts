/**
 * Pgpool-II adapter, pure part: the placeholders of failover_command and follow_primary_command
 * (Pgpool-II 4.2+ docs "failover_command", "follow_primary_command"; the order of the sample
 * scripts failover.sh.sample / follow_primary.sh.sample) and what each call means.
 */
import { addressOf } from '../config/conninfo';
import { ConfigError } from '../errors';
import { t } from '../i18n';
import { comparePositions } from '../lsn';

/** failover_command's `%d %h %p %D %m %H %M %P %r %R %N %S`. Node ids are -1 when Pgpool has none. */
export interface FailoverArgs {
  failedId: number;
  failedHost: string;
  failedPort: number;
  failedPgdata: string;
  /** The new main node: the promotion candidate; -1 when no node is left (Pgpool docs). */
  newMainId: number;
  newMainHost: string;
  oldMainId: number;
  /** The primary before the failure; -1 when Pgpool knew none. */
  oldPrimaryId: number;
  newMainPort: number;
  newMainPgdata: string;
  oldPrimaryHost: string;
  oldPrimaryPort: number;
}

/** follow_primary_command's `%d %h %p %D %m %H %M %P %r %R`: node %d must follow the new primary %m. */
export interface FollowArgs {
  nodeId: number;
  host: string;
  port: number;
  pgdata: string;
  newPrimaryId: number;
  newPrimaryHost: string;
  oldMainId: number;
  oldPrimaryId: number;
  newPrimaryPort: number;
  newPrimaryPgdata: string;
}

const int = (v: string | undefined, what: string): number => {
  if (v === undefined || !/^-?\d+$/.test(v.trim()))
    throw new ConfigError(t('pgpool.not_number', { what, value: v ?? '' }));
  return Number(v);
};

/**
 * Parses failover_command's arguments in the sample script's order.
 * @throws ConfigError naming the placeholder when one is missing or not a number.
 */
export function parseFailoverArgs(a: string[]): FailoverArgs {
  if (a.length < 12) throw new ConfigError(t('pgpool.failover_args', { count: a.length }));
  return {
    failedId: int(a[0], '%d'),
    failedHost: a[1],
    failedPort: int(a[2], '%p'),
    failedPgdata: a[3],
    newMainId: int(a[4], '%m'),
    newMainHost: a[5],
    oldMainId: int(a[6], '%M'),
    oldPrimaryId: int(a[7], '%P'),
    newMainPort: int(a[8], '%r'),
    newMainPgdata: a[9],
    oldPrimaryHost: a[10],
    oldPrimaryPort: int(a[11], '%S'),
  };
}

/**
 * Parses follow_primary_command's arguments in the sample script's order.
 * @throws ConfigError naming the placeholder when one is missing or not a number.
 */
export function parseFollowArgs(a: string[]): FollowArgs {
  if (a.length < 10) throw new ConfigError(t('pgpool.follow_args', { count: a.length }));
  return {
    nodeId: int(a[0], '%d'),
    host: a[1],
    port: int(a[2], '%p'),
    pgdata: a[3],
    newPrimaryId: int(a[4], '%m'),
    newPrimaryHost: a[5],
    oldMainId: int(a[6], '%M'),
    oldPrimaryId: int(a[7], '%P'),
    newPrimaryPort: int(a[8], '%r'),
    newPrimaryPgdata: a[9],
  };
}

/** What a failover_command call asks for. */
export type FailoverDecision =
  { kind: 'standby-failed'; why: string } | { kind: 'no-candidate'; why: string } | { kind: 'promote'; why: string };

/**
 * A failed standby needs no promotion; a failed primary needs the new main node promoted, unless
 * Pgpool has none left (`%m` = -1) or names the failed node itself.
 */
export function decideFailover(a: FailoverArgs): FailoverDecision {
  const failed = t('pgpool.node', { id: a.failedId, host: a.failedHost, port: a.failedPort });
  if (a.failedId !== a.oldPrimaryId)
    return { kind: 'standby-failed', why: t('pgpool.standby_failed', { failed, primary: a.oldPrimaryId }) };
  if (a.newMainId < 0) return { kind: 'no-candidate', why: t('pgpool.no_node_left', { failed }) };
  if (a.newMainId === a.failedId) return { kind: 'no-candidate', why: t('pgpool.names_failed', { failed }) };
  return {
    kind: 'promote',
    why: t('pgpool.promote_plan', { failed, id: a.newMainId, where: `${a.newMainHost}:${a.newMainPort}` }),
  };
}

/** The application_name to keep when re-pointing a standby: from its current conninfo, else `node<id>`. */
export function applicationNameOf(conninfo: string | null, nodeId: number): string {
  const v = addressOf(conninfo ?? '').application_name;
  return v && v !== '' ? v : `node${nodeId}`;
}

/** A standby Pgpool-II still has in service when a primary fails, as pgsr found it. */
export interface FailoverCandidate {
  id: number;
  host: string;
  port: number;
  /** `tli/LSN` (comparePositions), the greater of received and replayed; undefined: not a standby that answered. */
  position?: string;
  /** server_version_num; the promotion of another node than `%m` needs pg_promote() (12+). */
  version?: number;
}

/** Which standby failover_command promotes, and why. */
export interface CandidateChoice {
  id: number;
  host: string;
  port: number;
  /** Set when pgsr promotes another node than Pgpool's `%m`: the positions compared. */
  overrides?: string;
}

/**
 * The standby to promote when the primary fails: the one that received the most WAL (timeline,
 * then LSN), as the pgsql-sr OCF agent elects, because a standby behind the new primary can follow
 * it and one ahead cannot (it holds WAL the new primary never had). Ties go to Pgpool's `%m`, then
 * to the lowest node id. Pgpool-II 4.x searches every backend for the primary after
 * failover_command, so it takes whichever node pgsr promoted. Pgpool's `%m` is kept when its
 * position is unknown (nothing to compare) or when the better node is older than 12 (no
 * pg_promote(), and its data directory is not among the placeholders).
 */
export function chooseCandidate(a: FailoverArgs, candidates: FailoverCandidate[]): CandidateChoice {
  const main: CandidateChoice = { id: a.newMainId, host: a.newMainHost, port: a.newMainPort };
  const mine = candidates.find((c) => c.id === a.newMainId);
  if (!mine?.position) return main;
  let best = mine;
  for (const c of [...candidates].sort((x, y) => x.id - y.id)) {
    if (!c.position || c.id === a.failedId || (c.version ?? 0) < 120000) continue;
    if (comparePositions(c.position, best.position as string) > 0) best = c;
  }
  if (best.id === mine.id) return main;
  return {
    id: best.id,
    host: best.host,
    port: best.port,
    overrides: t('pgpool.more_advanced', {
      id: best.id,
      pos: best.position as string,
      main: mine.id,
      mainPos: mine.position,
    }),
  };
}
