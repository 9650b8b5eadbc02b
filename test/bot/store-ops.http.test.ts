/**
 * What a `status` turn costs the store, counted through real HTTP (issue 4: hot paths use point
 * reads only). A `readMany` key counts as a point read: the Cosmos adapter point-reads each key.
 *
 * The first turn fills the app's caches (settings, roles, channel bindings, chosen languages, and
 * the national track's documents, which every region's card shares); what is counted is a second
 * turn on warm caches, which is what nearly every turn is.
 *
 * How many cycles a status shows depends on the date: the previous cycle stays on the card while
 * it is closing, from January until its latest deadline (31 January) plus WINDOW_SLACK_DAYS (92),
 * i.e. into early May; then the region's document is read for both cycles — two point reads.
 */
import { afterEach, describe, expect, it } from "vitest";
import { cardOf, cardText, startHarness, type Harness } from "../support/harness.js";
import { executeActions, invoke } from "../support/invoke.js";
import { countingStore, type CountingStore } from "../support/store-ops.js";

describe("store operations of a status turn", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** Starts the app at `now`, warms the caches with one `status Vestland`, and counts a second one. */
  async function countSecondStatus(now: string) {
    let counting: CountingStore | undefined;
    // The national cache as in production (the harness turns it off for tests that write national events directly).
    h = await startHarness({ CLOCK_NOW: now, NATIONAL_CACHE_SECONDS: "30" }, { wrapStore: (store) => (counting = countingStore(store)).store });
    // The same chat both times, as when a person asks again: the first turn also keeps the chat's
    // reference for nudges (one write); an unchanged chat costs nothing after that.
    const warm = await h.say("status Vestland", { conversationId: "conv-store-ops" });
    expect(warm.status).toBe(200);
    counting!.reset();
    const { status, replies } = await h.say("status Vestland", { conversationId: "conv-store-ops" });
    expect(status).toBe(200);
    expect(cardText(cardOf(replies[0]))).toContain("Status – Vestland");
    return counting!;
  }

  it("once the previous cycle has closed (September): one point read (Vestland's cycle), no query, no write", async () => {
    const counting = await countSecondStatus("2027-09-15T10:00:00+02:00");
    expect(counting.pointReads(), JSON.stringify(counting.ops.keys)).toBe(1);
    expect(counting.ops.lists).toBe(0);
    expect(counting.ops.crossPartitionLists).toBe(0);
    expect(counting.ops.writes).toBe(0);
    expect(counting.ops.removes).toBe(0);
  });

  it.each([
    ["January", "2027-01-12T10:00:00+01:00"],
    ["March, still in the closing window", "2027-03-17T10:00:00+01:00"],
  ])("in %s two cycles are shown (the closing one and the new): two point reads in one readMany, no query", async (_, now) => {
    const counting = await countSecondStatus(now);
    expect(counting.pointReads(), JSON.stringify(counting.ops.keys)).toBe(2);
    expect(counting.ops.readManyCalls).toBe(1);
    expect(counting.ops.reads).toBe(0);
    expect(counting.ops.lists).toBe(0);
    expect(counting.ops.writes).toBe(0);
    expect(counting.ops.removes).toBe(0);
  });
});

describe("the national track's cache", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("a national step recorded on this instance shows at once on every region's card", async () => {
    const ADMIN = "00000000-0000-0000-0000-00000000ad09";
    h = await startHarness({ CLOCK_NOW: "2027-03-17T10:00:00+01:00", NATIONAL_CACHE_SECONDS: "30", ADMIN_AAD_IDS: ADMIN });
    // §3.1: Rogaland's spring meeting waits for the national one until it is held.
    expect(cardText(cardOf((await h.say("status Rogaland")).replies[0]))).toContain("⏳ **Regionalt dialogmøte vår** · Venter");
    const admin = { aadObjectId: ADMIN };
    const form = await invoke(h, admin, "form.open", { form: "meeting.held", regionId: "46", year: 2027, params: { meeting: "national-spring" } });
    const save = executeActions(form.card).find((a) => a.verb === "meeting.held")!;
    expect(cardText((await invoke(h, admin, "meeting.held", { ...save.data, date: "2027-03-10" })).card)).toContain("✅ Registrert");
    expect(cardText(cardOf((await h.say("status Rogaland")).replies[0]))).toContain("🔵 **Regionalt dialogmøte vår** · Åpen");
  });
});
