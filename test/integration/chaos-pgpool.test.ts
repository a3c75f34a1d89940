/**
 * `npm run chaos -- --host pgpool` as a short fixed-seed smoke, so that the campaign tool itself
 * cannot rot: a real Pgpool-II 4.3 in front of three servers, health-checked as the Pgpool-II
 * documentation's example configures it, failover_command and follow_primary_command pgsr's.
 * Seed 4 draws a clean stop and a killed postmaster first (detected by a refused connection, so
 * the smoke stays short); the power losses wait for the health check's timeouts and run in the
 * full campaign (docs/reliability.md).
 */
import { execa } from 'execa';
import { mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

describe('npm run chaos -- --host pgpool: the seeded fault campaign, as a short fixed-seed smoke', () => {
  it('two rounds (seed 4: a clean stop, then kill -9 of the primary postmaster): every round converged, the failed node back through pgsr rebuild and pcp_attach_node, never two writable primaries', async () => {
    const report = join(mkdtempSync('/tmp/pgsr-test-'), 'chaos-pgpool.json');
    const r = await execa(
      'tini',
      [
        '-s',
        '--',
        'npx',
        'tsx',
        'scripts/chaos.ts',
        '--host',
        'pgpool',
        '--seed',
        '4',
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
    expect(rep).toMatchObject({ host: 'pgpool', nodes: 3, agent: 'pgsr', invariant_breaks: [] });
    expect(rep.rounds.map((x: { fault: string }) => x.fault)).toEqual(['clean-stop', 'postmaster-kill']);
    for (const x of rep.rounds) {
      expect(x).toMatchObject({ converged: true, max_primaries: 1 });
      expect(x.acked).toBeGreaterThan(0);
      // Detected by a refused connection at the next health check (5 s) or the next session.
      expect(x.time_to_writable_s).toBeLessThan(5 + 30);
    }
    // A killed postmaster is the primary's: another backend is promoted, the old one rebuilt.
    expect(rep.rounds[1].primary_after).not.toBe(rep.rounds[1].primary_before);
    expect(rep.rounds[1].notes.join(' ')).toMatch(/was a primary \(in production\): rebuilt/);
  }, 900_000);
});
