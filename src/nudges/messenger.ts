/**
 * The port through which nudges reach Teams. The botbuilder adapter (src/bot/messenger.ts)
 * implements it; the nudges themselves never see botbuilder, so a move to the Agents SDK stays
 * in src/bot.
 */
import type { AdaptiveCard } from "../cards/templates.js";
import type { ConversationAddress } from "../store/records.js";

/**
 * sent: Teams accepted the card. unreachable: Teams refuses this conversation for good (403
 * BotNotInConversationRoster, ConversationBlockedByUser, BotDisabledByAdmin; 404
 * ConversationNotFound): not retried. retry: throttled or a passing failure (429, 412, 5xx,
 * network, no answer in time), worth trying again after `retryAfterMs` when Teams said so.
 * rejected: Teams refuses this card (another 4xx, e.g. 400 or 413): trying again would only be
 * refused again. halt: the bot itself is refused (401/407: wrong credentials, an expired secret):
 * no card can go until that is fixed, so the run stops and keeps everything for later.
 */
export type SendOutcome =
  | { kind: "sent" }
  | { kind: "unreachable"; status: number; code: string }
  | { kind: "rejected"; status: number; code: string }
  | { kind: "halt"; status: number; code: string }
  | { kind: "retry"; status?: number; code: string; retryAfterMs?: number };

export type OpenChatOutcome = { kind: "opened"; address: ConversationAddress } | { kind: "not-member" } | Exclude<SendOutcome, { kind: "sent" }>;

export interface Messenger {
  /** Posts one card into the conversation. Never throws for what Teams answers; the outcome says it. */
  send(address: ConversationAddress, card: AdaptiveCard): Promise<SendOutcome>;
  /**
   * Opens a 1:1 chat with a person who is a member of `via` (a team's channel or a group chat the
   * bot is in): how someone who never chatted with the bot is reached.
   */
  openPersonalChat(via: ConversationAddress, personId: string, teamId?: string): Promise<OpenChatOutcome>;
}
