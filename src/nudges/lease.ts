/**
 * The run lease: one instance runs the nudges at a time, however many are scaled out and whoever
 * triggers them (each instance's scheduler, an external timer). Taken and renewed with the etag;
 * a holder that dies simply lets it run out, and the next run takes it over.
 *
 * Wall time, not the app's clock: the lease is about processes, and a simulated CLOCK_NOW must
 * not let one instance think another's lease long gone.
 */
import { LeaseDocumentSchema, NUDGES_PARTITION, type LeaseDocument } from "../store/records.js";
import { StoreConflictError, type DocumentStore } from "../store/store.js";

const KEY = { partition: NUDGES_PARTITION, id: "run-lease" } as const;

export class Lease {
  private etag: string | undefined;
  private released = false;
  /** A renewal under way: release waits for it, so that it cannot bring the lease back after the remove. */
  private renewing: Promise<boolean> | undefined;

  constructor(
    private readonly store: DocumentStore,
    readonly holder: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes the lease if nobody holds it (or their hold ran out); false when another holder has it. */
  async acquire(): Promise<boolean> {
    const found = await this.store.read(KEY);
    if (found) {
      const current = LeaseDocumentSchema.parse(found.doc);
      if (current.holder !== this.holder && Date.parse(current.until) > this.now()) return false;
    }
    return this.write(found ? { ifMatch: found.etag } : { ifAbsent: true });
  }

  /**
   * Takes the lease, waiting up to `waitMs` for a holder to let go: an arrival's delivery holds it
   * for well under a second, and a run that found it held then would skip its day (an external
   * timer fires once). A run holding it for longer still makes the caller give up after the wait.
   */
  async acquireWithin(waitMs: number, pollMs = 200): Promise<boolean> {
    const until = this.now() + waitMs;
    for (;;) {
      if (await this.acquire()) return true;
      if (this.now() + pollMs > until) return false;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Extends the hold; false if it was lost (it ran out and someone else took it). */
  async renew(): Promise<boolean> {
    if (!this.etag || this.released) return false;
    this.renewing = this.write({ ifMatch: this.etag });
    try {
      return await this.renewing;
    } finally {
      this.renewing = undefined;
    }
  }

  /** Lets go at once, so the next run need not wait for the hold to run out. */
  async release(): Promise<void> {
    this.released = true;
    // Its failure, if any, is the renewer's to log; here only its end matters.
    await this.renewing?.catch(() => false);
    if (!this.etag) return;
    const etag = this.etag;
    this.etag = undefined;
    try {
      await this.store.remove(KEY, { ifMatch: etag });
    } catch (error) {
      // Ours ran out and another run holds it now: theirs to release.
      if (!(error instanceof StoreConflictError)) throw error;
      return;
    }
  }

  private async write(precondition: { ifMatch: string } | { ifAbsent: true }): Promise<boolean> {
    const doc: LeaseDocument = { ...KEY, type: "lease", schemaVersion: 1, holder: this.holder, until: new Date(this.now() + this.ttlMs).toISOString() };
    try {
      this.etag = await this.store.write(doc, precondition);
      return true;
    } catch (error) {
      if (!(error instanceof StoreConflictError)) throw error;
      this.etag = undefined;
      return false;
    }
  }
}
