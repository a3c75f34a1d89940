/**
 * The installed /usr/share/pgsr/clusterpro/genw-watch.sh under clpsim's asynchronous custom monitor: it keeps
 * running while healthy and stops cleanly on SIGTERM; when the primary stops it exits after
 * fail-after checks, clpsim declares the monitor abnormal and restarts it, and the restarted
 * process does not alert the same problem again (state file).
 */
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp, startNode, stopNode, type LabPair } from '../../scripts/lib/lab';
import { installedCopy } from '../../scripts/lib/installed';
import { CLPSIM_DIR } from '../helpers/run';

let pair: LabPair;
let dir: string;
let script: string;

beforeAll(async () => {
  pair = await labUp();
  dir = mkdtempSync('/tmp/pgsr-clpsim-async-');
  const conf = join(dir, 'watch.conf');
  writeFileSync(
    conf,
    [
      `host = 127.0.0.1`,
      `port = ${pair.standby.port}`,
      'role = standby',
      'primary-host = 127.0.0.1',
      'interval = 0.5',
      'heartbeat = 0',
      'fail-after = 2',
      `state-dir = ${join(dir, 'state')}`,
      '',
    ].join('\n'),
  );
  // The installed script (the .deb's), copied with only its configuration path changed.
  script = installedCopy('clusterpro/genw-watch.sh', dir, { PGSR_CONFIG: conf });
});
afterAll(async () => {
  if (pair) await labDown(pair);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function clpsimAsync(durationS: number, tag: string) {
  const summary = join(dir, `summary-${tag}.json`);
  await execa(
    join(CLPSIM_DIR, 'clpsim'),
    [
      'genw',
      '--type',
      'async',
      '--name',
      'genw_watchstandby',
      '--script',
      script,
      '--interval',
      '1',
      '--retry',
      '0',
      '--recovery-action',
      'final-only',
      '--recovery-target',
      'exec_database',
      '--final-action',
      'none',
      '--duration',
      String(durationS),
      '--stop-grace',
      '5',
      '--log-path',
      join(dir, `genw-${tag}.log`),
      '--alert-log',
      join(dir, `alerts-${tag}.jsonl`),
      '--summary-json',
      summary,
    ],
    { reject: false, timeout: 120_000, env: { PATH: '/usr/bin:/bin' } },
  );
  return JSON.parse(readFileSync(summary, 'utf8')) as {
    runs: number;
    checks: number;
    errors: number;
    abnormal_declarations: number;
    alerts_count: number;
    alerts_rejected_count: number;
    alerts: Array<{ event_id: number; level: string }>;
  };
}

describe('genw-watch.sh under clpsim (asynchronous custom monitor)', () => {
  it('healthy: one process for the whole run, no error, no alert, clean stop', async () => {
    const s = await clpsimAsync(4, 'healthy');
    expect(s).toMatchObject({
      runs: 1,
      errors: 0,
      abnormal_declarations: 0,
      alerts_count: 0,
      alerts_rejected_count: 0,
    });
    expect(s.checks).toBeGreaterThanOrEqual(3);
    const log = readFileSync(join(dir, 'genw-healthy.log'), 'utf8');
    expect(log).toMatch(/pgsr watch started/);
    expect(log).toMatch(/pgsr OK exit=0 standby/);
    expect(log).toMatch(/pgsr watch stopped by SIGTERM/);
  });

  it('primary stopped: the process exits, the monitor goes abnormal and restarts it; one alert in all', async () => {
    await stopNode(pair, pair.primary, 'fast');
    try {
      const s = await clpsimAsync(6, 'broken');
      expect(s.abnormal_declarations).toBeGreaterThanOrEqual(1);
      expect(s.runs).toBeGreaterThanOrEqual(2); // restarted after the recovery action
      expect(s.alerts_count).toBe(1);
      expect(s.alerts[0]).toMatchObject({ event_id: 4, level: 'ERR' });
      expect(readFileSync(join(dir, 'genw-broken.log'), 'utf8')).toContain(
        'pgsr watch exiting: 2 consecutive failed checks (exit 1)',
      );
    } finally {
      await startNode(pair, pair.primary);
    }
  });
});
