/**
 * Diagnostic logging (pino, JSON lines on stderr), off unless `--log-level` asks for it.
 * pino is loaded only then, so a normal run does not pay for it at startup.
 * Never log a password: settings objects keep PGPASSWORD non-enumerable.
 */
import type { LogLevel } from '../config/resolve';

/** The part of a logger pgsr uses. */
export interface Log {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

const silent: Log = { debug() {}, info() {}, warn() {} };

/** Makes a logger for a level; `silent` returns a no-op logger without loading pino. */
export async function makeLog(level: LogLevel): Promise<Log> {
  if (level === 'silent') return silent;
  const { default: pino } = await import('pino');
  const logger = pino({ level, base: { pid: process.pid, name: 'pgsr' } }, pino.destination({ fd: 2, sync: true }));
  return {
    debug: (obj, msg) => logger.debug(obj, msg),
    info: (obj, msg) => logger.info(obj, msg),
    warn: (obj, msg) => logger.warn(obj, msg),
  };
}
