/**
 * The document store port.
 *
 * One JSON document per aggregate, addressed by (partition, id), guarded by an etag. Every
 * write is a single-document create-or-replace under a precondition, exactly like Azure
 * Cosmos DB `If-Match` / `If-None-Match: *`. Nothing more is promised (no cross-document
 * transactions, no TTL, no change feed), so the SQLite adapter cannot offer something the
 * Cosmos adapter could not keep.
 *
 * This module does no I/O; adapters live beside it (`sqlite-store.ts`, later `cosmos-store.ts`)
 * and all of them must pass `test/store/contract.ts`.
 */

/** Every stored document carries these; the rest is the record's own fields (parsed with zod by the repository that owns the type). */
export interface StoredDocument {
  id: string;
  partition: string;
  type: string;
  schemaVersion: number;
  [field: string]: unknown;
}

/** A document as read, with the etag to pass back as `ifMatch` when replacing it. */
export interface Versioned<T extends StoredDocument = StoredDocument> {
  doc: T;
  etag: string;
}

/**
 * - `ifMatch`: replace only if the stored etag is still this one (optimistic concurrency).
 * - `ifAbsent`: create only if no document has this key.
 * - `unconditional`: create or replace, last writer wins.
 */
export type WritePrecondition = { ifMatch: string } | { ifAbsent: true } | { unconditional: true };

export type RemovePrecondition = { ifMatch: string } | { unconditional: true };

export interface DocumentKey {
  partition: string;
  id: string;
}

export interface DocumentStore {
  readonly kind: "sqlite" | "cosmos";
  /** Point read. */
  read(key: DocumentKey): Promise<Versioned | undefined>;
  /** Several point reads in one call (the SQLite adapter does one query); result order = keys order. */
  readMany(keys: DocumentKey[]): Promise<Array<Versioned | undefined>>;
  /** Create or replace one document atomically under the precondition; returns the new etag. Throws StoreConflictError when the precondition fails (stale etag, or exists when ifAbsent, or missing when ifMatch). */
  write(doc: StoredDocument, precondition: WritePrecondition): Promise<string>;
  /** Delete under a precondition (ifMatch or unconditional); deleting a missing document is not an error when unconditional. With ifMatch, a missing document is a conflict (as for write). */
  remove(key: DocumentKey, precondition: RemovePrecondition): Promise<void>;
  /** All documents of a type, optionally within one partition (single-partition query), ordered by partition then id. Not for hot paths. */
  list(type: string, partition?: string): Promise<Versioned[]>;
  /** Releases the connection; idempotent. Any later call rejects with StoreUnavailableError. */
  close(): Promise<void>;
  /**
   * Who hears what each call cost at the service (telemetry, src/telemetry/store.ts); undefined
   * stops it. Optional: an adapter with nothing to tell (SQLite) leaves it out.
   */
  observe?(observer: StoreObserver | undefined): void;
}

/**
 * What one call cost at the service, told synchronously as the call finishes (in its async
 * context, so the caller's active span is the call's): Cosmos DB's request charge in request
 * units, and how many of its requests were throttled (429) on the way, the retried ones and a
 * last one that gave up included. No SDK types: only numbers.
 */
export type StoreObserver = (cost: { requestUnits: number; throttles: number }) => void;

/**
 * A write or remove whose precondition failed: someone else changed (or created, or deleted)
 * the document since it was read. The caller reloads, re-applies its change and retries a
 * bounded number of times.
 */
export class StoreConflictError extends Error {
  readonly code = "STORE_CONFLICT";
  constructor(
    readonly key: DocumentKey,
    message?: string,
  ) {
    super(
      message ??
        `Document ${key.partition}/${key.id} was changed by someone else; reload it and try again`,
    );
    this.name = "StoreConflictError";
  }
}

/** The store cannot be reached or used right now (outage, lock timeout, closed); worth retrying later, not a bug in the caller. */
export class StoreUnavailableError extends Error {
  readonly code = "STORE_UNAVAILABLE";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "StoreUnavailableError";
  }
}

/**
 * Largest serialized document (UTF-8 bytes of its JSON) a write accepts. Cosmos DB refuses items
 * over 2 MiB including its own system properties; the margin keeps room for those, so a document
 * that fits in SQLite also fits in Cosmos.
 */
export const MAX_DOCUMENT_BYTES = 2_000_000;

/** Cosmos DB limits (service quotas): id ≤ 1023 bytes without `/ \ ? #`, partition key value ≤ 2048 bytes. */
const MAX_ID_BYTES = 1023;
const MAX_PARTITION_BYTES = 2048;
const FORBIDDEN_ID_CHARS = /[/\\?#]/;

function utf8Length(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

function assertNonEmptyString(value: unknown, field: string): asserts value is string {
  if (typeof value !== "string" || value.length === 0) {
    throw new TypeError(`${field} must be a non-empty string (got ${describe(value)})`);
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}

/** Checks a key the way Cosmos DB would, so SQLite refuses what Cosmos would refuse. Throws TypeError naming the field. */
export function assertValidKey(key: DocumentKey, prefix = "key"): void {
  if (typeof key !== "object" || key === null) throw new TypeError(`${prefix} must be an object`);
  assertNonEmptyString(key.partition, `${prefix}.partition`);
  assertNonEmptyString(key.id, `${prefix}.id`);
  if (FORBIDDEN_ID_CHARS.test(key.id)) {
    throw new TypeError(`${prefix}.id must not contain '/', '\\', '?' or '#' (got ${describe(key.id)})`);
  }
  if (utf8Length(key.id) > MAX_ID_BYTES) {
    throw new TypeError(`${prefix}.id must be at most ${MAX_ID_BYTES} bytes`);
  }
  if (utf8Length(key.partition) > MAX_PARTITION_BYTES) {
    throw new TypeError(`${prefix}.partition must be at most ${MAX_PARTITION_BYTES} bytes`);
  }
}

/**
 * Validates a document before any write and returns its JSON. Both adapters call this, so a
 * document refused by one is refused by the other, before anything is written.
 *
 * Top-level fields starting with `_` are refused because Cosmos DB owns them (`_etag`, `_ts`,
 * `_rid`, …) and the Cosmos adapter strips them on read.
 */
export function serializeDocument(doc: StoredDocument): string {
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    throw new TypeError("doc must be a JSON object");
  }
  assertValidKey(doc, "doc");
  assertNonEmptyString(doc.type, "doc.type");
  if (!Number.isSafeInteger(doc.schemaVersion) || doc.schemaVersion < 1) {
    throw new TypeError(
      `doc.schemaVersion must be a positive integer (got ${describe(doc.schemaVersion)})`,
    );
  }
  for (const field of Object.keys(doc)) {
    if (field.startsWith("_")) {
      throw new TypeError(`doc.${field}: top-level fields starting with '_' are reserved for the store`);
    }
  }
  const json = JSON.stringify(doc);
  const bytes = utf8Length(json);
  if (bytes > MAX_DOCUMENT_BYTES) {
    throw new RangeError(
      `doc ${doc.partition}/${doc.id} is ${bytes} bytes; the limit is ${MAX_DOCUMENT_BYTES} (Cosmos DB item size)`,
    );
  }
  return json;
}
