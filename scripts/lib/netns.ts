/**
 * Network-namespace helpers shared by the fault suite's pair and the Pacemaker kit: the
 * processes of a namespace, and a power loss (every process frozen at once, then the link down:
 * no FIN, no RST, no last word).
 */
import { execFileSync } from 'node:child_process';

/** PIDs of every process in a named network namespace (`ip netns pids`); empty when it has none or is gone. */
export function netnsPids(ns: string): number[] {
  try {
    return execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8', timeout: 10_000 })
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** Sends a signal to each pid, ignoring those already gone. */
export function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // gone
    }
  }
}

/**
 * Power loss of a node: its processes frozen (SIGSTOP), then its link down inside its namespace.
 * @returns the frozen pids (SIGCONT them to bring the node back).
 */
export function powerLoss(ns: string, dev: string): number[] {
  const pids = netnsPids(ns);
  signalAll(pids, 'SIGSTOP');
  execFileSync('ip', ['-n', ns, 'link', 'set', dev, 'down'], { timeout: 10_000 });
  return pids;
}
