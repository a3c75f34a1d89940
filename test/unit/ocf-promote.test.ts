import { describe, expect, it } from 'vitest';
import { comparePositions } from '../../src/lsn';
import {
  decideOcfPromote,
  decodeNotifyContext,
  encodeNotifyContext,
  notifyContextFromEnv,
  type NotifyContext,
} from '../../src/agents/ocf-promote';
import { promotionScores } from '../../src/dialect/ocf';

const ctx = (c: Partial<NotifyContext>): NotifyContext => ({
  promote: ['node2'],
  demote: [],
  stop: [],
  start: [],
  active: ['node1', 'node2'],
  promoted: ['node1'],
  ...c,
});
const pos = (entries: Array<[string, string]>) => new Map(entries);

describe('OCF promote decision (the cluster is the authority once it released the old primary)', () => {
  it.each([
    // name, input, expected kind, expected text
    [
      'power loss: node1 fenced (stop+demote), walreceiver still streaming',
      { ctx: ctx({ demote: ['node1'], stop: ['node1'] }), walreceiverStatus: 'streaming' },
      'promote',
      /walreceiver has not noticed/,
    ],
    [
      'clean failover: node1 demoted',
      { ctx: ctx({ demote: ['node1'] }), walreceiverStatus: 'streaming' },
      'promote',
      /demotes\/stops/,
    ],
    [
      'old primary already stopped in an earlier transition',
      { ctx: ctx({ promoted: [], active: ['node2'] }), walreceiverStatus: 'streaming' },
      'promote',
      /no primary was running/,
    ],
    [
      'cluster still reports node1 promoted, not demoted nor stopped',
      { ctx: ctx({}), walreceiverStatus: 'streaming' },
      'refuse',
      /still reports node1 as promoted/,
    ],
    [
      'no notification recorded, walreceiver streaming',
      { ctx: undefined, walreceiverStatus: 'streaming' },
      'refuse',
      /notify=true/,
    ],
    [
      'no notification recorded, walreceiver gone',
      { ctx: undefined, walreceiverStatus: null },
      'promote',
      /not streaming/,
    ],
    [
      'own position unreadable',
      { ctx: ctx({ demote: ['node1'] }), walreceiverStatus: 'streaming', mine: undefined },
      'refuse',
      /fail closed/,
    ],
    [
      'recovery of the primary in place (node2 was and will be promoted)',
      { ctx: ctx({ promoted: ['node2'] }), walreceiverStatus: null },
      'promote',
      /no primary was running/,
    ],
  ] as const)('%s', (_name, input, kind, text) => {
    const d = decideOcfPromote({
      me: 'node2',
      published: pos([['node2', '1/0/3000000']]),
      mine: 'mine' in input ? input.mine : '1/0/3000000',
      ...input,
    });
    expect(d.kind).toBe(kind);
    expect(d.kind === 'promote' ? d.notes.join(' ') : d.reason).toMatch(text);
  });

  it.each([
    [
      'another active standby holds more WAL',
      ['node3', '1/0/3000100'],
      ctx({ active: ['node1', 'node2', 'node3'], demote: ['node1'] }),
      'handover',
    ],
    [
      'a more advanced standby that is being stopped does not count',
      ['node3', '1/0/3000100'],
      ctx({ active: ['node1', 'node2', 'node3'], stop: ['node3'], demote: ['node1'] }),
      'promote',
    ],
    [
      'a newer timeline wins over a larger LSN',
      ['node3', '2/0/1000000'],
      ctx({ active: ['node2', 'node3'], promoted: [] }),
      'handover',
    ],
    ['an older timeline loses', ['node3', '0/0/9000000'], ctx({ active: ['node2', 'node3'], promoted: [] }), 'promote'],
    [
      'equal positions: this node goes',
      ['node3', '1/0/3000000'],
      ctx({ active: ['node2', 'node3'], promoted: [] }),
      'promote',
    ],
  ] as const)('%s', (_name, other, c, kind) => {
    const d = decideOcfPromote({
      me: 'node2',
      ctx: c,
      published: pos([
        ['node2', '1/0/3000000'],
        [other[0], other[1]],
      ]),
      mine: '1/0/3000000',
      walreceiverStatus: null,
    });
    expect(d.kind).toBe(kind);
    if (d.kind === 'handover') expect(d.to).toBe('node3');
  });

  it('reads Pacemaker 2.1 notify variables (promoted or the older master names) and round-trips them', () => {
    const c = notifyContextFromEnv({
      OCF_RESKEY_CRM_meta_notify_type: 'pre',
      OCF_RESKEY_CRM_meta_notify_promote_uname: 'node2 ',
      OCF_RESKEY_CRM_meta_notify_demote_uname: 'node1',
      OCF_RESKEY_CRM_meta_notify_stop_uname: 'node1',
      OCF_RESKEY_CRM_meta_notify_active_uname: 'node1 node2',
      OCF_RESKEY_CRM_meta_notify_master_uname: 'node1',
      OCF_RESKEY_CRM_meta_notify_promoted_uname: 'node1',
    });
    expect(c).toEqual({
      promote: ['node2'],
      demote: ['node1'],
      stop: ['node1'],
      start: [],
      active: ['node1', 'node2'],
      promoted: ['node1'],
    });
    expect(decodeNotifyContext(encodeNotifyContext(c as NotifyContext))).toEqual(c);
    expect(decodeNotifyContext('garbage')).toBeUndefined();
    expect(decodeNotifyContext(undefined)).toBeUndefined();
    expect(notifyContextFromEnv({})).toBeUndefined();
  });

  it('orders positions by timeline, then LSN; malformed input throws', () => {
    expect(comparePositions('1/0/3000060', '1/0/3000000')).toBe(1);
    expect(comparePositions('2/0/1', '1/FF/0')).toBeGreaterThan(0);
    expect(comparePositions('1/1/0', '1/0/FFFFFFFF')).toBe(1);
    expect(comparePositions('3/0/10', '3/0/10')).toBe(0);
    expect(() => comparePositions('x', '1/0/0')).toThrow(/malformed/);
  });
});

describe('promotion scores from the primary (three nodes)', () => {
  const row = (node: string, writeLagBytes: number | null, state: string | null = 'streaming') => ({
    node,
    state,
    writeLagBytes,
  });
  it('ranks by the WAL flushed: the most advanced standby 1000, then 999; a stale one -INFINITY', () => {
    expect(promotionScores([row('node2', 4096), row('node3', 0)], 0)).toEqual(
      new Map([
        ['node3', '1000'],
        ['node2', '999'],
      ]),
    );
    expect(promotionScores([row('node2', 0, 'catchup'), row('node3', 10)], 0)).toEqual(
      new Map([
        ['node3', '1000'],
        ['node2', '-INFINITY'],
      ]),
    );
    expect(promotionScores([row('node2', 2000), row('node3', 10)], 1000)).toEqual(
      new Map([
        ['node3', '1000'],
        ['node2', '-INFINITY'],
      ]),
    );
  });
  it('breaks a tie by node name, whatever the order of pg_stat_replication', () => {
    const a = promotionScores([row('node3', 0), row('node2', 0)], 0);
    const b = promotionScores([row('node2', 0), row('node3', 0)], 0);
    expect(a).toEqual(
      new Map([
        ['node2', '1000'],
        ['node3', '999'],
      ]),
    );
    expect(b).toEqual(a);
  });
  it('a standby cut off while its walreceiver still says streaming: the other one, which received more, is elected', () => {
    const c = ctx({ promote: ['node2'], stop: ['node1'], demote: ['node1'], active: ['node1', 'node2', 'node3'] });
    const d = decideOcfPromote({
      me: 'node2',
      ctx: c,
      published: pos([
        ['node2', '1/0/4062000'],
        ['node3', '1/0/4071B20'],
      ]),
      mine: '1/0/4062000',
      walreceiverStatus: 'streaming',
    });
    expect(d).toMatchObject({ kind: 'handover', to: 'node3' });
    const e = decideOcfPromote({
      me: 'node3',
      ctx: { ...c, promote: ['node3'] },
      published: pos([
        ['node2', '1/0/4062000'],
        ['node3', '1/0/4071B20'],
      ]),
      mine: '1/0/4071B20',
      walreceiverStatus: 'streaming',
    });
    expect(e.kind).toBe('promote');
  });
});
