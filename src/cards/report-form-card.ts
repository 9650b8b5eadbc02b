/**
 * The report's forms (issue 10), opened from the hub (report-hub-card.ts): a few of the
 * agreement's tasks at a time (status and comment each), or the free-text part — the summary and
 * (spring, §3.1) the expectations for next year or (autumn, §3.2/§3) the stance on the draft of
 * next year's agreement. «Lagre» saves a draft and brings the hub back.
 */
import type { ReportHubView } from "../app/reports.js";
import type { Lang } from "../domain/calendar.js";
import { AGENCIES } from "../domain/regions.js";
import { STANCES, TASK_STATUSES } from "../domain/reports.js";
import { translator, type Translate } from "../i18n/index.js";
import { excerpt, reportTitle, stanceName, statusName, taskNumbers } from "./report-hub-card.js";
import { expandTemplate, noTemplate, userText, type AdaptiveCard } from "./templates.js";

/** A description is context on the form, not the answer: its beginning is enough. */
const DESCRIPTION_CHARS = 300;

export interface ReportForm {
  view: ReportHubView;
  /** `tasks`: the tasks `taskIds` (a small group); `general`: the summary and the round's own question. */
  kind: "tasks" | "general";
  taskIds: readonly string[];
  actionId: string;
  /** A refusal, naming the field. */
  error?: string;
  /** What was typed on the refused form (input id → text), shown again instead of the stored answers. */
  values?: Readonly<Record<string, string>>;
}

export function renderReportFormCard(form: ReportForm, lang: Lang): AdaptiveCard {
  const t = translator(lang);
  const { view } = form;
  const all = [...view.own, ...view.others];
  const typed = (id: string, stored: string | undefined) => noTemplate(form.values?.[id] ?? stored ?? "");
  const shown = form.kind === "tasks" ? all.filter((x) => form.taskIds.includes(x.task.id)) : [];
  const c = view.content;
  return expandTemplate("report-form", {
    regionId: view.regionId,
    year: view.year,
    round: view.round,
    agency: view.agency,
    kind: form.kind,
    title: reportTitle(view, t),
    subtitle: form.kind === "tasks" ? tasksSubtitle(shown.map((x) => x.n), all.length, t) : t("report.form.general"),
    error: noTemplate(form.error ?? ""),
    tasks: shown.map((x) => ({
      // No-break space: «4. » at the start of a TextBlock would be an indented Markdown list.
      heading: `${x.n}.\u00A0${userText(x.task.title)}`,
      detail: taskDetail(x.task, t),
      statusId: `status-${x.task.id}`,
      commentId: `comment-${x.task.id}`,
      status: typed(`status-${x.task.id}`, x.answer?.status),
      comment: typed(`comment-${x.task.id}`, x.answer?.comment),
    })),
    statuses: TASK_STATUSES.map((s) => ({ title: statusName(s, t), value: s })),
    stances: STANCES.map((s) => ({ title: stanceName(s, t), value: s })),
    values: {
      summary: typed("summary", c.summary),
      expectations: typed("expectations", c.expectations),
      stance: typed("stance", c.stance?.position),
      stanceComment: typed("stanceComment", c.stance?.comment),
    },
    labels: {
      status: t("report.field.status"),
      statusPlaceholder: t("report.field.statusPlaceholder"),
      comment: t("report.field.comment"),
      summary: t("report.field.summary"),
      expectations: t("report.field.expectations"),
      stance: t("report.field.stance", { next: view.year + 1 }),
      stanceComment: t("report.field.stanceComment"),
    },
    note: t("report.form.note"),
    saveTitle: t("form.save"),
    backTitle: t("report.form.back"),
    taskIds: shown.map((x) => x.task.id).join(","),
    actionId: form.actionId,
  });
}

/** «Oppgave 1, 4 av 6»: the agreement's numbers, as on the hub's button and the agreement card. */
function tasksSubtitle(numbers: readonly number[], total: number, t: Translate): string {
  return t("report.form.tasks", { count: numbers.length, numbers: taskNumbers(numbers), total });
}

/** Who is responsible, the indicator and where in the plan it comes from (§2), then the description's beginning. */
function taskDetail(task: ReportHubView["own"][number]["task"], t: Translate): string {
  const parties = task.responsible.map((p) => (p === "region" ? t("report.party.region") : AGENCIES[p].name)).join(", ");
  const parts = [t("report.form.responsible", { parties })];
  if (task.indicator) parts.push(t("report.form.indicator", { text: userText(task.indicator) }));
  if (task.planRef) parts.push(t("report.form.planRef", { text: userText(task.planRef) }));
  const head = parts.join(" · ");
  return task.description ? `${head}\n\n${userText(excerpt(task.description, DESCRIPTION_CHARS))}` : head;
}
