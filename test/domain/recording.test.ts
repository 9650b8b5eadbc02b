/**
 * A step is recorded with the date it happened, and that date cannot come before what the step
 * requires (seed §2.1, §3.1, §3.2, §3.3). Pure: events → `reduceCycle` → `obligations` → `decide`,
 * exactly as the recording use case evaluates them. Cycle 2027 (agreement 2028).
 */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { OSLO, osloDate, type IsoDate } from "../../src/domain/calendar.js";
import { reduceCycle } from "../../src/domain/cycle.js";
import type { EventData } from "../../src/domain/events.js";
import { obligations } from "../../src/domain/obligations.js";
import { MODEL_2017 } from "../../src/domain/process.js";
import { decide, dependentsOfUndo, type Decision, type RecordRequest } from "../../src/domain/recording.js";
import { DEFAULT_COMMISSION_AGENCIES, DEFAULT_PARTY_AGENCIES, NATIONAL, type AgencyId } from "../../src/domain/regions.js";
import { ev } from "../support/events.js";

interface Cycle {
  /** The day the request is made (noon in Oslo). */
  today: IsoDate;
  national?: EventData[];
  regional?: EventData[];
  trackingStart?: IsoDate;
}

function decideOn(cycle: Cycle, request: RecordRequest): Decision {
  const year = 2027;
  const now = DateTime.fromISO(`${cycle.today}T12:00`, { zone: OSLO });
  const trackingStart = cycle.trackingStart ?? "2026-01-01";
  const list = obligations({
    model: MODEL_2017,
    year,
    now,
    national: reduceCycle(NATIONAL, year, (cycle.national ?? []).map((d) => ev(d))),
    nationalTrackingStart: trackingStart,
    nationalAgencies: DEFAULT_PARTY_AGENCIES,
    region: {
      setup: { regionId: "46", partyAgencies: DEFAULT_PARTY_AGENCIES, commissionAgencies: DEFAULT_COMMISSION_AGENCIES, trackingStart },
      state: reduceCycle("46", year, (cycle.regional ?? []).map((d) => ev(d))),
    },
  });
  return decide(request, { obligations: list, today: osloDate(now), allowed: () => true });
}

const accepted = { ok: true };
const before = (after: IsoDate) => ({ ok: false, refusal: { code: "before-prerequisite", field: "date", after } });
const meetingOrder = (after: IsoDate) => ({ ok: false, refusal: { code: "meeting-order", field: "date", after } });

type Meeting = "national-spring" | "national-autumn" | "regional-spring" | "regional-autumn";
const held = (meeting: Meeting, date: IsoDate): EventData => ({ type: "meeting-held", meeting, date, ...(meeting === "national-autumn" ? { parts: { experiences: true, opportunities: true } } : {}) });
const draft = (date: IsoDate): EventData => ({ type: "draft-agreement-ready", date });
const treated = (date: IsoDate, outcome: "approved" | "sent-back" = "approved"): EventData => ({
  type: "political-treatment-recorded",
  body: "Fylkestinget",
  date,
  caseNumber: "2027/1234",
  outcome,
});
const stateBudget = (date: IsoDate): EventData => ({ type: "state-budget-adopted", date });
const letter = (agency: AgencyId, date: IsoDate): EventData => ({ type: "allocation-letter-received", agency, date });
const regionalBudget = (date: IsoDate): EventData => ({ type: "regional-budget-adopted", date });

const heldOn = (meeting: Meeting, date: IsoDate): RecordRequest =>
  meeting === "national-autumn" ? { verb: "meeting.held", meeting, date, experiences: true, opportunities: true } : { verb: "meeting.held", meeting, date };
const signOn = (date: IsoDate, party: "region" | AgencyId = "region"): RecordRequest => ({ verb: "agreement.signed", party, date });

describe("§2.1 the agreement is signed after both budgets are adopted and the agencies have their allocation letters", () => {
  // Budgets and letters 20–22 January 2028; the treatment long before.
  const late: Cycle = {
    today: "2028-01-25",
    national: [stateBudget("2028-01-20"), letter("IN", "2028-01-20"), letter("SIVA", "2028-01-21"), letter("NFR", "2028-01-22")],
    regional: [draft("2027-11-10"), held("regional-autumn", "2027-11-18"), treated("2027-12-09"), regionalBudget("2028-01-21")],
  };

  it("a signature dated before the last of them (5 January) is refused, naming 22 January", () => {
    expect(decideOn(late, signOn("2028-01-05"))).toEqual(before("2028-01-22"));
    expect(decideOn(late, signOn("2028-01-05", "SIVA"))).toEqual(before("2028-01-22"));
  });

  it("the day before the last allocation letter is refused; the same day is accepted", () => {
    expect(decideOn(late, signOn("2028-01-21"))).toEqual(before("2028-01-22"));
    expect(decideOn(late, signOn("2028-01-22"))).toMatchObject(accepted);
    expect(decideOn(late, signOn("2028-01-22", "NFR"))).toMatchObject(accepted);
  });

  it("budgets adopted, letters received and the agreement signed on one day is accepted", () => {
    const oneDay: Cycle = {
      today: "2028-01-20",
      national: [stateBudget("2028-01-15"), letter("IN", "2028-01-15"), letter("SIVA", "2028-01-15"), letter("NFR", "2028-01-15")],
      regional: [draft("2027-11-10"), held("regional-autumn", "2027-11-18"), treated("2027-12-09"), regionalBudget("2028-01-15")],
    };
    expect(decideOn(oneDay, signOn("2028-01-15"))).toMatchObject(accepted);
    expect(decideOn(oneDay, signOn("2028-01-14"))).toEqual(before("2028-01-15"));
  });
});

describe("§3.3 a commission agreement is sent after the regional budget is adopted", () => {
  const cycle: Cycle = { today: "2028-01-25", regional: [regionalBudget("2028-01-12")] };
  const sent = (date: IsoDate): RecordRequest => ({ verb: "commission.sent", agency: "IN", date });

  it("sent the day before the regional budget is refused; the same day is accepted", () => {
    expect(decideOn(cycle, sent("2028-01-08"))).toEqual(before("2028-01-12"));
    expect(decideOn(cycle, sent("2028-01-11"))).toEqual(before("2028-01-12"));
    expect(decideOn(cycle, sent("2028-01-12"))).toMatchObject(accepted);
  });
});

describe("§3.1/§3.2 a regional meeting is held after the national meeting of the same half-year, not the same day", () => {
  it("§3.1 spring: 5 March after a national meeting on 10 March is refused, as is 10 March; 11 March is accepted", () => {
    const spring: Cycle = { today: "2027-04-20", national: [held("national-spring", "2027-03-10")] };
    expect(decideOn(spring, heldOn("regional-spring", "2027-03-05"))).toEqual(meetingOrder("2027-03-10"));
    expect(decideOn(spring, heldOn("regional-spring", "2027-03-10"))).toEqual(meetingOrder("2027-03-10"));
    expect(decideOn(spring, heldOn("regional-spring", "2027-03-11"))).toMatchObject(accepted);
  });

  it("§3.2 autumn: the day of the national autumn meeting is refused; the day after is accepted", () => {
    const autumn: Cycle = { today: "2027-11-30", national: [held("national-autumn", "2027-11-10")] };
    expect(decideOn(autumn, heldOn("regional-autumn", "2027-11-03"))).toEqual(meetingOrder("2027-11-10"));
    expect(decideOn(autumn, heldOn("regional-autumn", "2027-11-10"))).toEqual(meetingOrder("2027-11-10"));
    expect(decideOn(autumn, heldOn("regional-autumn", "2027-11-11"))).toMatchObject(accepted);
  });

  it("a national meeting nobody recorded before the tracking start sets no bound", () => {
    const untracked: Cycle = { today: "2027-04-20", trackingStart: "2027-04-01" };
    expect(decideOn(untracked, heldOn("regional-spring", "2027-04-02"))).toMatchObject(accepted);
  });
});

describe("§4.2 the region convenes its meeting once the national meeting has a date; §3.1/§3.2 holds it after", () => {
  const plannedNational: EventData = { type: "meeting-planned", meeting: "national-autumn", date: "2027-10-27" };
  const plannedRegional: EventData = { type: "meeting-planned", meeting: "regional-autumn", date: "2027-11-18" };
  const invitedOn = (date: IsoDate): RecordRequest => ({ verb: "meeting.invited", meeting: "regional-autumn", date });

  it("§4.2 invitations sent 1 October, the national meeting planned for 27 October but not held: accepted", () => {
    expect(decideOn({ today: "2027-10-01", national: [plannedNational], regional: [plannedRegional] }, invitedOn("2027-10-01"))).toMatchObject(accepted);
  });

  it("§4.2 invitations while the national meeting has no date: refused, naming the missing date", () => {
    expect(decideOn({ today: "2027-10-01", regional: [plannedRegional] }, invitedOn("2027-10-01"))).toEqual({
      ok: false,
      refusal: { code: "prerequisites-missing", missing: [{ stepId: "national-autumn-meeting-held", need: "date", meeting: "national-autumn" }] },
    });
  });

  it("§3.2 the regional meeting itself, the national one only planned, is still refused until it is held", () => {
    const decision = decideOn({ today: "2027-10-26", national: [plannedNational], regional: [plannedRegional] }, heldOn("regional-autumn", "2027-10-26"));
    expect(decision).toEqual({ ok: false, refusal: { code: "prerequisites-missing", missing: [{ stepId: "national-autumn-meeting-held" }] } });
  });

  it("§4.2 an undo that takes away the national date the region's invitations relied on is held back; one that only moves the date is not", () => {
    const at = (national: EventData[]) =>
      obligations({
        model: MODEL_2017,
        year: 2027,
        now: DateTime.fromISO("2027-10-02T12:00", { zone: OSLO }),
        national: reduceCycle(NATIONAL, 2027, national.map((d) => ev(d))),
        nationalTrackingStart: "2026-01-01",
        nationalAgencies: DEFAULT_PARTY_AGENCIES,
        region: {
          setup: { regionId: "46", partyAgencies: DEFAULT_PARTY_AGENCIES, commissionAgencies: DEFAULT_COMMISSION_AGENCIES, trackingStart: "2026-01-01" },
          state: reduceCycle("46", 2027, [plannedRegional, { type: "invitations-sent", meeting: "regional-autumn", date: "2027-10-01" } as EventData].map((d) => ev(d))),
        },
      });
    const replanned: EventData = { type: "meeting-planned", meeting: "national-autumn", date: "2027-10-28" };
    expect(dependentsOfUndo(at([plannedNational]), at([])).map((o) => o.key)).toEqual(["regional-autumn-meeting-convened"]);
    expect(dependentsOfUndo(at([plannedNational, replanned]), at([plannedNational]))).toEqual([]);
  });

  it("§3.2 planning the regional meeting on or before the national date is refused", () => {
    const plan = (date: IsoDate): RecordRequest => ({ verb: "meeting.plan", meeting: "regional-autumn", date });
    expect(decideOn({ today: "2027-09-01", national: [plannedNational] }, plan("2027-10-27"))).toEqual(meetingOrder("2027-10-27"));
    expect(decideOn({ today: "2027-09-01", national: [plannedNational] }, plan("2027-10-28"))).toMatchObject(accepted);
  });
});

describe("§3.2 the draft is treated politically after the autumn meeting and the draft", () => {
  const treat = (date: IsoDate): RecordRequest => ({ verb: "political.recorded", body: "Fylkestinget", date, caseNumber: "2027/1234", outcome: "approved" });

  it("a treatment before the autumn meeting is refused; the day of the meeting is accepted", () => {
    const cycle: Cycle = { today: "2027-12-20", regional: [draft("2027-11-10"), held("regional-autumn", "2027-11-18")] };
    expect(decideOn(cycle, treat("2027-11-12"))).toEqual(before("2027-11-18"));
    expect(decideOn(cycle, treat("2027-11-17"))).toEqual(before("2027-11-18"));
    expect(decideOn(cycle, treat("2027-11-18"))).toMatchObject(accepted);
  });

  it("a treatment before the draft (ready after the meeting) is refused; the day of the draft is accepted", () => {
    const cycle: Cycle = { today: "2027-12-20", regional: [held("regional-autumn", "2027-11-18"), draft("2027-11-25")] };
    expect(decideOn(cycle, treat("2027-11-24"))).toEqual(before("2027-11-25"));
    expect(decideOn(cycle, treat("2027-11-25"))).toMatchObject(accepted);
  });
});

describe("§3.2 a draft sent back by its political treatment is reworked after that treatment", () => {
  const sentBack: Cycle = { today: "2027-12-20", regional: [draft("2027-11-10"), held("regional-autumn", "2027-11-18"), treated("2027-12-09", "sent-back")] };
  const ready = (date: IsoDate): RecordRequest => ({ verb: "draft.ready", date });

  it("a reworked draft dated before the treatment that sent it back is refused; the same day is accepted", () => {
    expect(decideOn(sentBack, ready("2027-12-01"))).toEqual(before("2027-12-09"));
    expect(decideOn(sentBack, ready("2027-12-08"))).toEqual(before("2027-12-09"));
    expect(decideOn(sentBack, ready("2027-12-09"))).toMatchObject(accepted);
  });

  it("the new treatment then comes on or after the reworked draft", () => {
    const reworked: Cycle = { ...sentBack, regional: [...sentBack.regional!, draft("2027-12-14")] };
    const treat = (date: IsoDate): RecordRequest => ({ verb: "political.recorded", body: "Fylkestinget", date, caseNumber: "2027/1300", outcome: "approved" });
    expect(decideOn(reworked, treat("2027-12-10"))).toEqual(before("2027-12-14"));
    expect(decideOn(reworked, treat("2027-12-14"))).toMatchObject(accepted);
  });
});
