/**
 * The tab's view models: what `GET /api/tab/...` answers, built only through the app's use cases
 * (the same the bot's cards are built from) and worded with the cards' own helpers and
 * catalogues, so the wheel, the overview and the reports say what the status card, the overview
 * card and the summary card say. Each function returns a value of its schema in api-schema.ts;
 * the routes parse it before sending.
 */
import { DateTime } from "luxon";
import type { App } from "../app/app.js";
import type { HistoryPage } from "../app/history.js";
import type { Overview as OverviewSnapshot } from "../app/status.js";
import type { CardCache } from "../cards/card-cache.js";
import { eventSentence } from "../cards/history-card.js";
import { STATE_LOOK } from "../cards/look.js";
import { buttonTitle, missingTitle, partyName, responsibleName, sectionsText, stepTitle } from "../cards/names.js";
import { overviewRow } from "../cards/overview-card.js";
import { roleName } from "../cards/people-cards.js";
import { lateLines } from "../cards/record-card.js";
import { fieldLabel, refusalText } from "../cards/refusals.js";
import { phaseText } from "../cards/report-summary-card.js";
import { formatDate, formatDateTime, osloDate, type IsoDate, type Lang } from "../domain/calendar.js";
import type { EventData } from "../domain/events.js";
import { dateRangeFor, lateToken } from "../domain/forms.js";
import { activeCycleYears, type Obligation, type StepState } from "../domain/obligations.js";
import { ROUNDS, type Round } from "../domain/process.js";
import { formsFor, RECORD_VERBS, RecordRequestSchema, stepKeyFor, stepKeyOf, type RecordVerb, type RequestParams } from "../domain/recording.js";
import { AGENCIES, NATIONAL, regionById, REGIONS, type Region } from "../domain/regions.js";
import type { SummaryAgency } from "../domain/report-summary.js";
import { mayAdminister, mayRecord, type Role } from "../domain/roles.js";
import { agencyState, buildPaper, omforentNo } from "../exports/paper.js";
import { messagesOf, translator, type MessageKey, type Translate } from "../i18n/index.js";
import { TAB_STEP_STATES, type Me, type Overview, type RecordAnswer, type RecordBody, type RecordForm, type Reports, type Wheel, type WheelStep } from "./api-schema.js";
import type { TabPerson } from "./sso.js";

/** How much of a region's trail the wheel reads to say who recorded each step: a year's is a few dozen events. */
const TRAIL_ENTRIES = 1000;

/** The page's labels: every `tab.*` message but the API's own (`tab.api.*`, which the server words itself). */
function pageStrings(lang: Lang): Record<string, string> {
  // With the model file's step words (its column titles among them), as the cards have them.
  return Object.fromEntries(Object.entries(messagesOf(lang)).filter(([key]) => key.startsWith("tab.") && !key.startsWith("tab.api.")));
}

/** A state as the status card shows it: its glyph and its word. */
export function lookOf(state: StepState, t: Translate) {
  return { state, icon: STATE_LOOK[state].icon, label: t(`state.${state}` as MessageKey) };
}

const regionRef = (region: Region) => ({ id: region.id, name: region.name });

/** The name the trail and the page show: from the token, else from the roles list, else «Ukjent person». */
export async function displayName(app: App, person: TabPerson, t: Translate): Promise<string> {
  if (person.name.trim() !== "") return person.name.trim();
  const roster = await app.people.roster();
  const named = roster.assignments.find((a) => a.person.id.toLowerCase() === person.id && a.person.name.trim() !== "");
  return named?.person.name ?? t("tab.api.someone");
}

/** The regions a person's roles make theirs (coordinator, an agency's regional contact), in roster order. */
function ownRegions(roles: readonly Role[]): string[] {
  return [...new Set(roles.flatMap((r) => (r.kind === "region-coordinator" || (r.kind === "agency-rep" && r.regionId !== undefined) ? [r.regionId!] : [])))];
}

/** GET /api/tab/me: who is asking, their roles in words, the regions, where the page opens, and its labels. */
export async function meView(app: App, person: TabPerson, lang: Lang, localMode: boolean, channel: string | undefined): Promise<Me> {
  const t = translator(lang);
  const [roles, bound, name] = await Promise.all([app.people.rolesOf(person.id), channel ? app.people.binding(channel) : Promise.resolve(undefined), displayName(app, person, t)]);
  const defaultRegion = bound?.regionId ?? ownRegions(roles)[0];
  return {
    localMode,
    lang,
    person: { id: person.id, name, roles: roles.map((r) => roleName(r, t)), mayAdminister: mayAdminister(roles) },
    regions: REGIONS.map(regionRef),
    ...(defaultRegion ? { defaultRegion } : {}),
    strings: pageStrings(lang),
    legend: TAB_STEP_STATES.map((state) => lookOf(state, t)),
  };
}

/**
 * GET /api/tab/wheel: every step instance of cycle `year` (the national track and the region's)
 * and the steps of cycle `year − 1` whose deadline falls in `year` (the January signing and
 * commission agreements of the agreement that starts then, §2.1, §3.3; the allocation letters and
 * the political treatment before them), so January shows both cycles. Not applicable steps (no
 * commission agreement with that agency) are left out, as the card's year view does. States are
 * the status card's: the same use case evaluates them.
 */
export async function wheelView(app: App, regionId: string, year: number, person: TabPerson, lang: Lang): Promise<Wheel> {
  const t = translator(lang);
  const region = regionById(regionId)!;
  const today = osloDate(app.clock());
  const [previous, current, roles, regionTrail, nationalTrail] = await Promise.all([
    app.steps(regionId, year - 1),
    app.steps(regionId, year),
    app.people.rolesOf(person.id),
    app.historyOf(regionId, 1, TRAIL_ENTRIES),
    app.historyOf(NATIONAL, 1, TRAIL_ENTRIES),
  ]);
  const cycleOf = (y: number) => (y === year ? current : previous);
  const tail = previous.filter((o) => o.deadline.startsWith(`${year}-`));
  const shown = [...tail, ...current].filter((o) => o.state !== "not-applicable");
  const recorders = recordersOf([regionTrail, nationalTrail]);
  // Only the cycles in view may change (recording refuses others): no form for a step of a closed cycle.
  const active = activeCycleYears(today, app.model);
  const steps = shown.map((o): WheelStep => {
    const recorded = o.doneOn !== undefined ? recorders.get(recorderKey(o.step.scope === "national" ? NATIONAL : regionId, o.year, o.key)) : undefined;
    const who = responsibleName(o, t) || partyName(o.party, regionId, t) || "";
    return {
      key: o.key,
      stepId: o.stepId,
      year: o.year,
      track: o.step.scope,
      title: o.step.external ? externalTitle(o, regionId, t) : stepTitle(o, o.year, regionId, t),
      sections: sectionsText(o.step.sections),
      look: lookOf(o.state, t),
      opensOn: o.opensOn,
      deadline: o.deadline,
      ...(o.target ? { target: o.target } : {}),
      ...(o.doneOn ? { doneOn: o.doneOn } : {}),
      ...(o.meeting?.plannedDate && !o.doneOn ? { plannedMeeting: { on: o.meeting.plannedDate, ...(o.meeting.place ? { place: o.meeting.place } : {}) } } : {}),
      responsible: who,
      ...(o.step.external ? { recordedBy: t("agenda.recordedBy", { who }) } : {}),
      waitsFor: o.missing.map((m) => missingTitle(m, o.year, o.responsible.regionId, t)),
      ...(recorded ? { recorded: { by: recorded.by || t("tab.api.someone"), at: formatDateTime(DateTime.fromISO(recorded.at, { setZone: true }), lang) } } : {}),
      forms: active.includes(o.year) && mayRecord(roles, o.responsible) ? formsOf(o, cycleOf(o.year), today, t) : [],
    };
  });
  return {
    region: regionRef(region),
    year,
    today,
    cycles: tail.length > 0 ? [year - 1, year] : [year],
    steps,
    counts: wheelCounts(shown, t, earlierLate(previous, year), year - 1),
  };
}

/**
 * An external event as the status card names it («Tildelingsbrev 2028 fra departementet»), with
 * the party when there is one per agency: three letters, three agencies, three titles that differ.
 */
function externalTitle(o: Obligation, regionId: string, t: Translate): string {
  const base = t(`external.${o.stepId}` as MessageKey, { next: o.year + 1, year: o.year });
  const party = partyName(o.party, regionId, t);
  return party ? `${base} – ${party}` : base;
}

/**
 * The counts line above the wheel, counted over the steps the wheel and its list show (both
 * tracks, both cycles of January), in the status card's words and icons; «ferdig» is counted
 * among the steps that are followed up (a deadline passed before the region's tracking began is
 * neither done nor late).
 */
function wheelCounts(shown: readonly Obligation[], t: Translate, earlier: number, previousYear: number): string {
  const count = (state: StepState) => shown.filter((o) => o.state === state).length;
  const tracked = shown.filter((o) => o.state !== "not-tracked").length;
  return [
    `${STATE_LOOK.overdue.icon} ${t("agenda.counts.overdue", { count: count("overdue") })}`,
    ...(count("blocked") > 0 ? [`${STATE_LOOK.blocked.icon} ${t("agenda.counts.blocked", { count: count("blocked") })}`] : []),
    ...(count("due-soon") > 0 ? [`${STATE_LOOK["due-soon"].icon} ${t("agenda.counts.dueSoon", { count: count("due-soon") })}`] : []),
    `${STATE_LOOK.done.icon} ${t("tab.api.countsDone", { done: count("done"), total: tracked })}`,
    // Last cycle's steps still late from last year are not on this year's wheel: say so, or the overview's count would not add up.
    ...(earlier > 0 ? [t("tab.api.countsEarlier", { count: earlier, year: previousYear })] : []),
  ].join(" · ");
}

/** Steps of the previous cycle, due before 1 January of `year`, still overdue or blocked (the 2026 wheel shows them). */
function earlierLate(previous: readonly Obligation[], year: number): number {
  return previous.filter((o) => o.deadline < `${year}-01-01` && (o.state === "overdue" || o.state === "blocked")).length;
}

/**
 * The forms a step offers the person now, with the dates each accepts (the card's form limits its
 * picker to the same range, domain/forms.ts). A range with no day left (a meeting whose last day
 * has passed) offers no form, as the card offers no button. A follow-up report is written on its
 * report card in Teams (issue 10), not only dated: the tab offers no form for it.
 */
function formsOf(o: Obligation, cycle: readonly Obligation[], today: IsoDate, t: Translate): RecordForm[] {
  return formsFor(o)
    .filter((f) => f.verb !== "report.submitted")
    .flatMap((f) => {
      const range = dateRangeFor(f.verb, f.params, cycle, today);
      if (!range || range.to < range.from) return [];
      return [{ verb: f.verb, params: { ...f.params } as Record<string, string>, title: buttonTitle(f.verb, o, t), fields: fieldsOf(f.verb, f.params), minDate: range.from, maxDate: range.to }];
    });
}

/** The inputs a form has besides its date, as the card's form (record-card.ts) asks for them. */
function fieldsOf(verb: RecordVerb, params: RequestParams): string[] {
  switch (verb) {
    case "meeting.plan":
      return ["place"];
    case "meeting.held":
      // §1: the national autumn meeting has two parts, both confirmed.
      return params.meeting === "national-autumn" ? ["experiences", "opportunities"] : [];
    case "draft.ready":
      return ["link"];
    case "political.recorded":
      return ["body", "caseNumber", "outcome"];
    default:
      return [];
  }
}

const recorderKey = (aggregateId: string, year: number, stepKey: string) => `${aggregateId}|${year}|${stepKey}`;

/** Who last recorded each step as done, and when, from the trail (newest first; undone entries skipped). */
function recordersOf(trails: readonly HistoryPage[]): Map<string, { by: string; at: string }> {
  const found = new Map<string, { by: string; at: string }>();
  for (const trail of trails)
    for (const entry of trail.entries) {
      if ("kind" in entry || entry.undoneBy !== undefined) continue;
      const stepKey = doneStepOf(entry.event.data);
      const key = stepKey && recorderKey(entry.aggregateId, entry.year, stepKey);
      if (key && !found.has(key)) found.set(key, { by: entry.event.by.name, at: entry.event.recordedAt });
    }
  return found;
}

/** The step instance an event records as done (the verbs' own mapping, domain/recording.ts), if any. */
function doneStepOf(data: EventData): string | undefined {
  switch (data.type) {
    case "invitations-sent":
      return stepKeyFor("meeting.invited", { meeting: data.meeting });
    case "meeting-held":
      return stepKeyFor("meeting.held", { meeting: data.meeting });
    case "follow-up-report-submitted":
      return stepKeyFor("report.submitted", { round: data.round, agency: data.agency });
    case "draft-agreement-ready":
      return stepKeyFor("draft.ready", {});
    case "political-treatment-recorded":
      return stepKeyFor("political.recorded", {});
    case "state-budget-adopted":
      return stepKeyFor("stateBudget.adopted", {});
    case "allocation-letter-received":
      return stepKeyFor("allocationLetter.received", { agency: data.agency });
    case "regional-budget-adopted":
      return stepKeyFor("regionalBudget.adopted", {});
    case "agreement-signed":
      return stepKeyFor("agreement.signed", { party: data.party });
    case "commission-agreement-sent":
      return stepKeyFor("commission.sent", { agency: data.agency });
    case "step-completed":
      return stepKeyFor("step.done", { step: data.step, ...(data.party ? { party: data.party } : {}) });
    default:
      return undefined;
  }
}

/** Worst first: a cell for several parties (three agencies' reports) shows the state that needs attention most. */
const SEVERITY: readonly StepState[] = ["overdue", "blocked", "due-soon", "open", "waiting", "not-yet-open", "not-tracked", "done", "not-applicable"];

/**
 * GET /api/tab/overview: the 15 regions × the main steps of the year. Columns: while last year's
 * cycle is still closing (until early May), its steps that fall in this year (political treatment,
 * signing, commission agreements), then every region step of this year's cycle, in the model's
 * order. Rows in the overview card's order (most overdue, then most blocked, then the nearest
 * deadline), with its «Neste»; a cell is the worst state of the step's instances.
 */
/**
 * The overview grid; with `cache`, reused while its documents, day, settings and model are the
 * same (the snapshot's version), as the overview card is — every request still reads the store.
 */
export async function overviewView(app: App, lang: Lang, cache?: CardCache<Overview>): Promise<Overview> {
  const snapshot = await app.overview();
  return cache ? cache.get(`${snapshot.version}|${lang}`, () => buildOverview(app, snapshot.evaluate(), lang)) : buildOverview(app, snapshot.evaluate(), lang);
}

function buildOverview(app: App, view: OverviewSnapshot, lang: Lang): Overview {
  const t = translator(lang);
  // One read of every region (the overview card's); the grid's states come from the same documents.
  const tracks = view.tracks();
  const current = view.years[view.years.length - 1]!;
  const regionSteps = app.model.steps.filter((s) => s.scope === "region").map((s) => s.id);
  const all = tracks.filter((track) => track.regionId !== NATIONAL).flatMap((track) => track.obligations);
  const tail = view.years.length > 1 ? regionSteps.filter((id) => all.some((o) => o.year === current - 1 && o.stepId === id && o.deadline.startsWith(`${current}-`))) : [];
  const columns = [...tail.map((stepId) => ({ stepId, year: current - 1 })), ...regionSteps.map((stepId) => ({ stepId, year: current }))].map((c) => ({
    ...c,
    title: stepTitle({ stepId: c.stepId }, c.year, undefined, t),
  }));
  const byRegion = new Map(tracks.map((track) => [track.regionId, track.obligations]));
  return {
    today: osloDate(view.now),
    years: view.years,
    columns,
    rows: view.regions.map((summary) => {
      const row = overviewRow(summary.region.name, summary.region.id, summary, "", lang, t, "Default");
      const own = byRegion.get(summary.region.id) ?? [];
      return {
        region: regionRef(summary.region),
        overdue: summary.agenda.counts.overdue,
        blocked: summary.agenda.counts.blocked,
        next: row.nextDetail ? `${row.nextTitle} · ${row.nextDetail}` : row.nextTitle,
        cells: columns.map((column) => {
          const instances = own.filter((o) => o.stepId === column.stepId && o.year === column.year);
          const worst = SEVERITY.find((state) => instances.some((o) => o.state === state)) ?? "not-applicable";
          const first = instances.find((o) => o.state === worst);
          const when = first?.doneOn ? t("detail.done", { date: formatDate(first.doneOn, lang) }) : first && worst !== "not-applicable" && worst !== "not-tracked" ? t("detail.deadline", { date: formatDate(first.deadline, lang) }) : "";
          const look = lookOf(worst, t);
          return {
            stepId: column.stepId,
            year: column.year,
            look,
            ...(first && worst !== "not-applicable" ? { deadline: first.deadline } : {}),
            text: [`${column.title}: ${look.label}`, when].filter(Boolean).join(" · "),
          };
        }),
      };
    }),
  };
}

/** How each agency's answer looks on the summary card (its catalogue's glyphs). */
const AGENCY_ICON = { submitted: "✅", late: "⏰", missing: "❌", pending: "⏳", "will-not-report": "➖" } as const;

/**
 * GET /api/tab/reports: a region's report rounds of a cycle year and one round's compiled summary
 * (app.papers), in the words of the meeting papers (exports/paper.ts: plain text, so the page
 * escapes it like any text), with fresh download links (app.exports). Without a year or round,
 * the round that matters now (as `rapport Vestland`).
 */
export async function reportsView(app: App, regionId: string, wanted: { year?: number; round?: Round }, lang: Lang): Promise<Reports> {
  const t = translator(lang);
  const region = regionById(regionId)!;
  const now = app.clock();
  const chosen = wanted.year === undefined || wanted.round === undefined ? await app.papers.chooseRound(regionId, wanted) : undefined;
  const year = wanted.year ?? chosen?.year ?? Number(osloDate(now).slice(0, 4));
  const exists = await Promise.all(ROUNDS.map(async (round) => ((await app.papers.chooseRound(regionId, { year, round })) ? round : undefined)));
  const rounds = exists.filter((r): r is Round => r !== undefined);
  const round = wanted.round ?? chosen?.round;
  const summary = round !== undefined && rounds.includes(round) ? await app.papers.summary(regionId, year, round) : undefined;
  const roundTitle = (r: Round) => `${t(`summary.round.${r}`)} ${year}`;
  const links = summary ? await app.exports.links({ regionId, year, round: summary.round, lang }) : undefined;
  return {
    region: regionRef(region),
    year,
    rounds: rounds.map((r) => ({ round: r, title: roundTitle(r), selected: r === summary?.round })),
    ...(summary
      ? {}
      : {
          empty:
            round !== undefined
              ? t("summary.noRound", { region: region.name, round: t(`summary.round.${round}`), year })
              : t("summary.noRounds", { region: region.name }),
        }),
    ...(summary
      ? {
          summary: {
            round: summary.round,
            title: t("summary.title", { region: region.name, round: t(`summary.round.${summary.round}`), year: summary.year }),
            dates: t("summary.dates", { meeting: formatDate(summary.meetingHeldOn ?? summary.meetingOn, lang), due: formatDate(summary.dueOn, lang) }),
            phase: phaseText(summary, t, lang),
            agencies: summary.agencies.map((a) => {
              const state = agencyLook(a, summary.phase);
              return { agency: a.agency, name: AGENCIES[a.agency].name, state, icon: AGENCY_ICON[state], text: agencyState(a, t, lang) };
            }),
            ...(summary.omforent === undefined ? {} : { omforent: `${t("export.omforent")}: ${summary.omforent ? t("export.omforent.yes") : omforentNo(summary, t, lang)}` }),
            paper: buildPaper(summary, { madeAt: now.toISO()! }, lang),
          },
        }
      : {}),
    exports: {
      title: t("export.download"),
      minutes: app.exports.linkMinutes,
      links: (links ?? []).map((link) => ({ format: link.format, title: t(`export.format.${link.format}`), url: link.url })),
      ...(summary && !links ? { note: t("tab.api.noLinks") } : {}),
    },
  };
}

/** Before the due day a report not in yet is not a failure (the summary card's ⏳, not ❌). */
function agencyLook(a: SummaryAgency, phase: string): keyof typeof AGENCY_ICON {
  return a.state === "missing" && (phase === "open" || phase === "not-open") ? "pending" : a.state;
}

/** The inputs the card's forms have (record-card.ts); anything else in `values` is not an input and is ignored, as the card does. */
const INPUT_FIELDS = ["date", "place", "link", "body", "caseNumber", "outcome", "experiences", "opportunities"] as const;
const PARAM_FIELDS = ["meeting", "agency", "party", "round"] as const;
const TOGGLES = new Set<string>(["experiences", "opportunities"]);

export type RecordOutcome = { status: 200 | 403 | 422; answer: RecordAnswer } | { status: 400; field: "verb" | "regionId" };

/**
 * POST /api/tab/record: the card's rules and audit trail (app.record with the person's roles read
 * fresh, mayRecord; the late-deadline warning confirmed through `acceptLate`; the same actionId
 * recorded once), answered with the card's sentences in the person's language.
 */
export async function recordFromTab(app: App, person: TabPerson, body: RecordBody, lang: Lang): Promise<RecordOutcome> {
  const t = translator(lang);
  if (!(RECORD_VERBS as string[]).includes(body.verb)) return { status: 400, field: "verb" };
  if (!regionById(body.regionId)) return { status: 400, field: "regionId" };
  const verb = body.verb as RecordVerb;
  const params = Object.fromEntries(PARAM_FIELDS.flatMap((k) => (typeof body.params[k] === "string" ? [[k, body.params[k]]] : [])));
  const inputs = Object.fromEntries(
    INPUT_FIELDS.flatMap((k): Array<[string, string | boolean]> => {
      const v = body.values[k];
      if (typeof v === "boolean") return [[k, v]];
      if (typeof v !== "string" || v.trim() === "") return [];
      return [[k, TOGGLES.has(k) ? v.trim() === "true" : v.trim()]];
    }),
  );
  const request = RecordRequestSchema.safeParse({ ...params, ...inputs, verb });
  if (!request.success) {
    const field = String(request.error.issues[0]?.path[0] ?? "verb");
    return { status: 422, answer: { kind: "refused", message: t("refusal.invalid", { field: fieldLabel(t, field) }), field } };
  }
  const [roles, name] = await Promise.all([app.people.rolesOfNow(person.id), displayName(app, person, t)]);
  const now = app.clock();
  const result = await app.record({
    actor: { id: person.id, name },
    allowed: (responsible) => mayRecord(roles, responsible),
    regionId: body.regionId,
    year: body.year,
    request: request.data,
    actionId: body.actionId,
    now,
    late: { accepted: body.acceptLate },
  });
  const wheel = () => wheelView(app, body.regionId, body.wheelYear ?? body.year, person, lang);
  switch (result.kind) {
    case "recorded":
      return {
        status: 200,
        // The trail's own sentence («Regionalt dialogmøte vår planlagt 3. juni 2027»), as the card's banner.
        answer: { kind: "recorded", message: t("notice.recorded", { what: eventSentence(result.event.data, { aggregateId: result.aggregateId, year: body.year }, lang) }), wheel: await wheel() },
      };
    case "duplicate":
      return { status: 200, answer: { kind: "duplicate", message: t("notice.duplicate"), wheel: await wheel() } };
    case "late": {
      // Nothing written: the deadlines that would pass, then what to do; `accept` goes back as `acceptLate`.
      const lines = lateLines(result.late, { today: osloDate(now), regionId: body.regionId }, lang, t);
      return { status: 200, answer: { kind: "late", message: lines[lines.length - 1]!, steps: lines.slice(0, -1), accept: result.late.map(lateToken) } };
    }
    case "refused": {
      const step = await app.step(body.regionId, body.year, stepKeyOf(request.data));
      const message = refusalText(result.refusal, t, lang, step);
      return {
        status: result.refusal.code === "not-allowed" ? 403 : 422,
        answer: { kind: "refused", message, ...(result.refusal.field ? { field: result.refusal.field } : {}) },
      };
    }
  }
}
