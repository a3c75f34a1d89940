import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findBinaries, majorBindir, systemBindirs } from '../../src/probe/local';

// A tree that mimics a RHEL host with PGDG 11 and a Debian-style 15 side by side.
const root = mkdtempSync('/tmp/pgsr-bindirs-');
const put = (dir: string, names: string[]) => {
  mkdirSync(join(root, dir), { recursive: true });
  for (const n of names) writeFileSync(join(root, dir, n), '', { mode: 0o755 });
};
put('usr/pgsql-11/bin', ['pg_ctl', 'postgres', 'pg_rewind', 'pg_controldata']);
put('usr/lib/postgresql/15/bin', ['pg_ctl', 'postgres', 'pg_basebackup', 'pg_controldata']);
mkdirSync(join(root, 'usr/pgsql-notaversion/bin'), { recursive: true });
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('PostgreSQL bin directories on both families', () => {
  it('lists every layout, newest major first', () => {
    expect(systemBindirs(root)).toEqual([join(root, 'usr/lib/postgresql/15/bin'), join(root, 'usr/pgsql-11/bin')]);
  });
  it("matches the data directory's major: PGDG /usr/pgsql-11/bin for 11, pg_basebackup from the newer client", () => {
    const b = findBinaries(undefined, 11, root);
    expect(b.bindir).toBe(join(root, 'usr/pgsql-11/bin'));
    expect(b.pg_ctl).toBe(join(root, 'usr/pgsql-11/bin/pg_ctl'));
    expect(b.pg_rewind).toBe(join(root, 'usr/pgsql-11/bin/pg_rewind'));
    expect(b.pg_basebackup).toBe(join(root, 'usr/lib/postgresql/15/bin/pg_basebackup'));
    expect(majorBindir(15, root)).toBe(join(root, 'usr/lib/postgresql/15/bin'));
    expect(majorBindir(13, root)).toBeUndefined();
  });
  it('an explicit --bindir wins; no major: the newest installed', () => {
    expect(findBinaries('/opt/pg/bin', 11, root).bindir).toBe('/opt/pg/bin');
    expect(findBinaries(undefined, null, root).bindir).toBe(join(root, 'usr/lib/postgresql/15/bin'));
  });
});
