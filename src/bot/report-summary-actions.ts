/**
 * The summary of a report round in Teams: the `rapport [region] [vår|høst] [år]` command and the
 * `report.summary` card action (the card's «Oppdater»). Both are thin: find the region and round,
 * call `app.papers`, render the card. Anyone may look; the summary holds submitted reports only.
 */
import { z } from "zod";
import type { App } from "../app/app.js";
import { renderReportSummaryCard } from "../cards/report-summary-card.js";
import { renderMessageCard } from "../cards/simple-cards.js";
import { userText, type AdaptiveCard } from "../cards/templates.js";
import type { Lang } from "../domain/calendar.js";
import { ROUNDS, type Round } from "../domain/process.js";
import { matchRegion, regionById, REGIONS } from "../domain/regions.js";
import { translator } from "../i18n/index.js";
import type { ActionContext } from "./card-actions.js";
import { RegionId, Year } from "./card-data.js";
import type { Command } from "./commands.js";

/** What the summary card's buttons send back: which region and round. */
export const ReportSummaryData = z.object({ regionId: RegionId, year: Year, round: z.enum(ROUNDS) });

/** `report.summary`: the round's summary as it stands now, replacing the card that was clicked. */
export async function reportSummary(ctx: ActionContext, data: z.infer<typeof ReportSummaryData>): Promise<AdaptiveCard> {
  return summaryCard(ctx.app, data.regionId, data.year, data.round, ctx.lang);
}

async function summaryCard(app: App, regionId: string, year: number, round: Round, lang: Lang): Promise<AdaptiveCard> {
  const summary = await app.papers.summary(regionId, year, round);
  if (summary) return renderReportSummaryCard(summary, lang);
  const t = translator(lang);
  return renderMessageCard(t("summary.noRound", { region: regionById(regionId)!.name, round: t(`summary.round.${round}`), year }));
}

/**
 * `rapport [region] [vår|høst] [år]`. The region: as named; else the one this conversation is
 * bound to; else the person's own (region coordinator, or an agency's regional contact); with
 * several or none, the person is asked which. The round: as written, else the one that matters
 * now (app.papers.chooseRound).
 */
export async function answerReport(
  app: App,
  command: Extract<Command, { kind: "report" }>,
  who: { personId?: string | undefined; conversationKey?: string | undefined },
  lang: Lang,
): Promise<AdaptiveCard> {
  const t = translator(lang);
  const word = lang === "en" ? "report" : "rapport";
  const asWritten = [command.round ? t(`summary.round.${command.round}`) : undefined, command.year].filter((w) => w !== undefined).join(" ");
  const ask = (regionIds: string[]) =>
    renderMessageCard(
      t("summary.askRegion"),
      "",
      regionIds.map((id) => ({ title: regionById(id)!.name, value: [word, regionById(id)!.name, asWritten].filter(Boolean).join(" ") })),
    );

  let regionId: string;
  if (command.regionQuery !== undefined) {
    const match = matchRegion(command.regionQuery);
    if (match.kind === "unknown") {
      const suggestions = match.suggestions.map((r) => ({ title: r.name, value: [word, r.name, asWritten].filter(Boolean).join(" ") }));
      const detail = suggestions.length > 0 ? t("unknownRegion.suggest") : t("unknownRegion.list", { regions: REGIONS.map((r) => r.name).join(", ") });
      return renderMessageCard(t("unknownRegion.text", { query: userText(command.regionQuery.slice(0, 60)) }), detail, suggestions);
    }
    regionId = match.region.id;
  } else {
    const bound = who.conversationKey !== undefined ? await app.people.binding(who.conversationKey) : undefined;
    const own = bound ? [bound.regionId] : await ownRegions(app, who.personId);
    if (own.length !== 1) return ask(own);
    regionId = own[0]!;
  }

  const chosen = await app.papers.chooseRound(regionId, { ...(command.year !== undefined ? { year: command.year } : {}), ...(command.round ? { round: command.round } : {}) });
  if (!chosen) return renderMessageCard(t("summary.noRounds", { region: regionById(regionId)!.name }));
  return summaryCard(app, regionId, chosen.year, chosen.round, lang);
}

/** The regions a person's roles make theirs: as region coordinator or an agency's regional contact. */
async function ownRegions(app: App, personId: string | undefined): Promise<string[]> {
  if (!personId) return [];
  const roles = await app.people.rolesOf(personId);
  return [...new Set(roles.flatMap((r) => (r.kind === "region-coordinator" || (r.kind === "agency-rep" && r.regionId !== undefined) ? [r.regionId!] : [])))];
}
