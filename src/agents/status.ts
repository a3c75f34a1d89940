/**
 * `pgsr status`: every node of the cluster asked in parallel (the check's own probe and verdict,
 * each bounded by the run's timeout), one view rendered (verdict/status.ts, dialect/status.ts).
 * `--watch`: again every N seconds until SIGINT or SIGTERM, redrawn in place on a terminal, one
 * JSON line per round otherwise.
 */
import type { CheckConfig } from '../config/resolve';
import { connectionTo, type ConnectionSettings } from '../config/connection';
import { addressOf } from '../config/conninfo';
import { ConfigError } from '../errors';
import { NAGIOS_EXIT } from '../dialect/nagios';
import { renderStatusText, statusJson } from '../dialect/status';
import { observe } from '../probe/observe';
import { showPoolNodes } from '../probe/pgpool';
import type { CommandResult } from '../types';
import { judge } from '../verdict/check';
import { clusterStatus, type ClusterStatus, type StatusInput } from '../verdict/status';
import { policyOf, withWalVolume } from './monitor';
import { t } from '../i18n';

/** One node to ask: its name and where (a conninfo's host, port, user, dbname over the common settings). */
export interface StatusNode {
  name: string;
  conninfo: string;
}

/** A node's connection: its conninfo's host, port, user and dbname over the common settings. */
export function nodeConnection(cfg: CheckConfig, n: StatusNode): ConnectionSettings {
  const a = addressOf(n.conninfo);
  return connectionTo(cfg.connection, {
    host: a.host ?? cfg.connection.host,
    port: a.port ? Number(a.port) : cfg.connection.port,
    user: a.user,
    database: a.dbname,
  });
}

/**
 * The node list of `status` and `preflight`, checked.
 * @throws ConfigError when no node is given, or a name is empty or given twice.
 */
export function assertNodes(nodes: StatusNode[]): void {
  if (nodes.length === 0) throw new ConfigError(t('status.no_nodes'));
  const dup = nodes.find((n, i) => n.name === '' || nodes.findIndex((m) => m.name === n.name) !== i);
  if (dup) throw new ConfigError(t('status.bad_node', { name: dup.name }));
}

/**
 * The nodes Pgpool-II at `address` (HOST:PORT) knows: its backends (SHOW POOL_NODES), named
 * `node<backend id>` as Pgpool's own logs and pcp commands number them, asked with pgsr's
 * connection settings within half the run's timeout (the other half is the nodes').
 * @returns the nodes, or the one-line reason Pgpool-II could not be asked.
 * @throws ConfigError for an address that is not HOST:PORT.
 */
export async function poolBackends(
  cfg: CheckConfig,
  address: string,
): Promise<{ ok: true; nodes: StatusNode[] } | { ok: false; message: string }> {
  const m = /^(.+):(\d{1,5})$/.exec(address.trim());
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new ConfigError(t('status.bad_pgpool', { value: address }));
  const host = m[1].replace(/^\[(.*)\]$/, '$1');
  const r = await showPoolNodes(
    connectionTo(cfg.connection, { host, port: Number(m[2]) }),
    Date.now() + cfg.timeoutMs / 2,
  );
  if (!r.ok) return { ok: false, message: t('status.pgpool_failed', { where: address, detail: r.failure.detail }) };
  return { ok: true, nodes: r.nodes.map((n) => ({ name: `node${n.id}`, conninfo: `host=${n.host} port=${n.port}` })) };
}

/** Asks every node once, in parallel, within the configured timeout. */
export async function observeCluster(cfg: CheckConfig, nodes: StatusNode[]): Promise<ClusterStatus> {
  const deadline = Date.now() + cfg.timeoutMs;
  const policy = { ...policyOf(cfg), expectedRole: 'auto' as const, minStandbys: 0 };
  const inputs = await Promise.all(
    nodes.map(async (n): Promise<StatusInput> => {
      const conn = nodeConnection(cfg, n);
      const obs = await withWalVolume(await observe(conn, deadline, cfg.senderProbe), conn, deadline);
      return { name: n.name, host: conn.host, port: conn.port, obs, verdict: judge(obs, policy) };
    }),
  );
  return clusterStatus(inputs);
}

const render = (s: ClusterStatus, json: boolean): string =>
  json ? JSON.stringify(statusJson(s)) : renderStatusText(s).join('\n');

/**
 * One view (exit 0/1/2/3 as Nagios by the worst node), or with `watchS` a view every `watchS`
 * seconds until a signal (exit 0).
 * @throws ConfigError when no node is given or two share a name.
 */
export async function status(
  cfg: CheckConfig,
  nodes: StatusNode[],
  json: boolean,
  watchS?: number,
): Promise<CommandResult> {
  assertNodes(nodes);
  if (watchS === undefined) {
    const s = await observeCluster(cfg, nodes);
    return { exitCode: NAGIOS_EXIT[s.severity], stdout: render(s, json).split('\n'), stderr: [] };
  }
  let stopping = false;
  let wake: () => void = () => {};
  const stop = () => {
    stopping = true;
    wake();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const tty = !json && process.stdout.isTTY === true;
  try {
    while (!stopping) {
      const t0 = Date.now();
      const view = render(await observeCluster(cfg, nodes), json || !process.stdout.isTTY);
      // On a terminal the view replaces the last one (cursor home, clear), as watch(1) does.
      process.stdout.write(tty ? `\x1b[H\x1b[2J${new Date().toISOString()}\n${view}\n` : `${view}\n`);
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, Math.max(0, watchS * 1000 - (Date.now() - t0)));
      });
    }
  } finally {
    process.removeListener('SIGINT', stop);
    process.removeListener('SIGTERM', stop);
  }
  return { exitCode: 0, stdout: [], stderr: [] };
}
