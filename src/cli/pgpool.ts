/** `pgsr pgpool failover|follow-primary`: commander wiring of the Pgpool-II adapter (src/agents/pgpool.ts). */
import { Command } from 'commander';
import { pgpoolFailover, pgpoolFollow, type PgpoolOptions } from '../agents/pgpool';
import { parseFailoverArgs, parseFollowArgs } from '../agents/pgpool-plan';
import { resolveLifecycleConfig } from '../config/lifecycle';
import { resolveWithSources } from '../config/resolve';
import { parsePort } from '../config/values';
import { ConfigError } from '../errors';
import type { CommandResult } from '../types';
import { addConnectionOptions } from './check';
import { typedSettings } from './settings';
import { t } from '../i18n';

type Runner = (result: Promise<CommandResult>) => void;

function withOptions(cmd: Command, timeoutS: number): Command {
  return addConnectionOptions(cmd)
    .option('--bindir <dir>', 'PostgreSQL bin directory (pg_ctl, pg_rewind, pg_basebackup for local data directories)')
    .option('-t, --timeout <seconds>', `bound of the whole command (default ${timeoutS})`)
    .option('--pcp-host <host>', 'PCP host for pcp_attach_node (default localhost)')
    .option('--pcp-port <port>', 'PCP port (default 9898)')
    .option(
      '--pcp-user <user>',
      'PCP user (default pgpool); its password from --pcp-passfile, PCPPASSFILE or ~/.pcppass',
    )
    .option('--pcp-passfile <file>', 'PCP password file (hostname:port:username:password)')
    .option(
      '--slot-name <template>',
      'failover of a standby: drop its replication slot on the primary, %d = node id (e.g. node%d)',
    )
    .option('--log-file <file>', 'also append each outcome line here')
    .option(
      '--on-failure <command>',
      'run on a refusal or failure (sh -c; PGSR_EVENT, PGSR_MESSAGE in its environment)',
    )
    .option(
      '--remote-prefix <command>',
      "act on a node whose data directory is not here through this, e.g. 'ssh -T postgres@%h' (%h = the node's host; the command follows as one argument)",
    )
    .option('--remote-pgsr <command>', 'pgsr on the other hosts (default pgsr)')
    .option('--log-level <level>', 'diagnostics on stderr');
}

function settings(command: Command, timeoutS: number) {
  const raw = typedSettings(command);
  if (raw.password !== undefined) throw new ConfigError(t('config.password_flag'));
  // Flags first, then the config file (--config / PGSR_CONFIG), as for every other setting.
  const { sources } = resolveWithSources(
    { ...raw, format: 'text', alert: false },
    { env: process.env, uid: process.getuid?.() ?? -1 },
    { timeoutS },
  );
  const str = (k: string) => sources.pick(k)?.value;
  const opts: PgpoolOptions = {
    pcp: {
      host: str('pcp-host') ?? 'localhost',
      port: str('pcp-port') ? parsePort(str('pcp-port') as string, '--pcp-port') : 9898,
      user: str('pcp-user') ?? 'pgpool',
      passfile: str('pcp-passfile') ?? process.env.PCPPASSFILE,
    },
    slotName: str('slot-name'),
    logFile: str('log-file'),
    onFailure: str('on-failure'),
    remotePrefix: str('remote-prefix'),
    remotePgsr: str('remote-pgsr') ?? 'pgsr',
  };
  const cfg = resolveLifecycleConfig(
    { ...raw, format: 'text', alert: false },
    { env: process.env, uid: process.getuid?.() ?? -1 },
    { timeoutS },
  );
  return { cfg, opts };
}

/** The `pgpool` command with its two subcommands, in the argument order of Pgpool-II's sample scripts. */
export function pgpoolCommand(run: Runner): Command {
  const cmd = new Command('pgpool')
    .description("Pgpool-II's failover_command and follow_primary_command")
    .helpOption('--help', 'display help for command');
  const sub = (
    name: string,
    placeholders: string,
    timeoutS: number,
    act: (s: ReturnType<typeof settings>, args: string[]) => Promise<CommandResult>,
  ) =>
    withOptions(new Command(name), timeoutS)
      .description(
        `${name === 'failover' ? 'failover_command' : 'follow_primary_command'}: pgsr pgpool ${name} [options] ${placeholders}`,
      )
      .helpOption('--help', 'display help for command')
      .argument('<placeholders...>', placeholders)
      .action((args: string[], _o, command: Command) => {
        run(Promise.resolve().then(() => act(settings(command, timeoutS), args)));
      });
  cmd.addCommand(
    sub('failover', '%d %h %p %D %m %H %M %P %r %R %N %S', 60, ({ cfg, opts }, args) =>
      pgpoolFailover(cfg, opts, parseFailoverArgs(args)),
    ),
  );
  cmd.addCommand(
    sub('follow-primary', '%d %h %p %D %m %H %M %P %r %R', 300, ({ cfg, opts }, args) =>
      pgpoolFollow(cfg, opts, parseFollowArgs(args)),
    ),
  );
  return cmd;
}
