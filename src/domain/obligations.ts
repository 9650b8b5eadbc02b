/**
 * Obligations: given the state of the national track and of one region for cycle year Y, and
 * `now`, every step of the wheel with its state, who is responsible, its deadline and the
 * prerequisites still missing. Pure: `now` is a parameter, the clock is never read.
 */
import type { DateTime } from "luxon";
import { addDays, compareIsoDate, osloDate, workingDayOnOrBefore, workingDaysBetween, type IsoDate, type WorkingDayOptions } from "./calendar.js";
import type { CycleState, MeetingState } from "./cycle.js";
import type { Party } from "./events.js";
import { heldStepOf, type DeadlineRule, type MeetingId, type MonthDay, type ProcessModel, type Responsible, type StepDefinition } from "./process.js";
import type { AgencyId } from "./regions.js";
import type { Stance } from "./reports.js";

export const STEP_STATES = [
  "done",
  "overdue",
  "blocked",
  "due-soon",
  "open",
  "waiting",
  "not-yet-open",
  "not-tracked",
  "not-applicable",
] as const;
/**
 * done; overdue (deadline passed); blocked (deadline passed, but prerequisites are still missing:
 * late because someone else is — `missing` names what, and their own steps show who);
 * due-soon (within the model's due-soon working days); open; waiting (prerequisites missing);
 * not-yet-open (before its window); not-tracked (its deadline passed before the region's
 * tracking start and nobody recorded it — a fresh install mid-year must not call every earlier
 * step overdue; a deadline moved there by a date recorded since does not count); not-applicable.
 */
export type StepState = (typeof STEP_STATES)[number];

/** The region's part in the wheel, from its configuration. */
export interface RegionSetup {
  regionId: string;
  /** The agencies that are parties to the region's cooperation agreement (§2.1). */
  partyAgencies: readonly AgencyId[];
  /** Agencies the region sends a commission agreement to (§3.3). */
  commissionAgencies: readonly AgencyId[];
  /** Steps whose deadline passed before this date count as "not tracked", not overdue. */
  trackingStart: IsoDate;
  /**
   * The parties of the region's agreements whose parties were set (by agreement year): they win
   * over the two lists above for that agreement's steps (`agreement: "current"` in cycle Y is
   * agreement Y, `"next"` is agreement Y+1) — RFF added to agreement 2027 reports in 2027 and
   * signs in January 2027 (§2.1, §3.1, §3.3).
   */
  agreements?: ReadonlyMap<number, AgreementPartyLists>;
}

/** The party lists of one agreement, as the wheel reads them. */
export type AgreementPartyLists = Pick<RegionSetup, "partyAgencies" | "commissionAgencies">;

export interface StepInstanceRef {
  stepId: string;
  /** The agency or party of a per-agency/per-party step. */
  party?: Party;
}

/**
 * A prerequisite not yet there: a step not done, or (`need: "date"`) only the date of the meeting
 * that step holds — planned or held (§4.2: a region convenes once the national meeting has a date).
 */
export interface MissingRef extends StepInstanceRef {
  need?: "date";
  /** With `need: "date"`: the meeting whose date is needed. */
  meeting?: MeetingId;
}

export interface Obligation extends StepInstanceRef {
  key: string;
  year: number;
  step: StepDefinition;
  state: StepState;
  responsible: { role: Responsible; regionId?: string; agency?: AgencyId };
  opensOn: IsoDate;
  deadline: IsoDate;
  target?: IsoDate;
  doneOn?: IsoDate;
  /** For meeting steps: the planned date, place and what is recorded of the meeting. */
  meeting?: MeetingState;
  /** Prerequisites not yet there (why a step waits, is blocked past its deadline, or will wait once open). */
  missing: MissingRef[];
  /**
   * For a deadline counted back from a meeting: the meeting's date it counts from — as planned,
   * else as held, else the latest day allowed (moved to a working day like every deadline).
   */
  meetingOn?: IsoDate;
  /**
   * The latest done date among the prerequisites that are done (untracked ones have none): the
   * step cannot have happened before it (§2.1 signing after budgets and letters, §3 meetings
   * after the national one, treatment after the meeting and the draft).
   */
  prerequisitesDoneBy?: IsoDate;
  /** A draft sent back by its political treatment (§3.2) is reopened that day: the reworked draft is not older. */
  reopenedOn?: IsoDate;
  /**
   * The draft agreement (§3, §3.2): the parties of the agreement it drafts, the stances they
   * submitted with their autumn reports (omforent when all agree) and the agencies marked "will not
   * report" in the autumn (they have not agreed either); once any stance is in.
   */
  draftStances?: { parties: readonly AgencyId[]; stances: Partial<Record<AgencyId, Stance>>; waived: readonly AgencyId[] };
}

export interface ObligationsInput {
  model: ProcessModel;
  year: number;
  now: DateTime;
  national: CycleState;
  nationalTrackingStart: IsoDate;
  /** Every agency that is a party anywhere: their allocation letters are national steps. */
  nationalAgencies: readonly AgencyId[];
  /** Absent: only the national track is evaluated. */
  region?: { setup: RegionSetup; state: CycleState };
  /**
   * Whether agreement Y exists (signed in cycle Y−1). Unknown (undefined) counts as yes: every
   * region has had agreements since the model was adopted, and a mid-year install has no record.
   */
  agreementInForce?: boolean;
}

/** Every step instance of cycle Y, in the model's order, with its state at `now`. */
export function obligations(input: ObligationsInput): Obligation[] {
  const { model, year, region } = input;
  const today = osloDate(input.now);
  const stepsById = new Map(model.steps.map((s) => [s.id, s]));
  const result: Obligation[] = [];

  for (const step of model.steps) {
    if (step.scope === "region" && !region) continue;
    const state = step.scope === "national" ? input.national : region!.state;
    for (const party of instancesOf(step, input)) {
      const doneOn = factDate(step, state, party);
      const deadline = deadlineOf(step.deadline, year, input);
      // A meeting planned early (a spring meeting in early March) pulls the window open with it,
      // a fortnight ahead, so the step is never due before it opens.
      const opensOn = minDate(dateIn(year, step.opens), addDays(deadline, -EARLY_OPENING_DAYS));
      let prerequisitesDoneBy: IsoDate | undefined;
      const responsible = responsibleFor(step.responsible, party, region?.setup.regionId);
      // Whether something missing is another party's to do: then the step, once late, is blocked by
      // them; if all that is missing is the responsible's own, the responsible is simply late.
      let waitsForOthers = false;
      const othersOwn = (req: StepDefinition, p: Party | undefined) => {
        if (!sameParty(responsibleFor(req.responsible, p, region?.setup.regionId), responsible) || req.external) waitsForOthers = true;
      };
      const missing: MissingRef[] = step.requires.flatMap((reqId) => {
        const req = stepsById.get(reqId)!;
        const reqState = req.scope === "national" ? input.national : region?.state;
        if (!reqState) return [];
        return instancesOf(req, input).flatMap((p): StepInstanceRef[] => {
          const reqDone = factDate(req, reqState, p);
          if (reqDone !== undefined) prerequisitesDoneBy = maxDate(prerequisitesDoneBy, reqDone);
          if (reqDone !== undefined || untracked(req, year, today, input)) return [];
          othersOwn(req, p);
          return [{ stepId: reqId, ...(p !== undefined ? { party: p } : {}) }];
        });
      });
      for (const meetingId of step.requiresMeetingDate) {
        const held = heldStepOf(model.steps, meetingId)!;
        const heldState = held.scope === "national" ? input.national : region?.state;
        const meeting = heldState?.meetings[meetingId];
        if (!heldState || meeting?.plannedDate !== undefined || meeting?.heldOn !== undefined || untracked(held, year, today, input)) continue;
        othersOwn(held, undefined);
        missing.push({ stepId: held.id, need: "date", meeting: meetingId });
      }
      const reopenedOn = step.done.fact === "draft-agreement-ready" && state.politicalTreatment?.outcome === "sent-back" ? state.politicalTreatment.date : undefined;
      const notApplicable =
        (step.per === "commission-agency" && !partiesFor(step, input)?.commissionAgencies.includes(party as AgencyId)) ||
        (step.requiresAgreementInForce && input.agreementInForce === false) ||
        // An agency marked "will not report" this round (§3.1/§3.2): nothing is asked of it.
        (step.done.fact === "follow-up-report" && party !== undefined && state.followUpWaived[step.done.round]?.[party as AgencyId] !== undefined);

      let stepState: StepState;
      if (doneOn !== undefined) stepState = "done";
      else if (notApplicable) stepState = "not-applicable";
      else if (compareIsoDate(today, opensOn) < 0) stepState = "not-yet-open";
      // Past its deadline: overdue — or blocked, when what it needs is still missing and is someone
      // else's (the late party is whoever owns that) — unless the deadline was already past when
      // tracking started.
      else if (compareIsoDate(today, deadline) > 0) stepState = untracked(step, year, today, input) ? "not-tracked" : waitsForOthers ? "blocked" : "overdue";
      else if (missing.length > 0) stepState = "waiting";
      else if (workingDaysBetween(today, deadline) <= model.dueSoonWorkingDays) stepState = "due-soon";
      else stepState = "open";

      result.push({
        key: instanceKey(step.id, party),
        stepId: step.id,
        ...(party !== undefined ? { party } : {}),
        year,
        step,
        state: stepState,
        responsible,
        opensOn,
        deadline,
        ...(step.deadline.kind === "before-meeting" ? { meetingOn: meetingDateOf(step.deadline, year, input) } : {}),
        ...(step.target ? { target: dateIn(year, step.target) } : {}),
        ...(doneOn !== undefined ? { doneOn } : {}),
        ...(step.meeting && state.meetings[step.meeting] ? { meeting: state.meetings[step.meeting] } : {}),
        missing: stepState === "done" || stepState === "not-applicable" ? [] : missing,
        ...(prerequisitesDoneBy !== undefined ? { prerequisitesDoneBy } : {}),
        ...(reopenedOn !== undefined ? { reopenedOn } : {}),
        ...(step.done.fact === "draft-agreement-ready" && state.followUpStances?.autumn
          ? {
              draftStances: {
                parties: partiesFor(step, input)?.partyAgencies ?? [],
                stances: state.followUpStances.autumn,
                waived: Object.keys(state.followUpWaived.autumn ?? {}) as AgencyId[],
              },
            }
          : {}),
      });
    }
  }
  return blockedAlongTheChain(result);
}

/**
 * A step past its deadline that waits only for its own party's step is that party's lateness —
 * unless that step is itself blocked by someone else: then this one is blocked too (political
 * treatment waits for the county's autumn meeting, which waits for RUK AU's). Repeated until
 * nothing changes, so chains of any length are followed.
 */
function blockedAlongTheChain(list: Obligation[]): Obligation[] {
  let changed = true;
  while (changed) {
    changed = false;
    for (const [i, o] of list.entries()) {
      if (o.state !== "overdue" || o.missing.length === 0) continue;
      const blockedByChain = o.missing.some((m) => list.some((x) => x.stepId === m.stepId && (m.party === undefined || x.party === m.party) && x.state === "blocked"));
      if (!blockedByChain) continue;
      list[i] = { ...o, state: "blocked" };
      changed = true;
    }
  }
  return list;
}

export function instanceKey(stepId: string, party?: Party): string {
  return party === undefined ? stepId : `${stepId}:${party}`;
}

/**
 * The instances of a step. A per-agency national step (allocation letters) seen from a region
 * means that region's party agencies: §2.1 lets the agreement be signed once *the agencies*
 * that are party to it have their letters.
 */
function instancesOf(step: StepDefinition, input: ObligationsInput): Array<Party | undefined> {
  const parties = partiesFor(step, input)?.partyAgencies;
  switch (step.per) {
    case "once":
      return [undefined];
    case "agency":
      return [...(parties ?? (step.scope === "national" ? input.nationalAgencies : []))];
    case "party":
      return ["region", ...(parties ?? [])];
    case "commission-agency":
      return [...(parties ?? [])];
  }
}

/** The region's parties for a step: its agreement's when they were set, else the region's configured ones. */
function partiesFor(step: StepDefinition, input: ObligationsInput): AgreementPartyLists | undefined {
  const setup = input.region?.setup;
  if (!setup) return undefined;
  const agreementYear = step.agreement === "current" ? input.year : step.agreement === "next" ? input.year + 1 : undefined;
  return (agreementYear !== undefined ? setup.agreements?.get(agreementYear) : undefined) ?? setup;
}

function factDate(step: StepDefinition, state: CycleState, party: Party | undefined): IsoDate | undefined {
  const fact = step.done;
  const agency = party === "region" ? undefined : (party as AgencyId | undefined);
  switch (fact.fact) {
    case "meeting-convened":
      return state.meetings[fact.meeting]?.invitationsSentOn;
    case "meeting-held":
      return state.meetings[fact.meeting]?.heldOn;
    case "follow-up-report":
      return agency ? state.followUpReports[fact.round]?.[agency] : undefined;
    case "draft-agreement-ready":
      return state.draftAgreement?.readyOn;
    case "political-treatment-approved":
      return state.politicalTreatment && state.politicalTreatment.outcome !== "sent-back" ? state.politicalTreatment.date : undefined;
    case "state-budget-adopted":
      return state.stateBudgetAdoptedOn;
    case "allocation-letter-received":
      return agency ? state.allocationLetters[agency] : undefined;
    case "regional-budget-adopted":
      return state.regionalBudgetAdoptedOn;
    case "agreement-signed":
      return party ? state.signatures[party] : undefined;
    case "commission-agreement-sent":
      return agency ? state.commissionAgreementsSent[agency] : undefined;
    case "step-completed":
      return state.completed?.[instanceKey(step.id, party)];
  }
}

/**
 * A step whose deadline had already passed when tracking started (and has passed now): nobody
 * recorded it, so it is neither overdue nor does it hold up the steps that require it. "Had
 * passed when tracking started" means as the deadline stood then: counted from a meeting dated
 * before the tracking start (a backfilled meeting: its invitations were history too), else from
 * the model's latest meeting day. A meeting dated since, recorded in the app, that pulls the
 * deadline back before the tracking start makes the step late, not untracked: setting the national
 * spring meeting to 10 March on 1 February leaves unsent invitations overdue since 27 January.
 */
function untracked(step: StepDefinition, year: number, today: IsoDate, input: ObligationsInput): boolean {
  const trackingStart = step.scope === "national" ? input.nationalTrackingStart : input.region?.setup.trackingStart ?? input.nationalTrackingStart;
  const deadline = deadlineOf(step.deadline, year, input);
  const deadlineAtStart = deadlineOf(step.deadline, year, input, trackingStart);
  return compareIsoDate(deadline, trackingStart) < 0 && compareIsoDate(deadlineAtStart, trackingStart) < 0 && compareIsoDate(deadline, today) < 0;
}

/** How far ahead of its deadline a step opens at the latest. */
const EARLY_OPENING_DAYS = 14;

function minDate(a: IsoDate, b: IsoDate): IsoDate {
  return compareIsoDate(a, b) <= 0 ? a : b;
}

function maxDate(a: IsoDate | undefined, b: IsoDate): IsoDate {
  return a === undefined || compareIsoDate(b, a) > 0 ? b : a;
}

/**
 * The days a deadline may fall on: not a weekend, a public holiday, nor 24–31 December, when the
 * public sector is away and the bot is silent. The July holiday is not skipped: a June meeting's
 * reports are due in June, and moving them to before the holiday would only make them earlier.
 */
export const DEADLINE_DAYS: WorkingDayOptions = { skipChristmasWeek: true };

/**
 * A step's deadline, on a working day (DEADLINE_DAYS): the date the rule gives, or the working
 * day before it. Counted back from a meeting, the meeting's latest day is moved first, then the
 * days are counted, then the result is moved: the regional autumn meeting is held by 23 December
 * 2027 at the latest, its reports due a week before, never on julaften.
 * `knownBefore`: only a meeting date before it counts (as the deadline stood then), see untracked.
 */
function deadlineOf(rule: DeadlineRule, year: number, input: ObligationsInput, knownBefore?: IsoDate): IsoDate {
  if (rule.kind === "fixed") return workingDayOnOrBefore(dateIn(year, rule.date), DEADLINE_DAYS);
  return workingDayOnOrBefore(addDays(meetingDateOf(rule, year, input, knownBefore), -rule.daysBefore), DEADLINE_DAYS);
}

function meetingDateOf(rule: Extract<DeadlineRule, { kind: "before-meeting" }>, year: number, input: ObligationsInput, knownBefore?: IsoDate): IsoDate {
  const meetingState = rule.meeting.startsWith("national") ? input.national : input.region?.state;
  const meeting = meetingState?.meetings[rule.meeting];
  // The meeting's date: as planned, else (held without a recorded plan) the day it was held;
  // only while neither is known does the latest allowed date stand in for it.
  const recorded = meeting?.plannedDate ?? meeting?.heldOn;
  const known = recorded !== undefined && (knownBefore === undefined || compareIsoDate(recorded, knownBefore) < 0) ? recorded : undefined;
  return known ?? workingDayOnOrBefore(dateIn(year, rule.latestMeeting), DEADLINE_DAYS);
}

/** The calendar date of a month/day in cycle year Y (or Y+1). */
export function dateIn(year: number, md: MonthDay): IsoDate {
  const y = year + md.yearOffset;
  return `${y}-${String(md.month).padStart(2, "0")}-${String(md.day).padStart(2, "0")}`;
}

function sameParty(a: Obligation["responsible"], b: Obligation["responsible"]): boolean {
  const who = (r: Obligation["responsible"]) => (r.agency !== undefined ? `agency:${r.agency}` : r.role === "region-coordinator" ? `region:${r.regionId ?? ""}` : r.role);
  return who(a) === who(b);
}

function responsibleFor(role: Responsible, party: Party | undefined, regionId: string | undefined): Obligation["responsible"] {
  const agency = party && party !== "region" ? party : undefined;
  switch (role) {
    case "national-coordinator":
      return { role };
    case "region-coordinator":
      return { role, ...(regionId ? { regionId } : {}) };
    case "agency-national":
      return { role, ...(agency ? { agency } : {}) };
    case "agency-regional":
      return { role, ...(regionId ? { regionId } : {}), ...(agency ? { agency } : {}) };
    case "party":
      // Kept as "party": a signature binds (§2.1), so it is the regional contact's, not every
      // national contact's (roles.ts mayRecord); cards still name the party that signs.
      return agency ? { role: "party", agency, ...(regionId ? { regionId } : {}) } : { role: "region-coordinator", ...(regionId ? { regionId } : {}) };
  }
}

/**
 * How long past its deadline a step stays in view and can still be recorded: late meetings and
 * late signatures happen; a spring meeting recorded in September is a mistake.
 */
export const WINDOW_SLACK_DAYS = 92;

/**
 * The cycle years whose obligations are current at `today`: Y, and Y−1 as long as its last
 * deadline (signing and commission agreements, 31 January, §2.1/§3.2/§3.3) plus the slack has
 * not passed — so an agreement still unsigned in February shows as overdue instead of vanishing.
 */
export function activeCycleYears(today: IsoDate, model?: ProcessModel): number[] {
  const year = Number(today.slice(0, 4));
  const lastDeadline = model ? latestDeadlineOf(model, year - 1) : `${year}-01-31`;
  return compareIsoDate(today, addDays(lastDeadline, WINDOW_SLACK_DAYS)) <= 0 ? [year - 1, year] : [year];
}

/** The latest deadline of a model's cycle year, remembered per model and year: every status turn asks. */
const latestDeadlines = new WeakMap<ProcessModel, Map<number, IsoDate>>();
function latestDeadlineOf(model: ProcessModel, year: number): IsoDate {
  const perYear = latestDeadlines.get(model) ?? new Map<number, IsoDate>();
  latestDeadlines.set(model, perYear);
  let deadline = perYear.get(year);
  if (deadline === undefined) perYear.set(year, (deadline = latestDeadline(model, year)));
  return deadline;
}

function latestDeadline(model: ProcessModel, year: number): IsoDate {
  return model.steps
    .map((s) => workingDayOnOrBefore(dateIn(year, s.deadline.kind === "fixed" ? s.deadline.date : s.deadline.latestMeeting), DEADLINE_DAYS))
    .reduce((a, b) => (compareIsoDate(a, b) >= 0 ? a : b));
}

/** States that ask something of someone now; used to pick "what happens next". */
export const ACTIONABLE: ReadonlySet<StepState> = new Set(["overdue", "blocked", "due-soon", "open", "waiting"]);

/**
 * The most urgent actionable obligations first: overdue, blocked (late too, though by someone
 * else), due soon, open, waiting; then by deadline. Non-actionable obligations (done, not yet
 * open, …) sort after every actionable one.
 */
export function byUrgency(a: Obligation, b: Obligation): number {
  const order = ["overdue", "blocked", "due-soon", "open", "waiting"];
  const rank = (o: Obligation) => {
    const i = order.indexOf(o.state);
    return i === -1 ? order.length : i;
  };
  return rank(a) - rank(b) || compareIsoDate(a.deadline, b.deadline);
}

/**
 * Joins instances of one step that stand or fall together — the same step, cycle, deadline and
 * state for several agencies (three follow-up reports due 23 June) — keeping the given order.
 */
export function groupSameStep(list: readonly Obligation[]): Obligation[][] {
  const groups = new Map<string, Obligation[]>();
  for (const o of list) {
    const key = `${o.year}|${o.stepId}|${o.deadline}|${o.state}`;
    const group = groups.get(key);
    if (group) group.push(o);
    else groups.set(key, [o]);
  }
  return [...groups.values()];
}
