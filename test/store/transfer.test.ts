/**
 * Backup and move: a populated SQLite store is exported as JSON Lines and imported into Cosmos DB
 * (the in-process emulator), every document compared; importing again writes nothing; a bad line
 * writes nothing; and the real CLI (`scripts/store.ts`) runs as a child process.
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadSettings } from "../../src/app/settings.js";
import { personalKey } from "../../src/app/conversations.js";
import { mailboxKey } from "../../src/app/outbox.js";
import { appendToAgreement, updateReport } from "../../src/app/report-store.js";
import { openCosmosStore, type CosmosStore } from "../../src/store/cosmos-store.js";
import {
  NUDGES_PARTITION,
  PEOPLE_PARTITION,
  PSEUDONYM_KEY_ID,
  REPORT_LINK_SECRET_ID,
  SYSTEM_PARTITION,
  type BindingsDocument,
  type PersonDocument,
  type RolesDocument,
} from "../../src/store/records.js";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite-store.js";
import type { DocumentStore, StoredDocument } from "../../src/store/store.js";
import {
  DOCUMENT_TYPES,
  exportDocuments,
  importDocuments,
  TransferInputError,
} from "../../src/store/transfer.js";
import { startCosmosEmulator, type CosmosEmulator } from "../support/cosmos-emulator.js";
import { record } from "../support/events.js";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
const ADMIN = { id: "00000000-0000-0000-0000-0000000000a1", name: "Kari Nordmann" };

let emulator: CosmosEmulator;
let tmp: string;
const toClose: DocumentStore[] = [];

beforeAll(async () => {
  emulator = await startCosmosEmulator();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "samhandling-transfer-"));
});
afterEach(async () => {
  for (const store of toClose.splice(0)) await store.close();
});
afterAll(async () => {
  await emulator.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function sqliteFile(): string {
  return path.join(tmp, `${randomUUID()}.db`);
}

function openSqlite(file: string): SqliteStore {
  const store = openSqliteStore(file);
  toClose.push(store);
  return store;
}

/** A fresh container per test: what an empty Cosmos DB account would be. */
async function openCosmos(): Promise<CosmosStore> {
  const store = await openCosmosStore({
    endpoint: emulator.endpoint,
    key: emulator.key,
    database: "samhandling",
    container: `transfer-${randomUUID()}`,
  });
  toClose.push(store);
  return store;
}

/** Cycles for several regions and years, settings, roles, bindings and people, through the real write paths where there are any. */
async function populate(store: DocumentStore): Promise<void> {
  await loadSettings(store, "2027-01-04");
  for (const regionId of ["46", "11", "03"]) {
    for (const year of [2027, 2028]) {
      await record(store, regionId, year, { type: "meeting-planned", meeting: "regional-spring", date: `${year}-04-20` });
    }
  }
  await record(store, "national", 2027, { type: "meeting-held", meeting: "national-spring", date: "2027-03-16" });
  const roles: RolesDocument = {
    id: "roles",
    partition: SYSTEM_PARTITION,
    type: "roles",
    schemaVersion: 1,
    assignments: [
      { personId: "0000aaaa-0000-0000-0000-000000000046", name: "Ola Vestland", role: "region-coordinator:46", grantedBy: ADMIN, grantedAt: "2027-01-05T09:00:00+01:00" },
    ],
  };
  const bindings: BindingsDocument = {
    id: "bindings",
    partition: SYSTEM_PARTITION,
    type: "bindings",
    schemaVersion: 1,
    channels: { "19:abc@thread.tacv2": { regionId: "46", boundBy: ADMIN, boundAt: "2027-01-05T09:05:00+01:00" } },
  };
  const people: PersonDocument[] = ["0000aaaa-0000-0000-0000-000000000046", "0000bbbb-0000-0000-0000-000000000011"].map((id, i) => ({
    id,
    partition: PEOPLE_PARTITION,
    type: "person",
    schemaVersion: 1,
    ...(i === 0 ? { lang: "nn" as const } : {}),
    updatedAt: "2027-01-06T10:00:00+01:00",
  }));
  for (const doc of [roles, bindings, ...people]) await store.write(doc, { ifAbsent: true });
  // The nudges' documents: where a person can be reached, what was said to them, the run lease.
  const personId = "00000000-0000-0000-0000-0000000000a1";
  await store.write(
    {
      ...personalKey(personId),
      type: "conversation",
      schemaVersion: 1,
      personId,
      address: { serviceUrl: "https://smba.trafficmanager.net/emea/", channelId: "msteams", conversationId: "a:1xyz", conversationType: "personal", botId: "28:bot" },
      locale: "nn-NO",
      updatedAt: "2027-01-06T10:00:00+01:00",
    },
    { ifAbsent: true },
  );
  const recipient = { kind: "person" as const, personId };
  await store.write(
    {
      ...mailboxKey(recipient),
      type: "mailbox",
      schemaVersion: 1,
      recipient,
      said: { "46|2027|regional-spring-meeting-convened|first": { on: "2027-03-01", outcome: "sent" } },
      snoozed: { "46|2027|political-treatment": "2027-10-20" },
    },
    { ifAbsent: true },
  );
  await store.write({ partition: NUDGES_PARTITION, id: "run-lease", type: "lease", schemaVersion: 1, holder: "instance-1", until: "2027-03-01T08:01:00.000Z" }, { ifAbsent: true });
  // Issue 10: an agreement with a task, an agency's follow-up report, and the download links' signing key.
  const by = { id: ADMIN.id, name: ADMIN.name };
  await appendToAgreement(store, "46", 2027, () => ({
    events: [{ id: "a1", recordedAt: "2027-01-10T10:00:00.000+01:00", by, data: { type: "task-added" as const, task: { id: "t1", title: "Klyngeprogram", responsible: ["IN" as const] } } }],
    result: undefined,
  }));
  await updateReport(store, { regionId: "46", year: 2027, round: "spring", agency: "IN" }, "submit-1", (current) => ({
    report: { ...current, versions: [{ content: { tasks: { t1: { status: "on-track" as const, comment: "Godt i gang" } } }, submittedAt: "2027-04-12T14:00:00.000+02:00", by, late: false, actionId: "submit-1" }] },
    result: undefined,
  }));
  await store.write(
    { partition: SYSTEM_PARTITION, id: REPORT_LINK_SECRET_ID, type: "report-link-secret", schemaVersion: 1, secret: "k".repeat(43), createdAt: "2027-04-12T14:05:00.000+02:00" },
    { ifAbsent: true },
  );
  // Issue 13: the key of erased people's pseudonyms in the audit trail (personal-data.ts).
  await store.write(
    { partition: SYSTEM_PARTITION, id: PSEUDONYM_KEY_ID, type: "pseudonym-key", schemaVersion: 1, key: "p".repeat(43), createdAt: "2027-05-02T10:00:00.000+02:00" },
    { ifAbsent: true },
  );
}

async function collect(lines: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const line of lines) out.push(line);
  return out;
}

/** Every document of every type, keyed by partition/id. */
async function everything(store: DocumentStore): Promise<Map<string, StoredDocument>> {
  const all = new Map<string, StoredDocument>();
  for (const type of DOCUMENT_TYPES) {
    for (const { doc } of await store.list(type)) all.set(`${doc.partition}/${doc.id}`, doc);
  }
  return all;
}

describe("export and import", () => {
  it("moves a populated SQLite store to Cosmos DB, every document identical, and a second import writes nothing", async () => {
    const source = openSqlite(sqliteFile());
    await populate(source);
    const lines = await collect(exportDocuments(source));
    const expected = await everything(source);
    // 1 settings + 1 roles + 1 bindings + 2 people + 7 cycles + 1 conversation + 1 mailbox + 1 lease
    // + 1 agreement + 1 report + 1 report-link-secret + 1 pseudonym-key
    expect(expected.size).toBe(19);
    expect(lines).toHaveLength(19);
    expect(new Set(lines.map((l) => JSON.parse(l).doc.type))).toEqual(new Set(DOCUMENT_TYPES));

    const target = await openCosmos();
    expect(await importDocuments(target, lines)).toEqual({ read: 19, written: 19, unchanged: 0, refused: 0, refusedKeys: [] });

    const copied = await everything(target);
    expect([...copied.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, doc] of expected) {
      expect(copied.get(key), key).toEqual(doc);
      // Point reads by the same key find it too (the partition really is the partition key).
      const read = await target.read({ partition: doc.partition, id: doc.id });
      expect(read?.doc, key).toEqual(doc);
    }

    expect(await importDocuments(target, lines)).toEqual({ read: 19, written: 0, unchanged: 19, refused: 0, refusedKeys: [] });
    // And the export of the copy is the export of the original.
    expect(await collect(exportDocuments(target))).toEqual(lines);
  });

  it("refuses to replace a document that differs in the target unless overwrite", async () => {
    const source = openSqlite(sqliteFile());
    await populate(source);
    const lines = await collect(exportDocuments(source));
    const target = await openCosmos();
    await importDocuments(target, lines);
    const key = { partition: PEOPLE_PARTITION, id: "0000bbbb-0000-0000-0000-000000000011" };
    const current = (await target.read(key))!;
    const changed = { ...current.doc, lang: "en", updatedAt: "2027-02-01T10:00:00+01:00" };
    await target.write(changed, { ifMatch: current.etag });

    expect(await importDocuments(target, lines)).toEqual({ read: 19, written: 0, unchanged: 18, refused: 1, refusedKeys: [key] });
    expect((await target.read(key))!.doc).toEqual(changed);

    expect(await importDocuments(target, lines, { overwrite: true })).toMatchObject({ written: 1, unchanged: 18, refused: 0 });
    expect((await target.read(key))!.doc).toEqual((await source.read(key))!.doc);
  });

  it("refuses an invalid line by its number and writes nothing, not even the lines before it", async () => {
    const source = openSqlite(sqliteFile());
    await populate(source);
    const lines = await collect(exportDocuments(source));
    const target = await openCosmos();

    const corrupted = [...lines.slice(0, 4), lines[4]!.slice(0, 40), ...lines.slice(5)];
    const error = await importDocuments(target, corrupted).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransferInputError);
    expect((error as TransferInputError).line).toBe(5);
    expect((error as Error).message).toMatch(/^line 5: not JSON/);
    expect((await everything(target)).size).toBe(0);

    const badCycle = JSON.parse([...lines].reverse().find((l) => JSON.parse(l).doc.type === "cycle")!);
    badCycle.doc.year = "2027";
    const schemaError = await importDocuments(target, ["", lines[0]!, JSON.stringify(badCycle)]).catch((e: unknown) => e);
    expect((schemaError as Error).message).toMatch(/^line 3: invalid cycle document: year: /);

    await expect(importDocuments(target, [JSON.stringify({ doc: { id: "x", partition: "p", type: "mystery", schemaVersion: 1 } })])).rejects.toThrow(
      /line 1: unknown document type "mystery"/,
    );
    await expect(importDocuments(target, [lines[0]!, lines[1]!, lines[0]!])).rejects.toThrow(/line 3: document .* already appeared on line 1/);
    expect((await everything(target)).size).toBe(0);
  });

  it("knows every document type records.ts defines", () => {
    const source = fs.readFileSync(path.join(projectRoot, "src/store/records.ts"), "utf8");
    const defined = [...source.matchAll(/type: z\.literal\("([^"]+)"\)/g)].map((m) => m[1]);
    expect(defined.length).toBeGreaterThan(0);
    expect([...DOCUMENT_TYPES].sort()).toEqual([...new Set(defined)].sort());
  });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runCli(args: string[], env: Record<string, string>, stdin = ""): Promise<Run> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(STORE|SQLITE_|COSMOS_)/.test(k)));
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/store.ts", ...args], {
    cwd: projectRoot,
    env: { ...clean, LOG_LEVEL: "silent", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdin.end(stdin);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("npm run store (scripts/store.ts)", () => {
  it("exports JSON Lines on stdout, imports them from stdin, and refuses bad input or a missing store without a stack trace", async () => {
    const from = sqliteFile();
    await populate(openSqlite(from));
    for (const store of toClose.splice(0)) await store.close();

    const exported = await runCli(["export"], { SQLITE_PATH: from });
    expect(exported.stderr).toBe(`exported 19 documents from sqlite ${from}\n`);
    expect(exported.code).toBe(0);
    const lines = exported.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(19);
    expect(lines).toEqual(await collect(exportDocuments(openSqlite(from))));

    const to = sqliteFile();
    const imported = await runCli(["import"], { STORE: "sqlite", SQLITE_PATH: to }, exported.stdout);
    expect(imported.stderr).toBe(`imported into sqlite ${to}: 19 read, 19 written, 0 unchanged, 0 refused\n`);
    expect(imported.code).toBe(0);

    const bad = await runCli(["import"], { SQLITE_PATH: sqliteFile() }, `${lines[0]}\n{oops\n`);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe("store: invalid input, nothing written: line 2: not JSON (expected {\"doc\": {...}} on each line)\n");

    const missing = await runCli(["export"], { SQLITE_PATH: path.join(tmp, "nowhere.db") });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/SQLITE_PATH: no store at /);
    expect(fs.existsSync(path.join(tmp, "nowhere.db"))).toBe(false);
  }, 90_000); // four child processes, each loading tsx and the app's modules
});
