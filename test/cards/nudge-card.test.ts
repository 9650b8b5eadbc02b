// @vitest-environment jsdom
/**
 * The nudge digest (`adaptive-cards/nudge.json`) and the welcome card (`adaptive-cards/welcome.json`).
 *
 * The digest is built from real obligations — events → `reduceCycle` → `obligations(...)` at a
 * day, each in a state its stage can have (the long digest is planned by `planNudges` itself) —
 * so every stage and topic is one the bot can actually send. Each card must be valid (parses with the
 * `adaptivecards` library, nothing of the template left, under 28 KB) and must say what the
 * reader needs to act: the deadline, the lead and the meeting for invitations, what blocks a
 * signature, the § and why this reader gets it; with record buttons only for whoever may record,
 * and a snooze per item.
 *
 * Dates are of 2027 (cycle 2027, signing in January 2028); Vestland (46) is the region.
 */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { SnoozeData } from "../../src/bot/nudge-actions.js";
import { MAX_NUDGE_ITEMS, renderNudgeCard, type NudgeCardItem, type NudgeCardView } from "../../src/cards/nudge-card.js";
import { renderWelcomeCard, type WelcomeView } from "../../src/cards/welcome-card.js";
import { cardBytes, MAX_CARD_BYTES } from "../../src/cards/templates.js";
import { OSLO, type IsoDate, type Lang } from "../../src/domain/calendar.js";
import { reduceCycle } from "../../src/domain/cycle.js";
import type { EventData } from "../../src/domain/events.js";
import { ev } from "../support/events.js";
import { DEFAULT_CADENCE, planNudges, reportRounds, roundTally, topicOf, type NudgeStage, type NudgeTopic } from "../../src/domain/nudges.js";
import { obligations, type Obligation, type StepState } from "../../src/domain/obligations.js";
import { MODEL_2017 } from "../../src/domain/process.js";
import { formsFor } from "../../src/domain/recording.js";
import { DEFAULT_COMMISSION_AGENCIES, DEFAULT_PARTY_AGENCIES, NATIONAL, REGIONS, type AgencyId } from "../../src/domain/regions.js";
import { cardText } from "../support/harness.js";
import { missingTitle } from "../../src/cards/names.js";
import { translator } from "../../src/i18n/index.js";
import { executeActions } from "../support/invoke.js";
import { checkCard } from "../support/card-check.js";

const LANGS: Lang[] = ["nb", "nn", "en"];
const YEAR = 2027;

// ---------------------------------------------------------------------------------------------
// Obligations as the app evaluates them
// ---------------------------------------------------------------------------------------------


interface Scenario {
  /** The day the nudges run (noon in Oslo). */
  today: IsoDate;
  national?: EventData[];
  regional?: EventData[];
  regionId?: string;
}

function evaluate(s: Scenario): Obligation[] {
  const regionId = s.regionId ?? "46";
  return obligations({
    model: MODEL_2017,
    year: YEAR,
    now: DateTime.fromISO(`${s.today}T12:00`, { zone: OSLO }),
    national: reduceCycle(NATIONAL, YEAR, (s.national ?? []).map((d) => ev(d))),
    nationalTrackingStart: "2026-01-01",
    nationalAgencies: DEFAULT_PARTY_AGENCIES,
    region: {
      setup: { regionId, partyAgencies: DEFAULT_PARTY_AGENCIES, commissionAgencies: DEFAULT_COMMISSION_AGENCIES, trackingStart: "2026-01-01" },
      state: reduceCycle(regionId, YEAR, (s.regional ?? []).map((d) => ev(d))),
    },
  });
}

type Meeting = "national-spring" | "national-autumn" | "regional-spring" | "regional-autumn";
const planned = (meeting: Meeting, date: IsoDate): EventData => ({ type: "meeting-planned", meeting, date });
const invited = (meeting: Meeting, date: IsoDate): EventData => ({ type: "invitations-sent", meeting, date });
const held = (meeting: Meeting, date: IsoDate): EventData =>
  meeting === "national-autumn" ? { type: "meeting-held", meeting, date, parts: { experiences: true, opportunities: true } } : { type: "meeting-held", meeting, date };
const report = (round: "spring" | "autumn", agency: AgencyId, date: IsoDate): EventData => ({ type: "follow-up-report-submitted", round, agency, date });
const letter = (agency: AgencyId, date: IsoDate): EventData => ({ type: "allocation-letter-received", agency, date });

const NATIONAL_SPRING: EventData[] = [planned("national-spring", "2027-03-10"), invited("national-spring", "2027-01-20"), held("national-spring", "2027-03-10")];
const NATIONAL_YEAR: EventData[] = [
  ...NATIONAL_SPRING,
  planned("national-autumn", "2027-10-20"),
  invited("national-autumn", "2027-09-01"),
  held("national-autumn", "2027-10-20"),
  { type: "state-budget-adopted", date: "2027-12-16" },
  letter("IN", "2027-12-22"),
];
/** Vestland's year up to the autumn meeting: everything on time. */
const REGIONAL_TO_AUTUMN: EventData[] = [
  planned("regional-spring", "2027-04-21"),
  invited("regional-spring", "2027-03-25"),
  ...(["IN", "SIVA", "NFR"] as const).map((a) => report("spring", a, "2027-04-12")),
  held("regional-spring", "2027-04-21"),
  { type: "draft-agreement-ready", date: "2027-11-01" },
  planned("regional-autumn", "2027-11-18"),
  invited("regional-autumn", "2027-10-20"),
  ...(["IN", "SIVA", "NFR"] as const).map((a) => report("autumn", a, "2027-11-10")),
  held("regional-autumn", "2027-11-18"),
];
const TREATED: EventData = { type: "political-treatment-recorded", body: "Fylkestinget", date: "2027-12-08", caseNumber: "2027/1234", outcome: "approved" };
const REGIONAL_BUDGET: EventData = { type: "regional-budget-adopted", date: "2027-12-14" };

/** January 2028: political treatment done, the regional budget and SIVA's and NFR's letters missing. */
const SIGNING_BLOCKED: Omit<Scenario, "today"> = { national: NATIONAL_YEAR, regional: [...REGIONAL_TO_AUTUMN, TREATED] };
/** January 2028: everything in place for signing. */
const SIGNING_READY: Omit<Scenario, "today"> = {
  national: [...NATIONAL_YEAR, letter("SIVA", "2027-12-22"), letter("NFR", "2028-01-05")],
  regional: [...REGIONAL_TO_AUTUMN, TREATED, REGIONAL_BUDGET],
};

/**
 * The states a step is in when the planner sends it at a stage. Which day within the window the
 * planner picks is its cadence (test/domain/nudges.test.ts); the card only needs the step to be
 * in a state the stage can have, which the fixture asserts so it cannot drift.
 */
const STATES_OF: Record<NudgeStage, readonly StepState[]> = {
  first: ["open", "due-soon"],
  reminder: ["open", "due-soon"],
  // Waiting before the deadline; blocked past it (the late party is someone else).
  blocked: ["waiting", "blocked"],
  overdue: ["overdue"],
  // A round is due the day after its deadline: each agency's step is done, overdue or waived.
  "round-due": ["done", "overdue", "blocked", "not-applicable"],
};

function stageOf(o: Obligation): NudgeStage {
  return o.state === "overdue" ? "overdue" : o.state === "waiting" || o.state === "blocked" ? "blocked" : "first";
}

/** The step `key` of the scenario, asserted to be in a state of `stage` and about `topic`. */
function due(s: Scenario, key: string, stage: NudgeStage, topic: NudgeTopic): Obligation {
  const o = evaluate(s).find((x) => x.key === key);
  if (!o) throw new Error(`no step "${key}"`);
  expect(STATES_OF[stage], `state of ${key} on ${s.today}`).toContain(o.state);
  expect(topicOf(o.step), `topic of ${key}`).toBe(topic);
  return o;
}

function item(o: Obligation, stage: NudgeStage, more: Partial<NudgeCardItem> = {}): NudgeCardItem {
  const regionId = o.step.scope === "national" ? NATIONAL : o.responsible.regionId ?? "46";
  return { regionId, year: o.year, stage, topic: topicOf(o.step), reason: "responsible", obligation: o, canRecord: true, ...more };
}

function personCard(today: IsoDate, items: NudgeCardItem[], lang: Lang) {
  return renderNudgeCard({ to: { kind: "person" }, today, items }, lang);
}

// ---------------------------------------------------------------------------------------------
// Reading a rendered digest
// ---------------------------------------------------------------------------------------------

interface ShownItem {
  heading: string;
  text: string;
  note: string | undefined;
  actions: any[];
}

/** The items of a digest, in order: heading, body text, note, and the item's ActionSet actions. */
function shownItems(card: any): ShownItem[] {
  return (card.body as any[])
    .filter((b) => b.type === "Container")
    .map((c) => {
      const blocks = (c.items as any[]).filter((x) => x.type === "TextBlock");
      const actionSet = (c.items as any[]).find((x) => x.type === "ActionSet");
      return {
        heading: blocks[0]?.text,
        text: blocks[1]?.text,
        note: blocks.find((b, i) => i >= 2 && b.isSubtle)?.text,
        actions: actionSet?.actions ?? [],
      };
    });
}

function only<T>(list: T[]): T {
  expect(list).toHaveLength(1);
  return list[0]!;
}

/** One item's card, read back: the single item shown. */
function render(today: IsoDate, it: NudgeCardItem, lang: Lang, to: NudgeCardView["to"] = { kind: "person" }): { card: any; shown: ShownItem } {
  const card = renderNudgeCard({ to, today, items: [it] }, lang);
  checkCard(card);
  return { card, shown: only(shownItems(card)) };
}

const date = (lang: Lang, nb: string, en: string) => (lang === "en" ? en : nb);
const weeks = (lang: Lang, n: number) => `${n} ${{ nb: "uker", nn: "veker", en: "weeks" }[lang]}`;

// ---------------------------------------------------------------------------------------------
// Every stage and topic, in every language
// ---------------------------------------------------------------------------------------------

describe("the nudge digest: every stage and topic says what is needed", () => {
  it.each(LANGS)("convene, first notice, meeting planned: the invitation deadline, six weeks, the meeting date (%s)", (lang) => {
    const s = { today: "2027-01-11", national: [planned("national-spring", "2027-03-10")] };
    const o = due(s, "national-spring-meeting-convened", "first", "convene");
    const { shown } = render(s.today, item(o, "first"), lang);
    expect(shown.heading).toBe(`🔵 ${{ nb: "Innkalling til nasjonalt vårmøte", nn: "Innkalling til nasjonalt vårmøte", en: "Invitations to the national spring meeting" }[lang]}`);
    expect(shown.text).toContain(date(lang, "27. januar 2027", "27 January 2027"));
    expect(shown.text).toContain(weeks(lang, 6));
    expect(shown.text).toContain(date(lang, "10. mars 2027", "10 March 2027"));
    expect(shown.text.indexOf(date(lang, "27. januar", "27 January"))).toBeLessThan(shown.text.indexOf(date(lang, "10. mars", "10 March")));
    expect(shown.note).toBe(`§4.1, §1 · ${lang === "en" ? "Responsible" : "Ansvar"}: RUK AU`);
  });

  it.each(LANGS)("convene, reminder, no meeting date: three weeks before the latest possible meeting day, and asks for the date (%s)", (lang) => {
    const s = { today: "2027-06-04", national: NATIONAL_SPRING };
    const o = due(s, "regional-spring-meeting-convened", "reminder", "convene");
    const { shown } = render(s.today, item(o, "reminder"), lang);
    expect(shown.heading).toBe(
      `🟠 ${{ nb: "Påminnelse: Innkalling til regionalt vårmøte", nn: "Påminning: Innkalling til regionalt vårmøte", en: "Reminder: Invitations to the regional spring meeting" }[lang]} · Vestland`,
    );
    expect(shown.text).toContain(date(lang, "9. juni 2027", "9 June 2027"));
    expect(shown.text).toContain(weeks(lang, 3));
    expect(shown.text).toContain(date(lang, "30. juni 2027", "30 June 2027"));
    expect(shown.text).toContain({ nb: "møtedato", nn: "møtedato", en: "meeting date" }[lang]);
    expect(shown.note).toBe(`§4.2, §3.1 · ${lang === "en" ? "Responsible" : "Ansvar"}: Vestland fylkeskommune`);
  });

  // §4.2: the regional spring meeting planned for 14 April needs invitations by 24 March; the national
  // spring meeting has no date yet, and the date is all the region waits for.
  const NO_NATIONAL_DATE = { regional: [planned("regional-spring", "2027-04-14")] };
  const missingDate = { nb: "Dato for nasjonalt temamøte vår", nn: "Dato for nasjonalt temamøte vår", en: "The date of the national spring theme meeting" };

  it.each(LANGS)("convene, blocked: the invitation deadline and the national meeting's date it waits for (%s)", (lang) => {
    const s = { today: "2027-03-04", ...NO_NATIONAL_DATE };
    const o = due(s, "regional-spring-meeting-convened", "blocked", "convene");
    const { card, shown } = render(s.today, item(o, "blocked"), lang);
    checkCard(card);
    expect(shown.heading).toMatch(/^⏸️ /);
    expect(shown.text).toContain(date(lang, "24. mars 2027", "24 March 2027"));
    expect(shown.text).toContain(missingDate[lang]);
  });

  it.each(LANGS)("convene, blocked past its deadline: '⛔ Blokkert', the deadline that passed and the date still missing — not 'overdue' (%s)", (lang) => {
    const s = { today: "2027-03-30", ...NO_NATIONAL_DATE };
    const o = due(s, "regional-spring-meeting-convened", "blocked", "convene");
    expect(o.state).toBe("blocked");
    const { shown } = render(s.today, item(o, "blocked"), lang);
    expect(shown.heading).toBe(`⛔ ${{ nb: "Blokkert", nn: "Blokkert", en: "Blocked" }[lang]}: ${{ nb: "Innkalling til regionalt vårmøte", nn: "Innkalling til regionalt vårmøte", en: "Invitations to the regional spring meeting" }[lang]} · Vestland`);
    expect(shown.text).toContain(date(lang, "24. mars 2027", "24 March 2027"));
    expect(shown.text).toContain(missingDate[lang]);
    expect(shown.text).not.toMatch(/Forfalt|Forfallen|Overdue/);
  });

  it.each(LANGS)("convene, overdue: names the deadline that passed (%s)", (lang) => {
    const s = { today: "2027-04-05", national: NATIONAL_SPRING, regional: [planned("regional-spring", "2027-04-21")] };
    const o = due(s, "regional-spring-meeting-convened", "overdue", "convene");
    const { shown } = render(s.today, item(o, "overdue"), lang);
    expect(shown.heading).toMatch(/^🔴 /);
    expect(shown.heading).toContain({ nb: "Forfalt", nn: "Forfallen", en: "Overdue" }[lang]);
    expect(shown.text).toContain(date(lang, "31. mars 2027", "31 March 2027"));
    expect(shown.text).toContain({ nb: "Fristen var", nn: "Fristen var", en: "The deadline was" }[lang]);
  });

  it.each(LANGS)("report, first notice: the agency and its deadline (%s)", (lang) => {
    const s = { today: "2027-03-22", national: NATIONAL_SPRING, regional: [planned("regional-spring", "2027-04-21")] };
    const o = due(s, "follow-up-report-spring:IN", "first", "report");
    const { shown } = render(s.today, item(o, "first"), lang);
    expect(shown.heading).toContain(`${{ nb: "Oppfølgingsrapport (vår)", nn: "Oppfølgingsrapport (vår)", en: "Follow-up report (spring)" }[lang]} – Innovasjon Norge · Vestland`);
    expect(shown.text).toContain("Innovasjon Norge");
    expect(shown.text).toContain(date(lang, "14. april 2027", "14 April 2027"));
    expect(shown.note).toBe(`§3.1 · ${lang === "en" ? "Responsible" : "Ansvar"}: Innovasjon Norge`);
  });

  it.each(LANGS)("political treatment, first notice: the draft for next year's agreement and the signing deadline (%s)", (lang) => {
    const s = { today: "2028-01-11", national: NATIONAL_YEAR, regional: [...REGIONAL_TO_AUTUMN, REGIONAL_BUDGET] };
    const o = due(s, "political-treatment", "first", "political-treatment");
    const { shown } = render(s.today, item(o, "first"), lang);
    expect(shown.heading).toContain({ nb: "Politisk behandling av avtale 2028", nn: "Politisk handsaming av avtale 2028", en: "Political treatment of agreement 2028" }[lang]);
    expect(shown.text).toContain("2028");
    expect(shown.text).toContain({ nb: "politisk behandling", nn: "politisk handsaming", en: "political treatment" }[lang]);
    expect(shown.text).toContain(date(lang, "31. januar 2028", "31 January 2028"));
    expect(shown.note).toMatch(/^§3\.2 · /);
  });

  it.each(LANGS)("sign, blocked: names every prerequisite still missing, and the deadline (%s)", (lang) => {
    const s = { today: "2028-01-12", ...SIGNING_BLOCKED };
    const o = due(s, "agreement-signed:region", "blocked", "sign");
    expect(o.missing.map((m) => m.party ?? m.stepId)).toEqual(["regional-budget-adopted", "SIVA", "NFR"]);
    const { card, shown } = render(s.today, item(o, "blocked"), lang);
    expect(shown.heading).toBe(
      `⏸️ ${{ nb: "Ikke klart ennå: Samarbeidsavtale 2028 signert – Vestland", nn: "Ikkje klart enno: Samarbeidsavtale 2028 signert – Vestland", en: "Not ready yet: Cooperation agreement 2028 signed – Vestland" }[lang]} · Vestland`,
    );
    const missing = {
      nb: ["Fylkesbudsjett 2028 vedtatt", "Tildelingsbrev 2028 – SIVA", "Tildelingsbrev 2028 – Forskningsrådet"],
      nn: ["Fylkesbudsjett 2028 vedteke", "Tildelingsbrev 2028 – SIVA", "Tildelingsbrev 2028 – Forskningsrådet"],
      en: ["County budget 2028 adopted", "Allocation letter 2028 – SIVA", "Allocation letter 2028 – Forskningsrådet"],
    }[lang];
    expect(shown.text).toContain(missing.join(", "));
    expect(shown.text).toContain(date(lang, "31. januar 2028", "31 January 2028"));
    expect(shown.text).not.toContain("Innovasjon Norge"); // IN's letter is in
    expect(shown.note).toBe(`§2.1, §3.2 · ${lang === "en" ? "Responsible" : "Ansvar"}: Vestland fylkeskommune`);
    // Nothing can be recorded yet: no button that could only be refused; the snooze is still there.
    expect(executeActions(card).filter((a) => a.verb === "form.open")).toEqual([]);
    expect(executeActions(card).filter((a) => a.verb === "nudge.snooze")).toHaveLength(2);
  });

  it.each(LANGS)("sign, first notice: it can be signed now, by when, with the party's record button (%s)", (lang) => {
    const s = { today: "2028-01-12", ...SIGNING_READY };
    const o = due(s, "agreement-signed:SIVA", "first", "sign");
    const { card, shown } = render(s.today, item(o, "first"), lang);
    expect(shown.heading).toBe(`🔵 ${{ nb: "Samarbeidsavtale 2028 signert", nn: "Samarbeidsavtale 2028 signert", en: "Cooperation agreement 2028 signed" }[lang]} – SIVA · Vestland`);
    expect(shown.text).toContain({ nb: "kan signeres nå", nn: "kan signerast no", en: "can be signed now" }[lang]);
    expect(shown.text).toContain(date(lang, "31. januar 2028", "31 January 2028"));
    expect(shown.note).toBe(`§2.1, §3.2 · ${lang === "en" ? "Responsible" : "Ansvar"}: SIVA`);
    expect(executeActions(card).filter((a) => a.verb === "form.open").map((a) => a.data)).toEqual([
      { form: "agreement.signed", regionId: "46", year: 2027, params: { party: "SIVA" } },
    ]);
  });

  it.each(LANGS)("sign, reminder (%s)", (lang) => {
    const s = { today: "2028-01-26", ...SIGNING_READY };
    const o = due(s, "agreement-signed:region", "reminder", "sign");
    const { shown } = render(s.today, item(o, "reminder"), lang);
    expect(shown.heading).toMatch(/^🟠 /);
    expect(shown.heading).toContain({ nb: "Påminnelse", nn: "Påminning", en: "Reminder" }[lang]);
    expect(shown.text).toContain({ nb: "kan signeres nå", nn: "kan signerast no", en: "can be signed now" }[lang]);
    expect(shown.text).toContain(date(lang, "31. januar 2028", "31 January 2028"));
  });

  it.each(LANGS)("sign, past its deadline while still blocked: '⛔ Blokkert', the deadline that passed and what it waits for, no blame (%s)", (lang) => {
    const s = { today: "2028-02-02", ...SIGNING_BLOCKED };
    const o = due(s, "agreement-signed:IN", "blocked", "sign");
    const { shown } = render(s.today, item(o, "blocked"), lang);
    expect(shown.heading).toBe(`⛔ ${{ nb: "Blokkert", nn: "Blokkert", en: "Blocked" }[lang]}: ${{ nb: "Samarbeidsavtale 2028 signert", nn: "Samarbeidsavtale 2028 signert", en: "Cooperation agreement 2028 signed" }[lang]} – Innovasjon Norge · Vestland`);
    expect(shown.text).toContain(
      { nb: "skulle vært signert senest 31. januar 2028", nn: "skulle vore signert seinast 31. januar 2028", en: "was due to be signed by 31 January 2028" }[lang],
    );
    expect(shown.text).toContain({ nb: "Fylkesbudsjett 2028 vedtatt", nn: "Fylkesbudsjett 2028 vedteke", en: "County budget 2028 adopted" }[lang]);
  });

  it.each(LANGS)("commission agreement, first notice: to which agency, by when (%s)", (lang) => {
    const s = { today: "2028-01-11", national: NATIONAL_YEAR, regional: [...REGIONAL_TO_AUTUMN, REGIONAL_BUDGET] };
    const o = due(s, "commission-agreement-sent:IN", "first", "commission");
    const { card, shown } = render(s.today, item(o, "first"), lang);
    expect(shown.heading).toContain({ nb: "Oppdragsavtale 2028 sendt", nn: "Oppdragsavtale 2028 sendt", en: "Commission agreement 2028 sent" }[lang]);
    expect(shown.text).toContain("2028");
    expect(shown.text).toContain("Innovasjon Norge");
    expect(shown.text).toContain(date(lang, "31. januar 2028", "31 January 2028"));
    expect(shown.note).toMatch(/^§3\.3 · /);
    expect(executeActions(card).filter((a) => a.verb === "form.open").map((a) => a.data)).toEqual([
      { form: "commission.sent", regionId: "46", year: 2027, params: { agency: "IN" } },
    ]);
  });

  it.each(LANGS)("a step without a topic of its own, overdue: the deadline, and a button to record it (%s)", (lang) => {
    const s = { today: "2028-01-12", ...SIGNING_BLOCKED };
    const o = due(s, "regional-budget-adopted", "overdue", "other");
    const { card, shown } = render(s.today, item(o, "overdue"), lang);
    expect(shown.heading).toContain({ nb: "Fylkesbudsjett 2028 vedtatt", nn: "Fylkesbudsjett 2028 vedteke", en: "County budget 2028 adopted" }[lang]);
    // Due 31 December, in Christmas week: Thursday 23 December.
    expect(shown.text).toContain(date(lang, "23. desember 2027", "23 December 2027"));
    expect(shown.note).toMatch(/^§2\.1, §3\.2 · /);
    expect(executeActions(card).filter((a) => a.verb === "form.open").map((a) => a.data.form)).toEqual(["regionalBudget.adopted"]);
  });

  // "If it is done, record it with the button here" sends the reader looking for a button that
  // is not on the card when the step offers none (still blocked: no button that could only be
  // refused) or the reader may not record it (the coordinator told of an agency's late report).
  it.each(LANGS)("a step past its deadline, still blocked, has no record button, and the text does not point at one (%s)", (lang) => {
    const o = due({ today: "2028-02-02", ...SIGNING_BLOCKED }, "agreement-signed:region", "blocked", "sign");
    const { card, shown } = render("2028-02-02", item(o, "blocked"), lang);
    expect(executeActions(card).filter((a) => a.verb === "form.open")).toEqual([]);
    expect(shown.text).not.toMatch(/knappen|button/i);
  });

  it.each(LANGS)("an overdue step escalated to someone who may not record it: no record button, and the text does not point at one (%s)", (lang) => {
    const o = due({ today: "2027-04-20", national: NATIONAL_SPRING, regional: [planned("regional-spring", "2027-04-21")] }, "follow-up-report-spring:NFR", "overdue", "report");
    const { card, shown } = render("2027-04-20", item(o, "overdue", { reason: "escalation", canRecord: false }), lang);
    expect(executeActions(card).filter((a) => a.verb === "form.open")).toEqual([]);
    expect(shown.text).not.toMatch(/knappen|button/i);
  });

  it.each(LANGS)("an overdue step the reader may record: the text points at its record button, which is there (%s)", (lang) => {
    const s = { today: "2027-04-05", national: NATIONAL_SPRING, regional: [planned("regional-spring", "2027-04-21")] };
    const o = due(s, "regional-spring-meeting-convened", "overdue", "convene");
    const { card, shown } = render(s.today, item(o, "overdue"), lang);
    expect(executeActions(card).filter((a) => a.verb === "form.open").map((a) => a.data.form)).toContain("meeting.invited");
    expect(shown.text).toMatch(/knappen|button/i);
  });

  it.each(LANGS)("issue 10: an overdue report is answered in its hub — «Åpne rapporten», no bare «Rapport levert» date, and the text says late answers are taken (%s)", (lang) => {
    const o = due({ today: "2027-04-20", national: NATIONAL_SPRING, regional: [planned("regional-spring", "2027-04-21")] }, "follow-up-report-spring:NFR", "overdue", "report");
    const { card, shown } = render("2027-04-20", item(o, "overdue"), lang);
    expect(executeActions(card).filter((a) => a.verb === "form.open")).toEqual([]);
    expect(executeActions(card).filter((a) => a.verb === "report.open").map((a) => a.data)).toEqual([{ regionId: "46", year: YEAR, round: "spring", agency: "NFR" }]);
    expect(shown.text).toBe(
      {
        nb: "Fristen var 14. april 2027, og rapporten fra Forskningsrådet er ikke sendt inn. Den kan fortsatt sendes inn, merket som for sent, fram til dialogmøtet.",
        nn: "Fristen var 14. april 2027, og rapporten frå Forskningsrådet er ikkje sendt inn. Han kan framleis sendast inn, merkt som for seint, fram til dialogmøtet.",
        en: "The deadline was 14 April 2027 and the report from Forskningsrådet has not been submitted. It can still be submitted, marked late, until the dialogue meeting.",
      }[lang],
    );
  });
});

// ---------------------------------------------------------------------------------------------
// §2.1 external events: recorded, not done, by the one the card names
// ---------------------------------------------------------------------------------------------

describe("§2.1 an external event past its date reads as not recorded yet, not as the recorder's failure", () => {
  const stateBudgetLate = () =>
    due({ today: "2028-01-12", national: NATIONAL_YEAR.filter((e) => e.type !== "state-budget-adopted"), regional: [...REGIONAL_TO_AUTUMN, REGIONAL_BUDGET] }, "state-budget-adopted", "overdue", "other");

  it.each(LANGS)("the state budget (the Storting), due 23 December, not recorded on 12 January: recorded by RUK AU (%s)", (lang) => {
    const { card, shown } = render("2028-01-12", item(stateBudgetLate(), "overdue"), lang);
    expect(shown.heading).toBe(`🔴 ${{ nb: "Ikke registrert ennå", nn: "Ikkje registrert enno", en: "Not recorded yet" }[lang]}: ${{ nb: "Statsbudsjett 2028 vedtatt", nn: "Statsbudsjett 2028 vedteke", en: "State budget 2028 adopted" }[lang]}`);
    expect(shown.text).toBe(
      {
        nb: "Ventet fra Stortinget senest 23. desember 2027, men ikke registrert ennå – registreres av RUK AU. Har det kommet, registrer det med knappen her.",
        nn: "Venta frå Stortinget seinast 23. desember 2027, men ikkje registrert enno – blir registrert av RUK AU. Har det kome, registrer det med knappen her.",
        en: "Expected from the Storting by 23 December 2027, but not recorded yet – recorded by RUK AU. If it has come, record it with the button here.",
      }[lang],
    );
    expect(shown.note).toBe(`§2.1 · ${{ nb: "Registreres av RUK AU", nn: "Blir registrert av RUK AU", en: "Recorded by RUK AU" }[lang]}`);
    expect(`${shown.heading} ${shown.text} ${shown.note}`).not.toMatch(/Forfalt|Forfallen|Overdue|Ansvar|Responsible/);
    expect(executeActions(card).filter((a) => a.verb === "form.open").map((a) => a.data.form)).toEqual(["stateBudget.adopted"]);
  });

  it.each(LANGS)("an allocation letter (the ministry), due 31 January, escalated to an admin who may not record it (%s)", (lang) => {
    const o = due({ today: "2028-02-02", ...SIGNING_BLOCKED }, "allocation-letter-received:NFR", "overdue", "other");
    const { shown } = render("2028-02-02", item(o, "overdue", { reason: "escalation", canRecord: false }), lang);
    expect(shown.text).toBe(
      {
        nb: "Ventet fra departementet senest 31. januar 2028, men ikke registrert ennå – registreres av Forskningsrådet.",
        nn: "Venta frå departementet seinast 31. januar 2028, men ikkje registrert enno – blir registrert av Forskningsrådet.",
        en: "Expected from the ministry by 31 January 2028, but not recorded yet – recorded by Forskningsrådet.",
      }[lang],
    );
    expect(shown.note).toBe(
      `§2.1 · ${{
        nb: "Du får dette fordi datoen er passert (Forskningsrådet registrerer det).",
        nn: "Du får dette fordi datoen er passert (Forskningsrådet registrerer det).",
        en: "You get this because the date has passed (Forskningsrådet records it).",
      }[lang]}`,
    );
  });
});

describe("missingTitle: the words for a prerequisite still missing", () => {
  it.each(LANGS)("a meeting's date, or a step's title (%s)", (lang) => {
    const t = translator(lang);
    expect(missingTitle({ stepId: "national-autumn-meeting-held", need: "date", meeting: "national-autumn" }, 2027, "46", t)).toBe(
      { nb: "Dato for nasjonalt temamøte høst", nn: "Dato for nasjonalt temamøte haust", en: "The date of the national autumn theme meeting" }[lang],
    );
    expect(missingTitle({ stepId: "national-autumn-meeting-held" }, 2027, "46", t)).toBe(
      { nb: "Nasjonalt temamøte høst", nn: "Nasjonalt temamøte haust", en: "National autumn theme meeting" }[lang],
    );
    expect(missingTitle({ stepId: "allocation-letter-received", party: "SIVA" }, 2027, "46", t)).toBe(
      { nb: "Tildelingsbrev 2028 – SIVA", nn: "Tildelingsbrev 2028 – SIVA", en: "Allocation letter 2028 – SIVA" }[lang],
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Why this reader: the note
// ---------------------------------------------------------------------------------------------

describe("the note cites the § and says why the reader gets it", () => {
  const blockedOn = "2028-01-12";
  const signRegion = () => due({ today: blockedOn, ...SIGNING_BLOCKED }, "agreement-signed:region", "blocked", "sign");

  it.each(LANGS)("unassigned: names the role nobody holds (%s)", (lang) => {
    const cases: Array<[Obligation, NudgeStage, string, Record<Lang, string>]> = [
      [signRegion(), "blocked", blockedOn, { nb: "regionkoordinator for Vestland", nn: "regionkoordinator for Vestland", en: "region coordinator for Vestland" }],
      [
        due({ today: blockedOn, ...SIGNING_BLOCKED }, "agreement-signed:NFR", "blocked", "sign"),
        "blocked",
        blockedOn,
        { nb: "kontaktperson for Forskningsrådet i Vestland", nn: "kontaktperson for Forskningsrådet i Vestland", en: "contact for Forskningsrådet in Vestland" },
      ],
      [
        due({ today: "2027-01-11", national: [planned("national-spring", "2027-03-10")] }, "national-spring-meeting-convened", "first", "convene"),
        "first",
        "2027-01-11",
        { nb: "nasjonal koordinator (RUK AU)", nn: "nasjonal koordinator (RUK AU)", en: "national coordinator (RUK AU)" },
      ],
      [
        due({ today: "2028-02-02", ...SIGNING_BLOCKED }, "allocation-letter-received:SIVA", "overdue", "other"),
        "overdue",
        "2028-02-02",
        { nb: "kontaktperson for SIVA (nasjonalt)", nn: "kontaktperson for SIVA (nasjonalt)", en: "contact for SIVA (national)" },
      ],
    ];
    for (const [o, stage, today, role] of cases) {
      const { shown } = render(today, item(o, stage, { reason: "unassigned", canRecord: true }), lang);
      expect(shown.note).toMatch(new RegExp(`^${o.step.sections.map((s) => `§${s.replace(".", "\\.")}`).join(", ")} · `));
      expect(shown.note).toContain(role[lang]);
      expect(shown.note).toContain({ nb: "Ingen har rollen", nn: "Ingen har rolla", en: "Nobody holds the role" }[lang]);
    }
  });

  it.each(LANGS)("escalation: the deadline passed, and who is responsible (%s)", (lang) => {
    const o = due({ today: "2027-04-05", national: NATIONAL_SPRING, regional: [planned("regional-spring", "2027-04-21")] }, "regional-spring-meeting-convened", "overdue", "convene");
    const { shown } = render("2027-04-05", item(o, "overdue", { reason: "escalation", canRecord: false }), lang);
    expect(shown.note).toBe(
      `§4.2, §3.1 · ${{
        nb: "Du får dette fordi fristen er passert (Vestland fylkeskommune har ansvaret).",
        nn: "Du får dette fordi fristen er passert (Vestland fylkeskommune har ansvaret).",
        en: "You get this because the deadline has passed (Vestland fylkeskommune is responsible).",
      }[lang]}`,
    );
  });

  it.each(LANGS)("fallback: who could not be reached (%s)", (lang) => {
    const o = due({ today: "2027-03-22", national: NATIONAL_SPRING, regional: [planned("regional-spring", "2027-04-21")] }, "follow-up-report-spring:SIVA", "first", "report");
    const { shown } = render("2027-03-22", item(o, "first", { reason: "fallback" }), lang, { kind: "channel", regionId: "46" });
    expect(shown.note).toBe(
      `§3.1 · ${{ nb: "Sendt hit fordi jeg ikke når SIVA direkte.", nn: "Sendt hit fordi eg ikkje når SIVA direkte.", en: "Sent here because I cannot reach SIVA directly." }[lang]}`,
    );
  });

  it.each(LANGS)("channel: who is responsible (%s)", (lang) => {
    const { shown } = render(blockedOn, item(signRegion(), "blocked", { reason: "channel" }), lang, { kind: "channel", regionId: "46" });
    expect(shown.note).toBe(`§2.1, §3.2 · ${lang === "en" ? "Responsible" : "Ansvar"}: Vestland fylkeskommune`);
  });
});

// ---------------------------------------------------------------------------------------------
// Buttons
// ---------------------------------------------------------------------------------------------

/**
 * A person's digest on 12 January 2028, the state budget not recorded: the (national) state
 * budget overdue, political treatment and the commission agreement open, two signatures blocked.
 */
function mixedItems(canRecord: boolean): { today: IsoDate; items: NudgeCardItem[] } {
  const today = "2028-01-12";
  const national = NATIONAL_YEAR.filter((e) => e.type !== "state-budget-adopted");
  const list = evaluate({ today, national, regional: [...REGIONAL_TO_AUTUMN, REGIONAL_BUDGET] });
  const keys = ["state-budget-adopted", "political-treatment", "commission-agreement-sent:IN", "agreement-signed:region", "agreement-signed:IN"];
  const items = keys.map((key) => {
    const o = list.find((x) => x.key === key)!;
    return item(o, stageOf(o), { canRecord });
  });
  expect(items.map((i) => i.stage)).toEqual(["overdue", "first", "first", "blocked", "blocked"]);
  return { today, items };
}

describe("the digest's buttons", () => {
  it.each(LANGS)("record buttons (form.open) for each item the reader may record, with form, region, year and params (%s)", (lang) => {
    const { today, items } = mixedItems(true);
    const card = personCard(today, items, lang);
    checkCard(card);
    const shown = shownItems(card);
    expect(shown).toHaveLength(items.length);
    let total = 0;
    items.forEach((it, i) => {
      const forms = shown[i]!.actions.filter((a) => a.type === "Action.Execute" && a.verb === "form.open");
      expect(forms.map((a) => a.data)).toEqual(formsFor(it.obligation).map((f) => ({ form: f.verb, regionId: it.regionId, year: YEAR, params: f.params })));
      for (const a of forms) expect(a.title).not.toBe("");
      total += forms.length;
    });
    expect(total).toBe(3); // state budget, political treatment, commission; signing is blocked
  });

  it.each(LANGS)("no record buttons for a reader who may not record; the snooze stays (%s)", (lang) => {
    const { today, items } = mixedItems(false);
    const card = personCard(today, items, lang);
    checkCard(card);
    expect(executeActions(card).filter((a) => a.verb === "form.open")).toEqual([]);
    expect(executeActions(card).filter((a) => a.verb === "nudge.snooze")).toHaveLength(2 * items.length);
  });

  it.each(LANGS)("each item has its own snooze: a week, or until a date from tomorrow to 92 days ahead (%s)", (lang) => {
    const { today, items } = mixedItems(true);
    const card = personCard(today, items, lang);
    const ids: string[] = [];
    shownItems(card).forEach((shown, i) => {
      const it = items[i]!;
      const showCards = shown.actions.filter((a) => a.type === "Action.ShowCard");
      const snooze = only(showCards);
      expect(snooze.title).toBe({ nb: "Utsett", nn: "Utset", en: "Snooze" }[lang]);
      const input = only((snooze.card.body as any[]).filter((b) => b.type === "Input.Date"));
      expect(input.min).toBe("2028-01-13");
      expect(input.max).toBe("2028-04-13"); // 12 January 2028 + 92 days
      expect(input.label).not.toBe("");
      ids.push(input.id);
      const buttons = executeActions(snooze.card);
      expect(buttons.map((b) => [b.verb, b.data])).toEqual([
        ["nudge.snooze", { regionId: it.regionId, year: YEAR, stepKey: it.obligation.key, for: "week" }],
        ["nudge.snooze", { regionId: it.regionId, year: YEAR, stepKey: it.obligation.key, for: "date", dateField: input.id }],
      ]);
      // What the snooze handler accepts, with the date Teams sends under the input's id.
      for (const b of buttons) expect(SnoozeData.safeParse({ ...b.data, [input.id]: "2028-01-20" }).success).toBe(true);
      // The snooze is the only thing in the ShowCard that sends: nothing else is hidden there.
      expect(executeActions(snooze.card)).toHaveLength(2);
    });
    expect(new Set(ids).size).toBe(items.length);
  });
});

// ---------------------------------------------------------------------------------------------
// Whose card: a person's or a region's channel
// ---------------------------------------------------------------------------------------------

describe("a person's digest and a channel's card", () => {
  it.each(LANGS)("a person's digest names the region of each regional item, not of national ones (%s)", (lang) => {
    const { today, items } = mixedItems(true);
    const card = personCard(today, items, lang);
    expect(cardText(card)).toContain({ nb: "Dette venter på deg", nn: "Dette ventar på deg", en: "Waiting for you" }[lang]);
    shownItems(card).forEach((shown, i) => {
      if (items[i]!.regionId === NATIONAL) expect(shown.heading).not.toContain(" · ");
      else expect(shown.heading).toMatch(/ · Vestland$/);
    });
    // The status button shows the reader's own overview.
    expect(card.actions).toEqual([{ type: "Action.Submit", title: "Status", data: { command: "status" } }]);
  });

  it.each(LANGS)("a person's digest spanning regions says which is which (%s)", (lang) => {
    const today = "2028-01-12";
    const items = ["46", "15", "18"].map((regionId) =>
      item(due({ today, ...SIGNING_BLOCKED, regionId }, "agreement-signed:region", "blocked", "sign"), "blocked", { regionId }),
    );
    const card = personCard(today, items, lang);
    checkCard(card);
    expect(shownItems(card).map((s) => s.heading.split(" · ").at(-1))).toEqual(["Vestland", "Møre og Romsdal", "Nordland"]);
  });

  it.each(LANGS)("a channel's card names its region in the title and has the region's status button (%s)", (lang) => {
    const { today, items } = mixedItems(true);
    const regional = items.filter((i) => i.regionId === "46").map((i) => ({ ...i, reason: "channel" as const }));
    const card: any = renderNudgeCard({ to: { kind: "channel", regionId: "46" }, today, items: regional }, lang);
    checkCard(card);
    expect(card.body[0].text).toBe({ nb: "Årshjulet – Vestland", nn: "Årshjulet – Vestland", en: "Annual wheel – Vestland" }[lang]);
    expect(card.actions).toEqual([{ type: "Action.Submit", title: "Status Vestland", data: { command: "status" } }]);
    // One region's card: the items need not repeat it.
    for (const shown of shownItems(card)) expect(shown.heading).not.toMatch(/ · Vestland$/);
  });

  it.each(LANGS)("the intro counts the items and dates the card; the footer explains snooze and § (%s)", (lang) => {
    const { today, items } = mixedItems(true);
    const card: any = personCard(today, items, lang);
    const text = cardText(card);
    expect(card.body[1].text).toMatch(new RegExp(`^${items.length} .*${date(lang, "12. januar 2028", "12 January 2028")}`));
    expect(text).toContain(date(lang, "12. januar 2028", "12 January 2028"));
    expect(text).toContain({ nb: "«Utsett»", nn: "«Utset»", en: "“Snooze”" }[lang]);
    expect(text).not.toMatch(/… (og|and) \d+/); // nothing left out
  });
});

// ---------------------------------------------------------------------------------------------
// A long digest
// ---------------------------------------------------------------------------------------------

describe("a digest of many items", () => {
  /**
   * An administrator when nobody holds any role, at 2 February 2028 in a year where the regions
   * did nothing after their spring meetings: every region's overdue and blocked steps, planned
   * exactly as the app does.
   */
  function everything(): { today: IsoDate; items: NudgeCardItem[] } {
    const today = "2028-02-02";
    const national = evaluate({ today, national: NATIONAL_SPRING }).filter((o) => o.step.scope === "national");
    const tracks = [
      { regionId: NATIONAL, obligations: national },
      ...REGIONS.map((r) => ({
        regionId: r.id,
        obligations: evaluate({ today, national: NATIONAL_SPRING, regional: REGIONAL_TO_AUTUMN.slice(0, 6), regionId: r.id }).filter((o) => o.step.scope === "region"),
      })),
    ];
    const digests = planNudges({ today, cadence: DEFAULT_CADENCE, tracks, directory: { people: [], admins: ["admin-1"], channels: [] } });
    const digest = only(digests);
    return { today, items: digest.items.map((i) => ({ ...i, canRecord: true })) };
  }

  it("has every region and many items", () => {
    const { items } = everything();
    expect(items.length).toBeGreaterThanOrEqual(40);
    expect(new Set(items.map((i) => i.regionId)).size).toBe(REGIONS.length + 1);
  });

  it.each(LANGS)("shows at most %s items, says how many more, and stays under 28 KB (%s)".replace("%s", String(MAX_NUDGE_ITEMS)), (lang) => {
    const { today, items } = everything();
    for (const n of [40, items.length]) {
      const card: any = personCard(today, items.slice(0, n), lang);
      checkCard(card);
      expect(cardBytes(card)).toBeLessThan(MAX_CARD_BYTES);
      const shown = shownItems(card);
      expect(shown).toHaveLength(MAX_NUDGE_ITEMS);
      // Most urgent first, as given.
      expect(shown.map((s) => s.heading)).toEqual(shownItems(personCard(today, items.slice(0, MAX_NUDGE_ITEMS), lang)).map((s) => s.heading));
      const text = cardText(card);
      expect(text).toContain({ nb: `… og ${n - MAX_NUDGE_ITEMS} til.`, nn: `… og ${n - MAX_NUDGE_ITEMS} til.`, en: `… and ${n - MAX_NUDGE_ITEMS} more.` }[lang]);
      expect(card.body[1].text).toMatch(new RegExp(`^${n} `)); // the intro counts them all
      const ids = executeActions(card).filter((a) => a.data?.dateField).map((a) => a.data.dateField);
      expect(new Set(ids).size).toBe(MAX_NUDGE_ITEMS);
    }
  });

  it.each(LANGS)("exactly %s items: all shown, nothing said of more (%s)".replace("%s", String(MAX_NUDGE_ITEMS)), (lang) => {
    const { today, items } = everything();
    const card = personCard(today, items.slice(0, MAX_NUDGE_ITEMS), lang);
    checkCard(card);
    expect(shownItems(card)).toHaveLength(MAX_NUDGE_ITEMS);
    expect(cardText(card)).not.toMatch(/… (og|and) \d+/);
  });
});

// ---------------------------------------------------------------------------------------------
// The welcome card
// ---------------------------------------------------------------------------------------------

describe("the welcome card", () => {
  const views: WelcomeView[] = [
    { shared: true, adminNames: ["Anne Admin", "Ola ${Nordmann}"], unnamedAdmins: 2 },
    { shared: false, adminNames: ["Anne Admin"], unnamedAdmins: 0 },
    { shared: true, adminNames: [], unnamedAdmins: 0 },
    { shared: false, adminNames: [], unnamedAdmins: 3 },
  ];

  it.each(LANGS)("is valid shared or not, with and without admins (%s)", (lang) => {
    for (const view of views) checkCard(renderWelcomeCard(view, lang));
  });

  it.each(LANGS)("names the admins and counts those known only by id (%s)", (lang) => {
    const text = cardText(renderWelcomeCard({ shared: false, adminNames: ["Anne Admin", "Ola Nordmann"], unnamedAdmins: 2 }, lang));
    expect(text).toContain(
      {
        nb: "Administratorer: Anne Admin, Ola Nordmann og 2 til som ikke har skrevet til meg ennå.",
        nn: "Administratorar: Anne Admin, Ola Nordmann og 2 til som ikkje har skrive til meg enno.",
        en: "Administrators: Anne Admin, Ola Nordmann and 2 more who have not written to me yet.",
      }[lang],
    );
    const named = cardText(renderWelcomeCard({ shared: false, adminNames: ["Anne Admin"], unnamedAdmins: 0 }, lang));
    expect(named).toContain({ nb: "Administratorer: Anne Admin.", nn: "Administratorar: Anne Admin.", en: "Administrators: Anne Admin." }[lang]);
    // Nobody set up: said in words a Teams user can pass on, not as the environment variable's name.
    const none = cardText(renderWelcomeCard({ shared: false, adminNames: [], unnamedAdmins: 0 }, lang));
    expect(none).toContain({ nb: "Ingen administrator er satt opp ennå. Det gjøres i oppsettet av appen", nn: "Ingen administrator er sett opp enno. Det blir gjort i oppsettet av appen", en: "No administrator is set up yet. That is done in the app's setup" }[lang]);
    expect(none).not.toMatch(/[A-Z]+_[A-Z_]+/);
  });

  it.each(LANGS)("one admin known only by id is one person, not «administrator(er)» (%s)", (lang) => {
    const text = cardText(renderWelcomeCard({ shared: false, adminNames: [], unnamedAdmins: 1 }, lang));
    expect(text).toContain({ nb: "1 administrator er satt opp; navnet ser jeg", nn: "1 administrator er sett opp; namnet ser eg", en: "1 administrator is set up; I will know their name" }[lang]);
    expect(text).not.toMatch(/\(\w+\)/);
  });

  it.each(LANGS)("admins known only by id (a fresh install): counted, not announced as «N more» of nobody (%s)", (lang) => {
    const text = cardText(renderWelcomeCard({ shared: true, adminNames: [], unnamedAdmins: 2 }, lang));
    expect(text).toContain("2");
    expect(text).not.toContain("ADMIN_AAD_IDS"); // there are admins
    expect(text).not.toMatch(/: 2 (til|more)\./);
  });

  it.each(LANGS)("mentions binding to a region only in a channel or group chat (%s)", (lang) => {
    const bind = { nb: "bind Vestland", nn: "bind Vestland", en: "bind Vestland" }[lang];
    expect(cardText(renderWelcomeCard({ shared: true, adminNames: ["Anne Admin"], unnamedAdmins: 0 }, lang))).toContain(bind);
    expect(cardText(renderWelcomeCard({ shared: false, adminNames: ["Anne Admin"], unnamedAdmins: 0 }, lang))).not.toContain(bind);
  });

  it.each(LANGS)("its buttons send the commands in the reader's language (%s)", (lang) => {
    const card: any = renderWelcomeCard({ shared: true, adminNames: ["Anne Admin"], unnamedAdmins: 0 }, lang);
    const words = lang === "en" ? ["status", "overview", "help"] : ["status", "oversikt", "hjelp"];
    expect(card.actions).toEqual(words.map((w) => ({ type: "Action.Submit", title: w.charAt(0).toUpperCase() + w.slice(1), data: { command: w } })));
    // The card's own text points at the same words.
    const text = cardText(card);
    for (const w of words.slice(0, 2)) expect(text).toContain(lang === "en" ? `“${w}”` : `«${w}»`);
  });

  it("says what the bot does, in the reader's language", () => {
    expect(cardText(renderWelcomeCard(views[1]!, "nb"))).toContain("Hei! Jeg er Samhandling");
    expect(cardText(renderWelcomeCard(views[1]!, "nn"))).toContain("Hei! Eg er Samhandling");
    expect(cardText(renderWelcomeCard(views[1]!, "en"))).toContain("Hello! I am Samhandling");
  });
});

// ---------------------------------------------------------------------------------------------
// Issue 10: report rounds — the button to the hub, and the coordinator's word on a due round
// ---------------------------------------------------------------------------------------------

describe("§3.1/§3.2 report rounds in the digest", () => {
  /** Vestland's spring meeting planned for 21 April 2027: reports due 14 April; the day after, the round is due. */
  const springDue = (regional: EventData[]) => ({ today: "2027-04-15" as IsoDate, national: NATIONAL_SPRING, regional: [planned("regional-spring", "2027-04-21"), ...regional] });
  const roundItem = (regional: EventData[], reason: "responsible" | "unassigned" = "responsible"): NudgeCardItem => {
    const round = reportRounds(evaluate(springDue(regional))).get("2027|follow-up-report-spring")!;
    return { regionId: "46", year: YEAR, stage: "round-due", topic: "report", reason, obligation: round[0]!, round: roundTally(round)!, canRecord: false };
  };
  const waivedNfr: EventData = { type: "follow-up-report-waived", round: "spring", agency: "NFR", reason: "Ingen aktivitet i år" };

  it.each(LANGS)("a reminder or overdue report item opens the agency's report hub (report.open, with region, year, round and agency) (%s)", (lang) => {
    const o = due({ today: "2027-04-20", national: NATIONAL_SPRING, regional: [planned("regional-spring", "2027-04-21")] }, "follow-up-report-spring:NFR", "overdue", "report");
    const { card, shown } = render("2027-04-20", item(o, "overdue"), lang);
    expect(executeActions(card).filter((a) => a.verb === "report.open").map((a) => a.data)).toEqual([{ regionId: "46", year: YEAR, round: "spring", agency: "NFR" }]);
    expect(shown.actions[0].title).toBe({ nb: "Åpne rapporten", nn: "Opne rapporten", en: "Open the report" }[lang]);
    // Someone told of it who may not write it gets no button to a report that would refuse them.
    expect(executeActions(render("2027-04-20", item(o, "overdue", { reason: "escalation", canRecord: false }), lang).card).filter((a) => a.verb === "report.open")).toEqual([]);
  });

  it.each(LANGS)("all reports in: a green heading, the count with its plural, who will not report, and a button to the round's summary (%s)", (lang) => {
    const it = roundItem([report("spring", "IN", "2027-04-12"), report("spring", "SIVA", "2027-04-14"), waivedNfr]);
    expect(it.round).toMatchObject({ answered: ["IN", "SIVA"], waived: ["NFR"], missing: [] });
    const { card, shown } = render("2027-04-15", it, lang);
    expect(shown.heading).toBe({ nb: "✅ Etter fristen: Oppfølgingsrapport (vår) · Vestland", nn: "✅ Etter fristen: Oppfølgingsrapport (vår) · Vestland", en: "✅ After the deadline: Follow-up report (spring) · Vestland" }[lang]);
    expect(shown.text).toBe(
      {
        nb: "Begge rapportene er inne til dialogmøtet 21. april 2027. Vil ikke rapportere: Forskningsrådet.",
        nn: "Begge rapportane er inne til dialogmøtet 21. april 2027. Vil ikkje rapportere: Forskningsrådet.",
        en: "Both reports are in for the dialogue meeting on 21 April 2027. Will not report: Forskningsrådet.",
      }[lang],
    );
    expect(shown.note).toContain("§3.1");
    expect(executeActions(card).filter((a) => a.verb !== "nudge.snooze").map((a) => [a.verb, a.data])).toEqual([["report.summary", { regionId: "46", year: YEAR, round: "spring" }]]);
  });

  it.each(LANGS)("reports missing: who, with a real plural, who answered, and that late answers are taken until the meeting (%s)", (lang) => {
    const one = render("2027-04-15", roundItem([report("spring", "IN", "2027-04-12"), report("spring", "SIVA", "2027-04-14")]), lang).shown;
    expect(one.heading.startsWith("📋 ")).toBe(true);
    expect(one.text).toContain({ nb: "Én rapport mangler: Forskningsrådet.", nn: "Éin rapport manglar: Forskningsrådet.", en: "One report is missing: Forskningsrådet." }[lang]);
    expect(one.text).toContain({ nb: "Levert: Innovasjon Norge, SIVA.", nn: "Levert: Innovasjon Norge, SIVA.", en: "Submitted: Innovasjon Norge, SIVA." }[lang]);
    expect(one.text).toContain(date(lang, "14. april 2027", "14 April 2027"));
    const three = render("2027-04-15", roundItem([]), lang).shown;
    expect(three.text).toContain({ nb: "3 rapporter mangler", nn: "3 rapportar manglar", en: "3 reports are missing" }[lang]);
    expect(three.text).toContain(date(lang, "21. april 2027", "21 April 2027"));
    expect(three.text).not.toContain({ nb: "Levert", nn: "Levert", en: "Submitted" }[lang]);
  });

  it.each(LANGS)("the round's word to the admins when nobody is the region's coordinator names that role (%s)", (lang) => {
    const { shown } = render("2027-04-15", roundItem([], "unassigned"), lang);
    expect(shown.note).toContain({ nb: "regionkoordinator for Vestland", nn: "regionkoordinator for Vestland", en: "Vestland" }[lang]);
    expect(shown.note).toContain({ nb: "Ingen har rollen", nn: "Ingen har rolla", en: "Nobody holds the role" }[lang]);
  });
});
