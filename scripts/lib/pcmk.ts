/**
 * Drives the two- or three-node Pacemaker + Corosync kit (lab/pacemaker/pcmk-lab) for the
 * agent tests and the PAF comparison: bring the cluster up, load pgsr's or PAF's resources,
 * inject faults, and measure the seconds from a fault to the new primary accepting writes.
 * Every wait is bounded.
 */
import { execa } from 'execa';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAB_KITS } from './genw';
import { ensureInstalled } from './installed';
import { netnsPids, powerLoss } from './netns';

export const KIT = join(LAB_KITS, 'pacemaker');
export const AGENT_PATH = '/usr/lib/ocf/resource.d/pgsr/pgsql-sr';
/** priority-fencing-delay of the fencing setups (seconds): above the time fence_lab needs, as small as that allows. */
export const PRIORITY_FENCING_DELAY_S = 3;

/** Which agent runs the promotable clone. */
export type Agent = 'pgsr' | 'paf';

/** One lab cluster of `nodes` nodes (node1..nodeN, PCMK_LAB_NODES of the kit). */
export class PcmkLab {
  readonly dir: string;
  constructor(
    readonly agent: Agent,
    dir = process.env.PCMK_LAB_DIR ?? '/tmp/pcmklab',
    readonly nodes: 2 | 3 = 2,
  ) {
    this.dir = dir;
  }
  /** Node names, node1 first. */
  get names(): string[] {
    return Array.from({ length: this.nodes }, (_, i) => `node${i + 1}`);
  }
  private get env(): Record<string, string> {
    return { PCMK_LAB_DIR: this.dir, PCMK_LAB_NODES: String(this.nodes) };
  }
  /** Resource of the clone's primitive (for PCMK_LAB_RSC). */
  get rsc(): string {
    return this.agent === 'pgsr' ? 'pgsql-sr' : 'pgsqld';
  }
  async kit(args: string[], timeoutMs = 180_000, env: Record<string, string> = {}): Promise<string> {
    const r = await execa(join(KIT, 'pcmk-lab'), args, {
      env: { ...this.env, PCMK_LAB_RSC: this.rsc, ...env },
      timeout: timeoutMs,
      all: true,
      reject: false,
    });
    if (r.exitCode !== 0)
      throw new Error(
        `pcmk-lab ${args.join(' ')} failed (${r.exitCode}): ${String(r.all).trim().split('\n').slice(-5).join(' / ')}`,
      );
    return String(r.all);
  }
  /** Runs a command on a node; never throws. */
  async x(node: string, cmd: string[], timeoutMs = 15_000) {
    return execa(join(KIT, 'pcmk-lab'), ['x', node, ...cmd], { env: this.env, timeout: timeoutMs, reject: false });
  }
  /** The clone's id (for its meta attributes). */
  get clone(): string {
    return this.agent === 'pgsr' ? 'pgsql-sr-ha' : 'pgsql-ha';
  }
  /**
   * Fresh cluster, PostgreSQL pair, the agent's resources, optionally fencing (migration-threshold 1).
   * With fencing, the fence race of a two-node cluster is settled as users settle it: the clone
   * gets a priority and the cluster `priority-fencing-delay` (Pacemaker 2.0.4+), so in a
   * partition the node running the promoted instance fences first and survives; both sides
   * would fence each other otherwise. The delay applies to fencing the primary's node, so it is
   * part of the power-loss failover time, for both agents alike. Three nodes need no such rule:
   * the majority fences the minority.
   */
  /** rep_mode of the last setUp (pgsr): under sync only the synchronous standby is ranked. */
  repMode: 'async' | 'sync' = 'async';
  async setUp(fencing: boolean, opts: { repMode?: 'async' | 'sync' } = {}): Promise<void> {
    this.repMode = opts.repMode ?? 'async';
    await this.kit(['install'], 600_000);
    await this.down();
    // `up` has failed once in a while right after a `down` (corosync -t on a half-made node):
    // one clean retry.
    await this.kit(['up']).catch(async () => {
      await this.down();
      await this.kit(['up']);
    });
    await this.kit(['pg-init']);
    if (this.agent === 'paf') {
      await this.kit(['paf', ...(fencing ? ['--fencing'] : [])]);
    } else {
      const tmp = mkdtempSync('/tmp/pgsr-pcmk-');
      for (const f of ['rsc-defaults.xml', 'resources.xml', 'constraints.xml'])
        copyFileSync(join(KIT, 'templates', 'promotable-agent', f), join(tmp, f));
      if (opts.repMode) {
        const file = join(tmp, 'resources.xml');
        const text = readFileSync(file, 'utf8').replace(
          '<nvpair id="pgsql-sr-pgport" name="pgport" value="5432"/>',
          `$&\n        <nvpair id="pgsql-sr-rep-mode" name="rep_mode" value="${opts.repMode}"/>`,
        );
        if (!text.includes('name="rep_mode"'))
          throw new Error('resources.xml template: no pgport line to put rep_mode after');
        writeFileSync(file, text);
      }
      await this.kit([
        'load',
        ...['rsc-defaults.xml', 'resources.xml', 'constraints.xml'].map((f) => join(tmp, f)),
        ...(fencing ? [join(KIT, 'paf', 'fence-lab.xml')] : []),
      ]);
      if (fencing) {
        await this.x('node1', [
          'crm_attribute',
          '--type',
          'crm_config',
          '--name',
          'stonith-enabled',
          '--update',
          'true',
        ]);
        await this.x('node1', [
          'crm_attribute',
          '--type',
          'rsc_defaults',
          '--name',
          'migration-threshold',
          '--update',
          '1',
        ]);
      }
    }
    if (fencing && this.nodes === 2) {
      await this.x('node1', [
        'crm_attribute',
        '--type',
        'crm_config',
        '--name',
        'priority-fencing-delay',
        '--update',
        `${PRIORITY_FENCING_DELAY_S}s`,
      ]);
      await this.x('node1', [
        'crm_resource',
        '--resource',
        this.clone,
        '--meta',
        '--set-parameter',
        'priority',
        '--parameter-value',
        '10',
      ]);
    }
    // wait-ready wants every standby scored; under rep_mode sync with three nodes the potential
    // standby is -INFINITY by design (it may lack acknowledged commits).
    if (this.repMode === 'sync' && this.nodes > 2) await this.kit(['wait-promoted', 'node1', '90']);
    else {
      // An agent may abort its first promotion for a standby with more WAL (PAF: "... is the best
      // candidate to promote, aborting current promotion"): a failed action that, under
      // migration-threshold 1, leaves that node unscored. Cleaned up once, as an operator would.
      await this.kit(['wait-ready', '90']).catch(async () => {
        await this.x('node1', ['crm_resource', '--cleanup', '--resource', this.clone]);
        await this.kit(['wait-ready', '90']);
      });
    }
    await this.waitRanked(60_000);
  }
  /**
   * Until a standby streams, the primary's monitor scores it -INFINITY (by design, it would not
   * be promoted): faults are injected only once the primary has ranked every standby (> 1).
   */
  async waitRanked(timeoutMs: number): Promise<void> {
    const score = this.agent === 'pgsr' ? 'master-pgsql-sr' : 'master-pgsqld';
    let unranked: string[] = [];
    let primary: string | undefined;
    for (let i = 0; i < timeoutMs / 500; i++) {
      // Asked again every time: crm_mon may show no promoted instance for a moment (a node joining).
      primary = await this.promoted().catch(() => undefined);
      const attrs = await this.attributes().catch(() => ({}) as Record<string, Record<string, string>>);
      unranked = this.names.filter((n) => n !== primary && !this.ranked(attrs[n] ?? {}, score));
      if (primary && unranked.length === 0) return;
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`${unranked.join(', ') || 'no node'} never ranked by the primary ${primary ?? '(none)'}`);
  }
  /**
   * Until every standby has flushed all but `maxLagBytes` of the primary's WAL. PostgreSQL calls
   * a walsender `streaming` once it has *sent* everything, which after a reconnect may be
   * megabytes before the standby has *flushed* it; a fault injected then measures that window.
   */
  async waitCaughtUp(timeoutMs: number, maxLagBytes = 1 << 20): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (let i = 0; i < 10_000 && Date.now() < end; i++) {
      const primary = await this.promoted().catch(() => undefined);
      const r = primary
        ? await this.psql(
            primary,
            `SELECT count(*) FILTER (WHERE state = 'streaming' AND pg_wal_lsn_diff(pg_current_wal_lsn(), flush_lsn) <= ${maxLagBytes}) FROM pg_stat_replication`,
          )
        : { ok: false, out: '' };
      if (r.ok && Number(r.out) >= this.nodes - 1) return;
      await new Promise((res) => setTimeout(res, 250));
    }
    throw new Error(`the standbys did not catch up within ${timeoutMs / 1000}s`);
  }
  /**
   * A standby as its primary should rank it: a score above 1, or under pgsr's rep_mode sync the
   * potential (not synchronous) standby that streams with -INFINITY by design.
   */
  ranked(attrs: Record<string, string>, score: string): boolean {
    if (Number(attrs[score]) > 1) return true;
    return this.agent === 'pgsr' && this.repMode === 'sync' && attrs['pgsql-sr-data-status'] === 'STREAMING|POTENTIAL';
  }
  /** The nodes whose PostgreSQL answers pg_is_in_recovery() = false now. */
  async writable(): Promise<string[]> {
    const roles = await Promise.all(this.names.map(async (n) => [n, await this.pgRole(n)] as const));
    return roles.filter(([, r]) => r === 'f').map(([n]) => n);
  }
  /** PIDs of every process in a node's network namespace. */
  nodePids(node: string): number[] {
    return netnsPids(`pcmklab-${node}`);
  }
  /**
   * Power loss of a node: every process of its namespace frozen at once (SIGSTOP: no FIN, no
   * RST, no last word), then its link down. Fencing (fence_lab: SIGKILL) finishes them off.
   */
  async powerLoss(node: string): Promise<void> {
    powerLoss(`pcmklab-${node}`, 'lab0');
  }
  /** Processes still in a node's namespace, as `pid cmdline` (for a fenced node: none expected). */
  leftovers(node: string): string[] {
    return this.nodePids(node).map((pid) => {
      try {
        return `${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim().slice(0, 100)}`;
      } catch {
        return `${pid} (gone)`;
      }
    });
  }
  /** Network partition: the node's link goes down, the node keeps running. */
  async cutLink(node: string): Promise<void> {
    await execa('ip', ['-n', `pcmklab-${node}`, 'link', 'set', 'lab0', 'down'], { timeout: 10_000 });
  }
  /** The link comes back (after cutLink or a power loss whose processes fencing has killed). */
  async linkUp(node: string): Promise<void> {
    await execa('ip', ['-n', `pcmklab-${node}`, 'link', 'set', 'lab0', 'up'], { timeout: 10_000 });
  }
  /**
   * The node's replication traffic dropped (iptables in its namespace, both directions, port
   * 5432), cluster traffic untouched: its walreceiver hears nothing and goes on saying
   * `streaming` until wal_receiver_timeout (60 s). `heal` removes the rules.
   */
  async blockReplication(node: string, heal = false): Promise<void> {
    for (const [chain, dir] of [
      ['OUTPUT', '--dport'],
      ['INPUT', '--sport'],
    ]) {
      await execa(
        'ip',
        [
          'netns',
          'exec',
          `pcmklab-${node}`,
          'iptables',
          heal ? '-D' : '-A',
          chain,
          '-p',
          'tcp',
          dir,
          '5432',
          '-j',
          'DROP',
        ],
        { timeout: 10_000 },
      );
    }
  }
  /** The walreceiver's status and received timeline on a node (status '' when it has none or is down). */
  async walreceiver(node: string): Promise<{ status: string; tli: number }> {
    const r = await this.psql(node, "SELECT status || ' ' || received_tli FROM pg_stat_wal_receiver");
    const [status = '', tli = '0'] = r.ok ? r.out.split(' ') : [];
    return { status, tli: Number(tli) };
  }
  /** A primary's current timeline (from the WAL file it writes); NaN when it does not answer. */
  async timeline(node: string): Promise<number> {
    const r = await this.psql(node, 'SELECT pg_walfile_name(pg_current_wal_lsn())');
    return r.ok ? parseInt(r.out.slice(0, 8), 16) : NaN;
  }
  /** crm_mon's "Failed Resource Actions" lines (empty when none). */
  async failedActions(): Promise<string[]> {
    const out = await this.status();
    const i = out.indexOf('Failed Resource Actions:');
    return i < 0
      ? []
      : out
          .slice(i)
          .split('\n')
          .slice(1)
          .filter((l) => /^\s+\* /.test(l))
          .map((l) => l.trim());
  }
  /** The node's answer to pg_is_in_recovery() over its local socket: 't', 'f', or 'down'. */
  async pgRole(node: string): Promise<string> {
    const r = await this.psql(node, 'SELECT pg_is_in_recovery()');
    return r.ok ? r.out : 'down';
  }
  async down(): Promise<void> {
    // Tear-down only: a node that cannot stop cleanly (a lone primary after a partition: the
    // kit's demote-then-stop-VIP order blocks) is killed after 20 s instead of the kit's 180 s.
    await this.kit(['down', '--force'], 240_000, { PCMK_LAB_STOP_TIMEOUT: '20' }).catch(() => undefined);
  }
  /** `crm_mon -1 -A` output. */
  async status(): Promise<string> {
    return this.kit(['status'], 30_000);
  }
  async psql(node: string, sql: string): Promise<{ ok: boolean; out: string }> {
    const r = await this.x(
      node,
      ['runuser', '-u', 'postgres', '--', 'psql', '-X', '-A', '-t', '-h', '/run/postgresql', '-c', sql],
      10_000,
    );
    return { ok: r.exitCode === 0, out: String(r.stdout).trim() };
  }
  /** Polls until `node` accepts a write; returns the epoch ms it did. */
  async waitWritable(node: string, timeoutMs: number): Promise<number> {
    const end = Date.now() + timeoutMs;
    for (let i = 0; Date.now() < end && i < 10_000; i++) {
      const r = await this.psql(
        node,
        'CREATE TABLE IF NOT EXISTS pgsr_probe (t timestamptz); INSERT INTO pgsr_probe VALUES (now()) RETURNING 1',
      );
      if (r.ok && r.out.endsWith('1')) return Date.now();
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`${node} did not accept writes within ${timeoutMs / 1000}s`);
  }
  /** Polls the nodes in turn until one accepts a write; returns it and the epoch ms it did. */
  async waitAnyWritable(nodes: string[], timeoutMs: number): Promise<{ node: string; at: number }> {
    const end = Date.now() + timeoutMs;
    for (let i = 0; Date.now() < end && i < 10_000; i++) {
      for (const node of nodes) {
        const r = await this.psql(
          node,
          'CREATE TABLE IF NOT EXISTS pgsr_probe (t timestamptz); INSERT INTO pgsr_probe VALUES (now()) RETURNING 1',
        );
        if (r.ok && r.out.endsWith('1')) return { node, at: Date.now() };
      }
      await new Promise((res) => setTimeout(res, 100));
    }
    throw new Error(`none of ${nodes.join(', ')} accepted writes within ${timeoutMs / 1000}s`);
  }
  /**
   * A writer on `node` (its namespace) committing numbered rows into `table` through the service
   * address (VIP 10.77.0.100) as fast as one session can, as an application would: one psql
   * session takes `INSERT ...; \echo N` lines, so N is printed only once its INSERT returned
   * success (autocommit: acknowledged). A dead server is noticed by TCP (tcp_user_timeout 3 s),
   * then a new session (connect timeout 2 s) continues with numbers never sent before (session
   * index × 10^7 + k), so no number can be both unacknowledged once and acknowledged later.
   * `stop()` ends it (a stop file under /srv/pglab) and returns the acknowledged numbers.
   */
  startWriter(node: string, table: string, maxS = 150): { stop: () => Promise<number[]> } {
    const stopFile = join(this.dir, node, 'pglab', `stop-${table}`);
    const stop = `/srv/pglab/stop-${table}`;
    const conninfo =
      'host=10.77.0.100 user=postgres dbname=postgres connect_timeout=2 tcp_user_timeout=3000 keepalives_idle=1 keepalives_interval=1 keepalives_count=2';
    const script = [
      `end=$((SECONDS+${maxS})); s=0`,
      `while [ $SECONDS -lt $end ] && [ ! -e ${stop} ]; do`,
      '  s=$((s+1)); n=$((s*10000000))',
      `  { while [ $SECONDS -lt $end ] && [ ! -e ${stop} ]; do n=$((n+1)); printf 'INSERT INTO ${table} VALUES (%d);\n\\\\echo %d\n' $n $n || exit 0; done; } | stdbuf -oL timeout $((end-SECONDS+1)) psql -X -q -v ON_ERROR_STOP=1 "${conninfo}" 2>/dev/null`,
      `  [ -e ${stop} ] || sleep 0.1`,
      'done',
    ].join('\n');
    const proc = execa(join(KIT, 'pcmk-lab'), ['x', node, 'bash', '-c', script], {
      env: this.env,
      timeout: (maxS + 30) * 1000,
      reject: false,
      maxBuffer: 256 * 1024 * 1024,
    });
    return {
      stop: async () => {
        writeFileSync(stopFile, '');
        const r = await proc;
        return String(r.stdout)
          .split('\n')
          .filter((l) => /^\d+$/.test(l))
          .map(Number);
      },
    };
  }
  /** Node attributes as crm_mon -A shows them: node -> name -> value. */
  async attributes(): Promise<Record<string, Record<string, string>>> {
    const out: Record<string, Record<string, string>> = {};
    let node = '';
    for (const line of (await this.status()).split('\n')) {
      const n = /^\s*\* Node: (\S+?):?$/.exec(line);
      if (n) node = n[1];
      const a = /^\s+\* (\S+)\s+:\s+(\S+)/.exec(line);
      if (a && node) (out[node] ??= {})[a[1]] = a[2];
    }
    return out;
  }
  /** Which node runs the Promoted instance, if any. */
  async promoted(): Promise<string | undefined> {
    // crm_mon prints "Promoted: [ node2 ]", or one line per instance when one of them failed:
    // "* pgsql-sr    (ocf:pgsr:pgsql-sr):     Promoted node2".
    const out = await this.status();
    return /Promoted: \[ (\S+) \]/.exec(out)?.[1] ?? /\(ocf:[^)]+\):\s+Promoted (\S+)/.exec(out)?.[1];
  }
}

/**
 * Puts this checkout's .deb on the machine (the namespaces share the host's /usr): the agent is
 * the installed /usr/lib/ocf/resource.d/pgsr/pgsql-sr running /usr/bin/pgsr, as users run it.
 */
export function installAgent(): void {
  ensureInstalled();
}

/** Seconds from a fault to the new primary accepting writes, and to Pacemaker showing it promoted. */
export interface FailoverTiming {
  scenario: string;
  agent: Agent;
  writableS: number;
  promotedS: number;
}

/** The promoted node and the others (`standby`: the first of them); throws when nothing is promoted. */
export async function roles(lab: PcmkLab): Promise<{ primary: string; standby: string; standbys: string[] }> {
  const primary = await lab.promoted();
  if (!primary) throw new Error('no promoted node');
  const standbys = lab.names.filter((n) => n !== primary);
  return { primary, standby: standbys[0], standbys };
}

/** Clean failover: stop the primary node's cluster stack; the other must become a writable primary. */
export async function cleanFailover(lab: PcmkLab): Promise<FailoverTiming & { from: string; to: string }> {
  const { primary, standbys } = await roles(lab);
  const t0 = Date.now();
  const stopping = lab.kit(['stop', primary], 240_000);
  const { node: standby, at: writable } = await lab.waitAnyWritable(standbys, 90_000);
  const promotedOut = await lab.kit(['wait-promoted', standby, '90']);
  await stopping;
  return {
    scenario: 'clean failover (stop the primary node)',
    agent: lab.agent,
    writableS: (writable - t0) / 1000,
    promotedS: Number(/after ([\d.]+) s/.exec(promotedOut)?.[1] ?? NaN),
    from: primary,
    to: standby,
  };
}

/** Primary crash: kill -9 of the primary's postmaster (fencing on); the other must become a writable primary. */
export async function crashFailover(lab: PcmkLab): Promise<FailoverTiming & { from: string; to: string }> {
  const { primary, standbys } = await roles(lab);
  const t0 = Date.now();
  await lab.kit(['kill-primary', primary]);
  const { node: standby, at: writable } = await lab.waitAnyWritable(standbys, 120_000);
  const promotedOut = await lab.kit(['wait-promoted', standby, '120']);
  return {
    scenario: 'primary crash (kill -9, fencing on)',
    agent: lab.agent,
    writableS: (writable - t0) / 1000,
    promotedS: Number(/after ([\d.]+) s/.exec(promotedOut)?.[1] ?? NaN),
    from: primary,
    to: standby,
  };
}

/**
 * Power loss of the primary's node (fencing on): every process frozen and the link down; the
 * standby's walreceiver hears nothing (wal_receiver_timeout stays at PostgreSQL's 60 s).
 */
export async function powerLossFailover(lab: PcmkLab): Promise<FailoverTiming & { from: string; to: string }> {
  const { primary, standbys } = await roles(lab);
  const t0 = Date.now();
  await lab.powerLoss(primary);
  const { node: standby, at: writable } = await lab.waitAnyWritable(standbys, 120_000);
  const promotedOut = await lab.kit(['wait-promoted', standby, '60']);
  return {
    scenario: "power loss of the primary's node (freeze + link down, fencing on)",
    agent: lab.agent,
    writableS: (writable - t0) / 1000,
    promotedS: Number(/after ([\d.]+) s/.exec(promotedOut)?.[1] ?? NaN),
    from: primary,
    to: standby,
  };
}

/**
 * Network partition of the primary's node (link down, both nodes keep running; fencing on with
 * priority-fencing-delay). Outcome wanted: exactly one primary, and it takes writes. Timing:
 * seconds from the cut until the other node is fenced (no process left in it) with the survivor
 * writable.
 */
export async function partitionFailover(
  lab: PcmkLab,
): Promise<FailoverTiming & { survivor: string; fenced: string; roles: Record<string, string>; leftovers: string[] }> {
  const { primary, standbys } = await roles(lab);
  const log = join(lab.dir, 'fence_lab.log');
  const logStart = existsSync(log) ? statSync(log).size : 0;
  const t0 = Date.now();
  await lab.cutLink(primary);
  // Fenced = fence_lab carried out a reboot of that node (its own log, written by the fencer).
  let fenced = '';
  for (let i = 0; i < 2000 && Date.now() - t0 < 120_000 && !fenced; i++) {
    const text = existsSync(log) ? readFileSync(log, 'utf8').slice(logStart) : '';
    fenced = /action=(?:reboot|off) plug=(node\d)/.exec(text)?.[1] ?? '';
    if (!fenced) await new Promise((r) => setTimeout(r, 100));
  }
  if (!fenced) throw new Error('neither node was fenced within 120 s');
  // fence_lab logs the action before it kills, then "killed: ...": wait for the kill to be done.
  for (let i = 0; i < 600 && Date.now() - t0 < 150_000; i++) {
    const text = existsSync(log) ? readFileSync(log, 'utf8').slice(logStart) : '';
    if (/killed: /.test(text.slice(text.search(new RegExp(`action=(?:reboot|off) plug=${fenced}`))))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  // Two nodes: the fence race decides (the primary should win it); three: the majority fences
  // the primary and promotes one of the standbys.
  const { node: survivor, at: writable } = await lab.waitAnyWritable(
    fenced === primary ? standbys : [primary],
    120_000,
  );
  const after: Record<string, string> = {};
  for (const n of lab.names) after[n] = await lab.pgRole(n);
  return {
    scenario: "network partition of the primary's node (link down, fencing on)",
    agent: lab.agent,
    writableS: (writable - t0) / 1000,
    promotedS: NaN,
    survivor,
    fenced,
    roles: after,
    leftovers: lab.leftovers(fenced),
  };
}

/**
 * Power loss of the primary's node (fencing on) while a writer on the standby's node commits
 * numbered rows through the service address: the failover time, and which acknowledged rows the
 * new primary lacks (lost commits). The table is created on the primary first.
 */
export async function powerLossWriterFailover(
  lab: PcmkLab,
  table = 'acked',
): Promise<FailoverTiming & { from: string; to: string; acked: number; lost: number[]; firstWriteAfterS: number }> {
  const { primary, standby } = await roles(lab);
  const created = await lab.psql(primary, `CREATE TABLE ${table} (n int)`);
  if (!created.ok) throw new Error(`CREATE TABLE ${table} on ${primary} failed`);
  const writer = lab.startWriter(standby, table);
  await new Promise((r) => setTimeout(r, 3000));
  const t = await powerLossFailover(lab);
  await new Promise((r) => setTimeout(r, 2000)); // writes go on through the address on the new primary
  const acked = await writer.stop();
  const rows = new Set((await lab.psql(t.to, `SELECT n FROM ${table}`)).out.split('\n').filter(Boolean).map(Number));
  return {
    ...t,
    scenario: `${t.scenario}, writer through the service address`,
    acked: acked.length,
    lost: acked.filter((n) => !rows.has(n)),
    firstWriteAfterS: t.writableS,
  };
}
