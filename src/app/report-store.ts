/**
 * Where agreements and follow-up reports are kept: the region's partition, one document per
 * agreement year (`agreement-Y`) and one per agency and round (`report-Y-round-agency`). Reading
 * and writing only; the rules are in domain/agreement.ts and domain/reports.ts, the use cases in
 * app/agreements.ts and app/reports.ts.
 */
import { reduceAgreement, type AgreementEvent, type AgreementParties, type AgreementState } from "../domain/agreement.js";
import type { Round } from "../domain/process.js";
import type { AgencyId } from "../domain/regions.js";
import {
  AgreementDocumentSchema,
  agreementDocumentId,
  ReportDocumentSchema,
  reportDocumentId,
  type AgreementDocument,
  type ReportDocument,
} from "../store/records.js";
import type { DocumentKey, DocumentStore } from "../store/store.js";
import { updateDocument } from "./documents.js";

export const agreementKey = (regionId: string, year: number): DocumentKey => ({ partition: regionId, id: agreementDocumentId(year) });
export const reportKey = (regionId: string, year: number, round: Round, agency: AgencyId): DocumentKey => ({
  partition: regionId,
  id: reportDocumentId(year, round, agency),
});

export interface LoadedAgreement {
  state: AgreementState;
  events: AgreementEvent[];
  etag?: string;
}

const parseAgreement = (raw: unknown) => AgreementDocumentSchema.parse(raw);
const parseReport = (raw: unknown) => ReportDocumentSchema.parse(raw);

/** Several agreements in one store call; a missing one is an agreement with the fallback parties and no tasks. */
export async function loadAgreements(
  store: DocumentStore,
  wanted: ReadonlyArray<{ regionId: string; year: number; fallback?: Partial<AgreementParties> }>,
): Promise<LoadedAgreement[]> {
  const found = await store.readMany(wanted.map((w) => agreementKey(w.regionId, w.year)));
  return wanted.map((w, i) => {
    const hit = found[i];
    const events = hit ? parseAgreement(hit.doc).events : [];
    return { state: reduceAgreement(w.regionId, w.year, events, w.fallback), events, ...(hit ? { etag: hit.etag } : {}) };
  });
}

export async function loadAgreement(store: DocumentStore, regionId: string, year: number, fallback?: Partial<AgreementParties>): Promise<LoadedAgreement> {
  return (await loadAgreements(store, [{ regionId, year, ...(fallback ? { fallback } : {}) }]))[0]!;
}

/**
 * Appends changes to an agreement under its etag (reload and decide again on a conflict). Events
 * whose id is already there are dropped: a retried click records nothing twice.
 */
export async function appendToAgreement<R>(
  store: DocumentStore,
  regionId: string,
  year: number,
  decide: (current: LoadedAgreement) => { events: AgreementEvent[]; result: R },
  fallback?: Partial<AgreementParties>,
): Promise<{ result: R; appended: AgreementEvent[]; agreement: LoadedAgreement }> {
  let appended: AgreementEvent[] = [];
  const { result, doc } = await updateDocument(store, agreementKey(regionId, year), parseAgreement, (current) => {
    const events = current?.events ?? [];
    const loaded: LoadedAgreement = { state: reduceAgreement(regionId, year, events, fallback), events };
    const decided = decide(loaded);
    const known = new Set(events.map((e) => e.id));
    appended = decided.events.filter((e) => !known.has(e.id));
    if (appended.length === 0) return { result: decided.result };
    const write: AgreementDocument = { ...agreementKey(regionId, year), type: "agreement", schemaVersion: 1, regionId, year, events: [...events, ...appended] };
    return { write, result: decided.result };
  });
  const events = doc?.events ?? [];
  return { result, appended, agreement: { state: reduceAgreement(regionId, year, events, fallback), events } };
}

/** The reports of one round for the given agencies, in that order (undefined: nothing saved yet). */
export async function loadRoundReports(store: DocumentStore, regionId: string, year: number, round: Round, agencies: readonly AgencyId[]): Promise<Array<ReportDocument | undefined>> {
  const found = await store.readMany(agencies.map((a) => reportKey(regionId, year, round, a)));
  return found.map((hit) => (hit ? parseReport(hit.doc) : undefined));
}

export function emptyReportDocument(regionId: string, year: number, round: Round, agency: AgencyId): ReportDocument {
  return { ...reportKey(regionId, year, round, agency), type: "report", schemaVersion: 1, regionId, year, round, agency, versions: [], deputies: [], actionIds: [] };
}

/** Keeps the last this many action ids on a report: far more than the clicks a round can retry. */
const KEPT_ACTION_IDS = 100;

/**
 * Changes one report under its etag. `change` gets the stored report (or an empty one) and returns
 * the new one, or undefined to write nothing; `actionId` makes a retried click a no-op.
 */
export async function updateReport<R>(
  store: DocumentStore,
  at: { regionId: string; year: number; round: Round; agency: AgencyId },
  actionId: string,
  change: (current: ReportDocument) => { report?: ReportDocument; result: R },
): Promise<{ result: R | "duplicate"; report: ReportDocument; written: boolean }> {
  const key = reportKey(at.regionId, at.year, at.round, at.agency);
  const { result, doc, written } = await updateDocument<ReportDocument, R | "duplicate">(store, key, parseReport, (stored) => {
    const current = stored ?? emptyReportDocument(at.regionId, at.year, at.round, at.agency);
    if (current.actionIds.includes(actionId)) return { result: "duplicate" };
    const decided = change(current);
    if (!decided.report) return { result: decided.result };
    const write: ReportDocument = { ...decided.report, actionIds: [...current.actionIds, actionId].slice(-KEPT_ACTION_IDS) };
    return { write, result: decided.result };
  });
  return { result, report: doc ?? emptyReportDocument(at.regionId, at.year, at.round, at.agency), written };
}
