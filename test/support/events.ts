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
