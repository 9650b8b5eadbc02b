/**
 * The report's card actions (issue 10, "Report rounds"): open the hub, open a form for a few
 * tasks or for the free-text part, save a draft (every form's «Lagre»), submit, name a deputy and
 * mark «vil ikke rapportere» (or take it back). Every answer is the hub again, refreshed, or the form with the
 * field named when something must be corrected.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { ReportHubView, ReportPatch, ReportRefusal } from "../app/reports.js";
import { renderReportFormCard } from "../cards/report-form-card.js";
import { renderReportHubCard, type HubNotice } from "../cards/report-hub-card.js";
import { personText } from "../cards/people-cards.js";
import { renderMessageCard } from "../cards/simple-cards.js";
import { userText, type AdaptiveCard } from "../cards/templates.js";
import { formatDate } from "../domain/calendar.js";
import { ROUNDS } from "../domain/process.js";
import { AGENCIES, AGENCY_IDS, regionById } from "../domain/regions.js";
import { translator, type Translate } from "../i18n/index.js";
import { PersonIdSchema } from "../store/records.js";
import { whoIs } from "./admin-actions.js";
import type { ActionContext } from "./card-actions.js";
import { ActionId, invalid, RegionId, Year } from "./card-data.js";

export const REPORT_VERBS = {
  open: "report.open",
  task: "report.task",
  general: "report.general",
  save: "report.save",
  submit: "report.submit",
  deputy: "report.deputy",
  deputyRemove: "report.deputy.remove",
  waive: "report.waive",
  unwaive: "report.waive.undo",
} as const;
export type ReportVerb = (typeof REPORT_VERBS)[keyof typeof REPORT_VERBS];

const Key = { regionId: RegionId, year: Year, round: z.enum(ROUNDS), agency: z.enum(AGENCY_IDS) };
/** Task ids as the hub's button sends them: `t1,t2,t3` (set by the bot, never typed). */
const TaskIds = z
  .string()
  .max(400)
  .regex(/^(t[0-9]{1,4}(,t[0-9]{1,4})*)?$/)
  .transform((s) => (s === "" ? [] : s.split(",")));
/** Inputs arrive as strings; anything else is treated as not filled in. */
const Text = z.unknown().transform((v) => (typeof v === "string" ? v : undefined));

const OpenData = z.object(Key);
const TaskData = z.object({ ...Key, tasks: TaskIds });
const SaveData = z.looseObject({ ...Key, actionId: ActionId, form: z.enum(["tasks", "general"]), tasks: TaskIds });
const SubmitData = z.object({ ...Key, actionId: ActionId });
const DeputyData = z.looseObject({ ...Key, actionId: ActionId, person: Text });
/** The deputy to remove, as the hub's button names them (set by the bot, never typed). */
const DeputyRemoveData = z.object({ ...Key, actionId: ActionId, person: PersonIdSchema });
const WaiveData = z.looseObject({ ...Key, actionId: ActionId, reason: Text });
const UnwaiveData = z.object({ ...Key, actionId: ActionId });

type Key = z.infer<typeof OpenData>;

export async function handleReportAction(ctx: ActionContext, verb: ReportVerb, data: unknown): Promise<AdaptiveCard> {
  switch (verb) {
    case REPORT_VERBS.open:
      return parsed(ctx, OpenData, data, (d) => hub(ctx, d));
    case REPORT_VERBS.task:
      return parsed(ctx, TaskData, data, (d) => openForm(ctx, d, "tasks", d.tasks));
    case REPORT_VERBS.general:
      return parsed(ctx, OpenData, data, (d) => openForm(ctx, d, "general", []));
    case REPORT_VERBS.save:
      return parsed(ctx, SaveData, data, (d) => save(ctx, d));
    case REPORT_VERBS.submit:
      return parsed(ctx, SubmitData, data, (d) => submit(ctx, d));
    case REPORT_VERBS.deputy:
      return parsed(ctx, DeputyData, data, (d) => nameDeputy(ctx, d));
    case REPORT_VERBS.deputyRemove:
      return parsed(ctx, DeputyRemoveData, data, (d) => removeDeputy(ctx, d));
    case REPORT_VERBS.waive:
      return parsed(ctx, WaiveData, data, (d) => waive(ctx, d));
    case REPORT_VERBS.unwaive:
      return parsed(ctx, UnwaiveData, data, (d) => unwaive(ctx, d));
  }
}

async function parsed<T>(ctx: ActionContext, schema: z.ZodType<T>, data: unknown, then: (data: T) => Promise<AdaptiveCard>): Promise<AdaptiveCard> {
  const result = schema.safeParse(data);
  return result.success ? then(result.data) : invalid(translator(ctx.lang));
}

const keyOf = (d: Key): Key => ({ regionId: d.regionId, year: d.year, round: d.round, agency: d.agency });

async function viewOf(ctx: ActionContext, d: Key): Promise<ReportHubView | undefined> {
  return ctx.app.reports.hub({ ...keyOf(d), personId: ctx.actor.id });
}

/** The hub as this person sees it, with what their click did. */
async function hub(ctx: ActionContext, d: Key, notice?: HubNotice): Promise<AdaptiveCard> {
  const view = await viewOf(ctx, d);
  if (!view) return renderMessageCard(translator(ctx.lang)("report.refusal.no-round"));
  return renderReportHubCard(view, ctx.lang, notice);
}

async function openForm(ctx: ActionContext, d: Key, kind: "tasks" | "general", taskIds: readonly string[], error?: string, values?: Record<string, string>): Promise<AdaptiveCard> {
  const t = translator(ctx.lang);
  const view = await viewOf(ctx, d);
  if (!view) return renderMessageCard(t("report.refusal.no-round"));
  // A reader who may not write gets no form: the hub says so (viewers see submitted answers only).
  if (!view.canWrite) return renderReportHubCard(view, ctx.lang, attention(refusalText({ code: "not-allowed" }, t, ctx, d)));
  // An old button after the meeting (or before the round opens): no form that could only be refused.
  if (error === undefined && (view.phase === "closed" || view.phase === "not-open")) {
    const refusal: ReportRefusal = view.phase === "closed" ? { code: "round-closed", heldOn: view.window.heldOn! } : { code: "round-not-open", opensOn: view.window.opensOn };
    return renderReportHubCard(view, ctx.lang, attention(refusalText(refusal, t, ctx, d)));
  }
  const known = new Set([...view.own, ...view.others].map((x) => x.task.id));
  if (kind === "tasks" && (taskIds.length === 0 || taskIds.some((id) => !known.has(id))))
    return renderReportHubCard(view, ctx.lang, attention(t("report.refusal.unknown-task", { field: t("report.field.task") })));
  return renderReportFormCard({ view, kind, taskIds, actionId: randomUUID(), ...(error ? { error } : {}), ...(values ? { values } : {}) }, ctx.lang);
}

async function save(ctx: ActionContext, d: z.infer<typeof SaveData>): Promise<AdaptiveCard> {
  const t = translator(ctx.lang);
  const { patch, values } = patchOf(d);
  const result = await ctx.app.reports.saveDraft({ ...keyOf(d), actor: ctx.actor, actionId: d.actionId, patch });
  if (result.kind === "refused") return refused(ctx, d, result.refusal, () => openForm(ctx, d, d.form, d.tasks, refusalText(result.refusal, t, ctx, d), values));
  return renderReportHubCard(result.view, ctx.lang, { text: t("report.notice.saved"), style: "good" });
}

async function submit(ctx: ActionContext, d: z.infer<typeof SubmitData>): Promise<AdaptiveCard> {
  const t = translator(ctx.lang);
  const result = await ctx.app.reports.submit({ ...keyOf(d), actor: ctx.actor, actionId: d.actionId });
  if (result.kind === "refused") return refused(ctx, d, result.refusal);
  // The follow-up step is done: the region's status card changes for everyone.
  ctx.onChange?.(d.regionId);
  return renderReportHubCard(result.view, ctx.lang, { text: t(result.view.submitted?.late ? "report.notice.submittedLate" : "report.notice.submitted"), style: "good" });
}

async function nameDeputy(ctx: ActionContext, d: z.infer<typeof DeputyData>): Promise<AdaptiveCard> {
  const t = translator(ctx.lang);
  const personId = d.person?.trim() ?? "";
  if (!PersonIdSchema.safeParse(personId).success) return hub(ctx, d, attention(t("report.refusal.person", { field: t("report.field.person") })));
  const person = await whoIs(ctx, personId);
  const result = await ctx.app.reports.nameDeputy({ ...keyOf(d), actor: ctx.actor, actionId: d.actionId, deputy: person });
  if (result.kind === "refused") return refused(ctx, d, result.refusal.code === "not-allowed" ? { code: "not-allowed" } : result.refusal, undefined, "deputy");
  const name = personText(person, t, true);
  return renderReportHubCard(result.view, ctx.lang, { text: t("report.notice.deputy", { name, agency: AGENCIES[d.agency].name }), style: "good" });
}

async function removeDeputy(ctx: ActionContext, d: z.infer<typeof DeputyRemoveData>): Promise<AdaptiveCard> {
  const t = translator(ctx.lang);
  const result = await ctx.app.reports.removeDeputy({ ...keyOf(d), actor: ctx.actor, actionId: d.actionId, personId: d.person });
  if (result.kind === "refused") return refused(ctx, d, result.refusal, undefined, "deputy");
  return renderReportHubCard(result.view, ctx.lang, { text: t("report.notice.deputyRemoved", { agency: AGENCIES[d.agency].name }), style: "good" });
}

async function waive(ctx: ActionContext, d: z.infer<typeof WaiveData>): Promise<AdaptiveCard> {
  const t = translator(ctx.lang);
  const result = await ctx.app.reports.waive({ ...keyOf(d), actor: ctx.actor, actionId: d.actionId, reason: d.reason ?? "" });
  if (result.kind === "refused") return refused(ctx, d, result.refusal, undefined, "waive");
  ctx.onChange?.(d.regionId);
  return renderReportHubCard(result.view, ctx.lang, { text: t("report.notice.waived", { agency: AGENCIES[d.agency].name }), style: "good" });
}

async function unwaive(ctx: ActionContext, d: z.infer<typeof UnwaiveData>): Promise<AdaptiveCard> {
  const t = translator(ctx.lang);
  const result = await ctx.app.reports.unwaive({ ...keyOf(d), actor: ctx.actor, actionId: d.actionId });
  if (result.kind === "refused") return refused(ctx, d, result.refusal, undefined, "waive");
  // The step is asked for again: the region's status card changes for everyone.
  ctx.onChange?.(d.regionId);
  return renderReportHubCard(result.view, ctx.lang, { text: t("report.notice.unwaived", { agency: AGENCIES[d.agency].name }), style: "good" });
}

/**
 * A refusal: on the form again when there is something to correct there (`form`), else on the
 * hub — someone who may not write is told so and nothing is written.
 */
async function refused(ctx: ActionContext, d: Key, refusal: ReportRefusal, form?: () => Promise<AdaptiveCard>, action: "write" | "deputy" | "waive" = "write"): Promise<AdaptiveCard> {
  const t = translator(ctx.lang);
  const correctable =
    refusal.code !== "not-allowed" && refusal.code !== "no-round" && refusal.code !== "waived" && refusal.code !== "unanswered" && refusal.code !== "already-submitted" && refusal.code !== "too-many-deputies";
  if (form && correctable) return form();
  if (refusal.code === "no-round") return renderMessageCard(t("report.refusal.no-round"));
  const text =
    refusal.code === "not-allowed" && action === "deputy"
      ? t("report.refusal.deputy-not-allowed", { agency: AGENCIES[d.agency].name })
      : refusal.code === "not-allowed" && action === "waive"
        ? t("report.refusal.waive-not-allowed")
        : refusalText(refusal, t, ctx, d);
  return hub(ctx, d, attention(text));
}

const attention = (text: string): HubNotice => ({ text, style: "attention" });

/** The refusal in the person's language, naming the field as the form labels it. */
export function refusalText(refusal: ReportRefusal, t: Translate, ctx: Pick<ActionContext, "lang">, at: Key): string {
  const agency = AGENCIES[at.agency].name;
  switch (refusal.code) {
    case "not-allowed":
      return t("report.refusal.not-allowed", { agency, region: regionById(at.regionId)?.name ?? at.regionId });
    case "no-round":
      return t("report.refusal.no-round");
    case "round-not-open":
      return t("report.refusal.round-not-open", { date: formatDate(refusal.opensOn, ctx.lang) });
    case "round-closed":
      return t("report.refusal.round-closed", { date: formatDate(refusal.heldOn, ctx.lang) });
    case "unknown-task":
      return t("report.refusal.unknown-task", { field: t("report.field.task") });
    case "unknown-status":
      return t("report.refusal.unknown-status", { field: fieldName(refusal.field, t, at, refusal.task) });
    case "status-missing":
      return t("report.refusal.status-missing", { field: fieldName(refusal.field, t, at, refusal.task) });
    case "too-long":
      return t("report.refusal.too-long", { field: fieldName(refusal.field, t, at, refusal.task), max: refusal.max });
    case "unknown-stance":
      return t("report.refusal.unknown-stance", { field: fieldName(refusal.field, t, at) });
    case "stance-comment-missing":
      return t("report.refusal.stance-comment-missing", { field: fieldName(refusal.field, t, at) });
    case "unanswered":
      return t("report.refusal.unanswered", { agency, tasks: refusal.tasks.map((title) => `«${userText(title)}»`).join(", ") });
    case "reason-missing":
      return t("report.refusal.reason-missing", { field: t("report.field.reason") });
    case "waived":
      return t("report.refusal.waived", { agency });
    case "already-submitted":
      return t("report.refusal.already-submitted", { agency });
    case "too-many-deputies":
      return t("report.refusal.too-many-deputies", { agency, max: refusal.max });
  }
}

/** A form's input id as its label reads: «Kommentar til «Klyngeprogram»», «Oppsummering av …». */
function fieldName(field: string, t: Translate, at: Key, task?: string): string {
  // A task's title is the agreement's text, typed by a person: shown as it was typed, never as Markdown.
  if (field.startsWith("status-")) return t("report.field.taskStatus", { task: userText(task ?? "") });
  if (field.startsWith("comment-")) return t("report.field.taskComment", { task: userText(task ?? "") });
  switch (field) {
    case "summary":
      return t("report.field.summary");
    case "expectations":
      return t("report.field.expectations");
    case "stance":
      return t("report.field.stance", { next: at.year + 1 });
    case "stanceComment":
      return t("report.field.stanceComment");
    case "reason":
      return t("report.field.reason");
    default:
      return t("report.field.task");
  }
}

/** The form's inputs as a patch (only the fields the form had) and as typed, to show again on a refusal. */
function patchOf(d: z.infer<typeof SaveData>): { patch: ReportPatch; values: Record<string, string> } {
  const raw = d as Record<string, unknown>;
  const values: Record<string, string> = {};
  // A field the client did not send is left as it is; one sent empty is cleared.
  const text = (id: string): string | undefined => {
    const v = raw[id];
    if (typeof v !== "string") return undefined;
    values[id] = v;
    return v;
  };
  const defined = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
  if (d.form === "tasks") return { patch: { tasks: Object.fromEntries(d.tasks.map((id) => [id, defined({ status: text(`status-${id}`), comment: text(`comment-${id}`) })])) }, values };
  const general = defined({ summary: text("summary"), expectations: d.round === "spring" ? text("expectations") : undefined });
  const stance = d.round === "autumn" ? defined({ position: text("stance"), comment: text("stanceComment") }) : {};
  return { patch: { ...general, ...(Object.keys(stance).length > 0 ? { stance } : {}) }, values };
}
