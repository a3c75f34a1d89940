import { describe, expect, it } from 'vitest';
import { formatConninfo, looksLikeConninfo, parseConninfo } from '../../src/config/conninfo';

describe('parseConninfo', () => {
  it('parses keyword/value with quotes and escapes', () => {
    expect(parseConninfo("host=192.168.1.10 port = 5432 user=postgres application_name='my app' dbname='it\\'s'")).toEqual({
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
    try {
      parseConninfo('host=a password=TopSecret99');
    } catch (err) {
      expect((err as Error).message).not.toContain('TopSecret99');
    }
  });
  it('formats back to a parseable string', () => {
    const info = { host: '127.0.0.1', port: '5432', user: 'postgres', application_name: "a b'c" };
    expect(parseConninfo(formatConninfo(info))).toEqual(info);
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
    expect(addressOf("user=rep password=secret channel_binding=prefer host='192.168.1.10' port=5433 sslmode=prefer")).toEqual({ user: 'rep', host: '192.168.1.10', port: '5433' });
    expect(addressOf('host=a port=1 password=********')).toEqual({ host: 'a', port: '1' });
    expect(addressOf('postgresql://rep:pw@h:5433/db?target_session_attrs=any')).toEqual({ host: 'h', port: '5433', user: 'rep', dbname: 'db' });
    expect(addressOf('garbage')).toEqual({});
  });
});
