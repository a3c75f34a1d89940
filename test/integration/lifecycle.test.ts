/**
 * The lifecycle commands on real pairs, on the machine's PostgreSQL (15) and on 11 (the
 * reference system's major: recovery.conf, recovery.done). The full cycle of seed 000 7.2:
 * primary down -> promote the standby (writable, timeline +1) -> the former primary refuses to
 * start (lock) -> rebuild it from the new primary -> the pair streams again -> switchover back.
 * Also: promote refused while the old primary is alive, idempotent repeats, stop escalation,
 * archive hold/resume round trip, wrong --pgdata and missing binaries.
 */
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBindir, labDown, labUp, psql, runServerCommand, waitFor, type LabPair } from '../../scripts/lib/lab';
import { installMajor } from '../../scripts/lib/pgversions';
import { runPgsr } from '../helpers/run';

interface Action {
  outcome: string;
  exit_code: number;
  summary: string;
  reasons: string[];
  steps: Array<{ step: string; status: string; detail?: string }>;
  facts: Record<string, unknown>;
}

async function pgsr(
  args: string[],
  timeoutMs = 120_000,
  env?: Record<string, string>,
): Promise<Action & { code: number; ms: number }> {
  const r = await runPgsr([...args, '--format', 'json'], { timeoutMs, env });
  let j: Action;
  try {
    j = JSON.parse(r.stdout.split('\n').at(-1) ?? '') as Action;
  } catch {
    throw new Error(`not JSON (exit ${r.exitCode}): ${r.stdout} ${r.stderr}`);
  }
  expect(j.exit_code).toBe(r.exitCode);
  return { ...j, code: r.exitCode, ms: r.ms };
}

const conninfo = (port: number) => `host=127.0.0.1 port=${port} user=postgres application_name=slave`;

for (const major of [15, 11]) {
  describe(`lifecycle on PostgreSQL ${major}`, () => {
    let pair: LabPair;
    let bindir: string;
    let P: string;
    let S: string;
    beforeAll(async () => {
      bindir = major === 15 ? await defaultBindir() : await installMajor(major);
      pair = await labUp({ bindir });
      expect(pair.major).toBe(major);
      P = pair.primary.data;
      S = pair.standby.data;
    });
    afterAll(async () => {
      if (!pair) return;
      for (const d of readdirSync(dirname(P)).filter((n) => n.includes('.pgsr-old-')))
        rmSync(join(dirname(P), d), { recursive: true, force: true });
      await labDown(pair);
    });
    const B = () => ['--bindir', bindir];

    it('start/stop are idempotent; starting as primary under pgsr creates the lock', async () => {
      const s1 = await pgsr(['stop', '-D', P, ...B()]);
      expect(s1).toMatchObject({ code: 0, outcome: 'done', facts: { clean: true } });
      expect((await pgsr(['stop', '-D', P, ...B()])).outcome).toBe('already');
      const st = await pgsr(['start', '-D', P, '--as', 'primary', ...B()]);
      expect(st).toMatchObject({
        code: 0,
        outcome: 'done',
        summary: `started as primary (PostgreSQL ${major}); no --peer-conninfo: the peer was not checked`,
      });
      expect(existsSync(join(P, 'pgsr.primary.lock'))).toBe(true);
      expect((await pgsr(['start', '-D', P, '--as', 'primary', ...B()])).outcome).toBe('already');
      expect((await pgsr(['start', '-D', S, ...B()])).summary).toBe('already running as standby');
      await waitFor(
        'streaming',
        async () => (await psql(pair, pair.standby, 'SELECT status FROM pg_stat_wal_receiver')) === 'streaming',
      );
    });

    it('promote is refused while the old primary is alive; --dry-run only plans', async () => {
      const r = await pgsr(['promote', '-D', S, ...B(), '--primary-conninfo', conninfo(pair.primary.port)]);
      expect(r).toMatchObject({ code: 3, outcome: 'refused' });
      expect(r.reasons.join(' ')).toMatch(/split brain/);
      const d = await pgsr(['promote', '-D', S, ...B(), '--dry-run', '--force']);
      expect(d).toMatchObject({ code: 0, outcome: 'planned' });
      expect(await psql(pair, pair.standby, 'SELECT pg_is_in_recovery()')).toBe('t');
    });

    it('primary crash -> promote: writable on a new timeline, post-promote command run, idempotent', async () => {
      await runServerCommand(pair.osUser, join(bindir, 'pg_ctl'), ['stop', '-D', P, '-m', 'immediate']);
      const marker = join(mkdtempSync('/tmp/pgsr-post-'), 'ran');
      const r = await pgsr([
        'promote',
        '-D',
        S,
        ...B(),
        '--primary-conninfo',
        conninfo(pair.primary.port),
        '--post-promote-command',
        `touch ${marker}`,
      ]);
      expect(r).toMatchObject({ code: 0, outcome: 'done', facts: { timeline_before: 1, timeline_after: 2 } });
      expect(r.summary).toMatch(
        /^promoted: timeline 1 -> 2, last replayed [0-9A-F]+\/[0-9A-F]+, writable after \d+ ms; post-promote command ok$/,
      );
      expect(existsSync(marker)).toBe(true);
      await psql(pair, pair.standby, 'CREATE TABLE after_failover (id int); INSERT INTO after_failover VALUES (42);');
      if (major <= 11) expect(existsSync(join(S, 'recovery.done'))).toBe(true);
      expect(existsSync(join(S, 'pgsr.primary.lock'))).toBe(true);
      expect((await pgsr(['promote', '-D', S, ...B()])).outcome).toBe('already');
    });

    it('the former primary refuses to start in either role while its lock is there', async () => {
      const a = await pgsr(['start', '-D', P, '--as', 'primary', ...B()]);
      expect(a).toMatchObject({ code: 3, outcome: 'refused' });
      expect(a.summary).toMatch(/ran as primary and was not stopped cleanly/);
      const b = await pgsr([
        'start',
        '-D',
        P,
        '--as',
        'standby',
        '--primary-conninfo',
        conninfo(pair.standby.port),
        ...B(),
      ]);
      expect(b).toMatchObject({ code: 3, outcome: 'refused' });
    });

    it('rebuild from the new primary: streams again, keeps its own configuration, idempotent', async () => {
      const r = await pgsr(['rebuild', '-D', P, ...B(), '--from', conninfo(pair.standby.port)], 300_000);
      expect(r).toMatchObject({ code: 0, outcome: 'done' });
      // pg_rewind needs the major's own pg_rewind: the machine's 15 has it, the npm package for 11 does not.
      expect(r.facts.method).toBe(major === 15 ? 'pg_rewind' : 'pg_basebackup');
      expect(existsSync(join(P, 'pgsr.primary.lock'))).toBe(false);
      expect(readFileSync(join(P, 'pgsr-lab.conf'), 'utf8')).toContain(`port = ${pair.primary.port}`);
      if (major <= 11) expect(readFileSync(join(P, 'recovery.conf'), 'utf8')).toContain(`port=${pair.standby.port}`);
      else expect(existsSync(join(P, 'standby.signal'))).toBe(true);
      await waitFor(
        'the row on the rebuilt standby',
        async () => (await psql(pair, pair.primary, 'SELECT id FROM after_failover')) === '42',
      );
      expect(
        await psql(pair, pair.standby, "SELECT state FROM pg_stat_replication WHERE application_name = 'slave'"),
      ).toBe('streaming');
      expect((await pgsr(['rebuild', '-D', P, ...B(), '--from', conninfo(pair.standby.port)])).outcome).toBe('already');
    });

    it('switchover back: no rebuild, timeline +1, both streaming', async () => {
      const r = await pgsr(
        ['switchover', '-D', S, '--standby-pgdata', P, ...B(), '--primary-conninfo', conninfo(pair.primary.port)],
        300_000,
      );
      expect(r).toMatchObject({ code: 0, outcome: 'done' });
      expect(await psql(pair, pair.primary, 'SELECT pg_is_in_recovery()')).toBe('f');
      expect(await psql(pair, pair.standby, 'SELECT status FROM pg_stat_wal_receiver')).toBe('streaming');
      expect(
        await psql(
          pair,
          pair.primary,
          "SELECT ('x' || substr(pg_walfile_name(pg_current_wal_lsn()), 1, 8))::bit(32)::int",
        ),
      ).toBe('3');
      expect(existsSync(join(S, 'pgsr.primary.lock'))).toBe(false);
      expect(
        (
          await pgsr([
            'switchover',
            '-D',
            S,
            '--standby-pgdata',
            P,
            ...B(),
            '--primary-conninfo',
            conninfo(pair.primary.port),
          ])
        ).outcome,
      ).toBe('already');
    });

    it('rebuild by pg_basebackup into a new directory, the old one moved aside', async () => {
      await pgsr(['stop', '-D', S, ...B()]);
      const r = await pgsr(
        ['rebuild', '-D', S, ...B(), '--method', 'basebackup', '--from', conninfo(pair.primary.port)],
        300_000,
      );
      expect(r).toMatchObject({ code: 0, outcome: 'done', facts: { method: 'pg_basebackup' } });
      const old = String(r.facts.old_data);
      expect(old).toMatch(/\.pgsr-old-\d{8}T\d{6}$/);
      expect(existsSync(join(old, 'PG_VERSION'))).toBe(true);
      expect(await psql(pair, pair.standby, 'SELECT status FROM pg_stat_wal_receiver')).toBe('streaming');
    });

    it('archive hold/resume restores the exact previous archive_command', async () => {
      const value = "cp %p '/archive dir/%f' && echo 'it''s' > /dev/null";
      await psql(
        pair,
        pair.primary,
        `ALTER SYSTEM SET archive_command = '${value.replace(/'/g, "''")}'; SELECT pg_reload_conf();`,
      );
      const args = ['-h', '127.0.0.1', '-p', String(pair.primary.port)];
      const h = await pgsr(['archive', 'hold', ...args]);
      expect(h).toMatchObject({ code: 0, outcome: 'done' });
      // The command may carry credentials: JSON names it as such; summaries (log lines, alerts) never carry it.
      expect(h.facts.archive_command_sensitive).toBe(value);
      expect(h.summary).not.toContain('/archive dir/');
      expect((await pgsr(['archive', 'hold', ...args])).outcome).toBe('already');
      const st = await pgsr(['archive', 'status', ...args]);
      expect(st.summary).toMatch(/^HELD/);
      expect(st.summary).not.toContain('/archive dir/');
      const clp = await runPgsr(['archive', 'status', ...args, '--format', 'clusterpro', '--no-alert']);
      expect(clp.stdout).toMatch(/pgsr archive status DONE/);
      expect(clp.stdout).not.toContain('/archive dir/');
      expect(st.facts).toMatchObject({ held: true, ready_count: 0 });
      expect((await pgsr(['archive', 'resume', ...args])).outcome).toBe('done');
      expect(
        await psql(
          pair,
          pair.primary,
          "SELECT setting FROM pg_file_settings WHERE name = 'archive_command' ORDER BY seqno DESC LIMIT 1",
        ),
      ).toBe(value);
      expect((await pgsr(['archive', 'resume', ...args])).outcome).toBe('already');
      // A value from postgresql.conf (not ALTER SYSTEM) comes back as a RESET, not a copy.
      await psql(pair, pair.primary, 'ALTER SYSTEM RESET archive_command; SELECT pg_reload_conf();');
      await pgsr(['archive', 'hold', ...args]);
      await pgsr(['archive', 'resume', ...args]);
      expect(readFileSync(join(P, 'postgresql.auto.conf'), 'utf8')).not.toMatch(/archive_command/);
      expect((await pgsr(['archive', 'hold', '-h', '127.0.0.1', '-p', String(pair.standby.port)])).code).toBe(3);
    });

    it('wrong --pgdata and missing binaries: one line, configuration exit code 5', async () => {
      for (const args of [
        ['start', '-D', '/nonexistent/data'],
        ['stop', '-D', '/tmp'],
        ['promote'],
        ['start', '-D', P, '--bindir', '/nonexistent/bin'],
      ]) {
        const r = await runPgsr(args);
        expect(r.exitCode).toBe(5);
        expect(r.stderr.trim().split('\n')).toHaveLength(1);
        expect(r.stderr).toMatch(/^pgsr: configuration error: /);
      }
    });
  });
}

describe('stop escalation (PostgreSQL 15)', () => {
  let pair: LabPair;
  beforeAll(async () => {
    pair = await labUp();
  });
  afterAll(async () => {
    if (pair) await labDown(pair);
  });
  it('a SIGSTOPped backend blocks fast shutdown: pgsr escalates to immediate, within its bounds', async () => {
    const client = execa(
      'psql',
      [
        '-X',
        '-h',
        '127.0.0.1',
        '-p',
        String(pair.primary.port),
        '-U',
        'postgres',
        '-c',
        'BEGIN; SELECT pg_sleep(600);',
      ],
      { reject: false, timeout: 120_000 },
    );
    let pid = '';
    await waitFor(
      'the sleeping backend',
      async () =>
        (pid = await psql(
          pair,
          pair.primary,
          "SELECT pid FROM pg_stat_activity WHERE query LIKE '%pg_sleep(600)%' AND pid <> pg_backend_pid()",
        )) !== '',
    );
    process.kill(Number(pid), 'SIGSTOP');
    try {
      const t0 = Date.now();
      const r = await pgsr(['stop', '-D', pair.primary.data, '--fast-timeout', '2', '--timeout', '40']);
      expect(r).toMatchObject({ code: 0, outcome: 'done', facts: { clean: false } });
      expect(r.summary).toMatch(/immediate after fast did not finish/);
      expect(r.steps.map((s) => [s.step, s.status])).toEqual([
        ['pg_ctl stop -m fast', 'failed'],
        ['pg_ctl stop -m immediate', 'done'],
      ]);
      expect(Date.now() - t0).toBeLessThan(40_000 + 5000);
      expect((await pgsr(['stop', '-D', pair.primary.data])).outcome).toBe('already');
    } finally {
      try {
        process.kill(Number(pid), 'SIGCONT');
      } catch {
        // already gone with the server
      }
      client.kill();
    }
  });
});

describe('switchover never leaves the pair without a primary (PostgreSQL 15)', () => {
  let pair: LabPair;
  let bindir: string;
  beforeAll(async () => {
    pair = await labUp();
    bindir = await defaultBindir();
  });
  afterAll(async () => {
    if (pair) await labDown(pair);
  });
  const args = (extra: string[] = []) => [
    'switchover',
    '-D',
    pair.primary.data,
    '--standby-pgdata',
    pair.standby.data,
    '--bindir',
    bindir,
    '--primary-conninfo',
    conninfo(pair.standby.port),
    ...extra,
  ];

  it("any libpq keyword in --primary-conninfo is written as given and the standby streams; pgsr's own connection names what it cannot honour", async () => {
    const ci = `host=127.0.0.1 port=${pair.primary.port} user=postgres application_name=slave keepalives=1 keepalives_idle=10 tcp_user_timeout=10000 target_session_attrs=read-write`;
    expect((await pgsr(['stop', '-D', pair.standby.data, '--bindir', bindir])).outcome).toBe('done');
    const st = await pgsr([
      'start',
      '-D',
      pair.standby.data,
      '--bindir',
      bindir,
      '--as',
      'standby',
      '--primary-conninfo',
      ci,
    ]);
    expect(st).toMatchObject({ code: 0, outcome: 'done' });
    expect(readFileSync(join(pair.standby.data, 'postgresql.auto.conf'), 'utf8')).toContain(
      'tcp_user_timeout=10000 target_session_attrs=read-write',
    );
    await waitFor(
      'the standby streaming with that conninfo',
      async () => (await psql(pair, pair.standby, 'SELECT status FROM pg_stat_wal_receiver')) === 'streaming',
      30_000,
    );
    const own = await runPgsr([
      'check',
      '--format',
      'clusterpro',
      '-d',
      `host=127.0.0.1 port=${pair.standby.port} keepalives=1 keepalives_idle=5`,
      '--no-alert',
    ]);
    expect(own.exitCode).toBe(0);
    const bad = await runPgsr([
      'check',
      '--format',
      'clusterpro',
      '-d',
      `host=127.0.0.1 port=${pair.standby.port} tcp_user_timeout=5000`,
      '--no-alert',
    ]);
    expect(bad.exitCode).toBe(5);
    expect(bad.stderr.trim()).toMatch(
      /^pgsr: configuration error: --dbname: connection option "tcp_user_timeout" is valid for libpq, but pgsr's own connection \(node-postgres\) cannot honour it/,
    );
  }, 90_000);

  it('rebuild authenticates pg_basebackup with the credentials the check uses (PGPASSWORD, handed over in a private password file)', async () => {
    const role = 'pgsr_repl';
    const password = `repl-${Math.random().toString(36).slice(2, 10)}`;
    await psql(pair, pair.primary, `CREATE ROLE ${role} LOGIN REPLICATION PASSWORD '${password}'`);
    const pgpass = join(
      String(execFileSync('getent', ['passwd', pair.osUser], { encoding: 'utf8' })).split(':')[5],
      '.pgpass',
    );
    const pgpassBefore = existsSync(pgpass) ? readFileSync(pgpass, 'utf8') : undefined;
    const hba = join(pair.primary.data, 'pg_hba.conf');
    const before = readFileSync(hba, 'utf8');
    writeFileSync(
      hba,
      `host replication ${role} 127.0.0.1/32 scram-sha-256\nhost all ${role} 127.0.0.1/32 scram-sha-256\n${before}`,
    );
    await psql(pair, pair.primary, 'SELECT pg_reload_conf()');
    try {
      const from = `host=127.0.0.1 port=${pair.primary.port} user=${role} dbname=postgres`;
      // A stopped standby (a streaming one would already be what rebuild makes).
      expect((await pgsr(['stop', '-D', pair.standby.data, '--bindir', bindir])).outcome).toBe('done');
      // The walreceiver authenticates as that role too (scram): the password reaches it through
      // the OS user's ~/.pgpass (added, mode 0600), never postgresql.auto.conf.
      const upstream = `host=127.0.0.1 port=${pair.primary.port} user=${role} application_name=${pair.applicationName}`;
      const r = await pgsr(
        [
          'rebuild',
          '-D',
          pair.standby.data,
          '--bindir',
          bindir,
          '--method',
          'basebackup',
          '--discard-old',
          '--from',
          from,
          '--primary-conninfo',
          upstream,
          '--timeout',
          '120',
        ],
        180_000,
        { PGPASSWORD: password },
      );
      expect(r).toMatchObject({ code: 0, outcome: 'done', facts: { method: 'pg_basebackup' } });
      expect(r.steps.find((x) => x.step === 'password file entry for the walreceiver')).toMatchObject({
        status: 'done',
        detail: pgpass,
      });
      expect(await psql(pair, pair.standby, 'SELECT status FROM pg_stat_wal_receiver')).toBe('streaming');
      expect(readFileSync(pgpass, 'utf8')).toContain(`127.0.0.1:${pair.primary.port}:*:${role}:${password}\n`);
      expect(statSync(pgpass).mode & 0o777).toBe(0o600);
      expect(readFileSync(join(pair.standby.data, 'postgresql.auto.conf'), 'utf8')).not.toContain(password);
      // The private password file is gone afterwards.
      expect(readdirSync('/tmp').filter((d) => d.startsWith('pgsr-pass-'))).toEqual([]);
    } finally {
      if (pgpassBefore === undefined) rmSync(pgpass, { force: true });
      else writeFileSync(pgpass, pgpassBefore);
      writeFileSync(hba, before);
      await psql(pair, pair.primary, 'SELECT pg_reload_conf()');
    }
  }, 200_000);

  it("rebuild whose primary_conninfo cannot authenticate fails within seconds naming the walreceiver's error, not at its timeout", async () => {
    const role = 'pgsr_repl_nopass';
    await psql(
      pair,
      pair.primary,
      `CREATE ROLE ${role} LOGIN REPLICATION PASSWORD 'not-given-${Math.random().toString(36).slice(2, 8)}'`,
    );
    const hba = join(pair.primary.data, 'pg_hba.conf');
    const before = readFileSync(hba, 'utf8');
    writeFileSync(hba, `host replication ${role} 127.0.0.1/32 scram-sha-256\n${before}`);
    await psql(pair, pair.primary, 'SELECT pg_reload_conf()');
    try {
      expect((await pgsr(['stop', '-D', pair.standby.data, '--bindir', bindir])).outcome).toBe('done');
      const t0 = Date.now();
      const bad = `host=127.0.0.1 port=${pair.primary.port} user=${role} application_name=${pair.applicationName}`;
      const r = await pgsr(
        [
          'rebuild',
          '-D',
          pair.standby.data,
          '--bindir',
          bindir,
          '--method',
          'basebackup',
          '--discard-old',
          '--from',
          conninfo(pair.primary.port),
          '--primary-conninfo',
          bad,
          '--timeout',
          '120',
        ],
        180_000,
      );
      const took = (Date.now() - t0) / 1000;
      expect(r).toMatchObject({ code: 1, outcome: 'failed' });
      expect(r.summary).toMatch(
        /walreceiver failed 3 times in a row: .*(no password supplied|password authentication failed)/,
      );
      expect(r.summary).toContain('.pgpass');
      // Three attempts 5 s apart (wal_retrieve_retry_interval's default) and the copy: far below the 120 s timeout.
      expect(took).toBeLessThan(60);
    } finally {
      writeFileSync(hba, before);
      await psql(pair, pair.primary, 'SELECT pg_reload_conf()');
    }
    expect((await pgsr(['stop', '-D', pair.standby.data, '--bindir', bindir])).outcome).toBe('done');
    expect(
      (
        await pgsr([
          'start',
          '-D',
          pair.standby.data,
          '--bindir',
          bindir,
          '--as',
          'standby',
          '--primary-conninfo',
          conninfo(pair.primary.port),
        ])
      ).outcome,
    ).toBe('done');
    await waitFor(
      'the standby streaming again',
      async () => (await psql(pair, pair.standby, 'SELECT status FROM pg_stat_wal_receiver')) === 'streaming',
      30_000,
    );
  }, 200_000);

  it('the promote fails after the clean stop (a role that may not run pg_promote): rolled back, the old primary is primary again', async () => {
    // pg_monitor but not superuser: everything else works, pg_promote() is refused by the server.
    const r = await pgsr(args(['-U', pair.passwordRole.name, '--timeout', '90']), 120_000, {
      PGPASSWORD: pair.passwordRole.password,
    });
    expect(r).toMatchObject({ code: 1, outcome: 'failed', facts: { rolled_back: true } });
    expect(r.summary).toMatch(
      /^promote failed: .*permission denied for function pg_promote.*; rolled back: the old primary .* runs as primary again; standby NOT promoted$/,
    );
    expect(r.steps.map((x) => [x.step, x.status])).toEqual([
      ['CHECKPOINT on the primary', 'skipped'],
      ['terminate client sessions', 'done'],
      ['stop the primary (fast only)', 'done'],
      ['wait until the standby received the shutdown checkpoint', 'done'],
      ['promote the standby', 'failed'],
      ['roll back: start the old primary as primary', 'done'],
    ]);
    expect(await psql(pair, pair.primary, 'SELECT pg_is_in_recovery()')).toBe('f');
    expect(await psql(pair, pair.standby, 'SELECT pg_is_in_recovery()')).toBe('t');
    await waitFor(
      'the standby streaming from the old primary again',
      async () => (await psql(pair, pair.standby, 'SELECT status FROM pg_stat_wal_receiver')) === 'streaming',
      30_000,
    );
  }, 150_000);

  it('a client session that does not respond (SIGSTOPped backend): drained before the point of no return; the switchover aborts with the old primary still taking writes, the standby not promoted', async () => {
    const client = execa(
      'psql',
      [
        '-X',
        '-h',
        '127.0.0.1',
        '-p',
        String(pair.primary.port),
        '-U',
        'postgres',
        '-c',
        'BEGIN; SELECT pg_sleep(600);',
      ],
      { reject: false, timeout: 120_000 },
    );
    let pid = '';
    await waitFor(
      'the sleeping backend',
      async () =>
        (pid = await psql(
          pair,
          pair.primary,
          "SELECT pid FROM pg_stat_activity WHERE query LIKE '%pg_sleep(600)%' AND pid <> pg_backend_pid()",
        )) !== '',
    );
    const postmaster = readFileSync(join(pair.primary.data, 'postmaster.pid'), 'utf8').split('\n')[0];
    process.kill(Number(pid), 'SIGSTOP');
    try {
      const r = await pgsr(args(['--fast-timeout', '2', '--timeout', '60']), 120_000);
      expect(r).toMatchObject({ code: 1, outcome: 'failed' });
      expect(r.summary).toBe(
        `client session(s) ${pid} did not end within 2 s of pg_terminate_backend (a stopped or stuck process?): switchover aborted before the shutdown; the primary still accepts writes, standby NOT promoted`,
      );
      expect(r.steps.map((x) => [x.step, x.status])).toEqual([
        ['CHECKPOINT on the primary', 'done'],
        ['terminate client sessions', 'failed'],
      ]);
      // Never stopped: the same postmaster, and it takes a write at once.
      expect(readFileSync(join(pair.primary.data, 'postmaster.pid'), 'utf8').split('\n')[0]).toBe(postmaster);
      expect(
        await psql(
          pair,
          pair.primary,
          'CREATE TABLE IF NOT EXISTS drained (n int); INSERT INTO drained VALUES (1); SELECT pg_is_in_recovery()',
        ),
      ).toBe('f');
      expect(await psql(pair, pair.standby, 'SELECT pg_is_in_recovery()')).toBe('t');
    } finally {
      process.kill(Number(pid), 'SIGCONT');
      client.kill();
    }
    // Woken, the terminated session ends (its SIGTERM was waiting).
    await waitFor(
      'the session gone',
      async () => (await psql(pair, pair.primary, `SELECT count(*) FROM pg_stat_activity WHERE pid = ${pid}`)) === '0',
      10_000,
    );
  }, 150_000);

  it('the old primary does not stop in time after the shutdown was signalled (its walsender SIGSTOPped): no immediate stop, standby not promoted, the old primary primary again', async () => {
    // Walsenders are not drained (the standby must receive the shutdown checkpoint): a stopped
    // one holds the fast shutdown, which is the late path after the point of no return.
    const pid = await psql(pair, pair.primary, "SELECT pid FROM pg_stat_activity WHERE backend_type = 'walsender'");
    expect(pid).toMatch(/^\d+$/);
    process.kill(Number(pid), 'SIGSTOP');
    // The walsender wakes up 8 s later, while pgsr waits for the shutdown it cannot call back.
    const wake = setTimeout(() => {
      try {
        process.kill(Number(pid), 'SIGCONT');
      } catch {
        // gone
      }
    }, 8000);
    try {
      const r = await pgsr(args(['--fast-timeout', '2', '--timeout', '60']), 120_000);
      expect(r).toMatchObject({ code: 1, outcome: 'failed', facts: { rolled_back: true } });
      expect(r.summary).toMatch(
        /^the primary did not stop cleanly in time \(fast shutdown did not finish within 2 s \(not escalated to immediate\)\); rolled back: .* runs as primary again; standby NOT promoted$/,
      );
      expect(r.steps.some((x) => /immediate/.test(x.step))).toBe(false);
      expect(r.steps.some((x) => x.step === 'promote the standby')).toBe(false);
      expect(r.steps.find((x) => x.step === 'the fast shutdown finished late')?.detail).toBe(
        'pg_controldata: shut down',
      );
      expect(await psql(pair, pair.primary, 'SELECT pg_is_in_recovery()')).toBe('f');
      expect(await psql(pair, pair.standby, 'SELECT pg_is_in_recovery()')).toBe('t');
      // A clean (fast) shutdown completed: no crash recovery, nothing lost.
      expect(readFileSync(join(pair.primary.data, 'pgsr-postmaster.log'), 'utf8')).not.toMatch(
        /database system was interrupted/,
      );
    } finally {
      clearTimeout(wake);
      try {
        process.kill(Number(pid), 'SIGCONT');
      } catch {
        // gone
      }
    }
  }, 150_000);
});
