/**
 * The Pgpool-II lab (seed 001 chapter 5): three PostgreSQL servers on 127.0.0.1 (backend 0 the
 * primary, backends 1 and 2 streaming standbys with application_name node1 / node2) behind a real
 * Pgpool-II (Debian pgpool2, 4.3) in streaming-replication mode, health check every second,
 * failover_command and follow_primary_command calling this checkout's bundle, PCP on its own
 * port with a password file. Pgpool runs in the foreground (-n) as root, its log in the lab
 * directory. Every wait is bounded.
 */
import { execa, type ResultPromise } from 'execa';
import { chownSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE } from './genw';
import {
  freePort,
  labDown,
  labUp,
  osUserIds,
  psql,
  runServerCommand,
  startNode,
  waitFor,
  type LabNode,
  type LabPair,
} from './lab';

/** The lab: the pair of lab.ts plus a second standby, and Pgpool in front. */
export interface PgpoolLab {
  pair: LabPair;
  /** Backends by node id. */
  nodes: LabNode[];
  port: number;
  pcpPort: number;
  dir: string;
  pcpPassFile: string;
  log: string;
  /** Log of every pgsr run by Pgpool (failover/follow-primary stdout and stderr). */
  pgsrLog: string;
  proc?: ResultPromise;
}

const PCP_USER = 'pgpool';

/** The application_name of backend N (the primary's own name when it becomes a standby). */
export const nodeName = (id: number) => `node${id}`;

function standbyConf(pair: LabPair, node: LabNode, upstreamPort: number, name: string): void {
  const conninfo = `host=127.0.0.1 port=${upstreamPort} user=postgres application_name=${name}`;
  const file = pair.major >= 12 ? join(node.data, 'pgsr-lab-standby.conf') : join(node.data, 'recovery.conf');
  writeFileSync(
    file,
    `${pair.major >= 12 ? '' : "standby_mode = 'on'\n"}primary_conninfo = '${conninfo}'\nrecovery_target_timeline = 'latest'\n`,
  );
  if (pair.major >= 12) writeFileSync(join(node.data, 'standby.signal'), '');
  const { uid, gid } = osUserIds(pair.osUser);
  for (const f of [file, join(node.data, 'standby.signal')]) if (existsSync(f)) chownSync(f, uid, gid);
}

/**
 * Pgpool's health check (pgpool.conf health_check_*, seconds). The lab's default (every second,
 * 3 s, no retry; the replication check every second) makes the tests quick; the fault campaign
 * runs the Pgpool-II documentation's example configuration (5 s, 30 s, 3 retries 1 s apart) and
 * Pgpool's default sr_check_period (10 s), as operators copy them.
 */
export interface HealthCheck {
  period: number;
  timeout: number;
  maxRetries: number;
  retryDelay: number;
  /** sr_check_period: the streaming replication check worker's cycle (seconds). */
  srCheckPeriod: number;
}
const LAB_HEALTH_CHECK: HealthCheck = { period: 1, timeout: 3, maxRetries: 0, retryDelay: 1, srCheckPeriod: 1 };

/** Brings up three servers and Pgpool (health check: `healthCheck`, default the lab's quick one). */
export async function pgpoolLabUp(healthCheck: HealthCheck = LAB_HEALTH_CHECK): Promise<PgpoolLab> {
  const pair = await labUp({ applicationName: nodeName(1) });
  const third: LabNode = {
    name: 'standby',
    data: join(pair.dir, 'standby2'),
    port: await freePort(),
    logFile: join(pair.dir, 'standby2.log'),
  };
  await runServerCommand(
    pair.osUser,
    join(pair.clientBindir, 'pg_basebackup'),
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(pair.primary.port),
      '-U',
      'postgres',
      '-D',
      third.data,
      '-X',
      'stream',
      '-c',
      'fast',
      '--no-sync',
    ],
    { timeout: 120_000 },
  );
  const conf = readFileSync(join(pair.standby.data, 'pgsr-lab.conf'), 'utf8').replace(
    /^port = \d+$/m,
    `port = ${third.port}`,
  );
  writeFileSync(join(third.data, 'pgsr-lab.conf'), conf);
  const { uid, gid } = osUserIds(pair.osUser);
  chownSync(join(third.data, 'pgsr-lab.conf'), uid, gid);
  standbyConf(pair, third, pair.primary.port, nodeName(2));
  await startNode(pair, third);
  await waitFor(
    'both standbys streaming',
    async () =>
      (await psql(pair, pair.primary, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")) === '2',
    30_000,
  );

  const lab: PgpoolLab = {
    pair,
    nodes: [pair.primary, pair.standby, third],
    port: await freePort(),
    pcpPort: await freePort(),
    dir: pair.dir,
    pcpPassFile: join(pair.dir, 'pcppass'),
    log: join(pair.dir, 'pgpool.log'),
    pgsrLog: join(pair.dir, 'pgsr-pgpool.log'),
  };
  const password = `pcp-${Math.random().toString(36).slice(2, 10)}`;
  const md5 = (await execa('pg_md5', [password])).stdout.trim();
  writeFileSync(join(lab.dir, 'pcp.conf'), `${PCP_USER}:${md5}\n`, { mode: 0o600 });
  writeFileSync(lab.pcpPassFile, `127.0.0.1:${lab.pcpPort}:${PCP_USER}:${password}\n`, { mode: 0o600 });
  writeFileSync(join(lab.dir, 'pool_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 trust\n');
  const pgsr = (cmd: string, placeholders: string) =>
    `${process.execPath} ${BUNDLE} pgpool ${cmd} --bindir ${pair.bindir} --pcp-host 127.0.0.1 --pcp-port ${lab.pcpPort} --pcp-user ${PCP_USER} --pcp-passfile ${lab.pcpPassFile} --slot-name node%d --log-file ${lab.pgsrLog} ${placeholders}`;
  const backends = lab.nodes.flatMap((n, i) => [
    `backend_hostname${i} = '127.0.0.1'`,
    `backend_port${i} = ${n.port}`,
    `backend_weight${i} = 1`,
    `backend_data_directory${i} = '${n.data}'`,
    `backend_flag${i} = 'ALLOW_TO_FAILOVER'`,
    `backend_application_name${i} = '${nodeName(i)}'`,
  ]);
  writeFileSync(
    join(lab.dir, 'pgpool.conf'),
    [
      "backend_clustering_mode = 'streaming_replication'",
      "listen_addresses = '127.0.0.1'",
      `port = ${lab.port}`,
      `unix_socket_directories = '${lab.dir}'`,
      "pcp_listen_addresses = '127.0.0.1'",
      `pcp_port = ${lab.pcpPort}`,
      `pcp_socket_dir = '${lab.dir}'`,
      ...backends,
      'num_init_children = 8',
      'max_pool = 2',
      'enable_pool_hba = on',
      `pool_passwd = ''`,
      "sr_check_user = 'postgres'",
      `sr_check_period = ${healthCheck.srCheckPeriod}`,
      "health_check_user = 'postgres'",
      `health_check_period = ${healthCheck.period}`,
      `health_check_timeout = ${healthCheck.timeout}`,
      `health_check_max_retries = ${healthCheck.maxRetries}`,
      `health_check_retry_delay = ${healthCheck.retryDelay}`,
      'failover_on_backend_error = on',
      'search_primary_node_timeout = 30',
      'load_balance_mode = off',
      'auto_failback = off',
      `failover_command = '${pgsr('failover', '%d %h %p %D %m %H %M %P %r %R %N %S')}'`,
      `follow_primary_command = '${pgsr('follow-primary', '%d %h %p %D %m %H %M %P %r %R')}'`,
      `pid_file_name = '${join(lab.dir, 'pgpool.pid')}'`,
      `logdir = '${lab.dir}'`,
      "log_destination = 'stderr'",
      'log_min_messages = info',
      'use_watchdog = off',
      '',
    ].join('\n'),
  );
  await pgpoolStart(lab);
  return lab;
}

/** Starts Pgpool in the foreground (its stderr to the lab log) and waits until it accepts queries. */
export async function pgpoolStart(lab: PgpoolLab): Promise<void> {
  lab.proc = execa(
    'pgpool',
    [
      '-n',
      '-f',
      join(lab.dir, 'pgpool.conf'),
      '-F',
      join(lab.dir, 'pcp.conf'),
      '-a',
      join(lab.dir, 'pool_hba.conf'),
      '-D',
    ],
    {
      reject: false,
      stdout: { file: lab.log },
      stderr: { file: lab.log },
      env: { PCPPASSFILE: lab.pcpPassFile },
      timeout: 900_000,
    },
  );
  await waitFor(
    'pgpool accepting queries',
    async () => (await poolQuery(lab, 'SHOW POOL_NODES').catch(() => '')) !== '',
    30_000,
  );
}

/** A query through Pgpool (psql, 10 s bound). */
export async function poolQuery(lab: PgpoolLab, sql: string): Promise<string> {
  const r = await execa(
    join(lab.pair.clientBindir, 'psql'),
    [
      '-X',
      '-A',
      '-t',
      '-q',
      '-F',
      '|',
      '-h',
      '127.0.0.1',
      '-p',
      String(lab.port),
      '-U',
      'postgres',
      '-d',
      'postgres',
      '-c',
      sql,
    ],
    { timeout: 10_000, reject: false, env: { PGCONNECT_TIMEOUT: '3' } },
  );
  if (r.exitCode !== 0) throw new Error(`psql through pgpool: ${r.stderr.trim()}`);
  return r.stdout.trim();
}

/** SHOW POOL_NODES as records: node_id, status (up/down/waiting), role (primary/standby). */
export async function poolNodes(lab: PgpoolLab): Promise<Array<{ id: number; status: string; role: string }>> {
  return (await poolQuery(lab, 'SHOW POOL_NODES'))
    .split('\n')
    .filter(Boolean)
    .map((l) => l.split('|'))
    .map((f) => ({ id: Number(f[0]), status: f[3], role: f[6] }));
}

/** Stops Pgpool (SIGTERM, SIGKILL after 10 s). */
export async function pgpoolStop(lab: PgpoolLab): Promise<void> {
  if (!lab.proc) return;
  lab.proc.kill('SIGTERM');
  await Promise.race([lab.proc, new Promise((r) => setTimeout(r, 10_000))]);
  lab.proc.kill('SIGKILL');
  await lab.proc;
  lab.proc = undefined;
}

/** Stops Pgpool and the servers; removes the lab. */
export async function pgpoolLabDown(lab: PgpoolLab): Promise<void> {
  await pgpoolStop(lab);
  const third = lab.nodes[2];
  await runServerCommand(
    lab.pair.osUser,
    join(lab.pair.bindir, 'pg_ctl'),
    ['-D', third.data, '-m', 'immediate', '-w', 'stop'],
    { reject: false, timeout: 60_000 },
  );
  await labDown(lab.pair);
}
