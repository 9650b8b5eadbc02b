/**
 * Rendered cards by view version and language. A status card changes only when one of its
 * documents, the Oslo day, the settings or the model change — all part of the version — so
 * the many people asking about one region in a day (and, later, nudges to many recipients)
 * reuse one rendering. Least recently used entries go first.
 */
import type { AdaptiveCard } from "./templates.js";

/**
 * Also the tab's views (src/tab/views.ts): built from the same snapshots, reused by the same
 * version, so `V` is what is kept — a card by default.
 */
export class CardCache<V = AdaptiveCard> {
  private readonly cards = new Map<string, V>();
  hits = 0;
  misses = 0;

  constructor(private readonly capacity = 500) {}

  get(key: string, render: () => V): V {
    const cached = this.cards.get(key);
    if (cached) {
      this.hits++;
      // Re-insert so that Map order is least recently used first.
      this.cards.delete(key);
      this.cards.set(key, cached);
      return cached;
    }
    this.misses++;
    const card = render();
    if (this.capacity > 0) {
      this.cards.set(key, card);
      if (this.cards.size > this.capacity) this.cards.delete(this.cards.keys().next().value!);
    }
    return card;
  }
}
