/**
 * Killed in the middle of a run: the real app (`src/main.ts`) in a child process sends a nudge run
 * to 60 people; the fake connector stops answering after 25 cards, and the process is killed with
 * SIGKILL (no shutdown, no cleanup). A new process on the same store, once the dead one's lease has
 * run out, sends the rest: every person gets their card exactly once.
 *
 * What "exactly once" can mean here: a card the connector never answered is not delivered (Teams did
 * not confirm it) and is sent again; the connector records a card when it answers. The one window
 * no outbox can close — Teams accepted a card and the process died in the few milliseconds before
 * writing "sent" — would send that card again (see README, "Nudges").
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DateTime } from "luxon";
import { afterAll, describe, expect, it } from "vitest";
import { startApp } from "../support/app-process.js";
import { startFakeConnector } from "../support/fake-connector.js";
import { isDigest, person, RUN_KEY, seedNationalCoordinators } from "../support/nudging.js";

const PEOPLE = Array.from({ length: 60 }, (_, i) => person(1000 + i, `Person ${i}`));
const chat = (i: number) => `a:crash-chat-${i}`;

function trigger(url: string): Promise<any> {
  return fetch(`${url}/api/nudges/run`, { method: "POST", headers: { authorization: `Bearer ${RUN_KEY}` } }).then((r) => r.json());
}

describe("a nudge run killed with SIGKILL", () => {
  const dir = mkdtempSync(join(tmpdir(), "samhandling-crash-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("is finished by the next process: every card once, none lost", async () => {
    const connector = await startFakeConnector();
    const sqlitePath = join(dir, "samhandling.db");
    const now = DateTime.fromISO("2027-02-01T09:00:00", { zone: "Europe/Oslo" });

    // 60 national coordinators who have chatted with the bot.
    await seedNationalCoordinators(sqlitePath, { connectorUrl: connector.url, people: PEOPLE, now, chat });

    const env = {
      SQLITE_PATH: sqlitePath,
      CLOCK_NOW: now.toISO()!,
      NUDGE_RUN_KEY: RUN_KEY,
      NUDGE_SCHEDULER: "off",
      NUDGE_RATE_PER_SECOND: "20",
      NUDGE_LEASE_SECONDS: "2",
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "info",
    };

    // First process: the connector answers 25 cards, then holds every post; the process is killed.
    const first = await startApp(env);
    let received = 0;
    const killed = new Promise<void>((resolve) => first.child.once("exit", () => resolve()));
    connector.onPost = () => {
      received++;
      if (received <= 25) return true;
      // A moment for the process to write down what Teams confirmed, then no mercy.
      if (received === 26) setTimeout(() => first.child.kill("SIGKILL"), 300);
      return false;
    };
    const run = trigger(first.url).catch((error: unknown) => error);
    await killed;
    expect(await run).toBeInstanceOf(Error); // the answer never came: the process died mid-run
    expect([first.child.signalCode, first.child.exitCode]).toEqual(["SIGKILL", null]);
    const delivered = connector.posted.filter(isDigest).length;
    expect(delivered).toBe(25);
    expect(connector.postAttempts.length).toBeGreaterThan(25);

    // Second process, same store: once the dead one's lease has run out, it sends what was left.
    connector.onPost = () => true;
    const second = await startApp(env);
    try {
      let summary = await trigger(second.url);
      for (let i = 0; i < 30 && summary.skipped === "another-run-holds-the-lease"; i++) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        summary = await trigger(second.url);
      }
      expect(summary).toMatchObject({ recorded: 0, sent: { cards: 60 - delivered, nudges: 60 - delivered }, deferred: 0, unreachable: 0 });
      const cards = connector.posted.filter(isDigest);
      expect(cards).toHaveLength(60);
      expect(new Set(cards.map((c) => c.conversationId)).size).toBe(60);
      expect(await trigger(second.url)).toMatchObject({ recorded: 0, sent: { cards: 0 } });
    } finally {
      second.child.kill("SIGTERM");
      await connector.close();
    }
  }, 60_000);
});
