/**
 * Nudges through real HTTP: the app on port 0, a fake Bot Connector that records what the bot
 * posts, and the run triggered as an external timer would (POST /api/nudges/run).
 */
import { DateTime } from "luxon";
import { afterAll, afterEach, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import { startCosmosEmulator, type CosmosEmulator } from "../support/cosmos-emulator.js";
import { Outbox } from "../../src/app/outbox.js";
import { StoreUnavailableError, type DocumentStore, type StoredDocument } from "../../src/store/store.js";
import { record } from "../support/events.js";
import { startFakeConnector, type FakeConnector } from "../support/fake-connector.js";
import { BOT, cardOf, cardText, startHarness, type Harness } from "../support/harness.js";
import { executeActions, invoke } from "../support/invoke.js";
import { ADMIN, appRemoved, botAdded, chatOf, chatWith, digestsTo, grant, person, RUN_KEY, runNudges, textOf } from "../support/nudging.js";

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

/** A clock the test moves from day to day (the app reads it wherever it needs "now"). */
function movableClock(start: string) {
  let now = DateTime.fromISO(start, { zone: "Europe/Oslo" });
  return {
    clock: () => now,
    to(iso: string) {
      now = DateTime.fromISO(iso, { zone: "Europe/Oslo" });
    },
  };
}

const KOORD = person(46, "Vera Vestland");
const VESTLAND_CHANNEL = "19:vestland-general@thread.tacv2";
const TEAM = "19:team-vestland@thread.tacv2";

/**
 * 20 May 2027: the national spring meeting was held on 10 March, so every region's spring dialogue
 * meeting can be convened; with no date planned the invitations are due 9 June (30 June − 3 weeks,
 * §4.2), and the first notice comes 15 working days before: 19 May.
 */
async function springConvening(env: Record<string, string> = {}, options: { clock?: () => DateTime; dir?: string; connector?: FakeConnector; seed?: boolean } = {}) {
  const harness = await startHarness({ CLOCK_NOW: "2027-05-20T09:00:00+02:00", NUDGE_RUN_KEY: RUN_KEY, ADMIN_AAD_IDS: ADMIN.aadObjectId!, ...env }, options);
  if (options.seed ?? !options.dir) await record(harness.samhandling.store, "national", 2027, { type: "meeting-held", meeting: "national-spring", date: "2027-03-10" });
  return harness;
}

async function bindVestlandChannel(h: Harness) {
  expect((await botAdded(h, { conversationId: VESTLAND_CHANNEL, conversationType: "channel", teamId: TEAM })).status).toBe(200);
  expect((await h.samhandling.app.people.bind({ id: ADMIN.aadObjectId!, name: ADMIN.name }, VESTLAND_CHANNEL, "46")).kind).toBe("bound");
}

describe("nudges to a region (§4.2: the region's leadership convenes the regional meetings)", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("the coordinator and the region's channel are told; the 14 regions without a coordinator go to the admin in one card that names the unassigned role", async () => {
    h = await springConvening();
    await grant(h, KOORD, { kind: "region-coordinator", regionId: "46" });
    await chatWith(h, KOORD);
    await chatWith(h, ADMIN);
    await bindVestlandChannel(h);

    const summary = await runNudges(h);
    expect(summary).toMatchObject({ due: 16, recorded: 16, sent: { cards: 3, nudges: 16 }, unreachable: 0, deferred: 0 });

    const mine = digestsTo(h, chatOf(KOORD));
    expect(mine).toHaveLength(1);
    expect(textOf(mine[0])).toContain("Innkalling til regionalt vårmøte · Vestland");
    expect(textOf(mine[0])).toContain("Send innkallingen senest 9. juni 2027: i god tid, 3 uker før siste mulige møtedag (30. juni 2027)");
    expect(executeActions(cardOf(mine[0])).map((a) => a.verb)).toEqual(["form.open", "form.open", "nudge.snooze", "nudge.snooze"]);

    // Vestland writes nynorsk: the channel's card is in nynorsk, one card for the region.
    const channel = digestsTo(h, VESTLAND_CHANNEL);
    expect(channel).toHaveLength(1);
    expect(textOf(channel[0])).toContain("Årshjulet – Vestland");
    expect(textOf(channel[0])).toContain("Send innkallinga seinast 9. juni 2027");

    const admin = digestsTo(h, chatOf(ADMIN));
    expect(admin).toHaveLength(1);
    expect(textOf(admin[0])).toContain("14 saker");
    expect(textOf(admin[0])).toContain("Ingen har rollen regionkoordinator for Rogaland ennå");
    expect(textOf(admin[0])).toContain("… og 6 til");
    expect(textOf(admin[0])).not.toContain("Vestland");
  });

  it("someone who never chatted with the bot is reached 1:1 through the team where it is installed", async () => {
    h = await springConvening();
    await grant(h, KOORD, { kind: "region-coordinator", regionId: "46" });
    h.connector.members.set(KOORD.id, { id: KOORD.id, name: KOORD.name, aadObjectId: KOORD.aadObjectId! });
    await bindVestlandChannel(h);

    await runNudges(h);
    // Looked up among the team's members by Entra object id, once per team (the admin, who never chatted either, too).
    expect(h.connector.memberLookups.filter((l) => l.endsWith(KOORD.aadObjectId!))).toEqual([`${TEAM} ${KOORD.aadObjectId}`]);
    expect(h.connector.created).toEqual([{ id: "a:opened-1", members: [{ id: KOORD.id, name: "" }], tenantId: "tenant-1" }]);
    expect(digestsTo(h, "a:opened-1")).toHaveLength(1);
    expect(textOf(digestsTo(h, "a:opened-1")[0])).toContain("Innkalling til regionalt vårmøte");
    // The chat is kept: the next nudge goes there without opening another.
    expect((await h.samhandling.app.conversations.personal(KOORD.aadObjectId!))?.address.conversationId).toBe("a:opened-1");
  });

  it.each([
    [403, "BotNotInConversationRoster"],
    [403, "ConversationBlockedByUser"],
    [404, "ConversationNotFound"],
  ])("Teams answers %i %s: tried once, marked unreachable, the nudge goes to the admins instead; writing to the bot again makes the chat reachable and brings what waited, once", async (status, code) => {
    h = await springConvening();
    await grant(h, KOORD, { kind: "region-coordinator", regionId: "46" });
    await chatWith(h, KOORD);
    await chatWith(h, ADMIN);
    h.connector.refusing.set(chatOf(KOORD), { status, code });

    const summary = await runNudges(h);
    expect(summary).toMatchObject({ unreachable: 1, deferred: 0 });
    expect(h.connector.postAttempts.filter((c) => c === chatOf(KOORD))).toHaveLength(1 + 1); // the answer to "hjelp", then the one refused nudge
    expect((await h.samhandling.app.conversations.personal(KOORD.aadObjectId!))?.unreachable).toMatchObject({ status, code });
    const admin = digestsTo(h, chatOf(ADMIN));
    expect(admin).toHaveLength(1);
    expect(textOf(admin[0])).toContain("Sendt hit fordi jeg ikke når Vestland fylkeskommune direkte");
    expect(textOf(admin[0])).toContain("15 saker");

    // Not tried again by the next run while Teams refuses the chat; the admin is not told twice.
    const attempts = h.connector.postAttempts.filter((c) => c === chatOf(KOORD)).length;
    expect(await runNudges(h)).toMatchObject({ sent: { cards: 0 } });
    expect(h.connector.postAttempts.filter((c) => c === chatOf(KOORD))).toHaveLength(attempts);
    expect(digestsTo(h, chatOf(ADMIN))).toHaveLength(1);

    // They install the app again and write: the chat is reachable, and what waited comes at once (issue 11).
    h.connector.refusing.delete(chatOf(KOORD));
    await chatWith(h, KOORD, "status");
    expect((await h.samhandling.app.conversations.personal(KOORD.aadObjectId!))?.unreachable).toBeUndefined();
    const arrived = h;
    await vi.waitFor(() => expect(digestsTo(arrived, chatOf(KOORD))).toHaveLength(1), { timeout: 5_000, interval: 20 });
    expect(textOf(digestsTo(h, chatOf(KOORD))[0])).toContain("Innkalling til regionalt vårmøte");
    expect(await runNudges(h)).toMatchObject({ sent: { cards: 0 } });
    expect(digestsTo(h, chatOf(KOORD))).toHaveLength(1);
  });

  it("a channel Teams no longer knows (404): its region's nudges go to the admins", async () => {
    h = await springConvening();
    await chatWith(h, ADMIN);
    await bindVestlandChannel(h);
    h.connector.refusing.set(VESTLAND_CHANNEL, { status: 404, code: "ConversationNotFound" });
    const summary = await runNudges(h);
    expect(summary).toMatchObject({ unreachable: 1 });
    // 15 regions unassigned, Vestland's among them: one card to the admin, Vestland's nudge in it once.
    const admin = digestsTo(h, chatOf(ADMIN));
    expect(admin).toHaveLength(1);
    expect(textOf(admin[0])).toContain("15 saker");
    const key = "46|2027|regional-spring-meeting-convened|first";
    const outbox = new Outbox(h.samhandling.store);
    expect((await outbox.read({ kind: "person", personId: ADMIN.aadObjectId! }))?.said[key]).toEqual({ on: "2027-05-20", outcome: "sent" });
    // Kept for the channel, should the bot be added back to it.
    expect((await outbox.read({ kind: "channel", conversationKey: VESTLAND_CHANNEL, regionId: "46" }))?.pending?.items.map((i) => i.key)).toContain(key);
    expect((await h.samhandling.app.conversations.channel(VESTLAND_CHANNEL))?.unreachable).toMatchObject({ status: 404, code: "ConversationNotFound" });
    // Not tried again by the next run.
    const attempts = h.connector.postAttempts.filter((c) => c === VESTLAND_CHANNEL).length;
    await runNudges(h);
    expect(h.connector.postAttempts.filter((c) => c === VESTLAND_CHANNEL)).toHaveLength(attempts);
  });
});

describe("installing and removing the bot", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("added to a team: a welcome card saying what it does, how to ask and who the admins are; the channel is kept for nudges; removed: forgotten", async () => {
    h = await startHarness({ ADMIN_AAD_IDS: ADMIN.aadObjectId! });
    await grant(h, KOORD, { kind: "admin" });
    expect((await botAdded(h, { conversationId: VESTLAND_CHANNEL, conversationType: "channel", teamId: TEAM })).status).toBe(200);
    const [welcome, ...more] = h.connector.to(VESTLAND_CHANNEL);
    expect(more).toHaveLength(0);
    const text = textOf(welcome);
    expect(text).toContain("Hei! Jeg er Samhandling");
    expect(text).toContain("«status Vestland»");
    expect(text).toContain("bind Vestland");
    expect(text).toContain("Administratorer: Vera Vestland og 1 til som ikke har skrevet til meg ennå.");
    const kept = await h.samhandling.app.conversations.channel(VESTLAND_CHANNEL);
    expect(kept).toMatchObject({ teamId: TEAM, address: { conversationId: VESTLAND_CHANNEL, conversationType: "channel", serviceUrl: h.connector.url } });

    expect((await appRemoved(h, { conversationId: VESTLAND_CHANNEL, conversationType: "channel" })).status).toBe(200);
    expect(await h.samhandling.app.conversations.channel(VESTLAND_CHANNEL)).toBeUndefined();
  });

  it("added to a group chat (installationUpdate, then the bot as a member): kept under the chat's key, welcomed once; removed as a member: forgotten", async () => {
    h = await startHarness();
    const group = "19:group-chat-1@thread.v2";
    const installed = await h.post({
      type: "installationUpdate",
      action: "add",
      id: "install-1",
      channelId: "msteams",
      serviceUrl: h.connector.url,
      conversation: { id: group, conversationType: "groupChat", tenantId: "tenant-1", isGroup: true },
      from: KOORD,
      recipient: BOT,
    });
    expect(installed.status).toBe(200);
    expect(await h.samhandling.app.conversations.channel(group)).toMatchObject({ conversationKey: group, address: { conversationType: "groupChat", conversationId: group } });
    expect((await botAdded(h, { conversationId: group, conversationType: "groupChat", from: KOORD })).status).toBe(200);
    expect(h.connector.to(group).map(textOf).filter((t) => t.includes("Hei! Jeg er Samhandling"))).toHaveLength(1);

    const removed = await h.post({
      type: "conversationUpdate",
      id: "removed-1",
      channelId: "msteams",
      serviceUrl: h.connector.url,
      conversation: { id: group, conversationType: "groupChat", tenantId: "tenant-1", isGroup: true },
      from: KOORD,
      recipient: BOT,
      membersRemoved: [{ id: BOT.id }],
    });
    expect(removed.status).toBe(200);
    expect(await h.samhandling.app.conversations.channel(group)).toBeUndefined();
  });

  it("installed personally: welcomed in the person's language, and the chat is kept under their Entra id", async () => {
    h = await startHarness();
    const chat = chatOf(KOORD);
    expect((await botAdded(h, { conversationId: chat, conversationType: "personal", from: KOORD, locale: "en-GB" })).status).toBe(200);
    expect(textOf(h.connector.to(chat)[0])).toContain("Hello! I am Samhandling");
    expect(textOf(h.connector.to(chat)[0])).toContain("No administrator is set up yet");
    expect((await h.samhandling.app.conversations.personal(KOORD.aadObjectId!))?.address.conversationId).toBe(chat);
  });

  it("an incoming message from a new serviceUrl moves the reference there", async () => {
    h = await startHarness();
    await chatWith(h, KOORD);
    const moved = await startFakeConnector();
    onTestFinished(() => moved.close());
    const other = moved.url;
    const { status } = await h.post({
      type: "message",
      id: "m-1",
      channelId: "msteams",
      serviceUrl: other,
      conversation: { id: chatOf(KOORD), conversationType: "personal", tenantId: "tenant-1" },
      from: KOORD,
      recipient: BOT,
      text: "status",
    });
    expect(status).toBe(200);
    expect((await h.samhandling.app.conversations.personal(KOORD.aadObjectId!))?.address.serviceUrl).toBe(other);
  });
});

describe("snoozing a nudge", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("until a date from the 1:1 card: that person hears nothing of the step until then, the channel still does; afterwards the reminder comes", async () => {
    const time = movableClock("2027-05-20T09:00:00");
    h = await springConvening({}, { clock: time.clock });
    await grant(h, KOORD, { kind: "region-coordinator", regionId: "46" });
    await chatWith(h, KOORD);
    await bindVestlandChannel(h);
    await runNudges(h);
    const [first] = digestsTo(h, chatOf(KOORD));
    const [byDate] = executeActions(cardOf(first)).filter((a) => a.verb === "nudge.snooze" && a.data.for === "date");
    const me = { aadObjectId: KOORD.aadObjectId!, name: KOORD.name, conversationId: chatOf(KOORD) };

    // Bad dates are named, and nothing is snoozed.
    const missing = await invoke(h, me, "nudge.snooze", { ...byDate!.data });
    expect(cardText(missing.card)).toContain("Velg en dato å utsette til");
    const tooFar = await invoke(h, me, "nudge.snooze", { ...byDate!.data, [byDate!.data.dateField]: "2027-12-01" });
    expect(cardText(tooFar.card)).toContain("Datoen må ligge mellom 21. mai 2027 og 20. august 2027.");

    const snoozed = await invoke(h, me, "nudge.snooze", { ...byDate!.data, [byDate!.data.dateField]: "2027-06-04" });
    expect(snoozed.status).toBe(200);
    expect(cardText(snoozed.card)).toContain("Utsatt til og med 4. juni 2027: Innkalling til regionalt vårmøte");

    // 3 June: the reminder (10 working days after the first notice went out, 20 May) — to the channel only.
    time.to("2027-06-02T09:00:00");
    await runNudges(h);
    expect(digestsTo(h, VESTLAND_CHANNEL).map(textOf).join("\n")).not.toContain("Påminning: Innkalling til regionalt vårmøte");
    time.to("2027-06-03T09:00:00");
    await runNudges(h);
    expect(digestsTo(h, chatOf(KOORD))).toHaveLength(1);
    expect(digestsTo(h, VESTLAND_CHANNEL).map(textOf).at(-1)).toContain("Påminning: Innkalling til regionalt vårmøte");

    // 7 June, the snooze over: the reminder reaches the coordinator too, once.
    time.to("2027-06-07T09:00:00");
    await runNudges(h);
    await runNudges(h);
    const mine = digestsTo(h, chatOf(KOORD));
    expect(mine).toHaveLength(2);
    expect(textOf(mine[1])).toContain("Påminnelse: Innkalling til regionalt vårmøte");
  });

  it("in the channel only who may record the step (or an admin) may snooze it for everyone", async () => {
    h = await springConvening();
    await grant(h, KOORD, { kind: "region-coordinator", regionId: "46" });
    await bindVestlandChannel(h);
    await runNudges(h);
    const [week] = executeActions(cardOf(digestsTo(h, VESTLAND_CHANNEL)[0])).filter((a) => a.verb === "nudge.snooze" && a.data.for === "week");
    const viewer = await invoke(h, { aadObjectId: person(7, "Vidar Viewer").aadObjectId!, conversationId: VESTLAND_CHANNEL, conversationType: "channel" }, "nudge.snooze", week!.data);
    expect(cardText(viewer.card)).toContain("Bare den som har ansvaret for steget, eller en administrator, kan utsette det for hele kanalen.");
    const outbox = new Outbox(h.samhandling.store);
    const channel = { kind: "channel" as const, conversationKey: VESTLAND_CHANNEL, regionId: "46" };
    expect((await outbox.read(channel))?.snoozed).toEqual({});
    const koord = await invoke(h, { aadObjectId: KOORD.aadObjectId!, conversationId: VESTLAND_CHANNEL, conversationType: "channel" }, "nudge.snooze", week!.data);
    expect(cardText(koord.card)).toContain("Utsatt til og med 27. mai 2027 i denne kanalen");
    expect((await outbox.read(channel))?.snoozed).toEqual({ "46|2027|regional-spring-meeting-convened": "2027-05-27" });
  });
});

describe("delivery under Teams' throttling and failures", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function threeRecipients() {
    h = await springConvening();
    await grant(h, KOORD, { kind: "region-coordinator", regionId: "46" });
    await chatWith(h, KOORD);
    await chatWith(h, ADMIN);
    await bindVestlandChannel(h);
    return h;
  }

  it("429 with Retry-After, 500, 412, 502, 503 and 504 on a slow connector: every digest arrives exactly once", async () => {
    const h = await threeRecipients();
    h.connector.postDelayMs = 100;
    h.connector.postFaults.set("*", [
      { status: 429, code: "Throttled", retryAfter: 1 },
      { status: 500 },
      { status: 412, code: "PreconditionFailed" },
      { status: 502 },
      { status: 503, retryAfter: 0 },
      { status: 504 },
    ]);
    const before = h.connector.postAttempts.length;
    const summary = await runNudges(h);
    expect(summary).toMatchObject({ sent: { cards: 3, nudges: 16 }, unreachable: 0, deferred: 0, rejected: 0 });
    for (const conversation of [chatOf(KOORD), chatOf(ADMIN), VESTLAND_CHANNEL]) expect(digestsTo(h, conversation)).toHaveLength(1);
    expect(h.connector.postAttempts.length - before).toBe(3 + 6);
    expect(h.connector.postFaults.get("*")).toEqual([]);
  }, 30_000);

  it("throttled past every retry: the digest stays in the outbox and the next run sends it, once", async () => {
    const h = await threeRecipients();
    // botbuilder retries a 429 three times itself, the sender five times: 20 refusals in all.
    h.connector.postFaults.set(chatOf(KOORD), Array.from({ length: 20 }, () => ({ status: 429, code: "Throttled", retryAfter: 0 })));
    const first = await runNudges(h);
    expect(first).toMatchObject({ sent: { cards: 2 }, deferred: 1 });
    expect(digestsTo(h, chatOf(KOORD))).toHaveLength(0);
    const pending = (await new Outbox(h.samhandling.store).read({ kind: "person", personId: KOORD.aadObjectId! }))?.pending;
    expect(pending).toMatchObject({ attempts: 1, lastError: "429 Throttled", items: [{ key: "46|2027|regional-spring-meeting-convened|first" }] });
    expect(pending?.claim).toBeUndefined();

    const second = await runNudges(h);
    expect(second).toMatchObject({ recorded: 0, sent: { cards: 1, nudges: 1 }, deferred: 0 });
    expect(digestsTo(h, chatOf(KOORD))).toHaveLength(1);
    expect(digestsTo(h, chatOf(ADMIN))).toHaveLength(1);
  });

  it("Teams refuses the card itself (400): logged, not retried, not sent again", async () => {
    const h = await threeRecipients();
    h.connector.postFaults.set(chatOf(KOORD), [{ status: 400, code: "BadArgument" }]);
    expect(await runNudges(h)).toMatchObject({ rejected: 1, deferred: 0 });
    expect(await runNudges(h)).toMatchObject({ rejected: 0, sent: { cards: 0 } });
    expect(h.connector.postAttempts.filter((c) => c === chatOf(KOORD))).toHaveLength(2); // "hjelp", and the refused card once
  });
});

describe("several instances on one store", () => {
  const harnesses: Harness[] = [];
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.close();
  });

  it("two instances triggered at the same moment send every digest once (the lease and the outbox's claims)", async () => {
    const first = await springConvening();
    harnesses.push(first);
    const second = await springConvening({}, { dir: first.dir, connector: first.connector });
    harnesses.push(second);
    await grant(first, KOORD, { kind: "region-coordinator", regionId: "46" });
    await chatWith(first, KOORD);
    await chatWith(first, ADMIN);
    await bindVestlandChannel(first);
    first.connector.postDelayMs = 50;

    const summaries = await Promise.all([runNudges(first), runNudges(second), runNudges(first), runNudges(second)]);
    // A trigger on an instance whose run is under way joins it (and gets its summary); across instances the lease decides.
    expect(summaries.every((s) => s.deferred === 0 && s.errors === 0 && s.unconfirmed === 0)).toBe(true);
    for (const conversation of [chatOf(KOORD), chatOf(ADMIN), VESTLAND_CHANNEL]) expect(digestsTo(first, conversation)).toHaveLength(1);
  });
});

describe("on Azure Cosmos DB (the in-process emulator)", () => {
  let emulator: CosmosEmulator;
  const harnesses: Harness[] = [];
  beforeAll(async () => {
    emulator = await startCosmosEmulator();
  });
  afterEach(async () => {
    for (const h of harnesses.splice(0)) await h.close();
  });
  afterAll(async () => emulator?.close());

  it("the region's nudges, once, with two instances triggered together; running again says nothing new", async () => {
    const env = { STORE: "cosmos", COSMOS_ENDPOINT: emulator.endpoint, COSMOS_KEY: emulator.key, COSMOS_DATABASE: "nudges-two-instances" };
    const first = await springConvening(env);
    harnesses.push(first);
    const second = await springConvening(env, { connector: first.connector, seed: false });
    harnesses.push(second);
    await grant(first, KOORD, { kind: "region-coordinator", regionId: "46" });
    await chatWith(first, KOORD);
    await chatWith(first, ADMIN);
    await bindVestlandChannel(first);
    first.connector.postDelayMs = 30;

    const summaries = await Promise.all([runNudges(first), runNudges(second)]);
    expect(summaries.reduce((n, s) => n + s.sent.cards, 0)).toBe(3);
    expect(summaries.reduce((n, s) => n + s.sent.nudges, 0)).toBe(16);
    for (const conversation of [chatOf(KOORD), chatOf(ADMIN), VESTLAND_CHANNEL]) expect(digestsTo(first, conversation)).toHaveLength(1);
    expect(textOf(digestsTo(first, VESTLAND_CHANNEL)[0])).toContain("Send innkallinga seinast 9. juni 2027");
    expect(await runNudges(second)).toMatchObject({ due: 16, recorded: 0, sent: { cards: 0 } });
  });
});

/** A store that fails the next writes that match (as a passing outage would), and passes everything else through. */
function failingWrites(inner: DocumentStore) {
  const rules: Array<{ match: (doc: StoredDocument) => boolean; times: number }> = [];
  const store: DocumentStore = {
    kind: inner.kind,
    read: (key) => inner.read(key),
    readMany: (keys) => inner.readMany(keys),
    async write(doc, precondition) {
      const rule = rules.find((r) => r.times > 0 && r.match(doc));
      if (rule) {
        rule.times--;
        throw new StoreUnavailableError("injected: the store is unavailable");
      }
      return inner.write(doc, precondition);
    },
    remove: (key, precondition) => inner.remove(key, precondition),
    list: (type, partition) => inner.list(type, partition),
    close: () => inner.close(),
  };
  return { store, failNext: (match: (doc: StoredDocument) => boolean, times = 1) => rules.push({ match, times }) };
}

const mailboxOf = (personId: string) => (doc: StoredDocument) => doc.type === "mailbox" && (doc.recipient as { personId?: string }).personId === personId;

describe("when things go wrong", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function staffed(wrap?: (store: DocumentStore) => DocumentStore, env: Record<string, string> = {}) {
    h = await startHarness({ CLOCK_NOW: "2027-05-20T09:00:00+02:00", NUDGE_RUN_KEY: RUN_KEY, ADMIN_AAD_IDS: ADMIN.aadObjectId!, ...env }, wrap ? { wrapStore: wrap } : {});
    await record(h.samhandling.store, "national", 2027, { type: "meeting-held", meeting: "national-spring", date: "2027-03-10" });
    await grant(h, KOORD, { kind: "region-coordinator", regionId: "46" });
    await chatWith(h, KOORD);
    await chatWith(h, ADMIN);
    return h;
  }

  it("a second trigger while a run is under way in the same process joins it: one run, each card once", async () => {
    const h = await staffed();
    h.connector.postDelayMs = 150;
    const [a, b] = await Promise.all([runNudges(h), runNudges(h)]);
    expect(b).toEqual(a);
    expect(a).toMatchObject({ sent: { cards: 2, nudges: 15 } });
    expect(digestsTo(h, chatOf(KOORD))).toHaveLength(1);
    expect(digestsTo(h, chatOf(ADMIN))).toHaveLength(1);
  });

  it("a post Teams never answers does not hold the run (or the lease) for good: given up after the timeout, sent by the next run", async () => {
    const h = await staffed(undefined, { NUDGE_LEASE_SECONDS: "4" });
    let hold = true;
    h.connector.onPost = (conversationId) => !(hold && conversationId === chatOf(KOORD));
    const first = await runNudges(h);
    expect(first).toMatchObject({ sent: { cards: 1 }, deferred: 1 });
    hold = false;
    const second = await runNudges(h);
    expect(second).toMatchObject({ sent: { cards: 1, nudges: 1 }, deferred: 0 });
    expect(digestsTo(h, chatOf(KOORD))).toHaveLength(1);
  }, 20_000);

  it("the store fails while handing an unreachable person's nudges to the admin: nothing is lost, the admin gets them once", async () => {
    let faults!: ReturnType<typeof failingWrites>;
    const h = await staffed((store) => (faults = failingWrites(store)).store);
    h.connector.refusing.set(chatOf(KOORD), { status: 403, code: "BotNotInConversationRoster" });
    // The admin's own digest is recorded first; the second write to the admin's mailbox is the handover.
    let adminWrites = 0;
    faults.failNext((doc) => mailboxOf(ADMIN.aadObjectId!)(doc) && ++adminWrites === 2);
    const first = await runNudges(h);
    expect(first.errors).toBe(1);
    // Not given up on: the coordinator's nudge is still pending, not marked unreachable.
    expect((await new Outbox(h.samhandling.store).read({ kind: "person", personId: KOORD.aadObjectId! }))?.pending?.items).toHaveLength(1);
    const second = await runNudges(h);
    expect(second).toMatchObject({ unreachable: 1, errors: 0 });
    const told = digestsTo(h, chatOf(ADMIN)).map(textOf).join("\n");
    expect(told.match(/Sendt hit fordi jeg ikke når Vestland fylkeskommune direkte/g)).toHaveLength(1);
  });

  it("'sent' cannot be written at once after Teams took the card: written on a retry, the card is not sent again", async () => {
    let faults!: ReturnType<typeof failingWrites>;
    const h = await staffed((store) => (faults = failingWrites(store)).store);
    let koordWrites = 0;
    // record (1), claim (2), then the first try to write "sent" (3) fails.
    faults.failNext((doc) => mailboxOf(KOORD.aadObjectId!)(doc) && ++koordWrites === 3);
    expect(await runNudges(h)).toMatchObject({ sent: { cards: 2 }, unconfirmed: 0, errors: 0 });
    expect(await runNudges(h)).toMatchObject({ sent: { cards: 0 } });
    expect(digestsTo(h, chatOf(KOORD))).toHaveLength(1);
  });

  it("one recipient's mailbox cannot be written: the others still get their cards, and that one the next run", async () => {
    let faults!: ReturnType<typeof failingWrites>;
    const h = await staffed((store) => (faults = failingWrites(store)).store);
    faults.failNext(mailboxOf(KOORD.aadObjectId!));
    const first = await runNudges(h);
    expect(first).toMatchObject({ errors: 1, sent: { cards: 1, nudges: 14 } });
    expect(digestsTo(h, chatOf(KOORD))).toHaveLength(0);
    expect(await runNudges(h)).toMatchObject({ errors: 0, sent: { cards: 1, nudges: 1 } });
    expect(digestsTo(h, chatOf(KOORD))).toHaveLength(1);
  });

  it("Teams refuses the bot itself (401): the run stops at once and keeps everything; once fixed, everything goes, once", async () => {
    const h = await staffed();
    h.connector.postFaults.set("*", [{ status: 401, code: "Unauthorized" }]);
    const first = await runNudges(h);
    expect(first.halted).toMatch(/401 Unauthorized/);
    expect(first.sent.cards).toBe(0);
    expect(first.rejected).toBe(0);
    const second = await runNudges(h);
    expect(second).toMatchObject({ sent: { cards: 2, nudges: 15 } });
    expect(second.halted).toBeUndefined();
    expect(digestsTo(h, chatOf(KOORD))).toHaveLength(1);
  });

  it("a channel bound to another region since its last card speaks for the new region", async () => {
    h = await springConvening();
    await bindVestlandChannel(h);
    const admin = { id: ADMIN.aadObjectId!, name: ADMIN.name };
    await h.samhandling.app.people.bind(admin, VESTLAND_CHANNEL, "11");
    await runNudges(h);
    await h.samhandling.app.people.bind(admin, VESTLAND_CHANNEL, "46");
    // Rogaland's card first; then, bound to Vestland, Vestland's (in nynorsk) — not under Rogaland's name.
    expect(textOf(digestsTo(h, VESTLAND_CHANNEL)[0])).toContain("Årshjulet – Rogaland");
    await runNudges(h);
    const cards = digestsTo(h, VESTLAND_CHANNEL);
    expect(cards).toHaveLength(2);
    expect(textOf(cards[1])).toContain("Årshjulet – Vestland");
    expect(textOf(cards[1])).toContain("Send innkallinga seinast");
  });

  it("snoozing bad data: a date that is none, a year no card is about, a step already done — each named, nothing stored", async () => {
    h = await springConvening();
    await grant(h, KOORD, { kind: "region-coordinator", regionId: "46" });
    await chatWith(h, KOORD);
    await runNudges(h);
    const [byDate] = executeActions(cardOf(digestsTo(h, chatOf(KOORD))[0])).filter((a) => a.verb === "nudge.snooze" && a.data.for === "date");
    const me = { aadObjectId: KOORD.aadObjectId!, name: KOORD.name, conversationId: chatOf(KOORD) };
    expect(cardText((await invoke(h, me, "nudge.snooze", { ...byDate!.data, [byDate!.data.dateField]: "2027-02-30" })).card)).toContain("«2027-02-30» er ikke en dato");
    expect(cardText((await invoke(h, me, "nudge.snooze", { ...byDate!.data, for: "week", year: 2999 })).card)).toContain("Denne handlingen finnes ikke");
    expect(cardText((await invoke(h, me, "nudge.snooze", { ...byDate!.data, for: "week", stepKey: "national-spring-meeting-held", regionId: "national" })).card)).toContain(
      "Nasjonalt temamøte vår er registrert eller ikke aktuelt lenger",
    );
    expect((await invoke(h, me, "nudge.snooze", { ...byDate!.data, for: "sometimes" })).status).toBe(200);
    expect((await new Outbox(h.samhandling.store).read({ kind: "person", personId: KOORD.aadObjectId! }))?.snoozed).toEqual({});
  });
});

describe("POST /api/nudges/run, the door", () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it("checks the key before reading anything: a bad body without the key is 401; the scheme is case-insensitive", async () => {
    h = await startHarness({ NUDGE_RUN_KEY: RUN_KEY, CLOCK_NOW: "2027-05-22T09:00:00+02:00" });
    const bad = await fetch(`${h.url}/api/nudges/run`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
    expect(bad.status).toBe(401);
    const lower = await fetch(`${h.url}/api/nudges/run`, { method: "POST", headers: { authorization: `bearer ${RUN_KEY}` } });
    expect(lower.status).toBe(200);
    // 22 May 2027 is a Saturday.
    expect(await lower.json()).toMatchObject({ date: "2027-05-22", skipped: "not-a-working-day" });
  });
});
