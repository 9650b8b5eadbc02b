/**
 * The admin card (`admin` / `administrer` / `administrasjon`) and its actions: grant and revoke
 * a role for the person chosen in Teams' people picker, bind or unbind the conversation the card
 * is in. Each action is authorized first (a non-admin clicking an old card gets the refusal and
 * nothing changes), its data parsed with zod, and the answer is the admin card again with a
 * notice saying what happened or which field is wrong.
 *
 * Names: Teams' people picker sends only the chosen person's Entra object id, never the name
 * shown in the picker. The name is taken, in this order, from the person clicking (an admin
 * choosing themselves), from the connector (`lookupPerson`: the person as a member of this
 * conversation), or from a role the person already holds. Failing all three the role is stored
 * with an empty name, shown as "(navn ukjent, id 1a2b3c4d…)", and `people.learnName` fills it in
 * the first time the person writes to the bot. A name is never made up.
 */
import { z } from "zod";
import type { App } from "../app/app.js";
import type { Person } from "../app/people.js";
import { renderAdminCard, type AdminNotice, type AdminValues } from "../cards/admin-card.js";
import { personText, roleName } from "../cards/people-cards.js";
import { renderMessageCard } from "../cards/simple-cards.js";
import type { AdaptiveCard } from "../cards/templates.js";
import type { Lang } from "../domain/calendar.js";
import { displayName } from "../domain/display-name.js";
import { regionById } from "../domain/regions.js";
import { roleFromParts, type RolePartsProblem } from "../domain/roles.js";
import { translator, type Translate } from "../i18n/index.js";
import { PersonIdSchema } from "../store/records.js";
import type { ActionContext } from "./card-actions.js";
import { fieldLabel } from "./card-data.js";

export const ADMIN_VERBS = { grant: "role.grant", revoke: "role.revoke", bind: "channel.bind", unbind: "channel.unbind" } as const;
export type AdminVerb = (typeof ADMIN_VERBS)[keyof typeof ADMIN_VERBS];

/** Inputs arrive as strings; "" (a choice left empty) means not chosen. Anything else is refused by field. */
const Choice = z
  .string()
  .max(200)
  .transform((v) => v.trim())
  .optional();
const AdminData = z.looseObject({ person: Choice, kind: Choice, region: Choice, agency: Choice, channelRegion: Choice });
type AdminInput = z.infer<typeof AdminData>;

/** What the card needs besides the app: who asks, in which language, and where (undefined: a personal chat). */
export interface AdminTurn {
  app: App;
  lang: Lang;
  conversationKey?: string | undefined;
}

/** The `admin` command: the card for administrators, the usual refusal for anyone else. */
export async function openAdminCard(turn: AdminTurn & { actor: Person | undefined }): Promise<AdaptiveCard> {
  const t = translator(turn.lang);
  if (!turn.actor) return renderMessageCard(t("refuse.noIdentity"));
  if (!(await turn.app.people.isAdmin(turn.actor.id))) return renderMessageCard(t("refuse.notAdmin"));
  return adminCard(turn);
}

export async function handleAdminAction(ctx: ActionContext, verb: AdminVerb, data: unknown): Promise<AdaptiveCard> {
  const t = translator(ctx.lang);
  // Authorization before anything else; the use cases check again on a fresh read.
  if (!PersonIdSchema.safeParse(ctx.actor.id).success) return renderMessageCard(t("refuse.noIdentity"));
  if (!(await ctx.app.people.isAdmin(ctx.actor.id))) return renderMessageCard(t("refuse.notAdmin"));
  const parsed = AdminData.safeParse(data ?? {});
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? "");
    return adminCard(ctx, refused(t("refusal.invalid", { field: adminFieldLabel(t, field) })));
  }
  const input = parsed.data;
  const values = valuesOf(input);
  switch (verb) {
    case ADMIN_VERBS.grant:
    case ADMIN_VERBS.revoke:
      return grantOrRevoke(ctx, verb, input, values);
    case ADMIN_VERBS.bind:
      return bind(ctx, input.channelRegion || undefined, values);
    case ADMIN_VERBS.unbind:
      return unbind(ctx, values);
  }
}

async function grantOrRevoke(ctx: ActionContext, verb: AdminVerb, input: AdminInput, values: AdminValues): Promise<AdaptiveCard> {
  const t = translator(ctx.lang);
  const personId = input.person || undefined;
  if (personId === undefined || !PersonIdSchema.safeParse(personId).success) {
    const { person: _dropped, ...rest } = values;
    return adminCard(ctx, refused(t("refusal.invalid", { field: t("admin.field.person") })), rest);
  }
  const target = await whoIs(ctx, personId);
  const shown: AdminValues = { ...values, person: target };
  const parts = roleFromParts({ kind: input.kind || undefined, regionId: input.region || undefined, agency: input.agency || undefined });
  if (!parts.ok) return adminCard(ctx, refused(partsRefusal(parts, t)), shown);

  const params = { name: personText(target, t, true), role: roleName(parts.role, t) };
  const nameLater = target.name === "" ? t("admin.nameLater") : undefined;
  if (verb === ADMIN_VERBS.grant) {
    const result = await ctx.app.people.grant(ctx.actor, target, parts.role);
    switch (result.kind) {
      case "granted":
        return adminCard(ctx, { text: `✅ ${t("grant.done", params)}`, style: "good", ...(nameLater ? { detail: nameLater } : {}) }, shown);
      case "already":
        return adminCard(ctx, { text: t("grant.already", params), style: "default" }, shown);
      case "not-admin":
        return renderMessageCard(t("refuse.notAdmin"));
    }
  }
  const result = await ctx.app.people.revoke(ctx.actor, target, parts.role);
  switch (result.kind) {
    case "revoked":
      return adminCard(ctx, { text: `✅ ${t("revoke.done", params)}`, style: "good" }, shown);
    case "not-held":
      return adminCard(ctx, { text: t("revoke.notHeld", params), style: "default" }, shown);
    case "configured-admin":
      return adminCard(ctx, refused(t("revoke.configuredAdmin", params)), shown);
    case "last-admin":
      return adminCard(ctx, refused(t("revoke.lastAdmin", params)), shown);
    case "not-admin":
      return renderMessageCard(t("refuse.notAdmin"));
  }
}

/** Binds the conversation the card is in, under the same key as the `bind` command (a channel thread's suffix dropped). */
async function bind(ctx: ActionContext, regionId: string | undefined, values: AdminValues): Promise<AdaptiveCard> {
  const t = translator(ctx.lang);
  if (ctx.conversationKey === undefined) return adminCard(ctx, refused(t("bind.personal")), values);
  const region = regionId !== undefined ? regionById(regionId) : undefined;
  if (!region) return adminCard(ctx, refused(t("refusal.invalid", { field: t("admin.field.region") })), values);
  const result = await ctx.app.people.bind(ctx.actor, ctx.conversationKey, region.id);
  if (result.kind === "not-admin") return renderMessageCard(t("refuse.notAdmin"));
  const text =
    result.previous !== undefined && result.previous !== region.id
      ? t("bind.moved", { region: region.name, previous: regionById(result.previous)?.name ?? result.previous })
      : t("bind.done", { region: region.name });
  return adminCard(ctx, { text: `✅ ${text}`, style: "good" }, values);
}

async function unbind(ctx: ActionContext, values: AdminValues): Promise<AdaptiveCard> {
  const t = translator(ctx.lang);
  if (ctx.conversationKey === undefined) return adminCard(ctx, refused(t("bind.personal")), values);
  const result = await ctx.app.people.unbind(ctx.actor, ctx.conversationKey);
  switch (result.kind) {
    case "unbound": {
      const { channelRegion: _cleared, ...rest } = values;
      return adminCard(ctx, { text: `✅ ${t("unbind.done", { region: regionById(result.regionId)?.name ?? result.regionId })}`, style: "good" }, rest);
    }
    case "not-bound":
      return adminCard(ctx, { text: t("bind.none"), style: "default" }, values);
    case "not-admin":
      return renderMessageCard(t("refuse.notAdmin"));
  }
}

/**
 * The person behind a picked Entra object id, with the best name there is (see the file's
 * comment); `name` is "" when nobody could tell.
 */
export async function whoIs(ctx: ActionContext, personId: string): Promise<Person> {
  const id = personId.toLowerCase();
  // Every source is capped as a name entering the app is (≤ 256 characters): this name is stored with the role or deputy.
  if (ctx.actor.id.toLowerCase() === id && ctx.actor.name !== "") return { id, name: displayName(ctx.actor.name) };
  const member = await ctx.lookupPerson?.(id);
  if (member && member.name !== "") return { id, name: displayName(member.name) };
  const stored = (await ctx.app.people.roster()).assignments.find((a) => a.person.id === id && a.person.name !== "");
  return { id, name: displayName(stored?.person.name) };
}

async function adminCard(turn: AdminTurn, notice?: AdminNotice, values?: AdminValues): Promise<AdaptiveCard> {
  const roster = await turn.app.people.roster();
  const conversation = turn.conversationKey !== undefined ? { binding: await turn.app.people.binding(turn.conversationKey) } : undefined;
  return renderAdminCard({ roster, ...(conversation ? { conversation } : {}), ...(notice ? { notice } : {}), ...(values ? { values } : {}) }, turn.lang);
}

function refused(text: string): AdminNotice {
  return { text, style: "attention" };
}

function valuesOf(input: AdminInput): AdminValues {
  const values: AdminValues = {};
  if (input.person && PersonIdSchema.safeParse(input.person).success) values.person = { id: input.person.toLowerCase(), name: "" };
  for (const key of ["kind", "region", "agency", "channelRegion"] as const) if (input[key]) values[key] = input[key];
  return values;
}

function partsRefusal(problem: RolePartsProblem, t: Translate): string {
  if (problem.problem === "missing" && problem.field === "region") return t("admin.regionNeeded", { field: t("admin.field.region") });
  if (problem.problem === "missing" && problem.field === "agency") return t("admin.agencyNeeded", { field: t("form.field.agency") });
  return t("refusal.invalid", { field: adminFieldLabel(t, problem.field) });
}

/** "" when the data was not an object at all: no field to name. */
function adminFieldLabel(t: Translate, field: string): string {
  return field === "" ? "data" : fieldLabel(t, field);
}
