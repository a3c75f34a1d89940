import { describe, expect, it } from 'vitest';
import { looksLikeConninfo, ownConnectionProblem, parseConninfo, withApplicationName } from '../../src/config/conninfo';
import { sslOption } from '../../src/probe/observe';

describe('parseConninfo', () => {
  it('parses keyword/value with quotes and escapes', () => {
    expect(
      parseConninfo("host=192.168.1.10 port = 5432 user=postgres application_name='my app' dbname='it\\'s'"),
    ).toEqual({
      host: '192.168.1.10',
      port: '5432',
      user: 'postgres',
      application_name: 'my app',
      dbname: "it's",
    });
  });
  it('parses URIs with query parameters and percent-encoding', () => {
    expect(parseConninfo('postgresql://mon%40x@db.example:5433/app%20db?sslmode=require&connect_timeout=3')).toEqual({
      user: 'mon@x',
      host: 'db.example',
      port: '5433',
      dbname: 'app db',
      sslmode: 'require',
      connect_timeout: '3',
    });
    expect(parseConninfo('postgres://')).toEqual({});
    expect(parseConninfo('postgresql://[::1]:5432/postgres')).toMatchObject({ host: '::1', port: '5432' });
  });
  it.each([
    ['host=a password=secret', /password is not accepted/],
    ['postgresql://u:secret@h/db', /password is not accepted/],
    ['host=a bogus=1', /invalid connection option "bogus"/],
    ["host='a", /unterminated/],
    ['host a', /missing "="/],
    ['postgresql://h1,h2/db', /several hosts/],
  ])('rejects %j', (text, why) => {
    expect(() => parseConninfo(text)).toThrow(why);
  });
  it('never echoes a password in its error', () => {
    let message = '';
    try {
      parseConninfo('host=a password=TopSecret99');
    } catch (err) {
      message = (err as Error).message;
    }
    // It must throw (a password is refused), and the message must not carry the secret.
    expect(message).toMatch(/password is not accepted/);
    expect(message).not.toContain('TopSecret99');
    for (const text of [
      "host=a password='Top Secret99'",
      'postgresql://u:TopSecret99@h/db',
      'host=a sslpassword=TopSecret99',
    ]) {
      expect(() => parseConninfo(text)).toThrow();
      expect(() => parseConninfo(text)).not.toThrow(/TopSecret99/);
    }
  });
  it('detects what libpq would expand', () => {
    expect(looksLikeConninfo('postgres')).toBe(false);
    expect(looksLikeConninfo('host=x')).toBe(true);
    expect(looksLikeConninfo('postgresql://x')).toBe(true);
  });
});

import { addressOf } from '../../src/config/conninfo';
describe('addressOf (lenient, for conninfos written by others)', () => {
  it('ignores passwords and unknown options', () => {
    expect(
      addressOf("user=rep password=secret channel_binding=prefer host='192.168.1.10' port=5433 sslmode=prefer"),
    ).toEqual({ user: 'rep', host: '192.168.1.10', port: '5433' });
    expect(addressOf('host=a port=1 password=********')).toEqual({ host: 'a', port: '1' });
    expect(addressOf('postgresql://rep:pw@h:5433/db?target_session_attrs=any')).toEqual({
      host: 'h',
      port: '5433',
      user: 'rep',
      dbname: 'db',
    });
    expect(addressOf('garbage')).toEqual({});
  });
});

describe('every libpq keyword', () => {
  it.each([
    'keepalives=1',
    'keepalives_idle=30',
    'target_session_attrs=read-write',
    'sslrootcert=/etc/ssl/root.crt',
    'tcp_user_timeout=10000',
    'options=-c\\ statement_timeout=5s',
    'channel_binding=require',
    'gssencmode=disable',
  ])('parses %s', (kv) => {
    expect(Object.keys(parseConninfo(`host=db1 ${kv}`))).toContain(kv.split('=')[0]);
  });
  it.each([['password=x'], ['sslpassword=x'], ['oauth_client_secret=x']])('refuses the secret %s', (kv) => {
    expect(() => parseConninfo(`host=db1 ${kv}`)).toThrow(/not accepted in a connection string/);
  });
  it.each([
    ['host=db1 keepalives=1 keepalives_idle=5', undefined],
    ['host=db1 target_session_attrs=any', undefined],
    [
      'host=db1 target_session_attrs=read-write',
      /"target_session_attrs" is valid for libpq, but pgsr's own connection .* cannot honour it/,
    ],
    ['host=db1 tcp_user_timeout=1000', /"tcp_user_timeout"/],
  ])('own connection %s', (text, problem) => {
    const p = ownConnectionProblem(parseConninfo(text));
    if (problem) expect(p).toMatch(problem);
    else expect(p).toBeUndefined();
  });
});

describe('sslmode as libpq: prefer tries TLS first, allow plain first; never TLS on a Unix socket', () => {
  const c = (sslmode: 'prefer' | 'allow' | 'disable' | 'require', host = '127.0.0.1') => ({ host, sslmode });
  it.each([
    ['prefer', '127.0.0.1', [{ rejectUnauthorized: false }, false]],
    ['allow', '127.0.0.1', [false, { rejectUnauthorized: false }]],
    ['disable', '127.0.0.1', [false, false]],
    ['require', '127.0.0.1', [{ rejectUnauthorized: false }, { rejectUnauthorized: false }]],
    ['prefer', '/var/run/postgresql', [false, false]],
    ['allow', '/var/run/postgresql', [false, false]],
  ] as const)('%s on %s', (mode, host, [first, second]) => {
    expect(sslOption(c(mode, host), 0)).toEqual(first);
    expect(sslOption(c(mode, host), 1)).toEqual(second);
  });
});

describe('withApplicationName', () => {
  it('adds the name when the conninfo has none, quoted by libpq rules, and keeps an explicit one', () => {
    expect(withApplicationName('host=10.0.0.1 user=repl', 'node2')).toBe(
      "host=10.0.0.1 user=repl application_name='node2'",
    );
    expect(parseConninfo(withApplicationName('host=h', "o'dd\\name")).application_name).toBe("o'dd\\name");
    expect(withApplicationName("host=h application_name='db2'", 'node2')).toBe("host=h application_name='db2'");
    expect(withApplicationName('postgresql://h:5432/postgres', 'node 2')).toBe(
      'postgresql://h:5432/postgres?application_name=node%202',
    );
    expect(parseConninfo(withApplicationName('postgresql://h/?sslmode=require', 'n&2')).application_name).toBe('n&2');
    expect(withApplicationName('postgresql://h/?application_name=x', 'node2')).toBe(
      'postgresql://h/?application_name=x',
    );
  });
});
