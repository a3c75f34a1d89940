/**
 * Faults of servers that share this host's loopback (the Pgpool-II and CLUSTERPRO campaigns):
 * a node's link down is every packet to or from its port dropped (iptables on lo, in a chain of
 * the campaign process's own, PGSR_CHAOS_<pid>, removed at the end: two campaigns at once never
 * touch each other's rules); a power loss freezes every process of the
 * server (SIGSTOP: no FIN, no RST) and then takes its link down; a power cycle kills them (the
 * power comes back to a crashed server) and brings the link up.
 */
import { execa } from 'execa';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { waitUntil } from './chaos';
import { signalAll } from './netns';
import type { LabNode } from './lab';

const CHAIN = `PGSR_CHAOS_${process.pid}`;
const iptables = (args: string[]) => execa('iptables', ['-w', '5', ...args], { reject: false, timeout: 15_000 });

/** Creates the campaign's own iptables chain, hooked into INPUT (idempotent). */
export async function firewallUp(): Promise<void> {
  await iptables(['-N', CHAIN]);
  if ((await iptables(['-C', 'INPUT', '-i', 'lo', '-j', CHAIN])).exitCode !== 0)
    await iptables(['-I', 'INPUT', '-i', 'lo', '-j', CHAIN]);
}

/** Removes the chain and its hook; nothing of the campaign stays in the host's firewall. */
export async function firewallDown(): Promise<void> {
  await iptables(['-D', 'INPUT', '-i', 'lo', '-j', CHAIN]);
  await iptables(['-F', CHAIN]);
  await iptables(['-X', CHAIN]);
}

/** The node's link down: every packet to or from its port on lo dropped. */
export async function cutLink(node: LabNode): Promise<void> {
  for (const dir of ['--dport', '--sport'])
    await iptables(['-A', CHAIN, '-p', 'tcp', dir, String(node.port), '-j', 'DROP']);
}

/** The node's link up again (every rule of the node's port removed). */
export async function linkUp(node: LabNode): Promise<void> {
  for (const dir of ['--dport', '--sport'])
    for (
      let i = 0;
      i < 10 && (await iptables(['-D', CHAIN, '-p', 'tcp', dir, String(node.port), '-j', 'DROP'])).exitCode === 0;
      i++
    );
}

/** Every process of a server: those whose working directory is its data directory (postmaster, children, orphans). */
export function serverPids(data: string): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      if (readlinkSync(`/proc/${e}/cwd`) === data) out.push(Number(e));
    } catch {
      // gone, or not ours to read
    }
  }
  return out;
}

/** Whether a process of the server is stopped (SIGSTOP): the node is powered off. */
export const frozen = (node: LabNode) =>
  serverPids(node.data).some((pid) => {
    try {
      return readFileSync(`/proc/${pid}/stat`, 'utf8')
        .replace(/^.*\) /, '')
        .startsWith('T');
    } catch {
      return false;
    }
  });

/** Power loss of a server's node: every process frozen at once, then its link down. */
export async function powerLoss(node: LabNode): Promise<void> {
  signalAll(serverPids(node.data), 'SIGSTOP');
  await cutLink(node);
}

/** Power cycle of a frozen node: its processes killed (the power comes back to a crashed server), its link up. */
export async function powerCycle(node: LabNode): Promise<void> {
  signalAll(serverPids(node.data), 'SIGKILL');
  await waitUntil(() => serverPids(node.data).length === 0, 15_000);
  await linkUp(node);
}
