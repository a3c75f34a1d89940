// npm run faults: pgsr under faults, on a pair in two network namespaces (scripts/lib/netns-pair.ts).
// Each row: fault, entry point, expected, observed, time, pass. Ends with "N passed, N failed";
// the table is kept in docs/reliability.md (unless --no-write). Also watches, for the whole run,
// that the password never appears in any process's argv, nor in any output or alert.
import { execa } from 'execa';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE, CLPSIM_DIR, REPO, readAlerts } from './lib/genw';
import { waitFor } from './lib/lab';
import { NetnsPair, type NsNode } from './lib/netns-pair';

interface Row {
  fault: string;
  entry: string;
  expected: string;
  observed: string;
  ms: number;
  pass: boolean;
}
const rows: Row[] = [];
const outputs: string[] = [];
let pair: NetnsPair;
let sandboxN = 0;

function sandbox(): { alertLog: string; stateDir: string } {
  const d = mkdtempSync(`/tmp/pgsr-faultsb${sandboxN++}-`);
  return { alertLog: join(d, 'alerts.jsonl'), stateDir: join(d, 'state') };
}

/** Runs the bundle inside a node's namespace as a cluster manager would (cwd /, small env). */
async function pgsr(
  node: NsNode,
  args: string[],
  opts: {
    env?: Record<string, string>;
    sb?: { alertLog: string; stateDir: string };
    path?: string;
    timeoutMs?: number;
  } = {},
) {
  const env: Record<string, string> = {
    PATH: opts.path ?? `${CLPSIM_DIR}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    LANG: 'C',
    ...(opts.sb
      ? { CLPSIM_ALERT_LOG: opts.sb.alertLog, PGSR_STATE_DIR: opts.sb.stateDir }
      : { PGSR_STATE_DIR: '/tmp/pgsr-faults-state' }),
    ...opts.env,
  };
  const t0 = Date.now();
  const r = await execa('ip', ['netns', 'exec', node.ns, process.execPath, BUNDLE, ...args], {
    cwd: '/',
    env,
    extendEnv: false,
    reject: false,
    timeout: opts.timeoutMs ?? 60_000,
    stdin: 'ignore',
  });
  const out = `${r.stdout}\n${r.stderr}`;
  outputs.push(out);
  return { code: r.exitCode ?? -1, out, ms: Date.now() - t0 };
}

function record(fault: string, entry: string, expected: string, observed: string, ms: number, pass: boolean): void {
  rows.push({ fault, entry, expected, observed, ms, pass });
  console.error(
    `${pass ? 'PASS' : 'FAIL'}  ${fault} | ${entry} | expected ${expected} | observed ${observed} | ${ms} ms`,
  );
}

/** One expectation on an exit code (and optionally the output), with a time bound. */
async function expectExit(
  fault: string,
  entry: string,
  node: NsNode,
  args: string[],
  code: number,
  opts: {
    match?: RegExp;
    maxMs?: number;
    env?: Record<string, string>;
    sb?: { alertLog: string; stateDir: string };
    path?: string;
    timeoutMs?: number;
  } = {},
) {
  const r = await pgsr(node, args, opts);
  const okCode = r.code === code;
  const okMatch = !opts.match || opts.match.test(r.out);
  const okTime = !opts.maxMs || r.ms <= opts.maxMs;
  const observed = `exit ${r.code}${okMatch ? '' : ' (output did not match)'}${okTime ? '' : ` (over ${opts.maxMs} ms)`}`;
  record(
    fault,
    entry,
    `exit ${code}${opts.maxMs ? ` within ${opts.maxMs} ms` : ''}`,
    observed,
    r.ms,
    okCode && okMatch && okTime,
  );
  if (!okMatch) console.error(`      output was: ${r.out.slice(0, 400).replace(/\n/g, ' | ')}`);
  return r;
}

/** Polls an entry point until it gives `code` (bounded), recording the time it took. */
async function expectEventually(
  fault: string,
  entry: string,
  node: NsNode,
  args: string[],
  code: number,
  maxMs: number,
  sb?: { alertLog: string; stateDir: string },
  match?: RegExp,
  env?: Record<string, string>,
) {
  const t0 = Date.now();
  let last = -99;
  for (let i = 0; i < 200 && Date.now() - t0 < maxMs; i++) {
    const r = await pgsr(node, args, { sb, env });
    last = r.code;
    if (last === code && (!match || match.test(r.out))) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  record(fault, entry, `exit ${code} within ${maxMs} ms`, `exit ${last}`, Date.now() - t0, last === code);
}

const sArgs = (fmt: string, extra: string[] = []) => [
  'check',
  '--format',
  fmt,
  '-h',
  '127.0.0.1',
  '-p',
  '5432',
  '--role',
  'standby',
  '--primary-host',
  pair.primary.ip,
  ...extra,
];
const pArgs = (fmt: string, extra: string[] = []) => [
  'check',
  '--format',
  fmt,
  '-h',
  '127.0.0.1',
  '-p',
  '5432',
  '--role',
  'primary',
  '--application-name',
  'slave',
  ...extra,
];
const ocfEnv = (node: NsNode, timeoutMs = 10_000) => ({
  OCF_RESKEY_bindir: pair.bindir,
  OCF_RESKEY_pgdata: node.data,
  OCF_RESKEY_pghost: '127.0.0.1',
  OCF_RESKEY_pgport: '5432',
  OCF_RESKEY_CRM_meta_interval: '5000',
  OCF_RESKEY_CRM_meta_timeout: String(timeoutMs),
});

async function partition(kind: 'link down' | 'blackhole', on: boolean): Promise<void> {
  const S = pair.standby;
  const P = pair.primary;
  if (kind === 'link down') await execa('ip', ['-n', S.ns, 'link', 'set', S.veth, on ? 'down' : 'up']);
  else {
    await execa('ip', ['-n', S.ns, 'route', on ? 'add' : 'del', 'blackhole', `${P.ip}/32`]);
    await execa('ip', ['-n', P.ns, 'route', on ? 'add' : 'del', 'blackhole', `${S.ip}/32`]);
  }
}

/**
 * What the running pair's timers allow: the 3 s lab settings, or PostgreSQL's defaults (60 s),
 * where the standby knows from the sender probe (5 s of silence + 3 s), the primary from
 * standby_silent (wal_sender_timeout/2 + 10 s) and the walreceiver gives up at 60 s. Fault names
 * say which timers a row ran with.
 */
function timers() {
  const d = pair.opts.defaultTimeouts === true;
  return {
    name: (fault: string) => (d ? `${fault} (default 60 s timeouts)` : fault),
    standbyMs: d ? 20_000 : 15_000,
    primaryMs: d ? 60_000 : 15_000,
    walreceiverGivesUpMs: d ? 75_000 : 15_000,
    // After a long outage TCP retransmits back off, or the walsender has timed out and the
    // walreceiver reconnects: healing takes longer with the default timers.
    healMs: d ? 90_000 : 25_000,
    defaults: d,
  };
}

async function networkFault(how: 'link down' | 'blackhole'): Promise<void> {
  const T = timers();
  const kind = T.name(how);
  const sb = sandbox();
  await partition(how, true);
  await expectEventually(kind, 'check clusterpro (standby)', pair.standby, sArgs('clusterpro'), 1, T.standbyMs, sb);
  await expectExit(kind, 'check nagios (standby)', pair.standby, sArgs('nagios'), 2, {
    match: /^PGSR CRITICAL - /,
    maxMs: 12_000,
  });
  await expectExit(kind, 'check json (standby)', pair.standby, sArgs('json'), 1, { match: /"severity":"critical"/ });
  await expectEventually(
    kind,
    'check clusterpro (primary)',
    pair.primary,
    pArgs('clusterpro', ['--no-alert']),
    1,
    T.primaryMs,
  );
  await expectExit(kind, 'ocf monitor (standby, running but not streaming)', pair.standby, ['ocf', 'monitor'], 0, {
    env: ocfEnv(pair.standby),
  });
  // Written on the primary while the standby cannot hear it: must arrive after healing.
  const marker = `${how.replace(/\W/g, '_')}_${Date.now()}`;
  await pair.psql(
    pair.primary,
    `CREATE TABLE IF NOT EXISTS during_fault (m text); INSERT INTO during_fault VALUES ('${marker}')`,
  );
  await partition(how, false);
  await expectEventually(
    `${kind} healed`,
    'check clusterpro (standby)',
    pair.standby,
    sArgs('clusterpro'),
    0,
    T.healMs,
    sb,
  );
  const t0 = Date.now();
  const arrived = await waitFor(
    'the row written during the fault',
    async () =>
      (await pair.psql(pair.standby, `SELECT count(*) FROM during_fault WHERE m = '${marker}'`).catch(() => '0')) ===
      '1',
    15_000,
  ).then(
    () => true,
    () => false,
  );
  record(
    `${kind} healed`,
    'data written on the primary during the fault',
    'replayed on the standby (nothing lost)',
    arrived ? 'replayed' : 'missing',
    Date.now() - t0,
    arrived,
  );
  const alerts = readAlerts(sb.alertLog);
  const clean =
    alerts.every((a) => a.warnings.length === 0) && alerts.at(-1)?.level === 'INFO' && alerts.at(-1)?.event_id === 1;
  // With the default timers the problem changes on the way (sender silent, then the walreceiver
  // restarting): each change is alerted once, ERR, and the recovery once.
  const ok = T.defaults
    ? clean && alerts.length >= 2 && alerts.slice(0, -1).every((a) => a.level === 'ERR')
    : clean && alerts.length === 2 && alerts[0].level === 'ERR';
  record(
    `${kind} then healed`,
    'clplogcmd alerts',
    T.defaults ? 'ERR for each problem, then one INFO recovery' : 'one ERR, then one INFO recovery',
    alerts.map((a) => `${a.level}:${a.event_id}`).join(',') || 'none',
    0,
    ok,
  );
}

async function stoppedPostmaster(): Promise<void> {
  const S = pair.standby;
  const pid = await pair.postmasterPid(S);
  process.kill(pid, 'SIGSTOP');
  try {
    const f = 'standby postmaster SIGSTOPped (accepts TCP, never answers)';
    await expectExit(f, 'check clusterpro --timeout 3', S, sArgs('clusterpro', ['--timeout', '3', '--no-alert']), 2, {
      match: /no answer within/,
      maxMs: 3000 + 2500,
    });
    await expectExit(f, 'check nagios -t 3', S, sArgs('nagios', ['-t', '3']), 2, { maxMs: 3000 + 2500 });
    await expectExit(f, 'check nagios -t 3:UNKNOWN', S, sArgs('nagios', ['-t', '3:UNKNOWN']), 3, {
      maxMs: 3000 + 2500,
    });
    await expectExit(f, 'check json --timeout 3', S, sArgs('json', ['--timeout', '3']), 2, { maxMs: 3000 + 2500 });
    await expectExit(f, 'ocf monitor (timeout 4 s)', S, ['ocf', 'monitor'], 1, {
      env: ocfEnv(S, 4000),
      match: /ocf-exit-reason:running but not answering/,
      maxMs: 4000 + 2500,
    });
    await expectExit(
      f,
      'watch --timeout 2 --fail-after 2',
      S,
      [
        'watch',
        '-h',
        '127.0.0.1',
        '-p',
        '5432',
        '--timeout',
        '2',
        '--interval',
        '0.5',
        '--fail-after',
        '2',
        '--no-alert',
      ],
      2,
      { maxMs: 2 * 2500 + 3000 },
    );
  } finally {
    process.kill(pid, 'SIGCONT');
  }
  await pair.waitStreaming(20_000);
}

async function stoppedServer(): Promise<void> {
  const S = pair.standby;
  for (const mode of ['fast', 'immediate'] as const) {
    const f = `standby stopped (-m ${mode})`;
    if (mode === 'fast')
      await expectExit(
        f,
        'exec stop (CLP_EVENT=START, CLP_FACTOR=GROUPSTOP)',
        S,
        ['exec', 'stop', '-D', S.data, '--bindir', pair.bindir, '--format', 'clusterpro', '--no-alert'],
        0,
        { env: { CLP_EVENT: 'START', CLP_FACTOR: 'GROUPSTOP' }, match: /stopped \(fast, clean shutdown\)/ },
      );
    else await pair.pgCtl(S, ['-m', 'immediate', '-w', 'stop']);
    await expectExit(f, 'check clusterpro', S, sArgs('clusterpro', ['--no-alert']), 2, {
      match: /cannot connect/,
      maxMs: 5000,
    });
    await expectExit(f, 'check nagios', S, sArgs('nagios'), 2, { maxMs: 5000 });
    await expectExit(f, 'ocf monitor', S, ['ocf', 'monitor'], mode === 'fast' ? 7 : 1, { env: ocfEnv(S) });
    await expectEventually(
      f,
      'check clusterpro (primary: standby gone)',
      pair.primary,
      pArgs('clusterpro', ['--no-alert']),
      1,
      10_000,
    );
    await expectExit(f, 'pgsr start (standby)', S, ['start', '-D', S.data, '--bindir', pair.bindir], 0);
    await expectEventually(`${f}, restarted`, 'check clusterpro', S, sArgs('clusterpro', ['--no-alert']), 0, 20_000);
  }
}

async function killedPostmaster(): Promise<void> {
  const S = pair.standby;
  const f = 'standby postmaster killed -9';
  process.kill(await pair.postmasterPid(S), 'SIGKILL');
  await new Promise((r) => setTimeout(r, 500));
  await expectExit(f, 'check clusterpro', S, sArgs('clusterpro', ['--no-alert']), 2, {
    match: /cannot connect/,
    maxMs: 5000,
  });
  await expectExit(f, 'ocf monitor', S, ['ocf', 'monitor'], 1, { env: ocfEnv(S), match: /in archive recovery/ });
  await expectExit(
    f,
    'exec start (CLP_EVENT=RECOVER, as standby)',
    S,
    ['exec', 'start', '--as', 'standby', '-D', S.data, '--bindir', pair.bindir, '--format', 'clusterpro', '--no-alert'],
    0,
    { env: { CLP_EVENT: 'RECOVER', CLP_DISK: 'SUCCESS', CLP_SERVER: 'HOME' } },
  );
  await expectEventually(`${f}, restarted`, 'check clusterpro', S, sArgs('clusterpro', ['--no-alert']), 0, 20_000);
}

async function walreceiverKilled(): Promise<void> {
  const S = pair.standby;
  const pid = Number(await pair.psql(S, 'SELECT pid FROM pg_stat_wal_receiver'));
  process.kill(pid, 'SIGTERM');
  await expectEventually(
    'walreceiver terminated',
    'check clusterpro (standby)',
    S,
    sArgs('clusterpro', ['--no-alert']),
    0,
    15_000,
  );
}

async function connectionsExhausted(): Promise<void> {
  const S = pair.standby;
  const env = { PGPASSWORD: pair.passwordRole.password };
  const sleepers = [];
  // Each sleeper retries its connection (bounded) while the slots are contended: a sleeper that
  // lost a race for a slot would otherwise leave one free, and the fault would never be reached.
  const psqlSleep = `psql -X -h 127.0.0.1 -U ${pair.passwordRole.name} -d postgres -c 'SELECT pg_sleep(30)'`;
  for (let i = 0; i < 17; i++) {
    // Retried only when refused for want of a slot; a session ended by the clean-up below exits.
    const loop = `for i in $(seq 1 50); do out=$(${psqlSleep} 2>&1); rc=$?; case "$out" in *"too many clients"*|*"remaining connection slots"*) sleep 0.2;; *) exit $rc;; esac; done; exit 1`;
    sleepers.push(pair.x(S, ['sh', '-c', loop], { env, timeoutMs: 45_000 }));
  }
  try {
    // The fault is reached when the monitoring role finds no slot left (how many sleepers that
    // takes depends on what else holds a connection at that moment).
    const f = 'max_connections exhausted';
    await expectEventually(
      f,
      'check clusterpro (monitoring role)',
      S,
      sArgs('clusterpro', ['-U', pair.passwordRole.name, '--no-alert']),
      2,
      20_000,
      undefined,
      /too many clients|remaining connection slots/,
      env,
    );
    await expectExit(f, 'check clusterpro (superuser, reserved slots)', S, sArgs('clusterpro', ['--no-alert']), 0);
  } finally {
    await pair.psql(
      S,
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '${pair.passwordRole.name}'`,
    );
    await Promise.allSettled(sleepers);
  }
}

async function credentials(): Promise<void> {
  const S = pair.standby;
  const dir = mkdtempSync('/tmp/pgsr-faults-pass-');
  const pass = join(dir, 'pgpass');
  writeFileSync(pass, `*:*:*:${pair.passwordRole.name}:not-the-password\n`, { mode: 0o600 });
  await expectExit(
    'wrong password',
    'check clusterpro',
    S,
    sArgs('clusterpro', ['-U', pair.passwordRole.name, '--no-alert']),
    2,
    { env: { PGPASSFILE: pass }, match: /password authentication failed/ },
  );
  await expectExit(
    'no pg_hba.conf entry',
    'check clusterpro',
    S,
    sArgs('clusterpro', ['-U', 'nobody_here', '--no-alert']),
    2,
    { match: /no pg_hba\.conf entry/ },
  );
  writeFileSync(pass, `*:*:*:${pair.passwordRole.name}:${pair.passwordRole.password}\n`, { mode: 0o600 });
  chmodSync(pass, 0o644);
  await expectExit(
    '.pgpass with group/world access',
    'check clusterpro',
    S,
    sArgs('clusterpro', ['-U', pair.passwordRole.name, '--no-alert']),
    2,
    { env: { PGPASSFILE: pass }, match: /group or world access/ },
  );
  chmodSync(pass, 0o600);
  await expectExit(
    'right password from the password file',
    'check clusterpro',
    S,
    sArgs('clusterpro', ['-U', pair.passwordRole.name, '--no-alert']),
    0,
    { env: { PGPASSFILE: pass } },
  );
  await expectExit('password in PGPASSWORD', 'check nagios', S, sArgs('nagios', ['-U', pair.passwordRole.name]), 0, {
    env: { PGPASSWORD: pair.passwordRole.password },
  });
  // A password "file" that cannot be read as one (a directory): ignored, with the reason.
  await expectExit(
    '.pgpass unreadable (not a plain file)',
    'check clusterpro',
    S,
    sArgs('clusterpro', ['-U', pair.passwordRole.name, '--no-alert']),
    2,
    { env: { PGPASSFILE: dir }, match: /is not a plain file/ },
  );
}

/** `pgsr archive status --format json` facts of the primary. */
async function archiveFacts(): Promise<Record<string, number>> {
  const r = await pgsr(pair.primary, ['archive', 'status', '-h', '127.0.0.1', '-p', '5432', '--format', 'json']);
  return JSON.parse(r.out.split('\n')[0]).facts as Record<string, number>;
}

/**
 * Sets archive_command, writes a few WAL segments, and records whether `archive status` reports
 * a .ready backlog with failures within 20 s.
 */
async function expectArchiveBacklog(fault: string, archiveCommand: string, segments: number): Promise<void> {
  const P = pair.primary;
  await pair.psql(P, `ALTER SYSTEM SET archive_command = '${archiveCommand}'`);
  await pair.psql(P, 'SELECT pg_reload_conf()');
  for (let i = 0; i < segments; i++)
    await pair.psql(P, 'CREATE TABLE IF NOT EXISTS t (i int); INSERT INTO t VALUES (1); SELECT pg_switch_wal();');
  const t0 = Date.now();
  let facts: Record<string, number> = {};
  const seen = await waitFor(
    'a .ready backlog and failures',
    async () => {
      facts = await archiveFacts();
      return facts.ready_count > 0 && facts.failed_count > 0;
    },
    20_000,
  ).then(
    () => true,
    () => false,
  );
  record(
    fault,
    'archive status',
    '.ready backlog and failures reported',
    `ready ${facts.ready_count}, failed ${facts.failed_count}`,
    Date.now() - t0,
    seen,
  );
}

async function archiveFailing(): Promise<void> {
  const P = pair.primary;
  await expectArchiveBacklog('archive_command failing', 'false', 3);
  await expectExit(
    'archive_command failing',
    'archive hold',
    P,
    ['archive', 'hold', '-h', '127.0.0.1', '-p', '5432'],
    0,
  );
  const t1 = Date.now();
  await waitFor('the backlog to drain', async () => (await archiveFacts()).ready_count === 0, 30_000).catch(
    () => undefined,
  );
  const after = (await archiveFacts()).ready_count;
  record('archive held', 'archive status', '.ready backlog drained', `ready ${after}`, Date.now() - t1, after === 0);
  await expectExit(
    'archive held',
    'archive resume',
    P,
    ['archive', 'resume', '-h', '127.0.0.1', '-p', '5432', '--format', 'json'],
    0,
    { match: /"archive_command_sensitive":"false"/ },
  );
  await expectExit(
    'archive held',
    'archive status (clusterpro log line): never the command text',
    P,
    ['archive', 'status', '-h', '127.0.0.1', '-p', '5432', '--format', 'clusterpro', '--no-alert'],
    0,
    { match: /^(?![\s\S]*archive_command=)[\s\S]*active/ },
  );
  await pair.psql(P, "ALTER SYSTEM SET archive_command = 'true'");
  await pair.psql(P, 'SELECT pg_reload_conf()');
}

/** A tmpfs of `size` mounted by the suite on a directory of its own; unmounted by `umount`. */
async function tmpfs(size: string): Promise<{ dir: string; umount: () => Promise<void> }> {
  const dir = mkdtempSync('/tmp/pgsr-faults-tmpfs-');
  await execa('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0777`, 'tmpfs', dir]);
  return { dir, umount: async () => void (await execa('umount', ['-l', dir], { reject: false })) };
}

async function notAccepting(): Promise<void> {
  const S = pair.standby;
  const f = 'standby up but not accepting connections (hot_standby = off: SQLSTATE 57P03)';
  const conf = join(S.data, 'pgsr-faults.conf');
  const before = readFileSync(conf, 'utf8');
  writeFileSync(conf, `${before}hot_standby = off\n`);
  try {
    await expectExit(f, 'pgsr stop', S, ['stop', '-D', S.data, '--bindir', pair.bindir], 0);
    // pg_ctl start -w waits for "ready" or "standby": without hot standby it returns once up.
    await expectExit(
      f,
      'pgsr start --as standby',
      S,
      ['start', '-D', S.data, '--bindir', pair.bindir, '--as', 'standby'],
      1,
      { match: /not accepting connections|hot standby|came up as unknown/i },
    );
    await expectExit(f, 'check clusterpro', S, sArgs('clusterpro', ['--no-alert']), 2, {
      match: /not (yet )?accepting connections|Hot standby mode is disabled/,
      maxMs: 5000,
    });
    await expectExit(f, 'check nagios', S, sArgs('nagios'), 2, { maxMs: 5000 });
    await expectExit(f, 'ocf monitor (soft error)', S, ['ocf', 'monitor'], 1, {
      env: ocfEnv(S),
      match: /running but not answering/,
    });
  } finally {
    writeFileSync(conf, before);
    await pgsr(S, ['stop', '-D', S.data, '--bindir', pair.bindir]);
    await pgsr(S, ['start', '-D', S.data, '--bindir', pair.bindir, '--as', 'standby']);
  }
  await expectEventually(`${f}: restored`, 'check clusterpro', S, sArgs('clusterpro', ['--no-alert']), 0, 20_000);
}

async function archiveDiskFull(): Promise<void> {
  const P = pair.primary;
  const disk = await tmpfs('1m');
  try {
    await expectArchiveBacklog('archive disk full (1 MiB tmpfs)', `cp %p ${disk.dir}/%f`, 2);
  } finally {
    await pair.psql(P, "ALTER SYSTEM SET archive_command = 'true'");
    await pair.psql(P, 'SELECT pg_reload_conf()');
    await disk.umount();
  }
}

async function slotLost(): Promise<void> {
  const S = pair.standby;
  const P = pair.primary;
  const f = 'replication slot lost (standby down while the primary wrote past max_slot_wal_keep_size)';
  await expectExit(f, 'pgsr stop (standby)', S, ['stop', '-D', S.data, '--bindir', pair.bindir], 0);
  const t0 = Date.now();
  let status = '';
  for (let i = 0; i < 12 && status !== 'lost'; i++) {
    await pair.psql(
      P,
      'CREATE TABLE IF NOT EXISTS big (i int); INSERT INTO big SELECT generate_series(1, 300000); SELECT pg_switch_wal(); CHECKPOINT;',
    );
    status = await pair.psql(P, "SELECT wal_status FROM pg_replication_slots WHERE slot_name = 'slave_slot'");
  }
  record(f, 'the slot (setup)', 'wal_status lost', `wal_status ${status}`, Date.now() - t0, status === 'lost');
  await expectExit(f, 'check clusterpro (primary)', P, pArgs('clusterpro', ['--no-alert', '--min-standbys', '0']), 1, {
    match: /can never catch up, rebuild it/,
  });
  await expectExit(f, 'check nagios (primary)', P, pArgs('nagios', ['--min-standbys', '0']), 2, {
    match: /slot_lost|can never catch up/,
  });
  await expectExit(f, 'pgsr start (standby)', S, ['start', '-D', S.data, '--bindir', pair.bindir], 0);
  await expectEventually(
    f,
    'check clusterpro (standby: cannot stream)',
    S,
    sArgs('clusterpro', ['--no-alert']),
    1,
    15_000,
  );
  // The remedy the finding names: recreate the slot, rebuild the standby.
  await pair.psql(
    P,
    "SELECT pg_drop_replication_slot('slave_slot'); SELECT pg_create_physical_replication_slot('slave_slot', true);",
  );
  await expectExit(
    `${f}: remedy`,
    'pgsr rebuild --method basebackup',
    S,
    [
      'rebuild',
      '-D',
      S.data,
      '--bindir',
      pair.bindir,
      '--method',
      'basebackup',
      '--discard-old',
      '--from',
      `host=${P.ip} port=5432 user=postgres application_name=slave`,
    ],
    0,
    { maxMs: 120_000 },
  );
  await expectEventually(
    `${f}: rebuilt`,
    'check clusterpro (standby)',
    S,
    sArgs('clusterpro', ['--no-alert']),
    0,
    20_000,
  );
  await expectExit(`${f}: rebuilt`, 'check clusterpro (primary)', P, pArgs('clusterpro', ['--no-alert']), 0);
}

async function badInput(): Promise<void> {
  const S = pair.standby;
  const dir = mkdtempSync('/tmp/pgsr-faults-conf-');
  const write = (name: string, text: string | Buffer) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const cases: Array<[string, string[], number, Record<string, string>?]> = [
    ['missing config file', ['check', '--config', join(dir, 'none.conf')], 5],
    ['garbled config file (binary)', ['check', '--config', write('bin.conf', Buffer.from([0, 1, 2, 255, 0]))], 5],
    ['unknown config key', ['check', '--config', write('k.conf', 'hots = x\n')], 5],
    ['out-of-range port', ['check', '-p', '70000'], 5],
    ['negative timeout', ['check', '--timeout', '-1'], 5],
    ['conflicting: watch with nagios format (answered as Nagios asked: UNKNOWN)', ['watch', '--format', 'nagios'], 3],
    ['garbage PGPORT', ['check'], 5, { PGPORT: 'five' }],
    ['garbage PGSSLMODE', ['check'], 5, { PGSSLMODE: 'maybe' }],
    [
      'empty config file (valid: defaults)',
      ['check', '--format', 'json', '-h', '127.0.0.1', '-p', '5432', '--config', write('empty.conf', '')],
      0,
    ],
  ];
  const oneLine = {
    5: /^pgsr: (configuration|usage) error: [^\n]*\n*$/m,
    3: /^PGSR UNKNOWN - configuration error: /m,
  } as Record<number, RegExp>;
  for (const [fault, args, code, env] of cases)
    await expectExit(fault, `pgsr ${args[0]}`, S, args, code, { env, match: oneLine[code], maxMs: 5000 });
  await expectExit('bad argument (Nagios)', 'check nagios', S, ['check', '--format', 'nagios', '--bogus'], 3, {
    match: /^PGSR UNKNOWN - usage error/m,
  });
}

async function hostSide(): Promise<void> {
  const S = pair.standby;
  const broken = sArgs('clusterpro', ['-p', '5999']); // nothing listens there: critical, so an alert is due
  const dir = mkdtempSync('/tmp/pgsr-faults-cmd-');
  mkdirSync(join(dir, 'fail'));
  mkdirSync(join(dir, 'hang'));
  writeFileSync(join(dir, 'fail', 'clplogcmd'), '#!/bin/sh\necho "clplogcmd: cannot reach the cluster" >&2\nexit 1\n', {
    mode: 0o755,
  });
  writeFileSync(join(dir, 'hang', 'clplogcmd'), '#!/bin/sh\nsleep 60\n', { mode: 0o755 });
  await expectExit('clplogcmd missing', 'check clusterpro', S, broken, 2, {
    sb: sandbox(),
    path: '/usr/bin:/bin',
    match: /alert not sent: clplogcmd not found/,
  });
  await expectExit('clplogcmd failing', 'check clusterpro', S, broken, 2, {
    sb: sandbox(),
    path: `${dir}/fail:/usr/bin:/bin`,
    match: /alert not sent: .* exit 1/,
  });
  await expectExit('clplogcmd hanging', 'check clusterpro --timeout 3', S, [...broken, '--timeout', '3'], 2, {
    sb: sandbox(),
    path: `${dir}/hang:/usr/bin:/bin`,
    match: /did not finish within/,
    maxMs: 3000 + 2500,
  });
  const sb = sandbox();
  writeFileSync(sb.stateDir, 'not a directory');
  await expectExit('state directory unusable', 'check clusterpro', S, broken, 2, { sb, match: /state not saved/ });
  const full = await tmpfs('64k');
  try {
    await execa('dd', ['if=/dev/zero', `of=${join(full.dir, 'fill')}`, 'bs=4k', 'count=64'], { reject: false });
    const sbFull = { alertLog: sandbox().alertLog, stateDir: full.dir };
    await expectExit('state directory full (64 KiB tmpfs, filled)', 'check clusterpro', S, broken, 2, {
      sb: sbFull,
      match: /alert sent.*state not saved in .*ENOSPC/,
    });
  } finally {
    await full.umount();
  }
}

async function splitBrain(): Promise<void> {
  const T = timers();
  const S = pair.standby;
  const P = pair.primary;
  const conninfo = `host=${P.ip} port=5432 user=postgres`;
  await partition('link down', true);
  await expectExit(
    T.name('partition, walreceiver not yet timed out'),
    'promote (no --force)',
    S,
    ['promote', '-D', S.data, '--bindir', pair.bindir, '--primary-conninfo', conninfo],
    3,
    { match: /split brain/ },
  );
  await waitFor(
    'the walreceiver to give up',
    async () =>
      (await pair.psql(S, "SELECT coalesce((SELECT status FROM pg_stat_wal_receiver), 'none')")) !== 'streaming',
    T.walreceiverGivesUpMs,
  );
  await expectExit(
    T.name('partition, old primary unreachable'),
    'promote (no --force)',
    S,
    ['promote', '-D', S.data, '--bindir', pair.bindir, '--primary-conninfo', conninfo],
    3,
    { match: /cannot tell whether .* is still a primary/ },
  );
  await expectExit(
    T.name('partition, operator forces'),
    'promote --force',
    S,
    ['promote', '-D', S.data, '--bindir', pair.bindir, '--primary-conninfo', conninfo, '--force'],
    0,
  );
  await expectExit(
    T.name('split brain: both primary'),
    'check clusterpro on the ex-standby',
    S,
    sArgs('clusterpro', ['--no-alert']),
    3,
    { match: /possible split brain/ },
  );
  await expectExit(T.name('split brain: both primary'), 'check nagios on the ex-standby', S, sArgs('nagios'), 2);
  // The old primary notices its standby is gone: standby_silent, or wal_sender_timeout.
  await expectEventually(
    T.name('split brain: both primary'),
    'check clusterpro on the old primary',
    P,
    pArgs('clusterpro', ['--no-alert']),
    1,
    T.primaryMs,
  );
  await partition('link down', false);
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL's default timeouts (wal_sender_timeout / wal_receiver_timeout 60 s): a power loss
// sends no FIN, so nothing on the other side hears of it before those timers.

const clpEnv = (event: string, extra: Record<string, string> = {}) => ({
  CLP_EVENT: event,
  CLP_DISK: 'SUCCESS',
  CLP_SERVER: 'HOME',
  CLP_GROUPNAME: 'failover_primary',
  CLP_RESOURCENAME: 'exec_database',
  ...extra,
});

async function powerLossOfPrimary(): Promise<void> {
  const S = pair.standby;
  const P = pair.primary;
  const conninfo = `host=${P.ip} port=5432 user=postgres`;
  const f = "power loss of the primary's node (default 60 s timeouts)";
  const frozen = await pair.powerLoss(P);
  const t0 = Date.now();
  const sb = sandbox();
  await expectEventually(
    f,
    'check clusterpro (standby): critical, the primary does not answer',
    S,
    sArgs('clusterpro'),
    1,
    5_000 + 3_000 + 12_000,
    sb,
    /the walreceiver still says streaming, but the primary/,
  );
  const status = await pair.psql(S, 'SELECT status FROM pg_stat_wal_receiver').catch((e: Error) => e.message);
  record(
    f,
    'pg_stat_wal_receiver on the standby meanwhile',
    'still streaming (the walreceiver has not noticed)',
    status,
    Date.now() - t0,
    status === 'streaming',
  );
  await expectExit(f, 'check nagios (standby)', S, sArgs('nagios'), 2, {
    match: /^PGSR CRITICAL - .*the primary .* (does not answer|cannot be reached)/,
    maxMs: 10_000 + 2500,
  });
  // The facts say that the probe ran and went unanswered (no SYN-ACK within its 3 s, or no route).
  await expectExit(f, 'check json (standby)', S, sArgs('json'), 1, {
    match: /"code":"primary_unreachable"[\s\S]*"sender_probe":"(no-answer|unreachable)","sender_probe_ms":\d+/,
  });
  await expectExit(
    f,
    'watch (standby) --fail-after 1',
    S,
    [
      'watch',
      '-h',
      '127.0.0.1',
      '-p',
      '5432',
      '--interval',
      '1',
      '--fail-after',
      '1',
      '--timeout',
      '8',
      '--no-alert',
      '--format',
      'json',
    ],
    1,
    { maxMs: 3_000 + 2 * 1000 + 3000, match: /primary_unreachable/ },
  );
  // The watch probes beside its checks: the failing check carries the probe's result and took
  // the standby's round trip, not the probe's 3 s (which an inline probe would have added).
  const failing = (outputs.at(-1) ?? '')
    .split('\n')
    .filter((l) => l.includes('"primary_unreachable"'))
    .map(
      (l) =>
        JSON.parse(l.slice(l.indexOf('{'))) as {
          duration_ms: number;
          facts: { sender_probe?: string; sender_probe_ms?: number };
        },
    );
  const fc = failing.at(-1);
  record(
    f,
    'watch: the failing check waited for no probe',
    'sender_probe no-answer or unreachable, duration_ms < 1000',
    fc
      ? `sender_probe ${fc.facts.sender_probe} (${fc.facts.sender_probe_ms} ms), duration_ms ${fc.duration_ms}`
      : 'no such line',
    0,
    !!fc && /^(no-answer|unreachable)$/.test(String(fc.facts.sender_probe)) && fc.duration_ms < 1000,
  );
  // Run as a genw runs, again: an alert that missed its budget under load goes out now, and one
  // that went out is not repeated (one ERR however often it runs).
  await pgsr(S, sArgs('clusterpro'), { sb });
  const alerts = readAlerts(sb.alertLog);
  record(
    f,
    'clplogcmd alert (after one more genw run)',
    'one ERR naming the silent primary',
    alerts.map((a) => `${a.level}:${a.event_id}`).join(',') || 'none',
    0,
    alerts.length === 1 && alerts[0].level === 'ERR' && alerts[0].message.replace(/\\(.)/g, '$1').includes(P.ip),
  );
  await expectExit(
    f,
    'promote (operator, no --force): refused, says what is known',
    S,
    ['promote', '-D', S.data, '--bindir', pair.bindir, '--primary-conninfo', conninfo],
    3,
    { match: /does not answer|cannot be reached|cannot tell whether/, maxMs: 15_000 },
  );
  const known = outputs.at(-1) ?? '';
  record(
    f,
    'the refusal names the walreceiver status and its silence',
    'known: walreceiver: streaming ..., last message N s ago',
    /known: walreceiver: streaming from [\d.]+:5432, last message \d+ s ago, sender probe: (no-answer|unreachable)/.test(
      known,
    )
      ? 'named'
      : known.slice(0, 120),
    0,
    /known: walreceiver: streaming from [\d.]+:5432, last message \d+ s ago, sender probe: (no-answer|unreachable)/.test(
      known,
    ),
  );
  await expectExit(
    f,
    'promote --force with a failing post-promote command: exit 1, the promotion stands',
    S,
    [
      'promote',
      '-D',
      S.data,
      '--bindir',
      pair.bindir,
      '--force',
      '--post-promote-command',
      'echo "VIP not added" >&2; exit 7',
      '--format',
      'clusterpro',
    ],
    1,
    {
      match: /PARTIAL exit=1: promoted \(the promotion stands: .*post-promote command failed \(exit 7: VIP not added\)/,
      sb,
    },
  );
  const role = await pair.psql(S, 'SELECT pg_is_in_recovery()');
  record(f, 'the ex-standby after that promote', 'a primary (f)', role, 0, role === 'f');
  const pa = readAlerts(sb.alertLog).at(-1);
  record(
    f,
    'clplogcmd alert of the partial promote',
    'ERR event 22 saying the promotion stands',
    pa ? `${pa.level}:${pa.event_id}` : 'none',
    0,
    pa?.level === 'ERR' && pa.event_id === 22 && /promotion stands/.test(pa.message.replace(/\\(.)/g, '$1')),
  );
  // The old primary comes back (frozen, not dead): two primaries until it is rebuilt.
  await pair.powerBack(P, frozen);
  await expectExit(
    'old primary back after a power loss (two primaries)',
    'rebuild of the live old primary, no --force: refused',
    P,
    [
      'rebuild',
      '-D',
      P.data,
      '--bindir',
      pair.bindir,
      '--from',
      `host=${S.ip} port=5432 user=postgres application_name=slave`,
    ],
    3,
    { match: /running primary \(timeline 1, WAL at [0-9A-F]+\/[0-9A-F]+\); the source [\d.]+:5432 is at timeline 2/ },
  );
  const stillPrimary = await pair.psql(P, 'SELECT pg_is_in_recovery()').catch(() => 'down');
  record(
    'old primary back after a power loss (two primaries)',
    'the old primary after the refusal',
    'untouched, still running (f)',
    stillPrimary,
    0,
    stillPrimary === 'f',
  );
  await expectExit(
    'old primary back after a power loss (two primaries)',
    'rebuild --force: the old primary becomes a standby of the new one',
    P,
    [
      'rebuild',
      '-D',
      P.data,
      '--bindir',
      pair.bindir,
      '--from',
      `host=${S.ip} port=5432 user=postgres application_name=slave`,
      '--force',
      '--timeout',
      '120',
    ],
    0,
    { match: /rebuilt by (pg_rewind|pg_basebackup)/, timeoutMs: 150_000 },
  );
}

async function powerLossOfStandby(): Promise<void> {
  const S = pair.standby;
  const P = pair.primary;
  const f = "power loss of the standby's node (default 60 s timeouts)";
  const frozen = await pair.powerLoss(S);
  const t0 = Date.now();
  await expectEventually(
    f,
    'check clusterpro (primary): critical, the standby stopped replying',
    P,
    pArgs('clusterpro', ['--no-alert']),
    1,
    40_000 + 10_000 + 10_000,
    undefined,
    /has not replied for/,
  );
  const state = await pair.psql(
    P,
    "SELECT coalesce((SELECT state FROM pg_stat_replication WHERE application_name = 'slave'), 'none')",
  );
  record(
    f,
    'pg_stat_replication on the primary meanwhile',
    'still streaming (the walsender has not noticed)',
    state,
    Date.now() - t0,
    state === 'streaming',
  );
  await expectExit(f, 'check nagios (primary)', P, pArgs('nagios'), 2, { match: /^PGSR CRITICAL - .*has not replied/ });
  await pair.powerBack(S, frozen);
  await expectEventually(
    `${f}, healed`,
    'check clusterpro (primary)',
    P,
    pArgs('clusterpro', ['--no-alert']),
    0,
    90_000,
  );
}

async function execStartPeer(): Promise<void> {
  const S = pair.standby;
  const P = pair.primary;
  const peer = `host=${S.ip} port=5432 user=postgres`;
  const execArgs = (extra: string[] = []) => [
    'exec',
    'start',
    '-D',
    P.data,
    '--bindir',
    pair.bindir,
    '-h',
    '127.0.0.1',
    '-p',
    '5432',
    '--format',
    'clusterpro',
    ...extra,
  ];
  const sb = sandbox();
  // CLUSTERPRO's PATH: no /usr/sbin (runuser lives there).
  const clpPath = `${CLPSIM_DIR}:/usr/bin:/bin`;
  await expectExit(
    'exec stop (GROUPSTOP)',
    'exec stop: clean stop, no lock left',
    P,
    ['exec', 'stop', '-D', P.data, '--bindir', pair.bindir, '--format', 'clusterpro'],
    0,
    { env: clpEnv('START', { CLP_FACTOR: 'GROUPSTOP' }), sb, path: clpPath, match: /stopped \(fast, clean shutdown\)/ },
  );
  const hb = await pair.psql(S, 'SELECT pg_promote()');
  record('exec start after a clean stop, the standby promoted meanwhile', 'standby promoted', 't', hb, 0, hb === 't');
  for (const event of ['START', 'FAILOVER']) {
    await expectExit(
      'exec start after a clean stop, the standby promoted meanwhile',
      `exec start (${event}, PATH without /usr/sbin): refused, peer named`,
      P,
      execArgs(['--peer-conninfo', peer]),
      3,
      {
        env: clpEnv(event),
        sb,
        path: clpPath,
        match: new RegExp(`peer ${S.ip.replace(/\./g, '\\.')}:5432 answers as a primary`),
      },
    );
  }
  const a = readAlerts(sb.alertLog).at(-1);
  record(
    'exec start after a clean stop, the standby promoted meanwhile',
    'clplogcmd alert',
    'ERR event 27 naming the peer',
    a ? `${a.level}:${a.event_id}` : 'none',
    0,
    a?.level === 'ERR' && a.event_id === 27 && a.message.replace(/\\(.)/g, '$1').includes(S.ip),
  );
  const down = await pair.psql(P, 'SELECT 1').then(
    () => 'running',
    () => 'down',
  );
  record(
    'exec start after a clean stop, the standby promoted meanwhile',
    'the old primary',
    'not started (down)',
    down,
    0,
    down === 'down',
  );
  // The peer cannot be asked (its link is down): start, with a WARN alert.
  await execa('ip', ['-n', S.ns, 'link', 'set', S.veth, 'down']);
  try {
    await expectExit(
      'exec start with the peer unreachable',
      'exec start (START): started as primary, WARN',
      P,
      execArgs(['--peer-conninfo', peer, '--timeout', '30']),
      0,
      {
        env: clpEnv('START'),
        sb,
        path: clpPath,
        match: /DONE exit=0: started as primary .*WARNING: peer .* could not be asked/,
        maxMs: 20_000,
      },
    );
    const w = readAlerts(sb.alertLog).at(-1);
    record(
      'exec start with the peer unreachable',
      'clplogcmd alert',
      'WARN event 27 naming the peer',
      w ? `${w.level}:${w.event_id}` : 'none',
      0,
      w?.level === 'WARN' && w.event_id === 27 && w.message.replace(/\\(.)/g, '$1').includes(S.ip),
    );
  } finally {
    await execa('ip', ['-n', S.ns, 'link', 'set', S.veth, 'up']);
  }
}

/** Watches every process's argv for the password while the suite runs. */
function argvSampler(secret: string): { stop: () => { samples: number; hits: string[] } } {
  let samples = 0;
  const hits: string[] = [];
  const timer = setInterval(() => {
    samples++;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        if (cmd.includes(secret)) hits.push(`${pid}: ${cmd.replace(/\0/g, ' ').slice(0, 80)}`);
      } catch {
        // gone
      }
    }
  }, 25);
  return { stop: () => (clearInterval(timer), { samples, hits }) };
}

async function main(): Promise<void> {
  if (!existsSync(BUNDLE)) throw new Error('build first (npm run build)');
  pair = new NetnsPair();
  const t0 = Date.now();
  let sampler: ReturnType<typeof argvSampler> | undefined;
  try {
    await pair.up();
    sampler = argvSampler(pair.passwordRole.password);
    await expectExit(
      'none (baseline)',
      'check clusterpro (standby)',
      pair.standby,
      sArgs('clusterpro', ['--no-alert']),
      0,
    );
    await expectExit(
      'none (baseline)',
      'check clusterpro (primary)',
      pair.primary,
      pArgs('clusterpro', ['--no-alert']),
      0,
    );
    await networkFault('link down');
    await networkFault('blackhole');
    await stoppedPostmaster();
    await stoppedServer();
    await killedPostmaster();
    await walreceiverKilled();
    await connectionsExhausted();
    await credentials();
    await archiveFailing();
    await archiveDiskFull();
    await notAccepting();
    await slotLost();
    await badInput();
    await hostSide();
    await splitBrain();
    // PostgreSQL's default timeouts from here on, a fresh pair per scenario.
    // The network faults and the partition again, as users run them; then the power losses.
    // The process faults above run with the 3 s timers only: a stopped or killed server is seen
    // through a refused connection or the FIN of its exiting processes, never through a
    // replication timeout, so the timers do not change what they detect or when.
    const networkWithDefaults = async () => {
      await networkFault('link down');
      await networkFault('blackhole');
      await splitBrain();
    };
    for (const scenario of [networkWithDefaults, powerLossOfPrimary, powerLossOfStandby, execStartPeer]) {
      await pair.down();
      pair = new NetnsPair({ defaultTimeouts: true });
      await pair.up();
      await scenario();
    }
  } catch (err) {
    record('suite', 'harness', 'no error', (err as Error).message.split('\n')[0], 0, false);
  } finally {
    const s = sampler?.stop();
    if (s)
      record(
        'whole suite',
        'argv of every process (/proc/*/cmdline)',
        'password never present',
        `${s.hits.length} hits in ${s.samples} samples`,
        0,
        s.hits.length === 0 && s.samples > 10,
      );
    const leaked = outputs.filter((o) => o.includes(pair.passwordRole.password)).length;
    const alertFiles = readdirSync('/tmp')
      .filter((d) => d.startsWith('pgsr-faultsb'))
      .map((d) => join('/tmp', d, 'alerts.jsonl'))
      .filter(existsSync);
    const inAlerts = alertFiles.filter((f) => readFileSync(f, 'utf8').includes(pair.passwordRole.password)).length;
    record(
      'whole suite',
      'stdout/stderr of every run, alert logs',
      'password never present',
      `${leaked} outputs, ${inAlerts} alert logs`,
      0,
      leaked === 0 && inAlerts === 0,
    );
    await pair.down().catch(() => undefined);
  }
  const passed = rows.filter((r) => r.pass).length;
  const failed = rows.length - passed;
  const table = [
    '| fault | entry point | expected | observed | time (ms) | result |',
    '|---|---|---|---|---|---|',
    ...rows.map(
      (r) => `| ${r.fault} | ${r.entry} | ${r.expected} | ${r.observed} | ${r.ms} | ${r.pass ? 'pass' : '**FAIL**'} |`,
    ),
  ].join('\n');
  console.log(table);
  console.log(`\nfaults: ${passed} passed, ${failed} failed`);
  if (!process.argv.includes('--no-write')) {
    // The fault campaigns' section (scripts/chaos-table.ts) and what follows it are kept.
    const doc = join(REPO, 'docs', 'reliability.md');
    const old = existsSync(doc) ? readFileSync(doc, 'utf8') : '';
    const campaigns = old.includes('<!-- chaos:start -->') ? `\n${old.slice(old.indexOf('<!-- chaos:start -->'))}` : '';
    writeFileSync(
      doc,
      `# Reliability record\n\nThe latest run of \`npm run faults\` (scripts/faults.ts) on ${new Date().toISOString().slice(0, 10)}, ${((Date.now() - t0) / 1000).toFixed(0)} s: a primary and a standby in two network namespaces joined by a veth pair (wal_sender/receiver_timeout 3 s; the power-loss and exec-start scenarios at the end on fresh pairs with PostgreSQL's default 60 s), every entry point run inside the namespaces as a cluster manager runs it. A power loss is every process of the node's namespace frozen (SIGSTOP) and its link down: no FIN or RST reaches the other side.\n\n${table}\n\n${passed} passed, ${failed} failed\n${campaigns}`,
    );
  }
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((err) => {
  console.error(`faults failed: ${(err as Error).message}`);
  process.exit(1);
});
