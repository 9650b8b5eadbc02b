// @vitest-environment jsdom
/**
 * Issue 10 end to end: Vestland's year of follow-up reports, spring (§3.1) and autumn (§3.2)
 * 2027, through real HTTP with the fake connector and a moving clock — once on SQLite, once on
 * the Cosmos DB emulator. Everything a person does goes through a message or a card's button;
 * only what other parts of the wheel would record (meetings planned and held) is written straight
 * into the store.
 *
 * Worked out by hand (working days without Easter 25, 26 and 29 March 2027):
 * - spring: the dialogue meeting Friday 23 April; reports due Friday 16 April (a week before);
 *   the round opens 20 working days before the meeting, Tuesday 23 March (without Easter it
 *   would be Friday 26 March); the reminder 10 working days later, Friday 9 April; overdue and
 *   the coordinator's word on the round on the first run after the due day, Monday 19 April.
 * - autumn: the meeting Thursday 18 November; due Thursday 11 November; opens Thursday 21
 *   October; reminder Thursday 4 November; the coordinator's word Friday 12 November.
 */
import { parse } from "csv-parse/sync";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCycles } from "../../src/app/cycles.js";
import { loadAgreement } from "../../src/app/report-store.js";
import type { IsoDate } from "../../src/domain/calendar.js";
import type { Round } from "../../src/domain/process.js";
import type { AgencyId } from "../../src/domain/regions.js";
import { ReportDocumentSchema } from "../../src/store/records.js";
import { checkCard, checkCardWithPeoplePicker, peoplePickers } from "../support/card-check.js";
import { startCosmosEmulator, type CosmosEmulator } from "../support/cosmos-emulator.js";
import { record } from "../support/events.js";
import type { PostedActivity } from "../support/fake-connector.js";
import { cardOf, cardText, startHarness, type Harness, type SayOptions, type TeamsUser } from "../support/harness.js";
import { executeActions, invoke, openUrls, type Invoker } from "../support/invoke.js";
import { ADMIN, chatOf, chatWith, digestHeadings, grant, isDigest, person, reportHubTitle, RUN_KEY, runNudges } from "../support/nudging.js";
import { docxText } from "../exports/read-back.js";

const PUBLIC = "https://samhandling.example.no";
const KOORD = person(4601, "Kari Koordinator");
const IN_REP = person(4602, "Ingrid Innovasjon");
const SIVA_REP = person(4603, "Sivert Siva");
const SIVA_DEPUTY = person(4604, "Dag Vikar");
const NFR_REP = person(4605, "Nora Forsk");
const VIEWER = person(4606, "Vera Viewer");
const PEOPLE = [KOORD, IN_REP, SIVA_REP, SIVA_DEPUTY, NFR_REP, VIEWER, ADMIN];
const CHANNEL = "19:vestland-samhandling@thread.tacv2";

/** The person clicking in their 1:1 chat with the bot. */
const as = (user: TeamsUser, locale = "nb-NO"): Invoker => ({ aadObjectId: user.aadObjectId!, name: user.name, locale, conversationId: chatOf(user) });
const key = (round: Round, agency: AgencyId) => ({ regionId: "46", year: 2027, round, agency });
const action = (card: unknown, verb: string) => executeActions(card).find((a) => a.verb === verb);

/** What a person types in a task's form, and in the round's general form. */
interface Answers {
  tasks?: Record<string, [status: string, comment?: string]>;
  summary?: string;
  expectations?: string;
  stance?: string;
  stanceComment?: string;
}

describe.each(["sqlite", "cosmos"] as const)("a year of follow-up reports in Vestland, 2027 (%s)", (storeKind) => {
  let h: Harness;
  let emulator: CosmosEmulator | undefined;
  let now = DateTime.fromISO("2027-03-15T10:00:00", { zone: "Europe/Oslo" });
  const on = (date: IsoDate, time = "10:00") => (now = DateTime.fromISO(`${date}T${time}`, { zone: "Europe/Oslo" }));
  const store = () => h.samhandling.store;

  /** Cards about report rounds each person got from the nudge run of `date` (their hubs' titles and digest headings). */
  const told = new Map<string, string[]>();
  let seen = 0;
  async function nudgeRun(date: IsoDate) {
    on(date, "09:00");
    const summary = await runNudges(h);
    expect(summary).toMatchObject({ errors: 0, deferred: 0 });
    told.clear();
    for (const p of h.connector.posted.slice(seen)) {
      const name = p.conversationId === CHANNEL ? "kanalen" : (PEOPLE.find((x) => chatOf(x) === p.conversationId)?.name ?? p.conversationId);
      for (const line of reportLines(p)) told.set(name, [...(told.get(name) ?? []), line]);
    }
    seen = h.connector.posted.length;
  }
  /** The last report hub the run posted to a person, as Teams shows it. */
  const hubPostedTo = (user: TeamsUser) => cardOf(h.connector.to(chatOf(user)).filter((p) => reportHubTitle(p)).at(-1));

  /** Fills the hub's task forms and its general form as a person would, each «Lagre» a draft; the hub comes back each time. */
  async function answer(who: TeamsUser, hub: unknown, answers: Answers): Promise<any> {
    let card = hub;
    for (const button of executeActions(hub).filter((a) => a.verb === "report.task")) {
      const form = (await invoke(h, as(who), "report.task", button.data)).card;
      checkCard(form);
      const save = action(form, "report.save")!.data;
      const inputs = Object.fromEntries(
        String(save.tasks)
          .split(",")
          .flatMap((id) => (answers.tasks?.[id] ? [[`status-${id}`, answers.tasks[id]![0]], [`comment-${id}`, answers.tasks[id]![1] ?? ""]] : [])),
      );
      if (Object.keys(inputs).length === 0) continue;
      card = (await invoke(h, as(who), "report.save", { ...save, ...inputs })).card;
      expect(cardText(card)).toContain("Utkastet er lagret.");
    }
    const { tasks: _, ...general } = answers;
    if (Object.keys(general).length > 0) {
      const form = (await invoke(h, as(who), "report.general", action(card, "report.general")!.data)).card;
      checkCard(form);
      card = (await invoke(h, as(who), "report.save", { ...action(form, "report.save")!.data, ...general })).card;
      expect(cardText(card)).toContain("Utkastet er lagret.");
    }
    return card;
  }
  async function submit(who: TeamsUser, hub: unknown) {
    const data = action(hub, "report.submit")!.data;
    const answer = await invoke(h, as(who), "report.submit", data);
    expect(answer.status).toBe(200);
    // The agency's own contact may name a deputy from the hub (a people picker); the deputy may not.
    if (peoplePickers(answer.card).length > 0) checkCardWithPeoplePicker(answer.card);
    else checkCard(answer.card);
    return { card: answer.card, data };
  }
  const reportDoc = async (round: Round, agency: AgencyId) => {
    const found = await store().read({ partition: "46", id: `report-2027-${round}-${agency}` });
    return found ? ReportDocumentSchema.parse(found.doc) : undefined;
  };
  const cycleEvents = async () => (await loadCycles(store(), [{ regionId: "46", year: 2027 }]))[0]!.events;
  const say = async (text: string, options: SayOptions) => {
    const { status, replies } = await h.say(text, options);
    expect(status).toBe(200);
    return cardOf(replies.at(-1));
  };

  beforeAll(async () => {
    const env: Record<string, string> = { NUDGE_RUN_KEY: RUN_KEY, ADMIN_AAD_IDS: ADMIN.aadObjectId!, PUBLIC_BASE_URL: PUBLIC };
    if (storeKind === "cosmos") {
      emulator = await startCosmosEmulator();
      Object.assign(env, { STORE: "cosmos", COSMOS_ENDPOINT: emulator.endpoint, COSMOS_KEY: emulator.key });
    }
    h = await startHarness(env, { clock: () => now });
    await grant(h, KOORD, { kind: "region-coordinator", regionId: "46" });
    await grant(h, IN_REP, { kind: "agency-rep", agency: "IN", regionId: "46" });
    await grant(h, SIVA_REP, { kind: "agency-rep", agency: "SIVA", regionId: "46" });
    await grant(h, NFR_REP, { kind: "agency-rep", agency: "NFR", regionId: "46" });
    // Everyone has written to the bot once, which is how it learns where to reach them.
    for (const p of PEOPLE) await chatWith(h, p);
    for (const p of PEOPLE) h.connector.members.set(p.id, { id: p.id, name: p.name, aadObjectId: p.aadObjectId! });
    expect(cardText(await say("bind Vestland", { conversationType: "channel", conversationId: CHANNEL, mention: true, from: ADMIN }))).toContain("Vestland");
    // What the rest of the wheel records: RUK AU's spring meeting held (§1), Vestland's spring dialogue meeting planned and convened.
    await record(store(), "national", 2027, { type: "invitations-sent", meeting: "national-spring", date: "2027-02-01" }, { type: "meeting-held", meeting: "national-spring", date: "2027-03-10" });
    await record(store(), "46", 2027, { type: "meeting-planned", meeting: "regional-spring", date: "2027-04-23" }, { type: "invitations-sent", meeting: "regional-spring", date: "2027-03-12" });
    seen = h.connector.posted.length;
  }, 30_000);
  afterAll(async () => {
    await h?.close();
    await emulator?.close();
  });

  it("15 March: the coordinator pastes the agreement's tasks; the preview names the wrong agency, and saving adds the rest", async () => {
    on("2027-03-15");
    const agreement = await say("avtale", { from: KOORD, conversationId: chatOf(KOORD) });
    expect(cardText(agreement)).toContain("Samarbeidsavtale 2027 – Vestland");
    const pasteButton = executeActions(agreement).find((a) => a.title === "Lim inn flere")!;
    const form = (await invoke(h, as(KOORD), pasteButton.verb, pasteButton.data)).card;
    checkCard(form);
    const paste = [
      "Klyngeprogram for havnæringene; IN",
      "Inkubatorer i distriktene; SIVA",
      "Forskningsmobilisering i næringslivet; Forskningsrådet",
      "Felles mobilisering til EU-programmer; IN, SIVA, NFR",
      "Grønn omstilling i industrien; Innovasjon",
    ].join("\n");
    const preview = (await invoke(h, as(KOORD), "agreement.paste.preview", { ...action(form, "agreement.paste.preview")!.data, paste })).card;
    checkCard(preview);
    expect(cardText(preview)).toContain("4 linjer kan legges til:");
    expect(cardText(preview)).toContain("Linje 5: kjenner ikke igjen «Innovasjon».");
    const save = action(preview, "agreement.paste.save")!;
    expect(save.title).toBe("Lagre 4 oppgaver");
    const saved = (await invoke(h, as(KOORD), "agreement.paste.save", { ...save.data, paste })).card;
    expect(cardText(saved)).toContain("✅ 4 oppgaver er lagt til.");
    expect((await loadAgreement(store(), "46", 2027)).state.tasks.map((t) => `${t.id} ${t.title}: ${t.responsible.join(",")}`)).toEqual([
      "t1 Klyngeprogram for havnæringene: IN",
      "t2 Inkubatorer i distriktene: SIVA",
      "t3 Forskningsmobilisering i næringslivet: NFR",
      "t4 Felles mobilisering til EU-programmer: IN,SIVA,NFR",
    ]);
  });

  it("§3.1 the spring round opens on Tuesday 23 March: Monday's run sends no hub; Tuesday's sends one per agency, to its contact", async () => {
    await nudgeRun("2027-03-22");
    expect(Object.fromEntries(told)).toEqual({});
    await nudgeRun("2027-03-23");
    expect(Object.fromEntries(told)).toEqual({
      [IN_REP.name]: ["Oppfølgingsrapport vår 2027 · Innovasjon Norge · Vestland"],
      [SIVA_REP.name]: ["Oppfølgingsrapport vår 2027 · SIVA · Vestland"],
      [NFR_REP.name]: ["Oppfølgingsrapport vår 2027 · Forskningsrådet · Vestland"],
      // The channel bound to Vestland follows its region's round, in the county's nynorsk.
      kanalen: ["🔵 Oppfølgingsrapport (vår) – Innovasjon Norge", "🔵 Oppfølgingsrapport (vår) – Forskningsrådet", "🔵 Oppfølgingsrapport (vår) – SIVA"],
    });
    const hub = hubPostedTo(IN_REP);
    checkCardWithPeoplePicker(hub);
    expect(cardText(hub)).toContain("Frist 16. april 2027 · dialogmøtet 23. april 2027");
    expect(cardText(hub)).toContain("2 oppgaver for Innovasjon Norge, 0 besvart");
  });

  it("24–25 March: IN saves a draft that nobody else sees, then submits", async () => {
    on("2027-03-24");
    const draft = await answer(IN_REP, hubPostedTo(IN_REP), {
      tasks: { t1: ["on-track", "Tre nye klyngeprosjekter."] },
      summary: "God framdrift i klyngene.",
      expectations: "Mangel på arbeidskraft i havnæringene.",
    });
    expect(cardText(draft)).toContain("📝 Ikke sendt inn ennå: trykk «Send inn» når rapporten er klar.");
    // Submitting with an own task unanswered is refused, and names it.
    expect(cardText((await submit(IN_REP, draft)).card)).toContain("«Felles mobilisering til EU-programmer»");
    expect((await reportDoc("spring", "IN"))!.versions).toEqual([]);
    const summary = cardText(await say("rapport vår", { conversationType: "channel", conversationId: CHANNEL, mention: true, from: VIEWER }));
    // Before the due day a report not in yet is not yet late: no ❌.
    expect(summary).toContain("⏳ **Innovasjon Norge** – ikke levert ennå");
    expect(summary).not.toContain("Tre nye klyngeprosjekter");

    on("2027-03-25");
    const hub = (await invoke(h, as(IN_REP), "report.open", key("spring", "IN"))).card;
    const done = await answer(IN_REP, hub, { tasks: { t4: ["delayed", "Venter på utlysningen."] } });
    const { card } = await submit(IN_REP, done);
    expect(cardText(card)).toContain("✅ Rapporten er sendt inn.");
    expect(cardText(card)).toContain("✅ Sendt inn 25. mars 2027 av Ingrid Innovasjon");
  });

  it("26–31 March: SIVA's contact names a deputy, who gets the hub with the next run and answers for SIVA", async () => {
    on("2027-03-26");
    const deputy = action(hubPostedTo(SIVA_REP), "report.deputy")!;
    const named = (await invoke(h, as(SIVA_REP), "report.deputy", { ...deputy.data, person: SIVA_DEPUTY.aadObjectId })).card;
    expect(cardText(named)).toContain("kan nå svare for SIVA i denne runden.");
    // 29 March is Easter Monday: the next run is on Tuesday.
    await nudgeRun("2027-03-30");
    expect(Object.fromEntries(told)).toEqual({ [SIVA_DEPUTY.name]: ["Oppfølgingsrapport vår 2027 · SIVA · Vestland"] });

    on("2027-03-31");
    const hub = await answer(SIVA_DEPUTY, hubPostedTo(SIVA_DEPUTY), {
      tasks: { t2: ["on-track"], t4: ["on-track", "Tre søknader sendt."] },
      expectations: "Flere inkubatorer trenger areal.",
    });
    const { card } = await submit(SIVA_DEPUTY, hub);
    expect(cardText(card)).toContain("✅ Sendt inn 31. mars 2027 av Dag Vikar");
    expect((await reportDoc("spring", "SIVA"))!.versions.map((v) => v.by.name)).toEqual(["Dag Vikar"]);
  });

  it("§3.1 9 April: only Forskningsrådet, which has not answered, is reminded", async () => {
    await nudgeRun("2027-04-09");
    expect(Object.fromEntries(told)).toEqual({
      [NFR_REP.name]: ["🟠 Påminnelse: Oppfølgingsrapport (vår) – Forskningsrådet · Vestland"],
      kanalen: ["🟠 Påminning: Oppfølgingsrapport (vår) – Forskningsrådet"],
    });
  });

  it("12 April: IN edits its submitted report; viewers see the submitted answer until it is sent again, and both versions are kept", async () => {
    on("2027-04-12");
    const hub = (await invoke(h, as(IN_REP), "report.open", key("spring", "IN"))).card;
    const edited = await answer(IN_REP, hub, { tasks: { t1: ["done", "Fullført."] } });
    expect(cardText(edited)).toContain("Endret etter innsendingen.");
    const before = cardText(await say("rapport vår", { conversationType: "channel", conversationId: CHANNEL, mention: true, from: VIEWER }));
    expect(before).toContain("Tre nye klyngeprosjekter.");
    expect(before).not.toContain("Fullført.");
    const resubmit = action(edited, "report.submit")!;
    expect(resubmit.title).toBe("Send inn på nytt");
    await submit(IN_REP, edited);
    expect((await reportDoc("spring", "IN"))!.versions.map((v) => `${v.submittedAt.slice(0, 10)} ${v.content.tasks.t1?.status}`)).toEqual(["2027-03-25 on-track", "2027-04-12 done"]);
  });

  it("§3.1 19 April, after the due day: Forskningsrådet is told it is overdue, and the coordinator who is missing — once", async () => {
    await nudgeRun("2027-04-19");
    expect(Object.fromEntries(told)).toEqual({
      [NFR_REP.name]: ["🔴 Forfalt: Oppfølgingsrapport (vår) – Forskningsrådet · Vestland"],
      [KOORD.name]: ["🔴 Forfalt: Oppfølgingsrapport (vår) – Forskningsrådet · Vestland", "📋 Etter fristen: Oppfølgingsrapport (vår) · Vestland"],
      kanalen: ["🔴 Forfallen: Oppfølgingsrapport (vår) – Forskningsrådet"],
    });
    const koord = cardText(cardOf(h.connector.to(chatOf(KOORD)).filter(isDigest).at(-1)));
    expect(koord).toContain("Fristen var 16. april 2027. Én rapport mangler: Forskningsrådet.");
  });

  it("20 April: Forskningsrådet answers late, marked late; a replayed submit writes nothing twice; the next run says nothing more", async () => {
    on("2027-04-20");
    const hub = (await invoke(h, as(NFR_REP), "report.open", key("spring", "NFR"))).card;
    expect(cardText(hub)).toContain("Fristen var 16. april 2027.");
    const filled = await answer(NFR_REP, hub, { tasks: { t3: ["not-started", "Oppstart til høsten."], t4: ["on-track"] }, expectations: "Behov for flere forskere i næringslivet." });
    const { card, data } = await submit(NFR_REP, filled);
    expect(cardText(card)).toContain("Rapporten er sendt inn etter fristen og er merket som for sent.");
    // Teams retries an invoke it got no answer to in time: the same action id again.
    const before = { report: await reportDoc("spring", "NFR"), events: (await cycleEvents()).length };
    const replay = await invoke(h, as(NFR_REP), "report.submit", data);
    expect(replay.status).toBe(200);
    expect(cardText(replay.card)).toContain("Sendt inn 20. april 2027");
    expect(await reportDoc("spring", "NFR")).toEqual(before.report);
    expect((await cycleEvents()).length).toBe(before.events);
    expect(before.report!.versions.map((v) => v.late)).toEqual([true]);

    await nudgeRun("2027-04-20");
    expect(Object.fromEntries(told)).toEqual({});
  });

  it("23 April: the meeting is held; the spring summary lists every agency's answer, the late one marked", async () => {
    on("2027-04-23", "15:00");
    await record(store(), "46", 2027, { type: "meeting-held", meeting: "regional-spring", date: "2027-04-23" });
    const card = await say("rapport vår", { conversationType: "channel", conversationId: CHANNEL, mention: true, from: VIEWER });
    checkCard(card);
    const text = cardText(card);
    expect(text).toContain("Vestland: oppfølgingsrapporter vår 2027");
    expect(text).toContain("✅ **Innovasjon Norge** – levert 12. april 2027 av Ingrid Innovasjon");
    expect(text).toContain("✅ **SIVA** – levert 31. mars 2027 av Dag Vikar");
    expect(text).toContain("⏰ **Forskningsrådet** – levert for sent 20. april 2027 av Nora Forsk");
    expect(text).toContain("✅ **Innovasjon Norge**: fullført – Fullført.");
    expect(text).toContain("**SIVA**: Flere inkubatorer trenger areal.");
    // Last autumn nobody reported: nothing to compare with, which is not «nothing changed».
    expect(text).toContain("Første runde med rapporter – ingenting å sammenligne med.");
  });

  it("1 October: the coordinator copies the tasks into the draft of agreement 2028", async () => {
    on("2027-10-01");
    const draft = (await invoke(h, as(KOORD), "agreement.open", { regionId: "46", year: 2028 })).card;
    const copy = action(draft, "agreement.copy")!;
    expect(copy.title).toBe("Kopier oppgavene fra 2027");
    expect(cardText((await invoke(h, as(KOORD), "agreement.copy", copy.data)).card)).toContain("✅ 4 oppgaver er kopiert fra avtalen for 2027.");
    expect((await loadAgreement(store(), "46", 2028)).state.tasks.map((t) => t.title)).toEqual((await loadAgreement(store(), "46", 2027)).state.tasks.map((t) => t.title));
  });

  it("§3.2 the autumn round opens on Thursday 21 October, not the day before; the deputy was for spring only", async () => {
    await record(store(), "46", 2027, { type: "meeting-planned", meeting: "regional-autumn", date: "2027-11-18" });
    await nudgeRun("2027-10-20");
    expect(Object.fromEntries(told)).toEqual({});
    await nudgeRun("2027-10-21");
    expect(Object.fromEntries(told)).toEqual({
      [IN_REP.name]: ["Oppfølgingsrapport høst 2027 · Innovasjon Norge · Vestland"],
      [SIVA_REP.name]: ["Oppfølgingsrapport høst 2027 · SIVA · Vestland"],
      [NFR_REP.name]: ["Oppfølgingsrapport høst 2027 · Forskningsrådet · Vestland"],
      kanalen: ["🔵 Oppfølgingsrapport (haust) – Innovasjon Norge", "🔵 Oppfølgingsrapport (haust) – Forskningsrådet", "🔵 Oppfølgingsrapport (haust) – SIVA"],
    });
    // Pre-filled from the agency's spring answers.
    expect(cardText(hubPostedTo(IN_REP))).toContain("Forhåndsutfylt fra forrige runde.");
  });

  it("22 October: the coordinator marks Forskningsrådet «vil ikke rapportere»", async () => {
    on("2027-10-22");
    const hub = (await invoke(h, as(KOORD), "report.open", key("autumn", "NFR"))).card;
    const waived = (await invoke(h, as(KOORD), "report.waive", { ...action(hub, "report.waive")!.data, reason: "Ingen utlysninger i fylket i høst." })).card;
    expect(cardText(waived)).toContain("Forskningsrådet er merket med «vil ikke rapportere». Påminnelsene stopper.");
  });

  it("28 October – 4 November: SIVA answers and agrees to the draft; the reminder goes to IN only", async () => {
    on("2027-10-28");
    const filled = await answer(SIVA_REP, hubPostedTo(SIVA_REP), { tasks: { t2: ["done", "To nye inkubatorer åpnet."] }, summary: "Godt år.", stance: "agree" });
    expect(cardText((await submit(SIVA_REP, filled)).card)).toContain("✅ Rapporten er sendt inn.");
    await nudgeRun("2027-11-04");
    expect(Object.fromEntries(told)).toEqual({
      [IN_REP.name]: ["🟠 Påminnelse: Oppfølgingsrapport (høst) – Innovasjon Norge · Vestland"],
      kanalen: ["🟠 Påminning: Oppfølgingsrapport (haust) – Innovasjon Norge"],
    });
  });

  it("8 November: IN answers, agreeing with comments", async () => {
    on("2027-11-08");
    const filled = await answer(IN_REP, hubPostedTo(IN_REP), {
      tasks: { t4: ["on-track", "Utlysningen kom i juni."] },
      stance: "agree-with-comments",
      stanceComment: "Ønsker tydeligere mål for klyngene.",
    });
    expect(cardText((await submit(IN_REP, filled)).card)).toContain("✅ Rapporten er sendt inn.");
  });

  it("§3.2 12 November, after the due day: the coordinator hears once that all reports are in; nobody is told it is overdue", async () => {
    await nudgeRun("2027-11-12");
    expect(Object.fromEntries(told)).toEqual({ [KOORD.name]: ["✅ Etter fristen: Oppfølgingsrapport (høst) · Vestland"] });
    const koord = cardText(cardOf(h.connector.to(chatOf(KOORD)).filter(isDigest).at(-1)));
    expect(koord).toContain("Begge rapportene er inne til dialogmøtet 18. november 2027.");
    expect(koord).toContain("Vil ikke rapportere: Forskningsrådet.");
    // §3 omforent before the political treatment: the status card's draft line names who has agreed.
    // Forskningsrådet was marked «vil ikke rapportere»: named as such, not as «ikke svart».
    expect(cardText((await invoke(h, as(KOORD), "status.refresh", { regionId: "46" })).card)).toContain(
      "Omforent: Innovasjon Norge ✔ · SIVA ✔ · Forskningsrådet – rapporterer ikke",
    );
    await nudgeRun("2027-11-15");
    expect(Object.fromEntries(told)).toEqual({});
  });

  let links: Array<{ title: string; url: string }>;
  it("«rapport høst»: the summary shows the stances, who will not report, and what changed since spring", async () => {
    on("2027-11-15", "10:00");
    const card = await say("rapport høst", { conversationType: "channel", conversationId: CHANNEL, mention: true, from: VIEWER });
    checkCard(card);
    const text = cardText(card);
    expect(text).toContain("Vestland: oppfølgingsrapporter høst 2027");
    expect(text).toContain("✅ **Innovasjon Norge** – levert 8. november 2027 av Ingrid Innovasjon");
    expect(text).toContain("✅ **SIVA** – levert 28. oktober 2027 av Sivert Siva");
    expect(text).toContain("Ingen utlysninger i fylket i høst.");
    expect(text).toContain("Syn på utkastet til samarbeidsavtale 2028 (§ 3.2)");
    expect(text).toContain("Hva er endret siden forrige runde");
    expect(text).toContain("**2. Inkubatorer i distriktene**: SIVA i rute → ✅ fullført");
    // Forskningsrådet will not report: its task and its stance say so, and why the draft is not omforent (§3).
    expect(text).toContain("➖ **Forskningsrådet**: rapporterer ikke");
    expect(text).toContain("**Forskningsrådet**: ➖ rapporterer ikke");
    expect(text).not.toContain("ikke svart");
    expect(text).toContain("**Omforent: nei** – ikke alle partene har sagt seg enige ennå. Forskningsrådet rapporterer ikke denne runden.");
    expect(text).toContain("**4. Felles mobilisering til EU-programmer**: Innovasjon Norge forsinket → 🟢 i rute");

    const exports = executeActions(card).filter((a) => a.verb === "report.export");
    expect(exports.map((a) => a.title)).toEqual(["Word", "Excel (CSV)", "Markdown"]);
    const answer = await invoke(h, { ...as(VIEWER), conversationType: "channel", conversationId: CHANNEL }, "report.export", exports[0]!.data);
    checkCard(answer.card);
    links = openUrls(answer.card);
    expect(links.map((l) => l.title)).toEqual(["Word", "Excel (CSV)", "Markdown"]);
  });

  /** A link's path and query asked of this app (PUBLIC_BASE_URL is its address as Teams users reach it). */
  const download = (url: string) => fetch(`${h.url}${url.slice(PUBLIC.length)}`);

  it("each export downloaded through its signed link reads back with every answer, who gave it and when", async () => {
    const docx = await download(links[0]!.url);
    expect(docx.status).toBe(200);
    const text = docxText(new Uint8Array(await docx.arrayBuffer()));
    expect(text).toContain("Oppfølging av samarbeidsavtalen – Vestland, høst 2027");
    expect(text).toContain("Innovasjon Norge: levert 8. november 2027");
    expect(text).toContain("Forskningsrådet: vil ikke rapportere: Ingen utlysninger i fylket i høst.");
    expect(text).toContain("Ønsker tydeligere mål for klyngene.");

    const csv = await download(links[1]!.url);
    const rows: string[][] = parse(Buffer.from(await csv.arrayBuffer()).toString("utf8"), { delimiter: ";", bom: true });
    expect(rows[0]).toEqual(["Nr.", "Oppgave", "Part", "Status", "Kommentar", "Svart av", "Svart", "For sent"]);
    expect(rows.slice(1).map((r) => `${r[0]} ${r[2]}: ${r[3]} – ${r[5]} ${r[6]}`)).toEqual(expect.arrayContaining([
      "1 Innovasjon Norge: fullført – Ingrid Innovasjon 08.11.2027 10:00",
      "2 SIVA: fullført – Sivert Siva 28.10.2027 10:00",
      "4 Innovasjon Norge: i rute – Ingrid Innovasjon 08.11.2027 10:00",
      "4 SIVA: i rute – Sivert Siva 28.10.2027 10:00",
    ]));
    // Every task of the agreement is in the sheet: task 3 is Forskningsrådet's alone, and it will not report.
    expect(new Set(rows.slice(1).map((r) => r[0]))).toEqual(new Set(["1", "2", "3", "4"]));
    expect(rows.filter((r) => r[2] === "Forskningsrådet").map((r) => `${r[0]} ${r[3]}: ${r[4]}`)).toEqual([
      "3 vil ikke rapportere: Ingen utlysninger i fylket i høst.",
      "4 vil ikke rapportere: Ingen utlysninger i fylket i høst.",
    ]);

    const md = await (await download(links[2]!.url)).text();
    expect(md).toContain("# Oppfølging av samarbeidsavtalen – Vestland, høst 2027");
    expect(md).toContain("**Forskningsrådet:** vil ikke rapportere: Ingen utlysninger i fylket i høst.");
  });

  it("a tampered link and an expired one answer 403, and no file", async () => {
    const tampered = new URL(links[1]!.url);
    tampered.searchParams.set("round", "spring");
    const refused = await download(tampered.toString());
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "LINK_INVALID" } });
    now = now.plus({ minutes: 16 });
    const expired = await download(links[1]!.url);
    expect(expired.status).toBe(403);
    expect(await expired.json()).toMatchObject({ error: { code: "LINK_EXPIRED" } });
  });

  it("nothing lost, nothing twice: every submission kept once, one «levert» per agency and round on the wheel", async () => {
    const versions = async (round: Round, agency: AgencyId) => (await reportDoc(round, agency))?.versions.map((v) => `${v.by.name}${v.late ? " (for sent)" : ""}`);
    expect(await versions("spring", "IN")).toEqual(["Ingrid Innovasjon", "Ingrid Innovasjon"]);
    expect(await versions("spring", "SIVA")).toEqual(["Dag Vikar"]);
    expect(await versions("spring", "NFR")).toEqual(["Nora Forsk (for sent)"]);
    expect(await versions("autumn", "IN")).toEqual(["Ingrid Innovasjon"]);
    expect(await versions("autumn", "SIVA")).toEqual(["Sivert Siva"]);
    expect((await reportDoc("autumn", "NFR"))!.willNotReport?.reason).toBe("Ingen utlysninger i fylket i høst.");
    const reports = (await cycleEvents())
      .map((e) => e.data)
      .filter((d) => d.type === "follow-up-report-submitted" || d.type === "follow-up-report-waived")
      .map((d) => `${d.type} ${"round" in d ? d.round : ""} ${"agency" in d ? d.agency : ""}`);
    expect(reports).toEqual([
      "follow-up-report-submitted spring IN",
      "follow-up-report-submitted spring SIVA",
      "follow-up-report-submitted spring NFR",
      "follow-up-report-waived autumn NFR",
      "follow-up-report-submitted autumn SIVA",
      "follow-up-report-submitted autumn IN",
    ]);
  });
});

/** A nudge run's cards about report rounds: a hub's title, or a digest's report headings. */
function reportLines(p: PostedActivity): string[] {
  const hub = reportHubTitle(p);
  return hub ? [hub] : digestHeadings(p).filter((line) => line.includes("Oppfølgingsrapport"));
}
