/**
 * What users install: the single executable, the .deb and the .rpm built by `npm run package`
 * (npm test builds them first; global setup has installed the .deb on this machine).
 * - the installed /usr/bin/pgsr answers as the bundle does, with no Node and nothing on PATH,
 *   and as check_pgsr through its symlink;
 * - both packages: metadata, file list, modes, conffiles, no lintian or rpmlint error;
 * - dpkg and rpm life cycles in scratch roots (the machine's install stays in use by the other
 *   test files): install, upgrade keeping an edited conffile, remove keeping /etc/pgsr and
 *   /var/lib/pgsr, purge (dpkg) removing them.
 */
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST, INSTALLED, NODE24 } from '../../scripts/lib/installed';
import { labDown, labUp, type LabPair } from '../../scripts/lib/lab';
import { BUNDLE, REPO } from '../helpers/run';

const NEXT = `${DIST.version}.1`;
let pair: LabPair;
let work: string;
/** The next version's packages, built here for the upgrade (same sources, higher version). */
let next: { deb: string; rpm: string };

const run = (file: string, args: string[], env: Record<string, string> = { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' }) =>
  execa(file, args, { reject: false, env, extendEnv: false, timeout: 60_000, cwd: '/' });

beforeAll(async () => {
  work = mkdtempSync('/tmp/pgsr-pkgtest-');
  const [p] = await Promise.all([
    labUp(),
    execa(process.execPath, [join(REPO, 'scripts/package.mjs'), '--version', NEXT, '--out', join(work, 'next')], {
      timeout: 600_000,
      cwd: REPO,
    }),
  ]);
  pair = p;
  next = { deb: join(work, 'next', `pgsr_${NEXT}_amd64.deb`), rpm: join(work, 'next', `pgsr-${NEXT}-1.x86_64.rpm`) };
}, 600_000);
afterAll(async () => {
  if (pair) await labDown(pair);
  if (work) rmSync(work, { recursive: true, force: true });
});

/** What a check's JSON says, without the values that move from run to run (times, LSNs, lag). */
function stable(stdout: string): unknown {
  const j = JSON.parse(stdout) as {
    role: string;
    severity: string;
    exit_code: number;
    summary: string;
    findings: Array<{ code: string }>;
    metrics: Array<{ name: string }>;
    facts: Record<string, unknown>;
  };
  return {
    role: j.role,
    severity: j.severity,
    exit_code: j.exit_code,
    summary: j.summary.replace(/\d+/g, 'N'),
    codes: j.findings.map((f) => f.code),
    metrics: j.metrics.map((m) => m.name),
    facts: Object.keys(j.facts).sort(),
  };
}

describe('the installed single executable', () => {
  it('is the SEA on Node 24, and runs with no Node and nothing on PATH, as the bundle does (on Node 20 and 24)', async () => {
    const bare = { PATH: '/nonexistent' };
    const v = await run(INSTALLED.pgsr, ['--version'], bare);
    expect(v.stdout).toBe(DIST.version);
    // A SEA runs its own main script whatever the arguments: node's -p is pgsr's usage error.
    const node = await run(INSTALLED.pgsr, ['-p', 'process.version'], bare);
    expect(node).toMatchObject({ exitCode: 5, stdout: '' });
    const grep = (pattern: string) =>
      run('grep', ['-a', '-o', '-m1', pattern, INSTALLED.pgsr]).then((r) => r.stdout.split('\n')[0]);
    expect(await grep('NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:.')).toMatch(/:1$/); // the blob is injected
    expect(await grep('v24\\.[0-9]*\\.[0-9]*')).toMatch(/^v24\.\d+\.\d+$/); // the runtime is Node 24
    // The code cache trained at package time (scripts/sea/launcher.cjs) is one V8 takes.
    expect((await run(INSTALLED.pgsr, ['--version'], { ...bare, PGSR_SEA_CACHE_CHECK: '1' })).stderr.trim()).toBe(
      'pgsr: code cache accepted',
    );
    const args = [
      'check',
      '-h',
      '127.0.0.1',
      '-p',
      String(pair.standby.port),
      '--role',
      'standby',
      '--primary-host',
      '127.0.0.1',
      '--primary-port',
      String(pair.primary.port),
      '--format',
      'json',
      '--no-alert',
      // The runs are compared key by key: no sender probe, which a busy machine may trigger in one run only.
      '--sender-probe-after',
      'off',
      '--state-dir',
      join(work, 'state'),
    ];
    const sea = await run(INSTALLED.pgsr, args, bare);
    const bundle = await run(process.execPath, [BUNDLE, ...args]);
    // The plain bundle on the embedded runtime (sites with their own Node 24) says the same.
    const bundle24 = await run(NODE24, [BUNDLE, ...args]);
    expect(sea.exitCode, sea.stderr).toBe(0);
    expect(stable(sea.stdout)).toEqual(stable(bundle.stdout));
    expect(stable(bundle24.stdout)).toEqual(stable(bundle.stdout));
    expect(stable(sea.stdout)).toMatchObject({ severity: 'ok' });
    // The same help, and the same one-line error for a refused connection (the driver loads).
    expect((await run(INSTALLED.pgsr, ['check', '--help'], bare)).stdout).toBe(
      (await run(process.execPath, [BUNDLE, 'check', '--help'])).stdout,
    );
    const refused = await run(INSTALLED.pgsr, ['check', '-h', '127.0.0.1', '-p', '1', '--format', 'json'], bare);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toBe('');
    expect(JSON.parse(refused.stdout)).toMatchObject({ findings: [{ code: 'cannot_connect' }] });
  });

  it('answers as a Nagios plugin through /usr/lib/nagios/plugins/check_pgsr', async () => {
    const r = await run(
      INSTALLED.checkPgsr,
      [
        '-H',
        '127.0.0.1',
        '-p',
        String(pair.standby.port),
        '--role',
        'standby',
        '--primary-host',
        '127.0.0.1',
        '-w',
        '16MB',
        '-c',
        '1GB',
      ],
      { PATH: '/nonexistent' },
    );
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/^PGSR OK - .*\|.*lag_bytes=\d+B/);
    const v = await run(INSTALLED.checkPgsr, ['--version']);
    expect(v).toMatchObject({ exitCode: 3, stdout: `check_pgsr (pgsr) ${DIST.version}` });
  });

  it('pgsr(1) documents every subcommand and option the installed --help lists', async () => {
    const man = (
      await run('man', ['-P', 'cat', '-l', '/usr/share/man/man1/pgsr.1.gz'], { PATH: '/usr/bin:/bin', MANWIDTH: '200' })
    ).stdout.replace(/‐/g, '-');
    const top = (await run(INSTALLED.pgsr, ['--help'])).stdout;
    const commands = [...top.matchAll(/^ {2}(\w[\w-]*)/gm)].map((m) => m[1]).filter((c) => c !== 'help');
    expect(commands.length).toBeGreaterThan(8);
    for (const c of commands) {
      expect(man).toContain(`pgsr ${c}`);
      const help = (await run(INSTALLED.pgsr, [c, '--help'])).stdout;
      const subs = [...help.matchAll(/^Commands:\n([\s\S]*?)(?:\n\n|$)/gm)]
        .flatMap((m) => [...m[1].matchAll(/^ {2}(\w[\w-]*)/gm)].map((x) => x[1]))
        .filter((x) => x !== 'help');
      const helps = subs.length
        ? await Promise.all(subs.map(async (s) => (await run(INSTALLED.pgsr, [c, s, '--help'])).stdout))
        : [help];
      for (const h of helps)
        for (const [, flag] of h.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm))
          if (flag !== '--help') expect(man, `${c} ${flag}`).toContain(flag);
    }
    const ocf = (
      await run('man', ['-P', 'cat', '-l', '/usr/share/man/man7/ocf_pgsr_pgsql-sr.7.gz'], {
        PATH: '/usr/bin:/bin',
        MANWIDTH: '200',
      })
    ).stdout;
    const meta = (await run(INSTALLED.ocfAgent, ['meta-data'])).stdout;
    for (const [, name] of meta.matchAll(/<parameter name="([^"]+)"/g)) expect(ocf).toContain(name);
  });
});

describe('the packages', () => {
  it('.deb: metadata, layout, modes, conffiles, md5sums; no lintian error', async () => {
    const info = (await run('dpkg-deb', ['-I', DIST.deb])).stdout;
    for (const field of [
      'Package: pgsr',
      `Version: ${DIST.version}`,
      'Architecture: amd64',
      'Maintainer: ',
      'Depends: libc6',
      'Description: ',
    ])
      expect(info).toContain(field);
    const list = (await run('dpkg-deb', ['-c', DIST.deb])).stdout;
    expect(list).toMatch(/^-rwxr-xr-x root\/root .* \.\/usr\/bin\/pgsr$/m);
    expect(list).toMatch(
      /^lrwxrwxrwx root\/root .* \.\/usr\/lib\/nagios\/plugins\/check_pgsr -> \.\.\/\.\.\/\.\.\/bin\/pgsr$/m,
    );
    expect(list).toMatch(/^-rwxr-xr-x root\/root .* \.\/usr\/lib\/ocf\/resource\.d\/pgsr\/pgsql-sr$/m);
    expect(list).toMatch(/^drwxr-x--- root\/root .* \.\/var\/lib\/pgsr\/$/m);
    for (const f of [
      'usr/share/pgsr/clusterpro/genw.sh',
      'usr/share/pgsr/clusterpro/exec/start.sh',
      'usr/share/man/man1/pgsr.1.gz',
      'usr/share/man/man7/ocf_pgsr_pgsql-sr.7.gz',
      'usr/share/doc/pgsr/copyright',
      'usr/share/doc/pgsr/changelog.gz',
      'etc/nagios-plugins/config/pgsr.cfg',
      'lib/systemd/system/pgsr-watch@.service',
      'usr/lib/tmpfiles.d/pgsr.conf',
    ])
      expect(list).toContain(`./${f}`);
    const conffiles =
      (await run('dpkg-deb', ['-f', DIST.deb, 'Package'])).stdout &&
      (await run('sh', ['-c', `dpkg-deb --ctrl-tarfile ${DIST.deb} | tar -xOf - ./conffiles`])).stdout;
    expect(conffiles.split('\n').sort()).toEqual([
      '/etc/nagios-plugins/config/pgsr.cfg',
      '/etc/pgsr/exec_database.conf',
      '/etc/pgsr/genw_watchprimary.conf',
      '/etc/pgsr/genw_watchstandby.conf',
    ]);
    // The machine's install (global setup) matches its md5sums.
    const verify = await run('dpkg', ['--verify', 'pgsr']);
    expect(verify.stdout + verify.stderr).toBe('');
    // Nagios commands point at the installed plugin.
    expect(readFileSync(INSTALLED.nagiosCommands, 'utf8')).toMatch(
      /command_line\s+\/usr\/lib\/nagios\/plugins\/check_pgsr /,
    );
    const lint = await execa(process.execPath, [join(REPO, 'scripts/package.mjs'), '--only', 'lint'], {
      reject: false,
      timeout: 240_000,
      cwd: REPO,
    });
    expect(lint.exitCode, lint.stdout + lint.stderr).toBe(0);
    expect(lint.stdout).toContain('lintian: clean');
    expect(lint.stdout).toMatch(/0 errors/);
  }, 300_000);

  it('.rpm: metadata, file list, requirements, no scriptlets; installs into a scratch root where it runs', async () => {
    const q = (args: string[]) => run('rpm', ['-qp', ...args, DIST.rpm]).then((r) => r.stdout);
    expect(await q(['--qf', '%{NAME} %{VERSION} %{RELEASE} %{ARCH} %{LICENSE}'])).toBe(
      `pgsr ${DIST.version} 1 x86_64 MIT`,
    );
    const files = (await q(['-l'])).split('\n');
    for (const f of [
      '/usr/bin/pgsr',
      '/usr/lib64/nagios/plugins/check_pgsr',
      '/usr/lib/ocf/resource.d/pgsr/pgsql-sr',
      '/usr/share/pgsr/clusterpro/genw.sh',
      '/etc/pgsr/genw_watchstandby.conf',
      '/var/lib/pgsr',
      '/usr/share/man/man1/pgsr.1.gz',
      '/usr/lib/systemd/system/pgsr-watch@.service',
      '/usr/lib/tmpfiles.d/pgsr.conf',
    ])
      expect(files).toContain(f);
    expect((await q(['-c'])).split('\n').sort()).toEqual([
      '/etc/pgsr/exec_database.conf',
      '/etc/pgsr/genw_watchprimary.conf',
      '/etc/pgsr/genw_watchstandby.conf',
    ]);
    const requires = await q(['-R']);
    expect(requires).toMatch(/^libc\.so\.6\(GLIBC_2\.\d+\)\(64bit\)$/m);
    expect(requires).toMatch(/^\/bin\/sh$/m);
    expect(await q(['--scripts'])).toBe('');
    expect(await q(['--changelog'])).toContain(`- ${DIST.version}-1`);
    expect(await q(['--qf', '[%{FILEMODES:perms} %{FILENAMES}\n]'])).toMatch(/^drwxr-x--- \/var\/lib\/pgsr$/m);
    expect((await q(['--qf', '[%{FILELINKTOS} %{FILENAMES}\n]'])).split('\n')).toContain(
      '../../../bin/pgsr /usr/lib64/nagios/plugins/check_pgsr',
    );

    const root = join(work, 'rpmroot');
    const rpm = (args: string[]) => run('rpm', ['--root', root, ...args]);
    expect((await rpm(['--initdb'])).exitCode).toBe(0);
    // --nodeps: the scratch root has no glibc package; the executable uses the machine's.
    const inst = await rpm(['-i', '--nodeps', DIST.rpm]);
    expect(inst.exitCode, inst.stderr).toBe(0);
    const v = await run(join(root, 'usr/bin/pgsr'), ['--version'], { PATH: '/nonexistent' });
    expect(v.stdout).toBe(DIST.version);
    const check = await run(
      join(root, 'usr/lib64/nagios/plugins/check_pgsr'),
      [
        '-H',
        '127.0.0.1',
        '-p',
        String(pair.primary.port),
        '--role',
        'primary',
        '--application-name',
        pair.applicationName,
      ],
      { PATH: '/nonexistent' },
    );
    expect(check.exitCode, check.stdout).toBe(0);
    expect(statSync(join(root, 'var/lib/pgsr')).mode & 0o777).toBe(0o750);

    // Upgrade keeps an edited config (%config(noreplace)); erase saves it as .rpmsave and
    // leaves a state directory that holds state.
    const conf = join(root, 'etc/pgsr/genw_watchstandby.conf');
    writeFileSync(conf, `${readFileSync(conf, 'utf8')}\n# site edit\nport = 5433\n`);
    const up = await rpm(['-U', '--nodeps', next.rpm]);
    expect(up.exitCode, up.stderr).toBe(0);
    expect((await rpm(['-q', 'pgsr'])).stdout).toBe(`pgsr-${NEXT}-1.x86_64`);
    expect((await run(join(root, 'usr/bin/pgsr'), ['--version'])).stdout).toBe(NEXT);
    expect(readFileSync(conf, 'utf8')).toContain('# site edit');
    writeFileSync(join(root, 'var/lib/pgsr/last-verdict.json'), '{}');
    const erase = await rpm(['-e', 'pgsr']);
    expect(erase.exitCode, erase.stderr).toBe(0);
    expect(existsSync(join(root, 'usr/bin/pgsr'))).toBe(false);
    expect(readFileSync(`${conf}.rpmsave`, 'utf8')).toContain('# site edit');
    expect(existsSync(join(root, 'etc/pgsr/exec_database.conf'))).toBe(false); // unedited: removed
    expect(existsSync(join(root, 'var/lib/pgsr/last-verdict.json'))).toBe(true);
  }, 300_000);

  it('.deb life cycle in a scratch root: install, upgrade keeps an edited conffile, remove keeps config and state, purge removes them', async () => {
    const root = join(work, 'debroot');
    for (const d of ['var/lib/dpkg/info', 'var/lib/dpkg/updates', 'var/lib/dpkg/triggers'])
      mkdirSync(join(root, d), { recursive: true });
    writeFileSync(join(root, 'var/lib/dpkg/status'), '');
    // Maintainer scripts run outside the scratch root with DPKG_ROOT set (dpkg's chrootless mode):
    // the root has no shell of its own. --force-depends: it has no libc6 package either.
    const dpkg = (args: string[]) =>
      run('dpkg', [`--root=${root}`, '--force-script-chrootless', '--force-depends', '--log=/dev/null', ...args]);
    const inst = await dpkg(['-i', DIST.deb]);
    expect(inst.exitCode, inst.stderr).toBe(0);
    expect((await run(join(root, 'usr/bin/pgsr'), ['--version'])).stdout).toBe(DIST.version);
    const conf = join(root, 'etc/pgsr/genw_watchstandby.conf');
    writeFileSync(conf, `${readFileSync(conf, 'utf8')}\n# site edit\n`);
    // The conffile is the same in both versions, so dpkg keeps the edit without asking.
    const up = await dpkg(['-i', next.deb]);
    expect(up.exitCode, up.stderr).toBe(0);
    expect((await run(join(root, 'usr/bin/pgsr'), ['--version'])).stdout).toBe(NEXT);
    expect(readFileSync(conf, 'utf8')).toContain('# site edit');
    writeFileSync(join(root, 'var/lib/pgsr/last-verdict.json'), '{}');
    const rm = await dpkg(['-r', 'pgsr']);
    expect(rm.exitCode, rm.stderr).toBe(0);
    expect(existsSync(join(root, 'usr/bin/pgsr'))).toBe(false);
    expect(readFileSync(conf, 'utf8')).toContain('# site edit');
    expect(existsSync(join(root, 'var/lib/pgsr/last-verdict.json'))).toBe(true);
    const purge = await dpkg(['-P', 'pgsr']);
    expect(purge.exitCode, purge.stderr).toBe(0);
    expect(existsSync(join(root, 'etc/pgsr'))).toBe(false);
    expect(existsSync(join(root, 'var/lib/pgsr'))).toBe(false);
  }, 120_000);
});
