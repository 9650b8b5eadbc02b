/**
 * Upgrades without losing data (issue 13). Every stored document carries `schemaVersion`; this
 * module is the one place that says, per document type, which version this app reads and writes
 * and how a document of an older version becomes one of that version.
 *
 * - **On read** (`upgradingStore`, put in front of the store by compose.ts): a document of an older
 *   version is upgraded in memory, with the etag it was stored under. It is written back only when
 *   the app next writes it, under that etag, like any change — never a blind overwrite, and a
 *   `status` turn that only reads writes nothing.
 * - **All at once** (`migrateStore`, `npm run store -- migrate`): every document is upgraded with an
 *   etag-checked write; documents already at the current version are skipped, so a second run
 *   writes nothing and a run killed half-way is finished by the next.
 * - **Newer than this app** (an older instance still running after an upgrade, or a rollback after
 *   `migrate`): refused with `NewerDocumentError`, never misread and never overwritten.
 *
 * Upgrade steps are pure functions of the stored JSON: no I/O, no clock, no other documents. A
 * step sees a copy of the document and returns the next version's fields; the version number is
 * set here, not by the step.
 */
import type { z } from "zod";
import { cycleSchemaVersion, DOCUMENT_SCHEMAS } from "./records.js";
import { StoreConflictError, type DocumentKey, type DocumentStore, type StoredDocument, type Versioned } from "./store.js";

/** One step from version n to n + 1 of a document type. */
export interface UpgradeStep {
  /** What changes, in words (shown by `migrate --dry-run`). */
  readonly describe: string;
  /** A pure function: the document at version n (a copy, free to change) → its fields at n + 1. */
  readonly up: (doc: StoredDocument) => StoredDocument;
}

/** A document type's versions: `steps[0]` upgrades v1 to v2, `steps[1]` v2 to v3, …; the current version is `steps.length + 1`. */
export interface DocumentVersions {
  /** The shape of the current version (records.ts); `migrate` checks every upgraded document against it before writing. */
  readonly schema: z.ZodType;
  readonly steps: readonly UpgradeStep[];
  /**
   * For a version that only *added* something (the steps before it are the identity): the oldest
   * version that can hold this document, which is what the app writes it at, so that an older
   * release still reads every document that uses nothing new. A document stored at that version or
   * later is read as it is and left alone by `migrate`. Absent: the current version, always.
   */
  readonly oldestFor?: (doc: StoredDocument) => number;
}

export type VersionTable = Readonly<Record<string, DocumentVersions>>;

/**
 * The versions this app knows. To change a document's shape: change its schema in records.ts
 * (with `schemaVersion: z.literal(n + 1)`), append the step from n to n + 1 here, and let the
 * compiler find the places that create the document (they write `schemaVersion: n`).
 * test/store/migrations.test.ts fails if a schema's version and its steps disagree.
 *
 * A new *kind of content* an older release cannot parse (a new event type in a cycle) is a new
 * version too, even when nothing else changes: only then does an older release refuse it clearly
 * instead of failing on it. When older documents stay valid, give the type `oldestFor`, so that
 * what uses nothing new is still written at the older version (cycle v2: `step-completed`).
 */
export const DOCUMENT_VERSIONS = {
  settings: { schema: DOCUMENT_SCHEMAS.settings, steps: [] },
  roles: { schema: DOCUMENT_SCHEMAS.roles, steps: [] },
  bindings: { schema: DOCUMENT_SCHEMAS.bindings, steps: [] },
  person: { schema: DOCUMENT_SCHEMAS.person, steps: [] },
  cycle: {
    schema: DOCUMENT_SCHEMAS.cycle,
    steps: [{ describe: "may hold step-completed events (a model file's own steps); nothing else changes", up: (doc) => doc }],
    oldestFor: (doc) => (Array.isArray(doc.events) ? cycleSchemaVersion(doc.events as Array<{ data: { type: string } }>) : 2),
  },
  conversation: { schema: DOCUMENT_SCHEMAS.conversation, steps: [] },
  mailbox: { schema: DOCUMENT_SCHEMAS.mailbox, steps: [] },
  lease: { schema: DOCUMENT_SCHEMAS.lease, steps: [] },
  agreement: { schema: DOCUMENT_SCHEMAS.agreement, steps: [] },
  report: { schema: DOCUMENT_SCHEMAS.report, steps: [] },
  "report-link-secret": { schema: DOCUMENT_SCHEMAS["report-link-secret"], steps: [] },
  "pseudonym-key": { schema: DOCUMENT_SCHEMAS["pseudonym-key"], steps: [] },
} as const satisfies VersionTable;

export const currentVersion = (versions: DocumentVersions): number => versions.steps.length + 1;

/**
 * A document written by a newer version of Samhandling than this one: this app does not know its
 * shape, so it neither reads nor writes it. The turn that met it gets the generic apology; the
 * log (and `npm run store`) says what to do.
 */
export class NewerDocumentError extends Error {
  readonly code = "DOCUMENT_FROM_NEWER_VERSION";
  constructor(
    readonly key: DocumentKey,
    readonly type: string,
    readonly version: number,
    readonly appVersion: number,
  ) {
    super(
      `Document ${key.partition}/${key.id} (${type}, schemaVersion ${version}; this app knows ${type} up to version ${appVersion}) ` +
        `was written by a newer version of Samhandling: upgrade this instance. It was neither read nor overwritten.`,
    );
    this.name = "NewerDocumentError";
  }
}

/** An upgrade step produced a document its version's schema refuses: a bug in the step; nothing was written for this document. */
export class UpgradeFailedError extends Error {
  readonly code = "DOCUMENT_UPGRADE_FAILED";
  constructor(key: DocumentKey, type: string, from: number, to: number, reason: string) {
    super(`Upgrading ${key.partition}/${key.id} (${type}) from version ${from} to ${to} gave a document that version does not accept (${reason}); it was not written`);
    this.name = "UpgradeFailedError";
  }
}

/**
 * The document at the current version of its type: the same object when it already is (or its
 * type or version is not one this table knows: the use case's schema refuses it where it is
 * parsed), an upgraded copy when it is older. Throws NewerDocumentError when it is newer.
 */
export function upgradeDocument(doc: StoredDocument, table: VersionTable = DOCUMENT_VERSIONS): StoredDocument {
  const versions = Object.hasOwn(table, doc.type) ? table[doc.type] : undefined;
  if (!versions || !Number.isSafeInteger(doc.schemaVersion) || doc.schemaVersion < 1) return doc;
  const current = currentVersion(versions);
  if (doc.schemaVersion === current) return doc;
  if (doc.schemaVersion > current) throw new NewerDocumentError({ partition: doc.partition, id: doc.id }, doc.type, doc.schemaVersion, current);
  if (atOldestVersion(doc, versions)) return doc;
  let upgraded = structuredClone(doc);
  for (let version = doc.schemaVersion; version < current; version++) {
    upgraded = { ...versions.steps[version - 1]!.up(upgraded), schemaVersion: version + 1 };
  }
  return upgraded;
}

/** Stored at (or after) the oldest version that can hold it (`oldestFor`): current as it is. */
const atOldestVersion = (doc: StoredDocument, versions: DocumentVersions): boolean =>
  versions.oldestFor !== undefined && doc.schemaVersion >= versions.oldestFor(doc);

const upgradeVersioned = (hit: Versioned | undefined, table: VersionTable): Versioned | undefined => {
  if (!hit) return hit;
  const doc = upgradeDocument(hit.doc, table);
  return doc === hit.doc ? hit : { doc, etag: hit.etag };
};

/**
 * The store as the app sees it: every document read (`read`, `readMany`, `list`) at its current
 * version, with the etag it is stored under; writes and removes pass through unchanged. A
 * Proxy rather than a new object, so that whatever else an adapter offers passes through too.
 */
export function upgradingStore<S extends DocumentStore>(store: S, table: VersionTable = DOCUMENT_VERSIONS): S {
  const reads: Pick<DocumentStore, "read" | "readMany" | "list"> = {
    read: async (key) => upgradeVersioned(await store.read(key), table),
    readMany: async (keys) => (await store.readMany(keys)).map((hit) => upgradeVersioned(hit, table)),
    list: async (type, partition) => (await store.list(type, partition)).map((hit) => upgradeVersioned(hit, table)!),
  };
  return new Proxy(store, {
    get(target, property) {
      if (property === "read" || property === "readMany" || property === "list") return reads[property];
      const value: unknown = Reflect.get(target, property);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export interface MigrateOptions {
  /** List what would change; write nothing. */
  dryRun?: boolean;
  /** The versions to upgrade to (tests pass a made-up next version). */
  table?: VersionTable;
  /** How often one document is tried when the app changes it in between (each try reads it again). */
  maxAttempts?: number;
}

/** One document to upgrade (dry run) or upgraded. */
export interface MigrationChange {
  key: DocumentKey;
  type: string;
  from: number;
  to: number;
}

export interface TypeCount {
  type: string;
  current: number;
  /** Documents found, by the version they were stored at (before this run). */
  found: Record<number, number>;
  /** Written by this run (0 in a dry run). */
  written: number;
}

export interface MigrationReport {
  dryRun: boolean;
  types: TypeCount[];
  /** What was (or, in a dry run, would be) upgraded. */
  changes: MigrationChange[];
  /** Documents written in all. */
  written: number;
  /** Documents of a version newer than this app's: left alone; upgrade the app before migrating. */
  newer: MigrationChange[];
}

/**
 * Upgrades every stored document of every type the table knows to its current version, one
 * etag-checked write each. A document the app changed in between (a conflict) is read again and,
 * if still old, upgraded again; one the app already upgraded is left alone. Throws when the store
 * fails (the next run carries on where this one stopped) or a step gives an invalid document.
 */
export async function migrateStore(store: DocumentStore, options: MigrateOptions = {}): Promise<MigrationReport> {
  const table = options.table ?? DOCUMENT_VERSIONS;
  const maxAttempts = options.maxAttempts ?? 5;
  const report: MigrationReport = { dryRun: options.dryRun ?? false, types: [], changes: [], written: 0, newer: [] };
  for (const [type, versions] of Object.entries(table)) {
    const current = currentVersion(versions);
    const count: TypeCount = { type, current, found: {}, written: 0 };
    report.types.push(count);
    for (const stored of await store.list(type)) {
      const { doc } = stored;
      const key = { partition: doc.partition, id: doc.id };
      count.found[doc.schemaVersion] = (count.found[doc.schemaVersion] ?? 0) + 1;
      if (doc.schemaVersion === current || (doc.schemaVersion < current && atOldestVersion(doc, versions))) continue;
      const change = { key, type, from: doc.schemaVersion, to: current };
      if (doc.schemaVersion > current) {
        report.newer.push(change);
        continue;
      }
      const upgraded = checked(upgradeDocument(doc, table), versions, change);
      if (report.dryRun) {
        report.changes.push(change);
        continue;
      }
      if (await writeUpgrade(store, stored.etag, upgraded, table, versions, change, maxAttempts)) {
        report.changes.push(change);
        count.written += 1;
        report.written += 1;
      }
    }
  }
  return report;
}

function checked(doc: StoredDocument, versions: DocumentVersions, change: MigrationChange): StoredDocument {
  const result = versions.schema.safeParse(doc);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new UpgradeFailedError(change.key, change.type, change.from, change.to, `${issue.path.join(".") || "document"}: ${issue.message}`);
  }
  return doc;
}

/** Writes one upgraded document under its etag; false when there was nothing left to do (deleted, or upgraded by the app meanwhile). */
async function writeUpgrade(
  store: DocumentStore,
  etag: string,
  upgraded: StoredDocument,
  table: VersionTable,
  versions: DocumentVersions,
  change: MigrationChange,
  maxAttempts: number,
): Promise<boolean> {
  let doc = upgraded;
  let ifMatch = etag;
  for (let attempt = 1; ; attempt++) {
    try {
      await store.write(doc, { ifMatch });
      return true;
    } catch (error) {
      if (!(error instanceof StoreConflictError) || attempt >= maxAttempts) throw error;
    }
    // The app wrote it in between (which upgrades it) or removed it: decide again on what is there now.
    const now = await store.read(change.key);
    if (!now || now.doc.schemaVersion >= change.to || atOldestVersion(now.doc, versions)) return false;
    doc = checked(upgradeDocument(now.doc, table), versions, { ...change, from: now.doc.schemaVersion });
    ifMatch = now.etag;
  }
}

const keyText = (key: DocumentKey) => `${key.partition}/${key.id}`;

/** What `npm run store -- migrate` prints: counts by type and version, what changes (dry run) or is refused, and one closing line. */
export function describeMigration(report: MigrationReport, table: VersionTable = DOCUMENT_VERSIONS): string[] {
  const lines: string[] = [];
  const width = Math.max(...report.types.map((t) => t.type.length));
  for (const t of report.types) {
    const found = Object.entries(t.found)
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([version, n]) => `${n} at v${version}`);
    const upgraded = report.dryRun ? "" : `; ${t.written} upgraded`;
    lines.push(`  ${t.type.padEnd(width)}  ${found.length > 0 ? found.join(", ") : "none"} (this app: v${t.current})${upgraded}`);
  }
  if (report.dryRun) {
    for (const c of report.changes) {
      const steps = table[c.type]!.steps.slice(c.from - 1, c.to - 1).map((s) => s.describe);
      lines.push(`would upgrade ${keyText(c.key)} (${c.type} v${c.from} → v${c.to}: ${steps.join("; ")})`);
    }
  }
  for (const c of report.newer) {
    lines.push(
      `left alone: ${keyText(c.key)} (${c.type} v${c.from}; this app knows up to v${c.to}) was written by a newer version of Samhandling: upgrade this instance`,
    );
  }
  const n = report.changes.length;
  if (report.dryRun) lines.push(n === 0 ? "dry run: nothing to upgrade, every document is at this app's version" : `dry run: ${n} document${n === 1 ? "" : "s"} would be upgraded; nothing written`);
  else lines.push(report.written === 0 ? "nothing to upgrade: every document is at this app's version (0 written)" : `${report.written} document${report.written === 1 ? "" : "s"} upgraded`);
  return lines;
}
