/**
 * What `pgsr preflight` reads beyond the check's observation: the settings a failover, a rebuild
 * and a pg_rewind depend on, the cluster's system identifier, a replication connection to the
 * primary (IDENTIFY_SYSTEM, as a walreceiver opens it) and the password files' permissions.
 * Every connection is bounded by the caller's deadline; nothing here judges.
 */
import { statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { ConnectionSettings } from '../config/connection';
import { connectionTo } from '../config/connection';
import { passwdEntry } from '../host/passwd';
import type { PassfileFact, PreflightFacts, ProbeFailure, ReplicationAttempt } from '../observation';
import { withConnection } from './connect';
import { str } from './rows';
import { SQL } from './statements';

/** The settings preflight judges (verdict/preflight.ts), read from pg_settings by name. */
export const PREFLIGHT_SETTINGS = [
  'wal_level',
  'max_wal_senders',
  'max_replication_slots',
  'hot_standby',
  'wal_log_hints',
  'data_checksums',
  'archive_mode',
  'archive_command',
  'archive_library',
  'synchronous_commit',
  'synchronous_standby_names',
] as const;

/**
 * Reads the preflight settings and the system identifier of one server, within `deadline` (epoch ms).
 * @returns the facts, or the classified failure (refused, auth, timeout...).
 */
export async function probePreflight(
  conn: ConnectionSettings,
  deadline: number,
): Promise<{ ok: true; facts: PreflightFacts } | { ok: false; failure: ProbeFailure }> {
  const r = await withConnection(conn, deadline, async (q) => {
    const rows = await q(SQL.settingsNamed, [[...PREFLIGHT_SETTINGS]]);
    const settings: Record<string, string> = {};
    for (const row of rows)
      if (typeof row.name === 'string' && typeof row.setting === 'string') settings[row.name] = row.setting;
    // pg_control_system() may be refused to a role without the privilege: unknown, not a failure.
    const id = await q(SQL.systemIdentifier).catch(() => []);
    return { settings, systemIdentifier: str(id[0]?.id) };
  });
  return r.ok ? { ok: true, facts: r.value } : r;
}

/**
 * IDENTIFY_SYSTEM on a physical replication connection to `primary` as `user` (password from
 * PGPASSWORD or the password files, database `replication`), within `deadline`.
 */
export async function identifySystem(
  base: ConnectionSettings,
  primary: { host: string; port: number },
  user: string,
  deadline: number,
): Promise<ReplicationAttempt> {
  const conn = { ...connectionTo(base, { ...primary, user, database: 'replication' }), replication: true };
  const r = await withConnection(conn, deadline, async (q) => (await q(SQL.identifySystem))[0]);
  if (!r.ok) return { ok: false, user, failure: r.failure };
  return {
    ok: true,
    user,
    systemIdentifier: String(r.value?.systemid ?? ''),
    timeline: Number(r.value?.timeline ?? 0),
  };
}

/**
 * The password files that exist among `passfiles` and the OS user's ~/.pgpass (the walreceiver's,
 * when the server runs as that user), with their permission bits and owners.
 */
export function passfileFacts(passfiles: string[], osUser: string): PassfileFact[] {
  const os = passwdEntry(osUser);
  const files = [...new Set([...passfiles, ...(os ? [join(os.home, '.pgpass')] : [])])];
  const me = userInfo();
  const facts: PassfileFact[] = [];
  for (const path of files) {
    try {
      const st = statSync(path);
      if (!st.isFile()) continue;
      const theirs = os !== undefined && path.startsWith(os.home + '/');
      facts.push({
        path,
        mode: st.mode & 0o777,
        ownerUid: st.uid,
        expectedUid: theirs ? os.uid : me.uid,
        expectedUser: theirs ? osUser : me.username,
      });
    } catch {
      // absent or unreadable: nothing libpq would read either
    }
  }
  return facts;
}
