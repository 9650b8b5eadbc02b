/** The region's plan and action plan from a card (§2): open the form, save it, show the card again. */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { renderPlanCard } from "../cards/plan-card.js";
import type { AdaptiveCard } from "../cards/templates.js";
import { formatDate, osloDate } from "../domain/calendar.js";
import { PlanRequestSchema, type PlanRequest } from "../domain/recording.js";
import { regionById } from "../domain/regions.js";
import { mayRecord } from "../domain/roles.js";
import { translator } from "../i18n/index.js";
import { personalStatus, refusalText, type ActionContext } from "./card-actions.js";
import { ActionId, fieldLabel, RegionId, Year } from "./card-data.js";

export const PlanOpenData = z.object({ regionId: RegionId, year: Year, kind: z.enum(["regional", "action"]) });
export const PlanSaveData = z.looseObject({ regionId: RegionId, year: Year, actionId: ActionId });
const INPUTS = ["from", "to", "title", "date", "link"] as const;

export async function openPlan(ctx: ActionContext, data: z.infer<typeof PlanOpenData>, error?: string, values?: Record<string, string>): Promise<AdaptiveCard> {
  const state = await ctx.app.cycleState(data.regionId, data.year);
  const current =
    data.kind === "regional"
      ? state.regionalPlan
      : state.actionPlan
        ? { date: state.actionPlan.adoptedOn, ...(state.actionPlan.link ? { link: state.actionPlan.link } : {}) }
        : undefined;
  return renderPlanCard(
    {
      ...data,
      regionName: regionById(data.regionId)!.name,
      actionId: randomUUID(),
      today: osloDate(ctx.app.clock()),
      ...(current ? { current } : {}),
      ...(error ? { error } : {}),
      ...(values ? { values } : {}),
    },
    ctx.lang,
  );
}

export async function savePlan(ctx: ActionContext, verb: PlanRequest["verb"], data: z.infer<typeof PlanSaveData>): Promise<AdaptiveCard> {
  const t = translator(ctx.lang);
  const kind = verb === "plan.regional" ? "regional" : "action";
  const values: Record<string, string> = {};
  for (const id of INPUTS) {
    const raw = (data as Record<string, unknown>)[id];
    if (typeof raw === "string" && raw.trim() !== "") values[id] = raw.trim();
  }
  const reopen = (error: string) => openPlan(ctx, { regionId: data.regionId, year: data.year, kind }, error, values);
  const request = PlanRequestSchema.safeParse({ verb, ...values });
  if (!request.success) {
    const field = String(request.error.issues[0]?.path[0] ?? "verb");
    return reopen(t("refusal.invalid", { field: fieldLabel(t, field, "plan") }));
  }
  const roles = await ctx.app.people.rolesOfNow(ctx.actor.id);
  const result = await ctx.app.recordPlan({
    actor: ctx.actor,
    allowed: mayRecord(roles, { role: "region-coordinator", regionId: data.regionId }),
    regionId: data.regionId,
    year: data.year,
    request: request.data,
    actionId: data.actionId,
    now: ctx.app.clock(),
  });
  if (result.kind === "refused") {
    const reason = result.refusal.code === "not-allowed" ? t("refusal.not-allowed", { who: regionById(data.regionId)!.authority }) : refusalText(result.refusal, t, ctx.lang);
    return reopen(reason);
  }
  if (result.kind === "duplicate") return personalStatus(ctx, data.regionId, { text: t("notice.duplicate"), style: "default" });
  ctx.onChange?.(data.regionId);
  const what =
    request.data.verb === "plan.regional"
      ? t("history.what.regional-plan-recorded", { from: request.data.from, to: request.data.to })
      : t("history.what.action-plan-recorded", { year: data.year, date: formatDate(request.data.date, ctx.lang) });
  return personalStatus(ctx, data.regionId, { text: `✅ ${what}.`, style: "good" });
}
