/** `pgsr archive hold|resume|status` on the primary. */
import type { LifecycleConfig } from '../config/lifecycle';
import { findBinaries, localFacts } from '../probe/local';
import { withConnection, type SqlRunner } from '../probe/observe';
import { SQL, alterSystemSet } from '../probe/statements';
import { archiveReadySql } from '../probe/versions';
import { type ActionResult } from './plan';
import { Run, guarded, localConnection, waitUntil } from './steps';
import { t } from '../i18n';

/**
 * Prefix of the archive_command pgsr sets while archiving is held (a no-op `true`, as runbooks use).
 * The previous value follows as a shell comment (base64 JSON), so the server's own
 * configuration remembers it: no file, no custom setting (ALTER SYSTEM refuses unknown ones).
 */
export const HELD_ARCHIVE_PREFIX = 'true # pgsr archive hold; previous (base64 JSON): ';

/** The held archive_command carrying the previous value. */
export function heldArchiveCommand(previous: { value: string; fromAuto: boolean }): string {
  return HELD_ARCHIVE_PREFIX + Buffer.from(JSON.stringify(previous), 'utf8').toString('base64');
}

/** The previous value carried by a held archive_command; undefined when not held or unreadable. */
export function previousArchiveCommand(held: string): { value: string; fromAuto: boolean } | undefined {
  if (!held.startsWith(HELD_ARCHIVE_PREFIX)) return undefined;
  try {
    const p = JSON.parse(Buffer.from(held.slice(HELD_ARCHIVE_PREFIX.length), 'base64').toString('utf8')) as {
      value: unknown;
      fromAuto: unknown;
    };
    return typeof p.value === 'string' ? { value: p.value, fromAuto: p.fromAuto === true } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The configured archive_command and where it comes from. pg_settings shows "(disabled)" when
 * archive_mode is off, so the value is read from pg_file_settings (the files as PostgreSQL
 * reads them; superuser), the last valid line winning as in PostgreSQL.
 */
async function archiveSettings(q: SqlRunner): Promise<{ value: string; fromAuto: boolean; archiving: boolean }> {
  const row = (await q(SQL.archiveCommandInFiles))[0];
  const mode = (await q(SQL.archiveMode))[0].m;
  return {
    value: row ? String(row.setting ?? '') : '',
    fromAuto: row ? String(row.sourcefile ?? '').endsWith('postgresql.auto.conf') : false,
    archiving: mode !== 'off',
  };
}

/** Reloads, then waits until the value is in effect (when archiving is on; "(disabled)" otherwise). */
async function reloadAndWait(run: Run, q: SqlRunner, expected: string, archiving: boolean): Promise<void> {
  await q(SQL.reloadConf);
  if (!archiving) return;
  await waitUntil(run, t('wait.reload'), async () => (await q(SQL.archiveCommandInEffect))[0].v === expected);
}

/**
 * `pgsr archive hold|resume|status` on the primary (while the standby is down,
 * archive_command = 'true' so WAL does not pile up). hold sets a no-op archive_command that
 * carries the exact previous value (and whether it came from postgresql.auto.conf) in a shell
 * comment; resume restores it exactly (ALTER SYSTEM RESET when the value came from
 * postgresql.conf); both reload and wait until the new value is in effect.
 */
export async function archive(cfg: LifecycleConfig, sub: 'hold' | 'resume' | 'status'): Promise<ActionResult> {
  const run = new Run(`archive ${sub}`, cfg);
  return guarded(run, async () => {
    const pid = cfg.pgdata
      ? (await localFacts(cfg.pgdata, findBinaries(cfg.bindir, null), cfg.common.osUser, run.remaining())).pidFile
      : undefined;
    const conn = localConnection(cfg, pid);
    const r = await withConnection(conn, run.deadline, async (q) => {
      if ((await q(SQL.inRecovery))[0].r === true) return run.result('refused', t('archive.standby'), ['in recovery']);
      const s = await archiveSettings(q);
      const prev = previousArchiveCommand(s.value);
      const held = s.value.startsWith(HELD_ARCHIVE_PREFIX);
      // The command text may hold credentials (an scp target, a cloud key): only in JSON, under
      // a key that says so; never in summaries, log lines or alerts.
      run.facts.archive_command_sensitive = s.value;
      run.facts.held = held;
      run.facts.archive_mode_on = s.archiving;
      if (sub === 'status') {
        const v = Number((await q(SQL.versionNum))[0].v);
        const st = (await q(SQL.archiver))[0];
        const ready = Number((await q(archiveReadySql(v)))[0].ready);
        Object.assign(run.facts, {
          archived_count: Number(st.archived_count),
          last_archived_wal: st.last_archived_wal as string | null,
          failed_count: Number(st.failed_count),
          last_failed_wal: st.last_failed_wal as string | null,
          ready_count: ready,
        });
        const state = held
          ? t(prev ? 'archive.held' : 'archive.held_unreadable')
          : t(s.value ? 'archive.active' : 'archive.active_empty');
        return run.result(
          'done',
          t('archive.status', {
            state,
            mode: s.archiving ? '' : t('archive.mode_off'),
            ready,
            archived: String(st.archived_count),
            failed: String(st.failed_count),
            last: st.last_failed_wal ? t('archive.last_failed', { wal: String(st.last_failed_wal) }) : '',
          }),
        );
      }
      if (sub === 'hold') {
        if (held) return run.result('already', t('archive.already_held'));
        const heldValue = heldArchiveCommand({ value: s.value, fromAuto: s.fromAuto });
        if (cfg.dryRun) {
          run.steps.push({
            step: "ALTER SYSTEM SET archive_command = 'true # ...' (remembering the current value); reload",
            status: 'planned',
          });
          return run.result('planned', t('archive.hold_planned'));
        }
        await run.step('ALTER SYSTEM SET archive_command (no-op, previous value kept in its comment)', () =>
          q(alterSystemSet('archive_command', heldValue)),
        );
        await run.step('reload', () => reloadAndWait(run, q, heldValue, s.archiving));
        return run.result('done', t('archive.hold_done'));
      }
      if (!held) return run.result('already', t('archive.not_held'));
      if (!prev) return run.result('failed', t('archive.prev_unreadable'));
      if (cfg.dryRun) {
        run.steps.push(
          {
            step: prev.fromAuto
              ? 'ALTER SYSTEM SET archive_command (the previous value)'
              : 'ALTER SYSTEM RESET archive_command',
            status: 'planned',
          },
          { step: 'reload', status: 'planned' },
        );
        return run.result('planned', t('archive.resume_planned'));
      }
      await run.step(prev.fromAuto ? 'ALTER SYSTEM SET archive_command' : 'ALTER SYSTEM RESET archive_command', () =>
        q(prev.fromAuto ? alterSystemSet('archive_command', prev.value) : SQL.resetArchiveCommand),
      );
      await run.step('reload', () => reloadAndWait(run, q, prev.value, s.archiving));
      run.facts.archive_command_sensitive = prev.value;
      return run.result('done', t('archive.resume_done'));
    });
    if (!r.ok)
      return run.result(
        'failed',
        t('archive.cannot_run', { where: `${conn.host}:${conn.port}`, detail: r.failure.detail }),
      );
    return r.value;
  });
}
