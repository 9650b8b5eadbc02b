/**
 * The sender keeps Teams' limits (Teams platform, "Rate limiting for bots": per conversation 7
 * messages a second and 60 in 30 seconds; a global rate for the bot) and retries what passes.
 * Time is virtual: the sender's clock and sleep are the test's, so limits are checked exactly.
 */
import { describe, expect, it } from "vitest";
import type { AdaptiveCard } from "../../src/cards/templates.js";
import type { Messenger, SendOutcome } from "../../src/nudges/messenger.js";
import { Sender } from "../../src/nudges/sender.js";
import type { ConversationAddress } from "../../src/store/records.js";

const card = { type: "AdaptiveCard", version: "1.5" } as AdaptiveCard;
const address = (conversationId: string): ConversationAddress => ({
  serviceUrl: "https://smba.trafficmanager.net/emea/",
  channelId: "msteams",
  conversationId,
  conversationType: "personal",
  botId: "28:bot",
});

/** A messenger that answers from a script (default: sent) and notes when each post was made, in virtual time. */
function setup(options: { rate: number; answers?: SendOutcome[]; random?: number; maxAttempts?: number }) {
  let now = 0;
  const calls: Array<{ at: number; conversationId: string }> = [];
  const answers = [...(options.answers ?? [])];
  const messenger: Messenger = {
    async send(a) {
      calls.push({ at: now, conversationId: a.conversationId });
      return answers.shift() ?? { kind: "sent" };
    },
    async openPersonalChat() {
      return { kind: "not-member" };
    },
  };
  const sender = new Sender(messenger, {
    ratePerSecond: options.rate,
    now: () => now,
    sleep: async (ms) => {
      now += ms;
    },
    random: () => options.random ?? 1,
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
  });
  return { sender, calls, elapsed: () => now };
}

describe("Teams' limits", () => {
  it("the global rate: 100 cards at 50 a second are spread evenly over 2 seconds", async () => {
    const { sender, calls } = setup({ rate: 50 });
    for (let i = 0; i < 100; i++) await sender.send(address(`c${i}`), card);
    expect(calls).toHaveLength(100);
    const gaps = calls.slice(1).map((c, i) => c.at - calls[i]!.at);
    expect(Math.min(...gaps)).toBeCloseTo(20, 6);
    expect(calls.at(-1)!.at).toBeCloseTo(1980, 6);
  });

  it("per conversation: the 8th message in a second waits until the first is a second old (7 per second)", async () => {
    const { sender, calls } = setup({ rate: 1000 });
    for (let i = 0; i < 8; i++) await sender.send(address("one"), card);
    expect(calls[6]!.at).toBeLessThan(1000);
    expect(calls[7]!.at).toBeGreaterThanOrEqual(calls[0]!.at + 1000);
  });

  it("per conversation: at most 60 in any 30 seconds, and never more than 7 in a second", async () => {
    const { sender, calls } = setup({ rate: 1000 });
    for (let i = 0; i < 75; i++) await sender.send(address("one"), card);
    const times = calls.map((c) => c.at);
    for (const [i, t] of times.entries()) {
      expect(times.filter((u) => u >= t && u < t + 1000).length, `window from message ${i}`).toBeLessThanOrEqual(7);
      expect(times.filter((u) => u >= t && u < t + 30_000).length, `window from message ${i}`).toBeLessThanOrEqual(60);
    }
    expect(times[60]!).toBeGreaterThanOrEqual(times[0]! + 30_000);
  });

  it("other conversations are not held up by one that is at its limit", async () => {
    const { sender, calls } = setup({ rate: 1000 });
    for (let i = 0; i < 7; i++) await sender.send(address("busy"), card);
    await sender.send(address("other"), card);
    expect(calls.at(-1)!.at).toBeLessThan(100);
  });
});

describe("retries", () => {
  it("429: waits at least Teams' Retry-After, then sends", async () => {
    const { sender, calls } = setup({ rate: 50, random: 0.01, answers: [{ kind: "retry", status: 429, code: "Throttled", retryAfterMs: 5_000 }] });
    const report = await sender.send(address("c"), card);
    expect(report).toEqual({ outcome: { kind: "sent" }, attempts: 2 });
    expect(calls[1]!.at - calls[0]!.at).toBeGreaterThanOrEqual(5_000);
  });

  it("5xx: exponential backoff with full jitter, at most five attempts, then the failure is reported", async () => {
    const failing: SendOutcome = { kind: "retry", status: 503, code: "ServiceUnavailable" };
    const { sender, calls } = setup({ rate: 1000, random: 1, answers: Array.from({ length: 10 }, () => failing) });
    const report = await sender.send(address("c"), card);
    expect(report).toEqual({ outcome: failing, attempts: 5 });
    const waits = calls.slice(1).map((c, i) => c.at - calls[i]!.at);
    expect(waits.map(Math.round)).toEqual([1000, 2000, 4000, 8000]);

    // Full jitter: the wait is a random share of the bound, so throttled conversations do not retry in step.
    const half = setup({ rate: 1000, random: 0.5, answers: [failing] });
    await half.sender.send(address("c"), card);
    expect(Math.round(half.calls[1]!.at - half.calls[0]!.at)).toBe(500);
  });

  it.each<SendOutcome>([
    { kind: "unreachable", status: 403, code: "BotNotInConversationRoster" },
    { kind: "unreachable", status: 404, code: "ConversationNotFound" },
    { kind: "rejected", status: 400, code: "BadArgument" },
  ])("%o is not retried", async (answer) => {
    const { sender, calls } = setup({ rate: 50, answers: [answer] });
    expect(await sender.send(address("c"), card)).toEqual({ outcome: answer, attempts: 1 });
    expect(calls).toHaveLength(1);
  });
});

describe("after a stall", () => {
  it("eight senders at once, the process stalled for half a second: it goes on at the rate, no catching up in a burst", async () => {
    // Virtual timers: sleeps wake in time order; a stall moves the clock with nobody awake.
    let now = 0;
    const timers: Array<{ at: number; wake: () => void }> = [];
    const calls: number[] = [];
    const messenger: Messenger = {
      async send() {
        calls.push(now);
        if (calls.length === 10) now += 500;
        return { kind: "sent" };
      },
      async openPersonalChat() {
        return { kind: "not-member" };
      },
    };
    const sender = new Sender(messenger, { ratePerSecond: 50, now: () => now, sleep: (ms) => new Promise<void>((wake) => timers.push({ at: now + ms, wake })) });
    let done = false;
    const all = Promise.all(
      Array.from({ length: 8 }, async (_, worker) => {
        for (let i = 0; i < 10; i++) await sender.send(address(`w${worker}-${i}`), card);
      }),
    ).then(() => (done = true));
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      timers.sort((a, b) => a.at - b.at);
      const next = timers.shift();
      if (next) {
        now = Math.max(now, next.at);
        next.wake();
      }
    }
    await all;
    expect(calls).toHaveLength(80);
    const gaps = calls.slice(1).map((t, i) => t - calls[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(20 - 1e-9);
    for (const t of calls) expect(calls.filter((u) => u >= t && u < t + 1000).length).toBeLessThanOrEqual(50);
    // The half second lost is not made up: 80 cards take 79 intervals plus the stall.
    expect(calls.at(-1)! - calls[0]!).toBeCloseTo(79 * 20 + 500 - 20, 0);
  });
});
