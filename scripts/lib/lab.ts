/**
 * The lab: a real PostgreSQL streaming-replication pair on 127.0.0.1, built like the reference
 * scenario (async streaming, `application_name=slave`, `recovery_target_timeline=latest`), on
 * free ports in a temporary directory, with the machine's PostgreSQL or any bin dir given.
 * Used by `npm run lab`, `npm run demo` and the integration tests.
 *
 * As root, server programs run as the PostgreSQL OS user (`runuser -u postgres --`), since
 * PostgreSQL refuses to run as root. Every child process has a timeout; every wait is bounded.
 */
import { execa, type Options as ExecaOptions } from 'execa';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** One server of the pair. */
export interface LabNode {
  name: 'primary' | 'standby';
  data: string;
  port: number;
  logFile: string;
}

/** A running (or described) pair; saved as `<dir>/lab.json`. */
export interface LabPair {
  dir: string;
  /** Server bin dir (initdb, pg_ctl, postgres). */
  bindir: string;
  /** Client bin dir (psql, pg_basebackup): the machine's newest. */
  clientBindir: string;
  major: number;
  osUser: string;
  primary: LabNode;
  standby: LabNode;
  /** application_name the standby uses (seed 000: `slave`). */
  applicationName: string;
  /** Login role with a password (scram-sha-256 from 127.0.0.1) and pg_monitor, for auth tests. */
  passwordRole: { name: string; password: string };
}

/** Options of `labUp`. */
export interface LabOptions {
  /** Directory for the pair (must be absent or empty); default a new /tmp/pgsr-lab-XXXX. */
  dir?: string;
  bindir?: string;
  clientBindir?: string;
  osUser?: string;
  /** Primary port; the standby takes another free port. Default: free ports. */
  port?: number;
  applicationName?: string;
  /** Extra postgresql.conf lines for both nodes. */
  extraConf?: string[];
  /** Progress messages (default: none). */
  log?: (msg: string) => void;
}

const TIMEOUT_MS = 60_000;
const isRoot = () => process.getuid?.() === 0;

/** The machine's PostgreSQL bin dir: PGSR_PG_BINDIR, `pg_config --bindir`, or the newest /usr/lib/postgresql/N/bin. */
export async function defaultBindir(): Promise<string> {
  if (process.env.PGSR_PG_BINDIR) return process.env.PGSR_PG_BINDIR;
  const r = await execa('pg_config', ['--bindir'], { reject: false, timeout: 5000 });
  if (!r.failed && existsSync(join(r.stdout.trim(), 'initdb'))) return r.stdout.trim();
  const base = '/usr/lib/postgresql';
  const majors = existsSync(base)
    ? readdirSync(base)
        .filter((d) => existsSync(join(base, d, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (!majors.length) throw new Error('no PostgreSQL server found: install postgresql (Debian) or set PGSR_PG_BINDIR');
  return join(base, majors[0], 'bin');
}

/** A free TCP port on 127.0.0.1 (bound then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/** Environment for child processes: the caller's, without libpq variables that would redirect them. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^PG/.test(k)) env[k] = v;
  return { ...env, ...extra };
}

/** Runs a server program, as the OS user when we are root. Throws with its output on failure. */
export async function runServerCommand(osUser: string, file: string, args: string[], opts: ExecaOptions = {}) {
  const [cmd, argv] = isRoot() ? ['runuser', ['-u', osUser, '--', file, ...args]] : [file, args];
  return execa(cmd, argv, {
    timeout: TIMEOUT_MS,
    env: cleanEnv(),
    extendEnv: false,
    cwd: '/',
    stdin: 'ignore',
    ...opts,
  });
}

/** Runs SQL with the client psql over TCP as the superuser; returns trimmed unaligned output. */
export async function psql(
  pair: LabPair,
  node: LabNode,
  sql: string,
  opts: { timeoutMs?: number } = {},
): Promise<string> {
  const r = await execa(
    join(pair.clientBindir, 'psql'),
    [
      '-X',
      '-A',
      '-t',
      '-q',
      '-v',
      'ON_ERROR_STOP=1',
      '-h',
      '127.0.0.1',
      '-p',
      String(node.port),
      '-U',
      'postgres',
      '-d',
      'postgres',
    ],
    {
      input: sql,
      timeout: opts.timeoutMs ?? 15_000,
      env: cleanEnv({ PGCONNECT_TIMEOUT: '5' }),
      extendEnv: false,
    },
  );
  return r.stdout.trim();
}

async function serverMajor(bindir: string): Promise<number> {
  const r = await execa(join(bindir, 'postgres'), ['--version'], { timeout: 10_000 });
  const m = /(\d+)(?:\.\d+)?/.exec(r.stdout.replace(/^[^0-9]*/, ''));
  if (!m) throw new Error(`cannot read the version of ${bindir}/postgres: ${r.stdout}`);
  return Number(m[1]);
}

function nodeConf(pair: LabPair, node: LabNode, extra: string[]): string {
  const socketDir = pair.dir.length < 80 ? pair.dir : '';
  return [
    "listen_addresses = '127.0.0.1'",
    `port = ${node.port}`,
    `unix_socket_directories = '${socketDir}'`,
    'wal_level = replica',
    'max_wal_senders = 10',
    'max_replication_slots = 10',
    'hot_standby = on',
    'hot_standby_feedback = on',
    'wal_log_hints = on',
    pair.major >= 13 ? "wal_keep_size = '256MB'" : 'wal_keep_segments = 16',
    "password_encryption = 'scram-sha-256'",
    'fsync = off',
    "shared_buffers = '32MB'",
    'max_connections = 40',
    ...extra,
    '',
  ].join('\n');
}

/** The standby's primary_conninfo, written by hand: no options an older libpq would reject. */
export function labPrimaryConninfo(pair: LabPair): string {
  return `host=127.0.0.1 port=${pair.primary.port} user=postgres application_name=${pair.applicationName}`;
}

/**
 * Writes the standby configuration the server's major needs: recovery.conf up to 11,
 * standby.signal + settings from 12 (PostgreSQL docs 26.2.4 / release notes 12).
 */
export function writeStandbyConfig(pair: LabPair, node: LabNode): void {
  const conninfo = labPrimaryConninfo(pair);
  const file = pair.major >= 12 ? join(node.data, 'pgsr-lab-standby.conf') : join(node.data, 'recovery.conf');
  if (pair.major >= 12) {
    writeFileSync(join(node.data, 'standby.signal'), '');
    writeFileSync(file, `primary_conninfo = '${conninfo}'\nrecovery_target_timeline = 'latest'\n`);
  } else {
    writeFileSync(file, `standby_mode = 'on'\nprimary_conninfo = '${conninfo}'\nrecovery_target_timeline = 'latest'\n`);
  }
  chownToOsUser(pair, join(node.data, 'standby.signal'), file);
}

function chownToOsUser(pair: LabPair, ...paths: string[]): void {
  if (!isRoot()) return;
  const { uid, gid } = osUserIds(pair.osUser);
  for (const p of paths) if (existsSync(p)) chownSync(p, uid, gid);
}

/** uid/gid of a user from /etc/passwd. */
export function osUserIds(user: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.split(':')[0] === user);
  if (!line) throw new Error(`OS user ${user} does not exist`);
  const f = line.split(':');
  return { uid: Number(f[2]), gid: Number(f[3]) };
}

/** Starts a node with `pg_ctl start -w`. */
export async function startNode(pair: LabPair, node: LabNode): Promise<void> {
  await runServerCommand(pair.osUser, join(pair.bindir, 'pg_ctl'), [
    '-D',
    node.data,
    '-l',
    node.logFile,
    '-w',
    '-t',
    '60',
    'start',
  ]);
}

/** Stops a node (`pg_ctl stop -m MODE`); a node already stopped is fine. */
export async function stopNode(pair: LabPair, node: LabNode, mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
  if (!existsSync(join(node.data, 'postmaster.pid'))) return;
  await runServerCommand(
    pair.osUser,
    join(pair.bindir, 'pg_ctl'),
    ['-D', node.data, '-m', mode, '-w', '-t', '60', 'stop'],
    { reject: false },
  );
}

/** Polls `probe` every 200 ms until it returns true or `timeoutMs` passes. */
export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (let i = 0; Date.now() < end && i < 10_000; i++) {
    try {
      if (await probe()) return;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `timed out after ${timeoutMs / 1000}s waiting for ${what}${last ? `: ${(last as Error).message.split('\n')[0]}` : ''}`,
  );
}

/** True when the standby streams from the primary, seen from both sides. */
export async function isStreaming(pair: LabPair): Promise<boolean> {
  const s = await psql(pair, pair.standby, 'SELECT status FROM pg_stat_wal_receiver');
  const p = await psql(
    pair,
    pair.primary,
    `SELECT state FROM pg_stat_replication WHERE application_name = '${pair.applicationName}'`,
  );
  return s === 'streaming' && p === 'streaming';
}

/**
 * Builds and starts a pair: initdb + configuration + start for the primary, a copy
 * (pg_basebackup -X stream -c fast, or a cold copy when the server is newer than the client
 * tools), the standby configuration, start, and a bounded wait until both sides see streaming.
 * @throws Error with the last server log lines if anything fails (both servers are then stopped).
 */
export async function labUp(opts: LabOptions = {}): Promise<LabPair> {
  const log = opts.log ?? (() => {});
  const bindir = opts.bindir ?? (await defaultBindir());
  const clientBindir = opts.clientBindir ?? (await defaultBindir());
  const osUser = opts.osUser ?? 'postgres';
  const dir = opts.dir ?? mkdtempSync('/tmp/pgsr-lab-');
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} is not empty (run lab down first)`);
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755);
  const major = await serverMajor(bindir);
  const primaryPort = opts.port ?? (await freePort());
  let standbyPort = await freePort();
  while (standbyPort === primaryPort) standbyPort = await freePort();
  const pair: LabPair = {
    dir,
    bindir,
    clientBindir,
    major,
    osUser,
    primary: { name: 'primary', data: join(dir, 'primary'), port: primaryPort, logFile: join(dir, 'primary.log') },
    standby: { name: 'standby', data: join(dir, 'standby'), port: standbyPort, logFile: join(dir, 'standby.log') },
    applicationName: opts.applicationName ?? 'slave',
    passwordRole: { name: 'pgsr_pw', password: 'lab-secret-' + Math.random().toString(36).slice(2, 10) },
  };
  if (isRoot()) {
    const { uid, gid } = osUserIds(osUser);
    chownSync(dir, uid, gid);
  }
  writeFileSync(join(dir, 'lab.json'), JSON.stringify(pair, null, 2) + '\n', { mode: 0o600 });

  try {
    log(`initdb ${pair.primary.data} (PostgreSQL ${major})`);
    await runServerCommand(osUser, join(bindir, 'initdb'), [
      '-D',
      pair.primary.data,
      '-U',
      'postgres',
      '--auth=trust',
      '--locale=C',
      '--encoding=UTF8',
      '--no-sync',
    ]);
    writeFileSync(join(pair.primary.data, 'pgsr-lab.conf'), nodeConf(pair, pair.primary, opts.extraConf ?? []));
    writeFileSync(
      join(pair.primary.data, 'postgresql.conf'),
      `\ninclude_if_exists = 'pgsr-lab.conf'\ninclude_if_exists = 'pgsr-lab-standby.conf'\n`,
      { flag: 'a' },
    );
    writeFileSync(
      join(pair.primary.data, 'pg_hba.conf'),
      [
        'local all all trust',
        'local replication all trust',
        `host all ${pair.passwordRole.name} 127.0.0.1/32 scram-sha-256`,
        'host all all 127.0.0.1/32 trust',
        'host replication all 127.0.0.1/32 trust',
        '',
      ].join('\n'),
    );
    chownToOsUser(pair, join(pair.primary.data, 'pgsr-lab.conf'), join(pair.primary.data, 'pg_hba.conf'));
    log(`start primary on 127.0.0.1:${primaryPort}`);
    await startNode(pair, pair.primary);
    // The password goes through psql's stdin, never argv.
    await psql(
      pair,
      pair.primary,
      `CREATE ROLE ${pair.passwordRole.name} LOGIN PASSWORD '${pair.passwordRole.password}'; GRANT pg_monitor TO ${pair.passwordRole.name};`,
    );

    const clientMajor = await serverMajor(clientBindir).catch(() => major);
    if (major <= clientMajor) {
      log('pg_basebackup -X stream -c fast');
      await runServerCommand(
        osUser,
        join(clientBindir, 'pg_basebackup'),
        [
          '-h',
          '127.0.0.1',
          '-p',
          String(primaryPort),
          '-U',
          'postgres',
          '-D',
          pair.standby.data,
          '-X',
          'stream',
          '-c',
          'fast',
          '--no-sync',
        ],
        {
          timeout: 5 * TIMEOUT_MS,
        },
      );
    } else {
      log('cold copy (server newer than the client tools)');
      await stopNode(pair, pair.primary, 'fast');
      await runServerCommand(osUser, 'cp', ['-a', pair.primary.data, pair.standby.data]);
      await startNode(pair, pair.primary);
    }
    writeFileSync(join(pair.standby.data, 'pgsr-lab.conf'), nodeConf(pair, pair.standby, opts.extraConf ?? []));
    chownToOsUser(pair, join(pair.standby.data, 'pgsr-lab.conf'));
    writeStandbyConfig(pair, pair.standby);
    log(`start standby on 127.0.0.1:${standbyPort}`);
    await startNode(pair, pair.standby);
    await waitFor('streaming replication', () => isStreaming(pair));
    log('streaming');
    return pair;
  } catch (err) {
    const tail = [pair.primary, pair.standby]
      .filter((n) => existsSync(n.logFile))
      .map((n) => `--- ${n.name}.log\n${readFileSync(n.logFile, 'utf8').split('\n').slice(-15).join('\n')}`)
      .join('\n');
    await stopNode(pair, pair.standby, 'immediate').catch(() => undefined);
    await stopNode(pair, pair.primary, 'immediate').catch(() => undefined);
    throw new Error(`lab up failed: ${(err as Error).message}\n${tail}`);
  }
}

/** Reads a pair's description from its directory. */
export function labLoad(dir: string): LabPair {
  return JSON.parse(readFileSync(join(dir, 'lab.json'), 'utf8')) as LabPair;
}

/** Stops both servers (immediate) and removes the directory; refuses a directory without lab.json. */
export async function labDown(dirOrPair: string | LabPair): Promise<void> {
  const dir = typeof dirOrPair === 'string' ? dirOrPair : dirOrPair.dir;
  if (!existsSync(dir)) return;
  if (!existsSync(join(dir, 'lab.json'))) throw new Error(`${dir} has no lab.json: not a pgsr lab, not removed`);
  const pair = labLoad(dir);
  await stopNode(pair, pair.standby, 'immediate').catch(() => undefined);
  await stopNode(pair, pair.primary, 'immediate').catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
}
