/**
 * Exceptions pgsr throws on purpose. Expected runtime failures (a refused connection, a failed
 * query) are data, not exceptions: see probe/ `ProbeFailure`. Exceptions are only for usage and
 * configuration errors (caught once, in main.ts, and rendered in the host's dialect) and bugs.
 */

/** Bad flags, bad values, unreadable or malformed configuration. Message is one line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Bad command-line usage (unknown option, missing argument), raised from commander. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Returns the first line of an error's message, for one-line reports (never a stack). */
export function oneLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  const first = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? text;
  return first.trim();
}
