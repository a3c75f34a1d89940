/**
 * rep-mode sync under `pgsr watch` (the CLUSTERPRO resident monitor, and plain use) on a real
 * primary: synchronous_standby_names follows the standby, a commit issued right after the standby
 * is lost completes within the documented bound, the standby back is synchronous again within a
 * bound, and every switch is one line and one clplogcmd alert (event 13).
 *
 * Failures as they happen: a fast stop and a kill -9 of every standby process (the connection
 * breaks: released at the next check), and a power loss in a network namespace (processes frozen,
 * link down, PostgreSQL's default 60 s wal_sender_timeout: released after --sync-wait-limit).
 */
import { execa, type ResultPromise } from 'execa';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultBindir,
  labDown,
  labUp,
  psql,
  startNode,
  stopNode,
  waitFor,
  type LabNode,
  type LabPair,
} from '../../scripts/lib/lab';
import { installMajor } from '../../scripts/lib/pgversions';
import { NetnsPair } from '../../scripts/lib/netns-pair';
import { BASE_PATH, BUNDLE, CLPSIM_DIR, alerts, runPgsr, sandbox, type Sandbox } from '../helpers/run';

/** Slack for process start, the probe and the reload on a loaded 2-core CI machine (not a speed goal). */
const SLACK_MS = 3000;
const INTERVAL_S = 1;

interface Watcher {
  proc: ResultPromise;
  out: () => string[];
}

function startWatch(cmd: string[], args: string[], sb: Sandbox): Watcher {
  const lines: string[] = [];
  const argv = [...cmd, process.execPath, BUNDLE, 'watch', ...args];
  const proc = execa(argv[0], argv.slice(1), {
    cwd: '/',
    env: { PATH: `${CLPSIM_DIR}:${BASE_PATH}`, CLPSIM_ALERT_LOG: sb.alertLog, PGSR_STATE_DIR: sb.stateDir, LANG: 'C' },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
    timeout: 300_000,
  });
  proc.stdout?.on('data', (b: Buffer) =>
    lines.push(
      ...b
        .toString()
        .split('\n')
        .filter((l) => l !== ''),
    ),
  );
  return { proc, out: () => lines };
}

const switches = (w: Watcher) => w.out().filter((l) => l.includes('pgsr watch: synchronous_standby_names'));
const syncAlerts = (sb: Sandbox) => alerts(sb).filter((a) => a.event_id === 13);

/** Runs one INSERT and returns how long its commit took (ms); throws if it did not commit. */
async function timedCommit(run: (sql: string) => Promise<string>, n: number): Promise<number> {
  const t0 = Date.now();
  await run(`INSERT INTO sync_rows VALUES (${n})`);
  return Date.now() - t0;
}

describe('rep-mode sync under pgsr watch (loopback pair)', () => {
  let pair: LabPair;
  let sb: Sandbox;
  let w: Watcher;
  const commit = (sql: string) => psql(pair, pair.primary, sql, { timeoutMs: 60_000 });
  beforeAll(async () => {
    pair = await labUp();
    await commit('CREATE TABLE sync_rows (n int)');
    sb = sandbox();
    w = startWatch(
      [],
      [
        '-h',
        '127.0.0.1',
        '-p',
        String(pair.primary.port),
        '-U',
        'postgres',
        '--role',
        'primary',
        '--rep-mode',
        'sync',
        '--interval',
        String(INTERVAL_S),
        '--fail-after',
        '0',
        '--heartbeat',
        '0',
        '--format',
        'clusterpro',
      ],
      sb,
    );
  });
  afterAll(async () => {
    w?.proc.kill('SIGTERM');
    await w?.proc;
    if (pair) await labDown(pair);
  });

  it('names the standby, and a commit after a fast stop or a kill -9 of the standby completes within one interval', async () => {
    await waitFor(
      'standby named',
      async () =>
        (await commit("SELECT sync_state FROM pg_stat_replication WHERE application_name = 'slave'")) === 'sync',
      15_000,
    );
    expect(await commit('SHOW synchronous_standby_names')).toBe('"slave"');
    await waitFor('switch to sync logged', async () => switches(w).length > 0, 10_000);
    expect(switches(w)[0]).toContain(`synchronous_standby_names '' -> '"slave"' (sync): streaming: "slave"`);

    let killed = 0;
    for (const fault of ['fast stop', 'kill -9'] as const) {
      const before = switches(w).length;
      if (fault === 'fast stop') await stopNode(pair, pair.standby, 'fast');
      else {
        const pm = Number(readFileSync(join(pair.standby.data, 'postmaster.pid'), 'utf8').split('\n')[0]);
        killed = pm;
        const kids = (await execa('pgrep', ['-P', String(pm)], { reject: false })).stdout
          .split('\n')
          .filter(Boolean)
          .map(Number);
        for (const pid of [pm, ...kids]) process.kill(pid, 'SIGKILL');
      }
      const ms = await timedCommit(commit, fault === 'fast stop' ? 1 : 2);
      expect(ms, `${fault}: commit time`).toBeLessThan(INTERVAL_S * 1000 + SLACK_MS);
      await waitFor(`${fault}: switch to async logged`, async () => switches(w).length > before, 10_000);
      expect(switches(w)[before]).toMatch(/synchronous_standby_names '"slave"' -> '' \(async\): no standby streams/);
      expect(await commit('SHOW synchronous_standby_names')).toBe('');

      // A killed postmaster stays a zombie until init reaps it (PostgreSQL refuses to start meanwhile).
      if (fault === 'kill -9')
        await waitFor('the killed standby reaped', async () => !existsSync(`/proc/${killed}`), 15_000);
      await startNode(pair, pair.standby);
      const t0 = Date.now();
      await waitFor(
        `${fault}: synchronous again`,
        async () =>
          (await commit("SELECT sync_state FROM pg_stat_replication WHERE application_name = 'slave'")) === 'sync',
        20_000,
      );
      expect(Date.now() - t0, `${fault}: back in sync`).toBeLessThan(INTERVAL_S * 1000 + 10_000);
      // watch writes its line once the reload returns; it reaches us through a pipe, possibly after
      // the server already reports sync_state sync.
      await waitFor(`${fault}: switch to sync logged`, async () => switches(w).length > before + 1, 10_000);
      expect(switches(w)[before + 1]).toContain(`'' -> '"slave"' (sync)`);
    }
    // Every switch alerted: WARN to async, INFO back to sync, event 13, in order.
    await waitFor('alerts recorded', async () => syncAlerts(sb).length >= 5, 15_000).catch((err: Error) => {
      throw new Error(
        `${err.message}: alerts ${JSON.stringify(alerts(sb).map((a) => [a.event_id, a.level, a.message]))}; watch: ${w.out().join(' / ')}`,
      );
    });
    expect(syncAlerts(sb).map((a) => a.level)).toEqual(['INFO', 'WARN', 'INFO', 'WARN', 'INFO']);
    // (clplogcmd's escaping puts a backslash before quotes and parentheses)
    expect(syncAlerts(sb)[1].message.replace(/\\/g, '')).toContain(`synchronous_standby_names '"slave"' -> '' (async)`);
    // Both commits are on the standby once it is back in sync.
    expect(await psql(pair, pair.standby, 'SELECT count(*) FROM sync_rows')).toBe('2');
  }, 120_000);

  it('pgsr check --rep-mode sync on the primary reports the mode in effect', async () => {
    const r = await execa(
      process.execPath,
      [
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
        '--rep-mode',
        'sync',
        '--format',
        'json',
        '--no-alert',
      ],
      { reject: false, timeout: 30_000, env: { PATH: BASE_PATH }, extendEnv: false },
    );
    const v = JSON.parse(r.stdout) as { severity: string; facts: Record<string, unknown> };
    expect(v.severity).toBe('ok');
    expect(v.facts).toMatchObject({
      rep_mode: 'sync',
      synchronous_standby_names: '"slave"',
      sync_standbys: 'slave',
      sync_waiting: 0,
    });
  });
});

describe('rep-mode sync under pgsr watch: power loss of the standby (namespaces, default timeouts)', () => {
  const pair = new NetnsPair({ defaultTimeouts: true });
  let sb: Sandbox;
  let w: Watcher;
  const commit = async (sql: string) => {
    const r = await pair.x(
      pair.primary,
      ['psql', '-X', '-A', '-t', '-q', '-h', '127.0.0.1', '-p', '5432', '-U', 'postgres', '-d', 'postgres', '-c', sql],
      { timeoutMs: 90_000 },
    );
    if (r.exitCode !== 0) throw new Error(`psql: ${r.stderr}`);
    return String(r.stdout).trim();
  };
  beforeAll(async () => {
    await pair.up();
    await commit('CREATE TABLE sync_rows (n int)');
    sb = sandbox();
    w = startWatch(
      ['ip', 'netns', 'exec', pair.primary.ns],
      [
        '-h',
        '127.0.0.1',
        '-p',
        '5432',
        '-U',
        'postgres',
        '--role',
        'primary',
        '--rep-mode',
        'sync',
        '--interval',
        String(INTERVAL_S),
        '--fail-after',
        '0',
        '--heartbeat',
        '0',
        '--format',
        'clusterpro',
      ],
      sb,
    );
  }, 180_000);
  afterAll(async () => {
    w?.proc.kill('SIGTERM');
    await w?.proc;
    await pair.down();
  });

  it('a commit after the power loss completes within --sync-wait-limit (10 s) plus one interval, not at wal_sender_timeout (60 s); back in sync after power returns', async () => {
    await waitFor(
      'standby named',
      async () =>
        (await commit("SELECT sync_state FROM pg_stat_replication WHERE application_name = 'slave'")) === 'sync',
      15_000,
    );
    const pids = await pair.powerLoss(pair.standby);
    try {
      const pending = timedCommit(commit, 1);
      // Meanwhile pgsr check on the primary sees the commit waiting (limit 3 s here; the watch's is 10 s).
      await new Promise((r) => setTimeout(r, 5000));
      const c = await pair.x(
        pair.primary,
        [
          process.execPath,
          BUNDLE,
          'check',
          '-h',
          '127.0.0.1',
          '-p',
          '5432',
          '-U',
          'postgres',
          '--role',
          'primary',
          '--rep-mode',
          'sync',
          '--sync-wait-limit',
          '3',
          '--min-standbys',
          '0',
          '--format',
          'json',
          '--no-alert',
        ],
        { timeoutMs: 30_000 },
      );
      const v = JSON.parse(String(c.stdout)) as {
        severity: string;
        findings: Array<{ code: string; message: string }>;
        facts: Record<string, unknown>;
      };
      expect(v.severity).toBe('critical');
      expect(v.findings.map((f) => f.code)).toEqual(['sync_commits_waiting']);
      expect(v.findings[0].message).toMatch(/^1 session has waited [\d.]+ ?s for a synchronous standby \(limit 3 s\)/);
      expect(v.facts).toMatchObject({ sync_waiting: 1, sync_standbys: 'slave' });
      const ms = await pending;
      // The bound: the commit waits --sync-wait-limit, the next check releases the standby.
      expect(ms).toBeGreaterThanOrEqual(10_000 - 500);
      expect(ms).toBeLessThan(10_000 + INTERVAL_S * 1000 + SLACK_MS);
      // The walsender still says streaming (it gives up only at wal_sender_timeout): released, not gone.
      expect(
        await commit("SELECT state || ':' || sync_state FROM pg_stat_replication WHERE application_name = 'slave'"),
      ).toBe('streaming:async');
      await waitFor('release logged', async () => switches(w).some((l) => l.includes('released')), 10_000);
      expect(switches(w).at(-1)).toMatch(
        /'"slave"' -> '' \(async\): released "slave": 1 commit waited 1\d(\.\d)? s for it \(limit 10 s\)/,
      );
      // Later commits do not wait at all, and the lingering walsender is not named again.
      expect(await timedCommit(commit, 2)).toBeLessThan(SLACK_MS);
      await new Promise((r) => setTimeout(r, 2500));
      expect(await commit('SHOW synchronous_standby_names')).toBe('');
    } finally {
      await pair.powerBack(pair.standby, pids);
    }
    const t0 = Date.now();
    await waitFor(
      'synchronous again',
      async () =>
        (await commit("SELECT sync_state FROM pg_stat_replication WHERE application_name = 'slave'")) === 'sync',
      30_000,
    );
    expect(Date.now() - t0).toBeLessThan(INTERVAL_S * 1000 + 15_000);
    expect(await commit('SELECT count(*) FROM sync_rows')).toBe('2');
    await waitFor('alerts recorded', async () => syncAlerts(sb).length >= 3, 15_000).catch((err: Error) => {
      throw new Error(
        `${err.message}: alerts ${JSON.stringify(alerts(sb).map((a) => [a.event_id, a.level, a.message]))}; watch: ${w.out().join(' / ')}`,
      );
    });
    expect(syncAlerts(sb).map((a) => a.level)).toEqual(['INFO', 'WARN', 'INFO']);
  }, 180_000);
});

for (const major of [15, 11]) {
  describe(`rep-mode sync on PostgreSQL ${major}: promote, start and rebuild never carry a stale synchronous_standby_names`, () => {
    let pair: LabPair;
    let bindir: string;
    beforeAll(async () => {
      bindir = major === 15 ? await defaultBindir() : await installMajor(major);
      pair = await labUp({ bindir });
    });
    afterAll(async () => {
      if (pair) await labDown(pair);
    });
    const pgsr = async (args: string[]) => {
      const r = await runPgsr([...args, '--bindir', bindir, '--rep-mode', 'sync', '--format', 'json'], {
        timeoutMs: 300_000,
      });
      return JSON.parse(r.stdout.split('\n').at(-1) ?? '{}') as {
        outcome: string;
        steps: Array<{ step: string; status: string; detail?: string }>;
      };
    };
    const step = (r: { steps: Array<{ step: string; detail?: string }> }) =>
      r.steps.find((s) => s.step === 'synchronous_standby_names (rep-mode sync)')?.detail;
    const autoConf = (node: LabNode) => readFileSync(join(node.data, 'postgresql.auto.conf'), 'utf8');

    it('a manager without the right to ALTER SYSTEM says so once, not at every check', async () => {
      const sb = sandbox();
      const w = execa(
        process.execPath,
        [
          BUNDLE,
          'watch',
          '-h',
          '127.0.0.1',
          '-p',
          String(pair.primary.port),
          '-U',
          pair.passwordRole.name,
          '--role',
          'primary',
          '--rep-mode',
          'sync',
          '--interval',
          '0.3',
          '--fail-after',
          '0',
          '--heartbeat',
          '0',
          '--format',
          'clusterpro',
        ],
        {
          env: {
            PATH: `${CLPSIM_DIR}:${BASE_PATH}`,
            CLPSIM_ALERT_LOG: sb.alertLog,
            PGSR_STATE_DIR: sb.stateDir,
            PGPASSWORD: pair.passwordRole.password,
          },
          extendEnv: false,
          reject: false,
          timeout: 60_000,
        },
      );
      await new Promise((r) => setTimeout(r, 3000));
      w.kill('SIGTERM');
      const out = String((await w).stdout).split('\n');
      const failures = out.filter((l) => l.includes('NOT APPLIED'));
      expect(failures, out.join('\n')).toHaveLength(1);
      expect(failures[0]).toMatch(
        /synchronous_standby_names '' -> '"slave"' \(sync\): streaming: "slave"; NOT APPLIED: .*(permission denied|must be superuser)/,
      );
      expect(syncAlerts(sb).map((a) => a.level)).toEqual(['ERR']);
      expect(out.join('\n')).not.toContain(pair.passwordRole.password);
    }, 60_000);

    it("a standby carrying the old primary's names is promoted with none (its commits do not wait), and the old primary comes back as a standby with none", async () => {
      // What pg_basebackup copies from a primary that ran synchronously: a name in postgresql.auto.conf.
      await psql(pair, pair.standby, `ALTER SYSTEM SET synchronous_standby_names = '"gone"'`);
      await psql(pair, pair.primary, `ALTER SYSTEM SET synchronous_standby_names = '"gone"'`);
      await stopNode(pair, pair.primary, 'fast');
      const p = await pgsr(['promote', '-D', pair.standby.data]);
      expect(p.outcome).toBe('done');
      // (written, not reloaded: what a reload or a restart would bring back counts too)
      expect(step(p)).toBe(
        `the files set '"gone"' (not loaded yet), now '' (the new primary's manager names its standby once it streams)`,
      );
      expect(await psql(pair, pair.standby, 'SHOW synchronous_standby_names')).toBe('');
      const t0 = Date.now();
      await psql(pair, pair.standby, 'CREATE TABLE after_promote (n int); INSERT INTO after_promote VALUES (1)', {
        timeoutMs: 30_000,
      });
      expect(Date.now() - t0).toBeLessThan(SLACK_MS);

      // The old primary, rebuilt as a standby of the new one: its copied names are emptied before it starts.
      const r = await pgsr([
        'rebuild',
        '-D',
        pair.primary.data,
        '--from',
        `host=127.0.0.1 port=${pair.standby.port} user=postgres application_name=slave`,
      ]);
      expect(r.outcome).toBe('done');
      expect(step(r)).toContain("synchronous_standby_names = ''");
      expect(autoConf(pair.primary)).toMatch(/^synchronous_standby_names = ''$/m);
      expect(autoConf(pair.primary)).not.toContain('"gone"');

      // Stopped, a name written by hand, started as standby: emptied again before the start.
      expect((await pgsr(['stop', '-D', pair.primary.data])).outcome).toBe('done');
      writeFileSync(
        join(pair.primary.data, 'postgresql.auto.conf'),
        autoConf(pair.primary).replace("synchronous_standby_names = ''", `synchronous_standby_names = '"gone"'`),
      );
      const s = await pgsr(['start', '-D', pair.primary.data, '--as', 'standby']);
      expect(s.outcome).toBe('done');
      expect(step(s)).toContain("synchronous_standby_names = ''");
      expect(await psql(pair, pair.primary, 'SHOW synchronous_standby_names')).toBe('');
    }, 300_000);
  });
}
