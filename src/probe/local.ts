/**
 * Local facts about one PostgreSQL data directory, read without deciding anything:
 * PG_VERSION, postmaster.pid, `pg_ctl status` (exit 0 running, 3 not running, 4 no data
 * directory: pg_ctl docs), recovery files and the pgsr primary lock; plus where the server
 * binaries are.
 *
 * Over 350 lines because it holds every fact read without a connection (pid file, pg_control, binaries, WAL timelines), each a short reader.
 */
import { existsSync, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runAs } from '../host/exec';

/* The primary lock is written by lifecycle/lock.ts; reading it is a local fact. */

/** File name of the lock inside PGDATA. */
export const LOCK_FILE = 'pgsr.primary.lock';

/** What the lock records. */
export interface LockInfo {
  /** ISO time the instance became primary under pgsr. */
  since: string;
  /** How: `start` or `promote`. */
  how: string;
  timeline: number | null;
  host: string;
}

/** Reads the primary lock (see lifecycle/lock.ts) of a data directory; undefined when there is none. A damaged lock still counts. */
export function readLock(pgdata: string): LockInfo | undefined {
  const path = join(pgdata, LOCK_FILE);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockInfo;
  } catch {
    return { since: 'unknown', how: 'unknown (unreadable lock file)', timeline: null, host: 'unknown' };
  }
}

/** Contents of postmaster.pid (PostgreSQL docs 19.1 / miscadmin.h LOCK_FILE_LINE_*). */
export interface PidFile {
  pid: number;
  dataDir: string;
  port: number | null;
  socketDir: string | null;
  listenAddr: string | null;
  status: string | null;
}

/** Everything about the local instance that the lifecycle plans need. */
export interface LocalFacts {
  pgdata: string;
  /** The directory exists and has PG_VERSION. */
  initialized: boolean;
  /** Major version from PG_VERSION (10, 11, ..., 18). */
  major: number | null;
  /** From `pg_ctl status`. */
  state: 'running' | 'stopped' | 'no-data' | 'unknown';
  pidFile?: PidFile;
  standbySignal: boolean;
  recoveryConf: boolean;
  recoveryDone: boolean;
  /** postmaster.pid names a process that exited but was not reaped yet (a zombie). */
  zombiePostmaster: boolean;
  /** backup_label present: a base backup not yet started (a lock in it was copied from the source). */
  backupLabel: boolean;
  lock?: LockInfo;
  /** Owner of PGDATA (files pgsr writes there get it). */
  owner?: { uid: number; gid: number };
}

/** Paths of the programs a lifecycle command may need; undefined when not found. */
export interface Binaries {
  bindir: string;
  pg_ctl?: string;
  postgres?: string;
  pg_rewind?: string;
  pg_basebackup?: string;
  pg_controldata?: string;
}

/**
 * Whether the postmaster of a data directory runs, from postmaster.pid and /proc (what
 * `pg_ctl status` does, without spawning it): no pid file → stopped; the pid gone or a zombie
 * → stopped; a live postgres process → running; /proc not readable → unknown.
 */
export function postmasterState(pgdata: string): LocalFacts['state'] {
  const pid = readPidFile(pgdata)?.pid;
  if (pid === undefined) return existsSync(join(pgdata, 'postmaster.pid')) ? 'unknown' : 'stopped';
  if (!existsSync(`/proc/${pid}`) || isZombie(pid)) return 'stopped';
  try {
    // A reused pid belongs to another program: then the server is not running.
    return readlinkSync(`/proc/${pid}/exe`)
      .replace(/ \(deleted\)$/, '')
      .endsWith('/postgres')
      ? 'running'
      : 'stopped';
  } catch {
    return 'unknown';
  }
}

/** True when the process is a zombie (exited, not yet reaped) or gone. */
export function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return true;
  }
}

/** Reads postmaster.pid; undefined if absent or unreadable. */
export function readPidFile(pgdata: string): PidFile | undefined {
  try {
    const lines = readFileSync(join(pgdata, 'postmaster.pid'), 'utf8').split('\n');
    const pid = Number(lines[0]);
    if (!Number.isInteger(pid) || pid <= 0) return undefined;
    const s = (i: number) => (lines[i] !== undefined && lines[i].trim() !== '' ? lines[i].trim() : null);
    return {
      pid,
      dataDir: lines[1] ?? '',
      port: s(3) ? Number(s(3)) : null,
      socketDir: s(4),
      listenAddr: s(5),
      status: s(7),
    };
  } catch {
    return undefined;
  }
}

/**
 * Gathers the local facts. `pg_ctl status` runs as the OS user with a short timeout.
 * Never throws.
 */
export async function localFacts(
  pgdata: string,
  bin: Binaries,
  osUser: string,
  timeoutMs: number,
): Promise<LocalFacts> {
  const initialized = existsSync(join(pgdata, 'PG_VERSION'));
  const major = dataMajor(pgdata);
  let state: LocalFacts['state'] = initialized ? 'unknown' : 'no-data';
  if (initialized) state = postmasterState(pgdata);
  if (state === 'unknown' && initialized && bin.pg_ctl) {
    // /proc could not tell (not ours to read): ask pg_ctl, as the OS user.
    const r = await runAs(osUser, bin.pg_ctl, ['status', '-D', pgdata], { timeoutMs: Math.min(timeoutMs, 10_000) });
    state = r.exitCode === 0 ? 'running' : r.exitCode === 3 ? 'stopped' : r.exitCode === 4 ? 'no-data' : 'unknown';
    // pg_ctl status only does kill(pid, 0), which succeeds on a zombie: a postmaster killed with
    // -9 whose parent has not reaped it yet is dead, not running.
    const pid = readPidFile(pgdata)?.pid;
    if (state === 'running' && pid && isZombie(pid)) state = 'stopped';
  }
  let owner: LocalFacts['owner'];
  try {
    const st = statSync(pgdata);
    owner = { uid: st.uid, gid: st.gid };
  } catch {
    owner = undefined;
  }
  return {
    pgdata,
    initialized,
    major,
    state,
    pidFile: readPidFile(pgdata),
    standbySignal: existsSync(join(pgdata, 'standby.signal')),
    recoveryConf: existsSync(join(pgdata, 'recovery.conf')),
    recoveryDone: existsSync(join(pgdata, 'recovery.done')),
    backupLabel: existsSync(join(pgdata, 'backup_label')),
    zombiePostmaster: (() => {
      const pid = readPidFile(pgdata)?.pid;
      return pid !== undefined && existsSync(`/proc/${pid}`) && isZombie(pid);
    })(),
    lock: initialized ? readLock(pgdata) : undefined,
    owner,
  };
}

/**
 * The bin directory layouts of the PostgreSQL packages: Debian/Ubuntu `/usr/lib/postgresql/N/bin`,
 * RHEL/Rocky with the PGDG packages `/usr/pgsql-N/bin` (CLUSTERPRO sites are mostly RHEL).
 */
const BINDIR_LAYOUTS: ReadonlyArray<{ base: string; dir: RegExp; bin: (major: string) => string }> = [
  { base: 'usr/lib/postgresql', dir: /^(\d+)$/, bin: (m) => join('usr/lib/postgresql', m, 'bin') },
  { base: 'usr', dir: /^pgsql-(\d+)$/, bin: (m) => join('usr', `pgsql-${m}`, 'bin') },
];

/** Major version of a data directory from its PG_VERSION (10, 11, ...); null when unreadable. */
export function dataMajor(pgdata: string | undefined): number | null {
  if (!pgdata) return null;
  try {
    return Number(readFileSync(join(pgdata, 'PG_VERSION'), 'utf8').trim().split('.')[0]) || null;
  } catch {
    return null;
  }
}

/**
 * `pg_config --bindir` of the pg_config on PATH, with its major (`--version`: "PostgreSQL 15.18
 * ..."); undefined when there is none or it does not answer within 2 s.
 */
export function pgConfigBindir(): { dir: string; major: number } | undefined {
  if (pgConfigCache.done) return pgConfigCache.value;
  pgConfigCache.done = true;
  try {
    // Loaded here only: child_process is a few ms of start-up a one-shot check does not need.
    const { execFileSync } = process.getBuiltinModule('node:child_process');
    const out = execFileSync('pg_config', ['--bindir', '--version'], {
      encoding: 'utf8',
      timeout: 2000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const [dir, version] = out.trim().split('\n');
    const major = Number(/PostgreSQL (\d+)/.exec(version ?? '')?.[1]);
    pgConfigCache.value = dir && major ? { dir, major } : undefined;
  } catch {
    pgConfigCache.value = undefined;
  }
  return pgConfigCache.value;
}
/** Asked once per process (a resident watch would otherwise spawn pg_config at every check). */
const pgConfigCache: { done: boolean; value?: { dir: string; major: number } } = { done: false };

/**
 * The machine's PostgreSQL bin dirs (every layout of BINDIR_LAYOUTS), newest major first.
 * @param root the file system root (tests pass a tree that mimics a distribution).
 */
export function systemBindirs(root = '/'): string[] {
  const found: Array<{ major: number; dir: string }> = [];
  for (const l of BINDIR_LAYOUTS) {
    const base = join(root, l.base);
    if (!existsSync(base)) continue;
    for (const d of readdirSync(base)) {
      const m = l.dir.exec(d);
      const dir = m ? join(root, l.bin(m[1])) : '';
      if (m && existsSync(dir)) found.push({ major: Number(m[1]), dir });
    }
  }
  return found.sort((a, b) => b.major - a.major).map((f) => f.dir);
}

/** The bin dir of one major in any known layout, if installed. */
export function majorBindir(major: number, root = '/'): string | undefined {
  return BINDIR_LAYOUTS.map((l) => join(root, l.bin(String(major)))).find(
    (d) => existsSync(join(d, 'postgres')) || existsSync(join(d, 'pg_ctl')),
  );
}

/**
 * Finds the binaries: server programs (pg_ctl, postgres, pg_rewind, pg_controldata) must come
 * from `bindir` (the data directory's major); pg_basebackup may come from a newer client too
 * (it can copy older servers). With no bindir given: the data directory's major in any known
 * layout (Debian /usr/lib/postgresql/N/bin, PGDG /usr/pgsql-N/bin), else `pg_config --bindir` when
 * its major matches (or none is known), else the newest installed.
 * @param root the file system root (tests).
 */
export function findBinaries(bindir: string | undefined, major: number | null, root = '/'): Binaries {
  const system = systemBindirs(root);
  const fromPgConfig = () => {
    if (root !== '/') return undefined;
    const c = pgConfigBindir();
    return c && (major === null || c.major === major) ? c.dir : undefined;
  };
  const dir =
    bindir ||
    ((major !== null ? majorBindir(major, root) : undefined) ??
      fromPgConfig() ??
      system[0] ??
      '/usr/lib/postgresql/bin');
  const at = (d: string, name: string) => (existsSync(join(d, name)) ? join(d, name) : undefined);
  const clientDirs = [dir, ...system];
  return {
    bindir: dir,
    pg_ctl: at(dir, 'pg_ctl'),
    postgres: at(dir, 'postgres'),
    pg_rewind: at(dir, 'pg_rewind'),
    pg_controldata: at(dir, 'pg_controldata') ?? clientDirs.map((d) => at(d, 'pg_controldata')).find(Boolean),
    pg_basebackup: clientDirs.map((d) => at(d, 'pg_basebackup')).find(Boolean),
  };
}

/** Parses `pg_controldata` output into key → value. */
export function parseControlData(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

/**
 * Processes left in a data directory by a dead postmaster: backends keep running (and keep the
 * shared memory attached) until they notice the postmaster is gone. A process counts only when
 * its working directory is this very directory (same device and inode: the same path in another
 * mount namespace or container is a different directory), it runs the postgres program and it
 * belongs to the data directory's owner.
 */
export function orphanBackends(pgdata: string): number[] {
  const out: number[] = [];
  let dir: { dev: number; ino: number; uid: number };
  try {
    const st = statSync(pgdata);
    dir = { dev: st.dev, ino: st.ino, uid: st.uid };
  } catch {
    return out;
  }
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cwd = statSync(`/proc/${name}/cwd`);
      if (cwd.dev !== dir.dev || cwd.ino !== dir.ino) continue;
      if (statSync(`/proc/${name}`).uid !== dir.uid) continue;
      if (readlinkSync(`/proc/${name}/exe`).endsWith('/postgres')) out.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** What pg_wal holds about timelines: each history file's timeline and text, and the timelines of its WAL segments. */
export interface WalTimelines {
  histories: Array<{ tli: number; text: string }>;
  /** Timelines of the WAL segment files present (`TTTTTTTTXXXXXXXXYYYYYYYY`, also `.partial`). */
  segmentTlis: Set<number>;
}

/**
 * Reads `<pgdata>/pg_wal` (10+; a symlink to another volume is followed): history files and
 * segment names. A walreceiver fetches the new primary's history file before it can stream its
 * timeline (PostgreSQL docs, "Timelines"), so it is there even when following fails. Empty when
 * unreadable. History files larger than 64 KiB are skipped (never seen: one line per promotion).
 */
export function walTimelines(pgdata: string): WalTimelines {
  const out: WalTimelines = { histories: [], segmentTlis: new Set() };
  let names: string[];
  try {
    names = readdirSync(join(pgdata, 'pg_wal'));
  } catch {
    return out;
  }
  for (const name of names) {
    const seg = /^([0-9A-F]{8})[0-9A-F]{16}(\.partial)?$/.exec(name);
    if (seg) out.segmentTlis.add(parseInt(seg[1], 16));
    const hist = /^([0-9A-F]{8})\.history$/.exec(name);
    if (!hist) continue;
    try {
      const file = join(pgdata, 'pg_wal', name);
      if (statSync(file).size <= 65536)
        out.histories.push({ tli: parseInt(hist[1], 16), text: readFileSync(file, 'utf8') });
    } catch {
      // gone or unreadable: skipped
    }
  }
  return out;
}
