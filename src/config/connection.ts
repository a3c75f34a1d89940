/**
 * The connection settings of pgsr's own connection, resolved with libpq's conventions: flags,
 * PG* environment variables, a conninfo given as dbname (at its own precedence level, libpq
 * docs 32.1.2), the config file; password files searched as libpq does, plus, as root, the OS
 * user's ~/.pgpass (CLUSTERPRO runs monitors as root). Passwords never come from argv.
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors';
import { passwdEntry } from '../host/passwd';
import type { RawSettings } from './file';
import { looksLikeConninfo, ownConnectionProblem, parseConninfo, type Conninfo } from './conninfo';
import { nonEmpty, oneOf, parsePort, positiveNumber } from './values';
import { t } from '../i18n';

/** SSL modes of libpq (docs 32.19.3); prefer and allow fall back as libpq's do (probe/observe.ts connectClient). */
export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

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
   * credentials belong to the postgres OS user (a hand-written genw script wraps psql in `sudo -u postgres`).
   */
  passfiles: string[];
  /** True when the single password file was named (PGPASSFILE or passfile=): server tools get it too. */
  passfileExplicit: boolean;
  /** PGPASSWORD, when set (libpq honours it; discouraged but supported). Never logged. */
  envPassword?: string;
  /**
   * A physical replication connection (startup parameter replication=true, as a walreceiver or
   * pg_basebackup opens): only replication commands (IDENTIFY_SYSTEM) run on it; pg_hba.conf
   * matches it against the `replication` database and the password files with database
   * `replication`, as libpq does (set database to 'replication').
   */
  replication?: boolean;
}

/**
 * The same settings (password sources, TLS, timeouts) for another server: `over` replaces the
 * endpoint; the environment's password travels along, kept non-enumerable so that no log or JSON
 * of the settings ever shows it.
 */
export function connectionTo(
  base: ConnectionSettings,
  over: { host: string; port: number; user?: string; database?: string },
): ConnectionSettings {
  const c: ConnectionSettings = {
    ...base,
    ...over,
    user: over.user ?? base.user,
    database: over.database ?? base.database,
  };
  Object.defineProperty(c, 'envPassword', { value: base.envPassword, enumerable: false });
  return c;
}

/** Picks a setting in precedence order (flag > environment > file), with its source for messages. */
export type Pick = (key: string, conninfoKey?: keyof Conninfo) => { value: string; from: string } | undefined;

/** What resolveConnection needs of the caller's context. */
export interface ConnectionContext {
  env: NodeJS.ProcessEnv;
  uid: number;
  homeOf?: (user: string) => string | undefined;
}

/**
 * The connection of pgsr's own session.
 * @param cliConn / fileConn conninfos given as dbname on the command line / in the file.
 * @throws ConfigError naming the setting and its source.
 */
export function resolveConnection(
  pick: Pick,
  cliConn: Conninfo,
  fileConn: Conninfo,
  ctx: ConnectionContext,
  osUser: string,
): ConnectionSettings {
  const env = ctx.env;
  const portSetting = pick('port', 'port');
  const port = portSetting ? parsePort(portSetting.value, portSetting.from) : 5432;
  const hostSetting = pick('host', 'host') ?? pick('host', 'hostaddr');
  const host = hostSetting?.value ?? (existsSync('/var/run/postgresql') ? '/var/run/postgresql' : 'localhost');
  const dbSetting = pick('dbname');
  const database =
    (dbSetting && !looksLikeConninfo(dbSetting.value) ? dbSetting.value : undefined) ??
    cliConn.dbname ??
    fileConn.dbname ??
    'postgres';
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
    applicationName:
      cliConn.application_name ??
      nonEmpty(env.PGAPPNAME) ??
      fileConn.application_name ??
      cliConn.fallback_application_name ??
      fileConn.fallback_application_name ??
      'pgsr',
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
  return connection;
}

/** Expands a conninfo given as dbname in one layer; checks that pgsr's own connection can honour it. */
export function expandDbname(layer: RawSettings, from: string): Conninfo {
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
  throw new ConfigError(t('config.keepalives', { value: v }));
}

/** Home directory of a user from the passwd database. */
export function homeFromPasswd(user: string): string | undefined {
  return passwdEntry(user)?.home;
}
