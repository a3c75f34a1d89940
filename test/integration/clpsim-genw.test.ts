/**
 * The installed /usr/share/pgsr/clusterpro/genw.sh (the .deb's, running /usr/bin/pgsr) under clpsim, which runs it with CLUSTERPRO's rules (interval,
 * retry, normal return value, daemon-like environment, strict clplogcmd), against a real pair:
 * healthy → normal; primary stopped → abnormal with one alert however many runs; recovery →
 * "recovered to normal" and one INFO alert. The same monitor set up with `lang = ja` raises the
 * same alerts (event IDs, levels) with Japanese texts.
 */
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isStreaming, labDown, labUp, startNode, stopNode, waitFor, type LabPair } from '../../scripts/lib/lab';
import { installedCopy } from '../../scripts/lib/installed';
import { CLPSIM_DIR } from '../helpers/run';

let pair: LabPair;
let dir: string;
let script: string;
let scriptJa: string;

interface Summary {
  runs: number;
  normal: number;
  errors: number;
  timeouts: number;
  abnormal_declarations: number;
  recovered_to_normal: number;
  recoveries: Array<{ action: string; target: string; final_action: string }>;
  exit_codes: Record<string, number>;
  final_state: string;
  alerts: Array<{ message: string; event_id: number; level: string; warnings: unknown[] }>;
  alerts_count: number;
  alerts_rejected_count: number;
}

/** The installed genw.sh as an operator sets it up: a copy with only PGSR_CONFIG changed. */
function installTemplate(conf: string, name = 'genw.sh'): string {
  return installedCopy('clusterpro/genw.sh', dir, { PGSR_CONFIG: conf }, name);
}

async function clpsim(runs: number, tag: string, genw = script): Promise<Summary> {
  const summary = join(dir, `summary-${tag}.json`);
  const r = await execa(
    join(CLPSIM_DIR, 'clpsim'),
    [
      'genw',
      '--name',
      'genw_watchstandby',
      '--script',
      genw,
      '--interval',
      '1',
      '--timeout',
      '30',
      '--retry',
      '1',
      '--recovery-action',
      'final-only',
      '--recovery-target',
      'exec_database',
      '--final-action',
      'none',
      '--runs',
      String(runs),
      '--log-path',
      join(dir, 'genw.log'),
      '--alert-log',
      join(dir, `alerts-${tag}.jsonl`),
      '--summary-json',
      summary,
    ],
    { reject: false, timeout: 120_000, env: { PATH: '/usr/bin:/bin' } },
  );
  if (r.exitCode !== 0 && r.exitCode !== 1) throw new Error(`clpsim failed: ${r.stderr || r.stdout}`);
  return JSON.parse(readFileSync(summary, 'utf8')) as Summary;
}

beforeAll(async () => {
  pair = await labUp();
  dir = mkdtempSync('/tmp/pgsr-clpsim-');
  const conf = join(dir, 'genw_watchstandby.conf');
  writeFileSync(
    conf,
    [
      `host = 127.0.0.1`,
      `port = ${pair.standby.port}`,
      'role = standby',
      'primary-host = 127.0.0.1',
      `primary-port = ${pair.primary.port}`,
      'timeout = 10',
      `state-dir = ${join(dir, 'state')}`,
      '',
    ].join('\n'),
  );
  script = installTemplate(conf);
  const confJa = join(dir, 'genw_watchstandby-ja.conf');
  writeFileSync(
    confJa,
    [
      `host = 127.0.0.1`,
      `port = ${pair.standby.port}`,
      'role = standby',
      'primary-host = 127.0.0.1',
      `primary-port = ${pair.primary.port}`,
      'timeout = 10',
      `state-dir = ${join(dir, 'state-ja')}`,
      'lang = ja',
      '',
    ].join('\n'),
  );
  scriptJa = installTemplate(confJa, 'genw-ja.sh');
});
afterAll(async () => {
  if (pair) await labDown(pair);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('genw.sh under clpsim (synchronous custom monitor)', () => {
  it('healthy standby: every run normal, no alert', async () => {
    const s = await clpsim(3, 'healthy');
    expect(s).toMatchObject({
      runs: 3,
      normal: 3,
      errors: 0,
      timeouts: 0,
      abnormal_declarations: 0,
      final_state: 'normal',
      alerts_count: 0,
      alerts_rejected_count: 0,
    });
    const log = readFileSync(join(dir, 'genw.log'), 'utf8').trim().split('\n');
    expect(log).toHaveLength(3);
    for (const line of log)
      expect(line).toMatch(/pgsr OK exit=0 standby 127\.0\.0\.1:\d+: streaming from 127\.0\.0\.1:\d+ on timeline 1/);
  });

  it('primary stopped: abnormal after retry+1 errors, final action only, exactly one accepted alert', async () => {
    await stopNode(pair, pair.primary, 'fast');
    const s = await clpsim(4, 'broken');
    expect(s).toMatchObject({
      runs: 4,
      normal: 0,
      errors: 4,
      timeouts: 0,
      abnormal_declarations: 2,
      exit_codes: { '1': 4 },
      alerts_count: 1,
      alerts_rejected_count: 0,
    });
    expect(s.recoveries[0]).toMatchObject({ action: 'final', target: 'exec_database', final_action: 'none' });
    expect(s.alerts[0]).toMatchObject({ event_id: 4, level: 'ERR', warnings: [] });
    expect(s.alerts[0].message).toMatch(/^pgsr standby 127\\\.0\\\.0\\\.1\\:\d+ CRITICAL\\: /);
    const ja = await clpsim(2, 'broken-ja', scriptJa);
    expect(ja).toMatchObject({
      runs: 2,
      errors: 2,
      abnormal_declarations: 1,
      exit_codes: { '1': 2 },
      alerts_count: 1,
      alerts_rejected_count: 0,
    });
    expect(ja.alerts[0]).toMatchObject({ event_id: 4, level: 'ERR', warnings: [] });
    expect(ja.alerts[0].message).toMatch(/^pgsr スタンバイ 127\\\.0\\\.0\\\.1\\:\d+ CRITICAL：/);
  });

  it('primary back: recovered to normal and one INFO alert', async () => {
    await startNode(pair, pair.primary);
    await waitFor('streaming again', () => isStreaming(pair));
    const s = await clpsim(2, 'recovered');
    expect(s).toMatchObject({
      runs: 2,
      normal: 2,
      errors: 0,
      final_state: 'normal',
      alerts_count: 1,
      alerts_rejected_count: 0,
    });
    expect(s.alerts[0]).toMatchObject({ event_id: 1, level: 'INFO', warnings: [] });
    const ja = await clpsim(1, 'recovered-ja', scriptJa);
    expect(ja).toMatchObject({ runs: 1, normal: 1, final_state: 'normal', alerts_count: 1, alerts_rejected_count: 0 });
    expect(ja.alerts[0]).toMatchObject({ event_id: 1, level: 'INFO', warnings: [] });
    expect(ja.alerts[0].message).toMatch(/^pgsr スタンバイ 127\\\.0\\\.0\\\.1\\:\d+ 復旧：/);
  });
});
