// npm run bench: what pgsr costs, measured side by side in one run on the lab pair, as ratios.
//   1. one-shot check as a synchronous genw runs it: pgsr check (CLUSTERPRO dialect) against the
//      seed's genw.sh (bash + psql + grep) and against `node -e 0` (Node's own floor), and the
//      status-file genw (reads a resident watch's verdict): wall, CPU, peak RSS, median and p95,
//      interleaved;
//   2. pgsr watch at a 1 s interval: per-check latency p50/p99, CPU share of one core, RSS;
//   3. pgsr promote against bare `pg_ctl promote -w`, time until the new primary accepts a write;
//   4. bundle size and cold start of `pgsr --version`.
// BENCH_SMOKE=1: one short iteration of everything (CI runs that so the bench cannot rot).
// Without it, the table also goes to docs/benchmarks.md. No thresholds: numbers, not verdicts.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { BUNDLE, REPO } from './lib/genw';
import { INSTALLED, NODE24, ensureInstalled, installedCopy } from './lib/installed';
import { defaultBindir, labDown, labUp, psql, runServerCommand, stopNode, waitFor, type LabPair } from './lib/lab';

const smoke = process.env.BENCH_SMOKE === '1';
const RUNS = Number(process.env.BENCH_RUNS ?? (smoke ? 3 : 40));
const WATCH_S = Number(process.env.BENCH_WATCH_S ?? (smoke ? 4 : 180));
const PROMOTE_ROUNDS = Number(process.env.BENCH_PROMOTE_ROUNDS ?? (smoke ? 1 : 5));

interface Sample {
  wall_ms: number;
  cpu_ms: number;
  maxrss_kib: number;
  exit: number;
}
const quantile = (v: number[], q: number) => {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
};
const median = (v: number[]) => quantile(v, 0.5);
const f1 = (n: number) => n.toFixed(1);

async function measure(cmd: string[], env: Record<string, string> = {}): Promise<Sample> {
  const r = await execa('python3', [join(REPO, 'scripts', 'bench', 'rusage.py'), ...cmd], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    extendEnv: false,
    timeout: 60_000,
  });
  return JSON.parse(r.stdout) as Sample;
}

async function oneShot(pair: LabPair, statusFile: string, conf: string): Promise<string[]> {
  const p = String(pair.primary.port);
  const s = String(pair.standby.port);
  // The installed genw-status.sh (the .deb's, running /usr/bin/pgsr), with its two paths set.
  const statusScript = installedCopy('clusterpro/genw-status.sh', mkdtempSync('/tmp/pgsr-bench-'), {
    PGSR_CONFIG: conf,
    PGSR_STATUS: statusFile,
  });
  const checkArgs = [
    'check',
    '--format',
    'clusterpro',
    '-h',
    '127.0.0.1',
    '-p',
    s,
    '--role',
    'standby',
    '--primary-host',
    '127.0.0.1',
    '--primary-port',
    p,
    '--state-dir',
    '/tmp/pgsr-bench-state',
  ];
  const major = process.versions.node.split('.')[0];
  // [name, command, the runtime whose `node -e 0` is its floor]
  const subjects: Array<[string, string[], 'machine' | 'node24']> = [
    [`node -e 0 (Node ${major} floor)`, [process.execPath, '-e', '0'], 'machine'],
    [
      'seed genw.sh (bash + psql + grep)',
      [join(REPO, 'scripts', 'bench', 'genw-seed.sh'), '127.0.0.1', '127.0.0.1', s],
      'machine',
    ],
    [`pgsr check (CLUSTERPRO), bundle on Node ${major}`, [process.execPath, BUNDLE, ...checkArgs], 'machine'],
    ['node -e 0 (Node 24 floor, the packaged runtime)', [NODE24, '-e', '0'], 'node24'],
    ['pgsr check (CLUSTERPRO), bundle on Node 24', [NODE24, BUNDLE, ...checkArgs], 'node24'],
    ['pgsr check (CLUSTERPRO), installed /usr/bin/pgsr (SEA, Node 24)', [INSTALLED.pgsr, ...checkArgs], 'node24'],
    ['genw-status.sh (reads watch status file)', [statusScript], 'node24'],
  ];
  const samples = new Map<string, Sample[]>(subjects.map(([n]) => [n, []]));
  for (let i = 0; i < RUNS; i++) {
    // Interleaved: every subject once per round, so drift hits all alike.
    for (const [name, cmd] of subjects) {
      const r = await measure(cmd, { HOME: '/root' });
      if (r.exit !== 0) throw new Error(`${name} exited ${r.exit}`);
      samples.get(name)?.push(r);
    }
  }
  const floors = {
    machine: median((samples.get(subjects[0][0]) ?? []).map((x) => x.wall_ms)),
    node24: median((samples.get(subjects[3][0]) ?? []).map((x) => x.wall_ms)),
  };
  const shell = median((samples.get(subjects[1][0]) ?? []).map((x) => x.wall_ms));
  const rows = [
    "| command | wall median (ms) | wall p95 (ms) | CPU median (ms) | peak RSS median (MiB) | wall / same runtime's node -e 0 | wall / seed script |",
    '|---|---|---|---|---|---|---|',
  ];
  for (const [name, , runtime] of subjects) {
    const floor = floors[runtime];
    const v = samples.get(name) ?? [];
    const w = v.map((x) => x.wall_ms);
    rows.push(
      `| ${name} | ${f1(median(w))} | ${f1(quantile(w, 0.95))} | ${f1(median(v.map((x) => x.cpu_ms)))} | ${f1(median(v.map((x) => x.maxrss_kib)) / 1024)} | ${(median(w) / floor).toFixed(2)} | ${(median(w) / shell).toFixed(2)} |`,
    );
  }
  return rows;
}

async function watchCost(
  pair: LabPair,
  statusFile: string,
): Promise<{ rows: string[]; proc: ReturnType<typeof execa> }> {
  // What CLUSTERPRO's asynchronous genw runs: the installed executable.
  const proc = execa(
    INSTALLED.pgsr,
    [
      'watch',
      '-h',
      '127.0.0.1',
      '-p',
      String(pair.standby.port),
      '--role',
      'standby',
      '--interval',
      '1',
      '--heartbeat',
      '0',
      '--fail-after',
      '0',
      '--no-alert',
      '--status-file',
      statusFile,
    ],
    { reject: false, stdin: 'ignore' },
  );
  await waitFor(
    'the first status',
    async () => {
      try {
        return statSync(statusFile).size > 0;
      } catch {
        return false;
      }
    },
    20_000,
  );
  const ticks = () => {
    const f = readFileSync(`/proc/${proc.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(f[11]) + Number(f[12]); // utime + stime, clock ticks (1/100 s)
  };
  // The floor, side by side: node-postgres SELECT 1 on a kept connection at the same cadence.
  const floor = execa(
    NODE24,
    [join(REPO, 'scripts', 'bench', 'select1-cadence.mjs'), String(pair.standby.port), String(WATCH_S), '1'],
    { reject: false, stdin: 'ignore', timeout: (WATCH_S + 30) * 1000 },
  );
  let firstCheck: number | undefined;
  const lat: number[] = [];
  /** Latencies of the checks that carried a sender probe's result (the watch probes beside its checks, at most every 5 s). */
  const probed: number[] = [];
  const rss: number[] = [];
  const heap: number[] = [];
  let last = -1;
  const t0 = Date.now();
  const c0 = ticks();
  for (let first = true; Date.now() - t0 < WATCH_S * 1000; first = false) {
    // The first read at once: the status of the first check (which connected) is there now.
    if (!first) await new Promise((r) => setTimeout(r, 500));
    const st = JSON.parse(readFileSync(statusFile, 'utf8')) as {
      duration_ms: number;
      facts: { sender_probe?: string };
      watch: { checks: number; rss_bytes: number; heap_used_bytes: number };
    };
    if (st.watch.checks !== last) {
      last = st.watch.checks;
      // The first check connects (backend fork, authentication): shown apart, not a steady check.
      if (st.watch.checks === 1) firstCheck = st.duration_ms;
      else (st.facts.sender_probe === undefined ? lat : probed).push(st.duration_ms);
      rss.push(st.watch.rss_bytes / 1024 / 1024);
      heap.push(st.watch.heap_used_bytes / 1024 / 1024);
    }
  }
  const cpuShare = ((ticks() - c0) / 100 / ((Date.now() - t0) / 1000)) * 100;
  const fl = await floor;
  const select1 = fl.exitCode === 0 ? (JSON.parse(String(fl.stdout)) as number[]) : [];
  if (!select1.length) throw new Error(`select1-cadence.mjs failed: ${String(fl.stderr).split('\n')[0]}`);
  const all = [...lat, ...probed];
  const third = Math.max(1, Math.floor(rss.length / 3));
  return {
    proc,
    rows: [
      `| pgsr watch (installed /usr/bin/pgsr), 1 s interval, ${WATCH_S} s | checks ${all.length + (firstCheck === undefined ? 0 : 1)} (the first, which connects: ${firstCheck ?? 'not read'} ms, apart) | latency p50 ${median(all)} ms, p99 ${quantile(all, 0.99)} ms, max ${Math.max(...all)} ms; carrying a sender probe's result (${probed.length}) p50 ${probed.length ? median(probed) : '-'} ms; side by side, node-postgres \`SELECT 1\` on a kept connection at the same cadence (${select1.length}): p50 ${median(select1)} ms, p99 ${quantile(select1, 0.99)} ms, max ${Math.max(...select1)} ms (watch p99 / its p99: ${(quantile(all, 0.99) / quantile(select1, 0.99)).toFixed(2)}) | CPU ${cpuShare.toFixed(2)} % of one core | RSS first third ${f1(median(rss.slice(0, third)))} MiB, last third ${f1(median(rss.slice(-third)))} MiB, max ${f1(Math.max(...rss))} MiB; V8 heap in use ${f1(median(heap.slice(0, third)))} / ${f1(median(heap.slice(-third)))} MiB |`,
    ],
  };
}

async function promoteCost(): Promise<string[]> {
  const bindir = await defaultBindir();
  const res: Record<string, number[]> = { pgsr: [], pg_ctl: [] };
  for (let i = 0; i < PROMOTE_ROUNDS; i++) {
    for (const how of ['pgsr', 'pg_ctl'] as const) {
      const pair = await labUp();
      try {
        await stopNode(pair, pair.primary, 'fast');
        const t0 = Date.now();
        if (how === 'pgsr') {
          // What a cluster manager runs: the installed executable.
          const r = await execa(INSTALLED.pgsr, ['promote', '-D', pair.standby.data, '--format', 'json'], {
            reject: false,
            timeout: 60_000,
          });
          if (r.exitCode !== 0) throw new Error(`pgsr promote: ${r.stdout}`);
        } else {
          await runServerCommand(pair.osUser, join(bindir, 'pg_ctl'), [
            'promote',
            '-D',
            pair.standby.data,
            '-w',
            '-t',
            '60',
          ]);
        }
        await waitFor(
          'a write',
          async () => (await psql(pair, pair.standby, 'CREATE TABLE w (i int); SELECT 1')) === '1',
          30_000,
        );
        res[how].push(Date.now() - t0);
      } finally {
        await labDown(pair);
      }
    }
  }
  return [
    `| promote until the new primary accepts a write | pgsr promote (installed /usr/bin/pgsr): median ${median(res.pgsr)} ms | pg_ctl promote -w: median ${median(res.pg_ctl)} ms | difference ${median(res.pgsr) - median(res.pg_ctl)} ms | ${PROMOTE_ROUNDS} rounds each, interleaved, a fresh pair each |`,
  ];
}

async function main(): Promise<void> {
  ensureInstalled(); // the installed executable and genw-status.sh are measured too
  const size = statSync(BUNDLE).size;
  const pair = await labUp();
  const work = mkdtempSync('/tmp/pgsr-bench-');
  const statusFile = join(work, 'status.json');
  const conf = join(work, 'pgsr.conf');
  writeFileSync(conf, `host = 127.0.0.1\nport = ${pair.standby.port}\nrole = standby\n`);
  let watch: Awaited<ReturnType<typeof watchCost>> | undefined;
  try {
    watch = await watchCost(pair, statusFile);
    const one = await oneShot(pair, statusFile, conf);
    const versions = await (async () => {
      const v: number[] = [];
      for (let i = 0; i < RUNS; i++) v.push((await measure([process.execPath, BUNDLE, '--version'])).wall_ms);
      return v;
    })();
    watch.proc.kill('SIGTERM');
    await watch.proc;
    const promoteRows = await promoteCost();
    const lines = [
      `Measured by \`npm run bench\` (scripts/bench.ts) on ${new Date().toISOString().slice(0, 10)}; ${RUNS} runs per one-shot command, interleaved.`,
      '',
      `Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 1024 ** 3).toFixed(0)} GiB, Node ${process.version}, PostgreSQL ${pair.major} (lab pair on loopback).`,
      '',
      '### One-shot check, as a synchronous genw runs it',
      '',
      ...one,
      '',
      '### Resident watch, promote, bundle',
      '',
      '| what | | | | |',
      '|---|---|---|---|---|',
      ...watch.rows,
      ...promoteRows,
      `| bundle dist/pgsr.cjs | ${(size / 1024).toFixed(0)} KiB | cold start of \`pgsr --version\`: median ${f1(median(versions))} ms, p95 ${f1(quantile(versions, 0.95))} ms | | |`,
    ];
    console.log(lines.join('\n'));
    if (!smoke) {
      const history = readFileSync(join(REPO, 'docs', 'benchmarks-notes.md'), 'utf8');
      writeFileSync(join(REPO, 'docs', 'benchmarks.md'), `# Benchmarks\n\n${lines.join('\n')}\n\n${history}`);
    }
  } finally {
    watch?.proc.kill('SIGKILL');
    await labDown(pair);
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`bench failed: ${(err as Error).message}`);
  process.exit(1);
});
