/**
 * The report rounds' use cases (issue 10, "Report rounds"): the hub an agency answers from, the
 * drafts every form saves, the submission, the deputy and «vil ikke rapportere». A round belongs
 * to a regional dialogue meeting (§3.1 spring, §3.2 autumn); its window comes from the follow-up
 * step instance of the cycle and the meeting as recorded (domain/reports.ts roundWindow).
 *
 * Reports are their own documents (report-store.ts): a draft or a submission never contends with
 * the region's cycle. A submission (and a waiver) also appends one event to the cycle, so the
 * follow-up step is done (or not applicable) on the status card and the nudges stop reminding.
 */
import { createHash } from "node:crypto";
import { DateTime } from "luxon";
import { tasksOf, type AgreementState, type AgreementTask } from "../domain/agreement.js";
import { compareIsoDate, osloDate, type IsoDate, type WorkingDayOptions } from "../domain/calendar.js";
import type { Actor, DomainEvent } from "../domain/events.js";
import { activeCycleYears, type Obligation } from "../domain/obligations.js";
import type { ProcessModel, Round } from "../domain/process.js";
import { foldName as foldText, type AgencyId } from "../domain/regions.js";
import { previousRound as previousRoundOf } from "../domain/report-summary.js";
import {
  mayNameDeputy,
  mayWaiveReport,
  mayWriteReport,
  REPORT_LIMITS,
  ReportContentSchema,
  roundPhase,
  roundWindowOf,
  STANCES,
  TASK_STATUSES,
  type Deputy,
  type ReportContent,
  type RoundPhase,
  type RoundWindow,
  type Stance,
  type TaskAnswer,
  type TaskStatus,
} from "../domain/reports.js";
import type { Role } from "../domain/roles.js";
import type { DocumentStore } from "../store/store.js";
import type { ReportDocument, ReportVersion } from "../store/records.js";
import { appendToCycle, type LoadedCycle } from "./cycles.js";
import type { People } from "./people.js";
import { loadAgreement, loadRoundReports, updateReport } from "./report-store.js";
import type { Settings } from "./settings.js";

/** Which report: one agency's, in one region, for one round of cycle (= agreement) year `year`. */
export interface ReportAt {
  regionId: string;
  year: number;
  round: Round;
  agency: AgencyId;
}

export interface HubTask {
  task: AgreementTask;
  /** The task's number in the agreement (its position in the task list, from 1), as the agreement card numbers it. */
  n: number;
  /** The answer shown: the draft's, else the last submitted, else the previous round's. */
  answer?: TaskAnswer;
}

export interface ReportHubView extends ReportAt {
  /** Whose view this is (Entra object id): the hub is refreshed for this person only. */
  readerId: string;
  window: RoundWindow;
  phase: RoundPhase;
  today: IsoDate;
  /** The agreement's tasks the agency is responsible for: status and comment asked (§3.1, §3.2). */
  own: HubTask[];
  /** The other tasks: an answer is optional. */
  others: HubTask[];
  /** The answers as they stand for this reader (a viewer never sees a draft). */
  content: ReportContent;
  /** Where `content` comes from. */
  source: "draft" | "submitted" | "previous-round" | "empty";
  /** The last submission, and how many there are (every one is kept). */
  submitted?: { at: string; by: string; late: boolean; count: number };
  /** A draft was saved after the last submission: it is not what the others see until sent again. */
  editedSinceSubmit: boolean;
  deputies: Deputy[];
  willNotReport?: { reason: string; by: string; at: string };
  /** Whether this reader may write the report (mayWriteReport); viewers get no forms. */
  canWrite: boolean;
  canNameDeputy: boolean;
  canWaive: boolean;
}

/** What a form sent, as typed (strings); checked here, on the server, whatever the client did. */
export interface ReportPatch {
  tasks?: Record<string, { status?: string; comment?: string }>;
  summary?: string;
  expectations?: string;
  stance?: { position?: string; comment?: string };
}

/** Why nothing was written; `field` is the form's input id, `task` the task's title where one is concerned. */
export type ReportRefusal =
  | { code: "not-allowed" }
  | { code: "no-round" }
  | { code: "round-not-open"; opensOn: IsoDate }
  | { code: "round-closed"; heldOn: IsoDate }
  | { code: "unknown-task"; field: string }
  | { code: "unknown-status"; field: string; task: string }
  | { code: "status-missing"; field: string; task: string }
  | { code: "too-long"; field: string; max: number; task?: string }
  | { code: "unknown-stance"; field: string }
  /** §3: «Ikke enig» must say what the region needs to change before the political treatment. */
  | { code: "stance-comment-missing"; field: string }
  | { code: "unanswered"; tasks: string[] }
  | { code: "reason-missing"; field: string }
  | { code: "waived" }
  | { code: "already-submitted" }
  | { code: "too-many-deputies"; max: number };

export type ReportResult = { kind: "saved"; view: ReportHubView } | { kind: "duplicate"; view: ReportHubView } | { kind: "refused"; refusal: ReportRefusal };

export interface WriteInput extends ReportAt {
  actor: Actor;
  /** The card's action id: a retried click changes nothing. */
  actionId: string;
}

export interface Reports {
  /** The hub of one agency's report in one region and round, as `personId` sees it; undefined: no such round. */
  hub(input: ReportAt & { personId: string }): Promise<ReportHubView | undefined>;
  /** Every form's save: the fields sent are merged into the draft (a closed dialog cannot be detected). */
  saveDraft(input: WriteInput & { patch: ReportPatch }): Promise<ReportResult>;
  /** The draft and the fields sent become a new version (the earlier ones are kept); late after the due day. */
  submit(input: WriteInput & { patch?: ReportPatch }): Promise<ReportResult>;
  /** A deputy who may answer for the agency in this region and round (named by the agency's contacts). */
  nameDeputy(input: WriteInput & { deputy: { id: string; name: string } }): Promise<ReportResult>;
  /** Takes a deputy's access away again: by those who may name one (mayNameDeputy), so not by a deputy. */
  removeDeputy(input: WriteInput & { personId: string }): Promise<ReportResult>;
  /** «Vil ikke rapportere»: by the region's coordinator or an admin; the step becomes not applicable. */
  waive(input: WriteInput & { reason: string }): Promise<ReportResult>;
  /** Takes «vil ikke rapportere» back (a wrong agency marked): the step is asked for again and its reminders resume. */
  unwaive(input: WriteInput): Promise<ReportResult>;
}

export interface ReportsDeps {
  store: DocumentStore;
  model: ProcessModel;
  settings: Settings;
  clock: () => DateTime;
  people: People;
  steps(regionId: string, year: number): Promise<Obligation[]>;
  /** REPORT_ROUND_OPEN_DAYS: working days before the meeting a round opens. */
  openWorkingDays: number;
  /** The nudge cadence's working days (Christmas week, July), so a round opens on a day people work. */
  workingDays?: WorkingDayOptions;
}


export function createReports(deps: ReportsDeps): Reports {
  /** The round's window and where it stands today; undefined for a year not in view or a round the cycle has not. */
  async function roundOf(at: ReportAt): Promise<{ window: RoundWindow; phase: RoundPhase; today: IsoDate } | undefined> {
    const today = osloDate(deps.clock());
    if (!activeCycleYears(today, deps.model).includes(at.year)) return undefined;
    const window = roundWindowOf(await deps.steps(at.regionId, at.year), at.round, deps.openWorkingDays, deps.workingDays, at.agency);
    return window && { window, phase: roundPhase(window, today), today };
  }

  async function agreementOf(regionId: string, year: number): Promise<AgreementState> {
    const setup = deps.settings.regionSetup(regionId);
    return (await loadAgreement(deps.store, regionId, year, { partyAgencies: [...setup.partyAgencies], commissionAgencies: [...setup.commissionAgencies] })).state;
  }

  /** The agency's last submitted answers of the previous round, keyed by this agreement's task ids (autumn Y ← spring Y, spring Y ← autumn Y−1). */
  async function previousRound(at: ReportAt, agreement: AgreementState): Promise<Record<string, TaskAnswer>> {
    const prev = previousRoundOf(at.year, at.round);
    const [report] = await loadRoundReports(deps.store, at.regionId, prev.year, prev.round, [at.agency]);
    const last = report?.versions.at(-1);
    if (!last) return {};
    // Agreement Y's tasks are copied from Y−1 with new ids: across years they are matched by title.
    const titles = prev.year === at.year ? undefined : new Map((await agreementOf(at.regionId, prev.year)).tasks.map((t) => [t.id, foldText(t.title)]));
    const answers: Record<string, TaskAnswer> = {};
    for (const task of agreement.tasks) {
      const fromId = titles ? [...titles].find(([, title]) => title === foldText(task.title))?.[0] : task.id;
      const answer = fromId !== undefined ? last.content.tasks[fromId] : undefined;
      if (answer) answers[task.id] = answer;
    }
    return answers;
  }

  /** `loaded`: what a write has just read (the round, the agreement, the report), so the hub it answers with costs no second read. */
  async function view(
    at: ReportAt,
    personId: string,
    roles: readonly Role[],
    loaded?: { round: NonNullable<Awaited<ReturnType<typeof roundOf>>>; agreement: AgreementState; report: ReportDocument },
  ): Promise<ReportHubView | undefined> {
    const round = loaded?.round ?? (await roundOf(at));
    if (!round) return undefined;
    const [agreement, report] = loaded
      ? [loaded.agreement, loaded.report]
      : await Promise.all([agreementOf(at.regionId, at.year), loadRoundReports(deps.store, at.regionId, at.year, at.round, [at.agency]).then((r) => r[0])]);
    const deputies = (report?.deputies ?? []).map((d) => ({ personId: d.personId, name: d.name }));
    const canWrite = mayWriteReport(roles, personId, at.regionId, at.agency, deputies);
    const last = report?.versions.at(-1);
    const draft = canWrite ? report?.draft : undefined;
    let content: ReportContent;
    let source: ReportHubView["source"];
    if (draft) [content, source] = [draft.content, "draft"];
    else if (last) [content, source] = [last.content, "submitted"];
    else {
      const previous = canWrite ? await previousRound(at, agreement) : {};
      [content, source] = Object.keys(previous).length > 0 ? [{ tasks: previous }, "previous-round"] : [{ tasks: {} }, "empty"];
    }
    const own = tasksOf(agreement, at.agency);
    // Numbered as the agreement numbers them, so «oppgave 4» is the same task on every card.
    const numberOf = new Map(agreement.tasks.map((t, i) => [t.id, i + 1]));
    const withAnswer = (task: AgreementTask): HubTask => ({ task, n: numberOf.get(task.id)!, ...(content.tasks[task.id] ? { answer: content.tasks[task.id]! } : {}) });
    return {
      ...at,
      readerId: personId,
      ...round,
      own: own.map(withAnswer),
      others: agreement.tasks.filter((t) => !own.includes(t)).map(withAnswer),
      content,
      source,
      ...(last ? { submitted: { at: last.submittedAt, by: last.by.name, late: last.late, count: report!.versions.length } } : {}),
      editedSinceSubmit: last !== undefined && report?.draft !== undefined && canWrite,
      deputies,
      ...(report?.willNotReport ? { willNotReport: { reason: report.willNotReport.reason, by: report.willNotReport.by.name, at: report.willNotReport.at } } : {}),
      canWrite,
      canNameDeputy: mayNameDeputy(roles, at.regionId, at.agency),
      canWaive: mayWaiveReport(roles, at.regionId),
    };
  }

  /**
   * The shared path of every write: the round must take answers, the writer be allowed (with the
   * roles as they are now), then `change` decides on the stored report under its etag.
   */
  async function write(
    input: WriteInput,
    allowed: (roles: readonly Role[], report: ReportDocument | undefined) => boolean,
    change: (current: ReportDocument, base: ReportContent, agreement: AgreementState, window: RoundWindow, now: DateTime) => { report?: ReportDocument; refusal?: ReportRefusal },
    /** A deputy or «vil ikke rapportere» may be settled before the round opens; answers may not. */
    beforeOpen = false,
  ): Promise<ReportResult & { report?: ReportDocument }> {
    const at: ReportAt = { regionId: input.regionId, year: input.year, round: input.round, agency: input.agency };
    const round = await roundOf(at);
    if (!round) return { kind: "refused", refusal: { code: "no-round" } };
    const [roles, [stored], agreement] = await Promise.all([deps.people.rolesOfNow(input.actor.id), loadRoundReports(deps.store, at.regionId, at.year, at.round, [at.agency]), agreementOf(at.regionId, at.year)]);
    if (!allowed(roles, stored)) return { kind: "refused", refusal: { code: "not-allowed" } };
    if (round.phase === "closed") return { kind: "refused", refusal: { code: "round-closed", heldOn: round.window.heldOn! } };
    if (round.phase === "not-open" && !beforeOpen) return { kind: "refused", refusal: { code: "round-not-open", opensOn: round.window.opensOn } };
    const now = deps.clock();
    // A first answer starts from the previous round's (what the form showed pre-filled).
    const prefill: ReportContent = stored?.draft || stored?.versions.length ? { tasks: {} } : { tasks: await previousRound(at, agreement) };
    const { result, report } = await updateReport(deps.store, at, input.actionId, (current) => {
      const base = current.draft?.content ?? current.versions.at(-1)?.content ?? prefill;
      const decided = change(current, base, agreement, round.window, now);
      return decided.report ? { report: decided.report, result: decided.refusal } : { result: decided.refusal };
    });
    if (result !== "duplicate" && result !== undefined) return { kind: "refused", refusal: result };
    const shown = (await view(at, input.actor.id, roles, { round, agreement, report }))!;
    return { kind: result === "duplicate" ? "duplicate" : "saved", view: shown, report };
  }

  const writer = (input: WriteInput) => (roles: readonly Role[], report: ReportDocument | undefined) =>
    mayWriteReport(roles, input.actor.id, input.regionId, input.agency, (report?.deputies ?? []).map((d) => ({ personId: d.personId, name: d.name })));

  /**
   * Appends one cycle event, decided on the cycle as it is (undefined: nothing to record). Its id
   * is derived from `key`, so a retry is a no-op.
   */
  async function appendOnce(at: ReportAt, actor: Actor, decide: (cycle: LoadedCycle) => { key: string; data: DomainEvent["data"] } | undefined): Promise<void> {
    await appendToCycle(deps.store, at.regionId, at.year, (cycle) => {
      const d = decide(cycle);
      if (!d) return [];
      const id = createHash("sha256").update(JSON.stringify(["report", at.regionId, at.year, at.round, at.agency, d.key])).digest("hex").slice(0, 32);
      return [{ id, recordedAt: deps.clock().toUTC().toISO()!, by: actor, data: d.data }];
    });
  }

  return {
    async hub(input) {
      const { personId, ...at } = input;
      return view(at, personId, await deps.people.rolesOf(personId));
    },

    async saveDraft(input) {
      return write(input, writer(input), (current, base, agreement, _window, now) => {
        if (current.willNotReport) return { refusal: { code: "waived" } };
        const merged = applyPatch(base, input.patch, agreement.tasks, input.round);
        if (!merged.ok) return { refusal: merged.refusal };
        return { report: { ...current, draft: { content: merged.content, savedAt: now.toUTC().toISO()!, by: input.actor } } };
      });
    },

    async submit(input) {
      const at: ReportAt = { regionId: input.regionId, year: input.year, round: input.round, agency: input.agency };
      const result = await write(input, writer(input), (current, base, agreement, window, now) => {
        if (current.willNotReport) return { refusal: { code: "waived" } };
        const merged = applyPatch(base, input.patch ?? {}, agreement.tasks, input.round);
        if (!merged.ok) return { refusal: merged.refusal };
        // Every task the agency is responsible for gets a status (§3.1, §3.2); the others are optional.
        const unanswered = tasksOf(agreement, input.agency).filter((t) => !merged.content.tasks[t.id]);
        if (unanswered.length > 0) return { refusal: { code: "unanswered", tasks: unanswered.map((t) => t.title) } };
        const version: ReportVersion = {
          content: merged.content,
          submittedAt: now.toUTC().toISO()!,
          by: input.actor,
          late: compareIsoDate(osloDate(now), window.dueOn) > 0,
          actionId: input.actionId,
        };
        const { draft: _sent, ...rest } = current;
        return { report: { ...rest, versions: [...current.versions, version] } };
      });
      // Also after a duplicate: the first attempt may have stopped between the two writes.
      const versions = result.report?.versions ?? [];
      const first = versions[0];
      const latest = versions.at(-1);
      if (result.kind !== "refused" && first && latest) {
        // The step is done on the day of the first submission (a later edit does not move it); in
        // the autumn the stance on the draft (§3: omforent) is recorded with it, and again when a
        // later submission changes it, so the status card shows it without reading the reports.
        const stance = at.round === "autumn" ? latest.content.stance?.position : undefined;
        await appendOnce(at, input.actor, ({ state: cycle }) => {
          const doneOn = cycle.followUpReports[at.round]?.[at.agency];
          if (doneOn !== undefined && (stance === undefined || cycle.followUpStances?.[at.round]?.[at.agency] === stance)) return undefined;
          const date = doneOn ?? osloDate(DateTime.fromISO(first.submittedAt));
          return { key: latest.actionId, data: { type: "follow-up-report-submitted", round: at.round, agency: at.agency, date, ...(stance ? { stance } : {}) } };
        });
      }
      return strip(result);
    },

    async nameDeputy(input) {
      const result = await write(
        // The hub's buttons share one action id: keyed by what is done, a click on another button of
        // the same card (or another person picked) is not taken for a retry of the first.
        { ...input, actionId: `${input.actionId}:deputy:${input.deputy.id}` },
        (roles) => mayNameDeputy(roles, input.regionId, input.agency),
        (current, _base, _agreement, _window, now) => {
          if (current.deputies.some((d) => d.personId === input.deputy.id)) return {};
          if (current.deputies.length >= REPORT_LIMITS.deputies) return { refusal: { code: "too-many-deputies", max: REPORT_LIMITS.deputies } };
          return { report: { ...current, deputies: [...current.deputies, { personId: input.deputy.id, name: input.deputy.name, by: input.actor, at: now.toUTC().toISO()! }] } };
        },
        true,
      );
      return strip(result);
    },

    async removeDeputy(input) {
      const result = await write(
        { ...input, actionId: `${input.actionId}:deputy-removed:${input.personId}` },
        (roles) => mayNameDeputy(roles, input.regionId, input.agency),
        (current) =>
          current.deputies.some((d) => d.personId === input.personId) ? { report: { ...current, deputies: current.deputies.filter((d) => d.personId !== input.personId) } } : {},
        true,
      );
      return strip(result);
    },

    async waive(input) {
      const reason = input.reason.trim();
      if (reason === "") return { kind: "refused", refusal: { code: "reason-missing", field: "reason" } };
      if (reason.length > REPORT_LIMITS.willNotReportReason) return { kind: "refused", refusal: { code: "too-long", field: "reason", max: REPORT_LIMITS.willNotReportReason } };
      const at: ReportAt = { regionId: input.regionId, year: input.year, round: input.round, agency: input.agency };
      const result = await write(
        { ...input, actionId: `${input.actionId}:waive` },
        (roles) => mayWaiveReport(roles, input.regionId),
        (current, _base, _agreement, _window, now) =>
          // An agency that has reported has reported: its answer stays in the summary (§3.1/§3.2).
          current.versions.length > 0 ? { refusal: { code: "already-submitted" } } : { report: { ...current, willNotReport: { reason, by: input.actor, at: now.toUTC().toISO()! } } },
        true,
      );
      if (result.kind !== "refused") {
        // The step becomes not applicable (obligations.ts), so its reminders end. Keyed by the click:
        // marked again after an undo, it is a new event (the history shows each).
        await appendOnce(at, input.actor, ({ state: cycle }) =>
          cycle.followUpWaived[at.round]?.[at.agency] !== undefined || cycle.followUpReports[at.round]?.[at.agency] !== undefined
            ? undefined
            : { key: `waived-${input.actionId}`, data: { type: "follow-up-report-waived", round: at.round, agency: at.agency, reason } },
        );
      }
      return strip(result);
    },

    async unwaive(input) {
      const at: ReportAt = { regionId: input.regionId, year: input.year, round: input.round, agency: input.agency };
      const result = await write(
        { ...input, actionId: `${input.actionId}:waive-undone` },
        (roles) => mayWaiveReport(roles, input.regionId),
        (current) => {
          if (!current.willNotReport) return {};
          const { willNotReport: _undone, ...rest } = current;
          return { report: rest };
        },
        true,
      );
      // Not when the report is marked again by now: a retried old click must not undo the new waiver.
      if (result.kind !== "refused" && result.report?.willNotReport === undefined) {
        // The waiver is undone in the cycle too (event-undone), so the step is asked for again and its
        // reminders resume; keyed by the waiver undone, so a retry, or a second undo, adds nothing.
        await appendOnce(at, input.actor, (cycle) => {
          const undone = new Set(cycle.events.flatMap((e) => (e.data.type === "event-undone" ? [e.data.eventId] : [])));
          const waived = cycle.events.filter((e) => e.data.type === "follow-up-report-waived" && e.data.round === at.round && e.data.agency === at.agency && !undone.has(e.id)).at(-1);
          return waived ? { key: `waived-undone-${waived.id}`, data: { type: "event-undone", eventId: waived.id } } : undefined;
        });
      }
      return strip(result);
    },
  };
}

function strip(result: ReportResult & { report?: ReportDocument }): ReportResult {
  const { report: _report, ...rest } = result;
  return rest;
}

/**
 * A form's fields merged into the answers, each checked: a task of the agreement, a known status,
 * text within REPORT_LIMITS (clients may ignore `maxLength`). A field sent empty clears it.
 */
export function applyPatch(base: ReportContent, patch: ReportPatch, tasks: readonly AgreementTask[], round: Round): { ok: true; content: ReportContent } | { ok: false; refusal: ReportRefusal } {
  const answers: Record<string, TaskAnswer> = { ...base.tasks };
  for (const [taskId, sent] of Object.entries(patch.tasks ?? {})) {
    const task = tasks.find((t) => t.id === taskId);
    if (!task) return { ok: false, refusal: { code: "unknown-task", field: `status-${taskId}` } };
    // A field not sent keeps what was there (a client may leave out an input it did not show).
    const status = (sent.status ?? base.tasks[taskId]?.status ?? "").trim();
    const comment = (sent.comment ?? base.tasks[taskId]?.comment ?? "").trim();
    if (comment.length > REPORT_LIMITS.comment) return { ok: false, refusal: { code: "too-long", field: `comment-${taskId}`, max: REPORT_LIMITS.comment, task: task.title } };
    if (status === "") {
      if (comment !== "") return { ok: false, refusal: { code: "status-missing", field: `status-${taskId}`, task: task.title } };
      delete answers[taskId];
      continue;
    }
    if (!(TASK_STATUSES as readonly string[]).includes(status)) return { ok: false, refusal: { code: "unknown-status", field: `status-${taskId}`, task: task.title } };
    answers[taskId] = { status: status as TaskStatus, ...(comment ? { comment } : {}) };
  }
  const content: ReportContent = { ...base, tasks: answers };
  const text = (field: "summary" | "expectations", value: string | undefined) => {
    if (value === undefined) return undefined;
    const trimmed = value.trim();
    if (trimmed.length > REPORT_LIMITS[field]) return { code: "too-long", field, max: REPORT_LIMITS[field] } as const;
    if (trimmed === "") delete content[field];
    else content[field] = trimmed;
    return undefined;
  };
  const tooLong = text("summary", patch.summary) ?? (round === "spring" ? text("expectations", patch.expectations) : undefined);
  if (tooLong) return { ok: false, refusal: tooLong };
  // §3.2, §3: the stance on the draft of next year's agreement is asked in the autumn.
  if (round === "autumn" && patch.stance) {
    const position = (patch.stance.position ?? base.stance?.position ?? "").trim();
    const comment = (patch.stance.comment ?? base.stance?.comment ?? "").trim();
    if (comment.length > REPORT_LIMITS.stanceComment) return { ok: false, refusal: { code: "too-long", field: "stanceComment", max: REPORT_LIMITS.stanceComment } };
    if (position === "") {
      if (comment !== "") return { ok: false, refusal: { code: "unknown-stance", field: "stance" } };
      delete content.stance;
    } else if (!(STANCES as readonly string[]).includes(position)) return { ok: false, refusal: { code: "unknown-stance", field: "stance" } };
    // §3: the region needs to know what to change before the political treatment.
    else if (position === "disagree" && comment === "") return { ok: false, refusal: { code: "stance-comment-missing", field: "stanceComment" } };
    else content.stance = { position: position as Stance, ...(comment ? { comment } : {}) };
  }
  // The stored schema is the last word (the same limits); a mismatch here is a bug, not input.
  return { ok: true, content: ReportContentSchema.parse(content) };
}

