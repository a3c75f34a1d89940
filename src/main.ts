/**
 * pgsr entry point: the only place that reads argv and calls process.exit. Usage and
 * configuration errors become one line on stderr and the configuration exit code; a bug
 * becomes one line and the internal-error code; never a stack trace.
 */
import { CommanderError } from 'commander';
import { basename } from 'node:path';
import type { CommandResult } from './cli/check';
import { buildProgram } from './cli/program';
import { NAGIOS_EXIT } from './dialect/nagios';
import { EXIT } from './dialect/clusterpro';
import { ConfigError, oneLine } from './errors';
import { langArgument, langFromLocale, parseLang, setLang, t } from './i18n';

import { VERSION } from './version';

function write(stream: NodeJS.WriteStream, lines: string[]): void {
  if (lines.length) stream.write(lines.join('\n') + '\n');
}

/**
 * A commander error message (`error: unknown option '--x'`...) as pgsr's one-line usage error in
 * the message language: commander's common errors are translated, others keep its English text.
 */
export function usageLine(s: string): string {
  const text = s.replace(/^error: /, '').replace(/\n+$/, '');
  const [first, ...more] = text.split('\n');
  const patterns: Array<[RegExp, (m: RegExpExecArray) => string]> = [
    [/^unknown option '([^']+)'$/, (m) => t('usage.unknown_option', { option: m[1] })],
    [/^missing required argument '([^']+)'$/, (m) => t('usage.missing_argument', { name: m[1] })],
    [/^option '([^']+)' argument missing$/, (m) => t('usage.option_missing_argument', { option: m[1] })],
    [/^unknown command '([^']+)'$/, (m) => t('usage.unknown_command', { name: m[1] })],
    [/^too many arguments(.*)$/, (m) => t('usage.excess_arguments', { detail: m[1] })],
  ];
  const hit = patterns.map(([re, f]) => [re.exec(first), f] as const).find(([m]) => m !== null);
  const line = hit ? hit[1](hit[0] as RegExpExecArray) : first;
  return `${t('main.usage_error', { detail: [line, ...more].join(' ').trim() })}\n`;
}

/** Commander output: usage errors as one `pgsr: usage error: ...` line on stderr. */
const OUTPUT = {
  writeErr: (s: string) => process.stderr.write(s),
  writeOut: (s: string) => process.stdout.write(s),
  outputError: (s: string, w: (s: string) => void) => w(`pgsr: ${usageLine(s)}`),
};
/** Nagios plugins report usage errors as an UNKNOWN status line on stdout. */
const NAGIOS_OUTPUT = {
  ...OUTPUT,
  outputError: (s: string) => process.stdout.write(`PGSR UNKNOWN - ${usageLine(s)}`),
};

/** One error line where the host reads it: a Nagios UNKNOWN status line on stdout, else `pgsr: ...` on stderr. */
function reportError(nagios: boolean, line: string): void {
  if (nagios) process.stdout.write(`PGSR UNKNOWN - ${line}\n`);
  else process.stderr.write(`pgsr: ${line}\n`);
}

/**
 * True when pgsr answers as a Nagios plugin: invoked as `check_pgsr` (symlink or copy), or with
 * `--format nagios`. Then usage errors, --help and --version exit 3 (UNKNOWN), as the
 * monitoring-plugins guidelines require.
 */
export function isNagiosInvocation(args: string[], scriptPath: string | undefined): boolean {
  if (scriptPath && /^check_pgsr/.test(basename(scriptPath))) return true;
  return args.some((a, i) => a === '--format=nagios' || (a === '--format' && args[i + 1] === 'nagios'));
}

/**
 * Runs pgsr with the given arguments (without `node` and the script) and returns the exit code.
 * @param scriptPath argv[1], to recognise the `check_pgsr` entry point.
 */
export async function main(args: string[], scriptPath?: string): Promise<number> {
  const asCheckPgsr = Boolean(scriptPath && /^check_pgsr/.test(basename(scriptPath)));
  const nagios = isNagiosInvocation(args, scriptPath);
  const usageExit = nagios ? NAGIOS_EXIT.unknown : EXIT.config;
  const okExit = nagios ? NAGIOS_EXIT.unknown : EXIT.ok;
  setLang(langFromLocale(process.env), 'locale');
  const langArg = langArgument(args);
  if (langArg !== undefined) {
    const lang = parseLang(langArg);
    if (!lang) {
      reportError(nagios, t('main.usage_error', { detail: t('main.bad_lang', { value: langArg }) }));
      return usageExit;
    }
    setLang(lang, 'flag');
  }
  if (asCheckPgsr || nagios) {
    // monitoring-plugins guidelines: -V/--version prints the version (UNKNOWN exit as for --help).
    if (args.includes('-V') || args.includes('--version')) {
      process.stdout.write(`check_pgsr (pgsr) ${VERSION}\n`);
      return NAGIOS_EXIT.unknown;
    }
    if (asCheckPgsr) args = ['check', ...args];
  }
  let pending: Promise<CommandResult> | undefined;
  const program = buildProgram((p) => (pending = p), {
    asCheckPgsr,
    output: nagios ? NAGIOS_OUTPUT : OUTPUT,
    only: args[0],
  });

  try {
    await program.parseAsync(args, { from: 'user' });
    if (!pending) {
      program.outputHelp();
      return usageExit;
    }
    const result = await pending;
    write(process.stdout, result.stdout);
    write(process.stderr, result.stderr);
    return result.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version are not errors; commander already printed its text.
      if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help')
        return okExit;
      return usageExit;
    }
    if (err instanceof ConfigError) {
      reportError(nagios, t('main.config_error', { detail: oneLine(err) }));
      return usageExit;
    }
    reportError(nagios, t('main.internal_error', { detail: oneLine(err) }));
    return nagios ? NAGIOS_EXIT.unknown : EXIT.internal;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.argv[1]).then(
    (code) => process.exit(code),
    (err) => {
      process.stderr.write(`pgsr: internal error: ${oneLine(err)}\n`);
      process.exit(EXIT.internal);
    },
  );
}
