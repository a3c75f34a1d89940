/**
 * Where a data directory's postgresql.conf lives when it is not in the data directory. Debian
 * and Ubuntu clusters made by pg_createcluster keep postgresql.conf, pg_hba.conf and
 * pg_ident.conf in /etc/postgresql/VERSION/NAME, whose postgresql.conf names the data directory
 * (`data_directory`); the server is started with `-c config_file=...` as pg_ctlcluster does
 * (postgresql-common). Elsewhere `--config-dir` (OCF `pgconfdir`, config key `config-dir`) says.
 * postgresql.auto.conf, standby.signal and recovery.conf stay in the data directory.
 */
import { existsSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors';
import { t } from '../i18n';
import { readConfSetting } from './conf';

/** Debian's configuration root (postgresql-common): /etc/postgresql/VERSION/NAME. */
export const DEBIAN_CONF_ROOT = '/etc/postgresql';
/** Debian's server log directory: pg_ctlcluster logs to postgresql-VERSION-NAME.log there. */
export const DEBIAN_LOG_DIR = '/var/log/postgresql';

/** A configuration directory outside the data directory. */
export interface ConfigLocation {
  /** The directory (postgresql.conf, pg_hba.conf, pg_ident.conf). */
  dir: string;
  /** Its postgresql.conf, given to the server as config_file. */
  file: string;
  /** The Debian cluster, when the directory is /etc/postgresql/VERSION/NAME. */
  debian?: { version: string; name: string };
}

/**
 * The configuration directory of `pgdata`: `given` when set, else none when the data directory
 * has its own postgresql.conf, else the Debian cluster whose postgresql.conf's data_directory
 * is this directory (compared by real path). undefined: the configuration is in the data directory.
 * @throws ConfigError when `given` has no postgresql.conf.
 */
export function configLocation(
  pgdata: string,
  given: string | undefined,
  root = DEBIAN_CONF_ROOT,
): ConfigLocation | undefined {
  if (given) {
    const dir = given.replace(/(.)\/+$/, '$1');
    const file = join(dir, 'postgresql.conf');
    if (!existsSync(file)) throw new ConfigError(t('steps.no_config_file', { dir }));
    const m = dir.startsWith(`${root}/`) ? /^([^/]+)\/([^/]+)$/.exec(dir.slice(root.length + 1)) : null;
    return { dir, file, debian: m ? { version: m[1], name: m[2] } : undefined };
  }
  if (existsSync(join(pgdata, 'postgresql.conf'))) return undefined;
  const want = real(pgdata);
  for (const version of list(root)) {
    for (const name of list(join(root, version))) {
      const file = join(root, version, name, 'postgresql.conf');
      const text = readText(file);
      const dataDir = text === undefined ? undefined : readConfSetting(text, 'data_directory');
      if (dataDir && real(dataDir) === want) return { dir: join(root, version, name), file, debian: { version, name } };
    }
  }
  return undefined;
}

/**
 * The server log pg_ctl writes to when `--server-log` is not given: a Debian cluster's
 * /var/log/postgresql/postgresql-VERSION-NAME.log (where pg_ctlcluster writes and pg_lsclusters
 * points), else <pgdata>/pgsr-postmaster.log.
 */
export function defaultServerLog(pgdata: string, loc: ConfigLocation | undefined): string {
  if (loc?.debian && existsSync(DEBIAN_LOG_DIR))
    return join(DEBIAN_LOG_DIR, `postgresql-${loc.debian.version}-${loc.debian.name}.log`);
  return join(pgdata, 'pgsr-postmaster.log');
}

/**
 * pg_ctl's `-o` for the configuration file. pg_ctl runs the server through the shell, so the
 * path is single-quoted for sh (a `'` in it written `'\''`).
 */
export function configFileOption(loc: ConfigLocation | undefined): string[] {
  return loc ? ['-o', `-c config_file='${loc.file.replace(/'/g, "'\\''")}'`] : [];
}

function list(dir: string): string[] {
  try {
    return readdirSync(dir).slice(0, 1000);
  } catch {
    return [];
  }
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p.replace(/(.)\/+$/, '$1');
  }
}
