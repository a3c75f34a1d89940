/**
 * `npm run chaos -- --host clusterpro` as a short fixed-seed smoke, so that the campaign tool
 * itself cannot rot: the failover group (pgsr's installed EXEC scripts under the CLUSTERPRO
 * simulator) on two servers, the standby outside the cluster, CLUSTERPRO's default timing.
 * Seed 44 draws a clean shutdown of the group's server (the group fails over at once: EXEC stop,
 * then EXEC start with CLP_EVENT=FAILOVER on the other server) and a power loss of the standby
 * (no failover: genw_watchstandby alerts, the standby is power-cycled and streams again); the rounds that wait for the
 * 90 s heartbeat timeout or the PostgreSQL monitor run in the full campaign (docs/reliability.md).
 */
import { execa } from 'execa';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('npm run chaos -- --host clusterpro: the seeded fault campaign, as a short fixed-seed smoke', () => {
  it("two rounds (seed 44: the group's server shut down, then the standby's power loss): both converge, the group moved by EXEC stop and EXEC start FAILOVER, never two writable primaries, nothing lost", async () => {
    const report = join(mkdtempSync('/tmp/pgsr-test-'), 'chaos-clusterpro.json');
    const r = await execa(
      'tini',
      [
        '-s',
        '--',
        'npx',
        'tsx',
        'scripts/chaos.ts',
        '--host',
        'clusterpro',
        '--seed',
        '44',
        '--rounds',
        '2',
        '--report',
        report,
      ],
      { reject: false, all: true, timeout: 840_000 },
    );
    console.log(
      String(r.all)
        .split('\n')
        .filter((l) => !l.startsWith('  round'))
        .join('\n'),
    );
    expect(r.exitCode, String(r.all).slice(-2000)).toBe(0);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(rep).toMatchObject({ host: 'clusterpro', agent: 'pgsr', invariant_breaks: [] });
    expect(rep.rounds.map((x: { fault: string; node: string }) => `${x.fault} ${x.node}`)).toEqual([
      'clean-stop primary01',
      'standby-power-loss standby',
    ]);
    for (const x of rep.rounds) {
      expect(x).toMatchObject({ converged: true, max_primaries: 1, lost: 0 });
      expect(x.acked).toBeGreaterThan(0);
    }
    const [move, standby] = rep.rounds;
    expect(move).toMatchObject({ primary_before: 'primary01', primary_after: 'primary02' });
    expect(move.notes.join('; ')).toMatch(
      /EXEC stop on primary01 \(SERVERSHUTDOWN\): exit 0[^;]*; EXEC start on primary02 \(FAILOVER\): exit 0/,
    );
    // Timed from the end of EXEC stop: EXEC start on the other server, not a heartbeat timeout.
    expect(move.time_to_writable_s).toBeGreaterThan(0);
    expect(move.time_to_writable_s).toBeLessThan(60);
    expect(standby).toMatchObject({ primary_before: 'primary02', primary_after: 'primary02' });
    // The primary stays writable while its standby is lost: the first write after the fault is acked at once (a slow write can take a few ms, hence the bound rather than 0).
    expect(standby.time_to_writable_s).toBeLessThan(5);
    // genw_watchstandby (the installed genw.sh under clpsim genw) reports the lost standby with an ERR alert; healed, it is normal again (else the round would not have converged).
    expect(standby.notes.join('; ')).toMatch(/genw_watchstandby while the standby is down: exit [12] \(alerts ERR\)/);
  }, 900_000);
});
