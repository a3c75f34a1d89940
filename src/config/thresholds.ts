/**
 * Check thresholds: the per-metric ranges (monitoring-plugins syntax with PostgreSQL units) and
 * the Nagios-style `-w/-c` lists that expand into them, and `-t N:STATE`.
 */
import { ConfigError } from '../errors';
import { parseQuantity, parseRange, type Range, type Thresholds, type UnitKind } from '../range';
import type { FreeLimit } from '../types';
import type { Severity } from '../types';
import type { RawSettings } from './file';
import type { Pick } from './connection';
import { t } from '../i18n';

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
  /** Primary: WAL segments waiting for archive_command (.ready files); default 32 / 128 (512 MiB / 2 GiB of 16 MiB segments). */
  archiveReady: Thresholds;
  /** Primary: WAL a physical slot keeps (current − restart_lsn), bytes; default 1 GB / 4 GB. */
  slotRetainedBytes: Thresholds;
}

/**
 * Defaults of the WAL health thresholds, chosen so that a healthy primary reports nothing: an
 * archiver that keeps up has 0-2 segments ready (one is archived while the next fills); 32 ready
 * segments are half a GiB of WAL it has not copied. A slot its standby streams from keeps less
 * than a segment; 1 GB is max_wal_size's default, beyond which the slot makes pg_wal hold more
 * than the server would keep by itself.
 */
export const WAL_HEALTH_DEFAULTS = { archiveReady: ['32', '128'], slotRetainedBytes: ['1GB', '4GB'] } as const;

/**
 * The thresholds of every metric from the settings.
 * @throws ConfigError naming the setting and its source for a malformed range.
 */
export function resolveThresholds(pick: Pick): CheckThresholds {
  const range = (key: string, kind: UnitKind): Range | undefined => {
    const s = pick(key);
    if (!s) return undefined;
    try {
      return parseRange(s.value, kind);
    } catch (err) {
      throw new ConfigError(`${s.from}: ${(err as Error).message}`);
    }
  };
  return {
    lagBytes: { warning: range('lag-bytes-warning', 'bytes'), critical: range('lag-bytes-critical', 'bytes') },
    lagSeconds: {
      warning: range('lag-seconds-warning', 'seconds'),
      critical: range('lag-seconds-critical', 'seconds'),
    },
    flushLagBytes: {
      warning: range('flush-lag-bytes-warning', 'bytes'),
      critical: range('flush-lag-bytes-critical', 'bytes'),
    },
    silenceSeconds: {
      warning: range('silence-seconds-warning', 'seconds'),
      critical: range('silence-seconds-critical', 'seconds'),
    },
    standbys: { warning: range('standbys-warning', 'count'), critical: range('standbys-critical', 'count') },
    archiveReady: {
      warning: range('archive-ready-warning', 'count') ?? parseRange(WAL_HEALTH_DEFAULTS.archiveReady[0], 'count'),
      critical: range('archive-ready-critical', 'count') ?? parseRange(WAL_HEALTH_DEFAULTS.archiveReady[1], 'count'),
    },
    slotRetainedBytes: {
      warning: range('slot-retained-warning', 'bytes') ?? parseRange(WAL_HEALTH_DEFAULTS.slotRetainedBytes[0], 'bytes'),
      critical:
        range('slot-retained-critical', 'bytes') ?? parseRange(WAL_HEALTH_DEFAULTS.slotRetainedBytes[1], 'bytes'),
    },
  };
}

/** Metric names accepted by `-w/--warning` and `-c/--critical` (`name=range`). */
const NAGIOS_METRICS: Record<string, { key: string; kind: UnitKind }> = {
  lag_bytes: { key: 'lag-bytes', kind: 'bytes' },
  lag_seconds: { key: 'lag-seconds', kind: 'seconds' },
  flush_lag_bytes: { key: 'flush-lag-bytes', kind: 'bytes' },
  silence_seconds: { key: 'silence-seconds', kind: 'seconds' },
  standbys: { key: 'standbys', kind: 'count' },
  archive_ready: { key: 'archive-ready', kind: 'count' },
  slot_retained_bytes: { key: 'slot-retained', kind: 'bytes' },
};

/**
 * Expands monitoring-plugins style `-w/-c` values into the per-metric settings of the same
 * layer: `-w 16MB,30s` (a byte unit or a bare number means lag bytes, a time unit lag
 * seconds) or `-w lag_bytes=16MB -w standbys=2:`. A per-metric setting of the same layer wins.
 * @throws ConfigError for an unknown metric name or a range whose unit does not say which metric.
 */
export function expandNagiosThresholds(layer: RawSettings, from: string): RawSettings {
  const out: RawSettings = { ...layer };
  for (const level of ['warning', 'critical'] as const) {
    const v = layer[level];
    const items = (Array.isArray(v) ? v : typeof v === 'string' ? [v] : [])
      .flatMap((x) => x.split(','))
      .map((x) => x.trim())
      .filter((x) => x !== '');
    for (const item of items) {
      const eq = item.indexOf('=');
      let metric: { key: string; kind: UnitKind } | undefined;
      let rangeText = item;
      if (eq >= 0) {
        const name = item.slice(0, eq).trim().replace(/-/g, '_');
        metric = NAGIOS_METRICS[name];
        if (!metric)
          throw new ConfigError(
            t('config.unknown_metric', { from, level, name, names: Object.keys(NAGIOS_METRICS).join(', ') }),
          );
        rangeText = item.slice(eq + 1).trim();
      } else {
        const unit = /([a-zA-Z]+)\s*$/.exec(item)?.[1]?.toLowerCase();
        metric =
          unit && ['ms', 's', 'min', 'h', 'd'].includes(unit) ? NAGIOS_METRICS.lag_seconds : NAGIOS_METRICS.lag_bytes;
      }
      const key = `${metric.key}-${level}`;
      if (layer[key] === undefined) out[key] = rangeText;
    }
  }
  return out;
}

export function splitTimeoutState(value: string, from: string): [string, Severity] {
  const m = /^([^:]+)(?::(.*))?$/.exec(value.trim());
  if (!m || m[2] === undefined) return [value, 'critical'];
  const state = m[2].trim().toLowerCase();
  if (!['ok', 'warning', 'critical', 'unknown'].includes(state))
    throw new ConfigError(t('config.timeout_state', { from, state: m[2] }));
  return [m[1], state as Severity];
}

/** Default free-space limits of pg_wal's filesystem: warning below 20 %, critical below 10 %. */
export const WAL_FREE_DEFAULTS = { warning: { percent: 20 }, critical: { percent: 10 } } as const;

/**
 * A free-space limit: `20%` (of the filesystem) or an amount with a byte unit (`5GB`).
 * @throws ConfigError naming the setting's source for anything else.
 */
export function parseFreeLimit(value: string, from: string): FreeLimit {
  const pct = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value);
  if (pct && Number(pct[1]) <= 100) return { percent: Number(pct[1]) };
  try {
    return { bytes: parseQuantity(value, 'bytes') };
  } catch {
    throw new ConfigError(t('config.free_limit', { from, value }));
  }
}

/** The free-space limits of pg_wal's filesystem from the settings (`wal-free-warning/critical`), else the defaults. */
export function resolveWalFree(pick: Pick): { warning: FreeLimit; critical: FreeLimit } {
  const free = (level: 'warning' | 'critical'): FreeLimit => {
    const v = pick(`wal-free-${level}`);
    return v ? parseFreeLimit(v.value, v.from) : WAL_FREE_DEFAULTS[level];
  };
  return { warning: free('warning'), critical: free('critical') };
}
