/**
 * The parties set on the agreements (region × agreement year), kept in memory for the wheel: a
 * status turn must not read the agreements, yet the agreement's parties decide whose reports,
 * signatures and commission agreements the card lists (§2.1, §3.1, §3.3). Loaded with one query
 * and refreshed when older than the TTL (as the national track's documents), so a change made on
 * another instance shows within NATIONAL_CACHE_SECONDS; a change made here is seen at once.
 */
import { createHash } from "node:crypto";
import type { AgreementParties } from "../domain/agreement.js";
import type { AgreementPartyLists } from "../domain/obligations.js";
import { AGENCY_IDS, type AgencyId } from "../domain/regions.js";
import { AgreementDocumentSchema } from "../store/records.js";
import type { DocumentStore } from "../store/store.js";
import { TtlCache } from "./ttl-cache.js";

/** One moment's parties of every agreement whose parties were set. Immutable. */
export class PartiesView {
  /** Changes whenever any agreement's parties change; the same on every instance for the same parties. */
  readonly revision: string;

  constructor(readonly byRegion: ReadonlyMap<string, ReadonlyMap<number, AgreementParties>>) {
    const flat = [...byRegion].flatMap(([regionId, years]) => [...years].map(([year, p]) => `${regionId}/${year}:${p.partyAgencies.join(",")}/${p.commissionAgencies.join(",")}`)).sort();
    this.revision = flat.length === 0 ? "parties-0" : `parties-${createHash("sha1").update(flat.join("|")).digest("hex").slice(0, 12)}`;
  }

  /** The set parties of one region's agreements, by agreement year (RegionSetup.agreements). */
  of(regionId: string): ReadonlyMap<number, AgreementPartyLists> | undefined {
    return this.byRegion.get(regionId);
  }

  /**
   * Every agency that is a party to some region's agreement `agreementYear` (its allocation
   * letter is a national step of cycle `agreementYear − 1`): the set parties where they were set,
   * else the region's configured ones (`configured`).
   */
  nationalAgencies(agreementYear: number, regionIds: readonly string[], configured: (regionId: string) => readonly AgencyId[]): AgencyId[] {
    const all = new Set(regionIds.flatMap((id) => this.byRegion.get(id)?.get(agreementYear)?.partyAgencies ?? configured(id)));
    return AGENCY_IDS.filter((a) => all.has(a));
  }

  /** The same view with one agreement's parties set (undefined: back to the region's defaults). */
  with(regionId: string, year: number, parties: AgreementParties | undefined): PartiesView {
    const regions = new Map(this.byRegion);
    const years = new Map(regions.get(regionId) ?? []);
    if (parties) years.set(year, parties);
    else years.delete(year);
    regions.set(regionId, years);
    return new PartiesView(regions);
  }
}

export const NO_PARTIES_SET = new PartiesView(new Map());

export class AgreementPartiesBook {
  private readonly cache: TtlCache<"all", PartiesView>;

  constructor(
    private readonly store: DocumentStore,
    ttlMs: number,
  ) {
    this.cache = new TtlCache(ttlMs, 1);
  }

  /** The parties as of now: from memory, or (once per TTL) from one query over the agreements. */
  view(): Promise<PartiesView> {
    return this.cache.get("all", () => this.load());
  }

  /** After this instance set an agreement's parties: seen at once by the next turn. */
  async changed(regionId: string, year: number, parties: AgreementParties | undefined): Promise<void> {
    this.cache.set("all", (await this.view()).with(regionId, year, parties));
  }

  private async load(): Promise<PartiesView> {
    const regions = new Map<string, Map<number, AgreementParties>>();
    for (const { doc } of await this.store.list("agreement")) {
      const agreement = AgreementDocumentSchema.parse(doc);
      const last = [...agreement.events].reverse().find((e) => e.data.type === "parties-set")?.data;
      if (last?.type !== "parties-set") continue;
      const years = regions.get(agreement.regionId) ?? new Map<number, AgreementParties>();
      years.set(agreement.year, { partyAgencies: last.partyAgencies, commissionAgencies: last.commissionAgencies });
      regions.set(agreement.regionId, years);
    }
    return new PartiesView(regions);
  }
}
