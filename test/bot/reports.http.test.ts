// @vitest-environment jsdom
/**
 * Report rounds through real HTTP (issue 10, §3.1 spring, §3.2 autumn): the hub card, drafts,
 * submission (the follow-up step done, recorded once), a late answer, an edit that keeps both
 * versions, a deputy, «vil ikke rapportere», the refusals with the field named, and the closed
 * round. Vestland's spring meeting is planned for 12 May 2027: the round opens 13 April and is
 * due 5 May.
 */
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendToAgreement } from "../../src/app/report-store.js";
import { loadCycles } from "../../src/app/cycles.js";
import type { AgreementEvent, AgreementTask } from "../../src/domain/agreement.js";
import { cardBytes, MAX_CARD_BYTES } from "../../src/cards/templates.js";
import { ReportDocumentSchema } from "../../src/store/records.js";
import { REPORT_LIMITS } from "../../src/domain/reports.js";
import { checkCard, checkCardWithPeoplePicker, peoplePickers } from "../support/card-check.js";
import { NATIONAL_MEETINGS_2027, record } from "../support/events.js";
import { cardOf, cardText, startHarness, type Harness } from "../support/harness.js";
import { executeActions, invoke, type Invoker } from "../support/invoke.js";

const ADMIN: Invoker = { aadObjectId: "00000000-0000-0000-0000-00000000ad10", name: "Anne Admin" };
const IN_REP: Invoker = { aadObjectId: "00000000-0000-0000-0000-0000000001a1", name: "Ingrid Innovasjon" };
const SIVA_REP: Invoker = { aadObjectId: "00000000-0000-0000-0000-0000000001b1", name: "Sivert Siva" };
const COORDINATOR: Invoker = { aadObjectId: "00000000-0000-0000-0000-0000000001c1", name: "Kari Koordinator" };
const DEPUTY: Invoker = { aadObjectId: "00000000-0000-0000-0000-0000000001d1", name: "Dag Deputy" };
const VIEWER: Invoker = { aadObjectId: "00000000-0000-0000-0000-0000000001e1", name: "Vera Viewer" };

const SPRING_IN = { regionId: "46", year: 2027, round: "spring", agency: "IN" } as const;
const SPRING_SIVA = { ...SPRING_IN, agency: "SIVA" } as const;
const SPRING_NFR = { ...SPRING_IN, agency: "NFR" } as const;

const TASKS: AgreementTask[] = [
  { id: "t1", title: "Klyngeprogram for havnæringene", responsible: ["IN"], indicator: "antall klyngeprosjekter" },
  { id: "t2", title: "Felles mobilisering til EU-programmer", responsible: ["IN", "SIVA"] },
  { id: "t3", title: "Inkubatorprogram i distriktene", responsible: ["SIVA"] },
];

let now = DateTime.fromISO("2027-04-20T10:00:00+02:00");
const at = (iso: string) => (now = DateTime.fromISO(iso, { setZone: true }));

async function addTasks(h: Harness, regionId: string, year: number, tasks: AgreementTask[]) {
  const events: AgreementEvent[] = tasks.map((task) => ({ id: `add-${regionId}-${year}-${task.id}`, recordedAt: "2027-01-10T09:00:00+01:00", by: { id: ADMIN.aadObjectId, name: "Anne Admin" }, data: { type: "task-added", task } }));
  await appendToAgreement(h.samhandling.store, regionId, year, () => ({ events, result: undefined }));
}

async function grant(h: Harness, who: Invoker, role: Parameters<Harness["samhandling"]["app"]["people"]["grant"]>[2]) {
  await h.samhandling.app.people.grant({ id: ADMIN.aadObjectId, name: "Anne Admin" }, { id: who.aadObjectId, name: who.name! }, role);
}

describe("report rounds over HTTP (Vestland, spring and autumn 2027)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ADMIN_AAD_IDS: ADMIN.aadObjectId }, { clock: () => now });
    await grant(h, IN_REP, { kind: "agency-rep", agency: "IN", regionId: "46" });
    await grant(h, SIVA_REP, { kind: "agency-rep", agency: "SIVA", regionId: "46" });
    await grant(h, COORDINATOR, { kind: "region-coordinator", regionId: "46" });
    await record(h.samhandling.store, "national", 2027, ...NATIONAL_MEETINGS_2027);
    await record(h.samhandling.store, "46", 2027, { type: "meeting-planned", meeting: "regional-spring", date: "2027-05-12" });
    await addTasks(h, "46", 2027, TASKS);
  });
  afterAll(async () => h?.close());

  const open = async (who: Invoker, key: object = SPRING_IN) => (await invoke(h, who, "report.open", key)).card;
  const reportDoc = async (agency = "IN", round = "spring") => {
    const found = await h.samhandling.store.read({ partition: "46", id: `report-2027-${round}-${agency}` });
    return found ? { doc: ReportDocumentSchema.parse(found.doc), etag: found.etag } : undefined;
  };
  const submittedEvents = async (agency = "IN") =>
    (await loadCycles(h.samhandling.store, [{ regionId: "46", year: 2027 }]))[0]!.events.filter((e) => e.data.type === "follow-up-report-submitted" && e.data.agency === agency);
  const stepState = async (key: string) => (await h.samhandling.app.steps("46", 2027)).find((o) => o.key === key)?.state;
  /** The form for the tasks of a hub button, and its save action's data. */
  const form = async (who: Invoker, hub: unknown, button = 0) => {
    const opened = (await invoke(h, who, "report.task", executeActions(hub).filter((a) => a.verb === "report.task")[button]!.data)).card;
    return { card: opened, save: executeActions(opened).find((a) => a.verb === "report.save")!.data };
  };

  it("the status card's report line opens the hub: one labelled card with the deadline, IN's own tasks and the buttons to answer", async () => {
    const status = (await invoke(h, IN_REP, "status.refresh", { regionId: "46" })).card;
    const button = executeActions(status).find((a) => a.verb === "report.open" && a.data.agency === "IN")!;
    expect(button.title).toBe("Skriv rapporten");
    expect(button.data).toMatchObject({ regionId: "46", round: "spring", agency: "IN" });
    const hub = (await invoke(h, IN_REP, "report.open", button.data)).card;
    checkCardWithPeoplePicker(hub);
    const text = cardText(hub);
    expect(text).toContain("Oppfølgingsrapport vår 2027 · Innovasjon Norge · Vestland");
    expect(text).toContain("Frist 5. mai 2027 · dialogmøtet 12. mai 2027");
    expect(text).toContain("2 oppgaver for Innovasjon Norge, 0 besvart");
    expect(text).toContain("❔ 1. Klyngeprogram for havnæringene");
    expect(text).toContain("Andre parters oppgaver (1)");
    expect(executeActions(hub).map((a) => a.verb)).toEqual(expect.arrayContaining(["report.task", "report.general", "report.submit", "report.deputy"]));
    // The coordinator's «vil ikke rapportere» is not IN's contact's to press.
    expect(executeActions(hub).map((a) => a.verb)).not.toContain("report.waive");
    expect((hub as any).refresh.action).toMatchObject({ verb: "report.open", data: SPRING_IN });
    // Refreshed automatically for its reader only (Teams would otherwise refresh it for everyone in a
    // chat of up to 60, and for nobody in a larger one), named by the Teams MRI of their Entra id.
    expect((hub as any).refresh.userIds).toEqual([`8:orgid:${IN_REP.aadObjectId}`]);
    const inChannel = (await invoke(h, { ...VIEWER, conversationType: "channel", conversationId: "19:vestland@thread.tacv2" }, "report.open", SPRING_IN)).card;
    expect(inChannel.refresh.userIds).toEqual([`8:orgid:${VIEWER.aadObjectId}`]);
  });

  it("a form saves a draft and the hub comes back with the status; a viewer never sees the draft", async () => {
    const { card, save } = await form(IN_REP, await open(IN_REP));
    checkCard(card);
    expect(cardText(card)).toContain("Oppgavene 1–2 av 3");
    const hub = (await invoke(h, IN_REP, "report.save", { ...save, "status-t1": "on-track", "comment-t1": "Tre nye klyngeprosjekter i 2027.", "status-t2": "", "comment-t2": "" })).card;
    const text = cardText(hub);
    expect(text).toContain("Utkastet er lagret.");
    expect(text).toContain("🟢 1. Klyngeprogram for havnæringene");
    expect(text).toContain("I rute – Tre nye klyngeprosjekter i 2027.");
    expect(text).toContain("📝 Ikke sendt inn ennå: trykk «Send inn» når rapporten er klar.");

    const viewer = await open(VIEWER);
    checkCard(viewer);
    expect(cardText(viewer)).not.toContain("Tre nye klyngeprosjekter");
    // No buttons to write; only the way back, and the card's own refresh keeps the viewer's copy current.
    expect(executeActions(viewer.body).map((a) => a.verb)).toEqual(["status.refresh", "report.summary"]);
  });

  it("bad input comes back on the form with the field named, and nothing is written", async () => {
    const before = await reportDoc();
    const { save } = await form(IN_REP, await open(IN_REP));
    const unknownStatus = (await invoke(h, IN_REP, "report.save", { ...save, "status-t1": "finished" })).card;
    checkCard(unknownStatus);
    expect(cardText(unknownStatus)).toContain("Velg en status fra listen (feltet «Status – Klyngeprogram for havnæringene»).");
    const oversize = (await invoke(h, IN_REP, "report.save", { ...save, "status-t2": "delayed", "comment-t2": "x".repeat(2001) })).card;
    expect(cardText(oversize)).toContain("Feltet «Kommentar – Felles mobilisering til EU-programmer» er for langt: høyst 2000 tegn.");
    // What was typed is shown again, so nothing is lost.
    expect(JSON.stringify(oversize)).toContain("x".repeat(2001));
    const unknownTask = (await invoke(h, IN_REP, "report.save", { ...save, tasks: "t99", "status-t99": "done" })).card;
    expect(cardText(unknownTask)).toContain("Oppgaven finnes ikke i samarbeidsavtalen");
    const after = await reportDoc();
    expect(after!.etag).toBe(before!.etag);
  });

  it("someone from another agency, or a viewer, is refused and nothing is written", async () => {
    const before = await reportDoc();
    for (const who of [SIVA_REP, VIEWER]) {
      const refused = (await invoke(h, who, "report.save", { ...SPRING_IN, actionId: `foreign-${who.aadObjectId}`, form: "tasks", tasks: "t1", "status-t1": "done" })).card;
      expect(cardText(refused)).toContain("Du kan ikke skrive i rapporten fra Innovasjon Norge for Vestland.");
      const submit = (await invoke(h, who, "report.submit", { ...SPRING_IN, actionId: `foreign-submit-${who.aadObjectId}` })).card;
      expect(cardText(submit)).toContain("Du kan ikke skrive i rapporten fra Innovasjon Norge for Vestland.");
    }
    expect((await reportDoc())!.etag).toBe(before!.etag);
    expect(await submittedEvents()).toHaveLength(0);
  });

  it("submitting needs a status for each own task; then the step is done, recorded once on a retried click", async () => {
    const first = executeActions(await open(IN_REP)).find((a) => a.verb === "report.submit")!.data;
    const missing = (await invoke(h, IN_REP, "report.submit", first)).card;
    expect(cardText(missing)).toContain("Mangler: «Felles mobilisering til EU-programmer».");

    const { save } = await form(IN_REP, await open(IN_REP));
    await invoke(h, IN_REP, "report.save", { ...save, "status-t2": "delayed", "comment-t2": "Venter på utlysningen." });
    const general = (await invoke(h, IN_REP, "report.general", SPRING_IN)).card;
    checkCard(general);
    const saveGeneral = executeActions(general).find((a) => a.verb === "report.save")!.data;
    await invoke(h, IN_REP, "report.save", { ...saveGeneral, summary: "God framdrift.", expectations: "Mangel på arbeidskraft i havnæringene." });

    const submit = executeActions(await open(IN_REP)).find((a) => a.verb === "report.submit")!.data;
    const done = (await invoke(h, IN_REP, "report.submit", submit)).card;
    checkCardWithPeoplePicker(done);
    expect(cardText(done)).toContain("✅ Rapporten er sendt inn.");
    expect(cardText(done)).toContain("✅ Sendt inn 20. april 2027 av Ingrid Innovasjon");
    // Nothing changed since: no button to send the same answers again.
    expect(executeActions(done.body).map((a) => a.verb)).not.toContain("report.submit");
    const retry = (await invoke(h, IN_REP, "report.submit", submit)).card;
    expect(cardText(retry)).toContain("Sendt inn 20. april 2027");
    expect(await submittedEvents()).toHaveLength(1);
    expect(await stepState("follow-up-report-spring:IN")).toBe("done");
    const { doc } = (await reportDoc())!;
    expect(doc.versions).toHaveLength(1);
    expect(doc.versions[0]!.content).toEqual({
      tasks: { t1: { status: "on-track", comment: "Tre nye klyngeprosjekter i 2027." }, t2: { status: "delayed", comment: "Venter på utlysningen." } },
      summary: "God framdrift.",
      expectations: "Mangel på arbeidskraft i havnæringene.",
    });
    expect(doc.draft).toBeUndefined();
  });

  it("an edit after submitting is a draft until sent again; both versions are kept", async () => {
    const { save } = await form(IN_REP, await open(IN_REP));
    const edited = (await invoke(h, IN_REP, "report.save", { ...save, "status-t1": "done", "comment-t1": "Fullført." })).card;
    expect(cardText(edited)).toContain("Endret etter innsendingen.");
    // Others still see the submitted version.
    expect(cardText(await open(VIEWER))).toContain("I rute – Tre nye klyngeprosjekter i 2027.");
    const resubmit = executeActions(edited).find((a) => a.verb === "report.submit")!;
    expect(resubmit.title).toBe("Send inn på nytt");
    await invoke(h, IN_REP, "report.submit", resubmit.data);
    const { doc } = (await reportDoc())!;
    expect(doc.versions.map((v) => v.content.tasks.t1?.status)).toEqual(["on-track", "done"]);
    expect(await submittedEvents()).toHaveLength(1);
  });

  it("IN's contact names a deputy, who may then answer for IN here", async () => {
    const hub = await open(IN_REP, SPRING_IN);
    expect(peoplePickers(hub)).toHaveLength(1);
    const named = (await invoke(h, IN_REP, "report.deputy", { ...executeActions(hub).find((a) => a.verb === "report.deputy")!.data, person: DEPUTY.aadObjectId })).card;
    expect(cardText(named)).toContain("kan nå svare for Innovasjon Norge i denne runden.");
    const deputyHub = await open(DEPUTY);
    const { save } = await form(DEPUTY, deputyHub);
    const saved = (await invoke(h, DEPUTY, "report.save", { ...save, "comment-t1": "Fullført, med rapport fra klyngene." })).card;
    expect(cardText(saved)).toContain("Utkastet er lagret.");
    expect((await reportDoc())!.doc.draft!.by.id).toBe(DEPUTY.aadObjectId);
    // The deputy is IN's in Vestland only.
    expect(cardText((await invoke(h, DEPUTY, "report.save", { ...SPRING_SIVA, actionId: "deputy-siva", form: "tasks", tasks: "t3", "status-t3": "done" })).card)).toContain(
      "Du kan ikke skrive i rapporten fra SIVA for Vestland.",
    );
  });

  it("a deputy is removed by those who may name one — not by the deputy — and may then no longer write; a retried click changes nothing", async () => {
    const namer = await open(IN_REP, SPRING_IN);
    checkCardWithPeoplePicker(namer);
    const remove = executeActions(namer).find((a) => a.verb === "report.deputy.remove")!;
    // Named as the hub lists them (the fake connector does not know this person's name).
    expect(remove).toMatchObject({ title: "Fjern (navn ukjent, id 00000000…)", data: { ...SPRING_IN, person: DEPUTY.aadObjectId } });
    // Another button of the same card (same action id) is not taken for a retry of this one.
    expect(remove.data.actionId).toBe(executeActions(namer).find((a) => a.verb === "report.submit")!.data.actionId);

    // A deputy has no deputy's powers over deputies: no button, and the verb is refused.
    expect(executeActions(await open(DEPUTY)).map((a) => a.verb)).not.toContain("report.deputy.remove");
    const byDeputy = (await invoke(h, DEPUTY, "report.deputy.remove", { ...remove.data, actionId: "deputy-removes-self" })).card;
    expect(cardText(byDeputy)).toContain("Bare kontaktpersonene for Innovasjon Norge");
    expect((await reportDoc())!.doc.deputies.map((d) => d.personId)).toEqual([DEPUTY.aadObjectId]);

    const removed = (await invoke(h, IN_REP, "report.deputy.remove", remove.data)).card;
    checkCardWithPeoplePicker(removed);
    expect(cardText(removed)).toContain("Stedfortrederen kan ikke lenger svare for Innovasjon Norge.");
    expect(cardText(removed)).not.toContain("Stedfortreder:");
    const after = await reportDoc();
    expect(after!.doc.deputies).toEqual([]);
    // The same click again: nothing written.
    await invoke(h, IN_REP, "report.deputy.remove", remove.data);
    expect((await reportDoc())!.etag).toBe(after!.etag);
    const refused = (await invoke(h, DEPUTY, "report.save", { ...SPRING_IN, actionId: "deputy-after-removal", form: "tasks", tasks: "t1", "status-t1": "done" })).card;
    expect(cardText(refused)).toContain("Du kan ikke skrive i rapporten fra Innovasjon Norge for Vestland.");

    // Named again from the same card (the same action id as the removal): named, not taken for a retry.
    const again = (await invoke(h, IN_REP, "report.deputy", { ...executeActions(namer).find((a) => a.verb === "report.deputy")!.data, person: DEPUTY.aadObjectId })).card;
    expect(cardText(again)).toContain("kan nå svare for Innovasjon Norge");
    expect((await reportDoc())!.doc.deputies.map((d) => d.personId)).toEqual([DEPUTY.aadObjectId]);
  });

  it("an answer after the deadline is accepted and marked late", async () => {
    at("2027-05-07T09:00:00+02:00");
    const hub = await open(SIVA_REP, SPRING_SIVA);
    expect(cardText(hub)).toContain("Fristen var 5. mai 2027. Svar tas imot, merket som for sent, fram til dialogmøtet 12. mai 2027.");
    const { save } = await form(SIVA_REP, hub);
    await invoke(h, SIVA_REP, "report.save", { ...save, "status-t2": "on-track", "status-t3": "not-started", "comment-t3": "Oppstart til høsten." });
    const submitted = (await invoke(h, SIVA_REP, "report.submit", executeActions(await open(SIVA_REP, SPRING_SIVA)).find((a) => a.verb === "report.submit")!.data)).card;
    expect(cardText(submitted)).toContain("Rapporten er sendt inn etter fristen og er merket som for sent.");
    expect(cardText(submitted)).toContain("Sendt inn 7. mai 2027 av Sivert Siva, etter fristen");
    expect((await reportDoc("SIVA"))!.doc.versions[0]!.late).toBe(true);
  });

  it("the coordinator marks NFR «vil ikke rapportere»: its step is no longer asked for", async () => {
    const hub = await open(COORDINATOR, SPRING_NFR);
    const waive = executeActions(hub).find((a) => a.verb === "report.waive")!;
    const empty = (await invoke(h, COORDINATOR, "report.waive", { ...waive.data, reason: " " })).card;
    expect(cardText(empty)).toContain("Skriv en begrunnelse (feltet «Begrunnelse»).");
    expect(cardText((await invoke(h, IN_REP, "report.waive", { ...waive.data, actionId: "in-waives", reason: "Nei" })).card)).toContain(
      "Bare regionkoordinatoren og administratorer kan merke",
    );
    const waived = (await invoke(h, COORDINATOR, "report.waive", { ...waive.data, reason: "Ingen aktivitet i fylket i år." })).card;
    expect(cardText(waived)).toContain("Forskningsrådet er merket med «vil ikke rapportere». Påminnelsene stopper.");
    expect(cardText(waived)).toContain("➖ Vil ikke rapportere denne runden: Ingen aktivitet i fylket i år.");
    expect(await stepState("follow-up-report-spring:NFR")).toBe("not-applicable");
  });

  it("after the meeting is held the round is closed: a save is refused on the form", async () => {
    await record(h.samhandling.store, "46", 2027, { type: "invitations-sent", meeting: "regional-spring", date: "2027-04-01" }, { type: "meeting-held", meeting: "regional-spring", date: "2027-05-12" });
    at("2027-05-13T09:00:00+02:00");
    const before = await reportDoc();
    const refused = (await invoke(h, IN_REP, "report.save", { ...SPRING_IN, actionId: "after-meeting", form: "tasks", tasks: "t1", "status-t1": "done" })).card;
    expect(cardText(refused)).toContain("Rapportrunden er stengt: dialogmøtet ble holdt 12. mai 2027.");
    expect((await reportDoc())!.etag).toBe(before!.etag);
    const hub = await open(IN_REP);
    expect(cardText(hub)).toContain("Stengt: dialogmøtet ble holdt 12. mai 2027.");
    expect(executeActions(hub).map((a) => a.verb)).not.toContain("report.submit");
    // An old card's button opens no form.
    const oldButton = (await invoke(h, IN_REP, "report.task", { ...SPRING_IN, tasks: "t1,t2" })).card;
    expect(cardText(oldButton)).toContain("Rapportrunden er stengt: dialogmøtet ble holdt 12. mai 2027.");
    expect(executeActions(oldButton.body).map((a) => a.verb)).not.toContain("report.save");
  });

  it("the autumn form is pre-filled from IN's spring report", async () => {
    await record(h.samhandling.store, "46", 2027, { type: "meeting-planned", meeting: "regional-autumn", date: "2027-11-17" });
    at("2027-10-25T09:00:00+02:00");
    const hub = await open(IN_REP, { ...SPRING_IN, round: "autumn" });
    const text = cardText(hub);
    expect(text).toContain("Oppfølgingsrapport høst 2027 · Innovasjon Norge · Vestland");
    expect(text).toContain("Forhåndsutfylt fra forrige runde.");
    expect(text).toContain("✅ 1. Klyngeprogram for havnæringene");
    // A stance not given reads as the summary and the status card's omforent line say it.
    expect(text).toContain("Syn på avtaleutkastet 2028: ikke svart");
    const general = (await invoke(h, IN_REP, "report.general", { ...SPRING_IN, round: "autumn" })).card;
    checkCard(general);
    const save = executeActions(general).find((a) => a.verb === "report.save")!.data;
    const badStance = (await invoke(h, IN_REP, "report.save", { ...save, stance: "maybe" })).card;
    expect(cardText(badStance)).toContain("Velg et syn på avtaleutkastet fra listen (feltet «Syn på utkastet til samarbeidsavtale 2028 (§ 3.2)»).");
    const saved = (await invoke(h, IN_REP, "report.save", { ...save, stance: "agree-with-comments", stanceComment: "Ønsker tydeligere mål for t1." })).card;
    expect(cardText(saved)).toContain("Syn på avtaleutkastet 2028: Enig, med merknader – Ønsker tydeligere mål for t1.");
    // The pre-filled answers are part of the draft: nothing shown on the form is lost by saving another part.
    expect(cardText(saved)).toContain("✅ 1. Klyngeprogram for havnæringene");
    expect((await reportDoc("IN", "autumn"))!.doc.draft!.content.tasks.t1).toEqual({ status: "done", comment: "Fullført." });
  });

  it("§3: IN's stance on the draft shows on the status card's draft line, and a changed stance replaces it; once IN has reported, «vil ikke rapportere» is refused", async () => {
    const draftLine = async () => cardText((await invoke(h, COORDINATOR, "status.refresh", { regionId: "46" })).card, { shown: false });
    const submit = executeActions(await open(IN_REP, { ...SPRING_IN, round: "autumn" })).find((a) => a.verb === "report.submit")!.data;
    expect(cardText((await invoke(h, IN_REP, "report.submit", submit)).card)).toContain("✅ Rapporten er sendt inn.");
    expect(await draftLine()).toMatch(/Omforent: Innovasjon Norge ✔ · SIVA – ikke svart/);

    const general = (await invoke(h, IN_REP, "report.general", { ...SPRING_IN, round: "autumn" })).card;
    const save = executeActions(general).find((a) => a.verb === "report.save")!.data;
    await invoke(h, IN_REP, "report.save", { ...save, stance: "disagree", stanceComment: "Målene for t1 mangler." });
    const again = executeActions(await open(IN_REP, { ...SPRING_IN, round: "autumn" })).find((a) => a.verb === "report.submit")!.data;
    await invoke(h, IN_REP, "report.submit", again);
    expect(await draftLine()).toMatch(/Omforent: Innovasjon Norge ✖ · SIVA – ikke svart/);
    // The step stays done on the first submission's day; the stance was recorded twice, the report once per submission.
    const autumn = (await loadCycles(h.samhandling.store, [{ regionId: "46", year: 2027 }]))[0]!.state;
    expect(autumn.followUpReports.autumn?.IN).toBe("2027-10-25");
    expect((await reportDoc("IN", "autumn"))!.doc.versions.map((v) => v.content.stance?.position)).toEqual(["agree-with-comments", "disagree"]);

    const before = (await reportDoc("IN", "autumn"))!.etag;
    const waive = (await invoke(h, COORDINATOR, "report.waive", { ...SPRING_IN, round: "autumn", actionId: "waive-after-submit", reason: "Feil agency" })).card;
    expect(cardText(waive)).toContain("Innovasjon Norge har allerede levert rapporten for denne runden");
    expect((await reportDoc("IN", "autumn"))!.etag).toBe(before);
    expect(await stepState("follow-up-report-autumn:IN")).toBe("done");
  });
});

describe("the report cards at their largest: 20 tasks, 2 000-character comments, 5 deputies, in nb, nn and en", () => {
  let h: Harness;
  const KEY = { regionId: "11", year: 2027, round: "spring", agency: "IN" } as const;
  beforeAll(async () => {
    now = DateTime.fromISO("2027-06-10T10:00:00+02:00");
    h = await startHarness({ ADMIN_AAD_IDS: ADMIN.aadObjectId }, { clock: () => now });
    const tasks: AgreementTask[] = Array.from({ length: 20 }, (_, i) => ({
      id: `t${i + 1}`,
      title: `Oppgave ${i + 1}: ${"Langt navn på en konkret oppgave i samarbeidsavtalen ".repeat(4)}`.slice(0, 200),
      description: "Beskrivelse ".repeat(180).slice(0, 2000),
      responsible: i < 16 ? ["IN"] : ["SIVA", "NFR"],
      indicator: "Antall bedrifter med økt omsetning",
      planRef: "Regional plan for innovasjon, delmål 2.3",
    }));
    await addTasks(h, "11", 2027, tasks);
  });
  afterAll(async () => h?.close());

  it.each(["nb-NO", "nn-NO", "en-US"])("%s: the hub and every form pass the parser and stay under 28 KB", async (locale) => {
    const admin = { ...ADMIN, locale };
    let hub = (await invoke(h, admin, "report.open", KEY)).card;
    // Fill every task with a 2 000-character comment (and the general part at its limits), form by form.
    for (const button of executeActions(hub).filter((a) => a.verb === "report.task")) {
      const opened = (await invoke(h, admin, "report.task", button.data)).card;
      const save = executeActions(opened).find((a) => a.verb === "report.save")!.data;
      const inputs = Object.fromEntries(String(save.tasks).split(",").flatMap((id) => [[`status-${id}`, "delayed"], [`comment-${id}`, `${locale} ${"øæå ".repeat(500).slice(0, 1990)}`]]));
      hub = (await invoke(h, admin, "report.save", { ...save, ...inputs })).card;
    }
    const general = (await invoke(h, admin, "report.general", KEY)).card;
    const saveGeneral = executeActions(general).find((a) => a.verb === "report.save")!.data;
    hub = (await invoke(h, admin, "report.save", { ...saveGeneral, summary: "Årsrapport å ".repeat(400).slice(0, 4000), expectations: "Utfordringer æ ".repeat(300).slice(0, 4000) })).card;
    // And the most deputies a report can have (REPORT_LIMITS.deputies), each with a removal button
    // (named in the first language; the others find them named).
    for (let i = 1; i <= REPORT_LIMITS.deputies; i++) {
      const name = executeActions(hub).find((a) => a.verb === "report.deputy");
      if (name) hub = (await invoke(h, admin, "report.deputy", { ...name.data, person: `00000000-0000-0000-0000-0000000003d${i}` })).card;
    }
    expect(executeActions(hub).filter((a) => a.verb === "report.deputy.remove")).toHaveLength(REPORT_LIMITS.deputies);
    checkCard(hub);
    const forms = [(await invoke(h, admin, "report.general", KEY)).card];
    for (const button of executeActions(hub).filter((a) => a.verb === "report.task")) forms.push((await invoke(h, admin, "report.task", button.data)).card);
    expect(forms).toHaveLength(6);
    for (const card of forms) {
      checkCard(card);
      expect(cardBytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    }
    expect(cardBytes(hub)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    // Every answer was kept in full on the server, whatever the card shows.
    const stored = ReportDocumentSchema.parse((await h.samhandling.store.read({ partition: "11", id: "report-2027-spring-IN" }))!.doc);
    expect(Object.values(stored.draft!.content.tasks).every((a) => a.comment!.length === locale.length + 1 + 1990)).toBe(true);
  });
});

describe("REPORT_ROUND_OPEN_DAYS", () => {
  it("moves the day a round opens: 8 working days before Vestland's unplanned spring meeting (30 June 2027)", async () => {
    now = DateTime.fromISO("2027-06-10T10:00:00+02:00");
    const h = await startHarness({ ADMIN_AAD_IDS: ADMIN.aadObjectId, REPORT_ROUND_OPEN_DAYS: "8" }, { clock: () => now });
    try {
      const hub = (await invoke(h, ADMIN, "report.open", { regionId: "46", year: 2027, round: "spring", agency: "IN" })).card;
      expect(cardText(hub)).toContain("Åpner 18. juni 2027 · frist 23. juni 2027 · dialogmøtet 30. juni 2027");
      const refused = (await invoke(h, ADMIN, "report.save", { regionId: "46", year: 2027, round: "spring", agency: "IN", actionId: "early", form: "general", tasks: "", summary: "For tidlig" })).card;
      expect(cardText(refused)).toContain("Rapportrunden åpner 18. juni 2027.");
      // A deputy can be named before the round opens (holidays are planned ahead).
      const deputy = executeActions(hub).find((a) => a.verb === "report.deputy")!;
      expect(cardText((await invoke(h, ADMIN, "report.deputy", { ...deputy.data, person: DEPUTY.aadObjectId })).card)).toContain("kan nå svare for Innovasjon Norge");
    } finally {
      await h.close();
    }
  });
});

/**
 * Follow-ups from a newcomer's walk and a review (issue 10): the agreement's task numbers
 * everywhere, «Ikke enig» needs a comment (§3), a meeting not recorded as held, the way back from
 * the hub, at most five deputies, and «vil ikke rapportere» taken back. Vestland on 25 October 2027:
 * the spring meeting was never recorded (latest day 30 June); the autumn meeting is planned for
 * 17 November.
 */
describe("the hub after a newcomer's walk (Vestland, 25 October 2027)", () => {
  let h: Harness;
  const AUTUMN_IN = { ...SPRING_IN, round: "autumn" } as const;
  const AUTUMN_SIVA = { ...AUTUMN_IN, agency: "SIVA" } as const;
  const AUTUMN_NFR = { ...AUTUMN_IN, agency: "NFR" } as const;
  // IN is responsible for tasks 1 and 4 of the agreement.
  const AGREEMENT: AgreementTask[] = [
    { id: "t1", title: "Klyngeprogram for havnæringene", responsible: ["IN"] },
    { id: "t2", title: "Inkubatorprogram i distriktene", responsible: ["SIVA"] },
    { id: "t3", title: "Forskningsmobilisering i bedriftene", responsible: ["NFR"] },
    { id: "t4", title: "Kompetansemobilisering", responsible: ["IN"] },
    { id: "t5", title: "Næringshager", responsible: ["SIVA"] },
  ];
  beforeAll(async () => {
    now = DateTime.fromISO("2027-10-25T10:00:00+02:00");
    h = await startHarness({ ADMIN_AAD_IDS: ADMIN.aadObjectId }, { clock: () => now });
    await grant(h, IN_REP, { kind: "agency-rep", agency: "IN", regionId: "46" });
    await grant(h, SIVA_REP, { kind: "agency-rep", agency: "SIVA", regionId: "46" });
    await grant(h, COORDINATOR, { kind: "region-coordinator", regionId: "46" });
    await record(h.samhandling.store, "national", 2027, ...NATIONAL_MEETINGS_2027);
    await record(h.samhandling.store, "46", 2027, { type: "meeting-planned", meeting: "regional-autumn", date: "2027-11-17" });
    await addTasks(h, "46", 2027, AGREEMENT);
  });
  afterAll(async () => h?.close());

  const open = async (who: Invoker, key: object) => (await invoke(h, who, "report.open", key)).card;
  const reportDoc = async (agency: string, round = "autumn") => {
    const found = await h.samhandling.store.read({ partition: "46", id: `report-2027-${round}-${agency}` });
    return found ? { doc: ReportDocumentSchema.parse(found.doc), etag: found.etag } : undefined;
  };
  const stepState = async (key: string) => (await h.samhandling.app.steps("46", 2027)).find((o) => o.key === key)?.state;
  const taskButtons = (card: unknown) => executeActions(card).filter((a) => a.verb === "report.task");

  it("tasks keep the agreement's numbers on the hub, its buttons and the forms, as the agreement card has them — in nb, nn and en", async () => {
    const hub = await open(IN_REP, AUTUMN_IN);
    const text = cardText(hub);
    expect(text).toContain("❔ 1. Klyngeprogram for havnæringene");
    expect(text).toContain("❔ 4. Kompetansemobilisering");
    expect(text).toContain("▫️ 5. Næringshager");
    expect(taskButtons(hub).map((a) => a.title)).toEqual(["Svar på oppgavene 1, 4", "Svar på oppgavene 2–3, 5"]);
    expect(cardText(cardOf((await h.say("avtale Vestland")).replies[0]))).toContain("4.\u00A0Kompetansemobilisering");

    const form = (await invoke(h, IN_REP, "report.task", taskButtons(hub)[0]!.data)).card;
    checkCard(form);
    expect(cardText(form)).toContain("Oppgavene 1, 4 av 5");
    expect(cardText(form)).toContain("4.\u00A0Kompetansemobilisering");
    // One task: the singular.
    expect(taskButtons(await open(COORDINATOR, AUTUMN_NFR))[0]!.title).toBe("Svar på oppgave 3");

    const nn = await open({ ...IN_REP, locale: "nn-NO" }, AUTUMN_IN);
    expect(taskButtons(nn).map((a) => a.title)).toEqual(["Svar på oppgåvene 1, 4", "Svar på oppgåvene 2–3, 5"]);
    const en = await open({ ...IN_REP, locale: "en-US" }, AUTUMN_IN);
    expect(taskButtons(en).map((a) => a.title)).toEqual(["Answer tasks 1, 4", "Answer tasks 2–3, 5"]);
    expect(cardText((await invoke(h, { ...IN_REP, locale: "en-US" }, "report.task", taskButtons(en)[0]!.data)).card)).toContain("Tasks 1, 4 of 5");
  });

  it("§3: «Ikke enig» needs a comment saying what to change; without one it comes back on the form with the field named, and nothing is written", async () => {
    const general = (await invoke(h, IN_REP, "report.general", AUTUMN_IN)).card;
    const save = executeActions(general).find((a) => a.verb === "report.save")!.data;
    const refused = (await invoke(h, IN_REP, "report.save", { ...save, stance: "disagree", stanceComment: "  " })).card;
    checkCard(refused);
    expect(cardText(refused)).toContain(
      "Skriv hva som må endres i utkastet når dere ikke er enige, så fylkeskommunen vet det før den politiske behandlingen (feltet «Merknader til avtaleutkastet»).",
    );
    expect(executeActions(refused).map((a) => a.verb)).toContain("report.save");
    expect(await reportDoc("IN")).toBeUndefined();
    const saved = (await invoke(h, IN_REP, "report.save", { ...save, stance: "disagree", stanceComment: "Målene for klyngeprogrammet mangler." })).card;
    expect(cardText(saved)).toContain("Syn på avtaleutkastet 2028: Ikke enig – Målene for klyngeprogrammet mangler.");
    // «Enig» needs none.
    expect(cardText((await invoke(h, IN_REP, "report.save", { ...save, actionId: "agree", stance: "agree", stanceComment: "" })).card)).toContain("Syn på avtaleutkastet 2028: Enig");
  });

  it("a meeting whose day has passed but is not recorded as held: the hub says so, and who records it with which button", async () => {
    const nb = cardText(await open(IN_REP, SPRING_IN));
    expect(nb).toContain(
      "Fristen var 23. juni 2027. Dialogmøtet 30. juni 2027 er ikke registrert som holdt, så svar tas imot, merket som for sent, til regionkoordinatoren trykker «Møtet er holdt» på statuskortet.",
    );
    expect(nb).not.toContain("fram til dialogmøtet");
    expect(cardText(await open({ ...IN_REP, locale: "nn-NO" }, SPRING_IN))).toContain("til regionkoordinatoren trykkjer «Møtet er halde» på statuskortet.");
    expect(cardText(await open({ ...IN_REP, locale: "en-US" }, SPRING_IN))).toContain("until the region coordinator presses “Meeting held” on the status card.");
    // An answer is still taken, marked late.
    const { card } = { card: (await invoke(h, IN_REP, "report.task", taskButtons(await open(IN_REP, SPRING_IN))[0]!.data)).card };
    const save = executeActions(card).find((a) => a.verb === "report.save")!.data;
    expect(cardText((await invoke(h, IN_REP, "report.save", { ...save, "status-t1": "delayed" })).card)).toContain("Utkastet er lagret.");
  });

  it("the hub has a way back, side by side: the region's status card and the round's summary", async () => {
    const hub = await open(SIVA_REP, AUTUMN_SIVA);
    const back = (hub.body as Array<{ type: string; actions?: Array<{ verb?: string; title: string; data: object }> }>).at(-1)!;
    expect(back.type).toBe("ActionSet");
    expect(back.actions!.map((a) => [a.verb, a.title])).toEqual([
      ["status.refresh", "Til statuskortet"],
      ["report.summary", "Se sammendraget"],
    ]);
    const status = (await invoke(h, SIVA_REP, "status.refresh", back.actions![0]!.data)).card;
    expect(executeActions(status).some((a) => a.verb === "report.open" && a.data.agency === "SIVA")).toBe(true);
    const summary = (await invoke(h, SIVA_REP, "report.summary", back.actions![1]!.data)).card;
    checkCard(summary);
    expect(executeActions(summary).map((a) => a.verb)).toContain("report.export");
  });

  it("at most five deputies per report: a sixth is refused with the reason, nothing is written, and the picker gives way to the reason", async () => {
    const deputy = (i: number) => `00000000-0000-0000-0000-0000000002d${i}`;
    let hub = await open(IN_REP, AUTUMN_IN);
    for (let i = 1; i <= 5; i++) hub = (await invoke(h, IN_REP, "report.deputy", { ...executeActions(hub).find((a) => a.verb === "report.deputy")!.data, person: deputy(i) })).card;
    const full = "Innovasjon Norge har 5 stedfortredere denne runden, så mange det kan være. Fjern en for å gi en annen tilgang.";
    checkCard(hub);
    expect(peoplePickers(hub)).toHaveLength(0);
    expect(executeActions(hub).map((a) => a.verb)).not.toContain("report.deputy");
    expect(cardText(hub)).toContain(full);
    const before = (await reportDoc("IN"))!;
    expect(before.doc.deputies).toHaveLength(5);
    const sixth = (await invoke(h, IN_REP, "report.deputy", { ...AUTUMN_IN, actionId: "sixth-deputy", person: deputy(6) })).card;
    expect(cardText(sixth)).toContain(full);
    expect((await reportDoc("IN"))!.etag).toBe(before.etag);
    // Removing one makes room again.
    const remove = executeActions(hub).find((a) => a.verb === "report.deputy.remove")!;
    const room = (await invoke(h, IN_REP, "report.deputy.remove", remove.data)).card;
    expect(peoplePickers(room)).toHaveLength(1);
  });

  it("«vil ikke rapportere» is taken back by the coordinator: the step is asked for again (reminders resume), it can be marked again, and the history shows each", async () => {
    const hub = await open(COORDINATOR, AUTUMN_NFR);
    const waived = (await invoke(h, COORDINATOR, "report.waive", { ...executeActions(hub).find((a) => a.verb === "report.waive")!.data, reason: "Feil aktør merket." })).card;
    expect(await stepState("follow-up-report-autumn:NFR")).toBe("not-applicable");
    const undo = executeActions(waived).find((a) => a.verb === "report.waive.undo")!;
    expect(undo.title).toBe("Angre «vil ikke rapportere»");
    // Not the agency's contact's to press (the same people who may mark it).
    expect(executeActions(await open(IN_REP, AUTUMN_NFR)).map((a) => a.verb)).not.toContain("report.waive.undo");
    const byRep = (await invoke(h, IN_REP, "report.waive.undo", { ...undo.data, actionId: "rep-undoes" })).card;
    expect(cardText(byRep)).toContain("Bare regionkoordinatoren og administratorer kan merke");
    expect(await stepState("follow-up-report-autumn:NFR")).toBe("not-applicable");

    const undone = (await invoke(h, COORDINATOR, "report.waive.undo", undo.data)).card;
    checkCardWithPeoplePicker(undone);
    expect(cardText(undone)).toContain("«Vil ikke rapportere» er tatt bort: Forskningsrådet skal rapportere denne runden, og påminnelsene fortsetter.");
    expect(cardText(undone)).not.toContain("➖ Vil ikke rapportere denne runden");
    expect(executeActions(undone).map((a) => a.verb)).toEqual(expect.arrayContaining(["report.task", "report.submit", "report.waive"]));
    expect(await stepState("follow-up-report-autumn:NFR")).toBe("open");
    const after = (await reportDoc("NFR"))!;
    expect(after.doc.willNotReport).toBeUndefined();
    const cycleEvents = async () => (await loadCycles(h.samhandling.store, [{ regionId: "46", year: 2027 }]))[0]!.events.map((e) => e.data.type);
    // The same click again: nothing more written.
    await invoke(h, COORDINATOR, "report.waive.undo", undo.data);
    expect((await reportDoc("NFR"))!.etag).toBe(after.etag);
    expect((await cycleEvents()).filter((t) => t === "event-undone")).toHaveLength(1);

    // Marked again later: a new waiver, and an old undo click retried does not take it back.
    await invoke(h, COORDINATOR, "report.waive", { ...executeActions(undone).find((a) => a.verb === "report.waive")!.data, reason: "Ingen aktivitet i fylket i år." });
    await invoke(h, COORDINATOR, "report.waive.undo", undo.data);
    expect(await stepState("follow-up-report-autumn:NFR")).toBe("not-applicable");
    expect((await cycleEvents()).filter((t) => t === "follow-up-report-waived")).toHaveLength(2);
    expect((await cycleEvents()).filter((t) => t === "event-undone")).toHaveLength(1);
    const history = cardText(cardOf((await h.say("historikk Vestland")).replies[0]));
    expect(history).toContain("↩️ Angret: Forskningsrådet vil ikke rapportere");
    expect(history.match(/Forskningsrådet vil ikke rapportere/g)).toHaveLength(3);
  });
});
