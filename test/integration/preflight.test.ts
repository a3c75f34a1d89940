/**
 * `pgsr preflight` on a real pair, as an operator runs it before a go-live: a healthy pair
 * passes (exit 0); each planted fault is found by its id on the right node with a fix:
 * wal_log_hints off without checksums (a warning only: exit 1), max_wal_senders without room for
 * a base backup, a replication connection pg_hba.conf rejects, a password file of mode 0644, a
 * standby of another cluster, a node that does not answer (exit 2).
 */
import { execa } from 'execa';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, labDown, labUp, psql, startNode, stopNode, type LabPair } from '../../scripts/lib/lab';
import { BASE_PATH, BUNDLE } from '../helpers/run';

let pair: LabPair;
let other: LabPair | undefined;
let dir: string;
beforeAll(async () => {
  pair = await labUp();
  dir = mkdtempSync('/tmp/pgsr-test-preflight-');
}, 120_000);
afterAll(async () => {
  if (pair) await labDown(pair);
  if (other) await labDown(other);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Check {
  id: string;
  node: string | null;
  status: 'pass' | 'warn' | 'fail';
  message: string;
  fix: string | null;
}
const nodes = () => [
  '--node',
  `db1=host=127.0.0.1 port=${pair.primary.port}`,
  '--node',
  `db2=host=127.0.0.1 port=${pair.standby.port}`,
];
const run = async (args: string[], env: Record<string, string> = {}) => {
  const r = await execa(process.execPath, [BUNDLE, 'preflight', '-U', 'postgres', '--timeout', '5', ...args], {
    env: { PATH: BASE_PATH, ...env },
    extendEnv: false,
    reject: false,
    timeout: 30_000,
  });
  return { code: r.exitCode, out: r.stdout, err: r.stderr };
};
const json = async (args: string[], env: Record<string, string> = {}) => {
  const r = await run([...args, '--format', 'json'], env);
  expect(r.err).toBe('');
  const checks = (JSON.parse(r.out) as { checks: Check[] }).checks;
  return {
    code: r.code,
    checks,
    not: () =>
      checks
        .filter((c) => c.status !== 'pass')
        .map((c) => `${c.id}:${c.node}:${c.status}`)
        .sort(),
  };
};
const find = (checks: Check[], id: string, node: string | null) => checks.find((c) => c.id === id && c.node === node);
const restart = async (node: LabPair['primary']) => {
  await stopNode(pair, node);
  await startNode(pair, node);
};

describe('pgsr preflight', () => {
  it('a healthy pair: every check passes, exit 0; the text names each check', async () => {
    const r = await json([...nodes(), '--application-name', 'slave']);
    expect(r.not()).toEqual([]);
    expect(r.code).toBe(0);
    const ids = new Set(r.checks.map((c) => c.id));
    for (const id of [
      'wal_level',
      'max_wal_senders',
      'max_replication_slots',
      'hot_standby',
      'pg_rewind',
      'archive',
      'system_identifier',
      'major_version',
      'timeline',
      'replication_connection',
      'application_name',
      'passfile',
    ])
      expect(ids).toContain(id);
    expect(find(r.checks, 'replication_connection', 'db1')?.message).toMatch(
      /as postgres succeeds \(IDENTIFY_SYSTEM: timeline 1\)/,
    );
    const text = await run(nodes());
    expect(text.code).toBe(0);
    expect(text.out.split('\n')[0]).toMatch(/^preflight: \d+ passed, 0 warnings, 0 failed$/);
    expect(text.out).toMatch(/\nPASS\s+max_wal_senders\s+db2\s+max_wal_senders = 10: room for 1 standby/);
  });

  it('neither wal_log_hints nor checksums on the standby: pg_rewind warns with the fix, exit 1', async () => {
    await psql(pair, pair.standby, 'ALTER SYSTEM SET wal_log_hints = off');
    await restart(pair.standby);
    const r = await json(nodes());
    expect(r.not()).toEqual(['pg_rewind:db2:warn']);
    expect(r.code).toBe(1);
    expect(find(r.checks, 'pg_rewind', 'db2')?.fix).toMatch(/ALTER SYSTEM SET wal_log_hints = on/);
    const text = await run(nodes());
    expect(text.out).toMatch(
      /\nWARN\s+pg_rewind\s+db2\s+neither wal_log_hints nor data checksums.*\n\s+fix: ALTER SYSTEM SET wal_log_hints = on/,
    );
  }, 90_000);

  it('max_wal_senders without room for a base backup, a replication connection pg_hba.conf rejects, a world-readable password file: each fails by its id, exit 2', async () => {
    await psql(pair, pair.primary, 'ALTER SYSTEM SET max_wal_senders = 1');
    await restart(pair.primary);
    const hba = join(pair.primary.data, 'pg_hba.conf');
    const before = readFileSync(hba, 'utf8');
    writeFileSync(hba, `host replication all 127.0.0.1/32 reject\n${before}`);
    await psql(pair, pair.primary, 'SELECT pg_reload_conf()');
    const passfile = join(dir, 'pgpass');
    writeFileSync(passfile, `127.0.0.1:*:*:pgsr_pw:${pair.passwordRole.password}\n`);
    chmodSync(passfile, 0o644);
    try {
      const r = await json(nodes(), { PGPASSFILE: passfile });
      expect(r.code).toBe(2);
      expect(r.not()).toEqual([
        'max_wal_senders:db1:fail',
        'passfile:null:fail',
        'pg_rewind:db2:warn',
        'replication_connection:db1:fail',
      ]);
      expect(find(r.checks, 'max_wal_senders', 'db1')).toMatchObject({
        message: expect.stringMatching(/max_wal_senders = 1: 2 needed/),
        fix: expect.stringMatching(/ALTER SYSTEM SET max_wal_senders = 2/),
      });
      expect(find(r.checks, 'replication_connection', 'db1')).toMatchObject({
        message: expect.stringMatching(/as postgres fails: .*pg_hba\.conf rejects/),
        fix: expect.stringMatching(/host replication postgres/),
      });
      expect(find(r.checks, 'passfile', null)).toMatchObject({
        message: `${passfile}: mode 0644: libpq ignores a password file that group or others can read`,
        fix: `chmod 0600 ${passfile}`,
      });
    } finally {
      writeFileSync(hba, before);
      await psql(pair, pair.primary, 'SELECT pg_reload_conf()');
      await psql(pair, pair.primary, 'ALTER SYSTEM RESET max_wal_senders');
      await restart(pair.primary);
    }
  }, 120_000);

  it('a standby of another cluster and a node that does not answer: system_identifier and connection fail, exit 2', async () => {
    other = await labUp();
    const nobody = await freePort();
    const r = await json([
      ...nodes(),
      '--node',
      `db3=host=127.0.0.1 port=${other.standby.port}`,
      '--node',
      `db4=host=127.0.0.1 port=${nobody}`,
    ]);
    expect(r.code).toBe(2);
    expect(find(r.checks, 'system_identifier', 'db3')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/this node was made from another cluster/),
      fix: expect.stringMatching(/pgsr rebuild -D/),
    });
    expect(find(r.checks, 'connection', 'db4')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/refused/i),
    });
    expect(find(r.checks, 'primary', 'db1')?.status).toBe('pass');
    // Three standbys now: max_wal_senders (10) still leaves room on the healthy nodes.
    expect(find(r.checks, 'max_wal_senders', 'db1')?.status).toBe('pass');
  }, 120_000);

  it('Japanese, like every other message; no node given: a one-line error, exit 5', async () => {
    const ja = await execa(process.execPath, [BUNDLE, '--lang', 'ja', 'preflight', '-U', 'postgres', ...nodes()], {
      env: { PATH: BASE_PATH },
      extendEnv: false,
      reject: false,
      timeout: 30_000,
    });
    expect(ja.stdout.split('\n')[0]).toMatch(/^preflight：合格 \d+、警告 1、不合格 0$/);
    expect(ja.stdout).toMatch(/pg_rewind\s+db2\s+wal_log_hints もデータチェックサムも無効です/);
    const none = await run([]);
    expect(none.code).toBe(5);
    expect(none.err.trim()).toMatch(/no node to ask: give --node NAME=CONNINFO/);
  }, 60_000);
});
