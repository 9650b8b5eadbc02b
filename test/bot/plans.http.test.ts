/** §2: the region's 4-year plan and the year's action plan, recorded from the card by the coordinator. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decidePlanRecord } from "../../src/domain/recording.js";
import { cardText, startHarness, type Harness } from "../support/harness.js";
import { executeActions, invoke } from "../support/invoke.js";

const ADMIN = "00000000-0000-0000-0000-00000000ad03";
const VIEWER = "00000000-0000-0000-0000-0000000000f3";

describe("§2 plans: the rules", () => {
  const ctx = { year: 2027, today: "2027-03-17", allowed: true };
  it.each([
    [{ verb: "plan.regional", from: 2024, to: 2027 } as const, "ok"],
    [{ verb: "plan.regional", from: 2024, to: 2028 } as const, "plan-period"],
    [{ verb: "plan.regional", from: 2028, to: 2031 } as const, "plan-period"],
    [{ verb: "plan.action", date: "2026-12-10" } as const, "ok"],
    [{ verb: "plan.action", date: "2027-03-18" } as const, "date-in-future"],
    [{ verb: "plan.action", date: "2026-01-10" } as const, "date-outside-window"],
  ])("%j → %s", (request, expected) => {
    const decision = decidePlanRecord(request, ctx);
    expect(decision.ok ? "ok" : decision.refusal.code).toBe(expected);
  });
  it("only with the right role", () => {
    expect(decidePlanRecord({ verb: "plan.action", date: "2026-12-10" }, { ...ctx, allowed: false })).toEqual({ ok: false, refusal: { code: "not-allowed" } });
  });
});

describe("§2 plans from the card (17 March 2027)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CLOCK_NOW: "2027-03-17T10:00:00+01:00", ADMIN_AAD_IDS: ADMIN });
  });
  afterAll(async () => h?.close());
  const admin = { aadObjectId: ADMIN };

  it("the card says no plan is recorded; the coordinator records both and the card shows them", async () => {
    const card = (await invoke(h, admin, "status.refresh", { regionId: "46" })).card;
    expect(cardText(card)).toContain("Regional plan: ikke registrert · Handlingsplan 2027: ikke registrert");
    const open = executeActions(card).filter((a) => a.verb === "plan.open");
    expect(open.map((a) => a.data.kind)).toEqual(["regional", "action"]);

    const regionalForm = await invoke(h, admin, "plan.open", open[0]!.data);
    const saveRegional = executeActions(regionalForm.card).find((a) => a.verb === "plan.regional")!;
    const tooLong = await invoke(h, admin, "plan.regional", { ...saveRegional.data, from: "2024", to: "2028" });
    expect(cardText(tooLong.card)).toContain("En regional plan gjelder fire år (§2) og må omfatte 2027.");
    await invoke(h, admin, "plan.regional", { ...saveRegional.data, from: "2024", to: "2027", title: "Regional plan for innovasjon" });

    const actionForm = await invoke(h, admin, "plan.open", open[1]!.data);
    const saveAction = executeActions(actionForm.card).find((a) => a.verb === "plan.action")!;
    const done = await invoke(h, admin, "plan.action", { ...saveAction.data, date: "2027-02-12", link: "https://www.vestlandfylke.no/handlingsplan" });
    expect(cardText(done.card)).toContain("Regional plan: 2024–2027 (Regional plan for innovasjon) · Handlingsplan 2027: vedtatt 12. februar 2027");
  });

  it("a viewer gets no plan buttons, and an old card's save is refused", async () => {
    const viewerCard = (await invoke(h, { aadObjectId: VIEWER }, "status.refresh", { regionId: "46" })).card;
    expect(executeActions(viewerCard).filter((a) => a.verb === "plan.open")).toEqual([]);
    const refused = await invoke(h, { aadObjectId: VIEWER }, "plan.action", { regionId: "46", year: 2027, actionId: "x", date: "2027-02-12" });
    expect(cardText(refused.card)).toContain("Du kan ikke registrere dette steget. Det gjør Vestland fylkeskommune");
  });
});
