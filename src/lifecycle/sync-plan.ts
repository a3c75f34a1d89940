/**
 * The synchronous replication manager's pure decision (rep-mode sync, as PG-REX): which
 * value synchronous_standby_names should have on the primary now, and which standby may be
 * promoted without losing an acknowledged commit. No I/O: lifecycle/syncrep.ts applies the value,
 * agents/watch.ts and agents/ocf.ts call both.
 *
 * Rules:
 * - Named: the standbys whose walsender streams (caught up), by application_name, the one in
 *   sync now first (no flapping), then the others by name. One → `"name"`; several →
 *   `FIRST 1 ("a", "b")`: exactly one standby is synchronous at a time (sync_state `sync`, the
 *   others `potential`), so exactly one is known to hold every acknowledged commit. `ANY 1`
 *   (quorum) would spread that over all of them and make no single one safe to promote.
 * - None streams → '' : commits stop waiting at once (the checkpointer wakes every waiter when
 *   synchronous_standby_names becomes empty, syncrep.c).
 * - Released: when sessions have waited on SyncRep longer than the wait limit, the synchronous
 *   standby does not acknowledge (power loss: its walsender stays "streaming" until
 *   wal_sender_timeout). It is left out until its walsender changes (it reconnected) or it has
 *   flushed the WAL written up to its release (it was only slow).
 * - Promotable: the standby in sync_state `sync` that stays named first and whose flush_lsn is at
 *   least the primary's LSN read at the start of this observation: it holds every commit
 *   acknowledged before (including those acknowledged while asynchronous), and every later one
 *   waits for it. Nobody else.
 */
import type { PrimaryState, ReplicationRow } from '../observation';
import { lsnValue } from '../lsn';

/** A standby taken out of synchronous_standby_names because commits waited for it. */
export interface SyncRelease {
  /** Its walsender's pid at the release: a new walsender (reconnection) makes it eligible again. */
  pid: number;
  applicationName: string;
  /** The primary's LSN at the release: once it has flushed this far, it is eligible again. */
  lsn: string;
  /** When (epoch ms), for the log. */
  at: number;
}

/** The manager's decision for one observation of the primary. */
export interface SyncPlan {
  /** The value synchronous_standby_names should have. */
  names: string;
  /** True when it differs from the value in effect. */
  change: boolean;
  /** The value in effect. */
  current: string;
  /** The standbys named, in order. */
  named: string[];
  /** The standby that may be promoted without losing an acknowledged commit, if any. */
  promotable?: string;
  /** The releases still in force after this observation (to keep for the next one). */
  released: SyncRelease[];
  /** One line: why this value. */
  reason: string;
}

/** A standby name as synchronous_standby_names wants it: a double-quoted identifier. */
export function quoteStandbyName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** synchronous_standby_names for these standbys, in order (see the module rules). */
export function standbyNamesValue(names: string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return quoteStandbyName(names[0]);
  return `FIRST 1 (${names.map(quoteStandbyName).join(', ')})`;
}

const atLeast = (a: string | null, b: string | null): boolean => {
  const x = lsnValue(a);
  const y = lsnValue(b);
  return x !== null && y !== null && x >= y;
};

/**
 * Decides synchronous_standby_names for a primary under rep-mode sync.
 * @param primary the primary's observation (standbys, currentLsn read before them, sync).
 * @param released releases kept from the previous decision ([] at the first one).
 * @param waitLimitS seconds a commit may wait before the synchronous standby is released; 0 = never.
 * @param nowMs the time of the observation (epoch ms).
 */
export function decideSyncNames(
  primary: PrimaryState,
  released: SyncRelease[],
  waitLimitS: number,
  nowMs: number,
): SyncPlan {
  const current = primary.sync?.standbyNames ?? '';
  const rows = primary.standbys.filter((r) => r.applicationName !== '');
  const byPid = new Map<number, ReplicationRow>(rows.filter((r) => r.pid !== null).map((r) => [r.pid as number, r]));
  // A release holds while the same walsender is there and has not flushed past the release LSN.
  const still = released.filter((x) => {
    const r = byPid.get(x.pid);
    return r !== undefined && !atLeast(r.flushLsn, x.lsn);
  });
  const notes: string[] = [];
  const sync = primary.sync;
  const syncNow = rows.filter((r) => r.state === 'streaming' && (r.syncState === 'sync' || r.syncState === 'quorum'));
  if (sync && waitLimitS > 0 && sync.waiting > 0 && (sync.longestWaitS ?? 0) > waitLimitS && current.trim() !== '') {
    for (const r of syncNow) {
      if (r.pid === null || still.some((x) => x.pid === r.pid)) continue;
      still.push({ pid: r.pid, applicationName: r.applicationName, lsn: primary.currentLsn ?? '0/0', at: nowMs });
      notes.push(
        `released "${r.applicationName}": ${sync.waiting} commit${sync.waiting === 1 ? '' : 's'} waited ${Math.round((sync.longestWaitS ?? 0) * 10) / 10} s for it (limit ${waitLimitS} s)`,
      );
    }
  }
  const heldBack = new Set(still.map((x) => x.pid));
  const eligible = rows.filter((r) => r.state === 'streaming' && !heldBack.has(r.pid as number));
  const syncFirst = [
    ...new Set([
      ...eligible.filter((r) => syncNow.includes(r)).map((r) => r.applicationName),
      ...eligible.map((r) => r.applicationName).sort(),
    ]),
  ];
  const names = standbyNamesValue(syncFirst);
  const first = syncFirst[0];
  const firstRow =
    first === undefined ? undefined : syncNow.find((r) => r.applicationName === first && r.syncState === 'sync');
  const promotable = firstRow && atLeast(firstRow.flushLsn, primary.currentLsn) ? first : undefined;
  const others = rows.filter((r) => r.state !== 'streaming').map((r) => `"${r.applicationName}" ${r.state ?? '?'}`);
  const held = still.map((x) => `"${x.applicationName}" released (waits for a reconnection or a flush to ${x.lsn})`);
  const reason = [
    ...notes,
    syncFirst.length ? `streaming: ${syncFirst.map((n) => `"${n}"`).join(', ')}` : 'no standby streams',
    ...(others.length ? [`not streaming: ${others.join(', ')}`] : []),
    ...(notes.length ? [] : held),
  ].join('; ');
  return { names, change: names !== current, current, named: syncFirst, promotable, released: still, reason };
}
