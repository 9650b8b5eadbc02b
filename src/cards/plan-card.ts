/** The form for the region's plan (§2: four years) or the year's action plan. */
import type { IsoDate, Lang } from "../domain/calendar.js";
import { translator } from "../i18n/index.js";
import { expandTemplate, noTemplate, type AdaptiveCard } from "./templates.js";

export interface PlanForm {
  kind: "regional" | "action";
  regionId: string;
  regionName: string;
  year: number;
  actionId: string;
  today: IsoDate;
  current?: { from?: number; to?: number; title?: string; link?: string; date?: IsoDate };
  error?: string;
  values?: Record<string, string>;
}

export function renderPlanCard(form: PlanForm, lang: Lang): AdaptiveCard {
  const t = translator(lang);
  const v = (id: string, fallback: string) => noTemplate(form.values?.[id] ?? fallback);
  return expandTemplate("plan", {
    kind: form.kind,
    title: form.kind === "regional" ? t("plan.title.regional", { region: form.regionName }) : t("plan.title.action", { region: form.regionName, year: form.year }),
    intro: t(form.kind === "regional" ? "plan.intro.regional" : "plan.intro.action"),
    error: noTemplate(form.error ?? ""),
    labels: {
      from: t("form.field.from"),
      to: t("form.field.to"),
      title: t("form.field.title"),
      date: t("form.field.adopted"),
      link: t("form.field.planLink"),
      required: t("form.required"),
    },
    values: {
      from: v("from", String(form.current?.from ?? form.year)),
      to: v("to", String(form.current?.to ?? form.year + 3)),
      title: v("title", form.current?.title ?? ""),
      date: v("date", form.current?.date ?? form.today),
      link: v("link", form.current?.link ?? ""),
    },
    saveTitle: t("form.save"),
    cancelTitle: t("form.cancel"),
    regionId: form.regionId,
    year: form.year,
    actionId: form.actionId,
  });
}
