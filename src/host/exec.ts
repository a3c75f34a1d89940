/**
 * Child processes for server-side work (pg_ctl, pg_basebackup, pg_rewind, pg_controldata):
 * run as the PostgreSQL OS user when pgsr is root (`runuser -u USER --`), with an argument
 * vector (no shell), a timeout with SIGKILL, and the caller's environment minus libpq
 * variables that could redirect the tools. The exit code is data, never an exception.
 */

import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { SYSTEM_DIRS, systemProgram } from './which';
import { loadExeca } from './execa';

/** Outcome of one child process. */
export interface ExecResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** ENOENT, EACCES... when it could not be spawned. */
  spawnError?: string;
  ms: number;
}

/** Options of `runAs`. */
export interface RunAsOptions {
  timeoutMs: number;
  /** Extra environment (e.g. PGPASSFILE for pg_basebackup); never a password. */
  env?: Record<string, string>;
  input?: string;
  /** Receives each line of the tool's stderr as it comes (split at \n and \r: progress lines), besides the buffered result. */
  onStderrLine?: (line: string) => void;
}

/** Environment for server tools: the caller's without libpq variables, plus `extra`. */
export function toolEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^PG/.test(k)) env[k] = v;
  env.LANG = 'C';
  env.LC_ALL = 'C';
  return { ...env, ...extra };
}

/**
 * Runs `file args` as `osUser` when the current process is root, else as the current user.
 * Never throws for a failing or missing program.
 */
export async function runAs(osUser: string, file: string, args: string[], opts: RunAsOptions): Promise<ExecResult> {
  const root = process.getuid?.() === 0;
  const t0 = Date.now();
  const notFound = (what: string): ExecResult => ({
    exitCode: undefined,
    stdout: '',
    stderr: '',
    timedOut: false,
    spawnError: `not found: ${what}`,
    ms: Date.now() - t0,
  });
  // Absolute paths only: a cluster manager's PATH may lack /usr/sbin (CLUSTERPRO's does).
  const program = file.includes('/') ? file : systemProgram(file);
  if (!program || !existsSync(program)) return notFound(file);
  let cmd = program;
  let argv = args;
  if (root && osUser !== 'root') {
    const runuser = systemProgram('runuser');
    if (!runuser)
      return notFound(
        `runuser (needed to run ${basename(program)} as ${osUser}; looked on PATH and in ${SYSTEM_DIRS.join(', ')})`,
      );
    cmd = runuser;
    argv = ['-u', osUser, '--', program, ...args];
  }
  const sub = (await loadExeca())(cmd, argv, {
    reject: false,
    timeout: Math.max(100, opts.timeoutMs),
    forceKillAfterDelay: 1000,
    env: toolEnv(opts.env),
    extendEnv: false,
    cwd: '/',
    stdin: opts.input === undefined ? 'ignore' : 'pipe',
    input: opts.input,
    cleanup: true,
  });
  if (opts.onStderrLine) followLines(sub.stderr, opts.onStderrLine);
  const r = await sub;
  return {
    exitCode: r.exitCode,
    stdout: String(r.stdout ?? ''),
    stderr: String(r.stderr ?? ''),
    timedOut: Boolean(r.timedOut),
    spawnError: r.failed && r.exitCode === undefined && !r.timedOut ? (r.code ?? r.shortMessage) : undefined,
    ms: Date.now() - t0,
  };
}

/** A progress report of pg_basebackup or pg_rewind (`--progress`): "DONE/TOTAL kB (P%)"; groups: done, total, percent. */
export const TOOL_PROGRESS = /(\d+)\/(\d+) kB \((\d+)%\)/;

/** Calls `f` with each complete line of `stream` (at \n or \r), the rest at its end. */
function followLines(stream: NodeJS.ReadableStream | null | undefined, f: (line: string) => void): void {
  if (!stream) return;
  let rest = '';
  stream.on('data', (b: Buffer | string) => {
    const parts = (rest + b.toString()).split(/[\r\n]/);
    rest = parts.pop() ?? '';
    for (const l of parts) if (l !== '') f(l);
  });
  stream.on('end', () => rest !== '' && f(rest));
}

/** The last non-empty line of a tool's output, for one-line reports. */
export function lastLine(r: ExecResult): string {
  // Progress lines (pg_basebackup/pg_rewind --progress, "DONE/TOTAL kB (P%)") are not the reason.
  const lines = `${r.stderr}\n${r.stdout}`
    .split(/[\r\n]/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !TOOL_PROGRESS.test(l));
  if (r.spawnError?.startsWith('not found:')) return r.spawnError;
  return lines.at(-1) ?? (r.timedOut ? 'timed out' : (r.spawnError ?? `exit ${r.exitCode}`));
}

/** Outcome of a program run as the current user: exit code (undefined when killed), stdout and stderr merged. */
export interface HereResult {
  exitCode: number | undefined;
  timedOut: boolean;
  output: string;
}

/**
 * Runs `file args` as the current user (an operator's hook, a PCP tool, a remote prefix such as
 * ssh), stdin closed, SIGKILL 500 ms after the timeout's SIGTERM. Never throws.
 * @param opts.env added to the caller's environment, or the whole environment with `extendEnv: false`.
 */
export async function runHere(
  file: string,
  args: string[],
  opts: { timeoutMs: number; env?: Record<string, string>; extendEnv?: boolean },
): Promise<HereResult> {
  const r = await (
    await loadExeca()
  )(file, args, {
    reject: false,
    timeout: Math.max(100, opts.timeoutMs),
    forceKillAfterDelay: 500,
    stdin: 'ignore',
    all: true,
    env: opts.env,
    extendEnv: opts.extendEnv ?? true,
  });
  return { exitCode: r.exitCode, timedOut: r.timedOut === true, output: String(r.all ?? '').trim() };
}

/** A shell command line run as the current user (`/bin/sh -c`), as runHere. */
export function runShell(
  command: string,
  opts: { timeoutMs: number; env?: Record<string, string> },
): Promise<HereResult> {
  return runHere('/bin/sh', ['-c', command], opts);
}
