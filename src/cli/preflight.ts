/** `pgsr preflight`: commander wiring of the prerequisite checks (src/agents/preflight.ts). */
import { Command, Option } from 'commander';
import { preflight } from '../agents/preflight';
import type { CommandResult } from '../types';
import { addConnectionOptions } from './check';
import { clusterSettings, collect, NODE_OPTION_HELP, PGPOOL_OPTION_HELP, withClusterNodes } from './status';

/** The `preflight` subcommand. */
export function preflightCommand(run: (result: Promise<CommandResult>) => void): Command {
  const cmd = new Command('preflight')
    .description(
      'every prerequisite of failover, rebuild and pg_rewind checked at once, each with its fix (exit 0 pass, 1 warnings, 2 failures)',
    )
    .helpOption('--help', 'display help for command');
  return addConnectionOptions(cmd)
    .option('--node <name=conninfo>', NODE_OPTION_HELP, collect)
    .option('--pgpool <host:port>', PGPOOL_OPTION_HELP)
    .option(
      '--application-name <name>',
      'a standby the primary must see by this application_name (repeatable)',
      collect,
    )
    .option('--rep-mode <mode>', 'async|sync: under sync, synchronous_commit is checked too (default async)')
    .option('-t, --timeout <seconds>', 'bound of the whole run: every node is asked in parallel (default 10)')
    .addOption(new Option('--format <format>', 'text or json').choices(['text', 'json']))
    .option('--log-level <level>', 'diagnostics on stderr')
    .action((_o, command: Command) => {
      run(
        Promise.resolve().then(() => {
          const settings = clusterSettings(command);
          return withClusterNodes(settings, (nodes) => preflight(settings.config, nodes, settings.json));
        }),
      );
    });
}
