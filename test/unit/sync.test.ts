import { describe, expect, it } from 'vitest';
import type { Observation, PrimaryState, ReplicationRow, SyncReplicationState } from '../../src/observation';
import { decideSyncNames, standbyNamesValue } from '../../src/lifecycle/sync-plan';
import { lsnValue } from '../../src/lsn';
import { judge, type CheckPolicy } from '../../src/verdict/check';
import { syncPromotionScores } from '../../src/dialect/ocf';
import { replicationRow } from '../helpers/rows';

const row = (r: Partial<ReplicationRow> = {}): ReplicationRow =>
  replicationRow({ applicationName: 'node2', clientAddr: '10.0.0.2', ...r });
function primary(
  rows: ReplicationRow[],
  sync: Partial<SyncReplicationState> = {},
  currentLsn = '0/3000000',
): PrimaryState {
  return {
    currentLsn,
    timeline: 1,
    walSenderTimeoutMs: 60000,
    standbys: rows,
    otherWalsenders: [],
    slots: [],
    sync: { standbyNames: '', commit: 'on', waiting: 0, longestWaitS: null, ...sync },
  };
}

describe('synchronous_standby_names values', () => {
  it('quotes names, FIRST 1 for several, empty for none', () => {
    expect(standbyNamesValue([])).toBe('');
    expect(standbyNamesValue(['node2'])).toBe('"node2"');
    expect(standbyNamesValue(['b', 'a"x'])).toBe('FIRST 1 ("b", "a""x")');
  });
  it('compares LSNs numerically', () => {
    expect((lsnValue('1/0') as bigint) > (lsnValue('0/FFFFFFFF') as bigint)).toBe(true);
    expect(lsnValue('junk')).toBeNull();
  });
});

describe('decideSyncNames', () => {
  it('names the streaming standby and keeps it promotable once it is in sync and flushed past the probe start', () => {
    const first = decideSyncNames(primary([row()]), [], 10, 0);
    expect(first).toMatchObject({ names: '"node2"', change: true, promotable: undefined });
    const insync = decideSyncNames(
      primary([row({ syncState: 'sync', flushLsn: '0/3000010' })], { standbyNames: '"node2"' }),
      [],
      10,
      0,
    );
    expect(insync).toMatchObject({ names: '"node2"', change: false, promotable: 'node2' });
    // In sync but behind the LSN read before pg_stat_replication: not (yet) proven to hold everything.
    const behind = decideSyncNames(
      primary([row({ syncState: 'sync', flushLsn: '0/2FFFFFF' })], { standbyNames: '"node2"' }),
      [],
      10,
      0,
    );
    expect(behind.promotable).toBeUndefined();
  });
  it('empties the names when no standby streams (stopped, catching up)', () => {
    expect(decideSyncNames(primary([], { standbyNames: '"node2"' }), [], 10, 0)).toMatchObject({
      names: '',
      change: true,
      reason: 'no standby streams',
    });
    const catchup = decideSyncNames(primary([row({ state: 'catchup' })], { standbyNames: '"node2"' }), [], 10, 0);
    expect(catchup).toMatchObject({ names: '', change: true });
    expect(catchup.reason).toContain('"node2" catchup');
  });
  it('releases a synchronous standby that commits waited for beyond the limit, until it reconnects or catches up', () => {
    const gone = primary(
      [row({ syncState: 'sync', flushLsn: '0/3000000' })],
      { standbyNames: '"node2"', waiting: 3, longestWaitS: 12 },
      '0/3000100',
    );
    const released = decideSyncNames(gone, [], 10, 1000);
    expect(released).toMatchObject({ names: '', change: true, promotable: undefined });
    expect(released.released).toEqual([{ pid: 200, applicationName: 'node2', lsn: '0/3000100', at: 1000 }]);
    expect(released.reason).toContain('released "node2": 3 commits waited 12 s');
    // Same walsender, still behind the release LSN: stays out (no flapping back into a hang).
    const still = decideSyncNames(
      primary([row({ syncState: 'async', flushLsn: '0/3000000' })], {}, '0/3000200'),
      released.released,
      10,
      2000,
    );
    expect(still).toMatchObject({ names: '', change: false });
    // It reconnected (new walsender pid): named again.
    expect(decideSyncNames(primary([row({ pid: 201 })], {}, '0/3000200'), released.released, 10, 3000)).toMatchObject({
      names: '"node2"',
      released: [],
    });
    // Or the same walsender flushed past the release point (it was only slow): named again.
    expect(
      decideSyncNames(primary([row({ flushLsn: '0/3000100' })], {}, '0/3000200'), released.released, 10, 3000),
    ).toMatchObject({ names: '"node2"', released: [] });
  });
  it('does not release under the limit, or with the limit 0', () => {
    const waiting = primary([row({ syncState: 'sync' })], { standbyNames: '"node2"', waiting: 1, longestWaitS: 5 });
    expect(decideSyncNames(waiting, [], 10, 0).change).toBe(false);
    expect(decideSyncNames({ ...waiting, sync: { ...waiting.sync!, longestWaitS: 500 } }, [], 0, 0).change).toBe(false);
  });
  it('with two standbys keeps the one in sync first (FIRST 1) and only it promotable', () => {
    const p = primary(
      [
        row({ applicationName: 'a', pid: 1, syncState: 'potential' }),
        row({ applicationName: 'b', pid: 2, syncState: 'sync' }),
      ],
      { standbyNames: 'FIRST 1 ("b", "a")' },
    );
    expect(decideSyncNames(p, [], 10, 0)).toMatchObject({
      names: 'FIRST 1 ("b", "a")',
      change: false,
      promotable: 'b',
    });
    expect([...syncPromotionScores(['a', 'b'], 'b')]).toEqual([
      ['a', '-INFINITY'],
      ['b', '1000'],
    ]);
  });
});

describe('judge: synchronous replication on a primary', () => {
  const policy = (sync?: CheckPolicy['sync']): CheckPolicy => ({
    expectedRole: 'primary',
    expectedPrimary: {},
    applicationNames: [],
    minStandbys: 0,
    thresholds: { lagBytes: {}, lagSeconds: {}, silenceSeconds: {} },
    replayPausedSeverity: 'warning',
    sync,
  });
  const obs = (p: PrimaryState): Observation => ({
    ok: true,
    target: { host: 'h', port: 5432 },
    server: { versionNum: 150000, version: '15', inRecovery: false, role: 'primary' },
    primary: p,
    durationMs: 1,
  });
  it('names set but nobody in sync: every commit waits (critical)', () => {
    const v = judge(
      obs(primary([row({ state: 'catchup' })], { standbyNames: '"node2"', waiting: 2, longestWaitS: 1 })),
      policy(),
    );
    expect(v.severity).toBe('critical');
    expect(v.findings.map((f) => f.code)).toEqual(['sync_standby_missing']);
    expect(v.summary).toContain(
      'synchronous_standby_names is \'"node2"\' but no synchronous standby is streaming: every commit waits (2 waiting now)',
    );
  });
  it('synchronous_commit local: nothing waits, no finding; under rep-mode sync a warning', () => {
    expect(judge(obs(primary([], { standbyNames: '"node2"', commit: 'local' })), policy()).findings).toEqual([]);
    const v = judge(
      obs(primary([row({ syncState: 'sync' })], { standbyNames: '"node2"', commit: 'local' })),
      policy({ repMode: 'sync', waitLimitS: 10 }),
    );
    expect(v.findings.map((f) => [f.code, f.severity])).toEqual([['sync_degraded', 'warning']]);
    expect(v.summary).toContain('synchronous_commit = local: commits do not wait');
  });
  it('commits waiting beyond the limit: critical even while the walsender still streams', () => {
    const v = judge(
      obs(primary([row({ syncState: 'sync' })], { standbyNames: '"node2"', waiting: 1, longestWaitS: 14.5 })),
      policy({ repMode: 'sync', waitLimitS: 10 }),
    );
    expect(v.findings.map((f) => [f.code, f.severity])).toEqual([['sync_commits_waiting', 'critical']]);
    expect(v.metrics.find((m) => m.label === 'sync_waiting')?.value).toBe(1);
  });
  it('rep-mode sync but asynchronous in effect: warning with the reason; rep-mode async: nothing', () => {
    const v = judge(obs(primary([])), policy({ repMode: 'sync', waitLimitS: 10 }));
    expect(v.severity).toBe('warning');
    expect(v.summary).toBe(
      'rep-mode sync but synchronous_standby_names is empty: commits are acknowledged without a standby (no standby is connected)',
    );
    expect(judge(obs(primary([])), policy()).findings).toEqual([]);
    expect(
      judge(
        obs(primary([row({ syncState: 'sync' })], { standbyNames: '"node2"' })),
        policy({ repMode: 'sync', waitLimitS: 10 }),
      ).severity,
    ).toBe('ok');
  });
});
