/**
 * `tsx scripts/chaos-table.ts REPORT.json...`: the fault campaigns' reports (npm run chaos) as one
 * markdown table per campaign plus a summary row each, written into docs/reliability.md between
 * the markers of the reports' host: `<!-- chaos:start -->` / `<!-- chaos:end -->` for Pacemaker,
 * `<!-- chaos-pgpool:start -->` / `<!-- chaos-pgpool:end -->` for Pgpool-II,
 * `<!-- chaos-clusterpro:start -->` / `<!-- chaos-clusterpro:end -->` for CLUSTERPRO (added at
 * the end when missing). A host without a report given keeps its section.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './lib/genw';
import { summarize, type RoundReport } from './lib/chaos';

type Host = 'pacemaker' | 'pgpool' | 'clusterpro';

interface Report {
  host?: Host;
  agent: string;
  nodes: number;
  rep_mode: string;
  seed: number;
  duration_s: number;
  rounds: RoundReport[];
  summary: {
    rounds: number;
    converged: number;
    failovers: number;
    failover_time_to_writable_median_s: number | null;
    time_to_writable_median_s: number | null;
    time_to_writable_max_s: number | null;
    acked: number;
    lost: number;
    rounds_with_two_primaries: number;
    faults: Record<string, number>;
  };
  invariant_breaks: string[];
}

const UNDER = { pacemaker: '', pgpool: ' under Pgpool-II', clusterpro: ' under CLUSTERPRO' };
const name = (r: Report) =>
  r.host === 'clusterpro'
    ? 'pgsr under CLUSTERPRO, failover group on 2 servers + standby, async'
    : `${r.agent === 'paf' ? 'PAF' : 'pgsr'}${UNDER[r.host ?? 'pacemaker']}, ${r.nodes} nodes, ${r.rep_mode}`;

/** Each host's heading and how its campaigns were run. */
const INTRO = {
  pacemaker: (day: string) => [
    '## Fault campaigns (`npm run chaos`)',
    '',
    `Measured ${day} on this 2-core machine with \`npm run chaos -- --agent A --nodes N --rep-mode M --seed S --rounds R --report FILE\`, one campaign per configuration, the same seed for both agents; fencing on (fence_lab, migration-threshold 1; two nodes also priority-fencing-delay 3 s), PostgreSQL's default timeouts. Time to writable: fault to the first write the application (in the kit's hub namespace, through the service address) had acknowledged after it; 0 when writes never stopped. Two primaries: 100 ms samples of every node's pg_is_in_recovery() over its own socket in which more than one node was writable (goal: 0). Lost: acknowledged rows missing on the final primary.`,
  ],
  pgpool: (day: string) => [
    '## Fault campaigns under Pgpool-II (`npm run chaos -- --host pgpool`)',
    '',
    `Measured ${day} on this 2-core machine with \`npm run chaos -- --host pgpool --seed S --rounds R --report FILE\`: a real Pgpool-II 4.3 (no watchdog) in front of three PostgreSQL servers on 127.0.0.1, failover_command and follow_primary_command pgsr's, the health check as the Pgpool-II documentation's example sets it (every 5 s, 30 s timeout, 3 retries 1 s apart) and \`sr_check_period = 0\` as README recommends with pgsr (below: why), PostgreSQL's default timeouts. A power loss freezes every process of the server and drops its port's packets; a clean stop is timed from the end of the shutdown. The failed node comes back as an operator brings it: a crashed or stopped old primary through \`pgsr rebuild\`, a standby restarted, then \`pcp_attach_node\`. Time to writable: fault to the first write the application (through Pgpool) had acknowledged after it. Two primaries: 100 ms samples of every server's pg_is_in_recovery() over its own socket. Lost: acknowledged rows missing on the final primary. No partitions: without watchdog nothing fences a primary that only Pgpool has lost.`,
  ],
  clusterpro: (day: string) => [
    '## Fault campaigns under CLUSTERPRO (`npm run chaos -- --host clusterpro`)',
    '',
    `Measured ${day} on this 2-core machine with \`npm run chaos -- --host clusterpro --seed S --rounds R --report FILE\`: the reference layout on 127.0.0.1, a failover group (mirror disk with PGDATA, floating IP, EXEC resource exec_database running pgsr's installed start.sh and stop.sh under the CLUSTERPRO simulator) on primary01 or primary02, and an asynchronous streaming standby outside the cluster, connected through the floating IP. The campaign plays the cluster with CLUSTERPRO's default timing: a lost server's group taken over after the 90 s heartbeat timeout, the PostgreSQL monitor every 60 s with one retry failing the group over. Here the mirror disk is one data directory (a mirror that never falls behind) and the floating IP one port; a partitioned server shuts itself down (network partition resolution) when the heartbeat times out. A power loss freezes every process of the server and drops its port's packets. The standby comes back as an operator brings it (power-cycled or started; rebuilt when it cannot stream). Time to writable: fault to the first write the application (through the floating IP) had acknowledged after it. Two primaries: 100 ms samples of the group's and the standby's pg_is_in_recovery(). Lost: acknowledged rows missing afterwards.`,
  ],
};
const MARKERS = { pacemaker: 'chaos', pgpool: 'chaos-pgpool', clusterpro: 'chaos-clusterpro' };
const s = (v: number | null) => (v === null ? '-' : v.toFixed(2));

function section(host: Host, reports: Report[]): string {
  const out = [...INTRO[host](new Date().toISOString().slice(0, 10)), ''];
  out.push(
    '| campaign | seed | rounds (converged) | faults | time to writable median / max (s) | failovers: median time to writable (s) | rows acknowledged | lost | rounds with two primaries | invariants |',
    '|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of reports) {
    const faults = Object.entries(r.summary.faults)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
    out.push(
      `| ${name(r)} | ${r.seed} | ${r.summary.rounds} (${r.summary.converged}) | ${faults} | ${s(r.summary.time_to_writable_median_s)} / ${s(r.summary.time_to_writable_max_s)} | ${r.summary.failovers}: ${s(r.summary.failover_time_to_writable_median_s)} | ${r.summary.acked} | ${r.summary.lost} | ${r.summary.rounds_with_two_primaries} | ${r.invariant_breaks.length ? r.invariant_breaks.length + ' broken' : 'kept'} |`,
    );
  }
  for (const r of reports) {
    out.push(
      '',
      `### ${name(r)}, seed ${r.seed} (${r.duration_s} s)`,
      '',
      '| round | fault | node | primary before → after | time to writable (s) | max primaries | acked | lost | converged | notes |',
      '|---|---|---|---|---|---|---|---|---|---|',
    );
    for (const x of r.rounds)
      out.push(
        `| ${x.round} | ${x.fault} | ${x.node} | ${x.primary_before} → ${x.primary_after ?? '-'} | ${s(x.time_to_writable_s)} | ${x.max_primaries} | ${x.acked} | ${x.lost} | ${x.converged ? 'yes' : '**no**'} | ${x.notes.join('; ').replace(/\|/g, '/').slice(0, 240)} |`,
      );
    for (const b of r.invariant_breaks) out.push('', `Invariant broken: ${b.replace(/\|/g, '/').slice(0, 300)}`);
  }
  return out.join('\n');
}

const files = process.argv.slice(2);
if (!files.length) {
  console.error('usage: tsx scripts/chaos-table.ts REPORT.json...');
  process.exit(2);
}
// The summary is computed again from the rounds, so a report of an older campaign has every column.
const reports = files
  .map((f) => JSON.parse(readFileSync(f, 'utf8')) as Report)
  .map((r) => ({ ...r, summary: summarize(r.rounds) }));
const doc = join(REPO, 'docs', 'reliability.md');
let text = existsSync(doc) ? readFileSync(doc, 'utf8') : '';
for (const host of ['pacemaker', 'pgpool', 'clusterpro'] as const) {
  const mine = reports.filter((r) => (r.host ?? 'pacemaker') === host);
  if (!mine.length) continue;
  const [start, end] = [`<!-- ${MARKERS[host]}:start -->`, `<!-- ${MARKERS[host]}:end -->`];
  const block = `${start}\n${section(host, mine)}\n${end}`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  text = i >= 0 && j > i ? text.slice(0, i) + block + text.slice(j + end.length) : `${text.trimEnd()}\n\n${block}\n`;
}
writeFileSync(doc, text);
console.log(`wrote ${doc} (${reports.length} campaign(s))`);
