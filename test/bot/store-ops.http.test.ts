/**
 * What a `status` turn costs the store, counted through real HTTP (issue 4: hot paths use point
 * reads only). A `readMany` key counts as a point read: the Cosmos adapter point-reads each key.
 *
 * The first turn fills the app's caches (settings, roles, channel bindings, chosen languages);
 * what is counted is a second turn on warm caches, which is what nearly every turn is.
 *
 * How many cycles a status shows depends on the date: the previous cycle stays on the card while
 * it is closing, from January until its latest deadline (31 January) plus WINDOW_SLACK_DAYS (92),
 * i.e. into early May; then each of the national and the region's cycle is read for two cycles.
 */
import { afterEach, describe, expect, it } from "vitest";
import { cardOf, cardText, startHarness, type Harness } from "../support/harness.js";
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
    h = await startHarness({ CLOCK_NOW: now }, { wrapStore: (store) => (counting = countingStore(store)).store });
    const warm = await h.say("status Vestland");
    expect(warm.status).toBe(200);
    counting!.reset();
    const { status, replies } = await h.say("status Vestland");
    expect(status).toBe(200);
    expect(cardText(cardOf(replies[0]))).toContain("Status – Vestland");
    return counting!;
  }

  it("once the previous cycle has closed (September): at most two point reads (national and Vestland cycle), no query, no write", async () => {
    const counting = await countSecondStatus("2027-09-15T10:00:00+02:00");
    expect(counting.pointReads(), JSON.stringify(counting.ops.keys)).toBeLessThanOrEqual(2);
    expect(counting.ops.lists).toBe(0);
    expect(counting.ops.crossPartitionLists).toBe(0);
    expect(counting.ops.writes).toBe(0);
    expect(counting.ops.removes).toBe(0);
  });

  it.each([
    ["January", "2027-01-12T10:00:00+01:00"],
    ["March, still in the closing window", "2027-03-17T10:00:00+01:00"],
  ])("in %s two cycles are shown (the closing one and the new): four point reads in one readMany, no query", async (_, now) => {
    const counting = await countSecondStatus(now);
    expect(counting.pointReads(), JSON.stringify(counting.ops.keys)).toBe(4);
    expect(counting.ops.readManyCalls).toBe(1);
    expect(counting.ops.reads).toBe(0);
    expect(counting.ops.lists).toBe(0);
    expect(counting.ops.writes).toBe(0);
    expect(counting.ops.removes).toBe(0);
  });
});
