#!/usr/bin/env node
/**
 * The fault campaign's application (plain node, run where the application lives: the Pacemaker
 * kit's hub namespace, `pcmk-lab client node scripts/chaos/client.mjs ...`). Two jobs until
 * SIGTERM or --max-s:
 *
 * - writer: commits numbered rows into --table through the service address (--host), one
 *   INSERT per round trip in autocommit, as an application would. A row counts as acknowledged
 *   only once its INSERT returned success. A dead server is given up after --query-timeout-ms
 *   (client side: a power loss sends no FIN), then a new session continues with numbers never
 *   used before (session × 10^7 + k). Acknowledged rows go to --out/acked.txt ("ms number"
 *   lines, appended every 100 ms) so the campaign sees writes resume as they happen.
 * - sampler: asks every node pg_is_in_recovery() every 100 ms over its own Unix socket
 *   (--sockets name=dir[@port],...: reachable whatever the node's link, since the nodes share the
 *   host's file system; the port names the socket file when several servers share a directory),
 *   each node in a loop of its own with a 1 s bound, so a frozen node does
 *   not slow the others. A node counts as writable while its last answer was `false` and is
 *   younger than 500 ms; `max_primaries` is the most counted at one 100 ms tick.
 *
 * At the end it writes --out/client.json: { acked: [[ms, n]...], samples, max_primaries,
 * double_primary_ticks, first_double_ms, changes: [[ms, node, role]...] }.
 */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';

const { values: o } = parseArgs({
  options: {
    host: { type: 'string', default: '10.77.0.100' },
    port: { type: 'string', default: '5432' },
    user: { type: 'string', default: 'postgres' },
    table: { type: 'string' },
    sockets: { type: 'string', default: '' },
    out: { type: 'string' },
    'max-s': { type: 'string', default: '600' },
    'query-timeout-ms': { type: 'string', default: '3000' },
  },
});
if (!o.table || !/^[a-z_][a-z0-9_]*$/.test(o.table) || !o.out) {
  console.error(
    'usage: client.mjs --table NAME --out DIR [--host H] [--port P] [--sockets name=dir[@port],...] [--max-s N]',
  );
  process.exit(2);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const end = Date.now() + Number(o['max-s']) * 1000;
let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
});
const running = () => !stopping && Date.now() < end;

const acked = [];
let flushed = 0;
const ackFile = join(o.out, 'acked.txt');
writeFileSync(ackFile, '');
function flushAcks() {
  if (flushed < acked.length)
    appendFileSync(
      ackFile,
      acked
        .slice(flushed)
        .map(([t, n]) => `${t} ${n}\n`)
        .join(''),
    );
  flushed = acked.length;
}

async function writer() {
  for (let session = 1; running() && session < 10_000; session++) {
    const c = new pg.Client({
      host: o.host,
      port: Number(o.port),
      user: o.user,
      database: 'postgres',
      connectionTimeoutMillis: 2000,
      query_timeout: Number(o['query-timeout-ms']),
      keepAlive: true,
    });
    c.on('error', () => {});
    try {
      await c.connect();
      for (let k = 1; running() && k < 10_000_000; k++) {
        const n = session * 10_000_000 + k;
        await c.query(`INSERT INTO ${o.table} VALUES ($1)`, [n]);
        acked.push([Date.now(), n]);
      }
    } catch {
      // refused, timed out, terminated: a new session
    } finally {
      c.end().catch(() => {});
    }
    if (running()) await sleep(100);
  }
}

const nodes = o.sockets
  .split(',')
  .filter(Boolean)
  .map((s) => {
    const [name, where] = s.split('=');
    const [dir, port] = where.split('@');
    return [name, dir, port ? Number(port) : 5432];
  });
const last = new Map(); // node -> { role, at }
const changes = [];

async function sampleNode(name, dir, port) {
  let c;
  let role = '';
  for (let i = 0; running() && i < 1_000_000; i++) {
    const t0 = Date.now();
    let now = 'down';
    try {
      if (!c) {
        c = new pg.Client({
          host: dir,
          port,
          user: o.user,
          database: 'postgres',
          connectionTimeoutMillis: 1000,
          query_timeout: 1000,
        });
        c.on('error', () => {});
        await c.connect();
      }
      now = (await c.query('SELECT pg_is_in_recovery() AS r')).rows[0].r ? 't' : 'f';
    } catch {
      c?.end().catch(() => {});
      c = undefined;
    }
    last.set(name, { role: now, at: Date.now() });
    if (now !== role) changes.push([Date.now(), name, now]);
    role = now;
    await sleep(Math.max(0, 100 - (Date.now() - t0)));
  }
  c?.end().catch(() => {});
}

let samples = 0;
let maxPrimaries = 0;
let doubleTicks = 0;
let firstDouble = null;
async function ticker() {
  for (let i = 0; running() && i < 1_000_000; i++) {
    await sleep(100);
    const now = Date.now();
    const writable = [...last.values()].filter((v) => v.role === 'f' && now - v.at < 500).length;
    samples++;
    maxPrimaries = Math.max(maxPrimaries, writable);
    if (writable > 1) {
      doubleTicks++;
      firstDouble ??= now;
    }
    flushAcks();
  }
}

await Promise.all([writer(), ticker(), ...nodes.map(([n, d, p]) => sampleNode(n, d, p))]);
flushAcks();
writeFileSync(
  join(o.out, 'client.json'),
  JSON.stringify({
    acked,
    samples,
    max_primaries: maxPrimaries,
    double_primary_ticks: doubleTicks,
    first_double_ms: firstDouble,
    changes,
  }),
);
process.exit(0);
