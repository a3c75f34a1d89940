import { describe, expect, it } from 'vitest';
import {
  VERSION_DIFFERENCES,
  archiveReadySql,
  guessKnown,
  primarySql,
  standbySql,
  unsupportedReason,
} from '../../src/probe/versions';

describe('version table', () => {
  it('refuses servers older than 10 and newer than the newest known major, with a clear message', () => {
    expect(unsupportedReason(90624, '9.6.24')).toBe('PostgreSQL 9.6.24 is older than 10, which pgsr does not support');
    expect(unsupportedReason(190000, '19devel')).toBe(
      'PostgreSQL 19devel is newer than the newest major pgsr knows (18)',
    );
    for (const v of [100023, 110022, 150018, 180004]) expect(unsupportedReason(v, String(v))).toBeNull();
  });
  it('queries keep the same column names on every major, switching expressions at the documented release', () => {
    expect(standbySql(120000)).toContain('w.received_lsn::text AS flushed_lsn');
    expect(standbySql(130000)).toContain('w.flushed_lsn::text AS flushed_lsn');
    expect(standbySql(100000)).toContain('NULL::text AS sender_host');
    expect(standbySql(110000)).toContain('w.sender_host AS sender_host');
    expect(primarySql(110000)).toContain('NULL::float8 AS reply_age_s');
    expect(primarySql(120000)).toContain('now() - r.reply_time');
    expect(primarySql(120000)).toBe(primarySql(180000));
    expect(archiveReadySql(110000)).toContain('pg_ls_dir');
    expect(archiveReadySql(120000)).toContain('pg_ls_archive_statusdir');
  });
  it('every difference names its release', () => {
    for (const d of VERSION_DIFFERENCES) expect(d.note).toMatch(/\d+/);
  });
  it('guesses role and major from the startup ParameterStatus, or not at all', () => {
    expect(guessKnown({ server_version: '15.10 (Debian 15.10-1.pgdg120+1)', in_hot_standby: 'on' })).toEqual({
      role: 'standby',
      versionNum: 150010,
      timeline: true,
    });
    expect(guessKnown({ server_version: '16.4', in_hot_standby: 'off' }, 'standby')).toEqual({
      role: 'primary',
      versionNum: 160004,
      timeline: false,
    });
    // Before 14 there is no in_hot_standby: the expected role, else no guess.
    expect(guessKnown({ server_version: '11.4' }, 'standby')).toEqual({
      role: 'standby',
      versionNum: 110004,
      timeline: true,
    });
    expect(guessKnown({ server_version: '11.4' })).toBeUndefined();
    expect(guessKnown({ server_version: '18beta1', in_hot_standby: 'off' })?.versionNum).toBe(180000);
    expect(guessKnown({ server_version: '9.6.24' }, 'primary')).toBeUndefined();
    expect(guessKnown({ server_version: '19devel', in_hot_standby: 'on' })).toBeUndefined();
    expect(guessKnown({}, 'primary')).toBeUndefined();
  });
});
