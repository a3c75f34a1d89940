/**
 * The Pgpool-II check (`pgsr check --role pgpool`): Pgpool's view (SHOW POOL_NODES) against each
 * backend's real role and replication, as seed 001 warns (pcp_promote_node changes only Pgpool's
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
export function judgePgpool(target: Endpoint, pool: { ok: true; nodes: PoolNodeView[] } | { ok: false; failure: ProbeFailure }, backends: Map<number, Observation>, durationMs: number): Verdict {
  const findings: Finding[] = [];
  const metrics: Metric[] = [];
  const facts: Verdict['facts'] = {};
  if (!pool.ok) {
    const f = pool.failure;
    findings.push({ code: f.phase === 'connect' ? 'cannot_connect' : 'query_failed', severity: 'critical', message: `cannot ask Pgpool-II ${target.host}:${target.port} (SHOW POOL_NODES): ${f.detail}`, value: f.kind });
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
  const name = (n: PoolNodeView) => `node ${n.id} (${n.host}:${n.port})`;
  facts.pool_nodes = pool.nodes.map((n) => `${n.id}:${n.status}:${n.role}:${real(n) ?? 'unreachable'}`).join(',');

  const primaries = pool.nodes.filter((n) => real(n) === 'primary');
  if (primaries.length > 1) findings.push({ code: 'pgpool_two_primaries', severity: 'critical', message: `${primaries.map(name).join(' and ')} are all primaries (split brain)`, value: primaries.length });
  for (const n of pool.nodes.filter(inService)) {
    const r = real(n);
    if (r === null) findings.push({ code: 'pgpool_backend_unreachable', severity: 'critical', message: `Pgpool routes to ${name(n)} but it does not answer`, subject: String(n.id) });
    else if (n.role === 'primary' && r !== 'primary') findings.push({ code: 'pgpool_primary_mismatch', severity: 'critical', message: `Pgpool calls ${name(n)} the primary but it is a ${r} (pcp_promote_node changes only Pgpool's view): writes through Pgpool fail`, subject: String(n.id) });
    else if (n.role !== 'primary' && r === 'primary') findings.push({ code: 'pgpool_primary_mismatch', severity: 'critical', message: `${name(n)} is a primary but Pgpool calls it a ${n.role}`, subject: String(n.id) });
  }
  for (const n of pool.nodes.filter((x) => x.status === 'down')) {
    if (real(n) === 'standby' && streaming(n)) findings.push({ code: 'pgpool_standby_detached', severity: 'critical', message: `${name(n)} is a healthy streaming standby but Pgpool has it down: attach it (pcp_attach_node -n ${n.id})`, subject: String(n.id) });
    else findings.push({ code: 'pgpool_backend_down', severity: 'warning', message: `${name(n)} is down in Pgpool (${real(n) ?? 'not answering'})`, subject: String(n.id) });
  }
  const standbysUp = pool.nodes.filter((n) => inService(n) && real(n) === 'standby' && streaming(n));
  if (standbysUp.length === 0 && pool.nodes.length > 1) findings.push({ code: 'pgpool_no_standby', severity: 'critical', message: 'no streaming standby is in service: the primary serves alone (one more failure and nothing is left)', value: 0 });
  metrics.push({ label: 'backends_up', value: pool.nodes.filter(inService).length, unit: '', min: 0 });
  metrics.push({ label: 'standbys_up', value: standbysUp.length, unit: '', min: 0 });
  facts.healthy = `${pool.nodes.filter(inService).length} of ${pool.nodes.length} backends in service: ${pool.nodes.map((n) => `node ${n.id} ${n.status} ${n.role}`).join(', ')}`;
  return verdict(target, findings, metrics, facts, durationMs);
}

function verdict(target: Endpoint, findings: Finding[], metrics: Metric[], facts: Verdict['facts'], durationMs: number): Verdict {
  findings.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
  const severity = findings.reduce<Severity>((w, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[w] ? f.severity : w), 'ok');
  return { severity, hardness: 'soft', target, role: null, expectedRole: 'pgpool', summary: findings.length ? findings.map((f) => f.message).join('; ') : String(facts.healthy ?? 'ok'), findings, metrics, facts, durationMs };
}
