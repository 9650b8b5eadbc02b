/**
 * The agencies' follow-up reports: what each party reports on the agreement's tasks in a round.
 * §3.1 (spring, e.g. April): the agencies present their follow-up of the agreement and their
 * expectations of challenges and development trends in the region the following year. §3.2
 * (autumn, e.g. November): the follow-up of this year's agreement and the proposal for the new
 * one, which must be agreed by all parties (omforent, §3). Pure.
 *
 * A round belongs to a regional dialogue meeting: it opens a number of working days before the
 * meeting (planned, else the latest day allowed), is due at the follow-up step's deadline (one
 * week before the meeting, process.ts) and takes answers — late ones marked — until the meeting
 * is held.
 */
import { z } from "zod";
import { addWorkingDays, compareIsoDate, type IsoDate, type WorkingDayOptions } from "./calendar.js";
import type { Obligation } from "./obligations.js";
import type { Round } from "./process.js";
import type { AgencyId } from "./regions.js";
import type { Role } from "./roles.js";
import { TaskIdSchema } from "./agreement.js";

export const REPORT_LIMITS = {
  /** Per task: "under 28 KB at 20 tasks and 2 000-character comments" (the form budget). */
  comment: 2000,
  summary: 4000,
  expectations: 4000,
  stanceComment: 2000,
  willNotReportReason: 500,
  /** Deputies named for one report (agency × region × round): a stand-in or two, not a distribution list. */
  deputies: 5,
} as const;

export const TASK_STATUSES = ["on-track", "delayed", "done", "not-started", "not-relevant"] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** §3: the draft of next year's agreement must be agreed by all parties (omforent). */
export const STANCES = ["agree", "agree-with-comments", "disagree"] as const;
export type Stance = (typeof STANCES)[number];

export const TaskAnswerSchema = z.object({
  status: z.enum(TASK_STATUSES),
  comment: z.string().trim().max(REPORT_LIMITS.comment).optional(),
});
export type TaskAnswer = z.infer<typeof TaskAnswerSchema>;

/** What an agency reports in one round; every part optional while it is a draft. */
export const ReportContentSchema = z.object({
  tasks: z.record(TaskIdSchema, TaskAnswerSchema),
  summary: z.string().trim().max(REPORT_LIMITS.summary).optional(),
  /** Spring (§3.1): challenges and development trends in the region the following year. */
  expectations: z.string().trim().max(REPORT_LIMITS.expectations).optional(),
  /** Autumn (§3.2, §3): the agency's stance on the draft of next year's agreement. */
  stance: z.object({ position: z.enum(STANCES), comment: z.string().trim().max(REPORT_LIMITS.stanceComment).optional() }).optional(),
});
export type ReportContent = z.infer<typeof ReportContentSchema>;

export const emptyReport = (): ReportContent => ({ tasks: {} });

/** The working days before the meeting on which a round opens, unless configured (REPORT_ROUND_OPEN_DAYS). */
export const DEFAULT_ROUND_OPEN_WORKING_DAYS = 20;

export type RoundPhase = "not-open" | "open" | "late" | "closed";

export interface RoundWindow {
  round: Round;
  /** The cycle year, which is the agreement year followed up (agreement "current"). */
  year: number;
  opensOn: IsoDate;
  /** The follow-up step's deadline: one week before the meeting (process.ts). */
  dueOn: IsoDate;
  /** The meeting's date the round counts from: planned, held, else the latest day allowed. */
  meetingOn: IsoDate;
  /** The day the meeting was held: no answers after it. */
  heldOn?: IsoDate;
}

/**
 * The round of a follow-up step instance (any agency's: they share the meeting). Opens
 * `openWorkingDays` before the meeting, never before the step itself opens.
 */
export function roundWindow(step: Obligation, round: Round, heldOn: IsoDate | undefined, openWorkingDays: number, workingDays?: WorkingDayOptions): RoundWindow {
  const meetingOn = step.meetingOn ?? step.deadline;
  const ahead = addWorkingDays(meetingOn, -openWorkingDays, workingDays);
  const opensOn = compareIsoDate(ahead, step.opensOn) >= 0 ? ahead : step.opensOn;
  return { round, year: step.year, opensOn, dueOn: step.deadline, meetingOn, ...(heldOn ? { heldOn } : {}) };
}

/** The follow-up step of each round (process.ts). */
export const followUpStepId = (round: Round) => `follow-up-report-${round}`;

/**
 * A round's window from the cycle's step instances: the follow-up step (the agency's own instance
 * when given, else any: they share the meeting) and the regional meeting's held step, whose done
 * date closes the round. Undefined when the cycle has no such round.
 */
export function roundWindowOf(steps: readonly Obligation[], round: Round, openWorkingDays: number, workingDays?: WorkingDayOptions, agency?: AgencyId): RoundWindow | undefined {
  const ofRound = steps.filter((o) => o.stepId === followUpStepId(round));
  const step = ofRound.find((o) => o.party === agency) ?? ofRound[0];
  if (!step) return undefined;
  const held = steps.find((o) => o.step.done.fact === "meeting-held" && o.step.done.meeting === `regional-${round}`);
  return roundWindow(step, round, held?.doneOn, openWorkingDays, workingDays);
}

/** Where a round stands at `today`: answers are taken from the opening until the meeting is held, late after the due day. */
export function roundPhase(window: RoundWindow, today: IsoDate): RoundPhase {
  if (window.heldOn !== undefined && compareIsoDate(today, window.heldOn) > 0) return "closed";
  if (compareIsoDate(today, window.opensOn) < 0) return "not-open";
  return compareIsoDate(today, window.dueOn) > 0 ? "late" : "open";
}

/** A person named by an agency contact to answer for the agency in one region and round. */
export interface Deputy {
  personId: string;
  name: string;
}

/**
 * Who may write an agency's report for a region (the "never leak"): the agency's contacts
 * (regional, or national acting for its regional offices), its named deputy for the round, the
 * region's coordinator and the admins.
 */
export function mayWriteReport(roles: readonly Role[], personId: string, regionId: string, agency: AgencyId, deputies: readonly Deputy[]): boolean {
  if (deputies.some((d) => d.personId === personId)) return true;
  return roles.some(
    (r) =>
      r.kind === "admin" ||
      (r.kind === "region-coordinator" && r.regionId === regionId) ||
      (r.kind === "agency-rep" && r.agency === agency && (r.regionId === undefined || r.regionId === regionId)),
  );
}

/** Who may name a deputy: the agency's own contacts, the region's coordinator and the admins (not a deputy). */
export function mayNameDeputy(roles: readonly Role[], regionId: string, agency: AgencyId): boolean {
  return mayWriteReport(roles, "", regionId, agency, []);
}

/** Who may mark an agency "will not report": the region's coordinator and the admins. */
export function mayWaiveReport(roles: readonly Role[], regionId: string): boolean {
  return roles.some((r) => r.kind === "admin" || (r.kind === "region-coordinator" && r.regionId === regionId));
}
