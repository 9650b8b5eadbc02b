/** Starting mid-year: steps from before the tracking start recorded afterwards, several at once, from one card. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCycles } from "../../src/app/cycles.js";
import { cardText, startHarness, type Harness } from "../support/harness.js";
import { executeActions, invoke } from "../support/invoke.js";

const ADMIN = "00000000-0000-0000-0000-00000000ad02";

describe("backfill from a card (installed 16 June 2027)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CLOCK_NOW: "2027-06-16T10:00:00+02:00", ADMIN_AAD_IDS: ADMIN });
  });
  afterAll(async () => h?.close());
  const admin = { aadObjectId: ADMIN };
  const national = async () => (await loadCycles(h.samhandling.store, [{ regionId: "national", year: 2027 }]))[0]!.events;

  it("the person's card offers to record earlier steps; the form lists them with a date each", async () => {
    // The region's card offers the region's earlier steps; the national track's are on its own card.
    const card = (await invoke(h, admin, "status.refresh", { regionId: "46" })).card;
    expect(executeActions(card).filter((a) => a.verb === "backfill.open").map((a) => a.data.scope)).toEqual(["region"]);
    const nationalCard = (await invoke(h, admin, "status.refresh", { regionId: "national" })).card;
    const open = executeActions(nationalCard).filter((a) => a.verb === "backfill.open");
    expect(open.map((a) => a.data.scope)).toEqual(["national"]);
    const form = await invoke(h, admin, "backfill.open", open[0]!.data);
    const text = cardText(form.card);
    expect(text).toContain("Tidligere steg – Nasjonalt spor 2027");
    expect(text).toContain("16. juni 2027");
    expect(form.card.body.filter((b: any) => b.type === "Input.Date").map((b: any) => b.label)).toEqual([
      "Innkalling til nasjonalt vårmøte (§4.1, §1; Frist 17. februar 2027)",
      "Nasjonalt temamøte vår (§1; Frist 31. mars 2027)",
    ]);
  });

  it("one wrong date refuses the lot, naming the step; then the corrected form saves both in one go", async () => {
    const open = executeActions((await invoke(h, admin, "status.refresh", { regionId: "national" })).card).find((a) => a.verb === "backfill.open")!;
    const form = await invoke(h, admin, "backfill.open", open.data);
    const save = executeActions(form.card).find((a) => a.verb === "backfill.save")!;
    const bad = await invoke(h, admin, "backfill.save", { ...save.data, d0: "2027-01-20", d1: "2027-09-01" });
    expect(cardText(bad.card)).toContain("Nasjonalt temamøte vår: Dato: kan ikke være fram i tid.");
    expect(JSON.stringify(bad.card)).toContain('"value":"2027-01-20"');
    expect(await national()).toEqual([]);

    const good = await invoke(h, admin, "backfill.save", { ...save.data, d0: "2027-01-20", d1: "2027-03-10" });
    expect(cardText(good.card)).toContain("✅ Registrert 2 tidligere steg.");
    expect((await national()).map((e) => e.data)).toEqual([
      { type: "invitations-sent", meeting: "national-spring", date: "2027-01-20" },
      { type: "meeting-held", meeting: "national-spring", date: "2027-03-10" },
    ]);
    expect(cardText(good.card)).toContain("✅ **Nasjonalt temamøte vår** · Ferdig");
  });

  it("an empty form says so and writes nothing", async () => {
    const form = await invoke(h, admin, "backfill.open", { regionId: "46", year: 2027, scope: "region" });
    const save = executeActions(form.card).find((a) => a.verb === "backfill.save")!;
    const before = (await loadCycles(h.samhandling.store, [{ regionId: "46", year: 2027 }]))[0]!.events.length;
    expect(cardText((await invoke(h, admin, "backfill.save", save.data)).card)).toContain("Ingen datoer var fylt inn.");
    expect((await loadCycles(h.samhandling.store, [{ regionId: "46", year: 2027 }]))[0]!.events.length).toBe(before);
  });
});
