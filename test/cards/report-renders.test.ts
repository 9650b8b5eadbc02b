// @vitest-environment jsdom
/**
 * The follow-up cards as a person sees them (issue 10): the agreement, an agency's report card
 * (hub), a form, and the round's summary, rendered by the `adaptivecards` library in headless
 * Chromium at a phone's width (360 px) and Teams' desktop chat column (446 px). The PNGs are kept
 * in test-artifacts/cards/ (report-*) to look at; the test holds each card to what a busy adviser
 * can take in on a phone: no horizontal overflow of buttons, and a height budget per card.
 *
 * The round is a realistic one (Vestland, spring 2027, eight tasks, three agencies), built through
 * real HTTP like the other tests, in bokmål, nynorsk and English.
 */
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendToAgreement } from "../../src/app/report-store.js";
import type { AgreementTask } from "../../src/domain/agreement.js";
import type { Lang } from "../../src/domain/calendar.js";
import { checkCard, checkCardWithPeoplePicker, peoplePickers } from "../support/card-check.js";
import { NATIONAL_MEETINGS_2027, record } from "../support/events.js";
import { startHarness, type Harness } from "../support/harness.js";
import { executeActions, invoke, type Invoker } from "../support/invoke.js";
import { openRenderer, saveCardPng, type Renderer } from "../support/render.js";

const ADMIN: Invoker = { aadObjectId: "00000000-0000-0000-0000-00000000ad20", name: "Anne Admin" };
const IN_REP: Invoker = { aadObjectId: "00000000-0000-0000-0000-0000000002a1", name: "Ingrid Innovasjon" };
const KEY = { regionId: "46", year: 2027, round: "spring", agency: "IN" } as const;

const TASKS: AgreementTask[] = [
  { id: "t1", title: "Klyngeprogram for havnæringene", responsible: ["IN", "SIVA"], indicator: "antall klyngeprosjekter" },
  { id: "t2", title: "Felles mobilisering til EU-programmer", responsible: ["IN", "NFR"] },
  { id: "t3", title: "Inkubatorprogram i distriktene", responsible: ["SIVA"] },
  { id: "t4", title: "Kompetansemobilisering i industrien", responsible: ["IN"], planRef: "Handlingsplan 2027, tiltak 3.2" },
  { id: "t5", title: "Forskningsbasert innovasjon i offentlig sektor", responsible: ["NFR"] },
  { id: "t6", title: "Grønn omstilling i reiselivet", responsible: ["IN", "SIVA", "NFR"] },
  { id: "t7", title: "Næringshager og lokale utviklingsmiljø", responsible: ["SIVA"] },
  { id: "t8", title: "Internasjonalisering av små og mellomstore bedrifter", responsible: ["IN"] },
];

/** Phone-width budgets, px: long enough for a real round, short enough to read on a phone. */
const BUDGET_360: Record<string, number> = { agreement: 900, hub: 1000, form: 1300, summary: 1700 };

let now = DateTime.fromISO("2027-04-20T10:00:00+02:00");

describe("the follow-up cards rendered at 360 and 446 px (test-artifacts/cards/report-*)", () => {
  let h: Harness;
  let renderer: Renderer;
  beforeAll(async () => {
    [h, renderer] = await Promise.all([startHarness({ ADMIN_AAD_IDS: ADMIN.aadObjectId }, { clock: () => now }), openRenderer()]);
    await h.samhandling.app.people.grant({ id: ADMIN.aadObjectId, name: "Anne Admin" }, { id: IN_REP.aadObjectId, name: IN_REP.name! }, { kind: "agency-rep", agency: "IN", regionId: "46" });
    await record(h.samhandling.store, "national", 2027, ...NATIONAL_MEETINGS_2027);
    await record(h.samhandling.store, "46", 2027, { type: "meeting-planned", meeting: "regional-spring", date: "2027-05-12" });
    await appendToAgreement(h.samhandling.store, "46", 2027, () => ({
      events: TASKS.map((task) => ({ id: `render-${task.id}`, recordedAt: "2027-01-10T09:00:00+01:00", by: { id: ADMIN.aadObjectId, name: "Anne Admin" }, data: { type: "task-added" as const, task } })),
      result: undefined,
    }));
    // IN answers its tasks and sends its report: the summary then has answers, missing agencies and comments.
    const hub = (await invoke(h, IN_REP, "report.open", KEY)).card;
    for (const button of executeActions(hub).filter((a) => a.verb === "report.task")) {
      const form = (await invoke(h, IN_REP, "report.task", button.data)).card;
      const save = executeActions(form).find((a) => a.verb === "report.save")!.data;
      const fields = Object.fromEntries(
        save.tasks.split(",").flatMap((id: string) => [
          [`status-${id}`, id === "t2" ? "delayed" : "on-track"],
          [`comment-${id}`, id === "t2" ? "Utlysningen i Horisont Europa er utsatt til juni; vi mobiliserer bedriftene i mellomtiden." : "To nye klyngeprosjekter startet i mars."],
        ]),
      );
      await invoke(h, IN_REP, "report.save", { ...save, ...fields });
    }
    const general = (await invoke(h, IN_REP, "report.general", KEY)).card;
    const saveGeneral = executeActions(general).find((a) => a.verb === "report.save")!.data;
    await invoke(h, IN_REP, "report.save", { ...saveGeneral, summary: "God framdrift i havnæringene.", expectations: "Mangel på arbeidskraft og høye renter vil prege 2028." });
    const sent = await invoke(h, IN_REP, "report.submit", executeActions((await invoke(h, IN_REP, "report.open", KEY)).card).find((a) => a.verb === "report.submit")!.data);
    expect(executeActions(sent.card).map((a) => a.verb), "IN's report was sent").not.toContain("report.submit");
  }, 60_000);
  afterAll(async () => {
    await renderer?.close();
    await h?.close();
  });

  /** The cards of the round in one language, as IN's contact and the admin get them. */
  async function cards(lang: Lang): Promise<Record<string, object>> {
    const locale = { nb: "nb-NO", nn: "nn-NO", en: "en-GB" }[lang];
    await h.say(lang === "nb" ? "språk bokmål" : lang === "nn" ? "språk nynorsk" : "language english", { from: { id: "29:admin", aadObjectId: ADMIN.aadObjectId, name: "Anne Admin" }, locale });
    await h.say(lang === "nb" ? "språk bokmål" : lang === "nn" ? "språk nynorsk" : "language english", { from: { id: "29:in", aadObjectId: IN_REP.aadObjectId, name: IN_REP.name! }, locale });
    const agreement = (await invoke(h, ADMIN, "agreement.open", { regionId: "46", year: 2027 })).card;
    const hub = (await invoke(h, IN_REP, "report.open", KEY)).card;
    const form = (await invoke(h, IN_REP, "report.task", executeActions(hub).find((a) => a.verb === "report.task")!.data)).card;
    const summary = (await invoke(h, IN_REP, "report.summary", { regionId: "46", year: 2027, round: "spring" })).card;
    return { agreement, hub, form, summary };
  }

  for (const lang of ["nb", "nn", "en"] as const) {
    it(`${lang}: every card renders within its phone budget, and the PNGs are kept`, async () => {
      const found = await cards(lang);
      const heights: string[] = [];
      for (const [name, card] of Object.entries(found)) {
        // The deputy's people picker fills its choices from Teams (Data.Query), so it has none in the card.
        if (peoplePickers(card).length > 0) checkCardWithPeoplePicker(card);
        else checkCard(card);
        for (const width of lang === "nb" ? [360, 446] : [360]) {
          const { height, png } = await renderer.render(card, { width });
          saveCardPng(`report-${name}-${lang}-${width}`, png);
          heights.push(`${name} ${width}: ${height} px`);
          if (width === 360) expect(height, `${name} (${lang}) at 360 px`).toBeLessThanOrEqual(BUDGET_360[name]!);
          expect(height, `${name} (${lang}) at ${width} px`).toBeGreaterThan(100);
        }
      }
      console.log(`report cards (${lang}): ${heights.join(", ")}`);
    }, 60_000);
  }
});
