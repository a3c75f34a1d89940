/**
 * Debian clusters made by pg_createcluster: postgresql.conf, pg_hba.conf and pg_ident.conf in
 * /etc/postgresql/15/NAME, the data directory in /var/lib/postgresql/15/NAME. pgsr start/stop
 * with only --pgdata (pg_lsclusters agrees); a second cluster rebuilt as the first one's standby
 * keeps its configuration directory (nothing copied into the data directory); a switchover
 * between them; pg_rewind after an immediate stop (it finishes crash recovery with the cluster's
 * postgresql.conf); the installed OCF agent under ocf-tester with pgconfdir.
 */
import { execa } from 'execa';
import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBindir, freePort, osUserIds, runServerCommand, waitFor } from '../../scripts/lib/lab';
import { AGENT_PATH } from '../../scripts/lib/pcmk';
import { runPgsr } from '../helpers/run';

interface Action {
  outcome: string;
  exit_code: number;
  summary: string;
  steps: Array<{ step: string; status: string; detail?: string }>;
  facts: Record<string, unknown>;
}

async function pgsr(args: string[]): Promise<Action & { code: number }> {
  const r = await runPgsr([...args, '--format', 'json'], { timeoutMs: 240_000 });
  let j: Action;
  try {
    j = JSON.parse(r.stdout.split('\n').at(-1) ?? '') as Action;
  } catch {
    throw new Error(`not JSON (exit ${r.exitCode}): ${r.stdout} ${r.stderr}`);
  }
  expect(j.exit_code).toBe(r.exitCode);
  return { ...j, code: r.exitCode };
}

const tag = Math.random().toString(36).slice(2, 7);
interface Cluster {
  name: string;
  port: number;
  data: string;
  conf: string;
}
const clusters: Cluster[] = [];
let A: Cluster;
let B: Cluster;

/** pg_createcluster with the cluster's pg_hba trusting 127.0.0.1 (pgsr connects as root, without a password) and wal_log_hints for pg_rewind. */
async function createCluster(suffix: string): Promise<Cluster> {
  const name = `pgsrt_${tag}_${suffix}`;
  const port = await freePort();
  await execa('pg_createcluster', ['15', name, '-p', String(port)], { timeout: 60_000 });
  const c = { name, port, data: `/var/lib/postgresql/15/${name}`, conf: `/etc/postgresql/15/${name}` };
  clusters.push(c);
  writeFileSync(join(c.conf, 'conf.d', 'pgsr-test.conf'), "listen_addresses = '127.0.0.1'\nwal_log_hints = on\n");
  const hba = join(c.conf, 'pg_hba.conf');
  writeFileSync(
    hba,
    `host all all 127.0.0.1/32 trust\nhost replication all 127.0.0.1/32 trust\n${readFileSync(hba, 'utf8')}`,
  );
  return c;
}

/** pg_lsclusters' status column for a cluster (online, down, online,recovery). */
async function lsStatus(c: Cluster): Promise<string> {
  const line =
    (await execa('pg_lsclusters', ['-h'], { timeout: 30_000 })).stdout
      .split('\n')
      .find((l) => l.split(/\s+/)[1] === c.name) ?? '';
  return line.split(/\s+/)[3] ?? 'missing';
}

async function sql(c: Cluster, query: string): Promise<string> {
  const bindir = await defaultBindir();
  return (
    await execa(
      join(bindir, 'psql'),
      ['-h', '127.0.0.1', '-p', String(c.port), '-U', 'postgres', '-d', 'postgres', '-XAtc', query],
      { timeout: 30_000 },
    )
  ).stdout.trim();
}

const conninfo = (c: Cluster) => `host=127.0.0.1 port=${c.port} user=postgres application_name=${c.name}`;

describe('Debian clusters (pg_createcluster, PostgreSQL 15)', () => {
  beforeAll(async () => {
    // Made at boot by postgresql-common's tmpfiles.d entry; a container without systemd lacks it.
    if (!existsSync('/var/run/postgresql')) {
      mkdirSync('/var/run/postgresql', { mode: 0o2775 });
      const { uid, gid } = osUserIds('postgres');
      chownSync('/var/run/postgresql', uid, gid);
    }
    A = await createCluster('a');
    B = await createCluster('b');
  }, 120_000);
  afterAll(async () => {
    for (const c of clusters)
      await execa('pg_dropcluster', ['--stop', '15', c.name], { reject: false, timeout: 60_000 });
  }, 120_000);

  it('start and stop with only --pgdata: the configuration directory is found, pg_lsclusters agrees', async () => {
    const st = await pgsr(['start', '-D', A.data]);
    expect(st).toMatchObject({ code: 0, outcome: 'done', facts: { config_file: `${A.conf}/postgresql.conf` } });
    expect(st.steps.find((s) => s.step === 'pg_ctl start -w')?.detail).toBe(
      `log /var/log/postgresql/postgresql-15-${A.name}.log, configuration ${A.conf}/postgresql.conf`,
    );
    expect(await lsStatus(A)).toBe('online');
    expect(await sql(A, 'SHOW config_file')).toBe(`${A.conf}/postgresql.conf`);
    expect((await pgsr(['stop', '-D', A.data])).outcome).toBe('done');
    expect(await lsStatus(A)).toBe('down');
    expect((await pgsr(['start', '-D', A.data])).outcome).toBe('done');
    expect(existsSync(join(A.data, 'postgresql.conf'))).toBe(false);
  }, 120_000);

  it('a second cluster rebuilt as its standby keeps its own configuration directory; nothing of it lands in the data directory', async () => {
    const r = await pgsr([
      'rebuild',
      '-D',
      B.data,
      '--from',
      conninfo(A),
      '--primary-conninfo',
      conninfo(A).replace(A.name, B.name),
      '--discard-old',
      '--timeout',
      '180',
    ]);
    expect(r).toMatchObject({ code: 0, outcome: 'done', facts: { method: 'pg_basebackup' } });
    for (const f of ['postgresql.conf', 'pg_hba.conf', 'pg_ident.conf'])
      expect(existsSync(join(B.data, f))).toBe(false);
    expect(await sql(B, 'SELECT pg_is_in_recovery()')).toBe('t');
    expect(await sql(B, 'SHOW port')).toBe(String(B.port));
    expect(await sql(A, `SELECT state FROM pg_stat_replication WHERE application_name = '${B.name}'`)).toBe(
      'streaming',
    );
    expect(await lsStatus(B)).toBe('online,recovery');
  }, 240_000);

  it('switchover between the two clusters: both restart with their own configuration files', async () => {
    const r = await pgsr([
      'switchover',
      '-D',
      A.data,
      '--standby-pgdata',
      B.data,
      '--primary-conninfo',
      conninfo(B),
      '--timeout',
      '180',
    ]);
    expect(r).toMatchObject({ code: 0, outcome: 'done' });
    expect(await sql(B, 'SELECT pg_is_in_recovery()')).toBe('f');
    await waitFor(
      'A streaming from B',
      async () => (await sql(A, 'SELECT status FROM pg_stat_wal_receiver').catch(() => '')) === 'streaming',
      60_000,
    );
    expect(await lsStatus(A)).toBe('online,recovery');
    expect(await sql(A, 'SHOW config_file')).toBe(`${A.conf}/postgresql.conf`);
  }, 240_000);

  it("pg_rewind of a data directory that was not shut down cleanly finishes its crash recovery with the cluster's postgresql.conf", async () => {
    const bindir = await defaultBindir();
    await runServerCommand('postgres', join(bindir, 'pg_ctl'), ['stop', '-D', B.data, '-m', 'immediate']);
    const p = await pgsr(['promote', '-D', A.data, '--timeout', '60']);
    expect(p).toMatchObject({ code: 0, outcome: 'done' });
    await sql(A, 'CREATE TABLE after_rewind AS SELECT 5 AS id');
    const r = await pgsr(['rebuild', '-D', B.data, '--from', conninfo(A).replace(A.name, B.name), '--timeout', '180']);
    expect(r).toMatchObject({ code: 0, outcome: 'done', facts: { method: 'pg_rewind' } });
    await waitFor(
      'the row on B',
      async () => (await sql(B, 'SELECT id FROM after_rewind').catch(() => '')) === '5',
      60_000,
    );
    expect(existsSync(join(B.data, 'postgresql.conf'))).toBe(false);
  }, 240_000);

  it('a --config-dir without postgresql.conf is a configuration error (exit 5, one line)', async () => {
    const r = await runPgsr(['start', '-D', A.data, '--config-dir', '/tmp']);
    expect(r.exitCode).toBe(5);
    expect(r.stderr.trim()).toBe(
      'pgsr: configuration error: the configuration directory /tmp has no postgresql.conf (--config-dir: where postgresql.conf, pg_hba.conf and pg_ident.conf are)',
    );
  });

  it("the installed OCF agent with pgconfdir: Debian's ocf-tester passes on the lone cluster", async () => {
    expect((await pgsr(['stop', '-D', B.data])).outcome).toBe('done');
    const r = await execa(
      'ocf-tester',
      [
        '-n',
        'pgsqlsr',
        '-o',
        `pgdata=${A.data}`,
        '-o',
        `pgconfdir=${A.conf}`,
        '-o',
        'pghost=127.0.0.1',
        '-o',
        `pgport=${A.port}`,
        AGENT_PATH,
      ],
      { reject: false, timeout: 300_000, all: true },
    );
    expect(String(r.all)).toContain('passed all tests');
    expect(r.exitCode).toBe(0);
    // ocf-tester ends with a stop (of a demoted instance: standby.signal in place).
    expect(await lsStatus(A)).toMatch(/^down/);
  }, 320_000);
});
