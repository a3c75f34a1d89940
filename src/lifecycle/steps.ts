/**
 * What every lifecycle action shares: the Run (deadline, steps, facts), guarded execution,
 * data-directory and binary checks, local/remote connection settings, bounded SQL, the standby
 * configuration files, pg_ctl start, orphan clean-up and bounded waits. Server-side programs run
 * as the PostgreSQL OS user; files written in PGDATA get the data directory's owner.
 *
 * Over 350 lines because these are the steps every lifecycle command shares (pg_ctl, bounded waits, peer questions, configuration files).
 */
import { chownSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { connectionTo } from '../config/connection';
import { addressOf } from '../config/conninfo';
import type { ConnectionSettings } from '../config/resolve';
import type { LifecycleConfig } from '../config/lifecycle';
import { ConfigError } from '../errors';
import { lastLine, runAs } from '../host/exec';
import { findBinaries, localFacts, orphanBackends, type Binaries, type LocalFacts } from '../probe/local';
import { withConnection, type SqlRunner } from '../probe/observe';
import { readLogSince } from '../probe/server-log';
import { SQL } from '../probe/statements';
import type { PgRole } from '../types';
import { readConfSetting, setConfSettings, standbySettings } from './conf';
import { configFileOption, configLocation, defaultServerLog, type ConfigLocation } from './config-dir';
import { type ActionResult, type Outcome, type PeerAnswer, type StepReport } from './plan';
import { t } from '../i18n';
import { reportWhileWaiting, stderrSink } from './progress';

/** One running command: deadline, steps, facts. */
export class Run {
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
    const t0 = Date.now();
    try {
      const v = await fn();
      this.steps.push({ step: name, status: 'done', detail: detail?.(v), ms: Date.now() - t0 });
      return v;
    } catch (err) {
      this.steps.push({ step: name, status: 'failed', detail: (err as Error).message, ms: Date.now() - t0 });
      throw new StepFailed(`${name}: ${(err as Error).message}`);
    }
  }
  result(outcome: Outcome, summary: string, reasons: string[] = []): ActionResult {
    return {
      action: this.action,
      outcome,
      summary,
      reasons,
      steps: this.steps,
      facts: this.facts,
      durationMs: Date.now() - this.t0,
    };
  }
}

/** A step failed; the command reports `failed` with this message. */
export class StepFailed extends Error {}

/** Wraps an action so that a failed step becomes a `failed` result (never an exception). */
export async function guarded(run: Run, body: () => Promise<ActionResult>): Promise<ActionResult> {
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
export function requirePgdata(cfg: LifecycleConfig, mayBeEmpty = false): string {
  if (!cfg.pgdata) throw new ConfigError(t('steps.pgdata_required'));
  const pgdata = cfg.pgdata.replace(/\/+$/, '');
  if (!existsSync(join(pgdata, 'PG_VERSION'))) {
    if (!mayBeEmpty) throw new ConfigError(t('start.not_data_dir', { pgdata }));
    if (!existsSync(dirname(pgdata))) throw new ConfigError(t('steps.no_parent', { pgdata }));
  }
  configOf(cfg, pgdata);
  return pgdata;
}

/** Binaries for a data directory; a configuration error when pg_ctl/postgres are missing. */
export function binaries(cfg: LifecycleConfig, major: number | null): Binaries {
  const bin = findBinaries(cfg.bindir, major);
  if (!bin.pg_ctl || !bin.postgres)
    throw new ConfigError(t('steps.no_binaries', { bindir: String(bin.bindir), major: String(major ?? '') }));
  return bin;
}

export async function facts(run: Run, pgdata: string): Promise<{ f: LocalFacts; bin: Binaries }> {
  let major: number | null = null;
  try {
    major = Number(readFileSync(join(pgdata, 'PG_VERSION'), 'utf8').trim()) || null;
  } catch {
    major = null;
  }
  const bin = binaries(run.cfg, major);
  const f = await localFacts(pgdata, bin, run.cfg.common.osUser, run.remaining());
  run.facts.pgdata = pgdata;
  const loc = configOf(run.cfg, pgdata);
  if (loc) run.facts.config_file = loc.file;
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
export function remoteConnection(cfg: LifecycleConfig, conninfo: string): ConnectionSettings {
  const a = addressOf(conninfo);
  return connectionTo(cfg.common.connection, {
    host: a.host ?? 'localhost',
    port: a.port ? Number(a.port) : 5432,
    user: a.user,
    database: a.dbname ?? 'postgres',
  });
}

/** Runs SQL on a server; throws a one-line Error on failure (for steps). */
export async function sql<T>(conn: ConnectionSettings, deadline: number, fn: (q: SqlRunner) => Promise<T>): Promise<T> {
  const r = await withConnection(conn, deadline, fn);
  if (!r.ok) throw new Error(`${conn.host}:${conn.port}: ${r.failure.detail}`);
  return r.value;
}

/** The role a running server answers with, or null when it cannot be asked. */
export async function roleOf(conn: ConnectionSettings, deadline: number): Promise<PgRole | null> {
  const r = await withConnection(conn, deadline, async (q) => (await q(SQL.inRecovery))[0].r === true);
  return r.ok ? (r.value ? 'standby' : 'primary') : null;
}

/** Writes a file in PGDATA owned like PGDATA. */
export function writeOwned(f: LocalFacts, path: string, text: string): void {
  writeFileSync(path, text, { mode: 0o600 });
  if (f.owner && process.getuid?.() === 0) chownSync(path, f.owner.uid, f.owner.gid);
}

/**
 * Writes the standby configuration of the data directory's major (see lifecycle/conf.ts). With
 * no conninfo, an existing primary_conninfo is kept (recovery.done brought back on 11).
 */
export function writeStandbyConfig(f: LocalFacts, conninfo: string | undefined): string {
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
export function clearStandbyConfig(f: LocalFacts): string {
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

/**
 * The configuration directory of a data directory: `--config-dir` for the command's own data
 * directory, else found (a Debian cluster); undefined when postgresql.conf is in the data directory.
 */
export function configOf(cfg: LifecycleConfig, pgdata: string): ConfigLocation | undefined {
  return configLocation(
    pgdata,
    cfg.pgdata !== undefined && cfg.pgdata.replace(/\/+$/, '') === pgdata ? cfg.configDir : undefined,
  );
}

/** The file pg_ctl logs the server's output to: `--server-log`, else defaultServerLog (Debian's, or <pgdata>/pgsr-postmaster.log). */
export function serverLogOf(cfg: LifecycleConfig, pgdata: string): string {
  return cfg.serverLog ?? defaultServerLog(pgdata, configOf(cfg, pgdata));
}

/** `pg_ctl start -w` of the data directory, with its configuration file when that is elsewhere. @returns the log file, for the step's detail. @throws Error with pg_ctl's last line and the server log's. */
export async function pgCtlStart(run: Run, f: LocalFacts, bin: Binaries): Promise<string> {
  const log = serverLogOf(run.cfg, f.pgdata);
  const loc = configOf(run.cfg, f.pgdata);
  const secs = Math.max(1, Math.floor(run.remaining() / 1000) - 1);
  // A start can wait minutes (crash or archive recovery, WAL that does not come): say so, and why.
  const waiting = reportWhileWaiting(t('steps.start_waiting'), stderrSink(run.cfg.progress), () =>
    t('steps.start_waiting_log', { line: lastLines(currentServerLog(log, f.pgdata), 1)[0] ?? '-' }),
  );
  const r = await runAs(
    run.cfg.common.osUser,
    bin.pg_ctl as string,
    ['start', '-D', f.pgdata, ...configFileOption(loc), '-l', log, '-w', '-t', String(secs)],
    { timeoutMs: run.remaining() },
  ).finally(() => waiting.stop());
  if (r.exitCode !== 0) {
    const tail = serverLogTail(log, f.pgdata);
    throw new Error(t('steps.start_failed', { line: lastLine(r), log: tail ? t('steps.server_log', { tail }) : '' }));
  }
  return loc ? `log ${log}, configuration ${loc.file}` : `log ${log}`;
}

/** The last `n` lines of a file (at most its last 64 KiB read); [] when unreadable. */
function lastLines(file: string, n: number): string[] {
  const { text } = readLogSince(file, 0, 65_536);
  return text === '' ? [] : text.trim().split('\n').slice(-n);
}

/**
 * The file the server writes its log to now: pg_ctl's log, or, when the server redirected its
 * output to the logging collector ("Future log output will appear in directory D", PostgreSQL's
 * logging_collector), the newest file in D (relative to the data directory unless absolute).
 */
export function currentServerLog(log: string, pgdata: string): string {
  return collectorFile(existsSync(log) ? lastLines(log, 2) : [], pgdata) ?? log;
}

/** The logging collector's newest file, when pg_ctl's last log lines say output moved there. */
function collectorFile(ownLines: string[], pgdata: string): string | undefined {
  const dir = /Future log output will appear in directory "([^"]+)"/.exec(ownLines.join('\n'))?.[1];
  if (!dir) return undefined;
  const abs = dir.startsWith('/') ? dir : join(pgdata, dir);
  try {
    const newest = readdirSync(abs)
      .map((name) => ({ name, mtime: statSync(join(abs, name)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime)[0];
    return newest ? join(abs, newest.name) : undefined;
  } catch {
    return undefined;
  }
}

/** What the server said before it stopped: pg_ctl's log's last two lines, or the last serious lines of the logging collector's file (currentServerLog). */
export function serverLogTail(log: string, pgdata: string): string {
  const own = existsSync(log) ? lastLines(log, 2) : [];
  const file = collectorFile(own, pgdata);
  if (!file) return own.join(' / ');
  const lines = lastLines(file, 20);
  const serious = lines.filter((l) => /\b(FATAL|PANIC|ERROR):/.test(l));
  return (serious.length ? serious.slice(-2) : lines.slice(-2)).join(' / ') || own.join(' / ');
}

/**
 * Kills what a dead postmaster left on this data directory (backends keep the shared memory
 * attached, and a new postmaster refuses to start while they live). Returns true if any.
 */
export async function killOrphans(run: Run, pgdata: string): Promise<boolean> {
  const orphans = orphanBackends(pgdata);
  if (!orphans.length) return false;
  await run.step(
    `kill ${orphans.length} orphaned backend(s) of a dead postmaster`,
    async () => {
      for (const pid of orphans) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await waitUntil(run, t('wait.orphans'), async () => orphanBackends(pgdata).length === 0);
      return orphans.join(',');
    },
    (v) => `pids ${v}`,
  );
  return true;
}

/** Polls `probe` every `everyMs` (default 100 ms) until true or the deadline (the run's, or an earlier `until`). */
export async function waitUntil(
  run: Run,
  what: string,
  probe: () => Promise<boolean>,
  everyMs = 100,
  until = run.deadline,
  why?: () => string,
): Promise<void> {
  const end = Math.min(until, run.deadline);
  // A wait longer than 10 s says so on stderr, with what it waits on (`why`) or its bound.
  const said = reportWhileWaiting(
    t('steps.waiting_for', { what }),
    stderrSink(run.cfg.progress),
    () => why?.() ?? t('steps.waiting_bound', { seconds: Math.max(0, Math.round((end - Date.now()) / 1000)) }),
  );
  try {
    for (let i = 0; i < 1_000_000; i++) {
      if (await probe().catch(() => false)) return;
      if (Date.now() + everyMs >= end) throw new Error(t('steps.timed_out_waiting', { what }));
      await new Promise((r) => setTimeout(r, everyMs));
    }
  } finally {
    said.stop();
  }
}

/** True when the server's walreceiver streams. */
export async function isStreaming(run: Run, conn: ConnectionSettings): Promise<boolean> {
  return (await sql(conn, run.deadline, async (q) => (await q(SQL.walReceiverStatus)).at(0)?.status)) === 'streaming';
}

/**
 * How another server given by a conninfo answers: primary, standby, refused (its host has no
 * PostgreSQL listening) or unknown (timeout, no route, authentication...: it may still be a
 * primary). Bounded by `timeoutMs`.
 */
export async function askRole(
  cfg: LifecycleConfig,
  conninfo: string,
  timeoutMs: number,
): Promise<PeerAnswer & { answer: 'primary' | 'standby' | 'refused' | 'unknown' }> {
  const c = remoteConnection(cfg, conninfo);
  const where = `${c.host}:${c.port}`;
  const r = await withConnection(c, Date.now() + timeoutMs, async (q) => (await q(SQL.inRecovery))[0].r === true);
  if (r.ok) return { where, answer: r.value ? 'standby' : 'primary' };
  return { where, answer: r.failure.kind === 'refused' ? 'refused' : 'unknown', detail: r.failure.detail };
}
