/**
 * OCF resource-agent rendering (pure): return codes and meta-data.
 * Sources: Open Cluster Framework Resource Agent API (ra-api-1.dtd; return codes OCF_SUCCESS 0
 * ... OCF_FAILED_PROMOTED 9), Pacemaker Explained ("OCF Return Codes": soft, hard and fatal
 * errors), PAF's pgsqlms for the states derived from pg_controldata.
 */
import type { Verdict } from '../verdict/check';

/** OCF return codes. */
export const OCF = {
  SUCCESS: 0,
  ERR_GENERIC: 1,
  ERR_ARGS: 2,
  ERR_UNIMPLEMENTED: 3,
  ERR_PERM: 4,
  ERR_INSTALLED: 5,
  ERR_CONFIGURED: 6,
  NOT_RUNNING: 7,
  RUNNING_PROMOTED: 8,
  FAILED_PROMOTED: 9,
} as const;

/**
 * State of a stopped instance from pg_controldata's "Database cluster state" (PAF
 * `_controldata_to_ocf`): a clean shutdown is "not running"; "in production" means a primary
 * that crashed (failed promoted); anything in recovery means a standby that crashed (error).
 */
export function stoppedStateToOcf(clusterState: string | undefined): number {
  switch (clusterState) {
    case 'shut down':
    case 'shut down in recovery':
      return OCF.NOT_RUNNING;
    case 'in production':
      return OCF.FAILED_PROMOTED;
    default:
      return OCF.ERR_GENERIC;
  }
}

/**
 * The OCF code of a running instance the monitor cannot query, from the verdict's hardness (the
 * same verdict as `pgsr check`). Soft (a slow start, a saturated max_connections): OCF_ERR_GENERIC,
 * recovered in place (PAF's reasoning). Hard (authentication, pg_hba, privileges, an unsupported
 * server): OCF_ERR_PERM, a hard error that moves the resource off this node instead of restarting
 * it forever (Pacemaker Explained, "OCF Return Codes").
 */
export function monitorFailureCode(v: Pick<Verdict, 'hardness'>): number {
  return v.hardness === 'hard' ? OCF.ERR_PERM : OCF.ERR_GENERIC;
}

/** One agent parameter. */
interface Param {
  name: string;
  required?: boolean;
  type: 'string' | 'integer' | 'boolean';
  dflt?: string;
  short: string;
  long: string;
}

/** Parameters of the agent (OCF_RESKEY_<name>). */
export const OCF_PARAMS: Param[] = [
  {
    name: 'bindir',
    type: 'string',
    dflt: '',
    short: 'PostgreSQL bin directory',
    long: "Directory of pg_ctl, postgres and pg_controldata of the data directory's major version. Empty: found from PG_VERSION (Debian /usr/lib/postgresql/N/bin, PGDG /usr/pgsql-N/bin, else pg_config --bindir of that major).",
  },
  {
    name: 'pgdata',
    required: true,
    type: 'string',
    short: 'data directory',
    long: 'The PostgreSQL data directory (PGDATA), e.g. /var/lib/postgresql/15/main (Debian) or /var/lib/pgsql/15/data (PGDG RPMs). Required: there is no default.',
  },
  {
    name: 'pgconfdir',
    type: 'string',
    dflt: '',
    short: 'configuration directory',
    long: 'Directory of postgresql.conf, pg_hba.conf and pg_ident.conf when they are not in pgdata; the instance is started with its postgresql.conf as config_file. Empty: pgdata, or for a Debian cluster the /etc/postgresql/VERSION/NAME whose data_directory is pgdata.',
  },
  {
    name: 'pghost',
    type: 'string',
    dflt: '/var/run/postgresql',
    short: 'host or socket directory',
    long: 'Where the agent reaches the local instance over SQL: a unix-socket directory or an address.',
  },
  { name: 'pgport', type: 'integer', dflt: '5432', short: 'port', long: 'Port of the local instance.' },
  {
    name: 'pguser',
    type: 'string',
    dflt: 'postgres',
    short: 'database user',
    long: 'Database user for the monitoring queries (superuser or pg_monitor; the password, if any, from ~system_user/.pgpass).',
  },
  { name: 'pgdatabase', type: 'string', dflt: 'postgres', short: 'database', long: 'Database to connect to.' },
  {
    name: 'system_user',
    type: 'string',
    dflt: 'postgres',
    short: 'OS user',
    long: 'OS user owning the instance; pg_ctl and friends run as this user.',
  },
  {
    name: 'primary_conninfo',
    type: 'string',
    dflt: '',
    short: 'upstream conninfo',
    long: "primary_conninfo written when starting as standby; without an application_name in it, this node's name is added (the primary ranks standbys by it). Empty: keep the configuration already in place (e.g. an include file outside PGDATA).",
  },
  {
    name: 'maxlag',
    type: 'integer',
    dflt: '0',
    short: 'maximum lag (bytes)',
    long: 'A standby lagging more than this many bytes behind the primary gets a -INFINITY promotion score (0: no limit). A standby that is not streaming always gets -INFINITY.',
  },
  {
    name: 'rep_mode',
    type: 'string',
    dflt: 'async',
    short: 'replication mode: async or sync',
    long: "PG-REX's rep_mode. async: synchronous_standby_names is left to the operator and every streaming standby may be promoted. sync: the primary's monitor sets synchronous_standby_names to the streaming standby (FIRST 1 (...) with several) and empties it when none streams, so commits never wait for a standby that is gone; only the standby in sync_state sync that has flushed everything acknowledged may be promoted (others -INFINITY: promote them by hand, knowingly).",
  },
  {
    name: 'sync_wait_limit',
    type: 'integer',
    dflt: '10',
    short: 'commit wait limit (s)',
    long: 'rep_mode sync: when commits have waited this many seconds for the synchronous standby (gone without closing its connection: power loss, partition), the primary releases it (asynchronous until it reconnects or catches up). 0: release only when its walsender ends (wal_sender_timeout).',
  },
  {
    name: 'lang',
    type: 'string',
    dflt: '',
    short: 'message language: en or ja',
    long: "Language of the exit reasons and log lines (en or ja). Empty: from LC_ALL, LC_MESSAGES or LANG in the agent's environment (ja_* gives ja), else en. Exit codes and attributes never change.",
  },
  {
    name: 'fast_timeout',
    type: 'integer',
    dflt: '30',
    short: 'fast shutdown time (s)',
    long: 'Seconds a fast shutdown may take before the agent escalates to immediate.',
  },
];

/** The agent's description (meta-data longdesc, the man page's DESCRIPTION). */
export const OCF_LONGDESC =
  "PostgreSQL streaming replication as a promotable clone, by pgsr: one primary, standbys started as streaming replicas, promotion scores from the primary's view of its standbys (a standby that is not streaming, or lags more than maxlag bytes, is never promoted), a primary lock that keeps a crashed former primary from starting until it is rebuilt, and node attributes (status, data-status) for crm_mon -A.";

/** The agent's actions with their advised timeouts and intervals (meta-data `<actions>`). */
export const OCF_ACTIONS: Array<{ name: string; attrs: Record<string, string> }> = [
  { name: 'start', attrs: { timeout: '60s' } },
  { name: 'stop', attrs: { timeout: '60s' } },
  { name: 'promote', attrs: { timeout: '30s' } },
  { name: 'demote', attrs: { timeout: '120s' } },
  { name: 'monitor', attrs: { depth: '0', timeout: '10s', interval: '15s', role: 'Promoted' } },
  { name: 'monitor', attrs: { depth: '0', timeout: '10s', interval: '16s', role: 'Unpromoted' } },
  { name: 'notify', attrs: { timeout: '60s' } },
  { name: 'reload', attrs: { timeout: '20s' } },
  { name: 'meta-data', attrs: { timeout: '5s' } },
  { name: 'validate-all', attrs: { timeout: '5s' } },
];

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The agent's meta-data, valid against ra-api-1.dtd. */
export function metaData(version: string): string {
  const params = OCF_PARAMS.map(
    (p) => `    <parameter name="${p.name}" unique="0" required="${p.required ? 1 : 0}">
      <longdesc lang="en">${esc(p.long)}</longdesc>
      <shortdesc lang="en">${esc(p.short)}</shortdesc>
      <content type="${p.type}"${p.dflt !== undefined ? ` default="${esc(p.dflt)}"` : ''}/>
    </parameter>`,
  ).join('\n');
  return `<?xml version="1.0"?>
<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
<resource-agent name="pgsql-sr" version="${esc(version)}">
  <version>1.0</version>
  <longdesc lang="en">${esc(OCF_LONGDESC)}</longdesc>
  <shortdesc lang="en">PostgreSQL streaming replication (pgsr)</shortdesc>
  <parameters>
${params}
  </parameters>
  <actions>
${OCF_ACTIONS.map(
  (a) =>
    `    <action name="${a.name}"${Object.entries(a.attrs)
      .map(([k, v]) => ` ${k}="${v}"`)
      .join('')}/>`,
).join('\n')}
  </actions>
</resource-agent>
`;
}

/**
 * Promotion scores under rep_mode sync (as PG-REX: only `STREAMING|SYNC` may be promoted, score
 * 100 there; 1000 here, the same as the best async standby): the standby the synchronous
 * replication manager found promotable (sync, flushed past every acknowledged commit) gets 1000,
 * every other standby -INFINITY (it may lack acknowledged commits).
 */
export function syncPromotionScores(nodes: string[], promotable: string | undefined): Map<string, string> {
  return new Map(nodes.map((n) => [n, n === promotable ? '1000' : '-INFINITY']));
}

/**
 * Promotion scores from the primary's view (as PG-REX: the stale standby gets -INFINITY): streaming
 * standbys ranked by the WAL they have received (write LSN), 1000 for the best, then 999...;
 * equal positions ranked by node name (byte order: node2 before node3), so a tie never depends
 * on the order of pg_stat_replication's rows; not streaming or lagging beyond `maxlagBytes`
 * (0 = no limit): -INFINITY.
 * @param standbys one entry per pg_stat_replication row: node name (application_name), state,
 *   bytes behind the primary's current LSN (by write position).
 */
export function promotionScores(
  standbys: Array<{ node: string; state: string | null; writeLagBytes: number | null }>,
  maxlagBytes: number,
): Map<string, string> {
  const scores = new Map<string, string>();
  const good = standbys
    .filter(
      (s) =>
        s.state === 'streaming' && s.writeLagBytes !== null && (maxlagBytes <= 0 || s.writeLagBytes <= maxlagBytes),
    )
    .sort(
      (a, b) =>
        (a.writeLagBytes as number) - (b.writeLagBytes as number) || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0),
    );
  good.forEach((s, i) => scores.set(s.node, String(1000 - i)));
  for (const s of standbys) if (!scores.has(s.node)) scores.set(s.node, '-INFINITY');
  return scores;
}
