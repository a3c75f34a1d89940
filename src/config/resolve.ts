/**
 * Turns the three sources of settings into one typed `CheckConfig`, with the precedence
 * command-line flag > environment > configuration file > default.
 *
 * Connection settings follow libpq's conventions (PostgreSQL docs 34.1 and 34.15): `-h -p -U -d`,
 * a conninfo string or URI given as the database name, and PGHOST, PGPORT, PGUSER, PGDATABASE,
 * PGSSLMODE, PGAPPNAME, PGCONNECT_TIMEOUT, PGPASSFILE, PGPASSWORD. A password is never accepted
 * as a flag, a configuration key or inside a conninfo. The parts live beside it: connection.ts
 * (pgsr's own connection), thresholds.ts (ranges, -w/-c, -t), lifecycle.ts (the lifecycle
 * commands' settings), values.ts (the small parsers).
 */
import { ConfigError } from '../errors';
import type { SenderProbePolicy } from '../observation';
import { findOnPath } from '../host/which';
import { defaultStateDir, detectFormat } from './defaults';
import {
  SYNC_STATES,
  type ExpectedRole,
  type FreeLimit,
  type Severity,
  type SyncSettings,
  type SyncState,
} from '../types';
import { integer, listenAddress, nonEmpty, oneOf, parseBool, parsePort, positiveNumber, str } from './values';
import { CHECK_SETTING_KEYS, FILE_KEYS, REPEATABLE_KEYS } from './keys';
import { expandNagiosThresholds, resolveThresholds, resolveWalFree, splitTimeoutState } from './thresholds';
import { expandDbname, resolveConnection, type ConnectionSettings } from './connection';
export { homeFromPasswd, type ConnectionSettings, type SslMode } from './connection';
import { type Conninfo } from './conninfo';
import { applyFileLang, assertCommandFileSafe, readConfigFile, type RawSettings } from './file';

export { CHECK_SETTING_KEYS, REPEATABLE_KEYS };

/** Output renderings of a check. */
export type OutputFormat = 'clusterpro' | 'nagios' | 'json' | 'text' | 'openmetrics';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['clusterpro', 'nagios', 'json', 'text', 'openmetrics'];

export type { CheckThresholds } from './thresholds';
import type { CheckThresholds } from './thresholds';
import { t } from '../i18n';

/** Settings of the resident `pgsr watch` process. */
export interface WatchSettings {
  /** Seconds between checks (default 10). */
  intervalS: number;
  /** Seconds between heartbeat lines while nothing changes (default 300; 0 = none). */
  heartbeatS: number;
  /** Consecutive failed checks after which watch exits non-zero (default 3; 0 = never). */
  failAfter: number;
  /** JSON file rewritten atomically with the last verdict, for other tools. */
  statusFile?: string;
  /** `--metrics-listen ADDR:PORT`: serve /metrics there (none by default). */
  metricsListen?: { host: string; port: number };
  /** `--textfile FILE` (check --format openmetrics): node_exporter textfile, written atomically. */
  textfile?: string;
}

/** A fully validated `pgsr check` configuration. */
export interface CheckConfig {
  connection: ConnectionSettings;
  /** OS user that owns the PostgreSQL installation (`--os-user`, default postgres). */
  osUser: string;
  expectedRole: ExpectedRole;
  /** The standby's expected upstream (e.g. the floating IP); undefined parts are not checked. */
  expectedPrimary: { host?: string; port?: number };
  /** application_name of each standby the primary must see. */
  applicationNames: string[];
  syncState?: SyncState;
  /** Streaming standbys a primary must have (default: max(1, number of application names)). */
  minStandbys: number;
  thresholds: CheckThresholds;
  /**
   * Standby: probe the walreceiver's sender when it has been silent this long (`--sender-probe-after`,
   * default 5 s; undefined = `off`) with this bound (`--sender-probe-timeout`, default 3 s).
   */
  senderProbe?: SenderProbePolicy;
  /** Severity of `pg_is_wal_replay_paused()` = true (default warning; `ok`: only lag thresholds judge). */
  replayPausedSeverity: 'ok' | 'warning' | 'critical';
  /** Seconds without a successful archive (archive_command failing) before archive_failing is critical (default 600); pg_wal's free-space limits (default 20 % / 10 %). */
  archiveFailingCriticalS: number;
  walFree: { warning: FreeLimit; critical: FreeLimit };
  /** Deadline of the whole run, in milliseconds (`--timeout`, seconds; default 10). */
  timeoutMs: number;
  /** Nagios: the state a timeout is reported as (`-t N:STATE`; monitoring-plugins default CRITICAL). */
  timeoutState: Severity;
  /** Nagios `-v` count (0-3): how much long output follows the status line. */
  verbosity: number;
  watch: WatchSettings;
  /** Synchronous replication management (check: what to expect; watch/OCF/lifecycle: what to do). */
  sync: SyncSettings;
  format: OutputFormat;
  warningIsError: boolean;
  alert: AlertSettings;
  logLevel: LogLevel;
  /** Where the settings came from, for the log: the config file path if one was read. */
  configFile?: string;
}

/** How CLUSTERPRO alerts are sent (clplogcmd) and remembered. */
export interface AlertSettings {
  enabled: boolean;
  /** clplogcmd path, or undefined when none was found (then alerts are reported as skipped). */
  command?: string;
  /** Also send to syslog (`--syslog`): lowers the message limit to 485 bytes. */
  syslog: boolean;
  /** Seconds after which an unchanged non-OK state is alerted again; 0 = never. */
  reminderS: number;
  /** Directory of the state files that de-duplicate alerts. */
  stateDir: string;
}

export type LogLevel = 'silent' | 'error' | 'warn' | 'info' | 'debug';
const LOG_LEVELS: readonly LogLevel[] = ['silent', 'error', 'warn', 'info', 'debug'];

/** The process facts resolution depends on, injectable for tests. */
export interface ResolveContext {
  env: NodeJS.ProcessEnv;
  uid: number;
  /** Reads a user's home directory from the passwd database; undefined if unknown. */
  homeOf?: (user: string) => string | undefined;
}

/** Environment variables (libpq's) mapped onto settings. */
const ENV_KEYS: Record<string, string> = {
  PGHOST: 'host',
  PGPORT: 'port',
  PGUSER: 'username',
  PGDATABASE: 'dbname',
  PGSSLMODE: 'sslmode',
  PGCONNECT_TIMEOUT: 'connect-timeout',
};

/**
 * Resolves `pgsr check` settings.
 * @param cli settings given on the command line (only those the user actually typed).
 * @throws ConfigError with a one-line message naming the setting and its source.
 */
export function resolveCheckConfig(
  cli: RawSettings,
  ctx: ResolveContext,
  defaults: { timeoutS?: number } = {},
): CheckConfig {
  return resolveWithSources(cli, ctx, defaults).config;
}

/** What a setting resolved to and where it came from (for messages). */
export interface Picked {
  value: string;
  from: string;
}

/** Looks settings up in precedence order (flag > environment > file). */
export interface Sources {
  /** A setting; with `conninfoKey`, a conninfo given as dbname at the same level counts too. */
  pick(key: string, conninfoKey?: keyof Conninfo): Picked | undefined;
  pickBool(key: string, dflt: boolean): boolean;
  /** A repeatable setting's values (comma-separated lists split) from the first level that has any, with that level's name. */
  pickList(key: string): { values: string[]; from: string };
  /** The cluster's nodes: `--node NAME=CONNINFO` flags, else the file's `node.NAME = conninfo` and `node = NAME=CONNINFO` lines. */
  nodes(): Array<{ name: string; conninfo: string; from: string }>;
}

export function resolveWithSources(
  cli: RawSettings,
  ctx: ResolveContext,
  defaults: { timeoutS?: number },
): { config: CheckConfig; sources: Sources } {
  const env = ctx.env;
  const configPath = str(cli.config) ?? nonEmpty(env.PGSR_CONFIG);
  const file = configPath ? readConfigFile(configPath, FILE_KEYS, REPEATABLE_KEYS) : {};
  if (configPath) assertCommandFileSafe(configPath, file, ctx.uid);
  applyFileLang(file, configPath);

  // Expand a conninfo given as dbname at its own precedence level (libpq docs 34.1.2).
  const cliConn = expandDbname(cli, '--dbname');
  const fileConn = expandDbname(file, `${t('config.file', { path: String(configPath) })}: dbname`);
  const envSettings: RawSettings = {};
  for (const [v, key] of Object.entries(ENV_KEYS)) if (nonEmpty(env[v]) !== undefined) envSettings[key] = env[v];
  if (nonEmpty(env.PGDATA) !== undefined) envSettings.pgdata = env.PGDATA;

  const layers: Array<[string, RawSettings, Conninfo]> = [
    [t('config.command_line'), expandNagiosThresholds(cli, t('config.command_line')), cliConn],
    [t('config.environment'), envSettings, {}],
    [
      configPath ? t('config.file', { path: configPath }) : t('config.file_plain'),
      expandNagiosThresholds(file, t('config.file', { path: String(configPath) })),
      fileConn,
    ],
  ];
  /** First value of a setting in precedence order, with the name of its source for messages. */
  const pick = (key: string, conninfoKey?: keyof Conninfo): { value: string; from: string } | undefined => {
    for (const [name, layer, conn] of layers) {
      const v = layer[key];
      if (typeof v === 'string') return { value: v, from: `${name}: ${key}` };
      if (conninfoKey && conn[conninfoKey] !== undefined)
        return { value: conn[conninfoKey] as string, from: `${name}: conninfo ${conninfoKey}` };
    }
    return undefined;
  };
  const pickListFrom = (key: string): { values: string[]; from: string } => {
    const split = (v: string[]) =>
      v
        .flatMap((s) => s.split(','))
        .map((s) => s.trim())
        .filter((s) => s !== '');
    for (const [name, layer] of layers) {
      const v = layer[key];
      if (Array.isArray(v) && v.length > 0) return { values: split(v), from: `${name}: ${key}` };
      if (typeof v === 'string' && v !== '') return { values: split([v]), from: `${name}: ${key}` };
    }
    return { values: [], from: key };
  };
  const pickList = (key: string): string[] => pickListFrom(key).values;
  const pickBool = (key: string, dflt: boolean): boolean => {
    for (const [name, layer] of layers) {
      const v = layer[key];
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string') return parseBool(v, `${name}: ${key}`);
    }
    return dflt;
  };

  const nodes = () => {
    for (const [name, layer] of layers) {
      const listed = (Array.isArray(layer.node) ? layer.node : []).map((v) => ({
        name: v.slice(0, Math.max(0, v.indexOf('='))),
        conninfo: v.slice(v.indexOf('=') + 1),
        from: `${name}: node`,
      }));
      const keyed = Object.entries(layer).flatMap(([k, v]) =>
        k.startsWith('node.') && typeof v === 'string'
          ? [{ name: k.slice(5), conninfo: v, from: `${name}: ${k}` }]
          : [],
      );
      const all = [...keyed, ...listed];
      if (all.length) return all;
    }
    return [];
  };
  const osUser = pick('os-user')?.value ?? 'postgres';
  if (!/^[a-z_][a-z0-9_.-]*\$?$/i.test(osUser)) throw new ConfigError(t('config.bad_os_user', { user: osUser }));

  const connection = resolveConnection(pick, cliConn, fileConn, ctx, osUser);

  const roleSetting = pick('role');
  const expectedRole = roleSetting
    ? oneOf(roleSetting.value, ['standby', 'primary', 'auto', 'pgpool'] as const, roleSetting.from)
    : 'auto';
  const ph = pick('primary-host');
  const pp = pick('primary-port');
  const applicationNames = pickList('application-name');
  const ss = pick('sync-state');
  const ms = pick('min-standbys');
  const minStandbys = ms ? integer(ms.value, ms.from, 0) : Math.max(1, applicationNames.length);

  const thresholds = resolveThresholds(pick);

  const spa = pick('sender-probe-after');
  const spt = pick('sender-probe-timeout');
  const probeAfterS =
    spa && spa.value.trim().toLowerCase() === 'off'
      ? undefined
      : spa
        ? positiveNumber(spa.value, 'seconds', spa.from, true)
        : 5;
  const senderProbe: SenderProbePolicy | undefined =
    probeAfterS === undefined
      ? undefined
      : {
          afterS: probeAfterS,
          timeoutMs: Math.round((spt ? positiveNumber(spt.value, 'seconds', spt.from, false) : 3) * 1000),
        };

  const rp = pick('replay-paused');
  const afc = pick('archive-failing-critical');
  const to = pick('timeout');
  // monitoring-plugins `-t N:STATE` chooses the state a timeout is reported as.
  const [toValue, toState] = to ? splitTimeoutState(to.value, to.from) : ['10', 'critical' as Severity];
  const timeoutS = to ? positiveNumber(toValue, 'seconds', to.from, false) : (defaults.timeoutS ?? 10);
  if (timeoutS < 1 || timeoutS > 3600) throw new ConfigError(t('config.timeout_range', { from: String(to?.from) }));
  const iv = pick('interval');
  const hb = pick('heartbeat');
  const fa = pick('fail-after');
  const sf = pick('status-file');
  const watch: WatchSettings = {
    intervalS: iv ? positiveNumber(iv.value, 'seconds', iv.from, false) : 10,
    heartbeatS: hb ? positiveNumber(hb.value, 'seconds', hb.from, true) : 300,
    failAfter: fa ? integer(fa.value, fa.from, 0) : 3,
    statusFile: sf?.value,
    metricsListen: listenAddress(pick('metrics-listen')),
    textfile: pick('textfile')?.value,
  };
  const rm = pick('rep-mode');
  const swl = pick('sync-wait-limit');
  const sync: SyncSettings = {
    repMode: rm ? oneOf(rm.value, ['async', 'sync'] as const, rm.from) : 'async',
    waitLimitS: swl ? positiveNumber(swl.value, 'seconds', swl.from, true) : 10,
  };
  const verboseRaw = cli.verbose;
  const fmt = pick('format');
  const format = fmt ? oneOf(fmt.value, OUTPUT_FORMATS, fmt.from) : detectFormat(env);

  const cmdSetting = pick('clplogcmd');
  const ar = pick('alert-reminder');
  const sd = pick('state-dir');
  const ll = pick('log-level');

  const config: CheckConfig = {
    connection,
    osUser,
    expectedRole,
    expectedPrimary: {
      host: ph?.value,
      port: pp ? parsePort(pp.value, pp.from) : undefined,
    },
    applicationNames,
    syncState: ss ? oneOf(ss.value, SYNC_STATES, ss.from) : undefined,
    minStandbys,
    thresholds,
    senderProbe,
    replayPausedSeverity: rp ? oneOf(rp.value, ['ok', 'warning', 'critical'] as const, rp.from) : 'warning',
    archiveFailingCriticalS: afc ? positiveNumber(afc.value, 'seconds', afc.from, true) : 600,
    walFree: resolveWalFree(pick),
    timeoutMs: Math.round(timeoutS * 1000),
    timeoutState: toState,
    verbosity: typeof verboseRaw === 'number' ? Math.min(3, verboseRaw) : 0,
    watch,
    sync,
    format,
    warningIsError: pickBool('warning-is-error', false),
    alert: {
      enabled: pickBool('alert', true),
      command: cmdSetting ? cmdSetting.value : findOnPath('clplogcmd', env.PATH, ['/usr/sbin/clplogcmd']),
      syslog: pickBool('alert-syslog', false),
      reminderS: ar ? positiveNumber(ar.value, 'seconds', ar.from, true) : 0,
      stateDir: sd?.value ?? nonEmpty(env.PGSR_STATE_DIR) ?? defaultStateDir(ctx),
    },
    logLevel: ll ? oneOf(ll.value, LOG_LEVELS, ll.from) : 'silent',
    configFile: configPath,
  };
  return { config, sources: { pick: (k, ck) => pick(k, ck), pickBool, pickList: pickListFrom, nodes } };
}
