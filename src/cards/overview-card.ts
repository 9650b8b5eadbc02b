/** The overview card: all fifteen regions and the national track on one card. */
import type { Overview, RegionSummary } from "../app/status.js";
import { formatDate, osloDate, type Lang } from "../domain/calendar.js";
import type { ProcessModel } from "../domain/process.js";
import { translator, type Translate } from "../i18n/index.js";
import { groupTitle } from "./names.js";
import { STATE_LOOK } from "./look.js";
import { expandTemplate, type AdaptiveCard } from "./templates.js";

export function renderOverviewCard(view: Overview, model: ProcessModel, lang: Lang): AdaptiveCard {
  const t = translator(lang);
  return expandTemplate("overview", {
    title: t("overview.title"),
    subtitle: t("overview.subtitle", { years: view.years.join(" / ") }),
    columns: { region: t("overview.columnRegion"), next: t("overview.columnNext"), state: t("overview.columnState") },
    rows: [
      row(t("overview.national"), undefined, view.national, "status", lang, t, "Bolder"),
      ...view.regions.map((r) => row(r.region.name, r.region.id, r, `status ${r.region.name}`, lang, t, "Default")),
    ],
    footer: `${t("status.asOf", { date: formatDate(osloDate(view.now), lang), source: model.source })}.`,
  });
}

function row(name: string, regionId: string | undefined, s: Omit<RegionSummary, "region">, command: string, lang: Lang, t: Translate, weight: string) {
  // "On track" stays in the default colour: light green on white is hard to read.
  const worst = s.overdue > 0 ? "overdue" : s.dueSoon > 0 ? "due-soon" : "waiting";
  return {
    name,
    weight,
    command,
    buttonTitle: t("button.status", { region: name }),
    nextTitle: s.next ? `${STATE_LOOK[s.next[0]!.state].icon} ${groupTitle(s.next, regionId, t)}` : t("overview.nothing"),
    nextDetail: s.next ? t("detail.deadline", { date: formatDate(s.next[0]!.deadline, lang) }) : "",
    stateText: s.overdue + s.dueSoon > 0 ? t("overview.counts", { overdue: s.overdue, dueSoon: s.dueSoon }) : t("overview.allGood"),
    color: STATE_LOOK[worst].color,
  };
}
