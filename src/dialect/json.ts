/**
 * JSON rendering of a Verdict (`--format json`). Schema `pgsr.check/1`, documented in README:
 * { schema, time, target: {host, port}, role, expected_role, severity, exit_code, summary,
 *   findings: [{code, class, severity, message, subject?, value?, unit?, threshold?}],
 *   metrics: [{label, value, unit, warning?, critical?, min?}], facts: {...}, duration_ms }
 * Units: bytes `B`, seconds `s`. Pure.
 */
import { FINDING_CLASS, type Verdict } from '../verdict/check';

/** Renders one verdict as a single JSON line. */
export function renderJson(v: Verdict, exitCode: number, now: Date, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    schema: 'pgsr.check/1',
    time: now.toISOString(),
    target: v.target,
    role: v.role,
    expected_role: v.expectedRole,
    severity: v.severity,
    exit_code: exitCode,
    summary: v.summary,
    findings: v.findings.map((f) => ({ ...f, class: FINDING_CLASS[f.code] })),
    metrics: v.metrics,
    facts: v.facts,
    duration_ms: v.durationMs,
    ...extra,
  });
}
