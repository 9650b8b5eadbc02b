/**
 * The rules of the seed document (`/work/shared/seed/README.md`), one named test per rule, each
 * named with its §. The wheel is evaluated exactly as the app does: events → `reduceCycle` →
 * `obligations(...)` at an instant `now`, and steps are looked up by their instance key.
 *
 * Expected values are worked out by hand from the seed and product.md (calendar of 2027:
 * 1 January is a Friday, Easter Sunday is 28 March, DST starts 28 March and ends 31 October).
 */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { OSLO, type IsoDate } from "../../src/domain/calendar.js";
import { reduceCycle } from "../../src/domain/cycle.js";
import type { EventData } from "../../src/domain/events.js";
import { ev } from "../support/events.js";
import {
  ACTIONABLE,
  activeCycleYears,
  byUrgency,
  groupSameStep,
  obligations,
  type Obligation,
  type StepState,
} from "../../src/domain/obligations.js";
import { loadProcessModel, MODEL_2017 } from "../../src/domain/process.js";
import { DEFAULT_COMMISSION_AGENCIES, DEFAULT_PARTY_AGENCIES, NATIONAL, type AgencyId } from "../../src/domain/regions.js";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------


interface Scenario {
  /** Cycle year; default 2027. */
  year?: number;
  /** "YYYY-MM-DD" = noon in Oslo that day; anything with a time is an instant (keeps its zone). */
  now: string | DateTime;
  national?: EventData[];
  regional?: EventData[];
  regionId?: string;
  partyAgencies?: readonly AgencyId[];
  commissionAgencies?: readonly AgencyId[];
  /** The region's tracking start; default well before the cycle. */
  trackingStart?: IsoDate;
  nationalTrackingStart?: IsoDate;
  nationalAgencies?: readonly AgencyId[];
  agreementInForce?: boolean;
  /** Evaluate only the national track (no region). */
  nationalOnly?: boolean;
}

function instant(now: string | DateTime): DateTime {
  if (typeof now !== "string") return now;
  return now.includes("T") ? DateTime.fromISO(now, { setZone: true }) : DateTime.fromISO(`${now}T12:00`, { zone: OSLO });
}

function evaluate(s: Scenario): Obligation[] {
  const year = s.year ?? 2027;
  const regionId = s.regionId ?? "46";
  const now = instant(s.now);
  if (!now.isValid) throw new Error(`bad instant in test: ${String(s.now)}`);
  return obligations({
    model: MODEL_2017,
    year,
    now,
    national: reduceCycle(NATIONAL, year, (s.national ?? []).map((d) => ev(d))),
    nationalTrackingStart: s.nationalTrackingStart ?? "2026-01-01",
    nationalAgencies: s.nationalAgencies ?? DEFAULT_PARTY_AGENCIES,
    ...(s.nationalOnly
      ? {}
      : {
          region: {
            setup: {
              regionId,
              partyAgencies: s.partyAgencies ?? DEFAULT_PARTY_AGENCIES,
              commissionAgencies: s.commissionAgencies ?? DEFAULT_COMMISSION_AGENCIES,
              trackingStart: s.trackingStart ?? "2026-01-01",
            },
            state: reduceCycle(regionId, year, (s.regional ?? []).map((d) => ev(d))),
          },
        }),
    ...(s.agreementInForce !== undefined ? { agreementInForce: s.agreementInForce } : {}),
  });
}

function find(list: Obligation[], key: string): Obligation {
  const found = list.find((o) => o.key === key);
  if (!found) throw new Error(`no step "${key}" among ${list.map((o) => o.key).join(", ")}`);
  return found;
}

function step(s: Scenario, key: string): Obligation {
  return find(evaluate(s), key);
}

function stateOf(s: Scenario, key: string): StepState {
  return step(s, key).state;
}

// Event builders, to keep the tables readable.
const planned = (meeting: "national-spring" | "national-autumn" | "regional-spring" | "regional-autumn", date: IsoDate): EventData => ({
  type: "meeting-planned",
  meeting,
  date,
});
const invited = (meeting: "national-spring" | "national-autumn" | "regional-spring" | "regional-autumn", date: IsoDate): EventData => ({
  type: "invitations-sent",
  meeting,
  date,
});
const held = (meeting: "national-spring" | "national-autumn" | "regional-spring" | "regional-autumn", date: IsoDate): EventData => ({
  type: "meeting-held",
  meeting,
  date,
});
const report = (round: "spring" | "autumn", agency: AgencyId, date: IsoDate): EventData => ({
  type: "follow-up-report-submitted",
  round,
  agency,
  date,
});
const draft = (date: IsoDate): EventData => ({ type: "draft-agreement-ready", date });
const treated = (date: IsoDate, outcome: "approved" | "approved-with-changes" | "sent-back" = "approved"): EventData => ({
  type: "political-treatment-recorded",
  body: "Fylkesutvalet",
  date,
  caseNumber: "2027/1234",
  outcome,
});
const stateBudget = (date: IsoDate): EventData => ({ type: "state-budget-adopted", date });
const letter = (agency: AgencyId, date: IsoDate): EventData => ({ type: "allocation-letter-received", agency, date });
const regionalBudget = (date: IsoDate): EventData => ({ type: "regional-budget-adopted", date });
const signed = (party: "region" | AgencyId, date: IsoDate): EventData => ({ type: "agreement-signed", party, date });
const commission = (agency: AgencyId, date: IsoDate): EventData => ({ type: "commission-agreement-sent", agency, date });

/** Everything §2.1 asks before signing agreement 2028 (cycle 2027), for Vestland's parties IN, SIVA, NFR. */
const READY_TO_SIGN = {
  national: [stateBudget("2027-12-15"), letter("IN", "2027-12-20"), letter("SIVA", "2028-01-05"), letter("NFR", "2028-01-07")],
  regional: [draft("2027-11-10"), held("regional-autumn", "2027-11-18"), treated("2027-12-09"), regionalBudget("2027-12-14")],
};

// ---------------------------------------------------------------------------------------------
// §1 National theme meetings
// ---------------------------------------------------------------------------------------------

describe("§1 national theme meetings", () => {
  it.each<[string, EventData[], StepState]>([
    ["2026-12-15", [], "not-yet-open"],
    ["2027-01-04", [], "open"],
    ["2027-03-18", [], "open"],
    ["2027-03-19", [], "due-soon"],
    ["2027-03-31", [], "due-soon"],
    ["2027-04-01", [], "overdue"],
    ["2027-12-31", [], "overdue"],
    ["2027-04-01", [held("national-spring", "2027-03-10")], "done"],
    ["2027-04-15", [held("national-spring", "2027-04-10")], "done"],
  ])("§1 the national spring meeting is overdue after 31 March (%s, %j → %s)", (now, national, expected) => {
    expect(stateOf({ now, national, nationalOnly: true }, "national-spring-meeting-held")).toBe(expected);
  });

  it("§1 the national spring meeting: opens 1 January, deadline 31 March, RUK AU responsible", () => {
    const o = step({ now: "2027-02-01", nationalOnly: true }, "national-spring-meeting-held");
    expect(o).toMatchObject({
      year: 2027,
      opensOn: "2027-01-01",
      deadline: "2027-03-31",
      responsible: { role: "national-coordinator" },
      missing: [],
    });
    expect(o.step.sections).toContain("1");
  });

  it("§1 a held meeting records the day it was held", () => {
    const o = step({ now: "2027-06-01", national: [held("national-spring", "2027-03-10")], nationalOnly: true }, "national-spring-meeting-held");
    expect(o.doneOn).toBe("2027-03-10");
    expect(o.meeting?.heldOn).toBe("2027-03-10");
  });

  it.each<[string, EventData[], StepState]>([
    ["2027-08-15", [], "not-yet-open"],
    ["2027-09-30", [], "not-yet-open"],
    ["2027-10-01", [], "open"],
    ["2027-11-22", [], "open"],
    ["2027-11-23", [], "due-soon"],
    ["2027-11-30", [], "due-soon"],
    ["2027-12-01", [], "overdue"],
    ["2027-12-01", [held("national-autumn", "2027-11-04")], "done"],
  ])("§1 the national autumn meeting is held in October–November (%s, %j → %s)", (now, national, expected) => {
    expect(stateOf({ now, national, nationalOnly: true }, "national-autumn-meeting-held")).toBe(expected);
  });

  it("§1 the national autumn meeting window is 1 October – 30 November", () => {
    const o = step({ now: "2027-10-15", nationalOnly: true }, "national-autumn-meeting-held");
    expect([o.opensOn, o.deadline]).toEqual(["2027-10-01", "2027-11-30"]);
    expect(o.responsible).toEqual({ role: "national-coordinator" });
  });

  it("§1 the national autumn meeting is held in two parts: experiences and opportunities are recorded", () => {
    const o = step(
      {
        now: "2027-11-05",
        national: [{ type: "meeting-held", meeting: "national-autumn", date: "2027-11-04", parts: { experiences: true, opportunities: true } }],
        nationalOnly: true,
      },
      "national-autumn-meeting-held",
    );
    expect(o.state).toBe("done");
    expect(o.meeting).toEqual({ heldOn: "2027-11-04", parts: { experiences: true, opportunities: true } });
  });
});

// ---------------------------------------------------------------------------------------------
// §2 Regional cooperation agreements
// ---------------------------------------------------------------------------------------------

describe("§2 regional cooperation agreements", () => {
  it("§2 cycle Y follows up agreement Y and prepares agreement Y+1", () => {
    const byAgreement = (agreement: "current" | "next") =>
      MODEL_2017.steps.filter((s) => s.agreement === agreement).map((s) => s.id);
    expect(byAgreement("current")).toEqual(["follow-up-report-spring", "follow-up-report-autumn"]);
    expect(byAgreement("next")).toEqual([
      "draft-agreement-ready",
      "political-treatment",
      "state-budget-adopted",
      "regional-budget-adopted",
      "allocation-letter-received",
      "agreement-signed",
      "commission-agreement-sent",
    ]);
  });

  it("§2.1 signing waits for the allocation letters of every party agency", () => {
    const withoutNfr = {
      now: "2028-01-10",
      national: READY_TO_SIGN.national.filter((d) => !(d.type === "allocation-letter-received" && d.agency === "NFR")),
      regional: READY_TO_SIGN.regional,
    };
    const waiting = evaluate(withoutNfr).filter((o) => o.stepId === "agreement-signed");
    expect(waiting.map((o) => [o.key, o.state])).toEqual([
      ["agreement-signed:region", "waiting"],
      ["agreement-signed:IN", "waiting"],
      ["agreement-signed:SIVA", "waiting"],
      ["agreement-signed:NFR", "waiting"],
    ]);
    for (const o of waiting) expect(o.missing).toEqual([{ stepId: "allocation-letter-received", party: "NFR" }]);

    const ready = evaluate({ ...withoutNfr, national: READY_TO_SIGN.national }).filter((o) => o.stepId === "agreement-signed");
    expect(ready.map((o) => [o.key, o.state, o.missing])).toEqual([
      ["agreement-signed:region", "open", []],
      ["agreement-signed:IN", "open", []],
      ["agreement-signed:SIVA", "open", []],
      ["agreement-signed:NFR", "open", []],
    ]);
  });

  it("§2.1 with nothing recorded, signing lists every precondition: political treatment, both budgets, every letter", () => {
    const o = step({ now: "2028-01-10" }, "agreement-signed:region");
    expect(o.state).toBe("waiting");
    expect(o.missing).toEqual([
      { stepId: "political-treatment" },
      { stepId: "state-budget-adopted" },
      { stepId: "regional-budget-adopted" },
      { stepId: "allocation-letter-received", party: "IN" },
      { stepId: "allocation-letter-received", party: "SIVA" },
      { stepId: "allocation-letter-received", party: "NFR" },
    ]);
  });

  it.each<[string, (d: EventData) => boolean, object[]]>([
    ["the state budget", (d) => d.type === "state-budget-adopted", [{ stepId: "state-budget-adopted" }]],
    ["the regional budget", (d) => d.type === "regional-budget-adopted", [{ stepId: "regional-budget-adopted" }]],
    ["the political treatment", (d) => d.type === "political-treatment-recorded", [{ stepId: "political-treatment" }]],
  ])("§2.1 signing is signed after %s is in place", (_what, omit, missing) => {
    const o = step(
      { now: "2028-01-10", national: READY_TO_SIGN.national.filter((d) => !omit(d)), regional: READY_TO_SIGN.regional.filter((d) => !omit(d)) },
      "agreement-signed:SIVA",
    );
    expect(o.state).toBe("waiting");
    expect(o.missing).toEqual(missing);
  });

  it("§2.1 each party signs for itself", () => {
    const list = evaluate({ now: "2028-01-12", ...READY_TO_SIGN, regional: [...READY_TO_SIGN.regional, signed("region", "2028-01-11"), signed("IN", "2028-01-12")] });
    expect(["region", "IN", "SIVA", "NFR"].map((p) => find(list, `agreement-signed:${p}`).state)).toEqual(["done", "done", "open", "open"]);
    expect(find(list, "agreement-signed:region").doneOn).toBe("2028-01-11");
  });

  it.each<[string, StepState]>([
    ["2027-12-31", "not-yet-open"],
    ["2028-01-03", "open"],
    ["2028-01-21", "open"],
    ["2028-01-24", "due-soon"],
    ["2028-01-31", "due-soon"],
    ["2028-02-01", "overdue"],
  ])("§2.1 agreement Y+1 is signed in January Y+1 (%s → %s)", (now, expected) => {
    expect(stateOf({ now, ...READY_TO_SIGN }, "agreement-signed:NFR")).toBe(expected);
  });

  it("§2.1 a signature past its deadline while prerequisites are missing is blocked, not overdue, and says what is missing", () => {
    const o = step({ now: "2028-02-01", national: [stateBudget("2027-12-15")] }, "agreement-signed:region");
    expect(o.state).toBe("blocked");
    expect(o.missing.map((m) => m.party ? `${m.stepId}:${m.party}` : m.stepId)).toEqual([
      "political-treatment",
      "regional-budget-adopted",
      "allocation-letter-received:IN",
      "allocation-letter-received:SIVA",
      "allocation-letter-received:NFR",
    ]);
  });

  it("§2.1 allocation letters are expected December Y – January Y+1, per agency", () => {
    const list = evaluate({ now: "2027-11-30" });
    const letters = list.filter((o) => o.stepId === "allocation-letter-received");
    expect(letters.map((o) => [o.key, o.state, o.opensOn, o.target, o.deadline])).toEqual([
      ["allocation-letter-received:IN", "not-yet-open", "2027-12-01", "2027-12-31", "2028-01-31"],
      ["allocation-letter-received:SIVA", "not-yet-open", "2027-12-01", "2027-12-31", "2028-01-31"],
      ["allocation-letter-received:NFR", "not-yet-open", "2027-12-01", "2027-12-31", "2028-01-31"],
    ]);
    expect(stateOf({ now: "2027-12-01" }, "allocation-letter-received:NFR")).toBe("open");
    expect(stateOf({ now: "2028-01-10", national: [letter("NFR", "2028-01-08")] }, "allocation-letter-received:NFR")).toBe("done");
  });

  it("§2.1 the state budget is expected mid-December and due by 31 December, moved out of Christmas week to Thursday 23 December; the target stays", () => {
    const o = step({ now: "2027-10-01", nationalOnly: true }, "state-budget-adopted");
    expect([o.state, o.opensOn, o.target, o.deadline]).toEqual(["open", "2027-10-01", "2027-12-15", "2027-12-23"]);
  });

  it("§2.1 the state budget and the allocation letters are external events: adopted by the Storting, sent by the ministries; recorded, not done, by RUK AU and the agencies", () => {
    const list = evaluate({ now: "2027-12-01" });
    expect(list.filter((o) => o.step.external).map((o) => [o.key, o.responsible])).toEqual([
      ["state-budget-adopted", { role: "national-coordinator" }],
      ["allocation-letter-received:IN", { role: "agency-national", agency: "IN" }],
      ["allocation-letter-received:SIVA", { role: "agency-national", agency: "SIVA" }],
      ["allocation-letter-received:NFR", { role: "agency-national", agency: "NFR" }],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// §3 Regional meetings
// ---------------------------------------------------------------------------------------------

describe("§3 regional meetings", () => {
  it.each<[string, EventData[], IsoDate, StepState, StepState]>([
    ["planned for 18 November: due that day", [planned("regional-autumn", "2027-11-18")], "2027-11-18", "due-soon", "overdue"],
    ["not planned: due by the latest autumn meeting, 31 December, moved out of Christmas week to 23 December", [], "2027-12-23", "open", "open"],
    ["held on 18 November without a plan: it was due that day", [held("regional-autumn", "2027-11-18")], "2027-11-18", "due-soon", "overdue"],
    ["ready on 10 November", [planned("regional-autumn", "2027-11-18"), draft("2027-11-10")], "2027-11-18", "done", "done"],
  ])("§3 the region drafts the agreement before the regional autumn meeting (%s)", (_case, regional, deadline, on18, on19) => {
    const o = step({ now: "2027-11-18", regional }, "draft-agreement-ready");
    expect(o.deadline).toBe(deadline);
    expect(o.state).toBe(on18);
    expect(stateOf({ now: "2027-11-19", regional }, "draft-agreement-ready")).toBe(on19);
    expect(o.responsible).toEqual({ role: "region-coordinator", regionId: "46" });
    expect(o.step.sections).toEqual(["3", "3.2"]);
  });

  it.each<[string, EventData[], StepState]>([
    ["2027-02-27", [], "not-yet-open"],
    ["2027-03-01", [], "open"],
    ["2027-04-05", [], "open"],
    ["2027-04-06", [], "due-soon"],
    ["2027-04-13", [], "due-soon"],
    ["2027-04-14", [], "overdue"],
    ["2027-04-14", [report("spring", "NFR", "2027-04-12")], "done"],
    ["2027-04-14", [report("spring", "IN", "2027-04-12")], "overdue"],
  ])("§3.1 follow-up reports are due a week before the regional spring meeting (%s, %j → %s)", (now, reports, expected) => {
    const o = step({ now, regional: [planned("regional-spring", "2027-04-20"), ...reports] }, "follow-up-report-spring:NFR");
    expect(o.deadline).toBe("2027-04-13");
    expect(o.state).toBe(expected);
  });

  it("§3.1 every party agency reports, each for itself, to the region's meeting", () => {
    const list = evaluate({ now: "2027-04-07", regional: [planned("regional-spring", "2027-04-20"), report("spring", "SIVA", "2027-04-02")] });
    const reports = list.filter((o) => o.stepId === "follow-up-report-spring");
    expect(reports.map((o) => [o.key, o.state, o.deadline])).toEqual([
      ["follow-up-report-spring:IN", "due-soon", "2027-04-13"],
      ["follow-up-report-spring:SIVA", "done", "2027-04-13"],
      ["follow-up-report-spring:NFR", "due-soon", "2027-04-13"],
    ]);
  });

  it.each<[string, EventData[], IsoDate]>([
    ["planned 20 April", [planned("regional-spring", "2027-04-20")], "2027-04-13"],
    ["re-planned to 4 May", [planned("regional-spring", "2027-04-20"), planned("regional-spring", "2027-05-04")], "2027-04-27"],
    ["not planned: a week before 30 June", [], "2027-06-23"],
    ["held 22 April without a plan: a week before that", [held("regional-spring", "2027-04-22")], "2027-04-15"],
  ])("§3.1 the spring follow-up deadline follows the meeting date (%s)", (_case, regional, deadline) => {
    expect(step({ now: "2027-03-15", regional }, "follow-up-report-spring:IN").deadline).toBe(deadline);
  });

  it("§3.1 a report missing for a meeting already held (without a plan) is overdue, not due in June", () => {
    expect(stateOf({ now: "2027-05-03", regional: [held("regional-spring", "2027-04-22")] }, "follow-up-report-spring:IN")).toBe("overdue");
  });

  it.each<[string, EventData[], StepState, object[]]>([
    ["2027-01-31", [], "not-yet-open", [{ stepId: "national-spring-meeting-held" }]],
    ["2027-02-01", [], "waiting", [{ stepId: "national-spring-meeting-held" }]],
    ["2027-04-15", [], "waiting", [{ stepId: "national-spring-meeting-held" }]],
    ["2027-04-15", [held("national-spring", "2027-03-10")], "open", []],
    ["2027-06-30", [held("national-spring", "2027-03-10")], "due-soon", []],
    ["2027-07-01", [held("national-spring", "2027-03-10")], "overdue", []],
  ])("§3.1 the regional spring meeting follows the national spring meeting (%s, %j → %s)", (now, national, expected, missing) => {
    const o = step({ now, national }, "regional-spring-meeting-held");
    expect(o.state).toBe(expected);
    expect(o.missing).toEqual(missing);
    expect([o.target, o.deadline]).toEqual(["2027-04-30", "2027-06-30"]);
  });

  it.each<[string, EventData[], StepState]>([
    ["2027-08-31", [], "not-yet-open"],
    ["2027-09-01", [], "open"],
    ["2027-11-03", [], "open"],
    ["2027-11-04", [], "due-soon"],
    ["2027-11-11", [], "due-soon"],
    ["2027-11-12", [], "overdue"],
    ["2027-11-12", [report("autumn", "IN", "2027-11-11")], "done"],
  ])("§3.2 follow-up reports are due a week before the regional autumn meeting (%s, %j → %s)", (now, reports, expected) => {
    const o = step({ now, regional: [planned("regional-autumn", "2027-11-18"), ...reports] }, "follow-up-report-autumn:IN");
    expect(o.deadline).toBe("2027-11-11");
    expect(o.state).toBe(expected);
  });

  // The deadline, 31 December, falls in Christmas week: the meeting is due by Thursday 23 December.
  it.each<[string, EventData[], StepState, object[]]>([
    ["2027-10-15", [], "waiting", [{ stepId: "national-autumn-meeting-held" }]],
    ["2027-10-15", [held("national-autumn", "2027-10-13")], "open", []],
    ["2027-12-23", [held("national-autumn", "2027-10-13")], "due-soon", []],
    ["2027-12-24", [held("national-autumn", "2027-10-13")], "overdue", []],
    // Past the deadline without the national meeting: blocked by RUK AU's step, not the county's overdue step.
    ["2027-12-24", [], "blocked", [{ stepId: "national-autumn-meeting-held" }]],
  ])("§3.2 the regional autumn meeting follows the national autumn meeting (%s, %j → %s)", (now, national, expected, missing) => {
    const o = step({ now, national }, "regional-autumn-meeting-held");
    expect(o.state).toBe(expected);
    expect(o.missing).toEqual(missing);
    expect([o.opensOn, o.target, o.deadline]).toEqual(["2027-10-01", "2027-11-30", "2027-12-23"]);
  });

  it.each<[string, EventData[], StepState, object[]]>([
    ["nothing", [], "waiting", [{ stepId: "regional-autumn-meeting-held" }, { stepId: "draft-agreement-ready" }]],
    ["only the draft", [draft("2027-11-10")], "waiting", [{ stepId: "regional-autumn-meeting-held" }]],
    ["only the meeting", [held("regional-autumn", "2027-11-18")], "waiting", [{ stepId: "draft-agreement-ready" }]],
    ["meeting and draft", [draft("2027-11-10"), held("regional-autumn", "2027-11-18")], "open", []],
    ["meeting, draft, approved", [draft("2027-11-10"), held("regional-autumn", "2027-11-18"), treated("2027-11-30")], "done", []],
    [
      "meeting, draft, approved with changes",
      [draft("2027-11-10"), held("regional-autumn", "2027-11-18"), treated("2027-11-30", "approved-with-changes")],
      "done",
      [],
    ],
  ])("§3.2 political treatment waits for the autumn meeting and the draft (%s → %s)", (_case, regional, expected, missing) => {
    const o = step({ now: "2027-12-01", regional }, "political-treatment");
    expect(o.state).toBe(expected);
    expect(o.missing).toEqual(missing);
    expect(o.responsible).toEqual({ role: "region-coordinator", regionId: "46" });
  });

  it.each<[string, StepState]>([
    ["2027-09-30", "not-yet-open"],
    ["2027-12-01", "open"],
    ["2028-01-24", "due-soon"],
    ["2028-01-31", "due-soon"],
    ["2028-02-01", "overdue"],
  ])("§3.2 political treatment comes before the January signing (%s → %s)", (now, expected) => {
    const o = step({ now, regional: [draft("2027-11-10"), held("regional-autumn", "2027-11-18")] }, "political-treatment");
    expect(o.state).toBe(expected);
    expect(o.deadline).toBe("2028-01-31");
  });

  it("§3.2 a draft sent back by the political body is reopened", () => {
    const base = [draft("2027-11-10"), held("regional-autumn", "2027-11-18")];
    const sentBack = [...base, treated("2027-12-09", "sent-back")];
    const afterReturn = evaluate({ now: "2027-12-10", regional: sentBack });
    const reopened = find(afterReturn, "draft-agreement-ready");
    expect(reopened.state).not.toBe("done");
    expect(reopened.doneOn).toBeUndefined();
    expect(ACTIONABLE.has(reopened.state)).toBe(true);
    const treatment = find(afterReturn, "political-treatment");
    expect(treatment.state).toBe("waiting");
    expect(treatment.missing).toEqual([{ stepId: "draft-agreement-ready" }]);
    // Signing cannot go ahead on a draft that was sent back.
    expect(step({ now: "2028-01-10", ...READY_TO_SIGN, regional: [...READY_TO_SIGN.regional, treated("2027-12-20", "sent-back")] }, "agreement-signed:region").missing).toEqual([
      { stepId: "political-treatment" },
    ]);

    // Reworked and treated again: both done.
    const reworked = evaluate({ now: "2027-12-21", regional: [...sentBack, draft("2027-12-16")] });
    expect(find(reworked, "draft-agreement-ready")).toMatchObject({ state: "done", doneOn: "2027-12-16" });
    expect(find(reworked, "political-treatment").state).toBe("open");
    const approved = evaluate({ now: "2028-01-05", regional: [...sentBack, draft("2027-12-16"), treated("2027-12-20")] });
    expect(find(approved, "political-treatment")).toMatchObject({ state: "done", doneOn: "2027-12-20" });
  });

  it.each<[string, EventData[], StepState, object[]]>([
    ["2027-12-20", [regionalBudget("2027-12-14")], "not-yet-open", []],
    ["2028-01-10", [], "waiting", [{ stepId: "regional-budget-adopted" }]],
    ["2028-01-10", [regionalBudget("2027-12-14")], "open", []],
    ["2028-01-31", [regionalBudget("2027-12-14")], "due-soon", []],
    ["2028-02-01", [regionalBudget("2027-12-14")], "overdue", []],
    ["2028-02-01", [regionalBudget("2027-12-14"), commission("IN", "2028-01-20")], "done", []],
  ])("§3.3 commission agreements go out in January, only to agencies that have one (%s, %j → %s)", (now, regional, expected, missing) => {
    const list = evaluate({ now, regional, commissionAgencies: ["IN"] });
    const o = find(list, "commission-agreement-sent:IN");
    expect(o.state).toBe(expected);
    expect(o.missing).toEqual(missing);
    expect([o.opensOn, o.deadline]).toEqual(["2028-01-01", "2028-01-31"]);
    expect(o.responsible).toEqual({ role: "region-coordinator", regionId: "46" });
    // SIVA and NFR have no commission agreement with the region: never owed.
    expect(find(list, "commission-agreement-sent:SIVA")).toMatchObject({ state: "not-applicable", missing: [] });
    expect(find(list, "commission-agreement-sent:NFR")).toMatchObject({ state: "not-applicable", missing: [] });
  });

  it("§3.3 a region with commission agreements to IN and NFR owes both, and not SIVA's", () => {
    const list = evaluate({ now: "2028-01-10", regional: [regionalBudget("2027-12-14"), commission("NFR", "2028-01-06")], commissionAgencies: ["IN", "NFR"] });
    expect(list.filter((o) => o.stepId === "commission-agreement-sent").map((o) => [o.key, o.state])).toEqual([
      ["commission-agreement-sent:IN", "open"],
      ["commission-agreement-sent:SIVA", "not-applicable"],
      ["commission-agreement-sent:NFR", "done"],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// §4 Coordination: invitations
// ---------------------------------------------------------------------------------------------

describe("§4 coordination", () => {
  it.each<[string, "national-spring" | "national-autumn", EventData[], IsoDate]>([
    ["national-spring-meeting-convened", "national-spring", [planned("national-spring", "2027-03-10")], "2027-01-27"],
    ["national-spring-meeting-convened", "national-spring", [planned("national-spring", "2027-03-10"), planned("national-spring", "2027-03-24")], "2027-02-10"],
    ["national-spring-meeting-convened", "national-spring", [], "2027-02-17"],
    ["national-autumn-meeting-convened", "national-autumn", [planned("national-autumn", "2027-11-10")], "2027-09-29"],
    ["national-autumn-meeting-convened", "national-autumn", [], "2027-10-19"],
  ])("§4.1 invitations to the national meeting are due six weeks before the planned date (%s, %s, %j → %s)", (key, _meeting, national, deadline) => {
    const o = step({ now: "2027-01-04", national, nationalOnly: true }, key);
    expect(o.deadline).toBe(deadline);
    expect(o.responsible).toEqual({ role: "national-coordinator" });
    expect(o.step.sections).toContain("4.1");
  });

  it.each<[string, EventData[], StepState]>([
    ["2027-01-20", [], "due-soon"],
    ["2027-01-19", [], "open"],
    ["2027-01-27", [], "due-soon"],
    ["2027-01-28", [], "overdue"],
    ["2027-01-28", [invited("national-spring", "2027-01-22")], "done"],
  ])("§4.1 RUK AU convenes the national spring meeting for 10 March by 27 January (%s, %j → %s)", (now, more, expected) => {
    expect(stateOf({ now, national: [planned("national-spring", "2027-03-10"), ...more], nationalOnly: true }, "national-spring-meeting-convened")).toBe(expected);
  });

  it.each<[string, EventData[], IsoDate]>([
    ["regional-spring-meeting-convened", [planned("regional-spring", "2027-04-20")], "2027-03-30"],
    ["regional-spring-meeting-convened", [], "2027-06-09"],
    ["regional-autumn-meeting-convened", [planned("regional-autumn", "2027-11-18")], "2027-10-28"],
    // Not planned: three weeks before the latest day, 31 December moved to 23 December → 2 December.
    ["regional-autumn-meeting-convened", [], "2027-12-02"],
  ])("§4.2 invitations to the regional meeting are due three weeks before (%s, %j → %s)", (key, regional, deadline) => {
    const o = step({ now: "2027-03-01", regional }, key);
    expect(o.deadline).toBe(deadline);
    expect(o.responsible).toEqual({ role: "region-coordinator", regionId: "46" });
    expect(o.step.sections).toContain("4.2");
  });

  it.each<[string, EventData[], EventData[], StepState]>([
    ["2027-03-01", [], [], "waiting"],
    ["2027-03-01", [held("national-spring", "2027-02-25")], [], "open"],
    // The national meeting's date is enough to convene (§4.2); it need not be held yet.
    ["2027-03-01", [planned("national-spring", "2027-03-10")], [], "open"],
    ["2027-03-30", [planned("national-spring", "2027-03-10")], [], "due-soon"],
    ["2027-03-30", [held("national-spring", "2027-02-25")], [], "due-soon"],
    ["2027-03-31", [held("national-spring", "2027-02-25")], [], "overdue"],
    // Past the deadline with no national date: blocked (RUK AU's step is the late one), not overdue.
    ["2027-03-31", [], [], "blocked"],
    ["2027-03-31", [held("national-spring", "2027-02-25")], [invited("regional-spring", "2027-03-22")], "done"],
  ])("§4.2 the region convenes its spring meeting for 20 April by 30 March (%s, %j, %j → %s)", (now, national, more, expected) => {
    expect(stateOf({ now, national, regional: [planned("regional-spring", "2027-04-20"), ...more] }, "regional-spring-meeting-convened")).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// Tracking start (product.md: a fresh install mid-year)
// ---------------------------------------------------------------------------------------------

describe("tracking start", () => {
  const install = { trackingStart: "2027-06-15", nationalTrackingStart: "2027-06-15" };

  it("a fresh install mid-year shows earlier steps as not-tracked, never overdue", () => {
    const list = evaluate({ now: "2027-06-15", ...install });
    expect(list.filter((o) => o.state === "overdue")).toEqual([]);
    expect(["national-spring-meeting-convened", "national-spring-meeting-held", "regional-spring-meeting-convened"].map((k) => find(list, k).state)).toEqual([
      "not-tracked",
      "not-tracked",
      "not-tracked",
    ]);
    // Deadlines on or after the install day are tracked as usual: the spring reports (23 June).
    expect(find(list, "follow-up-report-spring:IN").state).toBe("open");
    expect(find(list, "follow-up-report-spring:IN").deadline).toBe("2027-06-23");
  });

  it("recording an earlier step later makes it done", () => {
    const list = evaluate({
      now: "2027-06-16",
      ...install,
      national: [invited("national-spring", "2027-02-01"), held("national-spring", "2027-03-09")],
      regional: [invited("regional-spring", "2027-05-20")],
    });
    expect(["national-spring-meeting-convened", "national-spring-meeting-held", "regional-spring-meeting-convened"].map((k) => find(list, k).state)).toEqual([
      "done",
      "done",
      "done",
    ]);
    expect(find(list, "national-spring-meeting-held").doneOn).toBe("2027-03-09");
    expect(find(list, "regional-spring-meeting-held").state).toBe("open");
  });

  it("a tracked step missed after the install is overdue", () => {
    const list = evaluate({ now: "2027-07-01", ...install, national: [held("national-spring", "2027-03-09")] });
    expect(find(list, "regional-spring-meeting-held").state).toBe("overdue");
    expect(find(list, "follow-up-report-spring:NFR").state).toBe("overdue");
    expect(find(list, "national-spring-meeting-convened").state).toBe("not-tracked");
  });

  it.each<[IsoDate, StepState]>([
    ["2027-03-31", "overdue"],
    ["2027-04-01", "not-tracked"],
  ])("a deadline on the tracking start is tracked, one before it is not (tracking from %s → %s)", (start, expected) => {
    expect(stateOf({ now: "2027-04-02", nationalTrackingStart: start, nationalOnly: true }, "national-spring-meeting-held")).toBe(expected);
  });

  it("a step that passed before the tracking start does not hold up the steps that require it", () => {
    // Installed 15 June 2027: the national autumn meeting is tracked, the spring one is not.
    const list = evaluate({ now: "2027-06-16", ...install });
    expect(find(list, "national-spring-meeting-held").state).toBe("not-tracked");
    // §3.1: the regional spring meeting follows the national one, which we assume happened.
    expect(find(list, "regional-spring-meeting-held").missing).toEqual([]);
    expect(find(list, "regional-spring-meeting-held").state).toBe("open");
  });

  it("before its deadline a step is judged as usual, even when the clock is set before the tracking start", () => {
    // CLOCK_NOW may be set to a day before the app's first start: coming deadlines are not "not tracked".
    expect(stateOf({ now: "2027-03-01", trackingStart: "2027-06-15", nationalTrackingStart: "2027-06-15", nationalOnly: true }, "national-spring-meeting-held")).toBe("open");
  });

  it("the national track and the region each have their own tracking start", () => {
    const list = evaluate({ now: "2027-06-16", trackingStart: "2027-06-15", nationalTrackingStart: "2027-01-01" });
    expect(find(list, "national-spring-meeting-held").state).toBe("overdue");
    expect(find(list, "regional-spring-meeting-convened").state).toBe("not-tracked");
  });
});

// ---------------------------------------------------------------------------------------------
// A whole year, month by month
// ---------------------------------------------------------------------------------------------

/** A well-run cycle 2027 in Vestland: [the day it happened, national?, event]. */
const WELL_RUN: Array<[IsoDate, "national" | "regional", EventData]> = [
  ["2027-01-10", "national", planned("national-spring", "2027-03-10")],
  ["2027-01-20", "national", invited("national-spring", "2027-01-20")],
  ["2027-03-01", "regional", planned("regional-spring", "2027-04-20")],
  ["2027-03-10", "national", held("national-spring", "2027-03-10")],
  ["2027-03-15", "regional", invited("regional-spring", "2027-03-15")],
  ["2027-04-05", "regional", report("spring", "IN", "2027-04-05")],
  ["2027-04-12", "regional", report("spring", "SIVA", "2027-04-12")],
  ["2027-04-16", "regional", report("spring", "NFR", "2027-04-16")],
  ["2027-04-20", "regional", held("regional-spring", "2027-04-20")],
  ["2027-08-20", "national", planned("national-autumn", "2027-10-27")],
  ["2027-09-01", "national", invited("national-autumn", "2027-09-01")],
  ["2027-09-01", "regional", planned("regional-autumn", "2027-11-18")],
  ["2027-10-20", "regional", invited("regional-autumn", "2027-10-20")],
  ["2027-10-27", "national", held("national-autumn", "2027-10-27")],
  ["2027-11-01", "regional", report("autumn", "IN", "2027-11-01")],
  ["2027-11-10", "regional", report("autumn", "SIVA", "2027-11-10")],
  ["2027-11-10", "regional", draft("2027-11-10")],
  ["2027-11-11", "regional", report("autumn", "NFR", "2027-11-11")],
  ["2027-11-18", "regional", held("regional-autumn", "2027-11-18")],
  ["2027-12-09", "regional", treated("2027-12-09")],
  ["2027-12-14", "regional", regionalBudget("2027-12-14")],
  ["2027-12-15", "national", stateBudget("2027-12-15")],
  ["2027-12-20", "national", letter("IN", "2027-12-20")],
  ["2028-01-05", "national", letter("SIVA", "2028-01-05")],
  ["2028-01-12", "national", letter("NFR", "2028-01-12")],
  ["2028-01-20", "regional", signed("region", "2028-01-20")],
  ["2028-01-20", "regional", signed("IN", "2028-01-20")],
  ["2028-01-20", "regional", signed("SIVA", "2028-01-20")],
  ["2028-01-20", "regional", signed("NFR", "2028-01-20")],
  ["2028-01-25", "regional", commission("IN", "2028-01-25")],
];

/** The state of the wheel on `date` with everything recorded on or before that day. */
function wellRunOn(date: IsoDate): Obligation[] {
  const upTo = (track: "national" | "regional") => WELL_RUN.filter(([d, t]) => t === track && d <= date).map(([, , e]) => e);
  return evaluate({ now: date, national: upTo("national"), regional: upTo("regional") });
}

// Columns: NSC NSH RSC FUS:NFR RSH NAC NAH DRAFT RAC FUA:NFR RAH PT SB RB AL:NFR SIGN:region COM:IN
const COLUMNS = [
  "national-spring-meeting-convened",
  "national-spring-meeting-held",
  "regional-spring-meeting-convened",
  "follow-up-report-spring:NFR",
  "regional-spring-meeting-held",
  "national-autumn-meeting-convened",
  "national-autumn-meeting-held",
  "draft-agreement-ready",
  "regional-autumn-meeting-convened",
  "follow-up-report-autumn:NFR",
  "regional-autumn-meeting-held",
  "political-treatment",
  "state-budget-adopted",
  "regional-budget-adopted",
  "allocation-letter-received:NFR",
  "agreement-signed:region",
  "commission-agreement-sent:IN",
] as const;
const NYO = "not-yet-open";

describe("a well-run year, month by month (cycle 2027, evaluated on the 15th)", () => {
  it.each<[IsoDate, StepState[]]>([
    ["2027-01-15", ["open", "open", NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO]],
    // §4.2: the national spring meeting has a date (10 March, planned 10 January): the region may convene; it is held after it (§3.1).
    ["2027-02-15", ["done", "open", "open", NYO, "waiting", NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO]],
    ["2027-03-15", ["done", "done", "done", "open", "open", NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO]],
    ["2027-04-15", ["done", "done", "done", "overdue", "open", NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO]],
    ["2027-05-15", ["done", "done", "done", "done", "done", NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO]],
    ["2027-06-15", ["done", "done", "done", "done", "done", NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO]],
    ["2027-07-15", ["done", "done", "done", "done", "done", NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO]],
    ["2027-08-15", ["done", "done", "done", "done", "done", "open", NYO, "open", NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO, NYO]],
    // §4.2: the national autumn meeting has a date (27 October, planned 20 August): invitations to the regional one
    // (18 November) are open, due 28 October — on 15 October still 9 working days away, so not due soon.
    ["2027-09-15", ["done", "done", "done", "done", "done", "done", NYO, "open", "open", "open", NYO, NYO, NYO, NYO, NYO, NYO, NYO]],
    ["2027-10-15", ["done", "done", "done", "done", "done", "done", "open", "open", "open", "open", "waiting", "waiting", "open", NYO, NYO, NYO, NYO]],
    ["2027-11-15", ["done", "done", "done", "done", "done", "done", "done", "done", "done", "done", "open", "waiting", "open", "open", NYO, NYO, NYO]],
    ["2027-12-15", ["done", "done", "done", "done", "done", "done", "done", "done", "done", "done", "done", "done", "done", "done", "open", NYO, NYO]],
    ["2028-01-15", ["done", "done", "done", "done", "done", "done", "done", "done", "done", "done", "done", "done", "done", "done", "done", "open", "open"]],
    ["2028-02-15", ["done", "done", "done", "done", "done", "done", "done", "done", "done", "done", "done", "done", "done", "done", "done", "done", "done"]],
  ])("on %s the wheel stands as expected", (date, expected) => {
    const list = wellRunOn(date);
    expect(COLUMNS.map((key) => [key, find(list, key).state])).toEqual(COLUMNS.map((key, i) => [key, expected[i]]));
  });

  it("the well-run year ends with every step done or not applicable", () => {
    const list = wellRunOn("2028-02-15");
    expect(list.filter((o) => o.state !== "done").map((o) => [o.key, o.state])).toEqual([
      ["commission-agreement-sent:SIVA", "not-applicable"],
      ["commission-agreement-sent:NFR", "not-applicable"],
    ]);
    expect(list).toHaveLength(28);
  });
});

/**
 * Nothing recorded, so the deadlines are the model's latest dates, each on a working day: the national
 * spring invitations 17 February (31 March − 6 weeks), the spring meeting 31 March; regional spring
 * invitations 9 June (30 June − 3 weeks), spring reports 23 June, the meeting 30 June; national autumn
 * invitations 19 October (30 November − 6 weeks), the meeting 30 November; the regional autumn meeting's
 * latest day 31 December moves to Thursday 23 December (24–31 December is no deadline): the draft and
 * the budgets are due then too, autumn invitations 2 December, autumn reports 16 December; January's
 * steps 31 January 2028 (a Monday). A step whose prerequisites are still missing when its deadline
 * passes is blocked, not overdue: the regional invitations wait for the national meeting's date
 * (§4.2), the regional meetings for the national ones (§3.1, §3.2), treatment for the meeting and the
 * draft, signing for everything (§2.1), the commission agreement for the county budget (§3.3).
 */
describe("a year where nothing is recorded: what is overdue, and what is blocked, at the end of each month (cycle 2027)", () => {
  const spring = ["national-spring-meeting-convened", "national-spring-meeting-held"];
  const june = [...spring, "follow-up-report-spring:IN", "follow-up-report-spring:SIVA", "follow-up-report-spring:NFR"];
  const october = [...june, "national-autumn-meeting-convened"];
  const december = [
    ...october,
    "national-autumn-meeting-held",
    "follow-up-report-autumn:IN",
    "follow-up-report-autumn:SIVA",
    "follow-up-report-autumn:NFR",
    "draft-agreement-ready",
    "state-budget-adopted",
    "regional-budget-adopted",
  ];
  // The commission agreement waits only for the county's own budget: past its deadline the county
  // is simply late with it. Political treatment waits for the county's autumn meeting, which waits
  // for RUK AU's: blocked along the chain.
  const february = [
    ...december,
    "allocation-letter-received:IN",
    "allocation-letter-received:SIVA",
    "allocation-letter-received:NFR",
    "commission-agreement-sent:IN",
  ];
  const blockedJune = ["regional-spring-meeting-convened"];
  const blockedJuly = [...blockedJune, "regional-spring-meeting-held"];
  const blockedDecember = [...blockedJuly, "regional-autumn-meeting-convened", "regional-autumn-meeting-held"];
  const blockedFebruary = [
    ...blockedDecember,
    "political-treatment",
    "agreement-signed:region",
    "agreement-signed:IN",
    "agreement-signed:SIVA",
    "agreement-signed:NFR",
  ];

  it.each<[IsoDate, string[], string[]]>([
    ["2027-01-31", [], []],
    ["2027-02-28", ["national-spring-meeting-convened"], []],
    ["2027-03-31", ["national-spring-meeting-convened"], []],
    ["2027-04-30", spring, []],
    ["2027-05-31", spring, []],
    ["2027-06-30", june, blockedJune],
    ["2027-07-31", june, blockedJuly],
    ["2027-08-31", june, blockedJuly],
    ["2027-09-30", june, blockedJuly],
    ["2027-10-31", october, blockedJuly],
    ["2027-11-30", october, blockedJuly],
    ["2027-12-31", december, blockedDecember],
    ["2028-01-31", december, blockedDecember],
    ["2028-02-29", february, blockedFebruary],
  ])("§2.1, §3, §4 on %s", (date, overdue, blocked) => {
    const list = evaluate({ now: date });
    expect(list.filter((o) => o.state === "overdue").map((o) => o.key).sort()).toEqual([...overdue].sort());
    expect(list.filter((o) => o.state === "blocked").map((o) => o.key).sort()).toEqual([...blocked].sort());
  });
});

// ---------------------------------------------------------------------------------------------
// Working days: Easter 2027
// ---------------------------------------------------------------------------------------------

describe("due soon counts Norwegian working days: Easter 2027 (Maundy Thursday 25 March – Easter Monday 29 March)", () => {
  it.each<[IsoDate, StepState]>([
    ["2027-03-17", "open"],
    ["2027-03-18", "open"],
    ["2027-03-19", "due-soon"],
    ["2027-03-24", "due-soon"],
    ["2027-03-25", "due-soon"],
    ["2027-03-26", "due-soon"],
    ["2027-03-28", "due-soon"],
    ["2027-03-29", "due-soon"],
    ["2027-03-30", "due-soon"],
    ["2027-03-31", "due-soon"],
    ["2027-04-01", "overdue"],
  ])("§1 the national spring meeting (deadline Wednesday 31 March) on %s → %s", (now, expected) => {
    expect(stateOf({ now, nationalOnly: true }, "national-spring-meeting-held")).toBe(expected);
  });

  it.each<[IsoDate, StepState]>([
    ["2027-03-17", "open"],
    ["2027-03-18", "due-soon"],
    ["2027-03-30", "due-soon"],
    ["2027-03-31", "overdue"],
  ])("§4.2 invitations due Tuesday 30 March, right after Easter Monday, on %s → %s", (now, expected) => {
    const s = { now, national: [held("national-spring", "2027-02-25")], regional: [planned("regional-spring", "2027-04-20")] };
    expect(stateOf(s, "regional-spring-meeting-convened")).toBe(expected);
  });

  it("due soon starts 12 calendar days before 31 March 2027 (Easter) but only 7 before 30 June 2027", () => {
    const firstDueSoon = (key: string, from: IsoDate, national: EventData[]) => {
      let day = DateTime.fromISO(from, { zone: OSLO });
      for (let i = 0; i < 60; i++, day = day.plus({ days: 1 })) {
        const o = step({ now: day.toISODate()!, national }, key);
        if (o.state === "due-soon") return [day.toISODate(), o.deadline];
      }
      return undefined;
    };
    expect(firstDueSoon("national-spring-meeting-held", "2027-03-01", [])).toEqual(["2027-03-19", "2027-03-31"]);
    expect(firstDueSoon("regional-spring-meeting-held", "2027-06-01", [held("national-spring", "2027-03-10")])).toEqual(["2027-06-23", "2027-06-30"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Oslo time: DST and year end
// ---------------------------------------------------------------------------------------------

describe("deadlines are Oslo days, across the DST changes (28 March and 31 October 2027)", () => {
  it.each<[string, StepState]>([
    ["2027-03-31T21:30:00Z", "due-soon"], // 23:30 on 31 March in Oslo (CEST, UTC+2)
    ["2027-03-31T21:59:59.999Z", "due-soon"],
    ["2027-03-31T22:00:00Z", "overdue"], // 00:00 on 1 April in Oslo
    ["2027-03-31T22:30:00Z", "overdue"], // 00:30 on 1 April in Oslo
    ["2027-03-31T18:30:00-04:00", "overdue"], // the same instant seen from New York
    ["2027-04-01T00:30:00+02:00", "overdue"],
    ["2027-03-31T23:59:00+02:00", "due-soon"],
  ])("§1 the national spring meeting at %s → %s", (now, expected) => {
    expect(stateOf({ now, nationalOnly: true }, "national-spring-meeting-held")).toBe(expected);
  });

  // Regional meetings planned 17–19 April would put the invitation deadline (21 days before) on
  // the DST weekend or Easter Monday (27, 28, 29 March): no deadline falls there, so it moves back
  // over Good Friday and Maundy Thursday to Wednesday 24 March (CET). A meeting on 20 April: due
  // Tuesday 30 March, after the change (CEST, UTC+2).
  it.each<[IsoDate, string, StepState]>([
    ["2027-04-17", "2027-03-24T22:59:59Z", "due-soon"], // 23:59:59 CET on 24 March
    ["2027-04-17", "2027-03-24T23:00:00Z", "overdue"], // 00:00 CET on 25 March
    ["2027-04-18", "2027-03-24T22:59:59Z", "due-soon"],
    ["2027-04-18", "2027-03-27T23:30:00Z", "overdue"], // 00:30 on Sunday 28 March, not its deadline
    ["2027-04-19", "2027-03-24T23:00:00Z", "overdue"],
    ["2027-04-20", "2027-03-30T21:59:59Z", "due-soon"], // 23:59:59 CEST on 30 March
    ["2027-04-20", "2027-03-30T22:00:00Z", "overdue"], // 00:00 CEST on 31 March
  ])("§4.2 regional spring meeting planned %s, invitations due 21 days before (on a working day), at %s → %s", (meetingDate, now, expected) => {
    const s = { now, national: [held("national-spring", "2027-03-10")], regional: [planned("regional-spring", meetingDate)] };
    expect(stateOf(s, "regional-spring-meeting-convened")).toBe(expected);
  });

  // 20 and 21 November would put it on Saturday 30 / Sunday 31 October (the change back to CET):
  // it moves to Friday 29 October (CEST); 22 November gives Monday 1 November (CET).
  it.each<[IsoDate, string, StepState]>([
    ["2027-11-20", "2027-10-29T21:30:00Z", "due-soon"], // 23:30 CEST on 29 October
    ["2027-11-20", "2027-10-29T22:00:00Z", "overdue"], // 00:00 CEST on 30 October
    ["2027-11-21", "2027-10-29T21:59:59.999Z", "due-soon"],
    ["2027-11-21", "2027-10-31T22:30:00Z", "overdue"], // 23:30 CET on 31 October, not its deadline
    ["2027-11-22", "2027-11-01T22:30:00Z", "due-soon"], // 23:30 CET on 1 November (UTC+1 after the change)
    ["2027-11-22", "2027-11-01T22:59:59.999Z", "due-soon"],
    ["2027-11-22", "2027-11-01T23:00:00Z", "overdue"], // 00:00 CET on 2 November
  ])("§4.2 regional autumn meeting planned %s, invitations due 21 days before (on a working day), at %s → %s", (meetingDate, now, expected) => {
    const s = { now, national: [held("national-autumn", "2027-10-20")], regional: [planned("regional-autumn", meetingDate)] };
    expect(stateOf(s, "regional-autumn-meeting-convened")).toBe(expected);
  });
});

describe("year end: the budgets are due by 31 December — no deadline in Christmas week, so by Thursday 23 December, Oslo time", () => {
  it.each<[string, StepState]>([
    ["2027-12-15", "open"], // 6 working days before: 16, 17, 20, 21, 22, 23 December
    ["2027-12-16", "due-soon"],
    ["2027-12-23", "due-soon"],
    ["2027-12-23T22:59:00Z", "due-soon"], // 23:59 on 23 December in Oslo (CET)
    ["2027-12-23T22:59:59.999Z", "due-soon"],
    ["2027-12-23T23:00:00Z", "overdue"], // 00:00 on julaften in Oslo
    ["2027-12-31", "overdue"],
    ["2028-01-01T00:00:00+01:00", "overdue"],
  ])("§2.1 the state and regional budgets at %s → %s", (now, expected) => {
    const list = evaluate({ now });
    expect([find(list, "state-budget-adopted").state, find(list, "regional-budget-adopted").state]).toEqual([expected, expected]);
  });

  it("§2.1 budgets adopted in December are done in January", () => {
    const list = evaluate({ now: "2028-01-01T00:00:00+01:00", national: [stateBudget("2027-12-15")], regional: [regionalBudget("2027-12-14")] });
    expect([find(list, "state-budget-adopted").state, find(list, "regional-budget-adopted").state]).toEqual(["done", "done"]);
  });

  it("§2.1 the regional budget is the region coordinator's, the state budget RUK AU's", () => {
    const list = evaluate({ now: "2027-12-01" });
    expect(find(list, "regional-budget-adopted")).toMatchObject({ opensOn: "2027-11-01", target: "2027-12-15", deadline: "2027-12-23" });
    expect(find(list, "regional-budget-adopted").responsible).toEqual({ role: "region-coordinator", regionId: "46" });
    expect(find(list, "state-budget-adopted").responsible).toEqual({ role: "national-coordinator" });
  });
});

// ---------------------------------------------------------------------------------------------
// January: two cycles at once
// ---------------------------------------------------------------------------------------------

describe("January belongs to two cycles", () => {
  it.each<[IsoDate, number[]]>([
    ["2027-12-31", [2027]],
    ["2028-01-01", [2027, 2028]],
    ["2028-01-15", [2027, 2028]],
    ["2028-01-31", [2027, 2028]],
    // The closing cycle stays in view while its last steps can still be recorded (31 January + 92 days = 2 May 2028).
    ["2028-02-01", [2027, 2028]],
    ["2028-05-02", [2027, 2028]],
    ["2028-05-03", [2028]],
    ["2028-06-30", [2028]],
  ])("activeCycleYears(%s) is %j", (today, years) => {
    expect(activeCycleYears(today, MODEL_2017)).toEqual(years);
  });

  it("§3.2 signing agreement 2028 belongs to cycle 2027, deadline 31 January 2028", () => {
    const cycle2027 = step({ year: 2027, now: "2028-01-15", ...READY_TO_SIGN }, "agreement-signed:region");
    expect(cycle2027).toMatchObject({ year: 2027, opensOn: "2028-01-01", deadline: "2028-01-31", state: "open" });
    const cycle2028 = step({ year: 2028, now: "2028-01-15" }, "agreement-signed:region");
    expect(cycle2028).toMatchObject({ year: 2028, opensOn: "2029-01-01", deadline: "2029-01-31", state: "not-yet-open" });
  });

  it("on 15 January 2028 cycle 2027 asks for signatures while cycle 2028 prepares its spring meeting", () => {
    const [previous, current] = activeCycleYears("2028-01-15").map((year) => evaluate({ year, now: "2028-01-15", ...(year === 2027 ? READY_TO_SIGN : {}) }));
    expect(find(previous!, "agreement-signed:IN").state).toBe("open");
    expect(find(previous!, "commission-agreement-sent:IN").state).toBe("open");
    expect(find(current!, "national-spring-meeting-held")).toMatchObject({ year: 2028, state: "open", deadline: "2028-03-31" });
    expect(find(current!, "political-treatment")).toMatchObject({ year: 2028, state: "not-yet-open", deadline: "2029-01-31" });
  });
});

// ---------------------------------------------------------------------------------------------
// Who is responsible
// ---------------------------------------------------------------------------------------------

describe("who is responsible for each step", () => {
  const list = (): Obligation[] => evaluate({ now: "2027-06-01", commissionAgencies: ["IN"] });
  const RUK_AU = { role: "national-coordinator" };
  const REGION = { role: "region-coordinator", regionId: "46" };
  it.each<[string, object]>([
    ["national-spring-meeting-convened", RUK_AU],
    ["national-spring-meeting-held", RUK_AU],
    ["national-autumn-meeting-convened", RUK_AU],
    ["national-autumn-meeting-held", RUK_AU],
    ["state-budget-adopted", RUK_AU],
    ["regional-spring-meeting-convened", REGION],
    ["regional-spring-meeting-held", REGION],
    ["regional-autumn-meeting-convened", REGION],
    ["regional-autumn-meeting-held", REGION],
    ["draft-agreement-ready", REGION],
    ["political-treatment", REGION],
    ["regional-budget-adopted", REGION],
    ["commission-agreement-sent:IN", REGION],
    ["allocation-letter-received:IN", { role: "agency-national", agency: "IN" }],
    ["allocation-letter-received:NFR", { role: "agency-national", agency: "NFR" }],
    ["follow-up-report-spring:SIVA", { role: "agency-regional", regionId: "46", agency: "SIVA" }],
    ["follow-up-report-autumn:NFR", { role: "agency-regional", regionId: "46", agency: "NFR" }],
    ["agreement-signed:region", REGION],
    ["agreement-signed:IN", { role: "party", regionId: "46", agency: "IN" }],
    ["agreement-signed:SIVA", { role: "party", regionId: "46", agency: "SIVA" }],
    ["agreement-signed:NFR", { role: "party", regionId: "46", agency: "NFR" }],
  ])("%s is the responsibility of %j", (key, responsible) => {
    expect(find(list(), key).responsible).toEqual(responsible);
  });

  it("every step instance of a region with IN, SIVA and NFR is listed once, in the order of the year", () => {
    expect(list().map((o) => o.key)).toEqual([
      "national-spring-meeting-convened",
      "national-spring-meeting-held",
      "regional-spring-meeting-convened",
      "follow-up-report-spring:IN",
      "follow-up-report-spring:SIVA",
      "follow-up-report-spring:NFR",
      "regional-spring-meeting-held",
      "national-autumn-meeting-convened",
      "national-autumn-meeting-held",
      "draft-agreement-ready",
      "regional-autumn-meeting-convened",
      "follow-up-report-autumn:IN",
      "follow-up-report-autumn:SIVA",
      "follow-up-report-autumn:NFR",
      "regional-autumn-meeting-held",
      "political-treatment",
      "state-budget-adopted",
      "regional-budget-adopted",
      "allocation-letter-received:IN",
      "allocation-letter-received:SIVA",
      "allocation-letter-received:NFR",
      "agreement-signed:region",
      "agreement-signed:IN",
      "agreement-signed:SIVA",
      "agreement-signed:NFR",
      "commission-agreement-sent:IN",
      "commission-agreement-sent:SIVA",
      "commission-agreement-sent:NFR",
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// RFF as a fourth party; agreement not in force
// ---------------------------------------------------------------------------------------------

describe("a region with RFF added as a fourth party (Trøndelag)", () => {
  const trondelag = { regionId: "50", partyAgencies: ["IN", "SIVA", "NFR", "RFF"] as AgencyId[], nationalAgencies: ["IN", "SIVA", "NFR", "RFF"] as AgencyId[] };

  it("RFF reports its follow-up in spring and autumn, to Trøndelag", () => {
    const list = evaluate({ now: "2027-06-01", ...trondelag });
    expect(find(list, "follow-up-report-spring:RFF").responsible).toEqual({ role: "agency-regional", regionId: "50", agency: "RFF" });
    expect(find(list, "follow-up-report-autumn:RFF").responsible).toEqual({ role: "agency-regional", regionId: "50", agency: "RFF" });
    expect(list.filter((o) => o.stepId === "follow-up-report-spring").map((o) => o.party)).toEqual(["IN", "SIVA", "NFR", "RFF"]);
  });

  it("RFF signs for itself", () => {
    const list = evaluate({ now: "2028-01-10", ...trondelag });
    expect(list.filter((o) => o.stepId === "agreement-signed").map((o) => o.key)).toEqual([
      "agreement-signed:region",
      "agreement-signed:IN",
      "agreement-signed:SIVA",
      "agreement-signed:NFR",
      "agreement-signed:RFF",
    ]);
    expect(find(list, "agreement-signed:RFF").responsible).toEqual({ role: "party", regionId: "50", agency: "RFF" });
  });

  it("§2.1 Trøndelag's signing waits for RFF's allocation letter; Vestland's, without RFF, does not", () => {
    const s = { now: "2028-01-10", ...READY_TO_SIGN };
    const trondelagSigning = step({ ...s, ...trondelag }, "agreement-signed:region");
    expect(trondelagSigning.state).toBe("waiting");
    expect(trondelagSigning.missing).toEqual([{ stepId: "allocation-letter-received", party: "RFF" }]);
    expect(step({ ...s, ...trondelag }, "allocation-letter-received:RFF").state).toBe("open");
    expect(step(s, "agreement-signed:region").state).toBe("open");
    expect(evaluate(s).some((o) => o.key === "allocation-letter-received:RFF")).toBe(false);

    const withRff = { ...s, ...trondelag, national: [...READY_TO_SIGN.national, letter("RFF", "2028-01-08")] };
    expect(step(withRff, "agreement-signed:RFF")).toMatchObject({ state: "open", missing: [] });
  });

  it("the national track alone lists the allocation letters of every party agency anywhere", () => {
    const list = evaluate({ now: "2027-12-10", nationalOnly: true, nationalAgencies: ["IN", "SIVA", "NFR", "RFF"] });
    expect(list.filter((o) => o.stepId === "allocation-letter-received").map((o) => o.key)).toEqual([
      "allocation-letter-received:IN",
      "allocation-letter-received:SIVA",
      "allocation-letter-received:NFR",
      "allocation-letter-received:RFF",
    ]);
    expect(list.every((o) => o.step.scope === "national")).toBe(true);
  });
});

describe("follow-up reports need an agreement in force (§3.1, §3.2)", () => {
  // On 15 September, with nothing recorded, the spring reports (due 23 June) are overdue and the
  // autumn reports (due 24 December) open, unless there is no agreement to report on.
  it.each<[boolean | undefined, StepState, StepState]>([
    [false, "not-applicable", "not-applicable"],
    [true, "overdue", "open"],
    [undefined, "overdue", "open"],
  ])("agreementInForce %s → spring reports %s, autumn reports %s", (agreementInForce, spring, autumn) => {
    const list = evaluate({ now: "2027-09-15", ...(agreementInForce !== undefined ? { agreementInForce } : {}) });
    const reports = list.filter((o) => o.stepId.startsWith("follow-up-report"));
    expect(reports.map((o) => [o.key, o.state])).toEqual([
      ["follow-up-report-spring:IN", spring],
      ["follow-up-report-spring:SIVA", spring],
      ["follow-up-report-spring:NFR", spring],
      ["follow-up-report-autumn:IN", autumn],
      ["follow-up-report-autumn:SIVA", autumn],
      ["follow-up-report-autumn:NFR", autumn],
    ]);
  });

  it("without an agreement in force the rest of the wheel is unchanged", () => {
    const s = { now: "2028-01-10", ...READY_TO_SIGN };
    expect(stateOf({ ...s, agreementInForce: false }, "agreement-signed:region")).toBe("open");
    expect(stateOf({ ...s, agreementInForce: false }, "regional-autumn-meeting-held")).toBe("done");
  });
});

// ---------------------------------------------------------------------------------------------
// byUrgency
// ---------------------------------------------------------------------------------------------

describe("byUrgency", () => {
  const o = (state: StepState, deadline: IsoDate, key: string): Obligation => ({
    ...step({ now: "2027-06-01" }, "regional-spring-meeting-held"),
    key,
    state,
    deadline,
  });

  it("orders overdue, blocked (late because of someone else), due soon, open, waiting; each by deadline; everything else last", () => {
    const items = [
      o("blocked", "2027-01-29", "blocked-jan"),
      o("open", "2027-05-01", "open-may"),
      o("done", "2027-01-01", "done"),
      o("overdue", "2027-03-31", "overdue-march"),
      o("waiting", "2027-02-01", "waiting-feb"),
      o("due-soon", "2027-04-10", "due-soon-april"),
      o("overdue", "2027-02-17", "overdue-feb"),
      o("not-yet-open", "2027-08-01", "not-yet-open"),
      o("open", "2027-04-20", "open-april"),
      o("not-applicable", "2027-09-01", "not-applicable"),
    ];
    expect([...items].sort(byUrgency).map((x) => x.key)).toEqual([
      "overdue-feb",
      "overdue-march",
      "blocked-jan",
      "due-soon-april",
      "open-april",
      "open-may",
      "waiting-feb",
      "done",
      "not-yet-open",
      "not-applicable",
    ]);
  });

  it("the most urgent obligation of the wheel on 14 April 2027 is the overdue NFR spring report", () => {
    const list = wellRunOn("2027-04-14");
    const actionable = list.filter((x) => ACTIONABLE.has(x.state)).sort(byUrgency);
    expect(actionable.map((x) => [x.key, x.state, x.deadline])).toEqual([
      ["follow-up-report-spring:NFR", "overdue", "2027-04-13"],
      ["regional-spring-meeting-held", "open", "2027-06-30"],
    ]);
  });
});

describe("§3.1 a regional spring meeting planned early", () => {
  it("opens the follow-up reports a fortnight before they are due, so they are never due before they open", () => {
    // Meeting on 5 March: reports due a week before (26 February), before the usual 1 March opening.
    const report = step({ now: "2027-02-20", regional: [planned("regional-spring", "2027-03-05")] }, "follow-up-report-spring:SIVA");
    expect(report.deadline).toBe("2027-02-26");
    expect(report.opensOn).toBe("2027-02-12");
    expect(report.state).toBe("due-soon");
    expect(step({ now: "2027-02-11", regional: [planned("regional-spring", "2027-03-05")] }, "follow-up-report-spring:SIVA").state).toBe("not-yet-open");
    expect(step({ now: "2027-02-27", regional: [planned("regional-spring", "2027-03-05")] }, "follow-up-report-spring:SIVA").state).toBe("overdue");
  });
});

describe("what happens next", () => {
  it("the same step due the same day for several agencies is grouped; other steps stay apart", () => {
    const list = evaluate({ now: "2027-04-01", national: [held("national-spring", "2027-03-10")], regional: [planned("regional-spring", "2027-04-20")] });
    const actionable = list.filter((o) => ACTIONABLE.has(o.state)).sort(byUrgency);
    const groups = groupSameStep(actionable);
    const reports = groups.find((g) => g[0]!.stepId === "follow-up-report-spring")!;
    expect(reports.map((o) => o.party)).toEqual(["IN", "SIVA", "NFR"]);
    expect(groups.flat()).toHaveLength(actionable.length);
    // A report already delivered by one agency splits it from the rest (done is not actionable).
    const partly = evaluate({ now: "2027-04-01", national: [held("national-spring", "2027-03-10")], regional: [planned("regional-spring", "2027-04-20"), report("spring", "SIVA", "2027-03-30")] });
    const partlyGroups = groupSameStep(partly.filter((o) => ACTIONABLE.has(o.state)).sort(byUrgency));
    expect(partlyGroups.find((g) => g[0]!.stepId === "follow-up-report-spring")!.map((o) => o.party)).toEqual(["IN", "NFR"]);
  });
});

// ---------------------------------------------------------------------------------------------
// Issue 9: deadlines on working days, convening on the national date, blocked steps, late by a change
// ---------------------------------------------------------------------------------------------

describe("no deadline falls on a weekend, a public holiday or 24–31 December: it moves to the working day before", () => {
  it.each<[string, number, string, EventData[], IsoDate]>([
    // 31 January 2027 is a Sunday: cycle 2026's January steps are due Friday 29 January.
    ["§2.1 signing agreement 2027 (31 January 2027, a Sunday)", 2026, "agreement-signed:region", [], "2027-01-29"],
    ["§3.3 commission agreement 2027", 2026, "commission-agreement-sent:IN", [], "2027-01-29"],
    ["§2.1 allocation letter 2027", 2026, "allocation-letter-received:NFR", [], "2027-01-29"],
    // 31 January 2028 is a Monday: unchanged.
    ["§2.1 signing agreement 2028 (31 January 2028, a Monday)", 2027, "agreement-signed:region", [], "2028-01-31"],
    // The regional autumn meeting's latest day, 31 December 2027, is in Christmas week: 23 December (Thursday).
    ["§3.2 regional autumn meeting held", 2027, "regional-autumn-meeting-held", [], "2027-12-23"],
    ["§3 draft agreement (the day of the meeting, not planned)", 2027, "draft-agreement-ready", [], "2027-12-23"],
    // Counted back from 23 December, not from 31 December: a week before → 16 December, never julaften.
    ["§3.2 autumn follow-up report (meeting not planned)", 2027, "follow-up-report-autumn:SIVA", [], "2027-12-16"],
    ["§4.2 autumn invitations (meeting not planned)", 2027, "regional-autumn-meeting-convened", [], "2027-12-02"],
    // 2028: 31 December is a Sunday and 23 December a Saturday: the latest meeting day is Friday 22 December,
    // its reports due Friday 15 December, its invitations Friday 1 December.
    ["§3.2 regional autumn meeting held, 2028", 2028, "regional-autumn-meeting-held", [], "2028-12-22"],
    ["§3.2 autumn follow-up report, 2028", 2028, "follow-up-report-autumn:IN", [], "2028-12-15"],
    ["§4.2 autumn invitations, 2028", 2028, "regional-autumn-meeting-convened", [], "2028-12-01"],
    // A planned meeting: 21 days before Monday 19 April 2027 is Easter Monday → Wednesday 24 March (over Good Friday, Maundy Thursday).
    ["§4.2 spring invitations for a meeting on 19 April", 2027, "regional-spring-meeting-convened", [planned("regional-spring", "2027-04-19")], "2027-03-24"],
    // A week before Monday 24 May 2027 is Monday 17 May (Constitution Day and Whit Monday) → Friday 14 May.
    ["§3.1 spring report for a meeting on 24 May", 2027, "follow-up-report-spring:IN", [planned("regional-spring", "2027-05-24")], "2027-05-14"],
  ])("%s (cycle %i): %s due %s", (_rule, year, key, regional, deadline) => {
    expect(step({ year, now: `${year}-06-01`, regional }, key).deadline).toBe(deadline);
  });

  it("§2.1 targets stay as written: the budgets are expected 15 December, the letters 31 December (a Friday in Christmas week)", () => {
    const list = evaluate({ now: "2027-12-01" });
    expect(["state-budget-adopted", "regional-budget-adopted", "allocation-letter-received:IN"].map((k) => find(list, k).target)).toEqual([
      "2027-12-15",
      "2027-12-15",
      "2027-12-31",
    ]);
  });

  it("§3.2 the autumn follow-up reports are not due on julaften and are overdue on 17 December, before the bot's silent Christmas week", () => {
    expect(stateOf({ now: "2027-12-16" }, "follow-up-report-autumn:NFR")).toBe("due-soon");
    expect(stateOf({ now: "2027-12-17" }, "follow-up-report-autumn:NFR")).toBe("overdue");
  });

  it("the July holiday is not skipped: a deadline in week 29 stays where it is", () => {
    const model = loadProcessModel({
      id: "july",
      source: "test",
      validFrom: 2018,
      steps: [
        { id: "july-step", sections: ["1"], scope: "national", per: "once", responsible: "national-coordinator", done: { fact: "step-completed" }, opens: { month: 6, day: 1 }, deadline: { kind: "fixed", date: { month: 7, day: 21 } } },
        { id: "sunday-step", sections: ["1"], scope: "national", per: "once", responsible: "national-coordinator", done: { fact: "step-completed" }, opens: { month: 6, day: 1 }, deadline: { kind: "fixed", date: { month: 7, day: 25 } } },
      ],
    });
    const list = obligations({ model, year: 2027, now: DateTime.fromISO("2027-06-01T12:00", { zone: OSLO }), national: reduceCycle(NATIONAL, 2027, []), nationalTrackingStart: "2026-01-01", nationalAgencies: [] });
    // Wednesday 21 July 2027 is a working day; Sunday 25 July moves to Friday 23 July (both in the fellesferie).
    expect(list.map((o) => o.deadline)).toEqual(["2027-07-21", "2027-07-23"]);
  });

  it("§4.1 a convening card's meeting day is the latest meeting day, not the moved deadline plus the weeks", () => {
    // National spring meeting not planned: at the latest 31 March 2027 (a Wednesday), invitations 17 February.
    const o = step({ now: "2027-01-04", nationalOnly: true }, "national-spring-meeting-convened");
    expect([o.deadline, o.meetingOn]).toEqual(["2027-02-17", "2027-03-31"]);
    // Regional autumn, not planned: the meeting by 23 December, invitations by 2 December.
    const r = step({ now: "2027-09-01" }, "regional-autumn-meeting-convened");
    expect([r.deadline, r.meetingOn]).toEqual(["2027-12-02", "2027-12-23"]);
  });
});

describe("§4.2 convening needs the national meeting's date, not the meeting itself (§3.1, §3.2: it is still held after it)", () => {
  it.each<[string, EventData[], StepState, object[]]>([
    ["no date", [], "waiting", [{ stepId: "national-autumn-meeting-held", need: "date", meeting: "national-autumn" }]],
    ["planned for 27 October", [planned("national-autumn", "2027-10-27")], "open", []],
    ["held 13 October without a plan", [held("national-autumn", "2027-10-13")], "open", []],
  ])("§4.2 on 1 October, the national autumn meeting %s: the region's invitations are %s", (_case, national, expected, missing) => {
    const o = step({ now: "2027-10-01", national }, "regional-autumn-meeting-convened");
    expect(o.state).toBe(expected);
    expect(o.missing).toEqual(missing);
  });

  it("§3.2 the regional meeting itself still waits until the national one is held", () => {
    const list = evaluate({ now: "2027-10-15", national: [planned("national-autumn", "2027-10-27")] });
    expect(find(list, "regional-autumn-meeting-convened").state).toBe("open");
    expect(find(list, "regional-autumn-meeting-held").state).toBe("waiting");
    expect(find(list, "regional-autumn-meeting-held").missing).toEqual([{ stepId: "national-autumn-meeting-held" }]);
  });

  it("§4.2 a national date that was never recorded before the tracking start holds nothing up", () => {
    // Installed 15 June: the national spring meeting's deadline (31 March) was before; we assume it happened.
    const o = step({ now: "2027-06-01", trackingStart: "2027-06-15", nationalTrackingStart: "2027-06-15", regional: [planned("regional-spring", "2027-06-28")] }, "regional-spring-meeting-convened");
    expect(o.missing).toEqual([]);
  });

  it("§4.2 the date does not count as done: invitations may be sent any time after it is known", () => {
    const o = step({ now: "2027-10-01", national: [planned("national-autumn", "2027-10-27")] }, "regional-autumn-meeting-convened");
    expect(o.prerequisitesDoneBy).toBeUndefined();
  });
});

describe("a step that cannot be done because someone else is late is blocked, not overdue", () => {
  it("§3.1 the regional spring meeting, past 30 June without the national meeting held, is blocked by RUK AU's step, which is the overdue one", () => {
    const list = evaluate({ now: "2027-07-01", national: [planned("national-spring", "2027-03-24")] });
    const meeting = find(list, "regional-spring-meeting-held");
    expect([meeting.state, meeting.missing]).toEqual(["blocked", [{ stepId: "national-spring-meeting-held" }]]);
    const blocker = find(list, "national-spring-meeting-held");
    expect([blocker.state, blocker.responsible]).toEqual(["overdue", { role: "national-coordinator" }]);
    expect(ACTIONABLE.has("blocked")).toBe(true);
  });

  it("§2.1 once the last prerequisite is in, a signature past its deadline is overdue", () => {
    const o = step({ now: "2028-02-01", ...READY_TO_SIGN }, "agreement-signed:SIVA");
    expect([o.state, o.missing]).toEqual(["overdue", []]);
  });
});

describe("a change that makes a step late shows it late; the tracking start hides only what was late before it", () => {
  it("§4.1 setting the national spring meeting to 10 March on 1 February (tracking from 20 January) makes the unsent invitations overdue since 27 January", () => {
    const o = step(
      { now: "2027-02-01", nationalTrackingStart: "2027-01-20", trackingStart: "2027-01-20", national: [planned("national-spring", "2027-03-10")] },
      "national-spring-meeting-convened",
    );
    // 10 March − 42 days = Wednesday 27 January, before the tracking start; the model's own date (17 February) is after it.
    expect([o.deadline, o.state]).toEqual(["2027-01-27", "overdue"]);
  });

  it("§4.2 a regional meeting planned early after the tracking start makes its invitations late, not untracked", () => {
    // Tracking from 15 March; planned on 16 March for 30 March: invitations due 9 March (Tuesday).
    const o = step({ now: "2027-03-16", trackingStart: "2027-03-15", national: [held("national-spring", "2027-03-10")], regional: [planned("regional-spring", "2027-03-30")] }, "regional-spring-meeting-convened");
    expect([o.deadline, o.state]).toEqual(["2027-03-09", "overdue"]);
  });

  it("§4.2 a meeting backfilled as held before the tracking start leaves its invitations not tracked", () => {
    // Tracking from 15 May; the spring meeting held 22 April (before): invitations were due 1 April.
    const o = step({ now: "2027-05-16", trackingStart: "2027-05-15", national: [held("national-spring", "2027-03-10")], regional: [held("regional-spring", "2027-04-22")] }, "regional-spring-meeting-convened");
    expect([o.deadline, o.state]).toEqual(["2027-04-01", "not-tracked"]);
    // The same for the national track: held 10 March, tracking from 15 April → invitations (27 January) not tracked.
    const n = step({ now: "2027-04-16", nationalTrackingStart: "2027-04-15", national: [held("national-spring", "2027-03-10")], nationalOnly: true }, "national-spring-meeting-convened");
    expect([n.deadline, n.state]).toEqual(["2027-01-27", "not-tracked"]);
  });
});
