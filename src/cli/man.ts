/**
 * Man pages from the sources `--help` and `meta-data` are made of: pgsr(1) walks the commander
 * tree of cli/program.ts, ocf_pgsr_pgsql-sr(7) renders OCF_PARAMS and the agent's actions, so
 * neither page can drift from what the program says of itself. Pure: returns roff text
 * (man(7) macros); scripts/package.mjs writes and compresses the files.
 *
 * Naming: resource-agents installs ocf_heartbeat_<agent>(7) for each agent; ours is the provider
 * pgsr's agent pgsql-sr, hence ocf_pgsr_pgsql-sr(7).
 */
import type { Command, Option } from 'commander';
import { ACTION_EXIT } from '../dialect/action';
import { EXIT } from '../dialect/clusterpro';
import { NAGIOS_EXIT } from '../dialect/nagios';
import { OCF, OCF_ACTIONS, OCF_LONGDESC, OCF_PARAMS } from '../dialect/ocf';
import { buildProgram } from './program';

/** Escapes text for roff: backslashes, leading dots and apostrophes, hyphens in option names. */
export function roffEscape(s: string): string {
  return s
    .replace(/\\/g, '\\e')
    .replace(/-/g, '\\-')
    .split('\n')
    .map((l) => (/^[.']/.test(l) ? `\\&${l}` : l))
    .join('\n');
}

function optionEntry(o: Option): string {
  const extra: string[] = [];
  if (o.argChoices?.length) extra.push(`one of: ${o.argChoices.join(', ')}`);
  if (o.defaultValue !== undefined && o.defaultValue !== false) extra.push(`default: ${String(o.defaultValue)}`);
  const desc = o.description + (extra.length ? ` (${extra.join('; ')})` : '');
  return `.TP\n.B ${roffEscape(o.flags)}\n${roffEscape(desc)}`;
}

/** The subcommands of a tree, depth first, each with its full name ("exec start"). */
export function subcommands(c: Command, prefix = ''): Array<{ name: string; cmd: Command }> {
  const out: Array<{ name: string; cmd: Command }> = [];
  for (const sub of c.commands) {
    const name = prefix ? `${prefix} ${sub.name()}` : sub.name();
    if (sub.commands.length === 0) out.push({ name, cmd: sub });
    out.push(...subcommands(sub, name));
  }
  return out;
}

function argList(cmd: Command): string {
  return cmd.registeredArguments.map((a) => (a.required ? `<${a.name()}>` : `[${a.name()}]`)).join(' ');
}

function commandSection(name: string, cmd: Command): string {
  const args = argList(cmd);
  const lines = [`.SS "pgsr ${roffEscape(name)}${args ? ` ${roffEscape(args)}` : ''}"`, roffEscape(cmd.description())];
  for (const a of cmd.registeredArguments) lines.push(`.TP\n.I ${roffEscape(a.name())}\n${roffEscape(a.description)}`);
  for (const o of cmd.options.filter((o) => !o.hidden)) lines.push(optionEntry(o));
  return lines.join('\n');
}

const CHECK_EXIT_TEXT: Record<keyof typeof EXIT, string> = {
  ok: 'normal (OK, or WARNING unless warning-is-error); also --help and --version',
  replication: 'replication abnormal: not streaming, wrong upstream, timeline, lag or sync state over limits',
  connection: 'cannot connect to or query the server within the timeout',
  role: 'role mismatch: a primary where a standby was expected or the reverse (split-brain sign)',
  warning: 'WARNING with warning-is-error set',
  config: 'configuration or usage error',
  internal: 'internal error (reported on one line)',
};

function exitTable(rows: Array<[number | string, string]>): string {
  return rows.map(([code, text]) => `.TP\n.B ${roffEscape(String(code))}\n${roffEscape(text)}`).join('\n');
}

/** Where the packages install things (README's Install section says the same). */
export const INSTALL_FILES: Array<[string, string]> = [
  ['/usr/bin/pgsr', 'the program (a single executable with its own Node.js runtime)'],
  [
    '/usr/lib/nagios/plugins/check_pgsr',
    'the Nagios plugin entry point (a link to pgsr; /usr/lib64/nagios/plugins on RPM systems)',
  ],
  ['/usr/lib/ocf/resource.d/pgsr/pgsql-sr', 'the OCF resource agent, see ocf_pgsr_pgsql-sr(7)'],
  ['/usr/share/pgsr/clusterpro/', 'CLUSTERPRO custom monitor (genw) and EXEC resource scripts, example configurations'],
  ['/usr/share/pgsr/nagios/', 'Nagios command and service templates'],
  ['/usr/share/pgsr/prometheus/', 'Prometheus scrape configuration and alerting rules'],
  ['/etc/pgsr/', 'configuration files (key = value; conffiles kept on upgrade)'],
  ['/var/lib/pgsr/', 'state of root runs: last verdict for alerts on changes, primary lock, watch status file'],
];

/** pgsr(1): every subcommand with its arguments and options, exit codes, environment, files. */
export function pgsrManPage(version: string, date: string): string {
  const program = buildProgram(() => undefined);
  const cmds = subcommands(program);
  const env: Array<[string, string]> = [
    [
      'PGPASSWORD, PGPASSFILE',
      'the password for database connections (libpq rules; ~/.pgpass by default). Never put a password on the command line.',
    ],
    ['PGSR_CONFIG', 'configuration file read when --config is not given'],
    ['PGSR_STATE_DIR', 'state directory (default /var/lib/pgsr for root, $XDG_STATE_HOME/pgsr otherwise)'],
    [
      'CLP_EVENT, CLP_SERVER, CLP_GROUPNAME, CLP_RESOURCENAME, CLP_DISK, CLP_FACTOR',
      'set by CLUSTERPRO for EXEC resources; pgsr exec reads them',
    ],
    ['OCF_RESKEY_*, OCF_RESOURCE_INSTANCE, HA_RSCTMP', 'set by Pacemaker for pgsr ocf; see ocf_pgsr_pgsql-sr(7)'],
    ['PCPPASSFILE', 'Pgpool-II PCP password file for pgsr pgpool'],
  ];
  return [
    `.TH PGSR 1 "${date}" "pgsr ${version}" "pgsr manual"`,
    '.SH NAME',
    'pgsr \\- ' + roffEscape(program.description()),
    '.SH SYNOPSIS',
    ...cmds
      .map(
        (c) =>
          `.B pgsr ${roffEscape(c.name)}\n.RI [ options ]${argList(c.cmd) ? ` ${roffEscape(argList(c.cmd))}` : ''}`,
      )
      .flatMap((l) => [l, '.br']),
    '.B check_pgsr',
    '.RI [ options ]',
    '.SH DESCRIPTION',
    roffEscape(
      'pgsr checks the health of a PostgreSQL streaming-replication pair (walreceiver, pg_stat_replication, lag, timelines) and performs its lifecycle actions (start, stop, promote, rebuild, switchover, archive hold) without ever leaving two primaries. One verdict is rendered in the dialect of the host: CLUSTERPRO exit codes and clplogcmd alerts, OCF return codes, a Nagios status line with perfdata, OpenMetrics, JSON or text.',
    ),
    '.PP',
    roffEscape(
      'Called as check_pgsr (a link or a copy), pgsr is a Nagios plugin: check --format nagios, and usage errors, --help and --version exit 3 (UNKNOWN).',
    ),
    '.SH GLOBAL OPTIONS',
    roffEscape('Accepted before or after the subcommand.'),
    ...program.options.filter((o) => !o.hidden).map(optionEntry),
    '.SH COMMANDS',
    ...cmds.map((c) => commandSection(c.name, c.cmd)),
    '.SH EXIT STATUS',
    '.SS "check, watch (CLUSTERPRO and text formats)"',
    exitTable(Object.entries(EXIT).map(([k, v]) => [v, CHECK_EXIT_TEXT[k as keyof typeof EXIT]])),
    '.SS "check --format nagios, check_pgsr, pgsr pgpool check"',
    exitTable(Object.entries(NAGIOS_EXIT).map(([k, v]) => [v, k.toUpperCase()])),
    '.SS "start, stop, promote, rebuild, switchover, archive, unlock, exec, pgpool failover"',
    exitTable([
      [ACTION_EXIT.done, 'done, already so, or only planned (--dry-run)'],
      [ACTION_EXIT.failed, 'failed or partly done'],
      [ACTION_EXIT.refused, 'refused: the action would not be safe (the reason is printed)'],
      [EXIT.config, 'configuration or usage error'],
    ]),
    '.SS "ocf"',
    exitTable(Object.entries(OCF).map(([k, v]) => [v, `OCF_${k}`])),
    '.SH ENVIRONMENT',
    exitTable(env),
    '.SH FILES',
    exitTable(INSTALL_FILES),
    '.SH EXAMPLES',
    '.nf',
    roffEscape('# a standby streaming from the floating IP, as the CLUSTERPRO genw runs it'),
    roffEscape('pgsr check --config /etc/pgsr/genw_watchstandby.conf --format clusterpro'),
    roffEscape('pgsr check -h /var/run/postgresql --role standby --primary-host 192.168.0.10'),
    roffEscape('# a Nagios service (thresholds: replay lag in bytes, then seconds)'),
    roffEscape('check_pgsr -H db2 --role standby --primary-host db1 -w 16MB,30s -c 256MB,5min'),
    roffEscape('# what promote would do, then the rebuild of the old primary from the new one'),
    roffEscape('pgsr promote -D /var/lib/pgsql/11/data --dry-run'),
    roffEscape("pgsr rebuild -D /var/lib/pgsql/11/data --from 'host=db2 user=replicator'"),
    '.fi',
    '.SH SEE ALSO',
    'ocf_pgsr_pgsql\\-sr(7), psql(1), pg_ctl(1), pg_basebackup(1)',
    '',
  ].join('\n');
}

/** ocf_pgsr_pgsql-sr(7): the agent's description, parameters and actions, from the tables meta-data is made of. */
export function ocfManPage(version: string, date: string): string {
  const actions = OCF_ACTIONS.map(
    (a) =>
      `.TP\n.B ${roffEscape(a.name)}\n${roffEscape(
        Object.entries(a.attrs)
          .map(([k, v]) => `${k}=${v}`)
          .join(' '),
      )}`,
  );
  return [
    `.TH OCF_PGSR_PGSQL-SR 7 "${date}" "pgsr ${version}" "OCF resource agents"`,
    '.SH NAME',
    'ocf_pgsr_pgsql\\-sr \\- PostgreSQL streaming replication (pgsr)',
    '.SH SYNOPSIS',
    '.B pgsql\\-sr',
    '[start | stop | monitor | promote | demote | notify | reload | meta\\-data | validate\\-all]',
    '.SH DESCRIPTION',
    roffEscape(OCF_LONGDESC),
    '.PP',
    roffEscape(
      'Installed as /usr/lib/ocf/resource.d/pgsr/pgsql-sr; a promotable clone in Pacemaker, e.g. crm configure primitive pgsql ocf:pgsr:pgsql-sr params pgdata=... then clone pgsql-clone pgsql meta promotable=true notify=true.',
    ),
    '.SH SUPPORTED PARAMETERS',
    ...OCF_PARAMS.map(
      (p) =>
        `.TP\n.B ${roffEscape(p.name)}\n${roffEscape(`${p.long} (${p.type}${p.dflt !== undefined ? `, default "${p.dflt}"` : ''}${p.required ? ', required' : ''})`)}`,
    ),
    '.SH SUPPORTED ACTIONS',
    ...actions,
    '.SH EXIT STATUS',
    exitTable(Object.entries(OCF).map(([k, v]) => [v, `OCF_${k}`])),
    '.SH SEE ALSO',
    'pgsr(1), crm(8), pcs(8), ocf\\-tester(8)',
    '',
  ].join('\n');
}
