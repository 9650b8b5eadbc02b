/**
 * The recording use case: load the cycle → evaluate the wheel → authorize and decide (pure) →
 * append the event with optimistic concurrency. A refused request writes nothing; the same
 * action delivered twice (Teams retries, a double click) is recorded once.
 */
import { createHash } from "node:crypto";
import type { DateTime } from "luxon";
import { osloDate } from "../domain/calendar.js";
import type { Actor, DomainEvent } from "../domain/events.js";
import { obligations, type Obligation } from "../domain/obligations.js";
import { decide, decideUndo, type RecordRequest, type Refusal } from "../domain/recording.js";
import { NATIONAL, regionById } from "../domain/regions.js";
import { appendToCycle, loadCycles, type LoadedCycle } from "./cycles.js";
import type { StatusDeps } from "./status.js";

export type RecordResult =
  | { kind: "recorded"; event: DomainEvent; stepKey: string }
  /** The same action was recorded before (a retry or a double click): nothing new was written. */
  | { kind: "duplicate"; stepKey: string }
  | { kind: "refused"; refusal: Refusal };

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
}

export async function recordStep(deps: StatusDeps, input: RecordInput): Promise<RecordResult> {
  const eventId = idempotentEventId(input);
  const today = osloDate(input.now);
  const wanted = input.regionId === NATIONAL ? [{ regionId: NATIONAL, year: input.year }] : [{ regionId: NATIONAL, year: input.year }, { regionId: input.regionId, year: input.year }];
  const loaded = await loadCycles(deps.store, wanted);

  // A retry of an action already recorded is answered as such, not refused as "already done".
  const requested = decide(input.request, context(loaded));
  if (loaded.some((c) => c.events.some((e) => e.id === eventId))) return { kind: "duplicate", stepKey: requested.ok ? requested.stepKey : "" };
  if (!requested.ok) return { kind: "refused", refusal: requested.refusal };

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
  if (refusal) return { kind: "refused", refusal };
  if (result.appended.length === 0) return { kind: "duplicate", stepKey: requested.stepKey };
  return { kind: "recorded", event: result.appended[0]!, stepKey: requested.stepKey };

  function context(cycles: LoadedCycle[]) {
    const national = cycles.find((c) => c.regionId === NATIONAL)!;
    const region = cycles.find((c) => c.regionId !== NATIONAL);
    return { obligations: obligationsFor(deps, input.year, input.now, national, region), today, allowed: input.allowed };
  }
}

function obligationsFor(deps: StatusDeps, year: number, now: DateTime, national: LoadedCycle, region: LoadedCycle | undefined): Obligation[] {
  return obligations({
    model: deps.model,
    year,
    now,
    national: national.state,
    nationalTrackingStart: deps.settings.trackingStart,
    nationalAgencies: deps.settings.nationalAgencies,
    ...(region && regionById(region.regionId) ? { region: { setup: deps.settings.regionSetup(region.regionId), state: region.state } } : {}),
  });
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
  const eventId = createHash("sha256").update(JSON.stringify(["undo", input.actionId, input.actor.id, input.aggregateId, input.year, input.eventId])).digest("hex").slice(0, 32);
  let refusal: Refusal | undefined;
  const result = await appendToCycle(deps.store, input.aggregateId, input.year, (cycle) => {
    if (cycle.events.some((e) => e.id === eventId)) return [];
    const decision = decideUndo(cycle.events, input.eventId, input.actor, input.now);
    refusal = decision.ok ? undefined : decision.refusal;
    return decision.ok ? [{ id: eventId, recordedAt: input.now.toUTC().toISO()!, by: input.actor, data: decision.data }] : [];
  });
  if (refusal) return { kind: "refused", refusal };
  return result.appended.length === 0 ? { kind: "duplicate" } : { kind: "undone", event: result.appended[0]! };
}

/** One step instance of a cycle, evaluated now. */
export async function stepOf(deps: StatusDeps, regionId: string, year: number, stepKey: string, now: DateTime): Promise<Obligation | undefined> {
  const wanted = regionId === NATIONAL ? [{ regionId: NATIONAL, year }] : [{ regionId: NATIONAL, year }, { regionId, year }];
  const [national, region] = await loadCycles(deps.store, wanted);
  return obligationsFor(deps, year, now, national!, region).find((o) => o.key === stepKey);
}
