/** Which recording forms a step offers: what can be recorded now, nothing that could only be refused. */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { addDays, OSLO, osloDate, type IsoDate } from "../../src/domain/calendar.js";
import { reduceCycle } from "../../src/domain/cycle.js";
import type { EventData } from "../../src/domain/events.js";
import { dateRangeFor, lateToken, stepsMadeLate } from "../../src/domain/forms.js";
import { obligations, type ObligationsInput } from "../../src/domain/obligations.js";
import { MODEL_2017 } from "../../src/domain/process.js";
import { decide, formsFor, RecordRequestSchema, type RecordRequest, type RecordVerb, type RequestParams } from "../../src/domain/recording.js";
import { DEFAULT_COMMISSION_AGENCIES, DEFAULT_PARTY_AGENCIES, NATIONAL } from "../../src/domain/regions.js";
import { ev } from "../support/events.js";

const at = (iso: string, trackingStart = "2027-01-01") =>
  obligations({
    model: MODEL_2017,
    year: 2027,
    now: DateTime.fromISO(iso),
    national: reduceCycle("national", 2027, []),
    nationalTrackingStart: trackingStart,
    nationalAgencies: DEFAULT_PARTY_AGENCIES,
    region: { setup: { regionId: "46", partyAgencies: DEFAULT_PARTY_AGENCIES, commissionAgencies: DEFAULT_COMMISSION_AGENCIES, trackingStart }, state: reduceCycle("46", 2027, []) },
  });
const verbs = (list: ReturnType<typeof at>, key: string) => formsFor(list.find((o) => o.key === key)!).map((f) => f.verb);

describe("forms a step offers", () => {
  it("§2.1 a signature past its deadline, still waiting for the budgets and letters (blocked), offers nothing to record", () => {
    const list = at("2028-02-10T12:00:00+01:00");
    expect(list.find((o) => o.key === "agreement-signed:region")!.state).toBe("blocked");
    expect(verbs(list, "agreement-signed:region")).toEqual([]);
  });

  it("a meeting can be planned before its window and re-planned until held; invitations once due", () => {
    const january = at("2027-01-10T12:00:00+01:00");
    expect(verbs(january, "regional-autumn-meeting-convened")).toEqual(["meeting.plan"]);
    expect(verbs(january, "national-spring-meeting-convened")).toEqual(["meeting.plan", "meeting.invited"]);
  });

  it("a step from before the tracking start can be recorded even though its prerequisites are unknown", () => {
    const list = at("2027-06-16T12:00:00+02:00", "2027-06-15");
    expect(list.find((o) => o.key === "regional-spring-meeting-convened")!.state).toBe("not-tracked");
    expect(verbs(list, "regional-spring-meeting-convened")).toContain("meeting.invited");
  });
});

// ---------------------------------------------------------------------------------------------
// What a form says before saving: the dates it accepts, and the steps a change would make late.
// ---------------------------------------------------------------------------------------------

interface Scene {
  /** The day (noon in Oslo). */
  today: IsoDate;
  national?: EventData[];
  regional?: EventData[];
  trackingStart?: IsoDate;
}

function inputOf(scene: Scene): ObligationsInput {
  const trackingStart = scene.trackingStart ?? "2027-01-01";
  return {
    model: MODEL_2017,
    year: 2027,
    now: DateTime.fromISO(`${scene.today}T12:00`, { zone: OSLO }),
    national: reduceCycle(NATIONAL, 2027, (scene.national ?? []).map((d) => ev(d))),
    nationalTrackingStart: trackingStart,
    nationalAgencies: DEFAULT_PARTY_AGENCIES,
    region: {
      setup: { regionId: "46", partyAgencies: DEFAULT_PARTY_AGENCIES, commissionAgencies: DEFAULT_COMMISSION_AGENCIES, trackingStart },
      state: reduceCycle("46", 2027, (scene.regional ?? []).map((d) => ev(d))),
    },
  };
}

/** Refusals about the date alone; anything else (a step already done, prerequisites) is not the range's business. */
const DATE_REFUSALS = new Set(["date-in-future", "date-in-past", "date-outside-window", "meeting-order", "before-prerequisite"]);

/** A complete request for a form with the given date: every other field filled in as a person would. */
function requestFor(verb: RecordVerb, params: RequestParams, date: IsoDate): RecordRequest {
  return RecordRequestSchema.parse({ verb, ...params, date, experiences: true, opportunities: true, body: "Fylkesutvalget", caseNumber: "2027/1", outcome: "approved" });
}

const SCENES: Array<[string, Scene]> = [
  ["1 February, nothing recorded", { today: "2027-02-01" }],
  ["17 March, the national spring meeting planned for 10 March and held", {
    today: "2027-03-17",
    national: [{ type: "meeting-planned", meeting: "national-spring", date: "2027-03-10" }, { type: "meeting-held", meeting: "national-spring", date: "2027-03-10" }],
  }],
  ["1 March, the national spring meeting planned for 24 March", { today: "2027-03-01", national: [{ type: "meeting-planned", meeting: "national-spring", date: "2027-03-24" }] }],
  ["14 December, the autumn done and the draft sent back on 8 December", {
    today: "2027-12-14",
    national: [{ type: "meeting-held", meeting: "national-autumn", date: "2027-10-20", parts: { experiences: true, opportunities: true } }],
    regional: [
      { type: "draft-agreement-ready", date: "2027-11-01" },
      { type: "meeting-held", meeting: "regional-autumn", date: "2027-11-18" },
      { type: "political-treatment-recorded", body: "Fylkesutvalget", date: "2027-12-08", caseNumber: "2027/1", outcome: "sent-back" },
    ],
  }],
  ["20 January 2028, budgets and letters in", {
    today: "2028-01-20",
    national: [
      { type: "state-budget-adopted", date: "2027-12-16" },
      ...DEFAULT_PARTY_AGENCIES.map((agency) => ({ type: "allocation-letter-received" as const, agency, date: "2028-01-05" })),
    ],
    regional: [
      { type: "meeting-held", meeting: "regional-autumn", date: "2027-11-18" },
      { type: "draft-agreement-ready", date: "2027-11-01" },
      { type: "political-treatment-recorded", body: "Fylkesutvalget", date: "2027-12-08", caseNumber: "2027/1", outcome: "approved" },
      { type: "regional-budget-adopted", date: "2027-12-14" },
    ],
  }],
];

describe("the dates a form accepts, shown before the first refusal", () => {
  it.each(SCENES)("on %s, every form's range is exactly the dates the recording rules accept (every day tried)", (_name, scene) => {
    const input = inputOf(scene);
    const list = obligations(input);
    const today = osloDate(input.now);
    const context = { obligations: list, today, allowed: () => true };
    let checked = 0;
    for (const step of list)
      for (const form of formsFor(step)) {
        const range = dateRangeFor(form.verb, form.params, list, today)!;
        expect(range, `${form.verb} ${step.key}`).toBeDefined();
        for (let day = "2026-06-01"; day <= "2028-06-30"; day = addDays(day, 1)) {
          const decision = decide(requestFor(form.verb, form.params, day), context);
          const refusedForDate = !decision.ok && DATE_REFUSALS.has(decision.refusal.code);
          const inRange = day >= range.from && day <= range.to;
          expect(refusedForDate, `${form.verb} ${step.key} on ${day} (range ${range.from}–${range.to})`).toBe(!inRange);
        }
        checked++;
      }
    expect(checked).toBeGreaterThan(0);
  });

  it("§3.1 a regional spring meeting is planned after the national one's date, and no later than 30 June", () => {
    const list = obligations(inputOf(SCENES[2]![1]));
    expect(dateRangeFor("meeting.plan", { meeting: "regional-spring" }, list, "2027-03-01")).toEqual({ from: "2027-03-25", to: "2027-06-30", toIsToday: false });
  });

  it("a fact that happened is dated no later than today", () => {
    const list = obligations(inputOf(SCENES[1]![1]));
    expect(dateRangeFor("meeting.held", { meeting: "regional-spring" }, list, "2027-03-17")).toMatchObject({ from: "2027-03-11", to: "2027-03-17", toIsToday: true });
  });

  it("§1 a spring meeting not held by March can no longer be given a date (the range is empty)", () => {
    const list = obligations(inputOf({ today: "2027-04-06" }));
    const range = dateRangeFor("meeting.plan", { meeting: "national-spring" }, list, "2027-04-06")!;
    expect(range.to < range.from).toBe(true);
  });
});

describe("a change that makes a step late is found before it is saved", () => {
  const plan = (meeting: "national-spring" | "regional-spring", date: IsoDate) => ev({ type: "meeting-planned", meeting, date });

  it("§4.1 the national spring meeting set to 10 March on 1 February: invitations are due six weeks before, 27 January, already passed", () => {
    const late = stepsMadeLate(inputOf({ today: "2027-02-01" }), { scope: "national", event: plan("national-spring", "2027-03-10") });
    expect(late.map((o) => [o.key, o.deadline])).toEqual([["national-spring-meeting-convened", "2027-01-27"]]);
  });

  it("§4.1 set to 31 March instead, the invitations are due 17 February: nothing is late", () => {
    expect(stepsMadeLate(inputOf({ today: "2027-02-01" }), { scope: "national", event: plan("national-spring", "2027-03-31") })).toEqual([]);
  });

  it("§4.1 invitations already sent: moving the meeting makes nothing late", () => {
    const scene = { today: "2027-02-01", national: [{ type: "invitations-sent" as const, meeting: "national-spring" as const, date: "2027-01-15" }] };
    expect(stepsMadeLate(inputOf(scene), { scope: "national", event: plan("national-spring", "2027-03-10") })).toEqual([]);
  });

  it("§4.2, §3.1 a regional meeting planned in five days: its invitations (3 weeks) and the agencies' reports (1 week) become late", () => {
    const scene = { today: "2027-04-12", national: [{ type: "meeting-held" as const, meeting: "national-spring" as const, date: "2027-03-10" }] };
    const late = stepsMadeLate(inputOf(scene), { scope: "region", event: plan("regional-spring", "2027-04-16") });
    expect(late.map((o) => o.key).sort()).toEqual(["follow-up-report-spring:IN", "follow-up-report-spring:NFR", "follow-up-report-spring:SIVA", "regional-spring-meeting-convened"]);
    expect(late.every((o) => o.deadline < "2027-04-12")).toBe(true);
  });

  it("a step already late before the change is not warned about again", () => {
    const scene = { today: "2027-02-20" };
    // Invitations were due by 17 February (31 March − 6 weeks) whatever date is chosen now.
    expect(obligations(inputOf(scene)).find((o) => o.key === "national-spring-meeting-convened")!.state).toBe("overdue");
    expect(stepsMadeLate(inputOf(scene), { scope: "national", event: plan("national-spring", "2027-03-12") })).toEqual([]);
  });

  it("a confirmation names the step and the deadline it was warned about", () => {
    const [late] = stepsMadeLate(inputOf({ today: "2027-02-01" }), { scope: "national", event: plan("national-spring", "2027-03-10") });
    const [later] = stepsMadeLate(inputOf({ today: "2027-02-01" }), { scope: "national", event: plan("national-spring", "2027-03-05") });
    expect(lateToken(late!)).not.toBe(lateToken(later!));
  });
});
