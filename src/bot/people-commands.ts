/**
 * The text commands about people: `meg`, `gi`/`fjern`, `roller`, `bind`/`løs`, `språk`, and
 * `admin`, which opens the admin card (its actions are in admin-actions.ts). Each
 * is thin: check what the message gives (who asks, who is mentioned, which role), call one use
 * case of `app.people`, answer with one card. A refusal names what is wrong and changes nothing.
 */
import { TeamsInfo, type Activity, type TurnContext } from "botbuilder";
import { DateTime } from "luxon";
import { z } from "zod";
import type { App } from "../app/app.js";
import type { Person } from "../app/people.js";
import { renderMeCard, renderRosterCard, roleName } from "../cards/people-cards.js";
import { renderMessageCard } from "../cards/simple-cards.js";
import { userName, userText, type AdaptiveCard } from "../cards/templates.js";
import { formatDate, osloDate, type Lang } from "../domain/calendar.js";
import { displayName } from "../domain/display-name.js";
import { matchRegion, REGIONS, regionById, type Region } from "../domain/regions.js";
import { langFromLocale, translator, type Translate } from "../i18n/index.js";
import { PersonIdSchema } from "../store/records.js";
import type { Command, RoleWords } from "./commands.js";
import { openAdminCard } from "./admin-actions.js";

export interface PeopleTurn {
  app: App;
  context: TurnContext;
  lang: Lang;
  t: Translate;
  /** Who writes, by Entra ID object id; undefined when the message carries none. */
  actor: Person | undefined;
  /** The conversation a binding belongs to; undefined in a personal chat, which cannot be bound. */
  conversationKey: string | undefined;
}

type PeopleCommand = Extract<Command, { kind: "me" | "grant" | "revoke" | "roles" | "bind" | "unbind" | "language" | "admin" }>;

export async function answerPeopleCommand(turn: PeopleTurn, command: PeopleCommand): Promise<AdaptiveCard> {
  switch (command.kind) {
    case "me":
      return me(turn);
    case "grant":
    case "revoke":
      return grantOrRevoke(turn, command.kind, command.role);
    case "roles":
      return roles(turn, command.regionQuery);
    case "bind":
      return bind(turn, command.regionQuery);
    case "unbind":
      return unbind(turn);
    case "language":
      return language(turn, command);
    case "admin":
      // Refused here, where the activity says why (not from Teams, or no Entra ID).
      if (!turn.actor) return renderMessageCard(noIdentityText(turn.context.activity, turn.t));
      return openAdminCard(turn);
  }
}

/**
 * The only Bot Framework channel a person's identity is taken from. Teams puts the Entra ID
 * object id in `from.aadObjectId` itself; on other channels of the same bot registration (Web
 * Chat, Direct Line) the client writes `from` as it likes, so an id there proves nothing. The
 * Agents Playground (`npm run playground`, local mode) sends "msteams" too (`-c msteams`, also its
 * default), so local mode needs no other channel.
 */
export const TEAMS_CHANNEL = "msteams";

/** Who acts, or why nobody may: the activity is not from Teams, or Teams gave no Entra ID object id. */
export type Identity = { ok: true; person: Person } | { ok: false; reason: "not-teams" | "no-identity" };

/**
 * The person writing or clicking, by Entra ID object id (product.md, "Roles"), and only from
 * Teams. `from.id` is never an identity: any channel's client may choose it. Teams always sends
 * the object id for people in the tenant; without it the person can only read.
 */
export function identityOf(activity: Activity): Identity {
  if (activity.channelId !== TEAMS_CHANNEL) return { ok: false, reason: "not-teams" };
  const id = activity.from?.aadObjectId;
  if (!id || !PersonIdSchema.safeParse(id).success) return { ok: false, reason: "no-identity" };
  // The name is capped where it enters (≤ 256 characters, one line): it is stored with roles and events.
  return { ok: true, person: { id, name: displayName(activity.from.name) } };
}

/** The person acting (see `identityOf`), or undefined: then they may read, and nothing is done for them. */
export function personOf(activity: Activity): Person | undefined {
  const identity = identityOf(activity);
  return identity.ok ? identity.person : undefined;
}

/** Why nothing is done for this person, in their words. */
export function noIdentityText(activity: Activity, t: Translate): string {
  const identity = identityOf(activity);
  return t(!identity.ok && identity.reason === "not-teams" ? "refuse.notTeams" : "refuse.noIdentity");
}

/**
 * The key a binding is stored under. A Teams channel message's conversation id carries the
 * thread ("19:…@thread.tacv2;messageid=…"); the binding belongs to the channel, so the thread
 * suffix is dropped. Personal chats are not bindable.
 */
export function conversationKeyOf(activity: Activity): string | undefined {
  if (activity.conversation?.conversationType === "personal") return undefined;
  const id = activity.conversation?.id;
  return id ? id.split(";")[0] : undefined;
}

async function me(turn: PeopleTurn): Promise<AdaptiveCard> {
  if (!turn.actor) return renderMeCard(undefined, [], turn.lang);
  return renderMeCard(turn.actor.name, await turn.app.people.rolesOf(turn.actor.id), turn.lang);
}

async function grantOrRevoke(turn: PeopleTurn, kind: "grant" | "revoke", words: RoleWords): Promise<AdaptiveCard> {
  const { t, actor } = turn;
  if (!actor) return renderMessageCard(noIdentityText(turn.context.activity, t));
  // The cached roles answer the common refusal quickly; the use case checks again on a fresh read.
  if (!(await turn.app.people.isAdmin(actor.id))) return renderMessageCard(t("refuse.notAdmin"));
  // The mention first: "gi Kari koordinator Vestland" typed without @ is a missing mention, not an unknown role.
  const mentioned = mentionsOf(turn.context.activity);
  if (mentioned.length === 0) return renderMessageCard(t("mention.missing"));
  if (mentioned.length > 1) return renderMessageCard(t("mention.several", { count: mentioned.length }));
  if (!words.ok) return roleWordsRefusal(words, t);
  const target = await resolveMention(turn.context, mentioned[0]!);
  if (!target) return renderMessageCard(t("mention.unresolved", { name: userText(displayName(mentioned[0]!.name)) || "?" }));

  const params = { name: userText(target.name), role: roleName(words.role, t) };
  if (kind === "grant") {
    const result = await turn.app.people.grant(actor, target, words.role);
    switch (result.kind) {
      case "granted":
        return renderMessageCard(t("grant.done", params));
      case "already":
        return renderMessageCard(t("grant.already", params));
      case "not-admin":
        return renderMessageCard(t("refuse.notAdmin"));
    }
  }
  const result = await turn.app.people.revoke(actor, target, words.role);
  switch (result.kind) {
    case "revoked":
      return renderMessageCard(t("revoke.done", params));
    case "not-held":
      return renderMessageCard(t("revoke.notHeld", params));
    case "configured-admin":
      return renderMessageCard(t("revoke.configuredAdmin", params));
    case "last-admin":
      return renderMessageCard(t("revoke.lastAdmin", params));
    case "not-admin":
      return renderMessageCard(t("refuse.notAdmin"));
  }
}

function roleWordsRefusal(words: Exclude<RoleWords, { ok: true }>, t: Translate): AdaptiveCard {
  switch (words.problem) {
    case "missing":
      return renderMessageCard(t("roleWords.missing"), t("help.roleWords"));
    case "unknown-word":
      return renderMessageCard(t("roleWords.unknown", { text: userText(words.text) }), t("help.roleWords"));
    case "region-needed":
      return renderMessageCard(t("roleWords.regionNeeded"));
    case "agency-needed":
      return renderMessageCard(t("roleWords.agencyNeeded"));
    case "unknown-agency":
      return renderMessageCard(t("roleWords.unknownAgency", { text: userText(words.text) }));
    case "unknown-region":
      return renderMessageCard(t("roleWords.unknownRegion", { query: userText(words.query) }), regionHint(words.suggestions, t));
  }
}

function regionHint(suggestions: readonly Region[], t: Translate): string {
  return suggestions.length > 0
    ? t("roleWords.didYouMean", { regions: suggestions.map((r) => r.name).join(", ") })
    : t("unknownRegion.list", { regions: REGIONS.map((r) => r.name).join(", ") });
}

/** Everyone may see who holds which role: knowing whom to ask is what a viewer needs most (product.md: status shows who is responsible). */
async function roles(turn: PeopleTurn, regionQuery: string | undefined): Promise<AdaptiveCard> {
  const { t } = turn;
  let region: Region | undefined;
  if (regionQuery !== undefined) {
    const match = matchRegion(regionQuery);
    if (match.kind === "unknown") return unknownRegionCard(regionQuery, match.suggestions, "roller", t);
    region = match.region;
  } else if (turn.conversationKey !== undefined) {
    // In a channel bound to a region, "roller" alone means that region, as "status" does.
    const bound = await turn.app.people.binding(turn.conversationKey);
    region = bound ? regionById(bound.regionId) : undefined;
  }
  return renderRosterCard(await turn.app.people.roster(), region, turn.lang);
}

async function bind(turn: PeopleTurn, regionQuery: string | undefined): Promise<AdaptiveCard> {
  const { t, actor, conversationKey } = turn;
  if (conversationKey === undefined) return renderMessageCard(t("bind.personal"));
  if (regionQuery === undefined) {
    const bound = await turn.app.people.binding(conversationKey);
    if (!bound) return renderMessageCard(t("bind.none"));
    const date = formatDate(osloDate(DateTime.fromISO(bound.boundAt)), turn.lang);
    return renderMessageCard(t("bind.current", { region: regionLabel(bound.regionId), name: userName(bound.boundBy.name), date }));
  }
  if (!actor) return renderMessageCard(noIdentityText(turn.context.activity, t));
  if (!(await turn.app.people.isAdmin(actor.id))) return renderMessageCard(t("refuse.notAdmin"));
  const match = matchRegion(regionQuery);
  if (match.kind === "unknown") return unknownRegionCard(regionQuery, match.suggestions, "bind", t);
  const result = await turn.app.people.bind(actor, conversationKey, match.region.id);
  if (result.kind === "not-admin") return renderMessageCard(t("refuse.notAdmin"));
  const region = match.region.name;
  return renderMessageCard(
    result.previous !== undefined && result.previous !== match.region.id
      ? t("bind.moved", { region, previous: regionLabel(result.previous) })
      : t("bind.done", { region }),
  );
}

async function unbind(turn: PeopleTurn): Promise<AdaptiveCard> {
  const { t, actor, conversationKey } = turn;
  if (conversationKey === undefined) return renderMessageCard(t("bind.personal"));
  if (!actor) return renderMessageCard(noIdentityText(turn.context.activity, t));
  if (!(await turn.app.people.isAdmin(actor.id))) return renderMessageCard(t("refuse.notAdmin"));
  const result = await turn.app.people.unbind(actor, conversationKey);
  switch (result.kind) {
    case "unbound":
      return renderMessageCard(t("unbind.done", { region: regionLabel(result.regionId) }));
    case "not-bound":
      return renderMessageCard(t("bind.none"));
    case "not-admin":
      return renderMessageCard(t("refuse.notAdmin"));
  }
}

async function language(turn: PeopleTurn, command: Extract<Command, { kind: "language" }>): Promise<AdaptiveCard> {
  const { t, actor } = turn;
  const locale = langFromLocale(turn.context.activity.locale);
  if (!command.choice) {
    const chosen = actor ? await turn.app.people.language(actor.id) : undefined;
    return chosen
      ? renderMessageCard(t("language.current", { language: t(`language.${chosen}`) }))
      : renderMessageCard(t("language.currentAuto", { language: t(`language.${locale}`) }));
  }
  if (!command.choice.ok) return renderMessageCard(t("language.unknown", { text: userText(command.choice.text) }));
  if (!actor) return renderMessageCard(noIdentityText(turn.context.activity, t));
  if (command.choice.lang === "auto") {
    await turn.app.people.setLanguage(actor, undefined);
    const tl = translator(locale);
    return renderMessageCard(tl("language.auto", { language: tl(`language.${locale}`) }));
  }
  await turn.app.people.setLanguage(actor, command.choice.lang);
  // Confirmed in the language chosen: the first answer in it is the proof that it works.
  return renderMessageCard(translator(command.choice.lang)("language.set"));
}

function unknownRegionCard(query: string, suggestions: readonly Region[], verb: string, t: Translate): AdaptiveCard {
  const buttons = suggestions.map((r) => ({ title: r.name, value: `${verb} ${r.name}` }));
  const detail = buttons.length > 0 ? t("unknownRegion.suggest") : t("unknownRegion.list", { regions: REGIONS.map((r) => r.name).join(", ") });
  return renderMessageCard(t("unknownRegion.text", { query: userText(query.slice(0, 60)) }), detail, buttons);
}

function regionLabel(regionId: string): string {
  return regionById(regionId)?.name ?? regionId;
}

/** The mention entities Teams puts in a message: `{type:"mention", mentioned:{id:"29:…", name}}`. */
const MentionEntity = z.object({
  type: z.literal("mention"),
  mentioned: z.object({ id: z.string().min(1), name: z.string().optional() }),
});

export interface Mentioned {
  id: string;
  name: string;
}

/** The people mentioned in a message, once each, without the bot itself. */
export function mentionsOf(activity: Activity): Mentioned[] {
  const seen = new Map<string, Mentioned>();
  for (const entity of activity.entities ?? []) {
    const parsed = MentionEntity.safeParse(entity);
    if (!parsed.success || parsed.data.mentioned.id === activity.recipient?.id) continue;
    const { id, name } = parsed.data.mentioned;
    if (!seen.has(id)) seen.set(id, { id, name: name ?? "" });
  }
  return [...seen.values()];
}

/**
 * A mention carries the Teams user id ("29:…"), not the Entra object id roles are stored by:
 * the connector tells us who that member is. Someone who is not a member of this conversation
 * (or not a person of the tenant) is unknown (undefined); any other failure is an error.
 */
/**
 * Who an Entra object id (a card's people picker) is, as a member of this conversation: Teams'
 * member look-up takes the object id as well as the Teams user id. Undefined for someone who is
 * not a member (a personal chat has only the asker), or when the answer is someone else.
 */
export async function memberByObjectId(context: TurnContext, personId: string): Promise<Person | undefined> {
  const member = await resolveMention(context, { id: personId, name: "" });
  return member && member.id.toLowerCase() === personId.toLowerCase() ? member : undefined;
}

async function resolveMention(context: TurnContext, mentioned: Mentioned): Promise<Person | undefined> {
  let member;
  try {
    member = await TeamsInfo.getMember(context, mentioned.id);
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw error;
  }
  const id = member.aadObjectId;
  if (!id || !PersonIdSchema.safeParse(id).success) return undefined;
  return { id, name: displayName(member.name || mentioned.name) };
}
