/**
 * Pgpool-II's streaming replication check worker ("pgpool: worker process"), seen from
 * failover_command, which Pgpool's main process runs (through /bin/sh) as Pgpool's own user.
 *
 * Every sr_check_period the worker takes the follow-primary lock and queries each backend with
 * no timeout on the answer (Pgpool-II 4.2 to 4.6, pool_worker_child.c); after failover_command
 * Pgpool's search for the new primary takes the same lock (pgpool_main.c, find_primary_node). A
 * backend that stops answering in the middle (a power loss while a query is in flight; a server
 * whose processes hang while its kernel still accepts connections, as on a storage failure)
 * keeps the worker waiting until TCP gives up (net.ipv4.tcp_retries2: about 15 minutes) or for
 * ever, and Pgpool finds no primary meanwhile: no writes through Pgpool although a standby was
 * promoted. When the worker holds an established connection to the failed node, pgsr terminates
 * it (SIGTERM: it exits and releases the lock; Pgpool forks a new one).
 */
import { lookup } from 'node:dns/promises';
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { isIP } from 'node:net';

/** One TCP socket of /proc/PID/net/tcp or tcp6. */
export interface TcpSocket {
  /** The remote address, IPv4 dotted or IPv6 (an IPv4-mapped one as IPv4). */
  remote: string;
  remotePort: number;
  /** The kernel's state code: `01` ESTABLISHED (include/net/tcp_states.h). */
  state: string;
  inode: string;
}

/** An address as /proc/net/tcp prints it: 32-bit words in host byte order (little-endian here). */
function procAddress(hex: string): string {
  const words = hex.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((w) => [6, 4, 2, 0].map((i) => parseInt(w.slice(i, i + 2), 16)));
  if (bytes.length === 4) return bytes.join('.');
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (mapped) return bytes.slice(12).join('.');
  const groups = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
  return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
}

/** Parses /proc/net/tcp or tcp6 text (header line skipped). Pure. */
export function parseProcNetTcp(text: string): TcpSocket[] {
  return text
    .split('\n')
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length >= 10 && f[2].includes(':'))
    .map((f) => {
      const [addr, port] = f[2].split(':');
      return { remote: procAddress(addr), remotePort: parseInt(port, 16), state: f[3], inode: f[9] };
    });
}

const read = (path: string): string | undefined => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};
const parentOf = (pid: number): number =>
  Number((read(`/proc/${pid}/stat`) ?? '').replace(/^.*\) /, '').split(' ')[1] ?? 0);
const cmdline = (pid: number): string => (read(`/proc/${pid}/cmdline`) ?? '').replace(/\0/g, ' ').trim();

/** Pgpool's main process among this process's ancestors (failover_command runs under it), or undefined. */
function pgpoolMain(): number | undefined {
  let pid = process.ppid;
  for (let i = 0; i < 6 && pid > 1; i++) {
    const argv0 = cmdline(pid).split(' ')[0] ?? '';
    if (/(^|\/)pgpool$/.test(argv0) || /^pgpool: main/.test(cmdline(pid))) return pid;
    pid = parentOf(pid);
  }
  return undefined;
}

/** The main process's streaming replication check worker, or undefined. */
function srCheckWorker(main: number): number | undefined {
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (parentOf(pid) === main && /^pgpool: worker process/.test(cmdline(pid))) return pid;
  }
  return undefined;
}

/** Inodes of the process's sockets (readable for the same user). */
function socketInodes(pid: number): Set<string> {
  const out = new Set<string>();
  let fds: string[] = [];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return out;
  }
  for (const fd of fds) {
    try {
      const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (m) out.add(m[1]);
    } catch {
      // closed meanwhile
    }
  }
  return out;
}

/** The host's addresses (an address itself, else a bounded DNS lookup); none for a socket directory. */
async function addressesOf(host: string): Promise<string[]> {
  if (host.startsWith('/')) return [];
  if (isIP(host)) return [host];
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref());
  try {
    return (await Promise.race([lookup(host, { all: true }), timeout])).map((a) => a.address);
  } catch {
    return [];
  }
}

/**
 * Terminates Pgpool's replication check worker when it holds an established TCP connection to
 * the failed node (`host`:`port`), and waits up to 2 s for it to exit. Never throws.
 * @returns the worker's pid when it was terminated, else undefined (no Pgpool ancestor, no
 * worker, no such connection, or not permitted).
 */
export async function releaseStuckSrCheckWorker(host: string, port: number): Promise<number | undefined> {
  try {
    const main = pgpoolMain();
    const worker = main && srCheckWorker(main);
    if (!worker) return undefined;
    const inodes = socketInodes(worker);
    const addresses = await addressesOf(host);
    const sockets = ['tcp', 'tcp6'].flatMap((f) => parseProcNetTcp(read(`/proc/${worker}/net/${f}`) ?? ''));
    const stuck = sockets.some(
      (s) => inodes.has(s.inode) && s.state === '01' && s.remotePort === port && addresses.includes(s.remote),
    );
    if (!stuck) return undefined;
    process.kill(worker, 'SIGTERM');
    for (let i = 0; i < 20; i++) {
      const state = (read(`/proc/${worker}/stat`) ?? '').replace(/^.*\) /, '')[0];
      if (state === undefined || state === 'Z') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return worker;
  } catch {
    return undefined;
  }
}
