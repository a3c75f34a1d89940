/** Helpers every verdict rule uses: metrics, threshold findings, quantities for messages. Pure. */
import { thresholdSeverity, type Range, type Thresholds } from '../range';
import type { Finding, FindingCode, Metric } from './check';
import { t } from '../i18n';

/** A metric with the range texts of its thresholds (perfdata, log lines). */
export function metric(label: string, value: number, unit: Metric['unit'], th?: Thresholds): Metric {
  return { label, value, unit, warning: th?.warning?.text, critical: th?.critical?.text, min: 0 };
}

/** Adds a threshold finding when `value` crosses `t`; returns nothing either way. */
export function thresholdFinding(
  findings: Finding[],
  code: FindingCode,
  value: number,
  unit: 'B' | 's' | '',
  th: Thresholds,
  describe: (v: string) => string,
  subject?: string,
): void {
  const sev = thresholdSeverity(th, value);
  if (sev === 'ok') return;
  const range = (sev === 'critical' ? th.critical : th.warning) as Range;
  findings.push({
    code,
    severity: sev,
    message: t('threshold.crossed', { what: describe(formatQuantity(value, unit)), severity: sev, range: range.text }),
    value,
    unit,
    threshold: range.text,
    subject,
  });
}

/** Formats bytes or seconds for messages: `0 B`, `16.0 MiB`, `2.5 s`. */
export function formatQuantity(value: number, unit: 'B' | 's' | ''): string {
  if (unit === 's') return `${value < 10 ? value.toFixed(1) : Math.round(value)} s`;
  if (unit === 'B') {
    const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let v = value;
    let i = 0;
    while (Math.abs(v) >= 1024 && i < units.length - 1) {
      v /= 1024;
      i++;
    }
    return i === 0 ? `${v} B` : `${v.toFixed(1)} ${units[i]}`;
  }
  return String(value);
}

/** Rounded to milliseconds (3 decimals). */
export function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
