/**
 * The embedded SQLite adapter of the document store port (the default, `STORE=sqlite`).
 *
 * One row per document; the document itself is the JSON `body`. Every conditional write is one
 * SQL statement whose WHERE / ON CONFLICT clause carries the precondition, so check-and-write is
 * atomic even when several processes share the file (WAL + busy timeout make them wait for each
 * other instead of failing).
 */
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import {
  assertValidKey,
  serializeDocument,
  StoreConflictError,
  StoreUnavailableError,
  type DocumentKey,
  type DocumentStore,
  type RemovePrecondition,
  type StoredDocument,
  type Versioned,
  type WritePrecondition,
} from "./store.js";

/** How long a statement waits for another process's write lock before giving up. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many have run. Add new
 * steps at the end, never edit a released one.
 */
const MIGRATIONS: ReadonlyArray<(db: Database.Database) => void> = [
  (db) =>
    db.exec(`
      CREATE TABLE IF NOT EXISTS documents (
        partition  TEXT NOT NULL,
        id         TEXT NOT NULL,
        type       TEXT NOT NULL,
        body       TEXT NOT NULL,
        etag       TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (partition, id)
      ) STRICT;
      CREATE INDEX IF NOT EXISTS documents_by_type ON documents (type, partition, id);
    `),
];

/** The schema version this code writes; a file with a higher one was written by newer code. */
export const SQLITE_SCHEMA_VERSION = MIGRATIONS.length;

interface BodyRow {
  body: string;
  etag: string;
}
interface KeyedBodyRow extends BodyRow {
  partition: string;
  id: string;
}
interface WriteParams {
  partition: string;
  id: string;
  type: string;
  body: string;
  etag: string;
  updatedAt: string;
}

/** SQLite result codes that mean "the store is not usable right now" rather than a caller bug. */
const UNAVAILABLE_CODES = /^SQLITE_(BUSY|LOCKED|IOERR|FULL|CANTOPEN|READONLY|PROTOCOL|NOTADB|CORRUPT)/;

/**
 * Opens (and on first start creates, with its parent directory) the SQLite store at `file`.
 * `:memory:` gives a private in-memory store for quick tests.
 */
export function openSqliteStore(file: string): SqliteStore {
  return new SqliteStore(file);
}

export class SqliteStore implements DocumentStore {
  readonly kind = "sqlite" as const;
  readonly file: string;
  private readonly db: Database.Database;
  private readonly stmt: Statements;

  constructor(file: string) {
    this.file = file;
    const inMemory = file === ":memory:" || file === "";
    try {
      if (!inMemory) fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
      this.db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    } catch (err) {
      throw new StoreUnavailableError(
        `Cannot open the SQLite store at ${file} (check SQLITE_PATH and that the directory is writable): ${message(err)}`,
        { cause: err },
      );
    }
    try {
      // WAL lets readers and one writer work at once; NORMAL sync is durable across process
      // crashes (only an OS crash may lose the last commits), which suits this workload.
      this.db.pragma("journal_mode = WAL");
      this.db.pragma("synchronous = NORMAL");
      this.db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      // A deleted or replaced document's bytes are zeroed, not left in free space: after
      // `npm run store -- person erase` the file must not still hold the person (GDPR art. 17).
      this.db.pragma("secure_delete = ON");
      migrate(this.db);
      this.stmt = prepareStatements(this.db);
    } catch (err) {
      this.db.close();
      throw wrap(err, `opening ${file}`);
    }
  }

  async read(key: DocumentKey): Promise<Versioned | undefined> {
    assertValidKey(key);
    const row = this.run(() => this.stmt.read.get(key.partition, key.id));
    return row && toVersioned(row, key);
  }

  async readMany(keys: DocumentKey[]): Promise<Array<Versioned | undefined>> {
    keys.forEach((key, i) => assertValidKey(key, `keys[${i}]`));
    if (keys.length === 0) return [];
    // One statement for any number of keys: the keys travel as one JSON array parameter.
    const param = JSON.stringify(keys.map((k) => [k.partition, k.id]));
    const rows = this.run(() => this.stmt.readMany.all(param));
    const found = new Map<string, KeyedBodyRow>();
    for (const row of rows) found.set(mapKey(row), row);
    // Parse per position so that duplicate keys never share one mutable object.
    return keys.map((key) => {
      const row = found.get(mapKey(key));
      return row && toVersioned(row, key);
    });
  }

  async write(doc: StoredDocument, precondition: WritePrecondition): Promise<string> {
    const body = serializeDocument(doc);
    const params: WriteParams = {
      partition: doc.partition,
      id: doc.id,
      type: doc.type,
      body,
      etag: newEtag(),
      updatedAt: new Date().toISOString(),
    };
    const key = { partition: doc.partition, id: doc.id };
    if ("ifMatch" in precondition) {
      assertEtag(precondition.ifMatch);
      const { changes } = this.run(() =>
        this.stmt.replaceIfMatch.run({ ...params, ifMatch: precondition.ifMatch }),
      );
      if (changes === 0) {
        throw new StoreConflictError(
          key,
          `Document ${key.partition}/${key.id} was changed or removed since it was read (etag mismatch); reload it and try again`,
        );
      }
    } else if ("ifAbsent" in precondition && precondition.ifAbsent === true) {
      const { changes } = this.run(() => this.stmt.insertIfAbsent.run(params));
      if (changes === 0) {
        throw new StoreConflictError(key, `Document ${key.partition}/${key.id} already exists`);
      }
    } else if ("unconditional" in precondition && precondition.unconditional === true) {
      this.run(() => this.stmt.upsert.run(params));
    } else {
      throw new TypeError("precondition must be { ifMatch }, { ifAbsent: true } or { unconditional: true }");
    }
    return params.etag;
  }

  async remove(key: DocumentKey, precondition: RemovePrecondition): Promise<void> {
    assertValidKey(key);
    if ("ifMatch" in precondition) {
      assertEtag(precondition.ifMatch);
      const { changes } = this.run(() =>
        this.stmt.deleteIfMatch.run({ partition: key.partition, id: key.id, ifMatch: precondition.ifMatch }),
      );
      if (changes === 0) {
        throw new StoreConflictError(
          key,
          `Document ${key.partition}/${key.id} was changed or removed since it was read (etag mismatch); reload it and try again`,
        );
      }
    } else if ("unconditional" in precondition && precondition.unconditional === true) {
      this.run(() => this.stmt.deleteAny.run({ partition: key.partition, id: key.id }));
    } else {
      throw new TypeError("precondition must be { ifMatch } or { unconditional: true }");
    }
  }

  async list(type: string, partition?: string): Promise<Versioned[]> {
    if (typeof type !== "string" || type.length === 0) {
      throw new TypeError("type must be a non-empty string");
    }
    const rows =
      partition === undefined
        ? this.run(() => this.stmt.listByType.all(type))
        : this.run(() => this.stmt.listByTypeInPartition.all(type, partition));
    return rows.map((row) => toVersioned(row, row));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** Runs one statement, turning "closed" and lock/IO failures into StoreUnavailableError. */
  private run<R>(fn: () => R): R {
    if (!this.db.open) throw new StoreUnavailableError(`The SQLite store at ${this.file} is closed`);
    try {
      return fn();
    } catch (err) {
      throw wrap(err, this.file);
    }
  }
}

type Statements = ReturnType<typeof prepareStatements>;

function prepareStatements(db: Database.Database) {
  const columns = "partition, id, type, body, etag, updated_at";
  const values = "@partition, @id, @type, @body, @etag, @updatedAt";
  return {
    read: db.prepare<[string, string], BodyRow>(
      "SELECT body, etag FROM documents WHERE partition = ? AND id = ?",
    ),
    readMany: db.prepare<[string], KeyedBodyRow>(
      `SELECT d.partition, d.id, d.body, d.etag
         FROM json_each(?) AS k
         JOIN documents AS d
           ON d.partition = json_extract(k.value, '$[0]') AND d.id = json_extract(k.value, '$[1]')`,
    ),
    insertIfAbsent: db.prepare<WriteParams>(
      `INSERT INTO documents (${columns}) VALUES (${values})
         ON CONFLICT (partition, id) DO NOTHING`,
    ),
    replaceIfMatch: db.prepare<WriteParams & { ifMatch: string }>(
      `UPDATE documents SET type = @type, body = @body, etag = @etag, updated_at = @updatedAt
        WHERE partition = @partition AND id = @id AND etag = @ifMatch`,
    ),
    upsert: db.prepare<WriteParams>(
      `INSERT INTO documents (${columns}) VALUES (${values})
         ON CONFLICT (partition, id) DO UPDATE SET
           type = excluded.type, body = excluded.body, etag = excluded.etag, updated_at = excluded.updated_at`,
    ),
    deleteIfMatch: db.prepare<{ partition: string; id: string; ifMatch: string }>(
      "DELETE FROM documents WHERE partition = @partition AND id = @id AND etag = @ifMatch",
    ),
    deleteAny: db.prepare<{ partition: string; id: string }>(
      "DELETE FROM documents WHERE partition = @partition AND id = @id",
    ),
    listByType: db.prepare<[string], KeyedBodyRow>(
      "SELECT partition, id, body, etag FROM documents WHERE type = ? ORDER BY partition, id",
    ),
    listByTypeInPartition: db.prepare<[string, string], KeyedBodyRow>(
      "SELECT partition, id, body, etag FROM documents WHERE type = ? AND partition = ? ORDER BY id",
    ),
  };
}

/** Applies pending migrations under an immediate (write-locked) transaction, so two processes starting together do not both migrate. */
function migrate(db: Database.Database): void {
  const version = () => db.pragma("user_version", { simple: true }) as number;
  if (version() === SQLITE_SCHEMA_VERSION) return;
  db.transaction(() => {
    const current = version();
    if (current > SQLITE_SCHEMA_VERSION) {
      throw new Error(
        `The SQLite store has schema version ${current}, newer than this code understands (${SQLITE_SCHEMA_VERSION}); upgrade the app or point SQLITE_PATH elsewhere`,
      );
    }
    for (const step of MIGRATIONS.slice(current)) step(db);
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
  }).immediate();
}

/** Cosmos-style etag: an opaque quoted string, new on every write. */
function newEtag(): string {
  return `"${randomUUID()}"`;
}

function assertEtag(etag: unknown): void {
  if (typeof etag !== "string" || etag.length === 0) {
    throw new TypeError("precondition.ifMatch must be a non-empty etag string");
  }
}

function mapKey(key: DocumentKey): string {
  return `${key.partition}\u0000${key.id}`;
}

function toVersioned(row: BodyRow, key: DocumentKey): Versioned {
  let doc: StoredDocument;
  try {
    doc = JSON.parse(row.body) as StoredDocument;
  } catch (err) {
    throw new Error(`Stored document ${key.partition}/${key.id} is not valid JSON: ${message(err)}`, {
      cause: err,
    });
  }
  return { doc, etag: row.etag };
}

function wrap(err: unknown, where: string): unknown {
  if (err instanceof Database.SqliteError && UNAVAILABLE_CODES.test(err.code)) {
    return new StoreUnavailableError(`SQLite store unavailable (${err.code}) at ${where}: ${err.message}`, {
      cause: err,
    });
  }
  return err;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
