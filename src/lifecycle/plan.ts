/**
 * Pure decisions of the lifecycle commands: from observed facts to "already done", a refusal
 * with reasons, or the steps to run. No I/O here; lifecycle/actions.ts carries the steps out.
 * Reasons, not booleans (Patroni's failover_limitation() habit).
 */
import type { LocalFacts } from '../probe/local';
import type { PgRole } from '../types';

/** The outcome classes of an action; exit codes in dialect/action.ts. */
export type Outcome = 'done' | 'already' | 'planned' | 'refused' | 'failed';

/** One step of an action, as reported (dry-run shows them as `planned`). */
export interface StepReport {
  step: string;
  status: 'done' | 'planned' | 'skipped' | 'failed';
  detail?: string;
  ms?: number;
}

/** The result of any lifecycle command: one summary line plus steps and facts. */
export interface ActionResult {
  action: string;
  outcome: Outcome;
  summary: string;
  reasons: string[];
  steps: StepReport[];
  facts: Record<string, string | number | boolean | null>;
  durationMs: number;
}

/** What `pgsr start` will do. */
export type StartDecision =
  | { kind: 'already'; why: string }
  | { kind: 'refuse'; reasons: string[] }
  | { kind: 'start'; steps: string[] };

/**
 * Decides `pgsr start --as ROLE`.
 * @param runningRole the role the running server answered with (null when stopped or unreachable).
 * @param lockOverride reason the lock may be ignored (CLUSTERPRO exec start when the peer is not a primary), else undefined.
 */
export function decideStart(f: LocalFacts, wanted: PgRole, runningRole: PgRole | null, hasPrimaryConninfo: boolean, lockOverride?: string, allowNoUpstream = false): StartDecision {
  const reasons: string[] = [];
  if (!f.initialized) return { kind: 'refuse', reasons: [`${f.pgdata} is not a PostgreSQL data directory (no PG_VERSION)`] };
  if (f.state === 'running') {
    if (runningRole === wanted) return { kind: 'already', why: `already running as ${wanted}` };
    if (runningRole === null) return { kind: 'refuse', reasons: ['the server is running but does not answer SQL: cannot tell its role'] };
    return {
      kind: 'refuse',
      reasons: [
        wanted === 'standby'
          ? 'the server is running as primary: a primary is not turned into a standby by start (stop it, then `pgsr rebuild`)'
          : 'the server is running as standby: use `pgsr promote` to make it primary',
      ],
    };
  }
  if (f.zombiePostmaster && f.pidFile) {
    return {
      kind: 'refuse',
      reasons: [
        `the previous postmaster (pid ${f.pidFile.pid}) has exited but its parent has not reaped it yet (zombie): PostgreSQL refuses to start while that pid exists; retry in a moment, and run the cluster under an init that reaps orphans (systemd, tini -s)`,
      ],
    };
  }
  // A lock inside a base backup not yet started was copied from the source primary: not ours.
  if (f.lock && f.backupLabel && !lockOverride) lockOverride = 'copied by a base backup (backup_label present)';
  if (f.lock && !lockOverride) {
    reasons.push(
      `this data directory ran as primary and was not stopped cleanly (lock ${f.lock.how} since ${f.lock.since}): rebuild it from the current primary (\`pgsr rebuild --from ...\`), or \`pgsr unlock\` if it holds the latest data`,
    );
  }
  if (wanted === 'standby' && !hasPrimaryConninfo && !allowNoUpstream && !f.standbySignal && !f.recoveryConf) {
    reasons.push('no --primary-conninfo and no existing standby configuration: cannot start as standby');
  }
  if (reasons.length) return { kind: 'refuse', reasons };
  const steps: string[] = [];
  if (f.lock && lockOverride) steps.push(`remove the primary lock: ${lockOverride}`);
  if (wanted === 'standby') steps.push(f.major !== null && f.major >= 12 ? 'write standby.signal and primary_conninfo' : 'write recovery.conf');
  else if (f.standbySignal || f.recoveryConf) steps.push(f.major !== null && f.major >= 12 ? 'remove standby.signal' : 'move recovery.conf to recovery.done');
  steps.push('pg_ctl start -w');
  steps.push(`check the role is ${wanted}`);
  if (wanted === 'primary') steps.push('create the primary lock');
  return { kind: 'start', steps };
}

/**
 * Reasons not to promote (empty = go). `--force` skips only the old-primary check.
 * @param primariesSeen conninfos (host:port) that answered as primaries.
 */
export function promoteBlockers(f: LocalFacts, runningRole: PgRole | null, walreceiverStatus: string | null, primariesSeen: string[], force: boolean): string[] {
  const reasons: string[] = [];
  if (f.state !== 'running') reasons.push('the server is not running: start it as standby first');
  else if (runningRole === null) reasons.push('the server does not answer SQL: cannot tell its role');
  if (!force) {
    if (walreceiverStatus === 'streaming') reasons.push('the walreceiver is still streaming from a primary: that primary is alive (split brain); stop it first, or --force');
    for (const p of primariesSeen) reasons.push(`${p} answers as a primary (not in recovery): promoting would split the brain; stop it first, or --force`);
  }
  return reasons;
}

/** Order of the rebuild methods to try. pg_rewind needs the bin dir's pg_rewind (same major). */
export function rebuildMethods(method: 'auto' | 'rewind' | 'basebackup', hasRewind: boolean, hasOldData: boolean): Array<'rewind' | 'basebackup'> {
  if (method === 'basebackup') return ['basebackup'];
  if (method === 'rewind') return ['rewind'];
  return hasRewind && hasOldData ? ['rewind', 'basebackup'] : ['basebackup'];
}
