/**
 * `pgsr check`: commander wiring (options shared with watch and the lifecycle commands, and
 * the configuration they resolve to); the check itself is src/agents/monitor.ts.
 */
import { Command, Option } from 'commander';
import { OUTPUT_FORMATS, resolveCheckConfig, type CheckConfig } from '../config/resolve';
import { ConfigError } from '../errors';
import { collect, typedSettings } from './settings';

export type { CommandResult } from '../types';
import type { CommandResult } from '../types';
import { check } from '../agents/monitor';
import { pgpoolCheck } from '../agents/pgpool-check';
import { t } from '../i18n';

/** Adds the connection options shared by every command that talks to a server. */
export function addConnectionOptions(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'configuration file (key = value lines; also PGSR_CONFIG)')
    .option('-h, --host <host>', 'server host, IP or unix-socket directory (PGHOST)')
    .option('-p, --port <port>', 'server port (PGPORT; default 5432)')
    .option('-U, --username <user>', 'database user (PGUSER; default: the --os-user)')
    .option('-d, --dbname <db|conninfo>', 'database name, or a conninfo string / URI (PGDATABASE; default postgres)')
    .option('--sslmode <mode>', 'disable|allow|prefer|require|verify-ca|verify-full (PGSSLMODE)')
    .option('--connect-timeout <seconds>', 'connection timeout (PGCONNECT_TIMEOUT); the run timeout bounds it anyway')
    .option('--os-user <user>', 'OS user owning PostgreSQL; as root, its ~/.pgpass is also searched (default postgres)')
    .addOption(
      new Option('-W, --password [password]', 'not accepted: use ~/.pgpass, PGPASSFILE or PGPASSWORD').hideHelp(),
    );
}

/** Adds the options of a replication check (shared by `check` and `watch`). */
export function addCheckOptions(cmd: Command): Command {
  return addConnectionOptions(cmd)
    .option(
      '--role <role>',
      'expected role: standby|primary|auto (auto asks pg_is_in_recovery()); pgpool: -h/-p name a Pgpool-II, checked against its backends',
    )
    .option('--primary-host <host>', 'standby: the expected sender host (e.g. the floating IP)')
    .option('--primary-port <port>', 'standby: the expected sender port')
    .option('--application-name <name>', 'primary: a standby that must be streaming (repeatable)', collect)
    .option('--sync-state <state>', 'primary: expected sync_state: async|sync|quorum|potential')
    .option(
      '--rep-mode <mode>',
      'primary: async|sync (PG-REX rep_mode); sync: watch keeps synchronous_standby_names on the streaming standby, check reports the mode in effect (default async)',
    )
    .option(
      '--sync-wait-limit <seconds>',
      'primary, rep-mode sync: commits waiting this long for the synchronous standby release it (default 10; 0 = only when its walsender ends)',
    )
    .option(
      '--min-standbys <n>',
      'primary: streaming standbys required (default: max(1, number of --application-name))',
    )
    .option(
      '--lag-bytes-warning <range>',
      'replay lag in bytes, e.g. 16MB (monitoring-plugins range syntax, units B kB MB GB TB)',
    )
    .option('--lag-bytes-critical <range>', 'replay lag in bytes, critical')
    .option('--lag-seconds-warning <range>', 'replay lag in seconds, e.g. 30s (units ms s min h d)')
    .option('--lag-seconds-critical <range>', 'replay lag in seconds, critical')
    .option('--flush-lag-bytes-warning <range>', 'primary: current − flush LSN per standby, bytes')
    .option('--flush-lag-bytes-critical <range>', 'primary: current − flush LSN per standby, bytes, critical')
    .option('--silence-seconds-warning <range>', 'standby: seconds since the last message from the primary')
    .option(
      '--silence-seconds-critical <range>',
      'standby: seconds since the last message from the primary, critical (default: wal_receiver_timeout/2 + 10 s)',
    )
    .option(
      '--sender-probe-after <seconds>',
      "standby: probe the primary's postmaster once the walreceiver has been silent this long (default 5s; off)",
    )
    .option('--sender-probe-timeout <seconds>', 'standby: bound of that probe (default 3s)')
    .option('--standbys-warning <range>', 'primary: number of streaming standbys, e.g. 2: (warn below 2)')
    .option('--standbys-critical <range>', 'primary: number of streaming standbys, critical')
    .option(
      '--archive-failing-critical <duration>',
      'primary: archive_command failing with nothing archived this long is critical, e.g. 10min (default 10min; warning before)',
    )
    .option(
      '--archive-ready-warning <range>',
      'primary: WAL segments waiting to be archived (.ready), count (default 32)',
    )
    .option('--archive-ready-critical <range>', 'primary: WAL segments waiting to be archived, critical (default 128)')
    .option('--slot-retained-warning <range>', 'primary: WAL a physical replication slot keeps, bytes (default 1GB)')
    .option(
      '--slot-retained-critical <range>',
      'primary: WAL a physical replication slot keeps, bytes, critical (default 4GB)',
    )
    .option(
      '--wal-free-warning <limit>',
      "free space of pg_wal's filesystem below which to warn: 20% or 5GB (default 20%; measured when the check runs on the server's host)",
    )
    .option('--wal-free-critical <limit>', "free space of pg_wal's filesystem, critical (default 10%)")
    .option(
      '-w, --warning <list>',
      'Nagios style: 16MB,30s or lag_bytes=16MB,flush_lag_bytes=8MB,lag_seconds=30s,silence_seconds=1min,standbys=2:,archive_ready=32,slot_retained_bytes=1GB (repeatable)',
      collect,
    )
    .option('-c, --critical <list>', 'Nagios style critical thresholds, same forms as --warning (repeatable)', collect)
    .option(
      '--replay-paused <severity>',
      'severity of paused WAL replay: ok|warning|critical (default warning; ok = only lag thresholds judge)',
    )
    .option(
      '-t, --timeout <seconds[:STATE]>',
      'bound of the whole run: connect, queries, alert (default 10); Nagios: N:STATE reports a timeout as STATE',
    )
    .addOption(
      new Option(
        '--format <format>',
        'output dialect (default clusterpro under CLUSTERPRO, nagios as check_pgsr, else text)',
      ).choices(OUTPUT_FORMATS as string[]),
    )
    .option(
      '--textfile <file>',
      'with --format openmetrics: write the metrics to this file atomically (node_exporter textfile collector) instead of stdout',
    )
    .option(
      '-v, --verbose',
      'Nagios: more long output (repeat up to 3 times)',
      (_v: string, prev: number | undefined) => (prev ?? 0) + 1,
    )
    .option('--warning-is-error', 'CLUSTERPRO: exit non-zero (4) on WARNING')
    .option('--no-alert', 'CLUSTERPRO: do not call clplogcmd')
    .option('--alert-syslog', 'CLUSTERPRO: also send alerts to syslog (message limit 485 bytes)')
    .option(
      '--alert-reminder <seconds>',
      'CLUSTERPRO: alert again for an unchanged problem after this long (default 0: never)',
    )
    .option('--clplogcmd <path>', 'CLUSTERPRO: clplogcmd to run (default: PATH, then /usr/sbin/clplogcmd)')
    .option('--state-dir <dir>', 'where alert state is kept (PGSR_STATE_DIR; default /var/lib/pgsr as root)')
    .option('--log-level <level>', 'diagnostics on stderr: silent|error|warn|info|debug (default silent)');
}

/**
 * Resolves the configuration of a check-like command from its typed options and the process
 * environment. `defaultFormat` applies when neither flag, environment nor file chose one.
 * @throws ConfigError for a password flag or any invalid setting.
 */
export function configFrom(command: Command, defaultFormat?: CheckConfig['format']): CheckConfig {
  const raw = typedSettings(command);
  if (raw.password !== undefined) throw new ConfigError(t('config.password_flag'));
  // -H/--hostname: the monitoring-plugins name of the host; -h keeps its libpq meaning.
  if (raw.hostname !== undefined) {
    if (raw.host !== undefined && raw.host !== raw.hostname)
      throw new ConfigError(t('config.two_hosts', { hostname: String(raw.hostname), host: String(raw.host) }));
    raw.host = raw.hostname;
    delete raw.hostname;
  }
  if (defaultFormat && raw.format === undefined) raw.format = defaultFormat;
  return resolveCheckConfig(raw, { env: process.env, uid: process.getuid?.() ?? -1 });
}

/** Builds the `check` subcommand; `run` receives the result of each invocation. */
export function checkCommand(
  run: (result: Promise<CommandResult>) => void,
  defaultFormat?: CheckConfig['format'],
): Command {
  const cmd = new Command('check')
    .description("check streaming replication on one server (standby or primary) and report in the host's dialect")
    .helpOption('--help', 'display help for command');
  addCheckOptions(cmd)
    .option('-H, --hostname <host>', 'server host, as monitoring plugins name it (same as -h)')
    .action((_opts, command: Command) => {
      run(
        Promise.resolve().then(() => {
          const cfg = configFrom(command, defaultFormat);
          return cfg.expectedRole === 'pgpool' ? pgpoolCheck(cfg) : check(cfg);
        }),
      );
    });
  return cmd;
}
