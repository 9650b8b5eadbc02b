/** Which recording forms a step offers: what can be recorded now, nothing that could only be refused. */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { reduceCycle } from "../../src/domain/cycle.js";
import { obligations } from "../../src/domain/obligations.js";
import { MODEL_2017 } from "../../src/domain/process.js";
import { formsFor } from "../../src/domain/recording.js";
import { DEFAULT_COMMISSION_AGENCIES, DEFAULT_PARTY_AGENCIES } from "../../src/domain/regions.js";

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
  it("§2.1 an overdue signature still waiting for the budgets and letters offers nothing to record", () => {
    const list = at("2028-02-10T12:00:00+01:00");
    expect(list.find((o) => o.key === "agreement-signed:region")!.state).toBe("overdue");
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
