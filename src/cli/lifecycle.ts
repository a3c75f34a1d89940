/**
 * Lifecycle subcommands: start, stop, promote, rebuild, switchover, archive, unlock, exec.
 * Each resolves its configuration, runs the action, renders the result in the chosen format
 * and, in the CLUSTERPRO format, raises an alert for the outcome.
 */
import { Command, Option } from 'commander';
import { resolveLifecycleConfig, type LifecycleConfig } from '../config/lifecycle';
import { ConfigError } from '../errors';
import {
  ACTION_EXIT,
  actionAlert,
  renderActionClusterpro,
  renderActionJson,
  renderActionText,
} from '../dialect/action';
import { sendAlert } from '../host/alert';
import { archive, promote, rebuild, start, stop, switchover, unlock } from '../lifecycle/actions';
import { execStart, execStop } from '../agents/exec';
import type { ActionResult } from '../lifecycle/plan';
import type { CommandResult } from './check';
import { addConnectionOptions } from './check';
import { collect, typedSettings } from './settings';
import { t } from '../i18n';

type Runner = (result: Promise<CommandResult>) => void;

/** A line to the host's log at once (the exec adapters' decision line comes before the result). */
const emitLine = (line: string): void => {
  process.stdout.write(`${line}\n`);
};

/** Options every lifecycle command takes. */
function addLifecycleOptions(cmd: Command, timeoutDefault: number): Command {
  return addConnectionOptions(cmd)
    .option('-D, --pgdata <dir>', 'data directory (PGDATA)')
    .option(
      '--config-dir <dir>',
      'directory of postgresql.conf, pg_hba.conf, pg_ident.conf when not the data directory (default: found for Debian clusters in /etc/postgresql)',
    )
    .option(
      '--bindir <dir>',
      "PostgreSQL bin directory of the data directory's major (default: the major's /usr/lib/postgresql/<major>/bin or /usr/pgsql-<major>/bin)",
    )
    .option('-t, --timeout <seconds>', `bound of the whole command (default ${timeoutDefault})`)
    .option('--dry-run', 'print the plan, change nothing')
    .option(
      '--rep-mode <mode>',
      'async|sync: under sync, a node started as a standby or promoted carries no stale synchronous_standby_names (default async)',
    )
    .addOption(
      new Option(
        '--format <format>',
        'text|json|clusterpro (clusterpro also raises a clplogcmd alert for the outcome)',
      ).choices(['text', 'json', 'clusterpro']),
    )
    .option('--no-alert', 'CLUSTERPRO: do not call clplogcmd')
    .option('--clplogcmd <path>', 'CLUSTERPRO: clplogcmd to run')
    .option('--state-dir <dir>', 'state directory (PGSR_STATE_DIR)')
    .option('--log-level <level>', 'diagnostics on stderr');
}

function lifecycleConfig(command: Command, timeoutS: number): LifecycleConfig {
  const raw = typedSettings(command);
  if (raw.password !== undefined) throw new ConfigError(t('config.password_flag'));
  return resolveLifecycleConfig(raw, { env: process.env, uid: process.getuid?.() ?? -1 }, { timeoutS });
}

/** Renders an action result in the configured format (text by default for commands run by hand). */
export async function renderAction(
  cfg: LifecycleConfig,
  r: ActionResult,
  extraLines: string[] = [],
): Promise<CommandResult> {
  const now = new Date();
  const exitCode = ACTION_EXIT[r.outcome];
  const format = cfg.common.format === 'nagios' ? 'text' : cfg.common.format;
  if (format === 'json') return { exitCode, stdout: [renderActionJson(r, now)], stderr: [] };
  if (format === 'clusterpro') {
    let note = '';
    const alert = cfg.common.alert.enabled ? actionAlert(r) : undefined;
    if (alert) note = ` | ${(await sendAlert(cfg.common.alert.command, alert, cfg.common.alert.syslog, 5000)).detail}`;
    return { exitCode, stdout: [...extraLines, renderActionClusterpro(r, now) + note], stderr: [] };
  }
  return { exitCode, stdout: [...extraLines, ...renderActionText(r)], stderr: [] };
}

function simple(
  name: string,
  description: string,
  timeoutS: number,
  run: Runner,
  act: (cfg: LifecycleConfig) => Promise<ActionResult>,
  extra: (c: Command) => Command = (c) => c,
): Command {
  const cmd = new Command(name).description(description).helpOption('--help', 'display help for command');
  extra(addLifecycleOptions(cmd, timeoutS)).action((_o, command: Command) => {
    run(
      Promise.resolve().then(async () => {
        const cfg = lifecycleConfig(command, timeoutS);
        return renderAction(cfg, await act(cfg));
      }),
    );
  });
  return cmd;
}

/** All lifecycle subcommands. */
export function lifecycleCommands(run: Runner, only?: string): Command[] {
  const make: Record<string, () => Command> = {
    start: () =>
      simple(
        'start',
        'start the local instance (idempotent); as standby it writes the standby configuration of its major',
        60,
        run,
        (cfg) => start(cfg),
        (c) =>
          c
            .addOption(
              new Option('--as <role>', 'standby|primary (default: what the data directory says)').choices([
                'standby',
                'primary',
              ]),
            )
            .option(
              '--primary-conninfo <conninfo>',
              'standby: the upstream to write as primary_conninfo (include application_name)',
            )
            .option(
              '--peer-conninfo <conninfo>',
              'primary: the other node; if it answers as a primary, start is refused (split brain)',
            )
            .option('--server-log <file>', 'pg_ctl -l file (default <pgdata>/pgsr-postmaster.log)'),
      ),
    stop: () =>
      simple(
        'stop',
        'stop the local instance: fast, then immediate if fast does not finish (idempotent)',
        60,
        run,
        (cfg) => stop(cfg),
        (c) => c.option('--fast-timeout <seconds>', 'how long fast shutdown may take before immediate (default 30)'),
      ),
    promote: () =>
      simple(
        'promote',
        'promote the local standby, refusing while the old primary is alive',
        60,
        run,
        (cfg) => promote(cfg),
        (c) =>
          c
            .option(
              '--primary-conninfo <conninfo>',
              'the old primary, checked before promoting (also read from the standby configuration)',
            )
            .option('--peer-conninfo <conninfo>', 'another node that must not be a primary')
            .option('--force', 'promote even if an old primary answers (split brain: you take the responsibility)')
            .option(
              '--post-promote-command <command>',
              'run after promotion (sh -c), e.g. adding the service IP address',
            ),
      ),
    rebuild: () =>
      simple(
        'rebuild',
        'turn this node into a standby of the current primary (pg_rewind, else pg_basebackup)',
        1800,
        run,
        (cfg) => rebuild(cfg),
        (c) =>
          c
            .requiredOption('--from <conninfo>', 'the current primary to copy from (replication connection)')
            .option('--primary-conninfo <conninfo>', 'primary_conninfo to write (default: --from)')
            .addOption(
              new Option(
                '--method <method>',
                'auto|rewind|basebackup (default auto: pg_rewind, then pg_basebackup)',
              ).choices(['auto', 'rewind', 'basebackup']),
            )
            .option(
              '--discard-old',
              "delete the old data directory (and this node's old tablespace contents in the way) instead of keeping it aside",
            )
            .option('--no-progress', 'no progress or wait reports on stderr (the result alone)')
            .option(
              '--max-rate <rate>',
              'pg_basebackup: transfer rate limit in kB/s, suffix k or M (e.g. 100M), 32k to 1024M; default unlimited',
            )
            .option(
              '--tablespace-mapping <olddir=newdir>',
              "pg_basebackup: keep the source's tablespace at OLDDIR in NEWDIR on this node (repeatable)",
              collect,
            )
            .option('--force', 'rebuild even a running primary (what it wrote that the source lacks is discarded)')
            .option('--fast-timeout <seconds>', 'stop: fast shutdown time before immediate')
            .option('--server-log <file>', 'pg_ctl -l file'),
      ),
    switchover: () =>
      simple(
        'switchover',
        'planned role swap of a healthy pair whose data directories are on this host',
        300,
        run,
        (cfg) => switchover(cfg),
        (c) =>
          c
            .requiredOption('--standby-pgdata <dir>', 'the standby data directory')
            .requiredOption(
              '--primary-conninfo <conninfo>',
              'how the old primary reaches the new one (include application_name)',
            )
            .option('--fast-timeout <seconds>', 'fast shutdown time of the primary'),
      ),
    archive: () => {
      const archiveCmd = new Command('archive')
        .description('hold, resume or show WAL archiving on the primary (e.g. while the standby is down)')
        .helpOption('--help', 'display help for command');
      for (const sub of ['hold', 'resume', 'status'] as const)
        archiveCmd.addCommand(simple(sub, `${sub} archiving`, 30, run, (cfg) => archive(cfg, sub)));
      return archiveCmd;
    },
    unlock: () =>
      simple('unlock', 'remove the primary lock (this node holds the latest data)', 10, run, (cfg) => unlock(cfg)),
    exec: () => {
      const execCmd = new Command('exec')
        .description('CLUSTERPRO EXEC resource: start|stop driven by CLP_* variables')
        .helpOption('--help', 'display help for command');
      execCmd.addCommand(
        simple(
          'start',
          'EXEC start script: start PostgreSQL (as primary by default) unless CLUSTERPRO says not to',
          300,
          run,
          (cfg) => execStart(cfg, process.env, emitLine),
          (c) =>
            c
              .addOption(
                new Option(
                  '--as <role>',
                  'standby|primary (default primary: the failover group carries the primary)',
                ).choices(['standby', 'primary']),
              )
              .option(
                '--peer-conninfo <conninfo>',
                'the other node: if it answers as primary, start is refused (split brain)',
              )
              .option('--primary-conninfo <conninfo>', 'standby: the upstream')
              .option('--server-log <file>', 'pg_ctl -l file'),
        ),
      );
      execCmd.addCommand(
        simple(
          'stop',
          'EXEC stop script: stop PostgreSQL (fast, then immediate)',
          300,
          run,
          (cfg) => execStop(cfg, process.env, emitLine),
          (c) => c.option('--fast-timeout <seconds>', 'fast shutdown time before immediate'),
        ),
      );
      return execCmd;
    },
  };
  // Only the command being run is built (`only`): commander's option objects are most of a
  // one-shot run's start-up cost.
  return Object.entries(make)
    .filter(([n]) => only === undefined || n === only)
    .map(([, f]) => f());
}
