/**
 * Nudges through real HTTP: the app on port 0, a fake Bot Connector that records what the bot
 * posts, and the run triggered as an external timer would (POST /api/nudges/run).
 */
import { afterEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness.js";
import { ADMIN, chatOf, chatWith, digestsTo, grant, person, RUN_KEY, runNudges, textOf } from "../support/nudging.js";

const RUK = person(11, "Rut RUK");

describe("nudges to people (§4.1: RUK AU convenes the national spring meeting in good time)", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("the national coordinator gets one digest in their 1:1 chat, with the deadline, the lead and the buttons; a second run says nothing new", async () => {
    h = await startHarness({ CLOCK_NOW: "2027-02-01T09:00:00+01:00", NUDGE_RUN_KEY: RUN_KEY, ADMIN_AAD_IDS: ADMIN.aadObjectId! });
    await grant(h, RUK, { kind: "national-coordinator" });
    await chatWith(h, RUK);

    const summary = await runNudges(h);
    expect(summary).toMatchObject({ date: "2027-02-01", sent: { cards: 1, nudges: 1 }, unreachable: 0, deferred: 0 });
    const [digest, ...more] = digestsTo(h, chatOf(RUK));
    expect(more).toHaveLength(0);
    const text = textOf(digest);
    expect(text).toContain("Dette venter på deg");
    expect(text).toContain("Innkalling til nasjonalt vårmøte");
    expect(text).toContain("17. februar 2027");
    expect(text).toContain("6 uker");
    expect(text).toContain("§4.1");

    expect(await runNudges(h)).toMatchObject({ due: 1, recorded: 0, sent: { cards: 0 } });
    expect(digestsTo(h, chatOf(RUK))).toHaveLength(1);
  });
});
