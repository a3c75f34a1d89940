// The floor of a resident check at the same cadence, for scripts/bench.ts: node-postgres
// `SELECT 1` on a kept connection once per interval, timed like the watch times its
// observation (from the query to its rows, performance.now, 0.1 ms). Runs beside the watch in
// the same bench run, under the packaged runtime (Node 24).
// Usage: node select1-cadence.mjs PORT SECONDS INTERVAL_S; prints a JSON array of ms.
import pg from 'pg';

const [port, seconds, intervalS] = process.argv.slice(2).map(Number);
const client = new pg.Client({
  host: '127.0.0.1',
  port,
  user: 'postgres',
  database: 'postgres',
  application_name: 'pgsr-bench-floor',
  connectionTimeoutMillis: 10_000,
  query_timeout: 10_000,
});
await client.connect();
const ms = [];
const end = Date.now() + seconds * 1000;
while (Date.now() < end) {
  await new Promise((r) => setTimeout(r, intervalS * 1000));
  const t0 = performance.now();
  await client.query('SELECT 1');
  ms.push(Math.round((performance.now() - t0) * 10) / 10);
}
await client.end();
console.log(JSON.stringify(ms));
