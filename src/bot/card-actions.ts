/**
 * Card actions (Adaptive Card Universal Actions, `Action.Execute`): one verb, one handler. Each
 * handler parses its data with zod, calls one use case and answers with the card that replaces
 * the one the person clicked — so nobody goes on acting on a stale card.
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { App } from "../app/app.js";
import type { RecordResult, UndoResult } from "../app/recording.js";
import { renderMessageCard } from "../cards/simple-cards.js";
import { historyPage, HistoryPageData } from "./history-actions.js";
import { reportSummary, ReportSummaryData } from "./report-summary-actions.js";
import { ExportData, exportReport } from "./report-export-actions.js";
import type { FileOffer } from "./report-files.js";
import { ADMIN_VERBS, handleAdminAction } from "./admin-actions.js";
import { handleReportAction, REPORT_VERBS, type ReportVerb } from "./report-actions.js";
import type { Person } from "../app/people.js";
import { openPlan, PlanOpenData, PlanSaveData, savePlan } from "./plan-actions.js";
import { snooze, SnoozeData } from "./nudge-actions.js";
import { AGREEMENT_VERBS, handleAgreementAction, type AgreementVerb } from "./agreement-actions.js";
import { BackfillOpenData, BackfillSaveData, openBackfill, saveBackfill } from "./backfill-actions.js";
import { ActionId, fieldLabel, invalid, RegionOrNational, Year } from "./card-data.js";
import { eventSentence } from "../cards/history-card.js";
import { renderRecordCard, type RecordForm } from "../cards/record-card.js";
import { renderStatusCard, type Personalization } from "../cards/status-card.js";
import type { WheelLink } from "../cards/tab-link.js";
import type { AdaptiveCard } from "../cards/templates.js";
import { osloDate, type Lang } from "../domain/calendar.js";
import { dateRangeFor, lateToken } from "../domain/forms.js";
import type { Actor } from "../domain/events.js";
import type { Obligation } from "../domain/obligations.js";
import {
  PLAN_VERBS,
  RECORD_VERBS,
  RecordRequestSchema,
  stepKeyFor,
  stepKeyOf,
  type PlanRequest,
  type RecordRequest,
  type RecordVerb,
  type RequestParams,
} from "../domain/recording.js";
import { mayRecord, type Role } from "../domain/roles.js";
import { translator } from "../i18n/index.js";
import { refusalText } from "../cards/refusals.js";

export const VERB = {
  statusRefresh: "status.refresh",
  formOpen: "form.open",
  undo: "undo",
  historyPage: "history.page",
  reportSummary: "report.summary",
  reportExport: "report.export",
  backfillOpen: "backfill.open",
  backfillSave: "backfill.save",
  planOpen: "plan.open",
  nudgeSnooze: "nudge.snooze",
} as const;

type Verb = (typeof VERB)[keyof typeof VERB] | AgreementVerb | RecordVerb | PlanRequest["verb"] | (typeof ADMIN_VERBS)[keyof typeof ADMIN_VERBS] | ReportVerb;
type Handler = (ctx: ActionContext, data: unknown) => Promise<AdaptiveCard>;

export interface ActionContext {
  app: App;
  actor: Actor;
  lang: Lang;
  /** Told the region whose card changed for everyone (a step recorded or undone). */
  onChange?: (regionId: string) => void;
  /** The conversation a binding belongs to (as for the `bind` command); undefined in a personal chat. */
  conversationKey?: string | undefined;
  /** Who an Entra object id is, as a member of this conversation; undefined when the connector does not know. */
  lookupPerson?: (personId: string) => Promise<Person | undefined>;
  /** Offers a file with a Teams file consent card; only in a 1:1 chat, where Teams lets bots send files. */
  offerFile?: (offer: FileOffer) => Promise<void>;
  /** Where the status card's «Åpne årshjulet» leads (the tab); absent: no such button. */
  wheel?: WheelLink;
}

const Params = z
  .object({ meeting: z.string(), agency: z.string(), party: z.string(), round: z.string(), step: z.string() })
  .partial()
  .default({});

const RefreshData = z.object({ regionId: RegionOrNational });
const FormOpenData = z.object({ form: z.enum(RECORD_VERBS as [RecordVerb, ...RecordVerb[]]), regionId: RegionOrNational, year: Year, params: Params });
const SaveData = z.looseObject({ regionId: RegionOrNational, year: Year, actionId: ActionId, params: Params });
/** `regionId` is the card's region; `aggregateId` where the event is (a national step on a region's card: `national`). */
const UndoData = z.object({ regionId: RegionOrNational, aggregateId: RegionOrNational, year: Year, eventId: z.string().min(1).max(100), actionId: ActionId });

/** Inputs arrive as strings; "" means not filled in, and toggles say "true"/"false". */
const INPUT_FIELDS = ["date", "place", "link", "body", "caseNumber", "outcome", "experiences", "opportunities"] as const;

/**
 * One verb, one handler. The schemas and use cases of the other *-actions.ts modules are only
 * referred to inside the handlers: plan-actions and backfill-actions import this module back.
 */
const HANDLERS: Record<Verb, Handler> = {
  [VERB.statusRefresh]: (ctx, data) => parsed(ctx, RefreshData, data, (d) => personalStatus(ctx, d.regionId)),
  [VERB.formOpen]: (ctx, data) => parsed(ctx, FormOpenData, data, (d) => openForm(ctx, d.form, d.regionId, d.year, d.params as RequestParams, {})),
  [VERB.undo]: (ctx, data) => parsed(ctx, UndoData, data, (d) => undo(ctx, d)),
  // Paging data that does not parse is answered naming the field, as the history command does.
  [VERB.historyPage]: (ctx, data) => parsed(ctx, HistoryPageData, data, (d) => historyPage(ctx, d)),
  [VERB.reportSummary]: (ctx, data) => parsed(ctx, ReportSummaryData, data, (d) => reportSummary(ctx, d)),
  [VERB.reportExport]: (ctx, data) => parsed(ctx, ExportData, data, (d) => exportReport(ctx, d)),
  [VERB.backfillOpen]: (ctx, data) => parsed(ctx, BackfillOpenData, data, (d) => openBackfill(ctx, d)),
  [VERB.backfillSave]: (ctx, data) => parsed(ctx, BackfillSaveData, data, (d) => saveBackfill(ctx, d)),
  [VERB.planOpen]: (ctx, data) => parsed(ctx, PlanOpenData, data, (d) => openPlan(ctx, d)),
  [VERB.nudgeSnooze]: (ctx, data) => parsed(ctx, SnoozeData, data, (d) => snooze(ctx, d)),
  ...perVerb(PLAN_VERBS, (verb) => (ctx, data) => parsed(ctx, PlanSaveData, data, (d) => savePlan(ctx, verb, d))),
  ...perVerb(RECORD_VERBS, (verb) => (ctx, data) => parsed(ctx, SaveData, data, (d) => save(ctx, verb, d))),
  // The admin actions authorize before they parse (a non-admin is refused whatever the data),
  // and answer data that does not parse with the admin card naming the field.
  ...perVerb(Object.values(ADMIN_VERBS), (verb) => (ctx, data) => handleAdminAction(ctx, verb, data)),
  // The agreement's parties and tasks (§2.1, §3.3): each verb parses its own data in agreement-actions.ts.
  ...perVerb(Object.values(AGREEMENT_VERBS), (verb) => (ctx, data) => handleAgreementAction(ctx, verb, data)),
  // The follow-up reports (issue 10): the hub, its forms, submit, deputy, «vil ikke rapportere».
  ...perVerb(Object.values(REPORT_VERBS), (verb) => (ctx, data) => handleReportAction(ctx, verb, data)),
};

/** Every verb a card may carry; a test checks these against adaptive-cards/ both ways. */
export const HANDLED_VERBS: readonly string[] = Object.keys(HANDLERS);

export async function handleCardAction(ctx: ActionContext, verb: string, data: unknown): Promise<AdaptiveCard> {
  if (Object.hasOwn(HANDLERS, verb)) return HANDLERS[verb as Verb](ctx, data);
  return renderMessageCard(translator(ctx.lang)("invoke.unsupported"));
}

function perVerb<V extends string>(verbs: readonly V[], handler: (verb: V) => Handler): Record<V, Handler> {
  return Object.fromEntries(verbs.map((verb) => [verb, handler(verb)])) as Record<V, Handler>;
}

/** The card's data parsed, or `onInvalid`'s answer (by default: take a fresh card). */
async function parsed<T>(
  ctx: ActionContext,
  schema: z.ZodType<T>,
  data: unknown,
  then: (data: T) => Promise<AdaptiveCard>,
  onInvalid: (error: z.ZodError) => AdaptiveCard = () => invalid(translator(ctx.lang)),
): Promise<AdaptiveCard> {
  const result = schema.safeParse(data);
  return result.success ? then(result.data) : onInvalid(result.error);
}

/** The status card as this person sees it: with the buttons their roles allow. */
export async function personalStatus(ctx: ActionContext, regionId: string, notice?: Personalization["notice"]): Promise<AdaptiveCard> {
  const snapshot = await ctx.app.statusOf(regionId);
  const roles = await ctx.app.people.rolesOf(ctx.actor.id);
  // A refreshed card (Teams refreshes it right after the message is updated) must still offer the undo.
  const undo = notice ? undefined : await ctx.app.lastUndoable(ctx.actor, regionId);
  const shown = notice ?? (undo ? { text: translator(ctx.lang)("notice.canUndo"), style: "default" as const, undo } : undefined);
  return renderStatusCard(snapshot.evaluate(), ctx.app.model, ctx.lang, personalization(roles, shown, ctx.wheel));
}

export function personalization(roles: readonly Role[], notice?: Personalization["notice"], wheel?: WheelLink): Personalization {
  // An admin may record anything, but only the roles a person holds make a step theirs («Dine oppgaver»).
  const duties = roles.filter((role) => role.kind !== "admin");
  return {
    canRecord: (responsible) => mayRecord(roles, responsible),
    isMine: (responsible) => mayRecord(duties, responsible),
    actionId: randomUUID(),
    ...(notice ? { notice } : {}),
    ...(wheel ? { wheel } : {}),
  };
}

/** What a form shows besides the step: a refusal, what was typed, a warning; a warned form keeps its action id. */
type FormExtras = Pick<RecordForm, "error" | "values"> & { late?: Obligation[]; actionId?: string };

async function openForm(ctx: ActionContext, verb: RecordVerb, regionId: string, year: number, params: RequestParams, extras: FormExtras) {
  const t = translator(ctx.lang);
  const today = osloDate(ctx.app.clock());
  const all = await ctx.app.steps(regionId, year);
  const step = all.find((o) => o.key === stepKeyFor(verb, params));
  const range = step && dateRangeFor(verb, params, all, today);
  if (!step || !range) return renderMessageCard(t("refusal.unknown-step", { field: fieldLabel(t, "verb") }));
  const { error, values, late } = extras;
  return renderRecordCard(
    {
      verb,
      params,
      step,
      regionId,
      year,
      // A warned form saves with the same id: a retry of the first «Lagre» after «Lagre likevel» is then a duplicate, not a new warning.
      actionId: extras.actionId ?? randomUUID(),
      today,
      range,
      ...(error ? { error } : {}),
      ...(values ? { values } : {}),
      ...(late ? { late: { steps: late, accept: late.map(lateToken).join(",") } } : {}),
    },
    ctx.lang,
  );
}

async function save(ctx: ActionContext, verb: RecordVerb, data: z.infer<typeof SaveData>): Promise<AdaptiveCard> {
  const t = translator(ctx.lang);
  const { regionId, year, actionId, params } = data;
  const values = inputValues(data);
  const request = RecordRequestSchema.safeParse({ verb, ...params, ...typedInputs(values) });
  if (!request.success) {
    const field = String(request.error.issues[0]?.path[0] ?? "verb");
    return openForm(ctx, verb, regionId, year, params as RequestParams, { error: t("refusal.invalid", { field: fieldLabel(t, field) }), values });
  }
  const allowedRoles = await ctx.app.people.rolesOfNow(ctx.actor.id);
  const result = await ctx.app.record({
    actor: ctx.actor,
    allowed: (responsible) => mayRecord(allowedRoles, responsible),
    regionId,
    year,
    request: request.data,
    actionId,
    now: ctx.app.clock(),
    // What the person confirmed with «Lagre likevel» (the form's lateTokens); a first «Lagre» has none.
    late: { accepted: typeof data.acceptLate === "string" ? data.acceptLate.split(",").filter((token) => token !== "") : [] },
  });
  return afterRecord(ctx, regionId, year, request.data, result, values, actionId);
}

async function afterRecord(
  ctx: ActionContext,
  regionId: string,
  year: number,
  request: RecordRequest,
  result: RecordResult,
  values: Record<string, string>,
  actionId: string,
): Promise<AdaptiveCard> {
  const t = translator(ctx.lang);
  if (result.kind === "refused") {
    const step = await ctx.app.step(regionId, year, stepKeyOf(request));
    const reason = refusalText(result.refusal, t, ctx.lang, step);
    // Nothing to correct on the form: the step is done, or not this person's to record.
    if (result.refusal.code === "already-done" || result.refusal.code === "not-allowed") return personalStatus(ctx, regionId, { text: reason, style: "attention" });
    return openForm(ctx, request.verb, regionId, year, paramsOf(request), { error: reason, values });
  }
  // Nothing written: the form comes back saying which deadline would pass, with «Lagre likevel».
  if (result.kind === "late") return openForm(ctx, request.verb, regionId, year, paramsOf(request), { values, late: result.late, actionId });
  if (result.kind === "duplicate") {
    // A retry after 15 s replaces the first answer: it must still offer the undo.
    const own = result.event && result.event.by.id === ctx.actor.id;
    return personalStatus(ctx, regionId, {
      text: t("notice.duplicate"),
      style: "default",
      ...(own ? { undo: { aggregateId: result.aggregateId, year, eventId: result.event!.id } } : {}),
    });
  }
  const { aggregateId } = result;
  ctx.onChange?.(regionId);
  return personalStatus(ctx, regionId, {
    // The trail's own sentence ("Regionalt dialogmøte vår planlagt 3. juni 2027"), so the banner and «historikk» agree.
    text: t("notice.recorded", { what: eventSentence(result.event.data, { aggregateId, year }, ctx.lang) }),
    style: "good",
    undo: { aggregateId, year, eventId: result.event.id },
  });
}

async function undo(ctx: ActionContext, data: z.infer<typeof UndoData>): Promise<AdaptiveCard> {
  const { regionId, ...undo } = data;
  const result = await ctx.app.undo({ actor: ctx.actor, ...undo, now: ctx.app.clock() });
  return afterUndo(ctx, regionId, result);
}

async function afterUndo(ctx: ActionContext, regionId: string, result: UndoResult): Promise<AdaptiveCard> {
  const t = translator(ctx.lang);
  if (result.kind === "refused") return personalStatus(ctx, regionId, { text: refusalText(result.refusal, t, ctx.lang), style: "attention" });
  if (result.kind === "duplicate") return personalStatus(ctx, regionId, { text: t("notice.duplicate"), style: "default" });
  ctx.onChange?.(regionId);
  return personalStatus(ctx, regionId, { text: t("notice.undone"), style: "default" });
}

/** The refusal's words live with the cards, shared with the tab's API; re-exported for the card actions that import them from here. */
export { refusalText };

function inputValues(data: Record<string, unknown>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const id of INPUT_FIELDS) {
    const v = data[id];
    if (typeof v === "string" && v.trim() !== "") values[id] = v.trim();
    else if (typeof v === "boolean") values[id] = String(v);
  }
  return values;
}

function typedInputs(values: Record<string, string>): Record<string, string | boolean> {
  const typed: Record<string, string | boolean> = { ...values };
  for (const id of ["experiences", "opportunities"] as const) if (id in values) typed[id] = values[id] === "true";
  return typed;
}

function paramsOf(request: RecordRequest): RequestParams {
  const { meeting, agency, party, round, step } = request as Partial<Record<"meeting" | "agency" | "party" | "round" | "step", string>>;
  return Object.fromEntries(Object.entries({ meeting, agency, party, round, step }).filter(([, v]) => v !== undefined)) as RequestParams;
}
