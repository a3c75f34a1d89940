import { describe, expect, it } from 'vitest';
import { parseQuantity, parseRange, rangeAlerts, thresholdSeverity } from '../../src/range';

describe('parseQuantity', () => {
  it.each([
    ['0', 'bytes', 0],
    ['16MB', 'bytes', 16 * 1024 * 1024],
    ['16mb', 'bytes', 16 * 1024 * 1024],
    ['1.5kB', 'bytes', 1536],
    ['512B', 'bytes', 512],
    ['30s', 'seconds', 30],
    ['250ms', 'seconds', 0.25],
    ['5min', 'seconds', 300],
    ['2h', 'seconds', 7200],
    ['1d', 'seconds', 86400],
  ] as const)('%s (%s) = %d', (text, kind, want) => {
    expect(parseQuantity(text, kind)).toBe(want);
  });
  it.each([
    ['abc', 'bytes'],
    ['10xB', 'bytes'],
    ['10MB', 'seconds'],
    ['10s', 'count'],
    ['', 'bytes'],
  ] as const)('rejects %j as %s', (text, kind) => {
    expect(() => parseQuantity(text, kind)).toThrow();
  });
});

describe('parseRange (monitoring-plugins syntax)', () => {
  // value -> alerts? for each form of the guidelines' table
  const cases: Array<[string, number, boolean]> = [
    ['10', -1, true],
    ['10', 0, false],
    ['10', 10, false],
    ['10', 11, true],
    ['10:', 9, true],
    ['10:', 10, false],
    ['10:', 1e12, false],
    ['~:10', -1e9, false],
    ['~:10', 10.5, true],
    ['10:20', 9, true],
    ['10:20', 15, false],
    ['10:20', 21, true],
    ['@10:20', 9, false],
    ['@10:20', 10, true],
    ['@10:20', 20, true],
    ['@10:20', 21, false],
  ];
  it.each(cases)('%s with %d alerts=%s', (text, value, want) => {
    expect(rangeAlerts(parseRange(text, 'count'), value)).toBe(want);
  });
  it('applies units on both ends', () => {
    const r = parseRange('1MB:2MB', 'bytes');
    expect([r.start, r.end]).toEqual([1024 ** 2, 2 * 1024 ** 2]);
  });
  it.each(['', '20:10', 'a:b', '@', '1:2:3'])('rejects %j', (text) => {
    expect(() => parseRange(text, 'count')).toThrow();
  });
  it('critical wins over warning', () => {
    const t = { warning: parseRange('10', 'count'), critical: parseRange('20', 'count') };
    expect(thresholdSeverity(t, 5)).toBe('ok');
    expect(thresholdSeverity(t, 15)).toBe('warning');
    expect(thresholdSeverity(t, 25)).toBe('critical');
    expect(thresholdSeverity({}, 1e9)).toBe('ok');
  });
});
