/**
 * `pgsr watch`: the resident process of a CLUSTERPRO asynchronous custom monitor. Started once,
 * it checks every `--interval` seconds on a kept connection (reconnecting at the next interval
 * after a failure), prints one line per change of state and a heartbeat line every
 * `--heartbeat` seconds, alerts on transitions like `check`, and exits with the failed check's
 * exit code after `--fail-after` consecutive failures, which is how an asynchronous genw
 * signals a failure (the process ending). SIGTERM/SIGINT: close the connection, exit 0.
 *
 * A standby's sender probe (probe/sender-schedule.ts) runs beside the checks: a check costs
 * the standby's round trip only, and an unanswered probe brings the next check forward.
 *
 * `--rep-mode sync` on a primary: each check also runs the synchronous replication manager
 * (lifecycle/syncrep.ts): synchronous_standby_names follows the streaming standby, emptied when
 * none streams or when commits waited longer than `--sync-wait-limit` for it. Bound from a
 * standby's loss to commits flowing again: one interval after its walsender ends (at once for a
 * stopped or crashed standby: the connection breaks), or the wait limit plus one interval for a
 * vanished one (power loss, partition), whose walsender lingers until wal_sender_timeout.
 */
import type { CheckConfig } from '../config/resolve';
import { ConfigError } from '../errors';
import { exitCodeFor, localTimestamp, logLine, signatureOf, syncSwitchAlert } from '../dialect/clusterpro';
import { sendAlert } from '../host/alert';
import { describeSyncSwitch, manageSyncStandbyNames, type SyncRelease } from '../lifecycle/actions';
import { renderJson } from '../dialect/json';
import { writeFileAtomic } from '../host/state';
import { ProbeSession } from '../probe/observe';
import type { CommandResult } from '../types';
import { judge, type Verdict } from '../verdict/check';
import type { Observation } from '../observation';
import { renderMetrics } from '../dialect/openmetrics';
import { alertStep, policyOf, withWalVolume } from './monitor';
import { t } from '../i18n';

/** Emits a line at once (stdout is captured by the genw log output path: one line per event). */
function emit(line: string): void {
  process.stdout.write(line + '\n');
}

/**
 * Runs the watch loop until a signal or `failAfter` consecutive failures.
 * @returns exit code 0 after SIGTERM/SIGINT, else the exit code of the last failed check.
 */
export async function watch(cfg: CheckConfig): Promise<CommandResult> {
  if (cfg.format === 'nagios' || cfg.format === 'openmetrics')
    throw new ConfigError(
      t('watch.format', {
        what: cfg.format === 'nagios' ? t('watch.nagios_status') : t('watch.metrics'),
        metrics: cfg.format === 'openmetrics' ? t('watch.metrics_listen') : '',
      }),
    );
  if (cfg.expectedRole === 'pgpool') throw new ConfigError(t('watch.pgpool'));
  if (cfg.watch.textfile) throw new ConfigError(t('watch.textfile'));
  // The sender probe runs beside the checks (probe/sender-schedule.ts): a check never waits for
  // the primary's postmaster, and a result worth telling (unanswered, or answered again) makes
  // the next check run at once instead of at the next interval.
  let probeNews = false;
  const session = new ProbeSession(cfg.connection, {
    senderProbe: cfg.senderProbe,
    resident: {
      onProbeChange: () => {
        probeNews = true;
        wake?.();
      },
    },
  });
  const policy = policyOf(cfg);
  const alerting = cfg.format === 'clusterpro' && cfg.alert.enabled;
  const alertReserveMs = alerting ? Math.min(2000, Math.floor(cfg.timeoutMs / 4)) : 0;
  const intervalMs = cfg.watch.intervalS * 1000;
  let stopping: string | undefined;
  let wake: (() => void) | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    stopping = sig;
    session.abort();
    wake?.();
  };
  const startedAt = new Date();
  let iterations = 0;
  let failures = 0;
  let lastSignature: string | undefined;
  let lastLineAt = 0;
  let released: SyncRelease[] = [];
  let lastFailedSwitch: string | undefined;
  // The last observation, served by --metrics-listen (a scrape never opens a connection).
  let served: { obs: Observation; verdict: Verdict; at: number } | undefined;
  const metrics = cfg.watch.metricsListen
    ? await (
        await import('../host/metrics-server')
      ).startMetricsServer(cfg.watch.metricsListen, async (format, processMetrics) =>
        served
          ? renderMetrics(
              served.obs,
              served.verdict,
              format,
              { checks: iterations, consecutiveFailures: failures, lastCheckMs: served.at },
              processMetrics,
            )
          : undefined,
      )
    : undefined;
  const target = `${cfg.connection.host}:${cfg.connection.port}`;
  const mode = cfg.sync.repMode === 'sync' ? ` rep-mode=sync sync-wait-limit=${cfg.sync.waitLimitS}s` : '';
  emit(
    `${localTimestamp(startedAt)} pgsr watch started pid=${process.pid} target=${target} interval=${cfg.watch.intervalS}s heartbeat=${cfg.watch.heartbeatS}s fail-after=${cfg.watch.failAfter}${mode}${metrics ? ` metrics=http://${metrics.address}/metrics` : ''}`,
  );
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    while (!stopping) {
      const t0 = Date.now();
      probeNews = false;
      const deadline = t0 + cfg.timeoutMs;
      let obs = await withWalVolume(
        await session.observe(deadline - alertReserveMs),
        cfg.connection,
        deadline - alertReserveMs,
      );
      if (stopping) break;
      // rep-mode sync on a primary: keep synchronous_standby_names on the streaming standby (one
      // line and one alert per switch), then judge what is in effect after the switch.
      if (cfg.sync.repMode === 'sync' && obs.ok && obs.primary) {
        const run = await manageSyncStandbyNames(
          cfg.connection,
          obs.primary,
          released,
          cfg.sync,
          Date.now(),
          deadline - alertReserveMs,
        );
        released = run.plan.released;
        // A write that keeps failing (no privilege) is said once, not every interval.
        const line = run.applied ? describeSyncSwitch(run) : '';
        const failed = run.applied && !run.applied.ok ? line : undefined;
        const repeat = failed !== undefined && failed === lastFailedSwitch;
        lastFailedSwitch = failed;
        if (run.applied && !repeat) {
          emit(`${localTimestamp(new Date())} pgsr watch: ${line}`);
          if (alerting) {
            const outcome = await sendAlert(
              cfg.alert.command,
              syncSwitchAlert(target, line, run.plan.names === '', !run.applied.ok),
              cfg.alert.syslog,
              Math.max(100, deadline - Date.now()),
            );
            if (!outcome.sent) emit(`${localTimestamp(new Date())} pgsr watch: ${outcome.detail}`);
          }
          if (run.applied.ok && !stopping) obs = await session.observe(deadline - alertReserveMs);
        }
      }
      if (stopping) break;
      const verdict = judge(obs, policy);
      const now = new Date();
      served = { obs, verdict, at: now.getTime() };
      const exitCode = exitCodeFor(verdict, cfg.warningIsError);
      const notes = alerting ? await alertStep(cfg, verdict, now, deadline) : [];
      iterations++;
      failures = exitCode === 0 ? 0 : failures + 1;

      // A change of role (e.g. promoted under --role auto) is a change of state too.
      const signature = `${verdict.role}|${verdict.severity}|${signatureOf(verdict)}`;
      const changed = signature !== lastSignature;
      const heartbeatDue = cfg.watch.heartbeatS > 0 && now.getTime() - lastLineAt >= cfg.watch.heartbeatS * 1000;
      if (changed || heartbeatDue || notes.length) {
        const event = changed ? 'change' : heartbeatDue ? 'heartbeat' : 'alert';
        const tail = [
          `event=${event} checks=${iterations}`,
          ...(failures ? [`failures=${failures}`] : []),
          ...notes,
        ].join('; ');
        emit(
          cfg.format === 'json'
            ? renderJson(verdict, exitCode, now, { event, checks: iterations })
            : `${logLine(verdict, exitCode, now)} | ${tail}`,
        );
        lastLineAt = now.getTime();
      }
      lastSignature = signature;
      if (cfg.watch.statusFile) {
        const mem = process.memoryUsage();
        const problem = writeFileAtomic(
          cfg.watch.statusFile,
          renderJson(verdict, exitCode, now, {
            watch: {
              pid: process.pid,
              started: startedAt.toISOString(),
              checks: iterations,
              consecutive_failures: failures,
              interval_s: cfg.watch.intervalS,
              rss_bytes: mem.rss,
              heap_used_bytes: mem.heapUsed,
            },
          }) + '\n',
          // Its directory (the shipped configs' /run/pgsr, a tmpfs emptied at boot) is made when missing, mode 0750.
          true,
        );
        if (problem && changed)
          emit(
            `${localTimestamp(now)} pgsr watch: ${t('watch.status_file', { file: String(cfg.watch.statusFile), problem })}`,
          );
      }
      if (cfg.watch.failAfter > 0 && failures >= cfg.watch.failAfter) {
        emit(`${localTimestamp(new Date())} pgsr watch ${t('watch.exiting', { failures, code: exitCode })}`);
        return { exitCode, stdout: [], stderr: [] };
      }
      const waitMs = probeNews ? 0 : Math.max(0, intervalMs - (Date.now() - t0));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, waitMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
    }
    emit(
      `${localTimestamp(new Date())} pgsr watch ${t('watch.stopped', { signal: String(stopping), count: iterations })}`,
    );
    return { exitCode: 0, stdout: [], stderr: [] };
  } finally {
    process.off('SIGTERM', onSignal);
    process.off('SIGINT', onSignal);
    await Promise.all([session.close(), metrics?.close()]);
  }
}
