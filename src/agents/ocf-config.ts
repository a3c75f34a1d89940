/**
 * The OCF agent's configuration: OCF_RESKEY_<param> with the meta-data's defaults (dialect/ocf.ts
 * OCF_PARAMS) resolved as a lifecycle command's settings, and the node's name added to a
 * standby's primary_conninfo.
 */
import { withApplicationName } from '../config/conninfo';
import { resolveLifecycleConfig, type LifecycleConfig } from '../config/lifecycle';
import { localNodeName } from '../host/pacemaker';

/** Resource name without the clone suffix (`pgsql-sr:1` → `pgsql-sr`). */
export function resourceName(env: NodeJS.ProcessEnv): string {
  return (env.OCF_RESOURCE_INSTANCE ?? 'pgsql-sr').replace(/:\d+$/, '');
}

/** The agent's configuration from OCF_RESKEY_* (defaults as in meta-data). */
export function ocfConfig(env: NodeJS.ProcessEnv, action: string): LifecycleConfig {
  const k = (n: string, d: string) =>
    env[`OCF_RESKEY_${n}`] !== undefined && env[`OCF_RESKEY_${n}`] !== '' ? (env[`OCF_RESKEY_${n}`] as string) : d;
  const metaTimeoutMs = Number(env.OCF_RESKEY_CRM_meta_timeout);
  const dflt = { start: 60, stop: 60, promote: 30, demote: 120, monitor: 10, notify: 60 }[action] ?? 20;
  // Finish before Pacemaker's own timeout: 90% of it, at least 2 s.
  const timeoutS =
    Number.isFinite(metaTimeoutMs) && metaTimeoutMs > 0 ? Math.max(2, (metaTimeoutMs / 1000) * 0.9) : dflt;
  const raw = {
    pgdata: k('pgdata', '') || undefined,
    bindir: k('bindir', '') || undefined,
    'config-dir': k('pgconfdir', '') || undefined,
    host: k('pghost', '/var/run/postgresql'),
    port: k('pgport', '5432'),
    username: k('pguser', 'postgres'),
    dbname: k('pgdatabase', 'postgres'),
    'os-user': k('system_user', 'postgres'),
    'primary-conninfo': env.OCF_RESKEY_primary_conninfo || undefined,
    'fast-timeout': k('fast_timeout', '30'),
    'rep-mode': k('rep_mode', 'async'),
    'sync-wait-limit': k('sync_wait_limit', '10'),
    timeout: String(timeoutS),
    format: 'text',
    alert: false,
  };
  // Pacemaker's environment carries no libpq variables worth honouring; ignore any.
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, v] of Object.entries(env)) if (!/^PG/.test(key)) clean[key] = v;
  return resolveLifecycleConfig(raw, { env: clean, uid: process.getuid?.() ?? -1 }, { timeoutS });
}

/**
 * start and demote write primary_conninfo: without an application_name in it, this node's name
 * (OCF_RESKEY_CRM_meta_on_node, else `crm_node -n`) is added, so that the one primary_conninfo
 * of the clone names each standby after its node, as the primary's monitor and sync mode expect.
 */
export async function namedStandby(
  cfg: LifecycleConfig,
  env: NodeJS.ProcessEnv,
  action: string,
): Promise<LifecycleConfig> {
  if (!cfg.primaryConninfo || (action !== 'start' && action !== 'demote')) return cfg;
  const me = await localNodeName(env);
  return me ? { ...cfg, primaryConninfo: withApplicationName(cfg.primaryConninfo, me) } : cfg;
}
