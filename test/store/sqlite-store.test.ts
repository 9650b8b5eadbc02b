import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openSqliteStore, SQLITE_SCHEMA_VERSION, type SqliteStore } from "../../src/store/sqlite-store.js";
import {
  StoreConflictError,
  StoreUnavailableError,
  type DocumentKey,
  type DocumentStore,
  type StoredDocument,
} from "../../src/store/store.js";
import { describeStoreContract, type StoreContractFixture } from "./contract.js";
import { describeReportDocumentsContract } from "./report-documents.js";

const projectRoot = fileURLToPath(new URL("../../", import.meta.url));

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "samhandling-store-"));
}

async function openSqliteFile(): Promise<StoreContractFixture> {
  const dir = tempDir();
  const file = path.join(dir, "samhandling.db");
  const opened: SqliteStore[] = [openSqliteStore(file)];
  return {
    store: opened[0]!,
    reopen: async () => {
      const store = openSqliteStore(file);
      opened.push(store);
      return store;
    },
    cleanup: async () => {
      for (const store of opened) await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

describeStoreContract("sqlite file", openSqliteFile);
describeReportDocumentsContract("sqlite file", openSqliteFile);

describeStoreContract("sqlite :memory:", async () => {
  const store = openSqliteStore(":memory:");
  return { store, cleanup: () => store.close() };
}, { durable: false });

const doc = (id: string, fields: Record<string, unknown> = {}): StoredDocument => ({
  id,
  partition: "46",
  type: "cycle",
  schemaVersion: 1,
  ...fields,
});
const key = (id: string): DocumentKey => ({ partition: "46", id });

describe("SQLite store on disk", () => {
  let dir: string;
  const toClose: Array<DocumentStore | Database.Database> = [];

  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(async () => {
    for (const handle of toClose.splice(0)) await handle.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function open(file: string): SqliteStore {
    const store = openSqliteStore(file);
    toClose.push(store);
    return store;
  }

  it("on first start it creates the missing parent directories and the database", async () => {
    const file = path.join(dir, "not", "yet", "there", "samhandling.db");
    expect(fs.existsSync(path.join(dir, "not"))).toBe(false);

    const store = open(file);
    await store.write(doc("a"), { ifAbsent: true });

    expect(fs.statSync(path.dirname(file)).isDirectory()).toBe(true);
    expect(fs.existsSync(file)).toBe(true);
    expect((await store.read(key("a")))?.doc).toStrictEqual(doc("a"));
  });

  it("the file is in WAL mode and records its schema version", async () => {
    const file = path.join(dir, "samhandling.db");
    open(file);

    // A separate connection sees what is persisted in the file itself.
    const raw = new Database(file, { readonly: true });
    toClose.push(raw);
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(raw.pragma("user_version", { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
  });

  it("etags look like Cosmos DB etags: opaque quoted strings", async () => {
    const etag = await open(path.join(dir, "samhandling.db")).write(doc("a"), { ifAbsent: true });
    expect(etag).toMatch(/^"[^"]+"$/);
  });

  it("two stores on one file (two processes) see each other's writes and refuse each other's stale etags", async () => {
    const file = path.join(dir, "samhandling.db");
    const first = open(file);
    const second = open(file);

    const created = await first.write(doc("a", { by: "first" }), { ifAbsent: true });
    const seen = await second.read(key("a"));
    expect(seen).toStrictEqual({ doc: doc("a", { by: "first" }), etag: created });

    const replaced = await second.write(doc("a", { by: "second" }), { ifMatch: created });
    await expect(first.write(doc("a", { by: "first, stale" }), { ifMatch: created })).rejects.toBeInstanceOf(
      StoreConflictError,
    );
    await expect(first.write(doc("a", { by: "first, again" }), { ifAbsent: true })).rejects.toBeInstanceOf(
      StoreConflictError,
    );

    expect(await first.read(key("a"))).toStrictEqual({ doc: doc("a", { by: "second" }), etag: replaced });
  });

  it("two real processes appending to one document at the same time lose no update", async () => {
    const file = path.join(dir, "samhandling.db");
    const store = open(file);
    await store.write(doc("shared", { seen: [] }), { ifAbsent: true });
    const perProcess = 300;

    // The child runs the same read-modify-write loop against the same file through the adapter.
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", CHILD_SCRIPT], {
      cwd: projectRoot,
      env: {
        ...process.env,
        STORE_MODULE: path.join(projectRoot, "src/store/sqlite-store.ts"),
        STORE_FILE: file,
        COUNT: String(perProcess),
      },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", () => stdout.includes("ready") && resolve());
      void exited.then((code) => reject(new Error(`child exited early (${code}): ${stderr}`)));
    });

    child.stdin.end("go\n");
    for (let i = 0; i < perProcess; i++) {
      await appendWithRetry(store, key("shared"), `parent-${i}`);
      // Yield now and then so the child's writes can interleave with ours.
      if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await exited, stderr).toBe(0);

    const seen = (await store.read(key("shared")))?.doc.seen as string[];
    const expected = [
      ...Array.from({ length: perProcess }, (_, i) => `parent-${i}`),
      ...Array.from({ length: perProcess }, (_, i) => `child-${i}`),
    ];
    expect(seen.length).toBe(expected.length);
    expect([...seen].sort()).toEqual(expected.sort());
  });

  it("a closed store refuses further calls as unavailable, and closing twice is harmless", async () => {
    const store = open(path.join(dir, "samhandling.db"));
    await store.close();
    await store.close();

    await expect(store.read(key("a"))).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.write(doc("a"), { ifAbsent: true })).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it("a file written by a newer schema version is refused at start instead of being misread", () => {
    const file = path.join(dir, "samhandling.db");
    const raw = new Database(file);
    raw.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    raw.close();

    expect(() => openSqliteStore(file)).toThrow(/schema version/);
  });

  it("a path that cannot be a database is reported as store unavailable, naming the path", () => {
    const blocker = path.join(dir, "a-file");
    fs.writeFileSync(blocker, "not a directory");
    const file = path.join(blocker, "samhandling.db");

    expect(() => openSqliteStore(file)).toThrow(StoreUnavailableError);
    expect(() => openSqliteStore(file)).toThrow(blocker);
  });
});

async function appendWithRetry(store: DocumentStore, k: DocumentKey, value: string): Promise<void> {
  for (let attempt = 0; attempt < 1000; attempt++) {
    const current = await store.read(k);
    if (!current) throw new Error("document vanished");
    try {
      await store.write({ ...current.doc, seen: [...(current.doc.seen as string[]), value] }, { ifMatch: current.etag });
      return;
    } catch (err) {
      if (!(err instanceof StoreConflictError)) throw err;
    }
  }
  throw new Error(`gave up appending ${value}`);
}

const CHILD_SCRIPT = `
const { openSqliteStore } = await import(process.env.STORE_MODULE);
const store = openSqliteStore(process.env.STORE_FILE);
const key = { partition: "46", id: "shared" };
process.stdout.write("ready\\n");
await new Promise((resolve) => process.stdin.once("data", resolve));
for (let i = 0; i < Number(process.env.COUNT); i++) {
  for (let attempt = 0; ; attempt++) {
    if (attempt >= 1000) throw new Error("child gave up");
    const current = await store.read(key);
    try {
      await store.write({ ...current.doc, seen: [...current.doc.seen, "child-" + i] }, { ifMatch: current.etag });
      break;
    } catch (err) {
      if (err.code !== "STORE_CONFLICT") throw err;
    }
  }
  if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
}
await store.close();
`;
