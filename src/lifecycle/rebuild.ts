/** `pgsr rebuild`: pg_rewind, else pg_basebackup, keeping the node's own configuration files. *
 * Over 350 lines because a rebuild is one sequence read top to bottom (stop, pg_rewind, pg_basebackup with tablespaces and mount points, configuration kept, start, wait for streaming); tablespaces and progress are apart.
 */
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ConnectionSettings } from '../config/resolve';
import type { LifecycleConfig } from '../config/lifecycle';
import { ConfigError } from '../errors';
import { lastLine, runAs } from '../host/exec';
import { passwdEntry } from '../host/passwd';
import { lookupPassword, passfileLine } from '../probe/pgpass';
import { localFacts, type Binaries } from '../probe/local';
import { withConnection } from '../probe/observe';
import { SQL } from '../probe/statements';
import { PRIMARY_POSITION_SQL, SOURCE_TIMELINES_SQL, toolHas, walReceiverSenderSql } from '../probe/versions';
import { removeLock } from './lock';
import { rebuildMethods, type ActionResult } from './plan';
import { loadExeca } from '../host/execa';
import { ProgressReporter, stderrSink } from './progress';
import { clearSyncStandbyNamesFile } from './syncrep';
import {
  Run,
  facts,
  guarded,
  localConnection,
  pgCtlStart,
  remoteConnection,
  configOf,
  requirePgdata,
  serverLogOf,
  writeOwned,
  writeStandbyConfig,
} from './steps';
import { stop } from './stop';
import { waitStreaming } from './wait-streaming';
import { clearTablespaceDirs, planTablespaces, type TablespacePlan } from './tablespaces';
import { ensureWalreceiverPassword, upstreamOf } from './walreceiver-pass';
import { t } from '../i18n';

/** How long the source's checkpoint may take to reach its new timeline before pg_rewind (ms). */
const SOURCE_CHECKPOINT_WAIT_MS = 30_000;

/**
 * pg_rewind reads the source's timeline from its pg_control, which a freshly promoted primary
 * updates only when its end-of-recovery checkpoint completes (in the background since fast
 * promotion). Run before that, pg_rewind takes the old timeline, writes a minimum recovery point
 * on it, and the rewound standby then refuses to start ("requested timeline N does not contain
 * minimum recovery point ... on timeline M"). As pg_rewind's documentation advises and Patroni
 * does: CHECKPOINT on the source, then wait (bounded) until pg_control_checkpoint() shows the
 * timeline the source writes.
 * @returns undefined when the source's checkpoint is on its current timeline; else why not (the
 *   caller skips pg_rewind and takes a base backup).
 */
async function sourceCheckpointCurrent(run: Run, source: ConnectionSettings): Promise<string | undefined> {
  const t0 = Date.now();
  const end = Math.min(run.deadline - 5000, t0 + SOURCE_CHECKPOINT_WAIT_MS);
  const r = await withConnection(source, end, async (q) => {
    const behind = async () => {
      const row = (await q(SOURCE_TIMELINES_SQL))[0];
      return Number(row.checkpoint_tli) < Number(row.current_tli)
        ? `${String(row.checkpoint_tli)} < ${String(row.current_tli)}`
        : undefined;
    };
    let gap = await behind();
    if (!gap) return undefined;
    await q(SQL.checkpoint);
    for (let i = 0; i < 300 && gap && Date.now() < end; i++) {
      await new Promise((res) => setTimeout(res, 100));
      gap = await behind();
    }
    return gap;
  });
  if (!r.ok) return t('rebuild.source_checkpoint_failed', { detail: r.failure.detail });
  if (r.value) return t('rebuild.source_checkpoint_behind', { timelines: r.value });
  run.steps.push({ step: "the source's checkpoint is on its current timeline", status: 'done', ms: Date.now() - t0 });
  return undefined;
}

/**
 * `pgsr rebuild --from CONNINFO`: makes this node a standby of the current primary. Stops the
 * local server if it runs (fast, then immediate), tries pg_rewind when allowed, else
 * pg_basebackup -X stream -c fast into a new directory and moves the old one aside with a
 * timestamp (deleted only with --discard-old). The node's own top-level *.conf files
 * (postgresql.conf, pg_hba.conf, pg_ident.conf, postgresql.auto.conf, includes) are restored
 * over the copied ones, so its port and archive_command survive a failback. Then the
 * standby configuration, start, and a bounded wait until it streams.
 */
export async function rebuild(cfg: LifecycleConfig): Promise<ActionResult> {
  const run = new Run('rebuild', cfg);
  return guarded(run, async () => {
    const pgdata = requirePgdata(cfg, true);
    if (!cfg.from) throw new ConfigError(t('rebuild.from_required'));
    const from = cfg.from;
    const { f, bin } = await facts(run, pgdata);
    const source = remoteConnection(cfg, from);
    run.facts.source = `${source.host}:${source.port}`;
    const src = await withConnection(
      source,
      Math.min(run.deadline, Date.now() + 10_000),
      async (q) => (await q(SQL.roleAndVersion))[0],
    );
    if (!src.ok)
      return run.result(
        'refused',
        t('rebuild.source_unreachable', { where: `${source.host}:${source.port}`, detail: src.failure.detail }),
        [src.failure.detail],
      );
    const srcMajor = Math.floor(Number(src.value.v) / 10000);
    if (src.value.r === true)
      return run.result('refused', t('rebuild.source_standby', { where: `${source.host}:${source.port}` }), [
        'source is in recovery',
      ]);
    if (f.major !== null && f.major !== srcMajor)
      return run.result('refused', t('rebuild.major_differs', { source: String(srcMajor), local: String(f.major) }), [
        'major versions differ',
      ]);

    if (f.state === 'running') {
      const conn = localConnection(cfg, f.pidFile);
      // A running primary: rebuilding it throws away everything it wrote since the histories
      // diverged, and leaves the pair without that primary. Only with --force, and say what goes.
      const here = await withConnection(conn, Math.min(run.deadline, Date.now() + 5000), async (q) =>
        (await q(SQL.inRecovery))[0].r === true ? undefined : (await q(PRIMARY_POSITION_SQL))[0],
      );
      if (here.ok && here.value) {
        const there = await withConnection(
          source,
          Math.min(run.deadline, Date.now() + 5000),
          async (q) => (await q(PRIMARY_POSITION_SQL))[0],
        );
        const mine = `timeline ${here.value.timeline}, WAL at ${here.value.current_lsn}`;
        const theirs = there.ok
          ? t('rebuild.position', { timeline: String(there.value.timeline), lsn: String(there.value.current_lsn) })
          : t('rebuild.position_unreadable');
        run.facts.local_timeline = Number(here.value.timeline);
        run.facts.local_lsn = String(here.value.current_lsn);
        if (!cfg.force) {
          const why = t('rebuild.running_primary', { mine, where: `${source.host}:${source.port}`, theirs });
          return run.result('refused', why, [why]);
        }
        run.steps.push({
          step: 'rebuild a running primary (--force)',
          status: 'done',
          detail: `discarding ${mine} for ${theirs}`,
        });
      }
      const streaming = await withConnection(conn, Math.min(run.deadline, Date.now() + 5000), async (q) => {
        const v = Number((await q(SQL.versionNum))[0].v);
        const w = (await q(walReceiverSenderSql(v))).at(0) as
          { status?: string; sender_host?: string | null; sender_port?: number | null } | undefined;
        // Streaming from the source itself (checked where the server reports its sender, 11+).
        const fromSource = !w?.sender_host || (w.sender_host === source.host && Number(w.sender_port) === source.port);
        return w?.status === 'streaming' && fromSource && (await q(SQL.inRecovery))[0].r === true;
      }).catch(() => ({ ok: false as const }));
      if (streaming.ok && streaming.value && !f.lock) return run.result('already', t('rebuild.already'));
    }
    let methods = rebuildMethods(cfg.method, Boolean(bin.pg_rewind), f.initialized);
    // pg_basebackup copies servers of its own major and older only.
    const bbMajor = bin.pg_basebackup ? await toolMajor(bin.pg_basebackup) : null;
    if (methods.includes('basebackup') && (bbMajor === null || bbMajor < srcMajor)) {
      methods = methods.filter((m) => m !== 'basebackup');
      if (!methods.length) {
        const why =
          bbMajor === null
            ? t('rebuild.no_basebackup')
            : t('rebuild.basebackup_major', {
                have: String(bbMajor),
                path: String(bin.pg_basebackup),
                source: String(srcMajor),
              });
        return run.result('refused', t('rebuild.install_tools', { why, source: String(srcMajor) }), [why]);
      }
    }
    const tsPlan = methods.includes('basebackup') ? await tablespacePlan(run, cfg, source, pgdata) : undefined;
    if (tsPlan?.refusal && methods.length === 1) return run.result('refused', tsPlan.refusal, [tsPlan.refusal]);
    if (cfg.dryRun) {
      if (f.state === 'running')
        run.steps.push({ step: 'stop the local server (fast, then immediate)', status: 'planned' });
      run.steps.push({ step: 'keep the local *.conf files', status: 'planned' });
      for (const m of methods)
        run.steps.push({
          step:
            m === 'rewind'
              ? 'pg_rewind from the source'
              : 'pg_basebackup -X stream -c fast into a new directory, old one moved aside',
          status: 'planned',
          detail: m === 'basebackup' ? tsPlan?.args.join(' ') || undefined : undefined,
        });
      run.steps.push({ step: 'write the standby configuration, start, wait for streaming', status: 'planned' });
      return run.result(
        'planned',
        t('rebuild.planned', { where: `${source.host}:${source.port}`, methods: methods.join(t('rebuild.then')) }),
      );
    }
    if (f.state === 'running') {
      const stopped = await stop({ ...cfg, common: { ...cfg.common, timeoutMs: Math.max(1000, run.remaining() / 2) } });
      run.steps.push({
        step: 'stop the local server',
        status: stopped.outcome === 'done' || stopped.outcome === 'already' ? 'done' : 'failed',
        detail: stopped.summary,
      });
      if (stopped.outcome === 'failed' || stopped.outcome === 'refused')
        return run.result('failed', t('rebuild.stop_failed', { summary: stopped.summary }));
    }
    const kept = f.initialized ? savedConf(pgdata) : {};
    run.steps.push({
      step: 'keep the local *.conf files',
      status: 'done',
      detail: Object.keys(kept).join(', ') || 'none',
    });
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
        if (
          m === 'rewind' &&
          (await tryRewind(run, { bin, pgdata, from, source, env: passEnv, major: f.major ?? srcMajor }))
        ) {
          used = 'pg_rewind';
          break;
        }
        const copied =
          m === 'basebackup'
            ? await tryBasebackup(run, cfg, {
                bin,
                pgdata,
                from,
                owner: f.owner ?? passwdEntry(osUser),
                env: passEnv,
                major: f.major ?? srcMajor,
                tablespaces: tsPlan,
              })
            : undefined;
        if (copied) {
          used = 'pg_basebackup';
          oldDir = copied.oldDir;
          break;
        }
      }
    } finally {
      handover.remove();
    }
    if (!used)
      return run.result(
        'failed',
        t('rebuild.failed', {
          steps: run.steps
            .filter((s) => s.status === 'failed')
            .map((s) => `${s.step}: ${s.detail}`)
            .join(t('word.findings_separator')),
        }),
      );
    run.facts.method = used;
    if (oldDir) run.facts.old_data = oldDir;
    const nf = await localFacts(pgdata, bin, osUser, run.remaining());
    await run.step('remove copied lock and recovery files', () => {
      removeLock(pgdata);
      for (const x of ['standby.signal', 'recovery.signal', 'recovery.conf', 'recovery.done'])
        rmSync(join(pgdata, x), { force: true });
    });
    await run.step('restore the local configuration files', () => {
      for (const [name, text] of Object.entries(kept)) writeOwned(nf, join(pgdata, name), text);
      // The configuration directory is elsewhere: the source's postgresql.conf, pg_hba.conf and
      // pg_ident.conf that the copy brought would only mislead whoever reads the data directory.
      if (configOf(cfg, pgdata))
        for (const name of ['postgresql.conf', 'pg_hba.conf', 'pg_ident.conf'])
          if (!(name in kept)) rmSync(join(pgdata, name), { force: true });
      return Object.keys(kept).length;
    });
    // The walreceiver authenticates as the rebuild did (same role): its OS user's ~/.pgpass gets the password.
    const upstream = upstreamOf(cfg.primaryConninfo ?? from, osUser);
    const owner = passwdEntry(osUser);
    const password = handover.password;
    if (password !== undefined && upstream?.user === source.user && owner)
      await run.step(
        'password file entry for the walreceiver',
        () => ensureWalreceiverPassword(owner, upstream, password) ?? t('rebuild.passfile_present'),
        (v) => v,
      );
    await run.step(
      'standby configuration',
      () => writeStandbyConfig({ ...nf, standbySignal: false, recoveryConf: false }, cfg.primaryConninfo ?? from),
      (v) => v,
    );
    if (cfg.common.sync.repMode === 'sync')
      await run.step(
        'synchronous_standby_names (rep-mode sync)',
        () => clearSyncStandbyNamesFile(nf),
        (v) => v,
      );
    await run.step(
      'pg_ctl start -w',
      () => pgCtlStart(run, nf, bin),
      (v) => v,
    );
    const conn = localConnection(cfg, (await localFacts(pgdata, bin, osUser, run.remaining())).pidFile);
    await run.step('wait until streaming', () => waitStreaming(run, conn, { log: serverLogOf(cfg, pgdata), pgdata }));
    return run.result(
      'done',
      t('rebuild.done', {
        method: used,
        where: `${source.host}:${source.port}`,
        kept: oldDir ? t('rebuild.kept', { dir: oldDir }) : '',
      }),
    );
  });
}

/** The facts a copy attempt needs. */
interface CopyInput {
  bin: Binaries;
  pgdata: string;
  /** The source's conninfo, as the tools take it. */
  from: string;
  /** Environment of the tools (PGPASSFILE of the credential hand-over). */
  env: Record<string, string>;
  /** The data directory's major (null when it has none yet). */
  major: number | null;
}

/** Progress of a copy on pgsr's stderr: redrawn in place on a terminal, a line every 10 s and each 10 % otherwise. */
const reporter = (label: string, cfg: LifecycleConfig): ProgressReporter =>
  new ProgressReporter(label, stderrSink(cfg.progress));

/** pg_rewind from the source once its checkpoint is on its current timeline. @returns true when it rewound the data directory. */
async function tryRewind(run: Run, c: CopyInput & { source: ConnectionSettings }): Promise<boolean> {
  const unready = await sourceCheckpointCurrent(run, c.source);
  if (unready) {
    run.steps.push({ step: 'pg_rewind', status: 'skipped', detail: unready });
    return false;
  }
  const t0 = Date.now();
  const loc = configOf(run.cfg, c.pgdata);
  const configFile = loc && toolHas('pgRewindConfigFile', c.major) ? [`--config-file=${loc.file}`] : [];
  const progress = reporter('pg_rewind', run.cfg);
  const r = await runAs(
    run.cfg.common.osUser,
    c.bin.pg_rewind as string,
    [`--target-pgdata=${c.pgdata}`, `--source-server=${c.from}`, '--progress', ...configFile],
    { timeoutMs: run.remaining(), env: c.env, onStderrLine: (l) => progress.line(l) },
  );
  progress.end();
  const ok = r.exitCode === 0;
  run.steps.push({
    step: 'pg_rewind',
    status: ok ? 'done' : 'failed',
    detail: ok ? undefined : lastLine(r),
    ms: Date.now() - t0,
  });
  return ok;
}

/** The source's tablespaces and where this node keeps them (--tablespace-mapping); a refusal when the source cannot be asked. */
async function tablespacePlan(
  run: Run,
  cfg: LifecycleConfig,
  source: ConnectionSettings,
  pgdata: string,
): Promise<TablespacePlan> {
  const r = await withConnection(source, Math.min(run.deadline, Date.now() + 10_000), async (q) =>
    (await q(SQL.tablespaces)).map((x) => ({ name: String(x.name), location: String(x.location) })),
  );
  if (!r.ok)
    return {
      args: [],
      clear: [],
      refusal: t('rebuild.source_unreachable', { where: `${source.host}:${source.port}`, detail: r.failure.detail }),
    };
  return planTablespaces(r.value, cfg.tablespaceMappings, pgdata, cfg.discardOld);
}

/**
 * pg_basebackup -X stream -c fast into a new directory beside the data directory, then the old
 * one moved aside (or discarded with --discard-old); into the data directory itself when it is
 * a mount point (--discard-old only). Tablespaces go where `tablespaces` says.
 * @returns the old directory kept aside (if any) when the copy succeeded; undefined when it failed.
 */
async function tryBasebackup(
  run: Run,
  cfg: LifecycleConfig,
  c: CopyInput & { owner?: { uid: number; gid: number }; tablespaces?: TablespacePlan },
): Promise<{ oldDir?: string } | undefined> {
  const { pgdata } = c;
  if (c.tablespaces?.refusal) {
    run.steps.push({ step: 'pg_basebackup', status: 'failed', detail: c.tablespaces.refusal });
    return undefined;
  }
  const copy = async (dir: string) => {
    const progress = reporter('pg_basebackup', cfg);
    const r = await runAs(
      cfg.common.osUser,
      c.bin.pg_basebackup as string,
      [
        '-D',
        dir,
        '-d',
        c.from,
        '-X',
        'stream',
        '-c',
        'fast',
        '-w',
        '--progress',
        ...(cfg.maxRate ? [`--max-rate=${cfg.maxRate}`] : []),
        ...(c.tablespaces?.args ?? []),
      ],
      { timeoutMs: run.remaining(), env: c.env, onStderrLine: (l) => progress.line(l) },
    );
    progress.end();
    return r;
  };
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
  if (c.tablespaces?.clear.length)
    await run.step(
      "empty this node's old tablespace directories (--discard-old)",
      () => clearTablespaceDirs(c.tablespaces as TablespacePlan),
      () => c.tablespaces?.clear.join(', '),
    );
  // A data directory that is a mount point cannot be renamed (EBUSY): its contents are
  // discarded (--discard-old only) and the copy goes into it directly.
  if (isMountPoint(pgdata)) {
    if (!cfg.discardOld) {
      run.steps.push({ step: 'pg_basebackup', status: 'failed', detail: t('rebuild.mount_point', { pgdata }) });
      return undefined;
    }
    const t0 = Date.now();
    for (const e of readdirSync(pgdata)) rmSync(join(pgdata, e), { recursive: true, force: true });
    const r = await copy(pgdata);
    run.steps.push({
      step: 'pg_basebackup -X stream -c fast (into the mount point, old data discarded)',
      status: r.exitCode === 0 ? 'done' : 'failed',
      detail: r.exitCode === 0 ? pgdata : lastLine(r),
      ms: Date.now() - t0,
    });
    return r.exitCode === 0 ? {} : undefined;
  }
  const newDir = `${pgdata}.pgsr-new-${stamp}`;
  const t0 = Date.now();
  mkdirSync(newDir, { mode: 0o700 });
  if (c.owner && process.getuid?.() === 0) chownSync(newDir, c.owner.uid, c.owner.gid);
  const r = await copy(newDir);
  if (r.exitCode !== 0) {
    rmSync(newDir, { recursive: true, force: true });
    run.steps.push({ step: 'pg_basebackup', status: 'failed', detail: lastLine(r), ms: Date.now() - t0 });
    return undefined;
  }
  run.steps.push({ step: 'pg_basebackup -X stream -c fast', status: 'done', detail: newDir, ms: Date.now() - t0 });
  let oldDir: string | undefined;
  if (existsSync(pgdata)) {
    oldDir = `${pgdata}.pgsr-old-${stamp}`;
    renameSync(pgdata, oldDir);
  }
  renameSync(newDir, pgdata);
  if (oldDir && cfg.discardOld) {
    rmSync(oldDir, { recursive: true, force: true });
    run.steps.push({ step: 'discard the old data directory', status: 'done', detail: oldDir });
    return {};
  }
  if (oldDir) run.steps.push({ step: 'move the old data directory aside', status: 'done', detail: oldDir });
  return { oldDir };
}

/**
 * The credentials of pgsr's own connection to `source`, for server tools run as the OS user: a
 * temporary password file (mode 0600, owned by that user, removed afterwards) with one line for
 * the source, named by PGPASSFILE. No password found: the tools search their own ~/.pgpass, or
 * the named PGPASSFILE when one was given.
 */
function credentialHandover(
  cfg: LifecycleConfig,
  source: ConnectionSettings,
  owner: { uid: number; gid: number } | undefined,
): { env: Record<string, string>; remove: () => void; password?: string } {
  const c = cfg.common.connection;
  const password =
    c.envPassword ??
    lookupPassword(c.passfiles, { host: source.host, port: source.port, database: 'replication', user: source.user })
      .password ??
    lookupPassword(c.passfiles, { host: source.host, port: source.port, database: source.database, user: source.user })
      .password;
  if (password === undefined)
    return { env: c.passfileExplicit ? { PGPASSFILE: c.passfiles[0] } : {}, remove: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'pgsr-pass-'));
  const file = join(dir, 'pgpass');
  writeFileSync(file, passfileLine(source.host, source.port, source.user, password), { mode: 0o600 });
  if (owner && process.getuid?.() === 0) {
    chownSync(dir, owner.uid, owner.gid);
    chownSync(file, owner.uid, owner.gid);
  }
  return { env: { PGPASSFILE: file }, remove: () => rmSync(dir, { recursive: true, force: true }), password };
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
 * recovery.done (restore_command, archive_cleanup_command: a standby's own settings).
 */
function savedConf(pgdata: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(pgdata)) {
    if (name.endsWith('.conf') || name === 'recovery.done') out[name] = readFileSync(join(pgdata, name), 'utf8');
  }
  return out;
}

/**
 * True when `dir` is a mount point (listed in /proc/self/mountinfo, or on another device than its
 * parent): it cannot be renamed.
 */
function isMountPoint(dir: string): boolean {
  try {
    const unescape = (p: string) => p.replace(/\\([0-7]{3})/g, (_m, o: string) => String.fromCharCode(parseInt(o, 8)));
    if (
      readFileSync('/proc/self/mountinfo', 'utf8')
        .split('\n')
        .some((l) => unescape(l.split(' ')[4] ?? '') === dir)
    )
      return true;
    return statSync(dir).dev !== statSync(dirname(dir)).dev;
  } catch {
    return false;
  }
}
