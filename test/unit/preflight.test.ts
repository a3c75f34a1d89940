import { describe, expect, it } from 'vitest';
import type { Observation, StandbyState } from '../../src/observation';
import { preflightChecks, preflightExit, type PreflightInput, type PreflightNode } from '../../src/verdict/preflight';
import { preflightJson, renderPreflightText } from '../../src/dialect/preflight';
import { replicationRow } from '../helpers/rows';

const server = (standby: boolean, versionNum = 150018) => ({
  versionNum,
  version: '15',
  inRecovery: standby,
  role: standby ? ('standby' as const) : ('primary' as const),
});
const primary = (names: string[], timeline = 2): Observation => ({
  ok: true,
  target: { host: '10.0.0.1', port: 5432 },
  server: server(false),
  durationMs: 1,
  primary: {
    currentLsn: '0/3000000',
    timeline,
    walSenderTimeoutMs: 60000,
    standbys: names.map((n) => replicationRow({ applicationName: n })),
    otherWalsenders: [],
    slots: [],
  },
});
const standby = (timeline = 2, versionNum = 150018): Observation => ({
  ok: true,
  target: { host: '10.0.0.2', port: 5432 },
  server: server(true, versionNum),
  durationMs: 1,
  standby: { walreceiver: null, timeline } as unknown as StandbyState,
});
const GOOD = {
  wal_level: 'replica',
  max_wal_senders: '10',
  max_replication_slots: '10',
  hot_standby: 'on',
  wal_log_hints: 'on',
  data_checksums: 'off',
  archive_mode: 'off',
  archive_command: '',
  synchronous_commit: 'on',
};
const node = (
  name: string,
  obs: Observation,
  settings: Record<string, string> = {},
  id: string | null = '7',
): PreflightNode => ({
  name,
  obs,
  facts: { ok: true, facts: { settings: { ...GOOD, ...settings }, systemIdentifier: id } },
});
const input = (nodes: PreflightNode[], over: Partial<PreflightInput> = {}): PreflightInput => ({
  nodes,
  passfiles: [],
  repMode: 'async',
  applicationNames: [],
  replication: { ok: true, user: 'rep', systemIdentifier: '7', timeline: 2 },
  ...over,
});
const failing = (i: PreflightInput) =>
  preflightChecks(i)
    .filter((c) => c.status !== 'pass')
    .map((c) => `${c.id}:${c.node}:${c.status}`);

describe('pgsr preflight: the checks (pure)', () => {
  it('a healthy pair passes; exit 0', () => {
    const checks = preflightChecks(input([node('db1', primary(['db2'])), node('db2', standby())]));
    expect(checks.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(preflightExit(checks)).toBe(0);
  });
  it('archive_mode on without a command fails, with archive_library it passes; sync mode checks synchronous_commit', () => {
    expect(
      failing(
        input([
          node('db1', primary(['db2']), { archive_mode: 'on' }),
          node('db2', standby(), { archive_mode: 'always', archive_library: 'basic_archive' }),
        ]),
      ),
    ).toEqual(['archive:db1:fail']);
    expect(
      failing(input([node('db1', primary(['db2']), { synchronous_commit: 'local' }), node('db2', standby())])),
    ).toEqual([]);
    expect(
      failing(
        input([node('db1', primary(['db2']), { synchronous_commit: 'local' }), node('db2', standby())], {
          repMode: 'sync',
        }),
      ),
    ).toEqual(['synchronous_commit:db1:fail']);
  });
  it('wal_level minimal, hot_standby off, a standby ahead on timeline, another major, duplicate and missing application names', () => {
    const f = failing(
      input(
        [
          node('db1', primary(['x', 'x'])),
          node('db2', standby(3), { wal_level: 'minimal', hot_standby: 'off' }),
          node('db3', standby(2, 140010)),
        ],
        { applicationNames: ['db3'] },
      ),
    );
    expect(f.sort()).toEqual([
      'application_name:db1:fail',
      'application_name:db1:fail',
      'hot_standby:db2:fail',
      'major_version:db3:fail',
      'timeline:db2:fail',
      'wal_level:db2:fail',
    ]);
  });
  it('slots in use need one per standby on every node; a replication connection reaching another system fails', () => {
    const withSlot = primary(['db2']) as Extract<Observation, { ok: true }>;
    withSlot.primary!.slots = [{ name: 's', active: true, walStatus: 'reserved' }];
    const f = failing(
      input([node('db1', withSlot), node('db2', standby(), { max_replication_slots: '0' })], {
        replication: { ok: true, user: 'rep', systemIdentifier: '8', timeline: 2 },
      }),
    );
    expect(f).toEqual(['max_replication_slots:db2:fail', 'replication_connection:db1:fail']);
  });
  it('two primaries: said, and no cross-node check judged against either', () => {
    const checks = preflightChecks(
      input([node('db1', primary([])), node('db2', primary([]), {}, '9')], { replication: undefined }),
    );
    expect(
      failing(input([node('db1', primary([])), node('db2', primary([]), {}, '9')], { replication: undefined })),
    ).toEqual(['primary:null:fail']);
    expect(checks.some((c) => c.id === 'system_identifier')).toBe(false);
    expect(preflightExit(checks)).toBe(2);
  });
  it('password files: group-readable and foreign-owned fail with the command that fixes them', () => {
    const checks = preflightChecks(
      input([node('db1', primary([]))], {
        passfiles: [
          { path: '/a', mode: 0o640, ownerUid: 1, expectedUid: 1, expectedUser: 'postgres' },
          { path: '/b', mode: 0o600, ownerUid: 0, expectedUid: 1, expectedUser: 'postgres' },
        ],
      }),
    );
    expect(checks.filter((c) => c.id === 'passfile').map((c) => c.fix)).toEqual(['chmod 0600 /a', 'chown postgres /b']);
  });
  it('renders failures first with their fix; JSON has the documented keys and counts', () => {
    const checks = preflightChecks(
      input([node('db1', primary(['db2'])), node('db2', standby(), { wal_log_hints: 'off' })]),
    );
    expect(preflightExit(checks)).toBe(1);
    const text = renderPreflightText(checks);
    expect(text[0]).toMatch(/^preflight: \d+ passed, 1 warnings, 0 failed$/);
    expect(text[2]).toMatch(/^WARN\s+pg_rewind\s+db2\s+neither/);
    expect(text[3]).toMatch(/^\s+fix: ALTER SYSTEM SET wal_log_hints = on/);
    expect(preflightJson(checks)).toMatchObject({
      summary: { warn: 1, fail: 0 },
      checks: expect.arrayContaining([
        { id: 'pg_rewind', node: 'db2', status: 'warn', message: expect.any(String), fix: expect.any(String) },
      ]),
    });
  });
  it('a system identifier that cannot be read warns on that node and judges nothing against it', () => {
    const f = failing(input([node('db1', primary(['db2'])), node('db2', standby(), {}, null)]));
    expect(f).toEqual(['system_identifier:db2:warn']);
  });
});
