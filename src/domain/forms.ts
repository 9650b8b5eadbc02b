/**
 * What a recording form tells a person before they save: the dates it accepts (so the range is
 * help text, not only a refusal afterwards), and the steps the change would make late (so a
 * meeting planned too soon is warned about, not silently turned into an overdue invitation).
 * Pure: `today` and `now` are parameters.
 */
import { addDays, compareIsoDate, osloDate, type IsoDate } from "./calendar.js";
import { applyEvent } from "./cycle.js";
import type { DomainEvent } from "./events.js";
import { instanceKey, obligations, WINDOW_SLACK_DAYS, type Obligation, type ObligationsInput } from "./obligations.js";
import { stepKeyFor, type RecordVerb, type RequestParams } from "./recording.js";

/**
 * The dates a form's date field accepts, both ends included. `to` before `from` means no date is
 * possible any more (a meeting whose last day has passed). `toIsToday`: the end is today because
 * the fact cannot be in the future.
 */
export interface DateRange {
  from: IsoDate;
  to: IsoDate;
  toIsToday: boolean;
}

/**
 * The dates `decide` (recording.ts) accepts for this form, as far as the date alone decides:
 * - a meeting is planned from today on, within the window of the meeting held (§1: the spring
 *   meeting by March; the regional meetings by their latest day), and a regional meeting after
 *   the date of the national one it follows (§3.1, §3.2);
 * - a fact happened by today, near the step's window (WINDOW_SLACK_DAYS either side), not before
 *   what it requires was done (§2.1, §3, §3.3) nor before a sent-back draft was reopened (§3.2),
 *   and a regional meeting was held after the national one, not the same day (§3.1, §3.2).
 * Undefined when the form's step is not among `all`. Kept in step with `decide` by a test that
 * tries every day of the year on both.
 */
export function dateRangeFor(verb: RecordVerb, params: RequestParams, all: readonly Obligation[], today: IsoDate): DateRange | undefined {
  const step = all.find((o) => o.key === stepKeyFor(verb, params));
  if (!step) return undefined;
  if (verb === "meeting.plan") {
    const held = heldOf(step, all);
    if (!held) return undefined;
    const after = followedMeetingDate(held, all, (o) => o.doneOn ?? o.meeting?.plannedDate);
    return { from: latest(today, held.opensOn, after && addDays(after, 1)), to: held.deadline, toIsToday: false };
  }
  const heldAfter = verb === "meeting.held" ? followedMeetingDate(step, all, (o) => o.doneOn) : undefined;
  const from = latest(addDays(step.opensOn, -WINDOW_SLACK_DAYS), step.prerequisitesDoneBy, step.reopenedOn, heldAfter && addDays(heldAfter, 1));
  const windowEnd = addDays(step.deadline, WINDOW_SLACK_DAYS);
  const toIsToday = compareIsoDate(today, windowEnd) <= 0;
  return { from, to: toIsToday ? today : windowEnd, toIsToday };
}

/**
 * The steps a change would make late: evaluated with the change applied (the reducer's
 * applyEvent, then obligations), a step not done whose deadline moves to a day already past,
 * while it had not passed before the change — unsent invitations to a meeting planned in five
 * weeks (§4.1: six weeks before), reports due a week before a regional meeting planned in five
 * days (§3.1). It follows whatever deadline rules the model and `obligations` have. Steps
 * already late before the change are not repeated: the card says so already.
 */
export function stepsMadeLate(input: ObligationsInput, change: { scope: "national" | "region"; event: DomainEvent }): Obligation[] {
  const today = osloDate(input.now);
  const after: ObligationsInput =
    change.scope === "national"
      ? { ...input, national: applyEvent(input.national, change.event) }
      : input.region
        ? { ...input, region: { ...input.region, state: applyEvent(input.region.state, change.event) } }
        : input;
  const before = new Map(obligations(input).map((o) => [o.key, o]));
  return obligations(after).filter((o) => {
    const was = before.get(o.key);
    if (!was || o.doneOn !== undefined || o.state === "not-applicable") return false;
    return compareIsoDate(o.deadline, today) < 0 && compareIsoDate(was.deadline, today) >= 0;
  });
}

/**
 * What a person confirms with «Lagre likevel»: the step and the deadline it was warned about.
 * A confirmation holds for exactly those warnings: another date that makes another step late (or
 * the same step late from another day) is warned about again.
 */
export function lateToken(o: Obligation): string {
  return `${instanceKey(o.stepId, o.party)}@${o.deadline}`;
}

/** The step that records the meeting of a meeting step (its convening, its reports) as held. */
function heldOf(step: Obligation, all: readonly Obligation[]): Obligation | undefined {
  const meeting = step.step.meeting;
  return all.find((o) => o.step.done.fact === "meeting-held" && o.step.meeting === meeting);
}

/**
 * The date of the meeting a held meeting step follows — the meeting-held step it requires in the
 * model (§3.1, §3.2: a regional meeting follows the national one) — as `dateOf` reads it.
 */
function followedMeetingDate(held: Obligation, all: readonly Obligation[], dateOf: (o: Obligation) => IsoDate | undefined): IsoDate | undefined {
  const followed = all.find((o) => held.step.requires.includes(o.stepId) && o.step.done.fact === "meeting-held");
  return followed ? dateOf(followed) : undefined;
}

function latest(first: IsoDate, ...rest: Array<IsoDate | undefined>): IsoDate {
  return rest.reduce<IsoDate>((a, b) => (b !== undefined && compareIsoDate(b, a) > 0 ? b : a), first);
}
