/**
 * The benchmark runs in CI as a smoke only (one short iteration), so it cannot rot. No timing is
 * asserted: the numbers are for people (docs/benchmarks.md), machines are noisy.
 */
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { REPO } from '../helpers/run';

it('npm run bench works end to end (BENCH_SMOKE=1)', async () => {
  const r = await execa('npx', ['tsx', 'scripts/bench.ts'], {
    cwd: REPO,
    env: { BENCH_SMOKE: '1' },
    reject: false,
    timeout: 240_000,
    all: true,
  });
  expect(r.exitCode, String(r.all)).toBe(0);
  const major = process.versions.node.split('.')[0];
  for (const row of [
    `| node -e 0 (Node ${major} floor) |`,
    '| seed genw.sh (bash + psql + grep) |',
    `| pgsr check (CLUSTERPRO), bundle on Node ${major} |`,
    '| node -e 0 (Node 24 floor, the packaged runtime) |',
    '| pgsr check (CLUSTERPRO), bundle on Node 24 |',
    '| pgsr check (CLUSTERPRO), installed /usr/bin/pgsr (SEA, Node 24) |',
    '| genw-status.sh (reads watch status file) |',
    '| pgsr watch (installed /usr/bin/pgsr), 1 s interval',
    'node-postgres `SELECT 1` on a kept connection at the same cadence',
    '| promote until the new primary accepts a write |',
    '| bundle dist/pgsr.cjs |',
  ]) {
    expect(String(r.stdout)).toContain(row);
  }
}, 260_000);
