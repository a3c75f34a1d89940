/**
 * Reads the replication state of one server: version and role, then the standby view
 * (`pg_stat_wal_receiver` and recovery functions) or the primary view (`pg_stat_replication`).
 * Never decides anything; never throws for runtime failures: those come back as a
 * `ProbeFailure`, classified here once (SQLSTATE for server errors, `err.code` for socket errors).
 *
 * Time: everything is bounded by one absolute deadline (epoch ms). pgsr arms its own timers
 * (node-postgres waits forever by default) and also sets `statement_timeout` so the server
 * cancels work the client stopped waiting for.
 *
 * Over 350 lines because the probe session (the one connection, its statements per role and major, the sender probe) is one state machine.
 */
import type { Client as PgClient } from 'pg';
import type { ConnectionSettings } from '../config/resolve';
import type {
  Observation,
  ProbeFailure,
  SenderProbe,
  SenderProbePolicy,
  ServerInfo,
  StandbyState,
} from '../observation';
import type { PgRole } from '../types';
import { num, splitWalsenders, str, toArchiver, toSlots, toStandby, toSync, type Row } from './rows';
import { SenderProbeSchedule } from './sender-schedule';
import { lsnValue } from '../lsn';
import {
  NO_LISTING,
  SERVER_INFO_SQL,
  STANDBY_TIMELINE_SQL,
  guessKnown,
  type WalListing,
  archiveReadyExpr,
  primaryObservationSql,
  primaryPositionSql,
  primarySql,
  slotsSql,
  standbyObservationSql,
  standbySql,
  unsupportedReason,
} from './versions';
import { TaggedError, classify, isServerError } from './classify';
import { closeClient, connectClient, destroy, serverParameters } from './connect';

/** The connection helpers live in connect.ts, the row mappers in rows.ts; re-exported for the lifecycle and agent modules and the tests. */
export { toStandby } from './rows';
export { connectClient, makeClient, sslOption, withConnection, type SqlRow, type SqlRunner } from './connect';

/** How a ProbeSession observes (all optional). */
export interface ProbeSessionOptions {
  /**
   * A streaming standby that has heard nothing from its primary for `afterS` seconds gets its
   * sender probed (probe/liveness.ts, probe/sender-schedule.ts), bounded by `timeoutMs`.
   */
  senderProbe?: SenderProbePolicy;
  /** The role the operator expects: a first observation takes one round trip when it is right. */
  roleHint?: PgRole;
  /**
   * A resident session (`pgsr watch`, many observations on one connection): the role's
   * statements run as one prepared statement (versions.ts standbyObservationSql,
   * primaryObservationSql), and the sender probe runs beside the observations, `onProbeChange`
   * called when its result needs telling.
   * Without it the observation waits for the probe (one-shot check).
   */
  resident?: { onProbeChange?: (probe: SenderProbe) => void };
}

/**
 * A connection kept across observations (for `pgsr watch`): connects on first use, reuses the
 * connection while it works, drops it on any failure so the next observation reconnects.
 * Every observation is bounded by its own absolute deadline.
 */
export class ProbeSession {
  private client: PgClient | undefined;
  /** Role, version and whether pg_control_* is readable, from the previous observation. */
  private known: { role: PgRole; versionNum: number; timeline: boolean; listing?: WalListing } | undefined;
  /** The client of the observation under way (also while connecting), for abort(). */
  private active: PgClient | undefined;
  private passNotes: string[] = [];

  /** When and how the sender of a streaming standby is probed; undefined: never. */
  private readonly senderProbe: SenderProbeSchedule | undefined;
  private readonly roleHint: PgRole | undefined;
  private readonly resident: boolean;

  /**
   * @param conn the server to observe.
   * @param opts see ProbeSessionOptions.
   */
  constructor(
    private readonly conn: ConnectionSettings,
    opts: ProbeSessionOptions = {},
  ) {
    this.roleHint = opts.roleHint;
    this.resident = opts.resident !== undefined;
    this.senderProbe =
      opts.senderProbe &&
      new SenderProbeSchedule(
        opts.senderProbe,
        opts.resident ? { kind: 'background', onChange: opts.resident.onProbeChange } : { kind: 'inline' },
      );
  }

  /**
   * Observes the server once (SQL, then the sender probe when due).
   * @param deadline absolute time (epoch ms) by which the observation must be over.
   * @returns an Observation; `ok: false` for every expected failure (refused, timeout, auth, SQL
   *   error, unsupported version). Only bugs throw.
   */
  async observe(deadline: number): Promise<Observation> {
    const obs = await this.observeSql(deadline);
    if (obs.ok && obs.standby) this.notePending(obs.standby, Date.now());
    await this.senderProbe?.apply(obs, deadline);
    return obs;
  }

  /** Received positions of earlier observations, oldest first (kept sessions only; ≤ 1 h, ≤ 4096). */
  private received: Array<{ at: number; lsn: bigint }> = [];
  /** After a walreceiver restart: the furthest position received before it (see notePending). */
  private receivedFloor: bigint | undefined;
  private walreceiverPid: number | null | undefined;

  /**
   * Sets `pendingAtMostS` from the history of received positions: WAL past the current replay
   * position R arrived after the last earlier observation whose received position was ≤ R.
   * A walreceiver restart re-receives from a segment start (positions go back): the history is
   * dropped and trusted again only once R has passed everything received before the restart.
   */
  private notePending(s: StandbyState, now: number): void {
    const recv = lsnValue(s.receiveLsn);
    const replay = lsnValue(s.replayLsn);
    const pid = s.walreceiver?.pid ?? null;
    const last = this.received.at(-1);
    if (
      (this.walreceiverPid !== undefined && pid !== this.walreceiverPid) ||
      (recv !== null && last && recv < last.lsn)
    ) {
      const max = this.received.reduce<bigint | undefined>(
        (m, x) => (m === undefined || x.lsn > m ? x.lsn : m),
        this.receivedFloor,
      );
      this.received = [];
      this.receivedFloor = max;
    }
    this.walreceiverPid = pid;
    if (replay !== null && (this.receivedFloor === undefined || replay >= this.receivedFloor)) {
      this.receivedFloor = undefined;
      for (let i = this.received.length - 1; i >= 0; i--) {
        if (this.received[i].lsn <= replay) {
          s.pendingAtMostS = (now - this.received[i].at) / 1000;
          break;
        }
      }
    }
    if (recv !== null) this.received.push({ at: now, lsn: recv });
    while (this.received.length > 4096 || (this.received.length && now - this.received[0].at > 3_600_000))
      this.received.shift();
  }

  private async observeSql(deadline: number): Promise<Observation> {
    const started = Date.now();
    // The duration to 0.1 ms (a kept connection's observation takes 1-2 ms: whole ms hide it).
    // process.hrtime, not the global performance: that getter loads perf_hooks (eight built-in
    // modules) into every one-shot check.
    const t0 = process.hrtime.bigint();
    const elapsed = () => Math.round(Number(process.hrtime.bigint() - t0) / 1e5) / 10;
    const target = { host: this.conn.host, port: this.conn.port };
    const remaining = () => Math.max(1, deadline - Date.now());
    let phase: ProbeFailure['phase'] = this.client ? 'query' : 'connect';
    let timedOut = false;
    let client = this.client;
    this.active = client;
    const abort = () => {
      timedOut = true;
      if (client) destroy(client);
    };
    let timer: NodeJS.Timeout | undefined;
    let server: ServerInfo | undefined;
    try {
      if (!client) {
        const connectLimitMs = this.conn.connectTimeoutS
          ? Math.min(remaining(), Math.max(2, this.conn.connectTimeoutS) * 1000)
          : remaining();
        timer = setTimeout(abort, connectLimitMs);
        client = await connectClient(
          this.conn,
          remaining(),
          (notes) => (this.passNotes = notes),
          (c) => {
            client = c;
            this.active = c;
          },
        );
        clearTimeout(timer);
        this.client = client;
        phase = 'query';
        // What the startup already told (server_version; in_hot_standby from 14), else the role
        // the operator expects: the first observation too takes one round trip when it is right.
        this.known ??= guessKnown(serverParameters(client), this.roleHint);
      }
      timer = setTimeout(abort, remaining());
      const c = client;
      /** The observation from the rows of the role's statements (roleStatements order). */
      const build = (role: PgRole, results: Row[][], hasTimeline: boolean): Observation => {
        (server as ServerInfo).walBytes = num(results[0][0]?.wal_bytes);
        return role === 'standby'
          ? {
              ok: true,
              target,
              server: server as ServerInfo,
              standby: toStandby(results[0][0], hasTimeline ? num(results[1]?.[0]?.timeline) : null),
              durationMs: elapsed(),
            }
          : {
              ok: true,
              target,
              server: server as ServerInfo,
              primary: {
                currentLsn: str(results[0][0].current_lsn),
                timeline: num(results[0][0].timeline),
                walSenderTimeoutMs: num(results[0][0].wal_sender_timeout_ms),
                sync: toSync(results[0][0]),
                archiver: toArchiver(results[0][0]),
                ...splitWalsenders(results[1]),
                slots: toSlots(results[2] ?? []),
              },
              durationMs: elapsed(),
            };
      };

      // Role and version known from the previous observation (a kept connection): everything in
      // one round trip. A changed role fails the role's statements or shows in the first row:
      // then the step-by-step path below.
      if (this.known) {
        const k = this.known;
        try {
          const listing = k.listing ?? NO_LISTING;
          const results = this.resident
            ? await prepared(c, k.role, k.versionNum, k.timeline, listing)
            : await multi(c, [SERVER_INFO_SQL, ...roleStatements(k.role, k.versionNum, k.timeline, listing)]);
          const info = results[0][0];
          const versionNum = Number(info.version_num);
          // The statements depend on the major only (versions.ts): a minor upgrade keeps them.
          if (
            Math.floor(versionNum / 10000) === Math.floor(k.versionNum / 10000) &&
            (info.in_recovery === true) === (k.role === 'standby') &&
            !unsupportedReason(versionNum, String(info.version))
          ) {
            server = {
              versionNum,
              version: String(info.version),
              inRecovery: k.role === 'standby',
              role: k.role,
              ...walFacts(info),
            };
            const allowed = listingOf(info);
            this.known = { ...k, versionNum, listing: allowed };
            // A guessed first observation did not know the role's rights: what it may list is read now.
            if ((allowed.waldir && !listing.waldir) || (allowed.archive && !listing.archive))
              Object.assign(results[1][0], (await c.query(walListingSql(k.role, versionNum, allowed))).rows[0]);
            return build(k.role, results.slice(1), k.timeline);
          }
        } catch (err) {
          if (!isServerError(err)) throw err;
        }
        this.known = undefined;
      }

      const info = (await c.query(SERVER_INFO_SQL)).rows[0] as Row;
      const versionNum = Number(info.version_num);
      const inRecovery = info.in_recovery === true;
      const role: PgRole = inRecovery ? 'standby' : 'primary';
      server = { versionNum, version: String(info.version), inRecovery, role, ...walFacts(info) };
      const listing = listingOf(info);
      const refused = unsupportedReason(versionNum, server.version);
      if (refused) throw new TaggedError(refused, 'unsupported-version');
      let timeline = role === 'standby';
      let results: Row[][];
      try {
        results = await multi(c, roleStatements(role, versionNum, timeline, listing));
      } catch (err) {
        // pg_control_* may be denied to a non-superuser monitor: the timeline stays unknown.
        if (!(role === 'standby' && isServerError(err) && (err as { code?: string }).code === '42501')) throw err;
        timeline = false;
        results = await multi(c, roleStatements(role, versionNum, false, listing));
      }
      this.known = { role, versionNum, timeline, listing };
      return build(role, results, timeline);
    } catch (err) {
      const failure = classify(err, phase, timedOut, deadline - started, this.passNotes);

      // An unsupported version is a fact about the server, not the connection: keep it.
      if (failure.kind !== 'unsupported-version') await this.dropConnection();
      return { ok: false, target, failure, server, durationMs: elapsed() };
    } finally {
      clearTimeout(timer);
      this.active = undefined;
    }
  }

  /** Fails the observation under way at once (e.g. on SIGTERM); the next one reconnects. */
  abort(): void {
    const c = this.active ?? this.client;
    if (c) destroy(c);
  }

  /** Ends the session: stops a background sender probe, closes the kept connection (bounded, 200 ms). */
  async close(): Promise<void> {
    this.senderProbe?.close();
    await this.dropConnection();
  }

  /** Closes the kept connection, politely but bounded (200 ms), then destroys the socket. */
  private async dropConnection(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    this.known = undefined;
    if (c) await closeClient(c);
  }
}

/** Where the server keeps its WAL, from the SERVER_INFO_SQL row (pg_wal's size comes with the role's row). */
const walFacts = (info: Row) => ({ dataDirectory: str(info.data_directory) });
/** The listings this role may make, from the SERVER_INFO_SQL row. */
const listingOf = (info: Row): WalListing => ({
  waldir: info.can_ls_waldir === true,
  archive: info.can_ls_archive === true,
});
/** The listings alone (archive_ready, wal_bytes), for a first observation that could not include them. */
const walListingSql = (role: PgRole, versionNum: number, l: WalListing) =>
  `SELECT ${[l.archive && role === 'primary' ? `${archiveReadyExpr(versionNum)} AS archive_ready` : '', l.waldir ? '(SELECT sum(size) FROM pg_ls_waldir())::float8 AS wal_bytes' : ''].filter(Boolean).join(', ') || '1 AS none'}`;

/** The statements of one role (see versions.ts), run together in one round trip. */
function roleStatements(role: PgRole, versionNum: number, timeline: boolean, listing: WalListing): string[] {
  return role === 'standby'
    ? [standbySql(versionNum, listing), ...(timeline ? [STANDBY_TIMELINE_SQL] : [])]
    : [primaryPositionSql(versionNum, listing), primarySql(versionNum), slotsSql(versionNum)];
}

/**
 * Runs several statements as one simple-protocol query (one round trip; an error aborts the
 * rest) and returns the rows of each.
 */
async function multi(c: PgClient, statements: string[]): Promise<Row[][]> {
  const r = (await c.query(statements.join(';\n'))) as unknown as { rows: Row[] } | Array<{ rows: Row[] }>;
  return (Array.isArray(r) ? r : [r]).map((x) => x.rows);
}

/**
 * The role's statements as one named prepared statement (resident sessions; versions.ts
 * standbyObservationSql, primaryObservationSql): rows in the shape multi() returns for
 * [SERVER_INFO_SQL, ...roleStatements()]. The name holds the role, the major and the timeline
 * choice, all the text depends on; node-postgres parses it on first use on a connection.
 */
async function prepared(
  c: PgClient,
  role: PgRole,
  versionNum: number,
  timeline: boolean,
  listing: WalListing,
): Promise<Row[][]> {
  const major = Math.floor(versionNum / 10000);
  const lists = `${listing.waldir ? '_w' : ''}${listing.archive ? '_a' : ''}`;
  const name =
    role === 'standby' ? `pgsr_standby_${major}${timeline ? '_tl' : ''}${lists}` : `pgsr_primary_${major}${lists}`;
  // Built once per name, not every interval (node-postgres compares it with what it parsed).
  let text = preparedTexts.get(name);
  if (text === undefined)
    preparedTexts.set(
      name,
      (text =
        role === 'standby'
          ? standbyObservationSql(versionNum, timeline, listing)
          : primaryObservationSql(versionNum, listing)),
    );
  const row = (await c.query({ name, text })).rows[0] as Row;
  return role === 'standby'
    ? [[row], [row], [row]]
    : [[row], [row], (row.walsenders ?? []) as Row[], (row.slots ?? []) as Row[]];
}
const preparedTexts = new Map<string, string>();

/**
 * Observes one server with a connection of its own (one-shot `pgsr check`).
 * @param deadline absolute time (epoch ms) by which the observation must be over.
 */
export async function observe(
  conn: ConnectionSettings,
  deadline: number,
  senderProbe?: SenderProbePolicy,
  roleHint?: PgRole,
): Promise<Observation> {
  const session = new ProbeSession(conn, { senderProbe, roleHint });
  try {
    return await session.observe(deadline);
  } finally {
    await session.close();
  }
}
