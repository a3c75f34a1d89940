/**
 * `pgsr preflight`: every prerequisite of a failover, a rebuild and a pg_rewind judged at once,
 * each check with a stable id, the node it is about, pass / warn / fail, a message and the fix.
 * Rules from the PostgreSQL docs: "Log-Shipping Standby Servers" (wal_level, max_wal_senders,
 * hot_standby, a standby's settings at least the primary's), pg_rewind (wal_log_hints or data
 * checksums), "Continuous Archiving" (archive_command when archive_mode is on), "Synchronous
 * Replication" (synchronous_commit), libpq's password file (no group or world access). Pure.
 */
import type { Observation, PassfileFact, PreflightFacts, ProbeFailure, ReplicationAttempt } from '../observation';
import type { RepMode } from '../types';
import { t } from '../i18n';

/** The check ids (README "pgsr preflight"); `connection` and `primary` are pgsr's extras. */
export type PreflightId =
  | 'connection'
  | 'primary'
  | 'wal_level'
  | 'max_wal_senders'
  | 'max_replication_slots'
  | 'hot_standby'
  | 'pg_rewind'
  | 'archive'
  | 'synchronous_commit'
  | 'system_identifier'
  | 'major_version'
  | 'timeline'
  | 'replication_connection'
  | 'application_name'
  | 'passfile';

/** pass: ready; warn: works, but a later step is worse than it need be; fail: a failover, rebuild or standby will not work. */
export type PreflightStatus = 'pass' | 'warn' | 'fail';

/** One judged prerequisite. `node` null: about the cluster, or the machine pgsr runs on. `fix` null when nothing is to be done. */
export interface PreflightCheck {
  id: PreflightId;
  node: string | null;
  status: PreflightStatus;
  message: string;
  fix: string | null;
}

/** One node as preflight asked it: the check's observation and the preflight facts. */
export interface PreflightNode {
  name: string;
  obs: Observation;
  facts: { ok: true; facts: PreflightFacts } | { ok: false; failure: ProbeFailure };
}

/** Everything preflight judges. `replication` undefined: no single primary to connect to. */
export interface PreflightInput {
  nodes: PreflightNode[];
  replication?: ReplicationAttempt;
  passfiles: PassfileFact[];
  repMode: RepMode;
  /** application_name of each standby the primary's checks expect (`--application-name`). */
  applicationNames: string[];
}

type Reachable = PreflightNode & {
  obs: Extract<Observation, { ok: true }>;
  settings: Readonly<Record<string, string>>;
  systemIdentifier: string | null;
};

const check = (
  id: PreflightId,
  node: string | null,
  status: PreflightStatus,
  message: string,
  fix: string | null = null,
): PreflightCheck => ({ id, node, status, message, fix });
const major = (n: Reachable): number => Math.floor(n.obs.server.versionNum / 10000);
const timelineOf = (n: Reachable): number | null =>
  n.obs.primary?.timeline ?? n.obs.standby?.timeline ?? n.obs.standby?.walreceiver?.receivedTli ?? null;

/** Every check, nodes in the order given, then the cluster's. */
export function preflightChecks(input: PreflightInput): PreflightCheck[] {
  const out: PreflightCheck[] = [];
  const reachable: Reachable[] = [];
  for (const n of input.nodes) {
    if (!n.obs.ok || !n.facts.ok) {
      const failure = !n.obs.ok ? n.obs.failure : (n.facts as { failure: ProbeFailure }).failure;
      out.push(check('connection', n.name, 'fail', failure.detail, t('pf.connection_fix')));
      continue;
    }
    reachable.push({
      ...n,
      obs: n.obs,
      settings: n.facts.facts.settings,
      systemIdentifier: n.facts.facts.systemIdentifier,
    });
  }
  const standbys = input.nodes.length - 1;
  const slotsUsed = reachable.some(
    (n) => (n.obs.primary?.slots.length ?? 0) > 0 || !!n.obs.standby?.walreceiver?.slotName,
  );
  for (const n of reachable) out.push(...nodeChecks(n, standbys, slotsUsed, input.repMode));
  const primaries = reachable.filter((n) => n.obs.primary);
  out.push(primaryCheck(primaries.map((p) => p.name)));
  const primary = primaries.length === 1 ? primaries[0] : undefined;
  if (primary) out.push(...clusterChecks(primary, reachable, input));
  out.push(...passfileChecks(input.passfiles));
  return out;
}

function nodeChecks(n: Reachable, standbys: number, slotsUsed: boolean, repMode: RepMode): PreflightCheck[] {
  const s = n.settings;
  const out = [
    s.wal_level === 'minimal'
      ? check('wal_level', n.name, 'fail', t('pf.wal_level_fail', { value: s.wal_level }), t('pf.wal_level_fix'))
      : check('wal_level', n.name, 'pass', `wal_level = ${s.wal_level ?? '?'}`),
    countCheck('max_wal_senders', n.name, s.max_wal_senders, standbys + 1, 'pf.senders', standbys),
    slotsUsed
      ? countCheck('max_replication_slots', n.name, s.max_replication_slots, standbys, 'pf.slots', standbys)
      : check('max_replication_slots', n.name, 'pass', t('pf.slots_unused')),
    s.hot_standby === 'off'
      ? check('hot_standby', n.name, 'fail', t('pf.hot_standby_fail'), t('pf.hot_standby_fix'))
      : check('hot_standby', n.name, 'pass', 'hot_standby = on'),
    rewindCheck(n),
    archiveCheck(n),
  ];
  if (repMode === 'sync') {
    const v = s.synchronous_commit ?? '?';
    out.push(
      v === 'off' || v === 'local'
        ? check('synchronous_commit', n.name, 'fail', t('pf.sync_commit_fail', { value: v }), t('pf.sync_commit_fix'))
        : check('synchronous_commit', n.name, 'pass', `synchronous_commit = ${v}`),
    );
  }
  return out;
}

/** A count setting against what the cluster needs (a standby needs at least the primary's: it may become the primary). */
function countCheck(
  id: PreflightId,
  node: string,
  value: string | undefined,
  need: number,
  key: 'pf.senders' | 'pf.slots',
  standbys: number,
): PreflightCheck {
  const have = Number(value);
  const v = { name: id, value: String(value ?? '?'), need: String(need), standbys: String(standbys) };
  if (Number.isFinite(have) && have >= need)
    return check(id, node, 'pass', key === 'pf.senders' ? t('pf.senders_pass', v) : t('pf.slots_pass', v));
  return check(
    id,
    node,
    'fail',
    key === 'pf.senders' ? t('pf.senders_fail', v) : t('pf.slots_fail', v),
    t('pf.count_fix', v),
  );
}

function rewindCheck(n: Reachable): PreflightCheck {
  if (n.settings.wal_log_hints === 'on')
    return check('pg_rewind', n.name, 'pass', t('pf.rewind_pass', { how: 'wal_log_hints = on' }));
  if (n.settings.data_checksums === 'on')
    return check('pg_rewind', n.name, 'pass', t('pf.rewind_pass', { how: 'data_checksums = on' }));
  return check('pg_rewind', n.name, 'warn', t('pf.rewind_warn'), t('pf.rewind_fix'));
}

function archiveCheck(n: Reachable): PreflightCheck {
  const mode = n.settings.archive_mode ?? 'off';
  if (mode === 'off') return check('archive', n.name, 'pass', 'archive_mode = off');
  const command = (n.settings.archive_command ?? '').trim();
  const library = (n.settings.archive_library ?? '').trim();
  if (command !== '' || library !== '')
    return check(
      'archive',
      n.name,
      'pass',
      t('pf.archive_pass', { mode, what: command !== '' ? 'archive_command' : `archive_library = ${library}` }),
    );
  return check('archive', n.name, 'fail', t('pf.archive_fail', { mode }), t('pf.archive_fix'));
}

function primaryCheck(names: string[]): PreflightCheck {
  if (names.length === 1) return check('primary', names[0], 'pass', t('pf.primary_pass', { name: names[0] }));
  if (names.length > 1)
    return check(
      'primary',
      null,
      'fail',
      t('status.two_primaries', { names: names.join(', ') }),
      t('pf.primary_two_fix'),
    );
  return check('primary', null, 'fail', t('status.no_primary'), t('pf.primary_none_fix'));
}

function clusterChecks(primary: Reachable, nodes: Reachable[], input: PreflightInput): PreflightCheck[] {
  const others = nodes.filter((n) => n !== primary);
  const out: PreflightCheck[] = [];
  const id = primary.systemIdentifier;
  // An identifier that could not be read (no privilege on pg_control_system()) is not judged.
  const unknown = [primary, ...others].filter((n) => n.systemIdentifier === null);
  for (const n of unknown)
    out.push(check('system_identifier', n.name, 'warn', t('pf.sysid_unknown'), t('pf.sysid_unknown_fix')));
  const alien = id === null ? [] : others.filter((n) => n.systemIdentifier !== null && n.systemIdentifier !== id);
  for (const n of alien)
    out.push(
      check(
        'system_identifier',
        n.name,
        'fail',
        t('pf.sysid_fail', { id: String(n.systemIdentifier), primary: String(id) }),
        t('pf.rebuild_fix', { primary: primary.name }),
      ),
    );
  if (alien.length === 0 && unknown.length === 0)
    out.push(check('system_identifier', null, 'pass', t('pf.sysid_pass', { id: String(id) })));
  const off = others.filter((n) => major(n) !== major(primary));
  for (const n of off)
    out.push(
      check(
        'major_version',
        n.name,
        'fail',
        t('pf.major_fail', { major: String(major(n)), primary: String(major(primary)) }),
        t('pf.major_fix'),
      ),
    );
  if (off.length === 0)
    out.push(check('major_version', null, 'pass', t('pf.major_pass', { major: String(major(primary)) })));
  const tli = timelineOf(primary) ?? 0;
  for (const n of others) {
    const own = timelineOf(n);
    if (own !== null && own > tli)
      out.push(
        check(
          'timeline',
          n.name,
          'fail',
          t('pf.timeline_fail', { tli: String(own), primary: String(tli) }),
          t('pf.rebuild_fix', { primary: primary.name }),
        ),
      );
    else
      out.push(
        check('timeline', n.name, 'pass', t('pf.timeline_pass', { tli: String(own ?? '?'), primary: String(tli) })),
      );
  }
  if (input.replication) out.push(replicationCheck(primary, input.replication));
  out.push(...applicationNameChecks(primary, input.applicationNames));
  return out;
}

function replicationCheck(primary: Reachable, r: ReplicationAttempt): PreflightCheck {
  const vars = { primary: primary.name, user: r.user };
  if (!r.ok)
    return check(
      'replication_connection',
      primary.name,
      'fail',
      t('pf.repl_fail', { ...vars, detail: r.failure.detail }),
      t('pf.repl_fix', vars),
    );
  if (primary.systemIdentifier !== null && r.systemIdentifier !== primary.systemIdentifier)
    return check(
      'replication_connection',
      primary.name,
      'fail',
      t('pf.repl_other', { ...vars, id: r.systemIdentifier, expected: primary.systemIdentifier }),
      t('pf.repl_other_fix'),
    );
  return check('replication_connection', primary.name, 'pass', t('pf.repl_pass', { ...vars, tli: String(r.timeline) }));
}

function applicationNameChecks(primary: Reachable, expected: string[]): PreflightCheck[] {
  const names = (primary.obs.primary?.standbys ?? []).map((r) => r.applicationName);
  const seen = names.length ? names.join(', ') : '-';
  const out: PreflightCheck[] = [];
  for (const name of new Set(names)) {
    const count = names.filter((x) => x === name).length;
    if (count > 1)
      out.push(
        check(
          'application_name',
          primary.name,
          'fail',
          t('pf.appname_dup', { name, count: String(count) }),
          t('pf.appname_fix'),
        ),
      );
  }
  for (const name of expected.filter((e) => !names.includes(e)))
    out.push(
      check(
        'application_name',
        primary.name,
        'fail',
        t('pf.appname_missing', { name, names: seen }),
        t('pf.appname_fix'),
      ),
    );
  if (out.length === 0)
    out.push(check('application_name', primary.name, 'pass', t('pf.appname_pass', { names: seen })));
  return out;
}

function passfileChecks(files: PassfileFact[]): PreflightCheck[] {
  if (files.length === 0) return [check('passfile', null, 'pass', t('pf.passfile_none'))];
  return files.map((f) => {
    const mode = `0${f.mode.toString(8).padStart(3, '0')}`;
    if ((f.mode & 0o077) !== 0)
      return check('passfile', null, 'fail', t('pf.passfile_mode', { path: f.path, mode }), `chmod 0600 ${f.path}`);
    if (f.ownerUid !== f.expectedUid)
      return check(
        'passfile',
        null,
        'fail',
        t('pf.passfile_owner', { path: f.path, uid: String(f.ownerUid), user: f.expectedUser }),
        `chown ${f.expectedUser} ${f.path}`,
      );
    return check('passfile', null, 'pass', t('pf.passfile_pass', { path: f.path, mode, user: f.expectedUser }));
  });
}

/** Exit status of `pgsr preflight`: 0 all pass, 1 warnings only, 2 any failure. */
export function preflightExit(checks: PreflightCheck[]): 0 | 1 | 2 {
  if (checks.some((c) => c.status === 'fail')) return 2;
  return checks.some((c) => c.status === 'warn') ? 1 : 0;
}
