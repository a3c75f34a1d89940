/** `pgsr status`: commander wiring of the cluster view (src/agents/status.ts). */
import { Command, Option } from 'commander';
import { poolBackends, status, type StatusNode } from '../agents/status';
import { resolveWithSources, type CheckConfig } from '../config/resolve';
import { ConfigError } from '../errors';
import type { CommandResult } from '../types';
import { addConnectionOptions } from './check';
import { typedSettings } from './settings';
import { t } from '../i18n';

/** Commander's collector of a repeatable option. */
export const collect = (v: string, prev: string[] | undefined) => [...(prev ?? []), v];

/** `--node NAME=CONNINFO` (repeatable), shared by `status` and `preflight`. */
export const NODE_OPTION_HELP =
  "a node of the cluster, e.g. db1='host=10.0.0.1 port=5432' (repeatable; config file: node.NAME = conninfo); -U, --sslmode and the password file apply to every node";

/**
 * The settings of a cluster-wide command (`status`, `preflight`) from its parsed options, the
 * environment and the config file; `watch` is left to the caller.
 * @throws ConfigError for a password on the command line or a bad setting.
 */
export function clusterSettings(command: Command): {
  config: CheckConfig;
  nodes: StatusNode[];
  json: boolean;
  watch: string | boolean | undefined;
  pgpool: string | undefined;
} {
  const raw = typedSettings(command);
  if (raw.password !== undefined) throw new ConfigError(t('config.password_flag'));
  const watch = command.opts().watch as string | boolean | undefined;
  const pgpool = command.opts().pgpool as string | undefined;
  delete raw.watch;
  delete raw.pgpool;
  const { config, sources } = resolveWithSources(
    { ...raw, format: 'text', alert: false },
    { env: process.env, uid: process.getuid?.() ?? -1 },
    {},
  );
  return { config, nodes: sources.nodes(), json: raw.format === 'json', watch, pgpool };
}

/** `--pgpool HOST:PORT`: the nodes are Pgpool-II's backends. */
export const PGPOOL_OPTION_HELP =
  'the nodes are the backends of the Pgpool-II at HOST:PORT (SHOW POOL_NODES, named node0, node1... as Pgpool numbers them) instead of --node';

/**
 * The nodes of a cluster-wide command: Pgpool-II's backends when `--pgpool` is given, else the
 * `--node` list; a Pgpool that cannot be asked ends the command with UNKNOWN (exit 3) and why.
 */
export async function withClusterNodes(
  s: ReturnType<typeof clusterSettings>,
  f: (nodes: StatusNode[]) => Promise<CommandResult>,
): Promise<CommandResult> {
  if (s.pgpool === undefined) return f(s.nodes);
  const pool = await poolBackends(s.config, s.pgpool);
  return pool.ok ? f(pool.nodes) : { exitCode: 3, stdout: [], stderr: [pool.message] };
}

/** The `status` subcommand. */
export function statusCommand(run: (result: Promise<CommandResult>) => void): Command {
  const cmd = new Command('status')
    .description('one view of the whole cluster: who is primary, who streams from whom, how far behind')
    .helpOption('--help', 'display help for command');
  return addConnectionOptions(cmd)
    .option('--node <name=conninfo>', NODE_OPTION_HELP, collect)
    .option('--pgpool <host:port>', PGPOOL_OPTION_HELP)
    .option('-t, --timeout <seconds>', 'bound of each round: every node is asked in parallel (default 10)')
    .addOption(new Option('--format <format>', 'text (a table) or json').choices(['text', 'json']))
    .addOption(
      new Option(
        '--watch [seconds]',
        'again every N seconds until interrupted (default 2): redrawn in place on a terminal, one JSON line per round otherwise',
      ).argParser((v) => v),
    )
    .option('--log-level <level>', 'diagnostics on stderr')
    .action((_o, command: Command) => {
      run(
        Promise.resolve().then(() => {
          const settings = clusterSettings(command);
          const { json, watch } = settings;
          const watchS = watch === undefined ? undefined : watch === true ? 2 : Number(watch);
          if (watchS !== undefined && !(watchS >= 0.5 && watchS <= 3600))
            throw new ConfigError(t('status.bad_watch', { value: String(watch) }));
          return withClusterNodes(settings, (nodes) => status(settings.config, nodes, json, watchS));
        }),
      );
    });
}
