/**
 * Loading and saving cycle aggregates over the document store: point reads, and appends guarded
 * by the etag with a bounded reload-and-retry on conflict (architecture.md, persistence model).
 */
import { reduceCycle, type CycleState } from "../domain/cycle.js";
import type { DomainEvent } from "../domain/events.js";
import { CycleDocumentSchema, cycleDocumentId, cycleSchemaVersion, type CycleDocument } from "../store/records.js";
import { StoreConflictError, type DocumentKey, type DocumentStore } from "../store/store.js";

export interface LoadedCycle {
  regionId: string;
  year: number;
  events: DomainEvent[];
  state: CycleState;
  /** Absent when the aggregate has not been written yet. */
  etag?: string;
}

export const cycleKey = (regionId: string, year: number): DocumentKey => ({ partition: regionId, id: cycleDocumentId(year) });

/** What a point read found: the raw document and its etag, not yet parsed. */
export interface StoredCycle {
  regionId: string;
  year: number;
  etag?: string;
  doc?: unknown;
}

/**
 * Point-reads several aggregates in one store call. Parsing waits for `parseCycle`, so a caller
 * that only needs the etags (is my rendered card still current?) does not pay for it.
 */
export async function readCycles(store: DocumentStore, wanted: Array<{ regionId: string; year: number }>): Promise<StoredCycle[]> {
  const found = await store.readMany(wanted.map((w) => cycleKey(w.regionId, w.year)));
  return wanted.map((w, i) => {
    const hit = found[i];
    return hit ? { ...w, etag: hit.etag, doc: hit.doc } : { ...w };
  });
}

/** Parses (zod) and reduces a stored aggregate; a missing one is an empty cycle. */
export function parseCycle(stored: StoredCycle): LoadedCycle {
  const { regionId, year } = stored;
  if (stored.doc === undefined) return { regionId, year, events: [], state: reduceCycle(regionId, year, []) };
  const doc = CycleDocumentSchema.parse(stored.doc);
  return { regionId, year, events: doc.events, state: reduceCycle(regionId, year, doc.events), ...(stored.etag ? { etag: stored.etag } : {}) };
}

export async function loadCycles(store: DocumentStore, wanted: Array<{ regionId: string; year: number }>): Promise<LoadedCycle[]> {
  return (await readCycles(store, wanted)).map(parseCycle);
}

export class ConcurrencyExhaustedError extends Error {
  readonly code = "CONCURRENCY_EXHAUSTED";
  constructor(regionId: string, year: number, attempts: number) {
    super(`gave up appending to ${regionId}/${year} after ${attempts} conflicting attempts`);
  }
}

export interface AppendResult {
  cycle: LoadedCycle;
  /** Events that were new; an event whose id was already recorded is not recorded again. */
  appended: DomainEvent[];
}

/**
 * Appends events to one aggregate. `decide` sees the freshly loaded cycle and returns the events
 * to append (it may validate against the current state and throw); on an etag conflict the
 * cycle is reloaded and `decide` runs again, at most `maxAttempts` times. Events whose id is
 * already in the aggregate are dropped, so a retried delivery records nothing twice.
 */
export async function appendToCycle(
  store: DocumentStore,
  regionId: string,
  year: number,
  decide: (cycle: LoadedCycle) => DomainEvent[],
  maxAttempts = 20,
  /** A last check against other documents, on the fresh state; false writes nothing. */
  confirm?: (cycle: LoadedCycle) => Promise<boolean>,
): Promise<AppendResult> {
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const [cycle] = await loadCycles(store, [{ regionId, year }]);
    const known = new Set(cycle!.events.map((e) => e.id));
    const appended = decide(cycle!).filter((e) => !known.has(e.id));
    if (appended.length === 0) return { cycle: cycle!, appended };
    if (confirm && !(await confirm(cycle!))) return { cycle: cycle!, appended: [] };
    const events = [...cycle!.events, ...appended];
    const doc: CycleDocument = { ...cycleKey(regionId, year), type: "cycle", schemaVersion: cycleSchemaVersion(events), regionId, year, events };
    try {
      const etag = await store.write(doc, cycle!.etag ? { ifMatch: cycle!.etag } : { ifAbsent: true });
      return { cycle: { regionId, year, events, state: reduceCycle(regionId, year, events), etag }, appended };
    } catch (error) {
      if (!(error instanceof StoreConflictError)) throw error;
      // Someone else wrote in between: reload and decide again on the new state.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
    }
  }
  throw new ConcurrencyExhaustedError(regionId, year, maxAttempts);
}
