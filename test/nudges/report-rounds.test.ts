/**
 * Report rounds through the nudges (issue 10; §3.1 spring): the app's clock walks the working
 * days from 12 April to 21 May 2027 over three regions whose spring dialogue meetings are planned
 * for Thursday 20 May — Vestland (46) with a coordinator, Trøndelag (50) and Møre og Romsdal (15)
 * without one. One person answers for IN in all three regions; SIVA has only its national
 * contact, who names a deputy for Vestland on 26 April; NFR nobody. Each working day at 09:00 the run is triggered over real HTTP; what the
 * fake connector receives is the record of who was told what, when.
 *
 * Worked out by hand: the reports are due 13 May (a week before the meeting); the round opens 20
 * working days before the meeting, Tuesday 20 April (Ascension 6 May and Whit Monday 17 May are
 * holidays); the reminder 10 working days later, Tuesday 4 May; overdue, and the coordinator's
 * word on the round, Friday 14 May.
 */
import { DateTime } from "luxon";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Outbox } from "../../src/app/outbox.js";
import { addDays, isWorkingDay, type IsoDate } from "../../src/domain/calendar.js";
import { DEFAULT_CADENCE } from "../../src/domain/nudges.js";
import type { EventData } from "../../src/domain/events.js";
import type { PostedActivity } from "../support/fake-connector.js";
import { record } from "../support/events.js";
import { cardOf, cardText, startHarness, type Harness, type TeamsUser } from "../support/harness.js";
import { ADMIN, chatOf, chatWith, grant, isDigest, person, reportHubTitle, RUN_KEY, runNudges } from "../support/nudging.js";

const KOORD = person(46, "Vera Vestland");
const IN_CONTACT = person(470, "Ida IN tre regioner");
const SIVA = person(902, "Siri SIVA nasjonalt");
const DEPUTY = person(903, "Dina SIVA-vikar");
const PEOPLE: TeamsUser[] = [KOORD, IN_CONTACT, SIVA, DEPUTY, ADMIN];
const REGIONS = ["46", "50", "15"] as const;

const submitted = (agency: "IN" | "SIVA" | "NFR", date: IsoDate): EventData => ({ type: "follow-up-report-submitted", round: "spring", agency, date });

/** What happens in the regions, by day (recorded before that day's run). */
const EVENTS: Record<IsoDate, Array<[string, EventData]>> = {
  "2027-04-22": [["15", { type: "follow-up-report-waived", round: "spring", agency: "NFR", reason: "Ingen aktivitet i fylket i år" }]],
  "2027-04-28": [["46", submitted("IN", "2027-04-28")]],
  "2027-04-29": [["15", submitted("IN", "2027-04-29")]],
  "2027-05-10": [["15", submitted("SIVA", "2027-05-10")]],
  "2027-05-12": [["50", submitted("SIVA", "2027-05-12")]],
};

interface Card {
  date: IsoDate;
  to: string;
  headings: string[];
  text: string;
  /** Whom Teams refreshes the card for (a report hub names its reader). */
  refreshFor?: string[];
}

/** A digest's item headings; a round's opening (the agency's report hub): its title. */
function headings(p: PostedActivity): string[] {
  const hub = reportHubTitle(p);
  if (hub) return [hub];
  const body = (cardOf(p)?.body ?? []) as Array<{ type: string; items?: Array<{ text?: string }> }>;
  return body.filter((b) => b.type === "Container" && b.items?.[0]?.text).map((b) => b.items![0]!.text!);
}

const who = new Map(PEOPLE.map((p) => [chatOf(p), p.name]));
/** The report round's part of what a person was told: the round's items only (admins hear of much else). */
const aboutReports = (h: string) => h.includes("Oppfølgingsrapport");

describe("a spring report round through the nudges (12 April – 21 May 2027)", () => {
  let h: Harness;
  const cards: Card[] = [];
  const summaries: Array<{ date: IsoDate; summary: any }> = [];
  let now = DateTime.fromISO("2027-04-12T09:00:00", { zone: "Europe/Oslo" });

  beforeAll(async () => {
    h = await startHarness({ NUDGE_RUN_KEY: RUN_KEY, ADMIN_AAD_IDS: ADMIN.aadObjectId! }, { clock: () => now });
    await grant(h, KOORD, { kind: "region-coordinator", regionId: "46" });
    for (const regionId of REGIONS) await grant(h, IN_CONTACT, { kind: "agency-rep", agency: "IN", regionId });
    await grant(h, SIVA, { kind: "agency-rep", agency: "SIVA" });
    for (const p of PEOPLE) await chatWith(h, p);
    await record(h.samhandling.store, "national", 2027, { type: "invitations-sent", meeting: "national-spring", date: "2027-02-01" }, { type: "meeting-held", meeting: "national-spring", date: "2027-03-10" });
    for (const regionId of REGIONS)
      await record(h.samhandling.store, regionId, 2027, { type: "meeting-planned", meeting: "regional-spring", date: "2027-05-20" }, { type: "invitations-sent", meeting: "regional-spring", date: "2027-04-08" });

    let seen = h.connector.posted.length;
    for (let date: IsoDate = "2027-04-12"; date <= "2027-05-21"; date = addDays(date, 1)) {
      now = DateTime.fromISO(`${date}T09:00:00`, { zone: "Europe/Oslo" });
      for (const [regionId, data] of EVENTS[date] ?? []) await record(h.samhandling.store, regionId, 2027, data);
      if (date === "2027-04-26") {
        // SIVA's contact, away in May, names a deputy for Vestland (issue 10: absence).
        const named = await h.samhandling.app.reports.nameDeputy({
          regionId: "46",
          year: 2027,
          round: "spring",
          agency: "SIVA",
          actor: { id: SIVA.aadObjectId!, name: SIVA.name },
          actionId: "00000000-0000-4000-8000-000000000026",
          deputy: { id: DEPUTY.aadObjectId!, name: DEPUTY.name },
        });
        expect(named.kind).toBe("saved");
      }
      summaries.push({ date, summary: await runNudges(h) });
      for (const p of h.connector.posted.slice(seen).filter((p) => isDigest(p) || reportHubTitle(p)))
        cards.push({ date, to: who.get(p.conversationId) ?? p.conversationId, headings: headings(p), text: cardText(cardOf(p)), refreshFor: cardOf(p)?.refresh?.userIds });
      seen = h.connector.posted.length;
    }
  }, 120_000);
  afterAll(async () => h?.close());

  /** Each card about the round sent to `name` on `date`, as its headings about reports. */
  const toldOn = (date: IsoDate, name: string) =>
    cards.filter((c) => c.date === date && c.to === name).map((c) => c.headings.filter(aboutReports)).filter((hs) => hs.length > 0);

  it("§3.1 the round opens on Tuesday 20 April, 20 working days before the meeting; nothing about it before", () => {
    const reportDays = [...new Set(cards.filter((c) => c.to !== DEPUTY.name && c.headings.some(aboutReports)).map((c) => c.date))].sort();
    expect(reportDays[0]).toBe("2027-04-20");
    expect(reportDays).toEqual(["2027-04-20", "2027-05-04", "2027-05-14"]);
    expect(summaries.every((s) => s.summary.deferred === 0 && s.summary.errors === 0 && s.summary.unconfirmed === 0)).toBe(true);
    for (const { date, summary } of summaries) expect(summary.skipped, date).toBe(isWorkingDay(date, DEFAULT_CADENCE.workingDays) ? undefined : "not-a-working-day");
  });

  it("the opening reaches each agency's regional contact, else its national contact, as its report hub: one card per agency and region — three regions, three cards", () => {
    const opening = (region: string, agency: string) => [`Oppfølgingsrapport vår 2027 · ${agency} · ${region}`];
    expect(toldOn("2027-04-20", IN_CONTACT.name).sort()).toEqual([opening("Møre og Romsdal", "Innovasjon Norge"), opening("Trøndelag", "Innovasjon Norge"), opening("Vestland", "Innovasjon Norge")]);
    expect(toldOn("2027-04-20", SIVA.name).sort()).toEqual([opening("Møre og Romsdal", "SIVA"), opening("Trøndelag", "SIVA"), opening("Vestland", "SIVA")]);
    // The coordinator is not an agency: the opening is not hers.
    expect(toldOn("2027-04-20", KOORD.name)).toEqual([]);
    // Each hub refreshes for its reader when opened again (their Teams MRI from the Entra id).
    const hubs = cards.filter((c) => c.date === "2027-04-20" && c.to === IN_CONTACT.name && c.headings.some(aboutReports));
    expect(hubs.map((c) => c.refreshFor)).toEqual(hubs.map(() => [`8:orgid:${IN_CONTACT.aadObjectId}`]));
  });

  it("a deputy named for a round hears of it as the agency's contact does: the report hub at once, the reminder 10 working days later, the overdue notice", () => {
    const toDeputy = cards.filter((c) => c.to === DEPUTY.name).map((c) => `${c.date} ${c.headings.join(" ; ")}`);
    expect(toDeputy).toEqual([
      "2027-04-26 Oppfølgingsrapport vår 2027 · SIVA · Vestland",
      "2027-05-11 🟠 Påminnelse: Oppfølgingsrapport (vår) – SIVA · Vestland",
      "2027-05-14 🔴 Forfalt: Oppfølgingsrapport (vår) – SIVA · Vestland",
    ]);
    // The deputy may write the report, not record the step: the digest opens the hub.
    const reminder = cards.find((c) => c.to === DEPUTY.name && c.date === "2027-05-11")!;
    expect(reminder.text).toContain("Åpne rapporten");
    expect(reminder.text).not.toContain("Rapport levert");
  });

  it("with nobody for NFR anywhere, the admins hear of its three reports in their digest, naming the role nobody holds", () => {
    const [digest, ...more] = cards.filter((c) => c.date === "2027-04-20" && c.to === ADMIN.name);
    expect(more).toEqual([]);
    expect(digest!.headings.filter(aboutReports).sort()).toEqual([
      "🔵 Oppfølgingsrapport (vår) – Forskningsrådet · Møre og Romsdal",
      "🔵 Oppfølgingsrapport (vår) – Forskningsrådet · Trøndelag",
      "🔵 Oppfølgingsrapport (vår) – Forskningsrådet · Vestland",
    ]);
    expect(digest!.text).toContain("Ingen har rollen");
    expect(digest!.text).toMatch(/Forskningsrådet[^.]*Vestland/);
  });

  it("§3.1 the reminder on 4 May goes only to those without a submitted report (and not to an agency marked «will not report»)", () => {
    expect(toldOn("2027-05-04", IN_CONTACT.name)).toEqual([["🟠 Påminnelse: Oppfølgingsrapport (vår) – Innovasjon Norge · Trøndelag"]]);
    expect(toldOn("2027-05-04", SIVA.name).map((hs) => [...hs].sort())).toEqual([
      [
        "🟠 Påminnelse: Oppfølgingsrapport (vår) – SIVA · Møre og Romsdal",
        "🟠 Påminnelse: Oppfølgingsrapport (vår) – SIVA · Trøndelag",
        "🟠 Påminnelse: Oppfølgingsrapport (vår) – SIVA · Vestland",
      ],
    ]);
    expect(toldOn("2027-05-04", ADMIN.name).map((hs) => [...hs].sort())).toEqual([
      ["🟠 Påminnelse: Oppfølgingsrapport (vår) – Forskningsrådet · Trøndelag", "🟠 Påminnelse: Oppfølgingsrapport (vår) – Forskningsrådet · Vestland"],
    ]);
  });

  it("§3.1 overdue on 14 May: the agencies still missing, and the region's coordinator, who also hears who is missing", () => {
    expect(toldOn("2027-05-14", IN_CONTACT.name)).toEqual([["🔴 Forfalt: Oppfølgingsrapport (vår) – Innovasjon Norge · Trøndelag"]]);
    expect(toldOn("2027-05-14", SIVA.name)).toEqual([["🔴 Forfalt: Oppfølgingsrapport (vår) – SIVA · Vestland"]]);
    const [koord, ...more] = cards.filter((c) => c.date === "2027-05-14" && c.to === KOORD.name);
    expect(more).toEqual([]);
    expect(koord!.headings).toEqual([
      "🔴 Forfalt: Oppfølgingsrapport (vår) – Forskningsrådet · Vestland",
      "🔴 Forfalt: Oppfølgingsrapport (vår) – SIVA · Vestland",
      "📋 Etter fristen: Oppfølgingsrapport (vår) · Vestland",
    ]);
    expect(koord!.text).toContain("Fristen var 13. mai 2027. 2 rapporter mangler: SIVA, Forskningsrådet.");
    expect(koord!.text).toContain("Levert: Innovasjon Norge. Svar tas imot, merket som for sent, fram til møtet 20. mai 2027.");
    expect(koord!.text).toContain("Du får dette som regionkoordinator.");
  });

  it("with no coordinator in Trøndelag and Møre og Romsdal the admins get the round's word: who is missing, or that all are in", () => {
    const admin = cards.filter((c) => c.date === "2027-05-14" && c.to === ADMIN.name);
    expect(admin).toHaveLength(1);
    const rounds = admin[0]!.headings.filter((h) => h.includes("Etter fristen"));
    expect(rounds.sort()).toEqual(["✅ Etter fristen: Oppfølgingsrapport (vår) · Møre og Romsdal", "📋 Etter fristen: Oppfølgingsrapport (vår) · Trøndelag"]);
    expect(admin[0]!.text).toContain("Begge rapportene er inne til dialogmøtet 20. mai 2027. Vil ikke rapportere: Forskningsrådet.");
    expect(admin[0]!.text).toContain("2 rapporter mangler: Innovasjon Norge, Forskningsrådet.");
    expect(admin[0]!.text).toContain("Ingen har rollen regionkoordinator for Trøndelag");
  });

  it("the round's word is said once; an agency that answered hears nothing more; every nudge is said once", async () => {
    expect(cards.filter((c) => c.headings.some((h) => h.includes("Etter fristen"))).map((c) => `${c.date} ${c.to}`).sort()).toEqual(["2027-05-14 Anne Admin", "2027-05-14 Vera Vestland"]);
    // IN answered in Vestland on 28 April: after that, nothing about IN in Vestland.
    expect(cards.filter((c) => c.date > "2027-04-28" && c.headings.some((h) => h.includes("Innovasjon Norge · Vestland")))).toEqual([]);
    const sent = summaries.reduce((n, s) => n + s.summary.sent.nudges, 0);
    expect(sent).toBe(summaries.reduce((n, s) => n + s.summary.recorded, 0));
    const { mailboxes } = await new Outbox(h.samhandling.store).all();
    expect(mailboxes.every((m) => m.pending === undefined)).toBe(true);
  });
});

describe("a round's own cards keep the outbox's promise: each once, nothing lost", () => {
  let h: Harness | undefined;
  afterEach(async () => h?.close());

  it("Teams failing after the first of three opening cards: the first is not sent again, the other two go with the next run", async () => {
    h = await startHarness({ CLOCK_NOW: "2027-04-20T09:00:00+02:00", NUDGE_RUN_KEY: RUN_KEY, ADMIN_AAD_IDS: ADMIN.aadObjectId! });
    for (const regionId of REGIONS) await grant(h, IN_CONTACT, { kind: "agency-rep", agency: "IN", regionId });
    await chatWith(h, IN_CONTACT);
    for (const regionId of REGIONS) await record(h.samhandling.store, regionId, 2027, { type: "meeting-planned", meeting: "regional-spring", date: "2027-05-20" }, { type: "invitations-sent", meeting: "regional-spring", date: "2027-04-08" });
    const chat = chatOf(IN_CONTACT);
    let posts = 0;
    h.connector.onPost = (conversationId) => {
      // The second card to IN's contact is throttled past every retry (botbuilder's three, the sender's five).
      if (conversationId === chat && ++posts === 2) h!.connector.postFaults.set(chat, Array.from({ length: 20 }, () => ({ status: 429, code: "Throttled", retryAfter: 0 })));
      return true;
    };
    const openings = () => h!.connector.to(chat).map(reportHubTitle).filter((t) => t !== undefined);

    const first = await runNudges(h);
    expect(first).toMatchObject({ deferred: 1, sent: { cards: 1 } });
    expect(openings()).toHaveLength(1);
    const [already] = openings();
    // The card that went is marked said; the two left wait, unclaimed, for the next run.
    const mailbox = await new Outbox(h.samhandling.store).read({ kind: "person", personId: IN_CONTACT.aadObjectId! });
    expect(Object.keys(mailbox!.said)).toHaveLength(1);
    expect(mailbox!.pending).toMatchObject({ attempts: 1, lastError: "429 Throttled" });
    expect(mailbox!.pending!.items).toHaveLength(2);
    expect(mailbox!.pending!.claim).toBeUndefined();

    h.connector.postFaults.delete(chat);
    const second = await runNudges(h);
    expect(second).toMatchObject({ deferred: 0, recorded: 0, sent: { cards: 2, nudges: 2 } });
    expect(openings()).toHaveLength(3);
    expect(openings().filter((o) => o === already)).toHaveLength(1);
    expect(new Set(openings()).size).toBe(3);
    expect(await runNudges(h)).toMatchObject({ sent: { cards: 0 } });
  });
});

describe("the outbox while a digest's cards go one by one", () => {
  let h: Harness | undefined;
  afterEach(async () => h?.close());

  it("a card marked said keeps the run's claim on the rest while more are on their way; the last one lifts it", async () => {
    h = await startHarness({ CLOCK_NOW: "2027-04-20T09:00:00+02:00" });
    const outbox = new Outbox(h.samhandling.store);
    const to = { kind: "person", personId: IN_CONTACT.aadObjectId! } as const;
    const item = (agency: string) => ({ key: `46|2027|follow-up-report-spring:${agency}|first`, regionId: "46", year: 2027, stepKey: `follow-up-report-spring:${agency}`, stage: "first" as const, reason: "responsible" as const });
    await outbox.record(to, [item("IN"), item("SIVA"), item("NFR")], "2027-04-20");
    const now = new Date().toISOString();
    const until = new Date(Date.now() + 60_000).toISOString();
    expect(await outbox.claim(to, "run-1", now, until)).toBeDefined();
    await outbox.complete(to, [item("IN").key], "sent", "2027-04-20", "run-1", true);
    expect(await outbox.claim(to, "run-2", now, until)).toBeUndefined();
    await outbox.complete(to, [item("SIVA").key], "sent", "2027-04-20", "run-1");
    expect((await outbox.claim(to, "run-2", now, until))?.items.map((i) => i.key)).toEqual([item("NFR").key]);
  });
});
