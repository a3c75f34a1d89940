/**
 * The settings of the lifecycle commands: the check's (connection, format, alerts) plus the
 * data directory, bin dir, conninfos and options, with the same precedence.
 */
import { ConfigError } from '../errors';
import { t } from '../i18n';
import type { RawSettings } from './file';
import { parseConninfo } from './conninfo';
import { resolveWithSources, type CheckConfig, type ResolveContext } from './resolve';
import { oneOf, positiveNumber, tablespaceMapping, type TablespaceMapping } from './values';

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
  /** Where postgresql.conf, pg_hba.conf and pg_ident.conf are when not in the data directory (default: found for Debian clusters). */
  configDir?: string;
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
  /** rebuild by pg_basebackup: where this node keeps each of the source's tablespaces (`--tablespace-mapping`, repeatable). */
  tablespaceMappings: TablespaceMapping[];
  /**
   * rebuild by pg_basebackup: the transfer rate limit, as pg_basebackup's --max-rate takes it
   * (kB/s; suffix k or M; 32 kB/s to 1024 MB/s), so that a copy does not take the source's whole
   * disk and network; undefined: unlimited.
   */
  maxRate?: string;
  /** Progress and wait reports on stderr (`--no-progress`: none, e.g. when a caller keeps only the result line). Default true. */
  progress: boolean;
}

/**
 * Resolves a lifecycle command's settings: the check's settings (connection, format, alerts)
 * plus the data directory, bin dir, conninfos and options, with the same precedence.
 * @param defaults.timeoutS the command's default `--timeout`.
 * @throws ConfigError naming the setting and its source.
 */
export function resolveLifecycleConfig(
  cli: RawSettings,
  ctx: ResolveContext,
  defaults: { timeoutS: number },
): LifecycleConfig {
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
    configDir: get('config-dir'),
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
    tablespaceMappings: tablespaceMappings(sources.pickList('tablespace-mapping')),
    maxRate: maxRate(sources.pick('max-rate')),
    progress: sources.pickBool('progress', true),
  };
}

/** `--max-rate` checked against pg_basebackup's range (32 kB/s to 1024 MB/s). @throws ConfigError naming its source. */
function maxRate(p: { value: string; from: string } | undefined): string | undefined {
  if (!p) return undefined;
  const m = /^(\d+)([kM]?)$/.exec(p.value.trim());
  const kbps = m ? Number(m[1]) * (m[2] === 'M' ? 1024 : 1) : NaN;
  if (!(kbps >= 32 && kbps <= 1024 * 1024))
    throw new ConfigError(t('config.bad_max_rate', { from: p.from, value: p.value }));
  return p.value.trim();
}

/** The validated `--tablespace-mapping` values. @throws ConfigError for a bad form or an old directory mapped twice. */
function tablespaceMappings(list: { values: string[]; from: string }): TablespaceMapping[] {
  const out = list.values.map((v) => tablespaceMapping(v, list.from));
  const twice = out.find((m, i) => out.findIndex((o) => o.old === m.old) !== i);
  if (twice) throw new ConfigError(t('config.tablespace_mapped_twice', { from: list.from, dir: twice.old }));
  return out;
}
