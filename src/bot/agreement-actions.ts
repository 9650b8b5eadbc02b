/**
 * The agreement in Teams (§2.1, §3.3): the `avtale [region] [år]` / `agreement [region] [year]`
 * command and the `agreement.*` card actions. Thin: parse with zod, call `app.agreements`, answer
 * with the card that replaces the one clicked. Bad input comes back on its form, the field named.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { mayChangeAgreement, type AgreementRefusal, type AgreementResult, type TaskInput } from "../app/agreements.js";
import type { App } from "../app/app.js";
import { renderAgreementCard, renderPartiesForm, renderPasteForm, renderTaskForm, type Notice, type TaskForm } from "../cards/agreement-card.js";
import { renderMessageCard } from "../cards/simple-cards.js";
import { userText, type AdaptiveCard } from "../cards/templates.js";
import { AGREEMENT_LIMITS } from "../domain/agreement.js";
import type { Lang } from "../domain/calendar.js";
import type { Actor } from "../domain/events.js";
import { AGENCIES, AGENCY_IDS, matchRegion, REGIONS, regionById, type AgencyId } from "../domain/regions.js";
import { translator, type MessageKey, type Translate } from "../i18n/index.js";
import type { ActionContext } from "./card-actions.js";
import { ActionId, invalid, RegionId, Year } from "./card-data.js";
import type { Command } from "./commands.js";

export const AGREEMENT_VERBS = {
  open: "agreement.open",
  taskOpen: "agreement.task.open",
  taskSave: "agreement.task.save",
  taskRemove: "agreement.task.remove",
  pasteOpen: "agreement.paste.open",
  pastePreview: "agreement.paste.preview",
  pasteSave: "agreement.paste.save",
  partiesOpen: "agreement.parties.open",
  partiesSave: "agreement.parties.save",
  copy: "agreement.copy",
} as const;
export type AgreementVerb = (typeof AGREEMENT_VERBS)[keyof typeof AGREEMENT_VERBS];

const Where = z.object({ regionId: RegionId, year: Year });
const TaskId = z.string().regex(/^t[0-9]{1,4}$/);
/** Inputs arrive as strings ("" = not filled in); a multi-select sends "IN,SIVA". */
const Text = z.string().optional();
const TaskOpenData = Where.extend({ taskId: z.union([TaskId, z.literal("")]).optional() });
const TaskSaveData = z.looseObject({ ...Where.shape, actionId: ActionId, taskId: z.union([TaskId, z.literal("")]).optional() });
const TaskRemoveData = z.looseObject({ ...Where.shape, actionId: ActionId, taskId: TaskId });
const PasteData = z.looseObject({ ...Where.shape, paste: Text });
const PasteSaveData = PasteData.extend({ actionId: ActionId });
const SaveData = z.looseObject({ ...Where.shape, actionId: ActionId });

/** The fields a form names, with their limits (checked on the server whatever the client allowed). */
const FIELDS: Record<string, { label: MessageKey; max?: number }> = {
  title: { label: "agreement.field.title", max: AGREEMENT_LIMITS.title },
  description: { label: "agreement.field.description", max: AGREEMENT_LIMITS.description },
  indicator: { label: "agreement.field.indicator", max: AGREEMENT_LIMITS.indicator },
  planRef: { label: "agreement.field.planRef", max: AGREEMENT_LIMITS.planRef },
  responsible: { label: "agreement.field.responsible" },
  partyAgencies: { label: "agreement.field.partyAgencies" },
  commissionAgencies: { label: "agreement.field.commissionAgencies" },
  paste: { label: "agreement.field.paste" },
};

export async function handleAgreementAction(ctx: ActionContext, verb: AgreementVerb, data: unknown): Promise<AdaptiveCard> {
  const parse = <T>(schema: z.ZodType<T>, then: (d: T) => Promise<AdaptiveCard>) => {
    const parsed = schema.safeParse(data);
    return parsed.success ? then(parsed.data) : Promise.resolve(invalid(translator(ctx.lang)));
  };
  switch (verb) {
    case AGREEMENT_VERBS.open:
      return parse(Where, (d) => agreementCard(ctx, d.regionId, d.year));
    case AGREEMENT_VERBS.taskOpen:
      return parse(TaskOpenData, (d) => openTask(ctx, d.regionId, d.year, d.taskId || undefined));
    case AGREEMENT_VERBS.taskSave:
      return parse(TaskSaveData, (d) => saveTask(ctx, d));
    case AGREEMENT_VERBS.taskRemove:
      return parse(TaskRemoveData, (d) => removeTask(ctx, d));
    case AGREEMENT_VERBS.pasteOpen:
      return parse(Where, (d) => whenAllowed(ctx, d, async () => renderPasteForm({ ...d, text: "", actionId: randomUUID() }, ctx.lang)));
    case AGREEMENT_VERBS.pastePreview:
      return parse(PasteData, (d) => previewPaste(ctx, d.regionId, d.year, d.paste ?? ""));
    case AGREEMENT_VERBS.pasteSave:
      return parse(PasteSaveData, (d) => savePaste(ctx, d));
    case AGREEMENT_VERBS.partiesOpen:
      return parse(Where, (d) => whenAllowed(ctx, d, async () => renderPartiesForm({ ...d, parties: (await ctx.app.agreements.view(d.regionId, d.year)).state.parties, actionId: randomUUID() }, ctx.lang)));
    case AGREEMENT_VERBS.partiesSave:
      return parse(SaveData, (d) => saveParties(ctx, d));
    case AGREEMENT_VERBS.copy:
      return parse(SaveData, (d) => copyTasks(ctx, d));
  }
}

/**
 * `avtale [region] [år]`: a named region; without one the conversation's bound region, else the
 * person's own (as region coordinator or an agency's regional contact), else the question which.
 * Without a year, the agreement followed up now.
 */
export async function answerAgreement(app: App, command: Extract<Command, { kind: "agreement" }>, actor: Actor | undefined, conversationKey: string | undefined, lang: Lang): Promise<AdaptiveCard> {
  const t = translator(lang);
  const word = lang === "en" ? "agreement" : "avtale";
  let regionId: string | undefined;
  if (command.regionQuery !== undefined) {
    const match = matchRegion(command.regionQuery);
    if (match.kind === "unknown") {
      const suggestions = match.suggestions.map((r) => ({ title: r.name, value: `${word} ${r.name}` }));
      const detail = suggestions.length > 0 ? t("unknownRegion.suggest") : t("unknownRegion.list", { regions: REGIONS.map((r) => r.name).join(", ") });
      return renderMessageCard(t("unknownRegion.text", { query: userText(command.regionQuery.slice(0, 60)) }), detail, suggestions);
    }
    regionId = match.region.id;
  } else {
    const bound = conversationKey !== undefined ? await app.people.binding(conversationKey) : undefined;
    const own = actor ? (await app.people.rolesOf(actor.id)).flatMap((r) => (r.kind === "region-coordinator" || (r.kind === "agency-rep" && r.regionId !== undefined) ? [r.regionId!] : [])) : [];
    regionId = bound?.regionId ?? own[0];
  }
  if (regionId === undefined) return renderMessageCard(t("agreement.askRegion"), t("unknownRegion.list", { regions: REGIONS.map((r) => r.name).join(", ") }));
  const year = command.year ?? app.agreements.years().currentYear;
  const view = await app.agreements.view(regionId, year);
  const canChange = actor ? await app.agreements.mayChange(actor.id, regionId, year) : false;
  return renderAgreementCard(view, { canChange, actionId: randomUUID() }, lang);
}

/** The agreement card as this person sees it (with the coordinator's buttons when theirs). */
async function agreementCard(ctx: ActionContext, regionId: string, year: number, notice?: Notice): Promise<AdaptiveCard> {
  const [view, canChange] = await Promise.all([ctx.app.agreements.view(regionId, year), ctx.app.agreements.mayChange(ctx.actor.id, regionId, year)]);
  return renderAgreementCard(view, { canChange, actionId: randomUUID(), ...(notice ? { notice } : {}) }, ctx.lang);
}

/** A form is opened only for someone who may save it; anyone else gets the card and why. */
async function whenAllowed(ctx: ActionContext, at: { regionId: string; year: number }, open: () => Promise<AdaptiveCard>): Promise<AdaptiveCard> {
  if (await ctx.app.agreements.mayChange(ctx.actor.id, at.regionId, at.year)) return open();
  const roles = await ctx.app.people.rolesOf(ctx.actor.id);
  const refusal: AgreementRefusal = mayChangeAgreement(roles, at.regionId) ? { code: "year-not-open", year: at.year } : { code: "not-allowed" };
  return agreementCard(ctx, at.regionId, at.year, { text: refusalText(refusal, at.regionId, translator(ctx.lang)), style: "attention" });
}

async function openTask(ctx: ActionContext, regionId: string, year: number, taskId: string | undefined, extras: Pick<TaskForm, "error" | "values"> = {}): Promise<AdaptiveCard> {
  return whenAllowed(ctx, { regionId, year }, async () => {
    const { state } = await ctx.app.agreements.view(regionId, year);
    const task = taskId !== undefined ? state.tasks.find((t) => t.id === taskId) : undefined;
    if (taskId !== undefined && !task) return agreementCard(ctx, regionId, year, { text: translator(ctx.lang)("agreement.refusal.unknown-task"), style: "attention" });
    return renderTaskForm({ regionId, year, parties: state.parties, ...(task ? { task } : {}), actionId: randomUUID(), ...extras }, ctx.lang);
  });
}

function agencies(ids: readonly string[]): AgencyId[] {
  return AGENCY_IDS.filter((a) => ids.includes(a));
}

function textOf(data: Record<string, unknown>, id: string): string {
  const value = data[id];
  return typeof value === "string" ? value : "";
}

function listOf(data: Record<string, unknown>, id: string): string[] {
  return textOf(data, id)
    .split(",")
    .map((v) => v.trim())
    .filter((v) => v !== "");
}

async function saveTask(ctx: ActionContext, data: z.infer<typeof TaskSaveData>): Promise<AdaptiveCard> {
  const values = { title: textOf(data, "title"), description: textOf(data, "description"), indicator: textOf(data, "indicator"), planRef: textOf(data, "planRef"), responsible: textOf(data, "responsible") };
  const task: TaskInput = { ...values, responsible: listOf(data, "responsible") };
  const change = { actor: ctx.actor, regionId: data.regionId, year: data.year, actionId: data.actionId };
  const result = data.taskId ? await ctx.app.agreements.editTask({ ...change, taskId: data.taskId, task }) : await ctx.app.agreements.addTask({ ...change, task });
  const t = translator(ctx.lang);
  return afterChange(ctx, data, result, {
    reopen: (error) => openTask(ctx, data.regionId, data.year, data.taskId || undefined, { error, values }),
    values,
    done: () => t(data.taskId ? "agreement.notice.edited" : "agreement.notice.added", { title: userText(task.title.trim()) }),
  });
}

async function removeTask(ctx: ActionContext, data: z.infer<typeof TaskRemoveData>): Promise<AdaptiveCard> {
  const before = (await ctx.app.agreements.view(data.regionId, data.year)).state.tasks.find((t) => t.id === data.taskId);
  const result = await ctx.app.agreements.removeTask({ actor: ctx.actor, regionId: data.regionId, year: data.year, actionId: data.actionId, taskId: data.taskId });
  return afterChange(ctx, data, result, { done: () => translator(ctx.lang)("agreement.notice.removed", { title: userText(before?.title ?? "") }), style: "default" });
}

async function previewPaste(ctx: ActionContext, regionId: string, year: number, text: string, error?: string): Promise<AdaptiveCard> {
  return whenAllowed(ctx, { regionId, year }, async () => {
    const { lines, tooManyLines } = await ctx.app.agreements.previewPaste(regionId, year, text);
    return renderPasteForm({ regionId, year, text, actionId: randomUUID(), preview: { lines, tooManyLines }, ...(error ? { error } : {}) }, ctx.lang);
  });
}

async function savePaste(ctx: ActionContext, data: z.infer<typeof PasteSaveData>): Promise<AdaptiveCard> {
  const text = data.paste ?? "";
  const result = await ctx.app.agreements.savePaste({ actor: ctx.actor, regionId: data.regionId, year: data.year, actionId: data.actionId, text });
  const t = translator(ctx.lang);
  return afterChange(ctx, data, result, {
    reopen: (error) => previewPaste(ctx, data.regionId, data.year, text, error),
    values: { paste: text },
    done: (r) => t("agreement.notice.pasted", { count: r.events.length }),
  });
}

async function saveParties(ctx: ActionContext, data: z.infer<typeof SaveData>): Promise<AdaptiveCard> {
  const parties = { partyAgencies: listOf(data, "partyAgencies"), commissionAgencies: listOf(data, "commissionAgencies") };
  const result = await ctx.app.agreements.setParties({ actor: ctx.actor, regionId: data.regionId, year: data.year, actionId: data.actionId, parties });
  const t = translator(ctx.lang);
  return afterChange(ctx, data, result, {
    // What was ticked comes back as ticked, so one correction is enough.
    reopen: async (error) =>
      renderPartiesForm({ regionId: data.regionId, year: data.year, parties: { partyAgencies: agencies(parties.partyAgencies), commissionAgencies: agencies(parties.commissionAgencies) }, actionId: randomUUID(), error }, ctx.lang),
    values: { partyAgencies: textOf(data, "partyAgencies"), commissionAgencies: textOf(data, "commissionAgencies") },
    done: () => t("agreement.notice.parties"),
  });
}

async function copyTasks(ctx: ActionContext, data: z.infer<typeof SaveData>): Promise<AdaptiveCard> {
  const result = await ctx.app.agreements.copyTasks({ actor: ctx.actor, regionId: data.regionId, year: data.year, actionId: data.actionId });
  const t = translator(ctx.lang);
  return afterChange(ctx, data, result, {
    done: (r) => {
      const copied = r.events[0]?.data;
      return t("agreement.notice.copied", { count: copied?.type === "tasks-copied" ? copied.tasks.length : 0, year: data.year - 1 });
    },
  });
}

/**
 * The answer to a change: the agreement card with what was done; a refusal about a field comes
 * back on its form (`reopen`) with the field named; any other refusal on the agreement card.
 */
async function afterChange(
  ctx: ActionContext,
  at: { regionId: string; year: number },
  result: AgreementResult,
  how: {
    reopen?: (error: string) => Promise<AdaptiveCard>;
    values?: Record<string, string>;
    done: (result: Extract<AgreementResult, { kind: "changed" }>) => string;
    style?: Notice["style"];
  },
): Promise<AdaptiveCard> {
  const t = translator(ctx.lang);
  if (result.kind === "changed") return agreementCard(ctx, at.regionId, at.year, { text: how.done(result), style: how.style ?? "good" });
  if (result.kind === "duplicate") return agreementCard(ctx, at.regionId, at.year, { text: t("notice.duplicate"), style: "default" });
  const text = refusalText(result.refusal, at.regionId, t, how.values);
  const onForm = ["invalid", "too-many-tasks", "nothing-to-paste", "party-has-tasks", "commission-not-party"].includes(result.refusal.code);
  if (onForm && how.reopen) return how.reopen(text);
  return agreementCard(ctx, at.regionId, at.year, { text, style: "attention" });
}

/** The refusal in the person's words, naming the field (and its limit when the text was too long). */
export function refusalText(refusal: AgreementRefusal, regionId: string, t: Translate, values: Record<string, string> = {}): string {
  switch (refusal.code) {
    case "not-allowed":
      return t("agreement.refusal.not-allowed", { region: regionById(regionId)?.name ?? regionId });
    case "invalid": {
      const field = FIELDS[refusal.field] ?? { label: "agreement.field.title" };
      const typed = (values[refusal.field] ?? "").trim();
      if (refusal.field === "paste") return t("agreement.paste.tooMany", { max: AGREEMENT_LIMITS.pasteLines });
      if (field.max !== undefined && typed.length > field.max) return t("agreement.refusal.tooLong", { field: t(field.label), max: field.max });
      if (typed === "") return t("agreement.refusal.missing", { field: t(field.label) });
      return t("refusal.invalid", { field: t(field.label) });
    }
    case "year-not-open":
      return t("agreement.refusal.year-not-open", { year: refusal.year });
    case "too-many-tasks":
      return t("agreement.refusal.too-many-tasks", { max: refusal.max });
    case "nothing-to-copy":
      return t("agreement.refusal.nothing-to-copy", { year: refusal.fromYear });
    case "party-has-tasks":
      return t("agreement.refusal.party-has-tasks", { agency: AGENCIES[refusal.agency].name, count: refusal.tasks });
    case "commission-not-party":
      return t("agreement.refusal.commission-not-party", { agency: AGENCIES[refusal.agency].name });
    case "unknown-task":
    case "not-empty":
    case "nothing-to-paste":
      return t(`agreement.refusal.${refusal.code}`);
  }
}
