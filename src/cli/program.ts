/**
 * The whole command line as one commander tree: main.ts parses argv with it, and the man page
 * generator (scripts/man.ts) walks the same tree, so pgsr(1) cannot drift from `--help`.
 */
import { Command, type OutputConfiguration } from 'commander';
import { VERSION } from '../version';
import type { CommandResult } from './check';
import { checkCommand } from './check';
import { lifecycleCommands } from './lifecycle';
import { ocfCommand } from './ocf';
import { pgpoolCommand } from './pgpool';
import { preflightCommand } from './preflight';
import { statusCommand } from './status';
import { watchCommand } from './watch';

/** How the tree reports: `asCheckPgsr` makes `check` default to the Nagios format. */
export interface ProgramOptions {
  asCheckPgsr?: boolean;
  output?: OutputConfiguration;
  /**
   * Build only this subcommand (the first argument), when it is one of COMMAND_NAMES: a one-shot
   * check then pays for its own options only, not for the whole tree's. Unset: the whole tree
   * (top-level --help, unknown commands and their suggestions, the man page).
   */
  only?: string;
}

/** The top-level subcommands, in --help order. */
export const COMMAND_NAMES = [
  'check',
  'watch',
  'status',
  'preflight',
  'start',
  'stop',
  'promote',
  'rebuild',
  'switchover',
  'archive',
  'unlock',
  'exec',
  'pgpool',
  'ocf',
] as const;

/**
 * Builds the pgsr command tree. Each subcommand's action hands its pending result to `onPending`
 * (main.ts awaits it and prints it); nothing runs until commander parses arguments.
 */
export function buildProgram(onPending: (p: Promise<CommandResult>) => void, opts: ProgramOptions = {}): Command {
  const program = new Command('pgsr')
    .description('cluster-aware agent for a PostgreSQL streaming-replication pair (CLUSTERPRO, Pacemaker, Nagios)')
    .version(VERSION, '-V, --version')
    .helpOption('--help', 'display help for command')
    .option(
      '--lang <lang>',
      'message language: en or ja (default: ja when LC_ALL, LC_MESSAGES or LANG is ja_*, else en; config file key lang); machine-read output never changes',
    )
    .showHelpAfterError(false)
    .exitOverride();
  if (opts.output) program.configureOutput(opts.output);
  const only = (COMMAND_NAMES as readonly string[]).includes(opts.only ?? '') ? opts.only : undefined;
  const wanted = (name: string) => only === undefined || only === name;
  if (wanted('check')) program.addCommand(checkCommand(onPending, opts.asCheckPgsr ? 'nagios' : undefined));
  if (wanted('watch')) program.addCommand(watchCommand(onPending));
  if (wanted('status')) program.addCommand(statusCommand(onPending));
  if (wanted('preflight')) program.addCommand(preflightCommand(onPending));
  for (const c of lifecycleCommands(onPending, only)) program.addCommand(c);
  if (wanted('pgpool')) program.addCommand(pgpoolCommand(onPending));
  if (wanted('ocf')) {
    program
      .command('ocf')
      .description('OCF resource agent (Pacemaker promotable clone); configuration from OCF_RESKEY_* only')
      .argument('<action>', 'start|stop|monitor|promote|demote|notify|reload|meta-data|validate-all')
      .helpOption('--help', 'display help for command')
      .action(ocfCommand(onPending, VERSION));
  }
  // addCommand() does not pass settings down: every subcommand gets them explicitly.
  const configure = (c: Command): void => {
    c.exitOverride();
    // --lang is the program's: each subcommand's --help lists it under "Global Options".
    c.configureHelp({ showGlobalOptions: true });
    if (opts.output) c.configureOutput(opts.output);
    c.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  return program;
}
