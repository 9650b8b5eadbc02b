/**
 * Domain events: the only way the state of a cycle changes. Each is appended to the aggregate of
 * one region (or `national`) and cycle year, with who recorded it and when; the audit trail is
 * this list. Payloads are validated with zod at the edge and again when read back.
 */
import { z } from "zod";
import { MEETING_IDS, ROUNDS } from "./process.js";
import { AGENCY_IDS } from "./regions.js";
import { STANCES } from "./reports.js";

const IsoDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD");
const Agency = z.enum(AGENCY_IDS);
/** Who signs the agreement: the region itself or one of its party agencies (§2.1). */
export const PartySchema = z.union([z.literal("region"), Agency]);
export type Party = z.infer<typeof PartySchema>;

export const OUTCOMES = ["approved", "approved-with-changes", "sent-back"] as const;

export const EventDataSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("meeting-planned"), meeting: z.enum(MEETING_IDS), date: IsoDateSchema, place: z.string().max(300).optional() }),
  z.object({ type: z.literal("invitations-sent"), meeting: z.enum(MEETING_IDS), date: IsoDateSchema }),
  z.object({
    type: z.literal("meeting-held"),
    meeting: z.enum(MEETING_IDS),
    date: IsoDateSchema,
    /** §1: the national autumn meeting has two parts: experiences and opportunities. */
    parts: z.object({ experiences: z.boolean(), opportunities: z.boolean() }).optional(),
  }),
  z.object({
    type: z.literal("follow-up-report-submitted"),
    round: z.enum(ROUNDS),
    agency: Agency,
    date: IsoDateSchema,
    /**
     * Autumn (§3.2, §3): the agency's stance on the draft of next year's agreement, as submitted, so
     * the status card can say who has agreed (omforent) without reading the report documents. A
     * later submission that changes the stance records it again with the first submission's date.
     */
    stance: z.enum(STANCES).optional(),
  }),
  /** The region's coordinator (or an admin) marks that an agency will not report this round, and why: its reminders end. */
  z.object({ type: z.literal("follow-up-report-waived"), round: z.enum(ROUNDS), agency: Agency, reason: z.string().min(1).max(500) }),
  z.object({ type: z.literal("draft-agreement-ready"), date: IsoDateSchema, link: z.url().optional() }),
  z.object({
    type: z.literal("political-treatment-recorded"),
    body: z.string().min(1).max(200),
    date: IsoDateSchema,
    caseNumber: z.string().min(1).max(50),
    outcome: z.enum(OUTCOMES),
  }),
  z.object({ type: z.literal("state-budget-adopted"), date: IsoDateSchema }),
  z.object({ type: z.literal("allocation-letter-received"), agency: Agency, date: IsoDateSchema }),
  z.object({ type: z.literal("regional-budget-adopted"), date: IsoDateSchema }),
  z.object({ type: z.literal("agreement-signed"), party: PartySchema, date: IsoDateSchema }),
  z.object({ type: z.literal("commission-agreement-sent"), agency: Agency, date: IsoDateSchema }),
  /**
   * A step of a model file that the vocabulary has no fact for (fact "step-completed"): done on
   * `date`, for `party` when the step is per agency or party. `step` is the step's id in the model.
   */
  z.object({ type: z.literal("step-completed"), step: z.string().regex(/^[a-z][a-z0-9-]*$/).max(100), party: PartySchema.optional(), date: IsoDateSchema }),
  /** §2: the region's 4-year plan for knowledge, innovation and business development that frames the agreement. */
  z.object({
    type: z.literal("regional-plan-recorded"),
    from: z.number().int(),
    to: z.number().int(),
    title: z.string().max(200).optional(),
    link: z.url().optional(),
  }),
  /** §2: the plan's annual action plan (handlingsplan) for the cycle year. */
  z.object({ type: z.literal("action-plan-recorded"), date: IsoDateSchema, link: z.url().optional() }),
  /** Undo of an earlier event by the same person shortly after; kept, like everything, in the trail. */
  z.object({ type: z.literal("event-undone"), eventId: z.string().min(1) }),
]);
export type EventData = z.infer<typeof EventDataSchema>;

export const ActorSchema = z.object({
  /** Entra ID object id (from.aadObjectId); "system" for the app itself. */
  id: z.string().min(1),
  name: z.string(),
});
export type Actor = z.infer<typeof ActorSchema>;

export const DomainEventSchema = z.object({
  /** Unique per recorded action; the same action delivered twice carries the same id and is kept once. */
  id: z.string().min(1),
  recordedAt: z.iso.datetime({ offset: true }),
  by: ActorSchema,
  data: EventDataSchema,
});
export type DomainEvent = z.infer<typeof DomainEventSchema>;
