/**
 * CLUSTERPRO EXEC start asks the peer on every start, lock or not (issue: a cleanly stopped old
 * primary has no lock, and the standby may have been promoted meanwhile). Driven as CLUSTERPRO
 * runs it: the installed /usr/share/pgsr/clusterpro/exec/start.sh under `clpsim exec`, against a real pair, with
 * the short PATH CLUSTERPRO gives (no /usr/sbin: runuser must still be found).
 */
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBindir, labDown, labUp, psql, runServerCommand, type LabPair } from '../../scripts/lib/lab';
import { installedCopy } from '../../scripts/lib/installed';
import { CLPSIM_DIR } from '../helpers/run';

let pair: LabPair;
let dir: string;
let bindir: string;
/** Accepts TCP connections and never answers: a peer that cannot be asked (no refusal either). */
let silent: Server;
const held: Socket[] = [];
let silentPort = 0;

interface ExecSummary {
  result: string;
  exit_code: number;
  alerts: Array<{ event_id: number; level: string; message: string; warnings: unknown[] }>;
  alerts_rejected_count: number;
}

/** A start.sh (or stop.sh) reading a config with these extra lines. */
function script(name: 'start' | 'stop', tag: string, extra: string[]): string {
  const conf = join(dir, `exec-${tag}.conf`);
  writeFileSync(
    conf,
    [
      `pgdata = ${pair.primary.data}`,
      `bindir = ${bindir}`,
      'host = 127.0.0.1',
      `port = ${pair.primary.port}`,
      'timeout = 60',
      'fast-timeout = 10',
      ...extra,
      '',
    ].join('\n'),
  );
  // The installed script (the .deb's), copied with only its configuration path changed.
  return installedCopy(`clusterpro/exec/${name}.sh`, dir, { PGSR_CONFIG: conf }, `${name}-${tag}.sh`);
}

let n = 0;
async function clpExec(
  action: 'start' | 'stop',
  scriptPath: string,
  opts: string[] = [],
): Promise<ExecSummary & { log: string; ms: number }> {
  n++;
  const summary = join(dir, `summary-${n}.json`);
  const log = join(dir, `exec-${n}.log`);
  const t0 = Date.now();
  // CLUSTERPRO's PATH has no /usr/sbin (where runuser lives).
  await execa(
    join(CLPSIM_DIR, 'clpsim'),
    [
      'exec',
      action,
      '--script',
      scriptPath,
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
      '--env',
      'PATH=/usr/bin:/bin',
      ...opts,
    ],
    {
      reject: false,
      timeout: 180_000,
      env: { PATH: '/usr/bin:/bin' },
    },
  );
  return {
    ...(JSON.parse(readFileSync(summary, 'utf8')) as ExecSummary),
    log: readFileSync(log, 'utf8'),
    ms: Date.now() - t0,
  };
}

/** The alert text as the operator reads it (clplogcmd's backslash escapes removed). */
const unescape = (m: string) => m.replace(/\\(.)/g, '$1');

const primaryState = async () =>
  (await psql(pair, pair.primary, 'SELECT pg_is_in_recovery()').catch(() => 'down')) as string;
const standbyPeer = () => `peer-conninfo = host=127.0.0.1 port=${pair.standby.port} user=postgres`;

beforeAll(async () => {
  pair = await labUp();
  bindir = await defaultBindir();
  dir = mkdtempSync('/tmp/pgsr-clpsim-peer-');
  silent = createServer((s) => held.push(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  silentPort = (silent.address() as { port: number }).port;
  await runServerCommand(pair.osUser, join(bindir, 'pg_ctl'), ['stop', '-D', pair.primary.data, '-m', 'fast']);
}, 120_000);
afterAll(async () => {
  for (const s of held) s.destroy();
  silent?.close();
  if (pair) await labDown(pair);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('exec start asks --peer-conninfo on every start', () => {
  it('peer unreachable (accepts TCP, never answers): started as primary, with a WARN alert naming the peer', async () => {
    const s = await clpExec(
      'start',
      script('start', 'silent', [`peer-conninfo = host=127.0.0.1 port=${silentPort} user=postgres`]),
    );
    expect(s).toMatchObject({ result: 'success', exit_code: 0, alerts_rejected_count: 0 });
    expect(s.alerts).toHaveLength(1);
    expect(s.alerts[0]).toMatchObject({ event_id: 27, level: 'WARN' });
    expect(unescape(s.alerts[0].message)).toContain(`127.0.0.1:${silentPort}`);
    expect(s.log).toMatch(
      new RegExp(`peer 127\\.0\\.0\\.1:${silentPort} could not be asked .*started as primary anyway`),
    );
    expect(await primaryState()).toBe('f');
    // Bounded: the peer's silence costs at most its 3 s budget, not the run's 60 s.
    expect(s.ms).toBeLessThan(3000 + 10_000);
  }, 60_000);

  it('no peer configured: started, and the log line says the peer was not checked', async () => {
    expect((await clpExec('stop', script('stop', 'plain', []), ['--factor', 'GROUPSTOP'])).log).toContain(
      'stopped (fast, clean shutdown)',
    );
    const s = await clpExec('start', script('start', 'nopeer', []));
    expect(s).toMatchObject({ result: 'success', exit_code: 0 });
    expect(s.alerts[0]).toMatchObject({ event_id: 27, level: 'INFO' });
    expect(s.log).toMatch(
      /pgsr exec start DONE exit=0: started as primary \(PostgreSQL \d+\); no --peer-conninfo: the peer was not checked/,
    );
  }, 60_000);

  it('peer is a standby: started, the log line says so', async () => {
    expect((await clpExec('stop', script('stop', 'plain', []), ['--factor', 'GROUPSTOP'])).result).toBe('success');
    const s = await clpExec('start', script('start', 'standby-peer', [standbyPeer()]));
    expect(s).toMatchObject({ result: 'success', exit_code: 0 });
    expect(s.log).toMatch(/started as primary \(PostgreSQL \d+\); peer 127\.0\.0\.1:\d+ is a standby/);
  }, 60_000);

  it('clean stop, then the standby was promoted: START is refused (no lock needed), ERR alert naming the peer', async () => {
    const stopped = await clpExec('stop', script('stop', 'plain', []), ['--factor', 'GROUPSTOP']);
    expect(stopped.log).toContain('stopped (fast, clean shutdown)');
    await psql(pair, pair.standby, 'SELECT pg_promote()');
    for (const event of ['START', 'FAILOVER', 'RECOVER']) {
      const s = await clpExec('start', script('start', 'standby-peer', [standbyPeer()]), ['--event', event]);
      expect(s).toMatchObject({ result: 'failure', exit_code: 3 });
      expect(s.alerts[0]).toMatchObject({ event_id: 27, level: 'ERR' });
      expect(unescape(s.alerts[0].message)).toContain(`127.0.0.1:${pair.standby.port}`);
      expect(s.log).toContain('answers as a primary');
      expect(await primaryState()).toBe('down');
    }
  }, 90_000);
});
