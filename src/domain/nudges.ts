/**
 * Nudges: from the obligations of every region and the national track at `today`, what the bot
 * should tell whom, on its own. Pure: no store, no clock, no Teams.
 *
 * What is said (product.md, "The three jobs", 2):
 * - who must convene which meeting by when (§4.1 RUK AU for the national meetings, §4.2 the
 *   region's leadership for the regional ones), with the "in good time" lead;
 * - which agreement awaits political treatment (§3.2);
 * - which agreement can now be signed, or what still blocks it (§2.1: the budgets, the agencies'
 *   allocation letters);
 * - which commission agreements must go out in January (§3.3);
 * - which follow-up reports are due (§3.1, §3.2);
 * - and any step past its deadline, escalated to the region's coordinator (regional steps) or
 *   the admins (national steps);
 * - a report round (§3.1, §3.2) is announced the day it opens, to each agency's contact, as a card
 *   of its own per agency and region; the day after it is due, the region's coordinator hears
 *   whether all reports are in, or who is missing.
 *
 * Cadence: a first notice N working days before the deadline (or the day the step opens, or can
 * be done, if that is later; political treatment and signing as soon as they can be done), a
 * reminder M working days after it, an overdue notice the first working day after the deadline;
 * a report round's first notice the day the round opens (R working days before the meeting).
 * Each (step, cycle, stage, recipient) is said once; the
 * outbox (src/nudges) keeps that promise, this module only says what is due.
 */
import { addWorkingDays, compareIsoDate, isWorkingDay, type IsoDate, type WorkingDayOptions } from "./calendar.js";
import type { Obligation } from "./obligations.js";
import type { Round, StepDefinition } from "./process.js";
import { NATIONAL, type AgencyId } from "./regions.js";
import { DEFAULT_ROUND_OPEN_WORKING_DAYS, roundWindow } from "./reports.js";
import type { Role } from "./roles.js";

/**
 * first: the step can be done (or soon must be); blocked: the window is here — or the deadline has
 * passed — but the step cannot be done yet (signing, §2.1; convening a regional meeting before the
 * national one has a date, §4.2: the card names what is missing); reminder; overdue; round-due:
 * a report round is due, and the region's coordinator hears who has answered (§3.1, §3.2).
 */
export const NUDGE_STAGES = ["first", "blocked", "reminder", "overdue", "round-due"] as const;
export type NudgeStage = (typeof NUDGE_STAGES)[number];

/** What a nudge is about, from the fact that completes the step; decides the wording of the card. */
export type NudgeTopic = "convene" | "political-treatment" | "sign" | "commission" | "report" | "other";

export interface Cadence {
  /** The first notice comes this many working days before the deadline (or when the step opens, if later). */
  firstNoticeWorkingDays: number;
  /** The reminder comes this many working days after the first notice, if the step is still not done. */
  reminderAfterWorkingDays: number;
  /**
   * A report round (§3.1, §3.2) opens this many working days before its regional meeting
   * (reports.ts, roundWindow): its first notice comes then, not N days before the deadline.
   */
  reportRoundOpenWorkingDays: number;
  /** Days on which nothing is sent, and which are not counted (weekends and public holidays always). */
  workingDays: WorkingDayOptions;
}

/**
 * Three weeks' notice: enough to convene "in good time" (§4.1, §4.2) and to put a case on a
 * political agenda; the reminder a week before the deadline, when the status card also says
 * "due soon". Christmas week and the July holiday are skipped by default: most of the public
 * sector is away, and a card landing then is read in January or August anyway.
 */
export const DEFAULT_CADENCE: Cadence = {
  firstNoticeWorkingDays: 15,
  reminderAfterWorkingDays: 10,
  reportRoundOpenWorkingDays: DEFAULT_ROUND_OPEN_WORKING_DAYS,
  workingDays: { skipChristmasWeek: true, skipJulyHoliday: true },
};

export function topicOf(step: StepDefinition): NudgeTopic {
  switch (step.done.fact) {
    case "meeting-convened":
      return "convene";
    case "political-treatment-approved":
      return "political-treatment";
    case "agreement-signed":
      return "sign";
    case "commission-agreement-sent":
      return "commission";
    case "follow-up-report":
      return "report";
    default:
      return "other";
  }
}

/**
 * Topics announced as soon as the step can be done, not N days before its deadline: the draft
 * awaits political treatment from the autumn meeting on, and a county's committees set their
 * agendas weeks ahead (§3.2: the deadline is the January signing, far too late to start); an
 * agreement can be signed the day the last budget or allocation letter is in (§2.1), and while
 * something still blocks it the parties hear what from the start of January.
 */
const ANNOUNCED_WHEN_READY: ReadonlySet<NudgeTopic> = new Set(["political-treatment", "sign"]);

/**
 * The day the first notice is due: N working days before the deadline, but not before the step
 * opens, nor before its prerequisites were done (a step that could not be done before is announced
 * when it can). Political treatment and signing: as soon as they can be done (see above). A
 * follow-up report: the day its round opens (§3.1, §3.2), R working days before the meeting —
 * planned, else the latest day allowed — so the agencies have the round's whole length.
 */
export function firstNoticeOn(o: Obligation, cadence: Cadence): IsoDate {
  const ready = o.prerequisitesDoneBy && compareIsoDate(o.prerequisitesDoneBy, o.opensOn) > 0 ? o.prerequisitesDoneBy : o.opensOn;
  if (ANNOUNCED_WHEN_READY.has(topicOf(o.step))) return ready;
  if (o.step.done.fact === "follow-up-report") {
    const opens = roundWindow(o, o.step.done.round, undefined, cadence.reportRoundOpenWorkingDays, cadence.workingDays).opensOn;
    return compareIsoDate(opens, ready) >= 0 ? opens : ready;
  }
  const ahead = addWorkingDays(o.deadline, -cadence.firstNoticeWorkingDays, cadence.workingDays);
  return compareIsoDate(ahead, ready) >= 0 ? ahead : ready;
}

/** M working days after the first notice was sent: on the first working day on or after its date. */
export function reminderOn(o: Obligation, cadence: Cadence): IsoDate {
  const first = firstNoticeOn(o, cadence);
  const sent = isWorkingDay(first, cadence.workingDays) ? first : addWorkingDays(first, 1, cadence.workingDays);
  return addWorkingDays(sent, cadence.reminderAfterWorkingDays, cadence.workingDays);
}

/**
 * The stage of a step that is due at `today`, if any. Steps without a topic (a meeting to hold,
 * a budget, an allocation letter, the draft) are announced only when overdue: their own people
 * know them, and they show on the signing nudge as what blocks it.
 */
export function stageDue(o: Obligation, today: IsoDate, cadence: Cadence): NudgeStage | undefined {
  if (o.state === "overdue") return "overdue";
  if (o.state !== "open" && o.state !== "due-soon" && o.state !== "waiting" && o.state !== "blocked") return undefined;
  const topic = topicOf(o.step);
  if (topic === "other") return undefined;
  if (compareIsoDate(today, firstNoticeOn(o, cadence)) < 0) return undefined;
  // Signing (§2.1) and convening a regional meeting before the national one has a date (§4.2)
  // wait on others: the responsible hear in good time what they wait for and by when — once,
  // also when the deadline passes while they still wait (blocked): the late party hears of its
  // own step as overdue, and the one waiting is not blamed with an "overdue" of its own.
  if (o.state === "waiting" || o.state === "blocked") return topic === "sign" || topic === "convene" ? "blocked" : undefined;
  return compareIsoDate(today, reminderOn(o, cadence)) >= 0 && compareIsoDate(today, o.deadline) <= 0 ? "reminder" : "first";
}

/** A person (1:1 chat) or a conversation bound to a region (a channel or group chat). */
export type Recipient = { kind: "person"; personId: string } | { kind: "channel"; conversationKey: string; regionId: string };

export function recipientId(r: Recipient): string {
  return r.kind === "person" ? `person:${r.personId}` : `channel:${r.conversationKey}`;
}

/**
 * Why this recipient gets this nudge: they hold the responsible role; they are the region's
 * coordinator (or an admin) told of an overdue step; nobody holds the role, so the admins are
 * told (the card says which role is unassigned); the region's channel.
 */
export type NudgeReason = "responsible" | "escalation" | "unassigned" | "channel" | "fallback";

export interface NudgeItem {
  /** (region, cycle, step instance, stage): with the recipient, the key that is said only once. */
  key: string;
  regionId: string;
  year: number;
  stage: NudgeStage;
  topic: NudgeTopic;
  reason: NudgeReason;
  /** For a round-due item: the first agency's obligation (deadline, meeting, sections). */
  obligation: Obligation;
  /** A round-due item: who has answered the round, who will not, who is missing. */
  round?: RoundTally;
}

/**
 * Where a report round stands among the region's agencies (§3.1, §3.2): answered (the report is
 * submitted: the step is done), will not report (marked so, with a reason: not applicable), and
 * the rest, missing.
 */
export interface RoundTally {
  round: Round;
  stepId: string;
  answered: AgencyId[];
  waived: AgencyId[];
  missing: AgencyId[];
}

/**
 * The tally of one round from its per-agency obligations (one step id, one region, one cycle).
 * Undefined when there is nothing to tell: no agency is asked (no agreement in force, or all
 * marked "will not report"), or the round was before the region's tracking started.
 */
export function roundTally(obligations: readonly Obligation[]): RoundTally | undefined {
  const first = obligations[0];
  if (!first || first.step.done.fact !== "follow-up-report") return undefined;
  if (obligations.some((o) => o.state === "not-tracked")) return undefined;
  if (obligations.every((o) => o.state === "not-applicable")) return undefined;
  const agencies = (keep: (o: Obligation) => boolean) => obligations.filter(keep).map((o) => o.party as AgencyId);
  return {
    round: first.step.done.round,
    stepId: first.stepId,
    answered: agencies((o) => o.state === "done"),
    waived: agencies((o) => o.state === "not-applicable"),
    missing: agencies((o) => o.state !== "done" && o.state !== "not-applicable"),
  };
}

/**
 * The follow-up report rounds of a track, by `year|stepId` (a track holds every active cycle):
 * each round's per-agency obligations together (they share the meeting, hence the round's dates).
 */
export function reportRounds(obligations: readonly Obligation[]): Map<string, Obligation[]> {
  const rounds = new Map<string, Obligation[]>();
  for (const o of obligations) {
    if (o.step.done.fact !== "follow-up-report") continue;
    const ref = `${o.year}|${o.stepId}`;
    rounds.set(ref, [...(rounds.get(ref) ?? []), o]);
  }
  return rounds;
}

/**
 * Whether the region's coordinator should hear of the round at `today`: from the first working
 * day after its due day (the runs are on working days) until its meeting. Said once (the outbox),
 * so a run missed on that day still says it the next.
 */
export function roundDueToday(obligations: readonly Obligation[], today: IsoDate): RoundTally | undefined {
  const first = obligations[0];
  if (!first || compareIsoDate(today, first.deadline) <= 0) return undefined;
  if (compareIsoDate(today, first.meetingOn ?? first.deadline) > 0) return undefined;
  return roundTally(obligations);
}

/**
 * A round's opening (§3.1, §3.2) reaches each agency contact as a card of its own per agency
 * and region, not inside the digest: someone who answers for IN in three regions gets three
 * cards, each the start of one report. The admins told of an unassigned contact, a channel, and
 * what comes later (reminders, overdue) stay in the digest.
 */
export function sentAlone(item: { stage: NudgeStage; topic: NudgeTopic; reason: NudgeReason }, recipient: Recipient): boolean {
  return recipient.kind === "person" && item.topic === "report" && item.stage === "first" && item.reason === "responsible";
}

export interface Digest {
  recipient: Recipient;
  /** Most urgent first. */
  items: NudgeItem[];
}

export interface Directory {
  /** Everyone holding a role (admins included), by Entra object id. */
  people: ReadonlyArray<{ personId: string; roles: readonly Role[] }>;
  /** The admins: stored and from ADMIN_AAD_IDS. */
  admins: readonly string[];
  /** Conversations bound to a region (`bind`). */
  channels: ReadonlyArray<{ conversationKey: string; regionId: string }>;
}

export interface PlanInput {
  today: IsoDate;
  cadence: Cadence;
  /**
   * The day the first notice of a step instance (`region|year|stepKey`) was said to a recipient,
   * if it was. A reminder follows the first notice a person actually got: someone who never got
   * it (the step could not be done until a late-recorded prerequisite, or the bot came later)
   * gets the first notice, and the reminder M working days after that.
   */
  firstSaidOn?: (recipientId: string, stepRef: string) => IsoDate | undefined;
  /** The obligations of the active cycles: the national track under `national`, each region under its id. */
  tracks: ReadonlyArray<{ regionId: string; obligations: readonly Obligation[] }>;
  directory: Directory;
  /**
   * Deputies named for a report (issue 10: a person an agency's contact names to answer for it
   * in one region and round), by step instance `region|year|stepKey`: told as its contacts are.
   */
  deputies?: ReadonlyMap<string, readonly string[]>;
}

export function nudgeKey(regionId: string, o: Pick<Obligation, "year" | "key">, stage: NudgeStage): string {
  return `${regionId}|${o.year}|${o.key}|${stage}`;
}

/**
 * Everything due at `today`, one digest per recipient, most urgent first. A person gets one card
 * whatever the number of steps; a channel gets one card for its region. The caller removes what
 * was already said (the outbox) and what the recipient snoozed.
 */
export function planNudges(input: PlanInput): Digest[] {
  const digests = new Map<string, Digest>();
  const add = (recipient: Recipient, item: NudgeItem) => {
    const id = recipientId(recipient);
    const digest = digests.get(id) ?? { recipient, items: [] };
    // One recipient may be reached for two reasons (responsible and escalation): said once.
    if (!digest.items.some((i) => i.key === item.key)) digest.items.push(item);
    digests.set(id, digest);
  };

  for (const track of input.tracks) {
    for (const o of track.obligations) {
      const due = stageDue(o, input.today, input.cadence);
      if (!due) continue;
      const stepRef = `${track.regionId}|${o.year}|${o.key}`;
      const stageFor = (recipient: Recipient): NudgeStage | undefined => {
        if (due !== "reminder" || !input.firstSaidOn) return due;
        const first = input.firstSaidOn(recipientId(recipient), stepRef);
        if (first === undefined) return "first";
        const remindOn = addWorkingDays(first, input.cadence.reminderAfterWorkingDays, input.cadence.workingDays);
        return compareIsoDate(input.today, remindOn) >= 0 ? "reminder" : undefined;
      };
      const tell = (recipient: Recipient, reason: NudgeReason) => {
        const stage = stageFor(recipient);
        if (!stage) return;
        add(recipient, { key: nudgeKey(track.regionId, o, stage), regionId: track.regionId, year: o.year, stage, topic: topicOf(o.step), reason, obligation: o });
      };
      const person = (personId: string): Recipient => ({ kind: "person", personId });
      const holders = [...new Set([...holdersOf(o.responsible, input.directory), ...(input.deputies?.get(stepRef) ?? [])])];
      if (holders.length > 0) for (const personId of holders) tell(person(personId), "responsible");
      else for (const personId of input.directory.admins) tell(person(personId), "unassigned");
      if (due === "overdue") {
        // §4.2: the region's leadership answers for the region's process; nationally, the admins.
        const escalateTo =
          track.regionId === NATIONAL ? input.directory.admins : holdersOf({ role: "region-coordinator", regionId: track.regionId }, input.directory);
        const to = escalateTo.length > 0 ? escalateTo : input.directory.admins;
        for (const personId of to) tell(person(personId), "escalation");
      }
      if (track.regionId !== NATIONAL) {
        for (const channel of input.directory.channels.filter((c) => c.regionId === track.regionId)) {
          tell({ kind: "channel", conversationKey: channel.conversationKey, regionId: channel.regionId }, "channel");
        }
      }
    }
    if (track.regionId === NATIONAL) continue;
    // §3.1, §3.2, §4.2: the region's leadership prepares the meeting; once the round is due it
    // hears whether every report is in, or who is missing — nobody holding the role: the admins.
    for (const round of reportRounds(track.obligations).values()) {
      const tally = roundDueToday(round, input.today);
      if (!tally) continue;
      const o = round[0]!;
      const item = (reason: NudgeReason): NudgeItem => ({
        key: nudgeKey(track.regionId, { year: o.year, key: o.stepId }, "round-due"),
        regionId: track.regionId,
        year: o.year,
        stage: "round-due",
        topic: "report",
        reason,
        obligation: o,
        round: tally,
      });
      const coordinators = holdersOf({ role: "region-coordinator", regionId: track.regionId }, input.directory);
      if (coordinators.length > 0) for (const personId of coordinators) add({ kind: "person", personId }, item("responsible"));
      else for (const personId of input.directory.admins) add({ kind: "person", personId }, item("unassigned"));
    }
  }
  return [...digests.values()].map((d) => ({ ...d, items: [...d.items].sort(byNudgeUrgency) }));
}

const STAGE_RANK: Record<NudgeStage, number> = { overdue: 0, "round-due": 1, reminder: 2, first: 3, blocked: 4 };
/** What is the recipient's own comes before what they hear of for others (an unassigned role). */
const REASON_RANK: Record<NudgeReason, number> = { responsible: 0, fallback: 1, escalation: 2, channel: 3, unassigned: 4 };

/**
 * Overdue first, then reminders, then new notices; within a stage the nearest deadline first,
 * the recipient's own before what they are told as admins; then by region and step.
 */
export function byNudgeUrgency(
  a: { stage: NudgeStage; reason: NudgeReason; regionId: string; obligation: Pick<Obligation, "deadline" | "key"> },
  b: { stage: NudgeStage; reason: NudgeReason; regionId: string; obligation: Pick<Obligation, "deadline" | "key"> },
): number {
  return (
    STAGE_RANK[a.stage] - STAGE_RANK[b.stage] ||
    compareIsoDate(a.obligation.deadline, b.obligation.deadline) ||
    REASON_RANK[a.reason] - REASON_RANK[b.reason] ||
    a.regionId.localeCompare(b.regionId) ||
    a.obligation.key.localeCompare(b.obligation.key)
  );
}

/**
 * Who holds a responsibility, by Entra object id. A regional agency step (a follow-up report) goes
 * to the agency's regional contact, else its national contact (who may act for the regional
 * offices, roles.ts); a signature only to the regional contact, who binds the agency (§2.1).
 * Admins are not holders: they hear of a step only when nobody holds it, or when it is overdue.
 */
export function holdersOf(responsible: Obligation["responsible"], directory: Directory): string[] {
  const having = (match: (role: Role) => boolean) => directory.people.filter((p) => p.roles.some(match)).map((p) => p.personId);
  const { role, regionId, agency } = responsible;
  switch (role) {
    case "national-coordinator":
      return having((r) => r.kind === "national-coordinator");
    case "region-coordinator":
      return having((r) => r.kind === "region-coordinator" && r.regionId === regionId);
    case "agency-national":
      return having((r) => r.kind === "agency-rep" && r.agency === agency && r.regionId === undefined);
    case "agency-regional": {
      const regional = having((r) => r.kind === "agency-rep" && r.agency === agency && r.regionId === regionId);
      return regional.length > 0 ? regional : having((r) => r.kind === "agency-rep" && r.agency === agency && r.regionId === undefined);
    }
    case "party":
      return having((r) => r.kind === "agency-rep" && r.agency === agency && r.regionId === regionId);
  }
}

/** The role a card names as unassigned (`region-coordinator:46`), in canonical form. */
export function responsibleRoleText(responsible: Obligation["responsible"]): string {
  const { role, regionId, agency } = responsible;
  switch (role) {
    case "national-coordinator":
      return "national-coordinator";
    case "region-coordinator":
      return `region-coordinator:${regionId ?? ""}`;
    case "agency-national":
      return `agency-rep:${agency ?? ""}`;
    case "agency-regional":
    case "party":
      return `agency-rep:${agency ?? ""}:${regionId ?? ""}`;
  }
}
