/**
 * A resident session (pgsr watch) observes with one prepared statement per role
 * (versions.ts standbyObservationSql / primaryObservationSql), the one-shot check with the
 * role's statements as one simple query. Both must give the same observation: this compares
 * them on a real pair, with a physical slot so the primary's slot list is not empty.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { labDown, labUp, psql, type LabPair } from '../../scripts/lib/lab';
import type { ConnectionSettings } from '../../src/config/connection';
import type { Observation } from '../../src/observation';
import { ProbeSession, observe } from '../../src/probe/observe';

let pair: LabPair;
beforeAll(async () => {
  pair = await labUp();
  await psql(pair, pair.primary, "SELECT pg_create_physical_replication_slot('pgsr_paths_test')");
}, 120_000);
afterAll(async () => {
  if (pair) await labDown(pair);
});

const conn = (port: number): ConnectionSettings => ({
  host: '127.0.0.1',
  port,
  user: 'postgres',
  database: 'postgres',
  sslmode: 'disable',
  applicationName: 'pgsr-paths',
  passfiles: [],
  passfileExplicit: false,
});

/**
 * The observation without what moves between two reads (ages, positions, durations: their types
 * stay) and without pendingAtMostS (a kept session's history, which a one-shot has not).
 */
function stable(o: Observation): unknown {
  return JSON.parse(
    JSON.stringify(o, (k, v) =>
      k === 'pendingAtMostS'
        ? undefined
        : [
              'durationMs',
              'lastMsgAgeS',
              'replyAgeS',
              'lastReplayAgeS',
              'longestWaitS',
              'statsResetAgeS',
              'lastArchivedAgeS',
              'lastFailedAgeS',
              'walBytes',
              'retainedBytes',
              'currentLsn',
              'sentLsn',
              'writeLsn',
              'flushLsn',
              'replayLsn',
              'receiveLsn',
              'writtenLsn',
              'flushedLsn',
              'latestEndLsn',
              'replayLagBytes',
              'flushLagBytes',
              'writeLagS',
              'flushLagS',
              'replayLagS',
            ].includes(k)
          ? v === null
            ? null
            : typeof v
          : v,
    ),
  );
}

it.each(['standby', 'primary'] as const)(
  '%s: the prepared statement of a kept session observes what the one-shot query observes',
  async (role) => {
    const port = pair[role].port;
    const oneShot = await observe(conn(port), Date.now() + 10_000);
    const session = new ProbeSession(conn(port), { resident: {} });
    try {
      await session.observe(Date.now() + 10_000); // the first observation learns role and major
      const resident = await session.observe(Date.now() + 10_000); // then the prepared statement
      const last = await psql(
        pair,
        pair[role],
        "SELECT query FROM pg_stat_activity WHERE application_name = 'pgsr-paths'",
      );
      expect(last).toMatch(/^SELECT (\* FROM|info\.\*, pos\.\*,)\s/);
      expect(resident.ok && oneShot.ok).toBe(true);
      expect(stable(resident)).toEqual(stable(oneShot));
      if (role === 'primary' && resident.ok) {
        expect(resident.primary?.standbys.map((s) => [s.applicationName, s.state, s.syncState])).toEqual([
          ['slave', 'streaming', 'async'],
        ]);
        expect(resident.primary?.slots.map((s) => [s.name, s.active])).toEqual([['pgsr_paths_test', false]]);
        expect(typeof resident.primary?.standbys[0].pid).toBe('number');
      }
    } finally {
      await session.close();
    }
  },
);
