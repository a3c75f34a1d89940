/**
 * The small value parsers of the configuration: each validates one setting and throws a
 * ConfigError naming the setting and where it came from (`command line: --port`, ...).
 */
import { resolve } from 'node:path';
import { ConfigError } from '../errors';
import { parseQuantity, type UnitKind } from '../range';
import { t } from '../i18n';

/** A string setting, or undefined for any other type. */
export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** undefined for an unset or empty value (libpq treats an empty PG* variable as unset). */
export function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v === '' ? undefined : v;
}

/** One of the allowed words. @throws ConfigError naming the setting otherwise. */
export function oneOf<T extends string>(value: string, allowed: readonly T[], from: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(t('config.not_one_of', { from, value, allowed: allowed.join(', ') }));
}

/** A TCP port, 1-65535. @throws ConfigError otherwise. */
export function parsePort(value: string, from: string): number {
  const n = /^\d{1,5}$/.test(value.trim()) ? Number(value) : NaN;
  if (!(n >= 1 && n <= 65535)) throw new ConfigError(t('config.not_port', { from, value }));
  return n;
}

/**
 * A listen address `ADDR:PORT` (`[v6]:PORT`): the address is required (nothing listens on every
 * interface by accident). undefined when the setting is absent.
 * @throws ConfigError for another form or a bad port.
 */
export function listenAddress(
  p: { value: string; from: string } | undefined,
): { host: string; port: number } | undefined {
  if (!p) return undefined;
  const m = /^\[([0-9A-Fa-f:.]+)\]:(\d+)$/.exec(p.value.trim()) ?? /^([^:\s[\]]+):(\d+)$/.exec(p.value.trim());
  if (!m) throw new ConfigError(t('config.not_listen', { from: p.from, value: p.value }));
  return { host: m[1], port: parsePort(m[2], p.from) };
}

/** A whole number >= min. @throws ConfigError otherwise. */
export function integer(value: string, from: string, min: number): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new ConfigError(t('config.not_whole', { from, value, min }));
  return n;
}

/** A quantity in the unit kind (bytes, seconds: `16MB`, `30s`) in base units, > 0 (or >= 0). @throws ConfigError otherwise. */
export function positiveNumber(value: string, kind: UnitKind, from: string, allowZero: boolean): number {
  let n: number;
  try {
    n = parseQuantity(value, kind);
  } catch (err) {
    throw new ConfigError(`${from}: ${(err as Error).message}`);
  }
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0))
    throw new ConfigError(t('config.not_positive', { from, value, bound: allowZero ? '>= 0' : '> 0' }));
  return n;
}

/** on/off, true/false, yes/no, 1/0. @throws ConfigError otherwise. */
export function parseBool(value: string, from: string): boolean {
  const v = value.trim().toLowerCase();
  if (['on', 'true', 'yes', '1'].includes(v)) return true;
  if (['off', 'false', 'no', '0'].includes(v)) return false;
  throw new ConfigError(t('config.not_boolean', { from, value }));
}

/** One `--tablespace-mapping OLD=NEW`: the source's tablespace location and where this node keeps it (absolute paths). */
export interface TablespaceMapping {
  old: string;
  new: string;
}

/**
 * `OLDDIR=NEWDIR` as pg_basebackup's `--tablespace-mapping` reads it (pg_basebackup docs): `\=`
 * is an `=` inside a path, one unescaped `=` separates the two, both absolute. Both are
 * normalized (trailing slashes, `..`) as pg_basebackup's canonicalize_path does.
 * @throws ConfigError naming the setting for another form.
 */
export function tablespaceMapping(value: string, from: string): TablespaceMapping {
  const parts: string[] = [''];
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '\\' && value[i + 1] === '=') continue;
    if (value[i] === '=' && value[i - 1] !== '\\') parts.push('');
    else parts[parts.length - 1] += value[i];
  }
  const canon = (p: string) => (p.startsWith('/') ? resolve(p) : p);
  const [old, neu] = parts.map(canon);
  if (parts.length !== 2 || !old.startsWith('/') || !neu.startsWith('/'))
    throw new ConfigError(t('config.not_tablespace_mapping', { from, value }));
  return { old, new: neu };
}
