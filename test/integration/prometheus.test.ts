/**
 * Prometheus / OpenMetrics on a real pair: `pgsr watch --metrics-listen` scraped by a real
 * Prometheus server (Debian `prometheus`) on loopback, values read back through Prometheus's
 * HTTP API while replication lags and then breaks (Prometheus negotiates OpenMetrics, so its parser
 * checks that exposition); `promtool check metrics` on the text format of the watch and of
 * `check --format openmetrics --textfile`; `promtool check rules` on the shipped
 * alert rules, loaded into that Prometheus and seen pending once replication is broken.
 */
import { execa, type ResultPromise } from 'execa';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, labDown, labUp, psql, stopNode, waitFor, type LabPair } from '../../scripts/lib/lab';
import { BASE_PATH, BUNDLE, REPO } from '../helpers/run';

const RULES = join(REPO, 'packaging', 'prometheus', 'pgsr-alerts.yml');

let pair: LabPair;
let dir: string;
let watchPort: number;
let promPort: number;
let watch: ResultPromise;
let prometheus: ResultPromise;

/** One value of an instant query through Prometheus's HTTP API (undefined when no series). */
async function query(expr: string): Promise<number | undefined> {
  const r = await fetch(`http://127.0.0.1:${promPort}/api/v1/query?query=${encodeURIComponent(expr)}`, {
    signal: AbortSignal.timeout(5000),
  });
  const j = (await r.json()) as { data: { result: Array<{ value: [number, string] }> } };
  const v = j.data.result[0]?.value[1];
  return v === undefined ? undefined : Number(v);
}

/** Sends raw bytes to the endpoint and returns the HTTP status of the answer (bounded by 5 s). */
function rawStatus(port: number, request: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host: '127.0.0.1', port }, () => sock.write(request));
    let got = '';
    sock.setTimeout(5000, () => {
      sock.destroy();
      reject(new Error('no answer within 5 s'));
    });
    sock.on('data', (b) => {
      got += b.toString();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(got);
      if (m) {
        sock.destroy();
        resolve(Number(m[1]));
      }
    });
    sock.on('error', reject);
  });
}

const promtool = (args: string[], input?: string) => execa('promtool', args, { input, reject: false, timeout: 30_000 });

beforeAll(async () => {
  pair = await labUp();
  dir = mkdtempSync('/tmp/pgsr-prom-');
  watchPort = await freePort();
  promPort = await freePort();
  watch = execa(
    process.execPath,
    [
      BUNDLE,
      'watch',
      '-h',
      '127.0.0.1',
      '-p',
      String(pair.standby.port),
      '-U',
      'postgres',
      '--role',
      'standby',
      '--interval',
      '0.5',
      '--fail-after',
      '0',
      '--heartbeat',
      '0',
      '--format',
      'text',
      '--metrics-listen',
      `127.0.0.1:${watchPort}`,
    ],
    { env: { PATH: BASE_PATH }, extendEnv: false, reject: false, timeout: 300_000 },
  );
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'rule_files:',
      `  - ${RULES}`,
      'scrape_configs:',
      '  - job_name: pgsr',
      '    static_configs:',
      `      - targets: ['127.0.0.1:${watchPort}']`,
      '',
    ].join('\n'),
  );
  prometheus = execa(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--log.level=warn',
    ],
    { reject: false, timeout: 300_000 },
  );
  await waitFor(
    'prometheus ready',
    async () =>
      (
        await fetch(`http://127.0.0.1:${promPort}/-/ready`, { signal: AbortSignal.timeout(2000) }).catch(
          () => undefined,
        )
      )?.ok === true,
    30_000,
  );
});
afterAll(async () => {
  prometheus?.kill('SIGTERM');
  watch?.kill('SIGTERM');
  await Promise.all([prometheus, watch]);
  if (pair) await labDown(pair);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Prometheus / OpenMetrics', () => {
  it('the watch serves /metrics in both formats, promtool accepts both, and nothing but GET /metrics', async () => {
    const url = `http://127.0.0.1:${watchPort}/metrics`;
    await waitFor(
      'first check served',
      async () => (await fetch(url, { signal: AbortSignal.timeout(2000) }).catch(() => undefined))?.status === 200,
      15_000,
    );
    const text = await fetch(url);
    expect(text.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    const body = await text.text();
    expect(body).toMatch(/^pgsr_up 1$/m);
    expect(body).toMatch(/^pgsr_in_recovery 1$/m);
    expect(body).toMatch(/^pgsr_severity\{role="standby"\} 0$/m);
    expect(body).toMatch(/^pgsr_walreceiver_streaming 1$/m);
    expect(body).toMatch(/^pgsr_watch_checks_total \d+$/m);
    expect(body).toMatch(/^process_resident_memory_bytes \d+/m);
    const lint = await promtool(['check', 'metrics'], body);
    expect(lint.exitCode, `${lint.stdout}${lint.stderr}`).toBe(0);

    const om = await fetch(url, { headers: { Accept: 'application/openmetrics-text; version=1.0.0' } });
    expect(om.headers.get('content-type')).toMatch(/^application\/openmetrics-text; version=1\.0\.0/);
    const omBody = await om.text();
    expect(omBody.trimEnd().endsWith('# EOF')).toBe(true);
    expect(omBody).toMatch(/^# TYPE pgsr_watch_checks counter$/m);
    expect(omBody).toMatch(/^pgsr_watch_checks_total \d+$/m);

    expect((await fetch(`http://127.0.0.1:${watchPort}/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${watchPort}/metrics/../admin`)).status).toBe(404);
    expect((await fetch(url, { method: 'POST', body: 'x' })).status).toBe(405);
    // A GET with a body (fetch will not send one): refused.
    expect(await rawStatus(watchPort, 'GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc')).toBe(413);
    // Oversized headers: refused by the server's bound, not read forever.
    expect(await rawStatus(watchPort, `GET /metrics HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)).toBe(
      431,
    );
  });

  it('check --format openmetrics prints the families once; --textfile writes them for node_exporter', async () => {
    const args = [
      BUNDLE,
      'check',
      '-h',
      '127.0.0.1',
      '-p',
      String(pair.primary.port),
      '-U',
      'postgres',
      '--role',
      'primary',
      '--format',
      'openmetrics',
    ];
    const r = await execa(process.execPath, args, {
      env: { PATH: BASE_PATH },
      extendEnv: false,
      reject: false,
      timeout: 30_000,
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(
      /^pgsr_standby_info\{application_name="slave",client_addr="127\.0\.0\.1",state="streaming",sync_state="async"\} 1$/m,
    );
    expect(r.stdout).toMatch(/^pgsr_standby_replay_lag_bytes\{application_name="slave"\} \d+$/m);
    expect(r.stdout).toMatch(/^pgsr_archiver_failed_total \d+$/m);
    expect(r.stdout.trimEnd().endsWith('# EOF')).toBe(true);
    const file = join(dir, 'pgsr.prom');
    const t = await execa(process.execPath, [...args, '--textfile', file], {
      env: { PATH: BASE_PATH },
      extendEnv: false,
      reject: false,
      timeout: 30_000,
    });
    expect(t.exitCode).toBe(0);
    expect(t.stdout).toBe('');
    const lint = await promtool(['check', 'metrics'], readFileSync(file, 'utf8'));
    expect(lint.exitCode, `${lint.stdout}${lint.stderr}`).toBe(0);
    // A bad listen address is a one-line configuration error, not a stack trace.
    const bad = await execa(
      process.execPath,
      [BUNDLE, 'watch', '-h', '127.0.0.1', '-p', String(pair.standby.port), '--metrics-listen', '9187'],
      { env: { PATH: BASE_PATH }, extendEnv: false, reject: false, timeout: 30_000 },
    );
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain('is not ADDR:PORT');
  });

  it('Prometheus reads the values; lag and a break of replication show as lag, severity, finding and a pending alert', async () => {
    expect((await promtool(['check', 'rules', RULES])).exitCode).toBe(0);
    await waitFor('scraped', async () => (await query('pgsr_up')) === 1, 20_000);
    // Prometheus asks for OpenMetrics (its Accept header) and its own parser took the answer:
    // this is the check of the OpenMetrics output (promtool 2.42 lints the 0.0.4 text format only).
    const targets = (await (await fetch(`http://127.0.0.1:${promPort}/api/v1/targets`)).json()) as {
      data: { activeTargets: Array<{ health: string; lastError: string }> };
    };
    expect(targets.data.activeTargets).toMatchObject([{ health: 'up', lastError: '' }]);
    expect(await query('pgsr_severity')).toBe(0);
    expect(await query('pgsr_walreceiver_streaming')).toBe(1);

    // Lag: replay paused on the standby while the primary writes.
    await psql(pair, pair.standby, 'SELECT pg_wal_replay_pause()');
    await psql(pair, pair.primary, 'CREATE TABLE prom_lag AS SELECT generate_series(1, 20000) AS n');
    await waitFor(
      'replay lag seen by Prometheus',
      async () => ((await query('pgsr_replay_lag_bytes')) ?? 0) > 100_000,
      20_000,
    );
    await waitFor('paused replay seen as a warning', async () => (await query('pgsr_severity')) === 1, 20_000);
    expect(await query('pgsr_finding{code="replay_paused"}')).toBe(1);
    await psql(pair, pair.standby, 'SELECT pg_wal_replay_resume()');
    await waitFor('lag gone', async () => (await query('pgsr_replay_lag_bytes')) === 0, 20_000);

    // Break: the primary stops; the standby's walreceiver is gone.
    await stopNode(pair, pair.primary, 'fast');
    await waitFor('critical in Prometheus', async () => (await query('pgsr_severity')) === 2, 30_000);
    expect(await query('pgsr_walreceiver_streaming')).toBe(0);
    expect(await query('sum(pgsr_finding{severity="critical"})')).toBeGreaterThanOrEqual(1);
    await waitFor(
      'alert PgsrStandbyNotStreaming pending',
      async () => {
        const r = (await (await fetch(`http://127.0.0.1:${promPort}/api/v1/alerts`)).json()) as {
          data: { alerts: Array<{ labels: { alertname: string }; state: string }> };
        };
        return r.data.alerts.some(
          (a) => a.labels.alertname === 'PgsrStandbyNotStreaming' && (a.state === 'pending' || a.state === 'firing'),
        );
      },
      20_000,
    );
  }, 120_000);
});
