// npm run pacemaker:compare: the same failover scenarios with pgsr's agent and with PAF
// (Debian's resource-agents-paf) in the same two-node Pacemaker kit, in one run; prints a
// markdown table and writes it to docs/pacemaker-failover.md. Run as root (network namespaces).
// ONLY=writer runs only the power loss with a writer (pgsr async, pgsr rep_mode=sync, PAF) and
// replaces that section of the document; NODES=3 runs the four scenarios on a three-node kit and
// replaces the three-node section (a two-node run keeps it). ONLY=partition (with NODES=3 or not)
// runs the partition scenario alone and prints its timings without touching the document;
// KEEP_LOGS=DIR copies every round's Pacemaker and fence_lab logs to DIR/<agent>-<scenario>-<round>.
import { execa } from 'execa';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import {
  PRIORITY_FENCING_DELAY_S,
  PcmkLab,
  cleanFailover,
  crashFailover,
  installAgent,
  partitionFailover,
  powerLossFailover,
  powerLossWriterFailover,
  type FailoverTiming,
} from './lib/pcmk';

const rounds = Number(process.env.ROUNDS ?? '2');
const DOC = new URL('../docs/pacemaker-failover.md', import.meta.url);
const WRITER_START = '<!-- writer:start -->';
const WRITER_END = '<!-- writer:end -->';
/** The three-node section, replaced by a run with NODES=3. */
const THREE_START = '<!-- three-nodes:start -->';
const THREE_END = '<!-- three-nodes:end -->';
const NODES = process.env.NODES === '3' ? 3 : 2;
/** A hand-written section (what a run means against the targets) that a new run keeps. */
const NOTES_START = '<!-- notes:start -->';
const NOTES_END = '<!-- notes:end -->';

/** A section of the document between two markers, markers included, or '' when it has none. */
function kept(start: string, end: string): string {
  const doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '';
  const i = doc.indexOf(start);
  const j = doc.indexOf(end);
  return i >= 0 && j > i ? `${doc.slice(i, j + end.length)}\n\n` : '';
}
/** The document's hand-written notes section (kept by every run). */
const keptNotes = () => kept(NOTES_START, NOTES_END);

const median = (v: number[]) => {
  const x = [...v].sort((a, b) => a - b);
  return x.length % 2 ? x[(x.length - 1) / 2] : (x[x.length / 2 - 1] + x[x.length / 2]) / 2;
};

/**
 * Power loss of the primary's node with a writer committing through the service address, for
 * pgsr (async), pgsr (rep_mode=sync) and PAF, interleaved: seconds to the first write on the new
 * primary, rows acknowledged, and acknowledged rows the new primary lacks.
 */
async function writerSection(): Promise<string> {
  const variants = [
    { label: 'pgsr, rep_mode=async', agent: 'pgsr' as const, repMode: 'async' as const },
    { label: 'pgsr, rep_mode=sync', agent: 'pgsr' as const, repMode: 'sync' as const },
    { label: 'PAF (asynchronous)', agent: 'paf' as const, repMode: undefined },
  ];
  const got = new Map<string, Array<{ s: number; acked: number; lost: number }>>();
  for (let round = 0; round < rounds; round++) {
    for (const v of variants) {
      const lab = new PcmkLab(v.agent);
      try {
        await lab.setUp(true, v.repMode ? { repMode: v.repMode } : {});
        const t = await powerLossWriterFailover(lab);
        console.error(
          `${v.label} power loss + writer: writable ${t.writableS.toFixed(2)} s, ${t.acked} acknowledged, ${t.lost.length} lost`,
        );
        got.set(v.label, [...(got.get(v.label) ?? []), { s: t.writableS, acked: t.acked, lost: t.lost.length }]);
      } finally {
        await lab.down();
      }
    }
  }
  const rows = variants.map((v) => {
    const r = got.get(v.label) ?? [];
    return `| ${v.label} | ${r.map((x) => x.s.toFixed(2)).join(' / ')} | ${median(r.map((x) => x.s)).toFixed(2)} | ${r.map((x) => x.acked).join(' / ')} | ${r.map((x) => x.lost).join(' / ')} |`;
  });
  const lossNote = variants
    .map((v) => {
      const r = got.get(v.label) ?? [];
      const lost = r.filter((x) => x.lost > 0);
      return `${v.label}: ${lost.length ? `${lost.map((x) => x.lost).join(' + ')} rows lost in ${lost.length} of ${r.length} rounds` : `none lost in ${r.length} rounds`}`;
    })
    .join('; ');
  return [
    WRITER_START,
    '## Power loss with a writer: time to the first write, and acknowledged commits lost',
    '',
    `A writer on the standby's node commits numbered rows through the service address as fast as one session goes (autocommit, one INSERT per round trip; a dead server noticed by tcp_user_timeout 3 s, then a new session); the primary's node loses power (freeze + link down, fencing on) 3 s in; the writer goes on 2 s past the first write on the new primary. Lost = rows whose INSERT returned success but that the new primary lacks. ${rounds} round(s), interleaved, measured ${new Date().toISOString().slice(0, 10)}.`,
    '',
    '| agent | first write on the new primary (s) | median (s) | rows acknowledged | acknowledged rows lost |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    `Under rep_mode=sync every commit waits for the standby's flush (synchronous_commit = on), so each acknowledged row is on the standby before the client hears of it; asynchronous replication may lose the last commits before a power loss: how many depends on where the WAL was at the instant (${lossNote}; the same race for every asynchronous pair). The primary's monitor scores the standby 1000 only while it is synchronous and has flushed everything written before the monitor started; otherwise -INFINITY.`,
    WRITER_END,
  ].join('\n');
}

const SCENARIOS = [
  'clean failover (stop the primary node)',
  'primary crash (kill -9, fencing on)',
  "power loss of the primary's node (freeze + link down, fencing on)",
  "network partition of the primary's node (link down, fencing on)",
];

/** Copies the kit's Pacemaker logs and fence_lab.log of one scenario round to KEEP_LOGS (when set). */
function keepLogs(lab: PcmkLab, label: string): void {
  const into = process.env.KEEP_LOGS;
  if (!into) return;
  const dest = join(into, label);
  mkdirSync(dest, { recursive: true });
  for (const n of lab.names) {
    const from = join(lab.dir, n, 'log-pacemaker');
    if (existsSync(from)) cpSync(from, join(dest, n), { recursive: true });
  }
  const fence = join(lab.dir, 'fence_lab.log');
  if (existsSync(fence)) cpSync(fence, join(dest, 'fence_lab.log'));
}

/** One partition round on a fenced kit: the timing and a one-line outcome. */
async function partitionRound(lab: PcmkLab, round: number): Promise<{ timing: FailoverTiming; outcome: string }> {
  await lab.setUp(true);
  const before = (await lab.promoted()) ?? '?';
  const n = await partitionFailover(lab);
  keepLogs(lab, `${lab.agent}-partition-${round + 1}`);
  const writable = Object.entries(n.roles)
    .filter(([, r]) => r === 'f')
    .map(([x]) => x);
  const ok = writable.length === 1 && writable[0] === n.survivor && n.roles[n.fenced] === 'down';
  console.error(
    `${lab.agent} partition: ${n.fenced} fenced, ${n.survivor} writable ${n.writableS.toFixed(2)} s${ok ? '' : ' (UNEXPECTED OUTCOME)'}`,
  );
  const outcome = `${lab.agent} round ${round + 1}: ${before} was primary; ${n.fenced} fenced; ${Object.entries(n.roles)
    .map(([x, r]) => `${x} ${r === 'f' ? 'primary' : r === 't' ? 'standby' : r}`)
    .join(', ')}`;
  return { timing: n, outcome };
}

/** The four scenarios for both agents on a kit of `nodes` nodes, interleaved: table rows and partition outcomes. */
async function measure(nodes: 2 | 3): Promise<{ rows: string[]; outcomes: string[] }> {
  const results: FailoverTiming[] = [];
  const outcomes: string[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const agent of ['pgsr', 'paf'] as const) {
      const lab = new PcmkLab(agent, undefined, nodes);
      try {
        await lab.setUp(false);
        if (process.env.ONLY === 'partition') {
          const n = await partitionRound(lab, round);
          outcomes.push(n.outcome);
          results.push(n.timing);
          continue;
        }
        const c = await cleanFailover(lab);
        console.error(`${agent} clean: writable ${c.writableS.toFixed(2)} s`);
        results.push(c);
        await lab.setUp(true);
        const k = await crashFailover(lab);
        console.error(`${agent} crash: writable ${k.writableS.toFixed(2)} s`);
        results.push(k);
        await lab.setUp(true);
        const p = await powerLossFailover(lab);
        console.error(`${agent} power loss: ${p.from} -> ${p.to} writable ${p.writableS.toFixed(2)} s`);
        results.push(p);
        const n = await partitionRound(lab, round);
        outcomes.push(n.outcome);
        results.push(n.timing);
      } finally {
        await lab.down();
      }
    }
  }
  const rows = SCENARIOS.map((scenario) => {
    const of = (agent: string) =>
      results.filter((r) => r.scenario === scenario && r.agent === agent).map((r) => r.writableS);
    const fmt = (v: number[]) => v.map((x) => x.toFixed(2)).join(' / ');
    return `| ${scenario} | ${fmt(of('pgsr'))} | ${fmt(of('paf'))} | ${(median(of('pgsr')) / median(of('paf'))).toFixed(2)} |`;
  });
  return { rows, outcomes };
}

async function main(): Promise<void> {
  installAgent();
  if (process.env.ONLY === 'writer') {
    const section = await writerSection();
    console.log(section);
    const doc = existsSync(DOC) ? readFileSync(DOC, 'utf8') : "# Failover times: pgsr's OCF agent against PAF\n";
    const i = doc.indexOf(WRITER_START);
    const j = doc.indexOf(WRITER_END);
    writeFileSync(
      DOC,
      i >= 0 && j > i
        ? doc.slice(0, i) + section + doc.slice(j + WRITER_END.length)
        : `${doc.trimEnd()}\n\n${section}\n`,
    );
    return;
  }
  if (process.env.ONLY === 'partition') {
    const m = await measure(NODES);
    console.log([...m.rows.filter((r) => r.includes('partition')), '', ...m.outcomes].join('\n'));
    return;
  }
  if (NODES === 3) {
    const m = await measure(3);
    const section = [
      THREE_START,
      '## Three nodes (one primary, two standbys; majority quorum)',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} by \`NODES=3 npm run pacemaker:compare\`: the same four scenarios, ${rounds} round(s) each, interleaved, on a three-node kit (no priority-fencing-delay: the majority fences). The partition cuts the primary's node off alone: it loses quorum and is fenced by the majority, which promotes a standby; the time is to that standby's first write.`,
      '',
      '| scenario | pgsr (s) | PAF (s) | pgsr / PAF (median) |',
      '|---|---|---|---|',
      ...m.rows,
      '',
      'Partition outcomes (exactly one primary wanted):',
      '',
      ...m.outcomes.map((o) => `- ${o}`),
      THREE_END,
    ].join('\n');
    console.log(section);
    const doc = readFileSync(DOC, 'utf8');
    const i = doc.indexOf(THREE_START);
    const j = doc.indexOf(THREE_END);
    writeFileSync(
      DOC,
      i >= 0 && j > i
        ? doc.slice(0, i) + section + doc.slice(j + THREE_END.length)
        : `${doc.trimEnd()}\n\n${section}\n`,
    );
    return;
  }
  const { rows, outcomes } = await measure(2);
  const pg = (await execa('psql', ['--version'])).stdout.trim();
  const pcmk = (await execa('pacemakerd', ['--version'])).stdout.split('\n')[0].trim();
  const table = [
    `Seconds from the fault to the new primary accepting a write (polled every 100 ms on the surviving node), ${rounds} round(s) each, interleaved, in one run. For the partition: seconds until the other node is fenced and the surviving primary takes a write (it never stopped being primary).`,
    '',
    '| scenario | pgsr (s) | PAF (s) | pgsr / PAF (median) |',
    '|---|---|---|---|',
    ...rows,
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}; ${pcmk}; ${pg}; monitor interval 5 s (primary) / 6 s (standby), kit lab/pacemaker (Corosync token 3 s, consensus 3.6 s); fencing scenarios: fence_lab, migration-threshold 1, priority-fencing-delay ${PRIORITY_FENCING_DELAY_S} s with priority 10 on the clone; PostgreSQL's default wal_receiver_timeout and wal_sender_timeout (60 s).`,
    '',
    'Partition outcomes (exactly one primary wanted):',
    '',
    ...outcomes.map((o) => `- ${o}`),
  ].join('\n');
  const section = await writerSection();
  console.log(table);
  writeFileSync(
    DOC,
    `# Failover times: pgsr's OCF agent against PAF\n\nMeasured by \`npm run pacemaker:compare\` (scripts/pacemaker-compare.ts) on ${new Date().toISOString().slice(0, 10)}.\n\n${table}\n\nWhere the time goes on a power loss (both agents): Corosync declares the node lost after its token timeout plus consensus (about 6.6 s here), fencing waits priority-fencing-delay (the lost node ran the promoted instance), then fences (about 1 s with fence_lab), then pre-promote notify and promote (about 1 s for pgsr). The standby's walreceiver still says streaming all along: pgsr's promote takes the cluster's transition (old primary demoted, stopped or fenced) as the authority and promotes without waiting for wal_receiver_timeout.\n\nWhy pgsr is faster on a crash: when the postmaster is dead, pgsr's stop confirms it (pg_ctl status) and kills the orphaned backends still attached to that data directory, so the stop succeeds and Pacemaker promotes at once; PAF reports the stop as failed and Pacemaker fences the node first. Safety is the same: the crashed primary keeps pgsr's lock and a -INFINITY score, so it cannot come back as primary, and a standby that was not streaming is never promoted. Fencing still happens whenever a stop really fails or a node is lost.\n\n${keptNotes()}${section}\n\n${kept(THREE_START, THREE_END).trimEnd()}\n`,
  );
}

main().catch((err) => {
  console.error(`compare failed: ${(err as Error).message}`);
  process.exit(1);
});
