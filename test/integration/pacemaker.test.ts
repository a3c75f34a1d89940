/**
 * pgsr's OCF agent as a promotable clone in a real two-node Pacemaker 2.1 + Corosync 3 cluster
 * (lab/pacemaker kit, network namespaces on this host): cold start, clean failover and
 * rejoin, a standby that is not streaming is never promoted, primary crash with fencing on, and
 * the status attributes in crm_mon -A. Timings are printed, not asserted (machines are noisy);
 * scripts/pacemaker-compare.ts measures them against PAF in one run.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../scripts/lib/lab';
import { PcmkLab, cleanFailover, crashFailover, installAgent, partitionFailover, powerLossFailover, roles } from '../../scripts/lib/pcmk';

const lab = new PcmkLab('pgsr');
const isStreaming = async (node: string) => (await lab.psql(node, 'SELECT status FROM pg_stat_wal_receiver')).out === 'streaming';

beforeAll(() => installAgent());
afterAll(async () => {
  await lab.down();
}, 300_000);

describe('pgsr agent in a real Pacemaker cluster', () => {
  it('cold start: the former primary promoted, one streaming standby; crm_mon -A tells the story', async () => {
    await lab.setUp(false);
    // pg-init leaves node1 cleanly shut down as primary: it holds the newest data and goes first.
    expect(await lab.promoted()).toBe('node1');
    await waitFor('node2 streaming', () => isStreaming('node2'), 30_000);
    await waitFor('attributes from the primary monitor', async () => (await lab.attributes()).node2?.['pgsql-sr-status'] === 'HS:async', 30_000);
    const attrs = await lab.attributes();
    expect(attrs.node1).toMatchObject({ 'master-pgsql-sr': '1001', 'pgsql-sr-status': 'PRI', 'pgsql-sr-data-status': 'LATEST' });
    expect(attrs.node2).toMatchObject({ 'master-pgsql-sr': '1000', 'pgsql-sr-status': 'HS:async', 'pgsql-sr-data-status': 'STREAMING|ASYNC' });
  }, 240_000);

  it('clean failover: the standby promoted and writable; the old primary back as a streaming standby after restart', async () => {
    const t = await cleanFailover(lab);
    console.log(`pgsr clean failover ${t.from} -> ${t.to}: writable after ${t.writableS.toFixed(2)} s, promoted after ${t.promotedS} s`);
    expect(await lab.promoted()).toBe(t.to);
    await lab.kit(['start', t.from]);
    await waitFor(`${t.from} streaming from ${t.to}`, () => isStreaming(t.from), 60_000);
    expect(await lab.psql(t.from, 'SELECT count(*) > 0 FROM pgsr_probe')).toMatchObject({ ok: true, out: 't' });
    await lab.kit(['wait-ready', '60']);
  }, 240_000);

  it('a standby that is not streaming gets -INFINITY and is never promoted', async () => {
    const { primary, standby } = await roles(lab);
    // Break the standby's replication: a primary_conninfo that leads nowhere (reloaded from PostgreSQL 13).
    // (two calls: psql -c runs a multi-statement string as one transaction, which ALTER SYSTEM refuses)
    expect((await lab.psql(standby, `ALTER SYSTEM SET primary_conninfo = 'host=10.77.0.100 port=5999 user=replicator application_name=${standby}'`)).ok).toBe(true);
    await lab.psql(standby, 'SELECT pg_reload_conf()');
    await waitFor('the primary to mark the standby stale', async () => (await lab.attributes())[standby]?.['master-pgsql-sr'] === '-INFINITY', 60_000);
    expect((await lab.attributes())[standby]?.['pgsql-sr-data-status']).toBe('DISCONNECT');
    // Fault: the primary's postmaster dies. (Stopping the primary's whole node here would hang:
    // with nothing promotable, the template's "demote then stop the VIP" ordering blocks the
    // VIP's stop and so the node's shutdown; PAF's constraints behave the same.)
    await lab.kit(['kill-primary', primary]);
    // Give Pacemaker ample time to promote if it wanted to: it must not.
    await new Promise((r) => setTimeout(r, 15_000));
    expect(await lab.promoted()).not.toBe(standby);
    expect((await lab.psql(standby, 'SELECT pg_is_in_recovery()')).out).toBe('t');
    await lab.down();
  }, 240_000);

  it('primary crash (kill -9 of the postmaster, fencing on): the standby promoted and writable', async () => {
    await lab.setUp(true);
    const t = await crashFailover(lab);
    console.log(`pgsr crash failover ${t.from} -> ${t.to}: writable after ${t.writableS.toFixed(2)} s, promoted after ${t.promotedS} s`);
    expect(await lab.promoted()).toBe(t.to);
    expect((await lab.attributes())[t.to]?.['pgsql-sr-status']).toBe('PRI');
    // The crashed former primary keeps its lock and a -INFINITY score: it stays down until rebuilt.
    await waitFor('the new primary to mark the old one', async () => (await lab.attributes())[t.from]?.['master-pgsql-sr'] === '-INFINITY', 30_000);
  }, 300_000);

  it("power loss of the primary's node (every process frozen, link down; fencing on; PostgreSQL's default 60 s timeouts): fenced, the standby promoted and writable", async () => {
    await lab.setUp(true);
    const { standby } = await roles(lab);
    // The production default: the walreceiver alone would notice only after 60 s.
    expect((await lab.psql(standby, 'SHOW wal_receiver_timeout')).out).toBe('1min');
    const t = await powerLossFailover(lab);
    console.log(`pgsr power loss ${t.from} -> ${t.to}: writable after ${t.writableS.toFixed(2)} s, promoted after ${t.promotedS} s`);
    expect(await lab.promoted()).toBe(t.to);
    // Fenced: the old primary's PostgreSQL does not answer (fence_lab killed its node).
    expect(await lab.pgRole(t.from)).toBe('down');
    // The promotion did not wait for the walreceiver to give up (the bug: it refused, and the
    // cluster was left with no primary at all).
    expect(t.writableS).toBeLessThan(60);
    expect((await lab.attributes())[t.to]?.['pgsql-sr-status']).toBe('PRI');
  }, 300_000);

  it("network partition of the primary's node (link down, both keep running; fencing on): exactly one primary, and it takes writes", async () => {
    await lab.setUp(true);
    const before = await roles(lab);
    const t = await partitionFailover(lab);
    console.log(`pgsr partition of ${before.primary}: ${t.fenced} fenced, ${t.survivor} primary and writable after ${t.writableS.toFixed(2)} s`);
    // priority-fencing-delay: the node running the promoted instance wins the fence race.
    expect(t.survivor).toBe(before.primary);
    expect(t.roles).toEqual({ [t.survivor]: 'f', [t.fenced]: 'down' });
    if (t.leftovers.length) console.log(`processes left in the fenced node ${t.fenced}: ${t.leftovers.join('; ')}`);
  }, 300_000);
});
