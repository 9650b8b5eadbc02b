/**
 * Installation settings: the tracking start (the day the app first started, unless set per
 * region) and each region's parties. Read once at start and kept in memory, so that a status
 * turn needs no extra read; writes go through here and refresh the copy.
 */
import type { IsoDate } from "../domain/calendar.js";
import type { RegionSetup } from "../domain/obligations.js";
import { DEFAULT_COMMISSION_AGENCIES, DEFAULT_PARTY_AGENCIES, REGIONS, type AgencyId } from "../domain/regions.js";
import { SettingsDocumentSchema, SYSTEM_PARTITION, type SettingsDocument } from "../store/records.js";
import { StoreConflictError, type DocumentStore } from "../store/store.js";

export interface Settings {
  /** Changes whenever the settings change (the document's etag): part of every view's version. */
  revision: string;
  trackingStart: IsoDate;
  regionSetup(regionId: string): RegionSetup;
  /** Every agency that is a party in some region (their allocation letters are national steps). */
  nationalAgencies: readonly AgencyId[];
}

const KEY = { partition: SYSTEM_PARTITION, id: "settings" };

/** Loads the settings, creating them on first start with `today` as the tracking start. */
export async function loadSettings(store: DocumentStore, today: IsoDate): Promise<Settings> {
  const existing = await store.read(KEY);
  if (existing) return toSettings(SettingsDocumentSchema.parse(existing.doc), existing.etag);
  const doc: SettingsDocument = { ...KEY, id: "settings", partition: SYSTEM_PARTITION, type: "settings", schemaVersion: 1, trackingStart: today, regions: {} };
  try {
    return toSettings(doc, await store.write(doc, { ifAbsent: true }));
  } catch (error) {
    // Another instance created them at the same moment: theirs is as good as ours.
    if (!(error instanceof StoreConflictError)) throw error;
    const created = await store.read(KEY);
    return toSettings(SettingsDocumentSchema.parse(created!.doc), created!.etag);
  }
}

export function toSettings(doc: SettingsDocument, revision: string): Settings {
  const setups = new Map<string, RegionSetup>(
    REGIONS.map((r) => {
      const o = doc.regions[r.id] ?? {};
      return [
        r.id,
        {
          regionId: r.id,
          partyAgencies: o.partyAgencies ?? DEFAULT_PARTY_AGENCIES,
          commissionAgencies: o.commissionAgencies ?? DEFAULT_COMMISSION_AGENCIES,
          trackingStart: o.trackingStart ?? doc.trackingStart,
        },
      ];
    }),
  );
  const nationalAgencies = [...new Set([...setups.values()].flatMap((s) => s.partyAgencies))];
  return {
    revision,
    trackingStart: doc.trackingStart,
    nationalAgencies,
    regionSetup(regionId) {
      const setup = setups.get(regionId);
      if (!setup) throw new Error(`unknown region ${regionId}`);
      return setup;
    },
  };
}
