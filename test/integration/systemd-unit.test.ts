/**
 * The installed systemd pieces as an operator uses them: the unit template verifies and is
 * hardened (systemd-analyze), the tmpfiles.d entry makes /run/pgsr, and the unit's own ExecStart
 * (the instance genw_watchstandby) runs the watch from the installed config with nothing edited
 * but the addresses, after a boot (an empty /run): it makes /run/pgsr and writes the status
 * file, and the installed genw-status.sh reads that verdict instead of running a full check.
 * The machine has no systemd as PID 1, so the unit's command runs in a mount namespace of its
 * own where /run is a fresh tmpfs and the edited config is bound over the installed one.
 */
import { execa } from 'execa';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTALLED } from '../../scripts/lib/installed';
import { labDown, labUp, type LabPair } from '../../scripts/lib/lab';

let pair: LabPair;
let dir: string;
beforeAll(async () => {
  pair = await labUp();
  dir = mkdtempSync('/tmp/pgsr-test-systemd-');
}, 120_000);
afterAll(async () => {
  if (pair) await labDown(pair);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The unit's ExecStart for an instance (%i), as systemd would run it. */
const execStart = (instance: string) => {
  const line = readFileSync(INSTALLED.watchUnit, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('ExecStart='));
  return String(line).slice('ExecStart='.length).replaceAll('%i', instance);
};

describe('systemd unit pgsr-watch@ and /run/pgsr', () => {
  it("the unit verifies, its exposure is in systemd-analyze's OK band, the tmpfiles entry makes /run/pgsr 0750", async () => {
    const unit = join(dir, 'pgsr-watch@genw_watchstandby.service');
    copyFileSync(INSTALLED.watchUnit, unit);
    const v = await execa('systemd-analyze', ['verify', unit], { reject: false, timeout: 60_000, all: true });
    expect(v.exitCode, v.all).toBe(0);
    expect(v.all ?? '').not.toContain('pgsr-watch');
    const s = await execa('systemd-analyze', ['security', '--offline=yes', unit], { reject: false, timeout: 60_000 });
    const exposure = Number(/Overall exposure level for \S+: ([\d.]+)/.exec(s.stdout)?.[1]);
    expect(exposure, s.stdout.slice(-400)).toBeLessThan(5);
    const root = join(dir, 'root');
    const tf = await execa('systemd-tmpfiles', [`--root=${root}`, '--create', INSTALLED.tmpfiles], {
      reject: false,
      timeout: 30_000,
    });
    expect(tf.exitCode, tf.stderr).toBe(0);
    expect(statSync(join(root, 'run/pgsr')).mode & 0o7777).toBe(0o750);
  });

  it("after a boot, the unit's command writes /run/pgsr/watchstandby.json and genw-status.sh reads it", async () => {
    const shipped = readFileSync(join(INSTALLED.etc, 'genw_watchstandby.conf'), 'utf8');
    const edited = shipped
      .replace(/^host = .*$/m, 'host = 127.0.0.1')
      .replace(/^port = .*$/m, `port = ${pair.standby.port}`)
      .replace(/^primary-host = .*$/m, 'primary-host = 127.0.0.1')
      .replace(/^primary-port = .*$/m, `primary-port = ${pair.primary.port}`);
    expect(edited).not.toBe(shipped);
    const conf = join(dir, 'genw_watchstandby.conf');
    writeFileSync(conf, edited, { mode: 0o644 });
    const script = [
      'set -u',
      `mount --bind "${conf}" /etc/pgsr/genw_watchstandby.conf`,
      'mount -t tmpfs -o mode=0755 tmpfs /run',
      `${execStart('genw_watchstandby')} > "${dir}/watch.log" 2>&1 &`,
      'pid=$!',
      'i=0; while [ $i -lt 100 ] && [ ! -s /run/pgsr/watchstandby.json ]; do sleep 0.2; i=$((i+1)); done',
      'echo "mode=$(stat -c %a /run/pgsr)"',
      '/usr/share/pgsr/clusterpro/genw-status.sh; echo "genw=$?"',
      'kill -TERM $pid; wait $pid; echo "watch=$?"',
    ].join('\n');
    const r = await execa('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script], {
      reject: false,
      timeout: 60_000,
      all: true,
    });
    const log = readFileSync(join(dir, 'watch.log'), 'utf8');
    expect(r.stdout, `${r.all}\n${log}`).toContain('mode=750');
    expect(r.stdout).toMatch(/pgsr status-file exit=0 age=\d+s: /);
    expect(r.stdout).toContain('genw=0');
    expect(r.stdout).toContain('watch=0');
    expect(log).toMatch(/streaming/);
  }, 90_000);
});
