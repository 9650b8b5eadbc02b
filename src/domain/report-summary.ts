/**
 * A round's compiled summary: what the region coordinator takes to the regional dialogue meeting
 * (§3.1 spring, §3.2 autumn) and to the case file. Pure: built from the agreement, the round's
 * window and the agencies' report documents; the summary card and every export (Markdown, CSV,
 * .docx) render this one structure, so they cannot disagree.
 */
import type { IsoDate } from "./calendar.js";
import type { AgreementTask } from "./agreement.js";
import type { Round } from "./process.js";
import type { AgencyId } from "./regions.js";
import type { RoundPhase, Stance, TaskStatus } from "./reports.js";

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
  /** Per responsible agency, in the agreement's party order; an agency that has not answered this task is absent. */
  answers: SummaryAnswer[];
  /** Responsible agencies with no answer on this task (not submitted, or left it out). */
  unanswered: AgencyId[];
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
  /** The case number of agreement Y's political treatment (recorded in cycle Y−1, §3.2), where recorded. */
  caseNumber?: string;
  agencies: SummaryAgency[];
  tasks: SummaryTask[];
  /** Tasks whose status moved since the previous round, per agency ("what changed"). */
  changed: Array<{ taskId: string; title: string; agency: AgencyId; from: TaskStatus; to: TaskStatus }>;
  /** Autumn: whether every party agency agreed to the draft (omforent, §3), counting "agree with comments". */
  omforent?: boolean;
}
