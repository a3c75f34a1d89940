/**
 * What a standby's server log says about its walreceiver: the reason it cannot stream, from the
 * lines PostgreSQL writes when the walreceiver fails (walreceiver.c, libpqwalreceiver.c). The
 * view pg_stat_wal_receiver has no row while the walreceiver cannot connect and keeps no error,
 * so the log is the only place the reason is. Matches PostgreSQL's English messages
 * (lc_messages C or en_*); with a translated server log no reason is found and the caller's
 * wait runs to its bound as before. Pure parsing; reading the file is bounded by the caller.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Why the walreceiver cannot stream: `connect` (authentication, pg_hba, no server) or `identity` (another cluster, a diverged timeline). */
export interface WalreceiverFailure {
  kind: 'connect' | 'identity';
  /** PostgreSQL's own text after the severity, one line. */
  reason: string;
}

const PATTERNS: Array<{ kind: WalreceiverFailure['kind']; re: RegExp }> = [
  { kind: 'connect', re: /could not connect to the primary server: (.*)$/ },
  { kind: 'identity', re: /(database system identifier differs between the primary and standby.*)$/ },
  { kind: 'identity', re: /(highest timeline \d+ of the primary is behind recovery timeline \d+.*)$/ },
  { kind: 'identity', re: /(requested starting point \S+ on timeline \d+ is not in this server's history.*)$/ },
];

/**
 * Connection failures that may pass by themselves (the upstream restarting, an address moving
 * to another node, a network blip): not counted, the wait goes on to its bound (libpq's and the
 * server's texts).
 */
const TRANSIENT =
  /Connection refused|timeout expired|timed out|No route to host|Network is unreachable|could not translate host name|the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)|too many clients|remaining connection slots|server closed the connection/i;

/**
 * The walreceiver failures in log text, oldest first (one per failed attempt), leaving out
 * connection failures that may pass by themselves (TRANSIENT): what is left (authentication,
 * pg_hba, a missing role, another cluster, a timeline) does not mend by waiting.
 */
export function walreceiverFailures(text: string): WalreceiverFailure[] {
  const out: WalreceiverFailure[] = [];
  for (const line of text.split('\n')) {
    for (const p of PATTERNS) {
      const m = p.re.exec(line);
      if (m) {
        if (!(p.kind === 'connect' && TRANSIENT.test(m[1]))) out.push({ kind: p.kind, reason: m[1].trim() });
        break;
      }
    }
  }
  return out;
}

/**
 * The text of `file` from byte `offset` to its end, at most its last `maxBytes`, and where it
 * ended (the offset to read on from); '' and `offset` when unreadable. Never throws.
 */
export function readLogSince(file: string, offset: number, maxBytes = 262_144): { text: string; end: number } {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const from = Math.max(offset, size - maxBytes);
    if (size <= from) return { text: '', end: Math.max(offset, size) };
    const buf = Buffer.alloc(size - from);
    readSync(fd, buf, 0, buf.length, from);
    return { text: buf.toString('utf8'), end: size };
  } catch {
    return { text: '', end: offset };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
