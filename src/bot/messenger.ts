/**
 * The nudges' Messenger over botbuilder: proactive posts through the CloudAdapter
 * (continueConversationAsync) and new 1:1 chats (createConversationAsync). Teams' answers are
 * turned into outcomes here, so the sender above decides on retries without knowing botbuilder.
 *
 * botbuilder's connector client retries by itself before an error reaches this code: 429 and 503
 * honouring Retry-After, other 5xx and network failures with exponential backoff (three times).
 * What still fails is reported as `retry`, and the sender backs off further.
 */
import { CardFactory, MessageFactory, TeamsInfo, TurnContext, type CloudAdapter, type ConversationReference } from "botbuilder";
import type { ConversationAddress } from "../store/records.js";
import type { Messenger, OpenChatOutcome, SendOutcome } from "../nudges/messenger.js";

/** Answers after which Teams will not deliver to this conversation, whatever the retries (Teams' bot error codes). */
const UNREACHABLE_STATUS = new Set([403, 404]);
/** 4xx answers that pass: timeout, precondition failed (Teams' 412 under load), throttled. */
const RETRY_4XX = new Set([408, 412, 429]);
/** The bot's own credentials are refused: nothing will go until someone fixes them. */
const HALT_STATUS = new Set([401, 407]);

export function createMessenger(adapter: CloudAdapter, botAppId: string): Messenger {
  return {
    async send(address, card) {
      try {
        await proactive(adapter, botAppId, address, (context) => context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card))));
        return { kind: "sent" };
      } catch (error) {
        return outcomeOf(error);
      }
    },

    async openPersonalChat(via, personId, teamId): Promise<OpenChatOutcome> {
      try {
        // Teams looks a member up by Entra object id as well as by Teams user id; in a team, among the team's members.
        const member = await proactive(adapter, botAppId, via, (context) =>
          (teamId ? TeamsInfo.getTeamMember(context, teamId, personId) : TeamsInfo.getMember(context, personId)).catch((error: unknown) => {
            if (statusOf(error) === 404) return undefined;
            throw error;
          }),
        );
        const memberId = member?.id;
        if (!memberId) return { kind: "not-member" };
        let opened: ConversationAddress | undefined;
        const parameters = {
          isGroup: false,
          bot: { id: via.botId, name: via.botName ?? "" },
          members: [{ id: memberId, name: "" }],
          ...(via.tenantId ? { tenantId: via.tenantId, channelData: { tenant: { id: via.tenantId } } } : {}),
        };
        // Nothing in this callback can fail: the conversation exists once it runs.
        await adapter.createConversationAsync(botAppId, via.channelId, via.serviceUrl, undefined as unknown as string, parameters as never, async (context) => {
          const conversationId = context.activity.conversation?.id;
          if (conversationId) opened = { ...via, conversationId, conversationType: "personal" };
        });
        return opened ? { kind: "opened", address: opened } : { kind: "retry", code: "NoConversationId" };
      } catch (error) {
        return outcomeOf(error);
      }
    },
  };
}

/**
 * Runs `logic` in a proactive turn and returns its result or throws its error. The error is
 * carried out of the turn by hand: thrown inside, botbuilder would hand it to onTurnError (which
 * would post an apology into the very conversation that refused the card) and resolve as if
 * all went well.
 */
async function proactive<T>(adapter: CloudAdapter, botAppId: string, address: ConversationAddress, logic: (context: TurnContext) => Promise<T>): Promise<T> {
  const box: { outcome: { ok: true; value: T } | { ok: false; error: unknown } } = { outcome: { ok: false, error: new Error("the proactive turn did not run") } };
  await adapter.continueConversationAsync(botAppId, referenceOf(address), async (context) => {
    try {
      box.outcome = { ok: true, value: await logic(context) };
    } catch (error) {
      box.outcome = { ok: false, error };
    }
  });
  const { outcome } = box;
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

function referenceOf(address: ConversationAddress): Partial<ConversationReference> {
  return {
    channelId: address.channelId,
    serviceUrl: address.serviceUrl,
    bot: { id: address.botId, name: address.botName ?? "" },
    conversation: {
      id: address.conversationId,
      conversationType: address.conversationType,
      isGroup: address.conversationType !== "personal",
      name: "",
      ...(address.tenantId ? { tenantId: address.tenantId } : {}),
    },
  };
}

/** The address to post to later, from an incoming activity's conversation reference. */
export function addressOf(context: TurnContext): ConversationAddress | undefined {
  const reference = TurnContext.getConversationReference(context.activity);
  const type = reference.conversation?.conversationType;
  const conversationType = type === "personal" || type === "groupChat" || type === "channel" ? type : reference.conversation?.isGroup ? "groupChat" : "personal";
  if (!reference.serviceUrl || !reference.channelId || !reference.conversation?.id || !reference.bot?.id) return undefined;
  return {
    serviceUrl: reference.serviceUrl,
    channelId: reference.channelId,
    // A channel message's conversation id carries the thread (";messageid=…"): a nudge starts a new thread.
    conversationId: conversationType === "channel" ? reference.conversation.id.split(";")[0]! : reference.conversation.id,
    conversationType,
    ...(reference.conversation.tenantId ? { tenantId: reference.conversation.tenantId } : {}),
    botId: reference.bot.id,
    ...(reference.bot.name ? { botName: reference.bot.name } : {}),
  };
}

function statusOf(error: unknown): number | undefined {
  const e = error as { statusCode?: unknown; response?: { status?: unknown } } | null;
  const status = e?.statusCode ?? e?.response?.status;
  return typeof status === "number" ? status : undefined;
}

/** Teams' error code (`BotNotInConversationRoster`, …) from the error body, where botbuilder put it. */
function codeOf(error: unknown): string {
  const e = error as { code?: unknown; body?: unknown; response?: { bodyAsText?: unknown; parsedBody?: unknown } } | null;
  const body = (e?.response?.parsedBody ?? parseJson(e?.response?.bodyAsText)) as { error?: { code?: unknown } } | undefined;
  const code = body?.error?.code ?? e?.code;
  return typeof code === "string" && code !== "" ? code : "Unknown";
}

function parseJson(text: unknown): unknown {
  if (typeof text !== "string") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON (a proxy's HTML error page): there is no code to read.
    return undefined;
  }
}

function retryAfterOf(error: unknown): number | undefined {
  const headers = (error as { response?: { headers?: { get?: (name: string) => string | undefined | null } } } | null)?.response?.headers;
  const value = typeof headers?.get === "function" ? headers.get("retry-after") : undefined;
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function outcomeOf(error: unknown): Exclude<SendOutcome, { kind: "sent" }> {
  const status = statusOf(error);
  const code = codeOf(error);
  if (status !== undefined && UNREACHABLE_STATUS.has(status)) return { kind: "unreachable", status, code };
  if (status !== undefined && HALT_STATUS.has(status)) return { kind: "halt", status, code };
  if (status !== undefined && status >= 400 && status < 500 && !RETRY_4XX.has(status)) return { kind: "rejected", status, code };
  const retryAfterMs = retryAfterOf(error);
  return { kind: "retry", ...(status !== undefined ? { status } : {}), code, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}
