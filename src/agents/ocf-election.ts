/**
 * The election of the pgsql-sr agent's promote, its host side (the decision is ocf-promote.ts,
 * pure): a standby's own position, the pre-promote wait for the other standbys' published
 * positions, and the hand-over of the promotion to a more advanced standby (node attributes).
 */
import type { LifecycleConfig } from '../config/lifecycle';
import { privateAttributeAllNodes, setNodeAttribute } from '../host/pacemaker';
import { localConnection } from '../lifecycle/actions';
import { dataMajor, findBinaries, localFacts } from '../probe/local';
import { withConnection } from '../probe/observe';
import { standbyPosition } from '../probe/position';
import { decideOcfPromote, type NotifyContext } from './ocf-promote';

/**
 * This standby's position ("tli/lsn", comparable across nodes, see standbyPosition) and its
 * walreceiver status, over one local connection; undefined / null when it cannot be asked.
 */
export async function standbyState(cfg: LifecycleConfig): Promise<{ position?: string; walStatus: string | null }> {
  const f = await localFacts(
    cfg.pgdata as string,
    findBinaries(cfg.bindir, dataMajor(cfg.pgdata)),
    cfg.common.osUser,
    5000,
  );
  if (f.state !== 'running') return { walStatus: null };
  const r = await withConnection(localConnection(cfg, f.pidFile), Date.now() + 5000, standbyPosition);
  return r.ok ? r.value : { walStatus: null };
}

/** Gives the promotion to `to`: its score 1000, this node's -INFINITY (the new primary's monitor ranks it again). */
export async function handOver(to: string, me: string, rsc: string): Promise<void> {
  await Promise.all([
    setNodeAttribute(to, `master-${rsc}`, '1000'),
    setNodeAttribute(me, `master-${rsc}`, '-INFINITY'),
  ]);
}

/** How long the node to be promoted waits at pre-promote for the other standbys' positions (ms). */
const PRE_PROMOTE_WAIT_MS = 4000;

/**
 * The election at pre-promote, on the node Pacemaker chose: it waits (bounded) until every other
 * standby of the transition has published its position, and when one is more advanced hands it
 * the promotion there and then. The score change makes Pacemaker abort the transition before
 * its promote starts, so the lagging node records no failed promote (which, under
 * migration-threshold=1, would also stop its standby and cost the cluster a replica). Should the
 * promote start anyway, promote runs the same election and refuses (the safe fallback).
 * @returns a log line when it handed over, else undefined.
 */
export async function electAtPrePromote(
  me: string,
  ctx: NotifyContext,
  mine: string | undefined,
  walStatus: string | null,
  rsc: string,
  deadline: number,
): Promise<string | undefined> {
  const peers = [...ctx.active, ...ctx.start].filter(
    (n) => n !== me && !ctx.stop.includes(n) && !ctx.promoted.includes(n),
  );
  const end = Math.min(deadline - 1000, Date.now() + PRE_PROMOTE_WAIT_MS);
  let published = await privateAttributeAllNodes(`${rsc}-lsn`);
  for (let i = 0; i < 40 && Date.now() < end && peers.some((n) => !published.has(n)); i++) {
    await new Promise((r) => setTimeout(r, 100));
    published = await privateAttributeAllNodes(`${rsc}-lsn`);
  }
  if (mine) published.set(me, mine);
  const d = decideOcfPromote({ me, ctx, published, mine, walreceiverStatus: walStatus });
  if (d.kind !== 'handover') return undefined;
  await handOver(d.to, me, rsc);
  return d.reason;
}
