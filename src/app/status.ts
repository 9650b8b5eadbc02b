/**
 * The "status" and "oversikt" use cases: load the aggregates of the active cycle years in one
 * store call, and evaluate the wheel. They return obligations; rendering is the cards' job.
 */
import type { DateTime } from "luxon";
import { osloDate } from "../domain/calendar.js";
import { agendaOf, byAgendaUrgency, isActionable, nextOf, phaseOf, type Agenda } from "../domain/agenda.js";
import { activeCycleYears, obligations, type Obligation, type RegionSetup } from "../domain/obligations.js";
import type { ProcessModel } from "../domain/process.js";
import { NATIONAL, regionById, REGIONS, type Region } from "../domain/regions.js";
import type { DocumentStore } from "../store/store.js";
import { parseCycle, readCycles, type LoadedCycle, type StoredCycle } from "./cycles.js";
import type { NationalTrack } from "./national-track.js";
import type { PartiesView } from "./agreement-parties.js";
import type { Settings } from "./settings.js";

export interface CycleStatus {
  year: number;
  /**
   * A cycle that is closing (January–April of Y+1): only what remains of it is shown — its
   * agreement phase (signing and commission agreements, with the checklist of what signing
   * waits for, §2.1, §3.3) and whatever else is still open.
   */
  openOnly: boolean;
  national: Obligation[];
  regional: Obligation[];
}

export interface RegionStatus {
  region?: Region;
  now: DateTime;
  cycles: CycleStatus[];
  /** §2: the region's plan in force and the current year's action plan, as recorded. */
  plans?: { year: number; regional?: NonNullable<LoadedCycle["state"]["regionalPlan"]>; action?: NonNullable<LoadedCycle["state"]["actionPlan"]> };
  /**
   * What is late, blocked and next for the card's own track (the region's steps, or the national
   * track on `status` alone), across the cycles shown.
   */
  agenda: Agenda;
  /** On a region's card: the national track's agenda, for its one line. */
  nationalAgenda?: Agenda;
}

/**
 * A view and what it is computed from. Equal versions mean equal views (same documents by etag,
 * same Oslo day, same settings and model), so a card rendered for one version can be reused.
 */
export interface Snapshot<V> {
  version: string;
  /** What the view is about (a region id or `national`), known without evaluating it. */
  subject: string;
  /** Evaluates the view; called only when no card for this version is at hand. */
  evaluate(): V;
}

function snapshot<V>(subject: string, parts: Array<string | number | undefined>, evaluate: () => V): Snapshot<V> {
  let view: V | undefined;
  return { version: parts.map((p) => p ?? "-").join("|"), subject, evaluate: () => (view ??= evaluate()) };
}

export interface StatusDeps {
  store: DocumentStore;
  model: ProcessModel;
  settings: Settings;
  /** The national documents, cached; without it they are read with the region's. */
  national?: NationalTrack;
  /** The parties set on the agreements (app/agreement-parties.ts), as of this turn; without it the settings' parties. */
  parties?: PartiesView;
}

/** Status of one region (or, without a region, the national track) at `now`. */
export async function regionStatus(deps: StatusDeps, region: Region | undefined, now: DateTime): Promise<Snapshot<RegionStatus>> {
  const today = osloDate(now);
  const years = activeCycleYears(today, deps.model);
  const stored = await readWithNational(deps, years, region ? [region.id] : []);
  const version = ["status", region?.id ?? NATIONAL, today, deps.model.id, deps.settings.revision, deps.parties?.revision, ...stored.map((c) => c.etag)];
  return snapshot(region?.id ?? NATIONAL, version, () => evaluateStatus(deps, region, now, years, stored.map(parseCycle)));
}

/** For each year: the national document, then the given regions' — the national one from the cache when there is one. */
async function readWithNational(deps: StatusDeps, years: number[], regionIds: string[]): Promise<StoredCycle[]> {
  if (!deps.national) return readCycles(deps.store, years.flatMap((year) => [NATIONAL, ...regionIds].map((regionId) => ({ regionId, year }))));
  const [national, regions] = await Promise.all([
    deps.national.get(years),
    regionIds.length > 0 ? readCycles(deps.store, years.flatMap((year) => regionIds.map((regionId) => ({ regionId, year })))) : Promise.resolve([]),
  ]);
  return years.flatMap((year, i) => [national[i]!, ...regions.filter((c) => c.year === year)]);
}

/** A cycle's step instances (the national track and, if given, one region's), as {@link evaluateCycle}. */
type CycleEvaluator = (year: number, national: LoadedCycle, region: LoadedCycle | undefined) => Obligation[];

/**
 * {@link evaluateCycle}, each cycle once: the overview's statuses and its tracks ask for the same
 * cycles, and evaluating them is most of the overview's cost. The lists are only read, never changed.
 */
function evaluateOnce(deps: StatusDeps, now: DateTime): CycleEvaluator {
  const done = new Map<string, Obligation[]>();
  return (year, national, region) => {
    const key = `${region?.regionId ?? NATIONAL}|${year}`;
    let found = done.get(key);
    if (!found) done.set(key, (found = evaluateCycle(deps, year, now, national, region)));
    return found;
  };
}

function evaluateStatus(deps: StatusDeps, region: Region | undefined, now: DateTime, years: number[], loaded: LoadedCycle[], cycleOf: CycleEvaluator = (year, national, own) => evaluateCycle(deps, year, now, national, own)): RegionStatus {
  const find = (regionId: string, year: number) => loaded.find((c) => c.regionId === regionId && c.year === year)!;
  const cycles = years.map((year, i) => {
    const all = cycleOf(year, find(NATIONAL, year), region ? find(region.id, year) : undefined);
    const openOnly = years.length > 1 && i === 0;
    const keep = (o: Obligation) => !openOnly || isActionable(o) || phaseOf(o.step) === "agreement";
    return {
      year,
      openOnly,
      national: all.filter((o) => o.step.scope === "national" && keep(o)),
      regional: all.filter((o) => o.step.scope === "region" && keep(o)),
    };
    // A closing cycle with nothing left to do is not shown at all.
  }).filter((c) => !c.openOnly || [...c.national, ...c.regional].some(isActionable));
  const today = osloDate(now);
  const national = cycles.flatMap((c) => c.national);
  const own = region ? cycles.flatMap((c) => c.regional) : national;
  return {
    ...(region ? { region } : {}),
    now,
    cycles,
    agenda: agendaOf(own, today, deps.model),
    ...(region ? { nationalAgenda: agendaOf(national, today, deps.model), plans: plansOf(region.id, years, loaded) } : {}),
  };
}

/** The latest recorded regional plan that covers the current year (it may have been recorded a year before). */
function plansOf(regionId: string, years: number[], loaded: LoadedCycle[]): NonNullable<RegionStatus["plans"]> {
  const year = years[years.length - 1]!;
  const mine = loaded.filter((c) => c.regionId === regionId).sort((a, b) => b.year - a.year);
  const regional = mine.map((c) => c.state.regionalPlan).find((p) => p !== undefined && p.from <= year && year <= p.to);
  const action = mine.find((c) => c.year === year)?.state.actionPlan;
  return { year, ...(regional ? { regional } : {}), ...(action ? { action } : {}) };
}

export interface RegionSummary {
  region: Region;
  /** The same agenda the region's card shows (regional steps of the cycles it shows). */
  agenda: Agenda;
  /** The most urgent step not yet past its deadline, with every party it is due for at the same time. */
  next?: Obligation[];
}

export interface Overview {
  now: DateTime;
  years: number[];
  national: Omit<RegionSummary, "region">;
  /** Most urgent first: most overdue, then most blocked, then the nearest deadline. */
  regions: RegionSummary[];
  /**
   * Every track (as {@link allTracks}) from the same documents, evaluated when first asked: the
   * tab's overview grid needs each step's state, done ones too, without reading every region again.
   */
  tracks(): Track[];
}

/** All regions at a glance: one store call for every aggregate of the active years. */
export async function overview(deps: StatusDeps, now: DateTime): Promise<Snapshot<Overview>> {
  const today = osloDate(now);
  const years = activeCycleYears(today, deps.model);
  const ids = [NATIONAL, ...REGIONS.map((r) => r.id)];
  const stored: StoredCycle[] = await readWithNational(deps, years, ids.filter((id) => id !== NATIONAL));
  const version = ["overview", today, deps.model.id, deps.settings.revision, deps.parties?.revision, ...stored.map((c) => c.etag)];
  return snapshot("overview", version, () => evaluateOverview(deps, now, years, stored.map(parseCycle)));
}

/** The overview from the very statuses the regions' cards show, so the two always agree. */
function evaluateOverview(deps: StatusDeps, now: DateTime, years: number[], loaded: LoadedCycle[]): Overview {
  const summary = (agenda: Agenda) => {
    const next = nextOf(agenda);
    return { agenda, ...(next ? { next } : {}) };
  };
  const cycleOf = evaluateOnce(deps, now);
  const national = evaluateStatus(deps, undefined, now, years, loaded, cycleOf);
  const regions = REGIONS.map((region) => ({ region, ...summary(evaluateStatus(deps, region, now, years, loaded, cycleOf).agenda) }));
  let tracks: Track[] | undefined;
  return {
    now,
    years,
    national: summary(national.agenda),
    regions: regions.sort((a, b) => byAgendaUrgency(a.agenda, b.agenda)),
    tracks: () => (tracks ??= tracksOf(deps, now, years, loaded, cycleOf)),
  };
}

/** Every step instance of cycle `year` for the national track and (if given) one region, at `now`. */
export function evaluateCycle(deps: StatusDeps, year: number, now: DateTime, national: LoadedCycle, region: LoadedCycle | undefined): Obligation[] {
  return obligations(cycleInput(deps, year, now, national, region));
}

/** What a cycle is evaluated from; a form also tries a change on it before saving (domain/forms.ts stepsMadeLate). */
export function cycleInput(deps: StatusDeps, year: number, now: DateTime, national: LoadedCycle, region: LoadedCycle | undefined): Parameters<typeof obligations>[0] {
  return {
    model: deps.model,
    year,
    now,
    national: national.state,
    nationalTrackingStart: deps.settings.trackingStart,
    // Allocation letters of cycle Y are for agreement Y+1 (§2.1): its parties, wherever they were set.
    nationalAgencies: deps.parties
      ? deps.parties.nationalAgencies(year + 1, REGIONS.map((r) => r.id), (id) => deps.settings.regionSetup(id).partyAgencies)
      : deps.settings.nationalAgencies,
    ...(region && regionById(region.regionId) ? { region: { setup: setupOf(deps, region.regionId), state: region.state } } : {}),
  };
}

/** The region's configured setup, with the parties set on its agreements. */
function setupOf(deps: StatusDeps, regionId: string): RegionSetup {
  const setup = deps.settings.regionSetup(regionId);
  const agreements = deps.parties?.of(regionId);
  return agreements ? { ...setup, agreements } : setup;
}

/** One track's step instances across the active cycles: the national track (`national`) or a region's own steps. */
export interface Track {
  regionId: string;
  obligations: Obligation[];
}

/**
 * Every track at `now` (the national one, then each region's own steps) for the nudges: one
 * store call for all aggregates, as the overview.
 */
export async function allTracks(deps: StatusDeps, now: DateTime): Promise<Track[]> {
  const years = activeCycleYears(osloDate(now), deps.model);
  const stored = await readWithNational(deps, years, REGIONS.map((r) => r.id));
  return tracksOf(deps, now, years, stored.map(parseCycle));
}

/** Every track of the active `years`, from their documents (the national one and every region's). */
function tracksOf(deps: StatusDeps, now: DateTime, years: number[], loaded: LoadedCycle[], cycleOf: CycleEvaluator = (year, national, own) => evaluateCycle(deps, year, now, national, own)): Track[] {
  const find = (regionId: string, year: number) => loaded.find((c) => c.regionId === regionId && c.year === year)!;
  const national = years.flatMap((year) => cycleOf(year, find(NATIONAL, year), undefined));
  return [
    { regionId: NATIONAL, obligations: national },
    ...REGIONS.map((region) => ({
      regionId: region.id,
      obligations: years.flatMap((year) => cycleOf(year, find(NATIONAL, year), find(region.id, year)).filter((o) => o.step.scope === "region")),
    })),
  ];
}
