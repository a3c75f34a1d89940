import { describe, expect, it } from 'vitest';
import type { Observation, ReplicationRow, StandbyState } from '../../src/observation';
import { toStandby } from '../../src/probe/observe';
import { judge, type CheckPolicy } from '../../src/verdict/check';
import { timelineDivergence } from '../../src/verdict/standby';
import { parseRange } from '../../src/range';
import { replicationRow } from '../helpers/rows';

const target = { host: '192.168.1.3', port: 5432 };
const policy = (p: Partial<CheckPolicy> = {}): CheckPolicy => ({
  expectedRole: 'auto',
  expectedPrimary: {},
  applicationNames: [],
  minStandbys: 1,
  thresholds: { lagBytes: {}, lagSeconds: {}, silenceSeconds: {} },
  replayPausedSeverity: 'warning',
  ...p,
});
const standbyServer = { versionNum: 110022, version: '11.22', inRecovery: true, role: 'standby' as const };
const primaryServer = { versionNum: 150018, version: '15.18', inRecovery: false, role: 'primary' as const };

function standby(s: Partial<StandbyState> = {}, w: Record<string, unknown> = {}): Observation {
  return {
    ok: true,
    target,
    server: standbyServer,
    durationMs: 5,
    standby: {
      walreceiver: {
        pid: 100,
        status: 'streaming',
        senderHost: '192.168.1.10',
        senderPort: 5432,
        conninfo: 'host=192.168.1.10 port=5432 user=postgres application_name=slave',
        receivedTli: 1,
        writtenLsn: null,
        flushedLsn: '0/3000000',
        latestEndLsn: '0/3000000',
        slotName: null,
        lastMsgAgeS: 0.5,
        ...w,
      },
      receiveLsn: '0/3000000',
      replayLsn: '0/3000000',
      replayLagBytes: 0,
      lastReplayAgeS: 1000,
      replayPaused: false,
      timeline: 1,
      walReceiverTimeoutMs: null,
      ...s,
    },
  };
}
const row = replicationRow;
function primary(
  rows: ReplicationRow[],
  slots: Array<{ name: string; active: boolean; walStatus: string | null }> = [],
  walSenderTimeoutMs: number | null = null,
  others: Array<ReplicationRow & { kind: 'wal-client' | 'backup' | 'logical' }> = [],
): Observation {
  return {
    ok: true,
    target,
    server: primaryServer,
    durationMs: 5,
    primary: {
      currentLsn: '0/3000000',
      timeline: 1,
      walSenderTimeoutMs,
      standbys: rows,
      otherWalsenders: others,
      slots,
    },
  };
}

describe('judge: standby', () => {
  it('healthy streaming standby is OK, an idle primary is no lag', () => {
    const v = judge(
      standby(),
      policy({ expectedRole: 'standby', expectedPrimary: { host: '192.168.1.10', port: 5432 } }),
    );
    expect(v.severity).toBe('ok');
    expect(v.findings).toEqual([]);
    expect(v.summary).toBe('streaming from 192.168.1.10:5432 on timeline 1');
    expect(v.metrics.find((m) => m.label === 'replay_lag_seconds')?.value).toBe(0);
  });
  it.each([
    [{ walreceiver: null }, {}, 'walreceiver_missing', 'critical'],
    [{}, { status: 'waiting' }, 'walreceiver_not_streaming', 'critical'],
    [{}, { status: null }, 'insufficient_privilege', 'unknown'],
    [{ replayPaused: true }, {}, 'replay_paused', 'warning'],
    [{ timeline: 3 }, { receivedTli: 2 }, 'timeline_mismatch', 'critical'],
  ] as const)('%j %j -> %s %s', (s, w, code, severity) => {
    const v = judge(standby(s as Partial<StandbyState>, w), policy());
    expect(v.findings[0]).toMatchObject({ code, severity });
    expect(v.severity).toBe(severity);
  });
  it('a newer received timeline (following a promotion) is not a finding', () => {
    expect(judge(standby({ timeline: 1 }, { receivedTli: 2 }), policy()).severity).toBe('ok');
  });
  it('wrong sender is critical; PostgreSQL 10 reads the sender from conninfo', () => {
    expect(
      judge(standby({}, { senderHost: '192.168.1.11' }), policy({ expectedPrimary: { host: '192.168.1.10' } }))
        .findings[0].code,
    ).toBe('sender_mismatch');
    // The probe reads PostgreSQL 10's sender from the walreceiver's conninfo (no sender_host there).
    const w = toStandby(
      {
        pid: 100,
        status: 'streaming',
        sender_host: null,
        sender_port: null,
        conninfo: "user=postgres host='192.168.1.10' port=5433",
        last_msg_age_s: 0.5,
        replay_lag_bytes: 0,
      },
      1,
    ).walreceiver;
    expect(w).toMatchObject({ senderHost: '192.168.1.10', senderPort: 5433 });
    const pg10 = standby(
      {},
      { senderHost: w?.senderHost, senderPort: w?.senderPort, conninfo: "user=postgres host='192.168.1.10' port=5433" },
    );
    expect(judge(pg10, policy({ expectedPrimary: { host: '192.168.1.10', port: 5433 } })).severity).toBe('ok');
    expect(judge(pg10, policy({ expectedPrimary: { host: '192.168.1.10', port: 5432 } })).findings[0].code).toBe(
      'sender_mismatch',
    );
  });
  it('a message received while the query ran (now() is the transaction start: a negative age) is silence 0, not a false critical', () => {
    const s = toStandby(
      {
        pid: 100,
        status: 'streaming',
        sender_host: '192.168.1.10',
        sender_port: 5432,
        conninfo: 'host=192.168.1.10',
        last_msg_age_s: -0.004,
        last_replay_age_s: -0.002,
        replay_lag_bytes: 0,
      },
      1,
    );
    expect(s.walreceiver?.lastMsgAgeS).toBe(0);
    expect(s.lastReplayAgeS).toBe(0);
    const v = judge(
      { ok: true, target, server: standbyServer, durationMs: 1, standby: s },
      policy({
        thresholds: { lagBytes: {}, lagSeconds: {}, silenceSeconds: { critical: parseRange('40', 'seconds') } },
      }),
    );
    expect(v.findings.filter((f) => f.code === 'primary_silence')).toEqual([]);
  });
  it('replay paused can be made critical', () => {
    expect(judge(standby({ replayPaused: true }), policy({ replayPausedSeverity: 'critical' })).severity).toBe(
      'critical',
    );
  });
  it('lag thresholds in bytes and seconds', () => {
    const t = {
      lagBytes: { warning: parseRange('1MB', 'bytes'), critical: parseRange('16MB', 'bytes') },
      lagSeconds: { critical: parseRange('60', 'seconds') },
      silenceSeconds: { warning: parseRange('30', 'seconds') },
    };
    const lagging = standby({ replayLagBytes: 2 * 1024 * 1024, lastReplayAgeS: 10 });
    const v = judge(lagging, policy({ thresholds: t }));
    expect(v.severity).toBe('warning');
    expect(v.findings.map((f) => f.code)).toEqual(['replay_lag_bytes']);
    expect(v.findings[0]).toMatchObject({ value: 2097152, unit: 'B', threshold: '1MB' });
    expect(
      judge(standby({ replayLagBytes: 100, lastReplayAgeS: 61 }), policy({ thresholds: t })).findings[0].code,
    ).toBe('replay_lag_seconds');
    expect(judge(standby({}, { lastMsgAgeS: 31 }), policy({ thresholds: t })).findings[0].code).toBe('primary_silence');
  });
  it('replay lag seconds: capped by how long ago the pending WAL arrived (kept sessions), never by more than the age of the last commit', () => {
    const t = { lagBytes: {}, lagSeconds: { critical: parseRange('60', 'seconds') }, silenceSeconds: {} };
    // A checkpoint record behind paused replay on an idle pair: the last commit is 1000 s old, the pending WAL 2 s.
    const v = judge(
      standby({ replayLagBytes: 120, lastReplayAgeS: 1000, pendingAtMostS: 2 }),
      policy({ thresholds: t, replayPausedSeverity: 'ok' }),
    );
    expect(v.findings).toEqual([]);
    expect(v.metrics.find((m) => m.label === 'replay_lag_seconds')?.value).toBe(2);
    expect(v.facts.pending_wal_at_most_s).toBe(2);
    // Pending WAL older than the last commit cannot lower the figure below the commit's age.
    expect(
      judge(
        standby({ replayLagBytes: 120, lastReplayAgeS: 70, pendingAtMostS: 500 }),
        policy({ thresholds: t }),
      ).findings.map((f) => f.code),
    ).toEqual(['replay_lag_seconds']);
    // Without history (one-shot check): the age of the last commit, as before.
    expect(
      judge(standby({ replayLagBytes: 120, lastReplayAgeS: 1000 }), policy({ thresholds: t })).findings.map(
        (f) => f.code,
      ),
    ).toEqual(['replay_lag_seconds']);
  });
  it('role mismatch: a standby that became primary is critical', () => {
    const v = judge(primary([row()]), policy({ expectedRole: 'standby' }));
    expect(v.findings.map((f) => f.code)).toEqual(['role_mismatch']);
    expect(v.severity).toBe('critical');
  });
});

describe('judge: primary', () => {
  it('with --application-name, perfdata still covers every connected standby; only the named ones are judged', () => {
    const lag = { warning: parseRange('1MB', 'bytes') };
    const v = judge(
      primary([
        row({ applicationName: 'named', replayLagBytes: 10 }),
        row({ pid: 201, applicationName: 'other', replayLagBytes: 8 * 1024 * 1024 }),
      ]),
      policy({
        applicationNames: ['missing', 'named'],
        thresholds: { lagBytes: lag, lagSeconds: {}, silenceSeconds: {} },
      }),
    );
    expect(v.metrics.map((m) => m.label)).toEqual(
      expect.arrayContaining(['named_replay_lag_bytes', 'other_replay_lag_bytes']),
    );
    expect(v.findings.map((f) => `${f.code}:${f.subject ?? ''}`)).toEqual(['standby_missing:missing']);
  });
  it('healthy primary with the expected standby', () => {
    const v = judge(primary([row()]), policy({ applicationNames: ['slave'], syncState: 'async' }));
    expect(v.severity).toBe('ok');
    expect(v.summary).toBe('1 standby streaming (slave:streaming:async)');
  });
  it.each([
    [[], ['slave'], 'standby_missing'],
    [[row({ state: 'catchup' })], ['slave'], 'standby_catching_up'],
    [[row({ state: 'startup' })], ['slave'], 'standby_not_streaming'],
    [[row({ syncState: 'potential' })], ['slave'], 'sync_state_mismatch'],
    [[], [], 'too_few_standbys'],
    [[row({ state: null })], [], 'insufficient_privilege'],
  ] as const)('rows %j names %j -> %s', (rows, names, code) => {
    const v = judge(
      primary([...rows]),
      policy({ applicationNames: [...names], syncState: 'async', minStandbys: Math.max(1, names.length) }),
    );
    expect(v.findings.map((f) => f.code)).toContain(code);
  });
  it('per-standby lag findings name the standby', () => {
    const v = judge(
      primary([row({ replayLagBytes: 5000, replayLagS: 3 })]),
      policy({
        thresholds: { lagBytes: { critical: parseRange('1kB', 'bytes') }, lagSeconds: {}, silenceSeconds: {} },
      }),
    );
    expect(v.findings[0]).toMatchObject({ code: 'standby_lag_bytes', subject: 'slave', severity: 'critical' });
    expect(v.metrics.map((m) => m.label)).toEqual([
      'standbys',
      'slave_replay_lag_bytes',
      'slave_flush_lag_bytes',
      'slave_replay_lag_seconds',
    ]);
  });
  it('--min-standbys 0 accepts a lone primary', () => {
    expect(judge(primary([]), policy({ minStandbys: 0 })).severity).toBe('ok');
  });
});

describe('judge: probe failures', () => {
  const fail = (kind: string, phase: 'connect' | 'query'): Observation => ({
    ok: false,
    target,
    durationMs: 1,
    failure: { kind: kind as never, phase, detail: 'detail' },
  });
  it.each([
    ['refused', 'connect', 'cannot_connect', 'critical'],
    ['timeout', 'connect', 'cannot_connect', 'critical'],
    ['auth', 'connect', 'cannot_connect', 'critical'],
    ['timeout', 'query', 'query_failed', 'critical'],
    ['sql', 'query', 'query_failed', 'unknown'],
    ['privilege', 'query', 'insufficient_privilege', 'unknown'],
    ['unsupported-version', 'query', 'unsupported_version', 'unknown'],
  ] as const)('%s while %s -> %s %s', (kind, phase, code, severity) => {
    const v = judge(fail(kind, phase), policy());
    expect(v.findings[0]).toMatchObject({ code, severity });
    expect(v.summary).toContain('detail');
  });
  it('failures a restart does not cure are hard for cluster managers', () => {
    expect(judge(fail('unsupported-version', 'query'), policy()).hardness).toBe('hard');
    expect(judge(fail('auth', 'connect'), policy()).hardness).toBe('hard');
    expect(judge(fail('privilege', 'query'), policy()).hardness).toBe('hard');
    expect(judge(fail('refused', 'connect'), policy()).hardness).toBe('soft');
    expect(judge(fail('timeout', 'connect'), policy()).hardness).toBe('soft');
    expect(judge(fail('not-accepting', 'connect'), policy()).hardness).toBe('soft');
  });
});

describe('judge: peer-compatible options', () => {
  it('--replay-paused ok leaves a paused standby to the lag thresholds (check_pgactivity is_replay_paused)', () => {
    const t = { lagBytes: {}, lagSeconds: { warning: parseRange('60', 'seconds') }, silenceSeconds: {} };
    expect(
      judge(standby({ replayPaused: true, replayLagBytes: 0 }), policy({ replayPausedSeverity: 'ok', thresholds: t }))
        .severity,
    ).toBe('ok');
    const behind = judge(
      standby({ replayPaused: true, replayLagBytes: 4096, lastReplayAgeS: 120 }),
      policy({ replayPausedSeverity: 'ok', thresholds: t }),
    );
    expect(behind.findings.map((f) => f.code)).toEqual(['replay_lag_seconds']);
  });
  it('flush lag thresholds per standby (check_pgactivity streaming_delta "flushed")', () => {
    const v = judge(
      primary([row({ flushLagBytes: 9 * 1024 * 1024, replayLagBytes: 9 * 1024 * 1024 })]),
      policy({
        thresholds: {
          lagBytes: {},
          lagSeconds: {},
          silenceSeconds: {},
          flushLagBytes: { warning: parseRange('8MB', 'bytes') },
        },
      }),
    );
    expect(v.findings[0]).toMatchObject({ code: 'standby_flush_lag_bytes', severity: 'warning', subject: 'slave' });
  });
});

describe('judge: replication slots', () => {
  it('a lost slot is critical with the remedy; unreserved is a warning; reserved is fine', () => {
    const lost = judge(primary([row()], [{ name: 'slave_slot', active: false, walStatus: 'lost' }]), policy());
    expect(lost.findings[0]).toMatchObject({ code: 'slot_lost', severity: 'critical', subject: 'slave_slot' });
    expect(lost.summary).toMatch(/can never catch up, rebuild it/);
    expect(judge(primary([row()], [{ name: 's', active: true, walStatus: 'unreserved' }]), policy()).severity).toBe(
      'warning',
    );
    expect(judge(primary([row()], [{ name: 's', active: true, walStatus: 'reserved' }]), policy()).severity).toBe('ok');
    expect(judge(primary([row()], [{ name: 's', active: true, walStatus: null }]), policy()).severity).toBe('ok');
  });
});

describe('a primary that vanished without a word (power loss): silence and the sender probe', () => {
  const silent = (age: number, s: Partial<StandbyState> = {}) =>
    standby({ walReceiverTimeoutMs: 60_000, ...s }, { lastMsgAgeS: age });
  it.each([
    // [silence s, wal_receiver_timeout ms, given critical, expected severity]
    [29, 60_000, undefined, 'ok'],
    [40, 60_000, undefined, 'ok'],
    [40.5, 60_000, undefined, 'critical'],
    [15.5, 10_000, undefined, 'critical'],
    [500, 0, undefined, 'ok'],
    [500, null, undefined, 'ok'],
    [40.5, 60_000, '100', 'ok'],
    [20, 60_000, '10', 'critical'],
  ] as const)(
    'silence %s s with wal_receiver_timeout %s ms, --silence-seconds-critical %s: %s',
    (age, wrt, given, sev) => {
      const p = policy({
        thresholds: {
          lagBytes: {},
          lagSeconds: {},
          silenceSeconds: given ? { critical: parseRange(given, 'seconds') } : {},
        },
      });
      const v = judge(standby({ walReceiverTimeoutMs: wrt }, { lastMsgAgeS: age }), p);
      expect(v.severity).toBe(sev);
      if (sev === 'critical') expect(v.findings[0].code).toBe('primary_silence');
      if (wrt === 60_000 && !given) expect(v.metrics.find((m) => m.label === 'silence_seconds')?.critical).toBe('40');
    },
  );
  it.each([
    ['no-answer', 'critical', /does not answer/],
    ['unreachable', 'critical', /cannot be reached/],
    ['refused', 'critical', /postmaster is down/],
    ['answered', 'ok', /./],
  ] as const)('probe result %s: %s', (result, sev, msg) => {
    const v = judge(
      silent(6, { senderProbe: { target: '192.168.1.10:5432', result, detail: 'x', ms: 3000 } }),
      policy(),
    );
    expect(v.severity).toBe(sev);
    expect(v.facts).toMatchObject({ sender_probe: result, sender_probe_ms: 3000 });
    if (sev === 'critical') {
      expect(v.findings[0].code).toBe('primary_unreachable');
      expect(v.findings[0].message).toMatch(msg);
      expect(v.findings[0].message).toContain('192.168.1.10:5432');
      expect(v.findings[0].message).toContain('wal_receiver_timeout, 60 s');
    }
  });
  it('no probe, no probe facts', () => {
    const v = judge(silent(6), policy());
    expect(v.facts).not.toHaveProperty('sender_probe');
    expect(v.facts).not.toHaveProperty('sender_probe_ms');
  });
  it('a probe result does not matter once the walreceiver itself stopped streaming', () => {
    const v = judge(silent(6, { senderProbe: { target: 'h:1', result: 'no-answer', detail: 'x', ms: 1 } }), policy());
    expect(v.findings.map((f) => f.code)).toEqual(['primary_unreachable']);
    const w = judge(
      standby(
        { walReceiverTimeoutMs: 60_000, senderProbe: { target: 'h:1', result: 'no-answer', detail: 'x', ms: 1 } },
        { status: 'waiting', lastMsgAgeS: 6 },
      ),
      policy(),
    );
    expect(w.findings.map((f) => f.code)).toEqual(['walreceiver_not_streaming']);
  });
});

describe('a standby that vanished without a word, seen from the primary (reply_time, 12+)', () => {
  it.each([
    // [reply age s, wal_sender_timeout ms, state, expected]
    [10, 60_000, 'streaming', 'ok'],
    [40, 60_000, 'streaming', 'ok'],
    [41, 60_000, 'streaming', 'critical'],
    [16, 10_000, 'streaming', 'critical'],
    [500, 0, 'streaming', 'ok'],
    [500, null, 'streaming', 'ok'],
    [null, 60_000, 'streaming', 'ok'],
  ] as const)('reply age %s s, wal_sender_timeout %s ms: %s', (age, wst, state, sev) => {
    const v = judge(primary([row({ replyAgeS: age, state })], [], wst), policy({ applicationNames: ['slave'] }));
    expect(v.severity).toBe(sev);
    if (sev === 'critical') {
      expect(v.findings[0]).toMatchObject({ code: 'standby_silent', subject: 'slave' });
      expect(v.findings[0].message).toContain('192.168.1.3');
    }
  });
});

describe('what counts as a standby, and every row judged', () => {
  it('a WAL client (pg_receivewal) beside no standby: too few standbys, the client in the facts', () => {
    const client = { ...row({ applicationName: 'pg_receivewal', replayLsn: null }), kind: 'wal-client' as const };
    const v = judge(primary([], [], null, [client]), policy());
    expect(v.findings.map((f) => f.code)).toEqual(['too_few_standbys']);
    expect(v.facts.other_walsenders).toBe('pg_receivewal:wal-client:streaming@192.168.1.3');
    expect(v.metrics.find((m) => m.label === 'standbys')?.value).toBe(0);
  });
  it('two rows named walreceiver: the one that is not streaming is not hidden; labels stay unique', () => {
    const v = judge(
      primary([
        row({ applicationName: 'walreceiver', pid: 1 }),
        row({ applicationName: 'walreceiver', pid: 2, state: 'startup', clientAddr: '192.168.1.4' }),
      ]),
      policy({ applicationNames: ['walreceiver'] }),
    );
    expect(v.findings.map((f) => [f.code, f.severity])).toEqual([['standby_not_streaming', 'critical']]);
    expect(v.findings[0].message).toContain('(pid 2, 192.168.1.4)');
    const labels = v.metrics.map((m) => m.label);
    expect(new Set(labels).size).toBe(labels.length);
    expect(labels).toContain('walreceiver_2_replay_lag_bytes');
  });
  it('a named standby catching up is a warning with its lag, not missing', () => {
    const v = judge(
      primary([row({ state: 'catchup', replayLagBytes: 16 * 1024 * 1024 })]),
      policy({ applicationNames: ['slave'] }),
    );
    expect(v.severity).toBe('warning');
    expect(v.findings).toHaveLength(1);
    expect(v.findings[0]).toMatchObject({ code: 'standby_catching_up', subject: 'slave' });
    expect(v.findings[0].message).toMatch(/catching up.*replay lag 16\.0 MiB/);
  });
  it('standby byte lag is never negative (replay ahead of receive after a walreceiver restart or archive recovery)', () => {
    const v = judge(
      standby({ replayLagBytes: -8_000_000, lastReplayAgeS: 5000 }),
      policy({
        thresholds: {
          lagBytes: { critical: parseRange('~:0', 'bytes') },
          lagSeconds: { critical: parseRange('60', 'seconds') },
          silenceSeconds: {},
        },
      }),
    );
    expect(v.metrics.find((m) => m.label === 'replay_lag_bytes')?.value).toBe(0);
    expect(v.metrics.find((m) => m.label === 'replay_lag_seconds')?.value).toBe(0);
    expect(v.severity).toBe('ok');
    expect(v.facts.receive_behind_replay).toBe(true);
  });
});

describe('timelineDivergence: a standby that has WAL the new primary never had', () => {
  const h3 = {
    tli: 3,
    text: '1\t0/3000158\tno recovery target specified\n2\t0/4027C78\tno recovery target specified\n',
  };
  const wal = (histories: Array<{ tli: number; text: string }>, segs: number[]) => ({
    histories,
    segmentTlis: new Set(segs),
  });
  it('ahead of the fork on its own timeline: diverged, with the fork point', () => {
    expect(timelineDivergence(2, '0/4071B20', wal([h3], [2]))).toEqual({
      tli: 3,
      forkLsn: '0/4027C78',
      own: '2/0/4071B20',
    });
  });
  it('at or before the fork: it can follow', () => {
    expect(timelineDivergence(2, '0/4027C78', wal([h3], [2]))).toBeUndefined();
    expect(timelineDivergence(2, '0/4000000', wal([h3], [1, 2]))).toBeUndefined();
  });
  it('already following (segments of timeline 3, pg_control still says 2): not diverged', () => {
    expect(timelineDivergence(2, '0/5000000', wal([h3], [2, 3]))).toBeUndefined();
  });
  it("its timeline not in the new timeline's history: diverged, no fork point", () => {
    expect(
      timelineDivergence(4, '0/1000000', wal([{ tli: 5, text: '1\t0/3000000\tx\n3\t0/3500000\tx\n' }], [4])),
    ).toEqual({ tli: 5, forkLsn: null, own: '4/0/1000000' });
  });
  it('nothing newer known: undefined', () => {
    expect(timelineDivergence(3, '0/9000000', wal([h3], [3]))).toBeUndefined();
    expect(timelineDivergence(3, '0/9000000', wal([], []))).toBeUndefined();
  });
});
