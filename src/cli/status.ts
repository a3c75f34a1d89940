/** `pgsr status`: commander wiring of the cluster view (src/agents/status.ts). */
import { Command, Option } from 'commander';
import { status } from '../agents/status';
import { resolveWithSources } from '../config/resolve';
import { ConfigError } from '../errors';
import type { CommandResult } from '../types';
import { addConnectionOptions } from './check';
import { typedSettings } from './settings';
import { t } from '../i18n';

const collect = (v: string, prev: string[] | undefined) => [...(prev ?? []), v];

/** The `status` subcommand. */
export function statusCommand(run: (result: Promise<CommandResult>) => void): Command {
  const cmd = new Command('status').description('one view of the whole cluster: who is primary, who streams from whom, how far behind').helpOption('--help', 'display help for command');
  return addConnectionOptions(cmd)
    .option('--node <name=conninfo>', "a node of the cluster, e.g. db1='host=10.0.0.1 port=5432' (repeatable; config file: node.NAME = conninfo); -U, --sslmode and the password file apply to every node", collect)
    .option('-t, --timeout <seconds>', 'bound of each round: every node is asked in parallel (default 10)')
    .addOption(new Option('--format <format>', 'text (a table) or json').choices(['text', 'json']))
    .addOption(new Option('--watch [seconds]', 'again every N seconds until interrupted (default 2): redrawn in place on a terminal, one JSON line per round otherwise').argParser((v) => v))
    .option('--log-level <level>', 'diagnostics on stderr')
    .action((_o, command: Command) => {
      run(
        Promise.resolve().then(() => {
          const raw = typedSettings(command);
          if (raw.password !== undefined) throw new ConfigError(t('config.password_flag'));
          const watch = command.opts().watch as string | boolean | undefined;
          delete raw.watch;
          const json = raw.format === 'json';
          const { config, sources } = resolveWithSources({ ...raw, format: 'text', alert: false }, { env: process.env, uid: process.getuid?.() ?? -1 }, {});
          const watchS = watch === undefined ? undefined : watch === true ? 2 : Number(watch);
          if (watchS !== undefined && !(watchS >= 0.5 && watchS <= 3600)) throw new ConfigError(t('status.bad_watch', { value: String(watch) }));
          return status(config, sources.nodes(), json, watchS);
        }),
      );
    });
}
