/**
 * Progress of a rebuild's copy, as an operator and a cluster manager's log see it: a standby of
 * a database of a few hundred MB rebuilt by pg_basebackup (--max-rate 64M: a few seconds), without a terminal (plain progress
 * lines on stderr: the first, each 10 % step at most, 100 % last) and under a pseudo-terminal
 * (`script`: one line redrawn in place).
 */
import { execa } from 'execa';
import { appendFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, labDown, labUp, psql, runServerCommand, stopNode, type LabPair } from '../../scripts/lib/lab';
import { BASE_PATH, BUNDLE } from '../helpers/run';

let pair: LabPair;
beforeAll(async () => {
  pair = await labUp();
  // About 300 MB of heap: the copy takes a few seconds, long enough for several reports.
  await psql(
    pair,
    pair.primary,
    "CREATE TABLE big AS SELECT g, repeat('x', 200) AS pad FROM generate_series(1, 1200000) g",
    { timeoutMs: 120_000 },
  );
}, 180_000);
afterAll(async () => {
  if (!pair) return;
  for (const d of readdirSync(dirname(pair.standby.data)).filter(
    (n) => n.includes('.pgsr-old-') || n.includes('.pgsr-new-'),
  ))
    rmSync(join(dirname(pair.standby.data), d), { recursive: true, force: true });
  await labDown(pair);
});

// A stopped standby (a rebuild of a running, streaming one is refused as already done).
const lose = () => stopNode(pair, pair.standby);
const args = () => [
  BUNDLE,
  'rebuild',
  '-D',
  pair.standby.data,
  '--bindir',
  pair.bindir,
  '--method',
  'basebackup',
  '--max-rate',
  '64M',
  '--from',
  `host=127.0.0.1 port=${pair.primary.port} user=postgres application_name=slave`,
  '--timeout',
  '240',
];
const PROGRESS = /^pg_basebackup: (\d+)% [\d.]+ [KMG]?i?B \/ [\d.]+ [KMG]?i?B, [\d.]+ [KMG]?i?B\/s(, ETA [\d.]+ s)?$/;

describe('rebuild progress', () => {
  it('without a terminal: plain progress lines on stderr, percent rising to 100, the JSON result alone on stdout', async () => {
    await lose();
    const r = await execa(process.execPath, [...args(), '--format', 'json'], {
      env: { PATH: BASE_PATH },
      extendEnv: false,
      reject: false,
      timeout: 280_000,
    });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { outcome: string }).outcome).toBe('done');
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('pg_basebackup: '));
    expect(lines.length, r.stderr).toBeGreaterThanOrEqual(2);
    for (const l of lines) expect(l).toMatch(PROGRESS);
    const pct = lines.map((l) => Number(PROGRESS.exec(l)?.[1]));
    expect(pct).toEqual([...pct].sort((a, b) => a - b));
    expect(pct.at(-1)).toBe(100);
    // At most one line per 10 % step (plus one per 10 s): a log is not flooded.
    expect(lines.length).toBeLessThanOrEqual(11 + Math.ceil(r.durationMs / 10_000));
    expect(r.stderr).not.toMatch(/\r/);
  }, 300_000);

  it('under a pseudo-terminal: one line redrawn in place', async () => {
    await lose();
    const cmd = [process.execPath, ...args(), '--format', 'text'].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    const r = await execa('script', ['-q', '-e', '-c', cmd, '/dev/null'], {
      env: { PATH: BASE_PATH, TERM: 'xterm' },
      extendEnv: false,
      reject: false,
      timeout: 280_000,
    });
    expect(r.exitCode, r.stdout).toBe(0);
    const redraws = r.stdout.split('\r\x1b[K').slice(1);
    expect(redraws.length, r.stdout).toBeGreaterThanOrEqual(2);
    expect(redraws.at(-1)).toMatch(/^pg_basebackup: 100% /);
  }, 300_000);

  it("a start that waits (a copy without its WAL, the primary unreachable): every 10 s it says it waits and the server log's last line", async () => {
    const dir = join(pair.dir, 'nowal');
    await runServerCommand(pair.osUser, join(pair.bindir, 'pg_basebackup'), [
      '-h',
      '127.0.0.1',
      '-p',
      String(pair.primary.port),
      '-U',
      'postgres',
      '-D',
      dir,
      '-X',
      'none',
      '-c',
      'fast',
      '--no-sync',
    ]);
    const port = await freePort();
    appendFileSync(join(dir, 'postgresql.auto.conf'), `port = ${port}\n`);
    const nobody = await freePort();
    const r = await execa(
      process.execPath,
      [
        BUNDLE,
        'start',
        '-D',
        dir,
        '--bindir',
        pair.bindir,
        '--as',
        'standby',
        '--primary-conninfo',
        `host=127.0.0.1 port=${nobody} user=postgres application_name=nowal`,
        '--timeout',
        '24',
        '--format',
        'text',
      ],
      { env: { PATH: BASE_PATH }, extendEnv: false, reject: false, timeout: 60_000 },
    );
    await runServerCommand(pair.osUser, join(pair.bindir, 'pg_ctl'), ['-D', dir, '-m', 'immediate', 'stop'], {
      reject: false,
    });
    expect(r.exitCode, r.stdout).toBe(1);
    const waits = r.stderr.split('\n').filter((l) => l.startsWith('pg_ctl start: waiting'));
    expect(waits.length, r.stderr).toBeGreaterThanOrEqual(1);
    expect(waits[0]).toMatch(
      /^pg_ctl start: waiting for the server to accept connections: 1\d s; server log: .*(could not connect|Connection refused|WAL)/,
    );
  }, 90_000);
});
