/**
 * failover_command under Pgpool-II 4.3 with three backends, in the two cases the Pgpool-II fault
 * campaign found (docs/reliability.md):
 * 1. the standby Pgpool names (%m) has received less WAL than the other one: pgsr promotes the
 *    more advanced standby, Pgpool takes it as the new primary, and the lagging one follows it
 *    (no rebuild: it is behind, not ahead);
 * 2. the primary hangs (every server process frozen, its kernel still accepting connections, as
 *    on a storage failure): Pgpool's replication check worker hangs on it while holding the lock
 *    Pgpool's primary search needs; pgsr releases it, and writes through Pgpool resume.
 * The lab's health check (every second, 3 s timeout) and sr_check_period = 1.
 */
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverPids } from '../../scripts/lib/loopback-faults';
import { psql, stopNode, waitFor } from '../../scripts/lib/lab';
import { signalAll } from '../../scripts/lib/netns';
import { pgpoolLabDown, pgpoolLabUp, poolNodes, poolQuery, type PgpoolLab } from '../../scripts/lib/pgpool-lab';

let lab: PgpoolLab;
beforeAll(async () => {
  lab = await pgpoolLabUp();
}, 180_000);
afterAll(async () => {
  if (!lab) return;
  for (const n of lab.nodes) signalAll(serverPids(n.data), 'SIGKILL');
  await pgpoolLabDown(lab);
}, 120_000);

const pgsrLog = () => (existsSync(lab.pgsrLog) ? readFileSync(lab.pgsrLog, 'utf8') : '');
const statuses = async () => (await poolNodes(lab)).map((n) => `${n.id}:${n.status}:${n.role}`).join(' ');
const why = async (err: Error) => {
  const pool = readFileSync(lab.log, 'utf8')
    .trim()
    .split('\n')
    .filter((l) => /failover|follow|primary node|ERROR|FATAL/i.test(l))
    .slice(-6);
  throw new Error(
    `${err.message}; nodes: ${await statuses().catch((e: Error) => e.message)}; pgsr: ${pgsrLog().trim().split('\n').slice(-4).join(' / ')}; pgpool: ${pool.join(' / ')}`,
  );
};
const writable = (bound: number) =>
  waitFor(
    'a write through Pgpool',
    () =>
      poolQuery(lab, 'INSERT INTO el VALUES (0)')
        .then(() => true)
        .catch(() => false),
    bound,
  );

describe('Pgpool-II failover_command: which standby, and a hung primary', () => {
  it("the primary fails while Pgpool's %m is behind: the most advanced standby is promoted, the other follows it", async () => {
    const [n0, n1, n2] = lab.nodes;
    // Node 1 stops receiving (its walreceiver ends) but stays a standby Pgpool has in service.
    await psql(lab.pair, n1, "ALTER SYSTEM SET primary_conninfo = ''");
    await psql(lab.pair, n1, 'SELECT pg_reload_conf()');
    await waitFor(
      'node 1 not receiving',
      async () => (await psql(lab.pair, n1, 'SELECT count(*) FROM pg_stat_wal_receiver')) === '0',
      30_000,
    );
    await psql(lab.pair, n0, 'CREATE TABLE el AS SELECT generate_series(1, 10000) AS n');
    const lsn = await psql(lab.pair, n0, 'SELECT pg_current_wal_lsn()');
    await waitFor(
      'node 2 has replayed it',
      async () => (await psql(lab.pair, n2, `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn`)) === 't',
      30_000,
    );

    await stopNode(lab.pair, n0, 'fast');
    await waitFor(
      'node 2 the primary, node 1 following it',
      async () => (await statuses()) === '0:down:standby 1:up:standby 2:up:primary',
      90_000,
    ).catch(why);
    expect(pgsrLog()).toMatch(
      /pgsr pgpool failover: done: the primary node 0 .* promote node 2 .*promoted in \d+ ms \[.*node 2 promoted instead of Pgpool's node 1: it received more WAL/,
    );
    expect(await psql(lab.pair, n2, 'SELECT pg_is_in_recovery()')).toBe('f');
    expect(pgsrLog()).toMatch(
      /follow-primary: done: node 1 .* streams from the new primary .* \(timeline 2\) and is attached/,
    );
    expect(await psql(lab.pair, n1, 'SELECT count(*) FROM el')).toBe('10000');
    await writable(30_000);
  }, 180_000);

  it("the primary hangs: Pgpool's replication check worker is released, node 1 promoted, writes through Pgpool again", async () => {
    const [, n1, n2] = lab.nodes;
    const before = pgsrLog().length;
    const t0 = Date.now();
    signalAll(serverPids(n2.data), 'SIGSTOP');
    // Health check: 3 s; failover: the 3 s old-primary probe and the election's 5 s bound at most.
    await writable(60_000).catch(why);
    console.log(`pgpool: primary hung -> write through Pgpool after ${((Date.now() - t0) / 1000).toFixed(2)} s`);
    const log = pgsrLog().slice(before);
    expect(log).toMatch(/failover: done: the primary node 2 .* promote node 1 .*promoted in \d+ ms/);
    expect(log).toMatch(/replication check worker \(pid \d+\) hung on a connection to the failed node .*terminated/);
    expect(await psql(lab.pair, n1, 'SELECT pg_is_in_recovery()')).toBe('f');
    // Pgpool's own view from PCP (SHOW POOL_NODES would wait on the hung backend).
    const info = await execa(
      'pcp_node_info',
      ['-h', '127.0.0.1', '-p', String(lab.pcpPort), '-U', 'pgpool', '-n', '1', '-w'],
      { env: { PCPPASSFILE: lab.pcpPassFile }, reject: false, timeout: 15_000 },
    );
    expect(info.stdout.trim().split(/\s+/)[6]).toBe('primary');
  }, 120_000);
});
