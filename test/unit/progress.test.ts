import { describe, expect, it, vi } from 'vitest';
import { parseToolProgress, ProgressReporter, reportWhileWaiting } from '../../src/lifecycle/progress';
import { lastLine } from '../../src/host/exec';

describe('copy progress (pure)', () => {
  it('parses the lines of pg_basebackup and pg_rewind, nothing else', () => {
    expect(parseToolProgress('30521/305219 kB (10%), 0/1 tablespace')).toEqual({
      doneKb: 30521,
      totalKb: 305219,
      percent: 10,
    });
    expect(parseToolProgress('1024/4096 kB (25%) copied')).toEqual({ doneKb: 1024, totalKb: 4096, percent: 25 });
    expect(parseToolProgress('pg_basebackup: error: connection failed')).toBeUndefined();
  });
  it('without a terminal: the first report, each 10 % step, and one every 10 s in between; never the same step twice sooner', () => {
    let now = 0;
    const out: string[] = [];
    const r = new ProgressReporter('pg_basebackup', { tty: false, write: (s) => out.push(s) }, () => now);
    const feed = (s: number, pct: number) => {
      now = s * 1000;
      r.line(`${pct * 10}/1000 kB (${pct}%), 0/1 tablespace`);
    };
    feed(1, 1);
    feed(2, 2);
    feed(3, 9);
    feed(4, 11);
    feed(5, 12);
    feed(15, 13);
    feed(16, 100);
    expect(out.map((l) => l.split('%')[0])).toEqual([
      'pg_basebackup: 1',
      'pg_basebackup: 11',
      'pg_basebackup: 13',
      'pg_basebackup: 100',
    ]);
    expect(out.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
    expect(out[3]).toMatch(/^pg_basebackup: 100% 1000\.0 KiB \/ 1000\.0 KiB, 62\.5 KiB\/s, ETA 0\.0 s\n$/);
  });
  it('on a terminal: every report redraws one line, ended by a newline', () => {
    const out: string[] = [];
    const r = new ProgressReporter('pg_rewind', { tty: true, write: (s) => out.push(s) }, () => 1000);
    r.line('10/100 kB (10%) copied');
    r.line('20/100 kB (20%) copied');
    r.end();
    expect(out.map((s) => s.slice(0, 18))).toEqual(['\r\x1b[Kpg_rewind: 10%', '\r\x1b[Kpg_rewind: 20%', '\n']);
  });
  it("a failed copy's reason is its error, not its last progress line", () => {
    expect(
      lastLine({
        exitCode: 1,
        stdout: '',
        stderr:
          'pg_basebackup: error: could not read COPY data: server closed the connection\n300/1000 kB (30%), 0/1 tablespace\n',
        timedOut: false,
        ms: 1,
      }),
    ).toMatch(/could not read COPY data/);
  });
  it('a wait says every 10 s that it goes on, and why; nothing once stopped', () => {
    vi.useFakeTimers();
    try {
      const out: string[] = [];
      let why = 'server log: redo starts at 0/3000028';
      const w = reportWhileWaiting(
        'waiting for the end of recovery',
        { tty: false, write: (s) => out.push(s) },
        () => why,
      );
      vi.advanceTimersByTime(9_999);
      expect(out).toEqual([]);
      vi.advanceTimersByTime(1);
      why = 'server log: redo done at 0/9000000';
      vi.advanceTimersByTime(10_000);
      w.stop();
      vi.advanceTimersByTime(30_000);
      expect(out).toEqual([
        'waiting for the end of recovery: 10 s; server log: redo starts at 0/3000028\n',
        'waiting for the end of recovery: 20 s; server log: redo done at 0/9000000\n',
      ]);
    } finally {
      vi.useRealTimers();
    }
  });
});
