/**
 * The use cases the adapters call, bound to their dependencies. Adapters (bot, server, later the
 * nudges and the tab) see this facade, never the store.
 */
import { matchRegion, type Region } from "../domain/regions.js";
import type { ProcessModel } from "../domain/process.js";
import type { DocumentStore } from "../store/store.js";
import type { Clock } from "./clock.js";
import type { Settings } from "./settings.js";
import { overview, regionStatus, type Overview, type RegionStatus, type Snapshot } from "./status.js";

export type StatusAnswer = { kind: "status"; status: Snapshot<RegionStatus> } | { kind: "unknown-region"; query: string; suggestions: Region[] };

export interface App {
  readonly model: ProcessModel;
  readonly clock: Clock;
  /** Status of the region the query names; no query → the national track. */
  status(regionQuery?: string): Promise<StatusAnswer>;
  overview(): Promise<Snapshot<Overview>>;
}

export interface AppDeps {
  store: DocumentStore;
  model: ProcessModel;
  settings: Settings;
  clock: Clock;
}

export function createApp(deps: AppDeps): App {
  return {
    model: deps.model,
    clock: deps.clock,
    async status(regionQuery) {
      if (regionQuery === undefined) return { kind: "status", status: await regionStatus(deps, undefined, deps.clock()) };
      const match = matchRegion(regionQuery);
      if (match.kind === "unknown") return { kind: "unknown-region", query: regionQuery, suggestions: match.suggestions };
      return { kind: "status", status: await regionStatus(deps, match.region, deps.clock()) };
    },
    overview: () => overview(deps, deps.clock()),
  };
}
