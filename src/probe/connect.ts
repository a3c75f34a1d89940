/**
 * Connections to PostgreSQL, bounded: node-postgres clients with pgsr's own timers (it waits
 * forever by default), statement_timeout, keepalives, libpq's sslmode fallbacks and password
 * lookup (never argv); a failure classified once, from SQLSTATE for server errors and the socket
 * error code otherwise (never from message text elsewhere).
 *
 * Over 350 lines because libpq's connection behaviour is kept in one place: sslmode fallbacks on one socket, password lookup, bounded connect, query and close.
 */
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { Client as PgClient, ClientConfig } from 'pg';
import type { ConnectionSettings } from '../config/resolve';
import type { ProbeFailure } from '../observation';
import { lookupPassword } from './pgpass';
import { TaggedError, classify, notesText } from './classify';
import { t } from '../i18n';

/**
 * Creates and connects a client, with libpq's sslmode fallbacks: `prefer` asks for TLS on the
 * connection it then uses (askSsl) and retries without TLS when the TLS connection is refused
 * (pg_hba.conf `hostnossl`,
 * SQLSTATE 28000), `allow` retries with TLS when the server refuses the plain connection
 * (`hostssl`). `setActive` receives each client as it is
 * made, so that the caller's timer can destroy the one under way.
 */
export async function connectClient(
  conn: ConnectionSettings,
  budgetMs: number,
  onNotes: (notes: string[]) => void,
  setActive: (c: PgClient) => void,
): Promise<PgClient> {
  if (conn.sslmode === 'prefer' && !conn.host.startsWith('/')) {
    // libpq's own order on one connection: SSLRequest first; a server without TLS answers 'N'
    // and the startup goes on in plain on the same socket. node-postgres would end the socket on
    // 'N' and make us connect again (a second backend fork on the server, and Node's TLS module
    // loaded for nothing): so pgsr asks the question itself and hands the socket over.
    // The caller's timer destroys whatever setActive last received: here the raw socket.
    // (a stand-in with what destroy() and closeClient() use of a client).
    const asking = askSsl(conn.host, conn.port, budgetMs, (sock) =>
      setActive({ connection: { stream: sock }, end: async () => undefined } as unknown as PgClient),
    );
    asking.catch(() => undefined); // awaited below; node-postgres loads while the server answers
    await import('pg');
    const pre = await asking;
    if (pre) {
      const client = await makeClient(conn, budgetMs, onNotes, 1, pre.socket);
      setActive(client);
      try {
        await client.connect();
        return client;
      } catch (err) {
        // TLS refused by pg_hba.conf (hostnossl, SQLSTATE 28000): libpq's prefer tries plain.
        if (!(pre.encrypted && (err as { code?: string }).code === '28000')) throw err;
        destroy(client);
        const plain = await makeClient(conn, budgetMs, onNotes, 1);
        setActive(plain);
        await plain.connect();
        return plain;
      }
    }
  }
  const first = await makeClient(conn, budgetMs, onNotes, 0);
  setActive(first);
  try {
    await first.connect();
    return first;
  } catch (err) {
    const e = err as { message?: string; code?: string };
    const socket = conn.host.startsWith('/');
    // libpq: prefer falls back to plain when the server has no TLS or refuses the TLS connection
    // (pg_hba.conf hostnossl); allow falls back to TLS when the plain connection is refused (hostssl).
    const retry =
      !socket &&
      ((conn.sslmode === 'prefer' && (/does not support SSL/i.test(String(e.message)) || e.code === '28000')) ||
        (conn.sslmode === 'allow' && e.code === '28000'));
    if (!retry) throw err;
    destroy(first);
    const second = await makeClient(conn, budgetMs, onNotes, 1);
    setActive(second);
    await second.connect();
    return second;
  }
}

/** PostgreSQL's SSLRequest: length 8, code 80877103 (protocol docs, "SSL Session Encryption"). */
const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 4, 210, 22, 47]);

/**
 * sslmode=prefer as libpq does it, on one connection: opens a TCP connection and sends
 * SSLRequest. 'N' (no TLS): returns the socket, the startup continues on it in plain. 'S':
 * returns the same socket after a TLS handshake without certificate verification (prefer
 * verifies nothing). Any other answer: undefined (node-postgres's own path takes over). Bounded
 * by `budgetMs`; `onSocket` receives the socket at once, so that a caller's earlier timer can
 * destroy it.
 * @throws the socket's error (ECONNREFUSED, EHOSTUNREACH...), ETIMEDOUT, or the TLS error.
 */
export async function askSsl(
  host: string,
  port: number,
  budgetMs: number,
  onSocket: (s: Socket) => void = () => {},
): Promise<{ socket: Socket; encrypted: boolean } | undefined> {
  const until = Date.now() + budgetMs;
  const answer = await sslAnswer(host, port, budgetMs, onSocket);
  if (!answer) return undefined;
  if (answer.answer === 'N') return { socket: answer.socket, encrypted: false };
  const { connect: tlsConnect } = await import('node:tls');
  const { isIP } = await import('node:net');
  return new Promise((resolve, reject) => {
    const tls = tlsConnect({
      socket: answer.socket,
      rejectUnauthorized: false,
      ...(isIP(host) ? {} : { servername: host }),
    });
    onSocket(tls);
    const timer = setTimeout(
      () =>
        tls.destroy(
          Object.assign(new Error(t('probe.tls_timeout', { where: `${host}:${port}` })), { code: 'ETIMEDOUT' }),
        ),
      Math.max(1, until - Date.now()),
    );
    tls.once('secureConnect', () => {
      clearTimeout(timer);
      tls.removeAllListeners('error');
      tls.pause();
      resolve({ socket: tls, encrypted: true });
    });
    tls.once('error', (e) => {
      clearTimeout(timer);
      tls.destroy();
      reject(e);
    });
  });
}

/** SSLRequest on a new TCP connection: the socket and the server's one-byte answer ('S' or 'N'). */
function sslAnswer(
  host: string,
  port: number,
  budgetMs: number,
  onSocket: (s: Socket) => void,
): Promise<{ socket: Socket; answer: 'S' | 'N' } | undefined> {
  return import('node:net').then(
    ({ connect }) =>
      new Promise((resolve, reject) => {
        const sock = connect({ host, port });
        onSocket(sock);
        const timer = setTimeout(
          () => done(Object.assign(new Error(`connect ETIMEDOUT ${host}:${port}`), { code: 'ETIMEDOUT' })),
          Math.max(1, budgetMs),
        );
        const done = (err: Error | undefined, answer?: string) => {
          clearTimeout(timer);
          sock.removeAllListeners('error');
          sock.removeAllListeners('data');
          sock.removeAllListeners('connect');
          sock.removeAllListeners('close');
          if (err) {
            sock.destroy();
            reject(err);
          } else if (answer === 'N' || answer === 'S') {
            sock.pause();
            resolve({ socket: sock, answer });
          } else {
            sock.destroy();
            resolve(undefined);
          }
        };
        sock.setNoDelay(true);
        sock.once('connect', () => sock.write(SSL_REQUEST));
        sock.once('data', (b: Buffer) => done(undefined, b.length === 1 ? String.fromCharCode(b[0]) : '?'));
        sock.once('error', (e) => done(e));
        sock.once('close', () =>
          done(
            Object.assign(new Error(t('probe.closed_before_answer', { where: `${host}:${port}` })), {
              code: 'ECONNRESET',
            }),
          ),
        );
      }),
  );
}

/**
 * Creates (does not connect) a node-postgres client for a connection: password from the
 * password files or PGPASSWORD (never argv), statement_timeout, keepalives, SSL per sslmode.
 * @param onNotes receives the password-file notes (ignored files) for error messages.
 */
export async function makeClient(
  conn: ConnectionSettings,
  budgetMs: number,
  onNotes: (notes: string[]) => void = () => {},
  attempt = 0,
  connected?: Socket,
): Promise<PgClient> {
  const { Client } = await import('pg');
  const config: ClientConfig = {
    host: conn.host,
    port: conn.port,
    user: conn.user,
    database: conn.database,
    application_name: conn.applicationName,
    ...(conn.replication ? { replication: 'true' } : {}),
    password: async () => {
      if (conn.envPassword !== undefined) return conn.envPassword;
      const found = lookupPassword(conn.passfiles, {
        host: conn.host,
        port: conn.port,
        database: conn.database,
        user: conn.user,
      });
      onNotes(found.notes);
      if (found.password === undefined) {
        const where = conn.passfiles.length ? conn.passfiles.join(', ') : t('probe.no_password_file');
        throw new TaggedError(
          t('probe.no_password', { user: conn.user, where, notes: notesText(found.notes) }),
          'auth',
        );
      }
      return found.password;
    },
    // Backstops only: pgsr's own timers fire first and classify the timeout.
    connectionTimeoutMillis: budgetMs + 1000,
    // statement_timeout makes the server cancel what the client stopped waiting for.
    statement_timeout: Math.max(1000, budgetMs),
    keepAlive: conn.keepalives ?? true,
    ...(conn.keepalivesIdleS !== undefined
      ? { keepAliveInitialDelayMillis: Math.round(conn.keepalivesIdleS * 1000) }
      : {}),
    ...(conn.clientEncoding ? { client_encoding: conn.clientEncoding } : {}),
    ssl: connected ? false : sslOption(conn, attempt),
    // A socket askSsl already connected (plain after 'N', or TLS after 'S'): node-postgres calls
    // connect() on its stream, which here only reports the connection it already has.
    ...(connected ? { stream: () => alreadyConnected(connected) } : {}),
  };
  const client = new Client(config);
  const params: Record<string, string> = {};
  PARAMETERS.set(client, params);
  (
    client as unknown as {
      connection: { on(e: 'parameterStatus', f: (m: { parameterName: string; parameterValue: string }) => void): void };
    }
  ).connection.on('parameterStatus', (m) => {
    params[m.parameterName] = m.parameterValue;
  });
  client.on('error', () => {
    // Socket errors surface through the pending query; this listener only keeps an 'error'
    // event from crashing the process (node-postgres docs: always attach one).
  });
  return client;
}

const PARAMETERS = new WeakMap<PgClient, Record<string, string>>();

/**
 * The run-time parameters the server reported at startup (ParameterStatus, PostgreSQL docs 55.2.7:
 * server_version always; in_hot_standby from 14): empty before the connection is made.
 */
export function serverParameters(client: PgClient): Readonly<Record<string, string>> {
  return PARAMETERS.get(client) ?? {};
}

function alreadyConnected(sock: Socket): Socket {
  sock.connect = (() => {
    process.nextTick(() => {
      sock.resume();
      sock.emit('connect');
    });
    return sock;
  }) as unknown as Socket['connect'];
  return sock;
}

/** Rows of a query, as plain objects keyed by column name. */
export type SqlRow = Record<string, unknown>;

/** Runs one statement with parameters. */
export type SqlRunner = (sql: string, params?: unknown[]) => Promise<SqlRow[]>;

/**
 * Opens a connection, runs `fn` with a query function, closes the connection; all bounded by
 * `deadline` (epoch ms). Failures (refused, auth, timeout, SQL errors) come back classified.
 * @throws only what `fn` throws that is not a database or socket error (bugs).
 */
export async function withConnection<T>(
  conn: ConnectionSettings,
  deadline: number,
  fn: (q: SqlRunner) => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; failure: ProbeFailure }> {
  const started = Date.now();
  let notes: string[] = [];
  let phase: ProbeFailure['phase'] = 'connect';
  let timedOut = false;
  let client: PgClient | undefined;
  const timer = setTimeout(
    () => {
      timedOut = true;
      if (client) destroy(client);
    },
    Math.max(1, deadline - Date.now()),
  );
  try {
    client = await connectClient(
      conn,
      Math.max(1, deadline - Date.now()),
      (n) => (notes = n),
      (c) => (client = c),
    );
    phase = 'query';
    const c = client;
    const value = await fn(async (sql, params) => (await c.query(sql, params as unknown[])).rows as SqlRow[]);
    return { ok: true, value };
  } catch (err) {
    return { ok: false, failure: classify(err, phase, timedOut, deadline - started, notes) };
  } finally {
    clearTimeout(timer);
    if (client) await closeClient(client);
  }
}

/**
 * Closes a connection politely but bounded: the Terminate message is sent, then the socket is
 * destroyed (the kernel sends the Terminate, then FIN). When the socket could not take the
 * Terminate at once, it waits for it to be written (at most 200 ms). It does not wait for
 * node-postgres to shut our side in a later tick, nor for the server to close its side (its
 * backend exiting): a one-shot check would only idle through those few ms.
 */
export async function closeClient(c: PgClient): Promise<void> {
  type Stream = {
    destroyed?: boolean;
    writableFinished?: boolean;
    writableLength?: number;
    once(e: string, f: () => void): void;
  };
  const stream = (c as unknown as { connection?: { stream?: Stream } }).connection?.stream;
  c.end().catch(() => undefined);
  if (stream && !stream.destroyed && !stream.writableFinished && (stream.writableLength ?? 0) > 0) {
    const flushed = new Promise<void>((resolve) => {
      stream.once('drain', resolve);
      stream.once('finish', resolve);
      stream.once('close', resolve);
    });
    // Not unref'd: an awaited timer that does not hold the event loop would let a one-shot
    // process exit in the middle of its run, with exit 0 and no answer.
    let bound: NodeJS.Timeout | undefined;
    await Promise.race([flushed, new Promise((r) => (bound = setTimeout(r, 200)))]);
    clearTimeout(bound);
  }
  destroy(c);
}

/** node-postgres has no public "abort now"; destroying the socket fails the pending connect/query at once. */
export function destroy(client: PgClient): void {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

/**
 * The TLS setting of a connection attempt. libpq's `prefer` tries TLS first and falls back to a
 * plain connection when the server does not offer TLS; `allow` tries plain first and TLS when
 * the server refuses the plain one (PostgreSQL docs 32.19.3, "SSL Mode Descriptions"). Neither
 * verifies the server's certificate. `attempt` 0 is the first try, 1 the fallback.
 */
export function sslOption(
  conn: Pick<ConnectionSettings, 'host' | 'sslmode' | 'sslrootcert' | 'sslcert' | 'sslkey'>,
  attempt = 0,
): ClientConfig['ssl'] {
  // libpq never uses TLS on a Unix-domain socket; prefer and allow mean plain there.
  if (conn.host.startsWith('/') && (conn.sslmode === 'prefer' || conn.sslmode === 'allow')) return false;
  switch (conn.sslmode) {
    case 'disable':
      return false;
    case 'prefer':
      return attempt === 0 ? { rejectUnauthorized: false } : false;
    case 'allow':
      return attempt === 0 ? false : { rejectUnauthorized: false };
    case 'require':
      return { rejectUnauthorized: false };
    case 'verify-ca':
    case 'verify-full': {
      const read = (p?: string) => (p ? readFileSync(p) : undefined);
      return {
        rejectUnauthorized: true,
        ca: read(conn.sslrootcert),
        cert: read(conn.sslcert),
        key: read(conn.sslkey),
        ...(conn.sslmode === 'verify-ca' ? { checkServerIdentity: () => undefined } : {}),
      };
    }
  }
}
