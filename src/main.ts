/**
 * pgsr entry point: the only place that reads argv and calls process.exit. Usage and
 * configuration errors become one line on stderr and the configuration exit code; a bug
 * becomes one line and the internal-error code; never a stack trace.
 */
import { Command, CommanderError } from 'commander';
import { checkCommand, type CommandResult } from './cli/check';
import { EXIT } from './dialect/clusterpro';
import { ConfigError, oneLine } from './errors';

declare const PGSR_VERSION: string;
/** Version injected by the bundler (scripts/build.mjs); "dev" when run from sources. */
export const VERSION = typeof PGSR_VERSION === 'string' ? PGSR_VERSION : 'dev';

function write(stream: NodeJS.WriteStream, lines: string[]): void {
  if (lines.length) stream.write(lines.join('\n') + '\n');
}

/** Commander output: usage errors as one `pgsr: usage error: ...` line on stderr. */
const OUTPUT = {
  writeErr: (s: string) => process.stderr.write(s),
  writeOut: (s: string) => process.stdout.write(s),
  outputError: (s: string, w: (s: string) => void) => w(`pgsr: ${s.replace(/^error: /, 'usage error: ')}`),
};

/** Runs pgsr with the given arguments (without `node` and the script) and returns the exit code. */
export async function main(args: string[]): Promise<number> {
  let pending: Promise<CommandResult> | undefined;
  const program = new Command('pgsr')
    .description('cluster-aware agent for a PostgreSQL streaming-replication pair (CLUSTERPRO, Pacemaker, Nagios)')
    .version(VERSION, '-V, --version')
    .helpOption('--help', 'display help for command')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput(OUTPUT);
  program.addCommand(checkCommand((p) => (pending = p)));
  // addCommand() does not pass settings down: every subcommand gets them explicitly.
  for (const sub of program.commands) sub.exitOverride().configureOutput(OUTPUT);

  try {
    await program.parseAsync(args, { from: 'user' });
    if (!pending) {
      program.outputHelp();
      return EXIT.config;
    }
    const result = await pending;
    write(process.stdout, result.stdout);
    write(process.stderr, result.stderr);
    return result.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version are not errors; commander already printed its text.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
      return EXIT.config;
    }
    if (err instanceof ConfigError) {
      process.stderr.write(`pgsr: configuration error: ${oneLine(err)}\n`);
      return EXIT.config;
    }
    process.stderr.write(`pgsr: internal error: ${oneLine(err)}\n`);
    return EXIT.internal;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`pgsr: internal error: ${oneLine(err)}\n`);
      process.exit(EXIT.internal);
    },
  );
}
