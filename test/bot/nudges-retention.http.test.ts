/**
 * Issue 13, "Personal data": conversation references of people who left are removed. Teams
 * refusing a conversation (403/404) only marks it unreachable, and the person's nudges wait in
 * their mailbox for a reinstall (issue 11); a reference refused for more than
 * UNREACHABLE_RETENTION_DAYS (90) is removed by the next nudge run with that mailbox, and whoever
 * comes back after that is simply new. One that spoke up in between is never removed.
 */
import { DateTime } from "luxon";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createConversations, UNREACHABLE_RETENTION_DAYS } from "../../src/app/conversations.js";
import { Outbox } from "../../src/app/outbox.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import type { DocumentStore } from "../../src/store/store.js";
import { record } from "../support/events.js";
import { startHarness, type Harness } from "../support/harness.js";
import { ADMIN, botAdded, chatOf, chatWith, digestsTo, grant, person, RUN_KEY, runNudges } from "../support/nudging.js";

const KOORD = person(46, "Vera Vestland");
const VESTLAND_CHANNEL = "19:vestland-retention@thread.tacv2";
const TEAM = "19:team-retention@thread.tacv2";
const SPRING_NOTICE = "46|2027|regional-spring-meeting-convened|first";

/** Day 0 is Thursday 20 May 2027 at 09:00 Oslo time, when Vestland's spring meeting is due to be convened (§4.2). */
const DAY_0 = DateTime.fromISO("2027-05-20T09:00:00", { zone: "Europe/Oslo" });

async function start(options: { koord?: boolean } = {}) {
  let now = DAY_0;
  const h = await startHarness({ NUDGE_RUN_KEY: RUN_KEY, ADMIN_AAD_IDS: ADMIN.aadObjectId! }, { clock: () => now });
  await record(h.samhandling.store, "national", 2027, { type: "meeting-held", meeting: "national-spring", date: "2027-03-10" });
  if (options.koord ?? true) {
    await grant(h, KOORD, { kind: "region-coordinator", regionId: "46" });
    await chatWith(h, KOORD);
  }
  await chatWith(h, ADMIN);
  /** Moves the clock to `days` after day 0, same time of day. */
  const day = (days: number) => {
    now = DAY_0.plus({ days });
  };
  return { h, day };
}

const PERSON = { personId: KOORD.aadObjectId! };
const CHANNEL = { conversationKey: VESTLAND_CHANNEL };
const mailbox = (h: Harness, r: { personId: string } | { conversationKey: string }) =>
  new Outbox(h.samhandling.store).read("personId" in r ? { kind: "person", personId: r.personId } : { kind: "channel", conversationKey: r.conversationKey, regionId: "46" });
const pendingKeys = async (h: Harness, r: { personId: string } | { conversationKey: string }) => (await mailbox(h, r))?.pending?.items.map((i) => i.key) ?? [];
const koord = (h: Harness) => h.samhandling.app.conversations.personal(KOORD.aadObjectId!);

describe(`conversations Teams refused for more than ${UNREACHABLE_RETENTION_DAYS} days`, () => {
  const harnesses: Harness[] = [];
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.close();
  });

  it("a person: kept and marked on day 0 with their nudges pending, still on day 89; removed with the mailbox by the run on day 91; writing on day 92 is a fresh start", async () => {
    const { h, day } = await start();
    harnesses.push(h);
    h.connector.refusing.set(chatOf(KOORD), { status: 403, code: "ConversationBlockedByUser" });

    expect(await runNudges(h)).toMatchObject({ unreachable: 1, errors: 0 });
    expect((await koord(h))?.unreachable).toMatchObject({ status: 403, code: "ConversationBlockedByUser" });
    expect(await pendingKeys(h, PERSON)).toContain(SPRING_NOTICE);
    const oldDigest = (await mailbox(h, PERSON))?.pending?.digestId;

    day(89); // Tuesday 17 August: 89 days refused
    const kept = await runNudges(h);
    expect(kept.expired).toBeUndefined();
    expect((await koord(h))?.unreachable).toMatchObject({ status: 403, at: "2027-05-20T07:00:00.000Z" });
    expect(await pendingKeys(h, PERSON)).toContain(SPRING_NOTICE);

    day(91); // Thursday 19 August: 91 days
    const removed = await runNudges(h);
    expect(removed).toMatchObject({ expired: 1, unreachable: 0, errors: 0 });
    expect(await koord(h)).toBeUndefined();
    // What waited since May is gone. Still holding the role, they are now like anyone the bot has no
    // chat with: today's nudges are kept for them in a new mailbox (issue 11), nothing from before.
    expect(removed.waiting).toBe(1);
    const fresh = await mailbox(h, PERSON);
    expect(fresh?.pending?.digestId).not.toBe(oldDigest);
    expect(fresh?.pending?.createdOn).toBe("2027-08-19");
    expect(await pendingKeys(h, PERSON)).not.toContain(SPRING_NOTICE);
    expect(fresh?.said).toEqual({});

    day(92); // Friday 20 August: they install the app again and write
    h.connector.refusing.delete(chatOf(KOORD));
    const before = h.connector.to(chatOf(KOORD)).length;
    await chatWith(h, KOORD, "status Vestland");
    const reference = await koord(h);
    expect(reference?.unreachable).toBeUndefined();
    expect(reference?.updatedAt).toBe("2027-08-20T07:00:00.000Z");
    // Answered, and an arrival: what was kept for them since yesterday comes at once, once.
    await vi.waitFor(() => expect(digestsTo(h, chatOf(KOORD))).toHaveLength(1), { timeout: 5_000, interval: 20 });
    expect(h.connector.to(chatOf(KOORD)).length).toBe(before + 2);
    expect(Object.keys((await mailbox(h, PERSON))?.said ?? {})).not.toContain(SPRING_NOTICE);
    expect(await runNudges(h)).toMatchObject({ sent: { cards: 0 }, unreachable: 0, waiting: 0, errors: 0 });
    expect(digestsTo(h, chatOf(KOORD))).toHaveLength(1);
  });

  it("a channel the same: its reference and its mailbox removed on day 91; the bot added back is a new channel", async () => {
    const { h, day } = await start({ koord: false });
    harnesses.push(h);
    expect((await botAdded(h, { conversationId: VESTLAND_CHANNEL, conversationType: "channel", teamId: TEAM })).status).toBe(200);
    expect((await h.samhandling.app.people.bind({ id: ADMIN.aadObjectId!, name: ADMIN.name }, VESTLAND_CHANNEL, "46")).kind).toBe("bound");
    h.connector.refusing.set(VESTLAND_CHANNEL, { status: 404, code: "ConversationNotFound" });

    expect(await runNudges(h)).toMatchObject({ unreachable: 1 });
    expect((await h.samhandling.app.conversations.channel(VESTLAND_CHANNEL))?.unreachable).toMatchObject({ status: 404 });
    expect(await pendingKeys(h, CHANNEL)).toContain(SPRING_NOTICE);

    day(89);
    expect((await runNudges(h)).expired).toBeUndefined();
    expect(await h.samhandling.app.conversations.channel(VESTLAND_CHANNEL)).toBeDefined();

    day(91);
    expect(await runNudges(h)).toMatchObject({ expired: 1, errors: 0 });
    expect(await h.samhandling.app.conversations.channel(VESTLAND_CHANNEL)).toBeUndefined();
    expect(await pendingKeys(h, CHANNEL)).not.toContain(SPRING_NOTICE);

    day(92);
    h.connector.refusing.delete(VESTLAND_CHANNEL);
    expect((await botAdded(h, { conversationId: VESTLAND_CHANNEL, conversationType: "channel", teamId: TEAM })).status).toBe(200);
    expect((await h.samhandling.app.conversations.channel(VESTLAND_CHANNEL))?.unreachable).toBeUndefined();
  });

  it("a reference that became reachable again in between is never removed", async () => {
    const { h, day } = await start();
    harnesses.push(h);
    h.connector.refusing.set(chatOf(KOORD), { status: 404, code: "ConversationNotFound" });
    expect(await runNudges(h)).toMatchObject({ unreachable: 1 });

    day(33); // Tuesday 22 June: they write again
    h.connector.refusing.delete(chatOf(KOORD));
    await chatWith(h, KOORD, "status Vestland");
    expect((await koord(h))?.unreachable).toBeUndefined();

    for (const d of [91, 200]) {
      day(d);
      const summary = await runNudges(h);
      expect(summary.expired).toBeUndefined();
      expect(summary).toMatchObject({ unreachable: 0, errors: 0 });
      expect(await koord(h)).toMatchObject({ personId: KOORD.aadObjectId });
    }
  });
});

describe("the retention pass's etag check", () => {
  let store: DocumentStore | undefined;
  afterEach(async () => store?.close());

  it("a reference that speaks up between the listing and the remove is kept, reachable", async () => {
    const real = openSqliteStore(":memory:");
    store = real;
    const day0 = () => DAY_0;
    const address = { serviceUrl: "https://smba.trafficmanager.net/emea/", channelId: "msteams", conversationId: "a:kari", conversationType: "personal" as const, tenantId: "tenant-1", botId: "28:bot" };
    const elsewhere = createConversations(real, () => DAY_0.plus({ days: 91 }));
    let spoke = false;
    // Another instance's turn lands just before the remove: the person wrote to the bot.
    const racing: DocumentStore = Object.assign(Object.create(real) as DocumentStore, {
      remove: async (...args: Parameters<DocumentStore["remove"]>) => {
        if (!spoke) {
          spoke = true;
          await elsewhere.seen({ personId: KOORD.aadObjectId!, address }, true);
        }
        return real.remove(...args);
      },
    });
    const here = createConversations(racing, day0);
    await here.seen({ personId: KOORD.aadObjectId!, address });
    await here.markUnreachable((await here.personal(KOORD.aadObjectId!))!, 403, "ConversationBlockedByUser");
    const result = await here.expireUnreachable(DAY_0.plus({ days: 1 }).toUTC().toISO()!);
    expect(result).toEqual({ removed: [], skipped: 1 });
    expect(spoke).toBe(true);
    expect(await here.personal(KOORD.aadObjectId!)).toMatchObject({ personId: KOORD.aadObjectId });
    expect((await here.personal(KOORD.aadObjectId!))?.unreachable).toBeUndefined();
  });
});
