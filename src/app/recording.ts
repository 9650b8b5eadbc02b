/**
 * The recording use case: load the cycle → evaluate the wheel → authorize and decide (pure) →
 * append the event with optimistic concurrency. A refused request writes nothing; the same
 * action delivered twice (Teams retries, a double click) is recorded once.
 */
import { createHash } from "node:crypto";
import type { DateTime } from "luxon";
import { osloDate } from "../domain/calendar.js";
import type { Actor, DomainEvent } from "../domain/events.js";
import type { Obligation } from "../domain/obligations.js";
import { activeCycleYears } from "../domain/obligations.js";
import { reduceCycle } from "../domain/cycle.js";
import { lateToken, stepsMadeLate } from "../domain/forms.js";
import { decide, decidePlanRecord, decideUndo, dependentsOfUndo, stepKeyOf, type PlanRequest, type RecordRequest, type Refusal } from "../domain/recording.js";
import { NATIONAL, REGIONS } from "../domain/regions.js";
import { appendToCycle, loadCycles, type LoadedCycle } from "./cycles.js";
import { cycleInput, evaluateCycle, type StatusDeps } from "./status.js";

export type RecordResult =
  | { kind: "recorded"; event: DomainEvent; stepKey: string; aggregateId: string }
  /** The same action was recorded before (a retry or a double click): nothing new was written. */
  /** The event recorded for this action before: a retry or a double click gets the same answer again. */
  | { kind: "duplicate"; stepKey: string; event?: DomainEvent; aggregateId: string }
  | { kind: "refused"; refusal: Refusal }
  /** Nothing was written: the change would make these steps late, and the person has not confirmed that (RecordInput.late). */
  | { kind: "late"; late: Obligation[]; stepKey: string };

export interface RecordInput {
  actor: Actor;
  /** Whether the actor may record a step with this responsible party (from their roles). */
  allowed: (responsible: Obligation["responsible"]) => boolean;
  /** The region whose card the action came from, or `national`. */
  regionId: string;
  year: number;
  request: RecordRequest;
  /** The card's nonce: with the actor and the request, it makes the event id (idempotency). */
  actionId: string;
  now: DateTime;
  /**
   * The form's check before saving: a change that would make steps late (domain/forms.ts
   * stepsMadeLate) is answered with them and not written, unless each was confirmed (its
   * lateToken in `accepted`). Absent: not checked — backfill and other callers that are not a
   * person at a form.
   */
  late?: { accepted: readonly string[] };
}

/**
 * Card data says which cycle year it is about; only the cycles in view may change. Anything
 * else is a stale or crafted card: writing into 2020 or 2999 would bypass the rules (steps of
 * past cycles count as untracked) and hide the change from the audit trail.
 */
function inactiveYear(deps: StatusDeps, year: number, now: DateTime): Refusal | undefined {
  return activeCycleYears(osloDate(now), deps.model).includes(year) ? undefined : { code: "year-not-active", field: "year", year };
}

export async function recordStep(deps: StatusDeps, input: RecordInput): Promise<RecordResult> {
  const stale = inactiveYear(deps, input.year, input.now);
  if (stale) return { kind: "refused", refusal: stale };
  const eventId = idempotentEventId(input);
  const today = osloDate(input.now);
  const wanted = input.regionId === NATIONAL ? [{ regionId: NATIONAL, year: input.year }] : [{ regionId: NATIONAL, year: input.year }, { regionId: input.regionId, year: input.year }];
  const loaded = await loadCycles(deps.store, wanted);

  // A retry of an action already recorded is answered as such, not refused as "already done".
  const requested = decide(input.request, context(loaded));
  for (const cycle of loaded) {
    const earlier = cycle.events.find((e) => e.id === eventId);
    if (earlier) return { kind: "duplicate", stepKey: requested.ok ? requested.stepKey : "", event: earlier, aggregateId: cycle.regionId };
  }
  if (!requested.ok) return { kind: "refused", refusal: requested.refusal };
  if (input.late) {
    // Judged on the state as loaded: a warning, not a rule, so a change by someone else in the
    // meantime does not need to be caught here (the card shows the result either way).
    const late = madeLate(loaded, requested.scope, { id: eventId, recordedAt: input.now.toUTC().toISO()!, by: input.actor, data: requested.data });
    const accepted = new Set(input.late.accepted);
    if (late.some((o) => !accepted.has(lateToken(o)))) return { kind: "late", late, stepKey: requested.stepKey };
  }

  // On an etag conflict the written aggregate is reloaded and the request decided again on it.
  let refusal: Refusal | undefined;
  const target = requested.scope === "national" ? NATIONAL : input.regionId;
  const result = await appendToCycle(deps.store, target, input.year, (fresh) => {
    if (fresh.events.some((e) => e.id === eventId)) return [];
    const decision = decide(input.request, context(loaded.map((c) => (c.regionId === fresh.regionId ? fresh : c))));
    if (!decision.ok) {
      refusal = decision.refusal;
      return [];
    }
    refusal = undefined;
    return [{ id: eventId, recordedAt: input.now.toUTC().toISO()!, by: input.actor, data: decision.data }];
  });
  if (target === NATIONAL && result.appended.length > 0) deps.national?.changed(input.year);
  if (refusal) return { kind: "refused", refusal };
  if (result.appended.length === 0) {
    const earlier = result.cycle.events.find((e) => e.id === eventId);
    return { kind: "duplicate", stepKey: requested.stepKey, aggregateId: target, ...(earlier ? { event: earlier } : {}) };
  }
  return { kind: "recorded", event: result.appended[0]!, stepKey: requested.stepKey, aggregateId: target };

  function context(cycles: LoadedCycle[]) {
    const national = cycles.find((c) => c.regionId === NATIONAL)!;
    const region = cycles.find((c) => c.regionId !== NATIONAL);
    return { obligations: evaluateCycle(deps, input.year, input.now, national, region), today, allowed: input.allowed };
  }

  function madeLate(cycles: LoadedCycle[], scope: "national" | "region", event: DomainEvent): Obligation[] {
    const national = cycles.find((c) => c.regionId === NATIONAL)!;
    const region = cycles.find((c) => c.regionId !== NATIONAL);
    return stepsMadeLate(cycleInput(deps, input.year, input.now, national, region), { scope, event });
  }
}


/** Same card, same person, same request → same id; anything else → a new event. */
export function idempotentEventId(input: Pick<RecordInput, "actionId" | "actor" | "request" | "regionId" | "year">): string {
  const canonical = JSON.stringify([input.actionId, input.actor.id, input.regionId, input.year, sortKeys(input.request)]);
  return createHash("sha256").update(canonical).digest("hex").slice(0, 32);
}

function sortKeys(value: object): Array<[string, unknown]> {
  return Object.entries(value).sort(([a], [b]) => a.localeCompare(b));
}

export interface UndoInput {
  actor: Actor;
  /** The aggregate the event is in: a region id or `national`. */
  aggregateId: string;
  year: number;
  eventId: string;
  actionId: string;
  now: DateTime;
}

export type UndoResult = { kind: "undone"; event: DomainEvent } | { kind: "duplicate" } | { kind: "refused"; refusal: Refusal };

/** Takes back a person's own last change (domain rule in decideUndo), recorded as its own event. */
export async function undoStep(deps: StatusDeps, input: UndoInput): Promise<UndoResult> {
  const stale = inactiveYear(deps, input.year, input.now);
  if (stale) return { kind: "refused", refusal: stale };
  const eventId = createHash("sha256").update(JSON.stringify(["undo", input.actionId, input.actor.id, input.aggregateId, input.year, input.eventId])).digest("hex").slice(0, 32);
  let refusal: Refusal | undefined;
  const result = await appendToCycle(deps.store, input.aggregateId, input.year, (cycle) => {
    if (cycle.events.some((e) => e.id === eventId)) return [];
    const decision = decideUndo(cycle.events, input.eventId, input.actor, input.now);
    refusal = decision.ok ? undefined : decision.refusal;
    return decision.ok ? [{ id: eventId, recordedAt: input.now.toUTC().toISO()!, by: input.actor, data: decision.data }] : [];
  }, 20, async (cycle) => {
    // Refused when a step recorded since depends on the one undone (checked on the fresh state).
    const dependent = await dependentOnUndo(deps, input, cycle);
    if (dependent) refusal = { code: "undo-depended-on", dependent: { stepId: dependent.stepId, year: input.year, ...(dependent.party ? { party: dependent.party } : {}), ...(dependent.responsible.regionId ? { regionId: dependent.responsible.regionId } : {}) } };
    return dependent === undefined;
  });
  if (input.aggregateId === NATIONAL && result.appended.length > 0) deps.national?.changed(input.year);
  if (refusal) return { kind: "refused", refusal };
  return result.appended.length === 0 ? { kind: "duplicate" } : { kind: "undone", event: result.appended[0]! };
}

/**
 * A national event can be what any region's steps wait for: all regions of the year are read
 * (an undo is rare, so the 16 point reads are affordable); a region's event, only that region.
 * The check reads other documents and is not atomic with the write: a dependent step recorded
 * in the same instant could slip through (the trail keeps both, and it can be undone too).
 */
async function dependentOnUndo(deps: StatusDeps, input: UndoInput, fresh: LoadedCycle): Promise<Obligation | undefined> {
  const regionIds = input.aggregateId === NATIONAL ? REGIONS.map((r) => r.id) : [input.aggregateId];
  const others = await loadCycles(deps.store, [
    ...(input.aggregateId === NATIONAL ? [] : [{ regionId: NATIONAL, year: input.year }]),
    ...regionIds.filter((id) => id !== fresh.regionId).map((regionId) => ({ regionId, year: input.year })),
  ]);
  const cycles = [fresh, ...others];
  const national = cycles.find((c) => c.regionId === NATIONAL)!;
  const withoutEvent = (c: LoadedCycle): LoadedCycle =>
    c.regionId === input.aggregateId ? { ...c, state: reduceCycle(c.regionId, c.year, c.events.filter((e) => e.id !== input.eventId)) } : c;
  for (const regionId of regionIds) {
    const region = cycles.find((c) => c.regionId === regionId);
    const before = evaluateCycle(deps, input.year, input.now, national, region);
    const after = evaluateCycle(deps, input.year, input.now, withoutEvent(national), region ? withoutEvent(region) : undefined);
    const dependent = dependentsOfUndo(before, after)[0];
    if (dependent) return dependent;
  }
  return undefined;
}

/** Every step instance of a cycle (national and the region's), evaluated now. */
export async function stepsOf(deps: StatusDeps, regionId: string, year: number, now: DateTime): Promise<Obligation[]> {
  const wanted = regionId === NATIONAL ? [{ regionId: NATIONAL, year }] : [{ regionId: NATIONAL, year }, { regionId, year }];
  const [national, region] = await loadCycles(deps.store, wanted);
  return evaluateCycle(deps, year, now, national!, region);
}

export interface BackfillInput extends Omit<RecordInput, "request"> {
  requests: RecordRequest[];
}

export type BackfillResult =
  | { kind: "recorded"; events: DomainEvent[] }
  | { kind: "duplicate" }
  /** Nothing was written: `index` is the request that was refused. */
  | { kind: "refused"; index: number; refusal: Refusal };

/**
 * Several steps from before the tracking start at once, all or nothing: every request is
 * decided on the same state and the events go into one aggregate in one write (one document,
 * so atomic in every store). Requests for steps in different aggregates are refused.
 */
export async function backfillSteps(deps: StatusDeps, input: BackfillInput): Promise<BackfillResult> {
  const stale = inactiveYear(deps, input.year, input.now);
  if (stale) return { kind: "refused", index: 0, refusal: stale };
  // One request per step: two for the same step would record it twice in one write.
  const keys = input.requests.map(stepKeyOf);
  const repeated = keys.findIndex((k, i) => keys.indexOf(k) !== i);
  if (repeated >= 0) return { kind: "refused", index: repeated, refusal: { code: "already-done", date: "date" in input.requests[repeated]! ? input.requests[repeated]!.date : "" } };
  const today = osloDate(input.now);
  const wanted = input.regionId === NATIONAL ? [{ regionId: NATIONAL, year: input.year }] : [{ regionId: NATIONAL, year: input.year }, { regionId: input.regionId, year: input.year }];
  const loaded = await loadCycles(deps.store, wanted);
  const ids = input.requests.map((request) => idempotentEventId({ ...input, request }));
  if (ids.length > 0 && loaded.some((c) => c.events.some((e) => e.id === ids[0]))) return { kind: "duplicate" };

  let refused: { index: number; refusal: Refusal } | undefined;
  const decideAll = (cycles: LoadedCycle[]) => {
    const national = cycles.find((c) => c.regionId === NATIONAL)!;
    const region = cycles.find((c) => c.regionId !== NATIONAL);
    const context = { obligations: evaluateCycle(deps, input.year, input.now, national, region), today, allowed: input.allowed };
    const decisions = input.requests.map((request) => decide(request, context));
    const bad = decisions.findIndex((d) => !d.ok);
    if (bad >= 0) return { refused: { index: bad, refusal: (decisions[bad] as { ok: false; refusal: Refusal }).refusal } };
    const scopes = new Set(decisions.map((d) => (d as { scope: string }).scope));
    if (scopes.size > 1) return { refused: { index: 0, refusal: { code: "unknown-step" as const, field: "verb" } } };
    return { decisions: decisions as Array<Extract<(typeof decisions)[number], { ok: true }>> };
  };
  const first = decideAll(loaded);
  if (first.refused) return { kind: "refused", ...first.refused };
  if (first.decisions.length === 0) return { kind: "recorded", events: [] };
  const target = first.decisions[0]!.scope === "national" ? NATIONAL : input.regionId;

  const result = await appendToCycle(deps.store, target, input.year, (fresh) => {
    if (fresh.events.some((e) => ids.includes(e.id))) return [];
    const again = decideAll(loaded.map((c) => (c.regionId === fresh.regionId ? fresh : c)));
    refused = again.refused;
    if (again.refused) return [];
    return again.decisions.map((d, i) => ({ id: ids[i]!, recordedAt: input.now.toUTC().toISO()!, by: input.actor, data: d.data }));
  });
  if (target === NATIONAL && result.appended.length > 0) deps.national?.changed(input.year);
  if (refused) return { kind: "refused", ...refused };
  return result.appended.length === 0 ? { kind: "duplicate" } : { kind: "recorded", events: result.appended };
}

export interface PlanInput {
  actor: Actor;
  /** Whether the actor coordinates this region (or administers): plans are the region's own (§2). */
  allowed: boolean;
  regionId: string;
  year: number;
  request: PlanRequest;
  actionId: string;
  now: DateTime;
}

export type PlanResult = { kind: "recorded"; event: DomainEvent } | { kind: "duplicate" } | { kind: "refused"; refusal: Refusal };

/** Records the region's plan or the year's action plan in the region's aggregate. */
export async function recordPlan(deps: StatusDeps, input: PlanInput): Promise<PlanResult> {
  const stale = inactiveYear(deps, input.year, input.now);
  if (stale) return { kind: "refused", refusal: stale };
  const eventId = idempotentEventId({ ...input, request: input.request as unknown as RecordRequest });
  const decision = decidePlanRecord(input.request, { year: input.year, today: osloDate(input.now), allowed: input.allowed });
  if (!decision.ok) return { kind: "refused", refusal: decision.refusal };
  const result = await appendToCycle(deps.store, input.regionId, input.year, (cycle) =>
    cycle.events.some((e) => e.id === eventId) ? [] : [{ id: eventId, recordedAt: input.now.toUTC().toISO()!, by: input.actor, data: decision.data }],
  );
  return result.appended.length === 0 ? { kind: "duplicate" } : { kind: "recorded", event: result.appended[0]! };
}

/**
 * The person's own change that can still be undone on this region's card (their last, under
 * UNDO_MINUTES old, nothing built on it yet): a refreshed card offers the undo too, not only
 * the card that answered the click.
 */
export async function lastUndoable(deps: StatusDeps, actor: Actor, regionId: string, now: DateTime): Promise<{ aggregateId: string; year: number; eventId: string } | undefined> {
  const years = activeCycleYears(osloDate(now), deps.model);
  const ids = regionId === NATIONAL ? [NATIONAL] : [NATIONAL, regionId];
  const cycles = await loadCycles(deps.store, years.flatMap((year) => ids.map((id) => ({ regionId: id, year }))));
  const candidates = cycles
    .flatMap((c) => {
      const own = [...c.events].reverse().find((e) => e.by.id === actor.id && e.data.type !== "event-undone");
      return own && decideUndo(c.events, own.id, actor, now).ok ? [{ aggregateId: c.regionId, year: c.year, event: own }] : [];
    })
    .sort((a, b) => b.event.recordedAt.localeCompare(a.event.recordedAt));
  const latest = candidates[0];
  return latest ? { aggregateId: latest.aggregateId, year: latest.year, eventId: latest.event.id } : undefined;
}
