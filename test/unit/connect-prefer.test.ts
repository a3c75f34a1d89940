/**
 * sslmode=prefer on one connection (probe/connect.ts askSsl): against a fake PostgreSQL server
 * on loopback that answers SSLRequest with 'N', the client goes on in plain on the same socket
 * (one TCP connection, as libpq), and the pre-negotiation is bounded and aborted like a connect.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionSettings } from '../../src/config/connection';
import { askSsl, connectClient, closeClient } from '../../src/probe/connect';

let server: Server | undefined;
const accepted: Socket[] = [];
afterEach(async () => {
  for (const s of accepted.splice(0)) s.destroy();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = undefined;
});

/** A server that answers 'N' to SSLRequest, then AuthenticationOk + ReadyForQuery to the startup. */
function fakePostgres(): Promise<{ port: number; connections: () => number; startups: () => number }> {
  let connections = 0;
  let startups = 0;
  server = createServer((sock: Socket) => {
    accepted.push(sock);
    connections++;
    let buf = Buffer.alloc(0);
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 8) {
        const len = buf.readInt32BE(0);
        if (buf.length < len) return;
        const code = buf.readInt32BE(4);
        buf = buf.subarray(len);
        if (code === 80877103) sock.write('N');
        else if (code === 196608) {
          startups++;
          sock.write(Buffer.from([0x52, 0, 0, 0, 8, 0, 0, 0, 0, 0x5a, 0, 0, 0, 5, 0x49]));
        }
      }
    });
    sock.on('error', () => undefined);
  });
  return new Promise((resolve) =>
    server?.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server?.address() as { port: number }).port,
        connections: () => connections,
        startups: () => startups,
      }),
    ),
  );
}

const settings = (port: number): ConnectionSettings => ({
  host: '127.0.0.1',
  port,
  user: 'u',
  database: 'd',
  sslmode: 'prefer',
  applicationName: 'pgsr-test',
  passfiles: [],
  passfileExplicit: false,
});

describe('sslmode=prefer against a server without TLS', () => {
  it('asks once and starts up on the same connection', async () => {
    const pg = await fakePostgres();
    const c = await connectClient(
      settings(pg.port),
      5000,
      () => undefined,
      () => undefined,
    );
    expect(pg.connections()).toBe(1);
    expect(pg.startups()).toBe(1);
    await closeClient(c);
  });

  it('a refused port fails as a connect does (ECONNREFUSED)', async () => {
    const pg = await fakePostgres();
    await new Promise<void>((r) => server?.close(() => r()));
    server = undefined;
    await expect(askSsl('127.0.0.1', pg.port, 2000)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('a server that accepts and never answers: bounded by the budget, or by the caller destroying the socket', async () => {
    server = createServer((sock) => void accepted.push(sock.on('error', () => undefined)));
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;
    const t0 = Date.now();
    await expect(askSsl('127.0.0.1', port, 300)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    expect(Date.now() - t0).toBeLessThan(2000);
    let sock: Socket | undefined;
    const asking = askSsl('127.0.0.1', port, 60_000, (s) => (sock = s));
    setTimeout(() => sock?.destroy(), 100);
    await expect(asking).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(Date.now() - t0).toBeLessThan(3000);
  });
});
