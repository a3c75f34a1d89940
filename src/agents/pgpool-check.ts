/**
 * `pgsr check --role pgpool -h POOLHOST -p 9999`: asks Pgpool-II for SHOW POOL_NODES, then each
 * backend for its real role and replication (same probe as `pgsr check`, in parallel, bounded by
 * the run's timeout), judges the two views (verdict/pgpool.ts) and renders the verdict in the
 * configured dialect (CLUSTERPRO with alerts, Nagios, JSON, text).
 */
import { connectionTo } from '../config/connection';
import type { CheckConfig } from '../config/resolve';
import { ConfigError } from '../errors';
import type { Observation } from '../observation';
import { observe } from '../probe/observe';
import { showPoolNodes } from '../probe/pgpool';
import type { CommandResult } from '../types';
import { judgePgpool } from '../verdict/pgpool';
import { alertStep, render } from './monitor';
import { t } from '../i18n';

/** Runs the Pgpool-II check. Never throws for runtime faults. */
export async function pgpoolCheck(cfg: CheckConfig): Promise<CommandResult> {
  if (cfg.format === 'openmetrics') throw new ConfigError(t('pgpool.no_openmetrics'));
  const started = Date.now();
  const deadline = started + cfg.timeoutMs;
  const alerting = cfg.format === 'clusterpro' && cfg.alert.enabled;
  const reserve = alerting ? Math.min(2000, Math.floor(cfg.timeoutMs / 4)) : 0;
  const pool = await showPoolNodes(cfg.connection, deadline - reserve);
  const backends = new Map<number, Observation>();
  if (pool.ok) {
    const observed = await Promise.all(
      pool.nodes
        .filter((n) => n.status !== 'unused')
        .map(
          async (n) =>
            [
              n.id,
              await observe(connectionTo(cfg.connection, { host: n.host, port: n.port }), deadline - reserve),
            ] as const,
        ),
    );
    for (const [id, o] of observed) backends.set(id, o);
  }
  const target = { host: cfg.connection.host, port: cfg.connection.port };
  const verdict = judgePgpool(target, pool, backends, Date.now() - started);
  const now = new Date();
  const notes = alerting ? await alertStep(cfg, verdict, now, deadline) : [];
  return render(cfg, undefined, verdict, now, notes);
}
