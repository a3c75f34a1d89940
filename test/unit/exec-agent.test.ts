import { describe, expect, it } from 'vitest';
import { clpEnv, execLockOverride, execStartBlockers, execStopBlockers } from '../../src/agents/exec';

describe('CLUSTERPRO EXEC rules', () => {
  it.each([
    [{}, /CLP_EVENT is not set/],
    [{ CLP_EVENT: 'BOGUS' }, /unknown CLP_EVENT 'BOGUS'/],
    [{ CLP_EVENT: 'START', CLP_DISK: 'FAILURE' }, /CLP_DISK=FAILURE/],
    [{ CLP_EVENT: 'FAILOVER', CLP_DISK: 'SUCCESS' }, null],
    [{ CLP_EVENT: 'RECOVER' }, null],
  ] as const)('start with %j', (env, why) => {
    const b = execStartBlockers(clpEnv(env));
    if (why) expect(b.join(' ')).toMatch(why);
    else expect(b).toEqual([]);
  });
  it('stop needs CLP_EVENT', () => {
    expect(execStopBlockers(clpEnv({}))).toHaveLength(1);
    expect(execStopBlockers(clpEnv({ CLP_EVENT: 'START' }))).toEqual([]);
  });
  it.each([
    ['primary', 'primary', undefined],
    ['primary', 'standby', /peer db2:5432 is standby, not a primary/],
    ['primary', 'refused', /peer db2:5432 is refused, not a primary/],
    ['primary', 'unknown', /peer db2:5432 is unreachable, not a primary/],
    ['primary', 'none', /no --peer-conninfo to check/],
    ['standby', 'standby', undefined],
  ] as const)('the lock of a %s start with a peer that is %s', (as, answer, why) => {
    const o = execLockOverride('FAILOVER', as, { where: 'db2:5432', answer });
    if (why) expect(o).toMatch(why);
    else expect(o).toBeUndefined();
  });
});
