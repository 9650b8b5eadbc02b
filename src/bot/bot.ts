/**
 * The Teams activity handler: parse the text, call one use case, answer with one card.
 * botbuilder stays inside src/bot and src/server (a later move to the Agents SDK is local).
 */
import {
  ActivityHandler,
  CardFactory,
  MessageFactory,
  TeamsInfo,
  TurnContext,
  type AdaptiveCardInvokeResponse,
  type AdaptiveCardInvokeValue,
  type InvokeResponse,
} from "botbuilder";
import type { App } from "../app/app.js";
import { CardCache } from "../cards/card-cache.js";
import { renderOverviewCard } from "../cards/overview-card.js";
import { renderHelpCard, renderMessageCard, renderShortHelpCard } from "../cards/simple-cards.js";
import { renderStatusCard, withRefresh } from "../cards/status-card.js";
import type { WheelLink } from "../cards/tab-link.js";
import type { RegionStatus, Snapshot } from "../app/status.js";
import type { Lang } from "../domain/calendar.js";
import { formatRole } from "../domain/roles.js";
import { userText, type AdaptiveCard } from "../cards/templates.js";
import { REGIONS, regionById, regionLanguage } from "../domain/regions.js";
import { langFromLocale, translator } from "../i18n/index.js";
import { z } from "zod";
import type { Actor } from "../domain/events.js";
import type { Logger } from "../logger.js";
import { TtlCache } from "../app/ttl-cache.js";
import { HANDLED_VERBS, handleCardAction, personalization } from "./card-actions.js";
import { MAX_COMMAND_LENGTH, parseCommand } from "./commands.js";
import { answerHistory } from "./history-actions.js";
import { answerAgreement } from "./agreement-actions.js";
import { answerReport } from "./report-summary-actions.js";
import { answerFileConsent, offerFile, type FileOffer } from "./report-files.js";
import { refuseInvoke } from "./invokes.js";
import { answerPeopleCommand, conversationKeyOf, identityOf, memberByObjectId, noIdentityText, personOf, TEAMS_CHANNEL } from "./people-commands.js";
import { failureMessageKey } from "./failure.js";
import { nameTurn, turnFailed } from "../telemetry/turns.js";
import { addressOf } from "./messenger.js";
import { renderWelcomeCard } from "../cards/welcome-card.js";
import { dueNow, type DueNow } from "../cards/welcome-due.js";
import { osloDate } from "../domain/calendar.js";

/** Teams refreshes a card automatically for at most this many people. */
const MAX_REFRESH_USERS = 60;

export class SamhandlingBot extends ActivityHandler {
  /**
   * Called when a person or conversation becomes reachable (the app installed, a first message,
   * a chat Teams had refused speaking up again), after the turn's own answer: what the nudges
   * kept for them is sent then (compose.ts wires it to the nudge runner's `reachable`).
   */
  onReachable?: (who: { personId: string } | { conversationKey: string }) => void;

  constructor(
    private readonly app: App,
    private readonly cards: CardCache,
    private readonly logger?: Logger,
    private readonly members = new TtlCache<string, Array<{ id: string; aadObjectId: string }>>(10 * 60_000, 1_000),
    /** Where the status card's «Åpne årshjulet» leads (compose.ts: `wheelLinkOf(config)`); absent: no such button. */
    private readonly wheel?: WheelLink,
  ) {
    super();
    // Every activity refreshes where the bot can reach this conversation later (nudges).
    this.onTurn(async (context, next) => {
      const arrived = await this.rememberConversation(context);
      await next();
      if (arrived) this.onReachable?.(arrived);
    });
    this.onMessage(async (context, next) => {
      await this.answer(context);
      await next();
    });
    // Installed in a team, a group chat or by a person: Teams adds the bot as a member.
    this.onMembersAdded(async (context, next) => {
      if (context.activity.membersAdded?.some((m) => m.id === context.activity.recipient.id)) await this.welcome(context);
      await next();
    });
    this.onMembersRemoved(async (context, next) => {
      if (removesBot(context)) await this.forgetConversation(context);
      await next();
    });
    this.onInstallationUpdateRemove(async (context, next) => {
      await this.forgetConversation(context);
      await next();
    });
  }

  /**
   * Keeps the conversation reference current. A failure here is logged and the turn goes on: the
   * person asked for something else, and the next activity tries again.
   */
  private async rememberConversation(context: TurnContext): Promise<{ personId: string } | { conversationKey: string } | undefined> {
    const activity = context.activity;
    // Only Teams' word places a person's chat: from another channel `from` is the client's choice, and its address would take their nudges.
    if (activity.channelId !== TEAMS_CHANNEL) return;
    if (removesBot(context) || (activity.type === "installationUpdate" && activity.action?.startsWith("remove"))) return;
    const address = addressOf(context);
    if (!address) return;
    const which = conversationOf(activity, address.conversationType === "personal");
    if (!which.personId && !which.conversationKey) return;
    // An install is written whatever this instance remembers: another one may have forgotten the conversation since.
    const install = activity.type === "installationUpdate" || activity.type === "conversationUpdate";
    try {
      const arrived = await this.app.conversations.seen({ address, ...which, ...(typeof activity.locale === "string" && activity.locale ? { locale: activity.locale } : {}) }, install);
      if (arrived) return which.personId ? { personId: which.personId } : which.conversationKey ? { conversationKey: which.conversationKey } : undefined;
    } catch (error) {
      this.logger?.warn({ err: error, code: (error as { code?: unknown } | null)?.code, conversationId: activity.conversation?.id }, "could not keep the conversation reference");
    }
  }

  /** Removed from a team, the bot is gone from all its channels; from a chat, from that chat. */
  private async forgetConversation(context: TurnContext): Promise<void> {
    const activity = context.activity;
    // Another channel cannot make the bot forget a Teams conversation (its ids are the client's choice there).
    if (activity.channelId !== TEAMS_CHANNEL) return;
    await this.app.conversations.forget(conversationOf(activity, activity.conversation?.conversationType === "personal"));
  }

  /** What the bot does, how to ask, who the admins are: posted once, when it is added. */
  private async welcome(context: TurnContext): Promise<void> {
    const lang = langFromLocale(context.activity.locale);
    const roster = await this.app.people.roster();
    const admins = roster.assignments.filter((a) => a.role.kind === "admin");
    const adminNames = [...new Set(admins.map((a) => a.person.name).filter((n) => n !== ""))];
    const unnamedAdmins = new Set(admins.filter((a) => a.person.name === "").map((a) => a.person.id)).size + roster.configuredAdmins.length;
    const shared = context.activity.conversation?.conversationType !== "personal";
    const due = shared ? undefined : await this.dueFor(context);
    await send(context, renderWelcomeCard({ shared, adminNames, unnamedAdmins, ...(due ? { due } : {}) }, lang));
  }

  /**
   * In a 1:1 chat, what is the person's now (issue 11: someone who arrives after the nudges went
   * hears at once what waits for them). Reading the tracks may fail: the welcome goes without it,
   * and the log says why.
   */
  private async dueFor(context: TurnContext): Promise<DueNow | undefined> {
    const person = personOf(context.activity);
    if (!person) return undefined;
    try {
      const roles = await this.app.people.rolesOf(person.id);
      if (!roles.some((role) => role.kind !== "admin")) return undefined;
      return dueNow(await this.app.tracks(), roles, osloDate(this.app.clock()), this.app.model);
    } catch (error) {
      this.logger?.warn({ err: error, code: (error as { code?: unknown } | null)?.code, conversationId: context.activity.conversation?.id }, "could not read what is due for the welcome");
      return undefined;
    }
  }

  /**
   * Card actions (Action.Execute) arrive as `adaptiveCard/action` invokes: one verb, one handler
   * (card-actions.ts). The answer is the card that replaces the one the person clicked.
   */
  protected override async onAdaptiveCardInvoke(context: TurnContext, value: AdaptiveCardInvokeValue): Promise<AdaptiveCardInvokeResponse> {
    const verb = value.action?.verb ?? "";
    // Telemetry names the turn by its verb only when it is one of ours (a verb is the card's, not the person's, but any client can send one).
    nameTurn("card", HANDLED_VERBS.includes(verb) ? verb : "unknown");
    // The Teams locale until the person's chosen language is read (that read may be what fails).
    let lang = langFromLocale(context.activity.locale);
    // Only Teams says who clicked (people-commands.ts `identityOf`; never `from.id`): without an
    // Entra ID object id from the msteams channel nothing is read for or written as anyone, and
    // the clicker's card says why. A verb no card carries keeps its own answer.
    const identity = identityOf(context.activity);
    if (!identity.ok) {
      this.logger?.warn({ conversationId: context.activity.conversation?.id, channelId: context.activity.channelId, verb, reason: identity.reason }, "card action refused: no Teams identity");
      const t = translator(lang);
      return { statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: renderMessageCard(HANDLED_VERBS.includes(verb) ? noIdentityText(context.activity, t) : t("invoke.unsupported")) };
    }
    const actor: Actor = { id: identity.person.id, name: identity.person.name };
    try {
      lang = (await this.app.people.language(actor.id)) ?? lang;
      let changed: string | undefined;
      await this.app.people.learnName(identity.person);
      // A card's people picker gives only an Entra object id: the connector may know the name (admin card).
      const lookupPerson = (personId: string) =>
        memberByObjectId(context, personId).catch((error: unknown) => {
          this.logger?.warn({ err: error, conversationId: context.activity.conversation?.id }, "could not look up a picked person");
          return undefined;
        });
      const card = await handleCardAction(
        {
          app: this.app,
          actor,
          lang,
          onChange: (regionId) => (changed = regionId),
          conversationKey: conversationKeyOf(context.activity),
          lookupPerson,
          ...(this.wheel ? { wheel: this.wheel } : {}),
          // Teams lets a bot send files in a 1:1 chat only; elsewhere the exports answer with links.
          ...(context.activity.conversation?.conversationType === "personal" ? { offerFile: (offer: FileOffer) => offerFile(context, offer) } : {}),
        },
        verb,
        value.action?.data,
      );
      if (changed !== undefined) await this.updateForEveryone(context, changed);
      return { statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: card };
    } catch (error) {
      // A failed action (store unavailable, ConcurrencyExhaustedError, …) is the clicker's alone:
      // answered here, it replaces only their card, in their language, and nothing is posted to
      // the chat or channel (onTurnError would post an apology there and botbuilder would answer
      // the invoke 501 without a body). Logged with ids and codes only, not who clicked.
      //
      // Why a card with 200 and not `application/vnd.microsoft.error`: the Universal Action Model
      // lists that type (400/500) but leaves its payload undocumented ("TODO" in the spec), and
      // Teams then shows its own generic, untranslated failure. A card is the documented answer
      // and reads the same in Teams, Outlook and the Agents Playground.
      turnFailed(error);
      this.logger?.error(
        { err: error, code: (error as { code?: unknown } | null)?.code, conversationId: context.activity.conversation?.id, verb },
        "card action failed",
      );
      return { statusCode: 200, type: "application/vnd.microsoft.card.adaptive", value: renderMessageCard(translator(lang)(failureMessageKey(error))) };
    }
  }

  /**
   * The invoke response replaces the card for the person who clicked; in a chat or channel the
   * message itself is replaced too, so that nobody else acts on the stale card.
   *
   * All of it is one try: this runs after the write succeeded and before the invoke is answered,
   * so any failure here (reading the status or roster, listing members, the connector refusing
   * the update, message deleted, bot removed) must neither undo nor hide what was recorded. The
   * person still gets their result; the others keep the older card until the next update, and
   * the log says why.
   *
   * The shared card is for everyone in the conversation, whose languages the bot cannot know, so
   * it is not rendered in the clicker's language (it would switch with whoever clicked last) but
   * in the written form of the region: the one the conversation is bound to, else the region the
   * card shows (see `regionLanguage`).
   */
  private async updateForEveryone(context: TurnContext, regionId: string): Promise<void> {
    const messageId = context.activity.replyToId;
    if (context.activity.conversation?.conversationType === "personal" || !messageId) return;
    try {
      const conversationKey = conversationKeyOf(context.activity);
      const bound = conversationKey !== undefined ? await this.app.people.binding(conversationKey) : undefined;
      const lang = regionLanguage(bound?.regionId ?? regionId);
      const snapshot = await this.app.statusOf(regionId);
      const shared = this.cards.get(`${snapshot.version}|${lang}|shared`, () => renderStatusCard(snapshot.evaluate(), this.app.model, lang, { showMyActions: true, wheel: this.wheel }));
      const userIds = await this.refreshUserIds(context);
      const card = userIds.length > 0 ? withRefresh(shared, regionId, userIds, translator(lang)) : shared;
      await context.updateActivity({ type: "message", id: messageId, attachments: [CardFactory.adaptiveCard(card)] });
    } catch (error) {
      this.logger?.warn(
        { err: error, code: (error as { code?: unknown } | null)?.code, conversationId: context.activity.conversation?.id },
        "could not replace the card for everyone",
      );
    }
  }

  /** Unknown invokes are the client's mistake: 400, not botbuilder's default 501. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    // Malformed values never reach botbuilder's dispatch, which throws on them (an empty 500); the
    // server refuses them before the turn already, this holds for any other way in (invokes.ts).
    const refused = refuseInvoke(context.activity);
    if (refused) return refused;
    // «Tillat»/«Avslå» on a file card the bot offered (report exports); ActivityHandler has no hook for it.
    if (context.activity.name === "fileConsent/invoke") {
      // The file is made for a person: only Teams says who (as for card actions). Told in the chat, as a failed upload is.
      if (!identityOf(context.activity).ok) {
        this.logger?.warn({ conversationId: context.activity.conversation?.id, channelId: context.activity.channelId }, "file consent refused: no Teams identity");
        await send(context, renderMessageCard(noIdentityText(context.activity, translator(langFromLocale(context.activity.locale)))));
        return { status: 200 };
      }
      return answerFileConsent(this.app, context, this.logger);
    }
    const response = await super.onInvokeActivity(context);
    return response.status === 501 ? { status: 400, body: { error: { code: "UNSUPPORTED_INVOKE", message: `unsupported invoke "${context.activity.name ?? ""}"` } } } : response;
  }

  /**
   * In a 1:1 chat the card is the person's own: the steps their roles let them record carry
   * buttons (one rendering per card version and set of roles). In a chat or channel everyone
   * gets the shared card; Teams refreshes it into the personal one for the asker, and a
   * "my actions" button does it for anyone else (Teams refreshes at most 60 people by list).
   */
  private async statusCard(context: TurnContext, snapshot: Snapshot<RegionStatus>, lang: Lang): Promise<AdaptiveCard> {
    const { version, evaluate } = snapshot;
    if (context.activity.conversation?.conversationType === "personal") {
      const person = personOf(context.activity);
      const roles = person ? await this.app.people.rolesOf(person.id) : [];
      const rolesKey = roles.map(formatRole).sort().join(",");
      const own = this.cards.get(`${version}|${lang}|${rolesKey}`, () => renderStatusCard(evaluate(), this.app.model, lang, personalization(roles, undefined, this.wheel)));
      // Refreshed when opened again later, so yesterday's card does not offer what others have since done.
      const asker = context.activity.from?.id;
      return asker ? withRefresh(own, snapshot.subject, [asker], translator(lang)) : own;
    }
    const shared = this.cards.get(`${version}|${lang}|shared`, () => renderStatusCard(evaluate(), this.app.model, lang, { showMyActions: true, wheel: this.wheel }));
    const userIds = await this.refreshUserIds(context);
    return userIds.length > 0 ? withRefresh(shared, snapshot.subject, userIds, translator(lang)) : shared;
  }

  /**
   * Whom Teams should show their own card automatically: the asker, and the members of the
   * conversation who hold a role (a viewer's own card is the shared one). Teams honours at most
   * 60 ids; in a larger conversation everyone else has the "my actions" button. The member list
   * is cached per conversation, since it changes rarely and costs a connector call.
   */
  private async refreshUserIds(context: TurnContext): Promise<string[]> {
    const asker = context.activity.from?.id;
    const conversationId = context.activity.conversation?.id ?? "";
    let members: Array<{ id: string; aadObjectId: string }>;
    try {
      members = await this.members.get(conversationId, async () => {
        try {
          const page = await TeamsInfo.getPagedMembers(context, MAX_REFRESH_USERS);
          return page.continuationToken ? [] : page.members.map((m) => ({ id: m.id, aadObjectId: m.aadObjectId ?? "" }));
        } catch (error) {
          this.logger?.warn({ err: error, conversationId }, "could not list the conversation's members");
          // Rethrown so that the cache forgets the failure (TtlCache keeps only successful loads):
          // a passing connector error is retried on the next card, not remembered for 10 minutes.
          throw error;
        }
      });
    } catch {
      // Not every channel can list members (e.g. outside Teams), and the connector may fail: the asker is still refreshed.
      members = [];
    }
    const roster = await this.app.people.roster();
    const withRoles = new Set([...roster.assignments.map((a) => a.person.id.toLowerCase()), ...roster.configuredAdmins.map((id) => id.toLowerCase())]);
    const ids = members.filter((m) => withRoles.has(m.aadObjectId.toLowerCase())).map((m) => m.id);
    return [...new Set([...(asker ? [asker] : []), ...ids])].slice(0, MAX_REFRESH_USERS);
  }

  private async answer(context: TurnContext): Promise<void> {
    const person = personOf(context.activity);
    // Roles granted from the admin card's people picker may lack the name; the person's first message brings it.
    if (person) await this.app.people.learnName(person);
    // A language the person chose (`språk nynorsk`) wins over the Teams locale; cached, so rarely a read.
    const lang = (person ? await this.app.people.language(person.id) : undefined) ?? langFromLocale(context.activity.locale);
    const t = translator(lang);
    const conversationKey = conversationKeyOf(context.activity);
    // In channels and group chats the text starts with "<at>Samhandling</at>".
    // botbuilder's mention removal reads `text` unchecked: a message with a mention and no text (a
    // card's Action.Submit in a channel) made it throw (found by the fuzz test, test/fuzz).
    const text = typeof context.activity.text === "string" ? (TurnContext.removeRecipientMention(context.activity) ?? context.activity.text) : undefined;
    const command = parseCommand(text?.trim() ? text : buttonCommand(context.activity.value));
    // The command's kind only (`status`, `unknown`…): what the person wrote stays out of telemetry.
    nameTurn("command", command.kind);
    switch (command.kind) {
      case "status": {
        const answer = await this.app.status(command.regionQuery, conversationKey, command.national);
        if (answer.kind === "status") {
          return send(context, await this.statusCard(context, answer.status, lang));
        }
        const suggestions = answer.suggestions.map((r) => ({ title: r.name, value: `status ${r.name}` }));
        const detail = suggestions.length > 0 ? t("unknownRegion.suggest") : t("unknownRegion.list", { regions: REGIONS.map((r) => r.name).join(", ") });
        return send(context, renderMessageCard(t("unknownRegion.text", { query: userText(answer.query.slice(0, 60)) }), detail, suggestions));
      }
      case "overview": {
        const { version, evaluate } = await this.app.overview();
        return send(context, this.cards.get(`${version}|${lang}`, () => renderOverviewCard(evaluate(), this.app.model, lang)));
      }
      case "history":
        return send(context, await answerHistory(this.app, command, conversationKey, lang));
      case "agreement":
        return send(context, await answerAgreement(this.app, command, person, conversationKey, lang));
      case "report":
        return send(context, await answerReport(this.app, command, { personId: person?.id, conversationKey }, lang));
      case "help":
        return send(context, renderHelpCard(lang, { admin: person ? await this.app.people.isAdmin(person.id) : false }));
      case "me":
      case "grant":
      case "revoke":
      case "roles":
      case "bind":
      case "unbind":
      case "language":
      case "admin":
        return send(context, await answerPeopleCommand({ app: this.app, context, lang, t, actor: person, conversationKey }, command));
      case "empty":
        return send(context, renderMessageCard(t("input.empty")));
      case "too-long":
        return send(context, renderMessageCard(t("input.tooLong", { length: command.length })));
      case "greeting":
      case "unknown":
        return send(
          context,
          renderShortHelpCard(lang, {
            ...(command.kind === "unknown" ? { unknownText: userText(command.text) } : {}),
            region: await this.ownRegionName(person?.id, conversationKey),
          }),
        );
    }
  }

  /**
   * The region a "Status …" button on the short help is for: the one this conversation is bound
   * to, else the person's own (as region coordinator or an agency's regional contact; the first,
   * should they have several: two such buttons are cut off at phone width), else none and the
   * button is plain «Status».
   */
  private async ownRegionName(personId: string | undefined, conversationKey: string | undefined): Promise<string | undefined> {
    const bound = conversationKey !== undefined ? await this.app.people.binding(conversationKey) : undefined;
    const regionIds = bound
      ? [bound.regionId]
      : (personId ? await this.app.people.rolesOf(personId) : []).flatMap((role) =>
          role.kind === "region-coordinator" || (role.kind === "agency-rep" && role.regionId !== undefined) ? [role.regionId!] : [],
        );
    return regionIds[0] !== undefined ? regionById(regionIds[0])?.name : undefined;
  }
}

/**
 * A card button (Action.Submit with `{ command }`) arrives as a message without text whose
 * value is the button's data. Plain data works alike in Teams and in the Agents Playground.
 */
const ButtonData = z.object({ command: z.string().max(MAX_COMMAND_LENGTH) });

function buttonCommand(value: unknown): string | undefined {
  const parsed = ButtonData.safeParse(value);
  return parsed.success ? parsed.data.command : undefined;
}

/** Which stored conversation an activity is about: the person's 1:1 chat, or a channel or group chat (with its team). */
function conversationOf(activity: TurnContext["activity"], personal: boolean): { personId?: string; conversationKey?: string; teamId?: string } {
  const personId = personal ? activity.from?.aadObjectId : undefined;
  const conversationKey = personal ? undefined : conversationKeyOf(activity);
  const teamId = (activity.channelData as { team?: { id?: unknown } } | undefined)?.team?.id;
  return { ...(personId ? { personId } : {}), ...(conversationKey ? { conversationKey } : {}), ...(typeof teamId === "string" ? { teamId } : {}) };
}

/** A conversationUpdate that removes the bot itself (uninstalled from a team or group chat). */
function removesBot(context: TurnContext): boolean {
  return context.activity.membersRemoved?.some((m) => m.id === context.activity.recipient?.id) ?? false;
}

async function send(context: TurnContext, card: AdaptiveCard): Promise<void> {
  await context.sendActivity(MessageFactory.attachment(CardFactory.adaptiveCard(card)));
}
