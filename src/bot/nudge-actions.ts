/**
 * The nudge card's snooze (`nudge.snooze`): parse → the snooze use case → a short answer that
 * replaces the card, naming the step and the day, with a button back to the status.
 */
import { z } from "zod";
import { renderMessageCard } from "../cards/simple-cards.js";
import { stepTitle } from "../cards/names.js";
import { userText, type AdaptiveCard } from "../cards/templates.js";
import { formatDate } from "../domain/calendar.js";
import { NATIONAL } from "../domain/regions.js";
import { translator } from "../i18n/index.js";
import type { ActionContext } from "./card-actions.js";
import { RegionOrNational, Year } from "./card-data.js";
import { refusalText } from "./card-actions.js";

/** The id of the card's date input travels with the button (several steps on one card, one input each). */
export const SnoozeData = z.looseObject({
  regionId: RegionOrNational,
  year: Year,
  stepKey: z.string().min(1).max(100),
  for: z.enum(["week", "date"]),
  dateField: z.string().regex(/^snoozeUntil\d{1,2}$/).optional(),
});

export async function snooze(ctx: ActionContext, data: z.infer<typeof SnoozeData>): Promise<AdaptiveCard> {
  const t = translator(ctx.lang);
  const picked = data.dateField ? data[data.dateField] : undefined;
  const result = await ctx.app.snooze({
    actor: ctx.actor,
    conversationKey: ctx.conversationKey,
    regionId: data.regionId,
    year: data.year,
    stepKey: data.stepKey,
    until: data.for === "week" ? { kind: "week" } : { kind: "date", text: typeof picked === "string" ? picked.trim() : undefined },
  });
  const statusButton = [{ title: t("nudge.statusButton"), value: "status" }];
  switch (result.kind) {
    case "snoozed": {
      const step = stepTitle(result.obligation, data.year, data.regionId === NATIONAL ? undefined : data.regionId, t);
      const key = result.where === "channel" ? "nudge.snoozedChannel" : "nudge.snoozed";
      return renderMessageCard(t(key, { date: formatDate(result.until, ctx.lang), step }), "", statusButton);
    }
    case "unknown-step":
      return renderMessageCard(t("invoke.unsupported"));
    case "nothing-to-snooze":
      return renderMessageCard(t("nudge.snoozeNothing", { step: stepTitle(result.obligation, data.year, data.regionId === NATIONAL ? undefined : data.regionId, t) }), "", statusButton);
    case "date-missing":
      return renderMessageCard(t("nudge.snoozeDateMissing"), "", statusButton);
    case "date-invalid":
      return renderMessageCard(t("nudge.snoozeDateInvalid", { text: userText(result.text.slice(0, 40)) }), "", statusButton);
    case "date-out-of-range":
      return renderMessageCard(t("nudge.snoozeDateRange", { from: formatDate(result.from, ctx.lang), to: formatDate(result.to, ctx.lang) }), "", statusButton);
    case "not-allowed":
      return renderMessageCard(t("nudge.snoozeNotAllowed"), refusalText({ code: "not-allowed" }, t, ctx.lang, result.obligation), statusButton);
  }
}
