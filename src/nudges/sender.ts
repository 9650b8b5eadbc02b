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
  private nextSlot = 0;
  private readonly sent = new Map<string, number[]>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly messenger: Messenger,
    options: SenderOptions,
  ) {
    if (!(options.ratePerSecond > 0)) throw new RangeError("ratePerSecond must be positive");
    this.interval = 1000 / options.ratePerSecond;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.baseDelayMs = options.baseDelayMs ?? 1_000;
    this.maxDelayMs = options.maxDelayMs ?? 30_000;
  }

  /** Sends one card, waiting for its turn under the limits, retrying what passes. */
  async send(address: ConversationAddress, card: AdaptiveCard): Promise<SendReport> {
    let outcome: SendOutcome = { kind: "retry", code: "NotTried" };
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      await this.turn(address.conversationId);
      outcome = await this.messenger.send(address, card);
      if (outcome.kind !== "retry" || attempt === this.maxAttempts) return { outcome, attempts: attempt };
      await this.sleep(this.backoff(attempt, outcome.retryAfterMs));
    }
    return { outcome, attempts: this.maxAttempts };
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

  /** Waits until both the global rate and the conversation's windows allow one more message, and takes it. */
  private async turn(conversationId: string): Promise<void> {
    // Global pacing: evenly spaced slots, reserved before waiting so concurrent senders queue up.
    const now = this.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + this.interval;
    let at = slot;
    // Per conversation: the earliest moment at which every window has room.
    const times = (this.sent.get(conversationId) ?? []).filter((t) => t > now - 30_000);
    for (const { windowMs, max } of CONVERSATION_LIMITS) {
      const inWindow = times.filter((t) => t > at - windowMs);
      if (inWindow.length >= max) at = Math.max(at, inWindow[inWindow.length - max]! + windowMs);
    }
    times.push(at);
    times.sort((a, b) => a - b);
    this.sent.set(conversationId, times);
    if (this.sent.size > 10_000) this.forgetQuiet(now);
    if (at > now) await this.sleep(at - now);
  }

  private forgetQuiet(now: number): void {
    for (const [id, times] of this.sent) if (times.every((t) => t <= now - 30_000)) this.sent.delete(id);
  }
}
