/** Test fixtures: a pg_stat_replication row of a healthy streaming standby, with overrides. */
import type { ReplicationRow } from '../../src/observation';

export function replicationRow(r: Partial<ReplicationRow> = {}): ReplicationRow {
  return {
    pid: 200,
    applicationName: 'slave',
    clientAddr: '192.168.1.3',
    state: 'streaming',
    syncState: 'async',
    sentLsn: '0/3000000',
    writeLsn: '0/3000000',
    flushLsn: '0/3000000',
    replayLsn: '0/3000000',
    replayLagBytes: 0,
    flushLagBytes: 0,
    writeLagS: null,
    flushLagS: null,
    replayLagS: null,
    replyAgeS: null,
    slotName: null,
    ...r,
  };
}
