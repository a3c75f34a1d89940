/** The bundle stands alone: one file, no node_modules beside it, from any directory. */
import { execa } from 'execa';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE24 } from '../../scripts/lib/installed';
import { BUNDLE } from '../helpers/run';

describe('dist/pgsr.cjs', () => {
  it.each([
    ["the machine's Node", process.execPath],
    ['Node 24', NODE24],
  ])(
    'runs alone from an empty directory on %s: --version, --help, check --help, a refused connection',
    async (_name, node) => {
      const dir = mkdtempSync('/tmp/pgsr-alone-');
      const file = join(dir, 'pgsr.cjs');
      copyFileSync(BUNDLE, file);
      expect(readdirSync(dir)).toEqual(['pgsr.cjs']);
      const run = (args: string[]) =>
        execa(node, [file, ...args], {
          cwd: dir,
          reject: false,
          env: { PATH: '/usr/bin:/bin' },
          extendEnv: false,
          timeout: 20_000,
        });
      const v = await run(['--version']);
      expect(v.exitCode).toBe(0);
      expect(v.stdout).toMatch(/^\d+\.\d+\.\d+$/);
      const h = await run(['--help']);
      expect(h.exitCode).toBe(0);
      expect(h.stdout).toContain('check');
      const ch = await run(['check', '--help']);
      expect(ch.exitCode).toBe(0);
      expect(ch.stdout).toContain('--primary-host');
      expect(ch.stdout).toContain('--lag-bytes-warning');
      // A real connection attempt exercises the lazily loaded driver inside the bundle.
      const c = await run(['check', '-h', '127.0.0.1', '-p', '1', '--format', 'json']);
      expect(c.exitCode).toBe(2);
      expect(JSON.parse(c.stdout)).toMatchObject({ severity: 'critical', findings: [{ code: 'cannot_connect' }] });
      rmSync(dir, { recursive: true, force: true });
    },
  );
});
