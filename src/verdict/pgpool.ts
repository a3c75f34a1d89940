/**
 * The Pgpool-II check (`pgsr check --role pgpool`): Pgpool's view (SHOW POOL_NODES) against each
 * backend's real role and replication, as Pgpool-II failover tests warn (pcp_promote_node changes only Pgpool's
 * idea of the primary). Pure.
 *
 * Critical: Pgpool's primary is not the real primary, or a real primary is not Pgpool's
 * (`pgpool_primary_mismatch`); two real primaries (`pgpool_two_primaries`); a backend Pgpool
 * calls down is a healthy streaming standby, waiting for pcp_attach_node
 * (`pgpool_standby_detached`); no standby left in service (`pgpool_no_standby`); a backend in
 * service that does not answer (`pgpool_backend_unreachable`). Warning: a backend down
 * (`pgpool_backend_down`).
 */
import type { Observation, ProbeFailure } from '../observation';
import { SEVERITY_RANK, type Endpoint, type Severity } from '../types';
import type { Finding, Metric, Verdict } from './check';
import { roleWord, t } from '../i18n';

/** A backend as Pgpool lists it (probe/pgpool.ts PoolNode). */
export interface PoolNodeView {
  id: number;
  host: string;
  port: number;
  status: string;
  role: string;
}

/**
 * Judges Pgpool's view against the backends' own answers.
 * @param pool SHOW POOL_NODES, or the failure to ask Pgpool.
 * @param backends the observation of each backend, by node id (absent for unused nodes).
 */
export function judgePgpool(
  target: Endpoint,
  pool: { ok: true; nodes: PoolNodeView[] } | { ok: false; failure: ProbeFailure },
  backends: Map<number, Observation>,
  durationMs: number,
): Verdict {
  const findings: Finding[] = [];
  const metrics: Metric[] = [];
  const facts: Verdict['facts'] = {};
  if (!pool.ok) {
    const f = pool.failure;
    findings.push({
      code: f.phase === 'connect' ? 'cannot_connect' : 'query_failed',
      severity: 'critical',
      message: t('pgpool.cannot_ask', { where: `${target.host}:${target.port}`, detail: f.detail }),
      value: f.kind,
    });
    return verdict(target, findings, metrics, facts, durationMs);
  }
  const inService = (n: PoolNodeView) => n.status === 'up' || n.status === 'waiting';
  const real = (n: PoolNodeView) => {
    const o = backends.get(n.id);
    return o && o.ok ? o.server.role : null;
  };
  const streaming = (n: PoolNodeView) => {
    const o = backends.get(n.id);
    return Boolean(o && o.ok && o.standby?.walreceiver?.status === 'streaming');
  };
  const name = (n: PoolNodeView) => t('pgpool.node', { id: n.id, host: n.host, port: n.port });
  facts.pool_nodes = pool.nodes.map((n) => `${n.id}:${n.status}:${n.role}:${real(n) ?? 'unreachable'}`).join(',');

  const primaries = pool.nodes.filter((n) => real(n) === 'primary');
  if (primaries.length > 1)
    findings.push({
      code: 'pgpool_two_primaries',
      severity: 'critical',
      message: t('pgpool.two_primaries', { nodes: primaries.map(name).join(t('pgpool.and')) }),
      value: primaries.length,
    });
  for (const n of pool.nodes.filter(inService)) {
    const r = real(n);
    if (r === null)
      findings.push({
        code: 'pgpool_backend_unreachable',
        severity: 'critical',
        message: t('pgpool.backend_unreachable', { node: name(n) }),
        subject: String(n.id),
      });
    else if (n.role === 'primary' && r !== 'primary')
      findings.push({
        code: 'pgpool_primary_mismatch',
        severity: 'critical',
        message: t('pgpool.not_primary', { node: name(n), role: roleWord(r) }),
        subject: String(n.id),
      });
    else if (n.role !== 'primary' && r === 'primary')
      findings.push({
        code: 'pgpool_primary_mismatch',
        severity: 'critical',
        message: t('pgpool.is_primary', { node: name(n), role: n.role }),
        subject: String(n.id),
      });
  }
  for (const n of pool.nodes.filter((x) => x.status === 'down')) {
    if (real(n) === 'standby' && streaming(n))
      findings.push({
        code: 'pgpool_standby_detached',
        severity: 'critical',
        message: t('pgpool.standby_detached', { node: name(n), id: n.id }),
        subject: String(n.id),
      });
    else
      findings.push({
        code: 'pgpool_backend_down',
        severity: 'warning',
        message: t('pgpool.backend_down', { node: name(n), state: roleWord(real(n) ?? t('pgpool.not_answering')) }),
        subject: String(n.id),
      });
  }
  const standbysUp = pool.nodes.filter((n) => inService(n) && real(n) === 'standby' && streaming(n));
  if (standbysUp.length === 0 && pool.nodes.length > 1)
    findings.push({ code: 'pgpool_no_standby', severity: 'critical', message: t('pgpool.no_standby'), value: 0 });
  metrics.push({ label: 'backends_up', value: pool.nodes.filter(inService).length, unit: '', min: 0 });
  metrics.push({ label: 'standbys_up', value: standbysUp.length, unit: '', min: 0 });
  facts.healthy = t('pgpool.healthy', {
    up: pool.nodes.filter(inService).length,
    total: pool.nodes.length,
    nodes: pool.nodes.map((n) => t('pgpool.node_state', { id: n.id, status: n.status, role: n.role })).join(', '),
  });
  return verdict(target, findings, metrics, facts, durationMs);
}

function verdict(
  target: Endpoint,
  findings: Finding[],
  metrics: Metric[],
  facts: Verdict['facts'],
  durationMs: number,
): Verdict {
  findings.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  const severity = findings.reduce<Severity>(
    (w, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[w] ? f.severity : w),
    'ok',
  );
  return {
    severity,
    hardness: 'soft',
    target,
    role: null,
    expectedRole: 'pgpool',
    summary: findings.length
      ? findings.map((f) => f.message).join(t('word.findings_separator'))
      : String(facts.healthy ?? t('word.ok')),
    findings,
    metrics,
    facts,
    durationMs,
  };
}
