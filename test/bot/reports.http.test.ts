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
import { checkCard, checkCardWithPeoplePicker, peoplePickers } from "../support/card-check.js";
import { NATIONAL_MEETINGS_2027, record } from "../support/events.js";
import { cardText, startHarness, type Harness } from "../support/harness.js";
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
    expect(cardText(card)).toContain("Oppgave 1–2 av 3");
    const hub = (await invoke(h, IN_REP, "report.save", { ...save, "status-t1": "on-track", "comment-t1": "Tre nye klyngeprosjekter i 2027.", "status-t2": "", "comment-t2": "" })).card;
    const text = cardText(hub);
    expect(text).toContain("Utkastet er lagret.");
    expect(text).toContain("🟢 1. Klyngeprogram for havnæringene");
    expect(text).toContain("I rute – Tre nye klyngeprosjekter i 2027.");
    expect(text).toContain("📝 Utkast lagret, ikke sendt inn ennå.");

    const viewer = await open(VIEWER);
    checkCard(viewer);
    expect(cardText(viewer)).not.toContain("Tre nye klyngeprosjekter");
    // No buttons; only the card's own refresh, so the viewer's copy stays current.
    expect(executeActions(viewer.body).map((a) => a.verb)).toEqual([]);
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
      "Bare fylkeskommunens koordinator og administratorer kan merke",
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
    expect(text).toContain("Syn på avtaleutkastet 2028: ikke skrevet");
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

describe("the report cards at their largest: 20 tasks, 2 000-character comments, in nb, nn and en", () => {
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
    checkCardWithPeoplePicker(hub);
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
