/**
 * The monitoring adapters of a one-shot check: the CLUSTERPRO custom monitor (genw: one log
 * line, exit codes, clplogcmd alerts on a change of state), the Nagios plugin (status line and
 * perfdata), JSON and text. Observe (probe/) → judge (verdict/) → render (dialect/) → alert
 * (host/), all within the run's --timeout.
 */
import type { CheckConfig } from '../config/resolve';
import { ConfigError } from '../errors';
import { decideAlert, exitCodeFor, logLine } from '../dialect/clusterpro';
import { renderJson } from '../dialect/json';
import { renderNagios } from '../dialect/nagios';
import { renderMetrics } from '../dialect/openmetrics';
import { renderText } from '../dialect/text';
import { sendAlert } from '../host/alert';
import { makeLog } from '../host/log';
import { countReadyLocally, measureWalVolume } from '../host/local-server';
import { readState, stateFileName, writeFileAtomic, writeState } from '../host/state';
import { observe } from '../probe/observe';
import type { Observation } from '../observation';
import type { CommandResult } from '../types';
import { judge, type CheckPolicy, type Verdict } from '../verdict/check';
import { t } from '../i18n';

/** Converts the configuration into the verdict layer's expectations. */
export function policyOf(cfg: CheckConfig): CheckPolicy {
  return {
    expectedRole: cfg.expectedRole,
    expectedPrimary: cfg.expectedPrimary,
    applicationNames: cfg.applicationNames,
    syncState: cfg.syncState,
    minStandbys: cfg.minStandbys,
    thresholds: cfg.thresholds,
    replayPausedSeverity: cfg.replayPausedSeverity,
    archiveFailingCriticalS: cfg.archiveFailingCriticalS,
    walFree: cfg.walFree,
    sync: cfg.sync,
  };
}

/**
 * The observation with pg_wal's filesystem measured on this host when the server is this host's
 * (host/local-server.ts), and the archive backlog read from the disk when SQL could not list it;
 * each within 2 s and the deadline; a failed observation as it is.
 */
export async function withWalVolume(
  obs: Observation,
  conn: { host: string; port: number },
  deadline: number,
): Promise<Observation> {
  if (!obs.ok) return obs;
  const bound = () => Math.max(100, Math.min(2000, deadline - Date.now()));
  const walVolume = await measureWalVolume(obs.server.dataDirectory, conn.host, conn.port, bound());
  const a = obs.primary?.archiver;
  // The archive backlog from the disk when SQL may not list it (10/11 without superuser).
  if (obs.primary && a && a.mode && a.mode !== 'off' && (a.readyCount === null || a.readyCount === undefined)) {
    const ready = await countReadyLocally(obs.server.dataDirectory, conn.host, conn.port, bound());
    if (ready !== undefined)
      return { ...obs, walVolume, primary: { ...obs.primary, archiver: { ...a, readyCount: ready } } };
  }
  return { ...obs, walVolume };
}

/**
 * The CLUSTERPRO alert step shared by check and watch: compare with the stored state, send
 * an alert on a change (or reminder), store the new state once the alert went out.
 * @returns notes for the log line (alert outcome, state problems); empty when nothing happened.
 */
export async function alertStep(cfg: CheckConfig, verdict: Verdict, now: Date, deadline: number): Promise<string[]> {
  const file = stateFileName('check', cfg.connection.host, cfg.connection.port, cfg.expectedRole);
  const prev = readState(cfg.alert.stateDir, file);
  const decision = decideAlert(prev, verdict, now.getTime(), cfg.alert.reminderS);
  const notes: string[] = [];
  let sent = true;
  if (decision.alert) {
    const outcome = await sendAlert(
      cfg.alert.command,
      decision.alert,
      cfg.alert.syslog,
      Math.max(100, deadline - Date.now()),
    );
    notes.push(outcome.detail);
    sent = outcome.sent;
  }
  // Remember the new state only once its alert went out, so a failed alert is retried next run;
  // an unchanged state (decideAlert returns prev itself) is not written again.
  if (sent && decision.next !== prev) {
    const problem = writeState(cfg.alert.stateDir, file, decision.next);
    if (problem) notes.push(problem);
  }
  return notes;
}

/**
 * The output of one verdict in the configured dialect. `openmetrics`: the families of
 * dialect/openmetrics.ts (OpenMetrics text on stdout; with `--textfile FILE`, the Prometheus text
 * format that node_exporter's textfile collector reads, written to FILE.<pid>.tmp and renamed
 * into place, nothing on stdout); exit code as for json.
 */
export async function render(
  cfg: CheckConfig,
  obs: Observation | undefined,
  verdict: Verdict,
  now: Date,
  notes: string[],
): Promise<CommandResult> {
  switch (cfg.format) {
    case 'openmetrics': {
      if (!obs) throw new ConfigError(t('monitor.no_metrics'));
      const exitCode = exitCodeFor(verdict, cfg.warningIsError);
      if (!cfg.watch.textfile)
        return { exitCode, stdout: [(await renderMetrics(obs, verdict, 'openmetrics')).trimEnd()], stderr: [] };
      const problem = writeFileAtomic(cfg.watch.textfile, await renderMetrics(obs, verdict, 'prometheus'));
      return problem
        ? {
            exitCode: Math.max(exitCode, 1),
            stdout: [],
            stderr: [`pgsr: ${t('monitor.textfile', { file: String(cfg.watch.textfile), problem })}`],
          }
        : { exitCode, stdout: [], stderr: [] };
    }
    case 'nagios': {
      const r = renderNagios(verdict, { timeoutState: cfg.timeoutState, verbosity: cfg.verbosity });
      return { exitCode: r.exitCode, stdout: r.lines, stderr: [] };
    }
    case 'json': {
      const exitCode = exitCodeFor(verdict, cfg.warningIsError);
      return { exitCode, stdout: [renderJson(verdict, exitCode, now)], stderr: [] };
    }
    case 'text': {
      const exitCode = exitCodeFor(verdict, cfg.warningIsError);
      return { exitCode, stdout: renderText(verdict, exitCode), stderr: [] };
    }
    case 'clusterpro': {
      const exitCode = exitCodeFor(verdict, cfg.warningIsError);
      return {
        exitCode,
        stdout: [logLine(verdict, exitCode, now) + (notes.length ? ` | ${notes.join('; ')}` : '')],
        stderr: [],
      };
    }
  }
}

/** Runs one check with a resolved configuration. Never throws for runtime faults. */
export async function check(cfg: CheckConfig): Promise<CommandResult> {
  const log = await makeLog(cfg.logLevel);
  const started = Date.now();
  const deadline = started + cfg.timeoutMs;
  const alerting = cfg.format === 'clusterpro' && cfg.alert.enabled;
  // Keep part of the budget for clplogcmd, so the whole run ends within --timeout.
  const alertReserveMs = alerting ? Math.min(2000, Math.floor(cfg.timeoutMs / 4)) : 0;
  log.debug(
    {
      host: cfg.connection.host,
      port: cfg.connection.port,
      user: cfg.connection.user,
      passfiles: cfg.connection.passfiles,
      timeoutMs: cfg.timeoutMs,
    },
    'check starting',
  );

  const obs = await withWalVolume(
    await observe(
      cfg.connection,
      deadline - alertReserveMs,
      cfg.senderProbe,
      cfg.expectedRole === 'primary' || cfg.expectedRole === 'standby' ? cfg.expectedRole : undefined,
    ),
    cfg.connection,
    deadline - alertReserveMs,
  );
  log.debug({ ok: obs.ok, durationMs: obs.durationMs }, 'observed');
  const verdict = judge(obs, policyOf(cfg));
  const now = new Date();
  const notes = alerting ? await alertStep(cfg, verdict, now, deadline) : [];
  return render(cfg, obs, verdict, now, notes);
}
