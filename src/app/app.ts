/**
 * The use cases the adapters call, bound to their dependencies. Adapters (bot, server, later the
 * nudges and the tab) see this facade, never the store.
 */
import { matchRegion, NATIONAL, regionById, type Region } from "../domain/regions.js";
import type { ProcessModel } from "../domain/process.js";
import type { DocumentStore } from "../store/store.js";
import type { Clock } from "./clock.js";
import { NationalTrack } from "./national-track.js";
import { createPeople, type People, type PeopleOptions } from "./people.js";

/** Like roles and bindings: a change made on another instance shows within this time. */
export const DEFAULT_NATIONAL_CACHE_MS = 30_000;
import type { Settings } from "./settings.js";
import type { CycleState } from "../domain/cycle.js";
import type { Actor } from "../domain/events.js";
import type { Obligation } from "../domain/obligations.js";
import { loadCycles } from "./cycles.js";
import {
  backfillSteps,
  lastUndoable,
  recordPlan,
  recordStep,
  stepsOf,
  undoStep,
  type BackfillInput,
  type BackfillResult,
  type PlanInput,
  type PlanResult,
  type RecordInput,
  type RecordResult,
  type UndoInput,
  type UndoResult,
} from "./recording.js";
import { allTracks, overview, regionStatus, type Overview, type RegionStatus, type Snapshot, type Track } from "./status.js";
import { createConversations, type Conversations } from "./conversations.js";
import { Outbox } from "./outbox.js";
import { snoozeNudge, type SnoozeInput, type SnoozeResult } from "./snooze.js";
import { history, historyYears, type HistoryPage } from "./history.js";
import { AgreementPartiesBook } from "./agreement-parties.js";
import { createAgreements, type Agreements } from "./agreements.js";
import { osloDate, type WorkingDayOptions } from "../domain/calendar.js";
import { DEFAULT_ROUND_OPEN_WORKING_DAYS } from "../domain/reports.js";
import { createReports, type Reports } from "./reports.js";
import { createPapers, type Papers } from "./report-papers.js";
import { createReportExports, DEFAULT_REPORT_LINK_MINUTES, type ReportExports, type ReportLinkSettings } from "./report-exports.js";

export type StatusAnswer = { kind: "status"; status: Snapshot<RegionStatus> } | { kind: "unknown-region"; query: string; suggestions: Region[] };
export type HistoryAnswer = { kind: "history"; history: HistoryPage } | { kind: "unknown-region"; query: string; suggestions: Region[] };

export interface App {
  readonly model: ProcessModel;
  readonly clock: Clock;
  readonly settings: Settings;
  /** Roles, channel bindings and language preferences. */
  readonly people: People;
  /** Where the bot can post on its own (nudges). */
  readonly conversations: Conversations;
  /** Every track's step instances at the app's now: what the nudges are planned from. */
  tracks(): Promise<Track[]>;
  /** No nudges about one step to this person (or channel) until a day. */
  snooze(input: SnoozeInput): Promise<SnoozeResult>;
  /**
   * Status of the region the query names; no query → the region the conversation is bound to
   * (`conversationKey`, see `bind`), else the national track.
   */
  /** A region's status; without one the conversation's bound region, else (or with `national`) the national track. */
  status(regionQuery?: string, conversationKey?: string, national?: boolean): Promise<StatusAnswer>;
  overview(): Promise<Snapshot<Overview>>;
  /** Status by region id (or `national`), for cards that already know their region. */
  statusOf(regionId: string): Promise<Snapshot<RegionStatus>>;
  /** One step instance of a cycle as it stands now (for the form that records it). */
  step(regionId: string, year: number, stepKey: string): Promise<Obligation | undefined>;
  /** Every step instance of a cycle as it stands now. */
  steps(regionId: string, year: number): Promise<Obligation[]>;
  record(input: RecordInput): Promise<RecordResult>;
  /** Several steps from before the tracking start at once, all or nothing. */
  backfill(input: BackfillInput): Promise<BackfillResult>;
  /** The person's own last change on this region's card that can still be undone. */
  lastUndoable(actor: Actor, regionId: string): Promise<{ aggregateId: string; year: number; eventId: string } | undefined>;
  /** The region's plan and the year's action plan (§2). */
  recordPlan(input: PlanInput): Promise<PlanResult>;
  /** The state of one region's cycle (plans, meetings) as recorded. */
  cycleState(regionId: string, year: number): Promise<CycleState>;
  undo(input: UndoInput): Promise<UndoResult>;
  /**
   * The audit trail of the region the query names, newest first, paged; no query → the region
   * the conversation is bound to, else the national track (as `status`).
   */
  history(regionQuery?: string, conversationKey?: string, page?: number): Promise<HistoryAnswer>;
  /** The audit trail by region id (or `national`), for cards that already know their region; `pageSize` entries a page (default 10; the tab reads it whole). */
  historyOf(regionId: string, page?: number, pageSize?: number): Promise<HistoryPage>;
  /** The agreements: parties and concrete tasks per region and agreement year (§2.1, §3.3). */
  readonly agreements: Agreements;
  /** The agencies' follow-up reports: the hub, drafts, submissions, deputies, «vil ikke rapportere» (issue 10). */
  readonly reports: Reports;
  /** A report round's compiled summary: the meeting papers (issue 10). */
  readonly papers: Papers;
  /** The meeting papers as files (.docx, CSV, Markdown) and their signed download links (issue 10). */
  readonly exports: ReportExports;
}

export interface AppDeps {
  store: DocumentStore;
  model: ProcessModel;
  settings: Settings;
  clock: Clock;
  /** Bootstrap admins and cache settings for roles, bindings and languages. */
  people?: PeopleOptions;
  /** How long the national track's documents are cached (NationalTrack); 0 reads them every turn. */
  nationalCacheMs?: number;
  /** REPORT_ROUND_OPEN_DAYS: working days before the regional meeting a report round opens (default DEFAULT_ROUND_OPEN_WORKING_DAYS). */
  reportRoundOpenWorkingDays?: number;
  /** The working days of the nudge cadence (Christmas week, July): a report round opens on one. */
  workingDays?: WorkingDayOptions;
  /** PUBLIC_BASE_URL, REPORT_LINK_MINUTES, REPORT_LINK_SECRET: the report download links. */
  reportLinks?: ReportLinkSettings;
}

export function createApp(appDeps: AppDeps): App {
  const deps = { ...appDeps, national: new NationalTrack(appDeps.store, appDeps.nationalCacheMs ?? DEFAULT_NATIONAL_CACHE_MS) };
  // The agreements' parties decide the wheel's instances; kept in memory like the national track.
  const parties = new AgreementPartiesBook(appDeps.store, appDeps.nationalCacheMs ?? DEFAULT_NATIONAL_CACHE_MS);
  /** The dependencies of a status or recording turn, with the agreements' parties as of now. */
  const turn = async () => ({ ...deps, parties: await parties.view() });
  const people = createPeople(deps.store, deps.clock, deps.people);
  const outbox = new Outbox(deps.store);
  const app: App = {
    model: deps.model,
    clock: deps.clock,
    settings: deps.settings,
    people,
    conversations: createConversations(deps.store, deps.clock),
    tracks: async () => allTracks(await turn(), deps.clock()),
    snooze: (input) => snoozeNudge(app, outbox, input),
    async status(regionQuery, conversationKey, national) {
      if (national) return { kind: "status", status: await regionStatus(await turn(), undefined, deps.clock()) };
      if (regionQuery === undefined) {
        // A bound channel's "status" means its region (the binding is cached, so this rarely costs a read).
        const bound = conversationKey !== undefined ? await people.binding(conversationKey) : undefined;
        const region = bound ? regionById(bound.regionId) : undefined;
        return { kind: "status", status: await regionStatus(await turn(), region, deps.clock()) };
      }
      const match = matchRegion(regionQuery);
      if (match.kind === "unknown") return { kind: "unknown-region", query: regionQuery, suggestions: match.suggestions };
      return { kind: "status", status: await regionStatus(await turn(), match.region, deps.clock()) };
    },
    overview: async () => overview(await turn(), deps.clock()),
    statusOf: async (regionId) => regionStatus(await turn(), regionById(regionId), deps.clock()),
    step: async (regionId, year, stepKey) => (await stepsOf(await turn(), regionId, year, deps.clock())).find((o) => o.key === stepKey),
    steps: async (regionId, year) => stepsOf(await turn(), regionId, year, deps.clock()),
    backfill: async (input) => backfillSteps(await turn(), input),
    recordPlan: async (input) => recordPlan(await turn(), input),
    lastUndoable: async (actor, regionId) => lastUndoable(await turn(), actor, regionId, deps.clock()),
    cycleState: async (regionId, year) => (await loadCycles(deps.store, [{ regionId, year }]))[0]!.state,
    record: async (input) => recordStep(await turn(), input),
    undo: async (input) => undoStep(await turn(), input),
    async history(regionQuery, conversationKey, page = 1) {
      const of = (regionId: string) => history(deps, regionId, historyYears(osloDate(deps.clock()), deps.model), page);
      if (regionQuery === undefined) {
        const bound = conversationKey !== undefined ? await people.binding(conversationKey) : undefined;
        const region = bound ? regionById(bound.regionId) : undefined;
        return { kind: "history", history: await of(region?.id ?? NATIONAL) };
      }
      const match = matchRegion(regionQuery);
      if (match.kind === "unknown") return { kind: "unknown-region", query: regionQuery, suggestions: match.suggestions };
      return { kind: "history", history: await of(match.region.id) };
    },
    historyOf: (regionId, page = 1, pageSize?: number) => history(deps, regionId, historyYears(osloDate(deps.clock()), deps.model), page, pageSize),
    agreements: createAgreements({ ...deps, parties, rolesOfNow: (id) => people.rolesOfNow(id) }),
    get reports() {
      return reports;
    },
    papers: createPapers({
      store: deps.store,
      model: deps.model,
      settings: deps.settings,
      clock: deps.clock,
      steps: (regionId, year) => app.steps(regionId, year),
      cycleState: (regionId, year) => app.cycleState(regionId, year),
      openWorkingDays: deps.reportRoundOpenWorkingDays ?? DEFAULT_ROUND_OPEN_WORKING_DAYS,
      ...(deps.workingDays ? { workingDays: deps.workingDays } : {}),
    }),
    exports: createReportExports({
      store: deps.store,
      clock: deps.clock,
      summary: (regionId, year, round) => app.papers.summary(regionId, year, round),
      links: deps.reportLinks ?? { minutes: DEFAULT_REPORT_LINK_MINUTES },
    }),
  };
  const reports = createReports({
    store: deps.store,
    model: deps.model,
    settings: deps.settings,
    clock: deps.clock,
    people,
    steps: (regionId, year) => app.steps(regionId, year),
    openWorkingDays: deps.reportRoundOpenWorkingDays ?? DEFAULT_ROUND_OPEN_WORKING_DAYS,
    ...(deps.workingDays ? { workingDays: deps.workingDays } : {}),
  });
  return app;
}
