/**
 * Personal data of one person (GDPR art. 15 and 17; personopplysningsloven): everything the store
 * holds about them, by Entra object id (`npm run store -- person export <id>`), and its erasure
 * (`npm run store -- person erase <id> --yes`). Over the store port only, so it works alike on
 * SQLite and Cosmos DB.
 *
 * What is erased and what is kept (README, "Personal data"):
 * - **Deleted**: the person's own documents and entries — their `person` document (language
 *   choice), their conversation references, their nudge mailbox (what was said to them, their
 *   snoozes), their role assignments and the deputy appointments naming them.
 * - **Kept, pseudonymised**: the audit trail — who recorded a step or changed an agreement (the
 *   events' `by`), who saved, submitted or waived a report, who named a deputy, granted a role or
 *   bound a channel. The trail is part of the public record (the regions' and agencies' case
 *   work), so its facts stay; the name becomes «slettet person» and the Entra object id (personal
 *   data too: it finds the person in the tenant's directory) becomes `erased:<HMAC-SHA256 of the
 *   id under the installation's pseudonym key, 128 bits in hex>`. The same person gets the same
 *   pseudonym everywhere, also when an erasure that stopped half-way is run again, so «the same
 *   person did both» (an undo, a resubmission) still holds; without the key the pseudonym cannot
 *   be traced back, not even by hashing every id of the tenant. The key is a document of the
 *   store (records.ts, `pseudonym-key`), made by the first erasure.
 *
 * Every write is etag-checked (a change the app made meanwhile is read again and decided again),
 * only the person's own entries are touched, and a second erasure finds nothing left to do and
 * writes nothing. Free text (a report's comments, a meeting's place) is not searched: a name
 * typed into it is the author's statement, and stays.
 */
import { createHmac, randomBytes } from "node:crypto";
import { DateTime } from "luxon";
import type { z } from "zod";
import {
  DOCUMENT_SCHEMAS,
  DOCUMENT_TYPES,
  PersonIdSchema,
  PSEUDONYM_KEY_ID,
  PseudonymKeyDocumentSchema,
  SYSTEM_PARTITION,
  type AgreementDocument,
  type BindingsDocument,
  type ConversationDocument,
  type CycleDocument,
  type DocumentType,
  type MailboxDocument,
  type PersonDocument,
  type PseudonymKeyDocument,
  type ReportDocument,
  type RolesDocument,
} from "../store/records.js";
import { StoreConflictError, type DocumentKey, type DocumentStore, type StoredDocument } from "../store/store.js";

/** The name an erased person's entries in the audit trail show (the cards print it as it is). */
export const ERASED_NAME = "slettet person";
export const PSEUDONYM_PREFIX = "erased:";

/**
 * What each document type holds about people, and what an erasure does with it. Every type the
 * store knows is named (test/app/personal-data.test.ts checks against transfer.ts), so a new
 * document type cannot be forgotten here.
 */
export const PERSONAL_DATA_BY_TYPE: Readonly<Record<DocumentType, string>> = {
  settings: "nothing about people",
  roles: "role assignments (id, display name, who granted, when): the person's own are deleted; roles they granted keep a pseudonym",
  bindings: "who bound a channel to a region: pseudonymised",
  person: "the person's language choice: deleted",
  cycle: "the audit trail (each event's `by`): pseudonymised",
  conversation: "where the bot can post to the person (their 1:1 chat, locale, unreachable mark): deleted",
  mailbox: "the nudges said to the person and their snoozes: deleted",
  lease: "nothing about people (an instance id)",
  agreement: "the agreement's changes (each event's `by`): pseudonymised",
  report:
    "who saved the draft, submitted each version, named a deputy or marked «vil ikke rapportere»: pseudonymised; deputy appointments naming the person: deleted",
  "report-link-secret": "nothing about people",
  "pseudonym-key": "nothing about people (the key of the pseudonyms)",
};

/** The types that can hold something about a person, with their schemas (from the one list in store/records.ts). */
const SCHEMAS: Readonly<Partial<Record<DocumentType, z.ZodType>>> = Object.fromEntries(
  (["roles", "bindings", "person", "cycle", "conversation", "mailbox", "agreement", "report"] as const).map((type) => [type, DOCUMENT_SCHEMAS[type]]),
);

/** Erased in this order: roles first (the person can no longer act while the rest is done), the trail last. */
const ERASE_ORDER: readonly DocumentType[] = ["roles", "person", "conversation", "mailbox", "report", "cycle", "agreement", "bindings"];

export interface DocumentRef {
  partition: string;
  id: string;
  type: string;
}

interface PersonRef {
  id: string;
  name: string;
}

/** Everything stored about one person, grouped; every entry names the document it is in. */
export interface PersonExport {
  personId: string;
  exportedAt: string;
  /** The person is an admin through the `ADMIN_AAD_IDS` setting (the configuration, not the store). */
  adminThroughSetting: boolean;
  /** Their language choice (`språk …`); none: Teams' locale decides. */
  person: Array<{ document: DocumentRef; language: string | null; updatedAt: string }>;
  roles: Array<{ document: DocumentRef; role: string; name: string; grantedBy: PersonRef; grantedAt: string }>;
  /** Where the bot posts to them (their 1:1 chat), and whether Teams refused it. */
  conversations: Array<{ document: DocumentRef; conversation: Omit<ConversationDocument, "id" | "partition" | "type" | "schemaVersion"> }>;
  /** The nudges said to them (by key), their snoozes, and what waits to be said. */
  mailboxes: Array<{ document: DocumentRef; said: MailboxDocument["said"]; snoozed: MailboxDocument["snoozed"]; pending: MailboxDocument["pending"] | null }>;
  /** Rounds in which someone named them to answer for an agency. */
  deputyAppointments: Array<{ document: DocumentRef; report: ReportWhere; name: string; namedBy: PersonRef; at: string }>;
  /** The audit trail: events of cycles and agreements they recorded. */
  auditTrail: Array<{ document: DocumentRef; regionId: string; year: number; pseudonymous: boolean; event: CycleDocument["events"][number] | AgreementDocument["events"][number] }>;
  /** Report drafts they saved last (what waits to be submitted). */
  reportDrafts: Array<{ document: DocumentRef; report: ReportWhere; pseudonymous: boolean; draft: NonNullable<ReportDocument["draft"]> }>;
  /** Report versions they submitted. */
  reportVersions: Array<{ document: DocumentRef; report: ReportWhere; pseudonymous: boolean; version: ReportDocument["versions"][number] }>;
  /** Deputies they named, and «vil ikke rapportere» they marked. */
  reportDecisions: Array<{ document: DocumentRef; report: ReportWhere; pseudonymous: boolean; decision: { kind: "named-deputy"; deputyId: string; at: string } | { kind: "will-not-report"; reason: string; at: string } }>;
  /**
   * Card action ids kept on a report to recognise a retried click; naming or removing a deputy
   * puts the deputy's id in it (`<action>:deputy:<id>`), so the person's id is replaced there too.
   */
  reportActionIds: Array<{ document: DocumentRef; report: ReportWhere; pseudonymous: boolean; actionId: string }>;
  /** Roles they granted to others (the other person by id only). */
  rolesGranted: Array<{ document: DocumentRef; pseudonymous: boolean; role: string; to: string; grantedAt: string }>;
  /** Channels they bound to a region. */
  channelBindings: Array<{ document: DocumentRef; pseudonymous: boolean; conversationKey: string; regionId: string; boundAt: string }>;
  /** Documents that mention the id but do not parse: not exported (nor erased); fix them by hand. */
  unreadable: DocumentRef[];
}

export type ExportGroup = Exclude<keyof PersonExport, "personId" | "exportedAt" | "adminThroughSetting" | "unreadable">;
export const EXPORT_GROUPS: readonly ExportGroup[] = [
  "person",
  "roles",
  "conversations",
  "mailboxes",
  "deputyAppointments",
  "auditTrail",
  "reportDrafts",
  "reportVersions",
  "reportDecisions",
  "reportActionIds",
  "rolesGranted",
  "channelBindings",
];

interface ReportWhere {
  regionId: string;
  year: number;
  round: string;
  agency: string;
}

/** The id is not an Entra object id, or is one the app uses for itself: nothing is looked up. */
export class PersonIdError extends Error {
  readonly code = "PERSON_ID_INVALID";
  constructor(message: string) {
    super(message);
    this.name = "PersonIdError";
  }
}

/** The erasure would leave the installation without an admin: nothing was written. */
export class ErasureRefusedError extends Error {
  readonly code = "ERASURE_REFUSED";
  constructor(message: string) {
    super(message);
    this.name = "ErasureRefusedError";
  }
}

/** The app kept changing one document while the erasure tried to write it; run it again (it carries on). */
export class ErasureContendedError extends Error {
  readonly code = "CONCURRENCY_EXHAUSTED";
  constructor(key: DocumentKey, attempts: number) {
    super(`gave up erasing in ${key.partition}/${key.id} after ${attempts} conflicting attempts; run the erasure again (it carries on where it stopped)`);
    this.name = "ErasureContendedError";
  }
}

const normalizeId = (id: string) => id.trim().toLowerCase();

/** The person's id as stored (lower case), or PersonIdError naming what is wrong with it. */
export function parsePersonId(raw: string | undefined): string {
  if (raw === undefined || raw.trim() === "") throw new PersonIdError("missing the person's Entra object id (e.g. 8f1c2d3e-…, Entra admin center → Users → Object ID)");
  const id = normalizeId(raw);
  if (id.startsWith(PSEUDONYM_PREFIX)) throw new PersonIdError(`${JSON.stringify(raw)} is the pseudonym of a person already erased, not an Entra object id`);
  if (!PersonIdSchema.safeParse(id).success) {
    throw new PersonIdError(`${JSON.stringify(raw.slice(0, 120))} is not an Entra object id (expected letters, digits and '-', such as 8f1c2d3e-4b5a-6789-abcd-0123456789ef)`);
  }
  // The app records its own events as "system" (events.ts): that is nobody's id.
  if (id === "system") throw new PersonIdError('"system" is the app itself, not a person');
  return id;
}

/** The pseudonym of a person's id under the installation's key: the same id, the same pseudonym. */
export function pseudonymOf(key: Buffer, personId: string): string {
  return `${PSEUDONYM_PREFIX}${createHmac("sha256", key).update(normalizeId(personId)).digest("hex").slice(0, 32)}`;
}

const KEY_REF: DocumentKey = { partition: SYSTEM_PARTITION, id: PSEUDONYM_KEY_ID };

/** The installation's pseudonym key; made (created only if absent, so every run agrees on one) when `create`. */
export async function pseudonymKey(store: DocumentStore, options: { create: boolean; now: () => DateTime }): Promise<Buffer | undefined> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const found = await store.read(KEY_REF);
    if (found) return Buffer.from(PseudonymKeyDocumentSchema.parse(found.doc).key, "base64url");
    if (!options.create) return undefined;
    const doc: PseudonymKeyDocument = {
      ...KEY_REF,
      partition: SYSTEM_PARTITION,
      id: PSEUDONYM_KEY_ID,
      type: "pseudonym-key",
      schemaVersion: 1,
      key: randomBytes(32).toString("base64url"),
      createdAt: options.now().toUTC().toISO()!,
    };
    try {
      await store.write(doc, { ifAbsent: true });
      return Buffer.from(doc.key, "base64url");
    } catch (error) {
      // Another erasure made it first: use theirs.
      if (!(error instanceof StoreConflictError)) throw error;
    }
  }
  throw new ErasureContendedError(KEY_REF, 3);
}

interface Matcher {
  /** The person's Entra object id (lower case). */
  personId: string;
  /** The person's pseudonym, when the installation has a key (entries already erased). */
  pseudonymId: string | undefined;
  /** What replaces their `by` in the trail. */
  replacement: PersonRef;
}

const isPerson = (m: Matcher, id: string) => normalizeId(id) === m.personId;
const isPseudonym = (m: Matcher, id: string) => m.pseudonymId !== undefined && id === m.pseudonymId;

type Found = { [G in ExportGroup]: { group: G; item: PersonExport[G][number] } }[ExportGroup];

/** What a document holds about the person, and what erasing them does to it (nothing, delete it, or write `next`). */
interface Visit {
  found: Found[];
  erase?: { remove: true; what: string[] } | { remove?: false; next: StoredDocument; what: string[] };
}

const refOf = (doc: StoredDocument): DocumentRef => ({ partition: doc.partition, id: doc.id, type: doc.type });

/**
 * One document, parsed (`doc`) and as stored (`raw`, changed on a copy so that fields a schema
 * does not name are kept as they are).
 */
function visit(type: DocumentType, raw: StoredDocument, parsed: unknown, m: Matcher): Visit {
  const document = refOf(raw);
  const found: Found[] = [];
  const what: string[] = [];
  const next = structuredClone(raw) as StoredDocument & Record<string, any>;
  const replace = (by: PersonRef, count: () => void): PersonRef => {
    if (!isPerson(m, by.id)) return by;
    count();
    return { ...m.replacement };
  };

  switch (type) {
    case "person": {
      const doc = parsed as PersonDocument;
      if (!isPerson(m, doc.id)) return { found };
      found.push({ group: "person", item: { document, language: doc.lang ?? null, updatedAt: doc.updatedAt } });
      return { found, erase: { remove: true, what: ["the person's document (language choice)"] } };
    }
    case "conversation": {
      const doc = parsed as ConversationDocument;
      if (doc.personId === undefined || !isPerson(m, doc.personId)) return { found };
      const { id: _i, partition: _p, type: _t, schemaVersion: _v, ...conversation } = doc;
      found.push({ group: "conversations", item: { document, conversation } });
      return { found, erase: { remove: true, what: ["the reference to the person's 1:1 chat"] } };
    }
    case "mailbox": {
      const doc = parsed as MailboxDocument;
      if (doc.recipient.kind !== "person" || !isPerson(m, doc.recipient.personId)) return { found };
      found.push({ group: "mailboxes", item: { document, said: doc.said, snoozed: doc.snoozed, pending: doc.pending ?? null } });
      return { found, erase: { remove: true, what: ["the person's nudge mailbox (nudges said, snoozes)"] } };
    }
    case "roles": {
      const doc = parsed as RolesDocument;
      let removed = 0;
      let granted = 0;
      const kept: any[] = [];
      doc.assignments.forEach((a, i) => {
        if (isPerson(m, a.personId)) {
          found.push({ group: "roles", item: { document, role: a.role, name: a.name, grantedBy: a.grantedBy, grantedAt: a.grantedAt } });
          removed++;
          return;
        }
        const stored = next.assignments[i];
        if (isPerson(m, a.grantedBy.id) || isPseudonym(m, a.grantedBy.id)) {
          found.push({ group: "rolesGranted", item: { document, pseudonymous: isPseudonym(m, a.grantedBy.id), role: a.role, to: a.personId, grantedAt: a.grantedAt } });
        }
        kept.push({ ...stored, grantedBy: replace(stored.grantedBy, () => granted++) });
      });
      next.assignments = kept;
      if (removed > 0) what.push(`${removed} role assignment(s) deleted`);
      if (granted > 0) what.push(`${granted} role grant(s) by the person pseudonymised`);
      break;
    }
    case "bindings": {
      const doc = parsed as BindingsDocument;
      let bound = 0;
      for (const [conversationKey, b] of Object.entries(doc.channels)) {
        if (!isPerson(m, b.boundBy.id) && !isPseudonym(m, b.boundBy.id)) continue;
        found.push({ group: "channelBindings", item: { document, pseudonymous: isPseudonym(m, b.boundBy.id), conversationKey, regionId: b.regionId, boundAt: b.boundAt } });
        next.channels[conversationKey] = { ...next.channels[conversationKey], boundBy: replace(next.channels[conversationKey].boundBy, () => bound++) };
      }
      if (bound > 0) what.push(`${bound} channel binding(s) pseudonymised`);
      break;
    }
    case "cycle":
    case "agreement": {
      const doc = parsed as CycleDocument | AgreementDocument;
      let events = 0;
      doc.events.forEach((event, i) => {
        if (!isPerson(m, event.by.id) && !isPseudonym(m, event.by.id)) return;
        found.push({ group: "auditTrail", item: { document, regionId: doc.regionId, year: doc.year, pseudonymous: isPseudonym(m, event.by.id), event } });
        next.events[i] = { ...next.events[i], by: replace(next.events[i].by, () => events++) };
      });
      if (events > 0) what.push(`${events} event(s) of the audit trail pseudonymised`);
      break;
    }
    case "report": {
      const doc = parsed as ReportDocument;
      const report: ReportWhere = { regionId: doc.regionId, year: doc.year, round: doc.round, agency: doc.agency };
      const mine = (by: PersonRef) => isPerson(m, by.id) || isPseudonym(m, by.id);
      let authored = 0;
      if (doc.draft && mine(doc.draft.by)) {
        found.push({ group: "reportDrafts", item: { document, report, pseudonymous: isPseudonym(m, doc.draft.by.id), draft: doc.draft } });
        next.draft = { ...next.draft, by: replace(next.draft.by, () => authored++) };
      }
      doc.versions.forEach((version, i) => {
        if (!mine(version.by)) return;
        found.push({ group: "reportVersions", item: { document, report, pseudonymous: isPseudonym(m, version.by.id), version } });
        next.versions[i] = { ...next.versions[i], by: replace(next.versions[i].by, () => authored++) };
      });
      if (doc.willNotReport && mine(doc.willNotReport.by)) {
        const w = doc.willNotReport;
        found.push({ group: "reportDecisions", item: { document, report, pseudonymous: isPseudonym(m, w.by.id), decision: { kind: "will-not-report", reason: w.reason, at: w.at } } });
        next.willNotReport = { ...next.willNotReport, by: replace(next.willNotReport.by, () => authored++) };
      }
      let appointments = 0;
      const deputies: any[] = [];
      doc.deputies.forEach((d, i) => {
        if (isPerson(m, d.personId)) {
          found.push({ group: "deputyAppointments", item: { document, report, name: d.name, namedBy: d.by, at: d.at } });
          appointments++;
          return;
        }
        if (mine(d.by)) found.push({ group: "reportDecisions", item: { document, report, pseudonymous: isPseudonym(m, d.by.id), decision: { kind: "named-deputy", deputyId: d.personId, at: d.at } } });
        deputies.push({ ...next.deputies[i], by: replace(next.deputies[i].by, () => authored++) });
      });
      next.deputies = deputies;
      let actionIds = 0;
      doc.actionIds.forEach((actionId, i) => {
        const parts = actionId.split(":");
        const pseudonymous = m.pseudonymId !== undefined && actionId.includes(m.pseudonymId);
        if (!pseudonymous && !parts.some((part) => isPerson(m, part))) return;
        found.push({ group: "reportActionIds", item: { document, report, pseudonymous, actionId } });
        if (pseudonymous) return;
        next.actionIds[i] = parts.map((part) => (isPerson(m, part) ? m.replacement.id : part)).join(":");
        actionIds++;
      });
      if (actionIds > 0) what.push(`${actionIds} action id(s) naming the person pseudonymised`);
      if (appointments > 0) what.push(`${appointments} deputy appointment(s) deleted`);
      if (authored > 0) what.push(`${authored} report entr${authored === 1 ? "y" : "ies"} by the person pseudonymised`);
      break;
    }
    case "settings":
    case "lease":
    case "report-link-secret":
    case "pseudonym-key":
      return { found };
  }
  return what.length > 0 ? { found, erase: { next, what } } : { found };
}

interface Scanned {
  type: DocumentType;
  raw: StoredDocument;
  etag: string;
  visit: Visit;
}

/** Every document that holds something about the person, and the ones that mention the id but do not parse. */
async function scan(store: DocumentStore, m: Matcher): Promise<{ hits: Scanned[]; unreadable: DocumentRef[] }> {
  const hits: Scanned[] = [];
  const unreadable: DocumentRef[] = [];
  for (const type of DOCUMENT_TYPES) {
    const schema = SCHEMAS[type];
    if (!schema) continue;
    for (const { doc, etag } of await store.list(type)) {
      const parsed = schema.safeParse(doc);
      if (!parsed.success) {
        // Not understood, so neither exported nor changed: but the operator must hear of it if it may hold the person.
        const text = JSON.stringify(doc).toLowerCase();
        if (text.includes(m.personId) || (m.pseudonymId !== undefined && text.includes(m.pseudonymId))) unreadable.push(refOf(doc));
        continue;
      }
      const v = visit(type, doc, parsed.data, m);
      if (v.found.length > 0 || v.erase) hits.push({ type, raw: doc, etag, visit: v });
    }
  }
  return { hits, unreadable };
}

export interface PersonDataOptions {
  /** `ADMIN_AAD_IDS`: admins whatever the store says. */
  configuredAdmins?: readonly string[];
  now?: () => DateTime;
}

/** Everything the store holds about the person (and their pseudonymous entries, if they were erased before). */
export async function exportPerson(store: DocumentStore, rawId: string, options: PersonDataOptions = {}): Promise<PersonExport> {
  const personId = parsePersonId(rawId);
  const now = options.now ?? (() => DateTime.now());
  const key = await pseudonymKey(store, { create: false, now });
  const pseudonymId = key ? pseudonymOf(key, personId) : undefined;
  const m: Matcher = { personId, pseudonymId, replacement: { id: pseudonymId ?? PSEUDONYM_PREFIX, name: ERASED_NAME } };
  const { hits, unreadable } = await scan(store, m);
  const out = {
    personId,
    exportedAt: now().toUTC().toISO()!,
    adminThroughSetting: (options.configuredAdmins ?? []).some((id) => normalizeId(id) === personId),
    ...Object.fromEntries(EXPORT_GROUPS.map((g) => [g, [] as unknown[]])),
    unreadable,
  } as PersonExport;
  for (const hit of hits) for (const f of hit.visit.found) (out[f.group] as unknown[]).push(f.item);
  return out;
}

/** Entries in an export, per group; `pseudonymous` counts those already erased (kept in the trail). */
export function exportCounts(data: PersonExport): { total: number; pseudonymous: number; byGroup: Record<ExportGroup, number> } {
  let total = 0;
  let pseudonymous = 0;
  const byGroup = {} as Record<ExportGroup, number>;
  for (const group of EXPORT_GROUPS) {
    const items = data[group] as Array<{ pseudonymous?: boolean }>;
    byGroup[group] = items.length;
    total += items.length;
    pseudonymous += items.filter((i) => i.pseudonymous === true).length;
  }
  return { total, pseudonymous, byGroup };
}

export interface ErasedDocument extends DocumentRef {
  action: "delete" | "update";
  what: string[];
}

export interface ErasureReport {
  personId: string;
  /** Nothing was written: this is what `--yes` would do. */
  dryRun: boolean;
  documents: ErasedDocument[];
  /** Documents written (pseudonymised) and deleted by this run; 0 and 0 when there was nothing left to do. */
  written: number;
  removed: number;
  /** Things the store cannot change, for the operator (e.g. the id in ADMIN_AAD_IDS). */
  warnings: string[];
  /** Documents that mention the id but do not parse: left alone; fix them by hand and run again. */
  unreadable: DocumentRef[];
}

/**
 * Erases the person (see the module comment). `dryRun`: reports what would be done and writes
 * nothing (not even the pseudonym key). Refuses (ErasureRefusedError, nothing written) when it
 * would take the installation's last admin away.
 */
export async function erasePerson(store: DocumentStore, rawId: string, options: PersonDataOptions & { dryRun?: boolean; maxAttempts?: number } = {}): Promise<ErasureReport> {
  const personId = parsePersonId(rawId);
  const now = options.now ?? (() => DateTime.now());
  const dryRun = options.dryRun ?? false;
  const maxAttempts = options.maxAttempts ?? 10;
  const configured = new Set((options.configuredAdmins ?? []).map(normalizeId));
  const report: ErasureReport = { personId, dryRun, documents: [], written: 0, removed: 0, warnings: [], unreadable: [] };
  if (configured.has(personId)) {
    report.warnings.push("the id is in ADMIN_AAD_IDS, so the person stays an admin by the configuration: remove it from the app settings");
  }

  // A dry run makes no key: what would change does not depend on the pseudonym's value.
  const existing = await pseudonymKey(store, { create: false, now });
  const plannedMatcher = (key: Buffer | undefined): Matcher => {
    const pseudonymId = key ? pseudonymOf(key, personId) : undefined;
    return { personId, pseudonymId, replacement: { id: pseudonymId ?? `${PSEUDONYM_PREFIX}(made when erased)`, name: ERASED_NAME } };
  };
  let m = plannedMatcher(existing);
  const { hits, unreadable } = await scan(store, m);
  report.unreadable = unreadable;
  const todo = hits.filter((h) => h.visit.erase).sort((a, b) => ERASE_ORDER.indexOf(a.type) - ERASE_ORDER.indexOf(b.type));
  for (const hit of todo) checkAdmins(hit, configured, personId);
  if (dryRun) {
    report.documents = todo.map((h) => ({ ...refOf(h.raw), action: h.visit.erase!.remove ? "delete" : "update", what: h.visit.erase!.what }));
    return report;
  }
  if (todo.length === 0) return report;
  if (!existing) m = plannedMatcher(await pseudonymKey(store, { create: true, now }));

  for (const hit of todo) {
    const key: DocumentKey = { partition: hit.raw.partition, id: hit.raw.id };
    let current: { doc: StoredDocument; etag: string } = { doc: hit.raw, etag: hit.etag };
    for (let attempt = 1; ; attempt++) {
      const schema = SCHEMAS[hit.type]!;
      const parsed = schema.safeParse(current.doc);
      if (!parsed.success) {
        report.unreadable.push(refOf(current.doc));
        break;
      }
      const decided = visit(hit.type, current.doc, parsed.data, m);
      if (!decided.erase) break;
      checkAdmins({ ...hit, raw: current.doc, visit: decided }, configured, personId);
      try {
        if (decided.erase.remove) {
          await store.remove(key, { ifMatch: current.etag });
          report.removed++;
        } else {
          await store.write(decided.erase.next, { ifMatch: current.etag });
          report.written++;
        }
        report.documents.push({ ...refOf(current.doc), action: decided.erase.remove ? "delete" : "update", what: decided.erase.what });
        break;
      } catch (error) {
        if (!(error instanceof StoreConflictError)) throw error;
        if (attempt >= maxAttempts) throw new ErasureContendedError(key, attempt);
      }
      // The app changed (or removed) it meanwhile: decide again on what is there now.
      const fresh = await store.read(key);
      if (!fresh) break;
      current = fresh;
    }
  }
  return report;
}

/** Taking the person's admin role must leave an admin: stored, or through ADMIN_AAD_IDS. */
function checkAdmins(hit: Scanned, configured: ReadonlySet<string>, personId: string): void {
  if (hit.type !== "roles" || !hit.visit.erase || hit.visit.erase.remove) return;
  const before = (hit.raw as RolesDocument).assignments;
  const after = (hit.visit.erase.next as RolesDocument).assignments;
  const wasAdmin = before.some((a) => a.role === "admin" && normalizeId(a.personId) === personId);
  const othersConfigured = [...configured].some((id) => id !== personId);
  if (wasAdmin && !othersConfigured && !after.some((a) => a.role === "admin")) {
    throw new ErasureRefusedError("the person is the installation's last admin: grant another admin first (gi @person admin, or ADMIN_AAD_IDS), then erase; nothing was changed");
  }
}
