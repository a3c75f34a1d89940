/**
 * The OCF agent as Pacemaker runs it (the wrapper in packaging/ocf, the action as argument, the
 * configuration in OCF_RESKEY_* variables) against a real pair: meta-data valid against
 * ra-api-1.dtd, validate-all, the monitor states (7, 0, 8, 9, 1), the lock, notify variables of a
 * promotion, and Debian's ocf-tester.
 */
import { execa } from 'execa';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultBindir,
  labDown,
  labUp,
  psql,
  runServerCommand,
  startNode,
  stopNode,
  waitFor,
  type LabPair,
} from '../../scripts/lib/lab';
import { AGENT_PATH, installAgent } from '../../scripts/lib/pcmk';

let pair: LabPair;
let bindir: string;
beforeAll(async () => {
  installAgent();
  bindir = await defaultBindir();
  pair = await labUp();
});
afterAll(async () => {
  if (pair) await labDown(pair);
});

const envFor = (node: 'primary' | 'standby', extra: Record<string, string> = {}) => ({
  PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
  OCF_ROOT: '/usr/lib/ocf',
  OCF_RESOURCE_INSTANCE: 'pgsql-sr:0',
  OCF_RESKEY_bindir: bindir,
  OCF_RESKEY_pgdata: pair[node].data,
  OCF_RESKEY_pghost: '127.0.0.1',
  OCF_RESKEY_pgport: String(pair[node].port),
  OCF_RESKEY_CRM_meta_interval: '5000',
  OCF_RESKEY_CRM_meta_timeout: '20000',
  ...extra,
});
async function agent(action: string, env: Record<string, string>) {
  const r = await execa(AGENT_PATH, [action], { env, extendEnv: false, reject: false, timeout: 60_000 });
  return { code: r.exitCode, stdout: String(r.stdout), stderr: String(r.stderr) };
}

describe('OCF agent driven like Pacemaker', () => {
  it('meta-data is valid against ra-api-1.dtd', async () => {
    const r = await agent('meta-data', envFor('primary'));
    expect(r.code).toBe(0);
    const file = join(pair.dir, 'meta.xml');
    writeFileSync(file, r.stdout);
    const v = await execa('xmllint', ['--noout', '--dtdvalid', '/usr/share/resource-agents/ra-api-1.dtd', file], {
      reject: false,
    });
    // (xmllint also warns that it cannot load the DOCTYPE's relative "ra-api-1.dtd"; --dtdvalid judges.)
    expect(v.stderr).not.toMatch(/validity error|does not validate/);
    expect(v.exitCode).toBe(0);
    expect(r.stdout).toContain('<action name="monitor" depth="0" timeout="10s" interval="15s" role="Promoted"/>');
  });

  it('validate-all: 0; missing binaries or data directory on this node 5 (not installed, never the cluster-wide 6); a clone without notify=true 6', async () => {
    expect((await agent('validate-all', envFor('primary'))).code).toBe(0);
    const noBin = await agent('validate-all', envFor('primary', { OCF_RESKEY_bindir: '/nonexistent' }));
    expect(noBin.code).toBe(5);
    expect(noBin.stderr).toMatch(/^ocf-exit-reason:no pg_ctl\/postgres in \/nonexistent$/m);
    // pgdata has no default: unset, it is a configuration error (6) naming the parameter.
    const unset = await agent('validate-all', envFor('primary', { OCF_RESKEY_pgdata: '' }));
    expect(unset.code).toBe(6);
    expect(unset.stderr).toMatch(/^ocf-exit-reason:the pgdata parameter is not set/m);
    const noData = await agent('validate-all', envFor('primary', { OCF_RESKEY_pgdata: '/nonexistent' }));
    expect(noData.code).toBe(5);
    expect(noData.stderr).toMatch(/^ocf-exit-reason:\/nonexistent is not a PostgreSQL data directory on this node$/m);
    // Run as a clone (Pacemaker passes the clone's meta attributes): notify=true is required.
    const clone = { OCF_RESKEY_CRM_meta_clone_max: '2', OCF_RESKEY_CRM_meta_promotable: 'true' };
    const noNotify = await agent('validate-all', envFor('primary', { ...clone, OCF_RESKEY_CRM_meta_notify: 'false' }));
    expect(noNotify.code).toBe(6);
    expect(noNotify.stderr).toMatch(/^ocf-exit-reason:the clone needs notify=true/m);
    expect(
      (await agent('validate-all', envFor('primary', { ...clone, OCF_RESKEY_CRM_meta_notify: 'true' }))).code,
    ).toBe(0);
    expect((await agent('start', envFor('primary', { ...clone }))).code).toBe(6);
  });

  it('monitor: probe without data 7, standby 0, primary 8 (and scores), stopped cleanly 7', async () => {
    expect(
      (
        await agent(
          'monitor',
          envFor('primary', { OCF_RESKEY_pgdata: '/nonexistent', OCF_RESKEY_CRM_meta_interval: '0' }),
        )
      ).code,
    ).toBe(7);
    expect((await agent('monitor', envFor('standby'))).code).toBe(0);
    const p = await agent('monitor', envFor('primary'));
    expect(p.code).toBe(8);
    // Authentication fails (a scram role, no password file): restarting the server would not
    // help, so it is a hard error (OCF_ERR_PERM), not a soft one retried forever.
    const auth = await agent('monitor', envFor('primary', { OCF_RESKEY_pguser: pair.passwordRole.name }));
    expect(auth.code).toBe(4);
    expect(auth.stderr).toMatch(/^ocf-exit-reason:running but not answering: .*password/m);
    await stopNode(pair, pair.standby, 'fast');
    expect((await agent('monitor', envFor('standby'))).code).toBe(7);
  });

  it('crashed standby 1; start and promote with the notify variables of a promotion', async () => {
    await startNode(pair, pair.standby);
    await runServerCommand(pair.osUser, join(bindir, 'pg_ctl'), ['stop', '-D', pair.standby.data, '-m', 'immediate']);
    const crashed = await agent('monitor', envFor('standby'));
    expect(crashed.code).toBe(1);
    expect(crashed.stderr).toContain('ocf-exit-reason:instance not running, pg_controldata says "in archive recovery"');
    // The clone's one primary_conninfo without application_name: the node's name is added.
    const upstream = {
      OCF_RESKEY_primary_conninfo: `host=127.0.0.1 port=${pair.primary.port} user=postgres`,
      OCF_RESKEY_CRM_meta_on_node: 'node2',
    };
    expect((await agent('start', envFor('standby', upstream))).code).toBe(0);
    await waitFor(
      'the primary sees the standby as node2',
      async () =>
        (await psql(pair, pair.primary, "SELECT state FROM pg_stat_replication WHERE application_name = 'node2'")) ===
        'streaming',
      30_000,
    );
    expect((await agent('start', envFor('standby'))).code).toBe(0);
    // The old primary is gone; Pacemaker notifies the promotion, then promotes.
    await stopNode(pair, pair.primary, 'fast');
    const notify = {
      OCF_RESKEY_CRM_meta_notify_type: 'pre',
      OCF_RESKEY_CRM_meta_notify_operation: 'promote',
      OCF_RESKEY_CRM_meta_notify_promote_uname: 'node2',
      OCF_RESKEY_CRM_meta_on_node: 'node2',
    };
    expect((await agent('notify', envFor('standby', notify))).code).toBe(0);
    const pr = await agent('promote', envFor('standby', { OCF_RESKEY_CRM_meta_on_node: 'node2' }));
    expect(pr.code).toBe(0);
    expect(await psql(pair, pair.standby, 'SELECT pg_is_in_recovery()')).toBe('f');
    expect((await agent('monitor', envFor('standby'))).code).toBe(8);
    expect(
      (await agent('notify', envFor('standby', { ...notify, OCF_RESKEY_CRM_meta_notify_type: 'post' }))).code,
    ).toBe(0);
  });

  it('crashed primary 9; its lock keeps it from starting until rebuilt; stop of a dead postmaster succeeds', async () => {
    await runServerCommand(pair.osUser, join(bindir, 'pg_ctl'), ['stop', '-D', pair.standby.data, '-m', 'immediate']);
    expect((await agent('monitor', envFor('standby'))).code).toBe(9);
    expect((await agent('demote', envFor('standby'))).code).toBe(0);
    expect((await agent('stop', envFor('standby'))).code).toBe(0);
    const st = await agent('start', envFor('standby'));
    expect(st.code).toBe(1);
    expect(st.stderr).toMatch(/ocf-exit-reason:this data directory ran as primary and was not stopped cleanly/);
  });

  it("Debian's ocf-tester passes on a lone instance", async () => {
    const r = await execa(
      'ocf-tester',
      [
        '-n',
        'pgsqlsr',
        '-o',
        `pgdata=${pair.primary.data}`,
        '-o',
        `bindir=${bindir}`,
        '-o',
        'pghost=127.0.0.1',
        '-o',
        `pgport=${pair.primary.port}`,
        AGENT_PATH,
      ],
      { reject: false, timeout: 300_000, all: true },
    );
    expect(String(r.all)).toContain('passed all tests');
    expect(r.exitCode).toBe(0);
  }, 320_000);
});
