/**
 * Renderings of `pgsr status` (verdict/status.ts): a table for a terminal, primary first and
 * marked `*`, a split brain said loudly above it; JSON with the keys README documents. Pure.
 */
import { formatQuantity } from '../verdict/findings';
import type { ClusterStatus, StatusRow } from '../verdict/status';
import { t } from '../i18n';
import { displayWidth, padCells } from './width';

const lag = (r: StatusRow): string =>
  r.lagBytes === null && r.lagSeconds === null
    ? '-'
    : [
        r.lagBytes === null ? null : formatQuantity(r.lagBytes, 'B'),
        r.lagSeconds === null ? null : formatQuantity(r.lagSeconds, 's'),
      ]
        .filter((x) => x !== null)
        .join(' / ');
const health = (r: StatusRow): string => (r.severity === 'ok' ? 'ok' : `${r.severity}: ${r.summary}`);

/** The table, columns padded to their widest cell; health last (it may be long). */
export function renderStatusText(s: ClusterStatus): string[] {
  const head = t('status.header').split('|');
  const cells = s.nodes.map((r) => [
    `${r.role === 'primary' ? '* ' : '  '}${r.name}`,
    `${r.host}:${r.port}`,
    r.role,
    r.state || '-',
    r.upstream ?? '-',
    r.timeline === null ? '-' : String(r.timeline),
    r.lsn ?? '-',
    lag(r),
    r.syncState ?? '-',
    health(r),
  ]);
  const rows = [[`  ${head[0]}`, ...head.slice(1)], ...cells];
  const widths = head.map((_, i) => Math.max(...rows.map((c) => displayWidth(c[i]))));
  const lines = rows.map((c) =>
    c
      .map((x, i) => (i === c.length - 1 ? x : padCells(x, widths[i])))
      .join('  ')
      .trimEnd(),
  );
  if (s.primaries.length > 1) lines.unshift(t('status.two_primaries', { names: s.primaries.join(', ') }));
  else if (s.primaries.length === 0) lines.unshift(t('status.no_primary'));
  return lines;
}

/** `{ nodes: [...], primary, severity }` (README "pgsr status"). */
export function statusJson(s: ClusterStatus): Record<string, unknown> {
  return {
    nodes: s.nodes.map((r) => ({
      name: r.name,
      host: r.host,
      port: r.port,
      role: r.role,
      state: r.state,
      upstream: r.upstream,
      timeline: r.timeline,
      lsn: r.lsn,
      receive_lsn: r.receiveLsn,
      replay_lsn: r.replayLsn,
      lag_bytes: r.lagBytes,
      lag_seconds: r.lagSeconds,
      sync_state: r.syncState,
      severity: r.severity,
      summary: r.summary,
    })),
    primary: s.primary,
    primaries: s.primaries,
    severity: s.severity,
  };
}
