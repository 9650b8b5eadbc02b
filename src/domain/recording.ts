/**
 * Recording the process: what a person may ask to record (a request, one per card verb), and
 * the pure decision whether it becomes an event or is refused — with the field and the reason,
 * so that the person is told exactly what is wrong and nothing is written.
 */
import { DateTime } from "luxon";
import { z } from "zod";
import { addDays, compareIsoDate, parseIsoDate, type IsoDate } from "./calendar.js";
import { OUTCOMES, PartySchema, type Actor, type DomainEvent, type EventData, type Party } from "./events.js";
import { instanceKey, WINDOW_SLACK_DAYS, type Obligation } from "./obligations.js";
import { MEETING_IDS, ROUNDS, type MeetingId } from "./process.js";
import { AGENCY_IDS } from "./regions.js";

const DateField = z.string().refine((v) => parseIsoDate(v) !== undefined, "expected a date as YYYY-MM-DD");
const Agency = z.enum(AGENCY_IDS);
const Meeting = z.enum(MEETING_IDS);

/** One request per card verb (routed in src/bot/card-actions.ts); the card's inputs are its fields. */
export const RecordRequestSchema = z.discriminatedUnion("verb", [
  z.object({ verb: z.literal("meeting.plan"), meeting: Meeting, date: DateField, place: z.string().trim().max(300).optional() }),
  z.object({ verb: z.literal("meeting.invited"), meeting: Meeting, date: DateField }),
  z.object({
    verb: z.literal("meeting.held"),
    meeting: Meeting,
    date: DateField,
    experiences: z.boolean().optional(),
    opportunities: z.boolean().optional(),
  }),
  z.object({ verb: z.literal("report.submitted"), round: z.enum(ROUNDS), agency: Agency, date: DateField }),
  z.object({ verb: z.literal("draft.ready"), date: DateField, link: z.url({ protocol: /^https?$/ }).max(2000).optional() }),
  z.object({
    verb: z.literal("political.recorded"),
    body: z.string().trim().min(1).max(200),
    date: DateField,
    caseNumber: z.string().trim().min(1).max(50),
    outcome: z.enum(OUTCOMES),
  }),
  z.object({ verb: z.literal("stateBudget.adopted"), date: DateField }),
  z.object({ verb: z.literal("allocationLetter.received"), agency: Agency, date: DateField }),
  z.object({ verb: z.literal("regionalBudget.adopted"), date: DateField }),
  z.object({ verb: z.literal("agreement.signed"), party: PartySchema, date: DateField }),
  z.object({ verb: z.literal("commission.sent"), agency: Agency, date: DateField }),
  /** A model file's own step (fact "step-completed"): «Gjort», with the date; `party` for a step per agency or party. */
  z.object({ verb: z.literal("step.done"), step: z.string().regex(/^[a-z][a-z0-9-]*$/).max(100), party: PartySchema.optional(), date: DateField }),
]);
export type RecordRequest = z.infer<typeof RecordRequestSchema>;
export type RecordVerb = RecordRequest["verb"];
export const RECORD_VERBS = RecordRequestSchema.options.map((o) => o.shape.verb.value) as RecordVerb[];

export type Refusal =
  | { code: "not-allowed"; field?: undefined }
  | { code: "unknown-step"; field: string }
  | { code: "not-applicable"; field?: string }
  | { code: "already-done"; field?: undefined; date: IsoDate }
  | { code: "already-held"; field: "date"; date: IsoDate }
  | { code: "date-in-future"; field: "date" }
  | { code: "date-in-past"; field: "date" }
  | { code: "date-outside-window"; field: "date"; from: IsoDate; to: IsoDate }
  | { code: "meeting-order"; field: "date"; after: IsoDate }
  | { code: "before-prerequisite"; field: "date"; after: IsoDate }
  | { code: "parts-required"; field: "experiences" | "opportunities" }
  | { code: "prerequisites-missing"; missing: Obligation["missing"]; field?: undefined }
  | { code: "undo-unknown"; field?: undefined }
  | { code: "undo-not-yours"; field?: undefined }
  | { code: "undo-too-late"; field?: undefined; minutes: number }
  | { code: "undo-not-last"; field?: undefined }
  | { code: "plan-period"; field: "from" | "to"; year: number }
  | { code: "year-not-active"; field: "year"; year: number }
  | { code: "undo-depended-on"; field?: undefined; dependent: { stepId: string; year: number; party?: Party; regionId?: string } };

export type Decision = { ok: true; data: EventData; scope: "national" | "region"; stepKey: string } | { ok: false; refusal: Refusal };

export interface DecisionContext {
  /** Every step instance of the cycle (national and the region's), as `obligations` gives them. */
  obligations: readonly Obligation[];
  today: IsoDate;
  /** Whether the person may record a step with this responsible party (roles.ts `mayRecord`). */
  allowed: (responsible: Obligation["responsible"]) => boolean;
}


const MEETING_STEP: Record<MeetingId, string> = {
  "national-spring": "national-spring-meeting",
  "national-autumn": "national-autumn-meeting",
  "regional-spring": "regional-spring-meeting",
  "regional-autumn": "regional-autumn-meeting",
};
/** §3.1/§3.2: each regional meeting follows the national meeting of the same half-year. */
const FOLLOWS: Partial<Record<MeetingId, MeetingId>> = { "regional-spring": "national-spring", "regional-autumn": "national-autumn" };

/** The step instance a request records. */
export function stepKeyOf(request: RecordRequest): string {
  return stepKeyFor(request.verb, request as RequestParams);
}

/**
 * The step instance a form records, from its verb and identifying fields alone (a form is opened
 * before there is a date). Pure. A field the verb needs but `params` lacks gives a key no step has.
 */
export function stepKeyFor(verb: RecordVerb, params: RequestParams): string {
  const meetingStep = MEETING_STEP[params.meeting as MeetingId];
  switch (verb) {
    case "meeting.plan":
    case "meeting.invited":
      return `${meetingStep}-convened`;
    case "meeting.held":
      return `${meetingStep}-held`;
    case "report.submitted":
      return instanceKey(`follow-up-report-${params.round}`, params.agency);
    case "draft.ready":
      return "draft-agreement-ready";
    case "political.recorded":
      return "political-treatment";
    case "stateBudget.adopted":
      return "state-budget-adopted";
    case "allocationLetter.received":
      return instanceKey("allocation-letter-received", params.agency);
    case "regionalBudget.adopted":
      return "regional-budget-adopted";
    case "agreement.signed":
      return instanceKey("agreement-signed", params.party);
    case "commission.sent":
      return instanceKey("commission-agreement-sent", params.agency);
    case "step.done":
      // Without the step's id no step has the key "" (unknown-step).
      return instanceKey(params.step ?? "", params.party);
  }
}

/** Decides one request against the cycle as it stands. Pure. */
export function decide(request: RecordRequest, ctx: DecisionContext): Decision {
  const key = stepKeyOf(request);
  const step = ctx.obligations.find((o) => o.key === key);
  if (!step) return refuse({ code: "unknown-step", field: unknownField(request) });
  if (!ctx.allowed(step.responsible)) return refuse({ code: "not-allowed" });
  if (step.state === "not-applicable") return refuse({ code: "not-applicable", field: unknownField(request) });

  if (request.verb === "meeting.plan") return decidePlan(request, step, ctx);
  if (step.doneOn !== undefined) return refuse({ code: "already-done", date: step.doneOn });

  // A fact that happened: not in the future, and near the step's window.
  if (compareIsoDate(request.date, ctx.today) > 0) return refuse({ code: "date-in-future", field: "date" });
  const from = addDays(step.opensOn, -WINDOW_SLACK_DAYS);
  const to = addDays(step.deadline, WINDOW_SLACK_DAYS);
  if (compareIsoDate(request.date, from) < 0 || compareIsoDate(request.date, to) > 0)
    return refuse({ code: "date-outside-window", field: "date", from, to });

  // §2.1 (signing after budgets and letters) and §3.2 (treatment after the meeting and the draft):
  // a step that waits may not be recorded — unless its window was before the tracking start.
  if (step.missing.length > 0 && step.state !== "not-tracked") return refuse({ code: "prerequisites-missing", missing: step.missing });

  // §3.1/§3.2: a regional meeting is held after the national one, not the same day (as planned, decidePlan).
  const national = request.verb === "meeting.held" ? FOLLOWS[request.meeting] : undefined;
  const nationalHeldOn = national && ctx.obligations.find((o) => o.key === `${MEETING_STEP[national]}-held`)?.doneOn;
  if (nationalHeldOn && compareIsoDate(request.date, nationalHeldOn) <= 0) return refuse({ code: "meeting-order", field: "date", after: nationalHeldOn });
  // §2.1, §3, §3.3: not before what it requires was done (the same day is fine: budgets adopted
  // and agreement signed on one day); a draft sent back is reworked on or after its treatment.
  const notBefore = latest(step.prerequisitesDoneBy, step.reopenedOn);
  if (notBefore && compareIsoDate(request.date, notBefore) < 0) return refuse({ code: "before-prerequisite", field: "date", after: notBefore });

  if (request.verb === "meeting.held" && request.meeting === "national-autumn") {
    // §1: the autumn meeting has two parts; both are recorded.
    if (request.experiences !== true) return refuse({ code: "parts-required", field: "experiences" });
    if (request.opportunities !== true) return refuse({ code: "parts-required", field: "opportunities" });
  }
  return accept(step, eventData(request));
}

function decidePlan(request: Extract<RecordRequest, { verb: "meeting.plan" }>, convene: Obligation, ctx: DecisionContext): Decision {
  const held = ctx.obligations.find((o) => o.key === `${MEETING_STEP[request.meeting]}-held`)!;
  if (held.doneOn !== undefined) return refuse({ code: "already-held", field: "date", date: held.doneOn });
  if (compareIsoDate(request.date, ctx.today) < 0) return refuse({ code: "date-in-past", field: "date" });
  // §1 ("senest mars", "oktober/november") and product.md's windows for the regional meetings.
  const latest = held.deadline;
  const earliest = held.opensOn;
  if (compareIsoDate(request.date, earliest) < 0 || compareIsoDate(request.date, latest) > 0)
    return refuse({ code: "date-outside-window", field: "date", from: earliest, to: latest });
  const national = FOLLOWS[request.meeting];
  if (national) {
    const nationalHeld = ctx.obligations.find((o) => o.key === `${MEETING_STEP[national]}-held`);
    const nationalDate = nationalHeld?.doneOn ?? nationalHeld?.meeting?.plannedDate;
    if (nationalDate && compareIsoDate(request.date, nationalDate) <= 0) return refuse({ code: "meeting-order", field: "date", after: nationalDate });
  }
  return accept(convene, eventData(request));
}

function eventData(request: RecordRequest): EventData {
  switch (request.verb) {
    case "meeting.plan":
      return { type: "meeting-planned", meeting: request.meeting, date: request.date, ...(request.place ? { place: request.place } : {}) };
    case "meeting.invited":
      return { type: "invitations-sent", meeting: request.meeting, date: request.date };
    case "meeting.held":
      return {
        type: "meeting-held",
        meeting: request.meeting,
        date: request.date,
        ...(request.meeting === "national-autumn" ? { parts: { experiences: true, opportunities: true } } : {}),
      };
    case "report.submitted":
      return { type: "follow-up-report-submitted", round: request.round, agency: request.agency, date: request.date };
    case "draft.ready":
      return { type: "draft-agreement-ready", date: request.date, ...(request.link ? { link: request.link } : {}) };
    case "political.recorded":
      return { type: "political-treatment-recorded", body: request.body, date: request.date, caseNumber: request.caseNumber, outcome: request.outcome };
    case "stateBudget.adopted":
      return { type: "state-budget-adopted", date: request.date };
    case "allocationLetter.received":
      return { type: "allocation-letter-received", agency: request.agency, date: request.date };
    case "regionalBudget.adopted":
      return { type: "regional-budget-adopted", date: request.date };
    case "agreement.signed":
      return { type: "agreement-signed", party: request.party as Party, date: request.date };
    case "commission.sent":
      return { type: "commission-agreement-sent", agency: request.agency, date: request.date };
    case "step.done":
      return { type: "step-completed", step: request.step, ...(request.party ? { party: request.party } : {}), date: request.date };
  }
}

function latest(a: IsoDate | undefined, b: IsoDate | undefined): IsoDate | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return compareIsoDate(a, b) >= 0 ? a : b;
}

function unknownField(request: RecordRequest): string {
  if ("agency" in request) return "agency";
  if ("party" in request) return "party";
  return "verb";
}

function accept(step: Obligation, data: EventData): Decision {
  return { ok: true, data, scope: step.step.scope, stepKey: step.key };
}

function refuse(refusal: Refusal): Decision {
  return { ok: false, refusal };
}

/** How long after recording a person may undo their own change. */
export const UNDO_MINUTES = 15;

/**
 * Undo: a person may take back their own last change in an aggregate within UNDO_MINUTES. The
 * undo is an event of its own, so the audit trail keeps both the change and its withdrawal.
 */
export function decideUndo(events: readonly DomainEvent[], eventId: string, actor: Actor, now: DateTime): { ok: true; data: EventData } | { ok: false; refusal: Refusal } {
  const undone = new Set(events.flatMap((e) => (e.data.type === "event-undone" ? [e.data.eventId] : [])));
  const target = events.find((e) => e.id === eventId && e.data.type !== "event-undone");
  if (!target || undone.has(eventId)) return { ok: false, refusal: { code: "undo-unknown" } };
  if (target.by.id !== actor.id) return { ok: false, refusal: { code: "undo-not-yours" } };
  const ageMinutes = now.diff(DateTime.fromISO(target.recordedAt), "minutes").minutes;
  if (ageMinutes > UNDO_MINUTES) return { ok: false, refusal: { code: "undo-too-late", minutes: UNDO_MINUTES } };
  const lastOwn = [...events].reverse().find((e) => e.by.id === actor.id && e.data.type !== "event-undone" && !undone.has(e.id));
  if (lastOwn?.id !== eventId) return { ok: false, refusal: { code: "undo-not-last" } };
  return { ok: true, data: { type: "event-undone", eventId } };
}

/** The identifying fields of a request besides its verb and inputs (which meeting, agency, party, round). */
export type RequestParams = Partial<{ meeting: MeetingId; agency: (typeof AGENCY_IDS)[number]; party: Party; round: (typeof ROUNDS)[number]; step: string }>;

/** States in which a step can be recorded as done: due now, late, or from before the tracking start (backfill). */
const RECORDABLE = new Set<Obligation["state"]>(["open", "due-soon", "overdue", "not-tracked"]);

/**
 * The forms a step offers, given its state: a meeting can be planned (and re-planned) until it
 * is held; anything else can be recorded once it is due. Whether the person may use them is
 * their role's business (mayRecord), decided by the caller.
 */
export function formsFor(o: Obligation): Array<{ verb: RecordVerb; params: RequestParams }> {
  const meeting = o.step.meeting;
  const agency = o.party !== undefined && o.party !== "region" ? o.party : undefined;
  // A step still waiting for its prerequisites (even when overdue) gets no button that could only be refused.
  const due = RECORDABLE.has(o.state) && (o.missing.length === 0 || o.state === "not-tracked");
  if (meeting && o.stepId.endsWith("-convened")) {
    const held = o.meeting?.heldOn !== undefined;
    return [
      ...(!held && o.state !== "not-applicable" ? [{ verb: "meeting.plan" as const, params: { meeting } }] : []),
      ...(due ? [{ verb: "meeting.invited" as const, params: { meeting } }] : []),
    ];
  }
  if (!due) return [];
  if (meeting) return [{ verb: "meeting.held", params: { meeting } }];
  switch (o.step.done.fact) {
    case "follow-up-report":
      return agency ? [{ verb: "report.submitted", params: { round: o.step.done.round, agency } }] : [];
    case "draft-agreement-ready":
      return [{ verb: "draft.ready", params: {} }];
    case "political-treatment-approved":
      return [{ verb: "political.recorded", params: {} }];
    case "state-budget-adopted":
      return [{ verb: "stateBudget.adopted", params: {} }];
    case "allocation-letter-received":
      return agency ? [{ verb: "allocationLetter.received", params: { agency } }] : [];
    case "regional-budget-adopted":
      return [{ verb: "regionalBudget.adopted", params: {} }];
    case "agreement-signed":
      return o.party ? [{ verb: "agreement.signed", params: { party: o.party } }] : [];
    case "commission-agreement-sent":
      return agency ? [{ verb: "commission.sent", params: { agency } }] : [];
    case "step-completed":
      return [{ verb: "step.done", params: { step: o.stepId, ...(o.party !== undefined ? { party: o.party } : {}) } }];
    default:
      return [];
  }
}

/**
 * Backfill (a fresh install mid-year): the request that records a step from before the tracking
 * start with nothing but its date — or none, for steps that need more (a political treatment's
 * body, case number and outcome are recorded on their own form).
 */
export function backfillRequest(o: Obligation, date: IsoDate): RecordRequest | undefined {
  if (o.state !== "not-tracked") return undefined;
  const form = formsFor(o).find((f) => f.verb !== "meeting.plan" && f.verb !== "political.recorded");
  if (!form) return undefined;
  const parts = form.verb === "meeting.held" && form.params.meeting === "national-autumn" ? { experiences: true, opportunities: true } : {};
  return RecordRequestSchema.parse({ verb: form.verb, ...form.params, ...parts, date });
}

/**
 * §2: the regional plan (four years) and its annual action plan frame the agreement. They are
 * facts about the region, not steps with deadlines: recorded (and revised) by the region's
 * coordinator, shown on the region's card.
 */
export const PlanRequestSchema = z.discriminatedUnion("verb", [
  z.object({
    verb: z.literal("plan.regional"),
    from: z.coerce.number().int().min(2000).max(2999),
    to: z.coerce.number().int().min(2000).max(2999),
    title: z.string().trim().max(200).optional(),
    link: z.url({ protocol: /^https?$/ }).max(2000).optional(),
  }),
  z.object({ verb: z.literal("plan.action"), date: DateField, link: z.url({ protocol: /^https?$/ }).max(2000).optional() }),
]);
export type PlanRequest = z.infer<typeof PlanRequestSchema>;
export const PLAN_VERBS = PlanRequestSchema.options.map((o) => o.shape.verb.value) as Array<PlanRequest["verb"]>;

export function decidePlanRecord(
  request: PlanRequest,
  ctx: { year: number; today: IsoDate; allowed: boolean },
): { ok: true; data: EventData } | { ok: false; refusal: Refusal } {
  if (!ctx.allowed) return { ok: false, refusal: { code: "not-allowed" } };
  if (request.verb === "plan.regional") {
    // A 4-year plan that covers the cycle year.
    if (request.to - request.from !== 3) return { ok: false, refusal: { code: "plan-period", field: "to", year: ctx.year } };
    if (ctx.year < request.from || ctx.year > request.to) return { ok: false, refusal: { code: "plan-period", field: "from", year: ctx.year } };
    return {
      ok: true,
      data: { type: "regional-plan-recorded", from: request.from, to: request.to, ...(request.title ? { title: request.title } : {}), ...(request.link ? { link: request.link } : {}) },
    };
  }
  // The year's action plan is adopted before or during the year, not after it.
  if (compareIsoDate(request.date, ctx.today) > 0) return { ok: false, refusal: { code: "date-in-future", field: "date" } };
  const from = `${ctx.year - 1}-06-01`;
  const to = `${ctx.year}-12-31`;
  if (compareIsoDate(request.date, from) < 0 || compareIsoDate(request.date, to) > 0)
    return { ok: false, refusal: { code: "date-outside-window", field: "date", from, to } };
  return { ok: true, data: { type: "action-plan-recorded", date: request.date, ...(request.link ? { link: request.link } : {}) } };
}

/**
 * What an undo would leave inconsistent: steps still done whose prerequisite the undo takes
 * away (the regional spring meeting held, after the national one is undone), or whose meeting
 * date it takes away (§4.2: the region's invitations, sent once the national meeting had a date).
 * `before` and `after` are the same cycle's obligations with and without the undone event.
 */
export function dependentsOfUndo(before: readonly Obligation[], after: readonly Obligation[]): Obligation[] {
  const counterpart = (o: Obligation) => after.find((a) => a.key === o.key && a.responsible.regionId === o.responsible.regionId);
  const lost = new Set(before.filter((o) => o.doneOn !== undefined && counterpart(o)?.doneOn === undefined).map((o) => o.stepId));
  const dateOf = (o: Obligation | undefined) => o?.meeting?.plannedDate ?? o?.meeting?.heldOn;
  const lostDates = new Set(
    before.flatMap((o) => (o.step.meeting && dateOf(o) !== undefined && dateOf(counterpart(o)) === undefined ? [o.step.meeting] : [])),
  );
  if (lost.size === 0 && lostDates.size === 0) return [];
  return after.filter((o) => o.doneOn !== undefined && (o.step.requires.some((id) => lost.has(id)) || o.step.requiresMeetingDate.some((m) => lostDates.has(m))));
}
