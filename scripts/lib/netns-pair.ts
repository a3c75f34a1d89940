/**
 * A primary/standby pair in two network namespaces made by the test itself, joined by a veth
 * pair (10.201.N.1 primary, 10.201.N.2 standby, /24): both servers listen on port 5432 in their
 * own namespace, as on two hosts, so link-down and blackhole faults cut replication for real.
 * Traffic stays between these namespaces and their loopbacks. Everything is torn down by
 * `down()`, and every wait is bounded.
 */
import { execa } from 'execa';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultBindir, osUserIds, waitFor } from './lab';
import { netnsPids, powerLoss, signalAll } from './netns';

export interface NsNode {
  name: 'primary' | 'standby';
  ns: string;
  ip: string;
  veth: string;
  data: string;
  log: string;
}

export class NetnsPair {
  readonly dir = mkdtempSync('/tmp/pgsr-faults-');
  readonly id = `${process.pid % 10000}`;
  readonly net = 201;
  readonly sub = (process.pid % 200) + 20;
  readonly primary: NsNode;
  readonly standby: NsNode;
  readonly osUser = 'postgres';
  bindir = '';
  readonly passwordRole = { name: 'pgsr_pw', password: `fault-secret-${Math.random().toString(36).slice(2, 10)}` };

  /**
   * @param opts.defaultTimeouts PostgreSQL's own wal_sender_timeout / wal_receiver_timeout (60 s)
   *   and status interval (10 s), as users run them; else 3 s / 1 s for a fast suite.
   */
  constructor(readonly opts: { defaultTimeouts?: boolean } = {}) {
    const base = `10.${this.net}.${this.sub}`;
    this.primary = {
      name: 'primary',
      ns: `pgsrf${this.id}p`,
      ip: `${base}.1`,
      veth: `pf${this.id}p`,
      data: join(this.dir, 'primary'),
      log: join(this.dir, 'primary.log'),
    };
    this.standby = {
      name: 'standby',
      ns: `pgsrf${this.id}s`,
      ip: `${base}.2`,
      veth: `pf${this.id}s`,
      data: join(this.dir, 'standby'),
      log: join(this.dir, 'standby.log'),
    };
  }

  /** Runs a command inside a node's namespace (as root, or as the OS user when `asPg`). */
  async x(
    node: NsNode,
    cmd: string[],
    opts: { asPg?: boolean; timeoutMs?: number; env?: Record<string, string>; input?: string } = {},
  ) {
    const inner = opts.asPg ? ['runuser', '-u', this.osUser, '--', ...cmd] : cmd;
    return execa('ip', ['netns', 'exec', node.ns, ...inner], {
      reject: false,
      timeout: opts.timeoutMs ?? 60_000,
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', ...opts.env },
      extendEnv: false,
      input: opts.input,
    });
  }

  async psql(node: NsNode, sql: string, env: Record<string, string> = {}): Promise<string> {
    const r = await this.x(
      node,
      ['psql', '-X', '-A', '-t', '-q', '-h', '127.0.0.1', '-p', '5432', '-U', 'postgres', '-d', 'postgres'],
      { input: sql, timeoutMs: 15_000, env: { PGCONNECT_TIMEOUT: '5', ...env } },
    );
    if (r.exitCode !== 0) throw new Error(`psql on ${node.name}: ${r.stderr}`);
    return String(r.stdout).trim();
  }

  private conf(node: NsNode): string {
    return [
      `listen_addresses = '127.0.0.1,${node.ip}'`,
      'port = 5432',
      `unix_socket_directories = '${join(this.dir, `${node.name}-sock`)}'`,
      'wal_level = replica',
      'max_wal_senders = 10',
      'hot_standby = on',
      // WAL is kept for the standby by its replication slot, up to a limit: past it the slot is
      // lost and the standby can never catch up (a fault of the suite).
      "wal_keep_size = '0'",
      "max_slot_wal_keep_size = '32MB'",
      'wal_log_hints = on',
      "password_encryption = 'scram-sha-256'",
      'fsync = off',
      'max_connections = 20',
      'superuser_reserved_connections = 3',
      // Fast failure detection for most of the suite (defaults are 60 s); the power-loss
      // scenarios run with the defaults.
      ...(this.opts.defaultTimeouts
        ? []
        : [
            "wal_sender_timeout = '3s'",
            "wal_receiver_timeout = '3s'",
            "wal_retrieve_retry_interval = '1s'",
            "wal_receiver_status_interval = '1s'",
          ]),
      'archive_mode = on',
      "archive_command = 'true'",
      '',
    ].join('\n');
  }

  async up(): Promise<void> {
    this.bindir = await defaultBindir();
    const { uid, gid } = osUserIds(this.osUser);
    chownSync(this.dir, uid, gid);
    // Sockets outside PGDATA: pg_basebackup would copy a socket lock file into the standby.
    for (const n of [this.primary, this.standby]) {
      mkdirSync(join(this.dir, `${n.name}-sock`));
      chownSync(join(this.dir, `${n.name}-sock`), uid, gid);
    }
    for (const n of [this.primary, this.standby]) {
      await execa('ip', ['netns', 'add', n.ns]);
      await execa('ip', ['-n', n.ns, 'link', 'set', 'lo', 'up']);
    }
    await execa('ip', ['link', 'add', this.primary.veth, 'type', 'veth', 'peer', 'name', this.standby.veth]);
    for (const n of [this.primary, this.standby]) {
      await execa('ip', ['link', 'set', n.veth, 'netns', n.ns]);
      await execa('ip', ['-n', n.ns, 'addr', 'add', `${n.ip}/24`, 'dev', n.veth]);
      await execa('ip', ['-n', n.ns, 'link', 'set', n.veth, 'up']);
    }
    const P = this.primary;
    const S = this.standby;
    const run = async (node: NsNode, cmd: string[]) => {
      const r = await this.x(node, cmd, { asPg: true, timeoutMs: 120_000 });
      if (r.exitCode !== 0) throw new Error(`${cmd[0]} on ${node.name} failed: ${r.stderr || r.stdout}`);
    };
    await run(P, [
      join(this.bindir, 'initdb'),
      '-D',
      P.data,
      '-U',
      'postgres',
      '--auth=trust',
      '--locale=C',
      '--encoding=UTF8',
      '--no-sync',
    ]);
    writeFileSync(join(P.data, 'pgsr-faults.conf'), this.conf(P));
    writeFileSync(join(P.data, 'postgresql.conf'), `\ninclude_if_exists = 'pgsr-faults.conf'\n`, { flag: 'a' });
    writeFileSync(
      join(P.data, 'pg_hba.conf'),
      [
        'local all all trust',
        `host all ${this.passwordRole.name} 0.0.0.0/0 scram-sha-256`,
        'host all postgres 127.0.0.1/32 trust',
        `host all postgres 10.${this.net}.${this.sub}.0/24 trust`,
        `host replication all 10.${this.net}.${this.sub}.0/24 trust`,
        '',
      ].join('\n'),
    );
    for (const f of ['pgsr-faults.conf', 'pg_hba.conf']) chownSync(join(P.data, f), uid, gid);
    await run(P, [join(this.bindir, 'pg_ctl'), '-D', P.data, '-l', P.log, '-w', '-t', '60', 'start']);
    await this.psql(
      P,
      `CREATE ROLE ${this.passwordRole.name} LOGIN PASSWORD '${this.passwordRole.password}'; GRANT pg_monitor TO ${this.passwordRole.name};`,
    );
    await this.psql(P, "SELECT pg_create_physical_replication_slot('slave_slot', true)");
    await run(S, [
      join(this.bindir, 'pg_basebackup'),
      '-h',
      P.ip,
      '-p',
      '5432',
      '-U',
      'postgres',
      '-D',
      S.data,
      '-X',
      'stream',
      '-c',
      'fast',
      '--no-sync',
    ]);
    writeFileSync(join(S.data, 'pgsr-faults.conf'), this.conf(S));
    writeFileSync(join(S.data, 'standby.signal'), '');
    writeFileSync(
      join(S.data, 'postgresql.auto.conf'),
      `primary_conninfo = 'host=${P.ip} port=5432 user=postgres application_name=slave'\nrecovery_target_timeline = 'latest'\nprimary_slot_name = 'slave_slot'\n`,
    );
    for (const f of ['pgsr-faults.conf', 'standby.signal', 'postgresql.auto.conf'])
      chownSync(join(S.data, f), uid, gid);
    await run(S, [join(this.bindir, 'pg_ctl'), '-D', S.data, '-l', S.log, '-w', '-t', '60', 'start']);
    await this.waitStreaming(30_000);
  }

  async streaming(): Promise<boolean> {
    try {
      return (await this.psql(this.standby, 'SELECT status FROM pg_stat_wal_receiver')) === 'streaming';
    } catch {
      return false;
    }
  }

  waitStreaming(ms: number): Promise<void> {
    return waitFor('streaming', () => this.streaming(), ms);
  }

  /** postmaster pid of a node (from postmaster.pid). */
  async postmasterPid(node: NsNode): Promise<number> {
    const r = await execa('head', ['-1', join(node.data, 'postmaster.pid')]);
    return Number(r.stdout.trim());
  }

  async pgCtl(node: NsNode, args: string[]) {
    return this.x(node, [join(this.bindir, 'pg_ctl'), '-D', node.data, ...args], { asPg: true, timeoutMs: 90_000 });
  }

  /** Power loss of a node: every process of its namespace frozen (no FIN, no RST), then its link down. */
  async powerLoss(node: NsNode): Promise<number[]> {
    return powerLoss(node.ns, node.veth);
  }

  /** Power back: link up, processes resumed (as if the node had only been frozen). */
  async powerBack(node: NsNode, pids: number[]): Promise<void> {
    await execa('ip', ['-n', node.ns, 'link', 'set', node.veth, 'up']);
    signalAll(pids, 'SIGCONT');
  }

  async down(): Promise<void> {
    for (const n of [this.primary, this.standby]) signalAll(netnsPids(n.ns), 'SIGCONT');
    for (const n of [this.standby, this.primary]) {
      if (existsSync(join(n.data, 'postmaster.pid'))) {
        const pid = await this.postmasterPid(n).catch(() => 0);
        if (pid > 0) {
          try {
            process.kill(pid, 'SIGCONT');
          } catch {
            // gone
          }
        }
        await this.pgCtl(n, ['-m', 'immediate', '-w', '-t', '30', 'stop']);
      }
    }
    for (const n of [this.primary, this.standby]) await execa('ip', ['netns', 'del', n.ns], { reject: false });
    if (!process.env.PGSR_KEEP_FAULTS_DIR) rmSync(this.dir, { recursive: true, force: true });
  }
}
