/**
 * The nudge planner (src/domain/nudges.ts), one named test per rule, each citing the seed's §.
 * Obligations are evaluated as the app does (events → `reduceCycle` → `obligations(...)` at noon
 * in Oslo on the day in question; a region's track holds its regional steps, the national track
 * the national ones, as `allTracks` builds them), never written by hand.
 *
 * Every expected date is worked out by hand on the 2027 calendar: 1 January 2027 is a Friday;
 * Maundy Thursday 25 March, Good Friday 26 March, Easter Monday 29 March; Ascension 6 May;
 * Whit Monday 17 May (also Constitution Day); 1 May is a Saturday; ISO weeks 28–30 (the July
 * holiday) are 12 July – 1 August; 1 January 2028 is a Saturday. DEFAULT_CADENCE skips the
 * Christmas week (24–31 December) and the July holiday besides weekends and public holidays.
 */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { OSLO, type IsoDate } from "../../src/domain/calendar.js";
import { reduceCycle } from "../../src/domain/cycle.js";
import type { EventData } from "../../src/domain/events.js";
import { ev } from "../support/events.js";
import {
  byNudgeUrgency,
  DEFAULT_CADENCE,
  firstNoticeOn,
  holdersOf,
  nudgeKey,
  planNudges,
  recipientId,
  reminderOn,
  reportRounds,
  responsibleRoleText,
  roundDueToday,
  roundTally,
  sentAlone,
  stageDue,
  topicOf,
  type Digest,
  type Directory,
  type NudgeItem,
  type NudgeStage,
  type NudgeTopic,
} from "../../src/domain/nudges.js";
import { obligations, type Obligation } from "../../src/domain/obligations.js";
import { MODEL_2017 } from "../../src/domain/process.js";
import { DEFAULT_COMMISSION_AGENCIES, DEFAULT_PARTY_AGENCIES, NATIONAL, type AgencyId } from "../../src/domain/regions.js";
import { parseRole, type Role } from "../../src/domain/roles.js";

// ---------------------------------------------------------------------------------------------
// Helpers: the wheel as the app evaluates it
// ---------------------------------------------------------------------------------------------

interface Scenario {
  /** Cycle year. */
  year: number;
  national?: EventData[];
  regional?: EventData[];
  regionId?: string;
  /** The region's (and the national) tracking start; default 1 January 2026. */
  trackingStart?: IsoDate;
  partyAgencies?: readonly AgencyId[];
  commissionAgencies?: readonly AgencyId[];
  agreementInForce?: boolean;
}

/** Every obligation of the cycle (national and the region's) at noon in Oslo on `today`. */
function evaluate(s: Scenario, today: IsoDate, withRegion = true): Obligation[] {
  const trackingStart = s.trackingStart ?? "2026-01-01";
  const regionId = s.regionId ?? "46";
  return obligations({
    model: MODEL_2017,
    year: s.year,
    now: DateTime.fromISO(`${today}T12:00`, { zone: OSLO }),
    national: reduceCycle(NATIONAL, s.year, (s.national ?? []).map((d) => ev(d))),
    nationalTrackingStart: trackingStart,
    nationalAgencies: DEFAULT_PARTY_AGENCIES,
    ...(withRegion
      ? {
          region: {
            setup: {
              regionId,
              partyAgencies: s.partyAgencies ?? DEFAULT_PARTY_AGENCIES,
              commissionAgencies: s.commissionAgencies ?? DEFAULT_COMMISSION_AGENCIES,
              trackingStart,
            },
            state: reduceCycle(regionId, s.year, (s.regional ?? []).map((d) => ev(d))),
          },
        }
      : {}),
    ...(s.agreementInForce !== undefined ? { agreementInForce: s.agreementInForce } : {}),
  });
}

/** The national track, as `allTracks` builds it (no region). */
function nationalTrack(s: Scenario, today: IsoDate) {
  return { regionId: NATIONAL, obligations: evaluate(s, today, false) };
}

/** A region's track: its regional steps only (the national ones are the national track's). */
function regionTrack(s: Scenario, today: IsoDate) {
  return { regionId: s.regionId ?? "46", obligations: evaluate(s, today).filter((o) => o.step.scope === "region") };
}

function at(s: Scenario, today: IsoDate, key: string): Obligation {
  const found = evaluate(s, today).find((o) => o.key === key);
  if (!found) throw new Error(`no step "${key}" in cycle ${s.year}`);
  return found;
}

function stageOn(s: Scenario, key: string, today: IsoDate): NudgeStage | undefined {
  return stageDue(at(s, today, key), today, DEFAULT_CADENCE);
}

/** Every nudge due in the cycle on `today`, as [step instance, stage]. */
function dueOn(s: Scenario, today: IsoDate): Array<[string, NudgeStage]> {
  return evaluate(s, today).flatMap((o): Array<[string, NudgeStage]> => {
    const stage = stageDue(o, today, DEFAULT_CADENCE);
    return stage ? [[o.key, stage]] : [];
  });
}

// People, by Entra object id, and the directory the planner is given.
const NC = "p-ruk-au";
const VC = "p-vestland";
const RC50 = "p-trondelag";
const IN46 = "p-in-vestland";
const IN50 = "p-in-trondelag";
const IN_NAT = "p-in-national";
const SIVA_NAT = "p-siva-national";
const NFR46 = "p-nfr-vestland";
const A1 = "p-admin-1";
const A2 = "p-admin-2";

function directory(people: Record<string, string[]>, channels: Directory["channels"] = []): Directory {
  const role = (text: string): Role => {
    const parsed = parseRole(text);
    if (!parsed.ok) throw new Error(`bad role in test: ${text}`);
    return parsed.role;
  };
  const list = Object.entries(people).map(([personId, roles]) => ({ personId, roles: roles.map(role) }));
  return { people: list, admins: list.filter((p) => p.roles.some((r) => r.kind === "admin")).map((p) => p.personId), channels };
}

/** Each recipient's digest as "key reason" lines, in the digest's order. */
function view(digests: Digest[]): Record<string, string[]> {
  const ids = digests.map((d) => recipientId(d.recipient));
  expect(new Set(ids).size).toBe(ids.length); // one digest per recipient
  return Object.fromEntries(digests.map((d) => [recipientId(d.recipient), d.items.map((i) => `${i.key} ${i.reason}`)]));
}

// Event builders.
type MeetingName = "national-spring" | "national-autumn" | "regional-spring" | "regional-autumn";
const planned = (meeting: MeetingName, date: IsoDate): EventData => ({ type: "meeting-planned", meeting, date });
const invited = (meeting: MeetingName, date: IsoDate): EventData => ({ type: "invitations-sent", meeting, date });
const held = (meeting: MeetingName, date: IsoDate): EventData => ({ type: "meeting-held", meeting, date });
const report = (round: "spring" | "autumn", agency: AgencyId, date: IsoDate): EventData => ({ type: "follow-up-report-submitted", round, agency, date });
const waived = (round: "spring" | "autumn", agency: AgencyId, reason: string): EventData => ({ type: "follow-up-report-waived", round, agency, reason });
const draft = (date: IsoDate): EventData => ({ type: "draft-agreement-ready", date });
const treated = (date: IsoDate, outcome: "approved" | "sent-back" = "approved"): EventData => ({
  type: "political-treatment-recorded",
  body: "Fylkesutvalet",
  date,
  caseNumber: "2026/4711",
  outcome,
});
const stateBudget = (date: IsoDate): EventData => ({ type: "state-budget-adopted", date });
const letter = (agency: AgencyId, date: IsoDate): EventData => ({ type: "allocation-letter-received", agency, date });
const regionalBudget = (date: IsoDate): EventData => ({ type: "regional-budget-adopted", date });
const commission = (agency: AgencyId, date: IsoDate): EventData => ({ type: "commission-agreement-sent", agency, date });

// ---------------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------------

/** Cycle 2027, nothing recorded: RUK AU's invitations to the spring meeting are due 31 March − 42 days = 17 February. */
const SPRING_2027: Scenario = { year: 2027 };

/** Cycle 2027 in Vestland: national spring meeting convened and held; regional spring meeting planned for `date`. */
function springRound(date: IsoDate, more: Partial<Scenario> = {}): Scenario {
  return {
    year: 2027,
    national: [invited("national-spring", "2027-01-25"), held("national-spring", "2027-03-10")],
    regional: [planned("regional-spring", date)],
    ...more,
  };
}

/**
 * Cycle 2026 seen in January 2027, Vestland, installed 1 December 2026 (earlier steps are not
 * tracked): the draft was ready and the autumn meeting held in November, so agreement 2027 waits
 * for the political treatment, the budgets and the allocation letters (§2.1, §3.2).
 */
const JANUARY_2027: Scenario = {
  year: 2026,
  trackingStart: "2026-12-01",
  national: [],
  regional: [draft("2026-11-05"), held("regional-autumn", "2026-11-19")],
};

/** JANUARY_2027 with every precondition of §2.1 in place before Christmas. */
const READY_2027: Scenario = {
  ...JANUARY_2027,
  national: [stateBudget("2026-12-16"), letter("IN", "2026-12-18"), letter("SIVA", "2026-12-18"), letter("NFR", "2026-12-18")],
  regional: [...JANUARY_2027.regional!, treated("2026-12-10"), regionalBudget("2026-12-10")],
};

// ---------------------------------------------------------------------------------------------
// Cadence
// ---------------------------------------------------------------------------------------------

describe("cadence", () => {
  it("the default cadence: first notice 15 working days ahead, reminder 10 working days after it, report rounds open 20 working days before the meeting, Christmas week and July holiday skipped", () => {
    expect(DEFAULT_CADENCE).toEqual({
      firstNoticeWorkingDays: 15,
      reminderAfterWorkingDays: 10,
      reportRoundOpenWorkingDays: 20,
      workingDays: { skipChristmasWeek: true, skipJulyHoliday: true },
    });
  });

  it("§4.1 RUK AU is told to convene the national spring meeting 15 working days before the invitation deadline (27 January), reminded 10 working days later (10 February)", () => {
    const o = at(SPRING_2027, "2027-01-20", "national-spring-meeting-convened");
    expect([o.opensOn, o.deadline, o.state]).toEqual(["2027-01-01", "2027-02-17", "open"]);
    expect(topicOf(o.step)).toBe("convene");
    expect(firstNoticeOn(o, DEFAULT_CADENCE)).toBe("2027-01-27");
    expect(reminderOn(o, DEFAULT_CADENCE)).toBe("2027-02-10");
  });

  it.each<[IsoDate, NudgeStage | undefined]>([
    ["2027-01-04", undefined],
    ["2027-01-26", undefined],
    ["2027-01-27", "first"],
    ["2027-02-09", "first"],
    ["2027-02-10", "reminder"],
    ["2027-02-17", "reminder"],
    ["2027-02-18", "overdue"],
    ["2027-03-15", "overdue"],
  ])("§4.1 the national spring convening on %s: %s", (today, stage) => {
    expect(stageOn(SPRING_2027, "national-spring-meeting-convened", today)).toBe(stage);
  });

  it("§4.1 once the invitations are recorded nothing more is said", () => {
    const s = { year: 2027, national: [invited("national-spring", "2027-02-01")] };
    for (const today of ["2027-02-10", "2027-02-18", "2027-03-01"]) {
      expect(at(s, today, "national-spring-meeting-convened").state).toBe("done");
      expect(stageOn(s, "national-spring-meeting-convened", today)).toBeUndefined();
    }
  });

  it("§4.2 Easter 2027 is not counted: invitations to a regional spring meeting on 28 April are due 7 April, first notice 12 March, reminder 31 March", () => {
    const s = springRound("2027-04-28");
    const o = at(s, "2027-03-01", "regional-spring-meeting-convened");
    expect(o.deadline).toBe("2027-04-07");
    expect(o.responsible).toEqual({ role: "region-coordinator", regionId: "46" });
    expect(firstNoticeOn(o, DEFAULT_CADENCE)).toBe("2027-03-12");
    expect(reminderOn(o, DEFAULT_CADENCE)).toBe("2027-03-31");
    expect(
      (["2027-03-11", "2027-03-12", "2027-03-30", "2027-03-31", "2027-04-07", "2027-04-08"] as const).map((d) => stageOn(s, "regional-spring-meeting-convened", d)),
    ).toEqual([undefined, "first", "first", "reminder", "reminder", "overdue"]);
  });

  it("§3.1 Ascension Day and Whit Monday are not counted: reports for a spring meeting on 27 May are due 20 May, first notice 27 April, reminder 12 May", () => {
    const s = springRound("2027-05-27");
    const o = at(s, "2027-04-01", "follow-up-report-spring:SIVA");
    expect(o.deadline).toBe("2027-05-20");
    expect(topicOf(o.step)).toBe("report");
    expect(firstNoticeOn(o, DEFAULT_CADENCE)).toBe("2027-04-27");
    expect(reminderOn(o, DEFAULT_CADENCE)).toBe("2027-05-12");
    expect(
      (["2027-04-26", "2027-04-27", "2027-05-11", "2027-05-12", "2027-05-20", "2027-05-21"] as const).map((d) => stageOn(s, "follow-up-report-spring:SIVA", d)),
    ).toEqual([undefined, "first", "first", "reminder", "reminder", "overdue"]);
  });

  it("the July holiday is not counted: reports for a spring meeting moved to 19 August (due 12 August) are announced 1 July, not 22 July, and reminded 5 August", () => {
    const s = springRound("2027-08-19");
    const o = at(s, "2027-06-15", "follow-up-report-spring:IN");
    expect(o.deadline).toBe("2027-08-12");
    expect(firstNoticeOn(o, DEFAULT_CADENCE)).toBe("2027-07-01");
    expect(firstNoticeOn(o, { ...DEFAULT_CADENCE, workingDays: {} })).toBe("2027-07-22");
    expect(reminderOn(o, DEFAULT_CADENCE)).toBe("2027-08-05");
    expect(stageOn(s, "follow-up-report-spring:IN", "2027-07-30")).toBe("first");
    expect(stageOn(s, "follow-up-report-spring:IN", "2027-08-05")).toBe("reminder");
  });

  it("the Christmas week is not counted: reports for an autumn meeting moved to 12 January 2028 (due 5 January) are announced 7 December, not 15 December, and reminded 21 December", () => {
    const s: Scenario = { year: 2027, regional: [planned("regional-autumn", "2028-01-12")] };
    const o = at(s, "2027-11-15", "follow-up-report-autumn:NFR");
    expect(o.deadline).toBe("2028-01-05");
    expect(firstNoticeOn(o, DEFAULT_CADENCE)).toBe("2027-12-07");
    expect(firstNoticeOn(o, { ...DEFAULT_CADENCE, workingDays: {} })).toBe("2027-12-15");
    expect(reminderOn(o, DEFAULT_CADENCE)).toBe("2027-12-21");
  });

  it("§4.1 a step is announced the day it opens when that is later: the national autumn meeting on 1 October needs invitations by 20 August; the step opens 1 August", () => {
    const s: Scenario = { year: 2027, national: [planned("national-autumn", "2027-10-01")] };
    const o = at(s, "2027-07-30", "national-autumn-meeting-convened");
    expect([o.state, o.opensOn, o.deadline]).toEqual(["not-yet-open", "2027-08-01", "2027-08-20"]);
    expect(firstNoticeOn(o, DEFAULT_CADENCE)).toBe("2027-08-01");
    expect(stageOn(s, "national-autumn-meeting-convened", "2027-07-30")).toBeUndefined();
    expect(stageOn(s, "national-autumn-meeting-convened", "2027-08-02")).toBe("first");
  });

  it("§4.1 the reminder comes 10 working days after the first notice is sent: a step opening on Sunday 1 August 2027 is announced Monday 2 August and reminded Monday 16 August", () => {
    // Nothing is sent on a Sunday (product.md: working days only): the first notice goes out on
    // Monday 2 August, so the reminder is due 10 working days after that, not 9.
    const s: Scenario = { year: 2027, national: [planned("national-autumn", "2027-10-01")] };
    expect(stageOn(s, "national-autumn-meeting-convened", "2027-08-13")).toBe("first");
    expect(stageOn(s, "national-autumn-meeting-convened", "2027-08-16")).toBe("reminder");
  });

  it("done, not-tracked, not-applicable and not-yet-open steps are never nudged", () => {
    // done
    const done = springRound("2027-05-27", { regional: [planned("regional-spring", "2027-05-27"), report("spring", "IN", "2027-05-03")] });
    expect(at(done, "2027-05-12", "follow-up-report-spring:IN").state).toBe("done");
    expect(stageOn(done, "follow-up-report-spring:IN", "2027-05-12")).toBeUndefined();
    expect(stageOn(done, "follow-up-report-spring:SIVA", "2027-05-12")).toBe("reminder");
    // not-tracked: installed 1 March 2027, after the 17 February invitation deadline
    const late: Scenario = { year: 2027, trackingStart: "2027-03-01" };
    expect(at(late, "2027-03-02", "national-spring-meeting-convened").state).toBe("not-tracked");
    expect(stageOn(late, "national-spring-meeting-convened", "2027-03-02")).toBeUndefined();
    // not-applicable: no commission agreement to SIVA (§3.3); no agreement in force to report on (§3.1)
    expect(at(READY_2027, "2027-01-25", "commission-agreement-sent:SIVA").state).toBe("not-applicable");
    expect(stageOn(READY_2027, "commission-agreement-sent:SIVA", "2027-01-25")).toBeUndefined();
    expect(stageOn(READY_2027, "commission-agreement-sent:IN", "2027-01-25")).toBe("reminder");
    const noAgreement = springRound("2027-05-27", { agreementInForce: false });
    expect(at(noAgreement, "2027-05-21", "follow-up-report-spring:NFR").state).toBe("not-applicable");
    expect(stageOn(noAgreement, "follow-up-report-spring:NFR", "2027-05-21")).toBeUndefined();
    // not-yet-open: agreement 2028 cannot be signed in December 2027
    expect(at({ year: 2027 }, "2027-12-31", "agreement-signed:region").state).toBe("not-yet-open");
    expect(stageOn({ year: 2027 }, "agreement-signed:region", "2027-12-31")).toBeUndefined();
  });

  it("every step of the 2017 model has the topic its card is worded for", () => {
    expect(MODEL_2017.steps.map((s) => [s.id, topicOf(s)])).toEqual<Array<[string, NudgeTopic]>>([
      ["national-spring-meeting-convened", "convene"],
      ["national-spring-meeting-held", "other"],
      ["regional-spring-meeting-convened", "convene"],
      ["follow-up-report-spring", "report"],
      ["regional-spring-meeting-held", "other"],
      ["national-autumn-meeting-convened", "convene"],
      ["national-autumn-meeting-held", "other"],
      ["draft-agreement-ready", "other"],
      ["regional-autumn-meeting-convened", "convene"],
      ["follow-up-report-autumn", "report"],
      ["regional-autumn-meeting-held", "other"],
      ["political-treatment", "political-treatment"],
      ["state-budget-adopted", "other"],
      ["regional-budget-adopted", "other"],
      ["allocation-letter-received", "other"],
      ["agreement-signed", "sign"],
      ["commission-agreement-sent", "commission"],
    ]);
  });

  it.each<[string, string, IsoDate, IsoDate]>([
    // step, key, a day in the last week before the deadline, the day after the deadline
    ["§1 the national spring meeting held", "national-spring-meeting-held", "2027-03-25", "2027-04-01"],
    ["§3.1 the regional spring meeting held", "regional-spring-meeting-held", "2027-06-28", "2027-07-01"],
    // Due 31 December, which is in Christmas week: Thursday 23 December.
    ["§3/§3.2 the draft agreement", "draft-agreement-ready", "2027-12-20", "2027-12-24"],
    ["§2.1 the state budget", "state-budget-adopted", "2027-12-20", "2027-12-24"],
    ["§2.1 the regional budget", "regional-budget-adopted", "2027-12-20", "2027-12-24"],
    ["§2.1 the NFR allocation letter", "allocation-letter-received:NFR", "2028-01-25", "2028-02-01"],
  ])("%s is not announced before its deadline, only when overdue", (_what, key, before, after) => {
    // The regional spring meeting waits for the national one (§3.1): held here, unless it is the step itself.
    const s: Scenario = { year: 2027, national: key === "national-spring-meeting-held" ? [] : [held("national-spring", "2027-03-10")] };
    expect(at(s, before, key).state).toBe("due-soon");
    expect(stageOn(s, key, before)).toBeUndefined();
    expect(at(s, after, key).state).toBe("overdue");
    expect(stageOn(s, key, after)).toBe("overdue");
  });
});

// ---------------------------------------------------------------------------------------------
// §2.1 signing; §3.2 political treatment; §3.3 commission agreements; follow-up reports
// ---------------------------------------------------------------------------------------------

describe("§2.1 signing", () => {
  const withoutNfr: Scenario = { ...READY_2027, national: READY_2027.national!.filter((d) => !(d.type === "allocation-letter-received" && d.agency === "NFR")) };

  it("§2.1 while the NFR allocation letter is missing, the signing is 'blocked' from the day it opens (1 January) and names what is missing; past the deadline (Friday 29 January: 31 January 2027 is a Sunday) still 'blocked', said once, while NFR's letter is the overdue step", () => {
    expect(at(withoutNfr, "2026-12-31", "agreement-signed:region").state).toBe("not-yet-open");
    expect(stageOn(withoutNfr, "agreement-signed:region", "2026-12-31")).toBeUndefined();
    expect(stageOn(withoutNfr, "agreement-signed:region", "2027-01-04")).toBe("blocked");
    for (const today of ["2027-01-04", "2027-01-25", "2027-01-29"]) {
      const o = at(withoutNfr, today, "agreement-signed:SIVA");
      expect(o.state).toBe("waiting");
      expect(o.missing).toEqual([{ stepId: "allocation-letter-received", party: "NFR" }]);
      expect(stageDue(o, today, DEFAULT_CADENCE)).toBe("blocked");
      expect(topicOf(o.step)).toBe("sign");
    }
    const late = at(withoutNfr, "2027-02-01", "agreement-signed:SIVA");
    expect([late.state, late.deadline]).toEqual(["blocked", "2027-01-29"]);
    expect(stageDue(late, "2027-02-01", DEFAULT_CADENCE)).toBe("blocked");
    expect(late.missing).toEqual([{ stepId: "allocation-letter-received", party: "NFR" }]);
    // The same notice as in January: the party is not told again, and not blamed.
    expect(nudgeKey("46", late, "blocked")).toBe(nudgeKey("46", at(withoutNfr, "2027-01-04", "agreement-signed:SIVA"), "blocked"));
    expect(stageOn(withoutNfr, "allocation-letter-received:NFR", "2027-02-01")).toBe("overdue");
  });

  it("§2.1 with neither budget adopted, the blocked signing names the state budget and the regional budget", () => {
    const s: Scenario = {
      ...READY_2027,
      national: READY_2027.national!.filter((d) => d.type !== "state-budget-adopted"),
      regional: READY_2027.regional!.filter((d) => d.type !== "regional-budget-adopted"),
    };
    const o = at(s, "2027-01-12", "agreement-signed:region");
    expect(o.missing).toEqual([{ stepId: "state-budget-adopted" }, { stepId: "regional-budget-adopted" }]);
    expect(stageDue(o, "2027-01-12", DEFAULT_CADENCE)).toBe("blocked");
  });

  it("§2.1 once the last allocation letter is recorded (13 January) the agreement 'can now be signed': first notice that day, reminder 27 January", () => {
    const s: Scenario = { ...withoutNfr, national: [...withoutNfr.national!, letter("NFR", "2027-01-13")] };
    const o = at(s, "2027-01-13", "agreement-signed:NFR");
    expect([o.state, o.missing, o.prerequisitesDoneBy]).toEqual(["open", [], "2027-01-13"]);
    expect(firstNoticeOn(o, DEFAULT_CADENCE)).toBe("2027-01-13");
    expect(reminderOn(o, DEFAULT_CADENCE)).toBe("2027-01-27");
    expect(
      (["2027-01-13", "2027-01-26", "2027-01-27", "2027-01-29", "2027-02-01"] as const).map((d) => stageOn(s, "agreement-signed:NFR", d)),
    ).toEqual(["first", "first", "reminder", "reminder", "overdue"]);
  });

  it("§2.1 with everything in place before Christmas, the signing is announced the day it opens (1 January: the first run is Monday 4 January), reminded 10 working days after that", () => {
    const o = at(READY_2027, "2027-01-04", "agreement-signed:region");
    // Due Friday 29 January: 31 January 2027 is a Sunday.
    expect([o.state, o.opensOn, o.deadline, o.prerequisitesDoneBy]).toEqual(["open", "2027-01-01", "2027-01-29", "2026-12-18"]);
    expect(firstNoticeOn(o, DEFAULT_CADENCE)).toBe("2027-01-01");
    expect(reminderOn(o, DEFAULT_CADENCE)).toBe("2027-01-18");
    expect((["2027-01-04", "2027-01-15", "2027-01-18", "2027-02-01"] as const).map((d) => stageOn(READY_2027, "agreement-signed:region", d))).toEqual([
      "first",
      "first",
      "reminder",
      "overdue",
    ]);
  });
});

describe("§4.2 a regional meeting convened once the national one has a date", () => {
  // The regional spring meeting planned for 14 April: invitations due 24 March (21 days before, a Wednesday),
  // first notice 15 working days before that, 3 March. The national spring meeting has no date yet.
  const early: Scenario = { year: 2027, national: [], regional: [planned("regional-spring", "2027-04-14")] };
  const DATE = { stepId: "national-spring-meeting-held", need: "date", meeting: "national-spring" };

  it("§4.2 invitations due 24 March, the national meeting without a date: 'blocked' from the first-notice day (3 March), naming the national meeting's date; past the deadline still 'blocked', not 'overdue' — RUK AU's steps are the late ones", () => {
    expect(stageOn(early, "regional-spring-meeting-convened", "2027-03-02")).toBeUndefined();
    const o = at(early, "2027-03-03", "regional-spring-meeting-convened");
    expect([o.state, o.deadline, o.missing]).toEqual(["waiting", "2027-03-24", [DATE]]);
    expect(stageOn(early, "regional-spring-meeting-convened", "2027-03-03")).toBe("blocked");
    const late = at(early, "2027-03-30", "regional-spring-meeting-convened");
    expect([late.state, late.missing]).toEqual(["blocked", [DATE]]);
    expect(stageOn(early, "regional-spring-meeting-convened", "2027-03-30")).toBe("blocked");
    expect(stageOn(early, "national-spring-meeting-convened", "2027-03-30")).toBe("overdue");
  });

  it("§3.1 a regional meeting that cannot be held because the national one is not: no 'overdue' to the county; RUK AU's meeting is the overdue one", () => {
    const s: Scenario = { year: 2027, national: [planned("national-spring", "2027-03-24")] };
    expect(at(s, "2027-07-01", "regional-spring-meeting-held").state).toBe("blocked");
    expect(stageOn(s, "regional-spring-meeting-held", "2027-07-01")).toBeUndefined();
    expect(stageOn(s, "national-spring-meeting-held", "2027-07-01")).toBe("overdue");
  });

  it("§4.2 once the national meeting has a date (planned for 30 March), the invitations can go before it is held: 'first'", () => {
    const s: Scenario = { ...early, national: [planned("national-spring", "2027-03-30")] };
    const o = at(s, "2027-03-10", "regional-spring-meeting-convened");
    expect([o.state, o.missing]).toEqual(["open", []]);
    expect(stageOn(s, "regional-spring-meeting-convened", "2027-03-10")).toBe("first");
  });
});

describe("§3.2 political treatment", () => {
  const awaiting: Scenario = { ...JANUARY_2027 };

  it("§3.2 the draft awaits political treatment from the autumn meeting on (19 November): announced then, reminded 3 December; still untreated in January it is a reminder; due Friday 29 January (31 January is a Sunday), overdue 1 February", () => {
    const o = at(awaiting, "2027-01-04", "political-treatment");
    expect([o.state, o.deadline, o.prerequisitesDoneBy]).toEqual(["open", "2027-01-29", "2026-11-19"]);
    expect(topicOf(o.step)).toBe("political-treatment");
    expect(o.responsible).toEqual({ role: "region-coordinator", regionId: "46" });
    expect(firstNoticeOn(o, DEFAULT_CADENCE)).toBe("2026-11-19");
    expect(reminderOn(o, DEFAULT_CADENCE)).toBe("2026-12-03");
    expect((["2027-01-04", "2027-01-29", "2027-02-01"] as const).map((d) => stageOn(awaiting, "political-treatment", d))).toEqual(["reminder", "reminder", "overdue"]);
  });

  it("§3.2 an approved treatment is not nudged", () => {
    const s: Scenario = { ...awaiting, regional: [...awaiting.regional!, treated("2027-01-14")] };
    expect(stageOn(s, "political-treatment", "2027-01-25")).toBeUndefined();
  });

  it("§3.2 a draft sent back is not announced for treatment until the reworked draft is ready; then that day, reminder 10 working days later", () => {
    // Tracked since 1 November, so the draft (due at the autumn meeting, 19 November) is tracked too.
    const s: Scenario = { ...awaiting, trackingStart: "2026-11-01", regional: [...awaiting.regional!, treated("2026-12-10", "sent-back")] };
    expect(at(s, "2027-01-12", "political-treatment").state).toBe("waiting");
    expect(stageOn(s, "political-treatment", "2027-01-12")).toBeUndefined();
    // The draft itself is overdue meanwhile.
    expect(stageOn(s, "draft-agreement-ready", "2027-01-12")).toBe("overdue");

    const reworked: Scenario = { ...s, regional: [...s.regional!, draft("2027-01-13")] };
    const o = at(reworked, "2027-01-13", "political-treatment");
    expect(firstNoticeOn(o, DEFAULT_CADENCE)).toBe("2027-01-13");
    expect(reminderOn(o, DEFAULT_CADENCE)).toBe("2027-01-27");
    expect(stageOn(reworked, "political-treatment", "2027-01-13")).toBe("first");
    expect(stageOn(reworked, "political-treatment", "2027-01-27")).toBe("reminder");
  });
});

describe("§3.3 commission agreements", () => {
  it("§3.3 the commission agreement to IN (due Friday 29 January: 31 January 2027 is a Sunday) is announced to the region 15 working days before, 8 January, reminded 22 January, overdue 1 February; none for agencies without one", () => {
    const o = at(READY_2027, "2027-01-04", "commission-agreement-sent:IN");
    expect(topicOf(o.step)).toBe("commission");
    expect(o.responsible).toEqual({ role: "region-coordinator", regionId: "46" });
    expect(o.deadline).toBe("2027-01-29");
    expect(firstNoticeOn(o, DEFAULT_CADENCE)).toBe("2027-01-08");
    expect(reminderOn(o, DEFAULT_CADENCE)).toBe("2027-01-22");
    expect((["2027-01-07", "2027-01-08", "2027-01-21", "2027-01-22", "2027-02-01"] as const).map((d) => stageOn(READY_2027, "commission-agreement-sent:IN", d))).toEqual([
      undefined,
      "first",
      "first",
      "reminder",
      "overdue",
    ]);
    for (const today of ["2027-01-08", "2027-02-01"]) {
      expect(stageOn(READY_2027, "commission-agreement-sent:SIVA", today)).toBeUndefined();
      expect(stageOn(READY_2027, "commission-agreement-sent:NFR", today)).toBeUndefined();
    }
    const sent: Scenario = { ...READY_2027, regional: [...READY_2027.regional!, commission("IN", "2027-01-20")] };
    expect(stageOn(sent, "commission-agreement-sent:IN", "2027-01-25")).toBeUndefined();
  });

  it("§3.3 a commission agreement waiting for the regional budget is not announced; the overdue regional budget is", () => {
    const s: Scenario = { ...READY_2027, regional: READY_2027.regional!.filter((d) => d.type !== "regional-budget-adopted") };
    expect(at(s, "2027-01-11", "commission-agreement-sent:IN").state).toBe("waiting");
    expect(stageOn(s, "commission-agreement-sent:IN", "2027-01-11")).toBeUndefined();
    expect(stageOn(s, "regional-budget-adopted", "2027-01-11")).toBe("overdue");
    // Past its deadline it waits only for the region's own budget: not blocked by anyone else, the
    // region is late with it too, and is told so.
    expect(at(s, "2027-02-01", "commission-agreement-sent:IN").state).toBe("overdue");
    expect(stageOn(s, "commission-agreement-sent:IN", "2027-02-01")).toBe("overdue");
    expect(stageOn(s, "regional-budget-adopted", "2027-02-01")).toBe("overdue");
  });
});

describe("§3.1/§3.2 follow-up reports", () => {
  it("§3.2 autumn reports (meeting not planned: its latest day, 31 December, moves out of Christmas week to 23 December; the reports a week before, Thursday 16 December, not julaften) are announced 25 November, reminded 9 December, overdue 17 December", () => {
    const s: Scenario = { year: 2027 };
    const o = at(s, "2027-11-15", "follow-up-report-autumn:IN");
    expect(o.deadline).toBe("2027-12-16");
    expect(o.responsible).toEqual({ role: "agency-regional", regionId: "46", agency: "IN" });
    expect(firstNoticeOn(o, DEFAULT_CADENCE)).toBe("2027-11-25");
    expect(reminderOn(o, DEFAULT_CADENCE)).toBe("2027-12-09");
    expect((["2027-11-24", "2027-11-25", "2027-12-08", "2027-12-09", "2027-12-16", "2027-12-17"] as const).map((d) => stageOn(s, "follow-up-report-autumn:IN", d))).toEqual([
      undefined,
      "first",
      "first",
      "reminder",
      "reminder",
      "overdue",
    ]);
  });

  it("§3.1 on 27 April 2027 the region's nudges are: convene the spring meeting, and each agency's spring report", () => {
    expect(dueOn(springRound("2027-05-27"), "2027-04-27")).toEqual([
      ["regional-spring-meeting-convened", "first"],
      ["follow-up-report-spring:IN", "first"],
      ["follow-up-report-spring:SIVA", "first"],
      ["follow-up-report-spring:NFR", "first"],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Recipients
// ---------------------------------------------------------------------------------------------

/** Everyone: RUK AU, both coordinators, IN's contacts (national, Vestland, Trøndelag), SIVA's national contact, two admins. */
const EVERYONE = {
  [NC]: ["national-coordinator"],
  [VC]: ["region-coordinator:46"],
  [RC50]: ["region-coordinator:50"],
  [IN_NAT]: ["agency-rep:IN"],
  [IN46]: ["agency-rep:IN:46"],
  [IN50]: ["agency-rep:IN:50"],
  [SIVA_NAT]: ["agency-rep:SIVA"],
  [A1]: ["admin"],
  [A2]: ["admin"],
};
const CHANNELS = [
  { conversationKey: "c46", regionId: "46" },
  { conversationKey: "c50", regionId: "50" },
];

describe("recipients", () => {
  it("holdersOf: the responsible role's holders; an agency's regional contact, else its national contact; a signature only the regional contact; admins never", () => {
    const dir = directory({ ...EVERYONE, [NFR46]: ["agency-rep:NFR:46"] });
    const list = evaluate(READY_2027, "2027-01-11");
    const responsible = (key: string) => list.find((o) => o.key === key)!.responsible;
    const spring = evaluate(springRound("2027-05-27"), "2027-04-27");
    const reportOf = (agency: string) => spring.find((o) => o.key === `follow-up-report-spring:${agency}`)!.responsible;

    expect(holdersOf(responsible("state-budget-adopted"), dir)).toEqual([NC]);
    expect(holdersOf(responsible("political-treatment"), dir)).toEqual([VC]);
    expect(holdersOf(responsible("agreement-signed:region"), dir)).toEqual([VC]);
    expect(holdersOf(responsible("allocation-letter-received:IN"), dir)).toEqual([IN_NAT]);
    expect(holdersOf(reportOf("IN"), dir)).toEqual([IN46]);
    expect(holdersOf(reportOf("SIVA"), dir)).toEqual([SIVA_NAT]);
    expect(holdersOf(reportOf("NFR"), dir)).toEqual([NFR46]);
    expect(holdersOf(responsible("agreement-signed:IN"), dir)).toEqual([IN46]);
    expect(holdersOf(responsible("agreement-signed:SIVA"), dir)).toEqual([]);
    expect(holdersOf(responsible("agreement-signed:NFR"), dir)).toEqual([NFR46]);
    // Nobody holds NFR nationally, and the admins are not holders.
    expect(holdersOf(responsible("allocation-letter-received:NFR"), dir)).toEqual([]);
    expect(holdersOf({ role: "region-coordinator", regionId: "11" }, dir)).toEqual([]);
  });

  it("§4.1 the national coordinator is told to convene the national spring meeting; the region channels are not", () => {
    const digests = planNudges({
      today: "2027-01-27",
      cadence: DEFAULT_CADENCE,
      tracks: [nationalTrack(SPRING_2027, "2027-01-27")],
      directory: directory(EVERYONE, CHANNELS),
    });
    expect(view(digests)).toEqual({ [`person:${NC}`]: ["national|2027|national-spring-meeting-convened|first responsible"] });
    const item = digests[0]!.items[0]!;
    expect([item.regionId, item.year, item.stage, item.topic, item.obligation.key, item.obligation.deadline]).toEqual([
      NATIONAL,
      2027,
      "first",
      "convene",
      "national-spring-meeting-convened",
      "2027-02-17",
    ]);
  });

  it("§4.1 an overdue national step goes to RUK AU and, as escalation, to every admin; never to a channel", () => {
    const digests = planNudges({
      today: "2027-02-18",
      cadence: DEFAULT_CADENCE,
      tracks: [nationalTrack(SPRING_2027, "2027-02-18")],
      directory: directory(EVERYONE, CHANNELS),
    });
    expect(view(digests)).toEqual({
      [`person:${NC}`]: ["national|2027|national-spring-meeting-convened|overdue responsible"],
      [`person:${A1}`]: ["national|2027|national-spring-meeting-convened|overdue escalation"],
      [`person:${A2}`]: ["national|2027|national-spring-meeting-convened|overdue escalation"],
    });
  });

  it("§4.1 the reminder follows the first notice each person actually got: never got it → the first notice; got it on 3 February → reminded 10 working days later (17 February)", () => {
    const dir = directory({ [NC]: ["national-coordinator"], [A1]: ["admin"] });
    const ref = "national|2027|national-spring-meeting-convened";
    // 10 February: the dates say "reminder" (first notice due 27 January).
    const plan = (firstSaidOn: (recipient: string, stepRef: string) => string | undefined) =>
      planNudges({ today: "2027-02-10", cadence: DEFAULT_CADENCE, tracks: [nationalTrack(SPRING_2027, "2027-02-10")], directory: dir, firstSaidOn });
    expect(view(plan(() => undefined))).toEqual({ [`person:${NC}`]: [`${ref}|first responsible`] });
    const said = (recipient: string, stepRef: string) => (recipient === `person:${NC}` && stepRef === ref ? "2027-02-03" : undefined);
    expect(view(plan(said))).toEqual({});
    const later = planNudges({ today: "2027-02-17", cadence: DEFAULT_CADENCE, tracks: [nationalTrack(SPRING_2027, "2027-02-17")], directory: dir, firstSaidOn: said });
    expect(view(later)).toEqual({ [`person:${NC}`]: [`${ref}|reminder responsible`] });
  });

  it("§4.1 with nobody holding the national coordinator role every admin is told, reason 'unassigned', once even when overdue", () => {
    const dir = directory({ [VC]: ["region-coordinator:46"], [A1]: ["admin"], [A2]: ["admin"] });
    const first = planNudges({ today: "2027-01-27", cadence: DEFAULT_CADENCE, tracks: [nationalTrack(SPRING_2027, "2027-01-27")], directory: dir });
    expect(view(first)).toEqual({
      [`person:${A1}`]: ["national|2027|national-spring-meeting-convened|first unassigned"],
      [`person:${A2}`]: ["national|2027|national-spring-meeting-convened|first unassigned"],
    });
    expect(responsibleRoleText(first[0]!.items[0]!.obligation.responsible)).toBe("national-coordinator");
    const overdue = planNudges({ today: "2027-02-18", cadence: DEFAULT_CADENCE, tracks: [nationalTrack(SPRING_2027, "2027-02-18")], directory: dir });
    expect(view(overdue)).toEqual({
      [`person:${A1}`]: ["national|2027|national-spring-meeting-convened|overdue unassigned"],
      [`person:${A2}`]: ["national|2027|national-spring-meeting-convened|overdue unassigned"],
    });
  });

  it("§2.1 an overdue allocation letter goes to the agency's national contact and, as escalation, to the admins", () => {
    const s: Scenario = { year: 2026, trackingStart: "2026-12-01", national: [stateBudget("2026-12-16"), letter("IN", "2026-12-18"), letter("NFR", "2027-01-20")] };
    const digests = planNudges({ today: "2027-02-01", cadence: DEFAULT_CADENCE, tracks: [nationalTrack(s, "2027-02-01")], directory: directory(EVERYONE, CHANNELS) });
    expect(view(digests)).toEqual({
      [`person:${SIVA_NAT}`]: ["national|2026|allocation-letter-received:SIVA|overdue responsible"],
      [`person:${A1}`]: ["national|2026|allocation-letter-received:SIVA|overdue escalation"],
      [`person:${A2}`]: ["national|2026|allocation-letter-received:SIVA|overdue escalation"],
    });
  });

  const spring = (today: IsoDate) => [
    nationalTrack(springRound("2027-05-27"), today),
    regionTrack(springRound("2027-05-27"), today),
    regionTrack({ ...springRound("2027-05-27"), regionId: "50", regional: [] }, today),
  ];

  it("§3.1/§4.2 on 27 April: the coordinator convenes; each agency's regional contact reports (else its national contact, else the admins); Vestland's channel sees all of Vestland's", () => {
    const digests = planNudges({ today: "2027-04-27", cadence: DEFAULT_CADENCE, tracks: spring("2027-04-27"), directory: directory(EVERYONE, CHANNELS) });
    expect(view(digests)).toEqual({
      [`person:${VC}`]: ["46|2027|regional-spring-meeting-convened|first responsible"],
      [`person:${IN46}`]: ["46|2027|follow-up-report-spring:IN|first responsible"],
      [`person:${SIVA_NAT}`]: ["46|2027|follow-up-report-spring:SIVA|first responsible"],
      [`person:${A1}`]: ["46|2027|follow-up-report-spring:NFR|first unassigned"],
      [`person:${A2}`]: ["46|2027|follow-up-report-spring:NFR|first unassigned"],
      "channel:c46": [
        "46|2027|regional-spring-meeting-convened|first channel",
        "46|2027|follow-up-report-spring:IN|first channel",
        "46|2027|follow-up-report-spring:NFR|first channel",
        "46|2027|follow-up-report-spring:SIVA|first channel",
      ],
    });
    const channel = digests.find((d) => d.recipient.kind === "channel")!;
    expect(channel.recipient).toEqual({ kind: "channel", conversationKey: "c46", regionId: "46" });
    expect(channel.items.map((i) => i.topic)).toEqual(["convene", "report", "report", "report"]);
  });

  it("§4.2 on 21 May overdue regional steps are escalated to the region's coordinator, who gets an item once though reached twice; each channel gets only its own region's", () => {
    const digests = planNudges({ today: "2027-05-21", cadence: DEFAULT_CADENCE, tracks: spring("2027-05-21"), directory: directory(EVERYONE, CHANNELS) });
    expect(view(digests)).toEqual({
      [`person:${VC}`]: [
        "46|2027|regional-spring-meeting-convened|overdue responsible",
        "46|2027|follow-up-report-spring:IN|overdue escalation",
        "46|2027|follow-up-report-spring:NFR|overdue escalation",
        "46|2027|follow-up-report-spring:SIVA|overdue escalation",
        // §3.1: the round is due; the coordinator hears who is missing (all three).
        "46|2027|follow-up-report-spring|round-due responsible",
      ],
      [`person:${RC50}`]: ["50|2027|regional-spring-meeting-convened|first responsible"],
      [`person:${IN46}`]: ["46|2027|follow-up-report-spring:IN|overdue responsible"],
      [`person:${SIVA_NAT}`]: ["46|2027|follow-up-report-spring:SIVA|overdue responsible"],
      [`person:${A1}`]: ["46|2027|follow-up-report-spring:NFR|overdue unassigned"],
      [`person:${A2}`]: ["46|2027|follow-up-report-spring:NFR|overdue unassigned"],
      "channel:c46": [
        "46|2027|regional-spring-meeting-convened|overdue channel",
        "46|2027|follow-up-report-spring:IN|overdue channel",
        "46|2027|follow-up-report-spring:NFR|overdue channel",
        "46|2027|follow-up-report-spring:SIVA|overdue channel",
      ],
      "channel:c50": ["50|2027|regional-spring-meeting-convened|first channel"],
    });
  });

  it("§4.2 with no coordinator for the region, its overdue steps are escalated to every admin (once each, 'unassigned' where nobody holds the step either)", () => {
    const dir = directory({ [IN46]: ["agency-rep:IN:46"], [SIVA_NAT]: ["agency-rep:SIVA"], [A1]: ["admin"], [A2]: ["admin"] });
    const digests = planNudges({ today: "2027-05-21", cadence: DEFAULT_CADENCE, tracks: spring("2027-05-21").slice(0, 2), directory: dir });
    // Same stage and deadline (the three reports): what they are told as escalation before what is unassigned.
    const admin = [
      "46|2027|regional-spring-meeting-convened|overdue unassigned",
      "46|2027|follow-up-report-spring:IN|overdue escalation",
      "46|2027|follow-up-report-spring:SIVA|overdue escalation",
      "46|2027|follow-up-report-spring:NFR|overdue unassigned",
      "46|2027|follow-up-report-spring|round-due unassigned",
    ];
    expect(view(digests)).toEqual({
      [`person:${IN46}`]: ["46|2027|follow-up-report-spring:IN|overdue responsible"],
      [`person:${SIVA_NAT}`]: ["46|2027|follow-up-report-spring:SIVA|overdue responsible"],
      [`person:${A1}`]: admin,
      [`person:${A2}`]: admin,
    });
  });

  it("§2.1 the signature goes to each party's regional contact, never its national contact; the region's to its coordinator", () => {
    const dir = directory({ ...EVERYONE, [NFR46]: ["agency-rep:NFR:46"] }, CHANNELS);
    const digests = planNudges({
      today: "2027-01-11",
      cadence: DEFAULT_CADENCE,
      tracks: [nationalTrack(READY_2027, "2027-01-11"), regionTrack(READY_2027, "2027-01-11")],
      directory: dir,
    });
    expect(view(digests)).toEqual({
      [`person:${VC}`]: ["46|2026|agreement-signed:region|first responsible", "46|2026|commission-agreement-sent:IN|first responsible"],
      [`person:${IN46}`]: ["46|2026|agreement-signed:IN|first responsible"],
      [`person:${NFR46}`]: ["46|2026|agreement-signed:NFR|first responsible"],
      // SIVA has a national contact only: the signature binds SIVA in Vestland, so the admins are told it is unassigned.
      [`person:${A1}`]: ["46|2026|agreement-signed:SIVA|first unassigned"],
      [`person:${A2}`]: ["46|2026|agreement-signed:SIVA|first unassigned"],
      "channel:c46": [
        "46|2026|agreement-signed:IN|first channel",
        "46|2026|agreement-signed:NFR|first channel",
        "46|2026|agreement-signed:region|first channel",
        "46|2026|agreement-signed:SIVA|first channel",
        "46|2026|commission-agreement-sent:IN|first channel",
      ],
    });
    expect(responsibleRoleText(at(READY_2027, "2027-01-11", "agreement-signed:SIVA").responsible)).toBe("agency-rep:SIVA:46");
  });
});

// ---------------------------------------------------------------------------------------------
// Digests and order
// ---------------------------------------------------------------------------------------------

describe("digests", () => {
  /**
   * Cycle 2026 on 25 January 2027 in Vestland: the autumn meeting was held late (20 January), the
   * NFR autumn report never came (due 13 January), the NFR allocation letter is still missing.
   */
  const LATE: Scenario = {
    year: 2026,
    trackingStart: "2026-12-01",
    national: [stateBudget("2026-12-16"), letter("IN", "2026-12-18"), letter("SIVA", "2027-01-08")],
    regional: [
      draft("2026-11-05"),
      regionalBudget("2026-12-10"),
      invited("regional-autumn", "2026-12-28"),
      report("autumn", "IN", "2027-01-12"),
      report("autumn", "SIVA", "2027-01-12"),
      held("regional-autumn", "2027-01-20"),
    ],
  };
  const tracks = () => [
    { regionId: NATIONAL, obligations: [...evaluate(LATE, "2027-01-25", false), ...evaluate({ year: 2027, trackingStart: "2026-12-01" }, "2027-01-25", false)] },
    { regionId: "46", obligations: [...regionTrack(LATE, "2027-01-25").obligations, ...regionTrack({ year: 2027, trackingStart: "2026-12-01" }, "2027-01-25").obligations] },
  ];

  it("one digest per recipient with all its items, most urgent first: overdue, reminder, first, blocked; then by deadline", () => {
    const digests = planNudges({ today: "2027-01-25", cadence: DEFAULT_CADENCE, tracks: tracks(), directory: directory(EVERYONE, CHANNELS) });
    expect(view(digests)).toEqual({
      [`person:${VC}`]: [
        "46|2026|follow-up-report-autumn:NFR|overdue escalation",
        "46|2026|commission-agreement-sent:IN|reminder responsible",
        "46|2026|political-treatment|first responsible",
        "46|2026|agreement-signed:region|blocked responsible",
      ],
      [`person:${IN46}`]: ["46|2026|agreement-signed:IN|blocked responsible"],
      [`person:${A1}`]: [
        "46|2026|follow-up-report-autumn:NFR|overdue unassigned",
        "46|2026|agreement-signed:NFR|blocked unassigned",
        "46|2026|agreement-signed:SIVA|blocked unassigned",
      ],
      [`person:${A2}`]: [
        "46|2026|follow-up-report-autumn:NFR|overdue unassigned",
        "46|2026|agreement-signed:NFR|blocked unassigned",
        "46|2026|agreement-signed:SIVA|blocked unassigned",
      ],
      "channel:c46": [
        "46|2026|follow-up-report-autumn:NFR|overdue channel",
        "46|2026|commission-agreement-sent:IN|reminder channel",
        "46|2026|political-treatment|first channel",
        "46|2026|agreement-signed:IN|blocked channel",
        "46|2026|agreement-signed:NFR|blocked channel",
        "46|2026|agreement-signed:region|blocked channel",
        "46|2026|agreement-signed:SIVA|blocked channel",
      ],
    });
    const vc = digests.find((d) => recipientId(d.recipient) === `person:${VC}`)!;
    expect(vc.items.map((i) => [i.topic, i.obligation.deadline])).toEqual([
      // 31 January 2027 is a Sunday: January's steps are due Friday 29 January.
      ["report", "2027-01-13"],
      ["commission", "2027-01-29"],
      ["political-treatment", "2027-01-29"],
      ["sign", "2027-01-29"],
    ]);
    expect(vc.items[3]!.obligation.missing).toEqual([{ stepId: "political-treatment" }, { stepId: "allocation-letter-received", party: "NFR" }]);
  });

  it("byNudgeUrgency: the stage decides before the deadline; within a stage the nearest deadline first", () => {
    const list = evaluate({ year: 2027 }, "2027-06-01");
    const item = (key: string, stage: NudgeStage): NudgeItem => {
      const o = list.find((x) => x.key === key)!;
      return { key: nudgeKey("46", o, stage), regionId: "46", year: 2027, stage, topic: topicOf(o.step), reason: "responsible", obligation: o };
    };
    const items = [
      item("agreement-signed:region", "blocked"), // 31 January 2028
      item("follow-up-report-autumn:IN", "first"), // 24 December
      item("regional-spring-meeting-convened", "blocked"), // 9 June
      item("follow-up-report-spring:IN", "overdue"), // 23 June
      item("national-spring-meeting-convened", "reminder"), // 17 February
      item("regional-spring-meeting-convened", "overdue"), // 9 June
      item("political-treatment", "reminder"), // 31 January 2028
      item("regional-autumn-meeting-convened", "first"), // 10 December
    ];
    expect([...items].sort(byNudgeUrgency).map((i) => `${i.obligation.key} ${i.stage}`)).toEqual([
      "regional-spring-meeting-convened overdue",
      "follow-up-report-spring:IN overdue",
      "national-spring-meeting-convened reminder",
      "political-treatment reminder",
      "regional-autumn-meeting-convened first",
      "follow-up-report-autumn:IN first",
      "regional-spring-meeting-convened blocked",
      "agreement-signed:region blocked",
    ]);
  });

  it("byNudgeUrgency: same stage and deadline, the recipient's own step before an escalation, before an unassigned role; then by region", () => {
    const list = evaluate(springRound("2027-05-27"), "2027-05-21");
    const item = (regionId: string, key: string, reason: NudgeItem["reason"]): NudgeItem => {
      const o = list.find((x) => x.key === key)!;
      return { key: nudgeKey(regionId, o, "overdue"), regionId, year: 2027, stage: "overdue", topic: "report", reason, obligation: o };
    };
    const items = [
      item("46", "follow-up-report-spring:IN", "unassigned"),
      item("50", "follow-up-report-spring:SIVA", "responsible"),
      item("46", "follow-up-report-spring:NFR", "escalation"),
      item("46", "follow-up-report-spring:SIVA", "responsible"),
    ];
    expect([...items].sort(byNudgeUrgency).map((i) => i.key)).toEqual([
      "46|2027|follow-up-report-spring:SIVA|overdue",
      "50|2027|follow-up-report-spring:SIVA|overdue",
      "46|2027|follow-up-report-spring:NFR|overdue",
      "46|2027|follow-up-report-spring:IN|overdue",
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Keys
// ---------------------------------------------------------------------------------------------

describe("nudge keys", () => {
  it("nudgeKey is distinct per region, cycle year, step instance and stage", () => {
    const y2027 = evaluate(springRound("2027-05-27"), "2027-04-27");
    const y2026 = evaluate({ ...springRound("2027-05-27"), year: 2026 }, "2026-04-27");
    const find = (list: Obligation[], key: string) => list.find((o) => o.key === key)!;
    const keys = [
      nudgeKey("46", find(y2027, "follow-up-report-spring:IN"), "first"),
      nudgeKey("46", find(y2027, "follow-up-report-spring:IN"), "reminder"),
      nudgeKey("46", find(y2027, "follow-up-report-spring:IN"), "overdue"),
      nudgeKey("46", find(y2027, "follow-up-report-spring:SIVA"), "first"),
      nudgeKey("46", find(y2027, "follow-up-report-autumn:IN"), "first"),
      nudgeKey("50", find(y2027, "follow-up-report-spring:IN"), "first"),
      nudgeKey("46", find(y2026, "follow-up-report-spring:IN"), "first"),
      nudgeKey("46", find(y2027, "agreement-signed:region"), "blocked"),
      nudgeKey("46", find(y2027, "agreement-signed:region"), "first"),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys[0]).toBe("46|2027|follow-up-report-spring:IN|first");
    expect(keys[6]).toBe("46|2026|follow-up-report-spring:IN|first");
  });

  it("a stage's key is the same on every day of that stage and for every recipient, so the outbox says it once", () => {
    const plan = (today: IsoDate) =>
      planNudges({ today, cadence: DEFAULT_CADENCE, tracks: [nationalTrack(SPRING_2027, today)], directory: directory(EVERYONE, CHANNELS) });
    const keysOn = (today: IsoDate) => [...new Set(plan(today).flatMap((d) => d.items.map((i) => i.key)))];
    expect(keysOn("2027-01-27")).toEqual(["national|2027|national-spring-meeting-convened|first"]);
    expect(keysOn("2027-02-09")).toEqual(["national|2027|national-spring-meeting-convened|first"]);
    expect(keysOn("2027-02-10")).toEqual(["national|2027|national-spring-meeting-convened|reminder"]);
    expect(keysOn("2027-02-18")).toEqual(["national|2027|national-spring-meeting-convened|overdue"]);
    expect(keysOn("2027-03-01")).toEqual(["national|2027|national-spring-meeting-convened|overdue"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Report rounds (issue 10): opened on their own day, the answered left alone, the coordinator told
// ---------------------------------------------------------------------------------------------

describe("§3.1/§3.2 report rounds", () => {
  /**
   * Vestland's spring meeting planned for Thursday 20 May 2027 and convened: reports due 13 May
   * (Whit Monday 17 May falls in the last week).
   */
  const may20 = (regional: EventData[] = [], more: Partial<Scenario> = {}) =>
    springRound("2027-05-20", { regional: [planned("regional-spring", "2027-05-20"), invited("regional-spring", "2027-04-19"), ...regional], ...more });

  it("§3.1 a spring round opens 20 working days before its planned meeting (20 April for 20 May), not 15 before the deadline (21 April): Whit Monday sits in between", () => {
    const o = at(may20(), "2027-04-20", "follow-up-report-spring:IN");
    expect([o.deadline, o.meetingOn]).toEqual(["2027-05-13", "2027-05-20"]);
    expect(firstNoticeOn(o, DEFAULT_CADENCE)).toBe("2027-04-20");
    expect(firstNoticeOn(o, { ...DEFAULT_CADENCE, reportRoundOpenWorkingDays: 30 })).toBe("2027-04-06");
    // The reminder still comes 10 working days after the opening, before the deadline.
    expect(reminderOn(o, DEFAULT_CADENCE)).toBe("2027-05-04");
    expect((["2027-04-19", "2027-04-20", "2027-05-03", "2027-05-04", "2027-05-13", "2027-05-14"] as const).map((d) => stageOn(may20(), "follow-up-report-spring:IN", d))).toEqual([
      undefined,
      "first",
      "first",
      "reminder",
      "reminder",
      "overdue",
    ]);
  });

  it("§3.2 an autumn round without a planned meeting counts from the latest day allowed (23 December): opens 25 November; never before the step opens (1 September)", () => {
    const o = at({ year: 2027 }, "2027-11-15", "follow-up-report-autumn:IN");
    expect(o.meetingOn).toBe("2027-12-23");
    expect(firstNoticeOn(o, DEFAULT_CADENCE)).toBe("2027-11-25");
    expect(firstNoticeOn(o, { ...DEFAULT_CADENCE, reportRoundOpenWorkingDays: 100 })).toBe(o.opensOn);
  });

  it("§3.1 an agency that has answered is not reminded, one marked «will not report» neither; the others are", () => {
    const s = may20([report("spring", "IN", "2027-04-28"), waived("spring", "NFR", "Ny kontaktperson, rapporterer til høsten")]);
    const dir = directory({ [IN46]: ["agency-rep:IN:46"], [SIVA_NAT]: ["agency-rep:SIVA"], [NFR46]: ["agency-rep:NFR:46"], [VC]: ["region-coordinator:46"] });
    const digests = planNudges({ today: "2027-05-04", cadence: DEFAULT_CADENCE, tracks: [regionTrack(s, "2027-05-04")], directory: dir });
    expect(view(digests)).toEqual({ [`person:${SIVA_NAT}`]: ["46|2027|follow-up-report-spring:SIVA|reminder responsible"] });
  });

  it("§3.1 overdue: the agency still missing and, as escalation, the region's coordinator", () => {
    const s = may20([report("spring", "IN", "2027-04-28"), report("spring", "NFR", "2027-05-12")]);
    const dir = directory({ [IN46]: ["agency-rep:IN:46"], [SIVA_NAT]: ["agency-rep:SIVA"], [NFR46]: ["agency-rep:NFR:46"], [VC]: ["region-coordinator:46"] });
    const digests = planNudges({ today: "2027-05-14", cadence: DEFAULT_CADENCE, tracks: [regionTrack(s, "2027-05-14")], directory: dir });
    expect(view(digests)).toEqual({
      [`person:${SIVA_NAT}`]: ["46|2027|follow-up-report-spring:SIVA|overdue responsible"],
      [`person:${VC}`]: ["46|2027|follow-up-report-spring:SIVA|overdue escalation", "46|2027|follow-up-report-spring|round-due responsible"],
    });
  });

  it("roundTally: answered, will not report and missing, by agency; nothing to tell without an agreement in force or before tracking started", () => {
    const s = may20([report("spring", "IN", "2027-04-28"), waived("spring", "NFR", "Ingen aktivitet i regionen")]);
    const round = (sc: Scenario, today: IsoDate) => reportRounds(evaluate(sc, today)).get("2027|follow-up-report-spring")!;
    expect(roundTally(round(s, "2027-05-14"))).toEqual({ round: "spring", stepId: "follow-up-report-spring", answered: ["IN"], waived: ["NFR"], missing: ["SIVA"] });
    expect(roundTally(round({ ...may20(), agreementInForce: false }, "2027-05-14"))).toBeUndefined();
    // No meeting planned: due 23 June, before the region's tracking started on 1 July.
    expect(roundTally(round({ year: 2027, trackingStart: "2027-07-01" }, "2027-07-02"))).toBeUndefined();
    expect([...reportRounds(evaluate(s, "2027-05-14")).keys()]).toEqual(["2027|follow-up-report-spring", "2027|follow-up-report-autumn"]);
    // A track holds every active cycle: each year's round is its own.
    const twoYears = reportRounds([...evaluate({ ...s, year: 2026 }, "2027-05-14"), ...evaluate(s, "2027-05-14")]);
    expect([...twoYears.keys()]).toEqual(["2026|follow-up-report-spring", "2026|follow-up-report-autumn", "2027|follow-up-report-spring", "2027|follow-up-report-autumn"]);
    expect(twoYears.get("2026|follow-up-report-spring")).toHaveLength(3);
  });

  it("§3.1 the coordinator's word on the round is due from the first working day after the due day until the meeting, not before, not after", () => {
    const s = may20([report("spring", "IN", "2027-04-28"), report("spring", "SIVA", "2027-05-10"), report("spring", "NFR", "2027-05-13")]);
    const round = (today: IsoDate) => reportRounds(evaluate(s, today)).get("2027|follow-up-report-spring")!;
    expect(roundDueToday(round("2027-05-13"), "2027-05-13")).toBeUndefined();
    expect(roundDueToday(round("2027-05-14"), "2027-05-14")).toMatchObject({ answered: ["IN", "SIVA", "NFR"], missing: [] });
    expect(roundDueToday(round("2027-05-20"), "2027-05-20")).toBeDefined();
    expect(roundDueToday(round("2027-05-21"), "2027-05-21")).toBeUndefined();
  });

  it("§3.1/§4.2 the round's tally goes to the region's coordinator only (not the agencies, not the channel), to the admins naming the role when nobody holds it; one key per round", () => {
    const s = may20([report("spring", "IN", "2027-04-28"), report("spring", "SIVA", "2027-05-10"), report("spring", "NFR", "2027-05-13")]);
    const tracks = [regionTrack(s, "2027-05-14")];
    const staffed = planNudges({ today: "2027-05-14", cadence: DEFAULT_CADENCE, tracks, directory: directory(EVERYONE, CHANNELS) });
    expect(view(staffed)).toEqual({ [`person:${VC}`]: ["46|2027|follow-up-report-spring|round-due responsible"] });
    expect(staffed[0]!.items[0]).toMatchObject({ stage: "round-due", topic: "report", round: { missing: [] } });
    const unstaffed = planNudges({ today: "2027-05-18", cadence: DEFAULT_CADENCE, tracks: [regionTrack(s, "2027-05-18")], directory: directory({ [IN46]: ["agency-rep:IN:46"], [A1]: ["admin"] }) });
    expect(view(unstaffed)).toEqual({ [`person:${A1}`]: ["46|2027|follow-up-report-spring|round-due unassigned"] });
  });

  it("a deputy named for an agency's report is told as its contacts are; with no contact, the deputy answers and the admins are not told it is unassigned", () => {
    const tracks = [regionTrack(may20(), "2027-04-20")];
    const deputies = new Map([["46|2027|follow-up-report-spring:SIVA", ["p-deputy"]], ["46|2027|follow-up-report-spring:NFR", ["p-deputy-nfr"]]]);
    const digests = planNudges({ today: "2027-04-20", cadence: DEFAULT_CADENCE, tracks, directory: directory({ [SIVA_NAT]: ["agency-rep:SIVA"], [A1]: ["admin"] }), deputies });
    expect(view(digests)).toEqual({
      [`person:${SIVA_NAT}`]: ["46|2027|follow-up-report-spring:SIVA|first responsible"],
      "person:p-deputy": ["46|2027|follow-up-report-spring:SIVA|first responsible"],
      "person:p-deputy-nfr": ["46|2027|follow-up-report-spring:NFR|first responsible"],
      [`person:${A1}`]: ["46|2027|follow-up-report-spring:IN|first unassigned"],
    });
  });

  it("a round's opening goes alone, one card per agency and region, only to the agency's own contact; reminders, overdue notices, admins and channels stay in the digest", () => {
    const person = { kind: "person", personId: IN46 } as const;
    const channel = { kind: "channel", conversationKey: "c46", regionId: "46" } as const;
    expect(sentAlone({ stage: "first", topic: "report", reason: "responsible" }, person)).toBe(true);
    expect(sentAlone({ stage: "first", topic: "report", reason: "unassigned" }, person)).toBe(false);
    expect(sentAlone({ stage: "first", topic: "report", reason: "channel" }, channel)).toBe(false);
    expect(sentAlone({ stage: "reminder", topic: "report", reason: "responsible" }, person)).toBe(false);
    expect(sentAlone({ stage: "overdue", topic: "report", reason: "responsible" }, person)).toBe(false);
    expect(sentAlone({ stage: "first", topic: "convene", reason: "responsible" }, person)).toBe(false);
  });
});
