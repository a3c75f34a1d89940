/**
 * CLUSTERPRO X rendering of a Verdict: the genw/EXEC exit code, the line written to the
 * monitor's log output path, and the `clplogcmd` alert to raise, de-duplicated against the
 * previous run's state. Pure: the host layer runs the command and stores the state.
 *
 * Sources: CLUSTERPRO X Reference Guide (custom monitor resource: "normal return value" 0;
 * clplogcmd: `-m` at most 511 bytes, 485 when syslog is a destination, `%` not usable,
 * `\ ! " & ' ( ) ~ | ; : * < > , .` must be escaped with a backslash, levels ERR/WARN/INFO);
 * the CLUSTERPRO custom monitor genw_watchstandby.
 */
import { SEVERITY_RANK, type Severity } from '../types';
import {
  FINDING_CLASS,
  formatQuantity,
  roleLabel,
  type FindingClass,
  type FindingCode,
  type Verdict,
} from '../verdict/check';
import { t } from '../i18n';

/**
 * Exit codes of pgsr in the CLUSTERPRO dialect (also used by the json and text formats).
 * Any non-zero code is "abnormal" for a genw whose normal return value is 0.
 */
export const EXIT = {
  /** OK, or WARNING without --warning-is-error. */
  ok: 0,
  /** Replication abnormal: not streaming, wrong sender, timeline, lag or sync state over limits. */
  replication: 1,
  /** Cannot connect to or query the server (the code psql gives for a failed connection). */
  connection: 2,
  /** Role mismatch: primary where a standby was expected or the reverse (split-brain sign). */
  role: 3,
  /** WARNING, with --warning-is-error. */
  warning: 4,
  /** Configuration or usage error: bad flags or config file, privileges, unsupported server. */
  config: 5,
  /** Internal error (a bug): reported on one line, never as a stack trace. */
  internal: 6,
} as const;

const CLASS_EXIT: Record<FindingClass, number> = {
  replication: EXIT.replication,
  connection: EXIT.connection,
  role: EXIT.role,
  config: EXIT.config,
};
/** Among equally severe findings, the class whose exit code wins. */
const CLASS_PRIORITY: FindingClass[] = ['config', 'role', 'connection', 'replication'];

/**
 * clplogcmd event IDs, one per finding class (documented in README). ID 1 is the recovery
 * notice. Small positive integers, never a borrowed exit code.
 */
export const EVENT_ID: Record<FindingCode, number> & { recovered: number } = {
  recovered: 1,
  cannot_connect: 2,
  query_failed: 2,
  role_mismatch: 3,
  walreceiver_missing: 4,
  walreceiver_not_streaming: 4,
  standby_missing: 4,
  standby_not_streaming: 4,
  standby_silent: 4,
  standby_catching_up: 4,
  too_few_standbys: 4,
  sender_mismatch: 5,
  timeline_mismatch: 6,
  replay_paused: 7,
  replay_lag_bytes: 8,
  replay_lag_seconds: 8,
  primary_silence: 8,
  primary_unreachable: 4,
  standby_lag_bytes: 8,
  standby_flush_lag_bytes: 8,
  standby_lag_seconds: 8,
  sync_state_mismatch: 9,
  slot_lost: 11,
  slot_unreserved: 11,
  slot_retained_wal: 11,
  archive_failing: 15,
  archive_backlog: 15,
  wal_disk_space: 15,
  sync_standby_missing: 12,
  sync_commits_waiting: 12,
  sync_degraded: 12,
  pgpool_primary_mismatch: 14,
  pgpool_two_primaries: 14,
  pgpool_standby_detached: 14,
  pgpool_backend_down: 14,
  pgpool_backend_unreachable: 14,
  pgpool_no_standby: 14,
  insufficient_privilege: 10,
  unsupported_version: 10,
};

/** Exit code for a verdict in this dialect. */
export function exitCodeFor(v: Verdict, warningIsError: boolean): number {
  if (v.severity === 'ok') return EXIT.ok;
  if (v.severity === 'warning') return warningIsError ? EXIT.warning : EXIT.ok;
  const worst = v.findings.filter((f) => f.severity === v.severity);
  for (const cls of CLASS_PRIORITY) if (worst.some((f) => FINDING_CLASS[f.code] === cls)) return CLASS_EXIT[cls];
  return EXIT.internal;
}

/** Local time with offset, ISO 8601 (operators read genw logs in local time). */
export function localTimestamp(d: Date): string {
  const off = -d.getTimezoneOffset();
  const pad = (n: number, w = 2) => String(Math.trunc(Math.abs(n))).padStart(w, '0');
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}` +
    `${off >= 0 ? '+' : '-'}${pad(off / 60)}:${pad(off % 60)}`
  );
}

/**
 * The one line a run writes to stdout (the genw "log output path"):
 * `<time> pgsr <SEVERITY> exit=<n> <role> <host:port>: <summary> | k=v ...`.
 */
export function logLine(v: Verdict, exitCode: number, now: Date): string {
  const figures = v.metrics.map(
    (m) => `${m.label}=${m.unit === '' ? m.value : formatQuantity(m.value, m.unit).replace(' ', '')}`,
  );
  const facts = ['timeline', 'received_tli', 'sender', 'status', 'current_lsn', 'replay_lsn']
    .filter((k) => v.facts[k] !== undefined && v.facts[k] !== null)
    .map((k) => `${k}=${v.facts[k]}`);
  const tail = [...figures, ...facts, `duration=${v.durationMs}ms`].join(' ');
  return `${localTimestamp(now)} pgsr ${v.severity.toUpperCase()} exit=${exitCode} ${roleLabel(v)} ${v.target.host}:${v.target.port}: ${v.summary} | ${tail}`;
}

const encoder = new TextEncoder();
/** UTF-8 byte length of a string. */
function utf8Length(s: string): number {
  return encoder.encode(s).length;
}

/** Characters clplogcmd requires to be escaped with a backslash. */
const SPECIAL = new Set('\\!"&\'()~|;:*<>,.');

/**
 * Escapes a message for `clplogcmd -m` and cuts it to `maxBytes` UTF-8 bytes on a character
 * boundary, never inside an escape; a cut message ends with an escaped "...". `%` (not
 * allowed) becomes "pct"; control characters become spaces.
 */
export function escapeForClplogcmd(message: string, maxBytes: number): string {
  const tokens: string[] = [];
  for (const ch of message.replace(/%/g, 'pct')) {
    if (ch < ' ' || ch === '\u007f') tokens.push(' ');
    else tokens.push(SPECIAL.has(ch) ? `\\${ch}` : ch);
  }
  const total = tokens.reduce((n, t) => n + utf8Length(t), 0);
  if (total <= maxBytes) return tokens.join('');
  const ellipsis = '\\.\\.\\.';
  let out = '';
  let used = 0;
  for (const t of tokens) {
    const b = utf8Length(t);
    if (used + b > maxBytes - ellipsis.length) break;
    out += t;
    used += b;
  }
  return out + ellipsis;
}

/** Message limit of clplogcmd -m, bytes (485 when syslog is a destination). */
export function messageLimit(syslog: boolean): number {
  return syslog ? 485 : 511;
}

/** What was last alerted for one monitored target; stored between runs by host/state. */
export interface AlertState {
  severity: Severity;
  /** Finding codes and subjects, sorted: a change is a new state worth an alert. */
  signature: string;
  /** Epoch ms of the last alert sent for this state. */
  alertedAt: number;
  /** Epoch ms since this state holds. */
  since: number;
}

/** An alert to send with clplogcmd. */
export interface AlertRequest {
  level: 'ERR' | 'WARN' | 'INFO';
  eventId: number;
  /** Unescaped text; the host escapes it for clplogcmd. */
  message: string;
  reason: 'new-state' | 'reminder' | 'recovered';
}

/** clplogcmd event ID of a synchronous replication switch (rep-mode sync; documented in README). */
export const SYNC_SWITCH_EVENT_ID = 13;

/**
 * The alert for one switch of synchronous_standby_names by the manager: WARN when commits are
 * now acknowledged without a standby (async), INFO when a standby is synchronous again, ERR when
 * the new value could not be written.
 */
export function syncSwitchAlert(target: string, line: string, toAsync: boolean, failed: boolean): AlertRequest {
  return {
    level: failed ? 'ERR' : toAsync ? 'WARN' : 'INFO',
    eventId: SYNC_SWITCH_EVENT_ID,
    message: t('alert.sync_switch', { target, line }),
    reason: 'new-state',
  };
}

/** Identity of a verdict's state for de-duplication. */
export function signatureOf(v: Verdict): string {
  return v.findings
    .map((f) => `${f.code}${f.subject ? `@${f.subject}` : ''}`)
    .sort()
    .join(',');
}

/**
 * Decides whether this run raises an alert: on every change of state (a new problem, a
 * different problem, recovery to OK), and again for an unchanged problem after `reminderS`
 * seconds (0 = never). The first run with no stored state alerts only when not OK.
 * @returns the alert (if any) and the state to store once the alert has been sent: `prev` itself
 *   when nothing changed, so the caller can tell by identity that there is nothing to write.
 */
export function decideAlert(
  prev: AlertState | undefined,
  v: Verdict,
  nowMs: number,
  reminderS: number,
): { alert?: AlertRequest; next: AlertState } {
  const signature = signatureOf(v);
  const head = t('alert.head', { role: roleLabel(v), where: `${v.target.host}:${v.target.port}` });
  const prevBad = prev !== undefined && prev.severity !== 'ok';
  if (v.severity === 'ok') {
    const next: AlertState = {
      severity: 'ok',
      signature: '',
      alertedAt: prevBad ? nowMs : (prev?.alertedAt ?? 0),
      since: prevBad || !prev ? nowMs : prev.since,
    };
    // Healthy before (an OK state's fields are exactly these) or no state yet.
    if (!prevBad) return { next: prev ?? next };
    return {
      alert: {
        level: 'INFO',
        eventId: EVENT_ID.recovered,
        message: t('alert.recovered', { head, summary: v.summary }),
        reason: 'recovered',
      },
      next,
    };
  }
  const level = SEVERITY_RANK[v.severity] >= SEVERITY_RANK.unknown ? 'ERR' : 'WARN';
  const top = v.findings[0];
  const alert: AlertRequest = {
    level,
    eventId: top ? EVENT_ID[top.code] : EVENT_ID.query_failed,
    message: t('alert.problem', { head, severity: v.severity.toUpperCase(), summary: v.summary }),
    reason: 'new-state',
  };
  const changed = !prev || prev.severity !== v.severity || prev.signature !== signature;
  if (changed) return { alert, next: { severity: v.severity, signature, alertedAt: nowMs, since: nowMs } };
  if (reminderS > 0 && nowMs - prev.alertedAt >= reminderS * 1000) {
    return { alert: { ...alert, reason: 'reminder' }, next: { ...prev, alertedAt: nowMs } };
  }
  return { next: prev };
}
