import { describe, expect, it } from 'vitest';
import { walreceiverFailures } from '../../src/probe/server-log';

describe('walreceiverFailures', () => {
  it('reads the walreceiver failures PostgreSQL logs, oldest first, and nothing else', () => {
    const log = [
      '2026-12-03 17:50:01.123 UTC [4242] LOG:  entering standby mode',
      '2026-12-03 17:50:01.200 UTC [4250] FATAL:  could not connect to the primary server: connection to server at "127.0.0.1", port 5432 failed: fe_sendauth: no password supplied',
      '2026-12-03 17:50:06.210 UTC [4251] FATAL:  could not connect to the primary server: FATAL:  password authentication failed for user "repl"',
      '2026-12-03 17:50:11.300 UTC [4252] FATAL:  database system identifier differs between the primary and standby',
      "2026-12-03 17:50:11.300 UTC [4252] DETAIL:  The primary's identifier is 7350000000000000001, the standby's identifier is 7350000000000000002.",
      '2026-12-03 17:50:16.000 UTC [4253] FATAL:  highest timeline 1 of the primary is behind recovery timeline 2',
      '2026-12-03 17:50:20.000 UTC [4242] LOG:  started streaming WAL from primary at 0/3000000 on timeline 1',
    ].join('\n');
    expect(walreceiverFailures(log)).toEqual([
      {
        kind: 'connect',
        reason: 'connection to server at "127.0.0.1", port 5432 failed: fe_sendauth: no password supplied',
      },
      { kind: 'connect', reason: 'FATAL:  password authentication failed for user "repl"' },
      { kind: 'identity', reason: 'database system identifier differs between the primary and standby' },
      { kind: 'identity', reason: 'highest timeline 1 of the primary is behind recovery timeline 2' },
    ]);
    expect(walreceiverFailures('LOG:  started streaming WAL from primary at 0/3000000 on timeline 1\n')).toEqual([]);
    // What may pass by itself is not counted: the wait goes on.
    const transient = [
      'FATAL:  could not connect to the primary server: connection to server at "10.0.0.1", port 5432 failed: Connection refused',
      'FATAL:  could not connect to the primary server: connection to server at "10.0.0.1", port 5432 failed: timeout expired',
      'FATAL:  could not connect to the primary server: connection to server at "10.0.0.1", port 5432 failed: FATAL:  the database system is starting up',
    ].join('\n');
    expect(walreceiverFailures(transient)).toEqual([]);
  });
});
