// @vitest-environment jsdom
/**
 * Every card the bot can produce: it expands with nothing of the template left, parses with the
 * `adaptivecards` library without unknown elements or validation failures, and stays under
 * Teams' 28 KB — across the year (two cycles in January), in every language, empty or full.
 */
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app/app.js";
import { toSettings } from "../../src/app/settings.js";
import { renderOverviewCard } from "../../src/cards/overview-card.js";
import { renderHelpCard, renderMessageCard, renderShortHelpCard } from "../../src/cards/simple-cards.js";
import { renderStatusCard } from "../../src/cards/status-card.js";
import { renderRecordCard } from "../../src/cards/record-card.js";
import { renderBackfillCard } from "../../src/cards/backfill-card.js";
import { renderPlanCard } from "../../src/cards/plan-card.js";
import { personalization } from "../../src/bot/card-actions.js";
import { formsFor } from "../../src/domain/recording.js";
import { dateRangeFor } from "../../src/domain/forms.js";
import type { Obligation } from "../../src/domain/obligations.js";
import type { Lang } from "../../src/domain/calendar.js";
import { MODEL_2017 } from "../../src/domain/process.js";
import { REGIONS } from "../../src/domain/regions.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import type { DocumentStore } from "../../src/store/store.js";
import { checkCard } from "../support/card-check.js";
import { record } from "../support/events.js";


const LANGS: Lang[] = ["nb", "nn", "en"];
// The 15th of every month of 2027 and two days of the January overlap in 2028.
const DATES = [
  ...Array.from({ length: 12 }, (_, m) => `2027-${String(m + 1).padStart(2, "0")}-15T09:00:00+01:00`),
  "2028-01-10T09:00:00+01:00",
  "2028-01-31T16:00:00+01:00",
];

async function fullYear(store: DocumentStore): Promise<void> {
  await record(
    store, "national", 2027,
    { type: "meeting-planned", meeting: "national-spring", date: "2027-03-10", place: "Oslo, Quality Hotel Expo – med en lang stedsbeskrivelse for å prøve linjebrytingen" },
    { type: "invitations-sent", meeting: "national-spring", date: "2027-01-20" },
    { type: "meeting-held", meeting: "national-spring", date: "2027-03-10" },
    { type: "meeting-planned", meeting: "national-autumn", date: "2027-10-20" },
    { type: "invitations-sent", meeting: "national-autumn", date: "2027-09-01" },
    { type: "meeting-held", meeting: "national-autumn", date: "2027-10-20", parts: { experiences: true, opportunities: true } },
    { type: "state-budget-adopted", date: "2027-12-16" },
    { type: "allocation-letter-received", agency: "IN", date: "2027-12-22" },
  );
  for (const region of REGIONS.slice(0, 8)) {
    await record(
      store, region.id, 2027,
      { type: "meeting-planned", meeting: "regional-spring", date: "2027-04-21", place: "Fylkeshuset" },
      { type: "invitations-sent", meeting: "regional-spring", date: "2027-03-25" },
      { type: "follow-up-report-submitted", round: "spring", agency: "IN", date: "2027-04-12" },
      { type: "meeting-held", meeting: "regional-spring", date: "2027-04-21" },
      { type: "draft-agreement-ready", date: "2027-11-01", link: "https://example.org/utkast.docx" },
      { type: "meeting-planned", meeting: "regional-autumn", date: "2027-11-18" },
      { type: "meeting-held", meeting: "regional-autumn", date: "2027-11-18" },
      { type: "political-treatment-recorded", body: "Fylkesutvalet", date: "2027-12-08", caseNumber: "2027/1234", outcome: "approved-with-changes" },
      { type: "regional-budget-adopted", date: "2027-12-14" },
    );
  }
}

describe("every card the bot can produce is valid and under 28 KB", () => {
  const stores: DocumentStore[] = [];
  const apps = new Map<string, App>();
  const appFor = (state: "empty" | "full", iso: string) => apps.get(`${state}|${iso}`)!;

  beforeAll(async () => {
    for (const state of ["empty", "full"] as const) {
      const store = openSqliteStore(":memory:");
      stores.push(store);
      if (state === "full") await fullYear(store);
      // Tracking since the start of 2027, so that earlier steps can be overdue rather than untracked.
      const settings = toSettings({ id: "settings", partition: "_system", type: "settings", schemaVersion: 1, trackingStart: "2027-01-01", regions: {} }, "rev-1");
      for (const iso of DATES) {
        const now = DateTime.fromISO(iso);
        apps.set(`${state}|${iso}`, createApp({ store, model: MODEL_2017, settings, clock: () => now }));
      }
    }
  });
  afterAll(async () => Promise.all(stores.map((s) => s.close())));

  describe.each(["empty", "full"] as const)("%s store", (state) => {
    it.each(DATES)("status cards on %s (every region, the national track, every language)", async (iso) => {
      const app = appFor(state, iso);
      for (const query of [undefined, ...REGIONS.map((r) => r.id)]) {
        const answer = await app.status(query);
        if (answer.kind !== "status") throw new Error(`no status for ${query}`);
        for (const lang of LANGS) checkCard(renderStatusCard(answer.status.evaluate(), MODEL_2017, lang));
      }
    });

    it.each(DATES)("an admin's own status cards on %s (buttons on every step they may record)", async (iso) => {
      const app = appFor(state, iso);
      for (const query of [undefined, ...REGIONS.map((r) => r.id)]) {
        const answer = await app.status(query);
        if (answer.kind !== "status") throw new Error(`no status for ${query}`);
        checkCard(renderStatusCard(answer.status.evaluate(), MODEL_2017, "nb", personalization([{ kind: "admin" }])));
      }
    });

    it.each(DATES)("record forms on %s, for every step an admin can record, in every language", async (iso) => {
      const app = appFor(state, iso);
      const status = (await app.status("46")) as { kind: "status"; status: { evaluate(): { cycles: Array<{ national: Obligation[]; regional: Obligation[] }> } } };
      const steps = status.status.evaluate().cycles.flatMap((c) => [...c.national, ...c.regional]);
      const today = iso.slice(0, 10);
      for (const step of steps) {
        const all = await app.steps("46", step.year);
        for (const form of formsFor(step)) {
          const range = dateRangeFor(form.verb, form.params, all, today)!;
          for (const lang of LANGS)
            checkCard(renderRecordCard({ verb: form.verb, params: form.params, step, regionId: "46", year: step.year, actionId: "a", today, range, error: "Feltet «Dato» mangler." }, lang));
        }
      }
    });

    it.each(DATES)("backfill forms on %s (every step, with an error shown)", async (iso) => {
      const steps = await appFor(state, iso).steps("46", Number(iso.slice(0, 4)));
      for (const lang of LANGS)
        checkCard(renderBackfillCard({ regionId: "46", regionName: "Vestland", year: 2027, scope: "region", steps, trackingStart: "2027-06-15", actionId: "a", error: "Feil" }, lang));
    });

    it.each(DATES)("overview cards on %s", async (iso) => {
      const view = (await appFor(state, iso).overview()).evaluate();
      for (const lang of LANGS) checkCard(renderOverviewCard(view, MODEL_2017, lang));
    });
  });

  it("in January the status card shows both cycles: what remains of the old, and the new", async () => {
    const answer = await appFor("full", "2028-01-10T09:00:00+01:00").status("03");
    if (answer.kind !== "status") throw new Error("no status");
    expect(answer.status.evaluate().cycles.map((c) => [c.year, c.openOnly])).toEqual([[2027, true], [2028, false]]);
    const json = JSON.stringify(renderStatusCard(answer.status.evaluate(), MODEL_2017, "nb"));
    expect(json).toContain("Syklus 2028 · det som gjenstår av 2027");
    // The closing cycle's agreement (2028) is signed in January; the new cycle's agreement phase is 2029's.
    expect(json).toContain("signer samarbeidsavtale 2028");
    expect(json).toContain('"text":"Samarbeidsavtale 2029"');
  });

  it("a card with steps from before the tracking start says what «Ikke registrert» means; others do not", async () => {
    const store = openSqliteStore(":memory:");
    try {
      const at = (trackingStart: string) =>
        createApp({
          store,
          model: MODEL_2017,
          settings: toSettings({ id: "settings", partition: "_system", type: "settings", schemaVersion: 1, trackingStart, regions: {} }, trackingStart),
          clock: () => DateTime.fromISO("2027-06-16T09:00:00+02:00"),
        });
      const render = async (trackingStart: string) => {
        const answer = await at(trackingStart).status("46");
        if (answer.kind !== "status") throw new Error("no status");
        return JSON.stringify(renderStatusCard(answer.status.evaluate(), MODEL_2017, "nb"));
      };
      const installedInJune = await render("2027-06-15");
      expect(installedInJune).toContain("Ikke registrert");
      expect(installedInJune).toContain("«Ikke registrert»: fristen var ute før Samhandling begynte å følge regionen");
      expect(await render("2027-01-01")).not.toContain("«Ikke registrert»:");
    } finally {
      await store.close();
    }
  });

  it.each(LANGS)("plan forms (%s): the regional plan and the action plan, with an error and typed values", (lang) => {
    for (const kind of ["regional", "action"] as const)
      checkCard(renderPlanCard({ kind, regionId: "46", regionName: "Vestland", year: 2027, actionId: "a", today: "2027-03-17", error: "Feil", values: { title: "Plan ${x}" } }, lang));
  });

  it("the largest January card (four parties, every commission agreement, long place names) falls back to the compact layout and fits", async () => {
    const store = openSqliteStore(":memory:");
    try {
      const long = "Fylkeshuset i Molde, møterom Romsdalen – med digital deltakelse via Teams for alle partnere ".repeat(3).slice(0, 290);
      await record(store, "15", 2027,
        { type: "meeting-planned", meeting: "regional-spring", date: "2027-04-21", place: long },
        { type: "meeting-planned", meeting: "regional-autumn", date: "2027-11-18", place: long },
      );
      await record(store, "15", 2028, { type: "meeting-planned", meeting: "regional-spring", date: "2028-04-20", place: long });
      const settings = toSettings(
        { id: "settings", partition: "_system", type: "settings", schemaVersion: 1, trackingStart: "2027-01-01", regions: { "15": { partyAgencies: ["IN", "SIVA", "NFR", "RFF"], commissionAgencies: ["IN", "SIVA", "NFR", "RFF"] } } },
        "r-big",
      );
      const app = createApp({ store, model: MODEL_2017, settings, clock: () => DateTime.fromISO("2028-01-10T09:00:00+01:00") });
      const answer = await app.status("15");
      if (answer.kind !== "status") throw new Error("no status");
      const view = answer.status.evaluate();
      for (const lang of LANGS) {
        const card = renderStatusCard(view, MODEL_2017, lang, personalization([{ kind: "admin" }]));
        checkCard(card);
        // The compact layout: steps that open later are one line, not a row each.
        expect(JSON.stringify(card)).toMatch(/⚪ \d+ (steg åpner senere|steg opnar seinare|steps open later)/);
      }
    } finally {
      await store.close();
    }
  });

  it.each(LANGS)("help card (%s)", (lang) => checkCard(renderHelpCard(lang)));

  it.each(LANGS)("short help card, with and without the person's region, quoting a typed ${ as text (%s)", (lang) => {
    checkCard(renderShortHelpCard(lang, { region: "Møre og Romsdal" }));
    checkCard(renderShortHelpCard(lang, { unknownText: "hva er ${x}" }));
  });

  it("message cards, with and without suggestion buttons, keep a typed ${ as text", () => {
    checkCard(renderMessageCard("Jeg finner ingen region som heter «${x}».", "Mente du:", [{ title: "Vestland", value: "status Vestland" }]));
    checkCard(renderMessageCard("Skriv «status», «oversikt» eller «hjelp»."));
  });
});
