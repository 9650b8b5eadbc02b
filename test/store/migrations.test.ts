/**
 * Upgrades without losing data (issue 13), on SQLite and on Cosmos DB (the in-process emulator):
 *
 * - the fixture store of the first versions (test/fixtures/store-v1.jsonl, made by
 *   make-store-v1.ts and never regenerated) is read by this app: `status Vestland` answers with
 *   the roles, the channel's binding, the chosen language and the recorded steps it holds;
 * - a made-up next version, defined only here (person v2: `lang` is called `language`), is
 *   upgraded on read without a write, written back under its etag only when next written, and
 *   upgraded by `migrate`: a dry run writes nothing, a second run writes nothing, a run cut off by
 *   a failing store is finished by the next with every document written once;
 * - a document of a newer version (schemaVersion 99) is refused with a clear message, by a turn
 *   (the generic apology; the log says what to do), by `migrate` and by `import`, and left as it is.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { openCosmosStore } from "../../src/store/cosmos-store.js";
import {
  currentVersion,
  describeMigration,
  DOCUMENT_VERSIONS,
  migrateStore,
  NewerDocumentError,
  upgradingStore,
  type VersionTable,
} from "../../src/store/migrations.js";
import * as records from "../../src/store/records.js";
import { CycleDocumentSchema, PEOPLE_PARTITION, PersonDocumentSchema } from "../../src/store/records.js";
import { appendToCycle, cycleKey, loadCycles } from "../../src/app/cycles.js";
import type { DomainEvent } from "../../src/domain/events.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import { StoreConflictError, StoreUnavailableError, type DocumentStore, type StoredDocument } from "../../src/store/store.js";
import { DOCUMENT_TYPES, importDocuments, TransferInputError } from "../../src/store/transfer.js";
import { startCosmosEmulator, type CosmosEmulator } from "../support/cosmos-emulator.js";
import { cardOf, cardText, startHarness, type TeamsUser } from "../support/harness.js";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
const FIXTURE = fs.readFileSync(path.join(projectRoot, "test/fixtures/store-v1.jsonl"), "utf8").trimEnd().split("\n");
const fixtureDocs = (): StoredDocument[] => FIXTURE.map((line) => (JSON.parse(line) as { doc: StoredDocument }).doc);
/** The day after the fixture's last day (2027-05-10, a Monday): the spring meetings are behind, the agreement's autumn ahead. */
const NOW = "2027-05-11T10:00:00+02:00";
/** In the fixture: Vestland's coordinator (chose nynorsk), the admin, and the channel bound to Vestland. */
const KOORD: TeamsUser = { id: "29:user-46", aadObjectId: "00000000-0000-0000-0000-000000000046", name: "Vera Vestland" };
const ADMIN_ID = "00000000-0000-0000-0000-00000000ad01";
const CHANNEL = "19:vestland@thread.tacv2";
const KOORD_KEY = { partition: PEOPLE_PARTITION, id: KOORD.aadObjectId! };

/** The made-up next version: a person's chosen language is called `language` instead of `lang`. */
const PersonV2Schema = PersonDocumentSchema.omit({ schemaVersion: true, lang: true }).extend({
  schemaVersion: z.literal(2),
  language: z.enum(["nb", "nn", "en"]).optional(),
});
const NEXT: VersionTable = {
  ...DOCUMENT_VERSIONS,
  person: {
    schema: PersonV2Schema,
    steps: [{ describe: "the chosen language `lang` is called `language`", up: ({ lang, ...rest }) => ({ ...rest, ...(lang === undefined ? {} : { language: lang }) }) }],
  },
};
/** NEXT, and every other type a v2 that changes nothing: so that every document of the fixture has an upgrade to write. */
const NEXT_ALL: VersionTable = Object.fromEntries(
  Object.entries(NEXT).map(([type, versions]) => [
    type,
    type === "person" ? versions : { schema: (versions.schema as z.ZodObject).extend({ schemaVersion: z.literal(2) }), steps: [{ describe: "nothing changes", up: (doc: StoredDocument) => doc }] },
  ]),
);

let emulator: CosmosEmulator;
let tmp: string;
beforeAll(async () => {
  emulator = await startCosmosEmulator();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "samhandling-migrations-"));
});
afterAll(async () => {
  await emulator?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Backend {
  /** A fresh, empty store. */
  open(): Promise<DocumentStore>;
  /** The app's environment for the store `open` gave last. */
  env(): Record<string, string>;
}

const backends: Record<"sqlite" | "cosmos", () => Backend> = {
  sqlite: () => {
    let file = "";
    return {
      open: async () => openSqliteStore((file = path.join(tmp, `${randomUUID()}.db`))),
      env: () => ({ SQLITE_PATH: file }),
    };
  },
  cosmos: () => {
    let container = "";
    return {
      open: async () => openCosmosStore({ endpoint: emulator.endpoint, key: emulator.key, database: "samhandling", container: (container = `migrations-${randomUUID()}`) }),
      env: () => ({ STORE: "cosmos", COSMOS_ENDPOINT: emulator.endpoint, COSMOS_KEY: emulator.key, COSMOS_DATABASE: "samhandling", COSMOS_CONTAINER: container }),
    };
  },
};

/** Every document of every type, by partition/id, with its etag. */
async function everything(store: DocumentStore): Promise<Map<string, { doc: StoredDocument; etag: string }>> {
  const all = new Map<string, { doc: StoredDocument; etag: string }>();
  for (const type of DOCUMENT_TYPES) for (const hit of await store.list(type)) all.set(`${hit.doc.partition}/${hit.doc.id}`, hit);
  return all;
}

/** The store, writing `limit` documents and then failing as an outage would (a run killed half-way); counts writes by key. */
function failingAfter(inner: DocumentStore, limit: number, written: string[]): DocumentStore {
  return {
    kind: inner.kind,
    read: (key) => inner.read(key),
    readMany: (keys) => inner.readMany(keys),
    list: (type, partition) => inner.list(type, partition),
    remove: (key, precondition) => inner.remove(key, precondition),
    close: () => inner.close(),
    async write(doc, precondition) {
      if (written.length >= limit) throw new StoreUnavailableError("the store went away (test)");
      const etag = await inner.write(doc, precondition);
      written.push(`${doc.partition}/${doc.id}`);
      return etag;
    },
  };
}

it("one place lists the versions: every stored type, each schema at the version its steps lead to", () => {
  expect(Object.keys(DOCUMENT_VERSIONS).sort()).toEqual([...DOCUMENT_TYPES].sort());
  for (const [type, versions] of Object.entries(DOCUMENT_VERSIONS)) {
    const literal = (versions.schema as z.ZodObject).shape.schemaVersion as z.ZodLiteral<number>;
    // The newest version the schema accepts (cycle accepts 1 and 2: cycleSchemaVersion).
    expect(Math.max(...literal.values), type).toBe(currentVersion(versions));
  }
  // The fixture is of the first versions, and holds the documents a typical year makes.
  const types = new Set(fixtureDocs().map((d) => d.type));
  for (const type of ["settings", "roles", "bindings", "person", "cycle", "conversation", "mailbox", "agreement", "report"]) expect(types, type).toContain(type);
  expect(fixtureDocs().every((d) => d.schemaVersion === 1)).toBe(true);
});

it("every document type is listed: each *DocumentSchema of records.ts, and each type the app's code creates", () => {
  const listed = Object.keys(DOCUMENT_VERSIONS);
  const schemas = Object.entries(records).filter(([name]) => name.endsWith("DocumentSchema"));
  expect(schemas.length).toBeGreaterThanOrEqual(listed.length);
  for (const [name, schema] of schemas) {
    const type = ((schema as z.ZodObject).shape.type as z.ZodLiteral<string>).value;
    expect(listed, `${name} (type "${type}") is missing from DOCUMENT_VERSIONS`).toContain(type);
    expect(DOCUMENT_TYPES, `${name} (type "${type}") is missing from DOCUMENT_SCHEMAS (transfer.ts)`).toContain(type);
  }
  // A document made in code (`type: "…", schemaVersion`) without a schema in records.ts.
  const made = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith(".ts")) for (const m of fs.readFileSync(file, "utf8").matchAll(/type: "([a-z-]+)"(?: as const)?, schemaVersion/g)) made.add(m[1]!);
    }
  };
  walk(path.join(projectRoot, "src"));
  expect(made.size).toBeGreaterThan(5);
  for (const type of made) expect(listed, `documents of type "${type}" are written but not listed in DOCUMENT_VERSIONS`).toContain(type);
});

describe("cycle version 2: the event step-completed (a model file's own step, MODEL_PATH)", () => {
  /** This app as a release that knows cycle version 1 only (before step-completed). */
  const V1_ONLY: VersionTable = { ...DOCUMENT_VERSIONS, cycle: { schema: CycleDocumentSchema.extend({ schemaVersion: z.literal(1) }), steps: [] } };
  const by = { id: "system", name: "test" };
  const event = (id: string, data: DomainEvent["data"]): DomainEvent => ({ id, recordedAt: "2027-09-07T10:00:00.000+02:00", by, data });
  const STEP = event("e-step", { type: "step-completed", step: "regional-input-national-autumn", date: "2027-09-07" });

  it("a cycle holding one is written at v2, which a v1-only app refuses clearly (not a parse failure); every other cycle stays v1", async () => {
    const store = openSqliteStore(":memory:");
    try {
      await appendToCycle(store, "46", 2027, () => [event("e-plain", { type: "state-budget-adopted", date: "2027-09-06" })]);
      await appendToCycle(store, "11", 2027, () => [event("e-plain", { type: "state-budget-adopted", date: "2027-09-06" })]);
      expect((await store.read(cycleKey("46", 2027)))!.doc.schemaVersion).toBe(1);
      await appendToCycle(store, "46", 2027, () => [STEP]);
      expect((await store.read(cycleKey("46", 2027)))!.doc.schemaVersion).toBe(2);

      // This app reads both versions, the v1 one as it is stored (no copy).
      const [vestland, rogaland] = await loadCycles(upgradingStore(store), [{ regionId: "46", year: 2027 }, { regionId: "11", year: 2027 }]);
      expect(vestland!.state.completed).toEqual({ "regional-input-national-autumn": "2027-09-07" });
      expect(rogaland!.events).toHaveLength(1);

      // The older app: Rogaland's as before; Vestland's refused with the message that says what to do.
      const older = upgradingStore(store, V1_ONLY);
      expect((await loadCycles(older, [{ regionId: "11", year: 2027 }]))[0]!.events).toHaveLength(1);
      const error = await loadCycles(older, [{ regionId: "46", year: 2027 }]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NewerDocumentError);
      expect((error as Error).message).toBe(
        "Document 46/cycle-2027 (cycle, schemaVersion 2; this app knows cycle up to version 1) was written by a newer version of Samhandling: upgrade this instance. It was neither read nor overwritten.",
      );
      expect((await migrateStore(store, { table: V1_ONLY })).newer).toEqual([{ key: cycleKey("46", 2027), type: "cycle", from: 2, to: 1 }]);
    } finally {
      await store.close();
    }
  });

  it("migrate: a v1 cycle without it is left at v1; one that holds it at v1 (as the first build of MODEL_PATH wrote it) is upgraded to v2, once", async () => {
    const store = openSqliteStore(":memory:");
    try {
      const plain = { ...cycleKey("11", 2027), type: "cycle", schemaVersion: 1, regionId: "11", year: 2027, events: [event("e-plain", { type: "state-budget-adopted", date: "2027-09-06" })] };
      const old = { ...cycleKey("46", 2027), type: "cycle", schemaVersion: 1, regionId: "46", year: 2027, events: [STEP] };
      await store.write(plain, { ifAbsent: true });
      await store.write(old, { ifAbsent: true });
      const dry = await migrateStore(store, { dryRun: true });
      expect(dry.changes).toEqual([{ key: cycleKey("46", 2027), type: "cycle", from: 1, to: 2 }]);
      expect(describeMigration(dry)).toContain("would upgrade 46/cycle-2027 (cycle v1 → v2: may hold step-completed events (a model file's own steps); nothing else changes)");
      expect((await migrateStore(store)).written).toBe(1);
      expect((await store.read(cycleKey("46", 2027)))!.doc).toEqual({ ...old, schemaVersion: 2 });
      expect((await store.read(cycleKey("11", 2027)))!.doc).toEqual(plain);
      expect((await migrateStore(store)).written).toBe(0);
      // Read by this app before any migrate: upgraded in memory.
      const fresh = openSqliteStore(":memory:");
      await fresh.write(old, { ifAbsent: true });
      expect((await upgradingStore(fresh).read(cycleKey("46", 2027)))!.doc.schemaVersion).toBe(2);
      await fresh.close();
    } finally {
      await store.close();
    }
  });
});

describe.each(["sqlite", "cosmos"] as const)("on %s", (kind) => {
  it("the fixture of the first versions: this app reads it and answers status Vestland as before; migrate has nothing to do", async () => {
    const backend = backends[kind]();
    const store = await backend.open();
    expect(await importDocuments(store, FIXTURE)).toMatchObject({ read: FIXTURE.length, written: FIXTURE.length });
    const before = await everything(store);
    expect(describeMigration(await migrateStore(store)).at(-1)).toBe("nothing to upgrade: every document is at this app's version (0 written)");
    await store.close();

    const h = await startHarness({ ...backend.env(), CLOCK_NOW: NOW, ADMIN_AAD_IDS: ADMIN_ID });
    try {
      // The coordinator's chosen language (nynorsk) and role; Vestland's recorded steps.
      const mine = cardText(cardOf((await h.say("status Vestland", { from: KOORD })).replies[0]));
      expect(mine).toContain("Status – Vestland");
      expect(mine).toContain("Vis heile året");
      expect(mine).toContain("✅ **Regionalt dialogmøte vår** · Ferdig");
      expect(mine).toContain("✅ **Innkalling til regionalt vårmøte** · Ferdig");
      expect(await h.samhandling.app.people.rolesOf(KOORD.aadObjectId!)).toEqual([{ kind: "region-coordinator", regionId: "46" }]);
      // The channel's binding: `status` there is Vestland's (Kari, who chose nothing, reads bokmål).
      const channel = cardText(cardOf((await h.say("status", { conversationId: CHANNEL, conversationType: "channel", mention: true })).replies[0]));
      expect(channel).toContain("Status – Vestland");
      expect(channel).toContain("Vis hele året");
      // The agreement and the agencies' reports of the spring round.
      const spring = (await h.samhandling.app.papers.summary("46", 2027, "spring"))!;
      expect(spring.tasks.map((t) => t.task.title)).toEqual(["Klyngeprogram for havnæringene", "Forskningsmobilisering i næringslivet"]);
      expect(spring.caseNumber).toBe("27/12");
      // Reading wrote nothing back: every fixture document as it was, under the same etag.
      const after = await everything(h.samhandling.store);
      for (const [key, { doc, etag }] of before) {
        if (doc.type === "conversation" || doc.type === "mailbox") continue; // a turn may note where a person can be reached
        expect(after.get(key), key).toEqual({ doc, etag });
      }
    } finally {
      await h.close();
    }
  });

  it("a made-up next version: upgraded on read without a write, written under its etag when next written, and by migrate once", async () => {
    const store = await backends[kind]().open();
    try {
      await importDocuments(store, FIXTURE);
      const stored = (await store.read(KOORD_KEY))!;
      expect(stored.doc).toMatchObject({ schemaVersion: 1, lang: "nn" });

      // On read: the next version, under the stored etag; the store still holds version 1.
      const next = upgradingStore(store, NEXT);
      const read = (await next.read(KOORD_KEY))!;
      expect(read.etag).toBe(stored.etag);
      expect(PersonV2Schema.parse(read.doc)).toEqual({ ...PersonV2Schema.parse({ ...stored.doc, schemaVersion: 2, language: "nn" }) });
      expect(read.doc).not.toHaveProperty("lang");
      expect((await next.readMany([KOORD_KEY]))[0]).toEqual(read);
      expect((await next.list("person")).map((v) => v.doc.schemaVersion)).toEqual([2, 2]);
      expect(await store.read(KOORD_KEY)).toEqual(stored);

      // Written back when next written, under that etag: a stale one is refused, nothing is blindly overwritten.
      await next.write({ ...read.doc, updatedAt: "2027-05-11T10:00:00.000+02:00" }, { ifMatch: read.etag });
      await expect(next.write(read.doc, { ifMatch: read.etag })).rejects.toBeInstanceOf(StoreConflictError);
      expect((await store.read(KOORD_KEY))!.doc).toMatchObject({ schemaVersion: 2, language: "nn" });

      // migrate: the dry run lists the one person left at version 1 and writes nothing.
      const dry = await migrateStore(store, { table: NEXT, dryRun: true });
      expect(dry.changes).toEqual([{ key: { partition: PEOPLE_PARTITION, id: "00000000-0000-0000-0000-000000000461" }, type: "person", from: 1, to: 2 }]);
      expect(dry.written).toBe(0);
      expect(describeMigration(dry, NEXT)).toContain(
        "would upgrade _people/00000000-0000-0000-0000-000000000461 (person v1 → v2: the chosen language `lang` is called `language`)",
      );
      expect((await store.read(dry.changes[0]!.key))!.doc.schemaVersion).toBe(1);

      const run = await migrateStore(store, { table: NEXT });
      expect(run.written).toBe(1);
      expect(run.types.find((t) => t.type === "person")).toEqual({ type: "person", current: 2, found: { 1: 1, 2: 1 }, written: 1 });
      expect(run.types.find((t) => t.type === "cycle")).toEqual({ type: "cycle", current: 2, found: { 1: 4 }, written: 0 });
      expect((await store.read(dry.changes[0]!.key))!.doc).toMatchObject({ schemaVersion: 2, language: "en" });

      // Idempotent: a second run writes nothing, and says so.
      const again = await migrateStore(store, { table: NEXT });
      expect(again.written).toBe(0);
      expect(describeMigration(again, NEXT).at(-1)).toBe("nothing to upgrade: every document is at this app's version (0 written)");

      // Nothing else changed.
      const all = await everything(store);
      for (const doc of fixtureDocs().filter((d) => d.type !== "person")) expect(all.get(`${doc.partition}/${doc.id}`)!.doc).toEqual(doc);

      // And this app (which knows person v1 only) now refuses them, as an older app would.
      const error = await upgradingStore(store).read(KOORD_KEY).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NewerDocumentError);
      expect((error as Error).message).toContain("schemaVersion 2; this app knows person up to version 1) was written by a newer version of Samhandling: upgrade this instance");
    } finally {
      await store.close();
    }
  });

  it("resumable: a run cut off by a failing store after 7 writes, then a clean run, writes every document once", async () => {
    const store = await backends[kind]().open();
    try {
      await importDocuments(store, FIXTURE);
      const firstRun: string[] = [];
      await expect(migrateStore(failingAfter(store, 7, firstRun), { table: NEXT_ALL })).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(firstRun).toHaveLength(7);

      const secondRun: string[] = [];
      const report = await migrateStore(failingAfter(store, Infinity, secondRun), { table: NEXT_ALL });
      expect(report.written).toBe(FIXTURE.length - 7);
      expect([...firstRun, ...secondRun].sort()).toEqual(fixtureDocs().map((d) => `${d.partition}/${d.id}`).sort());
      expect(Object.fromEntries(report.types.map((t) => [t.type, t.found[2] ?? 0])).person).toBe(firstRun.filter((k) => k.startsWith(PEOPLE_PARTITION)).length);

      expect((await migrateStore(store, { table: NEXT_ALL })).written).toBe(0);
      expect([...(await everything(store)).values()].every(({ doc }) => doc.schemaVersion === 2)).toBe(true);
    } finally {
      await store.close();
    }
  });
});

describe("a document written by a newer version", () => {
  const CYCLE = { partition: "46", id: "cycle-2027" };
  /** The fixture with Vestland's cycle 2027 as a newer version wrote it. */
  const withNewer = () =>
    fixtureDocs().map((doc) => JSON.stringify({ doc: doc.partition === CYCLE.partition && doc.id === CYCLE.id ? { ...doc, schemaVersion: 99 } : doc }));

  it("is refused by a turn (generic apology; the log says to upgrade), by migrate and by import, and left as it is", async () => {
    const lines = withNewer();
    expect(lines.filter((l) => l.includes('"schemaVersion":99'))).toHaveLength(1);
    const dbPath = path.join(tmp, `${randomUUID()}.db`);
    const store = openSqliteStore(dbPath);
    await importDocuments(store, FIXTURE);
    const v1 = (await store.read(CYCLE))!;
    await store.write({ ...v1.doc, schemaVersion: 99 }, { ifMatch: v1.etag });
    const stored = (await store.read(CYCLE))!;
    expect(stored.doc.schemaVersion).toBe(99);

    // import: this app refuses to take it in.
    const refused = await importDocuments(openSqliteStore(":memory:"), lines).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TransferInputError);
    expect((refused as Error).message).toMatch(/^line \d+: Document 46\/cycle-2027 \(cycle, schemaVersion 99; this app knows cycle up to version 2\) was written by a newer version of Samhandling: upgrade this instance/);

    // migrate: upgrades what it can, leaves it alone and says why.
    const report = await migrateStore(store);
    expect(report.newer).toEqual([{ key: CYCLE, type: "cycle", from: 99, to: 2 }]);
    expect(describeMigration(report)).toContain("left alone: 46/cycle-2027 (cycle v99; this app knows up to v2) was written by a newer version of Samhandling: upgrade this instance");
    await store.close();

    // A turn: the generic apology, and the log line an operator acts on.
    const log: string[] = [];
    const logger = pino({ level: "error" }, { write: (line: string) => void log.push(line) });
    const h = await startHarness({ SQLITE_PATH: dbPath, CLOCK_NOW: NOW }, { logger });
    try {
      const { replies } = await h.say("status Vestland");
      expect(replies.map((r) => r.activity.text)).toEqual(["Beklager, noe gikk galt hos meg. Prøv igjen om litt."]);
      const failed = log.map((l) => JSON.parse(l) as { msg: string; code?: string; err?: { message: string } }).find((l) => l.msg === "turn failed");
      expect(failed?.code).toBe("DOCUMENT_FROM_NEWER_VERSION");
      expect(failed?.err?.message).toContain("Document 46/cycle-2027 (cycle, schemaVersion 99; this app knows cycle up to version 2) was written by a newer version of Samhandling: upgrade this instance");
      // Another region's card is unaffected.
      expect(cardText(cardOf((await h.say("status Rogaland")).replies[0]))).toContain("Status – Rogaland");
    } finally {
      await h.close();
    }
    const reopened = openSqliteStore(dbPath);
    expect(await reopened.read(CYCLE)).toEqual(stored);
    await reopened.close();

    // The command line: counts by type and version, the document left alone, exit 1.
    const cli = await runCli(["migrate"], { SQLITE_PATH: dbPath });
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(`migrate sqlite ${dbPath}\n`);
    expect(cli.stdout).toMatch(/^ {2}cycle +3 at v1, 1 at v99 \(this app: v2\); 0 upgraded$/m);
    expect(cli.stdout).toContain("left alone: 46/cycle-2027 (cycle v99; this app knows up to v2) was written by a newer version of Samhandling: upgrade this instance");
    expect(cli.stdout.trimEnd().split("\n").at(-1)).toBe("nothing to upgrade: every document is at this app's version (0 written)");
    const dry = await runCli(["migrate", "--dry-run"], { SQLITE_PATH: dbPath });
    expect(dry.stdout.trimEnd().split("\n").at(-1)).toBe("dry run: nothing to upgrade, every document is at this app's version");
  }, 60_000);
});

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(STORE|SQLITE_|COSMOS_)/.test(k)));
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/store.ts", ...args], { cwd: projectRoot, env: { ...clean, LOG_LEVEL: "silent", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
