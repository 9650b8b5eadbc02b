/**
 * A round's compiled summary: what the region coordinator takes to the regional dialogue meeting
 * (§3.1 spring, §3.2 autumn) and to the case file. Pure: built from the agreement, the round's
 * window and the agencies' report documents; the summary card and every export (Markdown, CSV,
 * .docx) render this one structure, so they cannot disagree.
 */
import { compareIsoDate, type IsoDate } from "./calendar.js";
import type { AgreementState, AgreementTask } from "./agreement.js";
import type { Round } from "./process.js";
import { foldName, type AgencyId } from "./regions.js";
import type { ReportContent, RoundPhase, RoundWindow, Stance, TaskStatus } from "./reports.js";

/** One agency's answer on one task, as submitted (drafts never appear here). */
export interface SummaryAnswer {
  agency: AgencyId;
  status: TaskStatus;
  comment?: string;
  /** The status the agency gave this task in the previous round, when it was different ("what changed"). */
  previousStatus?: TaskStatus;
}

export interface SummaryTask {
  task: AgreementTask;
  /**
   * Per responsible agency, in the agreement's party order, then any other party that answered it
   * voluntarily (other tasks are optional, issue 10); an agency that has not answered is absent.
   */
  answers: SummaryAnswer[];
  /** Responsible agencies with no answer on this task (not submitted, or left it out). */
  unanswered: AgencyId[];
  /**
   * Responsible agencies marked "will not report" this round: listed per task too, so every task
   * of the agreement has a line for each of its responsible agencies (the reason is at agency level).
   */
  notReporting: AgencyId[];
}

export interface SummaryAgency {
  agency: AgencyId;
  /** submitted on time, late, not yet, or marked "will not report" (with the reason). */
  state: "submitted" | "late" | "missing" | "will-not-report";
  /** The latest submission: who and when (Europe/Oslo ISO instant), and how many versions there are. */
  submittedAt?: string;
  submittedBy?: string;
  versions: number;
  willNotReportReason?: string;
  summary?: string;
  /** Spring (§3.1). */
  expectations?: string;
  /** Autumn (§3.2, §3): the stance on the draft of next year's agreement. */
  stance?: { position: Stance; comment?: string };
  /** Every submission, oldest first: who answered and when (the archive lists them all). */
  history: Array<{ submittedAt: string; by: string; late: boolean }>;
}

export interface RoundSummary {
  regionId: string;
  /** The agreement year followed up (= the cycle year). */
  year: number;
  round: Round;
  phase: RoundPhase;
  opensOn: IsoDate;
  dueOn: IsoDate;
  meetingOn: IsoDate;
  meetingHeldOn?: IsoDate;
  /**
   * The meeting's date has passed but it is not recorded as held: answers are still taken until it
   * is (reports.ts `roundPhase`), so the papers must not promise a meeting still to come.
   */
  meetingUnrecorded: boolean;
  /** The case number of agreement Y's political treatment (recorded in cycle Y−1, §3.2), where recorded. */
  caseNumber?: string;
  agencies: SummaryAgency[];
  tasks: SummaryTask[];
  /** Tasks whose status moved since the previous round, per agency ("what changed"). */
  changed: Array<{ taskId: string; title: string; agency: AgencyId; from: TaskStatus; to: TaskStatus }>;
  /**
   * Whether anyone submitted a report in the previous round. When nobody did (the first round with
   * reports), "what changed" has nothing to compare with, which is not the same as "nothing moved".
   */
  previousReported: boolean;
  /** Autumn: whether every party agency agreed to the draft (omforent, §3), counting "agree with comments". */
  omforent?: boolean;
}

/**
 * One agency's report as the summary reads it: its submissions and whether it was marked "will
 * not report". A stored ReportDocument fits this shape; its draft is deliberately not part of it,
 * so a draft cannot reach a summary, a card or an export.
 */
export interface SubmittedReport {
  agency: AgencyId;
  versions: ReadonlyArray<{ content: ReportContent; submittedAt: string; by: { id: string; name: string }; late: boolean }>;
  willNotReport?: { reason: string };
}

export interface SummaryInput {
  /** Agreement Y: its parties (in their order) and its tasks as they stand now. */
  agreement: Pick<AgreementState, "regionId" | "year" | "parties" | "tasks">;
  window: RoundWindow;
  phase: RoundPhase;
  /** The day the summary is read (Europe/Oslo): whether the meeting's date has passed. */
  today: IsoDate;
  /** The round's reports (any order; agencies without one are simply absent). */
  reports: ReadonlyArray<SubmittedReport | undefined>;
  /**
   * The previous round ("what changed"): autumn Y ← spring Y, spring Y ← autumn Y−1. When it
   * followed up another agreement (autumn Y−1), its tasks are matched by title, since tasks copied
   * into a new agreement get new ids (agreement.ts `tasks-copied`).
   */
  previous?: { agreement: Pick<AgreementState, "year" | "tasks">; reports: ReadonlyArray<SubmittedReport | undefined> };
  /** Agencies marked "will not report" in the cycle (`follow-up-report-waived`), with the reason. */
  waived?: Partial<Record<AgencyId, string>>;
  /** The case number of agreement Y's political treatment (cycle Y−1), where recorded. */
  caseNumber?: string;
}

/** The round before: autumn Y follows spring Y, spring Y follows autumn Y−1. */
export function previousRound(year: number, round: Round): { year: number; round: Round } {
  return round === "autumn" ? { year, round: "spring" } : { year: year - 1, round: "autumn" };
}

const latest = (report: SubmittedReport | undefined) => report?.versions[report.versions.length - 1];

/**
 * Compiles a round's summary. Rules (documented here because the card and the exports rely on them):
 * - Agencies are the agreement's party agencies, in its order. An agency with a submission is
 *   "submitted" or "late" by its first submission (an on-time report edited after the due day was
 *   still delivered on time); without one it is "will-not-report" when marked so, else "missing".
 * - Only submitted versions are read, the latest one per agency; drafts never appear.
 * - Tasks are the agreement's current tasks: answers to a task removed since are left out. Each task
 *   lists its responsible agencies' answers first, then answers other parties gave voluntarily;
 *   `unanswered` is the responsible agencies that have not answered it, except those that will not
 *   report: they are `notReporting` (their reason is given once, at agency level).
 * - "What changed": an answer whose status differs from the same agency's status on the same task
 *   in the previous round's latest submission. `previousReported` says whether there was anything
 *   to compare with (any submission in the previous round).
 * - Omforent (§3, autumn only): every party agency submitted a stance of agree or agree with
 *   comments. One missing, "will not report" or "do not agree" makes it no.
 */
export function compileSummary(input: SummaryInput): RoundSummary {
  const { agreement, window } = input;
  const parties = agreement.parties.partyAgencies;
  const byAgency = new Map(input.reports.flatMap((r) => (r ? [[r.agency, r] as const] : [])));
  const submitted = (agency: AgencyId) => latest(byAgency.get(agency))?.content;

  const agencies: SummaryAgency[] = parties.map((agency) => {
    const report = byAgency.get(agency);
    const versions = report?.versions ?? [];
    const last = versions[versions.length - 1];
    const reason = report?.willNotReport?.reason ?? input.waived?.[agency];
    if (!last) {
      return { agency, state: reason !== undefined ? "will-not-report" : "missing", versions: 0, history: [], ...(reason !== undefined ? { willNotReportReason: reason } : {}) };
    }
    const { content } = last;
    return {
      agency,
      state: versions[0]!.late ? "late" : "submitted",
      submittedAt: last.submittedAt,
      submittedBy: last.by.name,
      versions: versions.length,
      ...(content.summary ? { summary: content.summary } : {}),
      ...(window.round === "spring" && content.expectations ? { expectations: content.expectations } : {}),
      ...(window.round === "autumn" && content.stance
        ? { stance: { position: content.stance.position, ...(content.stance.comment ? { comment: content.stance.comment } : {}) } }
        : {}),
      history: versions.map((v) => ({ submittedAt: v.submittedAt, by: v.by.name, late: v.late })),
    };
  });
  const stateOf = new Map(agencies.map((a) => [a.agency, a.state]));

  const previousStatus = previousStatusLookup(agreement.year, input.previous);
  const changed: RoundSummary["changed"] = [];
  const tasks: SummaryTask[] = agreement.tasks.map((task) => {
    const responsible = parties.filter((a) => task.responsible.includes(a));
    const voluntary = parties.filter((a) => !task.responsible.includes(a));
    const answers: SummaryAnswer[] = [];
    for (const agency of [...responsible, ...voluntary]) {
      const answer = submitted(agency)?.tasks[task.id];
      if (!answer) continue;
      const before = previousStatus(task, agency);
      const moved = before !== undefined && before !== answer.status;
      if (moved) changed.push({ taskId: task.id, title: task.title, agency, from: before, to: answer.status });
      answers.push({ agency, status: answer.status, ...(answer.comment ? { comment: answer.comment } : {}), ...(moved ? { previousStatus: before } : {}) });
    }
    const silent = responsible.filter((a) => !answers.some((x) => x.agency === a));
    const notReporting = silent.filter((a) => stateOf.get(a) === "will-not-report");
    const unanswered = silent.filter((a) => stateOf.get(a) !== "will-not-report");
    return { task, answers, unanswered, notReporting };
  });

  const omforent =
    window.round === "autumn"
      ? agencies.length > 0 && agencies.every((a) => a.stance !== undefined && (a.stance.position === "agree" || a.stance.position === "agree-with-comments"))
      : undefined;

  return {
    regionId: agreement.regionId,
    year: window.year,
    round: window.round,
    phase: input.phase,
    opensOn: window.opensOn,
    dueOn: window.dueOn,
    meetingOn: window.meetingOn,
    ...(window.heldOn ? { meetingHeldOn: window.heldOn } : {}),
    meetingUnrecorded: window.heldOn === undefined && compareIsoDate(input.today, window.meetingOn) > 0,
    ...(input.caseNumber ? { caseNumber: input.caseNumber } : {}),
    agencies,
    tasks,
    changed,
    previousReported: input.previous?.reports.some((r) => r !== undefined && r.versions.length > 0) ?? false,
    ...(omforent !== undefined ? { omforent } : {}),
  };
}

/** The status an agency gave a task in the previous round: by task id within one agreement, by title across agreements. */
function previousStatusLookup(year: number, previous: SummaryInput["previous"]): (task: AgreementTask, agency: AgencyId) => TaskStatus | undefined {
  if (!previous) return () => undefined;
  const sameAgreement = previous.agreement.year === year;
  const idByTitle = new Map(previous.agreement.tasks.map((t) => [foldName(t.title), t.id]));
  const byAgency = new Map(previous.reports.flatMap((r) => (r ? [[r.agency, latest(r)?.content] as const] : [])));
  return (task, agency) => {
    const id = sameAgreement ? task.id : idByTitle.get(foldName(task.title));
    return id === undefined ? undefined : byAgency.get(agency)?.tasks[id]?.status;
  };
}
