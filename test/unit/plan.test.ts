import { describe, expect, it } from 'vitest';
import {
  afterFailedPromote,
  decideStart,
  peerVerdict,
  promoteBlockers,
  promoteSignalled,
  switchoverBlockers,
  type PeerAnswer,
  type PromoteEvidence,
} from '../../src/lifecycle/plan';
import type { LocalFacts } from '../../src/probe/local';

const facts = (f: Partial<LocalFacts> = {}): LocalFacts => ({
  pgdata: '/d',
  initialized: true,
  major: 15,
  state: 'stopped',
  standbySignal: false,
  recoveryConf: false,
  recoveryDone: false,
  zombiePostmaster: false,
  backupLabel: false,
  ...f,
});
const lock = {
  since: '2026-12-01T00:00:00Z',
  how: 'promote',
  timeline: 2,
  host: 'db1',
} as unknown as LocalFacts['lock'];
const peer = (answer: PeerAnswer['answer'], detail?: string): PeerAnswer => ({
  where: '192.168.1.3:5432',
  answer,
  detail,
});

describe('start as primary: the peer is asked on every start, lock or not', () => {
  it.each([
    // [peer answer, lock, lock override, expected kind, text]
    ['primary', false, undefined, 'refuse', /192\.168\.1\.3:5432 answers as a primary.*split brain/],
    ['primary', true, 'peer is standby', 'refuse', /answers as a primary/],
    ['standby', false, undefined, 'start', /pg_ctl start/],
    ['refused', false, undefined, 'start', /pg_ctl start/],
    ['unknown', false, undefined, 'start', /pg_ctl start/],
    ['none', false, undefined, 'start', /pg_ctl start/],
    ['standby', true, undefined, 'refuse', /was not stopped cleanly/],
    ['standby', true, 'CLUSTERPRO FAILOVER: peer is standby', 'start', /remove the primary lock/],
  ] as const)('peer %s, lock %s, override %s: %s', (answer, locked, override, kind, text) => {
    const d = decideStart(
      facts({ lock: locked ? lock : undefined }),
      'primary',
      null,
      false,
      override,
      false,
      peer(answer),
    );
    expect(d.kind).toBe(kind);
    expect(d.kind === 'refuse' ? d.reasons.join(' ') : d.kind === 'start' ? d.steps.join(' ') : d.why).toMatch(text);
  });
  it('a running server is not refused for its peer (already running is idempotent)', () => {
    expect(
      decideStart(facts({ state: 'running' }), 'primary', 'primary', false, undefined, false, peer('primary')).kind,
    ).toBe('already');
  });
  it('starting as standby never looks at the peer', () => {
    expect(decideStart(facts(), 'standby', null, true, undefined, false, peer('primary')).kind).toBe('start');
  });
  it.each([
    ['primary', 'refuse'],
    ['unknown', 'warn'],
    ['standby', 'note'],
    ['refused', 'note'],
    ['none', 'note'],
  ] as const)('peer %s: %s', (answer, what) => {
    const v = peerVerdict(peer(answer, 'timeout'));
    expect(Boolean(v.refuse)).toBe(what === 'refuse');
    expect(Boolean(v.warn)).toBe(what === 'warn');
    expect(v.note).toMatch(answer === 'none' ? /no --peer-conninfo: the peer was not checked/ : /192\.168\.1\.3:5432/);
  });
});

describe('promote blockers', () => {
  const ev = (e: Partial<PromoteEvidence> = {}): PromoteEvidence => ({
    walreceiver: { status: 'streaming', sender: '192.168.1.10:5432', lastMsgAgeS: 2 },
    candidates: [],
    ...e,
  });
  const running = facts({ state: 'running' });
  it.each([
    [
      'streaming, sender answers',
      ev({ senderProbe: { result: 'answered', detail: 'ok' } }),
      {},
      /still streaming from 192\.168\.1\.10:5432: that primary is alive \(split brain\)/,
    ],
    [
      'streaming, sender silent (power loss or partition)',
      ev({ senderProbe: { result: 'no-answer', detail: 'no answer within 3000 ms' } }),
      {},
      /still says streaming .* but that primary does not answer .*network partition looks the same.*split brain/,
    ],
    ['streaming but the cluster released the old primary', ev(), { clusterReleased: true }, null],
    ['streaming, --force', ev(), { force: true }, null],
    [
      'no walreceiver, candidate answers as primary',
      ev({
        walreceiver: { status: null, sender: null, lastMsgAgeS: null },
        candidates: [{ where: 'a:1', answer: 'primary' }],
      }),
      {},
      /a:1 answers as a primary .*split brain/,
    ],
    [
      'no walreceiver, candidate unreachable',
      ev({
        walreceiver: { status: null, sender: null, lastMsgAgeS: null },
        candidates: [{ where: 'a:1', answer: 'unknown', detail: 'timeout' }],
      }),
      {},
      /cannot tell whether a:1 is still a primary \(timeout\)/,
    ],
    [
      'no walreceiver, candidate refused or standby',
      ev({
        walreceiver: { status: null, sender: null, lastMsgAgeS: null },
        candidates: [
          { where: 'a:1', answer: 'refused' },
          { where: 'b:1', answer: 'standby' },
        ],
      }),
      {},
      null,
    ],
    [
      'the cluster released it, but a candidate still answers as primary',
      ev({ candidates: [{ where: 'a:1', answer: 'primary' }] }),
      { clusterReleased: true },
      /a:1 answers as a primary/,
    ],
  ] as const)('%s', (_n, e, opts, text) => {
    const b = promoteBlockers(running, 'standby', e, { force: false, ...opts });
    if (text === null) expect(b).toEqual([]);
    else expect(b.join(' ')).toMatch(text);
  });
  it('a stopped server or one that does not answer SQL is refused even with --force', () => {
    expect(promoteBlockers(facts(), null, ev(), { force: true })).toEqual([
      'the server is not running: start it as standby first',
    ]);
    expect(promoteBlockers(running, null, ev(), { force: true })[0]).toMatch(/does not answer SQL/);
  });
});

describe('switchover plan', () => {
  it.each([
    ['primary', 'standby', true, []],
    ['primary', 'standby', false, ['the standby is not streaming: a switchover needs a healthy pair']],
    ['standby', 'standby', true, ['/p is not a running primary']],
    ['primary', 'primary', true, ['/s is not a running standby']],
    [null, null, false, ['/p is not a running primary', '/s is not a running standby']],
  ] as const)('primary %s, standby %s, streaming %s', (p, s, streaming, reasons) => {
    expect(switchoverBlockers('/p', '/s', p, s, streaming)).toEqual(reasons);
  });
  it.each([
    [false, 'standby', 'roll back'],
    [true, 'standby', 'report'],
    [false, 'primary', 'report'],
    [false, null, 'report'],
    [true, 'primary', 'report'],
  ] as const)('promote failed, signalled %s, standby now %s: %s', (signalled, role, what) => {
    expect(afterFailedPromote(signalled, role)).toBe(what);
  });
  it('a pg_promote() that failed did not signal; a pg_ctl promote that failed may have', () => {
    expect(promoteSignalled({ promote_signalled: true })).toBe(true);
    expect(promoteSignalled({})).toBe(false);
  });
});

describe('serverLogTail: what the server said when pg_ctl start failed', () => {
  it("follows the logging collector's redirect to the newest file and quotes its FATAL line", async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, utimesSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { serverLogTail } = await import('../../src/lifecycle/steps');
    const d = mkdtempSync('/tmp/pgsr-unit-');
    mkdirSync(join(d, 'log'));
    writeFileSync(
      join(d, 'pg.log'),
      'LOG:  redirecting log output to logging collector process\nHINT:  Future log output will appear in directory "log".\n',
    );
    writeFileSync(join(d, 'log', 'old.log'), 'FATAL:  an old failure\n');
    utimesSync(join(d, 'log', 'old.log'), new Date(1000), new Date(1000));
    writeFileSync(
      join(d, 'log', 'postgresql.log'),
      'LOG:  starting PostgreSQL\nFATAL:  lock file "postmaster.pid" already exists\nHINT:  Is another postmaster (PID 4242) running?\n',
    );
    expect(serverLogTail(join(d, 'pg.log'), d)).toBe('FATAL:  lock file "postmaster.pid" already exists');
    writeFileSync(join(d, 'plain.log'), 'a\nb\nFATAL:  c\n');
    expect(serverLogTail(join(d, 'plain.log'), d)).toBe('b / FATAL:  c');
    expect(serverLogTail(join(d, 'missing.log'), d)).toBe('');
  });
});
