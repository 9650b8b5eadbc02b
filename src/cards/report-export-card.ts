/**
 * The answer to «Last ned» on the summary card (issue 10, the exports): in a 1:1 chat the file
 * comes as a Teams file card below, with fresh signed download links beside it when the app has a
 * public address (PUBLIC_BASE_URL), else the other formats as file cards a tap away. In a channel
 * or group chat, where Teams has no file card for bots: the links, or without a public address a
 * word to ask in a 1:1 chat. «Tilbake» brings the summary back in place.
 */
import type { Lang } from "../domain/calendar.js";
import type { Round } from "../domain/process.js";
import { EXPORT_FORMATS, type ExportFormat } from "../exports/index.js";
import { regionDisplayName } from "../exports/paper.js";
import { translator } from "../i18n/index.js";
import { expandTemplate, noTemplate, type AdaptiveCard } from "./templates.js";

export interface ExportCardView {
  regionId: string;
  year: number;
  round: Round;
  /** A 1:1 chat: the file was offered as a Teams file card. */
  offered?: { fileName: string; format: ExportFormat };
  /** Signed download links made just now; absent without a public address. */
  links?: ReadonlyArray<{ format: ExportFormat; url: string }>;
  linkMinutes: number;
}

export function renderExportCard(view: ExportCardView, lang: Lang): AdaptiveCard {
  const t = translator(lang);
  const round = t(`summary.round.${view.round}`);
  const region = regionDisplayName(view.regionId);
  const links = (view.links ?? []).map((l) => ({ title: t(`export.format.${l.format}`), url: l.url }));
  const command = `${lang === "en" ? "report" : "rapport"} ${region} ${round} ${view.year}`;
  const text = view.offered
    ? t("export.card.offered", { file: view.offered.fileName })
    : links.length > 0
      ? t("export.card.links", { minutes: view.linkMinutes })
      : t("export.card.privateOnly", { command });
  return expandTemplate("report-export", {
    title: noTemplate(t("export.card.title", { region, round, year: view.year })),
    text: noTemplate(text),
    detail: view.offered && links.length > 0 ? t("export.card.linksToo", { minutes: view.linkMinutes }) : "",
    links,
    otherFormats: t("export.card.otherFormats"),
    // The other formats as file cards too, unless the links already give every format at once.
    formats: view.offered && links.length === 0 ? EXPORT_FORMATS.filter((f) => f !== view.offered!.format).map((format) => ({ title: t(`export.format.${format}`), format })) : [],
    backTitle: t("export.card.back"),
    regionId: view.regionId,
    year: view.year,
    round: view.round,
  });
}
