/**
 * Carries out a CLUSTERPRO alert: runs `clplogcmd -m MSG --alert [--syslog] -i ID -l LEVEL`
 * with an argument vector (never a shell), bounded by a timeout. A missing, failing or hanging
 * clplogcmd is reported as data and never changes the check's own result.
 */
import { escapeForClplogcmd, messageLimit, type AlertRequest } from '../dialect/clusterpro';
import { loadExeca } from './execa';
import { t } from '../i18n';

/** What happened to an alert. `detail` is one line for the genw log. */
export interface AlertOutcome {
  sent: boolean;
  detail: string;
  argv?: string[];
}

/**
 * Sends one alert.
 * @param command path of clplogcmd, or undefined when none was found.
 * @param timeoutMs bound for the child process; at the bound its whole process group is
 *   killed (SIGKILL), so a wrapper script's own children cannot keep the run waiting.
 */
export async function sendAlert(
  command: string | undefined,
  req: AlertRequest,
  syslog: boolean,
  timeoutMs: number,
): Promise<AlertOutcome> {
  if (!command) return { sent: false, detail: t('alert.no_clplogcmd') };
  const argv = [
    '-m',
    escapeForClplogcmd(req.message, messageLimit(syslog)),
    '--alert',
    ...(syslog ? ['--syslog'] : []),
    '-i',
    String(req.eventId),
    '-l',
    req.level,
  ];
  const child = (await loadExeca())(command, argv, {
    reject: false,
    stdin: 'ignore',
    all: true,
    detached: true,
    cleanup: true,
  });
  let timedOut = false;
  const timer = setTimeout(
    () => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    },
    Math.max(100, timeoutMs),
  );
  const r = await child;
  clearTimeout(timer);
  if (timedOut)
    return { sent: false, detail: t('alert.timed_out', { command, seconds: (timeoutMs / 1000).toFixed(1) }), argv };
  if (r.failed) {
    const why =
      r.code === 'ENOENT'
        ? t('alert.not_found')
        : r.code === 'EACCES'
          ? t('alert.not_executable')
          : r.exitCode !== undefined
            ? t('alert.exit', { code: r.exitCode })
            : (r.signal ?? t('outcome.failed'));
    const said = String(r.all ?? '')
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim();
    return { sent: false, detail: t('alert.failed', { command, why: `${why}${said ? ` (${said})` : ''}` }), argv };
  }
  return { sent: true, detail: t('alert.sent', { id: req.eventId, level: req.level, reason: req.reason }), argv };
}
