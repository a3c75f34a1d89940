/**
 * Renderings of `pgsr preflight` (verdict/preflight.ts): text for an operator (the counts, then
 * failures first, each with its fix on the next line), JSON `{ "checks": [...] }` with the keys
 * README documents. Pure.
 */
import type { PreflightCheck, PreflightStatus } from '../verdict/preflight';
import { t } from '../i18n';
import { displayWidth, padCells } from './width';

const ORDER: Record<PreflightStatus, number> = { fail: 0, warn: 1, pass: 2 };
const count = (checks: PreflightCheck[], s: PreflightStatus): number => checks.filter((c) => c.status === s).length;

/** The counts line, then one line per check (failures, warnings, passes), a fix indented under it. */
export function renderPreflightText(checks: PreflightCheck[]): string[] {
  const sorted = [...checks].sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  const head = t('pf.header').split('|');
  const rows = sorted.map((c) => [c.status.toUpperCase(), c.id, c.node ?? '-', c.message]);
  const widths = [0, 1, 2].map((i) => Math.max(displayWidth(head[i]), ...rows.map((r) => displayWidth(r[i]))));
  const line = (cells: string[]) => cells.map((x, i) => (i < 3 ? padCells(x, widths[i]) : x)).join('  ');
  const out = [
    t('pf.summary', {
      pass: String(count(checks, 'pass')),
      warn: String(count(checks, 'warn')),
      fail: String(count(checks, 'fail')),
    }),
    line(head),
  ];
  sorted.forEach((c, i) => {
    out.push(line(rows[i]));
    if (c.fix && c.status !== 'pass') out.push(`${' '.repeat(widths[0] + 2)}${t('pf.fix', { fix: c.fix })}`);
  });
  return out;
}

/** `{ checks: [{ id, node, status, message, fix }], summary: { pass, warn, fail } }` (README "pgsr preflight"). */
export function preflightJson(checks: PreflightCheck[]): Record<string, unknown> {
  return {
    checks: checks.map((c) => ({ id: c.id, node: c.node, status: c.status, message: c.message, fix: c.fix })),
    summary: { pass: count(checks, 'pass'), warn: count(checks, 'warn'), fail: count(checks, 'fail') },
  };
}
