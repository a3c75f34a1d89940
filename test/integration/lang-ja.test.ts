/**
 * Japanese messages (issue #16), driven as the hosts drive pgsr, with LANG=ja_JP.UTF-8: the
 * genw check and its clplogcmd alerts (strict fake), the installed Nagios plugin, the lifecycle
 * commands and the CLUSTERPRO EXEC adapter, the OCF agent's exit reason. Each asserts the Japanese
 * text and that what machines read did not move: exit codes, event IDs, levels, severity
 * keywords, perfdata labels and units, JSON keys and finding codes. Then every Japanese alert
 * text the catalogue can produce goes through the strict clplogcmd: accepted, no unescaped
 * special character, within the byte limit, cut on a character boundary.
 */
import { execa } from 'execa';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeForClplogcmd, messageLimit } from '../../src/dialect/clusterpro';
import { CATALOG } from '../../src/i18n/catalog';
import { fill, placeholdersOf, type MessageId } from '../../src/i18n';
import { INSTALLED } from '../../scripts/lib/installed';
import { labDown, labUp, type LabPair } from '../../scripts/lib/lab';
import { alerts, CLPSIM_DIR, runPgsr, sandbox } from '../helpers/run';

const JA = { LANG: 'ja_JP.UTF-8' };
let pair: LabPair;

beforeAll(async () => {
  pair = await labUp();
});
afterAll(async () => {
  if (pair) await labDown(pair);
});

const standbyArgs = (primaryHost = '127.0.0.1') => [
  'check',
  '--format',
  'clusterpro',
  '-h',
  '127.0.0.1',
  '-p',
  String(pair.standby.port),
  '--role',
  'standby',
  '--primary-host',
  primaryHost,
  '--primary-port',
  String(pair.primary.port),
];

describe('CLUSTERPRO genw check in Japanese', () => {
  it('healthy standby: exit 0, the Japanese summary, figures and keys unchanged', async () => {
    const r = await runPgsr(standbyArgs(), { sb: sandbox(), env: JA });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(
      / pgsr OK exit=0 スタンバイ 127\.0\.0\.1:\d+: 127\.0\.0\.1:\d+ からタイムライン 1 でストリーミング中 \| /,
    );
    expect(r.stdout).toMatch(
      /replay_lag_bytes=\d+B replay_lag_seconds=[\d.]+s .*timeline=1 received_tli=1 sender=127\.0\.0\.1:\d+ status=streaming/,
    );
  });

  it('wrong sender, then recovery: ERR event 5 and INFO event 1 in Japanese, accepted by the strict clplogcmd', async () => {
    const s = sandbox();
    const bad = await runPgsr(standbyArgs('192.168.1.10'), { sb: s, env: JA });
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toContain(
      `pgsr CRITICAL exit=1 スタンバイ 127.0.0.1:${pair.standby.port}: 127.0.0.1:${pair.primary.port} からストリーミングしています（期待値 192.168.1.10:${pair.primary.port}）`,
    );
    expect(bad.stdout).toContain('アラート送信：id=5 level=ERR');
    const ok = await runPgsr(standbyArgs(), { sb: s, env: JA });
    expect(ok.exitCode).toBe(0);
    const a = alerts(s);
    expect(a.map((x) => [x.event_id, x.level])).toEqual([
      [5, 'ERR'],
      [1, 'INFO'],
    ]);
    expect(a[0].message).toMatch(
      /^pgsr スタンバイ 127\\\.0\\\.0\\\.1\\:\d+ CRITICAL：127\\\.0\\\.0\\\.1\\:\d+ からストリーミングしています（期待値 /,
    );
    expect(a[1].message).toMatch(/^pgsr スタンバイ 127\\\.0\\\.0\\\.1\\:\d+ 復旧：/);
    for (const x of a) expect(x.warnings).toEqual([]);
  });

  it('json: keys, codes and severities as in English; the message Japanese', async () => {
    const r = await runPgsr([
      'check',
      '--format',
      'json',
      '--lang',
      'ja',
      '-h',
      '127.0.0.1',
      '-p',
      String(pair.primary.port),
      '--role',
      'primary',
      '--application-name',
      'nosuch',
    ]);
    expect(r.exitCode).toBe(1);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ schema: 'pgsr.check/1', role: 'primary', severity: 'critical', exit_code: 1 });
    expect(j.findings[0]).toMatchObject({
      code: 'standby_missing',
      class: 'replication',
      severity: 'critical',
      subject: 'nosuch',
      message: 'スタンバイ「nosuch」が接続していません（pg_stat_replication に行がありません）',
    });
  });

  it('the language: --lang beats LANG, the config file beats LANG, a bad value is a usage/config error', async () => {
    const en = await runPgsr(
      ['check', '--lang', 'en', '--format', 'text', '-h', '127.0.0.1', '-p', String(pair.standby.port)],
      { env: JA },
    );
    expect(en.stdout).toContain('streaming from 127.0.0.1');
    const dir = mkdtempSync('/tmp/pgsr-lang-');
    writeFileSync(join(dir, 'pgsr.conf'), 'lang = ja\nrole = standby\n');
    const file = await runPgsr(
      [
        'check',
        '--config',
        join(dir, 'pgsr.conf'),
        '--format',
        'text',
        '-h',
        '127.0.0.1',
        '-p',
        String(pair.standby.port),
      ],
      { env: { LANG: 'C' } },
    );
    expect(file.stdout).toMatch(/^OK: スタンバイ /);
    expect(file.stdout).toContain('終了コード 0、');
    const usage = await runPgsr(['check', '--bogus'], { env: JA });
    expect(usage.exitCode).toBe(5);
    expect(usage.stderr.trim()).toBe("pgsr: 使用法の誤り：不明なオプション '--bogus'");
    const badLang = await runPgsr(['check', '--lang', 'jp'], { env: JA });
    expect(badLang.exitCode).toBe(5);
    expect(badLang.stderr.trim()).toBe("pgsr: 使用法の誤り：--lang: 'jp' は en、ja のいずれでもありません");
    const cfg = await runPgsr(['check', '--port', 'x'], { env: JA });
    expect(cfg.exitCode).toBe(5);
    expect(cfg.stderr.trim()).toBe("pgsr: 設定エラー：コマンドライン: port: 'x' はポート番号（1-65535）ではありません");
  });
});

describe('Nagios plugin (installed check_pgsr) in Japanese', () => {
  const checkPgsr = (args: string[]) =>
    execa(INSTALLED.checkPgsr, args, {
      reject: false,
      cwd: '/',
      env: { PATH: '/usr/bin:/bin', ...JA },
      extendEnv: false,
      timeout: 30_000,
    });
  it('status line: keyword and perfdata unchanged, the text Japanese; usage errors UNKNOWN', async () => {
    const r = await checkPgsr([
      '-H',
      '127.0.0.1',
      '-p',
      String(pair.primary.port),
      '--role',
      'primary',
      '--application-name',
      'nosuch',
    ]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/^PGSR CRITICAL - プライマリ 127\.0\.0\.1:\d+: スタンバイ「nosuch」が接続していません/);
    // Perfdata covers every connected standby, the named one missing or not, then pg_wal's figures.
    expect(r.stdout.trim()).toMatch(/ \| standbys=1;;1:;0 slave_replay_lag_bytes=\d+B;.* wal_free_percent=[\d.]+;;;0$/);
    const u = await checkPgsr(['--bogus']);
    expect(u.exitCode).toBe(3);
    expect(u.stdout.trim()).toBe("PGSR UNKNOWN - 使用法の誤り：不明なオプション '--bogus'");
  });
});

describe('lifecycle and EXEC in Japanese', () => {
  const lifecycle = (args: string[], sb?: ReturnType<typeof sandbox>) =>
    runPgsr(args, { env: JA, sb, timeoutMs: 60_000 });
  it('promote refused while the primary streams: exit 3, the reason in Japanese; start again: already', async () => {
    const r = await lifecycle(['promote', '-D', pair.standby.data, '--bindir', pair.bindir, '--format', 'json']);
    expect(r.exitCode).toBe(3);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ schema: 'pgsr.action/1', action: 'promote', outcome: 'refused', exit_code: 3 });
    expect(j.summary).toMatch(
      /^WALレシーバはまだストリーミング中です（送信元 127\.0\.0\.1:\d+）：そのプライマリは生きています（スプリットブレイン）/,
    );
    const again = await lifecycle([
      'start',
      '--as',
      'standby',
      '-D',
      pair.standby.data,
      '--bindir',
      pair.bindir,
      '--format',
      'text',
    ]);
    expect(again.exitCode).toBe(0);
    expect(again.stdout.trim()).toBe('pgsr start: 実施済み: すでにスタンバイとして稼働中です');
  });

  it('stop and start the standby for real: the outcomes in Japanese, the pair streams again', async () => {
    const stop = await lifecycle(['stop', '-D', pair.standby.data, '--bindir', pair.bindir, '--format', 'text']);
    expect(stop.exitCode).toBe(0);
    expect(stop.stdout.trim()).toBe('pgsr stop: 完了: 停止しました（fast、正常停止）');
    const start = await lifecycle([
      'start',
      '--as',
      'standby',
      '-D',
      pair.standby.data,
      '--bindir',
      pair.bindir,
      '--format',
      'text',
    ]);
    expect(start.exitCode).toBe(0);
    expect(start.stdout.trim()).toMatch(/^pgsr start: 完了: スタンバイとして起動しました（PostgreSQL \d+）$/);
  });

  it('exec start outside CLUSTERPRO: refused, an ERR alert (event 27) in Japanese accepted by clplogcmd', async () => {
    const s = sandbox();
    const r = await lifecycle(
      ['exec', 'start', '--as', 'standby', '-D', pair.standby.data, '--bindir', pair.bindir, '--format', 'clusterpro'],
      s,
    );
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toContain('pgsr exec start REFUSED exit=3: CLP_EVENT が設定されていません');
    const a = alerts(s);
    expect(a).toHaveLength(1);
    expect(a[0]).toMatchObject({ event_id: 27, level: 'ERR', warnings: [] });
    expect(a[0].message).toMatch(/^pgsr exec start REFUSED（拒否）：CLP_EVENT が設定されていません/);
  });

  it('OCF: OCF_RESKEY_lang=ja gives the exit reason in Japanese, the OCF code unchanged', async () => {
    const r = await execa(INSTALLED.ocfAgent, ['validate-all'], {
      reject: false,
      env: {
        PATH: '/usr/bin:/bin',
        OCF_ROOT: '/usr/lib/ocf',
        OCF_RESKEY_lang: 'ja',
        OCF_RESKEY_pgdata: '/nonexistent/data',
        OCF_RESKEY_bindir: pair.bindir,
      },
      extendEnv: false,
      timeout: 30_000,
    });
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toContain(
      'ocf-exit-reason:/nonexistent/data はこのノードの PostgreSQL データディレクトリではありません',
    );
  });
});

describe('every Japanese alert text through the strict clplogcmd', () => {
  /** Sample values a real alert carries: addresses, names, quantities, with clplogcmd's specials. */
  const sample = (name: string): string =>
    /^(where|target|sender|expected|addr)$/.test(name)
      ? '192.168.10.21:5432'
      : /quantity/.test(name)
        ? '16.0 MiB'
        : /^(count|pid|id|ms|timeline|received|min|limit|code)$/.test(name)
          ? '3'
          : `${name}(a.b)`;
  const ids = (Object.keys(CATALOG) as MessageId[]).filter((id) =>
    /^(finding|pgpool|alert|healthy|probe|start|promote|switchover|stop|rebuild|archive|unlock|exec)\./.test(id),
  );
  const ja = (id: MessageId) =>
    fill(CATALOG[id].ja, Object.fromEntries(placeholdersOf(CATALOG[id].ja).map((p) => [p, sample(p)])));

  it('accepts each one as sent (syslog limit, 485 bytes), and a summary of many findings cut on a character boundary', async () => {
    const dir = mkdtempSync('/tmp/pgsr-ja-alerts-');
    const log = join(dir, 'alerts.jsonl');
    const head = 'pgsr スタンバイ 192.168.10.21:5432 CRITICAL：';
    const texts: Array<[string, boolean]> = ids.map((id) => [head + ja(id), true]);
    // Several findings joined, as a summary is: far over both limits.
    const many =
      head +
      ids
        .filter((id) => id.startsWith('finding.'))
        .map(ja)
        .join('。');
    texts.push([many, true], [many, false]);
    const argvs = texts.map(([text, syslog]) => {
      const m = escapeForClplogcmd(text, messageLimit(syslog));
      expect(Buffer.byteLength(m)).toBeLessThanOrEqual(messageLimit(syslog));
      expect(Buffer.from(m, 'utf8').toString('utf8')).toBe(m);
      return ['-m', m, '--alert', ...(syslog ? ['--syslog'] : []), '-i', '4', '-l', 'ERR'];
    });
    // One shell runs every call (a process each, as pgsr sends them), bounded as a whole.
    const script = argvs
      .map((a) => `"$CLP" ${a.map((x) => `'${x.replace(/'/g, `'\\''`)}'`).join(' ')} || echo "rejected: $?"`)
      .join('\n');
    const r = await execa('sh', ['-c', script], {
      reject: false,
      env: { CLP: join(CLPSIM_DIR, 'clplogcmd'), CLPSIM_ALERT_LOG: log, PATH: '/usr/bin:/bin' },
      extendEnv: false,
      timeout: 90_000,
    });
    expect(r.stdout).not.toContain('rejected');
    expect(r.exitCode).toBe(0);
    const recs = alerts({ dir, alertLog: log, stateDir: dir });
    expect(recs).toHaveLength(argvs.length);
    expect(recs.filter((x) => x.warnings.length > 0).map((x) => x.message)).toEqual([]);
    // The long summary was cut, says so, and still begins with what and where.
    for (const x of recs.slice(-2)) {
      expect(x.message.endsWith('\\.\\.\\.')).toBe(true);
      expect(
        x.message.startsWith(
          escapeForClplogcmd(head + ja(ids.find((id) => id.startsWith('finding.')) as MessageId), 10_000).slice(0, 80),
        ),
      ).toBe(true);
    }
    expect(recs.at(-2)?.bytes).toBeGreaterThan(470);
    expect(recs.at(-1)?.bytes).toBeGreaterThan(495);
  }, 120_000);
});
