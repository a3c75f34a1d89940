import { describe, expect, it } from 'vitest';
import {
  EXIT,
  decideAlert,
  escapeForClplogcmd,
  exitCodeFor,
  logLine,
  type AlertState,
} from '../../src/dialect/clusterpro';
import type { Finding, Verdict } from '../../src/verdict/check';

const bytes = (s: string) => new TextEncoder().encode(s).length;

function verdict(severity: Verdict['severity'], findings: Array<Partial<Finding>> = []): Verdict {
  return {
    severity,
    hardness: 'soft',
    target: { host: '192.168.1.3', port: 5432 },
    role: 'standby',
    expectedRole: 'standby',
    summary: findings.length
      ? findings.map((f) => f.message).join('; ')
      : 'streaming from 192.168.1.10:5432 on timeline 1',
    findings: findings.map(
      (f) => ({ code: 'walreceiver_missing', severity, message: 'no walreceiver', ...f }) as Finding,
    ),
    metrics: [{ label: 'replay_lag_bytes', value: 2048, unit: 'B' }],
    facts: { timeline: 1, sender: '192.168.1.10:5432' },
    durationMs: 12,
  };
}

describe('escapeForClplogcmd', () => {
  it('escapes every special character of the manual and replaces %', () => {
    expect(escapeForClplogcmd('a\\b!c"d&e\'f(g)h~i|j;k:l*m<n>o,p.q', 511)).toBe(
      'a\\\\b\\!c\\"d\\&e\\\'f\\(g\\)h\\~i\\|j\\;k\\:l\\*m\\<n\\>o\\,p\\.q',
    );
    expect(escapeForClplogcmd('lag 50%', 511)).toBe('lag 50pct');
    expect(escapeForClplogcmd('two\nlines', 511)).toBe('two lines');
  });
  it('cuts on a character boundary within the byte limit, never inside an escape', () => {
    const jp = 'レプリケーション異常。'.repeat(40); // 3-byte characters and an escaped full stop? (。 is not ASCII)
    for (const limit of [511, 485, 100, 37]) {
      const out = escapeForClplogcmd(jp + '...' + 'x.'.repeat(300), limit);
      expect(bytes(out)).toBeLessThanOrEqual(limit);
      expect(out.endsWith('\\.\\.\\.')).toBe(true);
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(new TextEncoder().encode(out))).not.toThrow();
      // every backslash starts a complete escape
      expect(/(^|[^\\])(\\\\)*\\$/.test(out.slice(0, -6))).toBe(false);
    }
  });
  it('leaves short messages whole', () => {
    expect(escapeForClplogcmd('ok', 511)).toBe('ok');
  });
});

describe('exit codes', () => {
  it.each([
    ['ok', [], false, EXIT.ok],
    ['warning', [{ code: 'replay_paused' }], false, EXIT.ok],
    ['warning', [{ code: 'replay_paused' }], true, EXIT.warning],
    ['critical', [{ code: 'walreceiver_missing' }], false, EXIT.replication],
    ['critical', [{ code: 'cannot_connect' }], false, EXIT.connection],
    ['critical', [{ code: 'role_mismatch' }], false, EXIT.role],
    ['unknown', [{ code: 'unsupported_version' }], false, EXIT.config],
    ['unknown', [{ code: 'query_failed' }], false, EXIT.connection],
  ] as const)('%s %j warningIsError=%s -> %d', (sev, findings, wie, code) => {
    expect(exitCodeFor(verdict(sev, [...findings] as Array<Partial<Finding>>), wie)).toBe(code);
  });
});

describe('log line', () => {
  it('has time, severity, exit, role, target, summary and figures on one line', () => {
    const line = logLine(verdict('ok'), 0, new Date('2026-11-27T05:00:00Z'));
    expect(line).toMatch(
      /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d pgsr OK exit=0 standby 192\.168\.1\.3:5432: streaming from 192\.168\.1\.10:5432 on timeline 1 \| replay_lag_bytes=2\.0KiB timeline=1 sender=192\.168\.1\.10:5432 duration=12ms$/,
    );
    expect(line).not.toContain('\n');
  });
});

describe('decideAlert: once per change, recovery once, optional reminder', () => {
  const t0 = 1_000_000;
  it('first OK run: no alert', () => {
    expect(decideAlert(undefined, verdict('ok'), t0, 0).alert).toBeUndefined();
  });
  it('an OK run after an OK state returns that state itself (nothing to write)', () => {
    const first = decideAlert(undefined, verdict('ok'), t0, 0).next;
    expect(decideAlert(first, verdict('ok'), t0 + 60_000, 0)).toEqual({ next: first });
    expect(decideAlert(first, verdict('ok'), t0 + 60_000, 0).next).toBe(first);
  });
  it('failure alerts once, then stays quiet, then recovery alerts INFO once', () => {
    const bad = verdict('critical', [{ code: 'walreceiver_missing', message: 'no walreceiver' }]);
    const d1 = decideAlert(undefined, bad, t0, 0);
    expect(d1.alert).toMatchObject({ level: 'ERR', eventId: 4, reason: 'new-state' });
    expect(d1.alert?.message).toBe('pgsr standby 192.168.1.3:5432 CRITICAL: no walreceiver');
    const d2 = decideAlert(d1.next, bad, t0 + 60_000, 0);
    expect(d2.alert).toBeUndefined();
    const d3 = decideAlert(d2.next, verdict('ok'), t0 + 120_000, 0);
    expect(d3.alert).toMatchObject({ level: 'INFO', eventId: 1, reason: 'recovered' });
    expect(decideAlert(d3.next, verdict('ok'), t0 + 180_000, 0).alert).toBeUndefined();
  });
  it('a different problem is a new state', () => {
    const a = decideAlert(undefined, verdict('critical', [{ code: 'walreceiver_missing' }]), t0, 0);
    const b = decideAlert(
      a.next,
      verdict('critical', [{ code: 'sender_mismatch', message: 'wrong sender' }]),
      t0 + 1000,
      0,
    );
    expect(b.alert).toMatchObject({ eventId: 5, reason: 'new-state' });
    const w = decideAlert(b.next, verdict('warning', [{ code: 'replay_paused', message: 'paused' }]), t0 + 2000, 0);
    expect(w.alert).toMatchObject({ level: 'WARN', eventId: 7 });
  });
  it('reminds after the interval', () => {
    const bad = verdict('critical', [{ code: 'walreceiver_missing' }]);
    const d1 = decideAlert(undefined, bad, t0, 300);
    expect(decideAlert(d1.next, bad, t0 + 299_000, 300).alert).toBeUndefined();
    const d3 = decideAlert(d1.next, bad, t0 + 300_000, 300);
    expect(d3.alert?.reason).toBe('reminder');
    expect(decideAlert(d3.next, bad, t0 + 400_000, 300).alert).toBeUndefined();
  });
  it('state carries what it needs', () => {
    const d = decideAlert(undefined, verdict('critical', [{ code: 'walreceiver_missing' }]), t0, 0);
    expect(d.next).toEqual<AlertState>({
      severity: 'critical',
      signature: 'walreceiver_missing',
      alertedAt: t0,
      since: t0,
    });
  });
});
