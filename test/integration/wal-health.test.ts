/**
 * WAL health on a real primary (archive_mode on): archive_command failing (warning, then
 * critical past --archive-failing-critical, cleared by the next success), the `.ready` backlog
 * against its thresholds, an unused physical slot keeping WAL, and pg_wal on a volume of its
 * own (a 256 MiB tmpfs, `initdb -X` style) filled past 90 %; the same check where the data
 * directory cannot be seen (a private mount namespace, as on another host): "not measured".
 * The check run as monitoring users run it: the bundle as a process, JSON, Nagios and CLUSTERPRO.
 */
import { execa } from 'execa';
import { chownSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp, osUserIds, psql, startNode, stopNode, waitFor, type LabPair } from '../../scripts/lib/lab';
import { BASE_PATH, BUNDLE } from '../helpers/run';

let pair: LabPair;
beforeAll(async () => {
  pair = await labUp({ extraConf: ['archive_mode = on', "archive_command = 'false'"] });
}, 120_000);
let walMount = '';
afterAll(async () => {
  // The tmpfs under the lab's directory goes first, with the server that has pg_wal on it.
  if (pair && walMount) await stopNode(pair, pair.primary, 'fast');
  if (walMount) await execa('umount', ['-l', walMount], { reject: false });
  if (pair) await labDown(pair);
});

interface Json {
  severity: string;
  findings: Array<{ code: string; severity: string; message: string; subject?: string }>;
  metrics: Array<{ label: string; value: number }>;
  facts: Record<string, unknown>;
}
const check = async (extra: string[] = [], format = 'json', prefix: string[] = []) => {
  const [file, ...pre] = [...prefix, process.execPath];
  const r = await execa(
    file,
    [
      ...pre,
      BUNDLE,
      'check',
      '--role',
      'primary',
      '-h',
      '127.0.0.1',
      '-p',
      String(pair.primary.port),
      '-U',
      'postgres',
      '--format',
      format,
      '--no-alert',
      ...extra,
    ],
    { env: { PATH: BASE_PATH }, extendEnv: false, reject: false, timeout: 30_000 },
  );
  return { code: r.exitCode, out: r.stdout, json: format === 'json' ? (JSON.parse(r.stdout) as Json) : undefined };
};
const codes = (j?: Json) => (j?.findings ?? []).map((f) => `${f.code}:${f.severity}`);
const segments = async (n: number) => {
  for (let i = 0; i < n; i++)
    await psql(
      pair,
      pair.primary,
      `CREATE TABLE IF NOT EXISTS wh (n int); INSERT INTO wh SELECT generate_series(1, 1000); SELECT pg_switch_wal()`,
    );
};

describe('WAL and archive health on the primary', () => {
  it('archive_command failing: warning naming the WAL file, critical past the bound, the backlog counted; never the command text', async () => {
    await segments(3);
    await waitFor(
      'the archiver to fail',
      async () => Number(await psql(pair, pair.primary, 'SELECT failed_count FROM pg_stat_archiver')) > 0,
      30_000,
    );
    const c = await check();
    expect(codes(c.json)).toContain('archive_failing:warning');
    const f = c.json?.findings.find((x) => x.code === 'archive_failing');
    expect(f?.message).toMatch(/archive_command is failing: [0-9A-F]{24} failed .* ago, nothing archived for/);
    expect(c.out).not.toContain("'false'");
    expect(c.json?.metrics.find((m) => m.label === 'archive_ready')?.value).toBeGreaterThanOrEqual(3);
    const crit = await check(['--archive-failing-critical', '1s', '--archive-ready-warning', '2']);
    expect(codes(crit.json)).toEqual(expect.arrayContaining(['archive_failing:critical', 'archive_backlog:warning']));
    const n = await check(['--archive-ready-warning', '2'], 'nagios');
    expect(n.code).toBe(1);
    expect(n.out).toMatch(/\barchive_ready=\d+;2;128;0\b/);
    // CLUSTERPRO: a warning exits 0 unless --warning-is-error (exit 4: the replication class's warning).
    expect((await check([], 'clusterpro')).code).toBe(0);
  }, 90_000);

  it('a role that may read data_directory but not list archive_status (pg_read_all_settings): the backlog read from the disk here', async () => {
    await psql(pair, pair.primary, 'CREATE ROLE settingsmon LOGIN IN ROLE pg_read_all_settings');
    const r = await execa(
      process.execPath,
      [
        BUNDLE,
        'check',
        '--role',
        'primary',
        '-h',
        '127.0.0.1',
        '-p',
        String(pair.primary.port),
        '-U',
        'settingsmon',
        '--format',
        'json',
        '--no-alert',
      ],
      { env: { PATH: BASE_PATH }, extendEnv: false, reject: false, timeout: 30_000 },
    );
    const j = JSON.parse(r.stdout) as Json;
    expect(j.metrics.find((m) => m.label === 'archive_ready')?.value).toBeGreaterThanOrEqual(3);
    expect(codes(j)).toContain('archive_failing:warning');
  }, 30_000);

  it('a role without pg_monitor: the check still answers (no listing it may not make), the backlog not measured', async () => {
    await psql(pair, pair.primary, 'CREATE ROLE plainmon LOGIN');
    const r = await execa(
      process.execPath,
      [
        BUNDLE,
        'check',
        '--role',
        'primary',
        '-h',
        '127.0.0.1',
        '-p',
        String(pair.primary.port),
        '-U',
        'plainmon',
        '--format',
        'json',
        '--no-alert',
      ],
      { env: { PATH: BASE_PATH }, extendEnv: false, reject: false, timeout: 30_000 },
    );
    const j = JSON.parse(r.stdout) as Json;
    expect(codes(j)).not.toContain('query_failed:critical');
    expect(j.facts.archive_ready).toBe('not measured');
    expect(j.metrics.find((m) => m.label === 'wal_bytes')).toBeUndefined();
  }, 30_000);

  it('the next success clears it, and the backlog drains', async () => {
    await psql(pair, pair.primary, "ALTER SYSTEM SET archive_command = 'true'");
    await psql(pair, pair.primary, 'SELECT pg_reload_conf()');
    await waitFor(
      'the backlog archived',
      async () => {
        const c = await check();
        return (
          !codes(c.json).some((x) => x.startsWith('archive_')) &&
          c.json?.metrics.find((m) => m.label === 'archive_ready')?.value === 0
        );
      },
      60_000,
    );
    expect((await check()).json?.severity).toBe('ok');
  }, 90_000);

  it('an unused physical slot keeping WAL past the threshold: named, with the remedy; dropped, it is gone', async () => {
    await psql(pair, pair.primary, "SELECT pg_create_physical_replication_slot('forgotten', true)");
    await segments(2);
    const c = await check(['--slot-retained-warning', '1MB']);
    const f = c.json?.findings.find((x) => x.code === 'slot_retained_wal');
    expect(f).toMatchObject({ severity: 'warning', subject: 'forgotten' });
    expect(f?.message).toMatch(/replication slot "forgotten" keeps .* of WAL in pg_wal and no standby uses it/);
    expect(c.json?.metrics.find((m) => m.label === 'slot_forgotten_retained_bytes')?.value).toBeGreaterThan(
      1024 * 1024,
    );
    // The default (1 GB) reports nothing for a few MB.
    expect(codes((await check()).json)).not.toContain('slot_retained_wal:warning');
    await psql(pair, pair.primary, "SELECT pg_drop_replication_slot('forgotten')");
    expect(codes((await check(['--slot-retained-warning', '1MB'])).json)).not.toContain('slot_retained_wal:warning');
  }, 60_000);

  it('pg_wal on a volume of its own filled past 90 %: critical naming the volume; below 20 % free a warning; room again: gone', async () => {
    walMount = join(pair.dir, 'walvol');
    mkdirSync(walMount);
    await execa('mount', ['-t', 'tmpfs', '-o', 'size=256m', 'tmpfs', walMount]);
    await stopNode(pair, pair.primary, 'fast');
    const { uid, gid } = osUserIds(pair.osUser);
    await execa('cp', ['-a', join(pair.primary.data, 'pg_wal'), join(walMount, 'pg_wal')]);
    renameSync(join(pair.primary.data, 'pg_wal'), join(pair.dir, 'pg_wal.old'));
    symlinkSync(join(walMount, 'pg_wal'), join(pair.primary.data, 'pg_wal'));
    chownSync(walMount, uid, gid);
    await startNode(pair, pair.primary);
    const healthy = await check();
    expect(codes(healthy.json)).not.toContain('wal_disk_space:warning');
    expect(healthy.json?.facts.wal_volume).toBe(join(walMount, 'pg_wal'));
    expect(healthy.json?.metrics.find((m) => m.label === 'wal_bytes')?.value).toBeGreaterThan(0);
    // Leave about 5 % of the volume free (the server writes nothing meanwhile: no new segment).
    const df = await execa('df', ['-B1', '--output=avail', walMount]);
    const avail = Number(df.stdout.split('\n')[1]);
    writeFileSync(join(walMount, 'filler'), Buffer.alloc(Math.max(0, avail - 13 * 1024 * 1024)));
    const full = await check();
    const f = full.json?.findings.find((x) => x.code === 'wal_disk_space');
    expect(f?.severity).toBe('critical');
    expect(f?.message).toMatch(
      new RegExp(
        `pg_wal's filesystem ${join(walMount, 'pg_wal')} has .* free of 256\\.0 MiB \\([0-9.]+ %\\), below 10 %`,
      ),
    );
    const nagios = await check([], 'nagios');
    expect(nagios.code).toBe(2);
    expect(nagios.out).toMatch(/wal_free_bytes=\d+B;\d+:;\d+:;0/);
    expect(codes((await check(['--wal-free-critical', '1MB'])).json)).toContain('wal_disk_space:warning');
    rmSync(join(walMount, 'filler'));
    expect(codes((await check()).json)).not.toContain('wal_disk_space:critical');
  }, 90_000);

  it('where the data directory cannot be seen (a private mount namespace, as on another host): not measured, never a guess', async () => {
    const hidden = await check([], 'json', [
      'unshare',
      '-m',
      'sh',
      '-c',
      `mount -t tmpfs none '${pair.primary.data}' && exec "$0" "$@"`,
    ]);
    expect(String(hidden.json?.facts.wal_disk_space)).toMatch(/^not measured: .* is not this server's data directory/);
    expect(codes(hidden.json)).not.toContain('wal_disk_space:critical');
    expect(hidden.json?.metrics.find((m) => m.label === 'wal_free_bytes')).toBeUndefined();
  }, 30_000);
});
