/**
 * The Pacemaker promote decision of the pgsql-sr agent (pure): which standby may be promoted,
 * given what the cluster said in the pre-promote notification and the WAL positions the
 * standbys published then.
 *
 * Authority: Pacemaker's transition. A promotable clone with `notify=true` receives, before a
 * promote, the lists of instances being promoted, demoted, stopped and started, and of those
 * active and promoted when the transition was computed (Pacemaker Explained, "Clone
 * Notifications": OCF_RESKEY_CRM_meta_notify_*_uname). Pacemaker demotes, stops or fences the old
 * primary before it promotes another instance; when the old primary's node lost power, the
 * standby's walreceiver may go on saying `streaming` for wal_receiver_timeout (60 s by default),
 * so the walreceiver is no evidence against a promotion the cluster ordered. What is still
 * refused: a node whose own position cannot be read (fail closed), a node less advanced than
 * another standby of the transition (PG-REX: promote the newest; PAF's election), and a
 * promotion while the cluster still reports the old primary's instance as promoted and neither
 * demotes nor stops it.
 */
import { t } from '../i18n';
import { comparePositions } from '../lsn';

/** What a pre-promote notification said (node names). */
export interface NotifyContext {
  /** Instances to be promoted in this transition (one, with promoted-max=1). */
  promote: string[];
  demote: string[];
  stop: string[];
  start: string[];
  /** Instances active when the transition was computed. */
  active: string[];
  /** Instances promoted when the transition was computed (`promoted`, or the older `master`). */
  promoted: string[];
}

const LISTS = ['promote', 'demote', 'stop', 'start', 'active', 'promoted'] as const;

/**
 * Reads the notification lists from Pacemaker's environment. Pacemaker 2.1 sets both the
 * `promoted`/`unpromoted` and the older `master`/`slave` names; either is read.
 * @returns undefined when the environment carries no notification (not a notify action).
 */
export function notifyContextFromEnv(env: NodeJS.ProcessEnv): NotifyContext | undefined {
  if (!env.OCF_RESKEY_CRM_meta_notify_type) return undefined;
  const list = (...names: string[]) => [
    ...new Set(names.flatMap((n) => (env[`OCF_RESKEY_CRM_meta_notify_${n}_uname`] ?? '').split(/\s+/).filter(Boolean))),
  ];
  return {
    promote: list('promote'),
    demote: list('demote'),
    stop: list('stop'),
    start: list('start'),
    active: list('active'),
    promoted: list('promoted', 'master'),
  };
}

/** Encodes a context as one attribute value: `promote=a;demote=b;...` (node names never hold `;`, `=` or `,`). */
export function encodeNotifyContext(c: NotifyContext): string {
  return LISTS.map((k) => `${k}=${c[k].join(',')}`).join(';');
}

/** Decodes `encodeNotifyContext`'s output; undefined when malformed. */
export function decodeNotifyContext(text: string | undefined): NotifyContext | undefined {
  if (!text) return undefined;
  const out: Partial<NotifyContext> = {};
  for (const part of text.split(';')) {
    const m = /^([a-z]+)=(.*)$/.exec(part);
    if (!m || !(LISTS as readonly string[]).includes(m[1])) return undefined;
    out[m[1] as (typeof LISTS)[number]] = m[2].split(',').filter(Boolean);
  }
  return LISTS.every((k) => Array.isArray(out[k])) ? (out as NotifyContext) : undefined;
}

/** The outcome of the election on the node asked to promote. */
export type OcfPromoteDecision =
  | { kind: 'promote'; notes: string[]; skipWalreceiverCheck: boolean }
  | { kind: 'refuse'; reason: string }
  | { kind: 'handover'; to: string; reason: string };

/** Inputs of `decideOcfPromote`. Positions are `tli/LSN` strings (see comparePositions). */
export interface OcfPromoteInput {
  me: string;
  /** The pre-promote notification as this node recorded it; undefined when none was recorded. */
  ctx?: NotifyContext;
  /** Positions published at pre-promote, node → `tli/LSN`. */
  published: Map<string, string>;
  /** This node's position now (or as published); undefined when unreadable. */
  mine?: string;
  /** This node's walreceiver status (null: no walreceiver). */
  walreceiverStatus: string | null;
}

/** Decides whether this node promotes, refuses, or hands the promotion to a more advanced standby. */
export function decideOcfPromote(i: OcfPromoteInput): OcfPromoteDecision {
  if (!i.mine) return { kind: 'refuse', reason: t('ocf.position_unreadable') };
  // Compare with the standbys of this transition (active + starting − stopping), as PAF does;
  // without a recorded notification, with every published position.
  const peers = i.ctx
    ? new Set([...i.ctx.active, ...i.ctx.start].filter((n) => !i.ctx?.stop.includes(n)))
    : new Set(i.published.keys());
  for (const [node, pos] of i.published) {
    if (node === i.me || !peers.has(node)) continue;
    let cmp: number;
    try {
      cmp = comparePositions(pos, i.mine);
    } catch {
      continue;
    }
    if (cmp > 0)
      return { kind: 'handover', to: node, reason: t('ocf.more_advanced', { node, theirs: pos, mine: i.mine }) };
  }
  if (!i.ctx) {
    if (i.walreceiverStatus === 'streaming') {
      return { kind: 'refuse', reason: t('ocf.no_release') };
    }
    return { kind: 'promote', notes: [t('ocf.note_no_notification')], skipWalreceiverCheck: false };
  }
  const ctx = i.ctx;
  const stillPromoted = ctx.promoted.filter((n) => n !== i.me && !ctx.demote.includes(n) && !ctx.stop.includes(n));
  if (stillPromoted.length) {
    return { kind: 'refuse', reason: t('ocf.still_promoted', { nodes: stillPromoted.join(', ') }) };
  }
  const released = ctx.promoted.filter((n) => n !== i.me);
  const notes = released.length
    ? [
        t('ocf.note_released', {
          nodes: released.join(', '),
          lag: i.walreceiverStatus === 'streaming' ? t('ocf.note_not_noticed') : '',
        }),
      ]
    : [t('ocf.note_cold_start')];
  return { kind: 'promote', notes, skipWalreceiverCheck: true };
}
