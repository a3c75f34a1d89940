/**
 * Rebuild of a standby whose primary has a tablespace, on one host (where the primary's own
 * tablespace directory is exactly what a plain base backup would write into): refused without a
 * mapping before anything is stopped, done with `--tablespace-mapping`, the table in the
 * tablespace readable on the standby; this node's old copy in the way is replaced only with
 * --discard-old; bad and stray mappings are refused.
 */
import { chownSync, existsSync, mkdirSync, readFileSync, readlinkSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBindir, labDown, labUp, osUserIds, psql, waitFor, type LabPair } from '../../scripts/lib/lab';
import { runPgsr } from '../helpers/run';

interface Action {
  outcome: string;
  exit_code: number;
  summary: string;
  steps: Array<{ step: string; status: string; detail?: string }>;
  facts: Record<string, unknown>;
}

async function pgsr(args: string[]): Promise<Action & { code: number }> {
  const r = await runPgsr([...args, '--format', 'json'], { timeoutMs: 180_000 });
  const j = JSON.parse(r.stdout.split('\n').at(-1) ?? '') as Action;
  expect(j.exit_code).toBe(r.exitCode);
  return { ...j, code: r.exitCode };
}

describe('rebuild with a tablespace (PostgreSQL 15, one host)', () => {
  let pair: LabPair;
  let bindir: string;
  let tsPrimary: string;
  let tsStandby: string;
  const S = () => pair.standby.data;
  const from = () => `host=127.0.0.1 port=${pair.primary.port} user=postgres application_name=${pair.applicationName}`;
  const rebuild = (extra: string[]) =>
    pgsr([
      'rebuild',
      '-D',
      S(),
      '--bindir',
      bindir,
      '--method',
      'basebackup',
      '--from',
      from(),
      '--timeout',
      '120',
      ...extra,
    ]);

  beforeAll(async () => {
    pair = await labUp();
    bindir = await defaultBindir();
    tsPrimary = join(pair.dir, 'ts_primary');
    tsStandby = join(pair.dir, 'ts=standby');
    const { uid, gid } = osUserIds(pair.osUser);
    mkdirSync(tsPrimary);
    chownSync(tsPrimary, uid, gid);
    // Stopped first: a standby on the same host replaying CREATE TABLESPACE would use the primary's directory.
    expect((await pgsr(['stop', '-D', S(), '--bindir', bindir])).outcome).toBe('done');
    await psql(pair, pair.primary, `CREATE TABLESPACE ts1 LOCATION '${tsPrimary}'`);
    await psql(pair, pair.primary, 'CREATE TABLE in_ts (id int) TABLESPACE ts1; INSERT INTO in_ts VALUES (7)');
  }, 120_000);
  afterAll(async () => {
    if (pair) await labDown(pair);
  });

  it("without a mapping the primary's own tablespace directory is in the way: refused before anything is touched", async () => {
    const before = readdirSync(S()).sort();
    const r = await rebuild([]);
    expect(r).toMatchObject({ code: 3, outcome: 'refused' });
    expect(r.summary).toBe(
      `tablespace ts1: ${tsPrimary} is in use on this host (not this data directory's): give --tablespace-mapping ${tsPrimary}=NEWDIR with an empty or new directory`,
    );
    expect(readdirSync(S()).sort()).toEqual(before);
    expect(readdirSync(tsPrimary).length).toBe(1);
  });

  it('a mapping of a directory where the source has no tablespace, and a malformed one, are refused', async () => {
    const stray = await rebuild(['--tablespace-mapping', `/nowhere=${tsStandby.replace('=', '\\=')}`]);
    expect(stray).toMatchObject({ code: 3, outcome: 'refused' });
    expect(stray.summary).toContain(
      `--tablespace-mapping /nowhere: the source has no tablespace there (its tablespaces: ${tsPrimary})`,
    );
    const bad = await runPgsr(['rebuild', '-D', S(), '--from', from(), '--tablespace-mapping', 'relative=/x']);
    expect(bad.exitCode).toBe(5);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toContain("'relative=/x' is not OLDDIR=NEWDIR");
  });

  it('with --tablespace-mapping (a path holding "=", escaped) the standby streams and reads the table kept in the tablespace', async () => {
    const r = await rebuild(['--tablespace-mapping', `${tsPrimary}=${tsStandby.replace('=', '\\=')}`, '--discard-old']);
    expect(r).toMatchObject({ code: 0, outcome: 'done', facts: { method: 'pg_basebackup' } });
    const links = readdirSync(join(S(), 'pg_tblspc')).map((oid) => readlinkSync(join(S(), 'pg_tblspc', oid)));
    expect(links).toEqual([tsStandby]);
    expect(await psql(pair, pair.standby, 'SELECT id FROM in_ts')).toBe('7');
    await psql(pair, pair.primary, 'INSERT INTO in_ts VALUES (8)');
    await waitFor(
      'the new row on the standby',
      async () => (await psql(pair, pair.standby, 'SELECT max(id) FROM in_ts')) === '8',
    );
    expect(readdirSync(tsPrimary).length).toBe(1);
  }, 200_000);

  it("this node's old copy in the mapped directory: refused without --discard-old, replaced with it", async () => {
    expect((await pgsr(['stop', '-D', S(), '--bindir', bindir])).outcome).toBe('done');
    const mapping = ['--tablespace-mapping', `${tsPrimary}=${tsStandby.replace('=', '\\=')}`];
    const kept = await rebuild(mapping);
    expect(kept).toMatchObject({ code: 3, outcome: 'refused' });
    expect(kept.summary).toContain(`tablespace ts1: ${tsStandby} holds this node's old copy of it: give --discard-old`);
    const r = await rebuild([...mapping, '--discard-old']);
    expect(r).toMatchObject({ code: 0, outcome: 'done' });
    expect(r.steps.find((s) => s.step.startsWith("empty this node's old tablespace"))).toMatchObject({
      status: 'done',
      detail: tsStandby,
    });
    expect(await psql(pair, pair.standby, 'SELECT count(*) FROM in_ts')).toBe('2');
    expect(existsSync(join(tsPrimary, readdirSync(tsPrimary)[0]))).toBe(true);
    expect(readFileSync(join(S(), 'postgresql.auto.conf'), 'utf8')).toContain('primary_conninfo');
  }, 200_000);
});
