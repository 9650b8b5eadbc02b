/**
 * Conversation references: where the bot may post on its own. Kept on install and refreshed by
 * every incoming activity (Teams may move a tenant to another serviceUrl), removed on uninstall,
 * marked unreachable when Teams refuses a post (403/404) and made reachable again when the
 * conversation speaks up.
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
import type { DocumentKey, DocumentStore } from "../store/store.js";
import type { Clock } from "./clock.js";

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
   * conversation once, and again only when something it posts by has changed.
   */
  seen(conversation: SeenConversation): Promise<void>;
  /** The bot was removed (uninstalled, or removed from the team): the reference is gone. */
  forget(conversation: { personId?: string; conversationKey?: string }): Promise<void>;
  /** Teams refused a post for good (403/404): skipped until the conversation speaks up again. */
  markUnreachable(doc: ConversationDocument, status: number, code: string): Promise<void>;
  personal(personId: string): Promise<ConversationDocument | undefined>;
  channel(conversationKey: string): Promise<ConversationDocument | undefined>;
  /** Channels and group chats the bot is in: where a person who never chatted with it can be found. */
  shared(): Promise<ConversationDocument[]>;
}

const normalizeId = (id: string) => id.trim().toLowerCase();

export const personalKey = (personId: string): DocumentKey => ({ partition: CONVERSATIONS_PARTITION, id: `person-${normalizeId(personId)}` });
export const sharedKey = (conversationKey: string): DocumentKey => ({
  partition: CONVERSATIONS_PARTITION,
  id: `conv-${createHash("sha256").update(conversationKey).digest("hex").slice(0, 40)}`,
});

export function createConversations(store: DocumentStore, clock: Clock): Conversations {
  /** What this instance last wrote per document: an unchanged conversation costs no write. */
  const written = new Map<string, string>();
  const MAX_REMEMBERED = 50_000;

  const keyOf = (c: { personId?: string; conversationKey?: string }): DocumentKey | undefined =>
    c.personId ? personalKey(c.personId) : c.conversationKey ? sharedKey(c.conversationKey) : undefined;

  const read = async (key: DocumentKey) => {
    const found = await store.read(key);
    return found ? ConversationDocumentSchema.parse(found.doc) : undefined;
  };

  return {
    async seen(c) {
      const key = keyOf(c);
      if (!key) return;
      const doc: ConversationDocument = {
        ...key,
        partition: CONVERSATIONS_PARTITION,
        type: "conversation",
        schemaVersion: 1,
        ...(c.personId ? { personId: normalizeId(c.personId) } : {}),
        ...(c.conversationKey ? { conversationKey: c.conversationKey } : {}),
        ...(c.teamId ? { teamId: c.teamId } : {}),
        address: c.address,
        ...(c.locale ? { locale: c.locale } : {}),
        updatedAt: clock().toUTC().toISO()!,
      };
      const { updatedAt: _at, ...essence } = doc;
      const fingerprint = JSON.stringify(essence);
      if (written.get(key.id) === fingerprint) return;
      await store.write(doc, { unconditional: true });
      if (written.size >= MAX_REMEMBERED) written.clear();
      written.set(key.id, fingerprint);
    },

    async forget(c) {
      const key = keyOf(c);
      if (!key) return;
      written.delete(key.id);
      await store.remove(key, { unconditional: true });
    },

    async markUnreachable(doc, status, code) {
      written.delete(doc.id);
      const next: ConversationDocument = { ...doc, unreachable: { status, code: code.slice(0, 100), at: clock().toUTC().toISO()! } };
      await store.write(next, { unconditional: true });
    },

    personal: (personId) => read(personalKey(personId)),
    channel: (conversationKey) => read(sharedKey(conversationKey)),

    async shared() {
      const all = await store.list("conversation", CONVERSATIONS_PARTITION);
      return all.map((v) => ConversationDocumentSchema.parse(v.doc)).filter((d) => d.personId === undefined && d.unreachable === undefined);
    },
  };
}
