/**
 * The seeded fault campaign on the Pacemaker kit (`npm run chaos -- --host pacemaker`): each
 * round injects a fault while an application commits rows through the service address and a
 * sampler watches every node's pg_is_in_recovery() (scripts/chaos/client.mjs, in the kit's hub
 * namespace), then heals the cluster and waits until every node is back before the next round.
 * Every wait is bounded.
 */
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, waitUntil, type CampaignOptions, type FaultKind, type RoundReport } from './chaos';
import { signalAll } from './netns';
import { PcmkLab, roles } from './pcmk';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The round's client in the hub namespace: the service address, every node's socket. */
const clientOf = (lab: PcmkLab) =>
  new Client({
    prefix: ['ip', 'netns', 'exec', 'pcmklab-hub'],
    host: '10.77.0.100',
    port: 5432,
    sockets: lab.names.map((n) => `${n}=${join(lab.dir, n, 'run', 'postgresql')}`),
  });

/** The cluster state pg_controldata gives a node's data directory ("in production": crashed primary). */
async function clusterState(lab: PcmkLab, node: string): Promise<string> {
  const bindir = String((await execa('pg_config', ['--bindir'])).stdout).trim();
  const r = await lab.x(
    node,
    ['runuser', '-u', 'postgres', '--', join(bindir, 'pg_controldata'), '/srv/pglab/data'],
    15_000,
  );
  return /^Database cluster state:\s+(.*)$/m.exec(String(r.stdout))?.[1] ?? 'unreadable';
}

/** Whether a node's PostgreSQL answers over its local socket. */
async function pgUp(lab: PcmkLab, node: string): Promise<boolean> {
  return (await lab.pgRole(node)) !== 'down';
}

/**
 * Brings a node back as a standby, the way an operator would after its fault: its cluster stack
 * stopped (a frozen or fenced node's leftovers killed: a power cycle), its link up, its data
 * rebuilt from the primary when it crashed as a primary (pgsr rebuild for pgsr; a base backup
 * through the kit for PAF), its stack started, failures cleaned up.
 */
async function nodeBack(lab: PcmkLab, node: string, notes: string[], forceRebuild = false): Promise<void> {
  await lab.kit(['stop', node], 90_000, { PCMK_LAB_STOP_TIMEOUT: '60' }).catch(async (err: Error) => {
    notes.push(`${node}: cluster stop failed (${err.message.slice(0, 120)}): power-cycled`);
    signalAll(lab.nodePids(node), 'SIGKILL');
    await sleep(500);
    await lab.kit(['stop', node], 30_000);
  });
  await lab.linkUp(node);
  const state = await clusterState(lab, node);
  if (forceRebuild || state === 'in production' || state === 'in crash recovery') {
    notes.push(
      `${node}: ${forceRebuild ? `cannot follow the primary (${state})` : `crashed as a primary (${state})`}: rebuilt`,
    );
    await rebuild(lab, node);
  } else {
    notes.push(`${node}: restarted (${state})`);
  }
  await lab.kit(['start', node], 120_000);
  await lab.x(node, ['crm_resource', '--cleanup', '--resource', lab.clone], 30_000);
}

async function rebuild(lab: PcmkLab, node: string): Promise<void> {
  if (lab.agent === 'paf') {
    await lab.kit(['reclone', node], 360_000);
    return;
  }
  const bindir = String((await execa('pg_config', ['--bindir'])).stdout).trim();
  const r = await lab.x(
    node,
    [
      'pgsr',
      'rebuild',
      '-D',
      '/srv/pglab/data',
      '--bindir',
      bindir,
      '--from',
      'host=10.77.0.100 user=postgres dbname=postgres',
      '--primary-conninfo',
      `host=10.77.0.100 port=5432 user=replicator application_name=${node}`,
      '--discard-old',
      '--format',
      'json',
      '--timeout',
      '240',
    ],
    300_000,
  );
  if (r.exitCode !== 0) throw new Error(`pgsr rebuild on ${node} failed: ${String(r.stdout).slice(-300)}`);
}

/** Injects the fault; returns the node it hit and the instant (ms) the last part of it began. */
async function inject(
  lab: PcmkLab,
  kind: FaultKind,
  primary: string,
  standbys: string[],
  rnd: () => number,
  notes: string[],
): Promise<{ node: string; at: number }> {
  const pick = (list: string[]) => list[Math.floor(rnd() * list.length)];
  switch (kind) {
    case 'primary-power-loss':
      return { node: primary, at: (await lab.powerLoss(primary), Date.now()) };
    case 'standby-power-loss': {
      const n = pick(standbys);
      return { node: n, at: (await lab.powerLoss(n), Date.now()) };
    }
    case 'postmaster-kill':
      return { node: primary, at: (await lab.kit(['kill-primary', primary]), Date.now()) };
    case 'clean-stop': {
      const n = pick([primary, ...standbys]);
      const at = Date.now();
      await lab.kit(['stop', n], 240_000);
      return { node: n, at };
    }
    case 'partition': {
      const n = pick([primary, ...standbys]);
      return { node: n, at: (await lab.cutLink(n), Date.now()) };
    }
    case 'partition-heals': {
      const n = pick([primary, ...standbys]);
      const at = Date.now();
      await lab.cutLink(n);
      await sleep(1500); // shorter than Corosync's token (3 s): healed before anyone is declared lost
      await lab.linkUp(n);
      return { node: n, at };
    }
    case 'standby-then-primary': {
      const s = pick(standbys);
      await lab.powerLoss(s);
      await waitUntil(() => lab.nodePids(s).length === 0, 90_000);
      await nodeBack(lab, s, notes);
      await lab.waitRanked(120_000);
      await lab.waitCaughtUp(60_000);
      notes.push(`${s} lost, fenced and back as a standby; then the primary`);
      return { node: `${s}>${primary}`, at: (await lab.powerLoss(primary), Date.now()) };
    }
  }
}

/** Why a node is not a healthy member. */
type Unhealthy = { node: string; why: 'no process' | 'link down' | 'unranked' | 'PostgreSQL down'; score?: string };

/**
 * The nodes that are not a healthy member: no process (fenced or stopped), link down, no
 * promotion score from the primary (not streaming), PostgreSQL not answering.
 */
async function unhealthy(lab: PcmkLab, primary: string | undefined): Promise<Unhealthy[]> {
  const attrs = await lab.attributes().catch(() => ({}) as Record<string, Record<string, string>>);
  const score = lab.agent === 'pgsr' ? 'master-pgsql-sr' : 'master-pgsqld';
  const out: Unhealthy[] = [];
  for (const node of lab.names) {
    if (node === primary) continue;
    const linkUp = String(
      (await execa('ip', ['-n', `pcmklab-${node}`, 'link', 'show', 'lab0'], { reject: false })).stdout,
    ).includes('state UP');
    if (!lab.nodePids(node).length) out.push({ node, why: 'no process' });
    else if (!linkUp) out.push({ node, why: 'link down' });
    else if (!lab.ranked(attrs[node] ?? {}, score)) out.push({ node, why: 'unranked', score: attrs[node]?.[score] });
    else if (!(await pgUp(lab, node))) out.push({ node, why: 'PostgreSQL down' });
  }
  return out;
}

const describeUnhealthy = (list: Unhealthy[]) =>
  list.map((u) => `${u.node} (${u.why}${u.score ? ` ${u.score}` : ''})`).join(', ');

/** Runs one round; never throws (a failure is a round that did not converge, with a note). */
export async function runRound(
  lab: PcmkLab,
  round: number,
  kind: FaultKind,
  rnd: () => number,
  o: CampaignOptions,
): Promise<RoundReport> {
  const notes: string[] = [];
  const before = await roles(lab);
  const table = `chaos_r${round}`;
  const created = await lab.psql(before.primary, `CREATE TABLE ${table} (n bigint)`);
  if (!created.ok) throw new Error(`CREATE TABLE ${table} on ${before.primary} failed`);
  const client = clientOf(lab);
  client.start(table);
  const started = await client.firstAckAfter(Date.now(), Date.now() + 30_000);
  if (started === undefined) notes.push('the writer never wrote before the fault');
  await sleep(2000);
  const deadline = Date.now() + o.roundMs;
  let hit = { node: '?', at: Date.now() };
  let writableAt: number | undefined;
  let converged = false;
  let after: string | undefined;
  const phase = (what: string) => o.log(`  round ${round} ${new Date().toISOString().slice(11, 19)} ${what}`);
  try {
    phase(`inject ${kind}`);
    hit = await inject(lab, kind, before.primary, before.standbys, rnd, notes);
    phase(`injected on ${hit.node}`);
    // Writes may resume only once healed (a primary cut off whose standby was fenced): the
    // first write after the fault is awaited beside the cluster's reaction and the heal.
    const writable = client.firstAckAfter(hit.at, deadline);
    await settle(lab, kind, before.primary, deadline, notes);
    phase('settled; healing');
    converged = await heal(lab, before.primary, deadline, notes);
    writableAt = await writable;
    await sleep(2000); // writes go on on the healed cluster
    phase(`healed: converged ${converged}`);
    after = await lab.promoted();
  } catch (err) {
    notes.push(`round aborted: ${(err as Error).message.slice(0, 300)}`);
  }
  const c = await client.stop();
  const final = after ?? (await lab.writable().catch(() => []))[0];
  const rows = final
    ? new Set((await lab.psql(final, `SELECT n FROM ${table}`)).out.split('\n').filter(Boolean).map(Number))
    : new Set<number>();
  const lost = final ? c.acked.filter(([, n]) => !rows.has(n)).length : c.acked.length;
  // The next round's rebuilds copy the database: it must not grow by every round's rows.
  if (final) await lab.psql(final, `DROP TABLE ${table}`);
  o.log(
    `round ${round}: ${kind} on ${hit.node}: writable after ${writableAt === undefined ? '-' : ((writableAt - hit.at) / 1000).toFixed(2)} s, converged ${converged}, max primaries ${c.max_primaries}, ${c.acked.length} acked, ${lost} lost${notes.length ? ` (${notes.join('; ')})` : ''}`,
  );
  return {
    round,
    fault: kind,
    node: hit.node,
    primary_before: before.primary,
    primary_after: final ?? null,
    converged: converged && writableAt !== undefined,
    time_to_writable_s: writableAt === undefined ? null : Number(((writableAt - hit.at) / 1000).toFixed(2)),
    max_primaries: c.max_primaries,
    acked: c.acked.length,
    lost,
    notes,
  };
}

/** Whether any process of the node's namespace is stopped (SIGSTOP: a power loss not yet fenced). */
function frozen(lab: PcmkLab, node: string): boolean {
  return lab.nodePids(node).some((pid) => {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8')
        .replace(/^.*\) /, '')
        .startsWith('T');
    } catch {
      return false;
    }
  });
}

/**
 * Lets the cluster finish its reaction to the fault before anything is healed: a frozen node
 * fenced, a held partition settled by fencing, a promoted instance, no pending actions
 * (`crm_resource --wait`). Bounded by `deadline`; returns what it saw as a note when a step timed out.
 */
async function settle(
  lab: PcmkLab,
  kind: FaultKind,
  primary: string,
  deadline: number,
  notes: string[],
): Promise<void> {
  const left = (capMs: number) => Math.max(0, Math.min(capMs, deadline - Date.now()));
  // A killed postmaster is noticed at the next monitor (its orphaned backends may go on
  // committing until then); with fencing and migration-threshold=1 the primary moves.
  if (
    kind === 'postmaster-kill' &&
    !(await waitUntil(
      async () => ![primary, undefined].includes(await lab.promoted().catch(() => undefined)),
      left(90_000),
    ))
  )
    notes.push('the killed primary did not move within 90 s');
  if (!(await waitUntil(() => lab.names.every((n) => !frozen(lab, n)), left(90_000))))
    notes.push('a frozen node was not fenced within 90 s');
  if (
    kind === 'partition' &&
    !(await waitUntil(() => lab.names.some((n) => lab.nodePids(n).length === 0), left(45_000)))
  )
    notes.push('nobody fenced within 45 s of the partition');
  await waitUntil(async () => (await lab.promoted().catch(() => undefined)) !== undefined, left(90_000));
  const live = lab.names.find((n) => lab.nodePids(n).length > 0 && !frozen(lab, n));
  if (live) await lab.x(live, ['crm_resource', '--wait', '--timeout', '60'], 70_000);
}

/** Heals every node that is not a healthy member, then waits until all are (bounded by `deadline`). */
async function heal(lab: PcmkLab, oldPrimary: string, deadline: number, notes: string[]): Promise<boolean> {
  for (const n of lab.names) await lab.linkUp(n);
  const primary = await lab.promoted().catch(() => undefined);
  // A standby that is up but not yet ranked may only be re-pointing to the new primary (status
  // reply 10 s + retry 5 s + the primary's next monitor 5 s): given 30 s before it is restarted.
  let bad = await unhealthy(lab, primary);
  await waitUntil(
    async () => (bad = await unhealthy(lab, primary)).every((u) => u.why !== 'unranked'),
    Math.min(30_000, Math.max(0, deadline - Date.now())),
  );
  if (bad.length) notes.push(`unhealthy after the fault: ${describeUnhealthy(bad)}`);
  for (const u of bad) await nodeBack(lab, u.node, notes);
  const ranked = (ms: number) =>
    lab.waitRanked(Math.max(5000, ms)).then(
      () => true,
      (err: Error) => (notes.push(err.message), false),
    );
  let ok = await ranked(Math.min(60_000, deadline - Date.now()));
  if (!ok) {
    // Back but never ranked: it cannot follow the primary (it has WAL the primary never got,
    // e.g. the shutdown checkpoint of a demote that quorum loss began and the fence cut off).
    const stale = (await unhealthy(lab, await lab.promoted().catch(() => undefined))).filter(
      (u) => u.why === 'unranked',
    );
    for (const u of stale) await nodeBack(lab, u.node, notes, true);
    ok = await ranked(deadline - Date.now());
  }
  if (ok && primary === oldPrimary) notes.push('no failover');
  // Every node a healthy member at once (a restarted instance may go through a probe failure,
  // a stop and a start before it settles).
  const all =
    ok &&
    (await waitUntil(
      async () => (bad = await unhealthy(lab, await lab.promoted().catch(() => undefined))).length === 0,
      Math.max(5000, deadline - Date.now()),
    )) &&
    (await lab.waitCaughtUp(Math.max(5000, deadline - Date.now())).then(
      () => true,
      (err: Error) => (notes.push(err.message), false),
    ));
  if (ok && !all) notes.push(`not back by the round's bound: ${describeUnhealthy(bad)}`);
  return all;
}
