/**
 * The summary card of a report round (`rapport [region]`): what the region coordinator takes to
 * the regional dialogue meeting (§3.1 spring, §3.2 autumn), rendered from the same RoundSummary
 * as the exports, so the card and the papers cannot disagree.
 *
 * - Header: region, round, meeting and due day, the round's phase; the case number of the
 *   agreement's political treatment where recorded.
 * - One line per party agency: delivered (when, by whom), late, missing, or will not report (why).
 *   In autumn, whether the draft of next year's agreement is omforent (§3), and when it is not
 *   because a party does not report this round, which one.
 * - Per task, each responsible agency's status and comment; a long comment shows its beginning,
 *   the rest waits behind «Vis hele teksten» (Action.ToggleVisibility).
 * - «Hva er endret siden forrige runde», then the expectations (spring) or the stances on the
 *   draft (autumn), then the agencies' summaries.
 *
 * Teams refuses cards over 28 KB, and 20 tasks × 3 agencies × 2 000-character comments is far
 * more: long texts share a character budget and are cut with «…» (the card then says the full
 * text is in the export). The budget shrinks until the card fits. Only submitted reports are in
 * a RoundSummary, so no draft can reach this card.
 *
 * The `actions` of the template are the card's action area: the exports add their buttons there.
 */
import { DateTime } from "luxon";
import { formatDate, osloDate, type Lang } from "../domain/calendar.js";
import { AGENCIES, type AgencyId } from "../domain/regions.js";
import type { RoundSummary, SummaryAgency } from "../domain/report-summary.js";
import type { Stance, TaskStatus } from "../domain/reports.js";
import { translator, type Translate } from "../i18n/index.js";
import { regionName } from "./names.js";
import { cardBytes, expandTemplate, MAX_CARD_BYTES, userName, userText, type AdaptiveCard } from "./templates.js";
import { disagreeingText, EXPORT_FORMATS, notReportingText, statusWord } from "../exports/paper.js";

/** How a task's status looks on the card (and in the "what changed" lines). */
export const TASK_STATUS_ICON: Record<TaskStatus, string> = {
  "on-track": "🟢",
  delayed: "🟠",
  done: "✅",
  "not-started": "⚪",
  "not-relevant": "➖",
};

/** Characters of people's long texts (comments, summaries, expectations, stance comments) on one card, at first. */
const TEXT_BUDGET = 16_000;
/** No text is cut shorter than this, however many there are. */
const MIN_TEXT = 60;
/** A comment longer than this shows its beginning; the rest is behind «Vis hele teksten». */
const PREVIEW = 220;
/** The beginning of a task's title in «what changed» (the whole title is in the task's own section). */
const CHANGED_TITLE = 60;
/** Room left under Teams' limit for the activity around the card and the export buttons added to its actions. */
const ENVELOPE_BYTES = 2048;

export function renderReportSummaryCard(summary: RoundSummary, lang: Lang): AdaptiveCard {
  let budget = TEXT_BUDGET;
  for (;;) {
    const card = expandTemplate("report-summary", summaryCardData(summary, lang, budget));
    if (cardBytes(card) <= MAX_CARD_BYTES - ENVELOPE_BYTES || budget <= MIN_TEXT) return card;
    budget = Math.floor(budget * 0.7);
  }
}

interface Cut {
  /** Shown at once: the whole text, or its beginning with «…». */
  shown: string;
  /** The rest, behind the toggle (already with «…» at its start), if any. */
  rest?: string;
}

export function summaryCardData(summary: RoundSummary, lang: Lang, budget = TEXT_BUDGET) {
  const t = translator(lang);
  const agency = (a: AgencyId) => AGENCIES[a].name;
  const status = (s: TaskStatus) => statusWord(s, t);
  const date = (instant: string) => formatDate(osloDate(DateTime.fromISO(instant, { setZone: true })), lang);

  // Every long text on the card shares the budget, so 60 long comments are cut shorter than 3.
  const longTexts = [
    ...summary.tasks.flatMap((s) => s.answers.map((a) => a.comment)),
    ...summary.agencies.flatMap((a) => [a.summary, a.expectations, a.stance?.comment]),
  ].filter((text): text is string => text !== undefined && text !== "");
  const limit = Math.max(MIN_TEXT, Math.floor(budget / Math.max(1, longTexts.length)));
  let truncated = false;
  const clip = (text: string, max: number): string => {
    if (text.length <= max) return text;
    truncated = true;
    return `${text.slice(0, max - 1).trimEnd()}…`;
  };
  const cut = (text: string): Cut => {
    const kept = clip(text, limit);
    if (kept.length <= PREVIEW + 40) return { shown: userText(kept, "block") };
    const at = breakBefore(kept, PREVIEW);
    return { shown: userText(`${kept.slice(0, at).trimEnd()}…`, "block"), rest: userText(`…${kept.slice(at).trimStart()}`, "block") };
  };
  const whole = (text: string) => userText(clip(text, limit), "block");

  const tasks = summary.tasks.map((s, index) => {
    const more: Array<{ text: string }> = [];
    const lines = s.answers.map((a) => {
      const head = t("summary.answer", { icon: TASK_STATUS_ICON[a.status], agency: agency(a.agency), status: status(a.status) });
      if (!a.comment) return { text: head };
      const { shown, rest } = cut(a.comment);
      if (rest) more.push({ text: `**${agency(a.agency)}**: ${rest}` });
      return { text: `${head} – ${shown}` };
    });
    lines.push(...s.unanswered.map((a) => ({ text: t("summary.unanswered", { agency: agency(a) }) })));
    lines.push(...s.notReporting.map((a) => ({ text: t("summary.task.notReporting", { agency: agency(a) }) })));
    if (lines.length === 0) lines.push({ text: t("summary.task.noAnswers") });
    // A no-break space after the number: «1. » at the start of a TextBlock is a Markdown list, indented.
    return { title: `${index + 1}.\u00A0${userText(s.task.title)}`, lines, more, moreId: `summary-more-${s.task.id}` };
  });

  const isAutumn = summary.round === "autumn";
  const views = isAutumn ? stanceLines(summary.agencies, t, agency, whole) : expectationLines(summary.agencies, agency, whole);
  const summaries = summary.agencies.filter((a) => a.summary).map((a) => ({ text: `**${agency(a.agency)}**: ${whole(a.summary!)}` }));

  return {
    title: t("summary.title", { region: regionName(summary.regionId, t), round: t(`summary.round.${summary.round}`), year: summary.year }),
    dates: t("summary.dates", { meeting: formatDate(summary.meetingHeldOn ?? summary.meetingOn, lang), due: formatDate(summary.dueOn, lang) }),
    phase: phaseText(summary, t, lang),
    caseNumber: summary.caseNumber ? t("summary.caseNumber", { caseNumber: userText(summary.caseNumber) }) : "",
    agenciesHeading: t("summary.agencies"),
    agencies: summary.agencies.map((a) => ({ text: agencyLine(a, t, agency(a.agency), date, summary.phase) })),
    omforent: summary.omforent === undefined ? "" : summary.omforent ? t("summary.omforent.yes") : [t("summary.omforent.no"), disagreeingText(summary, t, lang), notReportingText(summary, t, lang)].filter(Boolean).join(" "),
    tasksHeading: t("summary.tasks", { year: summary.year }),
    noTasks: t("summary.tasks.none"),
    tasks,
    showAllTitle: t("summary.showAll"),
    changedHeading: t("summary.changed"),
    changed: changedLines(summary, (c) => t("summary.changed.change", { agency: agency(c.agency), from: status(c.from), to: `${TASK_STATUS_ICON[c.to]} ${status(c.to)}` }), t),
    noChanges: t(summary.previousReported ? "summary.changed.none" : "summary.changed.first"),
    viewsHeading: isAutumn ? t("summary.stances", { next: summary.year + 1 }) : t("summary.expectations"),
    views,
    noViews: !isAutumn && views.length === 0 ? t("summary.expectations.none") : "",
    summariesHeading: t("summary.summaries"),
    summaries,
    // Every text was cut above (tasks, views, summaries), so this is known by now.
    truncated: truncated ? t("summary.truncated") : "",
    refreshTitle: t("summary.refresh"),
    // «Last ned»: the exports (report-export-actions.ts), one button per format.
    // Each agency's report card, one tap away: the coordinator follows up agency by agency (and may write); others read what was sent.
    reportsTitle: t("summary.openReports"),
    reportButtons: summary.agencies.map((a) => ({ title: agency(a.agency), agency: a.agency })),
    downloadTitle: t("export.download"),
    exportFormats: EXPORT_FORMATS.map((format) => ({ title: t(`export.format.${format}`), format })),
    regionId: summary.regionId,
    year: summary.year,
    round: summary.round,
  };
}

/**
 * «What changed»: one line per task, its number and the beginning of its title (the task is listed
 * in full above), then each agency whose status moved.
 */
function changedLines(summary: RoundSummary, change: (c: RoundSummary["changed"][number]) => string, t: Translate): Array<{ text: string }> {
  const numbers = new Map(summary.tasks.map((s, i) => [s.task.id, i + 1]));
  const byTask = new Map<string, RoundSummary["changed"]>();
  for (const c of summary.changed) byTask.set(c.taskId, [...(byTask.get(c.taskId) ?? []), c]);
  return [...byTask].map(([taskId, changes]) => {
    const title = changes[0]!.title;
    const short = title.length > CHANGED_TITLE ? `${title.slice(0, CHANGED_TITLE - 1).trimEnd()}…` : title;
    return { text: t("summary.changed.line", { task: `${numbers.get(taskId)}. ${userText(short)}`, changes: changes.map(change).join(" · ") }) };
  });
}

/** Where to cut a long text for its preview: at the last space before `at`, when there is one not too far back. */
function breakBefore(text: string, at: number): number {
  const space = text.lastIndexOf(" ", at);
  return space > at - 40 ? space : at;
}

function agencyLine(a: SummaryAgency, t: Translate, name: string, date: (instant: string) => string, phase: RoundSummary["phase"]): string {
  switch (a.state) {
    case "submitted":
    case "late":
      return t(`summary.agency.${a.state}`, { agency: name, date: date(a.submittedAt!), name: userName(a.submittedBy ?? "") });
    case "missing":
      // Before the due day a report not in yet is not a failure: ❌ only once it is late.
      return t(phase === "open" || phase === "not-open" ? "summary.agency.pending" : "summary.agency.missing", { agency: name });
    case "will-not-report":
      return t("summary.agency.will-not-report", { agency: name, reason: userText(a.willNotReportReason ?? "") });
  }
}

/** The round's phase in words (the tab's reports view says the same). */
export function phaseText(summary: RoundSummary, t: Translate, lang: Lang): string {
  switch (summary.phase) {
    case "not-open":
      return t("summary.phase.not-open", { date: formatDate(summary.opensOn, lang) });
    case "closed":
      return t("summary.phase.closed", { date: formatDate(summary.meetingHeldOn ?? summary.meetingOn, lang) });
    case "late":
      // «… til møtet er holdt» would promise a meeting still to come when its day has passed.
      return summary.meetingUnrecorded ? t("summary.phase.unrecorded", { date: formatDate(summary.meetingOn, lang) }) : t("summary.phase.late");
    default:
      return t(`summary.phase.${summary.phase}`);
  }
}

/**
 * Autumn (§3.2): each party's stance on the draft, in party order; an agency that has not answered
 * says so, and one marked "will not report" says that instead (its reason is in the agency list).
 */
function stanceLines(agencies: readonly SummaryAgency[], t: Translate, agency: (a: AgencyId) => string, whole: (text: string) => string): Array<{ text: string }> {
  return agencies.map((a) => {
    if (!a.stance) return { text: `**${agency(a.agency)}**: ${t(a.state === "will-not-report" ? "summary.stance.will-not-report" : "summary.stance.none")}` };
    const position = t(`summary.stance.${a.stance.position satisfies Stance}`);
    return { text: `**${agency(a.agency)}**: ${position}${a.stance.comment ? ` – ${whole(a.stance.comment)}` : ""}` };
  });
}

/** Spring (§3.1): the agencies' expectations of challenges and trends in the region next year. */
function expectationLines(agencies: readonly SummaryAgency[], agency: (a: AgencyId) => string, whole: (text: string) => string): Array<{ text: string }> {
  return agencies.filter((a) => a.expectations).map((a) => ({ text: `**${agency(a.agency)}**: ${whole(a.expectations!)}` }));
}
