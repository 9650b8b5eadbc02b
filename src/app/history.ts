/**
 * The "historikk" use case: the audit trail of one region (or the national track) — every event
 * of its aggregates for the years shown, newest first, paged. An undone event stays in the trail
 * and is marked with the undo; the undo is an entry of its own. Rendering is the cards' job.
 */
import { DateTime } from "luxon";
import type { IsoDate } from "../domain/calendar.js";
import type { DomainEvent } from "../domain/events.js";
import { activeCycleYears } from "../domain/obligations.js";
import type { ProcessModel } from "../domain/process.js";
import type { DocumentStore } from "../store/store.js";
import { loadCycles, type LoadedCycle } from "./cycles.js";

export const HISTORY_PAGE_SIZE = 10;

export interface HistoryEntry {
  event: DomainEvent;
  /** The aggregate the event belongs to: a region id or `national`. */
  aggregateId: string;
  /** The cycle year of the aggregate (step titles such as "Samarbeidsavtale {next}" need it). */
  year: number;
  /** The later event that took this one back, if any. */
  undoneBy?: DomainEvent;
  /** For an undo: the event it took back (absent if that event is not in the trail). */
  undoes?: DomainEvent;
}

export interface HistoryPage {
  /** A region id or `national`. */
  regionId: string;
  /** The cycle years shown, oldest first. */
  years: number[];
  entries: HistoryEntry[];
  /** 1-based; a page beyond the last is answered with the last. */
  page: number;
  pageSize: number;
  /** At least 1, also when there is nothing to show. */
  pageCount: number;
  /** Entries on all pages together. */
  total: number;
}

/**
 * The cycle years a history shows: always the two latest — the current cycle and the one before.
 * While the old cycle is still closing (January to early May) those are exactly the active
 * years, the ones the status card shows; afterwards last year's trail stays readable beside this
 * year's. Not the active years plus the year before: in February 2027 that was 2025–2027, a
 * cycle that ended a year earlier, and a heading ("Syklus 2025–2027") nobody could place.
 */
export function historyYears(today: IsoDate, model: ProcessModel): number[] {
  const latest = activeCycleYears(today, model).at(-1)!;
  return [latest - 1, latest];
}

export async function history(
  deps: { store: DocumentStore },
  regionId: string,
  years: readonly number[],
  page: number,
  pageSize = HISTORY_PAGE_SIZE,
): Promise<HistoryPage> {
  const cycles = await loadCycles(deps.store, years.map((year) => ({ regionId, year })));
  return { regionId, years: [...years].sort((a, b) => a - b), ...pageOf(historyEntries(cycles), page, pageSize) };
}

/**
 * Every event of the cycles, newest first, with undos linked both ways. Pure. Events recorded
 * in the same millisecond keep their recorded order (the later appended is newer).
 */
export function historyEntries(cycles: readonly LoadedCycle[]): HistoryEntry[] {
  const byId = new Map<string, DomainEvent>();
  const undoneBy = new Map<string, DomainEvent>();
  for (const cycle of cycles)
    for (const event of cycle.events) {
      byId.set(event.id, event);
      if (event.data.type === "event-undone") undoneBy.set(event.data.eventId, event);
    }
  const rows = cycles.flatMap((cycle) =>
    cycle.events.map((event, index) => {
      const undone = undoneBy.get(event.id);
      const target = event.data.type === "event-undone" ? byId.get(event.data.eventId) : undefined;
      const entry: HistoryEntry = { event, aggregateId: cycle.regionId, year: cycle.year, ...(undone ? { undoneBy: undone } : {}), ...(target ? { undoes: target } : {}) };
      return { entry, at: DateTime.fromISO(event.recordedAt).toMillis(), index };
    }),
  );
  rows.sort((a, b) => b.at - a.at || b.entry.year - a.entry.year || b.index - a.index);
  return rows.map((r) => r.entry);
}

/** One page of the entries; a page out of range is answered with the nearest page there is. */
export function pageOf(entries: readonly HistoryEntry[], page: number, pageSize = HISTORY_PAGE_SIZE): Pick<HistoryPage, "entries" | "page" | "pageSize" | "pageCount" | "total"> {
  const size = Math.max(1, Math.floor(pageSize));
  const pageCount = Math.max(1, Math.ceil(entries.length / size));
  const current = Math.min(pageCount, Math.max(1, Math.floor(page) || 1));
  return { entries: entries.slice((current - 1) * size, current * size), page: current, pageSize: size, pageCount, total: entries.length };
}
