/**
 * sslmode as libpq's, against a real server with ssl = on and pg_hba.conf rules that accept a
 * role only over TLS (hostssl) or only without it (hostnossl): `prefer` (the default) tries TLS
 * first and falls back to plain, `allow` tries plain first and falls back to TLS, `disable` and
 * `require` never fall back. Driven through the bundle's check, as a genw runs it.
 */
import { execa } from 'execa';
import { chownSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp, osUserIds, psql, type LabPair } from '../../scripts/lib/lab';
import { runPgsr } from '../helpers/run';

let pair: LabPair;

beforeAll(async () => {
  pair = await labUp();
  const d = pair.primary.data;
  await execa(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-keyout',
      join(d, 'server.key'),
      '-out',
      join(d, 'server.crt'),
    ],
    { timeout: 60_000 },
  );
  const { uid, gid } = osUserIds(pair.osUser);
  for (const f of ['server.key', 'server.crt']) chownSync(join(d, f), uid, gid);
  await execa('chmod', ['0600', join(d, 'server.key')]);
  await psql(
    pair,
    pair.primary,
    'CREATE ROLE tls_only LOGIN; CREATE ROLE plain_only LOGIN; GRANT pg_monitor TO tls_only, plain_only',
  );
  const hba = join(d, 'pg_hba.conf');
  writeFileSync(
    hba,
    [
      'hostssl all tls_only 127.0.0.1/32 trust',
      'hostnossl all tls_only 127.0.0.1/32 reject',
      'hostnossl all plain_only 127.0.0.1/32 trust',
      'hostssl all plain_only 127.0.0.1/32 reject',
      readFileSync(hba, 'utf8'),
    ].join('\n'),
  );
  await psql(pair, pair.primary, 'ALTER SYSTEM SET ssl = on');
  await psql(pair, pair.primary, 'SELECT pg_reload_conf()');
  expect(await psql(pair, pair.primary, 'SHOW ssl')).toBe('on');
}, 120_000);
afterAll(async () => {
  if (pair) await labDown(pair);
});

const check = (user: string, sslmode: string) =>
  runPgsr([
    'check',
    '--format',
    'clusterpro',
    '--no-alert',
    '-h',
    '127.0.0.1',
    '-p',
    String(pair.primary.port),
    '-U',
    user,
    '--role',
    'primary',
    '--min-standbys',
    '0',
    '--sslmode',
    sslmode,
  ]);

describe('sslmode as libpq', () => {
  it.each([
    // [role, sslmode, exit code]: 0 connected, 2 refused by pg_hba.conf
    ['tls_only', 'prefer', 0], // TLS first: accepted
    ['plain_only', 'prefer', 0], // TLS refused (hostssl reject): plain fallback accepted
    ['tls_only', 'allow', 0], // plain refused (hostnossl reject): TLS fallback accepted
    ['plain_only', 'allow', 0], // plain first: accepted
    ['tls_only', 'disable', 2], // never TLS
    ['plain_only', 'require', 2], // never plain
    ['tls_only', 'require', 0],
  ] as const)('%s with sslmode=%s: exit %d', async (user, sslmode, code) => {
    const r = await check(user, sslmode);
    expect(r.exitCode, r.stdout).toBe(code);
    if (code === 2) expect(r.stdout).toMatch(/pg_hba\.conf rejects connection|no pg_hba\.conf entry/);
  });
});
