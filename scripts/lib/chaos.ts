/**
 * What every seeded fault campaign shares (scripts/chaos.ts is the command line; one module per
 * host runs the rounds: chaos-pcmk.ts, chaos-pgpool.ts, chaos-clusterpro.ts): the fault kinds
 * and their seeded draw, the round report, the application and sampler of a round
 * (scripts/chaos/client.mjs), the summary and the invariants. Every wait is bounded.
 */
import { execa, type ResultPromise } from 'execa';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './genw';
import type { Agent } from './pcmk';

/** The fault kinds, in the order the issue lists them. */
export const FAULT_KINDS = [
  'primary-power-loss',
  'standby-power-loss',
  'postmaster-kill',
  'clean-stop',
  'partition',
  'partition-heals',
  'standby-then-primary',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** mulberry32: a small seeded PRNG (the same seed draws the same campaign for every agent). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The kinds of `rounds` rounds: `kinds` (default all) shuffled from the seed, every kind once
 * before any repeats (then shuffled again); pure.
 */
export function drawFaults(seed: number, rounds: number, kinds: readonly FaultKind[] = FAULT_KINDS): FaultKind[] {
  const rnd = prng(seed);
  const out: FaultKind[] = [];
  while (out.length < rounds) {
    const deck = [...kinds];
    for (let i = deck.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [deck[i], deck[j]] = [deck[j], deck[i]];
    }
    out.push(...deck);
  }
  return out.slice(0, rounds);
}

/** One round of the report. */
export interface RoundReport {
  round: number;
  fault: FaultKind;
  /** The node the fault hit (for standby-then-primary: "standby>primary"). */
  node: string;
  primary_before: string;
  primary_after: string | null;
  /** A writable primary and every node back in the cluster (ranked) by the round's bound. */
  converged: boolean;
  /** Fault to the first acknowledged write after it (s); null when none came. */
  time_to_writable_s: number | null;
  /** Most nodes seen writable at one 100 ms sample. */
  max_primaries: number;
  acked: number;
  /** Acknowledged rows missing on the final primary. */
  lost: number;
  notes: string[];
}

/** Campaign options (scripts/chaos.ts flags). */
export interface CampaignOptions {
  /** The agent under Pacemaker (pgsr or PAF); pgsr elsewhere. */
  agent: Agent;
  nodes: 2 | 3;
  repMode: 'async' | 'sync';
  seed: number;
  rounds: number;
  /** Bound of one round, fault to converged (ms). */
  roundMs: number;
  log: (line: string) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Where the round's client runs and what it reaches: the service address and every node's socket. */
export interface ClientTarget {
  /** Command prefix the client is run under (e.g. `ip netns exec NS`), empty for this namespace. */
  prefix: string[];
  /** The service address the writer commits through. */
  host: string;
  port: number;
  /** Each node's Unix-socket directory, `name=dir` or `name=dir@port`. */
  sockets: string[];
}

/** The application and sampler of one round (scripts/chaos/client.mjs). */
export class Client {
  readonly dir = mkdtempSync('/tmp/pgsr-chaos-');
  private proc: ResultPromise | undefined;
  constructor(private readonly target: ClientTarget) {}
  start(table: string): void {
    const [file, ...pre] = [...this.target.prefix, process.execPath];
    const t = this.target;
    // The prefix execs the client itself (`ip netns exec`), so stop()'s signal reaches it.
    this.proc = execa(
      file,
      [
        ...pre,
        join(REPO, 'scripts', 'chaos', 'client.mjs'),
        '--table',
        table,
        '--out',
        this.dir,
        '--host',
        t.host,
        '--port',
        String(t.port),
        '--sockets',
        t.sockets.join(','),
        '--max-s',
        '900',
      ],
      { reject: false, timeout: 960_000, killSignal: 'SIGTERM' },
    );
  }
  private offset = 0;
  private lastAckMs = 0;
  /** The newest acknowledged write's time (ms), reading only what acked.txt gained since the last call. */
  private newestAck(): number {
    const f = join(this.dir, 'acked.txt');
    if (!existsSync(f)) return this.lastAckMs;
    const size = statSync(f).size;
    if (size <= this.offset) return this.lastAckMs;
    const fd = openSync(f, 'r');
    try {
      const buf = Buffer.alloc(Math.min(size - this.offset, 4096));
      readSync(fd, buf, 0, buf.length, size - buf.length); // the tail holds the newest line
      const lines = buf.toString('utf8').split('\n').filter(Boolean);
      const ms = Number(lines.at(-1)?.split(' ')[0]);
      if (Number.isFinite(ms)) this.lastAckMs = ms;
    } finally {
      closeSync(fd);
    }
    this.offset = size;
    return this.lastAckMs;
  }
  /** The first acknowledged write at or after `t` (ms), polled every 100 ms until `until`; undefined when none came. */
  async firstAckAfter(t: number, until: number): Promise<number | undefined> {
    for (let i = 0; i < 100_000 && Date.now() < until; i++) {
      if (this.newestAck() >= t) return this.firstAtOrAfter(t);
      await sleep(100);
    }
    return undefined;
  }
  /** Scans the file once for the first acknowledged write at or after `t`. */
  private firstAtOrAfter(t: number): number {
    const text = readFileSync(join(this.dir, 'acked.txt'), 'utf8');
    for (const line of text.split('\n')) {
      const ms = Number(line.slice(0, line.indexOf(' ')));
      if (ms >= t) return ms;
    }
    return this.lastAckMs;
  }
  async stop(): Promise<{ acked: Array<[number, number]>; max_primaries: number; double_primary_ticks: number }> {
    this.proc?.kill('SIGTERM');
    await this.proc;
    const f = join(this.dir, 'client.json');
    if (!existsSync(f)) throw new Error(`the campaign client wrote no ${f}`);
    const out = JSON.parse(readFileSync(f, 'utf8'));
    rmSync(this.dir, { recursive: true, force: true }); // tens of MB of acknowledged rows a round
    return out;
  }
}

/** Polls `probe` every 250 ms until it holds or `timeoutMs` pass; whether it held. */
export async function waitUntil(probe: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (let i = 0; i < 10_000 && Date.now() < end; i++) {
    if (await probe()) return true;
    await sleep(250);
  }
  return false;
}

/** Summary of a campaign: rounds, kinds, time to writable (median, max), rows, split-brain samples. */
export function summarize(rounds: RoundReport[]) {
  const sorted = (list: RoundReport[]) =>
    list
      .map((r) => r.time_to_writable_s)
      .filter((t): t is number => t !== null)
      .sort((a, b) => a - b);
  const times = sorted(rounds);
  // Rounds whose primary moved: where the time to writable is a failover's.
  const failovers = sorted(rounds.filter((r) => r.primary_after !== null && r.primary_after !== r.primary_before));
  const byKind: Record<string, number> = {};
  for (const r of rounds) byKind[r.fault] = (byKind[r.fault] ?? 0) + 1;
  return {
    rounds: rounds.length,
    faults: byKind,
    converged: rounds.filter((r) => r.converged).length,
    time_to_writable_median_s: times.length ? times[Math.floor((times.length - 1) / 2)] : null,
    time_to_writable_max_s: times.length ? times[times.length - 1] : null,
    failovers: failovers.length,
    failover_time_to_writable_median_s: failovers.length ? failovers[Math.floor((failovers.length - 1) / 2)] : null,
    acked: rounds.reduce((s, r) => s + r.acked, 0),
    lost: rounds.reduce((s, r) => s + r.lost, 0),
    rounds_with_two_primaries: rounds.filter((r) => r.max_primaries > 1).length,
  };
}

/** The invariants a campaign must keep; one line per break (empty: all kept). */
export function invariantBreaks(rounds: RoundReport[], repMode: 'async' | 'sync'): string[] {
  const out: string[] = [];
  for (const r of rounds) {
    if (r.max_primaries > 1)
      out.push(`round ${r.round} (${r.fault}): ${r.max_primaries} writable primaries at one sample`);
    if (repMode === 'sync' && r.lost > 0)
      out.push(`round ${r.round} (${r.fault}): ${r.lost} acknowledged rows lost under rep-mode sync`);
    if (!r.converged)
      out.push(
        `round ${r.round} (${r.fault}): did not converge (${r.notes.join('; ') || 'no writable primary or not every node back'})`,
      );
  }
  return out;
}
