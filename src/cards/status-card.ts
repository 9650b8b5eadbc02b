/**
 * The status card: the answer to "what is due now, what is late, and who must act?" at the top,
 * the rest of the year on demand.
 *
 * - Header: the region, the cycle(s), counts that add up (national steps counted apart).
 * - «Dine oppgaver» (a person's own card: the steps their roles make theirs), «Forfalt»,
 *   «Blokkert», «Neste 14 dager»: one line per step, starting with who acts, ending with the
 *   deadline, with its buttons where the reader may record it. Long lists are capped.
 * - On a region's card the national track is one line.
 * - «Vis hele året» (Action.ToggleVisibility) opens the year by phase (spring, autumn, agreement
 *   Y+1); steps not open yet are one line per phase; signing (§2.1) is one checklist and a line
 *   per party.
 * - «Åpne årshjulet» (Action.OpenUrl, under «Vis hele året», on a row of its own: side by side
 *   the two English titles are cut off at 360 px): the Teams tab at this region's wheel, or at the
 *   overview from the national card (tab-link.ts; issue 12).
 *
 * What is late, blocked or next comes from the domain's agenda (src/domain/agenda.ts), the same
 * definition the overview uses, so the two agree.
 */
import type { RegionStatus } from "../app/status.js";
import { attentionOf, phaseOf, PHASES, type Agenda } from "../domain/agenda.js";
import { compareIsoDate, formatDate, osloDate, type IsoDate, type Lang } from "../domain/calendar.js";
import { groupSameStep, type Obligation } from "../domain/obligations.js";
import type { ProcessModel } from "../domain/process.js";
import { backfillRequest, formsFor } from "../domain/recording.js";
import { AGENCIES, NATIONAL, type AgencyId } from "../domain/regions.js";
import { translator, type MessageKey, type Translate } from "../i18n/index.js";
import { STATE_LOOK } from "./look.js";
import { wheelUrl, type WheelLink } from "./tab-link.js";
import { buttonTitle, groupResponsible, groupTitle, missingTitle, partyName, sectionsText, stepTitle } from "./names.js";
import { expandTemplate, userText, type AdaptiveCard } from "./templates.js";

export { STATE_LOOK };

/**
 * What makes a card one person's: the steps they may record get buttons (Universal Actions),
 * the steps that are theirs come first, and a notice tells what just happened (with undo).
 * Without it the card is the shared one, which in a chat asks Teams to refresh it for the
 * people listed (`refresh.userIds`, ≤ 60) and offers everyone a "my actions" button.
 */
export interface Personalization {
  canRecord: (responsible: Obligation["responsible"]) => boolean;
  /**
   * Whether the step is the person's own duty (a role they hold, not an admin's power to record
   * anything): those come first, under «Dine oppgaver». Absent: nothing is singled out.
   */
  isMine?: (responsible: Obligation["responsible"]) => boolean;
  /** Nonce of this rendering: with the person and the request it makes recording idempotent. */
  actionId: string;
  notice?: { text: string; style: "good" | "attention" | "default"; undo?: { aggregateId: string; year: number; eventId: string } };
  /** Where «Åpne årshjulet» leads (the tab, issue 12); absent: no such button. */
  wheel?: WheelLink;
}

export interface SharedCardOptions {
  /** Offer everyone a button that turns the card into their own (with their actions). */
  showMyActions: boolean;
  /** Where «Åpne årshjulet» leads (the tab, issue 12); absent: no such button. */
  wheel?: WheelLink;
}

/** Lines shown in a section before the rest goes behind «… og N til». */
const SECTION_LINES = 3;

export function renderStatusCard(status: RegionStatus, model: ProcessModel, lang: Lang, view: Personalization | SharedCardOptions = NO_ACTIONS): AdaptiveCard {
  return expandTemplate("status", statusCardData(status, model, lang, view));
}

const NO_ACTIONS: SharedCardOptions = { showMyActions: false };

/**
 * Asks Teams to refresh a shared card into each listed person's own view (Universal Actions
 * `refresh`; Teams honours at most 60 user ids). A shallow copy: the shared card stays cached.
 */
export function withRefresh(card: AdaptiveCard, regionId: string, userIds: string[], t: Translate): AdaptiveCard {
  return {
    ...card,
    refresh: { action: { type: "Action.Execute", verb: "status.refresh", title: t("action.myActions"), data: { regionId } }, userIds: userIds.slice(0, 60) },
  };
}

interface Ctx {
  status: RegionStatus;
  lang: Lang;
  t: Translate;
  regionId: string | undefined;
  personal: Personalization | undefined;
  /** Every obligation of the card (both tracks, every cycle shown), to name who a step waits for. */
  all: Obligation[];
  today: IsoDate;
  /** §2.1's checklist is said once on a card: the first signing line carries it. */
  checklistShown: boolean;
}

export function statusCardData(status: RegionStatus, model: ProcessModel, lang: Lang, view: Personalization | SharedCardOptions = NO_ACTIONS) {
  const t = translator(lang);
  const personal = "canRecord" in view ? view : undefined;
  const shared = "canRecord" in view ? undefined : view;
  const all = status.cycles.flatMap((c) => [...c.national, ...c.regional]);
  const ctx: Ctx = { status, lang, t, regionId: status.region?.id, personal, all, today: osloDate(status.now), checklistShown: false };
  const { agenda } = status;

  // «Dine oppgaver» first: every actionable step instance that is the person's own; the others
  // stay in their sections (a report due for three agencies splits: SIVA's is SIVA's contact's).
  const isMine = (o: Obligation) => personal?.isMine?.(o.responsible) === true;
  const split = (groups: Obligation[][], keep: (o: Obligation) => boolean) => groups.map((g) => g.filter(keep)).filter((g) => g.length > 0);
  // Everything the person can act on, however far ahead its deadline: it is their to-do list.
  // What is due within days comes first, so the cap never hides it behind what is already late
  // (the header counts both); then what is late, what is blocked, and the rest by deadline.
  const dueSoon = (g: Obligation[]) => g.some((o) => attentionOf(o, ctx.today, model) === "due-soon");
  const ownGroups = split([...agenda.next.filter(dueSoon), ...agenda.overdue, ...agenda.blocked, ...agenda.next.filter((g) => !dueSoon(g)), ...agenda.later], isMine);
  const others = (groups: Obligation[][]) => split(groups, (o) => !isMine(o));
  const count = (groups: Obligation[][]) => groups.reduce((n, g) => n + g.length, 0);
  const sections = [
    { key: "mine", heading: t("agenda.mine", { count: count(ownGroups) }), groups: ownGroups },
    { key: "overdue", heading: t("agenda.overdue", { count: count(others(agenda.overdue)) }), groups: others(agenda.overdue) },
    { key: "blocked", heading: t("agenda.blocked", { count: count(others(agenda.blocked)) }), groups: others(agenda.blocked) },
    { key: "next", heading: t("agenda.next", { count: count(others(agenda.next)) }), groups: others(agenda.next) },
  ]
    .filter((s) => s.groups.length > 0)
    .map((s) => section(s.key, s.heading, s.groups.map((g) => line(g, ctx, true)), t));
  const atTop = new Set([...agenda.overdue, ...agenda.blocked, ...agenda.next, ...ownGroups, ...(agenda.after ? [agenda.after] : [])].flat());
  const nothingNext = agenda.next.length === 0;
  // «Deretter»: what comes after, unless it already stands under «Dine oppgaver».
  const own = new Set(ownGroups.flat());
  const afterOthers = agenda.after ? split([agenda.after], (o) => !own.has(o))[0] : undefined;
  const after = afterOthers ? line(afterOthers, ctx, true) : undefined;
  const year = yearView(ctx, atTop);

  return {
    title: status.region ? t("status.title", { region: status.region.name }) : t("status.titleNational"),
    subtitle: cyclesText(status, t),
    counts: countsText(agenda, status.nationalAgenda, t),
    sections,
    // Nothing within two weeks is an answer too: say so, and what comes after.
    nothingNext: nothingNext && agenda.overdue.length + agenda.blocked.length + ownGroups.length === 0 ? (after ? "" : t(agenda.counts.total > agenda.counts.done ? "agenda.nothingNext" : "agenda.nothingAtAll")) : "",
    afterHeading: nothingNext && after ? t("agenda.nothingNext") : "",
    after: after ? [{ ...after, text: t("agenda.after", { line: after.text }) }] : [],
    nationalLine: status.nationalAgenda ? nationalLine(status.nationalAgenda, ctx) : "",
    nationalButton: t("agenda.nationalButton"),
    showYearTitle: t("agenda.showYear"),
    // The tab at this region's wheel; the national card opens the tab's start, the overview.
    wheelUrl: view.wheel ? wheelUrl(view.wheel, status.region?.id) : "",
    openWheelTitle: t("status.openWheel"),
    year: year.cycles,
    // «Frist … (mål …)» is explained once, where targets are shown: in the year view.
    // Explain "not recorded" where it shows (the year view), so nobody wonders why a passed deadline is not overdue.
    targetNote: [
      ...(year.showsTarget ? [t("agenda.targetNote")] : []),
      ...(year.showsNotTracked ? [t("status.notTrackedNote", { track: t(status.region ? "track.region" : "track.national") })] : []),
    ].join(" "),
    planLine: status.plans ? planLine(status.plans, lang, t) : "",
    // §2: plans are the region's own; its coordinator records them.
    planButtons:
      status.region && status.plans && personal?.canRecord({ role: "region-coordinator", regionId: status.region.id })
        ? (["regional", "action"] as const).map((kind) => ({ title: t(`plan.button.${kind}`), kind, year: status.plans!.year }))
        : [],
    hint: status.region ? "" : t("status.hintRegion"),
    regionId: ctx.regionId ?? NATIONAL,
    actionId: personal?.actionId ?? "",
    notice: personal?.notice?.text ?? "",
    noticeStyle: personal?.notice?.style ?? "default",
    hasUndo: personal?.notice?.undo !== undefined,
    undoTitle: t("action.undo"),
    undoAggregateId: personal?.notice?.undo?.aggregateId ?? "",
    undoYear: personal?.notice?.undo?.year ?? 0,
    undoEventId: personal?.notice?.undo?.eventId ?? "",
    showMyActions: shared?.showMyActions ?? false,
    myActionsTitle: t("action.myActions"),
    footer: [
      `${t("status.asOf", { date: formatDate(osloDate(status.now), lang), source: model.source })}.`,
      t("status.sectionsNote"),
    ].join(" "),
  };
}

/** "Syklus 2027 · det som gjenstår av 2026" */
function cyclesText(status: RegionStatus, t: Translate): string {
  const current = status.cycles.find((c) => !c.openOnly) ?? status.cycles[status.cycles.length - 1];
  const closing = status.cycles.find((c) => c.openOnly);
  if (!current) return "";
  return closing ? t("agenda.cycles", { year: current.year, previous: closing.year }) : t("agenda.cycle", { year: current.year });
}

/** "🔴 2 forfalt (+1 nasjonalt) · ⛔ 1 blokkert · 🟠 1 frist snart · ✅ 12 av 30 ferdig" (the tab's wheel says the same). */
export function countsText(agenda: Agenda, national: Agenda | undefined, t: Translate): string {
  const c = agenda.counts;
  const nationalOverdue = national ? national.counts.overdue : 0;
  return [
    `${STATE_LOOK.overdue.icon} ${t("agenda.counts.overdue", { count: c.overdue })}${nationalOverdue > 0 ? ` ${t("agenda.counts.national", { count: nationalOverdue })}` : ""}`,
    ...(c.blocked > 0 ? [`${STATE_LOOK.blocked.icon} ${t("agenda.counts.blocked", { count: c.blocked })}`] : []),
    ...(c.dueSoon > 0 ? [`${STATE_LOOK["due-soon"].icon} ${t("agenda.counts.dueSoon", { count: c.dueSoon })}`] : []),
    `${STATE_LOOK.done.icon} ${t("agenda.counts.done", { done: c.done, total: c.total })}`,
  ].join(" · ");
}

interface Line {
  text: string;
  detail: string;
  color: string;
  actions: Array<{ title: string; form: string; params: object; year: number }>;
}

interface Section {
  heading: string;
  lines: Line[];
  moreId: string;
  moreTitle: string;
  hidden: Line[];
}

/** A section shows its first lines; the rest wait behind «… og N til» (Action.ToggleVisibility). */
function section(key: string, heading: string, lines: Line[], t: Translate): Section {
  const hidden = lines.slice(SECTION_LINES);
  return { heading, lines: lines.slice(0, SECTION_LINES), moreId: `more-${key}`, moreTitle: hidden.length > 0 ? t("agenda.more", { count: hidden.length }) : "", hidden };
}

/**
 * One step for one or more parties, as the person who must act reads it:
 * "🟠 **SIVA, Forskningsrådet**: lever oppfølgingsrapport (vår) · frist 15. april".
 * An external event (§2.1: the Storting adopts the state budget, a ministry sends the letter)
 * has a recorder, not a responsible: "Statsbudsjett 2028 vedtatt (Stortinget) – registreres av
 * RUK AU · ventet senest 31. desember". A blocked step names the party it waits for.
 */
function line(group: Obligation[], ctx: Ctx, withButtons: boolean): Line {
  const { t, lang } = ctx;
  const o = group[0]!;
  const params = { next: o.year + 1, year: o.year };
  const who = groupResponsible(group, t);
  const date = formatDate(o.deadline, lang);
  let text: string;
  if (o.step.external) {
    text = `${t(`external.${o.stepId}` as MessageKey, params)} – ${t("agenda.recordedBy", { who })} · ${t("agenda.expected", { date })}`;
  } else {
    const agencies = group.map((g) => (g.party && g.party !== "region" ? AGENCIES[g.party as AgencyId].name : undefined)).filter(Boolean).join(", ");
    const action = t(`do.${o.stepId}` as MessageKey, { ...params, agency: agencies });
    const actor = o.step.responsible === "party" ? group.map((g) => signatoryName(g, ctx)).join(", ") : who;
    const deadline = t(o.state === "overdue" || o.state === "blocked" ? "agenda.deadlinePassed" : "agenda.deadline", { date });
    text = `${t("agenda.line", { who: `**${actor}**`, action })} · ${deadline}`;
  }
  // The § goes where it costs no line of its own: after the detail, or else after the deadline.
  const detail = detailOf(group, ctx);
  const sections = sectionsText(o.step.sections);
  return {
    text: `${STATE_LOOK[o.state].icon} ${text}${detail === "" ? ` · ${sections}` : ""}`,
    detail: detail === "" ? "" : `${detail} · ${sections}`,
    color: STATE_LOOK[o.state].color,
    actions: withButtons ? buttons(group, ctx) : [],
  };
}

/** What a line needs beside it: what it waits for (and whose), the meeting's date, or the §2.1 checklist ("" when nothing). */
function detailOf(group: Obligation[], ctx: Ctx): string {
  const { t, lang } = ctx;
  const o = group[0]!;
  // §2.1 signing: the checklist, once a card; a further signing line says what it waits for, as any line.
  if (o.stepId === "agreement-signed" && !ctx.checklistShown) {
    ctx.checklistShown = true;
    return checklist(o, ctx);
  }
  const parts: string[] = [];
  if (o.meeting?.plannedDate && !o.doneOn) {
    // Typed by a person: shown as text, never as a link or formatting in the bot's name.
    const place = o.meeting.place ? `, ${userText(o.meeting.place)}` : "";
    parts.push(t("agenda.meeting", { date: formatDate(o.meeting.plannedDate, lang) }) + place);
  }
  // §3: who has agreed to the draft with their autumn report, before its political treatment (§3.2).
  if (o.draftStances) parts.push(omforentLine(o.draftStances, t));
  if (o.missing.length > 0 && (o.state === "blocked" || o.state === "waiting" || o.state === "overdue")) {
    // Mid-sentence: "venter på dato for nasjonalt temamøte vår".
    const items = o.missing.map((m) => lowerFirst(missingTitle(m, o.year, o.responsible.regionId, t), lang)).join(", ");
    // Who blocks it is someone else: the step's own party's late steps are listed, not named as blockers.
    const own = groupResponsible(group, t);
    const blockers = o.state === "blocked" ? [...new Set(rootBlockers(o, ctx, new Set()))].filter((who) => who !== own).join(", ") : "";
    parts.push(blockers ? t("agenda.blockedBy", { who: blockers, items }) : t("agenda.waitingFor", { items }));
  }
  return parts.join(" · ");
}

/**
 * «Omforent: Innovasjon Norge ✔ · SIVA ✔ · Forskningsrådet – ikke svart» (a party that does not
 * agree: ✖; one marked "will not report" in the autumn: «– rapporterer ikke»).
 */
function omforentLine(draft: NonNullable<Obligation["draftStances"]>, t: Translate): string {
  const party = (agency: AgencyId) => {
    const stance = draft.stances[agency];
    const key =
      stance === undefined
        ? draft.waived.includes(agency)
          ? "summary.omforent.waived"
          : "summary.omforent.unanswered"
        : stance === "disagree"
          ? "summary.omforent.disagreed"
          : "summary.omforent.agreed";
    return t(key, { agency: AGENCIES[agency].name });
  };
  return t("summary.omforent.line", { parties: draft.parties.map(party).join(" · ") });
}

function lowerFirst(text: string, lang: Lang): string {
  const lowered = text.charAt(0).toLocaleLowerCase("nb") + text.slice(1);
  // English wants its article mid-sentence: "waiting for the national spring theme meeting".
  return lang === "en" && !lowered.startsWith("the ") ? `the ${lowered}` : lowered;
}

/**
 * Who a blocked step waits for, at the root: a step the county cannot do because its own meeting
 * waits for RUK AU's is blocked by RUK AU, not by the county.
 */
function rootBlockers(o: Obligation, ctx: Ctx, seen: Set<string>): string[] {
  seen.add(`${o.year}|${o.key}`);
  return o.missing.flatMap((ref) => {
    const found = ctx.all.filter((x) => x.year === o.year && x.stepId === ref.stepId && (ref.party === undefined || x.party === ref.party));
    const further = found.filter((x) => x.state === "blocked" && !seen.has(`${x.year}|${x.key}`));
    return further.length > 0 ? further.flatMap((x) => rootBlockers(x, ctx, seen)) : found.length > 0 ? [groupResponsible(found, ctx.t)] : [];
  });
}

/** Who signs: the county authority for the region, the agency by its name. */
function signatoryName(o: Obligation, ctx: Ctx): string {
  return o.party === "region" ? (ctx.status.region?.authority ?? partyName(o.party, ctx.regionId, ctx.t) ?? "") : (partyName(o.party, ctx.regionId, ctx.t) ?? "");
}

/**
 * §2.1: an agreement is signed once political treatment, the state budget, the county budget and
 * every party agency's allocation letter are in — said once, as a checklist with counts:
 * "Før signering (§2.1): ☑ politisk behandling · ☐ statsbudsjett · ☑ fylkesbudsjett · ☐ tildelingsbrev 2/3".
 */
function checklist(signing: Obligation, ctx: Ctx): string {
  const { t } = ctx;
  const items = signing.step.requires.map((stepId) => {
    const instances = ctx.all.filter((o) => o.year === signing.year && o.stepId === stepId);
    // ☑ only for what is recorded; a step nobody recorded from before the tracking start does not
    // hold signing up, but it is not shown as done either (➖, as on its own row).
    const done = instances.filter((o) => o.state === "done").length;
    const untracked = instances.filter((o) => o.state === "not-tracked").length;
    const box = done === instances.length ? "☑" : done + untracked === instances.length ? "➖" : "☐";
    const label = t(`sign.check.${stepId}` as MessageKey);
    return instances.length > 1 ? `${box} ${label} ${done}/${instances.length}` : `${box} ${label}`;
  });
  return t("sign.checklist", { items: items.join(" · ") });
}

/** The buttons of a group that the reader may press, each naming its party when there are several. */
function buttons(group: Obligation[], ctx: Ctx): Line["actions"] {
  const { personal, t } = ctx;
  if (!personal) return [];
  return group.flatMap((o) =>
    personal.canRecord(o.responsible)
      ? formsFor(o).filter((f) => f.verb !== "meeting.plan" || canStillPlan(o, ctx)).map((f) => {
          // A follow-up report is written in the report hub (issue 10), not only dated: `form: "report"` is its button (report.open).
          const report = f.verb === "report.submitted";
          const base = report ? t("report.button.open") : buttonTitle(f.verb, o, t);
          const party = group.length > 1 ? partyName(o.party, ctx.regionId, t) : undefined;
          return { title: party ? `${base} – ${party}` : base, form: report ? "report" : f.verb, params: f.params, year: o.year };
        })
      : [],
  );
}

/** A meeting can be planned until its last allowed day (§1, §3.1, §3.2); after that the form could only refuse. */
function canStillPlan(convene: Obligation, ctx: Ctx): boolean {
  const held = ctx.all.find((x) => x.year === convene.year && x.step.meeting === convene.step.meeting && x.step.done.fact === "meeting-held");
  return held === undefined || compareIsoDate(ctx.today, held.deadline) <= 0;
}

/** The national track in one line on a region's card: "Nasjonalt: 1 forfalt · neste: RUK AU: …". */
function nationalLine(agenda: Agenda, ctx: Ctx): string {
  const { t } = ctx;
  const next = agenda.next[0] ?? agenda.after;
  const counts = [
    ...(agenda.counts.overdue > 0 ? [t("agenda.counts.overdue", { count: agenda.counts.overdue })] : []),
    ...(agenda.counts.blocked > 0 ? [t("agenda.counts.blocked", { count: agenda.counts.blocked })] : []),
  ];
  // One line: the next step without its § and bold (the national card has them).
  const nextText = next ? line(next, ctx, false).text.replace(/\*\*/g, "").replace(/ · §[\d., §]+$/, "") : undefined;
  const parts = [counts.length > 0 ? counts.join(", ") : t("agenda.nationalOnTrack"), ...(nextText ? [t("agenda.nationalNext", { line: nextText })] : [])];
  return t("agenda.national", { summary: parts.join(" · ") });
}

/**
 * The whole year, by phase: for each cycle shown, its phases (a closing cycle shows what remains:
 * the agreement phase and anything still open), each step group a row; steps not open yet are
 * one line per phase; the signing step is the checklist and a line per party.
 */
function yearView(ctx: Ctx, atTop: ReadonlySet<Obligation>) {
  const { status, t, lang } = ctx;
  let showsTarget = false;
  let showsNotTracked = false;
  const cycles = status.cycles.map((cycle) => {
    const steps = status.region ? cycle.regional : cycle.national;
    const phases = PHASES.map((phase) => {
      // Not applicable (no commission agreement with that agency, §3.3) is nothing to see.
      const inPhase = steps.filter((o) => phaseOf(o.step) === phase && o.state !== "not-applicable");
      if (inPhase.some((o) => o.state === "not-tracked")) showsNotTracked = true;
      const later = inPhase.filter((o) => o.state === "not-yet-open");
      const shown = inPhase.filter((o) => o.state !== "not-yet-open");
      const rows: Line[] = [];
      const signing = shown.filter((o) => o.stepId === "agreement-signed");
      for (const group of groupSameStep(shown.filter((o) => o.stepId !== "agreement-signed"))) {
        const r = row(group, ctx, !group.some((o) => atTop.has(o)));
        if (r.target) showsTarget = true;
        rows.push(r.line);
      }
      if (signing.length > 0) rows.push(...signingRows(signing, ctx, signing.some((o) => atTop.has(o))));
      const firstOpening = later.map((o) => o.opensOn).sort()[0];
      return {
        phase,
        heading: t(`phase.${phase}` as MessageKey, { year: cycle.year, next: cycle.year + 1 }),
        rows,
        later: firstOpening ? `${STATE_LOOK["not-yet-open"].icon} ${t("agenda.later", { count: later.length, date: formatDate(firstOpening, lang) })}` : "",
      };
    }).filter((p) => p.rows.length > 0 || p.later !== "");
    return {
      phases: phases.map(({ phase: _phase, ...p }) => p),
      // Several steps from before the tracking start can be recorded at once (one write).
      hasBackfill: steps.some((o) => ctx.personal?.canRecord(o.responsible) && backfillRequest(o, o.deadline) !== undefined),
      backfillTitle: t("backfill.button"),
      year: cycle.year,
      scope: status.region ? "region" : "national",
    };
  });
  return { cycles, showsTarget, showsNotTracked };
}

/** A row of the year: "🔵 Regionalt dialogmøte vår · Åpen" and "frist 30. juni (mål 30. april) · møtet 22. april · §3.1". */
function row(group: Obligation[], ctx: Ctx, withButtons: boolean): { line: Line; target: boolean } {
  const { t, lang } = ctx;
  const o = group[0]!;
  const title = o.step.external ? t(`external.${o.stepId}` as MessageKey, { next: o.year + 1, year: o.year }) : groupTitle(group, ctx.regionId, t);
  const shownTarget = o.target !== undefined && o.doneOn === undefined && o.state !== "not-applicable" && o.state !== "not-tracked";
  // Three agencies' reports in one row are done when the last came in: its date is the row's.
  const doneOn = o.doneOn && group.reduce((last, g) => (g.doneOn && compareIsoDate(g.doneOn, last) > 0 ? g.doneOn : last), o.doneOn);
  const when = doneOn
    ? t("detail.done", { date: formatDate(doneOn, lang) })
    : o.state === "not-applicable" || o.state === "not-tracked"
      ? ""
      : `${t("detail.deadline", { date: formatDate(o.deadline, lang) })}${shownTarget ? ` (${t("detail.target", { date: formatDate(o.target!, lang) })})` : ""}`;
  const who = o.step.external ? t("agenda.recordedBy", { who: groupResponsible(group, t) }) : o.doneOn ? "" : t("detail.responsible", { who: groupResponsible(group, t) });
  const detail = [when, o.state === "not-applicable" || o.state === "not-tracked" ? "" : who, detailOf(group, ctx), sectionsText(o.step.sections)].filter((p) => p !== "").join(" · ");
  return {
    line: {
      text: t("agenda.row", { icon: STATE_LOOK[o.state].icon, title: `**${title}**`, state: t(`state.${o.state}` as MessageKey) }),
      detail,
      color: STATE_LOOK[o.state].color,
      actions: withButtons ? buttons(group, ctx) : [],
    },
    target: shownTarget,
  };
}

/**
 * §2.1 in the year view: the checklist, then one line per party's signature — the checklist and
 * the buttons only if the signing is not already at the top (it is said once).
 */
function signingRows(signing: Obligation[], ctx: Ctx, shownAbove: boolean): Line[] {
  const { t, lang } = ctx;
  const first = signing[0]!;
  const head: Line = {
    text: `${STATE_LOOK[first.state].icon} **${stepTitle({ stepId: first.stepId }, first.year, ctx.regionId, t)}** · ${t(`state.${first.state}` as MessageKey)} · ${t("detail.deadline", { date: formatDate(first.deadline, lang) })}`,
    detail: shownAbove || ctx.checklistShown ? sectionsText(first.step.sections) : `${checklist(first, ctx)} · ${sectionsText(first.step.sections)}`,
    color: "Default",
    actions: [],
  };
  const parties = signing.map((o): Line => {
    const party = signatoryName(o, ctx);
    return {
      text: o.doneOn ? t("sign.party.done", { party, date: formatDate(o.doneOn, lang) }) : t("sign.party.missing", { icon: STATE_LOOK[o.state].icon, party }),
      detail: "",
      color: STATE_LOOK[o.state].color,
      actions: shownAbove ? [] : buttons([o], ctx),
    };
  });
  return [head, ...parties];
}

function planLine(plans: NonNullable<RegionStatus["plans"]>, lang: Lang, t: Translate): string {
  const title = plans.regional?.title ? ` (${userText(plans.regional.title)})` : "";
  const regional = plans.regional ? `${plans.regional.from}–${plans.regional.to}${title}` : t("plan.none");
  const action = plans.action ? t("plan.adopted", { date: formatDate(plans.action.adoptedOn, lang) }) : t("plan.none");
  return t("plan.line", { regional, year: plans.year, action });
}
