/**
 * The audit trail through real HTTP: steps recorded from the cards show up in `historikk` with
 * who, when (Oslo time) and the values, newest first; an undo is marked and listed; «Eldre» /
 * «Nyere» page with the `history.page` invoke; an empty trail says so; nynorsk and English.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseCommand } from "../../src/bot/commands.js";
import { appendToCycle } from "../../src/app/cycles.js";
import { ev } from "../support/events.js";
import { cardOf, cardText, startHarness, type Harness } from "../support/harness.js";
import { executeActions, invoke } from "../support/invoke.js";

const ADMIN = "00000000-0000-0000-0000-00000000ad01";
const admin = { aadObjectId: ADMIN, name: "Anne Admin" };
const ADMIN_USER = { id: `29:${ADMIN}`, aadObjectId: ADMIN, name: "Anne Admin" };
/** The clock starts at 10.00 and runs on in real time: a few seconds into the minute at most. */
const AT = /17\.\u00A0mars 2027 kl\. 10\.0\d · Anne Admin/;

describe("historikk (17 March 2027)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CLOCK_NOW: "2027-03-17T10:00:00+01:00", ADMIN_AAD_IDS: ADMIN });
  });
  afterAll(async () => h?.close());

  /** Opens the form for a step from the person's own status card and saves it with the inputs. */
  async function recordViaCard(regionId: string, form: string, params: Record<string, string>, inputs: Record<string, string>) {
    const opened = await invoke(h, admin, "form.open", { form, regionId, year: 2027, params });
    const save = executeActions(opened.card).find((a) => a.verb === form);
    if (!save) throw new Error(`no ${form} on the form: ${cardText(opened.card)}`);
    return invoke(h, admin, form, { ...save.data, ...inputs });
  }
  const history = async (text: string, locale = "nb-NO") => cardOf((await h.say(text, { locale })).replies[0]);

  it("steps recorded from the cards are in «historikk Vestland», newest first, with who, when and the values", async () => {
    const planned = await recordViaCard("46", "meeting.plan", { meeting: "regional-spring" }, { date: "2027-04-20", place: "Fylkeshuset, Bergen" });
    expect(cardText(planned.card)).toContain("✅ Registrert");
    // The regional invitations wait for the national meeting (§3.1): that is recorded in the national track.
    const national = await recordViaCard("46", "meeting.held", { meeting: "national-spring" }, { date: "2027-03-10" });
    expect(cardText(national.card)).toContain("✅ Registrert");
    const invited = await recordViaCard("46", "meeting.invited", { meeting: "regional-spring" }, { date: "2027-03-16" });
    expect(cardText(invited.card)).toContain("✅ Registrert");

    const card = await history("historikk Vestland");
    const text = cardText(card);
    expect(text).toContain("Historikk – Vestland");
    expect(text).toContain("2 endringer i årshjulet for 2026 og 2027 · nyeste først · norsk tid");
    const newer = text.indexOf("Innkalling til regionalt vårmøte sendt 16. mars 2027");
    const older = text.indexOf("Regionalt dialogmøte vår planlagt 20. april 2027");
    expect(newer).toBeGreaterThan(-1);
    expect(older).toBeGreaterThan(newer);
    expect(text).toContain("Sted eller lenke: Fylkeshuset, Bergen");
    expect(text.match(new RegExp(AT, "g"))).toHaveLength(2);
    // One page: no paging buttons.
    expect(executeActions(card)).toEqual([]);
  });

  it("an undo is its own entry, and the change it took back is marked", async () => {
    const saved = await recordViaCard("46", "meeting.plan", { meeting: "regional-spring" }, { date: "2027-04-22" });
    const undo = executeActions(saved.card).find((a) => a.verb === "undo")!;
    expect(cardText((await invoke(h, admin, "undo", undo.data)).card)).toContain("↩️ Endringen er angret.");
    const text = cardText(await history("historikk Vestland"));
    expect(text).toContain("↩️ Angret: Regionalt dialogmøte vår planlagt 22. april 2027");
    expect(text).toMatch(/↩️ Angret 17\. mars 2027 kl\. 10\.0\d av Anne Admin/);
    expect(text.indexOf("↩️ Angret: Regionalt dialogmøte vår planlagt 22. april 2027")).toBeLessThan(text.indexOf("Innkalling til regionalt vårmøte sendt"));
  });

  it("«Eldre» and «Nyere» page through the trail with the history.page invoke", async () => {
    for (let i = 1; i <= 12; i++) {
      const r = await recordViaCard("11", "meeting.plan", { meeting: "regional-spring" }, { date: `2027-04-${String(i + 10).padStart(2, "0")}` });
      expect(cardText(r.card)).toContain("✅ Registrert");
    }
    const first = await history("historikk Rogaland");
    expect(cardText(first)).toContain("Side 1 av 2");
    expect(cardText(first)).toContain("Regionalt dialogmøte vår planlagt 22. april 2027");
    expect(cardText(first)).not.toContain("planlagt 11. april 2027");
    const older = executeActions(first);
    expect(older.map((a) => [a.title, a.verb, a.data])).toEqual([["Eldre", "history.page", { regionId: "11", page: 2 }]]);

    const second = await invoke(h, admin, "history.page", older[0]!.data);
    expect(second.status).toBe(200);
    const text = cardText(second.card);
    expect(text).toContain("Side 2 av 2");
    expect(text).toContain("Regionalt dialogmøte vår planlagt 12. april 2027");
    expect(text).toContain("Regionalt dialogmøte vår planlagt 11. april 2027");
    expect(text.indexOf("12. april")).toBeLessThan(text.indexOf("11. april"));
    expect(text).not.toContain("22. april");
    expect(executeActions(second.card).map((a) => [a.title, a.data])).toEqual([["Nyere", { regionId: "11", page: 1 }]]);
  });

  it("paging data that is not what the card sends is answered, not crashed on", async () => {
    for (const data of [{ regionId: "99", page: 1 }, { regionId: "46", page: "x" }, undefined]) {
      const odd = await invoke(h, admin, "history.page", data);
      expect(odd.status).toBe(200);
      // Paging data comes from the bot's own card: anything else is a stale card, and the person is told to take a fresh one.
      expect(cardText(odd.card)).toContain("Skriv «status» for et nytt kort.");
    }
  });

  it("an empty history says so politely", async () => {
    const text = cardText(await history("historikk Oslo"));
    expect(text).toContain("Historikk – Oslo");
    expect(text).toContain("Ingen endringer er registrert her i årshjulet for 2026 og 2027 ennå.");
    expect(text).toContain("Steg registreres med knappene på statuskortet");
  });

  it("an unknown region gets the same suggestions as status, as history buttons", async () => {
    const card = await history("historikk Vestlnd");
    expect(cardText(card)).toContain("Jeg finner ingen region som heter «Vestlnd».");
    expect(JSON.stringify(card)).toContain('"command":"historikk Vestland"');
  });

  it("without a region: the national track in a 1:1 chat, the bound region in a bound channel", async () => {
    expect(cardText(await history("historikk"))).toContain("Historikk – nasjonalt spor");
    const national = cardText(await history("historikk nasjonalt"));
    expect(national).toContain("Historikk – nasjonalt spor");
    expect(national).toContain("Nasjonalt temamøte vår holdt 10. mars 2027");
    expect(national).not.toContain("Regionalt");
    const channel = { conversationType: "channel" as const, conversationId: "19:vestland@thread.tacv2", mention: true, from: ADMIN_USER };
    expect(cardText(cardOf((await h.say("bind Vestland", channel)).replies.at(-1)))).toContain("Vestland");
    const bound = cardText(cardOf((await h.say("historikk", channel)).replies.at(-1)));
    expect(bound).toContain("Historikk – Vestland");
    expect(bound).toContain("Innkalling til regionalt vårmøte sendt 16. mars 2027");
  });

  it("in English", async () => {
    const text = cardText(await history("history Vestland", "en-US"));
    expect(text).toContain("History – Vestland");
    expect(text).toContain("Regional spring dialogue meeting planned for 20 April 2027");
    expect(text).toContain("Place or link: Fylkeshuset, Bergen");
    expect(text).toMatch(/17 March 2027, 10:0\d · Anne Admin/);
  });

  it("på nynorsk", async () => {
    const text = cardText(await history("historikk Vestland", "nn-NO"));
    expect(text).toContain("4 endringar i årshjulet for 2026 og 2027 · nyaste først · norsk tid");
    expect(text).toContain("Regionalt dialogmøte vår planlagt 20. april 2027");
    expect(text).toContain("Stad eller lenkje: Fylkeshuset, Bergen");
    expect(text).toMatch(/↩️ Angra 17\. mars 2027 kl\. 10\.0\d av Anne Admin/);
  });

  it.each([
    ["historikk", { kind: "history" }],
    ["Historikk Vestland", { kind: "history", regionQuery: "Vestland" }],
    ["history 46", { kind: "history", regionQuery: "46" }],
    ["historikk nasjonalt", { kind: "history", national: true }],
    ["history national track", { kind: "history", national: true }],
    ["historikk RUK AU", { kind: "history", national: true }],
  ])("%j parses as %j", (text, command) => {
    expect(parseCommand(text)).toEqual(command);
  });
});

describe("historikk in February 2027: the heading names the cycles shown", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CLOCK_NOW: "2027-02-15T10:00:00+01:00" });
    const store = h.samhandling.store;
    // Agreement 2026 was signed in January 2026 (cycle 2025), agreement 2027 in January 2027 (cycle 2026, still closing).
    await appendToCycle(store, "46", 2025, () => [ev({ type: "agreement-signed", party: "region", date: "2026-01-20" }, "2026-01-20T12:00:00+01:00")]);
    await appendToCycle(store, "46", 2026, () => [ev({ type: "agreement-signed", party: "region", date: "2027-01-21" }, "2027-01-21T12:00:00+01:00")]);
  });
  afterAll(async () => h?.close());
  const history = async (text: string, locale = "nb-NO") => cardText(cardOf((await h.say(text, { locale })).replies[0]));

  it("the closing cycle 2026 and the new 2027 — what the status card shows — not the long-closed 2025, in words", async () => {
    const text = await history("historikk Vestland");
    expect(text).toContain("1 endring i årshjulet for 2026 og 2027 · nyeste først · norsk tid");
    expect(text).toContain("21. januar 2027");
    expect(text).not.toContain("20. januar 2026");
    expect(text).not.toMatch(/Syklus|2025/);
  });

  it("nynorsk and English say the same", async () => {
    expect(await history("historikk Vestland", "nn-NO")).toContain("1 endring i årshjulet for 2026 og 2027 · nyaste først · norsk tid");
    expect(await history("history Vestland", "en-US")).toContain("1 change in the annual wheel for 2026 and 2027 · newest first · Norwegian time");
  });
});
