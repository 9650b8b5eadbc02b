/**
 * Recording from the cards, through real HTTP: the person's own status card offers the steps
 * their role allows; a form records one; the card is replaced by the updated one; retries and
 * refusals write nothing twice or at all; undo; 50 concurrent actions are all kept once.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCycles } from "../../src/app/cycles.js";
import { record } from "../support/events.js";
import { cardOf, cardText, startHarness, type Harness } from "../support/harness.js";
import { executeActions, invoke } from "../support/invoke.js";

const ADMIN = "00000000-0000-0000-0000-00000000ad01";
const VIEWER = "00000000-0000-0000-0000-0000000000f1";
const MANY = Array.from({ length: 50 }, (_, i) => `00000000-0000-0000-0000-${String(i).padStart(12, "0")}`);

describe("recording from the cards (17 March 2027)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CLOCK_NOW: "2027-03-17T10:00:00+01:00", ADMIN_AAD_IDS: [ADMIN, ...MANY].join(",") });
  });
  afterAll(async () => h?.close());
  const events = async (regionId: string) => (await loadCycles(h.samhandling.store, [{ regionId, year: 2027 }]))[0]!.events;
  const admin = { aadObjectId: ADMIN };

  it("an admin's own status card offers the steps they may record; a viewer's offers none", async () => {
    const mine = await invoke(h, admin, "status.refresh", { regionId: "46" });
    expect(mine.status).toBe(200);
    // The region's card carries the region's steps; the national track's are on the national card.
    const buttons = executeActions(mine.card).filter((a) => a.verb === "form.open");
    expect(buttons.map((b) => [b.data.form, b.data.params.meeting])).toEqual(expect.arrayContaining([["meeting.plan", "regional-spring"]]));
    expect(buttons.every((b) => !String(b.data.params.meeting ?? "").startsWith("national"))).toBe(true);
    const national = await invoke(h, admin, "status.refresh", { regionId: "national" });
    const nationalButtons = executeActions(national.card).filter((a) => a.verb === "form.open").map((b) => b.data.form);
    expect(nationalButtons).toEqual(expect.arrayContaining(["meeting.plan", "meeting.invited", "meeting.held"]));
    const viewer = await invoke(h, { aadObjectId: VIEWER }, "status.refresh", { regionId: "46" });
    expect(executeActions(viewer.card).filter((a) => a.verb === "form.open")).toEqual([]);
  });

  it("a form records the step, and the card that comes back shows it done, with undo", async () => {
    // The button «Møtet er holdt» of the national spring meeting (on the national track's card).
    const form = await invoke(h, admin, "form.open", { form: "meeting.held", regionId: "46", year: 2027, params: { meeting: "national-spring" } });
    // The form says what the button said: «Møtet er holdt».
    expect(cardText(form.card)).toContain("Møtet er holdt: Nasjonalt temamøte vår");
    // The date picker offers what the server accepts: the step's window, and no later than today.
    const picker = form.card.body.flatMap((b: any) => b.items ?? []).find((i: any) => i.type === "Input.Date");
    expect(picker).toMatchObject({ id: "date", min: "2026-10-01", max: "2027-03-17" });
    const save = executeActions(form.card).find((a) => a.verb === "meeting.held")!;
    const saved = await invoke(h, admin, "meeting.held", { ...save.data, date: "2027-03-10" });
    const text = cardText(saved.card);
    // The banner is the history's sentence for the change.
    expect(text).toContain("✅ Registrert: Nasjonalt temamøte vår holdt 10. mars 2027.");
    expect(executeActions(saved.card).some((a) => a.verb === "undo")).toBe(true);
    expect((await events("national")).map((e) => e.data)).toEqual([{ type: "meeting-held", meeting: "national-spring", date: "2027-03-10" }]);

    // Teams retries after 15 s with the same payload: recorded once.
    const retry = await invoke(h, admin, "meeting.held", { ...save.data, date: "2027-03-10" });
    expect(cardText(retry.card)).toContain("Dette var allerede registrert.");
    // The retry's answer replaces the first one: it still offers the undo of the same event.
    expect(executeActions(retry.card).find((a) => a.verb === "undo")?.data.eventId).toBe(executeActions(saved.card).find((a) => a.verb === "undo")?.data.eventId);
    expect(await events("national")).toHaveLength(1);

    // Teams refreshes the card right after the message is updated: the refreshed card still offers the undo,
    // to the person who made the change and to nobody else.
    const refreshed = await invoke(h, admin, "status.refresh", { regionId: "46" });
    expect(executeActions(refreshed.card).find((a) => a.verb === "undo")?.data.eventId).toBe(executeActions(saved.card).find((a) => a.verb === "undo")?.data.eventId);
    expect(cardText(refreshed.card)).toContain("Du kan angre den siste endringen din");
    expect(executeActions((await invoke(h, { aadObjectId: VIEWER }, "status.refresh", { regionId: "46" })).card).some((a) => a.verb === "undo")).toBe(false);

    // Undo, from the card that came back.
    const undo = executeActions(saved.card).find((a) => a.verb === "undo")!;
    const undone = await invoke(h, admin, "undo", undo.data);
    expect(cardText(undone.card)).toContain("↩️ Endringen er angret.");
    // The national step was undone from Vestland's card: the card that comes back is still Vestland's.
    expect(cardText(undone.card)).toContain("Status – Vestland");
    expect((await events("national")).map((e) => e.data.type)).toEqual(["meeting-held", "event-undone"]);
    expect(cardText(undone.card)).not.toContain("✅ **Nasjonalt temamøte vår**");
  });

  it("bad input comes back on the form with the field named, and nothing is written", async () => {
    const before = (await events("46")).length;
    const form = await invoke(h, admin, "form.open", { form: "meeting.plan", regionId: "46", year: 2027, params: { meeting: "regional-spring" } });
    const save = executeActions(form.card).find((a) => a.verb === "meeting.plan")!;
    const bad = await invoke(h, admin, "meeting.plan", { ...save.data, date: "2027-02-30", place: "Bergen" });
    expect(cardText(bad.card)).toContain("Feltet «Dato» mangler eller er ugyldig.");
    // What was typed is kept.
    expect(JSON.stringify(bad.card)).toContain('"value":"Bergen"');
    const late = await invoke(h, admin, "meeting.plan", { ...save.data, date: "2027-07-15" });
    expect(cardText(late.card)).toContain("Dato: må ligge mellom 1. februar 2027 og 30. juni 2027 for dette steget.");
    expect((await events("46")).length).toBe(before);
  });

  it("a viewer's action is refused with the reason, and changes nothing", async () => {
    const form = await invoke(h, admin, "form.open", { form: "meeting.plan", regionId: "46", year: 2027, params: { meeting: "regional-spring" } });
    const save = executeActions(form.card).find((a) => a.verb === "meeting.plan")!;
    const refused = await invoke(h, { aadObjectId: VIEWER }, "meeting.plan", { ...save.data, date: "2027-04-20" });
    expect(cardText(refused.card)).toContain("Du kan ikke registrere dette steget. Det gjør Vestland fylkeskommune, eller en administrator.");
    expect(await events("46")).toEqual([]);
  });

  it("card data that is not what a card sends is answered, not crashed on", async () => {
    const odd = await invoke(h, admin, "meeting.plan", { regionId: "99", year: "x" });
    expect(odd.status).toBe(200);
    expect(cardText(odd.card)).toContain("Skriv «status» for et nytt kort.");
  });

  it("50 concurrent actions on one region through HTTP are each recorded exactly once", async () => {
    const form = await invoke(h, admin, "form.open", { form: "meeting.plan", regionId: "11", year: 2027, params: { meeting: "regional-spring" } });
    const save = executeActions(form.card).find((a) => a.verb === "meeting.plan")!;
    const results = await Promise.all(
      // May: every date leaves the invitations (3 weeks before, §4.2) in time, so none is held back by a warning.
      MANY.map((id, i) => invoke(h, { aadObjectId: id, name: `Person ${i}` }, "meeting.plan", { ...save.data, date: `2027-05-${String((i % 28) + 1).padStart(2, "0")}` })),
    );
    expect(results.every((r) => r.status === 200 && cardText(r.card).includes("✅ Registrert"))).toBe(true);
    const trail = await events("11");
    expect(trail).toHaveLength(50);
    expect(new Set(trail.map((e) => e.by.id))).toEqual(new Set(MANY));
  });

  it("in a channel, recording replaces the card for everyone, not only for the person who clicked", async () => {
    const where = { aadObjectId: ADMIN, conversationType: "channel" as const, conversationId: "channel-46" };
    // §4.2: the region may invite once the national spring meeting has a date.
    await record(h.samhandling.store, "national", 2027, { type: "meeting-planned", meeting: "national-spring", date: "2027-03-24" });
    const form = await invoke(h, where, "form.open", { form: "meeting.invited", regionId: "46", year: 2027, params: { meeting: "regional-spring" } });
    const save = executeActions(form.card).find((a) => a.verb === "meeting.invited")!;
    const before = h.connector.updated.length;
    const saved = await invoke(h, where, "meeting.invited", { ...save.data, date: "2027-03-16" });
    expect(cardText(saved.card)).toContain("✅ Registrert");
    const update = h.connector.updated.slice(before);
    expect(update).toHaveLength(1);
    expect(update[0]).toMatchObject({ conversationId: "channel-46", replyToId: "card-message-1" });
    const shared = update[0]!.activity.attachments![0]!.content;
    expect(cardText(shared)).toContain("✅ **Innkalling til regionalt vårmøte** · Ferdig");
    // Everyone else sees the shared card: no one's personal buttons, but "my actions".
    expect(executeActions(shared).map((a) => a.verb)).not.toContain("form.open");
    expect(executeActions(shared).some((a) => a.verb === "status.refresh")).toBe(true);
  });

  it("in a chat, Teams refreshes the card for the asker and for the members who hold a role (up to 60)", async () => {
    h.connector.rosters.set("team-chat", [
      { id: "29:user-1", name: "Kari Nordmann", aadObjectId: "00000000-0000-0000-0000-0000000000a1" },
      { id: "29:admin", name: "Admin", aadObjectId: ADMIN },
      { id: "29:viewer", name: "Ola Viewer", aadObjectId: VIEWER },
    ]);
    const card = cardOf((await h.say("status Vestland", { conversationType: "groupChat", conversationId: "team-chat", mention: true })).replies[0]);
    expect(card.refresh.userIds).toEqual(["29:user-1", "29:admin"]);
  });

  it("in a conversation of more than 60, only the asker is refreshed; the others have the button", async () => {
    h.connector.rosters.set("big-channel", Array.from({ length: 61 }, (_, i) => ({ id: `29:m${i}`, name: `M ${i}`, aadObjectId: MANY[i % 50]! })));
    const card = cardOf((await h.say("status Vestland", { conversationType: "channel", conversationId: "big-channel", mention: true })).replies[0]);
    expect(card.refresh.userIds).toEqual(["29:user-1"]);
    expect(executeActions(card).some((a) => a.verb === "status.refresh")).toBe(true);
  });

  it("status in a 1:1 chat is the person's own card; in a channel Teams is asked to refresh it for the asker", async () => {
    const personal = cardOf((await h.say("status Vestland")).replies[0]);
    // Refreshed for the asker when opened later, so an old card never offers stale actions.
    expect(personal.refresh).toMatchObject({ action: { verb: "status.refresh", data: { regionId: "46" } }, userIds: ["29:user-1"] });
    const channel = cardOf((await h.say("status Vestland", { conversationType: "channel", mention: true })).replies[0]);
    expect(channel.refresh).toMatchObject({ action: { type: "Action.Execute", verb: "status.refresh", data: { regionId: "46" } }, userIds: ["29:user-1"] });
    expect(executeActions(channel).some((a) => a.verb === "status.refresh" && a.title === "Mine handlinger")).toBe(true);
  });
});

/** The body's text lines of a card, and the value of its date picker. */
const picker = (card: any) => card.body.flatMap((b: any) => b.items ?? []).find((i: any) => i.type === "Input.Date");
const heading = (card: any) => card.body[0].text as string;

describe("a form says what its button said, which dates it takes, and what it will record (17 March 2027)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CLOCK_NOW: "2027-03-17T10:00:00+01:00", ADMIN_AAD_IDS: ADMIN });
  });
  afterAll(async () => h?.close());
  const admin = (locale = "nb-NO") => ({ aadObjectId: ADMIN, locale });

  it.each([
    ["nb-NO", "Sett møtedato: Regionalt dialogmøte vår"],
    ["nn-NO", "Set møtedato: Regionalt dialogmøte vår"],
    ["en-GB", "Set meeting date: Regional spring dialogue meeting"],
  ])("«Sett møtedato» opens «Sett møtedato: …» about the meeting, not «Registrer: Innkalling …» (%s)", async (locale, title) => {
    const form = await invoke(h, admin(locale), "form.open", { form: "meeting.plan", regionId: "46", year: 2027, params: { meeting: "regional-spring" } });
    expect(heading(form.card)).toBe(title);
  });

  it.each(["nb-NO", "nn-NO", "en-GB"])("every button on an admin's cards opens a form headed by the button's own words (%s)", async (locale) => {
    let opened = 0;
    for (const regionId of ["46", "national"]) {
      const card = (await invoke(h, admin(locale), "status.refresh", { regionId })).card;
      for (const button of executeActions(card).filter((a) => a.verb === "form.open")) {
        const form = await invoke(h, admin(locale), "form.open", button.data);
        // A button may add the party it is for ("Rapport levert – SIVA"); its words come first in the title.
        const words = button.title.split(" – ")[0];
        expect(heading(form.card), `${button.data.form} ${JSON.stringify(button.data.params)}`).toMatch(new RegExp(`^${words}: \\S`));
        expect(heading(form.card)).not.toMatch(/^(Registrer|Record):/);
        opened++;
      }
    }
    expect(opened).toBeGreaterThan(3);
  });

  it("the allowed dates are said before any refusal, from the same limits the picker and the server apply", async () => {
    // §3.1 a regional spring meeting: planned from today, by 30 June.
    const plan = await invoke(h, admin(), "form.open", { form: "meeting.plan", regionId: "46", year: 2027, params: { meeting: "regional-spring" } });
    expect(cardText(plan.card)).toContain("Velg en dato mellom 17. mars og 30. juni 2027.");
    expect(picker(plan.card)).toMatchObject({ min: "2027-03-17", max: "2027-06-30" });
    // A fact that happened: dated by today at the latest.
    const held = await invoke(h, admin(), "form.open", { form: "meeting.held", regionId: "46", year: 2027, params: { meeting: "national-spring" } });
    expect(cardText(held.card)).toContain("Velg en dato fra 1. oktober 2026, senest i dag.");
    const nn = await invoke(h, admin("nn-NO"), "form.open", { form: "meeting.held", regionId: "46", year: 2027, params: { meeting: "national-spring" } });
    expect(cardText(nn.card)).toContain("Vel ein dato frå 1. oktober 2026, seinast i dag.");
    // Outside the range said, the server refuses; nothing in it is refused for its date.
    const save = executeActions(plan.card).find((a) => a.verb === "meeting.plan")!;
    expect(cardText((await invoke(h, admin(), "meeting.plan", { ...save.data, date: "2027-07-01" })).card)).toContain("må ligge mellom");
  });

  it("after saving, the banner says what the history says of the change", async () => {
    const form = await invoke(h, admin(), "form.open", { form: "meeting.plan", regionId: "46", year: 2027, params: { meeting: "regional-spring" } });
    const save = executeActions(form.card).find((a) => a.verb === "meeting.plan")!;
    const saved = await invoke(h, admin(), "meeting.plan", { ...save.data, date: "2027-06-03", place: "Bergen" });
    expect(cardText(saved.card)).toContain("✅ Registrert: Regionalt dialogmøte vår planlagt 3. juni 2027.");
    const history = await invoke(h, admin(), "history.page", { regionId: "46", page: 1 });
    expect(cardText(history.card)).toContain("Regionalt dialogmøte vår planlagt 3. juni 2027");
  });
});

describe("§4.1 a change that makes a step late is warned about before saving (1 February 2027)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CLOCK_NOW: "2027-02-01T10:00:00+01:00", ADMIN_AAD_IDS: ADMIN });
  });
  afterAll(async () => h?.close());
  const events = async () => (await loadCycles(h.samhandling.store, [{ regionId: "national", year: 2027 }]))[0]!.events;
  const admin = { aadObjectId: ADMIN };
  const open = () => invoke(h, admin, "form.open", { form: "meeting.plan", regionId: "46", year: 2027, params: { meeting: "national-spring" } });

  it("«Lagre likevel» confirms the warning shown: a date changed on the warned form that makes another deadline pass is warned about again", async () => {
    const form = await open();
    const save = executeActions(form.card).find((a) => a.verb === "meeting.plan")!;
    // Planned for 12 March: invitations due 29 January.
    const warned = await invoke(h, admin, "meeting.plan", { ...save.data, date: "2027-03-12" });
    expect(cardText(warned.card)).toContain("Innkallingsfristen blir 29. januar – den er passert.");
    const anyway = executeActions(warned.card).find((a) => a.verb === "meeting.plan")!;
    const again = await invoke(h, admin, "meeting.plan", { ...anyway.data, date: "2027-03-05" });
    expect(cardText(again.card)).toContain("Innkallingsfristen blir 22. januar – den er passert.");
    expect(await events()).toEqual([]);
  });

  it("the national spring meeting set to 10 March: the form comes back with the invitation deadline, 27 January, and nothing is written; «Lagre likevel» records it once", async () => {
    const form = await open();
    const save = executeActions(form.card).find((a) => a.verb === "meeting.plan")!;
    expect(save.title).toBe("Lagre");
    const warned = await invoke(h, admin, "meeting.plan", { ...save.data, date: "2027-03-10", place: "Oslo" });
    const text = cardText(warned.card);
    expect(text).toContain("Innkallingsfristen blir 27. januar – den er passert.");
    expect(heading(warned.card)).toBe("Sett møtedato: Nasjonalt temamøte vår");
    // What was typed is kept, and nothing was written.
    expect(picker(warned.card).value).toBe("2027-03-10");
    expect(JSON.stringify(warned.card)).toContain('"value":"Oslo"');
    expect(await events()).toEqual([]);

    const anyway = executeActions(warned.card).find((a) => a.verb === "meeting.plan")!;
    expect(anyway.title).toBe("Lagre likevel");
    const saved = await invoke(h, admin, "meeting.plan", { ...anyway.data, date: "2027-03-10", place: "Oslo" });
    expect(cardText(saved.card)).toContain("✅ Registrert: Nasjonalt temamøte vår planlagt 10. mars 2027.");
    expect((await events()).map((e) => e.data)).toEqual([{ type: "meeting-planned", meeting: "national-spring", date: "2027-03-10", place: "Oslo" }]);

    // The same click delivered twice (Teams retries), and the first «Lagre» retried: still recorded once.
    expect(cardText((await invoke(h, admin, "meeting.plan", { ...anyway.data, date: "2027-03-10", place: "Oslo" })).card)).toContain("Dette var allerede registrert.");
    expect(cardText((await invoke(h, admin, "meeting.plan", { ...save.data, date: "2027-03-10", place: "Oslo" })).card)).toContain("Dette var allerede registrert.");
    expect(await events()).toHaveLength(1);
  });

  it("a date that leaves the invitations in time is saved at once", async () => {
    const before = (await events()).length;
    const form = await open();
    const save = executeActions(form.card).find((a) => a.verb === "meeting.plan")!;
    const saved = await invoke(h, admin, "meeting.plan", { ...save.data, date: "2027-03-31" });
    expect(cardText(saved.card)).toContain("✅ Registrert: Nasjonalt temamøte vår planlagt 31. mars 2027.");
    expect(await events()).toHaveLength(before + 1);
  });

  it.each([
    ["nn-NO", "Innkallingsfristen blir 26. januar – den er alt passert.", "Lagre likevel"],
    ["en-GB", "The invitation deadline becomes 26 January – it has passed.", "Save anyway"],
  ])("the warning in %s", async (locale, warning, button) => {
    const who = { aadObjectId: ADMIN, locale };
    const form = await invoke(h, who, "form.open", { form: "meeting.plan", regionId: "46", year: 2027, params: { meeting: "national-spring" } });
    const save = executeActions(form.card).find((a) => a.verb === "meeting.plan")!;
    const warned = await invoke(h, who, "meeting.plan", { ...save.data, date: "2027-03-09" });
    expect(cardText(warned.card)).toContain(warning);
    expect(executeActions(warned.card).find((a) => a.verb === "meeting.plan")!.title).toBe(button);
  });
});
