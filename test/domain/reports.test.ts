/**
 * Report rounds (issue 10, §3.1 spring, §3.2 autumn): when a round opens, is due and closes, and
 * who may write an agency's report. Pure: the follow-up step instances come from `obligations`.
 */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { OSLO } from "../../src/domain/calendar.js";
import { reduceCycle } from "../../src/domain/cycle.js";
import type { EventData } from "../../src/domain/events.js";
import { obligations, type Obligation } from "../../src/domain/obligations.js";
import { MODEL_2017 } from "../../src/domain/process.js";
import { DEFAULT_COMMISSION_AGENCIES, DEFAULT_PARTY_AGENCIES, NATIONAL } from "../../src/domain/regions.js";
import { DEFAULT_ROUND_OPEN_WORKING_DAYS, mayNameDeputy, mayWaiveReport, mayWriteReport, roundPhase, roundWindow } from "../../src/domain/reports.js";
import type { Role } from "../../src/domain/roles.js";
import { ev, NATIONAL_MEETINGS_2027 } from "../support/events.js";

const HOLIDAYS = { skipChristmasWeek: true, skipJulyHoliday: true };

/** Vestland's follow-up step of a round in cycle 2027, with the region's events. */
function followUpStep(round: "spring" | "autumn", regional: EventData[] = []): Obligation {
  const list = obligations({
    model: MODEL_2017,
    year: 2027,
    now: DateTime.fromISO("2027-03-01T12:00", { zone: OSLO }),
    national: reduceCycle(NATIONAL, 2027, NATIONAL_MEETINGS_2027.map((d) => ev(d))),
    nationalTrackingStart: "2026-01-01",
    nationalAgencies: DEFAULT_PARTY_AGENCIES,
    region: {
      setup: { regionId: "46", partyAgencies: DEFAULT_PARTY_AGENCIES, commissionAgencies: DEFAULT_COMMISSION_AGENCIES, trackingStart: "2026-01-01" },
      state: reduceCycle("46", 2027, regional.map((d) => ev(d))),
    },
  });
  return list.find((o) => o.key === `follow-up-report-${round}:IN`)!;
}

describe("a report round's window (§3.1, §3.2)", () => {
  it("opens 20 working days before a planned meeting, skipping Ascension Day; is due a week before it", () => {
    // The spring meeting planned for Wednesday 12 May 2027: Ascension Day is 6 May.
    const window = roundWindow(followUpStep("spring", [{ type: "meeting-planned", meeting: "regional-spring", date: "2027-05-12" }]), "spring", undefined, DEFAULT_ROUND_OPEN_WORKING_DAYS, HOLIDAYS);
    expect(window).toEqual({ round: "spring", year: 2027, opensOn: "2027-04-13", dueOn: "2027-05-05", meetingOn: "2027-05-12" });
  });

  it("without a planned meeting it counts from the latest day the meeting may be held", () => {
    const window = roundWindow(followUpStep("spring"), "spring", undefined, DEFAULT_ROUND_OPEN_WORKING_DAYS, HOLIDAYS);
    expect(window).toMatchObject({ meetingOn: "2027-06-30", opensOn: "2027-06-02", dueOn: "2027-06-23" });
  });

  it("the autumn round opens the configured number of working days before (REPORT_ROUND_OPEN_DAYS=5)", () => {
    const window = roundWindow(followUpStep("autumn", [{ type: "meeting-planned", meeting: "regional-autumn", date: "2027-11-17" }]), "autumn", undefined, 5, HOLIDAYS);
    expect(window).toMatchObject({ meetingOn: "2027-11-17", opensOn: "2027-11-10" });
  });

  it("never opens before the follow-up step itself opens", () => {
    const step = followUpStep("spring", [{ type: "meeting-planned", meeting: "regional-spring", date: "2027-04-07" }]);
    expect(roundWindow(step, "spring", undefined, 60, HOLIDAYS).opensOn).toBe(step.opensOn);
  });

  it("phases: not open, open, late after the due day, closed the day after the meeting is held", () => {
    const planned: EventData = { type: "meeting-planned", meeting: "regional-spring", date: "2027-05-12" };
    const window = roundWindow(followUpStep("spring", [planned]), "spring", undefined, 20, HOLIDAYS);
    expect(roundPhase(window, "2027-04-12")).toBe("not-open");
    expect(roundPhase(window, "2027-04-13")).toBe("open");
    expect(roundPhase(window, "2027-05-05")).toBe("open");
    expect(roundPhase(window, "2027-05-06")).toBe("late");
    // Not held yet: answers are still taken, marked late, however long the meeting is delayed.
    expect(roundPhase(window, "2027-06-20")).toBe("late");
    const held = roundWindow(followUpStep("spring", [planned]), "spring", "2027-05-12", 20, HOLIDAYS);
    expect(roundPhase(held, "2027-05-12")).toBe("late");
    expect(roundPhase(held, "2027-05-13")).toBe("closed");
  });
});

describe("who may write an agency's report (never leak)", () => {
  const ME = "person-1";
  const cases: Array<[string, Role[], boolean]> = [
    ["IN's contact in Vestland", [{ kind: "agency-rep", agency: "IN", regionId: "46" }], true],
    ["IN's national contact", [{ kind: "agency-rep", agency: "IN" }], true],
    ["IN's contact in Rogaland", [{ kind: "agency-rep", agency: "IN", regionId: "11" }], false],
    ["SIVA's contact in Vestland", [{ kind: "agency-rep", agency: "SIVA", regionId: "46" }], false],
    ["Vestland's coordinator", [{ kind: "region-coordinator", regionId: "46" }], true],
    ["Rogaland's coordinator", [{ kind: "region-coordinator", regionId: "11" }], false],
    ["the national coordinator", [{ kind: "national-coordinator" }], false],
    ["an admin", [{ kind: "admin" }], true],
    ["a viewer", [], false],
  ];
  it.each(cases)("%s → %s", (_who, roles, expected) => {
    expect(mayWriteReport(roles, ME, "46", "IN", [])).toBe(expected);
  });

  it("a named deputy may write, for that report only; a deputy may not name another or waive", () => {
    expect(mayWriteReport([], ME, "46", "IN", [{ personId: ME, name: "Ola" }])).toBe(true);
    expect(mayNameDeputy([], "46", "IN")).toBe(false);
    expect(mayNameDeputy([{ kind: "agency-rep", agency: "IN", regionId: "46" }], "46", "IN")).toBe(true);
    expect(mayWaiveReport([{ kind: "agency-rep", agency: "IN", regionId: "46" }], "46")).toBe(false);
    expect(mayWaiveReport([{ kind: "region-coordinator", regionId: "46" }], "46")).toBe(true);
    expect(mayWaiveReport([{ kind: "admin" }], "46")).toBe(true);
  });
});
