/**
 * Human rendering of a Verdict (`--format text`): a headline, then one line per finding and
 * the key figures. Pure.
 */
import { formatQuantity, roleLabel, type Verdict } from '../verdict/check';
import { t } from '../i18n';

/** Renders a verdict as lines for a terminal. */
export function renderText(v: Verdict, exitCode: number): string[] {
  const lines = [`${v.severity.toUpperCase()}: ${roleLabel(v)} ${v.target.host}:${v.target.port}: ${v.summary}`];
  for (const f of v.findings) lines.push(`  ${f.severity.padEnd(8)} ${f.code}: ${f.message}`);
  for (const m of v.metrics) lines.push(`  ${m.label} = ${m.unit === '' ? m.value : formatQuantity(m.value, m.unit)}`);
  for (const [k, val] of Object.entries(v.facts)) if (val !== null && val !== '') lines.push(`  ${k}: ${val}`);
  lines.push(`  ${t('text.exit', { code: exitCode, ms: v.durationMs })}`);
  return lines;
}
