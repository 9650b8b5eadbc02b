// @vitest-environment jsdom
/**
 * The agreement's parties and concrete tasks in Teams, through real HTTP (§2.1: "follow-up
 * responsibility between the parties for concrete tasks"; §3.3 commission agreements; §3.2 the
 * draft of next year's agreement). The region coordinator changes it; viewers and agency contacts
 * only look.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AgreementView } from "../../src/app/agreements.js";
import { loadAgreement } from "../../src/app/report-store.js";
import { renderAgreementCard, renderPartiesForm, renderPasteForm, renderTaskForm } from "../../src/cards/agreement-card.js";
import { cardBytes, MAX_CARD_BYTES } from "../../src/cards/templates.js";
import { AGREEMENT_LIMITS, parsePastedTasks, type AgreementTask } from "../../src/domain/agreement.js";
import type { Lang } from "../../src/domain/calendar.js";
import { checkCard } from "../support/card-check.js";
import { cardOf, cardText, startHarness, type Harness } from "../support/harness.js";
import { executeActions, invoke } from "../support/invoke.js";

const ADMIN = "00000000-0000-0000-0000-00000000ad21";
const COORDINATOR = { aadObjectId: "00000000-0000-0000-0000-0000000c0046", name: "Kari Vestland" };
const IN_CONTACT = { aadObjectId: "00000000-0000-0000-0000-0000000a0046", name: "Ola Innovasjon" };
const VIEWER = { aadObjectId: "00000000-0000-0000-0000-0000000000f9", name: "Vera Viewer" };

async function grantRoles(h: Harness) {
  const admin = { id: ADMIN, name: "Admin" };
  await h.samhandling.app.people.grant(admin, { id: COORDINATOR.aadObjectId, name: COORDINATOR.name }, { kind: "region-coordinator", regionId: "46" });
  await h.samhandling.app.people.grant(admin, { id: IN_CONTACT.aadObjectId, name: IN_CONTACT.name }, { kind: "agency-rep", agency: "IN", regionId: "46" });
}

const events = async (h: Harness, year: number) => (await loadAgreement(h.samhandling.store, "46", year)).events;
const action = (card: unknown, verb: string) => executeActions(card).find((a) => a.verb === verb);

describe("the agreement from Teams (15 September 2027: agreement 2027 followed up, 2028 being drafted)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CLOCK_NOW: "2027-09-15T10:00:00+02:00", ADMIN_AAD_IDS: ADMIN });
    await grantRoles(h);
  });
  afterAll(async () => h?.close());

  const say = (text: string, who = COORDINATOR) => h.say(text, { from: { id: `29:${who.aadObjectId}`, aadObjectId: who.aadObjectId, name: who.name } });

  it("«avtale» without a region shows the coordinator's own region's agreement of this year, with the draft a tap away", async () => {
    const card = cardOf((await say("avtale")).replies[0]);
    checkCard(card);
    const text = cardText(card);
    expect(text).toContain("Samarbeidsavtale 2027 – Vestland");
    expect(text).toContain("**Parter:** Vestland fylkeskommune, Innovasjon Norge, SIVA, Forskningsrådet");
    expect(text).toContain("**Oppdragsavtale:** Innovasjon Norge");
    expect(text).toContain("Avtalen har ingen konkrete oppgaver ennå.");
    expect(executeActions(card).map((a) => a.title)).toEqual(["Legg til", "Lim inn flere", "Parter", "Utkast 2028"]);
    // English and a region and year named: the same agreement.
    const english = cardText(cardOf((await h.say("agreement Vestland 2027", { locale: "en-US" })).replies[0]));
    expect(english).toContain("Cooperation agreement 2027 – Vestland");
  });

  it("a person without a region and no region named is asked which", async () => {
    expect(cardText(cardOf((await say("avtale", VIEWER)).replies[0]))).toContain("Hvilken region gjelder det? Skriv for eksempel «avtale Vestland».");
  });

  it("add, edit and remove a task; a retried click is recorded once; an oversize title is refused with the field named", async () => {
    const card = (await invoke(h, COORDINATOR, "agreement.open", { regionId: "46", year: 2027 })).card;
    const form = (await invoke(h, COORDINATOR, "agreement.task.open", action(card, "agreement.task.open")!.data)).card;
    checkCard(form);
    const save = action(form, "agreement.task.save")!;

    const tooLong = (await invoke(h, COORDINATOR, "agreement.task.save", { ...save.data, title: "x".repeat(201), responsible: "IN" })).card;
    expect(cardText(tooLong)).toContain("«Oppgave» kan ha høyst 200 tegn.");
    expect(await events(h, 2027)).toEqual([]);
    const noParty = (await invoke(h, COORDINATOR, "agreement.task.save", { ...save.data, title: "Klyngeprogram", responsible: "" })).card;
    expect(cardText(noParty)).toContain("Fyll ut «Ansvarlig».");

    const data = { ...save.data, title: "Klyngeprogram for havnæringene", responsible: "IN,region", indicator: "antall klyngeprosjekter" };
    const added = (await invoke(h, COORDINATOR, "agreement.task.save", data)).card;
    expect(cardText(added)).toContain("✅ Oppgaven «Klyngeprogram for havnæringene» er lagt til.");
    expect(cardText(added)).toContain("Ansvarlig: Innovasjon Norge, Vestland fylkeskommune · Indikator: antall klyngeprosjekter");
    // Teams retries an invoke it got no answer to in time: the same action id, nothing twice.
    const retried = (await invoke(h, COORDINATOR, "agreement.task.save", data)).card;
    expect(cardText(retried)).toContain("Dette var allerede registrert.");
    expect((await events(h, 2027)).map((e) => e.data.type)).toEqual(["task-added"]);

    const edit = (await invoke(h, COORDINATOR, "agreement.task.open", { regionId: "46", year: 2027, taskId: "t1" })).card;
    expect(executeActions(edit).map((a) => a.title)).toEqual(["Lagre", "Fjern oppgaven", "Avbryt"]);
    const edited = (await invoke(h, COORDINATOR, "agreement.task.save", { ...action(edit, "agreement.task.save")!.data, title: "Klyngeprogram for havnæringene og maritim industri", responsible: "IN" })).card;
    expect(cardText(edited)).toContain("er endret");
    const removed = (await invoke(h, COORDINATOR, "agreement.task.remove", action(edit, "agreement.task.remove")!.data)).card;
    expect(cardText(removed)).toContain("Oppgaven «Klyngeprogram for havnæringene og maritim industri» er fjernet.");
    expect(cardText(removed)).toContain("Avtalen har ingen konkrete oppgaver ennå.");
    const trail = await events(h, 2027);
    expect(trail.map((e) => e.data.type)).toEqual(["task-added", "task-edited", "task-removed"]);
    expect(trail.every((e) => e.by.id === COORDINATOR.aadObjectId && e.recordedAt.startsWith("2027-09-15"))).toBe(true);
  });

  it("paste many: the preview names the wrong agency by line, and saving adds the good lines with new ids", async () => {
    const form = (await invoke(h, COORDINATOR, "agreement.paste.open", { regionId: "46", year: 2027 })).card;
    checkCard(form);
    const paste = ["Klyngeutvikling; IN, SIVA", "Forskningsmobilisering; Forskningsrådet og fylkeskommunen", "Innovasjonsprogram; Innovasjon", "Grønn omstilling; NFR"].join("\n");
    const preview = (await invoke(h, COORDINATOR, "agreement.paste.preview", { ...action(form, "agreement.paste.preview")!.data, paste })).card;
    checkCard(preview);
    const text = cardText(preview);
    expect(text).toContain("3 linjer kan legges til:");
    expect(text).toContain("Linje 3: kjenner ikke igjen «Innovasjon».");
    const save = action(preview, "agreement.paste.save")!;
    expect(save.title).toBe("Lagre 3 oppgaver");
    const saved = (await invoke(h, COORDINATOR, "agreement.paste.save", { ...save.data, paste })).card;
    expect(cardText(saved)).toContain("✅ 3 oppgaver er lagt til.");
    expect((await invoke(h, COORDINATOR, "agreement.paste.save", { ...save.data, paste })).card).toSatisfy((c: unknown) => cardText(c).includes("Dette var allerede registrert."));
    // t1 was used and removed before: never reused.
    expect((await loadAgreement(h.samhandling.store, "46", 2027)).state.tasks.map((t) => `${t.id} ${t.title}`)).toEqual([
      "t2 Klyngeutvikling",
      "t3 Forskningsmobilisering",
      "t4 Grønn omstilling",
    ]);
  });

  it("copies agreement 2027's tasks into the draft of 2028 once, however often it is clicked", async () => {
    const draft = (await invoke(h, COORDINATOR, "agreement.open", { regionId: "46", year: 2028 })).card;
    expect(cardText(draft)).toContain("Utkast til avtalen for 2028");
    const copy = action(draft, "agreement.copy")!;
    expect(copy.title).toBe("Kopier oppgavene fra 2027");
    const copied = (await invoke(h, COORDINATOR, "agreement.copy", copy.data)).card;
    expect(cardText(copied)).toContain("✅ 3 oppgaver er kopiert fra avtalen for 2027.");
    expect(action(copied, "agreement.copy")).toBeUndefined();
    expect(cardText((await invoke(h, COORDINATOR, "agreement.copy", copy.data)).card)).toContain("Dette var allerede registrert.");
    // An old card's button, another click: the draft is no longer empty.
    expect(cardText((await invoke(h, COORDINATOR, "agreement.copy", { ...copy.data, actionId: "another-click" })).card)).toContain("Avtalen har allerede oppgaver");
    const state = (await loadAgreement(h.samhandling.store, "46", 2028)).state;
    expect(state.tasks.map((t) => `${t.id} ${t.title}`)).toEqual(["t1 Klyngeutvikling", "t2 Forskningsmobilisering", "t3 Grønn omstilling"]);
  });

  it("parties: RFF added with a commission agreement; SIVA cannot leave while responsible for a task", async () => {
    const form = (await invoke(h, COORDINATOR, "agreement.parties.open", { regionId: "46", year: 2028 })).card;
    checkCard(form);
    const save = action(form, "agreement.parties.save")!;
    const refused = (await invoke(h, COORDINATOR, "agreement.parties.save", { ...save.data, partyAgencies: "IN,NFR,RFF", commissionAgencies: "IN" })).card;
    expect(cardText(refused)).toContain("SIVA er ansvarlig for 1 oppgave. Endre eller fjern dem før SIVA tas ut av avtalen.");
    const notParty = (await invoke(h, COORDINATOR, "agreement.parties.save", { ...save.data, partyAgencies: "IN,SIVA,NFR", commissionAgencies: "IN,RFF" })).card;
    expect(cardText(notParty)).toContain("RFF kan bare få oppdragsavtale hvis RFF er part i avtalen.");
    const none = (await invoke(h, COORDINATOR, "agreement.parties.save", { ...save.data, partyAgencies: "", commissionAgencies: "" })).card;
    expect(cardText(none)).toContain("Fyll ut «Parter i avtalen».");
    expect((await events(h, 2028)).map((e) => e.data.type)).toEqual(["tasks-copied"]);

    const saved = (await invoke(h, COORDINATOR, "agreement.parties.save", { ...save.data, partyAgencies: "IN,SIVA,NFR,RFF", commissionAgencies: "IN,RFF" })).card;
    expect(cardText(saved)).toContain("✅ Partene er lagret.");
    expect(cardText(saved)).toContain("**Parter:** Vestland fylkeskommune, Innovasjon Norge, SIVA, Forskningsrådet, RFF");
    expect(cardText(saved)).toContain("**Oppdragsavtale:** Innovasjon Norge, RFF");
  });

  it("a viewer and an agency contact may look, not change: refused, and nothing is written", async () => {
    for (const who of [VIEWER, IN_CONTACT]) {
      const card = (await invoke(h, who, "agreement.open", { regionId: "46", year: 2027 })).card;
      expect(cardText(card)).toContain("Klyngeutvikling");
      expect(executeActions(card).map((a) => a.verb)).toEqual(["agreement.open"]);
      const before = await events(h, 2027);
      const saves = [
        ["agreement.task.save", { regionId: "46", year: 2027, actionId: `${who.name}-1`, title: "Min oppgave", responsible: "IN" }],
        ["agreement.task.remove", { regionId: "46", year: 2027, actionId: `${who.name}-2`, taskId: "t2" }],
        ["agreement.paste.save", { regionId: "46", year: 2027, actionId: `${who.name}-3`, paste: "Oppgave; IN" }],
        ["agreement.parties.save", { regionId: "46", year: 2027, actionId: `${who.name}-4`, partyAgencies: "IN", commissionAgencies: "" }],
        ["agreement.task.open", { regionId: "46", year: 2027 }],
      ] as const;
      for (const [verb, data] of saves) {
        const answer = await invoke(h, who, verb, data);
        expect(answer.status).toBe(200);
        expect(cardText(answer.card), verb).toContain("Bare regionkoordinatoren for Vestland eller en administrator kan endre avtalen.");
      }
      const copy = await invoke(h, who, "agreement.copy", { regionId: "46", year: 2028, actionId: `${who.name}-5` });
      expect(cardText(copy.card)).toContain("Bare regionkoordinatoren");
      expect(await events(h, 2027)).toEqual(before);
    }
  });

  it("the changes are in the region's trail («historikk»), newest first, with who did them — in all three languages", async () => {
    const nb = cardText(cardOf((await h.say("historikk Vestland")).replies[0]));
    const lines = [
      "Parter i avtalen 2028 satt: Innovasjon Norge, SIVA, Forskningsrådet, RFF",
      "3 oppgaver kopiert fra avtalen 2027 til avtalen 2028",
      "Oppgave lagt til i avtalen 2027: Grønn omstilling",
      "Oppgave fjernet fra avtalen 2027: Klyngeprogram for havnæringene og maritim industri",
      "Oppgave endret i avtalen 2027: Klyngeprogram for havnæringene og maritim industri",
      "Oppgave lagt til i avtalen 2027: Klyngeprogram for havnæringene",
    ];
    const at = lines.map((line) => nb.indexOf(line));
    expect(at.every((i) => i >= 0), nb).toBe(true);
    expect([...at].sort((x, y) => x - y)).toEqual(at);
    expect(nb).toContain("Kari Vestland");
    expect(cardText(cardOf((await h.say("historikk Vestland", { locale: "nn-NO" })).replies[0]))).toContain("Partar i avtalen 2028 sette: Innovasjon Norge, SIVA, Forskningsrådet, RFF");
    expect(cardText(cardOf((await h.say("history Vestland", { locale: "en-US" })).replies[0]))).toContain("3 tasks copied from the 2027 agreement to the 2028 agreement");
  });

  it("an agreement long past is shown without buttons, and a change to it is refused", async () => {
    const old = (await invoke(h, COORDINATOR, "agreement.open", { regionId: "46", year: 2024 })).card;
    expect(cardText(old)).toContain("Avtalen for 2024.");
    expect(executeActions(old).map((a) => a.title)).toEqual(["Avtale 2027"]);
    const refused = (await invoke(h, COORDINATOR, "agreement.task.save", { regionId: "46", year: 2024, actionId: "old-1", title: "Gammel oppgave", responsible: "IN" })).card;
    expect(cardText(refused)).toContain("Avtalen for 2024 kan ikke endres nå.");
    expect(await events(h, 2024)).toEqual([]);
  });

  it("card data that did not come from a card is answered without a crash", async () => {
    const answer = await invoke(h, COORDINATOR, "agreement.task.save", { regionId: "99", year: 2027, actionId: "x" });
    expect(answer.status).toBe(200);
    expect(await events(h, 2027)).toHaveLength(6);
  });
});

describe("the agreement's parties drive the wheel (Vestland, 10 November 2026)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CLOCK_NOW: "2026-11-10T10:00:00+01:00", ADMIN_AAD_IDS: ADMIN });
    await grantRoles(h);
  });
  afterAll(async () => h?.close());

  const keys = async (year: number) => (await h.samhandling.app.steps("46", year)).map((o) => o.key);

  it("RFF made a party of agreement 2027 reports in cycle 2027 and signs in cycle 2026; SIVA taken out has neither", async () => {
    const app = h.samhandling.app;
    const versionBefore = (await app.statusOf("46")).version;
    expect(await keys(2027)).not.toContain("follow-up-report-spring:RFF");
    expect(await keys(2026)).not.toContain("agreement-signed:RFF");

    const set = (partyAgencies: string[], commissionAgencies: string[], actionId: string) =>
      app.agreements.setParties({ actor: { id: COORDINATOR.aadObjectId, name: COORDINATOR.name }, regionId: "46", year: 2027, actionId, parties: { partyAgencies, commissionAgencies } });
    expect((await set(["IN", "SIVA", "NFR", "RFF"], ["IN", "RFF"], "a1")).kind).toBe("changed");
    const cycle2027 = await keys(2027);
    const cycle2026 = await keys(2026);
    expect(cycle2027).toEqual(expect.arrayContaining(["follow-up-report-spring:RFF", "follow-up-report-autumn:RFF"]));
    expect(cycle2026).toEqual(expect.arrayContaining(["agreement-signed:RFF", "commission-agreement-sent:RFF", "allocation-letter-received:RFF"]));
    // The follow-up of this year's agreement (2026) keeps its own parties.
    expect(cycle2026).not.toContain("follow-up-report-autumn:RFF");
    // The status card is a new one: no card rendered for the old parties is served.
    expect((await app.statusOf("46")).version).not.toBe(versionBefore);
    // RFF's allocation letter is a national step now (§2.1).
    expect((await app.steps("national", 2026)).map((o) => o.key)).toContain("allocation-letter-received:RFF");

    expect((await set(["IN", "NFR", "RFF"], ["IN"], "a2")).kind).toBe("changed");
    // Agreement 2027 is followed up in cycle 2027 without SIVA; agreement 2028 (signed in cycle 2027) keeps the region's parties.
    expect((await keys(2027)).filter((k) => k.startsWith("follow-up-report") && k.endsWith(":SIVA"))).toEqual([]);
    expect(await keys(2027)).toContain("agreement-signed:SIVA");
    expect((await keys(2026)).filter((k) => k.startsWith("agreement-signed") || k.startsWith("commission-agreement-sent"))).toEqual([
      "agreement-signed:region",
      "agreement-signed:IN",
      "agreement-signed:NFR",
      "agreement-signed:RFF",
      "commission-agreement-sent:IN",
      "commission-agreement-sent:NFR",
      "commission-agreement-sent:RFF",
    ]);
  });
});

describe("the agreement cards: parsed, and under 28 KB at 20 and 40 tasks", () => {
  const longTask = (i: number): AgreementTask => ({
    id: `t${i}`,
    title: `Oppgave ${i} `.padEnd(AGREEMENT_LIMITS.title, "æøå "),
    description: "Beskrivelse ".repeat(200).slice(0, AGREEMENT_LIMITS.description),
    responsible: ["region", "IN", "SIVA", "NFR"],
    indicator: "Antall ".repeat(40).slice(0, AGREEMENT_LIMITS.indicator),
    planRef: "Regional plan for innovasjon, mål 2.3".padEnd(AGREEMENT_LIMITS.planRef, "."),
  });
  const view = (count: number): AgreementView => ({
    state: {
      regionId: "46",
      year: 2027,
      parties: { partyAgencies: ["IN", "SIVA", "NFR", "RFF"], commissionAgencies: ["IN"] },
      partiesSet: true,
      tasks: Array.from({ length: count }, (_, i) => longTask(i + 1)),
    },
    currentYear: 2027,
    draftYear: 2028,
  });

  it.each(["nb", "nn", "en"] as Lang[])("%s", (lang) => {
    for (const count of [20, 40]) {
      const card = renderAgreementCard(view(count), { canChange: true, actionId: "a", notice: { text: "✅ Lagret", style: "good" } }, lang);
      checkCard(card);
      expect(cardBytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
      // Every task is on the card, and each opens its form.
      const rows = executeActions(card).filter((a) => a.verb === "agreement.task.open" && a.data.taskId);
      expect(rows).toHaveLength(count);
      // Each row has its own name (the action's title is a screen reader's label and the hover
      // text), with the task's number and title, not one «Endre oppgave – avtale 2027» for all.
      expect(new Set(rows.map((a) => a.title)).size).toBe(count);
      expect(rows[2]!.title).toMatch({ nb: /^Endre oppgave 3: Oppgave 3 /, nn: /^Endre oppgåve 3: Oppgave 3 /, en: /^Edit task 3: Oppgave 3 / }[lang]);
    }
    const parties = view(0).state.parties;
    checkCard(renderTaskForm({ regionId: "46", year: 2027, parties, task: longTask(1), actionId: "a", error: "Feil" }, lang));
    checkCard(renderPartiesForm({ regionId: "46", year: 2027, parties, actionId: "a" }, lang));
    const text = Array.from({ length: AGREEMENT_LIMITS.pasteLines }, (_, i) => `${"Lang oppgave ".repeat(15)} ${i}; ${i % 2 ? "IN, SIVA" : "Innovasjon"}`).join("\n");
    checkCard(renderPasteForm({ regionId: "46", year: 2027, text, actionId: "a", preview: { lines: parsePastedTasks(text, parties), tooManyLines: false } }, lang));
  });
});
