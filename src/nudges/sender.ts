/**
 * Sending within Teams' limits (Teams platform, "Rate limiting for bots"): per conversation at
 * most 7 messages a second and 60 in 30 seconds, and a global rate for the whole bot (default
 * 50 a second, NUDGE_RATE_PER_SECOND). Throttling (429, honouring Retry-After), 412 and 5xx are
 * retried with exponential backoff and full jitter; 403/404 (the bot cannot post there) and
 * other refusals are not.
 */
import type { AdaptiveCard } from "../cards/templates.js";
import type { ConversationAddress } from "../store/records.js";
import type { Messenger, SendOutcome } from "./messenger.js";

export interface SenderOptions {
  /** Messages per second for the whole bot. */
  ratePerSecond: number;
  /** Attempts per message, the first included. */
  maxAttempts?: number;
  /** First backoff; doubled per attempt, with full jitter, up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** How long one post may take before it counts as failed (default 30 s). */
  sendTimeoutMs?: number;
  /** For tests: time and sleep. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/** Teams' per-conversation limits for a bot. */
export const CONVERSATION_LIMITS = [
  { windowMs: 1_000, max: 7 },
  { windowMs: 30_000, max: 60 },
] as const;

export interface SendReport {
  outcome: SendOutcome;
  attempts: number;
}

export class Sender {
  private readonly interval: number;
  /** Most messages in any one second: the rate, rounded up. */
  private readonly perSecond: number;
  private lastSent = Number.NEGATIVE_INFINITY;
  /** When the last second's messages went, oldest first. */
  private readonly recent: number[] = [];
  private globalGate: Promise<void> = Promise.resolve();
  private readonly conversationGates = new Map<string, Promise<void>>();
  /** When each conversation's messages of the last 30 s went. */
  private readonly sent = new Map<string, number[]>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sendTimeoutMs: number;

  constructor(
    private readonly messenger: Messenger,
    options: SenderOptions,
  ) {
    if (!(options.ratePerSecond > 0)) throw new RangeError("ratePerSecond must be positive");
    this.interval = 1000 / options.ratePerSecond;
    this.perSecond = Math.max(1, Math.ceil(options.ratePerSecond));
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 1_000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
    this.sendTimeoutMs = options.sendTimeoutMs ?? 30_000;
  }

  /**
   * Sends one card, waiting for its turn under the limits, retrying what passes — all before
   * `deadline` (epoch ms; the run's claim on the card): a send never outlives the claim, or
   * another run could take the card over and send it too. What does not fit is reported as
   * `retry`, for the next run.
   */
  async send(address: ConversationAddress, card: AdaptiveCard, deadline = Number.POSITIVE_INFINITY): Promise<SendReport> {
    let outcome: SendOutcome = { kind: "retry", code: "OutOfTime" };
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      await this.turn(address.conversationId);
      const left = deadline - this.now();
      if (left <= 0) return { outcome, attempts: attempt - 1 };
      outcome = await this.attempt(address, card, Math.min(this.sendTimeoutMs, left));
      if (outcome.kind !== "retry" || attempt === this.maxAttempts) return { outcome, attempts: attempt };
      const wait = this.backoff(attempt, outcome.retryAfterMs);
      // Teams asks to wait longer than the claim lasts: the next run tries again.
      if (this.now() + wait >= deadline) return { outcome, attempts: attempt };
      await this.sleep(wait);
    }
    return { outcome, attempts: this.maxAttempts };
  }

  /**
   * One post, given up on after `timeoutMs`. The request may still reach Teams after that; the
   * card is then sent again by a later run — a card twice rather than none, and never a run held
   * up for good by one hanging connection.
   */
  private async attempt(address: ConversationAddress, card: AdaptiveCard, timeoutMs: number): Promise<SendOutcome> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<SendOutcome>((resolve) => {
      timer = setTimeout(() => resolve({ kind: "retry", code: "Timeout" }), timeoutMs);
    });
    try {
      return await Promise.race([this.messenger.send(address, card), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Full jitter (a random wait up to the exponential bound) spreads the retries of many
   * conversations throttled at once; Teams' Retry-After is a floor, never shortened.
   */
  backoff(attempt: number, retryAfterMs?: number): number {
    const bound = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    const jittered = this.random() * bound;
    return retryAfterMs !== undefined ? Math.max(retryAfterMs, jittered) : jittered;
  }

  /**
   * Waits until the conversation's windows and then the global rate allow one more message, and
   * takes it. Both are measured on when messages actually went, not on slots booked ahead: after a
   * stall (garbage collection, a busy store) the sender resumes at the rate, it does not catch up
   * in a burst. A conversation waiting for its window holds up only itself.
   */
  private turn(conversationId: string): Promise<void> {
    const previous = this.conversationGates.get(conversationId) ?? Promise.resolve();
    const mine = previous.then(async () => {
      await this.conversationRoom(conversationId);
      await this.globalTurn();
      const at = this.now();
      const times = this.sent.get(conversationId) ?? [];
      times.push(at);
      this.sent.set(conversationId, times);
    });
    const gate = mine.catch(() => undefined);
    this.conversationGates.set(conversationId, gate);
    // Forget the gate once it is the last one, so that the map holds only busy conversations.
    void gate.then(() => {
      if (this.conversationGates.get(conversationId) === gate) this.conversationGates.delete(conversationId);
    });
    if (this.sent.size > 10_000) this.forgetQuiet(this.now());
    return mine;
  }

  private async conversationRoom(conversationId: string): Promise<void> {
    for (;;) {
      const now = this.now();
      const times = (this.sent.get(conversationId) ?? []).filter((t) => t > now - 30_000);
      this.sent.set(conversationId, times);
      let at = now;
      for (const { windowMs, max } of CONVERSATION_LIMITS) {
        const inWindow = times.filter((t) => t > at - windowMs);
        if (inWindow.length >= max) at = Math.max(at, inWindow[inWindow.length - max]! + windowMs);
      }
      if (at <= now) return;
      await this.sleep(at - now);
    }
  }

  /** One message at a time through the global gate: spaced by the interval, and never more than the rate within any second. */
  private globalTurn(): Promise<void> {
    const mine = this.globalGate.then(async () => {
      for (;;) {
        const now = this.now();
        while (this.recent.length > 0 && this.recent[0]! <= now - 1_000) this.recent.shift();
        let at = Math.max(now, this.lastSent + this.interval);
        if (this.recent.length >= this.perSecond) at = Math.max(at, this.recent[this.recent.length - this.perSecond]! + 1_000);
        if (at <= now) {
          this.lastSent = now;
          this.recent.push(now);
          return;
        }
        await this.sleep(at - now);
      }
    });
    this.globalGate = mine.catch(() => undefined);
    return mine;
  }

  private forgetQuiet(now: number): void {
    for (const [id, times] of this.sent) if (!this.conversationGates.has(id) && times.every((t) => t <= now - 30_000)) this.sent.delete(id);
  }
}
