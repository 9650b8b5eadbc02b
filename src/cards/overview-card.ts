/** The overview card: all fifteen regions and the national track on one card. */
import type { Overview, RegionSummary } from "../app/status.js";
import { formatDate, osloDate, type Lang } from "../domain/calendar.js";
import type { ProcessModel } from "../domain/process.js";
import { translator, type MessageKey, type Translate } from "../i18n/index.js";
import { groupTitle } from "./names.js";
import { STATE_LOOK } from "./look.js";
import { expandTemplate, type AdaptiveCard } from "./templates.js";

export function renderOverviewCard(view: Overview, model: ProcessModel, lang: Lang): AdaptiveCard {
  const t = translator(lang);
  return expandTemplate("overview", {
    title: t("overview.title"),
    // The cycles as the regions' cards name them: "Syklus 2028 · det som gjenstår av 2027".
    subtitle: view.years.length > 1 ? t("agenda.cycles", { year: view.years[1]!, previous: view.years[0]! }) : t("agenda.cycle", { year: view.years[0]! }),
    columns: { region: t("overview.columnRegion"), next: t("overview.columnNext"), state: t("overview.columnState") },
    rows: [
      // "status nasjonalt": the national track even in a channel where "status" alone means its region.
      overviewRow(t("overview.national"), undefined, view.national, "status nasjonalt", lang, t, "Bolder"),
      ...view.regions.map((r) => overviewRow(r.region.name, r.region.id, r, `status ${r.region.name}`, lang, t, "Default")),
    ],
    footer: `${t("status.asOf", { date: formatDate(osloDate(view.now), lang), source: model.source })}.`,
  });
}

/**
 * A region's row, from the same agenda its status card shows: what is late (and blocked) on the
 * right, the most urgent step not yet past its deadline in the middle — never a step from last June.
 * The tab's overview takes its «Neste» from here too.
 */
export function overviewRow(name: string, regionId: string | undefined, s: Omit<RegionSummary, "region">, command: string, lang: Lang, t: Translate, weight: string) {
  const c = s.agenda.counts;
  // "On track" stays in the default colour: light green on white is hard to read.
  const worst = c.overdue > 0 ? "overdue" : c.blocked > 0 ? "blocked" : c.dueSoon > 0 ? "due-soon" : "waiting";
  const counts = [
    ...(c.overdue > 0 ? [t("agenda.counts.overdue", { count: c.overdue })] : []),
    ...(c.blocked > 0 ? [t("agenda.counts.blocked", { count: c.blocked })] : []),
    ...(c.dueSoon > 0 ? [t("agenda.counts.dueSoon", { count: c.dueSoon })] : []),
  ];
  const next = s.next?.[0];
  return {
    name,
    weight,
    command,
    buttonTitle: t("button.status", { region: name }),
    nextTitle: s.next && next ? `${STATE_LOOK[next.state].icon} ${next.step.external ? t(`external.${next.stepId}` as MessageKey, { next: next.year + 1, year: next.year }) : groupTitle(s.next, regionId, t)}` : t("overview.nothing"),
    nextDetail: next ? t("detail.deadline", { date: formatDate(next.deadline, lang) }) : "",
    stateText: counts.length > 0 ? counts.join(" · ") : t("overview.allGood"),
    color: STATE_LOOK[worst].color,
  };
}
