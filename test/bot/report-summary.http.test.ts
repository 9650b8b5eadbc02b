// @vitest-environment jsdom
/**
 * The summary of a report round through real HTTP (issue 10, "The compiled summary"): `rapport`
 * in a channel bound to the region, with a region named, for a person's own region, and the
 * card's «Oppdater». §3.1 spring round of Vestland, 15 April 2027: the meeting is 20 April, the
 * reports were due 13 April. Reports are written straight into the store (the forms are another
 * part of the feature); viewers see submitted reports, never drafts.
 */
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendToAgreement, updateReport } from "../../src/app/report-store.js";
import type { AgreementTask } from "../../src/domain/agreement.js";
import type { Round } from "../../src/domain/process.js";
import type { AgencyId } from "../../src/domain/regions.js";
import type { ReportContent } from "../../src/domain/reports.js";
import { MAX_CARD_BYTES } from "../../src/cards/templates.js";
import type { DocumentStore } from "../../src/store/store.js";
import { checkCard } from "../support/card-check.js";
import { record } from "../support/events.js";
import { cardOf, cardText, startHarness, type Harness, type SayOptions, type TeamsUser } from "../support/harness.js";
import { executeActions, invoke } from "../support/invoke.js";

const ADMIN: TeamsUser = { id: "29:admin", aadObjectId: "00000000-0000-0000-0000-00000000ad31", name: "Anne Admin" };
const OLA: TeamsUser = { id: "29:ola", aadObjectId: "00000000-0000-0000-0000-0000000000b3", name: "Ola Nordmann" };
const VIEWER: TeamsUser = { id: "29:viewer", aadObjectId: "00000000-0000-0000-0000-0000000000f9", name: "Vera Viewer" };

let actions = 0;
async function agreement(store: DocumentStore, regionId: string, year: number, tasks: AgreementTask[]): Promise<void> {
  await appendToAgreement(store, regionId, year, () => ({
    events: tasks.map((task) => ({ id: `seed-${regionId}-${year}-${task.id}`, recordedAt: "2027-01-10T10:00:00.000+01:00", by: { id: "k", name: "Kari" }, data: { type: "task-added" as const, task } })),
    result: undefined,
  }));
}

/** A submission (and optionally a draft saved after it), as the report forms will store them. */
async function submit(
  store: DocumentStore,
  at: { regionId: string; year: number; round: Round; agency: AgencyId },
  content: ReportContent | undefined,
  options: { on?: string; late?: boolean; by?: string; draft?: ReportContent } = {},
): Promise<void> {
  await updateReport(store, at, `seed-${++actions}`, (current) => ({
    report: {
      ...current,
      versions: content
        ? [...current.versions, { content, submittedAt: options.on ?? "2027-04-12T14:00:00.000+02:00", by: { id: "p", name: options.by ?? "Ola Innovasjon" }, late: options.late ?? false, actionId: `s${actions}` }]
        : current.versions,
      ...(options.draft ? { draft: { content: options.draft, savedAt: "2027-04-14T16:00:00.000+02:00", by: { id: "p", name: "Utkastskriver" } } } : {}),
    },
    result: undefined,
  }));
}

const task = (id: string, title: string, responsible: AgreementTask["responsible"]): AgreementTask => ({ id, title, responsible });

describe("«rapport»: the spring round's summary for Vestland (15 April 2027, §3.1)", () => {
  let h: Harness;
  const CHANNEL: SayOptions = { conversationType: "channel", conversationId: "19:vestland-samhandling@thread.tacv2", mention: true };

  beforeAll(async () => {
    h = await startHarness({ CLOCK_NOW: "2027-04-15T10:00:00+02:00", ADMIN_AAD_IDS: ADMIN.aadObjectId! });
    const store = h.samhandling.store;
    const admin = { id: ADMIN.aadObjectId!, name: ADMIN.name };
    await h.samhandling.app.people.grant(admin, { id: OLA.aadObjectId!, name: OLA.name }, { kind: "region-coordinator", regionId: "46" });
    // Agreement 2027 was treated politically in cycle 2026 (§3.2); the spring meeting is planned for 20 April.
    await record(store, "46", 2026, { type: "political-treatment-recorded", body: "Fylkestinget", date: "2026-12-10", caseNumber: "2026/4711", outcome: "approved" });
    await record(store, "46", 2027, { type: "meeting-planned", meeting: "regional-spring", date: "2027-04-20" });
    // Last autumn's round followed up agreement 2026, whose tasks were copied into 2027 with new ids.
    await agreement(store, "46", 2026, [task("t4", "Klyngeprogram for havnæringene", ["IN", "SIVA"])]);
    await submit(store, { regionId: "46", year: 2026, round: "autumn", agency: "IN" }, { tasks: { t4: { status: "not-started" } } }, { on: "2026-11-01T10:00:00.000+01:00" });
    await agreement(store, "46", 2027, [
      task("t1", "Klyngeprogram for havnæringene", ["IN", "SIVA"]),
      task("t2", "Forskningsmobilisering i næringslivet", ["NFR"]),
      task("t3", "Inkubatorer i distriktet", ["SIVA"]),
    ]);
    const spring = (agency: AgencyId) => ({ regionId: "46", year: 2027, round: "spring" as const, agency });
    await submit(store, spring("IN"), { tasks: { t1: { status: "delayed", comment: "Utlysningen kom sent, se [lenke](https://example.org)" } }, expectations: "Mangel på arbeidskraft i havnæringene" });
    await submit(store, spring("SIVA"), { tasks: { t1: { status: "on-track" }, t3: { status: "done" } } }, { on: "2027-04-14T09:00:00.000+02:00", late: true, by: "Siri Sivertsen", draft: { tasks: { t3: { status: "delayed", comment: "UTKAST: ikke ferdig" } } } });
    // Forskningsrådet has only a draft: it has not answered.
    await submit(store, spring("NFR"), undefined, { draft: { tasks: { t2: { status: "done", comment: "UTKAST fra NFR" } }, summary: "UTKAST" } });
    expect(cardText(cardOf((await h.say("bind Vestland", { ...CHANNEL, from: ADMIN })).replies[0]))).toContain("Vestland");
  });
  afterAll(async () => h?.close());

  const ask = async (text: string, options: SayOptions = {}) => {
    const { status, replies } = await h.say(text, options);
    expect(status).toBe(200);
    // A channel's conversation holds the earlier replies too: the answer is the last one.
    return cardOf(replies.at(-1));
  };

  it("in the channel bound to Vestland, «rapport» shows who answered, who was late and who is missing, per task, and what changed", async () => {
    const card = await ask("rapport", { ...CHANNEL, from: VIEWER });
    checkCard(card);
    const text = cardText(card);
    expect(text).toContain("Vestland: oppfølgingsrapporter vår 2027");
    expect(text).toContain("Møte 20. april 2027 · frist for rapportene 13. april 2027");
    expect(text).toContain("Fristen er ute. Svar tas imot, merket for sent, til møtet er holdt.");
    expect(text).toContain("Saksnummer for den politiske behandlingen av avtalen: 2026/4711");
    expect(text).toContain("✅ **Innovasjon Norge** – levert 12. april 2027 av Ola Innovasjon");
    expect(text).toContain("⏰ **SIVA** – levert for sent 14. april 2027 av Siri Sivertsen");
    expect(text).toContain("❌ **Forskningsrådet** – ikke levert");
    // Per task: the responsible agencies' status and comment; the comment's Markdown is not a link.
    expect(text).toContain("1.\u00A0Klyngeprogram for havnæringene");
    expect(text).toContain("🟠 **Innovasjon Norge**: forsinket – Utlysningen kom sent, se \\[lenke\\]\\(https://example.org\\)");
    expect(text).toContain("🟢 **SIVA**: i rute");
    expect(text).toContain("❔ **Forskningsrådet**: ikke svart");
    // What changed since last autumn (agreement 2026's task, matched by title).
    expect(text).toContain("Hva er endret siden forrige runde");
    expect(text).toContain("**1. Klyngeprogram for havnæringene**: Innovasjon Norge ikke startet → 🟠 forsinket");
    // Spring: the expectations (§3.1).
    expect(text).toContain("**Innovasjon Norge**: Mangel på arbeidskraft i havnæringene");
  });

  it("«Rapportene» opens each agency's report card: the coordinator may write in it, a viewer reads what was sent and never the draft", async () => {
    const card = await ask("rapport", { ...CHANNEL, from: VIEWER });
    const buttons = executeActions(card).filter((a) => a.verb === "report.open");
    expect(buttons.map((b) => b.title)).toEqual(["Innovasjon Norge", "SIVA", "Forskningsrådet"]);
    const siva = buttons.find((b) => b.data.agency === "SIVA")!.data;
    const asViewer = (await invoke(h, { aadObjectId: VIEWER.aadObjectId!, name: VIEWER.name }, "report.open", siva)).card;
    expect(cardText(asViewer)).toContain("Oppfølgingsrapport vår 2027 · SIVA · Vestland");
    expect(cardText(asViewer)).not.toContain("UTKAST");
    expect(executeActions(asViewer).map((a) => a.verb)).not.toContain("report.submit");
    const asCoordinator = (await invoke(h, { aadObjectId: OLA.aadObjectId!, name: OLA.name }, "report.open", siva)).card;
    expect(executeActions(asCoordinator).map((a) => a.verb)).toContain("report.task");
  });

  it("a viewer never sees a draft: neither SIVA's newer draft nor Forskningsrådet's unsubmitted one", async () => {
    const text = cardText(await ask("rapport", { ...CHANNEL, from: VIEWER }));
    expect(text).not.toContain("UTKAST");
    // The forms' word for the status («Fullført»), lower case mid-line.
    expect(text).toContain("✅ **SIVA**: fullført");
    expect(text).not.toContain("ferdig");
  });

  it("with a region named, in any order with the round and year; a person's own region without one; otherwise the bot asks which", async () => {
    const named = await ask("rapport for Vestland", { from: VIEWER });
    expect(cardText(named)).toContain("Vestland: oppfølgingsrapporter vår 2027");
    expect(cardText(await ask("rapport", { from: OLA }))).toContain("Vestland: oppfølgingsrapporter vår 2027");
    const which = await ask("rapport", { from: VIEWER });
    expect(cardText(which)).toContain("Hvilken region?");

    const autumn = cardText(await ask("rapport høst 2026 Vestland", { from: VIEWER }));
    expect(autumn).toContain("Vestland: oppfølgingsrapporter høst 2026");
    expect(autumn).toContain("✅ **Innovasjon Norge** – levert 1. november 2026");
    expect(autumn).toContain("Syn på utkastet til samarbeidsavtale 2027 (§ 3.2)");
    expect(autumn).toContain("**Omforent: nei**");
    // Nobody reported in spring 2026: nothing to compare with, rather than «nothing changed».
    expect(autumn).toContain("Første runde med rapporter – ingenting å sammenligne med.");
    expect(autumn).not.toContain("Ingen oppgaver har endret status");

    const english = cardText(await ask("report Vestland spring", { from: VIEWER, locale: "en-GB" }));
    expect(english).toContain("Vestland: follow-up reports, spring 2027");
    expect(english).toContain("⏰ **SIVA** – submitted late 14 April 2027 by Siri Sivertsen");
  });

  it("«Oppdater» shows the round as it stands now: an answer submitted since appears", async () => {
    const card = await ask("rapport Vestland", { from: VIEWER });
    const refresh = executeActions(card).find((a) => a.verb === "report.summary")!;
    expect(refresh.data).toEqual({ regionId: "46", year: 2027, round: "spring" });
    await submit(h.samhandling.store, { regionId: "46", year: 2027, round: "spring", agency: "NFR" }, { tasks: { t2: { status: "on-track" } } }, { on: "2027-04-15T09:30:00.000+02:00", late: true, by: "Nina Forsk" });
    const refreshed = await invoke(h, { aadObjectId: VIEWER.aadObjectId! }, "report.summary", refresh.data);
    expect(refreshed.status).toBe(200);
    expect(cardText(refreshed.card)).toContain("⏰ **Forskningsrådet** – levert for sent 15. april 2027 av Nina Forsk");
    // Data a card never sends is refused without a crash.
    const bad = await invoke(h, { aadObjectId: VIEWER.aadObjectId! }, "report.summary", { regionId: "99", year: "2027", round: "winter" });
    expect(bad.status).toBe(200);
    expect(cardText(bad.card)).not.toContain("oppfølgingsrapporter");
  });
});

describe("the summary card's size: 20 tasks × 3 agencies × 2 000-character comments, in bokmål, nynorsk and English", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CLOCK_NOW: "2027-04-15T10:00:00+02:00" });
    const store = h.samhandling.store;
    // Every long text at its limit, with Norwegian letters (two bytes each) and Markdown to escape.
    const long = (n: number, who: string) => `${who}: Økt satsing på «grønn omstilling» – [se] *rapport* (${"æøå ".repeat(n / 4)})`.slice(0, n).padEnd(n, "ø");
    const tasks = Array.from({ length: 20 }, (_, i) => task(`t${i + 1}`, `Oppgave ${i + 1}: ${"Samarbeid om kompetanse og innovasjon i regionen ".repeat(4)}`.slice(0, 200), ["IN", "SIVA", "NFR"]));
    for (const year of [2026, 2027]) await agreement(store, "11", year, tasks);
    await record(store, "11", 2027, { type: "meeting-planned", meeting: "regional-spring", date: "2027-04-20" });
    for (const [year, round] of [[2027, "spring"], [2026, "autumn"]] as const) {
      for (const agency of ["IN", "SIVA", "NFR"] as const) {
        const content: ReportContent = {
          tasks: Object.fromEntries(tasks.map((t, i) => [t.id, { status: (["on-track", "delayed", "done"] as const)[(i + year) % 3]!, comment: long(2000, `${agency} ${t.id}`) }])),
          summary: long(4000, agency),
          ...(round === "spring" ? { expectations: long(4000, agency) } : { stance: { position: "agree-with-comments" as const, comment: long(2000, agency) } }),
        };
        await submit(store, { regionId: "11", year, round, agency }, content, { on: year === 2027 ? "2027-04-12T10:00:00.000+02:00" : "2026-11-01T10:00:00.000+01:00" });
      }
    }
  });
  afterAll(async () => h?.close());

  it.each([
    ["nb-NO", "rapport Rogaland vår 2027", "Hele teksten står i eksporten."],
    ["nn-NO", "rapport Rogaland vår 2027", "Heile teksten står i eksporten."],
    ["en-GB", "report Rogaland spring 2027", "The full text is in the export."],
    ["nb-NO", "rapport Rogaland høst 2026", "Hele teksten står i eksporten."],
    ["nn-NO", "rapport Rogaland haust 2026", "Heile teksten står i eksporten."],
    ["en-GB", "report Rogaland autumn 2026", "The full text is in the export."],
  ])("%s «%s»: parses, fits in 28 KB with the message around it, and says the full text is in the export", async (locale, text, note) => {
    const { replies } = await h.say(text, { locale });
    const card = cardOf(replies[0]);
    // SUMMARY_CARD_OUT=/tmp/x keeps the cards, to render and look at them.
    if (process.env.SUMMARY_CARD_OUT) writeFileSync(`${process.env.SUMMARY_CARD_OUT}-${locale}-${text.split(" ").at(-2)}.json`, JSON.stringify(card));
    checkCard(card);
    expect(Buffer.byteLength(JSON.stringify(replies[0]!.activity), "utf8")).toBeLessThanOrEqual(MAX_CARD_BYTES);
    const shown = cardText(card);
    expect(shown).toContain(note);
    // Every task is on the card, each with all three agencies.
    expect(shown).toContain("20.\u00A0Oppgave 20");
    expect(shown.match(/\*\*Forskningsrådet\*\*: /g)!.length).toBeGreaterThanOrEqual(20);
  });
});

describe("omforent before the political treatment: the status card's draft agreement line (§3, §3.2; 1 November 2027)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CLOCK_NOW: "2027-11-01T10:00:00+01:00" });
    await record(h.samhandling.store, "46", 2027, { type: "meeting-planned", meeting: "regional-autumn", date: "2027-11-09" });
  });
  afterAll(async () => h?.close());

  it("names who has agreed to the draft with their autumn report, and who has not answered; a changed stance replaces the first", async () => {
    const status = async () => cardText(cardOf((await h.say("status Vestland")).replies[0]));
    expect(await status()).not.toContain("Omforent:");
    await record(
      h.samhandling.store,
      "46",
      2027,
      { type: "follow-up-report-submitted", round: "autumn", agency: "IN", date: "2027-10-28", stance: "agree" },
      { type: "follow-up-report-submitted", round: "autumn", agency: "SIVA", date: "2027-10-29", stance: "disagree" },
    );
    expect(await status()).toContain("Omforent: Innovasjon Norge ✔ · SIVA ✖ · Forskningsrådet – ikke svart");
    // SIVA submits again, now agreeing with comments: recorded with the first submission's date.
    await record(h.samhandling.store, "46", 2027, { type: "follow-up-report-submitted", round: "autumn", agency: "SIVA", date: "2027-10-29", stance: "agree-with-comments" });
    const card = cardOf((await h.say("status Vestland")).replies[0]);
    if (process.env.SUMMARY_CARD_OUT) writeFileSync(`${process.env.SUMMARY_CARD_OUT}-status-omforent.json`, JSON.stringify(card));
    expect(cardText(card, { shown: true })).toContain("Omforent: Innovasjon Norge ✔ · SIVA ✔ · Forskningsrådet – ikke svart");
    const english = cardText(cardOf((await h.say("status Vestland", { locale: "en-GB" })).replies[0]));
    expect(english).toContain("Agreed by all (omforent): Innovasjon Norge ✔ · SIVA ✔ · Forskningsrådet – no answer");
  });

  it("an agency marked «vil ikke rapportere» in the autumn is named as not reporting, not as not answered", async () => {
    await record(h.samhandling.store, "46", 2027, { type: "follow-up-report-waived", round: "autumn", agency: "NFR", reason: "Ingen utlysninger i fylket i høst." });
    const text = cardText(cardOf((await h.say("status Vestland")).replies[0]));
    expect(text).toContain("Omforent: Innovasjon Norge ✔ · SIVA ✔ · Forskningsrådet – rapporterer ikke");
    expect(text).not.toContain("Forskningsrådet – ikke svart");
    const nynorsk = cardText(cardOf((await h.say("status Vestland", { locale: "nn-NO" })).replies[0]));
    expect(nynorsk).toContain("Forskningsrådet – rapporterer ikkje");
  });
});

describe("the autumn round read on 15 January 2028: the meeting of 17 November is not recorded as held, Forskningsrådet will not report (§3, §3.2)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CLOCK_NOW: "2028-01-15T10:00:00+01:00" });
    const store = h.samhandling.store;
    await record(store, "46", 2027, { type: "meeting-planned", meeting: "regional-autumn", date: "2027-11-17" });
    await record(store, "46", 2027, { type: "follow-up-report-waived", round: "autumn", agency: "NFR", reason: "Ingen utlysninger i fylket i høst." });
    await agreement(store, "46", 2027, [task("t1", "Klyngeprogram for havnæringene", ["IN", "SIVA"]), task("t2", "Forskningsmobilisering i næringslivet", ["NFR"])]);
    // Nobody reported in spring 2027: this autumn is the first round with reports.
    const autumn = (agency: AgencyId) => ({ regionId: "46", year: 2027, round: "autumn" as const, agency });
    await submit(store, autumn("IN"), { tasks: { t1: { status: "done" } }, stance: { position: "agree" } }, { on: "2027-11-05T10:00:00.000+01:00", by: "Ingrid Innovasjon" });
    await submit(store, autumn("SIVA"), { tasks: { t1: { status: "on-track" } }, stance: { position: "agree-with-comments", comment: "Mer om havbruk." } }, { on: "2027-11-08T10:00:00.000+01:00", by: "Sivert Siva" });
  });
  afterAll(async () => h?.close());

  it("says the meeting is not recorded as held, that there is nothing to compare with, and that Forskningsrådet does not report — and why it is not omforent", async () => {
    const card = cardOf((await h.say("rapport Vestland høst 2027")).replies[0]);
    if (process.env.SUMMARY_CARD_OUT) writeFileSync(`${process.env.SUMMARY_CARD_OUT}-autumn-unrecorded.json`, JSON.stringify(card));
    checkCard(card);
    const text = cardText(card);
    expect(text).toContain("Fristen er ute, og møtet 17. november 2027 er ikke registrert som holdt. Svar tas imot, merket for sent, til det er registrert.");
    expect(text).not.toContain("til møtet er holdt");
    expect(text).toContain("Første runde med rapporter – ingenting å sammenligne med.");
    expect(text).toContain("✅ **Innovasjon Norge**: fullført");
    // Forskningsrådet's task and its stance: «rapporterer ikke», its reason once, in the agency list.
    expect(text).toContain("➖ **Forskningsrådet** – vil ikke rapportere: Ingen utlysninger i fylket i høst.");
    expect(text).toContain("➖ **Forskningsrådet**: rapporterer ikke");
    expect(text).toContain("**Forskningsrådet**: ➖ rapporterer ikke");
    expect(text).not.toContain("ikke svart");
    // §3: all parties must agree; one that does not report has not — and the line says so.
    expect(text).toContain("**Omforent: nei** – ikke alle partene har sagt seg enige ennå. Forskningsrådet rapporterer ikke denne runden.");

    const english = cardText(cardOf((await h.say("report Vestland autumn 2027", { locale: "en-GB" })).replies[0]));
    expect(english).toContain("The deadline has passed, and the meeting of 17 November 2027 is not recorded as held.");
    expect(english).toContain("The first round with reports – nothing to compare with.");
    expect(english).toContain("Not reporting this round: Forskningsrådet.");
  });

  it("once the meeting is recorded as held, the round is closed and says so", async () => {
    await record(h.samhandling.store, "46", 2027, { type: "meeting-held", meeting: "regional-autumn", date: "2027-11-17" });
    const text = cardText(cardOf((await h.say("rapport Vestland høst 2027")).replies[0]));
    expect(text).toContain("Runden er avsluttet: møtet ble holdt 17. november 2027.");
    expect(text).not.toContain("ikke registrert som holdt");
  });
});
