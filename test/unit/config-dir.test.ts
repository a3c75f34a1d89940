import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors';
import { configFileOption, configLocation } from '../../src/lifecycle/config-dir';

describe('configLocation: where postgresql.conf is', () => {
  const base = mkdtempSync(join(tmpdir(), 'pgsr-confdir-'));
  const root = join(base, 'etc');
  const data = join(base, 'lib', '15', 'main');
  mkdirSync(data, { recursive: true });
  mkdirSync(join(root, '15', 'main'), { recursive: true });
  mkdirSync(join(root, '15', 'other'), { recursive: true });
  writeFileSync(join(root, '15', 'other', 'postgresql.conf'), "data_directory = '/elsewhere'\n");
  writeFileSync(
    join(root, '15', 'main', 'postgresql.conf'),
    `# data_directory = 'ConfigDir'\ndata_directory = '${data}'\t\t# use data in another directory\nport = 5433\n`,
  );

  it('a Debian cluster: the /etc/postgresql/VERSION/NAME whose data_directory is this one (also through a symbolic link)', () => {
    expect(configLocation(data, undefined, root)).toEqual({
      dir: join(root, '15', 'main'),
      file: join(root, '15', 'main', 'postgresql.conf'),
      debian: { version: '15', name: 'main' },
    });
    const link = join(base, 'link');
    symlinkSync(data, link);
    expect(configLocation(link, undefined, root)?.debian).toEqual({ version: '15', name: 'main' });
  });
  it('none when the data directory has its own postgresql.conf or no cluster names it', () => {
    const own = join(base, 'own');
    mkdirSync(own);
    writeFileSync(join(own, 'postgresql.conf'), '');
    expect(configLocation(own, undefined, root)).toBeUndefined();
    expect(configLocation(join(base, 'lib'), undefined, root)).toBeUndefined();
    expect(configLocation(data, undefined, join(base, 'no-such-root'))).toBeUndefined();
  });
  it('--config-dir wins; one without postgresql.conf is a configuration error', () => {
    expect(configLocation(data, `${join(root, '15', 'other')}/`, root)).toMatchObject({
      dir: join(root, '15', 'other'),
      debian: { name: 'other' },
    });
    expect(() => configLocation(data, base, root)).toThrow(ConfigError);
  });
  it("pg_ctl's -o quotes the path for the shell pg_ctl runs the server through", () => {
    expect(configFileOption({ dir: "/a b/it's", file: "/a b/it's/postgresql.conf" })).toEqual([
      '-o',
      "-c config_file='/a b/it'\\''s/postgresql.conf'",
    ]);
    expect(configFileOption(undefined)).toEqual([]);
  });
});
