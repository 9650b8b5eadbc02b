/**
 * The report hub (issue 10): ONE card per agency × region × round, where an agency follows up
 * the agreement's tasks (§3.1 spring, §3.2 autumn). Each task it is responsible for is one line
 * with its status; the answers are written in small forms (report-form-card.ts: a few tasks at a
 * time, never all twenty in one), each of which saves a draft and brings this card back. The
 * card refreshes itself (Universal Actions `refresh`), so whoever opens it sees it as it is now.
 */
import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import type { ReportHubView } from "../app/reports.js";
import { compareIsoDate, formatDate, type Lang } from "../domain/calendar.js";
import type { Round } from "../domain/process.js";
import { AGENCIES, regionById, type AgencyId } from "../domain/regions.js";
import { REPORT_LIMITS, type Stance, type TaskAnswer, type TaskStatus } from "../domain/reports.js";
import { translator, type MessageKey, type Translate } from "../i18n/index.js";
import { personLabel, personText } from "./people-cards.js";
import { expandTemplate, noTemplate, userName, userText, type AdaptiveCard } from "./templates.js";

/** Tasks per form: Teams forms are awkward at length (the issue: do not put 20 tasks in one). */
export const TASKS_PER_FORM = 4;
/** A comment's excerpt on the hub line; the whole comment is on the form and in the summary. */
const EXCERPT_CHARS = 90;

/** A glyph per status, so the state of the list reads without colour. */
export const STATUS_ICON: Record<TaskStatus, string> = {
  "on-track": "🟢",
  delayed: "🟠",
  done: "✅",
  "not-started": "⚪",
  "not-relevant": "➖",
};
const UNANSWERED_ICON = "❔";

export interface HubNotice {
  text: string;
  style: "good" | "attention" | "default";
}

export const roundName = (round: Round, t: Translate) => t(`report.round.${round}` as MessageKey);
export const statusName = (status: TaskStatus, t: Translate) => t(`report.status.${status}` as MessageKey);
export const stanceName = (stance: Stance, t: Translate) => t(`report.stance.${stance}` as MessageKey);

/** «Oppfølgingsrapport vår 2027 · Innovasjon Norge · Vestland»: whoever represents IN in three regions tells the three apart. */
export function reportTitle(at: { regionId: string; year: number; round: Round; agency: AgencyId }, t: Translate): string {
  return t("report.hub.title", { round: roundName(at.round, t), year: at.year, agency: AGENCIES[at.agency].name, region: regionById(at.regionId)?.name ?? at.regionId });
}

/** The hub as this reader sees it; `notice`: what their last click did. */
export function renderReportHubCard(view: ReportHubView, lang: Lang, notice?: HubNotice): AdaptiveCard {
  const t = translator(lang);
  const date = (d: string) => formatDate(d, lang);
  const agency = AGENCIES[view.agency].name;
  const region = regionById(view.regionId)?.name ?? view.regionId;
  const canEdit = view.canWrite && (view.phase === "open" || view.phase === "late") && view.willNotReport === undefined;
  const key = { regionId: view.regionId, year: view.year, round: view.round, agency: view.agency };
  const answered = view.own.filter((x) => x.answer !== undefined).length;
  const card = expandTemplate("report-hub", {
    ...key,
    title: reportTitle(view, t),
    phase: phaseLine(view, t, date),
    ...stateLine(view, t, lang),
    deputies: view.deputies.length > 0 ? t("report.hub.deputies", { names: view.deputies.map((d) => personText({ id: d.personId, name: d.name }, t)).join(", ") }) : "",
    notice: notice ? noTemplate(notice.text) : "",
    noticeStyle: notice?.style === "good" ? "good" : notice?.style === "attention" ? "attention" : "default",
    ownHeading:
      view.own.length > 0 ? t("report.hub.own", { agency, answered, count: view.own.length }) : t("report.hub.ownNone", { agency, year: view.year }),
    own: groups(view.own, t),
    othersHeading: t("report.hub.others", { count: view.others.length }),
    othersToggle: t("report.hub.othersToggle"),
    others: groups(view.others, t, true),
    general: generalLines(view, t),
    generalTitle: t(`report.button.general.${view.round}` as MessageKey),
    canEdit,
    // Sending the same answers again would only add a copy: after a submission, only an edit is sent.
    canSubmit: canEdit && (view.submitted === undefined || view.editedSinceSubmit),
    submitTitle: t(view.submitted ? "report.button.resubmit" : "report.button.submit"),
    canNameDeputy: view.canNameDeputy && view.phase !== "closed",
    deputyTitle: t("report.button.deputy"),
    deputyLabel: t("report.deputy.label", { agency, region }),
    deputyPlaceholder: t("report.deputy.placeholder"),
    deputySave: t("report.deputy.save"),
    // At the limit the picker gives way to the reason: remove one to name another.
    deputyFull: view.deputies.length >= REPORT_LIMITS.deputies ? t("report.refusal.too-many-deputies", { agency, max: REPORT_LIMITS.deputies }) : "",
    // Access given can be taken back by the same people (a button title is plain text, not Markdown).
    deputyList: view.deputies.map((d) => ({ title: noTemplate(t("report.deputy.remove", { name: personLabel({ id: d.personId, name: d.name }, t) })), person: d.personId })),
    canWaive: view.canWaive && view.phase !== "closed" && view.willNotReport === undefined && view.submitted === undefined,
    waiveTitle: t("report.button.waive"),
    waiveLabel: t("report.waive.label", { agency }),
    waiveSave: t("report.waive.save"),
    // A wrong agency marked can be taken back by the same people, while the meeting is not held.
    canUnwaive: view.canWaive && view.phase !== "closed" && view.willNotReport !== undefined,
    unwaiveTitle: t("report.button.unwaive"),
    // The way back: the region's status card, and the round's summary once the round has opened.
    statusTitle: t("report.button.status"),
    canSummary: view.phase !== "not-open",
    summaryTitle: t("report.button.summary"),
    requiredText: t("form.required"),
    actionId: randomUUID(),
  });
  // Refreshed when its reader opens it again, so yesterday's hub does not show old answers or offer a
  // closed round. Teams: without `userIds` a card refreshes automatically for every member of a chat
  // or channel of up to 60 people (each one a turn with store reads, for a card that is the reader's)
  // and for nobody in a larger one; so the reader alone is named. Their Teams MRI is `8:orgid:` +
  // Entra object id, a form Teams takes in `userIds` as well as `29:…` ("Work with Universal Actions
  // for Adaptive Cards"; "Universal Actions for search based message extensions"), and the only one
  // the nudge run has for a person.
  return { ...card, refresh: { action: { type: "Action.Execute", verb: "report.open", title: t("report.refresh"), data: key }, userIds: [teamsUserId(view.readerId)] } };
}

/** A person's Teams user MRI from their Entra object id (the `8:orgid:` form). */
export const teamsUserId = (personId: string) => `8:orgid:${personId}`;

function phaseLine(view: ReportHubView, t: Translate, date: (d: string) => string): string {
  const { window } = view;
  switch (view.phase) {
    case "not-open":
      return t("report.phase.not-open", { opens: date(window.opensOn), due: date(window.dueOn), meeting: date(window.meetingOn) });
    case "open":
      return t("report.phase.open", { due: date(window.dueOn), meeting: date(window.meetingOn) });
    case "late":
      // The meeting's day has passed but nobody has recorded it as held: answers are taken until someone does.
      if (compareIsoDate(view.today, window.meetingOn) > 0)
        return t("report.phase.meetingNotRecorded", { due: date(window.dueOn), meeting: date(window.meetingOn), button: t("form.button.meeting.held") });
      return t("report.phase.late", { due: date(window.dueOn), meeting: date(window.meetingOn) });
    case "closed":
      return t("report.phase.closed", { held: date(window.heldOn ?? window.meetingOn) });
  }
}

function stateLine(view: ReportHubView, t: Translate, lang: Lang): { state: string; stateColor: string } {
  const when = (iso: string) => formatDate(DateTime.fromISO(iso, { zone: "Europe/Oslo" }).toISODate()!, lang);
  if (view.willNotReport) return { state: t("report.state.waived", { reason: userText(view.willNotReport.reason) }), stateColor: "Default" };
  if (!view.canWrite && !view.submitted) return { state: t("report.state.notSubmitted"), stateColor: "Default" };
  if (view.editedSinceSubmit) return { state: t("report.state.edited"), stateColor: "Warning" };
  if (view.submitted) {
    const s = view.submitted;
    const key: MessageKey = s.late ? "report.state.submittedLate" : "report.state.submitted";
    return { state: t(key, { date: when(s.at), name: userName(s.by) }), stateColor: "Good" };
  }
  if (view.source === "draft") return { state: t("report.state.draft"), stateColor: "Warning" };
  if (view.source === "previous-round") return { state: t("report.state.previous"), stateColor: "Default" };
  return { state: t("report.state.empty"), stateColor: "Default" };
}

/** «🟢 3. Title» and under it «I rute – the comment's beginning…». */
function taskLine(title: string, answer: TaskAnswer | undefined, n: number, t: Translate, optional = false): { text: string; detail: string } {
  const icon = answer ? STATUS_ICON[answer.status] : optional ? "▫️" : UNANSWERED_ICON;
  const status = answer ? statusName(answer.status, t) : t(optional ? "report.task.optional" : "report.task.unanswered");
  const comment = answer?.comment ? ` – ${userText(excerpt(answer.comment))}` : "";
  return { text: `${icon} ${n}. ${userText(title)}`, detail: `${status}${comment}` };
}

export function excerpt(text: string, chars = EXCERPT_CHARS): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= chars ? flat : `${flat.slice(0, chars - 1).trimEnd()}…`;
}

/**
 * The tasks in small groups, each followed by its own button «Svar på oppgave 1, 4» (one button a
 * row: a row of four would be cut short on a phone), numbered as the agreement numbers them.
 */
function groups(tasks: ReportHubView["own"], t: Translate, optional = false): Array<{ lines: Array<{ text: string; detail: string }>; title: string; tasks: string }> {
  const result: Array<{ lines: Array<{ text: string; detail: string }>; title: string; tasks: string }> = [];
  for (let i = 0; i < tasks.length; i += TASKS_PER_FORM) {
    const chunk = tasks.slice(i, i + TASKS_PER_FORM);
    result.push({
      lines: chunk.map((x) => taskLine(x.task.title, x.answer, x.n, t, optional)),
      title: t("report.button.tasks", { count: chunk.length, numbers: taskNumbers(chunk.map((x) => x.n)) }),
      tasks: chunk.map((x) => x.task.id).join(","),
    });
  }
  return result;
}

/** «1, 4» or «5–8»: the agreement's numbers, a run of two or more written as a range. */
export function taskNumbers(numbers: readonly number[]): string {
  const runs: Array<[number, number]> = [];
  for (const n of numbers) {
    const last = runs.at(-1);
    if (last && n === last[1] + 1) last[1] = n;
    else runs.push([n, n]);
  }
  return runs.map(([from, to]) => (from === to ? String(from) : `${from}–${to}`)).join(", ");
}

/** The summary and (spring) the expectations or (autumn) the stance on next year's draft, one line each. */
function generalLines(view: ReportHubView, t: Translate): Array<{ text: string }> {
  const c = view.content;
  const text = (value: string | undefined) => (value ? userText(excerpt(value, 160)) : t("report.hub.notWritten"));
  const lines = [{ text: t("report.hub.summary", { text: text(c.summary) }) }];
  if (view.round === "spring") lines.push({ text: t("report.hub.expectations", { text: text(c.expectations) }) });
  else {
    const stance = c.stance ? stanceName(c.stance.position, t) + (c.stance.comment ? ` – ${text(c.stance.comment)}` : "") : t("report.hub.stanceNone");
    lines.push({ text: t("report.hub.stance", { next: view.year + 1, stance }) });
  }
  return lines;
}

