/**
 * Pgpool-II as a host (seed 001 chapter 5) with a real Pgpool-II 4.3 in front of three servers
 * on loopback: health check every second, failover_command and follow_primary_command calling
 * the bundle as Pgpool runs them, PCP with a password file. The seed's three failure tests:
 * 1. a standby stops: detached, failover does nothing harmful, the pgpool check reports it;
 *    started again and attached, all up;
 * 2. the primary stops: the main node promoted, the other standby re-pointed (no base backup)
 *    and attached, SHOW POOL_NODES right, writes through Pgpool; seconds measured;
 * 3. the new primary stops too: the last node serves alone, and the check says so.
 * Plus: pcp_promote_node without a real promotion is critical; a candidate that cannot be reached
 * is refused in the log, nothing promoted twice.
 */
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { psql, startNode, stopNode, waitFor } from '../../scripts/lib/lab';
import {
  pgpoolLabDown,
  pgpoolLabUp,
  pgpoolStart,
  pgpoolStop,
  poolNodes,
  poolQuery,
  type PgpoolLab,
} from '../../scripts/lib/pgpool-lab';
import { BASE_PATH, BUNDLE, REPO } from '../helpers/run';

let lab: PgpoolLab;
beforeAll(async () => {
  lab = await pgpoolLabUp();
}, 180_000);
afterAll(async () => {
  if (lab) await pgpoolLabDown(lab);
}, 120_000);

const pgsrLog = () => (existsSync(lab.pgsrLog) ? readFileSync(lab.pgsrLog, 'utf8') : '');
interface Json {
  severity: string;
  findings: Array<{ code: string; severity: string; message: string }>;
  facts: Record<string, unknown>;
}
async function pgpoolCheck(format = 'json') {
  const r = await execa(
    process.execPath,
    [
      BUNDLE,
      'check',
      '--role',
      'pgpool',
      '-h',
      '127.0.0.1',
      '-p',
      String(lab.port),
      '-U',
      'postgres',
      '--format',
      format,
      '--no-alert',
    ],
    { env: { PATH: BASE_PATH }, extendEnv: false, reject: false, timeout: 30_000 },
  );
  return { code: r.exitCode, out: r.stdout, json: format === 'json' ? (JSON.parse(r.stdout) as Json) : undefined };
}
const statuses = async () => (await poolNodes(lab)).map((n) => `${n.id}:${n.status}:${n.role}`).join(' ');

describe('Pgpool-II with three backends', () => {
  it('healthy: three nodes up, the check is OK in every dialect', async () => {
    expect(await statuses()).toBe('0:up:primary 1:up:standby 2:up:standby');
    const c = await pgpoolCheck();
    expect(c.json?.severity).toBe('ok');
    const n = await pgpoolCheck('nagios');
    expect(n.code).toBe(0);
    expect(n.out).toMatch(/^PGSR OK - pgpool 127\.0\.0\.1:\d+: /);
  });

  it("pgsr status --pgpool: the nodes are Pgpool's backends (node0, node1, node2), each asked itself; a Pgpool that does not answer: UNKNOWN, exit 3", async () => {
    const r = await execa(
      process.execPath,
      [BUNDLE, 'status', '--pgpool', `127.0.0.1:${lab.port}`, '-U', 'postgres', '--format', 'json', '--timeout', '10'],
      { env: { PATH: BASE_PATH }, extendEnv: false, reject: false, timeout: 30_000 },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as {
      primary: string;
      nodes: Array<{ name: string; role: string; port: number; upstream: string | null }>;
    };
    expect(j.primary).toBe('node0');
    expect(j.nodes.map((n) => `${n.name}:${n.role}:${n.port}:${n.upstream}`)).toEqual(
      lab.nodes.map((n, i) => `node${i}:${i === 0 ? 'primary' : 'standby'}:${n.port}:${i === 0 ? null : 'node0'}`),
    );
    const pf = await execa(
      process.execPath,
      [BUNDLE, 'preflight', '--pgpool', `127.0.0.1:${lab.port}`, '-U', 'postgres', '--format', 'json'],
      { env: { PATH: BASE_PATH }, extendEnv: false, reject: false, timeout: 30_000 },
    );
    expect(
      (JSON.parse(pf.stdout) as { checks: Array<{ id: string; node: string }> }).checks
        .filter((c) => c.id === 'hot_standby')
        .map((c) => c.node),
    ).toEqual(['node0', 'node1', 'node2']);
    const gone = await execa(
      process.execPath,
      [BUNDLE, 'status', '--pgpool', '127.0.0.1:1', '-U', 'postgres', '--timeout', '4'],
      { env: { PATH: BASE_PATH }, extendEnv: false, reject: false, timeout: 30_000 },
    );
    expect(gone.exitCode).toBe(3);
    expect(gone.stderr.trim()).toMatch(
      /^(pgsr status: )?Pgpool-II at 127\.0\.0\.1:1 could not be asked for its backends \(SHOW POOL_NODES\): .*refused/i,
    );
  });

  it('1. a standby stops: Pgpool detaches it, failover promotes nothing, the check reports it; back and attached', async () => {
    // A slot kept for node 2 on the primary (--slot-name node%d in the lab's failover_command).
    await psql(lab.pair, lab.nodes[0], "SELECT pg_create_physical_replication_slot('node2')");
    await stopNode(lab.pair, lab.nodes[2], 'fast');
    await waitFor('node 2 down in Pgpool', async () => (await statuses()).includes('2:down'), 30_000);
    await waitFor(
      'failover logged',
      async () => /pgsr pgpool failover: done: node 2 .* was a standby/.test(pgsrLog()),
      15_000,
    );
    expect(pgsrLog()).toMatch(/was a standby .*nothing to promote \[replication slot node2 dropped on the primary\]/);
    expect(
      await psql(lab.pair, lab.nodes[0], "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'node2'"),
    ).toBe('0');
    expect(await psql(lab.pair, lab.nodes[0], 'SELECT pg_is_in_recovery()')).toBe('f');
    const c = await pgpoolCheck();
    expect(c.json?.findings.map((f) => f.code)).toContain('pgpool_backend_down');
    await startNode(lab.pair, lab.nodes[2]);
    await waitFor(
      'node 2 streaming',
      async () =>
        (await psql(
          lab.pair,
          lab.nodes[0],
          "SELECT count(*) FROM pg_stat_replication WHERE application_name = 'node2' AND state = 'streaming'",
        )) === '1',
      30_000,
    );
    const detached = await pgpoolCheck();
    expect(detached.json?.findings.map((f) => f.code)).toEqual(['pgpool_standby_detached']);
    expect(detached.json?.severity).toBe('critical');
    const a = await execa(
      'pcp_attach_node',
      ['-h', '127.0.0.1', '-p', String(lab.pcpPort), '-U', 'pgpool', '-n', '2', '-w'],
      { env: { PCPPASSFILE: lab.pcpPassFile }, reject: false, timeout: 30_000 },
    );
    expect(a.exitCode, a.stderr).toBe(0);
    await waitFor(
      'node 2 up again',
      async () => (await statuses()) === '0:up:primary 1:up:standby 2:up:standby',
      30_000,
    );
    expect((await pgpoolCheck()).json?.severity).toBe('ok');
  }, 120_000);

  it('2. the primary stops: node 1 promoted, node 2 re-pointed without a base backup and attached, writes through Pgpool', async () => {
    await poolQuery(lab, 'CREATE TABLE pp (n int)');
    const t0 = Date.now();
    await stopNode(lab.pair, lab.nodes[0], 'fast');
    let writableMs = 0;
    await waitFor(
      'a write through Pgpool',
      async () => {
        const ok = await poolQuery(lab, 'INSERT INTO pp VALUES (1)')
          .then(() => true)
          .catch(() => false);
        if (ok && !writableMs) writableMs = Date.now() - t0;
        return ok;
      },
      90_000,
    );
    await waitFor(
      'two nodes up with the right roles',
      async () => (await statuses()) === '0:down:standby 1:up:primary 2:up:standby',
      90_000,
    ).catch(async (err: Error) => {
      throw new Error(
        `${err.message}; SHOW POOL_NODES: ${await statuses().catch((e: Error) => e.message)}; pgsr: ${pgsrLog().trim().split('\n').slice(-4).join(' / ')}; pgpool: ${readFileSync(
          lab.log,
          'utf8',
        )
          .trim()
          .split('\n')
          .filter((l) => /failover|follow|ERROR|FATAL/i.test(l))
          .slice(-6)
          .join(' / ')}`,
      );
    });
    const followMs = Date.now() - t0;
    console.log(
      `pgpool: primary stopped -> write through Pgpool after ${(writableMs / 1000).toFixed(2)} s; other standby following and attached after ${(followMs / 1000).toFixed(2)} s (seed 001: about 5 s to a new primary, 3 min 50 s for the follow-master rebuild)`,
    );
    expect(await psql(lab.pair, lab.nodes[1], 'SELECT pg_is_in_recovery()')).toBe('f');
    expect(pgsrLog()).toMatch(/pgsr pgpool failover: done: the primary node 0 .* promote node 1 .*promoted in \d+ ms/);
    expect(pgsrLog()).toMatch(
      /pgsr pgpool follow-primary: done: node 2 .* streams from the new primary .* \(timeline 2\) and is attached \[re-pointed \(ALTER SYSTEM primary_conninfo \+ reload\)/,
    );
    expect(pgsrLog()).not.toMatch(/rebuilt/);
    // Pgpool asks the failed old primary to follow too: it is down, so it is left for the operator.
    expect(pgsrLog()).toMatch(/pgsr pgpool follow-primary: done: node 0 .* is not running: skipped/);
    expect(await psql(lab.pair, lab.nodes[2], 'SELECT count(*) FROM pp')).toBe('1');
    const c = await pgpoolCheck();
    expect(c.json?.findings.map((f) => f.code)).toEqual(['pgpool_backend_down']);
  }, 180_000);

  it('pcp_promote_node without a real promotion: the pgpool check is critical', async () => {
    const p = await execa(
      'pcp_promote_node',
      ['-h', '127.0.0.1', '-p', String(lab.pcpPort), '-U', 'pgpool', '-n', '2', '-w'],
      { env: { PCPPASSFILE: lab.pcpPassFile }, reject: false, timeout: 30_000 },
    );
    expect(p.exitCode, p.stderr).toBe(0);
    await waitFor(
      'Pgpool calls node 2 the primary',
      async () => (await statuses()).includes('2:up:primary'),
      30_000,
    ).catch(() => undefined);
    const c = await pgpoolCheck();
    expect(c.json?.severity).toBe('critical');
    expect(c.json?.findings.map((f) => f.code)).toContain('pgpool_primary_mismatch');
    // Put Pgpool's view back: a restart makes it look for the real primary again.
    await pgpoolStop(lab);
    await pgpoolStart(lab);
    await waitFor(
      'Pgpool calls node 1 the primary again',
      async () => (await statuses()) === '0:down:standby 1:up:primary 2:up:standby',
      60_000,
    ).catch(async (err: Error) => {
      throw new Error(`${err.message}: ${await statuses().catch((e: Error) => e.message)}`);
    });
  }, 120_000);

  it('a failover whose candidate cannot be reached is refused in the log; a repeated one promotes nothing twice', async () => {
    const run = (args: string[]) =>
      execa(
        process.execPath,
        [
          BUNDLE,
          'pgpool',
          'failover',
          '-U',
          'postgres',
          '--bindir',
          lab.pair.bindir,
          '--log-file',
          lab.pgsrLog,
          ...args,
        ],
        { env: { PATH: BASE_PATH }, extendEnv: false, reject: false, timeout: 60_000 },
      );
    const n = lab.nodes;
    // The old primary (node 0) is down; node 1 is already primary: nothing promoted twice.
    const again = await run([
      '0',
      '127.0.0.1',
      String(n[0].port),
      n[0].data,
      '1',
      '127.0.0.1',
      '0',
      '0',
      String(n[1].port),
      n[1].data,
      '127.0.0.1',
      String(n[0].port),
    ]);
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toMatch(
      /pgsr pgpool failover: already: node 1 .* is already a primary: nothing promoted twice/,
    );
    // A candidate nobody listens on: refused, loud, exit 1.
    // (settings from a config file this time, the alert hook among them)
    const conf = join(lab.dir, 'pgsr-pgpool.conf');
    const marker = join(lab.dir, 'on-failure.out');
    writeFileSync(conf, `on-failure = echo "$PGSR_EVENT: $PGSR_MESSAGE" > ${marker}\npcp-port = ${lab.pcpPort}\n`);
    const nowhere = await run([
      '--config',
      conf,
      '0',
      '127.0.0.1',
      String(n[0].port),
      n[0].data,
      '2',
      '127.0.0.1',
      '0',
      '0',
      '1',
      '/nonexistent',
      '127.0.0.1',
      String(n[0].port),
    ]);
    expect(nowhere.exitCode).toBe(1);
    expect(nowhere.stderr).toMatch(
      /pgsr pgpool failover: refused: the candidate node 2 \(127\.0\.0\.1:1\) cannot be reached/,
    );
    expect(readFileSync(marker, 'utf8')).toMatch(/^failover: pgsr pgpool failover: refused: the candidate node 2/);
    expect(await psql(lab.pair, n[2], 'SELECT pg_is_in_recovery()')).toBe('t');
  }, 60_000);

  it('a standby that diverged on another host: follow-primary rebuilds it there through --remote-prefix (pg_rewind, else pg_basebackup), then attaches it', async () => {
    const [n0, n1] = lab.nodes;
    // The failed old primary (node 0, timeline 1) comes back on its own as a primary, takes a
    // write the new primary never sees, and is then started as a standby: it cannot follow.
    await startNode(lab.pair, n0);
    await psql(lab.pair, n0, 'CREATE TABLE diverged (n int)');
    await stopNode(lab.pair, n0, 'fast');
    writeFileSync(join(n0.data, 'standby.signal'), '');
    writeFileSync(
      join(n0.data, 'pgsr-lab-standby.conf'),
      `primary_conninfo = 'host=127.0.0.1 port=${n1.port} user=postgres application_name=node0'\nrecovery_target_timeline = 'latest'\n`,
    );
    await startNode(lab.pair, n0);
    // Its data directory as another host sees it: here an empty directory, there the real one.
    const remoteDir = mkdtempSync('/tmp/pgsr-remote-');
    const sim = join(REPO, 'lab', 'pgpool', 'remote-sim');
    const t0 = Date.now();
    const r = await execa(
      process.execPath,
      [
        BUNDLE,
        'pgpool',
        'follow-primary',
        '-U',
        'postgres',
        '--bindir',
        lab.pair.bindir,
        '--pcp-host',
        '127.0.0.1',
        '--pcp-port',
        String(lab.pcpPort),
        '--pcp-user',
        'pgpool',
        '--pcp-passfile',
        lab.pcpPassFile,
        '--log-file',
        lab.pgsrLog,
        '--remote-prefix',
        `${sim} %h`,
        '--remote-pgsr',
        `${process.execPath} ${BUNDLE}`,
        '0',
        '127.0.0.1',
        String(n0.port),
        remoteDir,
        '1',
        '127.0.0.1',
        '0',
        '0',
        String(n1.port),
        n1.data,
      ],
      {
        env: { PATH: BASE_PATH, PGSR_REMOTE_SIM_MAP: `${remoteDir}=${n0.data}` },
        extendEnv: false,
        reject: false,
        timeout: 300_000,
      },
    );
    console.log(
      `pgpool: diverged standby rebuilt through --remote-prefix and attached in ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /pgsr pgpool follow-primary: done: node 0 .* streams from the new primary .* and is attached \[.*not streaming on timeline 2: diverged, rebuilding; rebuilt on 127\.0\.0\.1 through --remote-prefix: pgsr rebuild: done: rebuilt by (pg_rewind|pg_basebackup) from /,
    );
    await waitFor(
      'node 0 up as a standby',
      async () => (await statuses()) === '0:up:standby 1:up:primary 2:up:standby',
      30_000,
    );
    expect(await psql(lab.pair, n0, "SELECT to_regclass('diverged') IS NULL")).toBe('t');
    // Back to the seed's setting for the last test: node 0 down.
    await stopNode(lab.pair, n0, 'fast');
    await waitFor('node 0 down again', async () => (await statuses()).startsWith('0:down'), 30_000);
  }, 300_000);

  it('3. the new primary stops as well: the last node serves alone, and the check says so', async () => {
    await stopNode(lab.pair, lab.nodes[1], 'fast');
    await waitFor(
      'a write through Pgpool on the last node',
      async () =>
        poolQuery(lab, 'INSERT INTO pp VALUES (3)')
          .then(() => true)
          .catch(() => false),
      90_000,
    ).catch(async (err: Error) => {
      throw new Error(
        `${err.message}; SHOW POOL_NODES: ${await statuses().catch((e: Error) => e.message)}; pgsr: ${pgsrLog().trim().split('\n').slice(-3).join(' / ')}`,
      );
    });
    await waitFor(
      'one node up, primary',
      async () => (await statuses()) === '0:down:standby 1:down:standby 2:up:primary',
      60_000,
    );
    expect(await psql(lab.pair, lab.nodes[2], 'SELECT pg_is_in_recovery()')).toBe('f');
    const c = await pgpoolCheck();
    expect(c.json?.severity).toBe('critical');
    expect(c.json?.findings.map((f) => f.code)).toContain('pgpool_no_standby');
    expect(pgsrLog()).toMatch(/pgsr pgpool failover: done: the primary node 1 .* promote node 2/);
  }, 180_000);
});
