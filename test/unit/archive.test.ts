import { describe, expect, it } from 'vitest';
import type { ArchiverState } from '../../src/observation';
import { parseRange } from '../../src/range';
import { archiveFailingFor, judgeArchiver, judgeSlotRetention } from '../../src/verdict/archive';
import type { Finding, Metric } from '../../src/verdict/check';
import { resolveThresholds } from '../../src/config/thresholds';

const healthy: ArchiverState = {
  mode: 'on',
  archivedCount: 40,
  failedCount: 0,
  lastFailedAgeS: null,
  lastArchivedAgeS: 12,
  lastFailedWal: null,
  statsResetAgeS: 86400,
  readyCount: 1,
};
const ready = { warning: parseRange('32', 'count'), critical: parseRange('128', 'count') };
function run(a: ArchiverState, criticalAfterS: number | undefined = 600) {
  const findings: Finding[] = [];
  const metrics: Metric[] = [];
  const facts: Record<string, string | number | boolean | null> = {};
  judgeArchiver(a, ready, criticalAfterS, findings, metrics, facts);
  return { findings, metrics, facts };
}

describe('archive health on a primary', () => {
  it('a healthy archiver reports nothing but its backlog as perfdata', () => {
    const r = run(healthy);
    expect(r.findings).toEqual([]);
    expect(r.metrics).toEqual([{ label: 'archive_ready', value: 1, unit: '', warning: '32', critical: '128', min: 0 }]);
  });
  it('archive_mode off: nothing at all', () => {
    expect(run({ ...healthy, mode: 'off', failedCount: 3, lastFailedAgeS: 1 })).toEqual({
      findings: [],
      metrics: [],
      facts: {},
    });
  });
  it('failing: the last failure newer than the last success; the WAL file named, never the command; critical after the bound', () => {
    const a = {
      ...healthy,
      failedCount: 7,
      lastFailedAgeS: 5,
      lastFailedWal: '000000010000000000000042',
      lastArchivedAgeS: 300,
    };
    expect(archiveFailingFor(a)).toEqual({ sinceS: 300 });
    const w = run(a).findings[0];
    expect(w).toMatchObject({ code: 'archive_failing', severity: 'warning', value: 300, unit: 's', threshold: '600' });
    expect(w.message).toMatch(
      /archive_command is failing: 000000010000000000000042 failed 5\.0 s ago, nothing archived for 300 s \(7 failures since the statistics reset\)/,
    );
    expect(run({ ...a, lastArchivedAgeS: 601 }).findings[0].severity).toBe('critical');
  });
  it('failures and no success since the reset: failing since the reset; a later success clears it', () => {
    expect(
      archiveFailingFor({ ...healthy, failedCount: 2, lastFailedAgeS: 3, lastArchivedAgeS: null, statsResetAgeS: 50 }),
    ).toEqual({ sinceS: 50 });
    expect(archiveFailingFor({ ...healthy, failedCount: 2, lastFailedAgeS: 30, lastArchivedAgeS: 3 })).toBeUndefined();
  });
  it('backlog: the .ready count against its thresholds; not measured (no privilege) is a fact, not a finding', () => {
    expect(run({ ...healthy, readyCount: 40 }).findings).toMatchObject([
      { code: 'archive_backlog', severity: 'warning', value: 40, threshold: '32' },
    ]);
    expect(run({ ...healthy, readyCount: 200 }).findings[0].severity).toBe('critical');
    const r = run({ ...healthy, readyCount: null });
    expect(r.findings).toEqual([]);
    expect(r.metrics).toEqual([]);
    expect(r.facts.archive_ready).toBe('not measured');
  });
  it('defaults: 32 / 128 ready segments, 1 GB / 4 GB kept by a slot, so that a healthy primary reports nothing', () => {
    const th = resolveThresholds(() => undefined);
    expect([
      th.archiveReady.warning?.text,
      th.archiveReady.critical?.text,
      th.slotRetainedBytes.warning?.text,
      th.slotRetainedBytes.critical?.text,
    ]).toEqual(['32', '128', '1GB', '4GB']);
  });
});

describe('WAL kept by replication slots', () => {
  const th = { warning: parseRange('1GB', 'bytes'), critical: parseRange('4GB', 'bytes') };
  it('an unused slot holding WAL past the threshold is named, with the remedy; perfdata per slot', () => {
    const findings: Finding[] = [];
    const metrics: Metric[] = [];
    judgeSlotRetention(
      [
        { name: 'node2', active: false, walStatus: 'extended', retainedBytes: 2 * 1024 ** 3, safeWalSize: null },
        { name: 'node3', active: true, walStatus: 'reserved', retainedBytes: 1024, safeWalSize: 5 * 1024 ** 3 },
      ],
      th,
      findings,
      metrics,
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ code: 'slot_retained_wal', severity: 'warning', subject: 'node2', unit: 'B' });
    expect(findings[0].message).toMatch(
      /replication slot "node2" keeps 2\.0 GiB of WAL in pg_wal and no standby uses it: start its standby, or drop the slot/,
    );
    expect(metrics.map((m) => m.label)).toEqual(['slot_node2_retained_bytes', 'slot_node3_retained_bytes']);
  });
  it('a slot that never reserved WAL (restart_lsn NULL) is skipped', () => {
    const findings: Finding[] = [];
    const metrics: Metric[] = [];
    judgeSlotRetention([{ name: 'fresh', active: false, walStatus: null, retainedBytes: null }], th, findings, metrics);
    expect([findings, metrics]).toEqual([[], []]);
  });
});
