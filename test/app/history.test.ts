/**
 * The audit trail (`historikk`): every event of a region's (or the national track's) aggregates,
 * newest first across the cycle years, paged; undone events marked, undos entries of their own;
 * each entry in words with who, when (Oslo time) and the values.
 */
import { DateTime } from "luxon";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createApp } from "../../src/app/app.js";
import { appendToCycle, type LoadedCycle } from "../../src/app/cycles.js";
import { history, historyEntries, historyYears, pageOf, type HistoryEntry } from "../../src/app/history.js";
import { toSettings } from "../../src/app/settings.js";
import { describeEntry } from "../../src/cards/history-card.js";
import { reduceCycle } from "../../src/domain/cycle.js";
import type { DomainEvent, EventData } from "../../src/domain/events.js";
import { MODEL_2017 } from "../../src/domain/process.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import type { DocumentStore } from "../../src/store/store.js";

const KARI = { id: "00000000-0000-0000-0000-0000000000a1", name: "Kari Nordmann" };
const OLA = { id: "00000000-0000-0000-0000-0000000000b2", name: "Ola Nordmann" };
const settings = toSettings({ id: "settings", partition: "_system", type: "settings", schemaVersion: 1, trackingStart: "2027-01-01", regions: {} }, "r1");

let n = 0;
function event(data: EventData, recordedAt: string, by = KARI, id = `e-${++n}`): DomainEvent {
  return { id, recordedAt, by, data };
}
const cycle = (regionId: string, year: number, events: DomainEvent[]): LoadedCycle => ({ regionId, year, events, state: reduceCycle(regionId, year, events) });
const entry = (data: EventData, over: Partial<HistoryEntry> = {}): HistoryEntry => ({ event: event(data, "2027-03-17T09:00:00.000Z"), aggregateId: "46", year: 2027, ...over });

describe("history entries (pure)", () => {
  it("are newest first across the cycle years; the same instant keeps the recorded order", () => {
    const a = event({ type: "regional-budget-adopted", date: "2026-12-14" }, "2026-12-15T08:00:00.000Z");
    const b = event({ type: "meeting-planned", meeting: "regional-spring", date: "2027-04-21" }, "2027-03-01T12:00:00+01:00");
    const c = event({ type: "invitations-sent", meeting: "regional-spring", date: "2027-03-16" }, "2027-03-17T09:00:00.000Z");
    const d = event({ type: "follow-up-report-submitted", round: "spring", agency: "IN", date: "2027-03-17" }, "2027-03-17T10:00:00+01:00");
    const entries = historyEntries([cycle("46", 2026, [a]), cycle("46", 2027, [b, c, d])]);
    expect(entries.map((e) => e.event.id)).toEqual([d.id, c.id, b.id, a.id]);
    expect(entries.map((e) => e.year)).toEqual([2027, 2027, 2027, 2026]);
  });

  it("an undone event is marked with its undo, and the undo is an entry of its own pointing back", () => {
    const held = event({ type: "meeting-held", meeting: "national-spring", date: "2027-03-10" }, "2027-03-17T09:00:00.000Z");
    const undo = event({ type: "event-undone", eventId: held.id }, "2027-03-17T09:05:00.000Z");
    const again = event({ type: "meeting-held", meeting: "national-spring", date: "2027-03-11" }, "2027-03-17T09:06:00.000Z", OLA);
    const [latest, undoEntry, original] = historyEntries([cycle("national", 2027, [held, undo, again])]);
    expect(latest).toMatchObject({ event: again });
    expect(latest!.undoneBy).toBeUndefined();
    expect(undoEntry).toMatchObject({ event: undo, undoes: held });
    expect(original).toMatchObject({ event: held, undoneBy: undo });
  });

  it("pages of ten; a page beyond the last is the last; an empty trail is one empty page", () => {
    const events = Array.from({ length: 23 }, (_, i) => event({ type: "meeting-planned", meeting: "regional-spring", date: "2027-04-21" }, DateTime.fromISO("2027-03-01T09:00:00Z").plus({ minutes: i }).toISO()!));
    const entries = historyEntries([cycle("46", 2027, events)]);
    const first = pageOf(entries, 1);
    expect(first).toMatchObject({ page: 1, pageCount: 3, total: 23, pageSize: 10 });
    expect(first.entries.map((e) => e.event.id)).toEqual(events.slice(13).reverse().map((e) => e.id));
    expect(pageOf(entries, 3).entries.map((e) => e.event.id)).toEqual(events.slice(0, 3).reverse().map((e) => e.id));
    expect(pageOf(entries, 99)).toMatchObject({ page: 3 });
    expect(pageOf(entries, 0)).toMatchObject({ page: 1 });
    expect(pageOf(entries, 2, 5)).toMatchObject({ page: 2, pageCount: 5 });
    expect(pageOf([], 4)).toEqual({ entries: [], page: 1, pageSize: 10, pageCount: 1, total: 0 });
  });
});

describe("the years a history shows", () => {
  it("the two latest cycles: while the old cycle still closes, exactly the active ones (not the cycle before them)", () => {
    expect(historyYears("2028-01-10", MODEL_2017)).toEqual([2027, 2028]);
    expect(historyYears("2027-02-15", MODEL_2017)).toEqual([2026, 2027]);
    expect(historyYears("2027-03-17", MODEL_2017)).toEqual([2026, 2027]);
    expect(historyYears("2027-06-01", MODEL_2017)).toEqual([2026, 2027]);
    expect(historyYears("2027-12-31", MODEL_2017)).toEqual([2026, 2027]);
  });
});

describe("history over the store", () => {
  let store: DocumentStore;
  beforeEach(() => {
    store = openSqliteStore(":memory:");
  });
  afterEach(async () => store.close());
  const append = (regionId: string, year: number, ...events: DomainEvent[]) => appendToCycle(store, regionId, year, () => events);

  it("a region's history is the region's own events; the national track is its own", async () => {
    const regional = event({ type: "meeting-planned", meeting: "regional-spring", date: "2027-04-21", place: "Fylkeshuset" }, "2027-03-10T09:00:00.000Z");
    const national = event({ type: "meeting-held", meeting: "national-spring", date: "2027-03-10" }, "2027-03-11T09:00:00.000Z");
    const lastYear = event({ type: "regional-budget-adopted", date: "2026-12-14" }, "2026-12-15T09:00:00.000Z");
    await append("46", 2027, regional);
    await append("46", 2026, lastYear);
    await append("national", 2027, national);
    await append("11", 2027, event({ type: "regional-budget-adopted", date: "2027-01-05" }, "2027-03-12T09:00:00.000Z"));

    const vestland = await history({ store }, "46", [2026, 2027], 1);
    expect(vestland).toMatchObject({ regionId: "46", years: [2026, 2027], total: 2, page: 1, pageCount: 1 });
    expect(vestland.entries.map((e) => e.event)).toEqual([regional, lastYear]);
    expect(vestland.entries[0]!.event.data).toEqual({ type: "meeting-planned", meeting: "regional-spring", date: "2027-04-21", place: "Fylkeshuset" });
    const nationalTrack = await history({ store }, "national", [2026, 2027], 1);
    expect(nationalTrack.entries.map((e) => e.event)).toEqual([national]);
    expect(await history({ store }, "03", [2026, 2027], 1)).toMatchObject({ entries: [], total: 0, pageCount: 1 });
  });

  it("through the App: a region by name, an unknown one with suggestions, no region → the bound region or the national track", async () => {
    const ADMIN = { id: "00000000-0000-0000-0000-00000000ad01", name: "Anne Admin" };
    const app = createApp({ store, model: MODEL_2017, settings, clock: () => DateTime.fromISO("2027-03-17T10:00:00+01:00"), people: { adminIds: [ADMIN.id] } });
    await append("46", 2027, event({ type: "invitations-sent", meeting: "regional-spring", date: "2027-03-16" }, "2027-03-16T09:00:00.000Z"));
    await append("national", 2027, event({ type: "meeting-held", meeting: "national-spring", date: "2027-03-10" }, "2027-03-11T09:00:00.000Z"));
    expect(await app.history("Vestland")).toMatchObject({ kind: "history", history: { regionId: "46", years: [2026, 2027], total: 1 } });
    expect(await app.history("Vestlnd")).toMatchObject({ kind: "unknown-region", query: "Vestlnd", suggestions: [{ name: "Vestland" }] });
    expect(await app.history()).toMatchObject({ kind: "history", history: { regionId: "national", total: 1 } });
    expect(await app.people.bind(ADMIN, "19:channel@thread.tacv2", "46")).toMatchObject({ kind: "bound" });
    expect(await app.history(undefined, "19:channel@thread.tacv2")).toMatchObject({ history: { regionId: "46", total: 1 } });
    expect(await app.historyOf("46", 7)).toMatchObject({ page: 1, total: 1 });
  });
});

describe("an entry in words", () => {
  it("who and when, in Oslo time, in each language", () => {
    const e = entry({ type: "meeting-held", meeting: "national-spring", date: "2027-03-10" }, { aggregateId: "national" });
    expect(describeEntry(e, "nb")).toEqual({ header: "17.\u00A0mars 2027 kl. 10.00 · Kari Nordmann", what: "Nasjonalt temamøte vår holdt 10. mars 2027", values: [], undone: "" });
    expect(describeEntry(e, "nn").what).toBe("Nasjonalt temamøte vår halde 10. mars 2027");
    expect(describeEntry(e, "en")).toMatchObject({ header: "17 March 2027, 10:00 · Kari Nordmann", what: "National spring theme meeting held 10 March 2027" });
  });

  it("summer time is Oslo time too", () => {
    const e = { ...entry({ type: "regional-budget-adopted", date: "2027-06-01" }), event: event({ type: "regional-budget-adopted", date: "2027-06-01" }, "2027-06-02T08:30:00.000Z") };
    expect(describeEntry(e, "nb").header).toBe("2.\u00A0juni 2027 kl. 10.30 · Kari Nordmann");
  });

  it.each<[EventData, string, string[]]>([
    [{ type: "meeting-planned", meeting: "regional-spring", date: "2027-04-21", place: "Fylkeshuset, Bergen" }, "Regionalt dialogmøte vår planlagt 21. april 2027", ["Sted eller lenke: Fylkeshuset, Bergen"]],
    [{ type: "invitations-sent", meeting: "regional-autumn", date: "2027-09-20" }, "Innkalling til regionalt høstmøte sendt 20. september 2027", []],
    [
      { type: "meeting-held", meeting: "national-autumn", date: "2027-10-20", parts: { experiences: true, opportunities: true } },
      "Nasjonalt temamøte høst holdt 20. oktober 2027",
      ["✔ Del 1: erfaringer fra årets satsinger er referert", "✔ Del 2: mulighetene i kommende periode er drøftet"],
    ],
    [{ type: "follow-up-report-submitted", round: "spring", agency: "IN", date: "2027-04-12" }, "Oppfølgingsrapport (vår) fra Innovasjon Norge levert 12. april 2027", []],
    [{ type: "draft-agreement-ready", date: "2027-11-01", link: "https://example.org/utkast_(v2).docx" }, "Utkast til samarbeidsavtale 2028 klart 1. november 2027", ["Lenke til utkastet: [example.org/utkast\\_\\(v2\\).docx](https://example.org/utkast_%28v2%29.docx)"]],
    [
      { type: "political-treatment-recorded", body: "Fylkesutvalet", date: "2027-12-08", caseNumber: "2027/1234", outcome: "approved-with-changes" },
      "Politisk behandling av avtale 2028: vedtatt med endringer 8. desember 2027",
      ["Politisk organ: Fylkesutvalet", "Saksnummer: 2027/1234"],
    ],
    [{ type: "state-budget-adopted", date: "2027-12-16" }, "Statsbudsjett 2028 vedtatt 16. desember 2027", []],
    [{ type: "allocation-letter-received", agency: "NFR", date: "2027-12-22" }, "Tildelingsbrev 2028 til Forskningsrådet mottatt 22. desember 2027", []],
    [{ type: "regional-budget-adopted", date: "2027-12-14" }, "Fylkesbudsjett 2028 vedtatt 14. desember 2027", []],
    [{ type: "agreement-signed", party: "region", date: "2028-01-15" }, "Samarbeidsavtale 2028 signert av Vestland fylkeskommune 15. januar 2028", []],
    [{ type: "agreement-signed", party: "SIVA", date: "2028-01-16" }, "Samarbeidsavtale 2028 signert av SIVA 16. januar 2028", []],
    [{ type: "commission-agreement-sent", agency: "IN", date: "2028-01-20" }, "Oppdragsavtale 2028 sendt til Innovasjon Norge 20. januar 2028", []],
  ])("%j", (data, what, values) => {
    expect(describeEntry(entry(data), "nb")).toMatchObject({ what, values });
  });

  it("an undone change says so; the undo names what it took back", () => {
    const held = event({ type: "meeting-held", meeting: "regional-spring", date: "2027-03-10" }, "2027-03-17T09:00:00.000Z");
    const undo = event({ type: "event-undone", eventId: held.id }, "2027-03-17T09:04:00.000Z", OLA);
    const [undoEntry, original] = historyEntries([cycle("46", 2027, [held, undo])]);
    expect(describeEntry(original!, "nb").undone).toBe("↩️ Angret 17. mars 2027 kl. 10.04 av Ola Nordmann");
    expect(describeEntry(original!, "nn").undone).toBe("↩️ Angra 17. mars 2027 kl. 10.04 av Ola Nordmann");
    expect(describeEntry(undoEntry!, "nb")).toEqual({ header: "17.\u00A0mars 2027 kl. 10.04 · Ola Nordmann", what: "↩️ Angret: Regionalt dialogmøte vår holdt 10. mars 2027", values: [], undone: "" });
    expect(describeEntry(undoEntry!, "en").what).toBe("↩️ Undone: Regional spring dialogue meeting held 10 March 2027");
    expect(describeEntry(entry({ type: "event-undone", eventId: "gone" }), "nb").what).toBe("↩️ Angret en tidligere endring");
  });

  it("what people typed is shown as typed: no Markdown, no template syntax; a missing name is said", () => {
    const e = entry({ type: "political-treatment-recorded", body: "**Fylkestinget** [x](https://evil.example)", date: "2027-12-08", caseNumber: "${x}", outcome: "sent-back" });
    const text = describeEntry({ ...e, event: { ...e.event, by: { id: "x", name: " " } } }, "nb");
    expect(text.values).toEqual(["Politisk organ: \\*\\*Fylkestinget\\*\\* \\[x\\]\\(https://evil.example\\)", "Saksnummer: $ {x}"]);
    expect(text.what).toBe("Politisk behandling av avtale 2028: sendt tilbake 8. desember 2027");
    expect(text.header).toBe("17.\u00A0mars 2027 kl. 10.00 · (ukjent)");
  });
});
