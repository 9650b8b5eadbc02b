/**
 * A small in-memory cache with a time to live, for documents read on every turn (roles,
 * channel bindings, a person's language) that change rarely. Several instances each keep their
 * own copy, so a change made on another instance is seen within the TTL; a change made here is
 * seen at once (`set`).
 *
 * Concurrent misses for one key share one load. A failed load is not kept: the next call tries
 * again, and the caller of the failed one gets the error.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, { value: Promise<V>; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly capacity = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: K, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit && hit.expires > this.now()) return hit.value;
    const value = load();
    const entry = this.put(key, value);
    // Forget a failed load so that it is retried; the rejection itself still reaches the caller through `value`.
    value.then(undefined, () => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return value;
  }

  /** Drops a key, so that the next `get` loads it again. */
  forget(key: K): void {
    this.entries.delete(key);
  }

  /** After a write: the value this instance just stored, fresh for a full TTL. */
  set(key: K, value: V): void {
    this.put(key, Promise.resolve(value));
  }

  private put(key: K, value: Promise<V>): { value: Promise<V>; expires: number } {
    const entry = { value, expires: this.now() + this.ttlMs };
    // Re-insert so that Map order is oldest first, and drop the oldest beyond the capacity.
    this.entries.delete(key);
    this.entries.set(key, entry);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }
}
