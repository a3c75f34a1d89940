/**
 * Classification of what went wrong on a connection, once, for every probe: SQLSTATE for server
 * errors (PostgreSQL docs, Appendix A), `err.code` for socket errors, pgsr's own timers.
 */
import type { ProbeFailure } from '../observation';
import { oneLine } from '../errors';
import { t } from '../i18n';

/** An error pgsr raises inside node-postgres callbacks, already classified. */
export class TaggedError extends Error {
  constructor(
    message: string,
    readonly kind: ProbeFailure['kind'],
  ) {
    super(message);
  }
}

/** An error the server sent (it has a SQLSTATE and a severity), as opposed to a socket error. */
export function isServerError(err: unknown): boolean {
  const e = err as { code?: string; severity?: string };
  return typeof e?.code === 'string' && typeof e?.severity === 'string';
}

/** The password-file notes appended to an authentication failure. */
export function notesText(notes: string[]): string {
  return notes.length ? `; ${notes.join('; ')}` : '';
}

const SOCKET_KINDS: Record<string, ProbeFailure['kind']> = {
  ECONNREFUSED: 'refused',
  ENOENT: 'refused',
  ENOTFOUND: 'dns',
  EAI_AGAIN: 'dns',
  EAI_NONAME: 'dns',
  EHOSTUNREACH: 'network',
  ENETUNREACH: 'network',
  ETIMEDOUT: 'network',
  ECONNRESET: 'network',
  EPIPE: 'network',
};

/** SQLSTATE classes and codes (PostgreSQL docs, Appendix A) that change the failure kind. */
const SQLSTATE_KINDS: Record<string, ProbeFailure['kind']> = {
  '28P01': 'auth', // invalid_password
  '28000': 'auth', // invalid_authorization_specification (pg_hba.conf rejection)
  '57P03': 'not-accepting', // cannot_connect_now: starting up, shutting down, in recovery without hot_standby
  '53300': 'not-accepting', // too_many_connections
  '42501': 'privilege', // insufficient_privilege
};

export function classify(
  err: unknown,
  phase: ProbeFailure['phase'],
  timedOut: boolean,
  budgetMs: number,
  passNotes: string[],
): ProbeFailure {
  if (timedOut) {
    return {
      kind: 'timeout',
      phase,
      detail: t(phase === 'connect' ? 'probe.no_answer_connecting' : 'probe.no_answer_querying', {
        seconds: (budgetMs / 1000).toFixed(1),
      }),
    };
  }
  if (err instanceof TaggedError) return { kind: err.kind, phase, detail: err.message };
  const e = err as { code?: string; severity?: string; message?: string };
  const detail = oneLine(err) || t('probe.unknown_error');
  if (e.code && e.severity) {
    const kind = SQLSTATE_KINDS[e.code] ?? 'sql';
    return { kind, phase, sqlstate: e.code, detail: kind === 'auth' ? detail + notesText(passNotes) : detail };
  }
  if (e.code && SOCKET_KINDS[e.code]) return { kind: SOCKET_KINDS[e.code], phase, detail };
  return { kind: phase === 'connect' ? 'network' : 'protocol', phase, detail };
}
