/**
 * Removes, after the run, the small temporary directories the tests made under /tmp (alert and
 * state sandboxes, password files, config files): only those with pgsr's prefixes created
 * since this run started. Lab pairs, namespaces and clusters are torn down by their own tests.
 * Before the run, as root: installs this checkout's .deb (scripts/lib/installed.ts).
 */
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureInstalled } from '../../scripts/lib/installed';

const PREFIX =
  /^pgsr-(test|faultsb\d*|faults-(pass|conf|cmd|tmpfs)|conf|pass|home|roothome|fakecmd|alone|unit|post|nagios|nagios4|pkgtest|watch|bench|pcmk|clpsim[a-z-]*)-/;

export default function setup(): () => void {
  const started = Date.now() - 1000;
  // The tests that drive what users install (clpsim scripts, OCF agent, check_pgsr, Pacemaker)
  // run the .deb that `npm test` has just built (npm run package): install it once, first.
  // `npm run lint` runs the layer rules before anything is built: nothing to install then.
  if (process.getuid?.() === 0 && process.env.PGSR_TEST_NO_INSTALL !== '1') ensureInstalled();
  return () => {
    for (const name of readdirSync('/tmp')) {
      if (!PREFIX.test(name)) continue;
      const path = join('/tmp', name);
      try {
        if (statSync(path).mtimeMs >= started) rmSync(path, { recursive: true, force: true });
      } catch {
        // gone already, or a mount point still busy
      }
    }
  };
}
