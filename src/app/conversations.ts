/**
 * Conversation references: where the bot may post on its own. Kept on install and refreshed by
 * every incoming activity (Teams may move a tenant to another serviceUrl), removed on uninstall,
 * marked unreachable when Teams refuses a post (403/404) and made reachable again when the
 * conversation speaks up — or, after `UNREACHABLE_RETENTION_DAYS` of being refused, removed
 * (`expireUnreachable`, by the nudge run): someone who left is not kept for good.
 *
 * A person's 1:1 chat is one document keyed by their Entra object id (one point read to find it);
 * a channel or group chat one document keyed by a hash of its conversation key (ids hold `;`, `:`
 * and `@`, and Cosmos refuses `/` in ids). Writes are blind replaces of the one conversation's
 * document: the last activity seen is the truth, and nobody else edits it.
 */
import { createHash } from "node:crypto";
import {
  CONVERSATIONS_PARTITION,
  ConversationDocumentSchema,
  type ConversationAddress,
  type ConversationDocument,
} from "../store/records.js";
import { StoreConflictError, type DocumentKey, type DocumentStore } from "../store/store.js";
import type { Clock } from "./clock.js";

/**
 * How long a reference Teams refused (403/404) is kept, marked unreachable, for the person (or the
 * channel) to come back: then it is removed with what waits in its mailbox (README, "Personal
 * data"). 90 days cover a leave, a long holiday or a reinstall some weeks later; a person who
 * comes back after that is simply new to the bot. Not a setting: it is a privacy promise the README
 * states, not a tuning knob.
 */
export const UNREACHABLE_RETENTION_DAYS = 90;

export interface SeenConversation {
  address: ConversationAddress;
  /** The person of a 1:1 chat. */
  personId?: string;
  /** A channel or group chat's key (the conversation id without the thread suffix). */
  conversationKey?: string;
  teamId?: string;
  locale?: string;
}

export interface Conversations {
  /**
   * Records the conversation as reachable. Cheap on the hot path: an instance writes a
   * conversation once, and again only when something it posts by has changed, or after a while
   * (see `rememberMs`); `force` writes anyway (install: another instance may have forgotten it).
   * True when the conversation has just become reachable: none was stored, or Teams had refused
   * it — what waits for it (nudges kept for later) can go now.
   */
  seen(conversation: SeenConversation, force?: boolean): Promise<boolean>;
  /**
   * The bot was removed (uninstalled, or removed from the team): the reference is gone — with a
   * team, every channel of that team the bot knew.
   */
  forget(conversation: { personId?: string; conversationKey?: string; teamId?: string }): Promise<void>;
  /** Teams refused a post for good (403/404): skipped until the conversation speaks up again. */
  markUnreachable(doc: ConversationDocument, status: number, code: string): Promise<void>;
  /**
   * Removes the references marked unreachable before `cutoffIso` (an ISO instant), each under the
   * etag it was listed with: one that spoke up meanwhile (rewritten, reachable again) is left
   * alone. Returns the references removed; `skipped`, those that changed meanwhile or do not parse.
   */
  expireUnreachable(cutoffIso: string): Promise<{ removed: ConversationDocument[]; skipped: number }>;
  personal(personId: string): Promise<ConversationDocument | undefined>;
  channel(conversationKey: string): Promise<ConversationDocument | undefined>;
  /** Channels and group chats the bot is in: where a person who never chatted with it can be found. */
  shared(): Promise<ConversationDocument[]>;
}

export interface ConversationsOptions {
  /**
   * How long this instance trusts that a conversation it wrote is still stored so: another
   * instance may have marked it unreachable (or forgotten it) since, and the next activity after
   * this long writes it again. Default 10 minutes.
   */
  rememberMs?: number;
  now?: () => number;
}

const normalizeId = (id: string) => id.trim().toLowerCase();

export const personalKey = (personId: string): DocumentKey => ({ partition: CONVERSATIONS_PARTITION, id: `person-${normalizeId(personId)}` });
export const sharedKey = (conversationKey: string): DocumentKey => ({
  partition: CONVERSATIONS_PARTITION,
  id: `conv-${createHash("sha256").update(conversationKey).digest("hex").slice(0, 40)}`,
});

export function createConversations(store: DocumentStore, clock: Clock, options: ConversationsOptions = {}): Conversations {
  /** What this instance last wrote per document, and when: an unchanged conversation costs no write for a while. */
  const written = new Map<string, { fingerprint: string; at: number }>();
  const MAX_REMEMBERED = 50_000;
  const rememberMs = options.rememberMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;

  const keyOf = (c: { personId?: string; conversationKey?: string }): DocumentKey | undefined =>
    c.personId ? personalKey(c.personId) : c.conversationKey ? sharedKey(c.conversationKey) : undefined;

  const read = async (key: DocumentKey) => {
    const found = await store.read(key);
    return found ? ConversationDocumentSchema.parse(found.doc) : undefined;
  };

  return {
    async seen(c, force = false) {
      const key = keyOf(c);
      if (!key) return false;
      // Compared before anything else is built: on the hot path (every turn) this is all the work.
      const essence = {
        id: key.id,
        partition: CONVERSATIONS_PARTITION as typeof CONVERSATIONS_PARTITION,
        type: "conversation" as const,
        schemaVersion: 1 as const,
        ...(c.personId ? { personId: normalizeId(c.personId) } : {}),
        ...(c.conversationKey ? { conversationKey: c.conversationKey } : {}),
        ...(c.teamId ? { teamId: c.teamId } : {}),
        address: c.address,
        // A person's locale is their nudges' language; a channel's language is its region's, and
        // members writing from different locales must not rewrite it turn after turn.
        ...(c.locale && c.personId ? { locale: c.locale } : {}),
      };
      const fingerprint = JSON.stringify(essence);
      const last = written.get(key.id);
      if (!force && last?.fingerprint === fingerprint && now() - last.at < rememberMs) return false;
      // One point read, only when this instance writes (rarely): whether the conversation is new
      // to the bot or was refused, so that what waits for it is sent (bot.ts → nudges' reachable).
      const before = await store.read(key);
      const arrived = !before || (before.doc as { unreachable?: unknown }).unreachable !== undefined;
      const doc: ConversationDocument = { ...essence, updatedAt: clock().toUTC().toISO()! };
      await store.write(doc, { unconditional: true });
      if (written.size >= MAX_REMEMBERED) written.clear();
      written.set(key.id, { fingerprint, at: now() });
      return arrived;
    },

    async forget(c) {
      const keys: DocumentKey[] = [];
      const own = keyOf(c);
      if (own) keys.push(own);
      if (c.teamId) {
        const team = (await store.list("conversation", CONVERSATIONS_PARTITION)).filter((v) => v.doc.teamId === c.teamId);
        keys.push(...team.map((v) => ({ partition: CONVERSATIONS_PARTITION, id: v.doc.id })));
      }
      for (const key of keys) {
        written.delete(key.id);
        await store.remove(key, { unconditional: true });
      }
    },

    async markUnreachable(doc, status, code) {
      written.delete(doc.id);
      const next: ConversationDocument = { ...doc, unreachable: { status, code: code.slice(0, 100), at: clock().toUTC().toISO()! } };
      await store.write(next, { unconditional: true });
    },

    async expireUnreachable(cutoffIso) {
      const removed: ConversationDocument[] = [];
      let skipped = 0;
      const cutoff = Date.parse(cutoffIso);
      for (const { doc, etag } of await store.list("conversation", CONVERSATIONS_PARTITION)) {
        const parsed = ConversationDocumentSchema.safeParse(doc);
        // One that does not parse is not ours to judge (a hand edit, a newer version): left alone.
        if (!parsed.success) {
          skipped++;
          continue;
        }
        const since = parsed.data.unreachable?.at;
        if (since === undefined || !(Date.parse(since) < cutoff)) continue;
        try {
          await store.remove({ partition: CONVERSATIONS_PARTITION, id: parsed.data.id }, { ifMatch: etag });
        } catch (error) {
          // Written since it was listed: the conversation spoke up (or was refused again, later). Kept.
          if (!(error instanceof StoreConflictError)) throw error;
          skipped++;
          continue;
        }
        written.delete(parsed.data.id);
        removed.push(parsed.data);
      }
      return { removed, skipped };
    },

    personal: (personId) => read(personalKey(personId)),
    channel: (conversationKey) => read(sharedKey(conversationKey)),

    async shared() {
      const all = await store.list("conversation", CONVERSATIONS_PARTITION);
      return all.map((v) => ConversationDocumentSchema.parse(v.doc)).filter((d) => d.personId === undefined && d.unreachable === undefined);
    },
  };
}
