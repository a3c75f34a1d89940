/**
 * Pgpool-II's own view of its backends: `SHOW POOL_NODES` (Pgpool-II docs "SHOW POOL_NODES"),
 * asked over an ordinary connection to Pgpool, bounded like every other query.
 */
import type { ConnectionSettings } from '../config/resolve';
import type { ProbeFailure } from '../observation';
import { withConnection } from './connect';

/** One row of SHOW POOL_NODES: Pgpool's status (up, waiting, down, unused) and role of a backend. */
export interface PoolNode {
  id: number;
  host: string;
  port: number;
  /** `up`, `waiting` (up, no connection yet), `down`, `unused`. */
  status: string;
  /** What Pgpool calls it: `primary` or `standby`. */
  role: string;
}

/** SHOW POOL_NODES; a failure as the probe layer reports one. */
export async function showPoolNodes(
  conn: ConnectionSettings,
  deadline: number,
): Promise<{ ok: true; nodes: PoolNode[] } | { ok: false; failure: ProbeFailure }> {
  const r = await withConnection(conn, deadline, async (q) => q('SHOW POOL_NODES'));
  if (!r.ok) return r;
  return {
    ok: true,
    nodes: r.value.map((row) => ({
      id: Number(row.node_id),
      host: String(row.hostname),
      port: Number(row.port),
      status: String(row.status),
      role: String(row.role),
    })),
  };
}
