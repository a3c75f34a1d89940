/**
 * Tablespaces in a rebuild by pg_basebackup. A plain-format base backup writes each of the
 * source's tablespaces to the same absolute path on this host unless `--tablespace-mapping
 * OLD=NEW` moves it, and it fails when that directory exists and is not empty (pg_basebackup
 * docs). pg_rewind keeps tablespaces where they are and needs none of this.
 */
import { existsSync, readdirSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TablespaceMapping } from '../config/values';
import { t } from '../i18n';

/** A tablespace of the source outside its data directory: name and absolute location. */
export interface SourceTablespace {
  name: string;
  location: string;
}

/** What the base backup does with the tablespaces, or why it cannot run. */
export interface TablespacePlan {
  /** pg_basebackup arguments: one `--tablespace-mapping=OLD=NEW` per mapping, as given. */
  args: string[];
  /** This node's own old tablespace directories in the way, emptied before the copy (--discard-old). */
  clear: string[];
  /** Why the base backup cannot run (a directory in the way, a mapping of no tablespace); undefined when it can. */
  refusal?: string;
}

/**
 * Decides where each of the source's tablespaces goes and what is in the way.
 * @param source the source's tablespaces (SQL.tablespaces).
 * @param mappings `--tablespace-mapping` values.
 * @param pgdata the local data directory: tablespaces linked from its pg_tblspc are its own.
 * @param discardOld --discard-old: its own old tablespace directories may be emptied.
 */
export function planTablespaces(
  source: SourceTablespace[],
  mappings: TablespaceMapping[],
  pgdata: string,
  discardOld: boolean,
): TablespacePlan {
  const args = mappings.map((m) => `--tablespace-mapping=${m.old.replace(/=/g, '\\=')}=${m.new.replace(/=/g, '\\=')}`);
  const stray = mappings.find((m) => !source.some((s) => resolve(s.location) === m.old));
  if (stray)
    return {
      args,
      clear: [],
      refusal: t('rebuild.tablespace_no_such', {
        dir: stray.old,
        have: source.map((s) => s.location).join(', ') || '-',
      }),
    };
  const own = ownTablespaceDirs(pgdata);
  const clear: string[] = [];
  for (const ts of source) {
    const mapped = mappings.find((m) => m.old === resolve(ts.location));
    const target = mapped?.new ?? resolve(ts.location);
    if (!nonEmptyDir(target)) continue;
    const mine = own.has(real(target));
    if (mine && discardOld) clear.push(target);
    else
      return {
        args,
        clear: [],
        refusal: t(
          mine
            ? 'rebuild.tablespace_own_in_way'
            : mapped
              ? 'rebuild.tablespace_target_busy'
              : 'rebuild.tablespace_in_way',
          { name: ts.name, dir: target },
        ),
      };
  }
  return { args, clear };
}

/** Empties each directory of `plan.clear` (the directory itself stays: it may be a mount point). */
export function clearTablespaceDirs(plan: TablespacePlan): void {
  for (const dir of plan.clear)
    for (const e of readdirSync(dir)) rmSync(join(dir, e), { recursive: true, force: true });
}

/** The real paths the data directory's pg_tblspc links point at (none when it has no pg_tblspc). */
function ownTablespaceDirs(pgdata: string): Set<string> {
  const dir = join(pgdata, 'pg_tblspc');
  if (!existsSync(dir)) return new Set();
  const out = new Set<string>();
  for (const e of readdirSync(dir)) {
    try {
      out.add(real(resolve(dir, readlinkSync(join(dir, e)))));
    } catch {
      // An in-place tablespace (a directory, not a link) or a dangling link: not a directory elsewhere.
    }
  }
  return out;
}

function real(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

function nonEmptyDir(p: string): boolean {
  try {
    return readdirSync(p).length > 0;
  } catch {
    return false;
  }
}
