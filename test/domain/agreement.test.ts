/**
 * The agreement's parties and concrete tasks (§2.1: "follow-up responsibility between the parties
 * for concrete tasks"; §3.3 commission agencies), as a fold of its change events.
 */
import { describe, expect, it } from "vitest";
import { agreementYears } from "../../src/app/agreements.js";
import { nextTaskIds, parsePastedTasks, reduceAgreement, tasksOf, type AgreementChange, type AgreementEvent, type TaskParty } from "../../src/domain/agreement.js";
import { MODEL_2017 } from "../../src/domain/process.js";
import { AgreementPartiesBook } from "../../src/app/agreement-parties.js";
import { appendToAgreement } from "../../src/app/report-store.js";
import { parseCommand } from "../../src/bot/commands.js";
import type { AgencyId } from "../../src/domain/regions.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import type { DocumentStore } from "../../src/store/store.js";

let n = 0;
const event = (data: AgreementChange): AgreementEvent => ({ id: `e${++n}`, recordedAt: "2027-02-01T10:00:00.000+01:00", by: { id: "kari", name: "Kari" }, data });
const task = (id: string, title: string, responsible: TaskParty[]) => ({ id, title, responsible });

describe("an agreement as the fold of its changes", () => {
  it("starts with the region's parties (default IN, SIVA and NFR; IN gets the commission agreement) and no tasks", () => {
    const state = reduceAgreement("46", 2027, []);
    expect(state).toMatchObject({ partiesSet: false, tasks: [], parties: { partyAgencies: ["IN", "SIVA", "NFR"], commissionAgencies: ["IN"] } });
  });

  it("parties set, tasks added, edited and removed — in recorded order", () => {
    const events = [
      event({ type: "parties-set", partyAgencies: ["IN", "NFR", "RFF"], commissionAgencies: ["IN", "RFF"] }),
      event({ type: "task-added", task: task("t1", "Klyngeprogram", ["IN", "region"]) }),
      event({ type: "task-added", task: task("t2", "Forskningsmobilisering", ["NFR", "RFF"]) }),
      event({ type: "task-edited", task: { ...task("t1", "Klyngeprogram for havnæringene", ["IN"]), indicator: "antall klyngeprosjekter" } }),
      event({ type: "task-removed", taskId: "t2" }),
    ];
    const state = reduceAgreement("46", 2027, events);
    expect(state.partiesSet).toBe(true);
    expect(state.parties.partyAgencies).toEqual(["IN", "NFR", "RFF"]);
    expect(state.tasks).toEqual([{ id: "t1", title: "Klyngeprogram for havnæringene", responsible: ["IN"], indicator: "antall klyngeprosjekter" }]);
    expect(tasksOf(state, "IN").map((t) => t.id)).toEqual(["t1"]);
    expect(tasksOf(state, "NFR")).toEqual([]);
  });

  it("never reuses a task id, not even a removed one's", () => {
    const events = [
      event({ type: "task-added", task: task("t1", "A", ["IN"]) }),
      event({ type: "task-added", task: task("t2", "B", ["IN"]) }),
      event({ type: "task-removed", taskId: "t2" }),
    ];
    expect(nextTaskIds(events, 2)).toEqual(["t3", "t4"]);
    expect(nextTaskIds([], 1)).toEqual(["t1"]);
  });

  it("copied tasks keep their content under new ids, and a copy replayed adds nothing twice", () => {
    const copied = event({ type: "tasks-copied", fromYear: 2027, tasks: [task("t1", "Klyngeprogram", ["IN"]), task("t2", "Mobilisering", ["NFR"])] });
    const state = reduceAgreement("46", 2028, [copied, { ...copied, id: "again" }]);
    expect(state.tasks.map((t) => `${t.id} ${t.title}`)).toEqual(["t1 Klyngeprogram", "t2 Mobilisering"]);
    expect(nextTaskIds([copied], 1)).toEqual(["t3"]);
  });
});

describe("tasks pasted one per line («tittel; IN, SIVA»)", () => {
  const parties = { partyAgencies: ["IN", "SIVA", "NFR"] as const, commissionAgencies: ["IN"] as const };
  const text = [
    "- Klyngeprogram for havnæringene; IN, SIVA",
    "",
    "2. Forskningsmobilisering; Forskningsrådet og fylkeskommunen",
    "Innovasjonsprogram; Innovasjon",
    "Regionale forskningsfond; RFF",
    "Tittel uten ansvarlig",
    "; IN",
    `${"x".repeat(201)}; IN`,
  ].join("\n");
  const lines = parsePastedTasks(text, { partyAgencies: [...parties.partyAgencies], commissionAgencies: [...parties.commissionAgencies] });

  it("reads the good lines with their parties, whatever the bullet or the way the party is named", () => {
    expect(lines.filter((l) => l.ok)).toEqual([
      { line: 1, ok: true, title: "Klyngeprogram for havnæringene", responsible: ["IN", "SIVA"] },
      { line: 3, ok: true, title: "Forskningsmobilisering", responsible: ["NFR", "region"] },
    ]);
  });

  it("knows the Research Council by its nynorsk name too, as the nynorsk hint tells people to write it", () => {
    const [line] = parsePastedTasks("Forskingsløft; Forskingsrådet og Noregs forskingsråd", { partyAgencies: ["NFR"], commissionAgencies: [] });
    expect(line).toEqual({ line: 1, ok: true, title: "Forskingsløft", responsible: ["NFR"] });
  });

  it("names what is wrong with each other line, with its number as pasted (empty lines count)", () => {
    expect(lines.filter((l) => !l.ok).map((l) => (l.ok ? "" : `${l.line} ${l.problem} ${l.name ?? ""}`.trim()))).toEqual([
      "4 unknown-party Innovasjon",
      "5 not-a-party RFF",
      "6 no-party",
      "7 no-title",
      "8 title-too-long",
    ]);
  });
});

describe("which agreement the card shows", () => {
  it("the one followed up now; from 1 August, when the autumn draft work opens, also next year's draft (§3.2)", () => {
    expect(agreementYears("2027-03-17", MODEL_2017)).toEqual({ currentYear: 2027 });
    expect(agreementYears("2027-07-31", MODEL_2017)).toEqual({ currentYear: 2027 });
    expect(agreementYears("2027-08-01", MODEL_2017)).toEqual({ currentYear: 2027, draftYear: 2028 });
    expect(agreementYears("2028-01-10", MODEL_2017)).toEqual({ currentYear: 2028 });
  });
});

describe("«avtale [region] [år]» as typed", () => {
  it.each([
    ["avtale", { kind: "agreement" }],
    ["avtale Vestland", { kind: "agreement", regionQuery: "Vestland" }],
    ["avtale for Møre og Romsdal 2028", { kind: "agreement", regionQuery: "Møre og Romsdal", year: 2028 }],
    ["agreement 46 2027", { kind: "agreement", regionQuery: "46", year: 2027 }],
    ["samarbeidsavtale 2028", { kind: "agreement", year: 2028 }],
  ])("%s", (text, command) => {
    expect(parseCommand(text)).toEqual(command);
  });
});

describe("the parties the wheel reads, kept in memory", () => {
  const set = (store: DocumentStore, year: number, partyAgencies: AgencyId[], id: string) =>
    appendToAgreement(store, "46", year, () => ({
      events: [{ id, recordedAt: "2026-11-10T10:00:00.000+01:00", by: { id: "kari", name: "Kari" }, data: { type: "parties-set", partyAgencies, commissionAgencies: ["IN"] } }],
      result: undefined,
    }));

  it("are read once per TTL with one query; this instance's change is seen at once, another's after the TTL", async () => {
    const store = openSqliteStore(":memory:");
    const book = new AgreementPartiesBook(store, 60_000);
    const empty = await book.view();
    expect(empty.of("46")).toBeUndefined();
    // Another instance writes: not seen until the TTL has passed …
    await set(store, 2027, ["IN", "SIVA", "NFR", "RFF"], "elsewhere");
    expect((await book.view()).revision).toBe(empty.revision);
    // … while a change made here is seen at once, with a new revision (the status card's version).
    await book.changed("46", 2027, { partyAgencies: ["IN", "NFR"], commissionAgencies: ["IN"] });
    const mine = await book.view();
    expect(mine.of("46")?.get(2027)?.partyAgencies).toEqual(["IN", "NFR"]);
    expect(mine.revision).not.toBe(empty.revision);
    // Without a TTL every view is read from the store; the same parties give the same revision on every instance.
    const fresh = new AgreementPartiesBook(store, 0);
    expect((await fresh.view()).of("46")?.get(2027)?.partyAgencies).toEqual(["IN", "SIVA", "NFR", "RFF"]);
    expect((await new AgreementPartiesBook(store, 0).view()).revision).toBe((await fresh.view()).revision);
    // Allocation letters of cycle 2026 are for agreement 2027: RFF's is national now, SIVA's stays (other regions).
    expect((await fresh.view()).nationalAgencies(2027, ["46", "11"], () => ["IN", "SIVA", "NFR"])).toEqual(["IN", "SIVA", "NFR", "RFF"]);
    await store.close();
  });
});
