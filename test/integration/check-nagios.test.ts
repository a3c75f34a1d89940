/**
 * The Nagios dialect against a real pair: every state, each threshold form, perfdata parsed
 * back by a strict grammar, the timeout rule, and the check_pgsr entry point.
 */
import { execa } from 'execa';
import { chownSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  labDown,
  labUp,
  osUserIds,
  psql,
  runServerCommand,
  startNode,
  stopNode,
  waitFor,
  writeStandbyConfig,
  type LabPair,
} from '../../scripts/lib/lab';
import { parsePluginOutput } from '../helpers/perfdata';
import { BUNDLE, runPgsr } from '../helpers/run';

/** pg_wal's size and its filesystem's free space: the check runs on the servers' host, as root (README wal_disk_space). */
const WAL_PERF = ['wal_bytes', 'wal_free_bytes', 'wal_free_percent'];

let pair: LabPair;
let linkDir: string;
beforeAll(async () => {
  pair = await labUp();
  linkDir = mkdtempSync('/tmp/pgsr-nagios-');
  symlinkSync(BUNDLE, join(linkDir, 'check_pgsr'));
});
afterAll(async () => {
  if (pair) await labDown(pair);
  if (linkDir) rmSync(linkDir, { recursive: true, force: true });
});

const nagios = (port: number, ...extra: string[]) =>
  runPgsr(['check', '--format', 'nagios', '-h', '127.0.0.1', '-p', String(port), ...extra]);
/** Runs the check_pgsr symlink, as Nagios would run a plugin. */
const checkPgsr = (args: string[]) =>
  execa(process.execPath, [join(linkDir, 'check_pgsr'), ...args], {
    reject: false,
    cwd: '/',
    env: { PATH: '/usr/bin:/bin' },
    extendEnv: false,
    timeout: 30_000,
  });

describe('nagios states', () => {
  it('OK standby with typed perfdata', async () => {
    const r = await nagios(pair.standby.port, '--role', 'standby', '-w', '16MB,30s', '-c', 'lag_bytes=1GB');
    expect(r.exitCode).toBe(0);
    const out = parsePluginOutput(r.stdout);
    expect(out.state).toBe('OK');
    expect(out.text).toContain(`standby 127.0.0.1:${pair.standby.port}: streaming from 127.0.0.1:${pair.primary.port}`);
    const byLabel = Object.fromEntries(out.perf.map((p) => [p.label, p]));
    expect(byLabel.replay_lag_bytes).toMatchObject({ uom: 'B', warn: '16777216', crit: '1073741824', min: '0' });
    expect(byLabel.replay_lag_seconds).toMatchObject({ uom: 's', warn: '30' });
    expect(byLabel.silence_seconds.uom).toBe('s');
    expect(out.long).toEqual([]);
  });

  it('primary: one perfdata label per standby, named by application_name', async () => {
    const r = await nagios(pair.primary.port, '--role', 'primary', '--application-name', 'slave');
    expect(r.exitCode).toBe(0);
    const labels = parsePluginOutput(r.stdout).perf.map((p) => p.label);
    expect(labels).toEqual([
      'standbys',
      'slave_replay_lag_bytes',
      'slave_flush_lag_bytes',
      'slave_replay_lag_seconds',
      ...WAL_PERF,
    ]);
  });

  // Replay lag on an idle, caught-up standby is 0 bytes: each range form decides on that value.
  it.each([
    ['10', 0],
    ['10:', 1],
    ['~:10', 0],
    ['1:20', 1],
    ['@0:10', 1],
    ['@5:10', 0],
  ])('-w lag_bytes=%s on a value of 0 gives exit %d', async (range, code) => {
    const r = await nagios(pair.standby.port, '-w', `lag_bytes=${range}`);
    expect(r.exitCode).toBe(code);
    expect(parsePluginOutput(r.stdout).state).toBe(code ? 'WARNING' : 'OK');
  });

  it('critical wins over warning; standbys thresholds on a primary', async () => {
    const r = await nagios(pair.standby.port, '-w', 'lag_bytes=10:', '-c', 'lag_bytes=@0:0');
    expect(r.exitCode).toBe(2);
    expect(parsePluginOutput(r.stdout).state).toBe('CRITICAL');
    const p = await nagios(pair.primary.port, '-w', 'standbys=2:', '-v');
    expect(p.exitCode).toBe(1);
    const out = parsePluginOutput(p.stdout);
    expect(out.perf[0]).toMatchObject({ label: 'standbys', value: 1, warn: '2:', crit: '1:' });
    expect(out.long[0]).toMatch(/^WARNING: too_few_standbys: /);
  });

  it('role mismatch is CRITICAL; a refused connection is CRITICAL', async () => {
    expect((await nagios(pair.primary.port, '--role', 'standby')).exitCode).toBe(2);
    const port = await freePort();
    const r = await nagios(port);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/^PGSR CRITICAL - server 127\.0\.0\.1:\d+: cannot connect/);
  });

  it('bad arguments are UNKNOWN (3), one status line on stdout', async () => {
    for (const args of [['--bogus'], ['-w', 'parsecs=1'], ['-p', 'x'], ['-t', '5:MAYBE']]) {
      const r = await runPgsr(['check', '--format', 'nagios', ...args]);
      expect(r.exitCode).toBe(3);
      expect(r.stdout).toMatch(/^PGSR UNKNOWN - (usage|configuration) error: /);
      expect(r.stdout.split('\n')).toHaveLength(1);
    }
  });

  it('timeout: CRITICAL by default, -t N:STATE chooses, ends within the timeout', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((s) => sockets.push(s));
    await new Promise<void>((res) => silent.listen(0, '127.0.0.1', () => res()));
    const port = (silent.address() as { port: number }).port;
    try {
      const r1 = await nagios(port, '-t', '1');
      expect(r1.exitCode).toBe(2);
      expect(r1.stdout).toContain('no answer within 1.0s');
      expect(r1.ms).toBeLessThan(1000 + 3000);
      expect((await nagios(port, '-t', '1:UNKNOWN')).exitCode).toBe(3);
      expect((await nagios(port, '-t', '1:warning')).exitCode).toBe(1);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });
});

describe('check_pgsr entry point', () => {
  it('answers as a Nagios plugin without --format', async () => {
    const r = await checkPgsr(['-h', '127.0.0.1', '-p', String(pair.standby.port)]);
    expect(r.exitCode).toBe(0);
    expect(parsePluginOutput(r.stdout).state).toBe('OK');
  });
  it('--help and --version exit 3 (UNKNOWN), as monitoring-plugins do', async () => {
    const h = await checkPgsr(['--help']);
    expect(h.exitCode).toBe(3);
    expect(h.stdout).toContain('--warning');
    const v = await checkPgsr(['--version']);
    expect(v.exitCode).toBe(3);
    expect(v.stdout).toMatch(/^check_pgsr \(pgsr\) \d+\.\d+\.\d+$/);
    expect((await runPgsr(['check', '--format', 'nagios', '--help'])).exitCode).toBe(3);
  });
  it('-H/--hostname names the host and -V the version, as monitoring-plugins guidelines say; -h keeps its libpq meaning', async () => {
    const r = await checkPgsr(['-H', '127.0.0.1', '-p', String(pair.standby.port)]);
    expect(r.exitCode).toBe(0);
    expect(parsePluginOutput(r.stdout).text).toContain(`standby 127.0.0.1:${pair.standby.port}`);
    expect(
      (await checkPgsr(['--hostname', '127.0.0.1', '-p', String(pair.primary.port), '--role', 'primary'])).exitCode,
    ).toBe(0);
    const clash = await checkPgsr(['-H', '127.0.0.1', '-h', '/tmp', '-p', String(pair.standby.port)]);
    expect(clash.exitCode).toBe(3);
    expect(clash.stdout).toMatch(
      /^PGSR UNKNOWN - configuration error: -H 127\.0\.0\.1 and -h \/tmp name different hosts/,
    );
    const v = await checkPgsr(['-V']);
    expect(v.exitCode).toBe(3);
    expect(v.stdout).toMatch(/^check_pgsr \(pgsr\) \d+\.\d+\.\d+$/);
    expect((await runPgsr(['check', '--format', 'nagios', '-V'])).stdout).toMatch(/^check_pgsr \(pgsr\) /);
  });
});

describe('what counts as a standby on a real primary', () => {
  it('a running pg_receivewal is not a standby: two standbys required, one present -> CRITICAL; the WAL client is in the facts', async () => {
    const dir = mkdtempSync('/tmp/pgsr-receivewal-');
    const ids = osUserIds(pair.osUser);
    chownSync(dir, ids.uid, ids.gid);
    const recv = execa(
      'runuser',
      [
        '-u',
        pair.osUser,
        '--',
        join(pair.clientBindir, 'pg_receivewal'),
        '-h',
        '127.0.0.1',
        '-p',
        String(pair.primary.port),
        '-U',
        'postgres',
        '-D',
        dir,
        '--no-loop',
      ],
      { reject: false, timeout: 120_000 },
    );
    try {
      const json = async () =>
        JSON.parse(
          (
            await runPgsr([
              'check',
              '--format',
              'json',
              '-h',
              '127.0.0.1',
              '-p',
              String(pair.primary.port),
              '--role',
              'primary',
              '--min-standbys',
              '2',
            ])
          ).stdout,
        ) as {
          exit_code: number;
          findings: Array<{ code: string }>;
          facts: Record<string, unknown>;
          metrics: Array<{ label: string; value: number }>;
        };
      let j = await json();
      for (let i = 0; i < 50 && !j.facts.other_walsenders; i++) {
        await new Promise((r) => setTimeout(r, 200));
        j = await json();
      }
      expect(j.facts.other_walsenders).toMatch(/^pg_receivewal:wal-client:streaming@127\.0\.0\.1$/);
      expect(j.exit_code).toBe(1);
      expect(j.findings.map((f) => f.code)).toEqual(['too_few_standbys']);
      expect(j.metrics.find((m) => m.label === 'standbys')?.value).toBe(1);
      // With the one real standby required, the primary is OK: the WAL client changes nothing.
      expect((await nagios(pair.primary.port, '--role', 'primary', '--application-name', 'slave')).exitCode).toBe(0);
    } finally {
      recv.kill('SIGTERM');
      await recv;
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('two standbys with the same application_name: both judged, perfdata labels unique', async () => {
    const data = join(pair.dir, 'standby2');
    const port = await freePort();
    const node = { name: 'standby' as const, data, port, logFile: join(pair.dir, 'standby2.log') };
    await runServerCommand(
      pair.osUser,
      join(pair.clientBindir, 'pg_basebackup'),
      [
        '-h',
        '127.0.0.1',
        '-p',
        String(pair.primary.port),
        '-U',
        'postgres',
        '-D',
        data,
        '-X',
        'stream',
        '-c',
        'fast',
        '--no-sync',
      ],
      { timeout: 120_000 },
    );
    const conf = readFileSync(join(pair.standby.data, 'pgsr-lab.conf'), 'utf8').replace(
      /^port = \d+$/m,
      `port = ${port}`,
    );
    writeFileSync(join(data, 'pgsr-lab.conf'), conf);
    const ids = osUserIds(pair.osUser);
    chownSync(join(data, 'pgsr-lab.conf'), ids.uid, ids.gid);
    writeStandbyConfig(pair, node);
    await startNode(pair, node);
    try {
      await waitFor(
        'two rows named slave, both streaming',
        async () =>
          (await psql(
            pair,
            pair.primary,
            "SELECT count(*) FROM pg_stat_replication WHERE application_name = 'slave' AND state = 'streaming'",
          )) === '2',
        30_000,
      );
      const r = await nagios(
        pair.primary.port,
        '--role',
        'primary',
        '--application-name',
        'slave',
        '--min-standbys',
        '2',
      );
      expect(r.exitCode, r.stdout).toBe(0);
      const labels = parsePluginOutput(r.stdout).perf.map((p) => p.label);
      expect(labels).toEqual([
        'standbys',
        'slave_replay_lag_bytes',
        'slave_flush_lag_bytes',
        'slave_replay_lag_seconds',
        'slave_2_replay_lag_bytes',
        'slave_2_flush_lag_bytes',
        'slave_2_replay_lag_seconds',
        ...WAL_PERF,
      ]);
      expect(Number(parsePluginOutput(r.stdout).perf.find((p) => p.label === 'standbys')?.value)).toBe(2);
      // One of the two goes down: the one still streaming under the same name does not hide it.
      await stopNode(pair, node, 'fast');
      await waitFor(
        'one row named slave left',
        async () =>
          (await psql(
            pair,
            pair.primary,
            "SELECT count(*) FROM pg_stat_replication WHERE application_name = 'slave'",
          )) === '1',
        30_000,
      );
      const down = await nagios(
        pair.primary.port,
        '--role',
        'primary',
        '--application-name',
        'slave',
        '--min-standbys',
        '2',
      );
      expect(down.exitCode, down.stdout).toBe(2);
      expect(down.stdout.split('\n')[0]).toMatch(
        /^PGSR CRITICAL - primary 127\.0\.0\.1:\d+: 1 streaming standby, at least 2 expected/,
      );
      expect(parsePluginOutput(down.stdout).perf.map((p) => p.label)).toEqual([
        'standbys',
        'slave_replay_lag_bytes',
        'slave_flush_lag_bytes',
        'slave_replay_lag_seconds',
        ...WAL_PERF,
      ]);
    } finally {
      await stopNode(pair, node, 'immediate');
    }
  }, 120_000);
});
