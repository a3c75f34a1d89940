/**
 * `pgsr preflight`: every node of the cluster asked in parallel (the check's observation and the
 * preflight settings, each bounded by the run's timeout), then a replication connection to the
 * one primary as its standbys' user, and this machine's password files; judged in
 * verdict/preflight.ts, rendered in dialect/preflight.ts. Exit 0 all pass, 1 warnings, 2 failures.
 */
import type { CheckConfig } from '../config/resolve';
import { addressOf } from '../config/conninfo';
import { preflightJson, renderPreflightText } from '../dialect/preflight';
import type { ReplicationAttempt } from '../observation';
import { observe } from '../probe/observe';
import { identifySystem, passfileFacts, probePreflight } from '../probe/preflight';
import type { CommandResult } from '../types';
import { preflightChecks, preflightExit, type PreflightNode } from '../verdict/preflight';
import { assertNodes, nodeConnection, type StatusNode } from './status';

/** A node as preflight asked it, with the connection it was asked on. */
type AskedNode = PreflightNode & { conn: ReturnType<typeof nodeConnection> };

/**
 * Runs every check once within `cfg.timeoutMs`.
 * @throws ConfigError when no node is given or two share a name.
 */
export async function preflight(cfg: CheckConfig, nodes: StatusNode[], json: boolean): Promise<CommandResult> {
  assertNodes(nodes);
  const deadline = Date.now() + cfg.timeoutMs;
  const asked = await Promise.all(
    nodes.map(async (n): Promise<AskedNode> => {
      const conn = nodeConnection(cfg, n);
      const [obs, facts] = await Promise.all([observe(conn, deadline), probePreflight(conn, deadline)]);
      return { name: n.name, obs, facts, conn };
    }),
  );
  const checks = preflightChecks({
    nodes: asked,
    replication: await replicationAttempt(cfg, asked, deadline),
    passfiles: passfileFacts(cfg.connection.passfiles, cfg.osUser),
    repMode: cfg.sync.repMode,
    applicationNames: cfg.applicationNames,
  });
  const out = json ? [JSON.stringify(preflightJson(checks))] : renderPreflightText(checks);
  return { exitCode: preflightExit(checks), stdout: out, stderr: [] };
}

/**
 * IDENTIFY_SYSTEM to the one primary as its standbys would connect: the user of the first
 * standby's walreceiver conninfo, else pgsr's own user. Undefined without exactly one primary.
 */
async function replicationAttempt(
  cfg: CheckConfig,
  asked: Array<AskedNode>,
  deadline: number,
): Promise<ReplicationAttempt | undefined> {
  const primaries = asked.filter((n) => n.obs.ok && n.obs.primary);
  if (primaries.length !== 1) return undefined;
  const conninfo = asked.map((n) => (n.obs.ok ? n.obs.standby?.walreceiver?.conninfo : undefined)).find((c) => !!c);
  const user = (conninfo ? addressOf(conninfo).user : undefined) ?? cfg.connection.user;
  const p = primaries[0].conn;
  return identifySystem(cfg.connection, { host: p.host, port: p.port }, user, deadline);
}
