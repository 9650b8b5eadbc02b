/**
 * Graceful shutdown with the real process (`src/main.ts` in a child, as `npm start` runs it):
 * SIGTERM arrives while a nudge run is sending and two turns are in flight, one whose reply the
 * connector answers slowly and one whose reply it never answers. The slow turn is answered, the
 * endless one is cut at the 10 s bound, nothing new is accepted, the run stops claiming and
 * releases its lease, and the process exits 0. A second process on the same store then runs the
 * nudges at once — the lease is 10 minutes, so one left to run out would make it skip.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DateTime } from "luxon";
import { afterAll, describe, expect, it } from "vitest";
import { startApp } from "../support/app-process.js";
import { startFakeConnector } from "../support/fake-connector.js";
import { BOT } from "../support/harness.js";
import { isDigest, person, RUN_KEY, seedNationalCoordinators } from "../support/nudging.js";

const PEOPLE = Array.from({ length: 30 }, (_, i) => person(3000 + i, `Person ${i}`));
const chat = (i: number) => `a:shutdown-chat-${i}`;
const SLOW = "a:shutdown-slow-turn";
const HELD = "a:shutdown-held-turn";

const trigger = (url: string): Promise<any> => fetch(`${url}/api/nudges/run`, { method: "POST", headers: { authorization: `Bearer ${RUN_KEY}` } }).then((r) => r.json());

function turn(url: string, connectorUrl: string, conversationId: string, n: number): Promise<number> {
  const from = person(4000 + n, `Turn ${n}`);
  return fetch(`${url}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      type: "message",
      id: `shutdown-turn-${n}`,
      channelId: "msteams",
      serviceUrl: connectorUrl,
      locale: "nb-NO",
      conversation: { id: conversationId, conversationType: "personal", tenantId: "tenant-1" },
      from,
      recipient: BOT,
      text: "hjelp",
    }),
  }).then((r) => r.status);
}

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("SIGTERM", () => {
  const dir = mkdtempSync(join(tmpdir(), "samhandling-shutdown-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("answers the turns in flight within 10 s, releases the nudge lease and exits 0", async () => {
    const connector = await startFakeConnector();
    const sqlitePath = join(dir, "samhandling.db");
    const now = DateTime.fromISO("2027-02-01T09:00:00", { zone: "Europe/Oslo" });

    // 30 national coordinators who have chatted with the bot, and a national meeting to nudge about.
    await seedNationalCoordinators(sqlitePath, { connectorUrl: connector.url, people: PEOPLE, now, chat });

    const env = {
      SQLITE_PATH: sqlitePath,
      CLOCK_NOW: now.toISO()!,
      NUDGE_RUN_KEY: RUN_KEY,
      NUDGE_SCHEDULER: "off",
      NUDGE_RATE_PER_SECOND: "20",
      // Ten minutes: a lease left to run out would keep the second process from running.
      NUDGE_LEASE_SECONDS: "600",
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "info",
    };

    // Teams answers every post after 1.5 s, and never answers the reply to the held turn.
    connector.postDelayMs = 1_500;
    connector.onPost = (conversationId) => conversationId !== HELD;
    const first = await startApp(env);
    const exited = new Promise<number | null>((resolve) => first.child.once("exit", (code) => resolve(code)));
    const run = trigger(first.url);
    await until(() => connector.postAttempts.length >= 8, "the nudge run to be sending");
    const slow = turn(first.url, connector.url, SLOW, 1);
    const held = turn(first.url, connector.url, HELD, 2).catch((error: unknown) => error);
    await until(() => connector.postAttempts.includes(SLOW) && connector.postAttempts.includes(HELD), "both turns to be replying");

    const signalledAt = Date.now();
    first.child.kill("SIGTERM");
    await until(() => first.output().includes("shutting down"), "the first log line");
    // Nothing new is accepted once shutdown has begun.
    const late = await fetch(`${first.url}/healthz`).then((r) => r.status, (error: unknown) => error);
    if (typeof late === "number") expect(late).toBe(503);
    else expect(late).toBeInstanceOf(Error);

    // The slow turn is answered, and its reply reached Teams.
    expect(await slow).toBe(200);
    expect(connector.to(SLOW).length).toBeGreaterThanOrEqual(1);
    // The run stopped claiming and answered its trigger once the cards on their way were done.
    const summary = await run;
    expect(summary.halted).toBe("shutting down");
    expect(summary.deferred).toBeGreaterThan(0);
    // The held turn is cut at the bound, and the process exits 0 soon after.
    expect(await held).toBeInstanceOf(Error);
    expect(await exited).toBe(0);
    const took = Date.now() - signalledAt;
    expect(took).toBeGreaterThanOrEqual(9_500);
    expect(took).toBeLessThan(14_000);
    const lines = first.output().split("\n").filter((l) => l.includes('"msg":"shut down"'));
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ signal: "SIGTERM", requestsCut: 1 });

    // Second process, same store: the lease was released, so it runs at once and sends the rest.
    const delivered = connector.posted.filter(isDigest).length;
    expect(delivered).toBeGreaterThan(0);
    expect(delivered).toBeLessThan(PEOPLE.length);
    connector.postDelayMs = 0;
    connector.onPost = undefined;
    const second = await startApp(env);
    try {
      expect(await trigger(second.url)).toMatchObject({ sent: { cards: PEOPLE.length - delivered }, deferred: 0 });
      const cards = connector.posted.filter(isDigest);
      expect(cards).toHaveLength(PEOPLE.length);
      expect(new Set(cards.map((c) => c.conversationId)).size).toBe(PEOPLE.length);
    } finally {
      second.child.kill("SIGTERM");
      await new Promise((resolve) => second.child.once("exit", resolve));
      await connector.close();
    }
  }, 60_000);
});
