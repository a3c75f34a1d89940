/**
 * `pgsr status` on a real pair and a node that does not answer, as an operator runs it: the
 * primary first and marked, the standby's upstream matched to the primary by address, its lag
 * once replay is paused, an unreachable node critical, a standby promoted by hand shown as a
 * second primary (exit 2), and --watch printing one JSON line per round without a terminal.
 */
import { execa } from 'execa';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, labDown, labUp, psql, waitFor, type LabPair } from '../../scripts/lib/lab';
import { BASE_PATH, BUNDLE } from '../helpers/run';

let pair: LabPair;
let dir: string;
let nobody: number;
beforeAll(async () => {
  pair = await labUp();
  dir = mkdtempSync('/tmp/pgsr-test-status-');
  nobody = await freePort();
}, 120_000);
afterAll(async () => {
  if (pair) await labDown(pair);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Node {
  name: string;
  role: string;
  state: string;
  upstream: string | null;
  timeline: number | null;
  lag_bytes: number | null;
  sync_state: string | null;
  severity: string;
  summary: string;
}
const nodes = () => [
  '--node',
  `db1=host=127.0.0.1 port=${pair.primary.port}`,
  '--node',
  `db2=host=127.0.0.1 port=${pair.standby.port}`,
];
const status = async (args: string[], timeout = 30_000) => {
  const r = await execa(process.execPath, [BUNDLE, 'status', '-U', 'postgres', '--timeout', '5', ...args], {
    env: { PATH: BASE_PATH },
    extendEnv: false,
    reject: false,
    timeout,
  });
  return { code: r.exitCode, out: r.stdout, err: r.stderr };
};
const json = async (args: string[]) => {
  const r = await status([...args, '--format', 'json']);
  return {
    code: r.code,
    j: JSON.parse(r.out) as { nodes: Node[]; primary: string | null; primaries: string[]; severity: string },
  };
};

describe('pgsr status', () => {
  it('a healthy pair: the primary first, the standby streaming from it on the same timeline, exit 0', async () => {
    const { code, j } = await json(nodes());
    expect(code).toBe(0);
    expect(j.primary).toBe('db1');
    expect(j.nodes.map((n) => `${n.name}:${n.role}:${n.state}:${n.upstream}`)).toEqual([
      'db1:primary::null',
      'db2:standby:streaming:db1',
    ]);
    expect(j.nodes[1]).toMatchObject({ timeline: 1, sync_state: 'async', severity: 'ok' });
    const text = await status(nodes());
    expect(text.out.split('\n')[1]).toMatch(/^\* db1\s+127\.0\.0\.1:\d+\s+primary/);
    expect(text.out).toMatch(/\n  db2\s+127\.0\.0\.1:\d+\s+standby\s+streaming\s+db1\s+1\s/);
  });

  it('replay paused behind new WAL: stopped replay with its lag in bytes; a node that does not answer: unreachable, exit 2', async () => {
    await psql(pair, pair.standby, 'SELECT pg_wal_replay_pause()');
    await psql(pair, pair.primary, 'CREATE TABLE st AS SELECT generate_series(1, 20000) AS n');
    const { code, j } = await json([...nodes(), '--node', `db3=host=127.0.0.1 port=${nobody}`]);
    expect(code).toBe(2);
    const db2 = j.nodes.find((n) => n.name === 'db2');
    expect(db2).toMatchObject({ role: 'standby', state: 'stopped replay', upstream: 'db1' });
    expect(db2?.lag_bytes).toBeGreaterThan(100_000);
    expect(j.nodes.at(-1)).toMatchObject({ name: 'db3', role: 'unreachable', severity: 'critical' });
    await psql(pair, pair.standby, 'SELECT pg_wal_replay_resume()');
  });

  it('nodes from the config file (node.NAME = conninfo); --watch without a terminal: one JSON line per round until interrupted', async () => {
    const conf = join(dir, 'status.conf');
    writeFileSync(
      conf,
      `node.db1 = host=127.0.0.1 port=${pair.primary.port}\nnode.db2 = 'host=127.0.0.1 port=${pair.standby.port}'\n`,
    );
    const p = execa(process.execPath, [BUNDLE, 'status', '-U', 'postgres', '--config', conf, '--watch', '0.5'], {
      env: { PATH: BASE_PATH },
      extendEnv: false,
      reject: false,
      timeout: 30_000,
    });
    const lines: string[] = [];
    p.stdout?.on('data', (b: Buffer) => lines.push(...b.toString().split('\n').filter(Boolean)));
    await waitFor('three rounds', async () => lines.length >= 3, 15_000);
    p.kill('SIGTERM');
    const r = await p;
    expect(r.exitCode).toBe(0);
    for (const l of lines) expect((JSON.parse(l) as { primary: string }).primary).toBe('db1');
  }, 30_000);

  it('a standby promoted by hand: two primaries, said loudly, exit 2', async () => {
    await psql(pair, pair.standby, 'SELECT pg_promote()');
    await waitFor(
      'promoted',
      async () => (await psql(pair, pair.standby, 'SELECT pg_is_in_recovery()')) === 'f',
      30_000,
    );
    const { code, j } = await json(nodes());
    expect(code).toBe(2);
    expect(j).toMatchObject({ primary: null, primaries: ['db1', 'db2'], severity: 'critical' });
    const text = await status(nodes());
    expect(text.out.split('\n')[0]).toBe(
      'TWO PRIMARIES: db1, db2 all accept writes (split brain): stop all but one, then rebuild the others from it',
    );
  });

  it('no node given: a one-line error, exit 5', async () => {
    const r = await status([]);
    expect(r.code).toBe(5);
    expect(r.err.trim()).toMatch(/no node to ask: give --node NAME=CONNINFO/);
  });
});
