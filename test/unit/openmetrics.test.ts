import { describe, expect, it } from 'vitest';
import type { Observation, ReplicationRow } from '../../src/observation';
import { listenAddress } from '../../src/config/values';
import { renderMetrics } from '../../src/dialect/openmetrics';
import { judge, type CheckPolicy } from '../../src/verdict/check';

const policy: CheckPolicy = {
  expectedRole: 'auto',
  expectedPrimary: {},
  applicationNames: [],
  minStandbys: 1,
  thresholds: { lagBytes: {}, lagSeconds: {}, silenceSeconds: {} },
  replayPausedSeverity: 'warning',
};
const target = { host: '10.0.0.1', port: 5432 };
const row = (r: Partial<ReplicationRow>): ReplicationRow => ({
  pid: 1,
  applicationName: 'slave',
  clientAddr: '10.0.0.2',
  state: 'streaming',
  syncState: 'async',
  sentLsn: null,
  writeLsn: null,
  flushLsn: null,
  replayLsn: null,
  replayLagBytes: 0,
  flushLagBytes: 0,
  writeLagS: null,
  flushLagS: null,
  replayLagS: null,
  replyAgeS: 1.5,
  slotName: null,
  ...r,
});

describe('renderMetrics', () => {
  it('a failed probe: up 0, the failure kind, severity 2 with the expected role', async () => {
    const obs: Observation = {
      ok: false,
      target,
      failure: { kind: 'refused', detail: 'ECONNREFUSED', phase: 'connect' },
      durationMs: 3,
    };
    const text = await renderMetrics(obs, judge(obs, { ...policy, expectedRole: 'standby' }), 'prometheus');
    expect(text).toMatch(/^pgsr_up 0$/m);
    expect(text).toMatch(/^pgsr_probe_failure\{kind="refused"\} 1$/m);
    expect(text).toMatch(/^pgsr_severity\{role="standby"\} 2$/m);
    expect(text).toMatch(/^pgsr_finding\{code="cannot_connect",severity="critical",standby=""\} 1$/m);
    expect(text).not.toMatch(/pgsr_in_recovery/);
  });
  it('a primary: one series per standby with unique names, counters named _total in both formats', async () => {
    const obs: Observation = {
      ok: true,
      target,
      server: { versionNum: 150000, version: '15', inRecovery: false, role: 'primary' },
      durationMs: 4,
      primary: {
        currentLsn: '0/3000000',
        timeline: 2,
        walSenderTimeoutMs: 60000,
        standbys: [row({ pid: 1 }), row({ pid: 2, replayLagBytes: 4096 })],
        otherWalsenders: [],
        slots: [{ name: 's1', active: true, walStatus: 'reserved' }],
        archiver: { archivedCount: 7, failedCount: 2, lastFailedAgeS: 30 },
      },
    };
    const v = judge(obs, policy);
    const text = await renderMetrics(obs, v, 'prometheus');
    expect(text).toMatch(/^pgsr_standby_replay_lag_bytes\{application_name="slave"\} 0$/m);
    expect(text).toMatch(/^pgsr_standby_replay_lag_bytes\{application_name="slave_2"\} 4096$/m);
    expect(text).toMatch(/^pgsr_standbys_streaming 2$/m);
    expect(text).toMatch(/^pgsr_timeline 2$/m);
    expect(text).toMatch(/^pgsr_slot_info\{slot="s1",wal_status="reserved",active="true"\} 1$/m);
    expect(text).toMatch(/^pgsr_archiver_failed_total 2$/m);
    expect(text).toMatch(/^# TYPE pgsr_archiver_failed_total counter$/m);
    const om = await renderMetrics(obs, v, 'openmetrics', {
      checks: 5,
      consecutiveFailures: 0,
      lastCheckMs: 1_700_000_000_000,
    });
    expect(om).toMatch(/^# TYPE pgsr_archiver_failed counter$/m);
    expect(om).toMatch(/^pgsr_archiver_failed_total 2$/m);
    expect(om).toMatch(/^pgsr_watch_checks_total 5$/m);
    expect(om).toMatch(/^pgsr_watch_last_check_timestamp_seconds 1700000000$/m);
    expect(om.trimEnd().endsWith('# EOF')).toBe(true);
  });
});

describe('listenAddress', () => {
  it('takes ADDR:PORT and [v6]:PORT, refuses a bare port or a bad one', () => {
    const p = (value: string) => listenAddress({ value, from: '--metrics-listen' });
    expect(p('127.0.0.1:9187')).toEqual({ host: '127.0.0.1', port: 9187 });
    expect(p('[::1]:9187')).toEqual({ host: '::1', port: 9187 });
    expect(listenAddress(undefined)).toBeUndefined();
    expect(() => p('9187')).toThrow(
      "--metrics-listen: '9187' is not ADDR:PORT (e.g. 127.0.0.1:9630; an address is required)",
    );
    expect(() => p('127.0.0.1:99999')).toThrow('not a port number');
  });
});
