/**
 * The seeded fault campaign on the Pgpool-II lab (`npm run chaos -- --host pgpool`): three
 * servers on 127.0.0.1 behind a real Pgpool-II whose failover_command and follow_primary_command
 * are pgsr's, health-checked as the Pgpool-II documentation's example configures it (every 5 s,
 * 30 s timeout, 3 retries). Each round injects a fault while the application commits through
 * Pgpool and a sampler watches every server's pg_is_in_recovery(); Pgpool detects the fault and
 * runs pgsr; then the round heals what an operator would (a power-cycled node, a crashed old
 * primary rebuilt with `pgsr rebuild`, `pcp_attach_node`) and waits until all three are back.
 *
 * The servers share the host's loopback: a power loss freezes every process of the server
 * (SIGSTOP: no FIN, no RST) and drops its port's packets (iptables on lo, a chain of the campaign's own: scripts/lib/loopback-faults.ts),
 * which is the node's link going down for everyone who talks to it. No partitions: without
 * watchdog, Pgpool has no quorum and nothing fences a primary cut off from Pgpool alone.
 */
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, waitUntil, type CampaignOptions, type FaultKind, type RoundReport } from './chaos';
import { BUNDLE } from './genw';
import { frozen, linkUp, powerCycle, powerLoss, serverPids } from './loopback-faults';
import { signalAll } from './netns';
import { psql, startNode, stopNode, type LabNode } from './lab';
import { nodeName, poolQuery, type HealthCheck, type PgpoolLab } from './pgpool-lab';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The faults a Pgpool-II cluster meets without watchdog: losses of nodes, alone and in sequence. */
export const PGPOOL_FAULT_KINDS: readonly FaultKind[] = [
  'primary-power-loss',
  'standby-power-loss',
  'postmaster-kill',
  'clean-stop',
  'standby-then-primary',
];

/**
 * The Pgpool-II documentation's example health check (pgpool.conf, seconds), with Pgpool's
 * streaming replication check off (sr_check_period = 0), as README recommends with pgsr: with
 * the default 10 s the campaign's first round wedged Pgpool twice (its worker holds a lock while
 * it waits, without a timeout, on a backend that froze; Pgpool's primary search waits for that
 * lock: docs/reliability.md). `PGSR_CHAOS_SR_CHECK_PERIOD` runs the campaign with another value.
 */
export const DOCUMENTED_HEALTH_CHECK: HealthCheck = {
  period: 5,
  timeout: 30,
  maxRetries: 3,
  retryDelay: 1,
  srCheckPeriod: Number(process.env.PGSR_CHAOS_SR_CHECK_PERIOD ?? 0),
};

type Role = 'primary' | 'standby' | 'down';
async function role(lab: PgpoolLab, node: LabNode): Promise<Role> {
  const r = await psql(lab.pair, node, 'SELECT pg_is_in_recovery()', { timeoutMs: 5000 }).catch(() => 'down');
  return r === 'f' ? 'primary' : r === 't' ? 'standby' : 'down';
}

/** The backend that answers as a primary (its id), or undefined. */
async function primaryId(lab: PgpoolLab): Promise<number | undefined> {
  const roles = await Promise.all(lab.nodes.map((n) => role(lab, n)));
  const ids = roles.flatMap((r, i) => (r === 'primary' ? [i] : []));
  return ids.length === 1 ? ids[0] : undefined;
}

/** pg_controldata's "Database cluster state" of a node's data directory. */
async function clusterState(lab: PgpoolLab, node: LabNode): Promise<string> {
  const r = await execa('runuser', ['-u', lab.pair.osUser, '--', join(lab.pair.bindir, 'pg_controldata'), node.data], {
    reject: false,
    timeout: 15_000,
  });
  return /^Database cluster state:\s+(.*)$/m.exec(String(r.stdout))?.[1] ?? 'unreadable';
}

/** Whether `node` streams from the primary `p` (its application_name in pg_stat_replication). */
async function streamsFrom(lab: PgpoolLab, id: number, p: number): Promise<boolean> {
  const n = await psql(
    lab.pair,
    lab.nodes[p],
    `SELECT count(*) FROM pg_stat_replication WHERE application_name = '${nodeName(id)}' AND state = 'streaming'`,
    { timeoutMs: 5000 },
  ).catch(() => '0');
  return n === '1';
}

/**
 * Pgpool's view of every backend from PCP (pcp_node_info reads Pgpool's shared memory: unlike
 * SHOW POOL_NODES, which waits on an unreachable backend for connect_timeout, it answers at once).
 */
async function poolNodes(lab: PgpoolLab): Promise<Array<{ id: number; status: string; role: string }>> {
  return Promise.all(
    [0, 1, 2].map(async (id) => {
      const r = await execa(
        'pcp_node_info',
        ['-h', '127.0.0.1', '-p', String(lab.pcpPort), '-U', 'pgpool', '-n', String(id), '-w'],
        { env: { PCPPASSFILE: lab.pcpPassFile }, reject: false, timeout: 15_000 },
      );
      // host port status_code weight status pg_status role pg_role ...
      const f = String(r.stdout).trim().split(/\s+/);
      if (r.exitCode !== 0 || f.length < 7) throw new Error(`pcp_node_info -n ${id}: ${String(r.stderr).trim()}`);
      return { id, status: f[4], role: f[6] };
    }),
  );
}

async function attach(lab: PgpoolLab, id: number): Promise<void> {
  const r = await execa(
    'pcp_attach_node',
    ['-h', '127.0.0.1', '-p', String(lab.pcpPort), '-U', 'pgpool', '-n', String(id), '-w'],
    { env: { PCPPASSFILE: lab.pcpPassFile }, reject: false, timeout: 30_000 },
  );
  if (r.exitCode !== 0) throw new Error(`pcp_attach_node -n ${id}: ${r.stderr.trim()}`);
}

/** `pgsr rebuild` of a node from the primary `p` (pg_rewind, else pg_basebackup), which starts it as a standby. */
async function rebuild(lab: PgpoolLab, id: number, p: number): Promise<void> {
  const from = `host=127.0.0.1 port=${lab.nodes[p].port} user=postgres dbname=postgres`;
  const conninfo = `host=127.0.0.1 port=${lab.nodes[p].port} user=postgres application_name=${nodeName(id)}`;
  const r = await execa(
    process.execPath,
    [
      BUNDLE,
      'rebuild',
      '-D',
      lab.nodes[id].data,
      '--bindir',
      lab.pair.bindir,
      '--from',
      from,
      '--primary-conninfo',
      conninfo,
      '--discard-old',
      '--server-log',
      lab.nodes[id].logFile,
      '--format',
      'json',
      '--timeout',
      '240',
    ],
    { reject: false, timeout: 300_000 },
  );
  if (r.exitCode !== 0) throw new Error(`pgsr rebuild of node ${id} failed: ${String(r.stdout).slice(-300)}`);
}

/**
 * Brings a node back as a standby of `p`, as an operator would: a frozen node power-cycled, a
 * running one that does not stream from `p` stopped; a crashed or stopped old primary rebuilt
 * (`pgsr rebuild`, what Pgpool's lab runs), a standby started (and rebuilt when it cannot stream from `p` within 30 s);
 * then `pcp_attach_node`.
 */
async function nodeBack(lab: PgpoolLab, id: number, p: number, notes: string[]): Promise<void> {
  const node = lab.nodes[id];
  if (frozen(node)) await powerCycle(node);
  await linkUp(node);
  const running = (await role(lab, node)) !== 'down';
  if (running && (await streamsFrom(lab, id, p))) {
    notes.push(`node ${id}: streaming, attached`);
    return attach(lab, id);
  }
  if (running) await stopNode(lab.pair, node, 'fast');
  signalAll(serverPids(node.data), 'SIGKILL'); // orphaned backends of a killed postmaster
  await waitUntil(() => serverPids(node.data).length === 0, 15_000);
  const state = await clusterState(lab, node);
  if (!state.includes('recovery')) {
    notes.push(`node ${id}: was a primary (${state}): rebuilt`);
    await rebuild(lab, id, p);
  } else {
    // A standby that received WAL the new primary never had refuses to start ("requested
    // timeline N does not contain minimum recovery point"): rebuilt like one that cannot stream.
    const started = await startNode(lab.pair, node).then(
      () => true,
      () => false,
    );
    if (!started || !(await waitUntil(() => streamsFrom(lab, id, p), 30_000))) {
      notes.push(
        `node ${id}: ${started ? 'restarted' : 'would not start'} (${state}) but not streaming from node ${p}: rebuilt`,
      );
      await stopNode(lab.pair, node, 'fast');
      await rebuild(lab, id, p);
    } else notes.push(`node ${id}: restarted (${state})`);
  }
  await attach(lab, id);
}

/** Pgpool's view and the servers' agree: every backend up, the one primary Pgpool's primary, both standbys streaming from it. */
async function whole(lab: PgpoolLab): Promise<boolean> {
  const p = await primaryId(lab);
  if (p === undefined) return false;
  const pool = await poolNodes(lab).catch(() => []);
  if (pool.length !== 3 || pool.some((n) => n.status !== 'up' || (n.role === 'primary') !== (n.id === p))) return false;
  for (const id of [0, 1, 2]) if (id !== p && !(await streamsFrom(lab, id, p))) return false;
  return true;
}

async function caughtUp(lab: PgpoolLab, p: number): Promise<boolean> {
  const lagging = await psql(
    lab.pair,
    lab.nodes[p],
    "SELECT count(*) FROM pg_stat_replication WHERE replay_lsn IS DISTINCT FROM pg_current_wal_lsn() AND state = 'streaming'",
    { timeoutMs: 5000 },
  ).catch(() => 'x');
  return lagging === '0';
}

/**
 * Injects the fault; returns the node(s) it hit and the instant (ms) it took effect: a power loss
 * once the node is frozen and cut off (an acknowledgement the primary sent just before reaches
 * the writer after the freeze began, and is not a write after the fault), a clean stop once the
 * shutdown has ended.
 */
async function inject(
  lab: PgpoolLab,
  kind: FaultKind,
  p: number,
  rnd: () => number,
  notes: string[],
): Promise<{ node: string; at: number; hit: number }> {
  const standbys = [0, 1, 2].filter((i) => i !== p);
  const pick = (list: number[]) => list[Math.floor(rnd() * list.length)];
  const at = Date.now();
  switch (kind) {
    case 'primary-power-loss':
      await powerLoss(lab.nodes[p]);
      return { node: nodeName(p), at: Date.now(), hit: p };
    case 'standby-power-loss': {
      const s = pick(standbys);
      await powerLoss(lab.nodes[s]);
      return { node: nodeName(s), at, hit: s };
    }
    case 'postmaster-kill': {
      // The orphaned backends keep serving their sessions until Pgpool's failover ends them.
      const pid = Number(readFileSync(join(lab.nodes[p].data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      signalAll([pid], 'SIGKILL');
      return { node: nodeName(p), at, hit: p };
    }
    case 'clean-stop': {
      // Timed from the end of the shutdown: the writes acknowledged while it ran came from the old primary.
      const n = pick([p, ...standbys]);
      await stopNode(lab.pair, lab.nodes[n], 'fast');
      return { node: nodeName(n), at: Date.now(), hit: n };
    }
    case 'standby-then-primary': {
      const s = pick(standbys);
      await powerLoss(lab.nodes[s]);
      if (
        !(await waitUntil(
          async () => (await poolNodes(lab).catch(() => [])).some((n) => n.id === s && n.status === 'down'),
          240_000,
        ))
      )
        notes.push(`node ${s} not detached within 240 s`);
      await nodeBack(lab, s, p, notes);
      if (!(await waitUntil(async () => (await whole(lab)) && (await caughtUp(lab, p)), 120_000)))
        notes.push(`node ${s} not back within 120 s`);
      notes.push(`node ${s} lost, detached and back; then the primary`);
      await powerLoss(lab.nodes[p]);
      return { node: `${nodeName(s)}>${nodeName(p)}`, at: Date.now(), hit: p };
    }
    default:
      throw new Error(`${kind}: not a fault of the Pgpool-II campaign`);
  }
}

/** The round's client on this host: Pgpool's port, every server's socket. */
const clientOf = (lab: PgpoolLab) =>
  new Client({
    prefix: [],
    host: '127.0.0.1',
    port: lab.port,
    sockets: lab.nodes.map((n, i) => `${nodeName(i)}=${lab.pair.dir}@${n.port}`),
  });

/**
 * Lets Pgpool react before anything is healed: the hit node detached, and when it was the
 * primary, another backend promoted and Pgpool's primary, the third attached again by
 * follow_primary_command. Bounded by `deadline`; a step that timed out is a note.
 */
async function settle(
  lab: PgpoolLab,
  hit: number,
  wasPrimary: boolean,
  deadline: number,
  notes: string[],
): Promise<void> {
  const left = (cap: number) => Math.max(0, Math.min(cap, deadline - Date.now()));
  if (
    !(await waitUntil(
      async () => (await poolNodes(lab).catch(() => [])).some((n) => n.id === hit && n.status === 'down'),
      left(240_000),
    ))
  )
    notes.push(`Pgpool did not detach node ${hit}`);
  if (!wasPrimary) return;
  const promoted = async () => {
    const p = await primaryId(lab);
    const pool = await poolNodes(lab).catch(() => []);
    return p !== undefined && p !== hit && pool.some((n) => n.id === p && n.role === 'primary' && n.status === 'up');
  };
  if (!(await waitUntil(promoted, left(120_000)))) notes.push('no standby promoted and made Pgpool primary');
  const followed = async () =>
    (await poolNodes(lab).catch(() => [])).filter((n) => n.id !== hit && n.status === 'up').length === 2;
  if (!(await waitUntil(followed, left(90_000))))
    notes.push('the other standby was not attached again by follow_primary_command');
}

/** Runs one round; never throws (a failure is a round that did not converge, with a note). */
export async function runPgpoolRound(
  lab: PgpoolLab,
  round: number,
  kind: FaultKind,
  rnd: () => number,
  o: CampaignOptions,
): Promise<RoundReport> {
  const notes: string[] = [];
  const before = await primaryId(lab);
  if (before === undefined) throw new Error('no single primary before the round');
  const table = `chaos_r${round}`;
  await poolQuery(lab, `CREATE TABLE ${table} (n bigint)`);
  const client = clientOf(lab);
  client.start(table);
  if ((await client.firstAckAfter(Date.now(), Date.now() + 30_000)) === undefined)
    notes.push('the writer never wrote before the fault');
  await sleep(2000);
  const phase = (what: string) => o.log(`  round ${round} ${new Date().toISOString().slice(11, 19)} ${what}`);
  let hit = { node: '?', at: Date.now(), hit: -1 };
  let writableAt: number | undefined;
  let converged = false;
  let after: number | undefined;
  try {
    phase(`inject ${kind}`);
    hit = await inject(lab, kind, before, rnd, notes);
    const deadline = Date.now() + o.roundMs;
    phase(`injected on ${hit.node}`);
    const writable = client.firstAckAfter(hit.at, deadline);
    await settle(lab, hit.hit, hit.hit === before, deadline, notes);
    phase('settled; healing');
    after = await primaryId(lab);
    if (after === undefined) notes.push('no single primary after the fault');
    else {
      const pool = await poolNodes(lab);
      for (const n of pool) if (n.status !== 'up') await nodeBack(lab, n.id, after, notes);
      converged = await waitUntil(
        async () => (await whole(lab)) && (await caughtUp(lab, after as number)),
        Math.max(5000, deadline - Date.now()),
      );
      if (!converged)
        notes.push(`not back by the round's bound: ${JSON.stringify(await poolNodes(lab).catch(() => []))}`);
    }
    writableAt = await writable;
    await sleep(2000); // writes go on on the healed cluster
    phase(`healed: converged ${converged}`);
  } catch (err) {
    notes.push(`round aborted: ${(err as Error).message.slice(0, 300)}`);
  }
  return finishRound(lab, client, { round, kind, hit, before, after, writableAt, converged, notes, table, o });
}

/** Stops the client, counts acknowledged rows missing on the final primary, drops the table, reports. */
async function finishRound(
  lab: PgpoolLab,
  client: Client,
  r: {
    round: number;
    kind: FaultKind;
    hit: { node: string; at: number };
    before: number;
    after: number | undefined;
    writableAt: number | undefined;
    converged: boolean;
    notes: string[];
    table: string;
    o: CampaignOptions;
  },
): Promise<RoundReport> {
  const c = await client.stop();
  const final = r.after ?? (await primaryId(lab));
  const rows =
    final === undefined
      ? new Set<number>()
      : new Set(
          (await psql(lab.pair, lab.nodes[final], `SELECT n FROM ${r.table}`, { timeoutMs: 60_000 }).catch(() => ''))
            .split('\n')
            .filter(Boolean)
            .map(Number),
        );
  const lost = c.acked.filter(([, n]) => !rows.has(n)).length;
  if (final !== undefined) await psql(lab.pair, lab.nodes[final], `DROP TABLE ${r.table}`).catch(() => '');
  const tw = r.writableAt === undefined ? null : Number(((r.writableAt - r.hit.at) / 1000).toFixed(2));
  r.o.log(
    `round ${r.round}: ${r.kind} on ${r.hit.node}: writable after ${tw ?? '-'} s, converged ${r.converged}, max primaries ${c.max_primaries}, ${c.acked.length} acked, ${lost} lost${r.notes.length ? ` (${r.notes.join('; ')})` : ''}`,
  );
  return {
    round: r.round,
    fault: r.kind,
    node: r.hit.node,
    primary_before: nodeName(r.before),
    primary_after: final === undefined ? null : nodeName(final),
    converged: r.converged && tw !== null,
    time_to_writable_s: tw,
    max_primaries: c.max_primaries,
    acked: c.acked.length,
    lost,
    notes: r.notes,
  };
}
