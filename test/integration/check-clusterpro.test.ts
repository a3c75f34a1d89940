/**
 * pgsr check in the CLUSTERPRO dialect against a real primary/standby pair, driven as a genw
 * would drive it: the bundle as a child process, cwd /, small environment, the strict fake
 * clplogcmd first on PATH.
 */
import { execa } from 'execa';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  isStreaming,
  labDown,
  labUp,
  psql,
  startNode,
  stopNode,
  waitFor,
  type LabPair,
} from '../../scripts/lib/lab';
import { alerts, runPgsr, sandbox } from '../helpers/run';

let pair: LabPair;
const LINE = /^\d{4}-\d\d-\d\dT[\d:.]+[+-]\d\d:\d\d pgsr (OK|WARNING|CRITICAL|UNKNOWN) exit=\d /;

beforeAll(async () => {
  pair = await labUp();
});
afterAll(async () => {
  if (pair) await labDown(pair);
});

const standbyArgs = () => [
  'check',
  '--format',
  'clusterpro',
  '-h',
  '127.0.0.1',
  '-p',
  String(pair.standby.port),
  '--role',
  'standby',
  '--primary-host',
  '127.0.0.1',
  '--primary-port',
  String(pair.primary.port),
];
const primaryArgs = () => [
  'check',
  '--format',
  'clusterpro',
  '-h',
  '127.0.0.1',
  '-p',
  String(pair.primary.port),
  '--role',
  'primary',
  '--application-name',
  'slave',
  '--sync-state',
  'async',
];
/** A fresh alert/state sandbox for one scenario. */
const fresh = () => sandbox();

describe('healthy pair', () => {
  it('healthy standby: exit 0, one OK line with the key figures, no alert', async () => {
    const s = fresh();
    const r = await runPgsr(standbyArgs(), { sb: s });
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(LINE);
    expect(lines[0]).toContain(
      `pgsr OK exit=0 standby 127.0.0.1:${pair.standby.port}: streaming from 127.0.0.1:${pair.primary.port} on timeline 1`,
    );
    expect(lines[0]).toMatch(/replay_lag_bytes=\d+B replay_lag_seconds=[\d.]+s/);
    expect(lines[0]).toMatch(/timeline=1 received_tli=1 sender=127\.0\.0\.1:\d+ status=streaming/);
    expect(r.stderr).toBe('');
    expect(alerts(s)).toEqual([]);
  });

  it('healthy primary: exit 0, the standby slave streaming async', async () => {
    const s = fresh();
    const r = await runPgsr(primaryArgs(), { sb: s });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(LINE);
    expect(r.stdout).toContain('1 standby streaming (slave:streaming:async)');
    expect(r.stdout).toMatch(/slave_replay_lag_bytes=\d+B/);
    expect(alerts(s)).toEqual([]);
  });

  it('json format prints the documented schema', async () => {
    const r = await runPgsr(
      [...standbyArgs().filter((a) => a !== 'clusterpro' && a !== '--format'), '--format', 'json'],
      { sb: fresh() },
    );
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      schema: 'pgsr.check/1',
      role: 'standby',
      expected_role: 'standby',
      severity: 'ok',
      exit_code: 0,
      findings: [],
    });
    expect(j.facts).toMatchObject({ status: 'streaming', timeline: 1, received_tli: 1 });
    expect(j.metrics.map((m: { label: string }) => m.label)).toEqual(
      expect.arrayContaining(['replay_lag_bytes', 'replay_lag_seconds', 'silence_seconds']),
    );
  });

  it('conninfo string and PG* environment are accepted', async () => {
    const r1 = await runPgsr([
      'check',
      '--format',
      'json',
      '-d',
      `host=127.0.0.1 port=${pair.standby.port} user=postgres dbname=postgres`,
    ]);
    expect(JSON.parse(r1.stdout)).toMatchObject({ role: 'standby', severity: 'ok' });
    const r2 = await runPgsr(['check', '--format', 'json'], {
      env: { PGHOST: '127.0.0.1', PGPORT: String(pair.primary.port), PGUSER: 'postgres' },
    });
    expect(JSON.parse(r2.stdout)).toMatchObject({ role: 'primary', severity: 'ok' });
  });
});

describe('replication faults', () => {
  it('wrong expected sender: exit 1, one ERR alert with event 5, escaped message', async () => {
    const s = fresh();
    const args = standbyArgs();
    args[args.indexOf('--primary-host') + 1] = '192.168.1.10';
    const r = await runPgsr(args, { sb: s });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(
      `CRITICAL exit=1 standby 127.0.0.1:${pair.standby.port}: streaming from 127.0.0.1:${pair.primary.port}, expected 192.168.1.10:${pair.primary.port}`,
    );
    expect(r.stdout).toContain('alert sent: id=5 level=ERR');
    const a = alerts(s);
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ event_id: 5, level: 'ERR', destinations: ['alert'], warnings: [] });
    expect(a[0].message).toContain('expected 192\\.168\\.1\\.10\\:');
  });

  it('role mismatch: the primary checked as a standby is exit 3 (split-brain sign)', async () => {
    const s = fresh();
    const r = await runPgsr(
      ['check', '--format', 'clusterpro', '-h', '127.0.0.1', '-p', String(pair.primary.port), '--role', 'standby'],
      { sb: s },
    );
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toContain('expected a standby but the server is a primary');
    expect(alerts(s)[0]).toMatchObject({ event_id: 3, level: 'ERR' });
  });

  it('replay paused is a warning (exit 0, or 4 with --warning-is-error); lag over threshold is critical', async () => {
    await psql(pair, pair.standby, 'SELECT pg_wal_replay_pause()');
    try {
      const s = fresh();
      const r1 = await runPgsr(standbyArgs(), { sb: s });
      expect(r1.exitCode).toBe(0);
      expect(r1.stdout).toContain('WARNING exit=0');
      expect(r1.stdout).toContain('WAL replay is paused');
      expect(alerts(s)[0]).toMatchObject({ event_id: 7, level: 'WARN' });
      expect((await runPgsr([...standbyArgs(), '--warning-is-error'], { sb: fresh() })).exitCode).toBe(4);
      expect((await runPgsr([...standbyArgs(), '--replay-paused', 'critical'], { sb: fresh() })).exitCode).toBe(1);

      // Write WAL on the primary while replay is paused: received moves, replayed does not.
      await psql(
        pair,
        pair.primary,
        'CREATE TABLE IF NOT EXISTS lagtest AS SELECT g FROM generate_series(1, 50000) g; SELECT pg_switch_wal();',
      );
      await waitFor(
        'standby to receive unreplayed WAL',
        async () =>
          Number(
            await psql(
              pair,
              pair.standby,
              'SELECT pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())',
            ),
          ) >
          1024 * 1024,
      );
      const s2 = fresh();
      const r2 = await runPgsr([...standbyArgs(), '--lag-bytes-warning', '64kB', '--lag-bytes-critical', '1MB'], {
        sb: s2,
      });
      expect(r2.exitCode).toBe(1);
      expect(r2.stdout).toMatch(/CRITICAL exit=1 .*replay lag [\d.]+ MiB \(critical threshold 1MB\)/);
      expect(alerts(s2)[0]).toMatchObject({ event_id: 8, level: 'ERR' });
      // The primary sees the same lag for its standby.
      const r3 = await runPgsr([...primaryArgs(), '--lag-bytes-critical', '1MB'], { sb: fresh() });
      expect(r3.exitCode).toBe(1);
      expect(r3.stdout).toContain('standby "slave" replay lag');
    } finally {
      await psql(pair, pair.standby, 'SELECT pg_wal_replay_resume()');
    }
    await waitFor(
      'replay to catch up',
      async () =>
        Number(
          await psql(pair, pair.standby, 'SELECT pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())'),
        ) === 0,
    );
  });

  it('primary stopped: standby not streaming, alerts once however often it runs, recovery alerts once', async () => {
    const s = fresh();
    expect((await runPgsr(standbyArgs(), { sb: s })).exitCode).toBe(0);
    await stopNode(pair, pair.primary, 'fast');
    try {
      const codes: number[] = [];
      for (let i = 0; i < 3; i++) {
        const r = await runPgsr(standbyArgs(), { sb: s });
        codes.push(r.exitCode);
        expect(r.stdout).toMatch(/CRITICAL exit=1 standby .*(no walreceiver|walreceiver is not streaming)/);
      }
      expect(codes).toEqual([1, 1, 1]);
      const a = alerts(s);
      expect(a).toHaveLength(1);
      expect(a[0]).toMatchObject({ event_id: 4, level: 'ERR', warnings: [] });
      // The primary itself: cannot connect, exit 2 (the seed's psql failure code), with host and port.
      const rp = await runPgsr(primaryArgs(), { sb: fresh() });
      expect(rp.exitCode).toBe(2);
      expect(rp.stdout).toContain(`cannot connect to 127.0.0.1:${pair.primary.port}`);
    } finally {
      await startNode(pair, pair.primary);
    }
    await waitFor('streaming again', () => isStreaming(pair));
    const r = await runPgsr(standbyArgs(), { sb: s });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('alert sent: id=1 level=INFO (recovered)');
    expect((await runPgsr(standbyArgs(), { sb: s })).exitCode).toBe(0);
    const a = alerts(s);
    expect(a.map((x) => [x.event_id, x.level])).toEqual([
      [4, 'ERR'],
      [1, 'INFO'],
    ]);
  });

  it('standby stopped: the primary sees no standby (exit 1, event 4)', async () => {
    const s = fresh();
    await stopNode(pair, pair.standby, 'fast');
    try {
      await waitFor(
        'walsender gone',
        async () => (await psql(pair, pair.primary, 'SELECT count(*) FROM pg_stat_replication')) === '0',
      );
      const r = await runPgsr(primaryArgs(), { sb: s });
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toContain('standby "slave" is not connected');
      expect(alerts(s)[0]).toMatchObject({ event_id: 4, level: 'ERR' });
    } finally {
      await startNode(pair, pair.standby);
    }
    await waitFor('streaming again', () => isStreaming(pair));
  });
});

describe('connection faults', () => {
  it('closed port: exit 2 naming host and port, fast', async () => {
    const port = await freePort();
    const r = await runPgsr(['check', '--format', 'clusterpro', '-h', '127.0.0.1', '-p', String(port), '--no-alert']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toContain(`cannot connect to 127.0.0.1:${port}`);
    expect(r.stdout).toContain('ECONNREFUSED');
    expect(r.stderr).toBe('');
  });

  it('a host that accepts TCP but never answers ends within the timeout (exit 2)', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((sock) => sockets.push(sock));
    await new Promise<void>((res) => silent.listen(0, '127.0.0.1', () => res()));
    const port = (silent.address() as { port: number }).port;
    try {
      const r = await runPgsr([
        'check',
        '--format',
        'clusterpro',
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '--timeout',
        '2',
        '--no-alert',
      ]);
      expect(r.exitCode).toBe(2);
      expect(r.stdout).toContain(`cannot connect to 127.0.0.1:${port}: no answer within 2.0s while connecting`);
      // Contract: the run ends within its timeout plus process start-up slack.
      expect(r.ms).toBeLessThan(2000 + 3000);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  it('wrong password: the server message, exit 2, and the password appears nowhere', async () => {
    const dir = mkdtempSync('/tmp/pgsr-pass-');
    const passfile = join(dir, 'pgpass');
    writeFileSync(passfile, `127.0.0.1:${pair.standby.port}:*:${pair.passwordRole.name}:WrongPassword42\n`, {
      mode: 0o600,
    });
    const s = fresh();
    const r = await runPgsr(
      [
        'check',
        '--format',
        'clusterpro',
        '-h',
        '127.0.0.1',
        '-p',
        String(pair.standby.port),
        '-U',
        pair.passwordRole.name,
      ],
      { sb: s, env: { PGPASSFILE: passfile } },
    );
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toContain(`password authentication failed for user "${pair.passwordRole.name}"`);
    for (const text of [r.stdout, r.stderr, JSON.stringify(alerts(s))]) expect(text).not.toContain('WrongPassword42');
    expect(alerts(s)[0]).toMatchObject({ event_id: 2, level: 'ERR' });
    // The right password from the same kind of file works.
    writeFileSync(
      passfile,
      `127.0.0.1:${pair.standby.port}:*:${pair.passwordRole.name}:${pair.passwordRole.password}\n`,
      { mode: 0o600 },
    );
    const ok = await runPgsr(
      [
        'check',
        '--format',
        'clusterpro',
        '-h',
        '127.0.0.1',
        '-p',
        String(pair.standby.port),
        '-U',
        pair.passwordRole.name,
        '--no-alert',
      ],
      { env: { PGPASSFILE: passfile } },
    );
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).not.toContain(pair.passwordRole.password);
    // libpq's rule: a group- or world-readable password file is ignored, and we say so.
    chmodSync(passfile, 0o644);
    const loose = await runPgsr(
      [
        'check',
        '--format',
        'clusterpro',
        '-h',
        '127.0.0.1',
        '-p',
        String(pair.standby.port),
        '-U',
        pair.passwordRole.name,
        '--no-alert',
      ],
      { env: { PGPASSFILE: passfile } },
    );
    expect(loose.exitCode).toBe(2);
    expect(loose.stdout).toContain('has group or world access');
    rmSync(dir, { recursive: true, force: true });
  });

  // Only meaningful as root (CI and the cluster managers run as root): skipped visibly otherwise.
  it.skipIf(process.getuid?.() !== 0)(
    'as root, authenticates with the --os-user ~/.pgpass (CLUSTERPRO runs monitors as root)',
    async () => {
      const user = `pgsrt${process.pid % 100000}`;
      const home = mkdtempSync('/tmp/pgsr-home-');
      await execa('useradd', ['-M', '-d', home, '-s', '/usr/sbin/nologin', user], { timeout: 10_000 });
      try {
        const ids = (await execa('id', ['-u', user])).stdout.trim();
        const gid = (await execa('id', ['-g', user])).stdout.trim();
        chownSync(home, Number(ids), Number(gid));
        writeFileSync(
          join(home, '.pgpass'),
          `127.0.0.1:*:*:${pair.passwordRole.name}:${pair.passwordRole.password}\n`,
          { mode: 0o600 },
        );
        chownSync(join(home, '.pgpass'), Number(ids), Number(gid));
        const rootHome = mkdtempSync('/tmp/pgsr-roothome-'); // root's own HOME has no .pgpass
        const args = [
          'check',
          '--format',
          'clusterpro',
          '-h',
          '127.0.0.1',
          '-p',
          String(pair.standby.port),
          '-U',
          pair.passwordRole.name,
          '--no-alert',
        ];
        const r = await runPgsr([...args, '--os-user', user], { env: { HOME: rootHome } });
        expect(r.exitCode).toBe(0);
        expect(r.stdout).toContain('pgsr OK exit=0 standby');
        // Without the OS user's file there is no password: a clear connection failure.
        const r2 = await runPgsr([...args, '--os-user', 'nobody'], { env: { HOME: rootHome } });
        expect(r2.exitCode).toBe(2);
        expect(r2.stdout).toContain('none was found (searched');
        rmSync(rootHome, { recursive: true, force: true });
      } finally {
        await execa('userdel', [user], { reject: false, timeout: 10_000 });
        rmSync(home, { recursive: true, force: true });
      }
    },
  );
});

describe('host side: clplogcmd missing, failing or hanging never changes the result', () => {
  const badArgs = () => {
    const a = standbyArgs();
    a[a.indexOf('--primary-host') + 1] = '192.168.1.10';
    return a;
  };
  it('missing clplogcmd: reported on stdout, exit code unchanged', async () => {
    const s = fresh();
    const r = await runPgsr(badArgs(), { sb: s, path: '/usr/bin:/bin' });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('alert not sent: clplogcmd not found');
  });
  it('failing and hanging clplogcmd: reported, bounded by --timeout', async () => {
    const dir = mkdtempSync('/tmp/pgsr-fakecmd-');
    mkdirSync(join(dir, 'fail'));
    mkdirSync(join(dir, 'hang'));
    writeFileSync(join(dir, 'fail', 'clplogcmd'), '#!/bin/sh\necho "clplogcmd: cluster not running" >&2\nexit 3\n', {
      mode: 0o755,
    });
    writeFileSync(join(dir, 'hang', 'clplogcmd'), '#!/bin/sh\nsleep 30\n', { mode: 0o755 });
    const f = await runPgsr(badArgs(), { sb: fresh(), path: `${dir}/fail:/usr/bin:/bin` });
    expect(f.exitCode).toBe(1);
    expect(f.stdout).toContain('alert not sent');
    expect(f.stdout).toContain('exit 3 (clplogcmd: cluster not running)');
    const h = await runPgsr([...badArgs(), '--timeout', '3'], { sb: fresh(), path: `${dir}/hang:/usr/bin:/bin` });
    expect(h.exitCode).toBe(1);
    expect(h.stdout).toMatch(/alert not sent: .*clplogcmd did not finish within/);
    expect(h.ms).toBeLessThan(3000 + 3000);
    rmSync(dir, { recursive: true, force: true });
  });
  it('healthy runs after the first write no state (the unchanged state file is left as it is)', async () => {
    const s = fresh();
    expect((await runPgsr(standbyArgs(), { sb: s })).exitCode).toBe(0);
    const [file] = readdirSync(s.stateDir);
    const before = statSync(join(s.stateDir, file));
    for (let i = 0; i < 2; i++) expect((await runPgsr(standbyArgs(), { sb: s })).exitCode).toBe(0);
    const after = statSync(join(s.stateDir, file));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(readdirSync(s.stateDir)).toEqual([file]);
  });
  it('a read-only state directory is reported, the check still alerts and answers', async () => {
    const s = fresh();
    writeFileSync(s.stateDir, 'not a directory');
    const r = await runPgsr(badArgs(), { sb: s });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('alert sent');
    expect(r.stdout).toContain(`state not saved in ${s.stateDir}`);
  });
});

describe('bad input: one line, configuration exit code 5, no stack trace', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['unknown flag', ['check', '--bogus'], /^pgsr: usage error: unknown option '--bogus'$/],
    [
      'bad number',
      ['check', '--port', 'abc'],
      /^pgsr: configuration error: command line: port: 'abc' is not a port number/,
    ],
    ['bad threshold', ['check', '--lag-bytes-warning', '10 parsecs'], /unknown unit/],
    ['password flag', ['check', '--password', 'x'], /password is never accepted on the command line/],
    [
      'password in conninfo',
      ['check', '-d', 'host=127.0.0.1 password=TopSecret'],
      /password is not accepted in a connection string/,
    ],
    ['malformed conninfo', ['check', '-d', "host='127.0.0.1"], /unterminated quoted string/],
    [
      'missing config file',
      ['check', '--config', '/nonexistent/pgsr.conf'],
      /cannot read config file \/nonexistent\/pgsr.conf: no such file/,
    ],
    ['bad format', ['check', '--format', 'xml'], /argument 'xml' is invalid/],
  ];
  it.each(cases)('%s', async (_name, args, want) => {
    const r = await runPgsr(args);
    expect(r.exitCode).toBe(5);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr.trim()).toMatch(want);
    expect(r.stderr + r.stdout).not.toMatch(/\n\s+at |TopSecret/);
  });
  it('malformed and unreadable config files name the file and line', async () => {
    const dir = mkdtempSync('/tmp/pgsr-conf-');
    const bad = join(dir, 'bad.conf');
    writeFileSync(bad, 'host = 127.0.0.1\nthis is not a setting\n');
    const r = await runPgsr(['check', '--config', bad]);
    expect(r.exitCode).toBe(5);
    expect(r.stderr.trim()).toBe(`pgsr: configuration error: config file ${bad} line 2: expected "key = value"`);
    const unknown = join(dir, 'unknown.conf');
    writeFileSync(unknown, 'hots = 127.0.0.1\n');
    expect((await runPgsr(['check', '--config', unknown])).stderr).toContain('line 1: unknown setting "hots"');
    const r2 = await runPgsr(['check'], { env: { PGSR_CONFIG: dir } });
    expect(r2.exitCode).toBe(5);
    expect(r2.stderr).toContain('is a directory');
    rmSync(dir, { recursive: true, force: true });
  });
  it('a config file drives a complete check', async () => {
    const dir = mkdtempSync('/tmp/pgsr-conf-');
    const conf = join(dir, 'watchstandby.conf');
    writeFileSync(
      conf,
      `# seed 000 genw_watchstandby\nhost = 127.0.0.1\nport = ${pair.standby.port}\nrole = standby\nprimary-host = '127.0.0.1'\nalert = off\n`,
    );
    const r = await runPgsr(['check', '--format', 'clusterpro', '--config', conf]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('pgsr OK exit=0 standby');
    rmSync(dir, { recursive: true, force: true });
  });
});
