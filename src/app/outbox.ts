/**
 * The nudge outbox: one mailbox document per recipient (records.ts, MailboxDocumentSchema).
 *
 * Exactly once, step by step: a run first records the nudges it is about to send as `pending`
 * (nothing is lost if it dies after that); then claims the pending digest with the etag, with a
 * deadline (two instances cannot both send it, and a claim left by a dead process runs out);
 * and after Teams accepted the card moves the keys to `said` (never said again). Every change is
 * read → decide → write under the etag, re-decided on a conflict (a snooze may land meanwhile).
 */
import { createHash, randomUUID } from "node:crypto";
import type { IsoDate } from "../domain/calendar.js";
import { recipientId, type Recipient } from "../domain/nudges.js";
import { MailboxDocumentSchema, NUDGES_PARTITION, type MailboxDocument, type PendingItem } from "../store/records.js";
import { StoreConflictError, type DocumentKey, type DocumentStore } from "../store/store.js";

export const mailboxKey = (recipient: Recipient): DocumentKey => ({
  partition: NUDGES_PARTITION,
  id: `mailbox-${createHash("sha256").update(recipientId(recipient)).digest("hex").slice(0, 40)}`,
});

/** The step instance a snooze is about: `region|year|stepKey`. */
export const snoozeRef = (item: { regionId: string; year: number; stepKey: string }) => `${item.regionId}|${item.year}|${item.stepKey}`;

export interface Claimed {
  doc: MailboxDocument;
  items: PendingItem[];
}

/** Keys of cycles this old are dropped from `said`: their steps can no longer be nudged (obligations.ts, activeCycleYears). */
const KEEP_SAID_YEARS = 2;
const MAX_ATTEMPTS = 20;

export class OutboxContentionError extends Error {
  readonly code = "CONCURRENCY_EXHAUSTED";
  constructor(key: DocumentKey) {
    super(`gave up updating ${key.partition}/${key.id} after ${MAX_ATTEMPTS} conflicting attempts`);
    this.name = "OutboxContentionError";
  }
}

export class Outbox {
  constructor(private readonly store: DocumentStore) {}

  /**
   * Every mailbox; one that does not parse (a bad import, a hand edit) is set aside and named in
   * `unreadable`, so that it cannot stop the nudges of everyone else.
   */
  async all(): Promise<{ mailboxes: MailboxDocument[]; unreadable: string[] }> {
    const mailboxes: MailboxDocument[] = [];
    const unreadable: string[] = [];
    for (const { doc } of await this.store.list("mailbox", NUDGES_PARTITION)) {
      const parsed = MailboxDocumentSchema.safeParse(doc);
      if (parsed.success) mailboxes.push(parsed.data);
      else unreadable.push(doc.id);
    }
    return { mailboxes, unreadable };
  }

  async read(recipient: Recipient): Promise<MailboxDocument | undefined> {
    const found = await this.store.read(mailboxKey(recipient));
    return found ? MailboxDocumentSchema.parse(found.doc) : undefined;
  }

  /**
   * Removes the recipient's mailbox (what waits, what was said, snoozes): their conversation
   * reference was removed after long refusal (conversations.ts, UNREACHABLE_RETENTION_DAYS), and a
   * person who comes back is new. Under the etag read: a mailbox changed in between is read and
   * removed again. True when there was one.
   */
  async discard(recipient: Recipient): Promise<boolean> {
    const key = mailboxKey(recipient);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const found = await this.store.read(key);
      if (!found) return false;
      try {
        await this.store.remove(key, { ifMatch: found.etag });
        return true;
      } catch (error) {
        if (!(error instanceof StoreConflictError)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
      }
    }
    throw new OutboxContentionError(key);
  }

  /**
   * Adds what is not yet said, pending or snoozed to the recipient's pending digest; returns the
   * items added. Recorded before anything is sent: a crash after this loses nothing.
   */
  record(recipient: Recipient, items: readonly PendingItem[], today: IsoDate): Promise<PendingItem[]> {
    return this.update(recipient, (doc) => {
      const pendingKeys = new Set(doc.pending?.items.map((i) => i.key) ?? []);
      const fresh = items.filter((i) => !Object.hasOwn(doc.said, i.key) && !pendingKeys.has(i.key) && !snoozedOn(doc, i, today));
      if (fresh.length === 0) return { result: [] };
      const pending = doc.pending
        ? { ...doc.pending, items: [...doc.pending.items, ...fresh] }
        : { digestId: randomUUID(), createdOn: today, items: fresh, attempts: 0 };
      // A channel bound to another region since keeps its mailbox (same conversation), under its region now.
      return { next: { ...doc, recipient, snoozed: current(doc.snoozed, today), pending }, result: fresh };
    });
  }

  /**
   * Takes the pending digest for this run until `until` (ISO instant). Undefined when there is
   * nothing pending, or another run holds a claim that has not run out.
   */
  claim(recipient: Recipient, runId: string, nowIso: string, untilIso: string): Promise<Claimed | undefined> {
    return this.update(recipient, (doc) => {
      const pending = doc.pending;
      if (!pending) return { result: undefined };
      if (pending.claim && pending.claim.by !== runId && pending.claim.until > nowIso) return { result: undefined };
      const next = { ...doc, pending: { ...pending, claim: { by: runId, until: untilIso } } };
      return { next, result: { doc: next, items: pending.items } };
    });
  }

  /**
   * The keys were sent (or given up on): never again for this recipient; the rest stays pending.
   * The keys are marked even if the run's claim has run out meanwhile (the card did go), but only
   * the run's own claim is lifted — unless `holdClaim`: the run has more cards of this digest on
   * their way (a report round's own cards), and keeps the rest to itself until it is done.
   */
  complete(recipient: Recipient, keys: readonly string[], outcome: "sent" | "unreachable" | "rejected", today: IsoDate, runId: string, holdClaim = false): Promise<void> {
    const done = new Set(keys);
    return this.update(recipient, (doc) => {
      const said = { ...prune(doc.said, today) };
      for (const key of keys) said[key] = { on: today, outcome };
      const { pending: _before, ...rest } = doc;
      const left = (doc.pending?.items ?? []).filter((i) => !done.has(i.key));
      if (!doc.pending || left.length === 0) return { next: { ...rest, said }, result: undefined };
      const { claim, ...pending } = doc.pending;
      const keep = claim && (claim.by !== runId || holdClaim) ? { claim } : {};
      return { next: { ...rest, said, pending: { ...pending, ...keep, items: left } }, result: undefined };
    });
  }

  /** Drops items without saying them (the step was done meanwhile); nothing else changes. */
  drop(recipient: Recipient, keys: readonly string[]): Promise<void> {
    const dropped = new Set(keys);
    return this.update(recipient, (doc) => {
      if (!doc.pending) return { result: undefined };
      const left = doc.pending.items.filter((i) => !dropped.has(i.key));
      const { pending: _p, ...rest } = doc;
      return { next: left.length > 0 ? { ...rest, pending: { ...doc.pending, items: left } } : rest, result: undefined };
    });
  }

  /**
   * Sending failed for now: the digest stays pending for the next run, which tries again. Only the
   * run's own claim is lifted. `failed: false`: nothing was tried (no conversation with the
   * recipient yet), so it is not counted as an attempt.
   */
  release(recipient: Recipient, error: string, runId: string, failed = true): Promise<void> {
    return this.update(recipient, (doc) => {
      if (!doc.pending || doc.pending.claim?.by !== runId) return { result: undefined };
      const { claim: _claim, ...pending } = doc.pending;
      return { next: { ...doc, pending: { ...pending, attempts: pending.attempts + (failed ? 1 : 0), lastError: error.slice(0, 300) } }, result: undefined };
    });
  }

  /** No nudges about this step instance to this recipient until `until` (inclusive); what waits for it is withdrawn. */
  snooze(recipient: Recipient, ref: { regionId: string; year: number; stepKey: string }, until: IsoDate, today: IsoDate, nowIso: string): Promise<void> {
    const key = snoozeRef(ref);
    return this.update(recipient, (doc) => {
      const snoozed = { ...current(doc.snoozed, today), [key]: until };
      const left = doc.pending?.items.filter((i) => snoozeRef(i) !== key) ?? [];
      const { pending: _p, ...rest } = doc;
      // A digest being sent right now keeps its items: the card is on its way already. A claim
      // that ran out (its run died) no longer counts.
      const sending = doc.pending?.claim !== undefined && doc.pending.claim.until > nowIso;
      const pending = sending ? doc.pending : left.length > 0 ? { ...doc.pending!, items: left } : undefined;
      return { next: { ...rest, snoozed, ...(pending ? { pending } : {}) }, result: undefined };
    });
  }

  private async update<R>(recipient: Recipient, decide: (doc: MailboxDocument) => { next?: MailboxDocument; result: R }): Promise<R> {
    const key = mailboxKey(recipient);
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const found = await this.store.read(key);
      const doc = found ? MailboxDocumentSchema.parse(found.doc) : emptyMailbox(key, recipient);
      const { next, result } = decide(doc);
      if (!next) return result;
      try {
        await this.store.write(next, found ? { ifMatch: found.etag } : { ifAbsent: true });
        return result;
      } catch (error) {
        if (!(error instanceof StoreConflictError)) throw error;
        // Someone changed the mailbox in between (another run, a snooze): decide again on theirs.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt)));
      }
    }
    throw new OutboxContentionError(key);
  }
}

function emptyMailbox(key: DocumentKey, recipient: Recipient): MailboxDocument {
  return { ...key, partition: NUDGES_PARTITION, type: "mailbox", schemaVersion: 1, recipient, said: {}, snoozed: {} };
}

function snoozedOn(doc: MailboxDocument, item: PendingItem, today: IsoDate): boolean {
  const until = doc.snoozed[snoozeRef(item)];
  return until !== undefined && until >= today;
}

/** Snoozes that still hold: an expired one is dropped when the mailbox is next written. */
function current(snoozed: MailboxDocument["snoozed"], today: IsoDate): MailboxDocument["snoozed"] {
  return Object.fromEntries(Object.entries(snoozed).filter(([, until]) => until >= today));
}

function prune(said: MailboxDocument["said"], today: IsoDate): MailboxDocument["said"] {
  const oldest = Number(today.slice(0, 4)) - KEEP_SAID_YEARS;
  return Object.fromEntries(Object.entries(said).filter(([key]) => Number(key.split("|")[1]) >= oldest));
}
