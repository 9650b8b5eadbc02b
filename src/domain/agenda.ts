/**
 * The agenda: one definition of what is late, what is blocked, what is due soon and what comes
 * next, used by the status card, the overview and (through the same states) the nudges and the
 * tab. A busy adviser asks "what is due now, what is late, and who must act?"; every surface
 * answers it from here, so their counts agree.
 *
 * Pure: `today` is a parameter.
 */
import { addDays, compareIsoDate, workingDaysBetween, type IsoDate } from "./calendar.js";
import { ACTIONABLE, groupSameStep, type Obligation } from "./obligations.js";
import type { ProcessModel, StepDefinition } from "./process.js";

/** How far ahead «Neste» looks: two weeks is what an adviser plans a calendar by. */
export const NEXT_DAYS = 14;

/**
 * overdue: past its deadline and could have been done; blocked: past its deadline but waiting
 * for someone else's step (shown as blocked by that party, not as the responsible's failure);
 * due-soon: within the model's due-soon working days — a step still waiting for a prerequisite
 * counts too, since its deadline does not move; upcoming: actionable with a deadline within
 * {@link NEXT_DAYS}; later: actionable further ahead, or not open yet; done; quiet: not
 * applicable, or not tracked (its deadline passed before the tracking start).
 */
export type Attention = "overdue" | "blocked" | "due-soon" | "upcoming" | "later" | "done" | "quiet";

export function attentionOf(o: Obligation, today: IsoDate, model: Pick<ProcessModel, "dueSoonWorkingDays">): Attention {
  switch (o.state) {
    case "done":
      return "done";
    case "overdue":
      return "overdue";
    case "blocked":
      return "blocked";
    case "due-soon":
      return "due-soon";
    case "not-applicable":
    case "not-tracked":
      return "quiet";
    case "not-yet-open":
      return "later";
    case "waiting":
      if (workingDaysBetween(today, o.deadline) <= model.dueSoonWorkingDays) return "due-soon";
      return compareIsoDate(o.deadline, addDays(today, NEXT_DAYS)) <= 0 ? "upcoming" : "later";
    case "open":
      return compareIsoDate(o.deadline, addDays(today, NEXT_DAYS)) <= 0 ? "upcoming" : "later";
  }
}

/** Whether someone can act on the step now or it asks something of someone (the "to do" list). */
export function isActionable(o: Obligation): boolean {
  return ACTIONABLE.has(o.state);
}

export interface AgendaCounts {
  overdue: number;
  blocked: number;
  dueSoon: number;
  done: number;
  /** Step instances that count: everything but not applicable and not tracked. */
  total: number;
}

export interface Agenda {
  /** Step groups (one step, several parties with the same deadline and state), most urgent first. */
  overdue: Obligation[][];
  blocked: Obligation[][];
  /** Due soon and upcoming, by deadline. */
  next: Obligation[][];
  /** Actionable, with deadlines beyond {@link NEXT_DAYS}, by deadline (a person's own show under «Dine oppgaver»). */
  later: Obligation[][];
  /** When nothing falls within {@link NEXT_DAYS}: the first step with a deadline after that (open or not yet open). */
  after?: Obligation[];
  counts: AgendaCounts;
}

/** The agenda of a list of obligations (one track, one or two cycles) at `today`. */
export function agendaOf(list: readonly Obligation[], today: IsoDate, model: Pick<ProcessModel, "dueSoonWorkingDays">): Agenda {
  const by = (a: Attention) => list.filter((o) => attentionOf(o, today, model) === a);
  const overdue = by("overdue").sort(byDeadline);
  const blocked = by("blocked").sort(byDeadline);
  const dueSoon = by("due-soon");
  const next = [...dueSoon, ...by("upcoming")].sort(byDeadline);
  // What comes after: the nearest step ahead, open or not yet open (in May, the autumn's first).
  const later = list.filter((o) => (isActionable(o) || o.state === "not-yet-open") && attentionOf(o, today, model) === "later").sort(byDeadline);
  const after = later.length > 0 && next.length === 0 ? groupSameStep(later)[0] : undefined;
  return {
    overdue: groupSameStep(overdue),
    blocked: groupSameStep(blocked),
    next: groupSameStep(next),
    later: groupSameStep(later.filter(isActionable)),
    ...(after ? { after } : {}),
    counts: {
      overdue: overdue.length,
      blocked: blocked.length,
      dueSoon: dueSoon.length,
      done: by("done").length,
      total: list.filter((o) => attentionOf(o, today, model) !== "quiet").length,
    },
  };
}

/**
 * The one step a region must see to next: the most urgent group that is not yet past its
 * deadline (the overview's «Neste steg»; what is late is counted beside it, so a step from last
 * June never poses as "next").
 */
export function nextOf(agenda: Agenda): Obligation[] | undefined {
  return agenda.next[0] ?? agenda.after;
}

/**
 * Ordering regions (or tracks) by urgency: most overdue first, then most blocked, then the
 * nearest coming deadline; ties keep the given order.
 */
export function byAgendaUrgency(a: Agenda, b: Agenda): number {
  const nextDeadline = (x: Agenda) => nextOf(x)?.[0]?.deadline ?? "9999-12-31";
  return b.counts.overdue - a.counts.overdue || b.counts.blocked - a.counts.blocked || compareIsoDate(nextDeadline(a), nextDeadline(b));
}

function byDeadline(a: Obligation, b: Obligation): number {
  return compareIsoDate(a.deadline, b.deadline) || a.year - b.year;
}

/** The phases of a cycle year as people talk about them: spring, autumn, and agreement Y+1. */
export const PHASES = ["spring", "autumn", "agreement"] as const;
export type Phase = (typeof PHASES)[number];

/**
 * The phase of a step, from what it is about: everything for agreement Y+1 (§2.1, §3.2, §3.3)
 * is the agreement phase; the rest belongs to the half-year of its meeting or report (§1,
 * §3.1, §3.2); a step of another model without either falls in by the month it opens.
 */
export function phaseOf(step: StepDefinition): Phase {
  if (step.agreement === "next") return "agreement";
  const meeting = step.meeting ?? ("meeting" in step.done ? step.done.meeting : undefined);
  if (meeting) return meeting.endsWith("spring") ? "spring" : "autumn";
  if ("round" in step.done) return step.done.round;
  return step.opens.month < 7 ? "spring" : "autumn";
}
