/**
 * Copying every document from one store to another (backup, restore, SQLite → Cosmos DB), over
 * the port only, so it works between any two adapters. The format is JSON Lines: one
 * `{"doc": {...}}` per line, the document exactly as stored (no etag: etags belong to a store).
 *
 * The port has no "list everything" (Cosmos DB would need a cross-partition scan of unknown
 * types, and nothing else needs it), so the export lists each known type. The known types are
 * `DOCUMENT_SCHEMAS` below, built from the schemas in `records.ts`: a new document type must be
 * added here, and `test/store/transfer.test.ts` fails if `records.ts` has a type this list lacks.
 *
 * Import validates the whole input before writing anything (a truncated or edited backup writes
 * nothing), then, per document: absent → created; identical → left alone; different → refused
 * unless `overwrite`, because a target that already holds other data for the same key (say, a
 * Cosmos container the bot already ran against) should not be silently rolled back to the
 * backup. So importing the same file twice writes nothing the second time.
 */
import { isDeepStrictEqual } from "node:util";
import { z } from "zod";
import { DOCUMENT_SCHEMAS, DOCUMENT_TYPES, type DocumentType } from "./records.js";
import { serializeDocument, type DocumentKey, type DocumentStore, type StoredDocument } from "./store.js";
import { NewerDocumentError, upgradeDocument } from "./migrations.js";

// The document types and their schemas live with the records; re-exported for the transfer's callers.
export { DOCUMENT_SCHEMAS, DOCUMENT_TYPES, type DocumentType };

const LineSchema = z.object({ doc: z.looseObject({ type: z.string() }) });

/** Documents read per `readMany` during import. */
const BATCH = 100;

export interface ImportOptions {
  /** Replace documents that exist in the target with different contents (default: refuse them). */
  overwrite?: boolean;
}

export interface ImportResult {
  /** Documents in the input. */
  read: number;
  /** Created, or replaced under `overwrite`. */
  written: number;
  /** Already present with identical contents. */
  unchanged: number;
  /** Present with different contents and not replaced (no `overwrite`). */
  refused: number;
  refusedKeys: DocumentKey[];
}

/** The input is not a valid export; nothing was written. */
export class TransferInputError extends Error {
  readonly code = "TRANSFER_INPUT_INVALID";
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
    this.name = "TransferInputError";
  }
}

/** Every document of every known type, one JSON line each (without a trailing newline). */
export async function* exportDocuments(store: DocumentStore): AsyncIterable<string> {
  for (const type of DOCUMENT_TYPES) {
    for (const { doc } of await store.list(type)) yield JSON.stringify({ doc });
  }
}

/**
 * Writes the documents of an export into `store`. Blank lines are skipped; any invalid line
 * (not JSON, unknown type, fails its schema or the store's own limits, duplicate key) throws
 * `TransferInputError` naming the line before anything is written.
 */
export async function importDocuments(
  store: DocumentStore,
  lines: AsyncIterable<string> | Iterable<string>,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const docs: StoredDocument[] = [];
  const seen = new Map<string, number>();
  let lineNo = 0;
  for await (const raw of lines) {
    lineNo += 1;
    const text = (lineNo === 1 ? raw.replace(/^\uFEFF/, "") : raw).trim();
    if (text === "") continue;
    const doc = parseLine(text, lineNo);
    const key = JSON.stringify([doc.partition, doc.id]);
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new TransferInputError(lineNo, `document ${doc.partition}/${doc.id} already appeared on line ${earlier}`);
    }
    seen.set(key, lineNo);
    docs.push(doc);
  }

  const result: ImportResult = { read: docs.length, written: 0, unchanged: 0, refused: 0, refusedKeys: [] };
  for (let start = 0; start < docs.length; start += BATCH) {
    const batch = docs.slice(start, start + BATCH);
    const existing = await store.readMany(batch.map(({ partition, id }) => ({ partition, id })));
    for (const [i, doc] of batch.entries()) {
      const current = existing[i];
      if (current === undefined) {
        await store.write(doc, { ifAbsent: true });
        result.written += 1;
      } else if (isDeepStrictEqual(current.doc, doc)) {
        result.unchanged += 1;
      } else if (options.overwrite) {
        await store.write(doc, { ifMatch: current.etag });
        result.written += 1;
      } else {
        result.refused += 1;
        result.refusedKeys.push({ partition: doc.partition, id: doc.id });
      }
    }
  }
  return result;
}

function parseLine(text: string, lineNo: number): StoredDocument {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TransferInputError(lineNo, 'not JSON (expected {"doc": {...}} on each line)');
  }
  const line = LineSchema.safeParse(json);
  if (!line.success) throw new TransferInputError(lineNo, 'expected {"doc": {...}} with a "type"');
  const doc = line.data.doc;
  // Written as it appears in the file: zod's output reorders keys (and a schema would drop unknown fields).
  const stored = (json as { doc: StoredDocument }).doc;
  const schema = (DOCUMENT_SCHEMAS as Record<string, z.ZodType>)[doc.type];
  if (!schema) {
    throw new TransferInputError(lineNo, `unknown document type ${JSON.stringify(doc.type)} (known: ${DOCUMENT_TYPES.join(", ")})`);
  }
  // A backup from an older version is imported as it is (the app upgrades it on read, or `migrate`
  // does), so it is checked as it will be read; one from a newer version is refused.
  let asRead: StoredDocument;
  try {
    asRead = upgradeDocument(stored);
  } catch (error) {
    if (error instanceof NewerDocumentError) throw new TransferInputError(lineNo, error.message);
    throw error;
  }
  const checked = schema.safeParse(asRead);
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const where = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
    throw new TransferInputError(lineNo, `invalid ${doc.type} document: ${where}${issue.message}`);
  }
  try {
    serializeDocument(stored);
  } catch (error) {
    throw new TransferInputError(lineNo, (error as Error).message);
  }
  return stored;
}
