/** The backfill form: every step from before the tracking start, a date each, saved together. */
import { formatDate, type IsoDate, type Lang } from "../domain/calendar.js";
import type { Obligation } from "../domain/obligations.js";
import { translator } from "../i18n/index.js";
import { sectionsText, stepTitle } from "./names.js";
import { expandTemplate, noTemplate, type AdaptiveCard } from "./templates.js";

export interface BackfillForm {
  regionId: string;
  regionName: string;
  year: number;
  scope: "national" | "region";
  steps: Obligation[];
  trackingStart: IsoDate;
  actionId: string;
  error?: string;
  values?: Record<string, string>;
}

/** Input ids are positions: the step keys travel in the save button's data, in the same order. */
export const backfillInputId = (index: number) => `d${index}`;

export function renderBackfillCard(form: BackfillForm, lang: Lang): AdaptiveCard {
  const t = translator(lang);
  return expandTemplate("backfill", {
    title: t("backfill.title", { region: form.regionName, year: form.year }),
    intro: t("backfill.intro", { date: formatDate(form.trackingStart, lang), track: t(form.scope === "national" ? "track.national" : "track.region") }),
    error: noTemplate(form.error ?? ""),
    rows: form.steps.map((o, i) => ({
      id: backfillInputId(i),
      label: `${stepTitle(o, o.year, form.regionId, t)} (${sectionsText(o.step.sections)}; ${t("detail.deadline", { date: formatDate(o.deadline, lang) })})`,
      value: form.values?.[backfillInputId(i)] ?? "",
    })),
    footer: t("backfill.footer"),
    saveTitle: t("form.save"),
    cancelTitle: t("form.cancel"),
    regionId: form.regionId,
    year: form.year,
    scope: form.scope,
    actionId: form.actionId,
    keys: form.steps.map((o) => o.key),
  });
}
