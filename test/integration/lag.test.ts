/**
 * Lag and standby states on a real pair, the edge cases of issue 13:
 * - replay paused on an idle pair, then a CHECKPOINT on the primary (WAL, no transaction): the
 *   resident watch does not report "lag = age of the last commit" (it knows when the pending WAL
 *   arrived); the one-shot check can only report that upper bound, and does.
 * - a named standby in state catchup (its walreceiver frozen while it catches up on a few hundred
 *   MB): the primary's check says catching up (warning, with its lag), not missing.
 */
import { execa, type ResultPromise } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp, psql, startNode, stopNode, waitFor, type LabPair } from '../../scripts/lib/lab';
import { BASE_PATH, BUNDLE } from '../helpers/run';

let pair: LabPair;
let dir: string;
beforeAll(async () => {
  pair = await labUp();
  dir = mkdtempSync('/tmp/pgsr-lag-');
});
afterAll(async () => {
  if (pair) await labDown(pair);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const bundle = (args: string[]) =>
  execa(process.execPath, [BUNDLE, ...args], {
    env: { PATH: BASE_PATH },
    extendEnv: false,
    reject: false,
    timeout: 60_000,
  });
interface Json {
  severity: string;
  findings: Array<{ code: string; severity: string; message: string }>;
  metrics: Array<{ label: string; value: number }>;
  facts: Record<string, unknown>;
}
const metric = (j: Json, label: string) => j.metrics.find((m) => m.label === label)?.value;

describe('lag and standby states', () => {
  it("paused replay behind a checkpoint record on an idle pair: watch reports the pending WAL's age, not the last commit's", async () => {
    await psql(pair, pair.primary, 'CREATE TABLE lag_t (n int); INSERT INTO lag_t VALUES (1)');
    await waitFor(
      'replayed',
      async () => (await psql(pair, pair.standby, 'SELECT count(*) FROM lag_t').catch(() => '0')) === '1',
      15_000,
    );
    const status = join(dir, 'status.json');
    let watch: ResultPromise | undefined;
    try {
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
          '--replay-paused',
          'ok',
          '--status-file',
          status,
        ],
        { env: { PATH: BASE_PATH }, extendEnv: false, reject: false, timeout: 120_000 },
      );
      await waitFor('watch running', async () => existsSync(status), 15_000);
      // The last commit grows old; then replay pauses and the primary writes WAL without a transaction.
      await new Promise((r) => setTimeout(r, 6000));
      await psql(pair, pair.standby, 'SELECT pg_wal_replay_pause()');
      await psql(pair, pair.primary, 'CHECKPOINT');
      await waitFor(
        'the checkpoint record received, not replayed',
        async () =>
          (await psql(
            pair,
            pair.standby,
            'SELECT pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn()) > 0',
          )) === 't',
        15_000,
      );
      await new Promise((r) => setTimeout(r, 1500)); // a few watch checks
      const w = JSON.parse(readFileSync(status, 'utf8')) as Json;
      const one = JSON.parse(
        (
          await bundle([
            'check',
            '-h',
            '127.0.0.1',
            '-p',
            String(pair.standby.port),
            '-U',
            'postgres',
            '--role',
            'standby',
            '--format',
            'json',
            '--no-alert',
            '--replay-paused',
            'ok',
          ])
        ).stdout,
      ) as Json;
      console.log(
        `paused replay behind a checkpoint: watch ${metric(w, 'replay_lag_seconds')} s, one-shot check ${metric(one, 'replay_lag_seconds')} s `,
      );
      expect(metric(one, 'replay_lag_seconds')).toBeGreaterThanOrEqual(6);
      expect(metric(w, 'replay_lag_seconds')).toBeLessThan(4);
      expect(w.facts.pending_wal_at_most_s).toBeLessThan(4);
      // A real transaction behind the paused replay ages as lag, in the watch too.
      await psql(pair, pair.primary, 'INSERT INTO lag_t VALUES (2)');
      await new Promise((r) => setTimeout(r, 5000));
      const later = JSON.parse(readFileSync(status, 'utf8')) as Json;
      expect(metric(later, 'replay_lag_seconds')).toBeGreaterThanOrEqual(4);
    } finally {
      await psql(pair, pair.standby, 'SELECT pg_wal_replay_resume()').catch(() => undefined);
      watch?.kill('SIGTERM');
      await watch;
    }
  }, 90_000);

  it('a named standby in catchup is catching up (warning, with its lag), not missing', async () => {
    await stopNode(pair, pair.standby, 'fast');
    await psql(
      pair,
      pair.primary,
      "CREATE TABLE lag_big AS SELECT g AS n, repeat('x', 100) AS pad FROM generate_series(1, 1000000) AS g",
      { timeoutMs: 120_000 },
    );
    await startNode(pair, pair.standby);
    // Freeze the walreceiver while it catches up: the walsender stays in catchup.
    let frozen = 0;
    try {
      await waitFor(
        'catchup seen',
        async () => {
          const r = await psql(
            pair,
            pair.primary,
            "SELECT state FROM pg_stat_replication WHERE application_name = 'slave'",
          );
          if (r !== 'catchup') return false;
          const pm = Number(readFileSync(join(pair.standby.data, 'postmaster.pid'), 'utf8').split('\n')[0]);
          const kids = (await execa('pgrep', ['-P', String(pm), '-f', 'walreceiver'], { reject: false })).stdout
            .split('\n')
            .filter(Boolean)
            .map(Number);
          if (!kids.length) return false;
          frozen = kids[0];
          process.kill(frozen, 'SIGSTOP');
          return (
            (await psql(
              pair,
              pair.primary,
              "SELECT state FROM pg_stat_replication WHERE application_name = 'slave'",
            )) === 'catchup'
          );
        },
        30_000,
      );
      const r = await bundle([
        'check',
        '-h',
        '127.0.0.1',
        '-p',
        String(pair.primary.port),
        '-U',
        'postgres',
        '--role',
        'primary',
        '--application-name',
        'slave',
        '--format',
        'json',
        '--no-alert',
      ]);
      const j = JSON.parse(r.stdout) as Json;
      expect(j.findings.map((f) => [f.code, f.severity])).toEqual([['standby_catching_up', 'warning']]);
      expect(j.findings[0].message).toMatch(
        /^standby "slave" is catching up, not streaming yet \(replay lag [\d.]+ ?([KMG]i)?B\)$/,
      );
      expect(j.severity).toBe('warning');
    } finally {
      if (frozen) process.kill(frozen, 'SIGCONT');
    }
    await waitFor(
      'streaming again',
      async () =>
        (await psql(pair, pair.primary, "SELECT state FROM pg_stat_replication WHERE application_name = 'slave'")) ===
        'streaming',
      60_000,
    );
  }, 180_000);
});
