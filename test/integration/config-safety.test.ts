/**
 * A configuration file that names a command pgsr runs as root (post-promote-command, on-failure,
 * remote-prefix, remote-pgsr, clplogcmd) is refused, as root, when another user could have
 * written it: group- or world-writable, or owned by someone else. The bundle as a process, as
 * root (the tests' user): exit 5, one line naming the file, its mode, owner and the key; nothing run.
 */
import { execa } from 'execa';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BASE_PATH, BUNDLE } from '../helpers/run';

const dir = mkdtempSync('/tmp/pgsr-test-confsafe-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const marker = join(dir, 'ran');
const conf = join(dir, 'promote.conf');
writeFileSync(conf, `pgdata = ${join(dir, 'nodata')}\npost-promote-command = touch ${marker}\n`);
const promote = () =>
  execa(process.execPath, [BUNDLE, 'promote', '--config', conf, '--format', 'text'], {
    env: { PATH: BASE_PATH },
    extendEnv: false,
    reject: false,
    timeout: 30_000,
  });

describe.skipIf(process.getuid?.() !== 0)('a config file holding a command, run as root', () => {
  it('world-writable: refused before anything runs, naming the file, its mode and the key', async () => {
    chmodSync(conf, 0o666);
    const r = await promote();
    expect(r.exitCode).toBe(5);
    expect(r.stderr.trim()).toBe(
      `pgsr: configuration error: config file ${conf} (mode 0666, owner uid 0) sets post-promote-command, a command pgsr runs as root: it must be owned by root and writable by root alone (chown root ${conf}; chmod go-w ${conf})`,
    );
    expect(existsSync(marker)).toBe(false);
  });
  it('owned by another user: refused the same way', async () => {
    chmodSync(conf, 0o644);
    chownSync(conf, 65534, 65534);
    const r = await promote();
    expect(r.exitCode).toBe(5);
    expect(r.stderr).toMatch(/mode 0644, owner uid 65534\) sets post-promote-command/);
    chownSync(conf, 0, 0);
  });
  it('root-owned, 0644: accepted (the promotion then fails for its own reason: no data directory)', async () => {
    chmodSync(conf, 0o644);
    const r = await promote();
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/a command pgsr runs as root/);
    expect(r.exitCode).not.toBe(0);
    expect(existsSync(marker)).toBe(false);
  });
});
