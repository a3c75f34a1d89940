/**
 * pgsr's OCF agent as a promotable clone in a real two-node Pacemaker 2.1 + Corosync 3 cluster
 * (lab/pacemaker kit, network namespaces on this host): cold start, clean failover and
 * rejoin, a standby that is not streaming is never promoted, primary crash with fencing on, and
 * the status attributes in crm_mon -A. Timings are printed, not asserted (machines are noisy);
 * scripts/pacemaker-compare.ts measures them against PAF in one run.
 */
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../scripts/lib/lab';
import { traceMonitors } from '../../scripts/lib/monitor-trace';
import { PcmkLab, cleanFailover, crashFailover, installAgent, partitionFailover, powerLossFailover, powerLossWriterFailover, roles } from '../../scripts/lib/pcmk';

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
    // Steady state: the primary's monitor finds every attribute already right and writes none
    // (no crm_attribute); a streaming standby's monitor starts no program at all.
    // 16 s: at least two 5 s primary monitors on a quiet machine; on a loaded one (CI: the
    // execd's timers slip) one may be all, and one is enough for what is asserted.
    const runs = await traceMonitors(lab, /resource\.d\/pgsr\/pgsql-sr$/, 16);
    const primaryRuns = runs.filter((r) => r.role === 'primary');
    const standbyRuns = runs.filter((r) => r.role === 'standby');
    expect(primaryRuns.length, JSON.stringify(runs)).toBeGreaterThanOrEqual(1);
    expect(standbyRuns.length, JSON.stringify(runs)).toBeGreaterThanOrEqual(1);
    for (const r of primaryRuns) expect(r.children.filter((c) => c !== 'attrd_updater' && c !== 'crm_node'), JSON.stringify(r)).toEqual([]);
    for (const r of standbyRuns) expect(r.children, JSON.stringify(r)).toEqual([]);
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

  it("rep_mode=sync: power loss of the primary's node while a writer commits through the service address; every acknowledged row is on the new primary", async () => {
    await lab.setUp(true, { repMode: 'sync' });
    const { primary, standby } = await roles(lab);
    await waitFor('the standby synchronous and promotable', async () => syncPromotable(standby), 60_000);
    expect((await lab.psql(primary, 'SHOW synchronous_standby_names')).out).toBe(`"${standby}"`);
    expect((await lab.attributes())[standby]?.['pgsql-sr-status']).toBe('HS:sync');
    const t = await powerLossWriterFailover(lab);
    console.log(`pgsr rep_mode=sync power loss ${t.from} -> ${t.to}: writable after ${t.writableS.toFixed(2)} s; ${t.acked} rows acknowledged, ${t.lost.length} lost`);
    expect(t.acked).toBeGreaterThan(20);
    expect(t.lost).toEqual([]);
    // The new primary carries no stale name: it commits without a standby.
    expect((await lab.psql(t.to, 'SHOW synchronous_standby_names')).out).toBe('');
  }, 300_000);

  it('rep_mode=sync: the standby cut off first, then the primary lost: the stale standby is not promoted (by hand it still can be)', async () => {
    await lab.setUp(true, { repMode: 'sync' });
    const { primary, standby } = await roles(lab);
    await waitFor('the standby synchronous and promotable', async () => syncPromotable(standby), 60_000);
    expect((await lab.psql(primary, 'CREATE TABLE stale (n int)')).ok).toBe(true);
    // The standby's replication traffic is dropped (cluster traffic flows): its walsender
    // lingers "streaming" until wal_sender_timeout (60 s) and commits wait for it.
    for (const rule of [['OUTPUT', '--dport'], ['INPUT', '--sport']]) {
      await execa('ip', ['netns', 'exec', `pcmklab-${standby}`, 'iptables', '-A', rule[0], '-p', 'tcp', rule[1], '5432', '-j', 'DROP'], { timeout: 10_000 });
    }
    const t0 = Date.now();
    const first = await lab.x(primary, ['runuser', '-u', 'postgres', '--', 'psql', '-X', '-A', '-t', '-h', '/run/postgresql', '-c', 'INSERT INTO stale VALUES (1)'], 60_000);
    const waitedS = (Date.now() - t0) / 1000;
    console.log(`pgsr rep_mode=sync: a commit waited ${waitedS.toFixed(1)} s for the cut-off standby (sync_wait_limit 10 s + primary monitor interval 5 s)`);
    expect(first.exitCode).toBe(0);
    expect(waitedS).toBeLessThan(10 + 5 + 5);
    expect((await lab.attributes())[standby]?.['master-pgsql-sr']).toBe('-INFINITY');
    // Commits the standby never saw, acknowledged by the primary alone.
    expect((await lab.psql(primary, 'INSERT INTO stale SELECT generate_series(2, 100)')).ok).toBe(true);
    await lab.powerLoss(primary);
    await waitFor(`${primary} fenced`, async () => (await lab.pgRole(primary)) === 'down' && lab.nodePids(primary).length === 0, 60_000);
    // Ample time for Pacemaker to promote if it wanted to: it must not.
    await new Promise((r) => setTimeout(r, 15_000));
    expect(await lab.promoted()).toBeUndefined();
    expect(await lab.pgRole(standby)).toBe('t');
    // The operator decides, knowingly (rows 2-100 are lost): a score by hand, and it is promoted.
    await lab.x(standby, ['crm_attribute', '--node', standby, '--name', 'master-pgsql-sr', '--update', '1000', '--lifetime', 'reboot']);
    await waitFor(`${standby} promoted by hand`, async () => (await lab.promoted()) === standby, 60_000);
    expect((await lab.psql(standby, 'SELECT count(*) FROM stale')).out).toBe('0');
  }, 300_000);
});

/** Under rep_mode sync: the primary scored this standby 1000 and shows it STREAMING|SYNC. */
async function syncPromotable(standby: string): Promise<boolean> {
  const a = (await lab.attributes())[standby];
  return a?.['pgsql-sr-data-status'] === 'STREAMING|SYNC' && a?.['master-pgsql-sr'] === '1000';
}
