/**
 * When a streaming standby's sender (its primary's postmaster) is probed (probe/liveness.ts),
 * and how the result reaches the observation. A probe is due when the walreceiver says
 * `streaming` but has heard nothing for `afterS` seconds; a sender that answered is asked again
 * only `afterS` later (an idle pair is silent for up to half of wal_receiver_timeout, and a
 * probe every interval would fork a backend on the primary every second for nothing); one that
 * did not answer is asked again at every check until it does.
 *
 * Two ways to run it:
 * - `inline` (one-shot `pgsr check`, OCF monitor): the observation waits for the probe, which is
 *   bounded by the probe timeout and the observation's deadline; its time is added to the
 *   observation's duration.
 * - `background` (the resident `pgsr watch`): a due probe starts beside the check and the check
 *   does not wait for it; the next check carries its result. The primary's postmaster forks a
 *   process to answer (5-8 ms on loopback, docs/benchmarks.md), and an unanswered probe lasts its
 *   whole timeout (3 s by default): a check that waited would take that long while the standby
 *   itself answers in a millisecond. `onChange` is called when a result needs telling (an
 *   unanswered probe, or the first answer after one), so the watch can check at once instead of
 *   at the next interval. An unanswered result stays on every check while the walreceiver stays
 *   silent (one verdict, no flapping between probes); an answer is carried once.
 */
import type { Observation, SenderProbe, SenderProbePolicy } from '../observation';
import { probeSender, senderTarget } from './liveness';

/** How a schedule runs its probes (see the module comment). */
export type SenderProbeMode = { kind: 'inline' } | { kind: 'background'; onChange?: (probe: SenderProbe) => void };

/**
 * The sender probe of one session (one-shot check or resident watch): decides when a probe is
 * due and adds its result to standby observations (module comment). One probe at a time.
 */
export class SenderProbeSchedule {
  /** The last answered probe (kept sessions ask an answering sender at most every afterS). */
  private lastAnswered: { target: string; at: number } | undefined;
  /** Background only: the probe under way. */
  private inFlight: AbortController | undefined;
  /** Background only: the latest finished probe not yet made stale by a message from the sender. */
  private latest: (SenderProbe & { told: boolean }) | undefined;

  /**
   * @param policy when to probe and the bound of one probe (ms).
   * @param mode inline or background (module comment).
   */
  constructor(
    private readonly policy: SenderProbePolicy,
    private readonly mode: SenderProbeMode = { kind: 'inline' },
  ) {}

  /**
   * Adds `standby.senderProbe` to a standby observation when a probe is due (inline: probes and
   * waits, bounded by `deadline`, epoch ms; background: starts one if none is under way and
   * carries the latest result). Never throws.
   */
  async apply(obs: Observation, deadline: number): Promise<void> {
    const s = obs.ok ? obs.standby : undefined;
    const w = s?.walreceiver;
    if (
      !obs.ok ||
      !s ||
      !w ||
      w.status !== 'streaming' ||
      w.lastMsgAgeS === null ||
      w.lastMsgAgeS < this.policy.afterS
    ) {
      // The sender spoke (or there is none): an earlier unanswered result no longer holds.
      this.latest = undefined;
      return;
    }
    const sender = senderTarget(w.senderHost, w.senderPort, w.conninfo);
    if (!sender) return;
    const target = `${sender.host}:${sender.port}`;
    const recent =
      this.lastAnswered !== undefined &&
      this.lastAnswered.target === target &&
      Date.now() - this.lastAnswered.at < this.policy.afterS * 1000;
    if (this.mode.kind === 'inline') {
      const budget = Math.min(this.policy.timeoutMs, deadline - Date.now() - 20);
      if (budget < 50 || recent) return;
      s.senderProbe = await probeSender(sender.host, sender.port, budget);
      obs.durationMs += s.senderProbe.ms;
      this.noteAnswer(s.senderProbe, target);
      return;
    }
    if (!this.inFlight && !recent) this.start(sender.host, sender.port, target);
    const last = this.latest;
    if (last && last.target === target && (last.result !== 'answered' || !last.told)) {
      const { told: _told, ...probe } = last;
      s.senderProbe = probe;
      last.told = true;
    }
  }

  /** Stops a background probe under way (its result is dropped). */
  close(): void {
    this.inFlight?.abort();
    this.inFlight = undefined;
  }

  private noteAnswer(probe: SenderProbe, target: string): void {
    this.lastAnswered = probe.result === 'answered' ? { target, at: Date.now() } : undefined;
  }

  private start(host: string, port: number, target: string): void {
    const ac = new AbortController();
    this.inFlight = ac;
    const onChange = this.mode.kind === 'background' ? this.mode.onChange : undefined;
    void probeSender(host, port, this.policy.timeoutMs, ac.signal).then((probe) => {
      if (ac.signal.aborted) return;
      this.inFlight = undefined;
      const before = this.latest;
      this.latest = { ...probe, told: false };
      this.noteAnswer(probe, target);
      if (probe.result !== 'answered' || (before !== undefined && before.result !== 'answered')) onChange?.(probe);
    });
  }
}
