/**
 * Backfill from a card: open the form with every step from before the tracking start that the
 * person may record, and save the filled-in dates together (all or nothing, one write).
 */
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { backfillInputId, renderBackfillCard } from "../cards/backfill-card.js";
import { stepTitle } from "../cards/names.js";
import type { AdaptiveCard } from "../cards/templates.js";
import { parseIsoDate } from "../domain/calendar.js";
import type { Obligation } from "../domain/obligations.js";
import { backfillRequest, type RecordRequest } from "../domain/recording.js";
import { mayRecord } from "../domain/roles.js";
import { regionById } from "../domain/regions.js";
import { translator } from "../i18n/index.js";
import { personalStatus, refusalText, type ActionContext } from "./card-actions.js";
import { ActionId, RegionOrNational, Year } from "./card-data.js";

export const BackfillOpenData = z.object({ regionId: RegionOrNational, year: Year, scope: z.enum(["national", "region"]) });
export const BackfillSaveData = z.looseObject({ ...BackfillOpenData.shape, actionId: ActionId, keys: z.array(z.string().max(100)).max(60) });

/** The steps of one aggregate (national or the region's) that can be backfilled by this person. */
async function backfillable(ctx: ActionContext, regionId: string, year: number, scope: "national" | "region"): Promise<Obligation[]> {
  const roles = await ctx.app.people.rolesOf(ctx.actor.id);
  return (await ctx.app.steps(regionId, year)).filter(
    (o) => o.step.scope === scope && mayRecord(roles, o.responsible) && backfillRequest(o, o.deadline) !== undefined,
  );
}

export async function openBackfill(ctx: ActionContext, data: z.infer<typeof BackfillOpenData>, error?: string, values?: Record<string, string>): Promise<AdaptiveCard> {
  const steps = await backfillable(ctx, data.regionId, data.year, data.scope);
  const region = regionById(data.regionId);
  const t = translator(ctx.lang);
  return renderBackfillCard(
    {
      ...data,
      regionName: region?.name ?? t("overview.national"),
      steps,
      trackingStart: region ? ctx.app.settings.regionSetup(region.id).trackingStart : ctx.app.settings.trackingStart,
      actionId: randomUUID(),
      ...(error ? { error } : {}),
      ...(values ? { values } : {}),
    },
    ctx.lang,
  );
}

export async function saveBackfill(ctx: ActionContext, data: z.infer<typeof BackfillSaveData>): Promise<AdaptiveCard> {
  const t = translator(ctx.lang);
  const steps = await ctx.app.steps(data.regionId, data.year);
  const values: Record<string, string> = {};
  const requests: RecordRequest[] = [];
  const requestSteps: Obligation[] = [];
  for (const [i, key] of data.keys.entries()) {
    const raw = (data as Record<string, unknown>)[backfillInputId(i)];
    if (typeof raw !== "string" || raw.trim() === "") continue;
    values[backfillInputId(i)] = raw.trim();
    const step = steps.find((o) => o.key === key);
    const date = parseIsoDate(raw.trim());
    const request = step && date ? backfillRequest(step, date) : undefined;
    if (!step || !request) {
      const title = step ? stepTitle(step, step.year, data.regionId, t) : key;
      return openBackfill(ctx, data, t("backfill.refused", { step: title, reason: t("refusal.invalid", { field: t("form.field.date") }) }), values);
    }
    requests.push(request);
    requestSteps.push(step);
  }
  if (requests.length === 0) return openBackfill(ctx, data, t("backfill.nothing"), values);
  const roles = await ctx.app.people.rolesOfNow(ctx.actor.id);
  const result = await ctx.app.backfill({
    actor: ctx.actor,
    allowed: (responsible) => mayRecord(roles, responsible),
    regionId: data.regionId,
    year: data.year,
    requests,
    actionId: data.actionId,
    now: ctx.app.clock(),
  });
  if (result.kind === "refused") {
    const step = requestSteps[result.index]!;
    const reason = refusalText(result.refusal, t, ctx.lang, step);
    return openBackfill(ctx, data, t("backfill.refused", { step: stepTitle(step, step.year, data.regionId, t), reason }), values);
  }
  if (result.kind === "duplicate") return personalStatus(ctx, data.regionId, { text: t("notice.duplicate"), style: "default" });
  ctx.onChange?.(data.regionId);
  return personalStatus(ctx, data.regionId, { text: t("notice.backfilled", { count: result.events.length }), style: "good" });
}
