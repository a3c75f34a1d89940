import { describe, expect, it } from 'vitest';
import { NAGIOS_EXIT, perfItem, perfLabel, perfRange, renderNagios } from '../../src/dialect/nagios';
import type { Verdict } from '../../src/verdict/check';
import { parseRange } from '../../src/range';
import { parsePerfdata, parsePluginOutput } from '../helpers/perfdata';

const base: Verdict = {
  severity: 'ok',
  hardness: 'soft',
  target: { host: '10.0.0.2', port: 5432 },
  role: 'primary',
  expectedRole: 'auto',
  summary: '2 standbys streaming (a|b)',
  findings: [],
  metrics: [
    { label: 'standbys', value: 2, unit: '', critical: '1:', min: 0 },
    { label: "my app's replay_lag_bytes", value: 1048576, unit: 'B', warning: '16MB', critical: '1GB', min: 0 },
    { label: 'x_replay_lag_seconds', value: 0.25, unit: 's', warning: '~:30s', min: 0 },
  ],
  facts: {},
  durationMs: 3,
};

describe('nagios rendering', () => {
  it('status line with perfdata that a strict grammar accepts', () => {
    const r = renderNagios(base, { timeoutState: 'critical', verbosity: 0 });
    expect(r.exitCode).toBe(0);
    expect(r.lines).toHaveLength(1);
    const out = parsePluginOutput(r.lines[0]);
    expect(out.state).toBe('OK');
    expect(out.text).toBe('primary 10.0.0.2:5432: 2 standbys streaming (a/b)');
    expect(out.perf).toEqual([
      { label: 'standbys', value: 2, uom: '', warn: '', crit: '1:', min: '0', max: '' },
      {
        label: "my app's replay_lag_bytes",
        value: 1048576,
        uom: 'B',
        warn: '16777216',
        crit: '1073741824',
        min: '0',
        max: '',
      },
      { label: 'x_replay_lag_seconds', value: 0.25, uom: 's', warn: '~:30', crit: '', min: '0', max: '' },
    ]);
  });
  it('ranges in base units', () => {
    expect(perfRange(parseRange('10', 'count'))).toBe('10');
    expect(perfRange(parseRange('10:', 'count'))).toBe('10:');
    expect(perfRange(parseRange('~:10', 'count'))).toBe('~:10');
    expect(perfRange(parseRange('@1kB:2kB', 'bytes'))).toBe('@1024:2048');
    expect(perfRange(parseRange('1min', 'seconds'))).toBe('60');
  });
  it('labels are quoted when needed', () => {
    expect(perfLabel('slave_lag')).toBe('slave_lag');
    expect(perfLabel('my app')).toBe("'my app'");
    expect(perfLabel("it's")).toBe("'it''s'");
    expect(perfItem({ label: 'a=b', value: 1, unit: '' })).toBe("'a=b'=1");
  });
  it('states and the timeout rule', () => {
    const timeout: Verdict = {
      ...base,
      severity: 'critical',
      metrics: [],
      findings: [{ code: 'cannot_connect', severity: 'critical', message: 'no answer', value: 'timeout' }],
    };
    expect(renderNagios(timeout, { timeoutState: 'critical', verbosity: 0 }).exitCode).toBe(2);
    expect(renderNagios(timeout, { timeoutState: 'unknown', verbosity: 0 }).exitCode).toBe(3);
    expect(renderNagios(timeout, { timeoutState: 'warning', verbosity: 0 }).lines[0]).toMatch(/^PGSR WARNING - /);
    const refused: Verdict = { ...timeout, findings: [{ ...timeout.findings[0], value: 'refused' }] };
    expect(renderNagios(refused, { timeoutState: 'unknown', verbosity: 0 }).exitCode).toBe(2);
    expect(NAGIOS_EXIT).toEqual({ ok: 0, warning: 1, critical: 2, unknown: 3 });
  });
  it('verbosity adds long output lines', () => {
    const v: Verdict = {
      ...base,
      severity: 'warning',
      findings: [{ code: 'replay_paused', severity: 'warning', message: 'WAL replay is paused' }],
      facts: { timeline: 2 },
    };
    expect(renderNagios(v, { timeoutState: 'critical', verbosity: 0 }).lines).toHaveLength(1);
    expect(renderNagios(v, { timeoutState: 'critical', verbosity: 1 }).lines[1]).toBe(
      'WARNING: replay_paused: WAL replay is paused',
    );
    expect(renderNagios(v, { timeoutState: 'critical', verbosity: 2 }).lines).toContain('timeline: 2');
  });
  it('the grammar rejects malformed perfdata', () => {
    expect(() => parsePerfdata('a=1B;;;;;')).toThrow();
    expect(() => parsePerfdata('a b=1')).toThrow();
    expect(() => parsePerfdata('a=1MiB')).toThrow();
    expect(() => parsePerfdata('a=1e5')).toThrow();
  });
});
