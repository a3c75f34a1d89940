/**
 * Nagios / monitoring-plugins rendering of a Verdict. Pure.
 *
 * Source: Monitoring Plugins Development Guidelines
 * (https://www.monitoring-plugins.org/doc/guidelines.html): return codes 0 OK, 1 WARNING,
 * 2 CRITICAL, 3 UNKNOWN; one status line `SERVICE STATE - text | perfdata`; long output on
 * the following lines; perfdata `'label'=value[UOM];[warn];[crit];[min];[max]` with UOM
 * `B` or `s` (or none for a count); a timeout is CRITICAL unless `-t N:STATE` chooses;
 * only bad arguments and internal failures are UNKNOWN.
 */
import type { Severity } from '../types';
import { formatQuantity, roleLabel, type Metric, type Verdict } from '../verdict/check';
import { parseRange, type Range } from '../range';

/** Plugin return codes (guidelines, "Plugin Return Codes"). */
export const NAGIOS_EXIT: Record<Severity, number> = { ok: 0, warning: 1, critical: 2, unknown: 3 };

/** Rendering options: the state a timeout becomes, and `-v` verbosity (0-3). */
export interface NagiosOptions {
  timeoutState: Severity;
  verbosity: number;
}

/** The severity after the timeout rule: a connect/query timeout becomes `timeoutState`. */
export function nagiosSeverity(v: Verdict, opts: NagiosOptions): Severity {
  const timedOut = v.findings.some(
    (f) => (f.code === 'cannot_connect' || f.code === 'query_failed') && f.value === 'timeout',
  );
  return timedOut ? opts.timeoutState : v.severity;
}

/** Quotes a perfdata label when it holds spaces, `=` or quotes (guidelines: `'label'`, `''` for a quote). */
export function perfLabel(label: string): string {
  return /[\s='"]/.test(label) ? `'${label.replace(/'/g, "''")}'` : label;
}

function num(n: number): string {
  // Plain decimal, no exponent, at most 3 decimals.
  const s = Number.isInteger(n) ? n.toFixed(0) : n.toFixed(3).replace(/0+$/, '').replace(/\.$/, '');
  return s === '-0' ? '0' : s;
}

/** A range in base units, as perfdata wants it (no unit suffixes). */
export function perfRange(r: Range): string {
  const start = r.start === -Infinity ? '~' : num(r.start);
  const end = r.end === Infinity ? '' : num(r.end);
  const body = !r.inside && r.start === 0 ? end : `${start}:${end}`;
  return `${r.inside ? '@' : ''}${body}`;
}

function rangeFor(text: string | undefined, m: Metric): string {
  if (!text) return '';
  try {
    return perfRange(parseRange(text, m.unit === 'B' ? 'bytes' : m.unit === 's' ? 'seconds' : 'count'));
  } catch {
    return '';
  }
}

/** One perfdata item. */
export function perfItem(m: Metric): string {
  const fields = [rangeFor(m.warning, m), rangeFor(m.critical, m), m.min === undefined ? '' : num(m.min), ''];
  while (fields.length && fields[fields.length - 1] === '') fields.pop();
  return `${perfLabel(m.label)}=${num(m.value)}${m.unit}${fields.length ? `;${fields.join(';')}` : ''}`;
}

/**
 * Renders the status line, long output and exit code.
 * Verbosity: 0 the status line only; 1 one line per finding; 2 also the key facts; 3 also the
 * metrics in words.
 */
export function renderNagios(v: Verdict, opts: NagiosOptions): { exitCode: number; lines: string[] } {
  const severity = nagiosSeverity(v, opts);
  const perf = v.metrics.map(perfItem).join(' ');
  const summary = `${roleLabel(v)} ${v.target.host}:${v.target.port}: ${v.summary}`.replace(/\|/g, '/');
  const lines = [`PGSR ${severity.toUpperCase()} - ${summary}${perf ? ` | ${perf}` : ''}`];
  if (opts.verbosity >= 1)
    for (const f of v.findings) lines.push(`${f.severity.toUpperCase()}: ${f.code}: ${f.message}`.replace(/\|/g, '/'));
  if (opts.verbosity >= 2)
    for (const [k, val] of Object.entries(v.facts))
      if (val !== null && val !== '') lines.push(`${k}: ${String(val).replace(/\|/g, '/')}`);
  if (opts.verbosity >= 3)
    for (const m of v.metrics) lines.push(`${m.label}: ${m.unit === '' ? m.value : formatQuantity(m.value, m.unit)}`);
  return { exitCode: NAGIOS_EXIT[severity], lines };
}
