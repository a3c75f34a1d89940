/**
 * The lifecycle commands carried out: start, stop, promote, rebuild, switchover, archive
 * hold/resume/status and unlock. Each gathers facts (probe/), asks lifecycle/plan.ts what to do,
 * then runs the steps with bounded child processes and SQL, recording every step. Server-side
 * programs run as the PostgreSQL OS user; files written in PGDATA get the data directory's owner.
 *
 * Procedures follow seed 000 chapter 7 (promote, failback with pg_basebackup, archive_command
 * while the standby is down), seed 002 chapters 4-6 (lock, stop order, rebuild) and seed 003
 * scenario 1 (stop fast then immediate, promote, rebuild, switch back).
 */
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { addressOf } from '../config/conninfo';
import type { ConnectionSettings, LifecycleConfig } from '../config/resolve';
import { ConfigError } from '../errors';
import { lastLine, runAs } from '../host/exec';
import { passwdEntry } from '../host/passwd';
import { probeSender, senderTarget } from '../probe/liveness';
import { lookupPassword } from '../probe/pgpass';
import { findBinaries, localFacts, orphanBackends, parseControlData, type Binaries, type LocalFacts } from '../probe/local';
import { withConnection, type SqlRunner } from '../probe/observe';
import { SQL, setArchiveCommand } from '../probe/statements';
import { PRIMARY_POSITION_SQL, STANDBY_TIMELINE_SQL, archiveReadySql, walReceiverSenderSql } from '../probe/versions';
import type { PgRole } from '../types';
import { readConfSetting, setConfSettings, standbySettings } from './conf';
import { removeLock, writeLock } from './lock';
import { decideStart, describeEvidence, peerVerdict, promoteBlockers, rebuildMethods, type ActionResult, type Outcome, type PeerAnswer, type PromoteEvidence, type StepReport } from './plan';
import { loadExeca } from '../host/execa';


/**
 * Prefix of the archive_command pgsr sets while archiving is held (seed 000 7.3 uses `true`).
 * The previous value follows as a shell comment (base64 JSON), so the server's own
 * configuration remembers it: no file, no custom setting (ALTER SYSTEM refuses unknown ones).
 */
export const HELD_ARCHIVE_PREFIX = 'true # pgsr archive hold; previous (base64 JSON): ';

/** The held archive_command carrying the previous value. */
export function heldArchiveCommand(previous: { value: string; fromAuto: boolean }): string {
  return HELD_ARCHIVE_PREFIX + Buffer.from(JSON.stringify(previous), 'utf8').toString('base64');
}

/** The previous value carried by a held archive_command; undefined when not held or unreadable. */
export function previousArchiveCommand(held: string): { value: string; fromAuto: boolean } | undefined {
  if (!held.startsWith(HELD_ARCHIVE_PREFIX)) return undefined;
  try {
    const p = JSON.parse(Buffer.from(held.slice(HELD_ARCHIVE_PREFIX.length), 'base64').toString('utf8')) as { value: unknown; fromAuto: unknown };
    return typeof p.value === 'string' ? { value: p.value, fromAuto: p.fromAuto === true } : undefined;
  } catch {
    return undefined;
  }
}

/** One running command: deadline, steps, facts. */
class Run {
  readonly t0 = Date.now();
  readonly deadline: number;
  readonly steps: StepReport[] = [];
  readonly facts: ActionResult['facts'] = {};
  constructor(
    readonly action: string,
    readonly cfg: LifecycleConfig,
  ) {
    this.deadline = this.t0 + cfg.common.timeoutMs;
  }
  remaining(): number {
    return Math.max(1, this.deadline - Date.now());
  }
  /** Runs (or in dry-run only records) one step; a thrown error fails the step and the command. */
  async step<T>(name: string, fn: () => Promise<T> | T, detail?: (v: T) => string | undefined): Promise<T | undefined> {
    if (this.cfg.dryRun) {
      this.steps.push({ step: name, status: 'planned' });
      return undefined;
    }
    const t = Date.now();
    try {
      const v = await fn();
      this.steps.push({ step: name, status: 'done', detail: detail?.(v), ms: Date.now() - t });
      return v;
    } catch (err) {
      this.steps.push({ step: name, status: 'failed', detail: (err as Error).message, ms: Date.now() - t });
      throw new StepFailed(`${name}: ${(err as Error).message}`);
    }
  }
  result(outcome: Outcome, summary: string, reasons: string[] = []): ActionResult {
    return { action: this.action, outcome, summary, reasons, steps: this.steps, facts: this.facts, durationMs: Date.now() - this.t0 };
  }
}

/** A step failed; the command reports `failed` with this message. */
class StepFailed extends Error {}

/** Wraps an action so that a failed step becomes a `failed` result (never an exception). */
async function guarded(run: Run, body: () => Promise<ActionResult>): Promise<ActionResult> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof StepFailed) return run.result('failed', err.message);
    throw err;
  }
}

/**
 * The data directory of a command. A wrong one is a configuration error (exit 5): it must hold
 * PG_VERSION, except for rebuild (`mayBeEmpty`), which may create it but needs its parent.
 */
function requirePgdata(cfg: LifecycleConfig, mayBeEmpty = false): string {
  if (!cfg.pgdata) throw new ConfigError('--pgdata (or PGDATA) is required');
  const pgdata = cfg.pgdata.replace(/\/+$/, '');
  if (!existsSync(join(pgdata, 'PG_VERSION'))) {
    if (!mayBeEmpty) throw new ConfigError(`${pgdata} is not a PostgreSQL data directory (no PG_VERSION)`);
    if (!existsSync(dirname(pgdata))) throw new ConfigError(`the parent directory of ${pgdata} does not exist`);
  }
  return pgdata;
}

/** Binaries for a data directory; a configuration error when pg_ctl/postgres are missing. */
function binaries(cfg: LifecycleConfig, major: number | null): Binaries {
  const bin = findBinaries(cfg.bindir, major);
  if (!bin.pg_ctl || !bin.postgres) throw new ConfigError(`no pg_ctl/postgres in ${bin.bindir} (set --bindir to the PostgreSQL ${major ?? ''} bin directory)`);
  return bin;
}

async function facts(run: Run, pgdata: string): Promise<{ f: LocalFacts; bin: Binaries }> {
  let major: number | null = null;
  try {
    major = Number(readFileSync(join(pgdata, 'PG_VERSION'), 'utf8').trim()) || null;
  } catch {
    major = null;
  }
  const bin = binaries(run.cfg, major);
  const f = await localFacts(pgdata, bin, run.cfg.common.osUser, run.remaining());
  run.facts.pgdata = pgdata;
  run.facts.major = f.major;
  run.facts.state = f.state;
  return { f, bin };
}

/**
 * How to reach the local server over SQL: the configured host/port, else what postmaster.pid
 * says (TCP on its first listen address, 127.0.0.1 for a wildcard; else its socket directory).
 */
export function localConnection(cfg: LifecycleConfig, pid?: LocalFacts['pidFile']): ConnectionSettings {
  const c = { ...cfg.common.connection };
  Object.defineProperty(c, 'envPassword', { value: cfg.common.connection.envPassword, enumerable: false });
  if (pid && !cfg.portGiven && pid.port) c.port = pid.port;
  if (pid && !cfg.hostGiven) {
    const listen = (pid.listenAddr ?? '').split(',')[0]?.trim();
    if (listen) c.host = listen === '*' || listen === '0.0.0.0' ? '127.0.0.1' : listen === '::' ? '::1' : listen;
    else if (pid.socketDir) c.host = pid.socketDir.split(',')[0].trim();
  }
  return c;
}

/** Connection settings for another server given by a conninfo (password from the password files). */
function remoteConnection(cfg: LifecycleConfig, conninfo: string): ConnectionSettings {
  const a = addressOf(conninfo);
  const c: ConnectionSettings = { ...cfg.common.connection, host: a.host ?? 'localhost', port: a.port ? Number(a.port) : 5432, user: a.user ?? cfg.common.connection.user, database: a.dbname ?? 'postgres' };
  Object.defineProperty(c, 'envPassword', { value: cfg.common.connection.envPassword, enumerable: false });
  return c;
}

/** Runs SQL on a server; throws a one-line Error on failure (for steps). */
async function sql<T>(conn: ConnectionSettings, deadline: number, fn: (q: SqlRunner) => Promise<T>): Promise<T> {
  const r = await withConnection(conn, deadline, fn);
  if (!r.ok) throw new Error(`${conn.host}:${conn.port}: ${r.failure.detail}`);
  return r.value;
}

/** The role a running server answers with, or null when it cannot be asked. */
async function roleOf(conn: ConnectionSettings, deadline: number): Promise<PgRole | null> {
  const r = await withConnection(conn, deadline, async (q) => (await q(SQL.inRecovery))[0].r === true);
  return r.ok ? (r.value ? 'standby' : 'primary') : null;
}

/** Writes a file in PGDATA owned like PGDATA. */
function writeOwned(f: LocalFacts, path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  if (f.owner && process.getuid?.() === 0) chownSync(path, f.owner.uid, f.owner.gid);
}

/**
 * Writes the standby configuration of the data directory's major (see lifecycle/conf.ts). With
 * no conninfo, an existing primary_conninfo is kept (recovery.done brought back on 11).
 */
function writeStandbyConfig(f: LocalFacts, conninfo: string | undefined): string {
  const major = f.major ?? 0;
  if (major >= 12) {
    writeOwned(f, join(f.pgdata, 'standby.signal'), '');
    rmSync(join(f.pgdata, 'recovery.signal'), { force: true });
    if (conninfo) {
      const auto = join(f.pgdata, 'postgresql.auto.conf');
      const text = existsSync(auto) ? readFileSync(auto, 'utf8') : '';
      writeOwned(f, auto, setConfSettings(text, standbySettings(major, conninfo)));
      return 'standby.signal + primary_conninfo in postgresql.auto.conf';
    }
    return 'standby.signal (existing primary_conninfo kept)';
  }
  const conf = join(f.pgdata, 'recovery.conf');
  const done = join(f.pgdata, 'recovery.done');
  const base = existsSync(conf) ? readFileSync(conf, 'utf8') : existsSync(done) ? readFileSync(done, 'utf8') : '';
  const target = conninfo ?? readConfSetting(base, 'primary_conninfo');
  // Without an upstream, a standby still waits in recovery (standby_mode) until one is configured.
  const settings = target ? standbySettings(major, target) : { standby_mode: 'on', recovery_target_timeline: 'latest' };
  writeOwned(f, conf, setConfSettings(base, settings));
  return base ? 'recovery.conf written (other settings kept)' : 'recovery.conf written';
}

/** Makes the data directory start as a primary: no standby.signal / recovery.conf. */
function clearStandbyConfig(f: LocalFacts): string {
  if ((f.major ?? 0) >= 12) {
    rmSync(join(f.pgdata, 'standby.signal'), { force: true });
    return 'standby.signal removed';
  }
  if (existsSync(join(f.pgdata, 'recovery.conf'))) {
    renameSync(join(f.pgdata, 'recovery.conf'), join(f.pgdata, 'recovery.done'));
    return 'recovery.conf moved to recovery.done';
  }
  return 'no recovery.conf';
}

async function pgCtlStart(run: Run, f: LocalFacts, bin: Binaries): Promise<string> {
  const log = run.cfg.serverLog ?? join(f.pgdata, 'pgsr-postmaster.log');
  const secs = Math.max(1, Math.floor(run.remaining() / 1000) - 1);
  const r = await runAs(run.cfg.common.osUser, bin.pg_ctl as string, ['start', '-D', f.pgdata, '-l', log, '-w', '-t', String(secs)], { timeoutMs: run.remaining() });
  if (r.exitCode !== 0) {
    const tail = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').slice(-2).join(' / ') : '';
    throw new Error(`pg_ctl start failed (${lastLine(r)})${tail ? `; server log: ${tail}` : ''}`);
  }
  return `log ${log}`;
}

/**
 * Kills what a dead postmaster left on this data directory (backends keep the shared memory
 * attached, and a new postmaster refuses to start while they live). Returns true if any.
 */
async function killOrphans(run: Run, pgdata: string): Promise<boolean> {
  const orphans = orphanBackends(pgdata);
  if (!orphans.length) return false;
  await run.step(`kill ${orphans.length} orphaned backend(s) of a dead postmaster`, async () => {
    for (const pid of orphans) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await waitUntil(run, 'the orphaned backends to exit', async () => orphanBackends(pgdata).length === 0);
    return orphans.join(',');
  }, (v) => `pids ${v}`);
  return true;
}

/** Polls `probe` every `everyMs` (default 100 ms) until true or the deadline (the run's, or an earlier `until`). */
async function waitUntil(run: Run, what: string, probe: () => Promise<boolean>, everyMs = 100, until = run.deadline): Promise<void> {
  const end = Math.min(until, run.deadline);
  for (let i = 0; i < 1_000_000; i++) {
    if (await probe().catch(() => false)) return;
    if (Date.now() + everyMs >= end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** True when the server's walreceiver streams. */
async function isStreaming(run: Run, conn: ConnectionSettings): Promise<boolean> {
  return (await sql(conn, run.deadline, async (q) => (await q(SQL.walReceiverStatus)).at(0)?.status)) === 'streaming';
}

/** Waits (bounded by the run) until the server's walreceiver streams. */
function waitStreaming(run: Run, conn: ConnectionSettings): Promise<void> {
  return waitUntil(run, 'streaming', () => isStreaming(run, conn));
}

// ---------------------------------------------------------------------------------------------
// start

/**
 * `pgsr start [--as standby|primary]`: default role = what the data directory says (standby
 * configuration present → standby). Idempotent.
 * @param lockOverride see decideStart (CLUSTERPRO exec start only).
 */
export async function start(cfg: LifecycleConfig, lockOverride?: (f: LocalFacts, peer: PeerAnswer) => string | undefined, allowNoUpstream = false): Promise<ActionResult> {
  const run = new Run('start', cfg);
  return guarded(run, async () => {
    const pgdata = requirePgdata(cfg);
    const { f, bin } = await facts(run, pgdata);
    const wanted: PgRole = cfg.as ?? (f.standbySignal || f.recoveryConf ? 'standby' : 'primary');
    run.facts.as = wanted;
    const conn = localConnection(cfg, f.pidFile);
    const runningRole = f.state === 'running' ? await roleOf(conn, Math.min(run.deadline, Date.now() + 5000)) : null;
    // Starting as primary: ask the peer every time, lock or not (a cleanly stopped old primary
    // has no lock, and the standby may have been promoted meanwhile).
    const peer: PeerAnswer | undefined = wanted === 'primary' && f.state !== 'running' ? await askPeer(cfg, Math.min(3000, Math.max(500, run.remaining() / 4))) : undefined;
    const pv = peer ? peerVerdict(peer) : undefined;
    if (peer) {
      run.facts.peer = peer.where || null;
      run.facts.peer_answer = peer.answer;
    }
    const override = f.lock && lockOverride && !f.backupLabel && peer ? lockOverride(f, peer) : undefined;
    const d = decideStart(f, wanted, runningRole, Boolean(cfg.primaryConninfo), override, allowNoUpstream, peer);
    if (d.kind === 'already') return run.result('already', d.why);
    if (d.kind === 'refuse') return run.result('refused', d.reasons[0], d.reasons);
    if (cfg.dryRun) {
      if (pv) run.steps.push({ step: `peer check: ${pv.note}`, status: 'done' });
      for (const s of d.steps) run.steps.push({ step: s, status: 'planned' });
      return run.result('planned', `would start as ${wanted}`);
    }
    const lockStep = d.steps.find((x) => x.startsWith('remove the primary lock'));
    if (lockStep) await run.step(lockStep, () => removeLock(pgdata));
    await killOrphans(run, pgdata);
    if (wanted === 'standby') await run.step('standby configuration', () => writeStandbyConfig(f, cfg.primaryConninfo), (v) => v);
    else await run.step('primary configuration', () => clearStandbyConfig(f), (v) => v);
    await run.step('pg_ctl start -w', () => pgCtlStart(run, f, bin), (v) => v);
    const started = localConnection(cfg, (await localFacts(pgdata, bin, cfg.common.osUser, run.remaining())).pidFile);
    const role = await run.step('check role', async () => {
      const r = await roleOf(started, run.deadline);
      if (r !== wanted) throw new Error(`the server came up as ${r ?? 'unknown'}, not ${wanted}`);
      return r;
    });
    if (role === 'primary') {
      await run.step('create the primary lock', async () => {
        const tl = await sql(started, run.deadline, async (q) => Number((await q(PRIMARY_POSITION_SQL))[0].timeline));
        writeLock(pgdata, { since: new Date().toISOString(), how: 'start', timeline: tl, host: hostname() });
      });
    }
    const done = run.result('done', `started as ${wanted} (PostgreSQL ${f.major})${pv ? `; ${pv.note}` : ''}`);
    if (pv?.warn) done.warnings = [pv.warn];
    return done;
  });
}

/** How --peer-conninfo answers (`none` when not configured); bounded by `timeoutMs`. */
async function askPeer(cfg: LifecycleConfig, timeoutMs: number): Promise<PeerAnswer> {
  if (!cfg.peerConninfo) return { where: '', answer: 'none' };
  const c = remoteConnection(cfg, cfg.peerConninfo);
  const where = `${c.host}:${c.port}`;
  const r = await withConnection(c, Date.now() + timeoutMs, async (q) => (await q(SQL.inRecovery))[0].r === true);
  if (r.ok) return { where, answer: r.value ? 'standby' : 'primary' };
  return r.failure.kind === 'refused' ? { where, answer: 'refused', detail: r.failure.detail } : { where, answer: 'unknown', detail: r.failure.detail };
}

// ---------------------------------------------------------------------------------------------
// stop

/**
 * `pgsr stop`: `pg_ctl stop -m fast`, then `-m immediate` if fast did not finish within
 * --fast-timeout (seed 003: stop leftovers fast then immediate). Already stopped = success; a
 * stale postmaster.pid is left for PostgreSQL itself to discard (never deleted by pgsr). A clean
 * (fast) stop removes the primary lock; an immediate stop keeps it.
 */
export async function stop(cfg: LifecycleConfig, opts: { noImmediate?: boolean } = {}): Promise<ActionResult> {
  const run = new Run('stop', cfg);
  return guarded(run, async () => {
    const pgdata = requirePgdata(cfg);
    const { f, bin } = await facts(run, pgdata);
    if (f.state === 'no-data') return run.result('refused', `${pgdata} is not a PostgreSQL data directory`, [`${pgdata} is not a PostgreSQL data directory`]);
    if (f.state === 'stopped') {
      if (!cfg.dryRun && (await killOrphans(run, pgdata))) return run.result('done', 'stopped: the postmaster was already dead; its orphaned backends were killed');
      const stale = f.pidFile ? `; stale postmaster.pid (pid ${f.pidFile.pid}) left for PostgreSQL to discard at the next start` : '';
      return run.result('already', `already stopped${stale}`);
    }
    if (cfg.dryRun) {
      run.steps.push({ step: `pg_ctl stop -m fast (${cfg.fastTimeoutMs / 1000}s)`, status: 'planned' }, { step: 'pg_ctl stop -m immediate if fast did not finish', status: 'planned' });
      return run.result('planned', 'would stop the server');
    }
    const osUser = cfg.common.osUser;
    const fastSecs = Math.max(1, Math.floor(Math.min(cfg.fastTimeoutMs, run.remaining() - 2000) / 1000));
    let clean = false;
    const t = Date.now();
    const fast = await runAs(osUser, bin.pg_ctl as string, ['stop', '-D', pgdata, '-m', 'fast', '-w', '-t', String(fastSecs)], { timeoutMs: fastSecs * 1000 + 2000 });
    if (fast.exitCode === 0) {
      clean = true;
      run.steps.push({ step: 'pg_ctl stop -m fast', status: 'done', ms: Date.now() - t });
    } else if (opts.noImmediate) {
      // The caller forbids the escalation (switchover): report, leave the server to finish.
      run.steps.push({ step: 'pg_ctl stop -m fast', status: 'failed', detail: lastLine(fast), ms: Date.now() - t });
      run.facts.clean = false;
      return run.result('failed', `fast shutdown did not finish within ${fastSecs} s (not escalated to immediate)`);
    } else {
      run.steps.push({ step: 'pg_ctl stop -m fast', status: 'failed', detail: lastLine(fast), ms: Date.now() - t });
      await run.step('pg_ctl stop -m immediate', async () => {
        const secs = Math.max(1, Math.floor(run.remaining() / 1000) - 1);
        const imm = await runAs(osUser, bin.pg_ctl as string, ['stop', '-D', pgdata, '-m', 'immediate', '-w', '-t', String(secs)], { timeoutMs: run.remaining() });
        if (imm.exitCode !== 0) throw new Error(lastLine(imm));
      });
    }
    if (clean && f.lock) await run.step('remove the primary lock (clean stop)', () => removeLock(pgdata));
    run.facts.clean = clean;
    return run.result('done', clean ? 'stopped (fast, clean shutdown)' : 'stopped (immediate after fast did not finish: crash recovery at next start)');
  });
}

// ---------------------------------------------------------------------------------------------
// promote

/**
 * `pgsr promote`: only from a running standby, only when the old primary is not reachable as a
 * primary (unless --force): checked through the walreceiver, --primary-conninfo, --peer-conninfo
 * and the standby's own primary_conninfo (`probeOldPrimaries: false` keeps only the walreceiver
 * check: under Pacemaker the old primary is demoted/stopped or fenced before promote, and
 * probing a floating IP nobody holds would only wait out its timeout). pg_promote() from 12, `pg_ctl promote` before; waits
 * (bounded) until pg_is_in_recovery() is false; creates the primary lock; runs
 * --post-promote-command (e.g. seed 000's `ip addr add` of the service address) with the
 * remaining time.
 */
export async function promote(cfg: LifecycleConfig, opts: { probeOldPrimaries?: boolean; clusterReleased?: boolean } = {}): Promise<ActionResult> {
  const probeOldPrimaries = opts.probeOldPrimaries ?? true;
  const run = new Run('promote', cfg);
  return guarded(run, async () => {
    const pgdata = requirePgdata(cfg);
    const { f, bin } = await facts(run, pgdata);
    const conn = localConnection(cfg, f.pidFile);
    const role = f.state === 'running' ? await roleOf(conn, Math.min(run.deadline, Date.now() + 5000)) : null;
    if (role === 'primary') return run.result('already', 'already a primary (not in recovery)');
    const evidence: PromoteEvidence = { walreceiver: { status: null, sender: null, lastMsgAgeS: null }, candidates: [] };
    const candidates = new Set<string>();
    if (role === 'standby') {
      const st = await sql(conn, run.deadline, async (q) => {
        const pos = (await q(SQL.standbyPositions))[0];
        const w = (await q(walReceiverSenderSql(Number(pos.v)))).at(0) as { status?: string; sender_host?: string | null; sender_port?: number | null; conninfo?: string | null; last_msg_age_s?: number | null } | undefined;
        let tl: number | null = null;
        try {
          tl = Number((await q(STANDBY_TIMELINE_SQL))[0].timeline);
        } catch {
          tl = null;
        }
        let configured: string | null = null;
        if (Number(pos.v) >= 120000) configured = String((await q(SQL.primaryConninfo))[0].c ?? '');
        return { w, pos, tl, configured };
      });
      const sender = st.w ? senderTarget(st.w.sender_host, st.w.sender_port, st.w.conninfo) : undefined;
      evidence.walreceiver = { status: st.w?.status ?? null, sender: sender ? `${sender.host}:${sender.port}` : null, lastMsgAgeS: st.w?.last_msg_age_s ?? null };
      run.facts.received_lsn = String(st.pos.received ?? '');
      run.facts.replayed_lsn = String(st.pos.replayed ?? '');
      run.facts.timeline_before = st.tl;
      run.facts.walreceiver = evidence.walreceiver.status;
      // A streaming walreceiver whose primary went silent: ask the primary's postmaster (a power
      // loss sends no FIN), so the refusal can say what is known.
      if (evidence.walreceiver.status === 'streaming' && sender && !cfg.force && !opts.clusterReleased) {
        const p = await probeSender(sender.host, sender.port, Math.min(3000, Math.max(100, run.remaining() - 1000)));
        evidence.senderProbe = { result: p.result, detail: p.detail };
      }
      const fromRecovery = (f.major ?? 0) < 12 && existsSync(join(pgdata, 'recovery.conf')) ? readConfSetting(readFileSync(join(pgdata, 'recovery.conf'), 'utf8'), 'primary_conninfo') : undefined;
      for (const c of [cfg.primaryConninfo, cfg.peerConninfo, st.configured ?? undefined, fromRecovery]) if (c) candidates.add(c);
    }
    if (role === 'standby' && !cfg.force && probeOldPrimaries) {
      const asked = new Set<string>();
      for (const c of candidates) {
        const target = remoteConnection(cfg, c);
        const where = `${target.host}:${target.port}`;
        if (asked.has(where)) continue;
        asked.add(where);
        const r = await withConnection(target, Math.min(run.deadline, Date.now() + 3000), async (q) => (await q(SQL.inRecovery))[0].r === true);
        evidence.candidates.push(r.ok ? { where, answer: r.value ? 'standby' : 'primary' } : r.failure.kind === 'refused' ? { where, answer: 'refused' } : { where, answer: 'unknown', detail: r.failure.detail });
      }
    }
    const blockers = promoteBlockers(f, role, evidence, { force: cfg.force, clusterReleased: opts.clusterReleased });
    if (blockers.length) return run.result('refused', `${blockers[0]} [${describeEvidence(evidence)}]`, [...blockers, describeEvidence(evidence)]);
    if (cfg.dryRun) {
      run.steps.push({ step: (f.major ?? 0) >= 12 ? 'SELECT pg_promote(wait => false)' : 'pg_ctl promote', status: 'planned' }, { step: 'wait until not in recovery', status: 'planned' }, { step: 'create the primary lock', status: 'planned' });
      if (cfg.postPromoteCommand) run.steps.push({ step: `run ${cfg.postPromoteCommand}`, status: 'planned' });
      return run.result('planned', `would promote (received ${run.facts.received_lsn}, replayed ${run.facts.replayed_lsn}, timeline ${run.facts.timeline_before})`);
    }
    const t0 = Date.now();
    if ((f.major ?? 0) >= 12) {
      // pg_promote(wait => false), then our own 10 ms polling below: the server-side wait (and
      // pg_ctl promote -w) check for the end of recovery only every 100 ms.
      await run.step('SELECT pg_promote(wait => false)', () =>
        sql(conn, run.deadline, async (q) => {
          const ok = (await q(SQL.promoteNoWait))[0].ok;
          if (ok !== true) throw new Error('pg_promote() returned false (promotion not signalled)');
        }),
      );
    } else {
      await run.step('pg_ctl promote', async () => {
        const r = await runAs(cfg.common.osUser, bin.pg_ctl as string, ['promote', '-D', pgdata, '-w', '-t', String(Math.max(1, Math.floor(run.remaining() / 1000) - 1))], { timeoutMs: run.remaining() });
        if (r.exitCode !== 0) throw new Error(lastLine(r));
      });
    }
    // One kept connection, polled every 10 ms (a hot standby accepts read-only sessions throughout).
    await run.step('wait until not in recovery', () =>
      sql(conn, run.deadline, (q) => waitUntil(run, 'the end of recovery', async () => (await q(SQL.inRecovery))[0].r === false, 10)),
    );
    const writableMs = Date.now() - t0;
    const pos = await run.step('read the new timeline', () => sql(conn, run.deadline, async (q) => (await q(PRIMARY_POSITION_SQL))[0]));
    run.facts.timeline_after = pos ? Number(pos.timeline) : null;
    run.facts.writable_after_ms = writableMs;
    await run.step('create the primary lock', () => writeLock(pgdata, { since: new Date().toISOString(), how: 'promote', timeline: (run.facts.timeline_after as number) ?? null, host: hostname() }));
    const promoted = `timeline ${run.facts.timeline_before ?? '?'} -> ${run.facts.timeline_after ?? '?'}, last replayed ${run.facts.replayed_lsn}, writable after ${writableMs} ms`;
    if (cfg.postPromoteCommand) {
      const cmd = cfg.postPromoteCommand;
      const r = await (await loadExeca())('/bin/sh', ['-c', cmd], { reject: false, timeout: Math.max(100, run.remaining()), forceKillAfterDelay: 500, stdin: 'ignore', all: true });
      const ok = r.exitCode === 0;
      const why = r.timedOut ? 'timed out' : `exit ${r.exitCode}${String(r.all ?? '').trim() ? `: ${String(r.all ?? '').trim().split('\n').at(-1)}` : ''}`;
      run.steps.push({ step: `post-promote command: ${cmd}`, status: ok ? 'done' : 'failed', detail: ok ? undefined : why });
      run.facts.post_promote_command = ok ? 'ok' : 'failed';
      // The promotion cannot be undone: say that it stands, and fail loudly for the command.
      if (!ok) return run.result('partial', `promoted (the promotion stands: ${promoted}) but the post-promote command failed (${why}): run it by hand`);
      return run.result('done', `promoted: ${promoted}; post-promote command ok`);
    }
    return run.result('done', `promoted: ${promoted}`);
  });
}

// ---------------------------------------------------------------------------------------------
// rebuild

/**
 * `pgsr rebuild --from CONNINFO`: makes this node a standby of the current primary. Stops the
 * local server if it runs (fast, then immediate), tries pg_rewind when allowed, else
 * pg_basebackup -X stream -c fast into a new directory and moves the old one aside with a
 * timestamp (deleted only with --discard-old). The node's own top-level *.conf files
 * (postgresql.conf, pg_hba.conf, pg_ident.conf, postgresql.auto.conf, includes) are restored
 * over the copied ones, so its port and archive_command survive (seed 000 failback). Then the
 * standby configuration, start, and a bounded wait until it streams.
 */
export async function rebuild(cfg: LifecycleConfig): Promise<ActionResult> {
  const run = new Run('rebuild', cfg);
  return guarded(run, async () => {
    const pgdata = requirePgdata(cfg, true);
    if (!cfg.from) throw new ConfigError('--from CONNINFO (the current primary) is required');
    const from = cfg.from;
    const { f, bin } = await facts(run, pgdata);
    const source = remoteConnection(cfg, from);
    run.facts.source = `${source.host}:${source.port}`;
    const src = await withConnection(source, Math.min(run.deadline, Date.now() + 10_000), async (q) => (await q(SQL.roleAndVersion))[0]);
    if (!src.ok) return run.result('refused', `cannot reach the source ${source.host}:${source.port}: ${src.failure.detail}`, [src.failure.detail]);
    const srcMajor = Math.floor(Number(src.value.v) / 10000);
    if (src.value.r === true) return run.result('refused', `the source ${source.host}:${source.port} is a standby, not a primary`, ['source is in recovery']);
    if (f.major !== null && f.major !== srcMajor) return run.result('refused', `the source runs PostgreSQL ${srcMajor}, this data directory is ${f.major}`, ['major versions differ']);

    if (f.state === 'running') {
      const conn = localConnection(cfg, f.pidFile);
      // A running primary: rebuilding it throws away everything it wrote since the histories
      // diverged, and leaves the pair without that primary. Only with --force, and say what goes.
      const here = await withConnection(conn, Math.min(run.deadline, Date.now() + 5000), async (q) => ((await q(SQL.inRecovery))[0].r === true ? undefined : (await q(PRIMARY_POSITION_SQL))[0]));
      if (here.ok && here.value) {
        const there = await withConnection(source, Math.min(run.deadline, Date.now() + 5000), async (q) => (await q(PRIMARY_POSITION_SQL))[0]);
        const mine = `timeline ${here.value.timeline}, WAL at ${here.value.current_lsn}`;
        const theirs = there.ok ? `timeline ${there.value.timeline}, WAL at ${there.value.current_lsn}` : 'position unreadable';
        run.facts.local_timeline = Number(here.value.timeline);
        run.facts.local_lsn = String(here.value.current_lsn);
        if (!cfg.force) {
          const why = `this node is a running primary (${mine}); the source ${source.host}:${source.port} is at ${theirs}: rebuilding would stop it and discard whatever it wrote that the source does not have; stop it first, or --force`;
          return run.result('refused', why, [why]);
        }
        run.steps.push({ step: 'rebuild a running primary (--force)', status: 'done', detail: `discarding ${mine} for ${theirs}` });
      }
      const streaming = await withConnection(conn, Math.min(run.deadline, Date.now() + 5000), async (q) => {
        const v = Number((await q(SQL.versionNum))[0].v);
        const w = (await q(walReceiverSenderSql(v))).at(0) as { status?: string; sender_host?: string | null; sender_port?: number | null } | undefined;
        // Streaming from the source itself (checked where the server reports its sender, 11+).
        const fromSource = !w?.sender_host || (w.sender_host === source.host && Number(w.sender_port) === source.port);
        return w?.status === 'streaming' && fromSource && (await q(SQL.inRecovery))[0].r === true;
      }).catch(() => ({ ok: false as const }));
      if (streaming.ok && streaming.value && !f.lock) return run.result('already', 'already a streaming standby');
    }
    let methods = rebuildMethods(cfg.method, Boolean(bin.pg_rewind), f.initialized);
    // pg_basebackup copies servers of its own major and older only.
    const bbMajor = bin.pg_basebackup ? await toolMajor(bin.pg_basebackup) : null;
    if (methods.includes('basebackup') && (bbMajor === null || bbMajor < srcMajor)) {
      methods = methods.filter((m) => m !== 'basebackup');
      if (!methods.length) {
        const why = bbMajor === null ? 'no pg_basebackup found' : `pg_basebackup ${bbMajor} (${bin.pg_basebackup}) cannot copy PostgreSQL ${srcMajor}`;
        return run.result('refused', `${why}: install the PostgreSQL ${srcMajor} client tools or give --bindir`, [why]);
      }
    }
    if (cfg.dryRun) {
      if (f.state === 'running') run.steps.push({ step: 'stop the local server (fast, then immediate)', status: 'planned' });
      run.steps.push({ step: 'keep the local *.conf files', status: 'planned' });
      for (const m of methods) run.steps.push({ step: m === 'rewind' ? 'pg_rewind from the source' : 'pg_basebackup -X stream -c fast into a new directory, old one moved aside', status: 'planned' });
      run.steps.push({ step: 'write the standby configuration, start, wait for streaming', status: 'planned' });
      return run.result('planned', `would rebuild from ${source.host}:${source.port} (${methods.join(', then ')})`);
    }
    if (f.state === 'running') {
      const stopped = await stop({ ...cfg, common: { ...cfg.common, timeoutMs: Math.max(1000, run.remaining() / 2) } });
      run.steps.push({ step: 'stop the local server', status: stopped.outcome === 'done' || stopped.outcome === 'already' ? 'done' : 'failed', detail: stopped.summary });
      if (stopped.outcome === 'failed' || stopped.outcome === 'refused') return run.result('failed', `could not stop the local server: ${stopped.summary}`);
    }
    const kept = f.initialized ? savedConf(pgdata) : {};
    run.steps.push({ step: 'keep the local *.conf files', status: 'done', detail: Object.keys(kept).join(', ') || 'none' });
    const osUser = cfg.common.osUser;
    // pg_rewind and pg_basebackup authenticate with the credentials the check uses: the password
    // pgsr finds for the source (PGPASSWORD, or the password files it searches, root's included)
    // goes to them in a private password file named by PGPASSFILE, never in argv.
    const handover = credentialHandover(cfg, source, f.owner ?? passwdEntry(osUser));
    const passEnv = handover.env;
    let used: string | undefined;
    let oldDir: string | undefined;
    try {
    for (const m of methods) {
      if (m === 'rewind') {
        const t = Date.now();
        const r = await runAs(osUser, bin.pg_rewind as string, [`--target-pgdata=${pgdata}`, `--source-server=${from}`], { timeoutMs: run.remaining(), env: passEnv });
        const ok = r.exitCode === 0;
        run.steps.push({ step: 'pg_rewind', status: ok ? 'done' : 'failed', detail: ok ? undefined : lastLine(r), ms: Date.now() - t });
        if (ok) {
          used = 'pg_rewind';
          break;
        }
      } else {
        const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
        const newDir = `${pgdata}.pgsr-new-${stamp}`;
        const t = Date.now();
        mkdirSync(newDir, { mode: 0o700 });
        const owner = f.owner ?? passwdEntry(osUser);
        if (owner && process.getuid?.() === 0) chownSync(newDir, owner.uid, owner.gid);
        const r = await runAs(osUser, bin.pg_basebackup as string, ['-D', newDir, '-d', from, '-X', 'stream', '-c', 'fast', '-w'], { timeoutMs: run.remaining(), env: passEnv });
        if (r.exitCode !== 0) {
          rmSync(newDir, { recursive: true, force: true });
          run.steps.push({ step: 'pg_basebackup', status: 'failed', detail: lastLine(r), ms: Date.now() - t });
          continue;
        }
        run.steps.push({ step: 'pg_basebackup -X stream -c fast', status: 'done', detail: newDir, ms: Date.now() - t });
        if (existsSync(pgdata)) {
          oldDir = `${pgdata}.pgsr-old-${stamp}`;
          renameSync(pgdata, oldDir);
        }
        renameSync(newDir, pgdata);
        if (oldDir && cfg.discardOld) {
          rmSync(oldDir, { recursive: true, force: true });
          run.steps.push({ step: 'discard the old data directory', status: 'done', detail: oldDir });
          oldDir = undefined;
        } else if (oldDir) run.steps.push({ step: 'move the old data directory aside', status: 'done', detail: oldDir });
        used = 'pg_basebackup';
        break;
      }
    }
    } finally {
      handover.remove();
    }
    if (!used) return run.result('failed', `rebuild failed: ${run.steps.filter((s) => s.status === 'failed').map((s) => `${s.step}: ${s.detail}`).join('; ')}`);
    run.facts.method = used;
    if (oldDir) run.facts.old_data = oldDir;
    const nf = await localFacts(pgdata, bin, osUser, run.remaining());
    await run.step('remove copied lock and recovery files', () => {
      removeLock(pgdata);
      for (const x of ['standby.signal', 'recovery.signal', 'recovery.conf', 'recovery.done']) rmSync(join(pgdata, x), { force: true });
    });
    await run.step('restore the local configuration files', () => {
      for (const [name, text] of Object.entries(kept)) writeOwned(nf, join(pgdata, name), text);
      return Object.keys(kept).length;
    });
    await run.step('standby configuration', () => writeStandbyConfig({ ...nf, standbySignal: false, recoveryConf: false }, cfg.primaryConninfo ?? from), (v) => v);
    await run.step('pg_ctl start -w', () => pgCtlStart(run, nf, bin), (v) => v);
    const conn = localConnection(cfg, (await localFacts(pgdata, bin, osUser, run.remaining())).pidFile);
    await run.step('wait until streaming', () => waitStreaming(run, conn));
    return run.result('done', `rebuilt by ${used} from ${source.host}:${source.port}; streaming${oldDir ? `; old data kept in ${oldDir}` : ''}`);
  });
}

/**
 * The credentials of pgsr's own connection to `source`, for server tools run as the OS user: a
 * temporary password file (mode 0600, owned by that user, removed afterwards) with one line for
 * the source, named by PGPASSFILE. No password found: the tools search their own ~/.pgpass, or
 * the named PGPASSFILE when one was given.
 */
function credentialHandover(cfg: LifecycleConfig, source: ConnectionSettings, owner: { uid: number; gid: number } | undefined): { env: Record<string, string>; remove: () => void } {
  const c = cfg.common.connection;
  const password = c.envPassword ?? lookupPassword(c.passfiles, { host: source.host, port: source.port, database: 'replication', user: source.user }).password ?? lookupPassword(c.passfiles, { host: source.host, port: source.port, database: source.database, user: source.user }).password;
  if (password === undefined) return { env: c.passfileExplicit ? { PGPASSFILE: c.passfiles[0] } : {}, remove: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'pgsr-pass-'));
  const file = join(dir, 'pgpass');
  const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/:/g, '\\:');
  writeFileSync(file, `${esc(source.host.startsWith('/') ? 'localhost' : source.host)}:${source.port}:*:${esc(source.user)}:${esc(password)}\n`, { mode: 0o600 });
  if (owner && process.getuid?.() === 0) {
    chownSync(dir, owner.uid, owner.gid);
    chownSync(file, owner.uid, owner.gid);
  }
  return { env: { PGPASSFILE: file }, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Major version of a PostgreSQL program from `--version` ("pg_basebackup (PostgreSQL) 15.18"); null if unknown. */
async function toolMajor(path: string): Promise<number | null> {
  const r = await (await loadExeca())(path, ['--version'], { reject: false, timeout: 10_000 });
  const m = /\)\s+(\d+)/.exec(String(r.stdout ?? ''));
  return m ? Number(m[1]) : null;
}

/**
 * The node's own configuration files, by name: every top-level *.conf (postgresql.conf,
 * pg_hba.conf, pg_ident.conf, postgresql.auto.conf, includes) and, up to 11, recovery.conf or
 * recovery.done (restore_command, archive_cleanup_command: seed 000's standby settings).
 */
function savedConf(pgdata: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(pgdata)) {
    if (name.endsWith('.conf') || name === 'recovery.done') out[name] = readFileSync(join(pgdata, name), 'utf8');
  }
  return out;
}


// ---------------------------------------------------------------------------------------------
// switchover

/**
 * `pgsr switchover --pgdata PRIMARY --standby-pgdata STANDBY --primary-conninfo NEW_PRIMARY`:
 * planned role swap of a healthy pair whose two data directories this host can reach (the lab,
 * or one host running both). Stop the primary cleanly (fast; never immediate: an unclean stop
 * aborts the switchover), wait until the standby has received the shutdown checkpoint, promote
 * the standby, restart the old primary as its standby. No rebuild needed (seed 003).
 */
export async function switchover(cfg: LifecycleConfig): Promise<ActionResult> {
  const run = new Run('switchover', cfg);
  return guarded(run, async () => {
    const pgdata = requirePgdata(cfg);
    if (!cfg.standbyPgdata) throw new ConfigError('--standby-pgdata is required (the standby data directory on this host)');
    if (!cfg.primaryConninfo) throw new ConfigError('--primary-conninfo is required (how the old primary will reach the new one)');
    const { f, bin } = await facts(run, pgdata);
    const sf = await localFacts(cfg.standbyPgdata, bin, cfg.common.osUser, run.remaining());
    const pconn = localConnection({ ...cfg, hostGiven: false, portGiven: false }, f.pidFile);
    const sconn = localConnection({ ...cfg, hostGiven: false, portGiven: false }, sf.pidFile);
    const prole = f.state === 'running' ? await roleOf(pconn, Math.min(run.deadline, Date.now() + 5000)) : null;
    const srole = sf.state === 'running' ? await roleOf(sconn, Math.min(run.deadline, Date.now() + 5000)) : null;
    if (prole === 'standby' && srole === 'primary') return run.result('already', 'roles already swapped');
    const reasons: string[] = [];
    if (prole !== 'primary') reasons.push(`${pgdata} is not a running primary`);
    if (srole !== 'standby') reasons.push(`${cfg.standbyPgdata} is not a running standby`);
    let streaming = false;
    if (srole === 'standby') streaming = await isStreaming(run, sconn);
    if (srole === 'standby' && !streaming) reasons.push('the standby is not streaming: a switchover needs a healthy pair');
    if (reasons.length) return run.result('refused', reasons[0], reasons);
    if (cfg.dryRun) {
      for (const s of ['stop the primary (fast, clean)', 'wait until the standby received the shutdown checkpoint', 'promote the standby', 'start the old primary as standby of the new one', 'wait until streaming']) run.steps.push({ step: s, status: 'planned' });
      return run.result('planned', 'would swap the roles');
    }
    // A checkpoint first keeps the shutdown checkpoint short (PAF and Patroni do the same);
    // best effort: a monitoring role without pg_checkpoint may not run it.
    await sql(pconn, run.deadline, (q) => q(SQL.checkpoint)).then(
      () => run.steps.push({ step: 'CHECKPOINT on the primary', status: 'done' }),
      (err: Error) => run.steps.push({ step: 'CHECKPOINT on the primary', status: 'skipped', detail: err.message }),
    );
    const before = String((await sql(pconn, run.deadline, async (q) => (await q(SQL.currentLsn))[0].l)) ?? '');
    // Never immediate: an unclean stop could lose WAL the standby has not received, and the
    // switchover is planned work that may simply be retried.
    const stopped = await stop({ ...cfg, fastTimeoutMs: Math.min(cfg.fastTimeoutMs, run.remaining() / 2), common: { ...cfg.common, timeoutMs: run.remaining() } }, { noImmediate: true });
    run.steps.push({ step: 'stop the primary (fast only)', status: stopped.outcome === 'done' && stopped.facts.clean === true ? 'done' : 'failed', detail: stopped.summary });
    if (stopped.facts.clean !== true) return abortAfterSlowStop(run, cfg, pgdata, bin, stopped.summary);
    // The shutdown checkpoint: exact from pg_controldata when available, else everything after `before`.
    let ckpt = before;
    if (bin.pg_controldata) {
      const cd = await runAs(cfg.common.osUser, bin.pg_controldata, [pgdata], { timeoutMs: Math.min(10_000, run.remaining()) });
      const loc = parseControlData(cd.stdout)['Latest checkpoint location'];
      if (cd.exitCode === 0 && loc) ckpt = loc;
    }
    run.facts.shutdown_checkpoint = ckpt;
    // Keep time for a rollback (start the old primary again) whatever happens next.
    const rollbackReserve = run.deadline - 20_000;
    const received = await waitUntil(run, 'the shutdown checkpoint on the standby', async () => Boolean(await sql(sconn, run.deadline, async (q) => (await q(SQL.receivedPast, [ckpt]))[0].ok)), 100, rollbackReserve).then(
      () => true,
      () => false,
    );
    run.steps.push({ step: 'wait until the standby received the shutdown checkpoint', status: received ? 'done' : 'failed' });
    if (!received) return rollBack(run, cfg, 'the standby did not receive the shutdown checkpoint in time');
    const promoted = await promote({ ...cfg, pgdata: cfg.standbyPgdata, force: true, postPromoteCommand: undefined, common: { ...cfg.common, timeoutMs: Math.max(1000, rollbackReserve - Date.now()) } });
    run.steps.push({ step: 'promote the standby', status: promoted.outcome === 'done' ? 'done' : 'failed', detail: promoted.summary });
    if (promoted.outcome !== 'done') {
      // pg_promote() that failed (an error, or false) did not signal; pg_ctl promote that failed may have.
      const signalled = promoted.steps.some((x) => (x.step.startsWith('SELECT pg_promote') && x.status === 'done') || (x.step === 'pg_ctl promote' && x.status !== 'planned'));
      const stillStandby = (await roleOf(sconn, Math.min(run.deadline, Date.now() + 3000))) === 'standby';
      // Roll back only when the promotion certainly did not start: a signalled promotion that is
      // merely slow would otherwise give two primaries.
      if (!signalled && stillStandby) return rollBack(run, cfg, `promote failed: ${promoted.summary}`);
      return run.result('failed', `promote failed after the primary stopped (${promoted.summary}); the promotion was signalled, so the old primary is NOT restarted (that could make two primaries): check ${cfg.standbyPgdata}, then start ${pgdata} as its standby`);
    }
    const restarted = await start({ ...cfg, as: 'standby', common: { ...cfg.common, timeoutMs: run.remaining() } });
    run.steps.push({ step: 'start the old primary as standby', status: restarted.outcome === 'done' ? 'done' : 'failed', detail: restarted.summary });
    if (restarted.outcome !== 'done') return run.result('failed', `old primary not restarted as standby: ${restarted.summary}`);
    const nconn = localConnection({ ...cfg, hostGiven: false, portGiven: false }, (await localFacts(pgdata, bin, cfg.common.osUser, run.remaining())).pidFile);
    await run.step('wait until streaming', () => waitStreaming(run, nconn));
    return run.result('done', `switched over: ${cfg.standbyPgdata} is primary (timeline ${promoted.facts.timeline_after}), ${pgdata} streams from it`);
  });
}

/**
 * Switchover rollback: the old primary, stopped cleanly, starts again as primary (its standby
 * was not promoted), so the pair keeps its primary.
 */
async function rollBack(run: Run, cfg: LifecycleConfig, why: string): Promise<ActionResult> {
  let back = await start({ ...cfg, as: 'primary', peerConninfo: undefined, hostGiven: false, portGiven: false, common: { ...cfg.common, timeoutMs: Math.max(1000, run.remaining()) } });
  // A postmaster that has just exited may not be reaped yet (PostgreSQL refuses to start while
  // its pid exists): retry for a few seconds.
  for (let i = 0; i < 50 && back.outcome === 'refused' && /zombie/.test(back.summary) && run.remaining() > 3000; i++) {
    await new Promise((r) => setTimeout(r, 200));
    back = await start({ ...cfg, as: 'primary', peerConninfo: undefined, hostGiven: false, portGiven: false, common: { ...cfg.common, timeoutMs: Math.max(1000, run.remaining()) } });
  }
  run.steps.push({ step: 'roll back: start the old primary as primary', status: back.outcome === 'done' || back.outcome === 'already' ? 'done' : 'failed', detail: back.summary });
  run.facts.rolled_back = back.outcome === 'done' || back.outcome === 'already';
  return run.result('failed', `${why}; rolled back: ${run.facts.rolled_back ? `the old primary ${cfg.pgdata} runs as primary again` : `restarting the old primary FAILED (${back.summary})`}; standby NOT promoted`);
}

/**
 * The old primary's fast shutdown did not finish in time. It cannot be called back (the signal
 * is sent) and is never escalated: wait for it to end, bounded, then start it again as primary.
 */
async function abortAfterSlowStop(run: Run, cfg: LifecycleConfig, pgdata: string, bin: Binaries, detail: string): Promise<ActionResult> {
  const gone = await waitUntil(run, 'the old primary to finish its shutdown', async () => (await localFacts(pgdata, bin, cfg.common.osUser, 2000)).state !== 'running', 200, run.deadline - 15_000).then(
    () => true,
    () => false,
  );
  if (!gone) return run.result('failed', `the primary did not stop cleanly in time (${detail}); switchover aborted, standby NOT promoted, no immediate stop; it is still shutting down: start it again with \`pgsr start --as primary\` once it has stopped`);
  // It finished its fast shutdown after all: a clean stop (pg_controldata says so), so its lock goes as after any clean stop.
  const cd = bin.pg_controldata ? await runAs(cfg.common.osUser, bin.pg_controldata, [pgdata], { timeoutMs: Math.min(10_000, run.remaining()) }) : undefined;
  const state = cd && cd.exitCode === 0 ? parseControlData(cd.stdout)['Database cluster state'] : undefined;
  run.steps.push({ step: 'the fast shutdown finished late', status: 'done', detail: `pg_controldata: ${state ?? 'unreadable'}` });
  if (state !== 'shut down') return run.result('failed', `the primary did not stop cleanly in time (${detail}) and then ended as "${state ?? 'unreadable'}"; standby NOT promoted; not restarted automatically: check it, then \`pgsr start --as primary\``);
  removeLock(pgdata);
  return rollBack(run, cfg, `the primary did not stop cleanly in time (${detail})`);
}

// ---------------------------------------------------------------------------------------------
// archive hold / resume / status

/**
 * The configured archive_command and where it comes from. pg_settings shows "(disabled)" when
 * archive_mode is off, so the value is read from pg_file_settings (the files as PostgreSQL
 * reads them; superuser), the last valid line winning as in PostgreSQL.
 */
async function archiveSettings(q: SqlRunner): Promise<{ value: string; fromAuto: boolean; archiving: boolean }> {
  const row = (await q(SQL.archiveCommandInFiles))[0];
  const mode = (await q(SQL.archiveMode))[0].m;
  return { value: row ? String(row.setting ?? '') : '', fromAuto: row ? String(row.sourcefile ?? '').endsWith('postgresql.auto.conf') : false, archiving: mode !== 'off' };
}

/** Reloads, then waits until the value is in effect (when archiving is on; "(disabled)" otherwise). */
async function reloadAndWait(run: Run, q: SqlRunner, expected: string, archiving: boolean): Promise<void> {
  await q(SQL.reloadConf);
  if (!archiving) return;
  await waitUntil(run, 'the configuration reload', async () => (await q(SQL.archiveCommandInEffect))[0].v === expected);
}

/**
 * `pgsr archive hold|resume|status` on the primary (seed 000 7.3: while the standby is down,
 * archive_command = 'true' so WAL does not pile up). hold sets a no-op archive_command that
 * carries the exact previous value (and whether it came from postgresql.auto.conf) in a shell
 * comment; resume restores it exactly (ALTER SYSTEM RESET when the value came from
 * postgresql.conf); both reload and wait until the new value is in effect.
 */
export async function archive(cfg: LifecycleConfig, sub: 'hold' | 'resume' | 'status'): Promise<ActionResult> {
  const run = new Run(`archive ${sub}`, cfg);
  return guarded(run, async () => {
    const pid = cfg.pgdata ? (await localFacts(cfg.pgdata, findBinaries(cfg.bindir, null), cfg.common.osUser, run.remaining())).pidFile : undefined;
    const conn = localConnection(cfg, pid);
    const r = await withConnection(conn, run.deadline, async (q) => {
      if ((await q(SQL.inRecovery))[0].r === true) return run.result('refused', 'the server is a standby: archive hold/resume/status run on the primary', ['in recovery']);
      const s = await archiveSettings(q);
      const prev = previousArchiveCommand(s.value);
      const held = s.value.startsWith(HELD_ARCHIVE_PREFIX);
      // The command text may hold credentials (an scp target, a cloud key): only in JSON, under
      // a key that says so; never in summaries, log lines or alerts.
      run.facts.archive_command_sensitive = s.value;
      run.facts.held = held;
      run.facts.archive_mode_on = s.archiving;
      if (sub === 'status') {
        const v = Number((await q(SQL.versionNum))[0].v);
        const st = (await q(SQL.archiver))[0];
        const ready = Number((await q(archiveReadySql(v)))[0].ready);
        Object.assign(run.facts, { archived_count: Number(st.archived_count), last_archived_wal: st.last_archived_wal as string | null, failed_count: Number(st.failed_count), last_failed_wal: st.last_failed_wal as string | null, ready_count: ready });
        return run.result('done', `${held ? `HELD (the previous archive_command is kept${prev ? '' : ' but unreadable'})` : `active${s.value ? '' : ' (archive_command empty)'}`}${s.archiving ? '' : ' (archive_mode off)'}, ${ready} .ready files, archived ${st.archived_count}, failed ${st.failed_count}${st.last_failed_wal ? ` (last failed ${st.last_failed_wal})` : ''}`);
      }
      if (sub === 'hold') {
        if (held) return run.result('already', 'already held (the previous archive_command is kept)');
        const heldValue = heldArchiveCommand({ value: s.value, fromAuto: s.fromAuto });
        if (cfg.dryRun) {
          run.steps.push({ step: "ALTER SYSTEM SET archive_command = 'true # ...' (remembering the current value); reload", status: 'planned' });
          return run.result('planned', 'would hold archiving');
        }
        await run.step('ALTER SYSTEM SET archive_command (no-op, previous value kept in its comment)', () => q(setArchiveCommand(heldValue)));
        await run.step('reload', () => reloadAndWait(run, q, heldValue, s.archiving));
        return run.result('done', 'archiving held (archive_command is a no-op; the previous value is kept in its comment)');
      }
      if (!held) return run.result('already', 'not held');
      if (!prev) return run.result('failed', 'archive_command is held but the previous value in its comment is unreadable: set it by hand');
      if (cfg.dryRun) {
        run.steps.push({ step: prev.fromAuto ? 'ALTER SYSTEM SET archive_command (the previous value)' : 'ALTER SYSTEM RESET archive_command', status: 'planned' }, { step: 'reload', status: 'planned' });
        return run.result('planned', 'would restore the previous archive_command');
      }
      await run.step(prev.fromAuto ? 'ALTER SYSTEM SET archive_command' : 'ALTER SYSTEM RESET archive_command', () => q(prev.fromAuto ? setArchiveCommand(prev.value) : SQL.resetArchiveCommand));
      await run.step('reload', () => reloadAndWait(run, q, prev.value, s.archiving));
      run.facts.archive_command_sensitive = prev.value;
      return run.result('done', 'archiving resumed (the previous archive_command restored)');
    });
    if (!r.ok) return run.result('failed', `cannot run on ${conn.host}:${conn.port}: ${r.failure.detail}`);
    return r.value;
  });
}

// ---------------------------------------------------------------------------------------------
// unlock

/** `pgsr unlock`: removes the primary lock (the operator asserts this node holds the latest data). */
export async function unlock(cfg: LifecycleConfig): Promise<ActionResult> {
  const run = new Run('unlock', cfg);
  const pgdata = requirePgdata(cfg);
  if (cfg.dryRun) return run.result('planned', `would remove ${join(pgdata, 'pgsr.primary.lock')}`);
  return removeLock(pgdata) ? run.result('done', 'primary lock removed') : run.result('already', 'no primary lock');
}
