import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/file';
import { CHECK_SETTING_KEYS, REPEATABLE_KEYS, resolveCheckConfig } from '../../src/config/resolve';
import { ConfigError } from '../../src/errors';

const KNOWN = new Set<string>(CHECK_SETTING_KEYS);
const ctx = (env: Record<string, string> = {}, uid = 1000) => ({
  env: { PATH: '/nonexistent', HOME: '/home/x', ...env },
  uid,
  homeOf: (u: string) => `/home/${u}`,
});

function tmpFile(text: string): string {
  const p = join(mkdtempSync('/tmp/pgsr-unit-'), 'pgsr.conf');
  writeFileSync(p, text);
  return p;
}

describe('config file', () => {
  it('parses key = value, quotes, comments and repeatable keys', () => {
    const s = parseConfigText(
      "host = 192.168.1.3 # standby\nport=5432\napplication-name = slave\napplication_name = 'other, third'\nprimary-host = '10.0.0.1'\n",
      'f',
      KNOWN,
      REPEATABLE_KEYS,
    );
    expect(s).toEqual({
      host: '192.168.1.3',
      port: '5432',
      'application-name': ['slave', 'other', 'third'],
      'primary-host': '10.0.0.1',
    });
  });
  it.each([
    ['bogus = 1\n', /line 1: unknown setting "bogus"/],
    ['\n\nhost\n', /line 3: expected "key = value"/],
    ["host = 'abc\n", /unterminated/],
    ['host = a\u0000', /not a text file/],
  ])('rejects %j', (text, why) => {
    expect(() => parseConfigText(text, 'f', KNOWN, REPEATABLE_KEYS)).toThrow(why);
  });
});

describe('resolveCheckConfig precedence: flag > environment > file > default', () => {
  it('uses defaults', () => {
    const c = resolveCheckConfig({}, ctx());
    expect(c.connection).toMatchObject({ port: 5432, user: 'postgres', database: 'postgres', applicationName: 'pgsr' });
    expect(c.expectedRole).toBe('auto');
    expect(c.timeoutMs).toBe(10_000);
    expect(c.format).toBe('text');
    expect(c.minStandbys).toBe(1);
    expect(c.alert.stateDir).toBe('/home/x/.local/state/pgsr');
  });
  it('file < environment < flag', () => {
    const file = tmpFile('host = filehost\nport = 1111\nusername = fileuser\nrole = standby\ntimeout = 3\n');
    const c1 = resolveCheckConfig({ config: file }, ctx());
    expect(c1.connection).toMatchObject({ host: 'filehost', port: 1111, user: 'fileuser' });
    expect(c1.expectedRole).toBe('standby');
    expect(c1.timeoutMs).toBe(3000);
    const c2 = resolveCheckConfig({ config: file }, ctx({ PGHOST: 'envhost', PGPORT: '2222' }));
    expect(c2.connection).toMatchObject({ host: 'envhost', port: 2222, user: 'fileuser' });
    const c3 = resolveCheckConfig(
      { config: file, host: 'flaghost' },
      ctx({ PGHOST: 'envhost', PGSR_CONFIG: '/nonexistent' }),
    );
    expect(c3.connection.host).toBe('flaghost');
  });
  it('expands a conninfo given as dbname, below explicit flags', () => {
    const c = resolveCheckConfig({ dbname: 'host=h1 port=6000 user=u1 dbname=appdb', port: '7000' }, ctx());
    expect(c.connection).toMatchObject({ host: 'h1', port: 7000, user: 'u1', database: 'appdb' });
  });
  it('searches the OS user ~/.pgpass too when running as root', () => {
    expect(resolveCheckConfig({}, ctx({}, 0)).connection.passfiles).toEqual([
      '/home/x/.pgpass',
      '/home/postgres/.pgpass',
    ]);
    expect(resolveCheckConfig({ 'os-user': 'pgadm' }, ctx({}, 0)).connection.passfiles).toEqual([
      '/home/x/.pgpass',
      '/home/pgadm/.pgpass',
    ]);
    expect(resolveCheckConfig({}, ctx({ PGPASSFILE: '/etc/pgsr/pass' }, 0)).connection.passfiles).toEqual([
      '/etc/pgsr/pass',
    ]);
    expect(resolveCheckConfig({}, ctx({}, 1000)).connection.passfiles).toEqual(['/home/x/.pgpass']);
  });
  it('keeps PGPASSWORD out of any serialisation', () => {
    const c = resolveCheckConfig({}, ctx({ PGPASSWORD: 'Hunter2Secret' }));
    expect(c.connection.envPassword).toBe('Hunter2Secret');
    expect(JSON.stringify(c)).not.toContain('Hunter2Secret');
  });
  it('parses thresholds with units', () => {
    const c = resolveCheckConfig(
      { 'lag-bytes-warning': '16MB', 'lag-seconds-critical': '5min', 'application-name': ['a', 'b'] },
      ctx(),
    );
    expect(c.thresholds.lagBytes.warning?.end).toBe(16 * 1024 * 1024);
    expect(c.thresholds.lagSeconds.critical?.end).toBe(300);
    expect(c.minStandbys).toBe(2);
  });
  it.each([
    [{ port: 'abc' }, /--|port: 'abc' is not a port number/],
    [{ port: '70000' }, /not a port number/],
    [{ role: 'master' }, /'master' is not one of standby, primary, auto/],
    [{ timeout: '0' }, /must be > 0/],
    [{ timeout: '-5' }, /timeout/],
    [{ 'min-standbys': '-1' }, /whole number/],
    [{ 'lag-bytes-warning': '10 parsecs' }, /unknown unit/],
    [{ 'sync-state': 'maybe' }, /not one of async, sync, quorum, potential/],
    [{ dbname: 'host=x password=y' }, /password is not accepted/],
    [{ config: '/nonexistent/pgsr.conf' }, /cannot read config file \/nonexistent\/pgsr.conf: no such file/],
    [{ 'warning-is-error': 'perhaps' }, /not a boolean/],
  ])('rejects %j', (raw, why) => {
    expect(() => resolveCheckConfig(raw, ctx())).toThrow(ConfigError);
    expect(() => resolveCheckConfig(raw, ctx())).toThrow(why);
  });
  it('rejects garbage in the environment', () => {
    expect(() => resolveCheckConfig({}, ctx({ PGPORT: 'x' }))).toThrow(/environment: port/);
    expect(() => resolveCheckConfig({}, ctx({ PGSSLMODE: 'sometimes' }))).toThrow(/environment: sslmode/);
  });
  it('defaults to the CLUSTERPRO dialect under CLUSTERPRO', () => {
    expect(resolveCheckConfig({}, ctx({ CLP_EVENT: 'START' })).format).toBe('clusterpro');
  });
});

import { resolveLifecycleConfig } from '../../src/config/lifecycle';
describe('resolveLifecycleConfig: where the local server is', () => {
  it('host/port count as given only when a flag, the environment, the file or a conninfo sets them', () => {
    expect(resolveLifecycleConfig({ dbname: 'postgres' }, ctx(), { timeoutS: 60 })).toMatchObject({
      hostGiven: false,
      portGiven: false,
    });
    expect(resolveLifecycleConfig({ dbname: 'host=h port=6000' }, ctx(), { timeoutS: 60 })).toMatchObject({
      hostGiven: true,
      portGiven: true,
    });
    expect(resolveLifecycleConfig({}, ctx({ PGPORT: '6000' }), { timeoutS: 60 })).toMatchObject({
      hostGiven: false,
      portGiven: true,
    });
    expect(resolveLifecycleConfig({ host: 'h' }, ctx(), { timeoutS: 60 }).common.timeoutMs).toBe(60_000);
  });
});

import { tablespaceMapping } from '../../src/config/values';
describe('--tablespace-mapping OLDDIR=NEWDIR (pg_basebackup rules)', () => {
  it('splits on the one unescaped "=", unescapes "\\=", normalizes both paths', () => {
    expect(tablespaceMapping('/srv/ts1=/srv/ts1b', 'x')).toEqual({ old: '/srv/ts1', new: '/srv/ts1b' });
    expect(tablespaceMapping('/srv/a\\=b/=/srv//c/../d/', 'x')).toEqual({ old: '/srv/a=b', new: '/srv/d' });
  });
  it.each(['/a', '/a=/b=/c', 'a=/b', '/a=b', '=/b', '/a='])('refuses %s naming the setting', (v) => {
    expect(() => tablespaceMapping(v, 'command line: --tablespace-mapping')).toThrow(ConfigError);
    expect(() => tablespaceMapping(v, 'command line: --tablespace-mapping')).toThrow(
      /^command line: --tablespace-mapping: '.*' is not OLDDIR=NEWDIR/,
    );
  });
  it('a config file lists several; the same old directory twice is refused', () => {
    const ctx = { env: {}, uid: 0 };
    expect(
      resolveLifecycleConfig({ 'tablespace-mapping': ['/a=/b', '/c=/d'] }, ctx, { timeoutS: 10 }).tablespaceMappings,
    ).toEqual([
      { old: '/a', new: '/b' },
      { old: '/c', new: '/d' },
    ]);
    expect(() => resolveLifecycleConfig({ 'tablespace-mapping': ['/a=/b', '/a/=/d'] }, ctx, { timeoutS: 10 })).toThrow(
      /the tablespace directory \/a is mapped twice/,
    );
  });
});
