/**
 * Conversation references over a real SQLite store: kept without a write per turn, refreshed when
 * something the bot posts by changes, made reachable again by the next activity even when another
 * instance marked them unreachable, and forgotten with their team.
 */
import { DateTime } from "luxon";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createConversations } from "../../src/app/conversations.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import type { DocumentStore } from "../../src/store/store.js";
import { countingStore } from "../support/store-ops.js";

const clock = () => DateTime.fromISO("2027-03-17T10:00:00+01:00");
const KARI = "00000000-0000-0000-0000-0000000000a1";
const address = (conversationId: string, serviceUrl = "https://smba.trafficmanager.net/emea/", conversationType: "personal" | "channel" = "personal") => ({
  serviceUrl,
  channelId: "msteams",
  conversationId,
  conversationType,
  tenantId: "tenant-1",
  botId: "28:bot",
});

describe("conversation references", () => {
  let store: DocumentStore;
  beforeEach(() => {
    store = openSqliteStore(":memory:");
  });
  afterEach(async () => store.close());

  it("a person writing again and again costs one write; a new serviceUrl, a new locale or time passing writes again", async () => {
    const counting = countingStore(store);
    let now = 0;
    const conversations = createConversations(counting.store, clock, { rememberMs: 60_000, now: () => now });
    for (let i = 0; i < 5; i++) await conversations.seen({ personId: KARI, address: address("a:kari"), locale: "nb-NO" });
    expect(counting.ops.writes).toBe(1);
    await conversations.seen({ personId: KARI, address: address("a:kari", "https://smba.trafficmanager.net/no/"), locale: "nb-NO" });
    await conversations.seen({ personId: KARI, address: address("a:kari", "https://smba.trafficmanager.net/no/"), locale: "nn-NO" });
    expect(counting.ops.writes).toBe(3);
    expect((await conversations.personal(KARI))?.locale).toBe("nn-NO");
    now = 61_000;
    await conversations.seen({ personId: KARI, address: address("a:kari", "https://smba.trafficmanager.net/no/"), locale: "nn-NO" });
    expect(counting.ops.writes).toBe(4);
  });

  it("in a channel, members writing from different Teams locales do not rewrite the reference (its language is the region's)", async () => {
    const counting = countingStore(store);
    const conversations = createConversations(counting.store, clock);
    const channel = "19:vestland@thread.tacv2";
    for (const locale of ["nb-NO", "nn-NO", "en-GB", "nb-NO"]) await conversations.seen({ conversationKey: channel, address: address(channel, undefined, "channel"), locale });
    expect(counting.ops.writes).toBe(1);
    expect((await conversations.channel(channel))?.locale).toBeUndefined();
  });

  it("marked unreachable by another instance: the next activity after a while (or an install) makes it reachable again here too", async () => {
    let now = 0;
    const here = createConversations(store, clock, { rememberMs: 60_000, now: () => now });
    const there = createConversations(store, clock);
    await here.seen({ personId: KARI, address: address("a:kari") });
    await there.markUnreachable((await there.personal(KARI))!, 403, "ConversationBlockedByUser");
    // Within the while, this instance trusts what it wrote: one write per conversation, not per turn.
    await here.seen({ personId: KARI, address: address("a:kari") });
    expect((await here.personal(KARI))?.unreachable).toMatchObject({ status: 403 });
    now = 61_000;
    await here.seen({ personId: KARI, address: address("a:kari") });
    expect((await here.personal(KARI))?.unreachable).toBeUndefined();
    await there.markUnreachable((await there.personal(KARI))!, 404, "ConversationNotFound");
    await here.seen({ personId: KARI, address: address("a:kari") }, true);
    expect((await here.personal(KARI))?.unreachable).toBeUndefined();
  });

  it("removed from a team: every channel of that team is forgotten, other teams' stay", async () => {
    const conversations = createConversations(store, clock);
    for (const [channel, teamId] of [["19:general-a@thread.tacv2", "team-a"], ["19:vestland-a@thread.tacv2", "team-a"], ["19:general-b@thread.tacv2", "team-b"]] as const) {
      await conversations.seen({ conversationKey: channel, teamId, address: address(channel, undefined, "channel") });
    }
    await conversations.forget({ conversationKey: "19:general-a@thread.tacv2", teamId: "team-a" });
    expect((await conversations.shared()).map((c) => c.conversationKey)).toEqual(["19:general-b@thread.tacv2"]);
  });
});
