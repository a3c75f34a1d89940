/**
 * Threshold ranges in the monitoring-plugins syntax, used for every thresholded metric so the
 * CLUSTERPRO, Nagios and Pacemaker renderings share one meaning of a threshold.
 *
 * Source: Nagios plugin development guidelines, "Threshold and ranges"
 * (https://www.monitoring-plugins.org/doc/guidelines.html#THRESHOLDFORMAT):
 *   `10`      alert when value < 0 or > 10
 *   `10:`     alert when value < 10
 *   `~:10`    alert when value > 10
 *   `10:20`   alert when value < 10 or > 20
 *   `@10:20`  alert when 10 <= value <= 20
 * Numbers may carry a unit (see `UnitKind`): `16MB`, `30s`, `5min`. Pure leaf module: it imports
 * nothing of pgsr, so config/, verdict/ and dialect/ may all use it.
 */
import { t } from './i18n';

/** An alert range; `start`/`end` are in the metric's base unit (bytes or seconds). */
export interface Range {
  /** Lower bound; `-Infinity` for `~`. */
  start: number;
  /** Upper bound; `+Infinity` when omitted after `:`. */
  end: number;
  /** `@` prefix: alert when the value is inside [start, end] instead of outside. */
  inside: boolean;
  /** The text the user wrote, kept for messages and perfdata. */
  text: string;
}

/** What a number's unit means: a byte count, a duration or a plain count. */
export type UnitKind = 'bytes' | 'seconds' | 'count';

/**
 * Byte units of PostgreSQL's configuration (1024-based: kB, MB, GB, TB; PostgreSQL docs 20.1.1),
 * matched without regard to case, plus `B`.
 */
const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3, tb: 1024 ** 4 };
/** Time units of PostgreSQL's configuration (ms, s, min, h, d; PostgreSQL docs 20.1.1). */
const TIME_UNITS: Record<string, number> = { ms: 0.001, s: 1, min: 60, h: 3600, d: 86400 };

/**
 * Parses one number with an optional unit into the base unit (bytes or seconds).
 * @throws Error with a one-line message when the text is not a number of that kind.
 */
export function parseQuantity(text: string, kind: UnitKind): number {
  const m = /^\s*(-?\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  if (!m) throw new Error(t('range.not_number', { text }));
  const n = Number(m[1]);
  const unit = m[2].toLowerCase();
  if (unit === '') return n;
  const table = kind === 'bytes' ? BYTE_UNITS : kind === 'seconds' ? TIME_UNITS : {};
  const factor = table[unit];
  if (factor === undefined) {
    const allowed = kind === 'bytes' ? 'B, kB, MB, GB, TB' : kind === 'seconds' ? 'ms, s, min, h, d' : 'none';
    throw new Error(t('range.unknown_unit', { text, unit: m[2], allowed }));
  }
  return n * factor;
}

/**
 * Parses a range in the monitoring-plugins syntax (see module doc).
 * @throws Error with a one-line message on bad syntax or when start > end.
 */
export function parseRange(text: string, kind: UnitKind): Range {
  let body = text.trim();
  if (body === '') throw new Error(t('range.empty'));
  let inside = false;
  if (body.startsWith('@')) {
    inside = true;
    body = body.slice(1);
  }
  let start = 0;
  let end = Infinity;
  const colon = body.indexOf(':');
  if (colon < 0) {
    end = parseQuantity(body, kind);
  } else {
    const left = body.slice(0, colon);
    const right = body.slice(colon + 1);
    start = left === '~' ? -Infinity : left === '' ? 0 : parseQuantity(left, kind);
    end = right === '' ? Infinity : parseQuantity(right, kind);
  }
  if (start > end) throw new Error(t('range.start_after_end', { text }));
  return { start, end, inside, text: text.trim() };
}

/** True when `value` must raise an alert under `range` (guidelines: outside the range, or inside with `@`). */
export function rangeAlerts(range: Range, value: number): boolean {
  const within = value >= range.start && value <= range.end;
  return range.inside ? within : !within;
}

/** A metric's warning and critical ranges; either may be absent (no threshold). */
export interface Thresholds {
  warning?: Range;
  critical?: Range;
}

/**
 * Severity of a value under thresholds: critical wins over warning (guidelines: the critical
 * threshold is evaluated first).
 */
export function thresholdSeverity(t: Thresholds, value: number): 'ok' | 'warning' | 'critical' {
  if (t.critical && rangeAlerts(t.critical, value)) return 'critical';
  if (t.warning && rangeAlerts(t.warning, value)) return 'warning';
  return 'ok';
}
