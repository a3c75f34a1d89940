// The sender probe's schedule (src/probe/sender-schedule.ts) against real local sockets: a
// "postmaster" that answers the SSLRequest with N, one that accepts and never answers (what a
// frozen postmaster looks like), and a port nobody listens on.
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Observation, SenderProbe } from '../../src/observation';
import { SenderProbeSchedule } from '../../src/probe/sender-schedule';

let answering: Server;
let silent: Server;
const held: Socket[] = [];
let accepted = 0;
const portOf = (s: Server) => (s.address() as { port: number }).port;

beforeAll(async () => {
  answering = createServer((c) => {
    accepted++;
    c.once('data', () => c.end('N'));
    c.on('error', () => undefined);
  });
  silent = createServer((c) => {
    held.push(c);
    c.on('error', () => undefined);
  });
  await Promise.all([answering, silent].map((s) => new Promise<void>((r) => s.listen(0, '127.0.0.1', r))));
});
afterAll(async () => {
  for (const c of held) c.destroy();
  await Promise.all([answering, silent].map((s) => new Promise((r) => s.close(r))));
});

/** A streaming standby's observation whose walreceiver heard nothing for `ageS` seconds. */
function obs(port: number, ageS: number): Observation {
  return {
    ok: true,
    target: { host: '127.0.0.1', port: 5433 },
    server: { versionNum: 150000, version: '15.0', inRecovery: true, role: 'standby' },
    durationMs: 1,
    standby: {
      walreceiver: {
        pid: 1,
        status: 'streaming',
        senderHost: '127.0.0.1',
        senderPort: port,
        conninfo: null,
        receivedTli: 1,
        writtenLsn: null,
        flushedLsn: '0/3000000',
        latestEndLsn: '0/3000000',
        slotName: null,
        lastMsgAgeS: ageS,
      },
      receiveLsn: '0/3000000',
      replayLsn: '0/3000000',
      replayLagBytes: 0,
      lastReplayAgeS: null,
      replayPaused: false,
      timeline: 1,
      walReceiverTimeoutMs: 60000,
    },
  };
}
const probeOf = (o: Observation) => (o.ok ? o.standby?.senderProbe : undefined);
const soon = () => Date.now() + 5000;

/** Waits (bounded) until `pred` holds. */
async function until(pred: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
}

describe('inline (one-shot check)', () => {
  it('probes a silent walreceiver, waits for the answer and counts its time; not before afterS', async () => {
    const s = new SenderProbeSchedule({ afterS: 5, timeoutMs: 1000 });
    const quiet = obs(portOf(answering), 2);
    await s.apply(quiet, soon());
    expect(probeOf(quiet)).toBeUndefined();
    const o = obs(portOf(answering), 6);
    await s.apply(o, soon());
    expect(probeOf(o)).toMatchObject({ result: 'answered', target: `127.0.0.1:${portOf(answering)}` });
    expect(o.durationMs).toBe(1 + (probeOf(o) as SenderProbe).ms);
    // A kept session asks an answering sender again only afterS later.
    const again = obs(portOf(answering), 7);
    await s.apply(again, soon());
    expect(probeOf(again)).toBeUndefined();
  });

  it('a sender that accepts and never answers: no-answer within the timeout', async () => {
    const s = new SenderProbeSchedule({ afterS: 5, timeoutMs: 300 });
    const o = obs(portOf(silent), 6);
    const t0 = Date.now();
    await s.apply(o, soon());
    expect(probeOf(o)?.result).toBe('no-answer');
    expect(Date.now() - t0).toBeLessThan(300 + 500);
  });
});

describe('background (resident watch)', () => {
  it('does not wait; the next check carries the answer once; no news for an answer', async () => {
    const news: SenderProbe[] = [];
    const s = new SenderProbeSchedule(
      { afterS: 5, timeoutMs: 1000 },
      { kind: 'background', onChange: (p) => news.push(p) },
    );
    const before = accepted;
    const first = obs(portOf(answering), 6);
    await s.apply(first, soon());
    expect(probeOf(first)).toBeUndefined();
    expect(first.durationMs).toBe(1);
    await until(() => accepted > before);
    await new Promise((r) => setTimeout(r, 50));
    const second = obs(portOf(answering), 7);
    await s.apply(second, soon());
    expect(probeOf(second)?.result).toBe('answered');
    const third = obs(portOf(answering), 8);
    await s.apply(third, soon());
    expect(probeOf(third)).toBeUndefined();
    expect(accepted - before).toBe(1);
    expect(news).toEqual([]);
    s.close();
  });

  it('an unanswered probe is news, stays on every silent check, and is dropped once the sender speaks', async () => {
    const news: SenderProbe[] = [];
    const s = new SenderProbeSchedule(
      { afterS: 5, timeoutMs: 200 },
      { kind: 'background', onChange: (p) => news.push(p) },
    );
    const t0 = Date.now();
    await s.apply(obs(portOf(silent), 6), soon());
    expect(Date.now() - t0).toBeLessThan(100);
    await until(() => news.length > 0);
    expect(news[0].result).toBe('no-answer');
    for (const age of [7, 8]) {
      const o = obs(portOf(silent), age);
      await s.apply(o, soon());
      expect(probeOf(o)?.result).toBe('no-answer');
    }
    const spoke = obs(portOf(silent), 0.2);
    await s.apply(spoke, soon());
    expect(probeOf(spoke)).toBeUndefined();
    const later = obs(portOf(silent), 6);
    await s.apply(later, soon());
    expect(probeOf(later)).toBeUndefined();
    s.close();
  });

  it('refused is news too; close() drops a probe under way without news', async () => {
    const free = createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
    const port = portOf(free);
    await new Promise((r) => free.close(r));
    const news: SenderProbe[] = [];
    const s = new SenderProbeSchedule(
      { afterS: 5, timeoutMs: 1000 },
      { kind: 'background', onChange: (p) => news.push(p) },
    );
    await s.apply(obs(port, 6), soon());
    await until(() => news.length > 0);
    expect(news.map((p) => p.result)).toEqual(['refused']);
    const quiet: SenderProbe[] = [];
    const t = new SenderProbeSchedule(
      { afterS: 5, timeoutMs: 300 },
      { kind: 'background', onChange: (p) => quiet.push(p) },
    );
    await t.apply(obs(portOf(silent), 6), soon());
    t.close();
    await new Promise((r) => setTimeout(r, 500));
    expect(quiet).toEqual([]);
    s.close();
  });
});
