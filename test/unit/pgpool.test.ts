import { describe, expect, it } from 'vitest';
import type { Observation } from '../../src/observation';
import {
  applicationNameOf,
  chooseCandidate,
  decideFailover,
  parseFailoverArgs,
  parseFollowArgs,
} from '../../src/agents/pgpool-plan';
import { parsePcpNodeInfo } from '../../src/host/pcp';
import { parseProcNetTcp } from '../../src/host/pgpool-worker';
import { remoteArgv, shellQuote } from '../../src/agents/pgpool';
import { judgePgpool, type PoolNodeView } from '../../src/verdict/pgpool';

const failover = (d: number, m: number, P: number) =>
  parseFailoverArgs([String(d), 'h', '5432', '/d', String(m), 'H', '0', String(P), '5433', '/D', 'N', '5432']);

describe('Pgpool-II placeholders', () => {
  it("parses failover_command and follow_primary_command in the sample scripts' order, and names a bad placeholder", () => {
    expect(failover(0, 1, 0)).toMatchObject({
      failedId: 0,
      failedHost: 'h',
      failedPort: 5432,
      failedPgdata: '/d',
      newMainId: 1,
      newMainHost: 'H',
      oldPrimaryId: 0,
      newMainPort: 5433,
      newMainPgdata: '/D',
      oldPrimaryHost: 'N',
      oldPrimaryPort: 5432,
    });
    expect(parseFollowArgs(['2', 'h', '5434', '/d2', '1', 'H', '0', '0', '5433', '/D'])).toMatchObject({
      nodeId: 2,
      newPrimaryId: 1,
      newPrimaryPort: 5433,
    });
    expect(() => parseFailoverArgs(['0', 'h'])).toThrow('failover needs 12 arguments');
    expect(() => parseFailoverArgs(['x', 'h', '5432', '/d', '1', 'H', '0', '0', '5433', '/D', 'N', '5432'])).toThrow(
      "%d: 'x' is not a number",
    );
  });
  it('decides: a failed standby promotes nothing, a failed primary promotes %m, %m = -1 means no standby left', () => {
    expect(decideFailover(failover(2, 0, 0)).kind).toBe('standby-failed');
    expect(decideFailover(failover(0, 1, 0))).toMatchObject({ kind: 'promote' });
    expect(decideFailover(failover(0, -1, 0))).toMatchObject({
      kind: 'no-candidate',
      why: expect.stringContaining('no standby left'),
    });
  });
  it("keeps the standby's application_name when re-pointing it", () => {
    expect(applicationNameOf('host=a port=1 application_name=node2 user=x', 2)).toBe('node2');
    expect(applicationNameOf("host=a application_name='my node'", 2)).toBe('my node');
    expect(applicationNameOf(null, 3)).toBe('node3');
  });
  it('builds the remote command as ssh wants it: the prefix words, then one quoted command', () => {
    expect(
      remoteArgv('ssh -T postgres@%h', 'db2', [
        'pgsr',
        'rebuild',
        '-D',
        '/var/lib/pgsql/data',
        '--from',
        'host=db1 application_name=node2',
      ]),
    ).toEqual([
      'ssh',
      '-T',
      'postgres@db2',
      "pgsr rebuild -D /var/lib/pgsql/data --from 'host=db1 application_name=node2'",
    ]);
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});

describe('the standby failover_command promotes', () => {
  const c = (id: number, position?: string, version = 150000) => ({
    id,
    host: '10.0.0.' + id,
    port: 5432,
    position,
    version,
  });
  it("promotes the standby that received the most WAL, not Pgpool's %m, and says why", () => {
    const r = chooseCandidate(failover(0, 1, 0), [c(1, '1/0/5000000'), c(2, '1/0/5000100')]);
    expect(r).toMatchObject({ id: 2, host: '10.0.0.2' });
    expect(r.overrides).toMatch(
      /node 2 promoted instead of Pgpool's node 1: it received more WAL \(1\/0\/5000100 > 1\/0\/5000000\)/,
    );
  });
  it('a newer timeline wins over a greater LSN; a tie goes to %m, then the lowest id', () => {
    expect(chooseCandidate(failover(0, 1, 0), [c(1, '1/0/9000000'), c(2, '2/0/5000000')]).id).toBe(2);
    expect(chooseCandidate(failover(0, 2, 0), [c(1, '1/0/5000000'), c(2, '1/0/5000000')])).toEqual({
      id: 2,
      host: 'H',
      port: 5433,
    });
    expect(chooseCandidate(failover(0, 1, 0), [c(1, '1/0/1'), c(3, '1/0/5'), c(2, '1/0/5')]).id).toBe(2);
  });
  it('keeps %m when its position is unknown, when the others did not answer, or when the better one is older than 12', () => {
    expect(chooseCandidate(failover(0, 1, 0), [c(1), c(2, '1/0/5')]).id).toBe(1);
    expect(chooseCandidate(failover(0, 1, 0), [c(1, '1/0/5'), c(2)]).overrides).toBeUndefined();
    expect(chooseCandidate(failover(0, 1, 0), [c(1, '1/0/5'), c(2, '1/0/9', 110000)]).id).toBe(1);
    expect(chooseCandidate(failover(0, 1, 0), [c(0, '1/0/9'), c(1, '1/0/5')]).id).toBe(1);
  });
  it('reads pcp_node_info, skipping warning lines', () => {
    const out =
      'WARNING: unable to get password\nh3 5434 1 0.333333 waiting up standby standby 0 streaming async 2026-12-03 11:00:00\n';
    expect(parsePcpNodeInfo(out, 2)).toEqual({ id: 2, host: 'h3', port: 5434, status: 'waiting', role: 'standby' });
    expect(parsePcpNodeInfo('ERROR: connection to socket failed', 0)).toBeUndefined();
  });
  it('reads /proc/net/tcp and tcp6 sockets: remote address, port, state, inode', () => {
    const tcp =
      '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n   0: 0100007F:9C40 0100007F:1538 01 00000000:00000000 00:00000000 00000000   104        0 123456 1 0000000000000000 20 4 0 10 -1\n';
    expect(parseProcNetTcp(tcp)).toEqual([{ remote: '127.0.0.1', remotePort: 5432, state: '01', inode: '123456' }]);
    const tcp6 =
      'header\n   0: 00000000000000000000000001000000:9C40 00000000000000000000000001000000:1538 01 0:0 0:0 0 104 0 42 1\n   1: 0000000000000000FFFF00000100000A:9C41 0000000000000000FFFF00000200000A:1539 06 0:0 0:0 0 104 0 43 1\n';
    expect(parseProcNetTcp(tcp6)).toEqual([
      { remote: '::1', remotePort: 5432, state: '01', inode: '42' },
      { remote: '10.0.0.2', remotePort: 5433, state: '06', inode: '43' },
    ]);
  });
});

describe('judgePgpool', () => {
  const target = { host: 'pool', port: 9999 };
  const node = (id: number, status: string, role: string): PoolNodeView => ({
    id,
    host: '10.0.0.' + id,
    port: 5432,
    status,
    role,
  });
  const obs = (role: 'primary' | 'standby', streaming = true): Observation => ({
    ok: true,
    target: { host: 'x', port: 5432 },
    server: { versionNum: 150000, version: '15', inRecovery: role === 'standby', role },
    durationMs: 1,
    ...(role === 'standby'
      ? {
          standby: {
            walreceiver: streaming ? ({ status: 'streaming' } as never) : null,
            receiveLsn: null,
            replayLsn: null,
            replayLagBytes: 0,
            lastReplayAgeS: null,
            replayPaused: false,
            timeline: 1,
            walReceiverTimeoutMs: 60000,
          },
        }
      : {}),
  });
  const pool = (nodes: PoolNodeView[]) => ({ ok: true as const, nodes });
  it('healthy: OK with the nodes in the summary', () => {
    const v = judgePgpool(
      target,
      pool([node(0, 'up', 'primary'), node(1, 'up', 'standby')]),
      new Map([
        [0, obs('primary')],
        [1, obs('standby')],
      ]),
      3,
    );
    expect(v.severity).toBe('ok');
    expect(v.summary).toBe('2 of 2 backends in service: node 0 up primary, node 1 up standby');
  });
  it('pcp_promote_node without a promotion: Pgpool\'s primary is a standby, the real primary a "standby"', () => {
    const v = judgePgpool(
      target,
      pool([node(0, 'up', 'standby'), node(1, 'up', 'primary')]),
      new Map([
        [0, obs('primary')],
        [1, obs('standby')],
      ]),
      3,
    );
    expect(v.findings.map((f) => f.code)).toEqual(['pgpool_primary_mismatch', 'pgpool_primary_mismatch']);
  });
  it('two primaries, a detached healthy standby, a down node, no standby left', () => {
    expect(
      judgePgpool(
        target,
        pool([node(0, 'up', 'primary'), node(1, 'up', 'standby')]),
        new Map([
          [0, obs('primary')],
          [1, obs('primary')],
        ]),
        3,
      ).findings.map((f) => f.code),
    ).toContain('pgpool_two_primaries');
    const d = judgePgpool(
      target,
      pool([node(0, 'up', 'primary'), node(1, 'down', 'standby'), node(2, 'down', 'standby')]),
      new Map([
        [0, obs('primary')],
        [1, obs('standby')],
        [
          2,
          {
            ok: false,
            target,
            failure: { kind: 'refused', detail: 'x', phase: 'connect' },
            durationMs: 1,
          } as Observation,
        ],
      ]),
      3,
    );
    expect(d.findings.map((f) => [f.code, f.severity])).toEqual([
      ['pgpool_standby_detached', 'critical'],
      ['pgpool_no_standby', 'critical'],
      ['pgpool_backend_down', 'warning'],
    ]);
  });
  it('Pgpool itself cannot be asked: critical, cannot_connect', () => {
    expect(
      judgePgpool(
        target,
        { ok: false, failure: { kind: 'refused', detail: 'ECONNREFUSED', phase: 'connect' } },
        new Map(),
        1,
      ).findings.map((f) => f.code),
    ).toEqual(['cannot_connect']);
  });
});
