import { describe, expect, it } from 'vitest';
import { FAULT_KINDS, drawFaults, invariantBreaks, summarize, type RoundReport } from '../../scripts/lib/chaos';

const round = (r: Partial<RoundReport>): RoundReport => ({
  round: 1,
  fault: 'primary-power-loss',
  node: 'node1',
  primary_before: 'node1',
  primary_after: 'node2',
  converged: true,
  time_to_writable_s: 10,
  max_primaries: 1,
  acked: 100,
  lost: 0,
  notes: [],
  ...r,
});

describe('fault campaign draw and invariants', () => {
  it('the same seed draws the same rounds; every kind once before any repeats', () => {
    const a = drawFaults(7, 10);
    expect(drawFaults(7, 10)).toEqual(a);
    expect(new Set(a.slice(0, FAULT_KINDS.length)).size).toBe(FAULT_KINDS.length);
    expect(drawFaults(8, 7)).not.toEqual(drawFaults(7, 7));
    expect(new Set(drawFaults(3, 2)).size).toBe(2);
  });
  it('a host with fewer kinds (Pgpool-II: no partitions) draws only those, each once before any repeats', () => {
    const kinds = ['primary-power-loss', 'clean-stop', 'standby-then-primary'] as const;
    const a = drawFaults(4, 6, kinds);
    expect(new Set(a.slice(0, 3))).toEqual(new Set(kinds));
    expect(new Set(a.slice(3))).toEqual(new Set(kinds));
    expect(a.every((k) => (kinds as readonly string[]).includes(k))).toBe(true);
  });
  it('breaks: two primaries at one sample, a row lost under sync (not under async), a round that did not converge', () => {
    expect(invariantBreaks([round({})], 'sync')).toEqual([]);
    expect(invariantBreaks([round({ max_primaries: 2 })], 'async')).toHaveLength(1);
    expect(invariantBreaks([round({ lost: 3 })], 'async')).toEqual([]);
    expect(invariantBreaks([round({ lost: 3 })], 'sync')[0]).toMatch(/3 acknowledged rows lost/);
    expect(invariantBreaks([round({ converged: false, notes: ['x'] })], 'async')[0]).toMatch(/did not converge \(x\)/);
  });
  it('summary: median and max time to writable, rows, rounds with two primaries', () => {
    const s = summarize([
      round({ time_to_writable_s: 3 }),
      round({ time_to_writable_s: 11, fault: 'clean-stop', lost: 2 }),
      round({ time_to_writable_s: null, converged: false }),
    ]);
    expect(s).toMatchObject({
      rounds: 3,
      converged: 2,
      time_to_writable_median_s: 3,
      time_to_writable_max_s: 11,
      acked: 300,
      lost: 2,
      rounds_with_two_primaries: 0,
      faults: { 'primary-power-loss': 2, 'clean-stop': 1 },
    });
  });
});
