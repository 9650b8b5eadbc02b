/**
 * A year of nudges: the app's clock walks day by day from 1 January 2027 to 31 January 2028 over a
 * store where Vestland is fully staffed and the work gets done, mostly in time, as the seed's
 * wheel says (§1, §2.1, §3.1, §3.2, §3.3, §4.1, §4.2); the other 14 regions have nobody, so
 * their nudges go to the admin. Each working day at 09:00 the run is triggered over real HTTP,
 * as an external timer would; what the fake connector receives is the record of who was told
 * what, when.
 */
import { DateTime } from "luxon";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Outbox } from "../../src/app/outbox.js";
import { addDays, isWorkingDay, type IsoDate } from "../../src/domain/calendar.js";
import { DEFAULT_CADENCE } from "../../src/domain/nudges.js";
import type { PostedActivity } from "../support/fake-connector.js";
import { cardOf, startHarness, type Harness, type TeamsUser } from "../support/harness.js";
import { record } from "../support/events.js";
import { VESTLAND_YEAR } from "../support/vestland-year.js";
import { ADMIN, botAdded, chatOf, chatWith, grant, isDigest, person, reportHubTitle, RUN_KEY, runNudges } from "../support/nudging.js";

const RUK = person(1, "Rut RUK");
const KOORD = person(46, "Vera Vestland");
const IN46 = person(461, "Ingrid IN Vestland");
const SIVA46 = person(462, "Sigurd SIVA Vestland");
const NFR46 = person(463, "Nora NFR Vestland");
const IN = person(901, "Ivar IN nasjonalt");
const SIVA = person(902, "Siri SIVA nasjonalt");
const NFR = person(903, "Nils NFR nasjonalt");
const CHANNEL = "19:vestland@thread.tacv2";
const PEOPLE: TeamsUser[] = [RUK, KOORD, IN46, SIVA46, NFR46, IN, SIVA, NFR, ADMIN];
/**
 * Issue 11: Rogaland's coordinator holds the role from the start but first writes to the bot on
 * 10 March 2027, an hour after that day's run: until then the nudges are kept for them (and told
 * to the admin), and that morning what is still due reaches them, once, in one card.
 */
const LATE = person(11, "Rune Rogaland");
const ARRIVES: IsoDate = "2027-03-10";


interface Told {
  date: IsoDate;
  to: string;
  headings: string[];
}

/**
 * The item headings of a digest card, in order ("🔵 Innkalling til regionalt vårmøte · Vestland");
 * of a report round's opening, the report hub's title ("Oppfølgingsrapport vår 2027 · SIVA · Vestland").
 */
function headings(p: PostedActivity): string[] {
  const hub = reportHubTitle(p);
  if (hub) return [hub];
  const body = (cardOf(p)?.body ?? []) as Array<{ type: string; items?: Array<{ text?: string }> }>;
  return body.filter((b) => b.type === "Container" && b.items?.[0]?.text).map((b) => b.items![0]!.text!);
}

const who = new Map<string, string>([...[...PEOPLE, LATE].map((p) => [chatOf(p), p.name] as [string, string]), [CHANNEL, "#vestland"]]);

describe("a year of nudges, day by day (1 January 2027 – 31 January 2028)", () => {
  let h: Harness;
  const told: Told[] = [];
  const summaries: Array<{ date: IsoDate; summary: any }> = [];
  let now = DateTime.fromISO("2027-01-01T09:00:00", { zone: "Europe/Oslo" });
  /** What was sent to someone who just became reachable (the log's summaries): not in a run's summary. */
  const arrivals: any[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void (line.includes("just became reachable") && arrivals.push(JSON.parse(line).summary)) });

  beforeAll(async () => {
    h = await startHarness({ NUDGE_RUN_KEY: RUN_KEY, ADMIN_AAD_IDS: ADMIN.aadObjectId! }, { clock: () => now, logger });
    await grant(h, RUK, { kind: "national-coordinator" });
    await grant(h, KOORD, { kind: "region-coordinator", regionId: "46" });
    await grant(h, IN46, { kind: "agency-rep", agency: "IN", regionId: "46" });
    await grant(h, SIVA46, { kind: "agency-rep", agency: "SIVA", regionId: "46" });
    await grant(h, NFR46, { kind: "agency-rep", agency: "NFR", regionId: "46" });
    await grant(h, IN, { kind: "agency-rep", agency: "IN" });
    await grant(h, SIVA, { kind: "agency-rep", agency: "SIVA" });
    await grant(h, NFR, { kind: "agency-rep", agency: "NFR" });
    await grant(h, LATE, { kind: "region-coordinator", regionId: "11" });
    for (const p of PEOPLE) await chatWith(h, p);
    await botAdded(h, { conversationId: CHANNEL, conversationType: "channel", teamId: "19:team@thread.tacv2" });
    await h.samhandling.app.people.bind({ id: ADMIN.aadObjectId!, name: ADMIN.name }, CHANNEL, "46");

    let seen = h.connector.posted.length;
    for (let date: IsoDate = "2027-01-01"; date <= "2028-01-31"; date = addDays(date, 1)) {
      now = DateTime.fromISO(`${date}T09:00:00`, { zone: "Europe/Oslo" });
      for (const [regionId, year, data] of VESTLAND_YEAR[date] ?? []) await record(h.samhandling.store, regionId, year, data);
      summaries.push({ date, summary: await runNudges(h) });
      if (date === ARRIVES) {
        now = DateTime.fromISO(`${date}T10:00:00`, { zone: "Europe/Oslo" });
        await chatWith(h, LATE);
        await vi.waitFor(() => expect(arrivals).toHaveLength(1), { timeout: 10_000, interval: 20 });
      }
      for (const p of h.connector.posted.slice(seen).filter((p) => isDigest(p) || reportHubTitle(p))) told.push({ date, to: who.get(p.conversationId) ?? p.conversationId, headings: headings(p) });
      seen = h.connector.posted.length;
    }
  }, 240_000);
  afterAll(async () => h?.close());

  it("nothing is sent on weekends, public holidays, in Christmas week or the July holiday; every working day runs", () => {
    for (const { date, summary } of summaries) {
      const working = isWorkingDay(date, DEFAULT_CADENCE.workingDays);
      expect(summary.skipped, date).toBe(working ? undefined : "not-a-working-day");
      if (!working) expect(told.filter((t) => t.date === date), date).toEqual([]);
    }
    const skipped = summaries.filter((s) => s.summary.skipped).map((s) => s.date);
    // Easter (Maundy Thursday, Good Friday, Easter Monday), Ascension, Whit Monday, 1 and 17 May fall on weekdays in 2027.
    for (const holiday of ["2027-03-25", "2027-03-26", "2027-03-29", "2027-05-06", "2027-05-17", "2027-12-24", "2027-12-27", "2027-12-31"]) expect(skipped).toContain(holiday);
    for (const july of ["2027-07-12", "2027-07-21", "2027-07-30"]) expect(skipped).toContain(july);
    expect(summaries.filter((s) => !s.summary.skipped)).toHaveLength(summaries.length - skipped.length);
    expect(summaries.every((s) => s.summary.deferred === 0 && s.summary.unreachable === 0 && s.summary.rejected === 0)).toBe(true);
    // Rogaland's coordinator, not yet in touch, is waited for (not given up on) until 10 March, and only until then.
    const working = summaries.filter((s) => !s.summary.skipped);
    expect(working.filter((s) => s.date <= ARRIVES).every((s) => s.summary.waiting === 1)).toBe(true);
    expect(working.filter((s) => s.date > ARRIVES).every((s) => s.summary.waiting === 0)).toBe(true);
  });

  it("Rogaland's coordinator, who first writes on 10 March, hears nothing before and, that morning, what is still due, each step once", async () => {
    const late = told.filter((t) => t.to === LATE.name);
    expect(late.filter((t) => t.date < ARRIVES)).toEqual([]);
    // Kept since January (blocked, then can be signed; first notices), by now overdue: each step
    // is said once, where it stands now; the earlier stages count as said.
    expect(late.filter((t) => t.date === ARRIVES)).toEqual([
      {
        date: ARRIVES,
        to: LATE.name,
        headings: [
          "🔴 Forfalt: Samarbeidsavtale 2027 signert – Rogaland · Rogaland",
          "🔴 Forfalt: Oppdragsavtale 2027 sendt – Innovasjon Norge · Rogaland",
          "🔴 Forfalt: Politisk behandling av avtale 2027 · Rogaland",
        ],
      },
    ]);
    expect(arrivals[0]).toMatchObject({ date: ARRIVES, sent: { cards: 1, nudges: 3 }, waiting: 0, unreachable: 0 });
    expect(arrivals[0].superseded).toBeGreaterThan(0);
    // From then on, like everyone else: the spring meeting to convene, first notice and reminder.
    expect(late.filter((t) => t.date > ARRIVES).slice(0, 2)).toEqual([
      { date: "2027-05-19", to: LATE.name, headings: ["🔵 Innkalling til regionalt vårmøte · Rogaland"] },
      { date: "2027-06-02", to: LATE.name, headings: ["🟠 Påminnelse: Innkalling til regionalt vårmøte · Rogaland"] },
    ]);
    const mailbox = await new Outbox(h.samhandling.store).read({ kind: "person", personId: LATE.aadObjectId! });
    expect(Object.values(mailbox?.said ?? {}).every((s) => s.outcome === "sent")).toBe(true);
  });

  it("each nudge is said once to each recipient, and each recipient gets at most one digest a day besides the report rounds' openings, one card per agency and region", async () => {
    // The runs' and the one arrival's (issue 11); a stage kept for Rogaland's late coordinator that
    // a later stage of the same step replaced is said by that card (superseded).
    const all = [...summaries.map((s) => s.summary), ...arrivals];
    const sent = all.reduce((n, s) => n + s.sent.nudges, 0);
    const superseded = all.reduce((n, s) => n + s.superseded, 0);
    expect(superseded).toBeGreaterThan(0);
    expect(sent + superseded).toBe(all.reduce((n, s) => n + s.recorded, 0));
    const { mailboxes, unreadable } = await new Outbox(h.samhandling.store).all();
    expect(unreadable).toEqual([]);
    const said = mailboxes.flatMap((m) => Object.values(m.said)).filter((s) => s.outcome === "sent").length;
    expect(said).toBe(sent + superseded);
    expect(mailboxes.every((m) => m.pending === undefined)).toBe(true);
    // A round's opening (§3.1, §3.2) comes alone: the agency's report hub.
    const opening = (t: Told) => t.headings.length === 1 && t.headings[0]!.startsWith("Oppfølgingsrapport ");
    const perDay = new Map<string, number>();
    for (const t of told.filter((t) => !opening(t))) perDay.set(`${t.date} ${t.to}`, (perDay.get(`${t.date} ${t.to}`) ?? 0) + 1);
    expect([...perDay.values()].every((n) => n === 1)).toBe(true);
    const openings = told.filter(opening).map((t) => `${t.date} ${t.to} ${t.headings[0]}`);
    expect(new Set(openings).size).toBe(openings.length);
    // Nobody answers for IN in the 14 other regions but its national contact: fourteen cards, each its region's.
    expect(told.filter((t) => opening(t) && t.to === "Ivar IN nasjonalt" && t.headings[0]!.startsWith("Oppfølgingsrapport vår 2027 · Innovasjon Norge · "))).toHaveLength(14);
    expect(told.reduce((n, t) => n + t.headings.length, 0)).toBeGreaterThan(0);
  });

  /**
   * Who in Vestland and at RUK AU was told what, when. Worked out by hand from the wheel and the
   * cadence (first notice 15 working days before the deadline, reminder 10 working days later):
   * - 4 Jan 2027 (first working day): the agreement 2027 cannot be signed yet (§2.1; the letters
   *   are missing) — to every party; the 2026 draft has awaited political treatment since the
   *   autumn (§3.2): the coordinator's first notice (the bot was not there in the autumn), and
   *   10 working days later, 18 January, the reminder.
   * - 8 Jan: commission agreement to IN, 15 working days before its deadline (§3.3): 31 January 2027
   *   is a Sunday, and no deadline falls on one, so Friday 29 January; reminder 10 working days
   *   later, 22 Jan. (January 2028's deadline, 31 January, is a Monday and stays.)
   * - 20 Jan: RUK AU to convene the spring meeting planned for 24 March: invitations by 10 February
   *   (six weeks, §4.1), 15 working days ahead.
   * - 21 Jan: the letters are in: the agreement can now be signed (§2.1).
   * - 30 Mar: the spring dialogue meeting was planned (25 March) for 22 April: invitations by
   *   1 April (§4.2), reports by 15 April (§3.1) — the first working day after Easter: the round
   *   opens 20 working days before the meeting, 22 March — already past when the meeting got its
   *   date — so it is announced with the convening, each agency's on a card of its own. Reports reminded 10 working days after that notice, 13 April;
   *   NFR's report overdue 16 April, escalated to the coordinator, who hears the round's word:
   *   NFR's is missing.
   * - 18 Aug: RUK AU to convene the autumn meeting of 20 October (invitations by 8 September).
   * - 7 Oct: the autumn dialogue meeting planned for 18 November needs invitations by 28 October
   *   (15 working days ahead). The national autumn meeting has had its date (20 October) since
   *   16 August, which is all convening needs (§4.2; the meeting itself is held after the national
   *   one, §3.2): the coordinator's first notice, and nothing more when the national meeting is held.
   * - 21 Oct: the invitations reminded, 10 working days after 7 October (they go out 25 October);
   *   autumn reports due 11 November, first notice (the round opens 20 working days before the
   *   meeting of 18 November); reminded 4 November; all in, the coordinator hears on 12 November.
   * - 18 Nov: the autumn meeting is held: the draft 2028 awaits political treatment (§3.2); reminded 2 Dec.
   * - 3 Jan 2028: signing 2028 blocked (letters missing); 10 Jan commission agreement; 20 Jan the last
   *   letter: it can be signed; 28 Jan RUK AU to convene the spring meeting 2028 (by 18 February).
   * Nothing in July, nothing after a step was recorded. The budgets, due 31 December, are due on
   * Thursday 23 December (no deadline in Christmas week); they are recorded 15 and 16 December.
   */
  it("who in Vestland and at RUK AU was told what, when", () => {
    const mine = told
      .filter((t) => ["Rut RUK", "Vera Vestland", "Ingrid IN Vestland", "Sigurd SIVA Vestland", "Nora NFR Vestland", "#vestland"].includes(t.to))
      .map((t) => `${t.date} ${t.to} | ${t.headings.join(" ; ")}`);
    expect(mine.sort()).toEqual(EXPECTED.sort());
  });

  it("the regions without anyone go to the admin, never Vestland's steps: Vestland is staffed, and nothing of it went overdue unescalated", () => {
    const admin = told.filter((t) => t.to === ADMIN.name);
    expect(admin.length).toBeGreaterThan(10);
    expect(admin.flatMap((t) => t.headings).some((h) => h.includes("· Vestland"))).toBe(false);
    expect(admin.flatMap((t) => t.headings).some((h) => h.includes("· Rogaland"))).toBe(true);
  });
});

const EXPECTED = [
    "2027-01-04 Nora NFR Vestland | ⏸️ Ikke klart ennå: Samarbeidsavtale 2027 signert – Forskningsrådet · Vestland",
    "2027-01-04 Ingrid IN Vestland | ⏸️ Ikke klart ennå: Samarbeidsavtale 2027 signert – Innovasjon Norge · Vestland",
    "2027-01-04 Sigurd SIVA Vestland | ⏸️ Ikke klart ennå: Samarbeidsavtale 2027 signert – SIVA · Vestland",
    "2027-01-04 Vera Vestland | 🔵 Politisk behandling av avtale 2027 · Vestland ; ⏸️ Ikke klart ennå: Samarbeidsavtale 2027 signert – Vestland · Vestland",
    "2027-01-04 #vestland | 🔵 Politisk handsaming av avtale 2027 ; ⏸️ Ikkje klart enno: Samarbeidsavtale 2027 signert – Innovasjon Norge ; ⏸️ Ikkje klart enno: Samarbeidsavtale 2027 signert – Forskningsrådet ; ⏸️ Ikkje klart enno: Samarbeidsavtale 2027 signert – Vestland ; ⏸️ Ikkje klart enno: Samarbeidsavtale 2027 signert – SIVA",
    "2027-01-08 Vera Vestland | 🔵 Oppdragsavtale 2027 sendt – Innovasjon Norge · Vestland",
    "2027-01-08 #vestland | 🔵 Oppdragsavtale 2027 sendt – Innovasjon Norge",
    "2027-01-18 #vestland | 🟠 Påminning: Politisk handsaming av avtale 2027",
    "2027-01-18 Vera Vestland | 🟠 Påminnelse: Politisk behandling av avtale 2027 · Vestland",
    "2027-01-20 Rut RUK | 🔵 Innkalling til nasjonalt vårmøte",
    "2027-01-21 Nora NFR Vestland | 🔵 Samarbeidsavtale 2027 signert – Forskningsrådet · Vestland",
    "2027-01-21 Ingrid IN Vestland | 🔵 Samarbeidsavtale 2027 signert – Innovasjon Norge · Vestland",
    "2027-01-21 Sigurd SIVA Vestland | 🔵 Samarbeidsavtale 2027 signert – SIVA · Vestland",
    "2027-01-21 Vera Vestland | 🔵 Samarbeidsavtale 2027 signert – Vestland · Vestland",
    "2027-01-21 #vestland | 🔵 Samarbeidsavtale 2027 signert – Innovasjon Norge ; 🔵 Samarbeidsavtale 2027 signert – Forskningsrådet ; 🔵 Samarbeidsavtale 2027 signert – Vestland ; 🔵 Samarbeidsavtale 2027 signert – SIVA",
    "2027-01-22 Vera Vestland | 🟠 Påminnelse: Oppdragsavtale 2027 sendt – Innovasjon Norge · Vestland",
    "2027-01-22 #vestland | 🟠 Påminning: Oppdragsavtale 2027 sendt – Innovasjon Norge",
    "2027-03-30 Nora NFR Vestland | Oppfølgingsrapport vår 2027 · Forskningsrådet · Vestland",
    "2027-03-30 Ingrid IN Vestland | Oppfølgingsrapport vår 2027 · Innovasjon Norge · Vestland",
    "2027-03-30 Sigurd SIVA Vestland | Oppfølgingsrapport vår 2027 · SIVA · Vestland",
    "2027-03-30 Vera Vestland | 🔵 Innkalling til regionalt vårmøte · Vestland",
    "2027-03-30 #vestland | 🔵 Innkalling til regionalt vårmøte ; 🔵 Oppfølgingsrapport (vår) – Innovasjon Norge ; 🔵 Oppfølgingsrapport (vår) – Forskningsrådet ; 🔵 Oppfølgingsrapport (vår) – SIVA",
    "2027-04-13 Nora NFR Vestland | 🟠 Påminnelse: Oppfølgingsrapport (vår) – Forskningsrådet · Vestland",
    "2027-04-13 Ingrid IN Vestland | 🟠 Påminnelse: Oppfølgingsrapport (vår) – Innovasjon Norge · Vestland",
    "2027-04-13 Sigurd SIVA Vestland | 🟠 Påminnelse: Oppfølgingsrapport (vår) – SIVA · Vestland",
    "2027-04-13 #vestland | 🟠 Påminning: Oppfølgingsrapport (vår) – Innovasjon Norge ; 🟠 Påminning: Oppfølgingsrapport (vår) – Forskningsrådet ; 🟠 Påminning: Oppfølgingsrapport (vår) – SIVA",
    "2027-04-16 Nora NFR Vestland | 🔴 Forfalt: Oppfølgingsrapport (vår) – Forskningsrådet · Vestland",
    "2027-04-16 Vera Vestland | 🔴 Forfalt: Oppfølgingsrapport (vår) – Forskningsrådet · Vestland ; 📋 Etter fristen: Oppfølgingsrapport (vår) · Vestland",
    "2027-04-16 #vestland | 🔴 Forfallen: Oppfølgingsrapport (vår) – Forskningsrådet",
    "2027-08-18 Rut RUK | 🔵 Innkalling til nasjonalt høstmøte",
    "2027-10-07 Vera Vestland | 🔵 Innkalling til regionalt høstmøte · Vestland",
    "2027-10-07 #vestland | 🔵 Innkalling til regionalt haustmøte",
    "2027-10-21 Vera Vestland | 🟠 Påminnelse: Innkalling til regionalt høstmøte · Vestland",
    "2027-10-21 Nora NFR Vestland | Oppfølgingsrapport høst 2027 · Forskningsrådet · Vestland",
    "2027-10-21 Ingrid IN Vestland | Oppfølgingsrapport høst 2027 · Innovasjon Norge · Vestland",
    "2027-10-21 Sigurd SIVA Vestland | Oppfølgingsrapport høst 2027 · SIVA · Vestland",
    "2027-10-21 #vestland | 🟠 Påminning: Innkalling til regionalt haustmøte ; 🔵 Oppfølgingsrapport (haust) – Innovasjon Norge ; 🔵 Oppfølgingsrapport (haust) – Forskningsrådet ; 🔵 Oppfølgingsrapport (haust) – SIVA",
    "2027-11-04 Nora NFR Vestland | 🟠 Påminnelse: Oppfølgingsrapport (høst) – Forskningsrådet · Vestland",
    "2027-11-04 Ingrid IN Vestland | 🟠 Påminnelse: Oppfølgingsrapport (høst) – Innovasjon Norge · Vestland",
    "2027-11-04 Sigurd SIVA Vestland | 🟠 Påminnelse: Oppfølgingsrapport (høst) – SIVA · Vestland",
    "2027-11-04 #vestland | 🟠 Påminning: Oppfølgingsrapport (haust) – Innovasjon Norge ; 🟠 Påminning: Oppfølgingsrapport (haust) – Forskningsrådet ; 🟠 Påminning: Oppfølgingsrapport (haust) – SIVA",
    "2027-11-12 Vera Vestland | ✅ Etter fristen: Oppfølgingsrapport (høst) · Vestland",
    "2027-11-18 Vera Vestland | 🔵 Politisk behandling av avtale 2028 · Vestland",
    "2027-11-18 #vestland | 🔵 Politisk handsaming av avtale 2028",
    "2027-12-02 Vera Vestland | 🟠 Påminnelse: Politisk behandling av avtale 2028 · Vestland",
    "2027-12-02 #vestland | 🟠 Påminning: Politisk handsaming av avtale 2028",
    "2028-01-03 Nora NFR Vestland | ⏸️ Ikke klart ennå: Samarbeidsavtale 2028 signert – Forskningsrådet · Vestland",
    "2028-01-03 Ingrid IN Vestland | ⏸️ Ikke klart ennå: Samarbeidsavtale 2028 signert – Innovasjon Norge · Vestland",
    "2028-01-03 Sigurd SIVA Vestland | ⏸️ Ikke klart ennå: Samarbeidsavtale 2028 signert – SIVA · Vestland",
    "2028-01-03 Vera Vestland | ⏸️ Ikke klart ennå: Samarbeidsavtale 2028 signert – Vestland · Vestland",
    "2028-01-03 #vestland | ⏸️ Ikkje klart enno: Samarbeidsavtale 2028 signert – Innovasjon Norge ; ⏸️ Ikkje klart enno: Samarbeidsavtale 2028 signert – Forskningsrådet ; ⏸️ Ikkje klart enno: Samarbeidsavtale 2028 signert – Vestland ; ⏸️ Ikkje klart enno: Samarbeidsavtale 2028 signert – SIVA",
    "2028-01-10 Vera Vestland | 🔵 Oppdragsavtale 2028 sendt – Innovasjon Norge · Vestland",
    "2028-01-10 #vestland | 🔵 Oppdragsavtale 2028 sendt – Innovasjon Norge",
    "2028-01-20 Nora NFR Vestland | 🔵 Samarbeidsavtale 2028 signert – Forskningsrådet · Vestland",
    "2028-01-20 Ingrid IN Vestland | 🔵 Samarbeidsavtale 2028 signert – Innovasjon Norge · Vestland",
    "2028-01-20 Sigurd SIVA Vestland | 🔵 Samarbeidsavtale 2028 signert – SIVA · Vestland",
    "2028-01-20 Vera Vestland | 🔵 Samarbeidsavtale 2028 signert – Vestland · Vestland",
    "2028-01-20 #vestland | 🔵 Samarbeidsavtale 2028 signert – Innovasjon Norge ; 🔵 Samarbeidsavtale 2028 signert – Forskningsrådet ; 🔵 Samarbeidsavtale 2028 signert – Vestland ; 🔵 Samarbeidsavtale 2028 signert – SIVA",
    "2028-01-28 Rut RUK | 🔵 Innkalling til nasjonalt vårmøte",
];
