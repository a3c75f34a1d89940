/**
 * Renderings of a lifecycle ActionResult: one summary line (text), one JSON object
 * (`pgsr.action/1`), or a CLUSTERPRO log line plus the clplogcmd alert to raise. Pure.
 */
import type { ActionResult, Outcome } from '../types';
import { localTimestamp, type AlertRequest } from './clusterpro';
import { t } from '../i18n';

/** Exit codes of lifecycle commands (documented in README): a partial result is a failure to the host. */
export const ACTION_EXIT: Record<Outcome, number> = {
  done: 0,
  already: 0,
  planned: 0,
  failed: 1,
  partial: 1,
  refused: 3,
};

/** clplogcmd event IDs of lifecycle outcomes (after the check's 1-10). */
export const ACTION_EVENT_ID: Record<string, number> = {
  start: 20,
  stop: 21,
  promote: 22,
  rebuild: 23,
  switchover: 24,
  'archive hold': 25,
  'archive resume': 25,
  'archive status': 25,
  unlock: 26,
  'exec start': 27,
  'exec stop': 28,
};

/** Text: the summary line, then reasons and (dry-run or failure) the steps. */
export function renderActionText(r: ActionResult): string[] {
  const lines = [`pgsr ${r.action}: ${t(`outcome.${r.outcome}`)}: ${r.summary}`];
  for (const reason of r.reasons.slice(1)) lines.push(t('action.also', { reason }));
  for (const w of r.warnings ?? []) lines.push(t('action.warning', { warning: w }));
  if (r.outcome === 'planned' || r.outcome === 'failed' || r.outcome === 'partial')
    for (const s of r.steps) lines.push(`  ${s.status.padEnd(7)} ${s.step}${s.detail ? ` (${s.detail})` : ''}`);
  return lines;
}

/** JSON, schema `pgsr.action/1`: {schema, time, action, outcome, exit_code, summary, reasons, steps, facts, duration_ms}. */
export function renderActionJson(r: ActionResult, now: Date): string {
  return JSON.stringify({
    schema: 'pgsr.action/1',
    time: now.toISOString(),
    action: r.action,
    outcome: r.outcome,
    exit_code: ACTION_EXIT[r.outcome],
    summary: r.summary,
    reasons: r.reasons,
    warnings: r.warnings ?? [],
    steps: r.steps,
    facts: r.facts,
    duration_ms: r.durationMs,
  });
}

/** CLUSTERPRO: one log line. */
export function renderActionClusterpro(r: ActionResult, now: Date): string {
  const steps = r.steps.map((s) => `${s.step}=${s.status}`).join(', ');
  const warn = r.warnings?.length ? ` | WARNING: ${r.warnings.join('; ')}` : '';
  return `${localTimestamp(now)} pgsr ${r.action} ${r.outcome.toUpperCase()} exit=${ACTION_EXIT[r.outcome]}: ${r.summary}${warn}${steps ? ` | ${steps}` : ''} | duration=${r.durationMs}ms`;
}

/**
 * The alert for an outcome: INFO when something was done, WARN when done with warnings, ERR when
 * refused, failed or partial, none otherwise.
 */
export function actionAlert(r: ActionResult): AlertRequest | undefined {
  const id = ACTION_EVENT_ID[r.action] ?? 29;
  if (r.outcome === 'done' && r.warnings?.length)
    return {
      level: 'WARN',
      eventId: id,
      message: t('alert.action_done_warning', {
        action: r.action,
        warnings: r.warnings.join(t('word.findings_separator')),
        summary: r.summary,
      }),
      reason: 'new-state',
    };
  if (r.outcome === 'partial')
    return {
      level: 'ERR',
      eventId: id,
      message: t('alert.action_partial', { action: r.action, summary: r.summary }),
      reason: 'new-state',
    };
  if (r.outcome === 'done')
    return {
      level: 'INFO',
      eventId: id,
      message: t('alert.action_done', { action: r.action, summary: r.summary }),
      reason: 'new-state',
    };
  if (r.outcome === 'failed' || r.outcome === 'refused')
    return {
      level: 'ERR',
      eventId: id,
      message: t(r.outcome === 'failed' ? 'alert.action_failed' : 'alert.action_refused', {
        action: r.action,
        summary: r.summary,
      }),
      reason: 'new-state',
    };
  return undefined;
}
