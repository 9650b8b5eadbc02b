/**
 * The agenda (src/domain/agenda.ts): one definition of late, blocked, due soon and next, shared by
 * the status card and the overview. Real obligations of the 2017 model, dates worked out on the
 * 2027 calendar.
 */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { agendaOf, attentionOf, byAgendaUrgency, nextOf, phaseOf } from "../../src/domain/agenda.js";
import { OSLO } from "../../src/domain/calendar.js";
import { reduceCycle } from "../../src/domain/cycle.js";
import type { EventData } from "../../src/domain/events.js";
import { obligations, type Obligation } from "../../src/domain/obligations.js";
import { MODEL_2017 } from "../../src/domain/process.js";
import { DEFAULT_COMMISSION_AGENCIES, DEFAULT_PARTY_AGENCIES, NATIONAL } from "../../src/domain/regions.js";
import { ev } from "../support/events.js";

function at(date: string, regional: EventData[] = [], national: EventData[] = [], year = 2027): Obligation[] {
  return obligations({
    model: MODEL_2017,
    year,
    now: DateTime.fromISO(`${date}T09:00`, { zone: OSLO }),
    national: reduceCycle(NATIONAL, year, national.map((d) => ev(d))),
    nationalTrackingStart: "2026-12-01",
    nationalAgencies: DEFAULT_PARTY_AGENCIES,
    region: {
      setup: { regionId: "46", partyAgencies: DEFAULT_PARTY_AGENCIES, commissionAgencies: DEFAULT_COMMISSION_AGENCIES, trackingStart: "2026-12-01" },
      state: reduceCycle("46", year, regional.map((d) => ev(d))),
    },
  });
}
const key = (list: Obligation[], k: string) => list.find((o) => o.key === k)!;
const regional = (list: Obligation[]) => list.filter((o) => o.step.scope === "region");

describe("the agenda", () => {
  it("a step still waiting for a prerequisite, its deadline within five working days, counts as due soon", () => {
    // §4.2: the regional spring meeting planned for 22 April: invitations due three weeks before,
    // Thursday 1 April. The national meeting has no date, so the invitations wait. From Wednesday
    // 24 March the working days up to 1 April are 30 and 31 March and 1 April (25 March is Maundy
    // Thursday, 26 Good Friday, 29 Easter Monday): 3 ≤ 5.
    const list = at("2027-03-24", [{ type: "meeting-planned", meeting: "regional-spring", date: "2027-04-22" }]);
    const convene = key(list, "regional-spring-meeting-convened");
    expect(convene.state).toBe("waiting");
    expect(convene.deadline).toBe("2027-04-01");
    expect(attentionOf(convene, "2027-03-24", MODEL_2017)).toBe("due-soon");
    expect(agendaOf(regional(list), "2027-03-24", MODEL_2017).counts.dueSoon).toBeGreaterThanOrEqual(1);
  });

  it("«Neste» looks 14 days ahead; when nothing falls there, what comes after is named, open or not yet open", () => {
    // 10 July 2027, spring done: the next regional step is the autumn's (the draft opens 1 August).
    const done: EventData[] = [
      { type: "meeting-planned", meeting: "regional-spring", date: "2027-04-22" },
      { type: "invitations-sent", meeting: "regional-spring", date: "2027-03-30" },
      ...(["IN", "SIVA", "NFR"] as const).map((agency): EventData => ({ type: "follow-up-report-submitted", round: "spring", agency, date: "2027-04-14" })),
      { type: "meeting-held", meeting: "regional-spring", date: "2027-04-22" },
    ];
    const national: EventData[] = [{ type: "meeting-held", meeting: "national-spring", date: "2027-03-24" }, { type: "invitations-sent", meeting: "national-spring", date: "2027-02-01" }];
    const agenda = agendaOf(regional(at("2027-07-10", done, national)), "2027-07-10", MODEL_2017);
    expect(agenda.next).toEqual([]);
    expect(agenda.overdue).toEqual([]);
    const after = nextOf(agenda)!;
    expect(after[0]!.state).toBe("not-yet-open");
    // Of the autumn steps, the invitations to the regional autumn meeting are due first: 31 December
    // moves to 23 December (Christmas week), three weeks before is 2 December.
    expect(after.map((o) => [o.stepId, o.deadline])).toEqual([["regional-autumn-meeting-convened", "2027-12-02"]]);
  });

  it("political treatment waiting only for the county's own late steps is the county's overdue step (§3.2)", () => {
    // 2 February 2028: the national autumn meeting was held; the county never held its own, nor made the draft.
    const list = at("2028-02-02", [], [{ type: "meeting-held", meeting: "national-autumn", date: "2027-10-20", parts: { experiences: true, opportunities: true } }]);
    expect(key(list, "regional-autumn-meeting-held").state).toBe("overdue");
    expect(key(list, "political-treatment").state).toBe("overdue");
  });

  it("…but blocked along the chain when the county's meeting itself waits for RUK AU's (§3.2, §1)", () => {
    // The draft is ready and the county meeting convened; RUK AU never held the national autumn meeting.
    const list = at("2028-02-02", [
      { type: "draft-agreement-ready", date: "2027-11-01" },
      { type: "meeting-planned", meeting: "regional-autumn", date: "2027-12-01" },
    ], [{ type: "meeting-planned", meeting: "national-autumn", date: "2027-11-20" }]);
    expect(key(list, "regional-autumn-meeting-held").state).toBe("blocked");
    expect(key(list, "political-treatment").state).toBe("blocked");
    expect(agendaOf(regional(list), "2028-02-02", MODEL_2017).overdue.flat().map((o) => o.key)).not.toContain("political-treatment");
  });

  it("regions sort most overdue first, then most blocked, then the nearest deadline", () => {
    const late = agendaOf(regional(at("2027-06-25")), "2027-06-25", MODEL_2017);
    const onTrack = agendaOf([], "2027-06-25", MODEL_2017);
    expect(byAgendaUrgency(late, onTrack)).toBeLessThan(0);
    expect(byAgendaUrgency(onTrack, late)).toBeGreaterThan(0);
  });

  it("phases: spring (§3.1), autumn (§3.2), and agreement Y+1 (§2.1, §3.3)", () => {
    const phase = (id: string) => phaseOf(MODEL_2017.steps.find((s) => s.id === id)!);
    expect(["national-spring-meeting-held", "follow-up-report-spring", "regional-spring-meeting-convened"].map(phase)).toEqual(["spring", "spring", "spring"]);
    expect(["national-autumn-meeting-convened", "follow-up-report-autumn", "regional-autumn-meeting-held"].map(phase)).toEqual(["autumn", "autumn", "autumn"]);
    expect(["draft-agreement-ready", "political-treatment", "state-budget-adopted", "agreement-signed", "commission-agreement-sent"].map(phase)).toEqual(
      ["agreement", "agreement", "agreement", "agreement", "agreement"],
    );
  });
});
