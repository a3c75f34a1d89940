/** `pgsr watch`: commander wiring of the resident monitor (src/agents/watch.ts). */
import { Command } from 'commander';
import { watch } from '../agents/watch';
import { addCheckOptions, configFrom, type CommandResult } from './check';

/** Builds the `watch` subcommand. */
export function watchCommand(run: (result: Promise<CommandResult>) => void): Command {
  const cmd = new Command('watch')
    .description(
      'keep checking replication on one server (asynchronous CLUSTERPRO custom monitor); exits after --fail-after failures',
    )
    .helpOption('--help', 'display help for command');
  addCheckOptions(cmd)
    .option('--interval <seconds>', 'seconds between checks (default 10)')
    .option('--heartbeat <seconds>', 'seconds between heartbeat lines while nothing changes (default 300, 0 = none)')
    .option('--fail-after <n>', 'exit after this many consecutive failed checks (default 3, 0 = never)')
    .option(
      '--status-file <file>',
      'rewrite this JSON file atomically with the last verdict (schema pgsr.check/1 + watch)',
    )
    .option(
      '--metrics-listen <addr:port>',
      'also serve GET /metrics there (Prometheus text or OpenMetrics) from the last check; default: nothing listens',
    )
    .action((_opts, command: Command) => {
      run(Promise.resolve().then(() => watch(configFrom(command, 'clusterpro'))));
    });
  return cmd;
}
