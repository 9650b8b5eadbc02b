/**
 * The documents the app keeps, as zod schemas: parsed when read so that nothing unchecked
 * enters the domain. Every document has `type` and `schemaVersion` (architecture.md).
 */
import { z } from "zod";
import { DomainEventSchema } from "../domain/events.js";
import { AgreementEventSchema } from "../domain/agreement.js";
import { ReportContentSchema, REPORT_LIMITS } from "../domain/reports.js";
import { ROUNDS } from "../domain/process.js";
import { AGENCY_IDS, regionById } from "../domain/regions.js";
import { isCanonicalRole } from "../domain/roles.js";

/** Partition of documents that belong to the installation, not to a region. */
export const SYSTEM_PARTITION = "_system";

export const cycleDocumentId = (year: number) => `cycle-${year}`;

/**
 * Cycle version 2 added the event `step-completed` (a model file's own step, MODEL_PATH), which a
 * release that knows only version 1 cannot parse. A cycle that holds one is written at version 2,
 * so that such a release refuses it clearly (NewerDocumentError, src/store/migrations.ts) instead
 * of failing on an unknown event; every other cycle is still written at version 1, which every
 * release reads, so that an installation on the built-in model can still roll back.
 */
export const cycleSchemaVersion = (events: ReadonlyArray<{ data: { type: string } }>): 1 | 2 =>
  events.some((event) => event.data.type === "step-completed") ? 2 : 1;

/** One aggregate per region (or `national`) and cycle year: the append-only event list (§ per event). */
export const CycleDocumentSchema = z.object({
  id: z.string(),
  partition: z.string(),
  type: z.literal("cycle"),
  /** 1, or 2 when it holds a `step-completed` event (cycleSchemaVersion). */
  schemaVersion: z.literal([1, 2]),
  regionId: z.string(),
  year: z.number().int().min(2000).max(2999),
  events: z.array(DomainEventSchema),
});
export type CycleDocument = z.infer<typeof CycleDocumentSchema>;

const Agency = z.enum(AGENCY_IDS);
const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const RegionOverridesSchema = z.object({
  partyAgencies: z.array(Agency).optional(),
  commissionAgencies: z.array(Agency).optional(),
  trackingStart: IsoDate.optional(),
});
export type RegionOverrides = z.infer<typeof RegionOverridesSchema>;

/** Installation-wide settings: when tracking started, and per-region configuration. */
export const SettingsDocumentSchema = z.object({
  id: z.literal("settings"),
  partition: z.literal(SYSTEM_PARTITION),
  type: z.literal("settings"),
  schemaVersion: z.literal(1),
  /** The day the app first started: the default tracking start of every region. */
  trackingStart: IsoDate,
  regions: z.record(z.string(), RegionOverridesSchema),
});
export type SettingsDocument = z.infer<typeof SettingsDocumentSchema>;

/** Who did something: the person's Entra ID object id and display name at the time. */
const PersonRefSchema = z.object({ id: z.string().min(1), name: z.string() });
const IsoInstant = z.iso.datetime({ offset: true });

/**
 * Entra ID object ids are GUIDs; the Agents Playground's are GUID-like but longer. Both are safe
 * as document ids (no `/ \ ? #`), which is what matters for the per-person documents.
 */
export const PersonIdSchema = z.string().regex(/^[0-9A-Za-z-]{1,100}$/, "expected an Entra ID object id");

export const RoleAssignmentSchema = z.object({
  personId: PersonIdSchema,
  /** Display name when granted: shown in lists; the id is what counts. */
  name: z.string(),
  /** Canonical role string (`region-coordinator:46`), nothing else. */
  role: z.string().refine(isCanonicalRole, "expected a canonical role such as region-coordinator:46"),
  grantedBy: PersonRefSchema,
  grantedAt: IsoInstant,
});
export type RoleAssignment = z.infer<typeof RoleAssignmentSchema>;

/**
 * Every role assignment of the installation in one document: small (a few hundred entries at
 * most), written only by admins, and read whole both to authorize and to list who holds what.
 */
export const RolesDocumentSchema = z.object({
  id: z.literal("roles"),
  partition: z.literal(SYSTEM_PARTITION),
  type: z.literal("roles"),
  schemaVersion: z.literal(1),
  assignments: z.array(RoleAssignmentSchema),
});
export type RolesDocument = z.infer<typeof RolesDocumentSchema>;

export const ChannelBindingSchema = z.object({
  regionId: z.string().refine((id) => regionById(id) !== undefined, "expected a region id such as 46"),
  boundBy: PersonRefSchema,
  boundAt: IsoInstant,
});
export type ChannelBinding = z.infer<typeof ChannelBindingSchema>;

/** Conversations (channels, group chats) bound to a region, by conversation id without the thread suffix. */
export const BindingsDocumentSchema = z.object({
  id: z.literal("bindings"),
  partition: z.literal(SYSTEM_PARTITION),
  type: z.literal("bindings"),
  schemaVersion: z.literal(1),
  channels: z.record(z.string(), ChannelBindingSchema),
});
export type BindingsDocument = z.infer<typeof BindingsDocumentSchema>;

/**
 * Partition of the per-person documents. Each person writes only their own document, so
 * thousands of people choosing a language never contend for one etag, and a turn reads just
 * the one document it needs.
 */
export const PEOPLE_PARTITION = "_people";

/** One person's preferences; id = their Entra ID object id. */
export const PersonDocumentSchema = z.object({
  id: PersonIdSchema,
  partition: z.literal(PEOPLE_PARTITION),
  type: z.literal("person"),
  schemaVersion: z.literal(1),
  /** The language the person chose (`språk nynorsk`); absent → their Teams locale decides. */
  lang: z.enum(["nb", "nn", "en"]).optional(),
  updatedAt: IsoInstant,
});
export type PersonDocument = z.infer<typeof PersonDocumentSchema>;

/**
 * Partition of the conversation references: where the bot can post on its own (nudges). One
 * document per conversation; a person's 1:1 chat is found by their Entra object id, a channel or
 * group chat by its conversation key (as bindings use it).
 */
export const CONVERSATIONS_PARTITION = "_conversations";

/** What botbuilder needs to post into a conversation later (a ConversationReference, trimmed to what is used). */
export const ConversationAddressSchema = z.object({
  serviceUrl: z.url({ protocol: /^https?$/ }),
  channelId: z.string().min(1),
  conversationId: z.string().min(1),
  conversationType: z.enum(["personal", "groupChat", "channel"]),
  tenantId: z.string().optional(),
  botId: z.string().min(1),
  botName: z.string().optional(),
});
export type ConversationAddress = z.infer<typeof ConversationAddressSchema>;

export const ConversationDocumentSchema = z.object({
  id: z.string().min(1),
  partition: z.literal(CONVERSATIONS_PARTITION),
  type: z.literal("conversation"),
  schemaVersion: z.literal(1),
  /** The person of a 1:1 chat (Entra object id). */
  personId: PersonIdSchema.optional(),
  /** A channel or group chat: the conversation id without the thread suffix (as in bindings). */
  conversationKey: z.string().optional(),
  /** The team of a channel (Teams' team id), so that a team's members can be reached 1:1. */
  teamId: z.string().optional(),
  address: ConversationAddressSchema,
  /** The locale Teams last sent from this conversation: the language of a nudge to a person who chose none. */
  locale: z.string().max(50).optional(),
  /** Teams refused to deliver here (403/404): not tried again until the conversation speaks up again. */
  unreachable: z.object({ status: z.number().int(), code: z.string(), at: IsoInstant }).optional(),
  updatedAt: IsoInstant,
});
export type ConversationDocument = z.infer<typeof ConversationDocumentSchema>;

/** Partition of the nudge outbox: one mailbox per recipient, and the scheduler's lease. */
export const NUDGES_PARTITION = "_nudges";

const NudgeStageSchema = z.enum(["first", "blocked", "reminder", "overdue", "round-due"]);

/** A nudge waiting in a mailbox: what to say; the card is rendered from the step as it stands when sent. */
export const PendingItemSchema = z.object({
  key: z.string().min(1),
  regionId: z.string().min(1),
  year: z.number().int(),
  stepKey: z.string().min(1),
  stage: NudgeStageSchema,
  reason: z.enum(["responsible", "escalation", "unassigned", "channel", "fallback"]),
});
export type PendingItem = z.infer<typeof PendingItemSchema>;

/**
 * The outbox of one recipient (a person or a bound conversation). A run records what it is about
 * to say in `pending` before sending (so a crash loses nothing), claims it with the etag (so two
 * instances do not both send it), and moves the keys to `said` after Teams accepted the card (so
 * nothing is said twice). `snoozed` holds the recipient's snoozes by step instance.
 */
export const MailboxDocumentSchema = z.object({
  id: z.string().min(1),
  partition: z.literal(NUDGES_PARTITION),
  type: z.literal("mailbox"),
  schemaVersion: z.literal(1),
  recipient: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("person"), personId: PersonIdSchema }),
    z.object({ kind: z.literal("channel"), conversationKey: z.string().min(1), regionId: z.string().min(1) }),
  ]),
  /** Nudge keys already dealt with: sent, or given up on because the recipient cannot be reached (said elsewhere instead). */
  said: z.record(z.string(), z.object({ on: IsoDate, outcome: z.enum(["sent", "unreachable", "rejected"]) })),
  /** Step instances (`region|year|stepKey`) the recipient snoozed, until that day (inclusive). */
  snoozed: z.record(z.string(), IsoDate),
  pending: z
    .object({
      digestId: z.string().min(1),
      createdOn: IsoDate,
      items: z.array(PendingItemSchema).min(1),
      /** Set while one run is sending it; another run leaves it alone until `until` has passed. */
      claim: z.object({ by: z.string().min(1), until: IsoInstant }).optional(),
      attempts: z.number().int().min(0),
      lastError: z.string().max(300).optional(),
    })
    .optional(),
});
export type MailboxDocument = z.infer<typeof MailboxDocumentSchema>;

/** Only one instance runs the nudges at a time: it holds this lease (renewed while it runs). */
export const LeaseDocumentSchema = z.object({
  id: z.string().min(1),
  partition: z.literal(NUDGES_PARTITION),
  type: z.literal("lease"),
  schemaVersion: z.literal(1),
  holder: z.string().min(1),
  until: IsoInstant,
});
export type LeaseDocument = z.infer<typeof LeaseDocumentSchema>;

export const agreementDocumentId = (year: number) => `agreement-${year}`;

/**
 * A region's agreement for one agreement year (§2.1): its parties and tasks, as the append-only
 * list of changes (domain/agreement.ts). In the region's partition, beside its cycles.
 */
export const AgreementDocumentSchema = z.object({
  id: z.string(),
  partition: z.string(),
  type: z.literal("agreement"),
  schemaVersion: z.literal(1),
  regionId: z.string(),
  year: z.number().int().min(2000).max(2999),
  events: z.array(AgreementEventSchema),
});
export type AgreementDocument = z.infer<typeof AgreementDocumentSchema>;

export const reportDocumentId = (year: number, round: string, agency: string) => `report-${year}-${round}-${agency}`;

const ReportVersionSchema = z.object({
  content: ReportContentSchema,
  submittedAt: IsoInstant,
  by: PersonRefSchema,
  /** Submitted after the round's due day (§3.1/§3.2 deadline): accepted, and marked. */
  late: z.boolean(),
  /** The card action that submitted it: a retried click is recognised. */
  actionId: z.string().min(1).max(100),
});
export type ReportVersion = z.infer<typeof ReportVersionSchema>;

/**
 * One agency's follow-up report for one region and round (agreement × agency × round). Its own
 * document, not part of the region's cycle: a busy round does not contend with the region's card
 * actions. Every submission is kept (`versions`, oldest first); the draft is what was saved since
 * the last submission and never shown to viewers.
 */
export const ReportDocumentSchema = z.object({
  id: z.string(),
  partition: z.string(),
  type: z.literal("report"),
  schemaVersion: z.literal(1),
  regionId: z.string(),
  /** The cycle year, which is the agreement year followed up. */
  year: z.number().int().min(2000).max(2999),
  round: z.enum(ROUNDS),
  agency: Agency,
  draft: z.object({ content: ReportContentSchema, savedAt: IsoInstant, by: PersonRefSchema }).optional(),
  versions: z.array(ReportVersionSchema),
  /** People an agency contact named to answer for the agency in this region and round. */
  deputies: z.array(z.object({ personId: PersonIdSchema, name: z.string().max(256), by: PersonRefSchema, at: IsoInstant })),
  /** Marked by the region's coordinator or an admin: shown in the summary, ends the reminders. */
  willNotReport: z.object({ reason: z.string().min(1).max(REPORT_LIMITS.willNotReportReason), by: PersonRefSchema, at: IsoInstant }).optional(),
  /** The last card actions applied (drafts and submissions), so a retried click changes nothing. */
  actionIds: z.array(z.string()).max(100),
});
export type ReportDocument = z.infer<typeof ReportDocumentSchema>;

export const REPORT_LINK_SECRET_ID = "report-link-secret";

/**
 * The key that signs the report download links (src/exports/links.ts) when REPORT_LINK_SECRET is
 * not configured: made once by the first instance that needs it (created only if absent), so
 * every instance signs and checks alike. Replacing it invalidates the links out there, which
 * live 15 minutes anyway.
 */
export const ReportLinkSecretDocumentSchema = z.object({
  id: z.literal(REPORT_LINK_SECRET_ID),
  partition: z.literal(SYSTEM_PARTITION),
  type: z.literal("report-link-secret"),
  schemaVersion: z.literal(1),
  /** 32 random bytes, base64url. */
  secret: z.string().min(43),
  createdAt: IsoInstant,
});
export type ReportLinkSecretDocument = z.infer<typeof ReportLinkSecretDocumentSchema>;

export const PSEUDONYM_KEY_ID = "pseudonym-key";

/**
 * The key of the pseudonyms that replace an erased person's Entra object id in the audit trail
 * (`npm run store -- person erase`, src/app/personal-data.ts): made by the first erasure (created
 * only if absent) and never changed, so that every entry of one person — also across an erasure
 * that stopped half-way and was run again — gets the same pseudonym, and nobody holding only the
 * trail (or a list of the tenant's ids) can tell whose it was. Replacing or deleting it breaks
 * the link between a person erased before and after; nothing else.
 */
export const PseudonymKeyDocumentSchema = z.object({
  id: z.literal(PSEUDONYM_KEY_ID),
  partition: z.literal(SYSTEM_PARTITION),
  type: z.literal("pseudonym-key"),
  schemaVersion: z.literal(1),
  /** 32 random bytes, base64url. */
  key: z.string().min(43),
  createdAt: IsoInstant,
});
export type PseudonymKeyDocument = z.infer<typeof PseudonymKeyDocumentSchema>;

/** Every document type the app stores, with the schema a stored or imported document must satisfy. */
export const DOCUMENT_SCHEMAS = {
  settings: SettingsDocumentSchema,
  roles: RolesDocumentSchema,
  bindings: BindingsDocumentSchema,
  person: PersonDocumentSchema,
  cycle: CycleDocumentSchema,
  conversation: ConversationDocumentSchema,
  mailbox: MailboxDocumentSchema,
  lease: LeaseDocumentSchema,
  agreement: AgreementDocumentSchema,
  report: ReportDocumentSchema,
  "report-link-secret": ReportLinkSecretDocumentSchema,
  "pseudonym-key": PseudonymKeyDocumentSchema,
} as const satisfies Record<string, z.ZodType>;

export type DocumentType = keyof typeof DOCUMENT_SCHEMAS;
export const DOCUMENT_TYPES = Object.keys(DOCUMENT_SCHEMAS) as DocumentType[];
