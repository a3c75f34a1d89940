/**
 * Progress of a long copy (pg_basebackup --progress, pg_rewind --progress): the tools' own
 * progress lines parsed ("1234/56789 kB (2%), 0/1 tablespace", "1234/56789 kB (2%) copied"),
 * then reported for a person: on a terminal one line redrawn in place (percent, done / total,
 * rate, ETA); without one (CLUSTERPRO and Pacemaker logs) a plain line at most every 10 s and
 * at each 10 % step, so that a log shows the copy advancing. Pure apart from the clock and the
 * writer the caller passes.
 */
import { TOOL_PROGRESS } from '../host/exec';
import { formatQuantity } from '../verdict/findings';

/** One progress report of a tool: kB done and kB expected (the tools' own estimate). */
export interface ToolProgress {
  doneKb: number;
  totalKb: number;
  percent: number;
}

/** A progress line of pg_basebackup or pg_rewind (both print "DONE/TOTAL kB (P%)"); undefined otherwise. */
export function parseToolProgress(line: string): ToolProgress | undefined {
  const m = TOOL_PROGRESS.exec(line);
  return m ? { doneKb: Number(m[1]), totalKb: Number(m[2]), percent: Number(m[3]) } : undefined;
}

/** How reports are written: `tty` redraws one line (carriage return); otherwise whole lines. */
export interface ProgressSink {
  tty: boolean;
  write(text: string): void;
}

/** pgsr's stderr as a progress sink; with `enabled` false one that writes nothing (`--no-progress`). */
export function stderrSink(enabled: boolean): ProgressSink {
  return { tty: process.stderr.isTTY === true, write: (s) => void (enabled && process.stderr.write(s)) };
}

/** Seconds between two log lines without a terminal (README "Progress"). */
export const LOG_INTERVAL_S = 10;

/**
 * Turns a tool's progress lines into reports for `sink`. `label` names the copy
 * ("pg_basebackup"); `now` is injectable for tests (ms).
 */
export class ProgressReporter {
  private readonly t0: number;
  private lastLog = 0;
  private lastStep = -1;
  private last?: ToolProgress;
  private drawn = false;

  constructor(
    private readonly label: string,
    private readonly sink: ProgressSink,
    private readonly now: () => number = Date.now,
  ) {
    this.t0 = now();
  }

  /** Feeds one line of the tool's stderr (lines that are not progress are ignored). */
  line(text: string): void {
    const p = parseToolProgress(text);
    if (!p) return;
    this.last = p;
    const step = Math.floor(p.percent / 10);
    if (this.sink.tty) {
      this.sink.write(`\r\x1b[K${this.describe(p)}`);
      this.drawn = true;
      return;
    }
    const t = this.now();
    if (this.lastStep < 0 || step > this.lastStep || t - this.lastLog >= LOG_INTERVAL_S * 1000) {
      this.sink.write(`${this.describe(p)}\n`);
      this.lastLog = t;
      this.lastStep = step;
    }
  }

  /** Ends the redrawn line on a terminal (the next output starts on a line of its own). */
  end(): void {
    if (this.drawn) this.sink.write('\n');
    this.drawn = false;
  }

  /** "pg_basebackup: 45% 1.2 GiB / 2.7 GiB, 35 MiB/s, ETA 43 s". */
  describe(p: ToolProgress = this.last ?? { doneKb: 0, totalKb: 0, percent: 0 }): string {
    const s = Math.max(0.001, (this.now() - this.t0) / 1000);
    const rate = (p.doneKb * 1024) / s;
    const left = Math.max(0, p.totalKb - p.doneKb) * 1024;
    const eta = rate > 0 && p.doneKb > 0 ? `, ETA ${formatQuantity(Math.round(left / rate), 's')}` : '';
    return `${this.label}: ${p.percent}% ${formatQuantity(p.doneKb * 1024, 'B')} / ${formatQuantity(p.totalKb * 1024, 'B')}, ${formatQuantity(Math.round(rate), 'B')}/s${eta}`;
  }
}

/**
 * Says, while a wait goes on, that it goes on and why: every `intervalS` seconds `describe()`
 * (e.g. the server log's last line) with the seconds waited, as a line redrawn in place on a
 * terminal and a plain line otherwise. `stop()` ends it (and the redrawn line).
 */
export function reportWhileWaiting(
  label: string,
  sink: ProgressSink,
  describe: () => string,
  intervalS = LOG_INTERVAL_S,
): { stop(): void } {
  const t0 = Date.now();
  let drawn = false;
  const timer = setInterval(() => {
    const text = `${label}: ${Math.round((Date.now() - t0) / 1000)} s; ${describe()}`;
    sink.write(sink.tty ? `\r\x1b[K${text}` : `${text}\n`);
    drawn = sink.tty;
  }, intervalS * 1000);
  // The wait itself holds the process; this timer only reports on it.
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      if (drawn) sink.write('\n');
    },
  };
}
