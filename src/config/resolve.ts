/**
 * Turns the three sources of settings into one typed `CheckConfig`, with the precedence
 * command-line flag > environment > configuration file > default.
 *
 * Connection settings follow libpq's conventions (PostgreSQL docs 34.1 and 34.15): `-h -p -U -d`,
 * a conninfo string or URI given as the database name, and PGHOST, PGPORT, PGUSER, PGDATABASE,
 * PGSSLMODE, PGAPPNAME, PGCONNECT_TIMEOUT, PGPASSFILE, PGPASSWORD. A password is never accepted
 * as a flag, a configuration key or inside a conninfo.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors';
import type { SenderProbePolicy } from '../observation';
import { passwdEntry } from '../host/passwd';
import { findOnPath } from '../host/which';
import { SYNC_STATES, type ExpectedRole, type Severity, type SyncState } from '../types';
import { parseQuantity, parseRange, type Range, type Thresholds, type UnitKind } from '../range';
import { looksLikeConninfo, ownConnectionProblem, parseConninfo, type Conninfo } from './conninfo';
import { readConfigFile, type RawSettings } from './file';

/** SSL modes of libpq (docs 34.19.1). `allow` and `prefer` connect without SSL in pgsr (no fallback negotiation). */
export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** Output renderings of a check. */
export type OutputFormat = 'clusterpro' | 'nagios' | 'json' | 'text';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['clusterpro', 'nagios', 'json', 'text'];

/** Everything needed to open one connection. Holds no password except one taken from PGPASSWORD. */
export interface ConnectionSettings {
  /** Host name, IP address, or unix-socket directory (starts with `/`). */
  host: string;
  port: number;
  user: string;
  database: string;
  sslmode: SslMode;
  sslrootcert?: string;
  sslcert?: string;
  sslkey?: string;
  /** application_name of pgsr's own session (PGAPPNAME; default `pgsr`). */
  applicationName: string;
  /** libpq connect_timeout in seconds (PGCONNECT_TIMEOUT); the run's deadline bounds it anyway. */
  connectTimeoutS?: number;
  /** libpq keepalives (default on) and keepalives_idle (seconds; default the OS's). */
  keepalives?: boolean;
  keepalivesIdleS?: number;
  /** libpq client_encoding. */
  clientEncoding?: string;
  /**
   * Password files to search, in order. libpq's single file (PGPASSFILE, or ~/.pgpass), then,
   * when pgsr runs as root, the OS user's ~/.pgpass: CLUSTERPRO runs monitors as root while the
   * credentials belong to the postgres OS user (seed 000's genw wraps psql in `sudo -u postgres`).
   */
  passfiles: string[];
  /** True when the single password file was named (PGPASSFILE or passfile=): server tools get it too. */
  passfileExplicit: boolean;
  /** PGPASSWORD, when set (libpq honours it; discouraged but supported). Never logged. */
  envPassword?: string;
}

/** Thresholds of every thresholded metric, in base units (bytes, seconds). */
export interface CheckThresholds {
  /** Replay lag in bytes: on a standby receive−replay LSN, on a primary current−replay LSN per standby. */
  lagBytes: Thresholds;
  /** Replay lag in seconds (standby: since the last replayed transaction while behind; primary: replay_lag). */
  lagSeconds: Thresholds;
  /** Primary: current − flush LSN per standby, bytes (check_pgactivity streaming_delta's "flushed"). */
  flushLagBytes: Thresholds;
  /** Seconds since the standby's walreceiver last heard from the primary (last_msg_receipt_time). */
  silenceSeconds: Thresholds;
  /** Number of streaming standbys on a primary (in addition to --min-standbys, which is critical). */
  standbys: Thresholds;
}

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
  /** Deadline of the whole run, in milliseconds (`--timeout`, seconds; default 10). */
  timeoutMs: number;
  /** Nagios: the state a timeout is reported as (`-t N:STATE`; monitoring-plugins default CRITICAL). */
  timeoutState: Severity;
  /** Nagios `-v` count (0-3): how much long output follows the status line. */
  verbosity: number;
  watch: WatchSettings;
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

/** Keys of the check's settings (long option names), with their kind. */
export const CHECK_SETTING_KEYS = [
  'config',
  'host',
  'port',
  'username',
  'dbname',
  'sslmode',
  'connect-timeout',
  'os-user',
  'role',
  'primary-host',
  'primary-port',
  'application-name',
  'sync-state',
  'min-standbys',
  'lag-bytes-warning',
  'lag-bytes-critical',
  'lag-seconds-warning',
  'lag-seconds-critical',
  'flush-lag-bytes-warning',
  'flush-lag-bytes-critical',
  'silence-seconds-warning',
  'silence-seconds-critical',
  'sender-probe-after',
  'sender-probe-timeout',
  'standbys-warning',
  'standbys-critical',
  'warning',
  'critical',
  'replay-paused',
  'timeout',
  'format',
  'warning-is-error',
  'alert',
  'alert-syslog',
  'alert-reminder',
  'clplogcmd',
  'state-dir',
  'log-level',
  'verbose',
  'interval',
  'heartbeat',
  'fail-after',
  'status-file',
  // lifecycle commands
  'pgdata',
  'bindir',
  'primary-conninfo',
  'peer-conninfo',
  'as',
  'force',
  'dry-run',
  'post-promote-command',
  'discard-old',
  'from',
  'method',
  'standby-pgdata',
  'fast-timeout',
  'server-log',
] as const;
export const REPEATABLE_KEYS: ReadonlySet<string> = new Set(['application-name', 'warning', 'critical']);
const FILE_KEYS: ReadonlySet<string> = new Set(CHECK_SETTING_KEYS.filter((k) => k !== 'config'));

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
export function resolveCheckConfig(cli: RawSettings, ctx: ResolveContext, defaults: { timeoutS?: number } = {}): CheckConfig {
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
}

function resolveWithSources(cli: RawSettings, ctx: ResolveContext, defaults: { timeoutS?: number }): { config: CheckConfig; sources: Sources } {
  const env = ctx.env;
  const configPath = str(cli.config) ?? nonEmpty(env.PGSR_CONFIG);
  const file = configPath ? readConfigFile(configPath, FILE_KEYS, REPEATABLE_KEYS) : {};

  // Expand a conninfo given as dbname at its own precedence level (libpq docs 34.1.2).
  const cliConn = expandDbname(cli, '--dbname');
  const fileConn = expandDbname(file, `config file ${configPath}: dbname`);
  const envSettings: RawSettings = {};
  for (const [v, key] of Object.entries(ENV_KEYS)) if (nonEmpty(env[v]) !== undefined) envSettings[key] = env[v];
  if (nonEmpty(env.PGDATA) !== undefined) envSettings.pgdata = env.PGDATA;

  const layers: Array<[string, RawSettings, Conninfo]> = [
    ['command line', expandNagiosThresholds(cli, 'command line'), cliConn],
    ['environment', envSettings, {}],
    [configPath ? `config file ${configPath}` : 'config file', expandNagiosThresholds(file, `config file ${configPath}`), fileConn],
  ];
  /** First value of a setting in precedence order, with the name of its source for messages. */
  const pick = (key: string, conninfoKey?: keyof Conninfo): { value: string; from: string } | undefined => {
    for (const [name, layer, conn] of layers) {
      const v = layer[key];
      if (typeof v === 'string') return { value: v, from: `${name}: ${key}` };
      if (conninfoKey && conn[conninfoKey] !== undefined) return { value: conn[conninfoKey] as string, from: `${name}: conninfo ${conninfoKey}` };
    }
    return undefined;
  };
  const pickList = (key: string): string[] => {
    for (const [, layer] of layers) {
      const v = layer[key];
      if (Array.isArray(v) && v.length > 0) return v.flatMap((s) => s.split(',')).map((s) => s.trim()).filter((s) => s !== '');
      if (typeof v === 'string' && v !== '') return v.split(',').map((s) => s.trim()).filter((s) => s !== '');
    }
    return [];
  };
  const pickBool = (key: string, dflt: boolean): boolean => {
    for (const [name, layer] of layers) {
      const v = layer[key];
      if (typeof v === 'boolean') return v;
      if (typeof v === 'string') return parseBool(v, `${name}: ${key}`);
    }
    return dflt;
  };

  const osUser = pick('os-user')?.value ?? 'postgres';
  if (!/^[a-z_][a-z0-9_.-]*\$?$/i.test(osUser)) throw new ConfigError(`--os-user: '${osUser}' is not a valid user name`);

  const portSetting = pick('port', 'port');
  const port = portSetting ? parsePort(portSetting.value, portSetting.from) : 5432;
  const hostSetting = pick('host', 'host') ?? pick('host', 'hostaddr');
  const host = hostSetting?.value ?? (existsSync('/var/run/postgresql') ? '/var/run/postgresql' : 'localhost');
  const dbSetting = pick('dbname');
  const database = (dbSetting && !looksLikeConninfo(dbSetting.value) ? dbSetting.value : undefined) ?? cliConn.dbname ?? fileConn.dbname ?? 'postgres';
  const sslSetting = pick('sslmode', 'sslmode');
  const sslmode = sslSetting ? oneOf(sslSetting.value, SSL_MODES, sslSetting.from) : 'prefer';
  const ctSetting = pick('connect-timeout', 'connect_timeout');
  const connectTimeoutS = ctSetting ? positiveNumber(ctSetting.value, 'seconds', ctSetting.from, true) : undefined;

  const passfiles: string[] = [];
  const explicitPassfile = cliConn.passfile ?? nonEmpty(env.PGPASSFILE) ?? fileConn.passfile;
  if (explicitPassfile) {
    passfiles.push(explicitPassfile);
  } else {
    passfiles.push(join(nonEmpty(env.HOME) ?? homedir(), '.pgpass'));
    if (ctx.uid === 0 && osUser !== 'root') {
      const home = (ctx.homeOf ?? homeFromPasswd)(osUser);
      if (home) passfiles.push(join(home, '.pgpass'));
    }
  }

  const connection: ConnectionSettings = {
    host,
    port,
    user: pick('username', 'user')?.value ?? osUser,
    database,
    sslmode,
    sslrootcert: cliConn.sslrootcert ?? fileConn.sslrootcert,
    sslcert: cliConn.sslcert ?? fileConn.sslcert,
    sslkey: cliConn.sslkey ?? fileConn.sslkey,
    applicationName: cliConn.application_name ?? nonEmpty(env.PGAPPNAME) ?? fileConn.application_name ?? cliConn.fallback_application_name ?? fileConn.fallback_application_name ?? 'pgsr',
    connectTimeoutS,
    keepalives: keepalivesOf(cliConn.keepalives ?? fileConn.keepalives),
    keepalivesIdleS: (() => {
      const v = cliConn.keepalives_idle ?? fileConn.keepalives_idle;
      return v === undefined ? undefined : positiveNumber(v, 'seconds', 'keepalives_idle', true);
    })(),
    clientEncoding: cliConn.client_encoding ?? fileConn.client_encoding,
    passfiles,
    passfileExplicit: explicitPassfile !== undefined,
  };
  if (env.PGPASSWORD !== undefined) {
    // Non-enumerable, so that no JSON rendering or log of the settings can carry it.
    Object.defineProperty(connection, 'envPassword', { value: env.PGPASSWORD, enumerable: false });
  }

  const roleSetting = pick('role');
  const expectedRole = roleSetting ? oneOf(roleSetting.value, ['standby', 'primary', 'auto'] as const, roleSetting.from) : 'auto';
  const ph = pick('primary-host');
  const pp = pick('primary-port');
  const applicationNames = pickList('application-name');
  const ss = pick('sync-state');
  const ms = pick('min-standbys');
  const minStandbys = ms ? integer(ms.value, ms.from, 0) : Math.max(1, applicationNames.length);

  const range = (key: string, kind: UnitKind): Range | undefined => {
    const s = pick(key);
    if (!s) return undefined;
    try {
      return parseRange(s.value, kind);
    } catch (err) {
      throw new ConfigError(`${s.from}: ${(err as Error).message}`);
    }
  };
  const thresholds: CheckThresholds = {
    lagBytes: { warning: range('lag-bytes-warning', 'bytes'), critical: range('lag-bytes-critical', 'bytes') },
    lagSeconds: { warning: range('lag-seconds-warning', 'seconds'), critical: range('lag-seconds-critical', 'seconds') },
    flushLagBytes: { warning: range('flush-lag-bytes-warning', 'bytes'), critical: range('flush-lag-bytes-critical', 'bytes') },
    silenceSeconds: { warning: range('silence-seconds-warning', 'seconds'), critical: range('silence-seconds-critical', 'seconds') },
    standbys: { warning: range('standbys-warning', 'count'), critical: range('standbys-critical', 'count') },
  };

  const spa = pick('sender-probe-after');
  const spt = pick('sender-probe-timeout');
  const probeAfterS = spa && spa.value.trim().toLowerCase() === 'off' ? undefined : spa ? positiveNumber(spa.value, 'seconds', spa.from, true) : 5;
  const senderProbe: SenderProbePolicy | undefined = probeAfterS === undefined ? undefined : { afterS: probeAfterS, timeoutMs: Math.round((spt ? positiveNumber(spt.value, 'seconds', spt.from, false) : 3) * 1000) };

  const rp = pick('replay-paused');
  const to = pick('timeout');
  // monitoring-plugins `-t N:STATE` chooses the state a timeout is reported as.
  const [toValue, toState] = to ? splitTimeoutState(to.value, to.from) : ['10', 'critical' as Severity];
  const timeoutS = to ? positiveNumber(toValue, 'seconds', to.from, false) : (defaults.timeoutS ?? 10);
  if (timeoutS < 1 || timeoutS > 3600) throw new ConfigError(`${to?.from}: timeout must be between 1 and 3600 seconds`);
  const iv = pick('interval');
  const hb = pick('heartbeat');
  const fa = pick('fail-after');
  const sf = pick('status-file');
  const watch: WatchSettings = {
    intervalS: iv ? positiveNumber(iv.value, 'seconds', iv.from, false) : 10,
    heartbeatS: hb ? positiveNumber(hb.value, 'seconds', hb.from, true) : 300,
    failAfter: fa ? integer(fa.value, fa.from, 0) : 3,
    statusFile: sf?.value,
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
    timeoutMs: Math.round(timeoutS * 1000),
    timeoutState: toState,
    verbosity: typeof verboseRaw === 'number' ? Math.min(3, verboseRaw) : 0,
    watch,
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
  return { config, sources: { pick: (k, ck) => pick(k, ck), pickBool } };
}

/** How `pgsr rebuild` copies the data: pg_rewind when possible, else pg_basebackup (auto). */
export type RebuildMethod = 'auto' | 'rewind' | 'basebackup';

/** A validated configuration of a lifecycle command (start, stop, promote, rebuild, ...). */
export interface LifecycleConfig {
  /** Connection, timeout (`timeoutMs` bounds the whole command), format, alerts, os-user. */
  common: CheckConfig;
  /** True when host/port were given (flag, environment, file); else they come from postmaster.pid. */
  hostGiven: boolean;
  portGiven: boolean;
  pgdata?: string;
  bindir?: string;
  /** Conninfo the standby configuration points at (written as primary_conninfo). */
  primaryConninfo?: string;
  /** The other node, checked before becoming primary (promote, start --as primary, exec start). */
  peerConninfo?: string;
  as?: 'primary' | 'standby';
  force: boolean;
  dryRun: boolean;
  postPromoteCommand?: string;
  discardOld: boolean;
  from?: string;
  method: RebuildMethod;
  standbyPgdata?: string;
  /** Milliseconds a fast shutdown may take before pgsr escalates to immediate (default 30 s, at most half the timeout). */
  fastTimeoutMs: number;
  /** pg_ctl -l file (default <pgdata>/pgsr-postmaster.log). */
  serverLog?: string;
}

/**
 * Resolves a lifecycle command's settings: the check's settings (connection, format, alerts)
 * plus the data directory, bin dir, conninfos and options, with the same precedence.
 * @param defaults.timeoutS the command's default `--timeout`.
 * @throws ConfigError naming the setting and its source.
 */
export function resolveLifecycleConfig(cli: RawSettings, ctx: ResolveContext, defaults: { timeoutS: number }): LifecycleConfig {
  const { config, sources } = resolveWithSources(cli, ctx, defaults);
  const get = (k: string) => sources.pick(k)?.value;
  const conninfo = (k: string): string | undefined => {
    const p = sources.pick(k);
    if (!p) return undefined;
    try {
      parseConninfo(p.value);
    } catch (err) {
      throw new ConfigError(`${p.from}: ${(err as Error).message}`);
    }
    return p.value;
  };
  const asP = sources.pick('as');
  const method = sources.pick('method');
  const ft = sources.pick('fast-timeout');
  const fastS = ft ? positiveNumber(ft.value, 'seconds', ft.from, false) : Math.min(30, config.timeoutMs / 2000);
  return {
    common: config,
    hostGiven: sources.pick('host', 'host') !== undefined || sources.pick('host', 'hostaddr') !== undefined,
    portGiven: sources.pick('port', 'port') !== undefined,
    pgdata: get('pgdata'),
    bindir: get('bindir'),
    primaryConninfo: conninfo('primary-conninfo'),
    peerConninfo: conninfo('peer-conninfo'),
    as: asP ? oneOf(asP.value, ['primary', 'standby'] as const, asP.from) : undefined,
    force: sources.pickBool('force', false),
    dryRun: sources.pickBool('dry-run', false),
    postPromoteCommand: get('post-promote-command'),
    discardOld: sources.pickBool('discard-old', false),
    from: conninfo('from'),
    method: method ? oneOf(method.value, ['auto', 'rewind', 'basebackup'] as const, method.from) : 'auto',
    standbyPgdata: get('standby-pgdata'),
    fastTimeoutMs: Math.round(fastS * 1000),
    serverLog: get('server-log'),
  };
}

/** Metric names accepted by `-w/--warning` and `-c/--critical` (`name=range`). */
const NAGIOS_METRICS: Record<string, { key: string; kind: UnitKind }> = {
  lag_bytes: { key: 'lag-bytes', kind: 'bytes' },
  lag_seconds: { key: 'lag-seconds', kind: 'seconds' },
  flush_lag_bytes: { key: 'flush-lag-bytes', kind: 'bytes' },
  silence_seconds: { key: 'silence-seconds', kind: 'seconds' },
  standbys: { key: 'standbys', kind: 'count' },
};

/**
 * Expands monitoring-plugins style `-w/-c` values into the per-metric settings of the same
 * layer: `-w 16MB,30s` (a byte unit or a bare number means lag bytes, a time unit lag
 * seconds) or `-w lag_bytes=16MB -w standbys=2:`. A per-metric setting of the same layer wins.
 * @throws ConfigError for an unknown metric name or a range whose unit does not say which metric.
 */
function expandNagiosThresholds(layer: RawSettings, from: string): RawSettings {
  const out: RawSettings = { ...layer };
  for (const level of ['warning', 'critical'] as const) {
    const v = layer[level];
    const items = (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter((x) => x !== '');
    for (const item of items) {
      const eq = item.indexOf('=');
      let metric: { key: string; kind: UnitKind } | undefined;
      let rangeText = item;
      if (eq >= 0) {
        const name = item.slice(0, eq).trim().replace(/-/g, '_');
        metric = NAGIOS_METRICS[name];
        if (!metric) throw new ConfigError(`${from}: ${level}: unknown metric "${name}" (one of ${Object.keys(NAGIOS_METRICS).join(', ')})`);
        rangeText = item.slice(eq + 1).trim();
      } else {
        const unit = /([a-zA-Z]+)\s*$/.exec(item)?.[1]?.toLowerCase();
        metric = unit && ['ms', 's', 'min', 'h', 'd'].includes(unit) ? NAGIOS_METRICS.lag_seconds : NAGIOS_METRICS.lag_bytes;
      }
      const key = `${metric.key}-${level}`;
      if (layer[key] === undefined) out[key] = rangeText;
    }
  }
  return out;
}

function splitTimeoutState(value: string, from: string): [string, Severity] {
  const m = /^([^:]+)(?::(.*))?$/.exec(value.trim());
  if (!m || m[2] === undefined) return [value, 'critical'];
  const state = m[2].trim().toLowerCase();
  if (!['ok', 'warning', 'critical', 'unknown'].includes(state)) throw new ConfigError(`${from}: timeout state '${m[2]}' is not one of OK, WARNING, CRITICAL, UNKNOWN`);
  return [m[1], state as Severity];
}

function expandDbname(layer: RawSettings, from: string): Conninfo {
  const db = layer.dbname;
  if (typeof db !== 'string' || !looksLikeConninfo(db)) return {};
  let info: Conninfo;
  try {
    info = parseConninfo(db);
  } catch (err) {
    throw new ConfigError(`${from}: ${(err as Error).message}`);
  }
  const problem = ownConnectionProblem(info);
  if (problem) throw new ConfigError(`${from}: ${problem}`);
  return info;
}

/** libpq keepalives: 1 (default) on, 0 off. */
function keepalivesOf(v: string | undefined): boolean | undefined {
  if (v === undefined) return undefined;
  if (v === '0' || v === '1') return v === '1';
  throw new ConfigError(`keepalives: '${v}' must be 0 or 1`);
}

/**
 * Default output format: CLUSTERPRO's when the process runs under CLUSTERPRO (CLP_* variables
 * of EXEC resources) or on a node where clplogcmd exists; plain text otherwise.
 */
function detectFormat(env: NodeJS.ProcessEnv): OutputFormat {
  if (Object.keys(env).some((k) => k.startsWith('CLP_'))) return 'clusterpro';
  return findOnPath('clplogcmd', env.PATH, ['/usr/sbin/clplogcmd']) ? 'clusterpro' : 'text';
}

/** State directory: /var/lib/pgsr for root (as under a cluster manager), else the XDG state home. */
function defaultStateDir(ctx: ResolveContext): string {
  if (ctx.uid === 0) return '/var/lib/pgsr';
  const base = nonEmpty(ctx.env.XDG_STATE_HOME) ?? join(nonEmpty(ctx.env.HOME) ?? homedir(), '.local', 'state');
  return join(base, 'pgsr');
}


/** Home directory of a user from the passwd database. */
export function homeFromPasswd(user: string): string | undefined {
  return passwdEntry(user)?.home;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}
function oneOf<T extends string>(value: string, allowed: readonly T[], from: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(`${from}: '${value}' is not one of ${allowed.join(', ')}`);
}
function parsePort(value: string, from: string): number {
  const n = /^\d{1,5}$/.test(value.trim()) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 65535)) throw new ConfigError(`${from}: '${value}' is not a port number (1-65535)`);
  return n;
}
function integer(value: string, from: string, min: number): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new ConfigError(`${from}: '${value}' is not a whole number >= ${min}`);
  return n;
}
function positiveNumber(value: string, kind: UnitKind, from: string, allowZero: boolean): number {
  let n: number;
  try {
    n = parseQuantity(value, kind);
  } catch (err) {
    throw new ConfigError(`${from}: ${(err as Error).message}`);
  }
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new ConfigError(`${from}: '${value}' must be ${allowZero ? '>= 0' : '> 0'}`);
  return n;
}
function parseBool(value: string, from: string): boolean {
  const v = value.trim().toLowerCase();
  if (['on', 'true', 'yes', '1'].includes(v)) return true;
  if (['off', 'false', 'no', '0'].includes(v)) return false;
  throw new ConfigError(`${from}: '${value}' is not a boolean (on/off)`);
}
