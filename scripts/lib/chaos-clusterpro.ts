/**
 * The seeded fault campaign under CLUSTERPRO (`npm run chaos -- --host clusterpro`), in the
 * reference layout: a failover group (mirror disk with PGDATA, floating IP, EXEC resource
 * exec_database) that runs on server primary01 or primary02, and a streaming standby outside the
 * cluster that connects through the floating IP. pgsr's installed EXEC scripts (start.sh,
 * stop.sh) are run by the CLUSTERPRO simulator (`clpsim exec`) with the CLP_* variables
 * CLUSTERPRO gives them, and its genw.sh watching the standby (genw_watchstandby, `clpsim genw`)
 * must report a lost standby and be normal again once the round has healed; this module plays the cluster around them with CLUSTERPRO's default
 * timing: the heartbeat timeout (90 s) before the other server takes a lost one's group over,
 * and the PostgreSQL monitor (psqlw: every 60 s, one retry) whose error fails the group over.
 *
 * On this host's loopback the mirror disk is the one data directory (a mirror that never falls
 * behind, so the failover server starts on exactly what the failed one had written) and the
 * floating IP is the one port: whichever server runs the group serves it. The group moves only
 * once the failed server's processes are gone, as a powered-off server's disk and address are;
 * a server cut off by a partition loses its network partition resolution and shuts itself down
 * when the heartbeat times out, before the other takes over. Faults as in scripts/lib/loopback-faults.ts.
 */
import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, waitUntil, type CampaignOptions, type FaultKind, type RoundReport } from './chaos';
import { BUNDLE, CLPSIM_DIR } from './genw';
import { ensureInstalled, installedCopy } from './installed';
import { labDown, labUp, psql, startNode, stopNode, waitFor, type LabPair } from './lab';
import { cutLink, frozen, linkUp, powerCycle, powerLoss, serverPids } from './loopback-faults';
import { signalAll } from './netns';

/** The faults of the campaign (a standby's partition is its power loss for everyone here). */
export const CLUSTERPRO_FAULT_KINDS: readonly FaultKind[] = [
  'primary-power-loss',
  'standby-power-loss',
  'postmaster-kill',
  'clean-stop',
  'partition',
  'standby-then-primary',
];

/** CLUSTERPRO's timing (seconds): the heartbeat timeout and the PostgreSQL monitor's interval and retry count. */
export interface ClusterTiming {
  heartbeatTimeout: number;
  psqlwInterval: number;
  psqlwRetries: number;
}
/** CLUSTERPRO X's defaults: heartbeat timeout 90 s; a monitor resource every 60 s with 1 retry (as clpsim's genw). */
export const CLUSTERPRO_DEFAULT_TIMING: ClusterTiming = { heartbeatTimeout: 90, psqlwInterval: 60, psqlwRetries: 1 };

export const SERVERS = ['primary01', 'primary02'] as const;

/** The lab: the pair (its primary is the failover group's PostgreSQL), the server running the group, the EXEC scripts. */
export interface ClusterproLab {
  pair: LabPair;
  active: 0 | 1;
  start: string;
  stop: string;
  /** genw_watchstandby: the installed genw.sh watching the standby from the group's side. */
  genw: string;
  runs: number;
  timing: ClusterTiming;
}

/** One EXEC script run by clpsim: its exit code, its pgsr line and the alert levels it sent. */
interface ExecRun {
  exit: number;
  line: string;
  levels: string[];
}

/**
 * Runs clpsim as CLUSTERPRO runs scripts (its PATH without /usr/sbin), `args` followed by the
 * output options (`clpsim-<n>.log/.alerts/.json` in the lab's directory): the summary's exit code
 * (`pick`), the alert levels and the log's last line matching `line`.
 */
async function clpsim(
  lab: ClusterproLab,
  args: string[],
  timeoutMs: number,
  pick: (summary: Record<string, unknown>) => number,
  line = /./,
): Promise<ExecRun> {
  const n = ++lab.runs;
  const file = (what: string) => join(lab.pair.dir, `clpsim-${n}.${what}`);
  await execa(
    join(CLPSIM_DIR, 'clpsim'),
    [
      ...args,
      '--log-path',
      file('log'),
      '--alert-log',
      file('alerts'),
      '--summary-json',
      file('json'),
      '--env',
      'PATH=/usr/bin:/bin',
    ],
    { reject: false, timeout: timeoutMs, env: { PATH: '/usr/bin:/bin' } },
  );
  try {
    const summary = JSON.parse(readFileSync(file('json'), 'utf8')) as Record<string, unknown> & {
      alerts?: Array<{ level: string }>;
    };
    const last =
      readFileSync(file('log'), 'utf8')
        .split('\n')
        .filter((l) => line.test(l))
        .at(-1) ?? '';
    return { exit: pick(summary), line: last, levels: (summary.alerts ?? []).map((a) => a.level) };
  } catch (err) {
    return { exit: -1, line: `clpsim wrote no summary: ${(err as Error).message}`, levels: [] };
  }
}

/** Runs exec_database's start or stop script as CLUSTERPRO does (clpsim exec). */
function clpExec(
  lab: ClusterproLab,
  action: 'start' | 'stop',
  env: { event?: string; factor?: string },
): Promise<ExecRun> {
  const args = [
    'exec',
    action,
    '--script',
    action === 'start' ? lab.start : lab.stop,
    '--name',
    'exec_database',
    '--group',
    'failover_primary',
    '--server',
    lab.active === 0 ? 'HOME' : 'OTHER',
    '--timeout',
    '360',
  ];
  if (env.event) args.push('--event', env.event);
  if (env.factor) args.push('--factor', env.factor);
  return clpsim(lab, args, 420_000, (s) => Number(s.exit_code), /^pgsr exec \w+ [A-Z]+/);
}

/** One run of genw_watchstandby under clpsim genw (synchronous, final action none, as the reference setup). */
function genwRun(lab: ClusterproLab): Promise<ExecRun> {
  const args = [
    'genw',
    '--script',
    lab.genw,
    '--name',
    'genw_watchstandby',
    '--interval',
    '1',
    '--timeout',
    '30',
    '--retry',
    '0',
    '--runs',
    '1',
    '--recovery-action',
    'final-only',
    '--final-action',
    'none',
  ];
  return clpsim(lab, args, 60_000, (s) => Number(Object.keys((s.exit_codes ?? {}) as Record<string, number>)[0] ?? -1));
}

const describeRun = (what: string, r: ExecRun) =>
  `${what}: exit ${r.exit}${r.levels.length ? ` (alerts ${r.levels.join(',')})` : ''}`;

/**
 * Brings up the pair and CLUSTERPRO's group on primary01: the installed EXEC scripts with their
 * configuration (peer-conninfo: the standby), the primary stopped and started again by
 * `exec start` (CLP_EVENT=START), the standby streaming through the floating IP.
 * @throws Error when the group does not start.
 */
export async function clusterproLabUp(timing: ClusterTiming = CLUSTERPRO_DEFAULT_TIMING): Promise<ClusterproLab> {
  ensureInstalled();
  const pair = await labUp({ applicationName: 'slave' });
  const conf = join(pair.dir, 'exec_database.conf');
  writeFileSync(
    conf,
    [
      `pgdata = ${pair.primary.data}`,
      `bindir = ${pair.bindir}`,
      'host = 127.0.0.1',
      `port = ${pair.primary.port}`,
      `peer-conninfo = host=127.0.0.1 port=${pair.standby.port} user=postgres`,
      '',
    ].join('\n'),
  );
  const watch = join(pair.dir, 'genw_watchstandby.conf');
  writeFileSync(
    watch,
    [
      'host = 127.0.0.1',
      `port = ${pair.standby.port}`,
      'username = postgres',
      'role = standby',
      'primary-host = 127.0.0.1',
      `primary-port = ${pair.primary.port}`,
      'timeout = 10',
      `state-dir = ${join(pair.dir, 'genw-state')}`,
      '',
    ].join('\n'),
  );
  const lab: ClusterproLab = {
    pair,
    active: 0,
    start: installedCopy('clusterpro/exec/start.sh', pair.dir, { PGSR_CONFIG: conf }),
    stop: installedCopy('clusterpro/exec/stop.sh', pair.dir, { PGSR_CONFIG: conf }),
    genw: installedCopy('clusterpro/genw.sh', pair.dir, { PGSR_CONFIG: watch }),
    runs: 0,
    timing,
  };
  await stopNode(pair, pair.primary, 'fast');
  const s = await clpExec(lab, 'start', { event: 'START' });
  if (s.exit !== 0) throw new Error(`exec start of the group failed: ${s.line}`);
  await waitFor('the standby streaming through the floating IP', () => whole(lab), 60_000);
  return lab;
}

/** Stops every server of the lab (frozen ones killed first) and removes it. */
export async function clusterproLabDown(lab: ClusterproLab): Promise<void> {
  for (const n of [lab.pair.primary, lab.pair.standby]) if (frozen(n)) signalAll(serverPids(n.data), 'SIGKILL');
  await labDown(lab.pair);
}

const role = async (lab: ClusterproLab, which: 'primary' | 'standby') =>
  psql(lab.pair, lab.pair[which], 'SELECT pg_is_in_recovery()', { timeoutMs: 5000 }).catch(() => 'down');

/** The group's PostgreSQL writable through the floating IP, the standby streaming from it. */
async function whole(lab: ClusterproLab): Promise<boolean> {
  if ((await role(lab, 'primary')) !== 'f') return false;
  const s = await psql(
    lab.pair,
    lab.pair.primary,
    "SELECT count(*) FROM pg_stat_replication WHERE application_name = 'slave' AND state = 'streaming'",
    { timeoutMs: 5000 },
  ).catch(() => '0');
  return s === '1';
}

async function caughtUp(lab: ClusterproLab): Promise<boolean> {
  const lagging = await psql(
    lab.pair,
    lab.pair.primary,
    'SELECT count(*) FROM pg_stat_replication WHERE replay_lsn IS DISTINCT FROM pg_current_wal_lsn()',
    { timeoutMs: 5000 },
  ).catch(() => 'x');
  return lagging === '0';
}

/**
 * The group fails over to the other server: EXEC stop on the server that has it when that
 * server still runs (`factor`), else its processes are gone with it; then the mirror disk and the
 * floating IP on the other server and EXEC start there (CLP_EVENT=FAILOVER).
 */
async function groupFailover(
  lab: ClusterproLab,
  factor: string | undefined,
  notes: string[],
  stopped = () => {},
): Promise<boolean> {
  const from = SERVERS[lab.active];
  if (factor) {
    notes.push(describeRun(`EXEC stop on ${from} (${factor})`, await clpExec(lab, 'stop', { factor })));
    stopped();
  } else {
    signalAll(serverPids(lab.pair.primary.data), 'SIGKILL');
    await waitUntil(() => serverPids(lab.pair.primary.data).length === 0, 15_000);
  }
  await linkUp(lab.pair.primary);
  lab.active = lab.active === 0 ? 1 : 0;
  const s = await clpExec(lab, 'start', { event: 'FAILOVER' });
  notes.push(describeRun(`EXEC start on ${SERVERS[lab.active]} (FAILOVER)`, s));
  if (s.exit !== 0) notes.push(s.line.slice(0, 300));
  return s.exit === 0;
}

/** psqlw: a query through the floating IP every interval (first at a random phase); abnormal after retries + 1 errors in a row. */
async function psqlwDetects(lab: ClusterproLab, rnd: () => number, deadline: number): Promise<boolean> {
  const { psqlwInterval: every, psqlwRetries: retries } = lab.timing;
  let wait = rnd() * every * 1000;
  for (let errors = 0, i = 0; i < 100 && Date.now() + wait < deadline; i++) {
    await sleep(wait);
    wait = every * 1000;
    const ok = (await role(lab, 'primary')) !== 'down';
    errors = ok ? 0 : errors + 1;
    if (errors > retries) return true;
  }
  return false;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the fault hit: `active` (the group's server) or the `standby`, and when its last part began. */
interface Hit {
  node: string;
  at: number;
  target: 'active' | 'standby';
  how: FaultKind;
}

async function inject(lab: ClusterproLab, kind: FaultKind, rnd: () => number): Promise<Hit> {
  const at = Date.now();
  const active = SERVERS[lab.active];
  switch (kind) {
    case 'primary-power-loss':
    case 'partition':
      // Timed once the server is cut off: an acknowledgement sent just before is not a write after the fault.
      await (kind === 'partition' ? cutLink : powerLoss)(lab.pair.primary);
      return { node: active, at: Date.now(), target: 'active', how: kind };
    case 'standby-power-loss':
      await powerLoss(lab.pair.standby);
      return { node: 'standby', at, target: 'standby', how: kind };
    case 'postmaster-kill':
      signalAll(
        [Number(readFileSync(join(lab.pair.primary.data, 'postmaster.pid'), 'utf8').split('\n')[0])],
        'SIGKILL',
      );
      return { node: active, at, target: 'active', how: kind };
    case 'clean-stop': {
      // The group's server shut down cleanly (its group fails over), or the standby's PostgreSQL stopped.
      if (rnd() < 0.5) return { node: active, at, target: 'active', how: kind };
      await stopNode(lab.pair, lab.pair.standby, 'fast');
      return { node: 'standby', at: Date.now(), target: 'standby', how: kind };
    }
    case 'standby-then-primary': {
      // The standby lost at night, the group's server in the morning before anyone repaired it.
      await powerLoss(lab.pair.standby);
      await sleep(10_000);
      await powerLoss(lab.pair.primary);
      return { node: `standby>${active}`, at: Date.now(), target: 'active', how: 'primary-power-loss' };
    }
    default:
      throw new Error(`${kind}: not a fault of the CLUSTERPRO campaign`);
  }
}

/** CLUSTERPRO's reaction to the fault: nothing for the standby (its monitor only alerts), a group failover for the group's server. */
async function react(
  lab: ClusterproLab,
  hit: Hit,
  rnd: () => number,
  deadline: number,
  notes: string[],
): Promise<void> {
  if (hit.target === 'standby') return;
  if (hit.how === 'clean-stop') {
    // Timed from the end of EXEC stop: the writes acknowledged while it ran came from the old server.
    await groupFailover(lab, 'SERVERSHUTDOWN', notes, () => (hit.at = Date.now()));
    return;
  }
  if (hit.how === 'postmaster-kill') {
    if (!(await psqlwDetects(lab, rnd, deadline))) notes.push('psqlw never found the PostgreSQL of the group failed');
    else await groupFailover(lab, 'GROUPFAILOVER', notes);
    return;
  }
  // Power loss or partition: the other server takes the group over once the heartbeat times out
  // (a partitioned server has shut itself down by then: network partition resolution).
  await sleep(Math.max(0, hit.at + lab.timing.heartbeatTimeout * 1000 - Date.now()));
  if (hit.how === 'partition')
    notes.push(`${hit.node} isolated: its network partition resolution failed, it shut itself down`);
  await groupFailover(lab, undefined, notes);
}

/** The standby back as an operator brings it: power-cycled or started, rebuilt from the floating IP when it cannot stream. */
async function standbyBack(lab: ClusterproLab, notes: string[]): Promise<void> {
  const node = lab.pair.standby;
  if (frozen(node)) await powerCycle(node);
  await linkUp(node);
  if ((await role(lab, 'standby')) === 'down') {
    await startNode(lab.pair, node).catch((err: Error) =>
      notes.push(`standby would not start: ${err.message.slice(0, 120)}`),
    );
    notes.push('standby: restarted');
  }
  if (await waitUntil(() => whole(lab), 90_000)) return;
  notes.push('standby not streaming through the floating IP: rebuilt');
  await stopNode(lab.pair, node, 'fast');
  const from = `host=127.0.0.1 port=${lab.pair.primary.port} user=postgres`;
  const r = await execa(
    process.execPath,
    [
      BUNDLE,
      'rebuild',
      '-D',
      node.data,
      '--bindir',
      lab.pair.bindir,
      '--from',
      `${from} dbname=postgres`,
      '--primary-conninfo',
      `${from} application_name=slave`,
      '--discard-old',
      '--server-log',
      node.logFile,
      '--format',
      'json',
      '--timeout',
      '240',
    ],
    { reject: false, timeout: 300_000 },
  );
  if (r.exitCode !== 0) throw new Error(`pgsr rebuild of the standby failed: ${String(r.stdout).slice(-300)}`);
}

const clientOf = (lab: ClusterproLab) =>
  new Client({
    prefix: [],
    host: '127.0.0.1',
    port: lab.pair.primary.port,
    sockets: [`group=${lab.pair.dir}@${lab.pair.primary.port}`, `standby=${lab.pair.dir}@${lab.pair.standby.port}`],
  });

/** Runs one round; never throws (a failure is a round that did not converge, with a note). */
export async function runClusterproRound(
  lab: ClusterproLab,
  round: number,
  kind: FaultKind,
  rnd: () => number,
  o: CampaignOptions,
): Promise<RoundReport> {
  const notes: string[] = [];
  const before = SERVERS[lab.active];
  const table = `chaos_r${round}`;
  await psql(lab.pair, lab.pair.primary, `CREATE TABLE ${table} (n bigint)`);
  const client = clientOf(lab);
  client.start(table);
  if ((await client.firstAckAfter(Date.now(), Date.now() + 30_000)) === undefined)
    notes.push('the writer never wrote before the fault');
  await sleep(2000);
  const phase = (what: string) => o.log(`  round ${round} ${new Date().toISOString().slice(11, 19)} ${what}`);
  let hit: Hit = { node: '?', at: Date.now(), target: 'active', how: kind };
  let writableAt: number | undefined;
  let converged = false;
  try {
    phase(`inject ${kind}`);
    hit = await inject(lab, kind, rnd);
    const deadline = Date.now() + o.roundMs;
    await react(lab, hit, rnd, deadline, notes);
    // The standby's monitor says so while it is down (an ERR alert, final action none: no failover).
    if (hit.target === 'standby' || kind === 'standby-then-primary')
      notes.push(describeRun('genw_watchstandby while the standby is down', await genwRun(lab)));
    phase('reacted; healing');
    const writable = client.firstAckAfter(hit.at, deadline); // the acknowledged writes are kept: asked once the fault's instant is final
    await standbyBack(lab, notes);
    converged = await waitUntil(
      async () => (await whole(lab)) && (await caughtUp(lab)),
      Math.max(5000, deadline - Date.now()),
    );
    if (!converged) notes.push("not back by the round's bound");
    // Healed, the standby's monitor is normal again (exit 0).
    const after = await genwRun(lab);
    if (after.exit !== 0) {
      converged = false;
      notes.push(`${describeRun('genw_watchstandby after the heal', after)}: ${after.line.slice(0, 200)}`);
    }
    writableAt = await writable;
    await sleep(2000); // writes go on on the healed cluster
    phase(`healed: converged ${converged}`);
  } catch (err) {
    notes.push(`round aborted: ${(err as Error).message.slice(0, 300)}`);
  }
  return finishRound(lab, client, { round, kind, hit, before, writableAt, converged, notes, table, o });
}

/** Stops the client, counts acknowledged rows missing on the group's PostgreSQL, drops the table, reports. */
async function finishRound(
  lab: ClusterproLab,
  client: Client,
  r: {
    round: number;
    kind: FaultKind;
    hit: Hit;
    before: string;
    writableAt: number | undefined;
    converged: boolean;
    notes: string[];
    table: string;
    o: CampaignOptions;
  },
): Promise<RoundReport> {
  const c = await client.stop();
  const up = (await role(lab, 'primary')) === 'f';
  const rows = up
    ? new Set(
        (await psql(lab.pair, lab.pair.primary, `SELECT n FROM ${r.table}`, { timeoutMs: 60_000 }).catch(() => ''))
          .split('\n')
          .filter(Boolean)
          .map(Number),
      )
    : new Set<number>();
  const lost = c.acked.filter(([, n]) => !rows.has(n)).length;
  if (up) await psql(lab.pair, lab.pair.primary, `DROP TABLE ${r.table}`).catch(() => '');
  const tw = r.writableAt === undefined ? null : Number(((r.writableAt - r.hit.at) / 1000).toFixed(2));
  r.o.log(
    `round ${r.round}: ${r.kind} on ${r.hit.node}: writable after ${tw ?? '-'} s, converged ${r.converged}, max primaries ${c.max_primaries}, ${c.acked.length} acked, ${lost} lost${r.notes.length ? ` (${r.notes.join('; ')})` : ''}`,
  );
  return {
    round: r.round,
    fault: r.kind,
    node: r.hit.node,
    primary_before: r.before,
    primary_after: up ? SERVERS[lab.active] : null,
    converged: r.converged && tw !== null,
    time_to_writable_s: tw,
    max_primaries: c.max_primaries,
    acked: c.acked.length,
    lost,
    notes: r.notes,
  };
}
