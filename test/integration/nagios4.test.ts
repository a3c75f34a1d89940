/**
 * A real Nagios 4 core (Debian's nagios4) runs the installed plugin the way a site sets it up:
 * the command definitions are the ones the .deb installs (/etc/nagios-plugins/config/pgsr.cfg,
 * which Debian's stock nagios.cfg reads through cfg_dir), the services use them with arguments,
 * Nagios runs /usr/lib/nagios/plugins/check_pgsr as its own user, and the test reads the state,
 * status line and perfdata back from status.dat and the service perfdata file.
 * Healthy pair → both services OK with lag perfdata; primary stopped → both CRITICAL.
 */
import { execa, type ResultPromise } from 'execa';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { INSTALLED } from '../../scripts/lib/installed';
import { labDown, labUp, osUserIds, psql, stopNode, waitFor, type LabPair } from '../../scripts/lib/lab';

let pair: LabPair;
let dir: string;
let nagios: ResultPromise | undefined;

/** servicestatus blocks of status.dat, by service_description. */
function services(): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  const file = join(dir, 'status.dat');
  if (!existsSync(file)) return out;
  for (const [, body] of readFileSync(file, 'utf8').matchAll(/servicestatus \{\n([\s\S]*?)\n\s*\}/g)) {
    const kv = Object.fromEntries(
      body
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    out.set(kv.service_description, kv);
  }
  return out;
}

async function waitState(
  desc: string,
  state: string,
  after: number,
  timeoutMs = 60_000,
): Promise<Record<string, string>> {
  let last: Record<string, string> | undefined;
  await waitFor(
    `${desc} state ${state}`,
    async () => {
      last = services().get(desc);
      return Boolean(
        last && last.has_been_checked === '1' && last.current_state === state && Number(last.last_check) >= after,
      );
    },
    timeoutMs,
  ).catch((e: Error) => {
    throw new Error(`${e.message}; last status: ${JSON.stringify(last)}`);
  });
  return last as Record<string, string>;
}

beforeAll(async () => {
  pair = await labUp();
  await psql(pair, pair.primary, 'CREATE ROLE nagios LOGIN IN ROLE pg_monitor');
  await waitFor(
    'role nagios on the standby',
    async () =>
      (await psql(pair, pair.standby, "SELECT count(*) FROM pg_roles WHERE rolname = 'nagios'")).trim() === '1',
  );
  dir = mkdtempSync('/tmp/pgsr-nagios4-');
  mkdirSync(join(dir, 'checkresults'));
  const { uid, gid } = osUserIds('nagios');
  writeFileSync(
    join(dir, 'objects.cfg'),
    `
define host {
    host_name               pg-standby
    address                 127.0.0.1
    max_check_attempts      1
    check_period            24x7
    contact_groups          admins
    notifications_enabled   0
}
define host {
    host_name               pg-primary
    address                 127.0.0.1
    max_check_attempts      1
    check_period            24x7
    contact_groups          admins
    notifications_enabled   0
}
define service {
    use                     generic-service
    host_name               pg-standby
    service_description     PostgreSQL replication (standby)
    check_command           check_pgsr_standby!${pair.standby.port}!127.0.0.1!16MB,60s!1GB,10min
    check_interval          1
    retry_interval          1
    max_check_attempts      1
    notifications_enabled   0
}
define service {
    use                     generic-service
    host_name               pg-primary
    service_description     PostgreSQL replication (primary)
    check_command           check_pgsr_primary!${pair.primary.port}!${pair.applicationName}!lag_bytes=16MB!lag_bytes=1GB,standbys=1:
    check_interval          1
    retry_interval          1
    max_check_attempts      1
    notifications_enabled   0
}
`,
  );
  // Debian's object templates (generic-service, 24x7, admins) and the installed pgsr commands.
  // interval_length=1: check_interval counts seconds, so the test sees several checks quickly.
  writeFileSync(
    join(dir, 'nagios.cfg'),
    [
      'cfg_file=/etc/nagios4/objects/commands.cfg',
      'cfg_file=/etc/nagios4/objects/contacts.cfg',
      'cfg_file=/etc/nagios4/objects/timeperiods.cfg',
      'cfg_file=/etc/nagios4/objects/templates.cfg',
      `cfg_file=${INSTALLED.nagiosCommands}`,
      `cfg_file=${join(dir, 'objects.cfg')}`,
      `log_file=${join(dir, 'nagios.log')}`,
      `status_file=${join(dir, 'status.dat')}`,
      `object_cache_file=${join(dir, 'objects.cache')}`,
      `precached_object_file=${join(dir, 'objects.precache')}`,
      `lock_file=${join(dir, 'nagios.lock')}`,
      `temp_file=${join(dir, 'nagios.tmp')}`,
      `temp_path=${dir}`,
      `check_result_path=${join(dir, 'checkresults')}`,
      `command_file=${join(dir, 'nagios.cmd')}`,
      `state_retention_file=${join(dir, 'retention.dat')}`,
      'resource_file=/etc/nagios4/resource.cfg',
      'nagios_user=nagios',
      'nagios_group=nagios',
      'interval_length=1',
      'status_update_interval=1',
      'service_inter_check_delay_method=n',
      'max_service_check_spread=1',
      'retain_state_information=0',
      'use_syslog=0',
      'enable_notifications=0',
      'check_external_commands=0',
      'service_check_timeout=30',
      'process_performance_data=1',
      `service_perfdata_file=${join(dir, 'service-perfdata')}`,
      'service_perfdata_file_template=$SERVICEDESC$\\t$SERVICESTATE$\\t$SERVICEOUTPUT$\\t$SERVICEPERFDATA$',
      'service_perfdata_file_mode=a',
      'service_perfdata_file_processing_interval=0',
      '',
    ].join('\n'),
  );
  for (const f of ['', 'checkresults', 'nagios.cfg', 'objects.cfg']) chownSync(join(dir, f), uid, gid);
}, 180_000);
afterAll(async () => {
  if (nagios) {
    nagios.kill('SIGTERM');
    await nagios.catch(() => undefined);
  }
  if (pair) await labDown(pair);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('Nagios 4 with the installed check_pgsr and command templates', () => {
  it("the installed commands pass Debian's stock configuration check", async () => {
    // The stock nagios.cfg reads /etc/nagios-plugins/config/*.cfg: ours must not break it.
    const r = await execa('nagios4', ['-v', '/etc/nagios4/nagios.cfg'], { reject: false, timeout: 60_000 });
    expect(r.stdout, r.stdout).toMatch(/Total Errors:\s+0/);
    expect(r.exitCode).toBe(0);
    const mine = await execa('nagios4', ['-v', join(dir, 'nagios.cfg')], { reject: false, timeout: 60_000 });
    expect(mine.exitCode, mine.stdout).toBe(0);
  });

  it('runs check_pgsr: OK with lag perfdata, then CRITICAL when the primary stops', async () => {
    const started = Math.floor(Date.now() / 1000);
    nagios = execa('nagios4', [join(dir, 'nagios.cfg')], { reject: false, timeout: 300_000, stdin: 'ignore' });
    const standby = await waitState('PostgreSQL replication (standby)', '0', started);
    expect(standby.plugin_output).toMatch(/^PGSR OK - /);
    expect(standby.performance_data).toMatch(/lag_bytes=\d+B;\d+;\d+/);
    expect(standby.check_command).toContain('check_pgsr_standby!');
    const primary = await waitState('PostgreSQL replication (primary)', '0', started);
    expect(primary.plugin_output).toMatch(/^PGSR OK - /);
    expect(primary.performance_data).toMatch(/standbys=1;;1:/);
    // The perfdata file Nagios hands to graphing tools: same status line and perfdata.
    const perf = () =>
      existsSync(join(dir, 'service-perfdata')) ? readFileSync(join(dir, 'service-perfdata'), 'utf8') : '';
    await waitFor('perfdata lines', async () =>
      /\tOK\tPGSR OK - [^\t]*\t[^\n]*replay_lag_bytes=\d+B;/.test(perf()),
    ).catch((e: Error) => {
      throw new Error(`${e.message}; perfdata file: ${JSON.stringify(perf().slice(0, 600))}`);
    });

    const stopped = Math.floor(Date.now() / 1000) + 1;
    await stopNode(pair, pair.primary);
    const down = await waitState('PostgreSQL replication (standby)', '2', stopped);
    expect(down.plugin_output).toMatch(/^PGSR CRITICAL - /);
    const gone = await waitState('PostgreSQL replication (primary)', '2', stopped);
    expect(gone.plugin_output).toMatch(/^PGSR CRITICAL - .*cannot connect/);
    expect(readFileSync(join(dir, 'nagios.log'), 'utf8')).toMatch(
      /SERVICE ALERT: pg-standby;PostgreSQL replication \(standby\);CRITICAL;HARD;1;PGSR CRITICAL/,
    );
  }, 180_000);
});
