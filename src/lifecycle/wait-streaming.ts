/**
 * The wait for a standby to stream (after rebuild, after switchover's restart of the old
 * primary), which watches why it cannot: the walreceiver's failures in the server log
 * (probe/server-log.ts). A walreceiver that failed the same way on three attempts in a row
 * (PostgreSQL retries every wal_retrieve_retry_interval, 5 s by default) for a reason that
 * does not mend by waiting (authentication, pg_hba, another cluster; probe/server-log.ts) ends the wait at once
 * with PostgreSQL's reason and the fix, instead of at the command's timeout.
 */
import type { ConnectionSettings } from '../config/resolve';
import { readLogSince, walreceiverFailures, type WalreceiverFailure } from '../probe/server-log';
import { currentServerLog, isStreaming, waitUntil, type Run } from './steps';
import { statSync } from 'node:fs';
import { t } from '../i18n';

/** Failed walreceiver attempts in a row that end the wait. */
export const FAILED_ATTEMPTS = 3;

/** Where the standby's server writes its log: pg_ctl's -l file and the data directory (for a logging collector's relative directory). */
export interface ServerLogPlace {
  log: string;
  pgdata: string;
}

const sizeOf = (file: string): number => {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
};

/** The fix for a failure: credentials and pg_hba for a connection, a rebuild for another cluster or timeline. */
function fixFor(f: WalreceiverFailure, osUser: string): string {
  return f.kind === 'connect' ? t('wait.fix_connect', { user: osUser }) : t('wait.fix_identity');
}

/**
 * Waits (bounded by the run) until the server's walreceiver streams.
 * @throws Error naming PostgreSQL's reason and the fix when the walreceiver failed
 *   FAILED_ATTEMPTS times in a row since the wait began; the run's timeout error otherwise.
 */
export async function waitStreaming(run: Run, conn: ConnectionSettings, place?: ServerLogPlace): Promise<void> {
  const file = place ? currentServerLog(place.log, place.pgdata) : undefined;
  // The log is read on from where the last poll stopped; a line still being written waits for its end.
  let pos = file ? sizeOf(file) : 0;
  let partial = '';
  const recent: WalreceiverFailure[] = [];
  let failed: WalreceiverFailure | undefined;
  await waitUntil(
    run,
    t('wait.streaming'),
    async () => {
      if (await isStreaming(run, conn).catch(() => false)) return true;
      if (!file) return false;
      const chunk = readLogSince(file, pos);
      pos = chunk.end;
      const text = partial + chunk.text;
      const cut = text.lastIndexOf('\n') + 1;
      partial = text.slice(cut);
      recent.push(...walreceiverFailures(text.slice(0, cut)));
      recent.splice(0, Math.max(0, recent.length - FAILED_ATTEMPTS));
      if (recent.length === FAILED_ATTEMPTS && recent.every((f) => f.kind === recent[0].kind))
        failed = recent[recent.length - 1];
      return failed !== undefined;
    },
    250,
    run.deadline,
    () =>
      recent.length ? t('wait.last_failure', { reason: recent[recent.length - 1].reason }) : t('wait.no_failure_yet'),
  );
  if (failed)
    throw new Error(
      t('wait.walreceiver_failing', {
        count: FAILED_ATTEMPTS,
        reason: failed.reason,
        fix: fixFor(failed, run.cfg.common.osUser),
      }),
    );
}
