import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureWalreceiverPassword, upstreamOf } from '../../src/lifecycle/walreceiver-pass';

describe('the walreceiver password entry', () => {
  it('reads the upstream of a primary_conninfo; a passfile= of its own leaves credentials to the operator', () => {
    expect(upstreamOf('host=10.0.0.1 port=5433 user=repl application_name=db2', 'postgres')).toEqual({
      host: '10.0.0.1',
      port: 5433,
      user: 'repl',
    });
    expect(upstreamOf('host=10.0.0.1', 'postgres')).toEqual({ host: '10.0.0.1', port: 5432, user: 'postgres' });
    expect(upstreamOf('host=10.0.0.1 passfile=/etc/pg/pass', 'postgres')).toBeUndefined();
    expect(upstreamOf('port=5432', 'postgres')).toBeUndefined();
  });

  it('appends one escaped line, mode 0600, after a last line without newline; never twice', () => {
    const home = mkdtempSync('/tmp/pgsr-unit-home-');
    try {
      const owner = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, home };
      writeFileSync(join(home, '.pgpass'), 'other:5432:*:u:p', { mode: 0o644 });
      expect(ensureWalreceiverPassword(owner, { host: '10.0.0.1', port: 5432, user: 'repl' }, 'a:b\\c')).toBe(
        join(home, '.pgpass'),
      );
      expect(readFileSync(join(home, '.pgpass'), 'utf8')).toBe('other:5432:*:u:p\n10.0.0.1:5432:*:repl:a\\:b\\\\c\n');
      expect(statSync(join(home, '.pgpass')).mode & 0o777).toBe(0o600);
      expect(
        ensureWalreceiverPassword(owner, { host: '10.0.0.1', port: 5432, user: 'repl' }, 'a:b\\c'),
      ).toBeUndefined();
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
