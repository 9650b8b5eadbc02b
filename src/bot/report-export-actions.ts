/**
 * `report.export` (the summary card's «Last ned»): the round's papers as a file. In a 1:1 chat
 * the file is offered as a Teams file card (report-files.ts), and the card clicked answers with
 * the other formats (and links, when the app has a public address); in a channel or group chat,
 * fresh signed download links. Anyone who may see the summary may export it: the papers hold
 * submitted reports only (report-exports.ts).
 */
import { z } from "zod";
import { renderExportCard } from "../cards/report-export-card.js";
import { renderMessageCard } from "../cards/simple-cards.js";
import type { AdaptiveCard } from "../cards/templates.js";
import { EXPORT_FORMATS } from "../exports/index.js";
import { regionDisplayName } from "../exports/paper.js";
import { translator } from "../i18n/index.js";
import type { ActionContext } from "./card-actions.js";
import { ReportSummaryData } from "./report-summary-actions.js";

export const ExportData = ReportSummaryData.extend({ format: z.enum(EXPORT_FORMATS) });

export async function exportReport(ctx: ActionContext, data: z.infer<typeof ExportData>): Promise<AdaptiveCard> {
  const t = translator(ctx.lang);
  const { regionId, year, round, format } = data;
  const request = { regionId, year, round, lang: ctx.lang };
  const view = { regionId, year, round, linkMinutes: ctx.app.exports.linkMinutes };
  if (ctx.offerFile) {
    const file = await ctx.app.exports.file({ ...request, format });
    if (!file) return renderMessageCard(t("export.card.unknown", { region: regionDisplayName(regionId), year }));
    await ctx.offerFile({
      name: file.name,
      size: file.bytes.length,
      description: t("export.file.description", { region: regionDisplayName(regionId), round: t(`summary.round.${round}`), year }),
      context: { ...request, format },
    });
    const links = await ctx.app.exports.links(request);
    return renderExportCard({ ...view, offered: { fileName: file.name, format }, ...(links ? { links } : {}) }, ctx.lang);
  }
  const links = await ctx.app.exports.links(request);
  return renderExportCard({ ...view, ...(links ? { links } : {}) }, ctx.lang);
}
