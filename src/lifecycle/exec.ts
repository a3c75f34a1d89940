/**
 * CLUSTERPRO EXEC resource rules (pure): what `pgsr exec start|stop` may do given the CLP_*
 * variables the cluster sets (CLUSTERPRO X Reference Guide, EXEC resource; NEC's PostgreSQL
 * sample start.sh/stop.sh): CLP_EVENT START/FAILOVER/RECOVER (empty = not run by the cluster:
 * refuse), CLP_DISK SUCCESS/FAILURE (never start on a failed disk), CLP_SERVER HOME/OTHER,
 * CLP_FACTOR (stop), CLP_GROUPNAME, CLP_RESOURCENAME.
 */

/** The CLP_* variables pgsr reads. */
export interface ClpEnv {
  event?: string;
  disk?: string;
  server?: string;
  factor?: string;
  group?: string;
  resource?: string;
}

/** Reads the CLP_* variables from an environment. */
export function clpEnv(env: NodeJS.ProcessEnv): ClpEnv {
  return { event: env.CLP_EVENT, disk: env.CLP_DISK, server: env.CLP_SERVER, factor: env.CLP_FACTOR, group: env.CLP_GROUPNAME, resource: env.CLP_RESOURCENAME };
}

/** One line describing the cluster's request, for the log. */
export function describeClp(e: ClpEnv): string {
  return ['CLP_EVENT', e.event, 'CLP_DISK', e.disk, 'CLP_SERVER', e.server, 'CLP_FACTOR', e.factor, 'group', e.group, 'resource', e.resource]
    .reduce<string[]>((acc, v, i, a) => (i % 2 === 0 && a[i + 1] !== undefined ? [...acc, `${v}=${a[i + 1]}`] : acc), [])
    .join(' ');
}

/** Reasons `exec start` must not start anything (empty = go). */
export function execStartBlockers(e: ClpEnv): string[] {
  const reasons: string[] = [];
  if (!e.event) reasons.push('CLP_EVENT is not set: not run by CLUSTERPRO (use `pgsr start` by hand)');
  else if (!['START', 'FAILOVER', 'RECOVER'].includes(e.event)) reasons.push(`unknown CLP_EVENT '${e.event}'`);
  if (e.disk === 'FAILURE') reasons.push('CLP_DISK=FAILURE: the shared/mirror disk is not available; PostgreSQL is not started on it');
  return reasons;
}

/** Reasons `exec stop` must not run (empty = go). */
export function execStopBlockers(e: ClpEnv): string[] {
  return e.event ? [] : ['CLP_EVENT is not set: not run by CLUSTERPRO (use `pgsr stop` by hand)'];
}
