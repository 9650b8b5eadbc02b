/**
 * Read-modify-write of one document under its etag, with a bounded reload-and-retry on conflict
 * (architecture.md, persistence model): the pattern of `appendToCycle`, for the documents that
 * are not cycles (agreements, reports).
 */
import { StoreConflictError, type DocumentKey, type DocumentStore, type StoredDocument } from "../store/store.js";

export class DocumentContendedError extends Error {
  readonly code = "CONCURRENCY_EXHAUSTED";
  constructor(key: DocumentKey, attempts: number) {
    super(`gave up writing ${key.partition}/${key.id} after ${attempts} conflicting attempts`);
    this.name = "DocumentContendedError";
  }
}

export interface Loaded<T> {
  doc: T | undefined;
  etag?: string;
}

export async function readDocument<T>(store: DocumentStore, key: DocumentKey, parse: (raw: unknown) => T): Promise<Loaded<T>> {
  const hit = await store.read(key);
  return hit ? { doc: parse(hit.doc), etag: hit.etag } : { doc: undefined };
}

/**
 * `change` sees the document as stored now (undefined when there is none) and returns what to
 * write, or `undefined` to write nothing (nothing to change, or refused: it may also throw). On a
 * conflict the document is read again and `change` runs again, at most `maxAttempts` times.
 */
export async function updateDocument<T extends StoredDocument, R>(
  store: DocumentStore,
  key: DocumentKey,
  parse: (raw: unknown) => T,
  change: (current: T | undefined) => { write: T; result: R } | { write?: undefined; result: R },
  maxAttempts = 20,
): Promise<{ result: R; doc: T | undefined; etag?: string; written: boolean }> {
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const current = await readDocument(store, key, parse);
    const decided = change(current.doc);
    if (!decided.write) return { result: decided.result, doc: current.doc, ...(current.etag ? { etag: current.etag } : {}), written: false };
    try {
      const etag = await store.write(decided.write, current.etag ? { ifMatch: current.etag } : { ifAbsent: true });
      return { result: decided.result, doc: decided.write, etag, written: true };
    } catch (error) {
      if (!(error instanceof StoreConflictError)) throw error;
      // Someone else wrote in between: read again and decide again on what they wrote.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
    }
  }
  throw new DocumentContendedError(key, maxAttempts);
}
