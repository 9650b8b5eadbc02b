/**
 * Issue 11: nudges reach people who arrive later. "No conversation yet" is not "refused by
 * Teams": what the run found due for someone the bot cannot reach yet is kept for them, told to
 * the channel or the admins meanwhile, and sent to them the same day they install the app or
 * first write — once, whatever the number of instances.
 */
import { DateTime } from "luxon";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Outbox } from "../../src/app/outbox.js";
import { Lease } from "../../src/nudges/lease.js";
import { record } from "../support/events.js";
import { cardOf, startHarness, type Harness } from "../support/harness.js";
import { ADMIN, botAdded, chatOf, chatWith, digestsTo, grant, isDigest, person, RUN_KEY, runNudges, textOf } from "../support/nudging.js";

const KOORD = person(46, "Vera Vestland");
const VESTLAND_CHANNEL = "19:vestland-later@thread.tacv2";
const TEAM = "19:team-later@thread.tacv2";

/** 20 May 2027 at 09:00: the spring dialogue meetings can be convened (invitations by 9 June, §4.2): 15 notices, Vestland's to its coordinator. */
async function springDay(options: { dir?: string; connector?: Harness["connector"]; seed?: boolean } = {}) {
  let now = DateTime.fromISO("2027-05-20T09:00:00", { zone: "Europe/Oslo" });
  const h = await startHarness({ NUDGE_RUN_KEY: RUN_KEY, ADMIN_AAD_IDS: ADMIN.aadObjectId! }, { clock: () => now, ...options });
  if (options.seed ?? true) {
    await record(h.samhandling.store, "national", 2027, { type: "meeting-held", meeting: "national-spring", date: "2027-03-10" });
    await grant(h, KOORD, { kind: "region-coordinator", regionId: "46" });
  }
  return { h, at: (time: string) => (now = DateTime.fromISO(`2027-05-20T${time}`, { zone: "Europe/Oslo" })) };
}

/** The digest posted in the background after a turn: waited for, then a moment more to be sure no second one follows. */
async function digestsAfterArrival(h: Harness, conversationId: string, count = 1) {
  await vi.waitFor(() => expect(digestsTo(h, conversationId)).toHaveLength(count), { timeout: 5_000, interval: 20 });
  await new Promise((resolve) => setTimeout(resolve, 200));
  return digestsTo(h, conversationId);
}

const mailboxOf = (h: Harness, personId: string) => new Outbox(h.samhandling.store).read({ kind: "person", personId });

describe("someone the bot has no conversation with yet", () => {
  const harnesses: Harness[] = [];
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.close();
  });

  it("is not marked unreachable: the run keeps their nudges for them and tells the admins meanwhile", async () => {
    const { h } = await springDay();
    harnesses.push(h);
    await chatWith(h, ADMIN);
    const summary = await runNudges(h);
    expect(summary).toMatchObject({ unreachable: 0, waiting: 1, sent: { cards: 1, nudges: 15 } });
    const kept = await mailboxOf(h, KOORD.aadObjectId!);
    expect(kept?.said).toEqual({});
    expect(kept?.pending?.items.map((i) => i.key)).toEqual(["46|2027|regional-spring-meeting-convened|first"]);
    // Not a failed attempt: nothing was tried.
    expect(kept?.pending).toMatchObject({ attempts: 0, lastError: "no conversation yet" });
    expect(kept?.pending?.claim).toBeUndefined();
    expect(textOf(digestsTo(h, chatOf(ADMIN))[0])).toContain("Sendt hit fordi jeg ikke når Vestland fylkeskommune direkte");
    // The next run tells the admin nothing twice, and still keeps the coordinator's nudge.
    expect(await runNudges(h)).toMatchObject({ waiting: 1, sent: { cards: 0 } });
    expect(digestsTo(h, chatOf(ADMIN))).toHaveLength(1);
  });

  it("installs the app after the daily run: welcomed with what is due, then gets the day's nudge, once", async () => {
    const { h, at } = await springDay();
    harnesses.push(h);
    expect(await runNudges(h)).toMatchObject({ waiting: 2, unreachable: 0, sent: { cards: 0 } });

    at("11:30:00");
    expect((await botAdded(h, { conversationId: chatOf(KOORD), conversationType: "personal", from: KOORD })).status).toBe(200);
    const [digest] = await digestsAfterArrival(h, chatOf(KOORD));
    expect(textOf(digest)).toContain("Innkalling til regionalt vårmøte · Vestland");
    expect(textOf(digest)).toContain("Send innkallingen senest 9. juni 2027");
    // The welcome came first, and says what waits, with Vestland's status one tap away.
    const posted = h.connector.to(chatOf(KOORD));
    expect(posted).toHaveLength(2);
    expect(isDigest(posted[0]!)).toBe(false);
    const welcome = textOf(posted[0]);
    expect(welcome).toContain("Hei! Jeg er Samhandling");
    expect(welcome).toContain("Dette venter på deg nå");
    expect(welcome).toContain("• Innkalling til regionalt vårmøte · Vestland: innen 9. juni 2027");
    expect((cardOf(posted[0]) as { actions: Array<{ title: string; data: { command: string } }> }).actions[0]).toMatchObject({ title: "Status Vestland", data: { command: "status Vestland" } });
    expect((await mailboxOf(h, KOORD.aadObjectId!))?.said["46|2027|regional-spring-meeting-convened|first"]).toEqual({ on: "2027-05-20", outcome: "sent" });

    // The next run says nothing new to them.
    at("14:00:00");
    expect(await runNudges(h)).toMatchObject({ sent: { cards: 0 }, waiting: 1 });
    expect(digestsTo(h, chatOf(KOORD))).toHaveLength(1);
  });

  it("a timer's run that lands while an arrival's delivery holds the lease waits for it, and does not skip the day", async () => {
    const { h } = await springDay();
    harnesses.push(h);
    // An arrival's delivery on another instance, holding the run lease for a moment (as deliverWaiting does).
    const arrival = new Lease(h.samhandling.store, "an-arrival-elsewhere", 60_000);
    expect(await arrival.acquire()).toBe(true);
    setTimeout(() => void arrival.release(), 400);
    const summary = await runNudges(h);
    expect(summary.skipped).toBeUndefined();
    expect(summary).toMatchObject({ waiting: 2, unreachable: 0 });
  });

  it("a run still gives way to a run that holds the lease for longer than the wait: skipped, and said so", async () => {
    const { h } = await springDay();
    harnesses.push(h);
    const other = new Lease(h.samhandling.store, "a-long-run-elsewhere", 60_000);
    expect(await other.acquire()).toBe(true);
    expect(await runNudges(h)).toMatchObject({ skipped: "another-run-holds-the-lease" });
    await other.release();
  });

  it("writes for the first time a minute after the catch-up run (the case reported in the issue): the day's digest comes at once, and a later run sends nothing twice", async () => {
    const { h, at } = await springDay();
    harnesses.push(h);
    // The app started after NUDGE_TIME: the same-day catch-up run finds nobody to talk to.
    at("10:15:00");
    expect(await runNudges(h)).toMatchObject({ waiting: 2, unreachable: 0 });
    at("10:16:00");
    await chatWith(h, ADMIN, "hjelp");
    const [digest] = await digestsAfterArrival(h, chatOf(ADMIN));
    // The 14 regions without a coordinator, and Vestland's, whose coordinator is not reachable yet.
    expect(textOf(digest)).toContain("15 saker");
    expect(textOf(digest)).toContain("Ingen har rollen regionkoordinator for Rogaland ennå");
    // A first message answers what was asked first: the help, then the digest.
    expect(isDigest(h.connector.to(chatOf(ADMIN))[0]!)).toBe(false);
    at("10:30:00");
    expect(await runNudges(h)).toMatchObject({ recorded: 0, sent: { cards: 0 } });
    expect(digestsTo(h, chatOf(ADMIN))).toHaveLength(1);
    // Writing again is no new arrival: nothing more.
    await chatWith(h, ADMIN, "status");
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(digestsTo(h, chatOf(ADMIN))).toHaveLength(1);
  });

  it("arrives in a channel: the app added to a bound team's channel again gets the region's kept nudge", async () => {
    const { h, at } = await springDay();
    harnesses.push(h);
    await chatWith(h, KOORD);
    await chatWith(h, ADMIN);
    // Bound, then the app was removed from the team before the run.
    expect((await botAdded(h, { conversationId: VESTLAND_CHANNEL, conversationType: "channel", teamId: TEAM })).status).toBe(200);
    await h.samhandling.app.people.bind({ id: ADMIN.aadObjectId!, name: ADMIN.name }, VESTLAND_CHANNEL, "46");
    await h.samhandling.app.conversations.forget({ conversationKey: VESTLAND_CHANNEL, teamId: TEAM });
    expect(await runNudges(h)).toMatchObject({ waiting: 1, unreachable: 0 });
    at("12:00:00");
    expect((await botAdded(h, { conversationId: VESTLAND_CHANNEL, conversationType: "channel", teamId: TEAM })).status).toBe(200);
    const [digest] = await digestsAfterArrival(h, VESTLAND_CHANNEL);
    expect(textOf(digest)).toContain("Årshjulet – Vestland");
  });

  it("on a day without nudges (Saturday) the arrival sends nothing; the next working day's run does", async () => {
    let now = DateTime.fromISO("2027-05-22T10:00:00", { zone: "Europe/Oslo" });
    const h = await startHarness({ NUDGE_RUN_KEY: RUN_KEY, ADMIN_AAD_IDS: ADMIN.aadObjectId! }, { clock: () => now });
    harnesses.push(h);
    await record(h.samhandling.store, "national", 2027, { type: "meeting-held", meeting: "national-spring", date: "2027-03-10" });
    await grant(h, KOORD, { kind: "region-coordinator", regionId: "46" });
    now = DateTime.fromISO("2027-05-21T09:00:00", { zone: "Europe/Oslo" });
    expect(await runNudges(h)).toMatchObject({ waiting: 2 });
    now = DateTime.fromISO("2027-05-22T10:00:00", { zone: "Europe/Oslo" });
    await chatWith(h, KOORD);
    expect(await h.samhandling.nudges.reachable({ personId: KOORD.aadObjectId! })).toBeUndefined();
    expect(digestsTo(h, chatOf(KOORD))).toHaveLength(0);
    now = DateTime.fromISO("2027-05-24T09:00:00", { zone: "Europe/Oslo" });
    expect(await runNudges(h)).toMatchObject({ waiting: 1 });
    expect(digestsTo(h, chatOf(KOORD))).toHaveLength(1);
  });
});

describe("two instances on one store", () => {
  const harnesses: Harness[] = [];
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.close();
  });

  it("the person writes to both at once, while both run the nudges: the kept digest is sent once", async () => {
    const first = await springDay();
    harnesses.push(first.h);
    const second = await springDay({ dir: first.h.dir, connector: first.h.connector, seed: false });
    harnesses.push(second.h);
    await chatWith(first.h, ADMIN);
    expect(await runNudges(first.h)).toMatchObject({ waiting: 1 });
    first.h.connector.postDelayMs = 50;
    first.at("11:00:00");
    second.at("11:00:00");
    const koord = { personId: KOORD.aadObjectId! };
    await Promise.all([
      chatWith(first.h, KOORD, "status"),
      chatWith(second.h, KOORD, "hjelp"),
      first.h.samhandling.nudges.reachable(koord),
      second.h.samhandling.nudges.reachable(koord),
      runNudges(first.h),
      runNudges(second.h),
    ]);
    const digests = await digestsAfterArrival(first.h, chatOf(KOORD));
    expect(digests).toHaveLength(1);
    expect(textOf(digests[0])).toContain("Innkalling til regionalt vårmøte · Vestland");
    expect((await mailboxOf(first.h, KOORD.aadObjectId!))?.pending).toBeUndefined();
  });
});
