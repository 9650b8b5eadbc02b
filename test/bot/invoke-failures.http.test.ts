/**
 * Failures around card actions, through real HTTP: a store that fails during an action is
 * answered to the person who clicked (200, a translated card) and not to the whole
 * conversation; a connector that refuses to update the shared card does not hide what was
 * recorded; a failed member listing is not remembered; the shared card speaks the region's
 * written form, not the clicker's.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadCycles } from "../../src/app/cycles.js";
import { StoreConflictError, StoreUnavailableError, type DocumentStore } from "../../src/store/store.js";
import { cardOf, cardText, startHarness, type Harness } from "../support/harness.js";
import { executeActions, invoke, type Invoker } from "../support/invoke.js";

const ADMIN = "00000000-0000-0000-0000-00000000ad01";
const NYNORSK_ADMIN = "00000000-0000-0000-0000-00000000ad02";

/** Faults the wrapped store injects while set; `bindingReads` fails reads of the channel bindings only. */
const faults = { writes: false, reads: false, cycleConflicts: false, bindingReads: false };
let failedBindingReads = 0;

function faulty(store: DocumentStore): DocumentStore {
  const down = () => Promise.reject(new StoreUnavailableError("test: the store is down"));
  return {
    kind: store.kind,
    read: (key) => {
      if (faults.bindingReads && key.partition === "_system" && key.id === "bindings") {
        failedBindingReads++;
        return down();
      }
      return faults.reads ? down() : store.read(key);
    },
    readMany: (keys) => (faults.reads ? down() : store.readMany(keys)),
    list: (type, partition) => (faults.reads ? down() : store.list(type, partition)),
    write: (doc, precondition) => {
      if (faults.writes) return down();
      // Someone else always wins the race for the cycle: appendToCycle gives up (ConcurrencyExhaustedError).
      if (faults.cycleConflicts && doc.type === "cycle") return Promise.reject(new StoreConflictError(doc));
      return store.write(doc, precondition);
    },
    remove: (key, precondition) => (faults.writes ? down() : store.remove(key, precondition)),
    close: () => store.close(),
  };
}

describe("card actions that fail (17 March 2027)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CLOCK_NOW: "2027-03-17T10:00:00+01:00", ADMIN_AAD_IDS: [ADMIN, NYNORSK_ADMIN].join(",") }, { wrapStore: faulty });
    await h.samhandling.app.people.setLanguage({ id: NYNORSK_ADMIN, name: "Nils Nynorsk" }, "nn");
  });
  afterAll(async () => h?.close());
  beforeEach(() => {
    Object.assign(faults, { writes: false, reads: false, cycleConflicts: false, bindingReads: false });
    Object.assign(h.connector.faults, { updates: false, memberListings: false });
  });

  const events = async (regionId: string) => (await loadCycles(h.samhandling.store, [{ regionId, year: 2027 }]))[0]!.events;

  /** Opens the form for a step and returns what its save button sends. */
  const saveAction = async (who: Invoker, form: string, regionId: string, meeting: string) => {
    const opened = await invoke(h, who, "form.open", { form, regionId, year: 2027, params: { meeting } });
    expect(opened.status).toBe(200);
    return executeActions(opened.card).find((a) => a.verb === form)!;
  };

  // First: the bindings are read (and then cached) by the first update for everyone.
  it("a failure while preparing the card for everyone, after the write: the person still gets their result", async () => {
    const where = { aadObjectId: ADMIN, conversationType: "channel" as const, conversationId: "channel-bindings-down" };
    const save = await saveAction(where, "meeting.plan", "31", "regional-spring");
    const updatesBefore = h.connector.updated.length;
    faults.bindingReads = true;
    const saved = await invoke(h, where, "meeting.plan", { ...save.data, date: "2027-04-20" });
    expect(failedBindingReads).toBeGreaterThan(0);
    expect(saved.status).toBe(200);
    expect(cardText(saved.card)).toContain("✅ Registrert");
    expect(h.connector.updated.length).toBe(updatesBefore);
    expect(h.connector.to(where.conversationId)).toEqual([]);
    expect(await events("31")).toHaveLength(1);
  });

  it("a store that fails during a card action: 200 with the error card in the person's language, nothing posted to the conversation", async () => {
    const where = { conversationType: "channel" as const, conversationId: "channel-store-down" };
    const save = await saveAction({ aadObjectId: ADMIN, ...where }, "meeting.plan", "03", "regional-spring");
    const updatesBefore = h.connector.updated.length;

    faults.writes = true;
    const failed = await invoke(h, { aadObjectId: ADMIN, ...where }, "meeting.plan", { ...save.data, date: "2027-04-20" });
    expect(failed.status).toBe(200);
    expect(failed.body.type).toBe("application/vnd.microsoft.card.adaptive");
    // The store is down: "try again in a moment", not the generic apology.
    expect(cardText(failed.card)).toContain("Samhandling får ikke kontakt med lagringen akkurat nå. Prøv igjen om et øyeblikk.");
    // Someone who chose nynorsk reads it in nynorsk, whatever their Teams locale.
    const theirs = await invoke(h, { aadObjectId: NYNORSK_ADMIN, ...where }, "meeting.plan", { ...save.data, date: "2027-04-20" });
    expect(theirs.status).toBe(200);
    expect(cardText(theirs.card)).toContain("Samhandling får ikkje kontakt med lagringa akkurat no.");

    expect(h.connector.to(where.conversationId)).toEqual([]);
    expect(h.connector.updated.length).toBe(updatesBefore);
    faults.writes = false;
    expect(await events("03")).toEqual([]);

    // Once the store is back, the same button records.
    const saved = await invoke(h, { aadObjectId: ADMIN, ...where }, "meeting.plan", { ...save.data, date: "2027-04-20" });
    expect(cardText(saved.card)).toContain("✅ Registrert");
    expect(await events("03")).toHaveLength(1);
  });

  it("a write that loses every race (ConcurrencyExhaustedError) is answered the same way, with the generic apology", async () => {
    const where = { conversationType: "groupChat" as const, conversationId: "chat-contention" };
    const save = await saveAction({ aadObjectId: ADMIN, ...where }, "meeting.plan", "32", "regional-spring");
    faults.cycleConflicts = true;
    const failed = await invoke(h, { aadObjectId: ADMIN, ...where }, "meeting.plan", { ...save.data, date: "2027-04-20" });
    expect(failed.status).toBe(200);
    expect(cardText(failed.card)).toContain("Beklager, noe gikk galt hos meg.");
    expect(h.connector.to(where.conversationId)).toEqual([]);
    faults.cycleConflicts = false;
    expect(await events("32")).toEqual([]);
  });

  it("a message turn that fails on the store gets \"try again\" (HTTP 200), in the language the person chose", async () => {
    const from = { id: "29:nils", aadObjectId: NYNORSK_ADMIN, name: "Nils Nynorsk" };
    expect(cardText(cardOf((await h.say("status Vestland", { from })).replies[0]))).toContain("Vestland");
    faults.reads = true;
    const { status, replies } = await h.say("status Agder", { from, locale: "nb-NO" });
    expect(status).toBe(200);
    expect(replies.map((r) => r.activity.text)).toEqual(["Samhandling får ikkje kontakt med lagringa akkurat no. Prøv igjen om eit augeblikk."]);
  });

  it("a connector that refuses to update the shared card: the person still gets their updated card, and the step is recorded once", async () => {
    const where = { aadObjectId: ADMIN, conversationType: "channel" as const, conversationId: "channel-put-fails" };
    const save = await saveAction(where, "meeting.plan", "42", "regional-spring");
    const updatesBefore = h.connector.updated.length;

    h.connector.faults.updates = true;
    const saved = await invoke(h, where, "meeting.plan", { ...save.data, date: "2027-04-20" });
    expect(saved.status).toBe(200);
    expect(cardText(saved.card)).toContain("✅ Registrert");
    expect(executeActions(saved.card).some((a) => a.verb === "undo")).toBe(true);
    expect(h.connector.updated.length).toBe(updatesBefore);
    expect(h.connector.to(where.conversationId)).toEqual([]);
    expect((await events("42")).map((e) => e.data.type)).toEqual(["meeting-planned"]);

    // Teams retries the same action: still once.
    h.connector.faults.updates = false;
    const retry = await invoke(h, where, "meeting.plan", { ...save.data, date: "2027-04-20" });
    expect(cardText(retry.card)).toContain("Dette var allerede registrert.");
    expect(await events("42")).toHaveLength(1);
  });

  it("a failed member listing is not remembered: the next status lists the members again", async () => {
    h.connector.rosters.set("chat-listing", [
      { id: "29:user-1", name: "Kari Nordmann", aadObjectId: "00000000-0000-0000-0000-0000000000a1" },
      { id: "29:admin", name: "Admin", aadObjectId: ADMIN },
    ]);
    const ask = async () => cardOf((await h.say("status Vestland", { conversationType: "groupChat", conversationId: "chat-listing", mention: true })).replies.at(-1));

    const listings = () => h.connector.memberListings.filter((c) => c === "chat-listing").length;

    h.connector.faults.memberListings = true;
    const first = await ask();
    // Without the members, Teams is asked to refresh the card for the asker only.
    expect(first.refresh.userIds).toEqual(["29:user-1"]);
    const failedListings = listings();
    expect(failedListings).toBeGreaterThan(0);

    h.connector.faults.memberListings = false;
    const second = await ask();
    expect(second.refresh.userIds).toEqual(["29:user-1", "29:admin"]);
    expect(listings()).toBe(failedListings + 1);
    // A successful listing is kept.
    await ask();
    expect(listings()).toBe(failedListings + 1);
  });

  it("the card replaced for everyone speaks the bound region's written form, not the clicker's language", async () => {
    // A channel bound to Vestland (nynorsk); the person who clicks reads bokmål.
    await h.samhandling.app.people.bind({ id: ADMIN, name: "Admin" }, "channel-vestland", "46");
    const where = { aadObjectId: ADMIN, conversationType: "channel" as const, conversationId: "channel-vestland" };
    const save = await saveAction(where, "meeting.plan", "46", "regional-spring");
    const before = h.connector.updated.length;
    const saved = await invoke(h, where, "meeting.plan", { ...save.data, date: "2027-04-20" });
    expect(cardText(saved.card)).toContain("Vis hele året");
    const shared = h.connector.updated.slice(before);
    expect(shared).toHaveLength(1);
    expect(cardText(shared[0]!.activity.attachments![0]!.content)).toContain("Vis heile året");

    // An unbound chat: the form of the region the card shows (Oslo: bokmål), though the clicker chose nynorsk.
    const nils = { aadObjectId: NYNORSK_ADMIN, conversationType: "groupChat" as const, conversationId: "chat-oslo" };
    const agder = await saveAction(nils, "meeting.plan", "03", "regional-autumn");
    const next = h.connector.updated.length;
    const planned = await invoke(h, nils, "meeting.plan", { ...agder.data, date: "2027-10-20" });
    expect(cardText(planned.card)).toContain("Vis heile året");
    const osloShared = h.connector.updated.slice(next);
    expect(osloShared).toHaveLength(1);
    expect(cardText(osloShared[0]!.activity.attachments![0]!.content)).toContain("Vis hele året");
  });
});
