/**
 * The audit trail in Teams: the `historikk [region]` / `history [region]` command and the
 * `history.page` card action («Nyere» / «Eldre»). Both are thin: parse, call `app.history`,
 * render the card.
 */
import { z } from "zod";
import type { App } from "../app/app.js";
import { renderHistoryCard } from "../cards/history-card.js";
import { renderMessageCard } from "../cards/simple-cards.js";
import { userText, type AdaptiveCard } from "../cards/templates.js";
import type { Lang } from "../domain/calendar.js";
import { NATIONAL, REGIONS } from "../domain/regions.js";
import { translator } from "../i18n/index.js";
import type { ActionContext } from "./card-actions.js";
import { RegionOrNational } from "./card-data.js";
import type { Command } from "./commands.js";

/** What the paging buttons send: the region (or `national`) and the page wanted (1-based). */
export const HistoryPageData = z.object({ regionId: RegionOrNational, page: z.coerce.number().int().min(1).max(100_000) });

/** `history.page`: another page of the trail, replacing the card that was clicked. */
export async function historyPage(ctx: ActionContext, data: z.infer<typeof HistoryPageData>): Promise<AdaptiveCard> {
  return renderHistoryCard(await ctx.app.historyOf(data.regionId, data.page), ctx.lang);
}


/**
 * `historikk [region]`: a named region; without one the region the conversation is bound to,
 * else the national track; `historikk nasjonalt` is the national track anywhere. An unknown
 * region gets the same suggestions as `status`, as buttons that ask for the history.
 */
export async function answerHistory(app: App, command: Extract<Command, { kind: "history" }>, conversationKey: string | undefined, lang: Lang): Promise<AdaptiveCard> {
  if (command.national) return renderHistoryCard(await app.historyOf(NATIONAL), lang);
  const answer = await app.history(command.regionQuery, conversationKey);
  if (answer.kind === "history") return renderHistoryCard(answer.history, lang);
  const t = translator(lang);
  const word = lang === "en" ? "history" : "historikk";
  const suggestions = answer.suggestions.map((r) => ({ title: r.name, value: `${word} ${r.name}` }));
  const detail = suggestions.length > 0 ? t("unknownRegion.suggest") : t("unknownRegion.list", { regions: REGIONS.map((r) => r.name).join(", ") });
  return renderMessageCard(t("unknownRegion.text", { query: userText(answer.query.slice(0, 60)) }), detail, suggestions);
}
