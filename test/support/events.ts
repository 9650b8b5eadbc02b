/** Builds domain events for fixtures, as the recording use cases will. */
import { randomUUID } from "node:crypto";
import { appendToCycle } from "../../src/app/cycles.js";
import { DomainEventSchema, type DomainEvent, type EventData } from "../../src/domain/events.js";
import type { DocumentStore } from "../../src/store/store.js";

/** One recorded event, validated by the same schema the store uses (a fixture cannot hold what the app would refuse). */
export function ev(data: EventData, recordedAt = "2027-01-05T09:00:00+01:00"): DomainEvent {
  return DomainEventSchema.parse({ id: randomUUID(), recordedAt, by: { id: "00000000-0000-0000-0000-0000000000a1", name: "Kari Nordmann" }, data });
}

/** Records events in one region's (or `national`) cycle year through the real append path. */
export async function record(store: DocumentStore, regionId: string, year: number, ...data: EventData[]): Promise<void> {
  await appendToCycle(store, regionId, year, () => data.map((d) => ev(d)));
}

/**
 * RUK AU's year when it keeps up (§1, §4.1): the spring meeting planned for 24 March and convened
 * 2 February, held; the autumn meeting planned for 20 October and convened 1 September, held.
 */
export const NATIONAL_MEETINGS_2027: EventData[] = [
  { type: "meeting-planned", meeting: "national-spring", date: "2027-03-24" },
  { type: "invitations-sent", meeting: "national-spring", date: "2027-02-02" },
  { type: "meeting-held", meeting: "national-spring", date: "2027-03-24" },
  { type: "meeting-planned", meeting: "national-autumn", date: "2027-10-20" },
  { type: "invitations-sent", meeting: "national-autumn", date: "2027-09-01" },
  { type: "meeting-held", meeting: "national-autumn", date: "2027-10-20", parts: { experiences: true, opportunities: true } },
];
