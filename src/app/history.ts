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
import type { AgreementEvent } from "../domain/agreement.js";
import { NATIONAL } from "../domain/regions.js";
import { loadCycles, type LoadedCycle } from "./cycles.js";
import { loadAgreements, type LoadedAgreement } from "./report-store.js";

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

/** A change to the region's agreement of a year (its parties and tasks, §2.1): part of the same trail. */
export interface AgreementHistoryEntry {
  kind: "agreement";
  event: AgreementEvent;
  /** The region. */
  aggregateId: string;
  /** The agreement year. */
  year: number;
  /** For an edited or removed task: its title as it stood before (a removal records only the id). */
  taskTitle?: string;
}

/** One line of the trail: a cycle's event or an agreement's change. */
export type TrailEntry = HistoryEntry | AgreementHistoryEntry;

export interface HistoryPage {
  /** A region id or `national`. */
  regionId: string;
  /** The cycle years shown, oldest first. */
  years: number[];
  entries: TrailEntry[];
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
  // The agreements worked on in these cycles: each cycle's own, and the next one drafted in the latest (§3.2).
  const agreementYears = regionId === NATIONAL ? [] : [...new Set([...years, Math.max(...years) + 1])];
  const [cycles, agreements] = await Promise.all([
    loadCycles(deps.store, years.map((year) => ({ regionId, year }))),
    agreementYears.length > 0 ? loadAgreements(deps.store, agreementYears.map((year) => ({ regionId, year }))) : Promise.resolve([]),
  ]);
  return { regionId, years: [...years].sort((a, b) => a - b), ...pageOf(trailEntries(cycles, agreements), page, pageSize) };
}

/**
 * Every event of the cycles, newest first, with undos linked both ways. Pure. Events recorded
 * in the same millisecond keep their recorded order (the later appended is newer).
 */
export function historyEntries(cycles: readonly LoadedCycle[]): HistoryEntry[] {
  return sortedNewestFirst(cycleRows(cycles));
}

/** The cycles' events and the agreements' changes together, newest first. Pure. */
export function trailEntries(cycles: readonly LoadedCycle[], agreements: readonly LoadedAgreement[]): TrailEntry[] {
  return sortedNewestFirst<TrailEntry>([...cycleRows(cycles), ...agreementRows(agreements)]);
}

interface Row<E> {
  entry: E;
  at: number;
  index: number;
}

function sortedNewestFirst<E extends TrailEntry>(rows: Array<Row<E>>): E[] {
  rows.sort((a, b) => b.at - a.at || b.entry.year - a.entry.year || b.index - a.index);
  return rows.map((r) => r.entry);
}

function cycleRows(cycles: readonly LoadedCycle[]): Array<Row<HistoryEntry>> {
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
  return rows;
}

/** Each agreement change, with the title a task had before it was edited or removed. */
function agreementRows(agreements: readonly LoadedAgreement[]): Array<Row<AgreementHistoryEntry>> {
  return agreements.flatMap((agreement) => {
    const titles = new Map<string, string>();
    return agreement.events.map((event, index) => {
      const { data } = event;
      const before = data.type === "task-edited" ? titles.get(data.task.id) : data.type === "task-removed" ? titles.get(data.taskId) : undefined;
      if (data.type === "task-added" || data.type === "task-edited") titles.set(data.task.id, data.task.title);
      if (data.type === "tasks-copied") data.tasks.forEach((t) => titles.set(t.id, t.title));
      const entry: AgreementHistoryEntry = { kind: "agreement", event, aggregateId: agreement.state.regionId, year: agreement.state.year, ...(before !== undefined ? { taskTitle: before } : {}) };
      return { entry, at: DateTime.fromISO(event.recordedAt).toMillis(), index };
    });
  });
}

/** One page of the entries; a page out of range is answered with the nearest page there is. */
export function pageOf(entries: readonly TrailEntry[], page: number, pageSize = HISTORY_PAGE_SIZE): Pick<HistoryPage, "entries" | "page" | "pageSize" | "pageCount" | "total"> {
  const size = Math.max(1, Math.floor(pageSize));
  const pageCount = Math.max(1, Math.ceil(entries.length / size));
  const current = Math.min(pageCount, Math.max(1, Math.floor(page) || 1));
  return { entries: entries.slice((current - 1) * size, current * size), page: current, pageSize: size, pageCount, total: entries.length };
}
