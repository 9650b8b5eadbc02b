/**
 * The agreement use cases (§2.1, §3.3): view a region's agreement of a year, set its parties and
 * commission agencies, add, edit, remove and paste its concrete tasks, and copy last year's tasks
 * into the draft. The region's coordinator or an admin changes it; everyone else may look.
 *
 * Every change is an event with who and when; its id comes from the card's action id, so a
 * retried click is recorded once (report-store.ts appendToAgreement drops known ids).
 */
import { compareIsoDate, osloDate, type IsoDate } from "../domain/calendar.js";
import {
  AGREEMENT_LIMITS,
  AgreementPartiesSchema,
  AgreementTaskSchema,
  nextTaskIds,
  parsePastedTasks,
  type AgreementChange,
  type AgreementEvent,
  type AgreementParties,
  type AgreementState,
  type AgreementTask,
  type PastedLine,
} from "../domain/agreement.js";
import type { Actor } from "../domain/events.js";
import { activeCycleYears, dateIn } from "../domain/obligations.js";
import type { ProcessModel } from "../domain/process.js";
import type { AgencyId } from "../domain/regions.js";
import { mayRecord, type Role } from "../domain/roles.js";
import type { DocumentStore } from "../store/store.js";
import type { Clock } from "./clock.js";
import type { AgreementPartiesBook } from "./agreement-parties.js";
import { appendToAgreement, loadAgreement, loadAgreements } from "./report-store.js";
import type { Settings } from "./settings.js";

/** What a task form sends: strings as typed ("" = empty), the responsible parties as ids. */
export interface TaskInput {
  title: string;
  description?: string;
  responsible: readonly string[];
  indicator?: string;
  planRef?: string;
}

export type AgreementRefusal =
  | { code: "not-allowed" }
  | { code: "year-not-open"; year: number }
  /** A field that does not pass: `field` is the form's input id. */
  | { code: "invalid"; field: string }
  | { code: "unknown-task" }
  | { code: "too-many-tasks"; max: number }
  /** The draft already has tasks: copying again would double them. */
  | { code: "not-empty" }
  | { code: "nothing-to-copy"; fromYear: number }
  | { code: "nothing-to-paste" }
  /** A party that is still responsible for tasks cannot be removed from the agreement. */
  | { code: "party-has-tasks"; agency: AgencyId; tasks: number }
  /** A commission agreement (§3.3) goes to a party of the agreement. */
  | { code: "commission-not-party"; agency: AgencyId };

export type AgreementResult =
  | { kind: "changed"; state: AgreementState; events: AgreementEvent[] }
  | { kind: "duplicate"; state: AgreementState }
  | { kind: "refused"; refusal: AgreementRefusal; state: AgreementState };

export interface AgreementView {
  state: AgreementState;
  /** The agreement being followed up now (the current cycle year). */
  currentYear: number;
  /** The next agreement, once its draft work has started (`draft-agreement-ready` open, §3.2). */
  draftYear?: number;
  /** The year before, when this agreement has no tasks and that one has: «Kopier oppgavene fra …». */
  copyFrom?: { year: number; tasks: number };
}

export interface PastePreview {
  state: AgreementState;
  lines: PastedLine[];
  /** More lines than one paste takes: the preview says so and nothing is saved. */
  tooManyLines: boolean;
}

export interface Agreements {
  view(regionId: string, year: number): Promise<AgreementView>;
  /** The agreement years a person may look at from the card without typing one: current and (once started) the draft. */
  years(): { currentYear: number; draftYear?: number };
  /** Whether this person may change the region's agreement of this year (its coordinator or an admin; a year that can still change). */
  mayChange(actorId: string, regionId: string, year: number): Promise<boolean>;
  setParties(change: Change & { parties: { partyAgencies: readonly string[]; commissionAgencies: readonly string[] } }): Promise<AgreementResult>;
  addTask(change: Change & { task: TaskInput }): Promise<AgreementResult>;
  editTask(change: Change & { taskId: string; task: TaskInput }): Promise<AgreementResult>;
  removeTask(change: Change & { taskId: string }): Promise<AgreementResult>;
  previewPaste(regionId: string, year: number, text: string): Promise<PastePreview>;
  /** Adds the lines of the paste that parse; the lines with problems are left out (the preview named them). */
  savePaste(change: Change & { text: string }): Promise<AgreementResult>;
  /** Copies agreement `year − 1`'s tasks into agreement `year` (empty), with new ids. */
  copyTasks(change: Change): Promise<AgreementResult>;
}

interface Change {
  actor: Actor;
  regionId: string;
  year: number;
  /** The card's action id: a retried click is recorded once. */
  actionId: string;
}

export interface AgreementsDeps {
  store: DocumentStore;
  model: ProcessModel;
  settings: Settings;
  clock: Clock;
  rolesOfNow: (personId: string) => Promise<Role[]>;
  parties: AgreementPartiesBook;
}

export function mayChangeAgreement(roles: readonly Role[], regionId: string): boolean {
  return mayRecord(roles, { role: "region-coordinator", regionId });
}

export function createAgreements(deps: AgreementsDeps): Agreements {
  const fallback = (regionId: string) => {
    const setup = deps.settings.regionSetup(regionId);
    return { partyAgencies: [...setup.partyAgencies], commissionAgencies: [...setup.commissionAgencies] };
  };
  const today = () => osloDate(deps.clock());
  const years = () => agreementYears(today(), deps.model);
  /** Last year's agreement (its signing may still be open), this year's and next year's draft. */
  const changeable = (year: number) => Math.abs(year - years().currentYear) <= 1;

  /**
   * One change under the agreement's etag: authorized, within the years that can change, and
   * recorded once per action id (checked before deciding: a retried «Kopier» must not be told the
   * draft is no longer empty).
   */
  async function change(input: Change, decide: (current: AgreementState, events: readonly AgreementEvent[]) => AgreementChange[] | AgreementRefusal): Promise<AgreementResult> {
    const { regionId, year, actor, actionId } = input;
    const roles = await deps.rolesOfNow(actor.id);
    const refuse = async (refusal: AgreementRefusal): Promise<AgreementResult> => ({ kind: "refused", refusal, state: (await loadAgreement(deps.store, regionId, year, fallback(regionId))).state });
    if (!mayChangeAgreement(roles, regionId)) return refuse({ code: "not-allowed" });
    if (!changeable(year)) return refuse({ code: "year-not-open", year });
    const recordedAt = deps.clock().toISO()!;
    const { result, agreement } = await appendToAgreement(
      deps.store,
      regionId,
      year,
      (current): { events: AgreementEvent[]; result: AgreementResult["kind"] | AgreementRefusal } => {
        if (current.events.some((e) => e.id === actionId || e.id.startsWith(`${actionId}#`))) return { events: [], result: "duplicate" };
        const decided = decide(current.state, current.events);
        if (!Array.isArray(decided)) return { events: [], result: decided };
        const events = decided.map((data, i) => ({ id: decided.length === 1 ? actionId : `${actionId}#${i + 1}`, recordedAt, by: { id: actor.id, name: actor.name }, data }));
        return { events, result: "changed" };
      },
      fallback(regionId),
    );
    if (typeof result === "object") return { kind: "refused", refusal: result, state: agreement.state };
    if (result === "duplicate") return { kind: "duplicate", state: agreement.state };
    const events = agreement.events.filter((e) => e.id === actionId || e.id.startsWith(`${actionId}#`));
    // The wheel reads the parties from memory: this instance sees the change at once, others within the TTL.
    if (events.some((e) => e.data.type === "parties-set")) await deps.parties.changed(regionId, year, agreement.state.parties);
    return { kind: "changed", state: agreement.state, events };
  }

  return {
    years,
    async view(regionId, year) {
      const [agreement, before] = await loadAgreements(deps.store, [
        { regionId, year, fallback: fallback(regionId) },
        { regionId, year: year - 1, fallback: fallback(regionId) },
      ]);
      const { currentYear, draftYear } = years();
      const copyFrom = agreement!.state.tasks.length === 0 && before!.state.tasks.length > 0 ? { year: year - 1, tasks: before!.state.tasks.length } : undefined;
      return { state: agreement!.state, currentYear, ...(draftYear !== undefined ? { draftYear } : {}), ...(copyFrom ? { copyFrom } : {}) };
    },
    async mayChange(actorId, regionId, year) {
      return changeable(year) && mayChangeAgreement(await deps.rolesOfNow(actorId), regionId);
    },
    setParties: (input) =>
      change(input, (state) => {
        const parsed = AgreementPartiesSchema.safeParse({ partyAgencies: unique(input.parties.partyAgencies), commissionAgencies: unique(input.parties.commissionAgencies) });
        if (!parsed.success) return { code: "invalid", field: String(parsed.error.issues[0]?.path[0] ?? "partyAgencies") };
        const parties = parsed.data;
        const outsider = parties.commissionAgencies.find((a) => !parties.partyAgencies.includes(a));
        if (outsider) return { code: "commission-not-party", agency: outsider };
        for (const agency of state.parties.partyAgencies.filter((a) => !parties.partyAgencies.includes(a))) {
          const tasks = state.tasks.filter((t) => t.responsible.includes(agency)).length;
          if (tasks > 0) return { code: "party-has-tasks", agency, tasks };
        }
        return [{ type: "parties-set", ...parties }];
      }),
    addTask: (input) =>
      change(input, (state, events) => {
        if (state.tasks.length >= AGREEMENT_LIMITS.tasks) return { code: "too-many-tasks", max: AGREEMENT_LIMITS.tasks };
        const task = taskOf(nextTaskIds(events, 1)[0]!, input.task, state.parties);
        return "code" in task ? task : [{ type: "task-added", task }];
      }),
    editTask: (input) =>
      change(input, (state) => {
        if (!state.tasks.some((t) => t.id === input.taskId)) return { code: "unknown-task" };
        const task = taskOf(input.taskId, input.task, state.parties, state.tasks.find((t) => t.id === input.taskId));
        return "code" in task ? task : [{ type: "task-edited", task }];
      }),
    removeTask: (input) =>
      change(input, (state) => (state.tasks.some((t) => t.id === input.taskId) ? [{ type: "task-removed", taskId: input.taskId }] : { code: "unknown-task" })),
    async previewPaste(regionId, year, text) {
      const { state } = await loadAgreement(deps.store, regionId, year, fallback(regionId));
      return { state, ...pasted(text, state.parties) };
    },
    savePaste: (input) =>
      change(input, (state, events) => {
        const { lines, tooManyLines } = pasted(input.text, state.parties);
        if (tooManyLines) return { code: "invalid", field: "paste" };
        const ok = lines.filter((l) => l.ok);
        if (ok.length === 0) return { code: "nothing-to-paste" };
        if (state.tasks.length + ok.length > AGREEMENT_LIMITS.tasks) return { code: "too-many-tasks", max: AGREEMENT_LIMITS.tasks };
        const ids = nextTaskIds(events, ok.length);
        return ok.map((line, i): AgreementChange => ({ type: "task-added", task: { id: ids[i]!, title: line.title, responsible: line.responsible } }));
      }),
    async copyTasks(input) {
      const from = await loadAgreement(deps.store, input.regionId, input.year - 1, fallback(input.regionId));
      return change(input, (state, events) => {
        if (state.tasks.length > 0) return { code: "not-empty" };
        if (from.state.tasks.length === 0) return { code: "nothing-to-copy", fromYear: input.year - 1 };
        if (from.state.tasks.length > AGREEMENT_LIMITS.tasks) return { code: "too-many-tasks", max: AGREEMENT_LIMITS.tasks };
        const ids = nextTaskIds(events, from.state.tasks.length);
        return [{ type: "tasks-copied", fromYear: input.year - 1, tasks: from.state.tasks.map((t, i) => ({ ...t, id: ids[i]! })) }];
      });
    },
  };
}

/**
 * The agreement followed up now (the current cycle year, §3.1/§3.2) and, from the day the
 * autumn draft work opens (`draft-agreement-ready`, 1 August), the next one's draft (§3.2).
 */
export function agreementYears(today: IsoDate, model: ProcessModel): { currentYear: number; draftYear?: number } {
  const currentYear = activeCycleYears(today, model).at(-1)!;
  const draft = model.steps.find((s) => s.done.fact === "draft-agreement-ready");
  const started = draft !== undefined && compareIsoDate(today, dateIn(currentYear, draft.opens)) >= 0;
  return { currentYear, ...(started ? { draftYear: currentYear + 1 } : {}) };
}

/** A task from the form, checked field by field; the responsible must be parties (or the county authority). */
function taskOf(id: string, input: TaskInput, parties: AgreementParties, before?: AgreementTask): AgreementTask | AgreementRefusal {
  const optional = (text: string | undefined) => (text !== undefined && text.trim() !== "" ? text.trim() : undefined);
  const candidate = {
    id,
    title: input.title.trim(),
    responsible: unique(input.responsible),
    ...(optional(input.description) !== undefined ? { description: optional(input.description) } : {}),
    ...(optional(input.indicator) !== undefined ? { indicator: optional(input.indicator) } : {}),
    ...(optional(input.planRef) !== undefined ? { planRef: optional(input.planRef) } : {}),
  };
  const parsed = AgreementTaskSchema.safeParse(candidate);
  if (!parsed.success) return { code: "invalid", field: String(parsed.error.issues[0]?.path[0] ?? "title") };
  // An agency no longer a party may stay on a task it already had; a new one must be a party.
  const allowed = new Set<string>(["region", ...parties.partyAgencies, ...(before?.responsible ?? [])]);
  if (parsed.data.responsible.some((p) => !allowed.has(p))) return { code: "invalid", field: "responsible" };
  return parsed.data;
}

function pasted(text: string, parties: AgreementParties): { lines: PastedLine[]; tooManyLines: boolean } {
  const lines = parsePastedTasks(text, parties);
  return { lines: lines.slice(0, AGREEMENT_LIMITS.pasteLines), tooManyLines: lines.length > AGREEMENT_LIMITS.pasteLines };
}

function unique<T>(list: readonly T[]): T[] {
  return [...new Set(list)];
}
