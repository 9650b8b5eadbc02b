/**
 * The meeting papers of a report round (issue 10, "The compiled summary"): loads what
 * compileSummary needs — the agreement, the round's window, the round's and the previous round's
 * reports, the political treatment's case number — and compiles the RoundSummary the summary card
 * and every export render. Reads only; viewers get submitted reports, never drafts
 * (domain/report-summary.ts).
 */
import type { DateTime } from "luxon";
import { compareIsoDate, osloDate, type IsoDate, type WorkingDayOptions } from "../domain/calendar.js";
import type { CycleState } from "../domain/cycle.js";
import { activeCycleYears, type Obligation } from "../domain/obligations.js";
import { ROUNDS, type ProcessModel, type Round } from "../domain/process.js";
import { compileSummary, previousRound, type RoundSummary } from "../domain/report-summary.js";
import { roundPhase, roundWindowOf, type RoundPhase, type RoundWindow } from "../domain/reports.js";
import type { DocumentStore } from "../store/store.js";
import { loadAgreements, loadRoundReports } from "./report-store.js";
import type { Settings } from "./settings.js";

export interface PapersDeps {
  store: DocumentStore;
  model: ProcessModel;
  settings: Settings;
  clock: () => DateTime;
  steps(regionId: string, year: number): Promise<Obligation[]>;
  cycleState(regionId: string, year: number): Promise<CycleState>;
  /** REPORT_ROUND_OPEN_DAYS: working days before the meeting a round opens. */
  openWorkingDays: number;
  workingDays?: WorkingDayOptions;
}

export interface RoundRef {
  year: number;
  round: Round;
}

export interface Papers {
  /** The compiled summary of one round of a region; undefined when the cycle has no such round. */
  summary(regionId: string, year: number, round: Round): Promise<RoundSummary | undefined>;
  /**
   * Which round a person means when they leave out the round or the year: the round of the nearest
   * regional meeting that takes answers (open or late), else the last one closed, else the next.
   */
  chooseRound(regionId: string, wanted: { year?: number; round?: Round }): Promise<RoundRef | undefined>;
}

export function createPapers(deps: PapersDeps): Papers {
  async function windowsOf(regionId: string, year: number): Promise<Array<{ window: RoundWindow; cycle: CycleState }>> {
    const [steps, cycle] = await Promise.all([deps.steps(regionId, year), deps.cycleState(regionId, year)]);
    return ROUNDS.flatMap((round) => {
      const window = roundWindowOf(steps, round, deps.openWorkingDays, deps.workingDays);
      return window ? [{ window, cycle }] : [];
    });
  }

  return {
    async summary(regionId, year, round) {
      const today = osloDate(deps.clock());
      const found = (await windowsOf(regionId, year)).find((w) => w.window.round === round);
      if (!found) return undefined;
      const { window, cycle } = found;
      const before = previousRound(year, round);
      const setup = deps.settings.regionSetup(regionId);
      const fallback = { partyAgencies: [...setup.partyAgencies], commissionAgencies: [...setup.commissionAgencies] };
      // Agreement Y (this round's tasks and parties) and, across the year boundary, Y−1 (the previous round's tasks).
      const years = before.year === year ? [year] : [year, before.year];
      const agreements = await loadAgreements(
        deps.store,
        years.map((y) => ({ regionId, year: y, fallback })),
      );
      const agreement = agreements[0]!.state;
      const previousAgreement = agreements[agreements.length - 1]!.state;
      const agencies = agreement.parties.partyAgencies;
      // Agreement Y was treated politically in cycle Y−1 (§3.2).
      const [reports, previousReports, drafted] = await Promise.all([
        loadRoundReports(deps.store, regionId, year, round, agencies),
        loadRoundReports(deps.store, regionId, before.year, before.round, agencies),
        deps.cycleState(regionId, year - 1),
      ]);
      const caseNumber = drafted.politicalTreatment?.caseNumber;
      return compileSummary({
        agreement,
        window,
        phase: roundPhase(window, today),
        today,
        reports,
        previous: { agreement: previousAgreement, reports: previousReports },
        waived: cycle.followUpWaived[round] ?? {},
        ...(caseNumber ? { caseNumber } : {}),
      });
    },

    async chooseRound(regionId, wanted) {
      const today = osloDate(deps.clock());
      const years = wanted.year !== undefined ? [wanted.year] : activeCycleYears(today, deps.model);
      const candidates = (await Promise.all(years.map((y) => windowsOf(regionId, y))))
        .flat()
        .map(({ window }) => ({ window, phase: roundPhase(window, today) }))
        .filter(({ window }) => wanted.round === undefined || window.round === wanted.round);
      const pick = chooseWindow(candidates, today);
      return pick ? { year: pick.year, round: pick.round } : undefined;
    },
  };
}

/** The round of the nearest meeting that takes answers, else the last one closed, else the next one to open. */
export function chooseWindow(candidates: ReadonlyArray<{ window: RoundWindow; phase: RoundPhase }>, today: IsoDate): RoundWindow | undefined {
  const distance = (w: RoundWindow) => Math.abs(Date.parse(w.meetingOn) - Date.parse(today));
  const taking = candidates.filter((c) => c.phase === "open" || c.phase === "late").sort((a, b) => distance(a.window) - distance(b.window));
  if (taking[0]) return taking[0].window;
  const closed = candidates.filter((c) => c.phase === "closed").sort((a, b) => compareIsoDate(b.window.meetingOn, a.window.meetingOn));
  if (closed[0]) return closed[0].window;
  return candidates.filter((c) => c.phase === "not-open").sort((a, b) => compareIsoDate(a.window.meetingOn, b.window.meetingOn))[0]?.window;
}
