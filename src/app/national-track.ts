/**
 * The national track's documents (RUK AU's meetings, the state budget, the allocation letters),
 * cached per instance: every region's card needs them, and they change a handful of times a
 * year. So a `status` turn reads only the region's own document(s) — at most two point reads
 * even while two cycles are in view — and the national ones at most once per TTL. A write on
 * this instance is seen at once; one on another instance within the TTL.
 */
import { NATIONAL } from "../domain/regions.js";
import type { DocumentStore } from "../store/store.js";
import { readCycles, type StoredCycle } from "./cycles.js";
import { TtlCache } from "./ttl-cache.js";

export class NationalTrack {
  private readonly cache: TtlCache<number, StoredCycle>;

  constructor(
    private readonly store: DocumentStore,
    ttlMs: number,
  ) {
    this.cache = new TtlCache(ttlMs, 20);
  }

  /** The national documents of these cycle years, in order; absent ones as empty cycles. */
  get(years: number[]): Promise<StoredCycle[]> {
    return Promise.all(years.map((year) => this.cache.get(year, async () => (await readCycles(this.store, [{ regionId: NATIONAL, year }]))[0]!)));
  }

  /** After a write to the national track on this instance: the next read goes to the store. */
  changed(year: number): void {
    this.cache.forget(year);
  }
}
