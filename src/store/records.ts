/**
 * The documents the app keeps, as zod schemas: parsed when read so that nothing unchecked
 * enters the domain. Every document has `type` and `schemaVersion` (architecture.md).
 */
import { z } from "zod";
import { DomainEventSchema } from "../domain/events.js";
import { AGENCY_IDS } from "../domain/regions.js";

/** Partition of documents that belong to the installation, not to a region. */
export const SYSTEM_PARTITION = "_system";

export const cycleDocumentId = (year: number) => `cycle-${year}`;

/** One aggregate per region (or `national`) and cycle year: the append-only event list (§ per event). */
export const CycleDocumentSchema = z.object({
  id: z.string(),
  partition: z.string(),
  type: z.literal("cycle"),
  schemaVersion: z.literal(1),
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
