/**
 * The fault-injection suite (scripts/faults.ts, `npm run faults`) as part of the tests: a pair
 * in two network namespaces, every fault of the reliability record. Run under `tini -s` so the
 * postmasters the suite kills are reaped at once, as on a host whose init reaps orphans.
 */
import { execa } from 'execa';
import { expect, it } from 'vitest';
import { REPO } from '../helpers/run';

/** The number of checks in the fault suite's record: change it with the suite. */
const FAULT_CHECKS = 143;

it('every fault gets the expected answer in bounded time, and no password leaks', async () => {
  const r = await execa('tini', ['-s', '--', 'npx', 'tsx', 'scripts/faults.ts', '--no-write'], {
    cwd: REPO,
    reject: false,
    timeout: 600_000,
    all: true,
  });
  const summary = /faults: (\d+) passed, (\d+) failed/.exec(String(r.stdout));
  expect(summary, String(r.all).slice(-3000)).not.toBeNull();
  expect(
    Number(summary?.[2]),
    String(r.stdout)
      .split('\n')
      .filter((l) => l.includes('FAIL'))
      .join('\n'),
  ).toBe(0);
  // Every check of the record (docs/reliability.md) ran and passed: none silently skipped.
  expect(Number(summary?.[1])).toBe(FAULT_CHECKS);
  expect(r.exitCode).toBe(0);
}, 620_000);
