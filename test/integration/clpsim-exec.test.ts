/**
 * The installed /usr/share/pgsr/clusterpro/exec/start.sh and stop.sh under `clpsim exec`, which runs them with the
 * CLP_* variables of a CLUSTERPRO EXEC resource, against a real pair.
 */
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBindir, labDown, labUp, psql, runServerCommand, waitFor, type LabPair } from '../../scripts/lib/lab';
import { installedCopy } from '../../scripts/lib/installed';
import { CLPSIM_DIR } from '../helpers/run';

let pair: LabPair;
let dir: string;
let bindir: string;
const scripts: Record<string, string> = {};

interface ExecSummary {
  result: string;
  exit_code: number;
  env: Record<string, string>;
  alerts: Array<{ event_id: number; level: string; message: string; warnings: unknown[] }>;
  alerts_rejected_count: number;
}

beforeAll(async () => {
  pair = await labUp();
  bindir = await defaultBindir();
  dir = mkdtempSync('/tmp/pgsr-clpsim-exec-');
  const conf = join(dir, 'exec_database.conf');
  writeFileSync(
    conf,
    [
      `pgdata = ${pair.primary.data}`,
      `bindir = ${bindir}`,
      'host = 127.0.0.1',
      `port = ${pair.primary.port}`,
      `peer-conninfo = host=127.0.0.1 port=${pair.standby.port} user=postgres`,
      'timeout = 60',
      'fast-timeout = 10',
      '',
    ].join('\n'),
  );
  for (const name of ['start', 'stop']) {
    // The installed script (the .deb's), copied with only its configuration path changed.
    scripts[name] = installedCopy(`clusterpro/exec/${name}.sh`, dir, { PGSR_CONFIG: conf });
  }
  // The cluster starts the group: PostgreSQL is not running yet.
  await runServerCommand(pair.osUser, join(bindir, 'pg_ctl'), ['stop', '-D', pair.primary.data, '-m', 'fast']);
});
afterAll(async () => {
  if (pair) await labDown(pair);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let n = 0;
async function clpExec(action: 'start' | 'stop', opts: string[]): Promise<ExecSummary & { log: string }> {
  n++;
  const summary = join(dir, `summary-${n}.json`);
  const log = join(dir, `exec-${n}.log`);
  await execa(
    join(CLPSIM_DIR, 'clpsim'),
    [
      'exec',
      action,
      '--script',
      scripts[action],
      '--name',
      'exec_database',
      '--group',
      'failover_primary',
      '--timeout',
      '120',
      '--log-path',
      log,
      '--alert-log',
      join(dir, `alerts-${n}.jsonl`),
      '--summary-json',
      summary,
      ...opts,
    ],
    {
      reject: false,
      timeout: 180_000,
      env: { PATH: '/usr/bin:/bin' },
    },
  );
  return { ...(JSON.parse(readFileSync(summary, 'utf8')) as ExecSummary), log: readFileSync(log, 'utf8') };
}

const running = async () =>
  (await psql(pair, pair.primary, 'SELECT pg_is_in_recovery()').catch(() => 'down')) as string;

describe('EXEC resource start.sh / stop.sh under clpsim', () => {
  it('no CLP_EVENT (not run by the cluster): refused, nothing started', async () => {
    const s = await clpExec('start', ['--unset', 'CLP_EVENT']);
    expect(s).toMatchObject({ result: 'failure', exit_code: 3, alerts_rejected_count: 0 });
    expect(s.log).toContain('CLP_EVENT is not set');
    expect(await running()).toBe('down');
  });

  it('CLP_DISK=FAILURE: refused, nothing started', async () => {
    const s = await clpExec('start', ['--event', 'START', '--disk', 'FAILURE']);
    expect(s).toMatchObject({ result: 'failure', exit_code: 3 });
    expect(s.log).toContain('CLP_DISK=FAILURE');
    expect(await running()).toBe('down');
  });

  it('START: PostgreSQL started as primary, INFO alert; RECOVER repeats it idempotently', async () => {
    const s = await clpExec('start', ['--event', 'START']);
    expect(s).toMatchObject({ result: 'success', exit_code: 0, alerts_rejected_count: 0 });
    expect(s.log).toMatch(
      /pgsr exec start: CLP_EVENT=START CLP_DISK=SUCCESS CLP_SERVER=HOME group=failover_primary resource=exec_database/,
    );
    expect(s.alerts[0]).toMatchObject({ event_id: 27, level: 'INFO', warnings: [] });
    expect(await running()).toBe('f');
    const again = await clpExec('start', ['--event', 'RECOVER']);
    expect(again).toMatchObject({ result: 'success', exit_code: 0 });
    expect(again.log).toContain('already running as primary');
  });

  it('stop (GROUPSTOP): clean stop, lock cleared; repeated stop is success', async () => {
    const s = await clpExec('stop', ['--event', 'START', '--factor', 'GROUPSTOP']);
    expect(s).toMatchObject({ result: 'success', exit_code: 0 });
    expect(s.log).toContain('CLP_FACTOR=GROUPSTOP');
    expect(s.log).toContain('stopped (fast, clean shutdown)');
    expect((await clpExec('stop', ['--event', 'START', '--factor', 'GROUPSTOP'])).log).toContain('already stopped');
  });

  it('FAILOVER after a crash: the lock is expected; the peer standby is not a primary, so start goes on', async () => {
    expect((await clpExec('start', ['--event', 'START'])).result).toBe('success');
    await runServerCommand(pair.osUser, join(bindir, 'pg_ctl'), ['stop', '-D', pair.primary.data, '-m', 'immediate']);
    const s = await clpExec('start', ['--event', 'FAILOVER', '--server', 'OTHER']);
    expect(s).toMatchObject({ result: 'success', exit_code: 0 });
    expect(s.log).toMatch(
      /remove the primary lock: CLUSTERPRO FAILOVER: peer 127\.0\.0\.1:\d+ is standby, not a primary=done/,
    );
    expect(await running()).toBe('f');
  });

  it('a standby EXEC resource whose primary_conninfo has no application_name: the standby is named after its CLUSTERPRO server (host) name', async () => {
    const conf = join(dir, 'exec_standby.conf');
    writeFileSync(
      conf,
      [
        `pgdata = ${pair.standby.data}`,
        `bindir = ${bindir}`,
        'as = standby',
        'host = 127.0.0.1',
        `port = ${pair.standby.port}`,
        `primary-conninfo = host=127.0.0.1 port=${pair.primary.port} user=postgres`,
        'timeout = 60',
        '',
      ].join('\n'),
    );
    const script = installedCopy('clusterpro/exec/start.sh', dir, { PGSR_CONFIG: conf }, 'start-standby.sh');
    await runServerCommand(pair.osUser, join(bindir, 'pg_ctl'), ['stop', '-D', pair.standby.data, '-m', 'fast']);
    const summary = join(dir, 'summary-standby.json');
    const log = join(dir, 'exec-standby.log');
    await execa(
      join(CLPSIM_DIR, 'clpsim'),
      [
        'exec',
        'start',
        '--script',
        script,
        '--name',
        'exec_standby',
        '--group',
        'failover_standby',
        '--server-name',
        'primary02',
        '--timeout',
        '120',
        '--log-path',
        log,
        '--alert-log',
        join(dir, 'alerts-standby.jsonl'),
        '--summary-json',
        summary,
      ],
      { reject: false, timeout: 180_000, env: { PATH: '/usr/bin:/bin' } },
    );
    expect(JSON.parse(readFileSync(summary, 'utf8'))).toMatchObject({ result: 'success', exit_code: 0 });
    expect(readFileSync(join(pair.standby.data, 'postgresql.auto.conf'), 'utf8')).toContain(
      `primary_conninfo = 'host=127.0.0.1 port=${pair.primary.port} user=postgres application_name=''primary02'''`,
    );
    await waitFor(
      'primary02 streaming',
      async () =>
        (await psql(
          pair,
          pair.primary,
          "SELECT state FROM pg_stat_replication WHERE application_name = 'primary02'",
        )) === 'streaming',
    );
  });

  it('FAILOVER after a crash when the standby was promoted meanwhile: refused (split brain)', async () => {
    await runServerCommand(pair.osUser, join(bindir, 'pg_ctl'), ['stop', '-D', pair.primary.data, '-m', 'immediate']);
    await psql(pair, pair.standby, 'SELECT pg_promote()');
    const s = await clpExec('start', ['--event', 'FAILOVER', '--server', 'OTHER']);
    expect(s).toMatchObject({ result: 'failure', exit_code: 3 });
    expect(s.alerts[0]).toMatchObject({ level: 'ERR', event_id: 27, warnings: [] });
    // The peer is asked first, on every start: it answers as a primary.
    expect(s.log).toMatch(
      /peer 127\.0\.0\.1:\d+ answers as a primary: starting this node as primary too would make two primaries \(split brain\)/,
    );
    expect(await running()).toBe('down');
  });
});
