/**
 * The status use case's versions: a rendered card is reused only while its documents, the Oslo
 * day and the settings are unchanged — so nobody is shown a stale card.
 */
import { DateTime } from "luxon";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { toSettings } from "../../src/app/settings.js";
import { overview, regionStatus, type StatusDeps } from "../../src/app/status.js";
import { CardCache } from "../../src/cards/card-cache.js";
import type { AdaptiveCard } from "../../src/cards/templates.js";
import { MODEL_2017 } from "../../src/domain/process.js";
import { regionById } from "../../src/domain/regions.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import { record } from "../support/events.js";

const settingsDoc = { id: "settings", partition: "_system", type: "settings", schemaVersion: 1, trackingStart: "2027-01-01", regions: {} } as const;
const vestland = regionById("46")!;
const at = (iso: string) => DateTime.fromISO(iso, { setZone: true });

describe("status versions", () => {
  let deps: StatusDeps;
  beforeEach(() => {
    deps = { store: openSqliteStore(":memory:"), model: MODEL_2017, settings: toSettings({ ...settingsDoc }, "rev-1") };
  });
  afterEach(async () => deps.store.close());

  it("the same documents on the same Oslo day give the same version, whatever the hour", async () => {
    const morning = await regionStatus(deps, vestland, at("2027-03-17T08:00:00+01:00"));
    const evening = await regionStatus(deps, vestland, at("2027-03-17T23:30:00+01:00"));
    expect(evening.version).toBe(morning.version);
  });

  it("a new Oslo day gives a new version (states depend on the date)", async () => {
    const before = await regionStatus(deps, vestland, at("2027-03-17T23:59:00+01:00"));
    const after = await regionStatus(deps, vestland, at("2027-03-18T00:00:00+01:00"));
    expect(after.version).not.toBe(before.version);
  });

  it("recording in the region or in the national track gives a new version", async () => {
    const now = at("2027-03-17T10:00:00+01:00");
    const v1 = (await regionStatus(deps, vestland, now)).version;
    await record(deps.store, "46", 2027, { type: "meeting-planned", meeting: "regional-spring", date: "2027-04-20" });
    const v2 = (await regionStatus(deps, vestland, now)).version;
    await record(deps.store, "national", 2027, { type: "meeting-held", meeting: "national-spring", date: "2027-03-16" });
    const v3 = (await regionStatus(deps, vestland, now)).version;
    expect(new Set([v1, v2, v3]).size).toBe(3);
    // Another region's change does not touch Vestland's card, but does change the overview.
    const o1 = (await overview(deps, now)).version;
    await record(deps.store, "11", 2027, { type: "meeting-planned", meeting: "regional-spring", date: "2027-04-22" });
    expect((await regionStatus(deps, vestland, now)).version).toBe(v3);
    expect((await overview(deps, now)).version).not.toBe(o1);
  });

  it("changed settings give a new version", async () => {
    const now = at("2027-03-17T10:00:00+01:00");
    const v1 = (await regionStatus(deps, vestland, now)).version;
    deps = { ...deps, settings: toSettings({ ...settingsDoc, trackingStart: "2027-03-01" }, "rev-2") };
    expect((await regionStatus(deps, vestland, now)).version).not.toBe(v1);
  });

  it("the view is evaluated once per snapshot, and only when asked for", async () => {
    const snapshot = await regionStatus(deps, vestland, at("2027-03-17T10:00:00+01:00"));
    expect(snapshot.evaluate()).toBe(snapshot.evaluate());
    expect(snapshot.evaluate().region?.name).toBe("Vestland");
  });
});

describe("card cache", () => {
  const card = (n: number) => ({ type: "AdaptiveCard", version: "1.5", n }) as unknown as AdaptiveCard;

  it("renders once per key and drops the least recently used beyond its capacity", () => {
    const cache = new CardCache(2);
    let renders = 0;
    const render = (n: number) => () => (renders++, card(n));
    expect(cache.get("a", render(1))).toEqual(card(1));
    expect(cache.get("a", render(99))).toEqual(card(1));
    cache.get("b", render(2));
    cache.get("a", render(99)); // a is now the most recently used
    cache.get("c", render(3)); // evicts b
    expect(cache.get("a", render(99))).toEqual(card(1));
    expect(cache.get("b", render(4))).toEqual(card(4));
    expect(renders).toBe(4);
    expect({ hits: cache.hits, misses: cache.misses }).toEqual({ hits: 3, misses: 4 });
  });

  it("with capacity 0 every card is rendered afresh", () => {
    const cache = new CardCache(0);
    let renders = 0;
    cache.get("a", () => (renders++, card(1)));
    cache.get("a", () => (renders++, card(1)));
    expect(renders).toBe(2);
  });
});

describe("§2.1/§3.2 the closing cycle after January", () => {
  let deps: StatusDeps;
  beforeEach(() => {
    deps = { store: openSqliteStore(":memory:"), model: MODEL_2017, settings: toSettings({ ...settingsDoc }, "rev-1") };
  });
  afterEach(async () => deps.store.close());
  const cycleYears = async (iso: string) => (await regionStatus(deps, vestland, at(iso))).evaluate().cycles.map((c) => [c.year, c.openOnly]);

  it("an agreement still unsigned on 1 February shows as past its deadline (blocked by what it waits for), not gone", async () => {
    const status = (await regionStatus(deps, vestland, at("2028-02-01T09:00:00+01:00"))).evaluate();
    expect(status.cycles.map((c) => [c.year, c.openOnly])).toEqual([[2027, true], [2028, false]]);
    const signing = status.cycles[0]!.regional.find((o) => o.key === "agreement-signed:region")!;
    // Nothing was recorded: political treatment, budgets and letters are missing, so signing is blocked by them.
    expect(signing.state).toBe("blocked");
    expect(signing.missing.map((m) => m.stepId)).toContain("political-treatment");
    expect(status.agenda.blocked.flat().map((o) => o.key)).toContain("agreement-signed:region");
  });

  it("after 2 May the closing cycle is out of view; before that it goes once nothing is left in it", async () => {
    expect(await cycleYears("2028-05-03T09:00:00+02:00")).toEqual([[2028, false]]);
    await record(deps.store, "national", 2027,
      { type: "meeting-held", meeting: "national-autumn", date: "2027-10-20", parts: { experiences: true, opportunities: true } },
      { type: "state-budget-adopted", date: "2027-12-15" },
      ...(["IN", "SIVA", "NFR"] as const).map((agency) => ({ type: "allocation-letter-received" as const, agency, date: "2027-12-20" })),
    );
    await record(deps.store, "46", 2027,
      { type: "follow-up-report-submitted", round: "spring", agency: "IN", date: "2027-04-01" },
      { type: "meeting-held", meeting: "regional-autumn", date: "2027-11-18" },
      { type: "draft-agreement-ready", date: "2027-11-01" },
      { type: "political-treatment-recorded", body: "Fylkestinget", date: "2027-12-08", caseNumber: "1/27", outcome: "approved" },
      { type: "regional-budget-adopted", date: "2027-12-14" },
      ...(["region", "IN", "SIVA", "NFR"] as const).map((party) => ({ type: "agreement-signed" as const, party, date: "2028-01-20" })),
      { type: "commission-agreement-sent", agency: "IN", date: "2028-01-25" },
    );
    const february = await cycleYears("2028-02-10T09:00:00+01:00");
    // Only steps of 2027 that were never recorded (reports, spring meetings) could remain; the agreement is done.
    const remaining = (await regionStatus(deps, vestland, at("2028-02-10T09:00:00+01:00"))).evaluate().cycles.find((c) => c.year === 2027);
    // The agreement phase stays in view while other steps of 2027 remain, and shows it signed.
    expect(remaining?.regional.filter((o) => o.stepId === "agreement-signed").map((o) => o.state)).toEqual(["done", "done", "done", "done"]);
    expect(february.at(-1)).toEqual([2028, false]);
  });
});
