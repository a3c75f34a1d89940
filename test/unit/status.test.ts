import { describe, expect, it } from 'vitest';
import type { Observation, StandbyState } from '../../src/observation';
import { judge, type CheckPolicy } from '../../src/verdict/check';
import { clusterStatus, type StatusInput } from '../../src/verdict/status';
import { renderStatusText, statusJson } from '../../src/dialect/status';
import { replicationRow } from '../helpers/rows';

const policy: CheckPolicy = {
  expectedRole: 'auto',
  expectedPrimary: {},
  applicationNames: [],
  minStandbys: 0,
  thresholds: { lagBytes: {}, lagSeconds: {}, silenceSeconds: {} },
  replayPausedSeverity: 'warning',
};
const server = (standby: boolean) => ({
  versionNum: 150018,
  version: '15.18',
  inRecovery: standby,
  role: standby ? ('standby' as const) : ('primary' as const),
});
const primaryObs = (port: number, lsn = '0/3000100'): Observation => ({
  ok: true,
  target: { host: '10.0.0.1', port },
  server: server(false),
  durationMs: 1,
  primary: {
    currentLsn: lsn,
    timeline: 2,
    walSenderTimeoutMs: 60000,
    standbys: [replicationRow({ applicationName: 'db2', syncState: 'sync', replayLagS: 0.5 })],
    otherWalsenders: [],
    slots: [],
  },
});
const standbyObs = (senderPort: number, s: Partial<StandbyState> = {}): Observation => ({
  ok: true,
  target: { host: '10.0.0.2', port: 5432 },
  server: server(true),
  durationMs: 1,
  standby: {
    walreceiver: {
      pid: 1,
      status: 'streaming',
      senderHost: '10.0.0.1',
      senderPort,
      conninfo: `host=10.0.0.1 port=${senderPort} application_name=db2`,
      applicationName: 'db2',
      receivedTli: 2,
      flushedLsn: '0/3000000',
      writtenLsn: null,
      lastMsgAgeS: 1,
    },
    receiveLsn: '0/3000000',
    replayLsn: '0/3000000',
    replayLagBytes: 0,
    lastReplayAgeS: 0,
    replayPaused: false,
    timeline: 2,
    ...s,
  } as StandbyState,
});
const node = (name: string, host: string, port: number, obs: Observation): StatusInput => ({
  name,
  host,
  port,
  obs,
  verdict: judge(obs, policy),
});

describe('pgsr status: the cluster view (pure)', () => {
  it('orders the primary first, matches the upstream by address, measures lag against the primary, takes sync_state from the primary', () => {
    const s = clusterStatus([
      node('db2', '10.0.0.2', 5432, standbyObs(5432)),
      node('db1', '10.0.0.1', 5432, primaryObs(5432)),
    ]);
    expect(s.primary).toBe('db1');
    expect(s.nodes.map((r) => r.name)).toEqual(['db1', 'db2']);
    expect(s.nodes[1]).toMatchObject({
      role: 'standby',
      state: 'streaming',
      upstream: 'db1',
      lagBytes: 256,
      lagSeconds: 0.5,
      syncState: 'sync',
    });
    expect(renderStatusText(s)[1]).toMatch(/^\* db1 /);
    expect(statusJson(s)).toMatchObject({
      primary: 'db1',
      severity: 'ok',
      nodes: [
        { name: 'db1', role: 'primary', lag_bytes: null },
        { name: 'db2', receive_lsn: '0/3000000' },
      ],
    });
  });
  it('a standby streaming from a standby is cascading; one whose sender is no known node shows that address', () => {
    const s = clusterStatus([
      node('db1', '10.0.0.1', 5432, primaryObs(5432)),
      node('db2', '10.0.0.2', 5432, standbyObs(5432)),
      node('db3', '10.0.0.3', 5432, {
        ...standbyObs(5432),
        standby: {
          ...(standbyObs(5432) as { standby: StandbyState }).standby,
          walreceiver: {
            ...(standbyObs(5432) as { standby: StandbyState }).standby.walreceiver!,
            senderHost: '10.0.0.2',
          },
        },
      } as Observation),
      node('db4', '10.0.0.4', 5432, standbyObs(6000)),
    ]);
    expect(s.nodes.find((r) => r.name === 'db3')).toMatchObject({ role: 'cascading standby', upstream: 'db2' });
    expect(s.nodes.find((r) => r.name === 'db4')?.upstream).toBe('10.0.0.1:6000');
  });
  it('paused replay, no walreceiver, an unreachable node (critical), two primaries (critical, said first)', () => {
    const down: Observation = {
      ok: false,
      target: { host: '10.0.0.9', port: 5432 },
      durationMs: 1,
      failure: { kind: 'refused', phase: 'connect', detail: 'connection refused' },
    } as Observation;
    const s = clusterStatus([
      node('db1', '10.0.0.1', 5432, primaryObs(5432)),
      node('db2', '10.0.0.2', 5432, standbyObs(5432, { replayPaused: true })),
      node('db3', '10.0.0.3', 5432, standbyObs(5432, { walreceiver: null })),
      node('db9', '10.0.0.9', 5432, down),
    ]);
    expect(s.nodes.map((r) => `${r.name}:${r.role}:${r.state}`)).toEqual([
      'db1:primary:',
      'db2:standby:stopped replay',
      'db3:standby:not connected',
      'db9:unreachable:',
    ]);
    expect(s.severity).toBe('critical');
    const two = clusterStatus([
      node('db1', '10.0.0.1', 5432, primaryObs(5432)),
      node('db2', '10.0.0.2', 5432, primaryObs(5432)),
    ]);
    expect(two).toMatchObject({ primary: null, primaries: ['db1', 'db2'], severity: 'critical' });
    expect(renderStatusText(two)[0]).toMatch(/^TWO PRIMARIES: db1, db2/);
  });
});
