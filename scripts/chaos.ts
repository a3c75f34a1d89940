/**
 * `npm run chaos -- --agent pgsr|paf --nodes 2|3 --rep-mode async|sync --seed N --rounds M
 * --report FILE [--host pacemaker|pgpool|clusterpro]`: a seeded fault campaign on the real
 * Pacemaker kit (scripts/lib/chaos-pcmk.ts), the Pgpool-II lab (scripts/lib/chaos-pgpool.ts:
 * pgsr, three backends, asynchronous) or CLUSTERPRO's layout under the simulator
 * (scripts/lib/chaos-clusterpro.ts: the failover group on two servers, the standby outside;
 * `--heartbeat-timeout S` and `--psqlw-interval S` set CLUSTERPRO's timing, default 90 and 60). Prints one line per round and a summary; writes the JSON report;
 * exits 1 when an invariant breaks (two writable primaries at one sample, an acknowledged row
 * lost under rep-mode sync, a round that does not converge), 2 on bad arguments.
 */
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  drawFaults,
  invariantBreaks,
  prng,
  summarize,
  type CampaignOptions,
  type FaultKind,
  type RoundReport,
} from './lib/chaos';
import { runRound } from './lib/chaos-pcmk';
import { DOCUMENTED_HEALTH_CHECK, PGPOOL_FAULT_KINDS, runPgpoolRound } from './lib/chaos-pgpool';
import { firewallDown, firewallUp } from './lib/loopback-faults';
import {
  CLUSTERPRO_DEFAULT_TIMING,
  CLUSTERPRO_FAULT_KINDS,
  clusterproLabDown,
  clusterproLabUp,
  runClusterproRound,
  type ClusterTiming,
  type ClusterproLab,
} from './lib/chaos-clusterpro';
import { PcmkLab, installAgent, type Agent } from './lib/pcmk';
import { pgpoolLabDown, pgpoolLabUp, type PgpoolLab } from './lib/pgpool-lab';

type Host = 'pacemaker' | 'pgpool' | 'clusterpro';

function options(): CampaignOptions & { report?: string; host: Host; timing: ClusterTiming } {
  const { values: v } = parseArgs({
    options: {
      agent: { type: 'string', default: 'pgsr' },
      nodes: { type: 'string', default: '3' },
      'rep-mode': { type: 'string', default: 'async' },
      seed: { type: 'string', default: '1' },
      rounds: { type: 'string', default: '6' },
      report: { type: 'string' },
      host: { type: 'string', default: 'pacemaker' },
      'round-timeout': { type: 'string' },
      'heartbeat-timeout': { type: 'string' },
      'psqlw-interval': { type: 'string' },
    },
  });
  const fail = (msg: string): never => {
    console.error(`chaos: ${msg}`);
    process.exit(2);
  };
  if (v.host !== 'pacemaker' && v.host !== 'pgpool' && v.host !== 'clusterpro')
    fail(`--host ${v.host}: must be pacemaker, pgpool or clusterpro`);
  // CLUSTERPRO's layout: two servers sharing the group, the standby outside the cluster.
  if (v.host === 'clusterpro' && (v.agent !== 'pgsr' || v['rep-mode'] !== 'async'))
    fail(
      "--host clusterpro: pgsr's EXEC scripts, asynchronous replication to the standby outside the cluster (--agent pgsr --rep-mode async)",
    );
  if (v.host === 'clusterpro') v.nodes = '2';
  if (v.host === 'pgpool' && (v.agent !== 'pgsr' || v.nodes !== '3' || v['rep-mode'] !== 'async'))
    fail(
      '--host pgpool: the Pgpool-II lab runs pgsr on three backends, asynchronous (--agent pgsr --nodes 3 --rep-mode async)',
    );
  if (v.agent !== 'pgsr' && v.agent !== 'paf') fail('--agent must be pgsr or paf');
  if (v.nodes !== '2' && v.nodes !== '3') fail('--nodes must be 2 or 3');
  if (v['rep-mode'] !== 'async' && v['rep-mode'] !== 'sync') fail('--rep-mode must be async or sync');
  if (v.agent === 'paf' && v['rep-mode'] === 'sync')
    fail(
      '--rep-mode sync: PAF leaves synchronous_standby_names to the operator; the campaign runs PAF asynchronous only',
    );
  const int = (name: string, s: string, min: number, max: number) =>
    /^\d+$/.test(s) && Number(s) >= min && Number(s) <= max
      ? Number(s)
      : fail(`--${name} must be an integer from ${min} to ${max}`);
  return {
    agent: v.agent as Agent,
    nodes: Number(v.nodes) as 2 | 3,
    repMode: v['rep-mode'] as 'async' | 'sync',
    seed: int('seed', String(v.seed), 0, 2 ** 31),
    rounds: int('rounds', String(v.rounds), 1, 50),
    // Pgpool's documented health check needs up to 5 + 4 x 31 s to detach a frozen node.
    // CLUSTERPRO: a 90 s heartbeat timeout, or psqlw's two failed checks 60 s apart, before a failover.
    roundMs:
      int('round-timeout', String(v['round-timeout'] ?? (v.host === 'pacemaker' ? '300' : '420')), 60, 900) * 1000,
    report: v.report,
    host: v.host as Host,
    timing: {
      heartbeatTimeout: int(
        'heartbeat-timeout',
        String(v['heartbeat-timeout'] ?? CLUSTERPRO_DEFAULT_TIMING.heartbeatTimeout),
        5,
        600,
      ),
      psqlwInterval: int(
        'psqlw-interval',
        String(v['psqlw-interval'] ?? CLUSTERPRO_DEFAULT_TIMING.psqlwInterval),
        1,
        600,
      ),
      psqlwRetries: CLUSTERPRO_DEFAULT_TIMING.psqlwRetries,
    },
    log: (line: string) => console.log(line),
  };
}

/** Copies `files` ([from, name]) that exist into `<report>.logs/`. */
function keepLogFiles(report: string, files: Array<[string, string]>): void {
  const dir = `${report}.logs`;
  mkdirSync(dir, { recursive: true });
  for (const [from, to] of files) if (existsSync(from)) copyFileSync(from, join(dir, to));
  console.log(`logs kept in ${dir}`);
}

/** Each node's Pacemaker and PostgreSQL logs and fence_lab's: [path, name]. */
function pacemakerLogs(lab: PcmkLab): Array<[string, string]> {
  const files: Array<[string, string]> = [[join(lab.dir, 'fence_lab.log'), 'fence_lab.log']];
  for (const n of lab.names)
    files.push(
      [join(lab.dir, n, 'log-pacemaker', 'pacemaker.log'), `${n}-pacemaker.log`],
      [join(lab.dir, n, 'pglab', 'log', 'postgresql.log'), `${n}-postgresql.log`],
    );
  return files;
}

/** The Pacemaker campaign's rounds (the kit set up and torn down around them). */
async function pacemakerRounds(
  o: ReturnType<typeof options>,
  kinds: FaultKind[],
  rounds: RoundReport[],
): Promise<void> {
  installAgent();
  const lab = new PcmkLab(o.agent, undefined, o.nodes);
  const rnd = prng(o.seed ^ 0x5eed);
  try {
    await lab.setUp(true, o.agent === 'pgsr' ? { repMode: o.repMode } : {});
    for (const [i, kind] of kinds.entries()) {
      const r = await runRound(lab, i + 1, kind, rnd, o);
      rounds.push(r);
      if (!r.converged) break; // the next round would start from a broken cluster
    }
  } finally {
    // A round that did not converge: the nodes' logs are kept beside the report before tear-down.
    if (rounds.some((r) => !r.converged) || rounds.length < kinds.length)
      keepLogFiles(o.report ?? '/tmp/pgsr-chaos-report', pacemakerLogs(lab));
    await lab.down();
  }
}

/** A lab on this host's loopback and how one round runs on it (Pgpool-II, CLUSTERPRO). */
interface LoopbackHost<L> {
  up: () => Promise<L>;
  round: (lab: L, round: number, kind: FaultKind, rnd: () => number, o: CampaignOptions) => Promise<RoundReport>;
  /** The logs kept beside the report when a round did not converge: [path, name]. */
  logs: (lab: L) => Array<[string, string]>;
  down: (lab: L) => Promise<void>;
}

const PGPOOL: LoopbackHost<PgpoolLab> = {
  up: () => pgpoolLabUp(DOCUMENTED_HEALTH_CHECK),
  round: runPgpoolRound,
  logs: (lab) => [
    [lab.log, 'pgpool.log'],
    [lab.pgsrLog, 'pgsr-pgpool.log'],
    ...lab.nodes.map((n, i): [string, string] => [n.logFile, `node${i}-postgresql.log`]),
  ],
  down: pgpoolLabDown,
};

const clusterpro = (timing: ClusterTiming): LoopbackHost<ClusterproLab> => ({
  up: () => clusterproLabUp(timing),
  round: runClusterproRound,
  logs: (lab) => [
    [join(lab.pair.primary.data, 'pgsr-postmaster.log'), 'group-postgresql.log'],
    [lab.pair.standby.logFile, 'standby-postgresql.log'],
    ...Array.from({ length: lab.runs }, (_, i): [string, string] => [
      join(lab.pair.dir, `clpsim-${i + 1}.log`),
      `clpsim-${i + 1}.log`,
    ]),
  ],
  down: clusterproLabDown,
});

/** The rounds of a loopback host's campaign, the lab and the campaign's firewall chain around them. */
function loopbackRounds<L>(host: LoopbackHost<L>) {
  return async (o: ReturnType<typeof options>, kinds: FaultKind[], rounds: RoundReport[]): Promise<void> => {
    const rnd = prng(o.seed ^ 0x5eed);
    await firewallUp();
    let lab: L | undefined;
    try {
      lab = await host.up();
      for (const [i, kind] of kinds.entries()) {
        const r = await host.round(lab, i + 1, kind, rnd, o);
        rounds.push(r);
        if (!r.converged) break; // the next round would start from a broken cluster
      }
    } finally {
      await firewallDown();
      if (lab !== undefined && (rounds.some((r) => !r.converged) || rounds.length < kinds.length))
        keepLogFiles(o.report ?? '/tmp/pgsr-chaos-report', host.logs(lab));
      if (lab !== undefined) await host.down(lab);
    }
  };
}

async function main(): Promise<number> {
  const o = options();
  const t0 = Date.now();
  const kinds = drawFaults(
    o.seed,
    o.rounds,
    o.host === 'pgpool' ? PGPOOL_FAULT_KINDS : o.host === 'clusterpro' ? CLUSTERPRO_FAULT_KINDS : undefined,
  );
  o.log(`chaos: ${o.host}, ${o.agent}, ${o.nodes} nodes, rep-mode ${o.repMode}, seed ${o.seed}: ${kinds.join(', ')}`);
  const rounds: RoundReport[] = [];
  await {
    pacemaker: pacemakerRounds,
    pgpool: loopbackRounds(PGPOOL),
    clusterpro: loopbackRounds(clusterpro(o.timing)),
  }[o.host](o, kinds, rounds);
  const summary = summarize(rounds);
  const breaks = invariantBreaks(rounds, o.repMode);
  if (rounds.length < kinds.length) breaks.push(`stopped after round ${rounds.length} of ${kinds.length}`);
  const report = {
    agent: o.agent,
    nodes: o.nodes,
    rep_mode: o.repMode,
    seed: o.seed,
    host: o.host,
    duration_s: Math.round((Date.now() - t0) / 1000),
    rounds,
    summary,
    invariant_breaks: breaks,
  };
  if (o.report) writeFileSync(o.report, JSON.stringify(report, null, 2) + '\n');
  o.log(`summary: ${JSON.stringify(summary)}`);
  for (const b of breaks) o.log(`INVARIANT BROKEN: ${b}`);
  return breaks.length ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(`chaos: ${err.message}`);
    process.exit(1);
  },
);
