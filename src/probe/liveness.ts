/**
 * Is the standby's primary still there? A walreceiver keeps saying `streaming` until
 * wal_receiver_timeout (60 s by default) when its primary loses power: no FIN or RST ever
 * arrives. This probe asks the primary's postmaster directly, bounded in time, with the one
 * protocol message that needs no credentials and has no side effect: an SSLRequest (PostgreSQL
 * docs, Frontend/Backend Protocol, "SSL Session Encryption"). A live postmaster accepts the TCP
 * connection and a process it forks answers with one byte (`N`, or `S` when ssl = on); pgsr then
 * closes. A frozen postmaster (the kernel still completes the TCP handshake) never answers. No
 * session starts and no authentication happens (unlike a login attempt, or pg_isready with a
 * wrong user). With ssl = off the server logs nothing (it ignores a client that leaves before
 * sending a startup packet); with ssl = on it logs one "could not accept SSL connection: EOF
 * detected" line per probe. (A CancelRequest for pid 0 would do as well, but every version logs
 * "PID 0 in cancel request did not match any process" at LOG level.)
 *
 * Outcomes:
 * - `answered`: the connection was accepted and closed by the server (alive);
 * - `refused`: the host answered with RST (up, but no PostgreSQL listening: the postmaster is down);
 * - `no-answer`: no SYN-ACK, or accepted but never closed, within the timeout (power loss, frozen
 *   or hung postmaster, or a silent partition);
 * - `unreachable`: the OS says there is no route (ENETUNREACH, EHOSTUNREACH, EHOSTDOWN) or the
 *   name does not resolve.
 * Never throws; always ends within `timeoutMs` (+ a few ms of timer slack).
 */
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { addressOf } from '../config/conninfo';
import type { SenderProbe } from '../observation';
import { t } from '../i18n';

/**
 * Where a walreceiver streams from: sender_host/sender_port (PostgreSQL 11+), else the first host
 * and port of its conninfo (10). A Unix-socket directory stays a directory. undefined if unknown.
 */
export function senderTarget(
  senderHost: string | null | undefined,
  senderPort: number | null | undefined,
  conninfo: string | null | undefined,
): { host: string; port: number } | undefined {
  if (senderHost) return { host: senderHost, port: Number(senderPort ?? 5432) || 5432 };
  const a = addressOf(conninfo ?? '');
  const host = a.host?.split(',')[0];
  return host ? { host, port: Number(String(a.port ?? '5432').split(',')[0]) || 5432 } : undefined;
}

/** SSLRequest: length 8, request code 80877103 (1234 << 16 | 5679). */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

const UNREACHABLE = new Set(['ENETUNREACH', 'EHOSTUNREACH', 'EHOSTDOWN', 'ENOTFOUND', 'EAI_AGAIN', 'ENONET']);

/**
 * Probes a PostgreSQL server's postmaster as described above.
 * @param host host name, IP address, or a Unix-socket directory (starts with `/`).
 * @param port TCP port (also names the socket file `.s.PGSQL.<port>`).
 * @param timeoutMs bound of the whole probe, ms.
 * @param signal ends the probe early (result `no-answer`, detail `aborted`): a watch stopping.
 */
export function probeSender(host: string, port: number, timeoutMs: number, signal?: AbortSignal): Promise<SenderProbe> {
  const t0 = Date.now();
  const target = `${host}:${port}`;
  return new Promise((resolve) => {
    let done = false;
    let connected = false;
    let sock: Socket | undefined;
    const finish = (result: SenderProbe['result'], detail: string) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      sock?.destroy();
      resolve({ target, result, detail, ms: Date.now() - t0 });
    };
    const timer = setTimeout(
      () =>
        finish(
          'no-answer',
          connected ? t('probe.frozen', { ms: timeoutMs }) : t('probe.no_tcp_answer', { ms: timeoutMs }),
        ),
      Math.max(1, timeoutMs),
    );
    const onAbort = () => finish('no-answer', 'aborted');
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort);
    try {
      sock = host.startsWith('/') ? connect({ path: join(host, `.s.PGSQL.${port}`) }) : connect({ host, port });
    } catch (err) {
      finish('unreachable', (err as Error).message);
      return;
    }
    sock.setNoDelay(true);
    sock.on('connect', () => {
      connected = true;
      sock?.write(SSL_REQUEST);
    });
    // One byte (N or S) is the answer; a server that closes instead has answered too.
    sock.on('data', () => finish('answered', t('probe.answered')));
    sock.on('end', () => finish('answered', t('probe.answered')));
    sock.on('close', () => {
      if (connected) finish('answered', t('probe.answered'));
    });
    sock.on('error', (err: NodeJS.ErrnoException) => {
      if (connected && (err.code === 'ECONNRESET' || err.code === 'EPIPE'))
        return finish('answered', t('probe.answered_reset'));
      if (err.code === 'ECONNREFUSED' || err.code === 'ENOENT')
        return finish('refused', t('probe.conn_refused', { code: err.code }));
      if (err.code && UNREACHABLE.has(err.code)) return finish('unreachable', `${err.code}: ${err.message}`);
      finish('no-answer', `${err.code ?? 'error'}: ${err.message}`);
    });
  });
}
