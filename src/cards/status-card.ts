/** The status card: one region (or the national track) with every step of the active cycles. */
import type { RegionStatus } from "../app/status.js";
import { formatDate, osloDate, type Lang } from "../domain/calendar.js";
import type { Obligation, StepState } from "../domain/obligations.js";
import type { ProcessModel } from "../domain/process.js";
import { backfillRequest, formsFor } from "../domain/recording.js";
import { NATIONAL } from "../domain/regions.js";
import { translator, type MessageKey, type Translate } from "../i18n/index.js";
import { STATE_LOOK } from "./look.js";
import { groupResponsible, groupTitle, responsibleName, sectionsText, stepTitle } from "./names.js";
import { cardBytes, escapeMarkdown, expandTemplate, MAX_CARD_BYTES, plain, type AdaptiveCard } from "./templates.js";


/**
 * What makes a card one person's: the steps they may record get buttons (Universal Actions),
 * and a notice tells what just happened (with undo). Without it the card is the shared one,
 * which in a chat asks Teams to refresh it for the people listed (`refresh.userIds`, ≤ 60) and
 * offers everyone a "my actions" button.
 */
export interface Personalization {
  canRecord: (responsible: Obligation["responsible"]) => boolean;
  /** Nonce of this rendering: with the person and the request it makes recording idempotent. */
  actionId: string;
  notice?: { text: string; style: "good" | "attention" | "default"; undo?: { aggregateId: string; year: number; eventId: string } };
}

export interface SharedCardOptions {
  /** Offer everyone a button that turns the card into their own (with their actions). */
  showMyActions: boolean;
}

export function renderStatusCard(status: RegionStatus, model: ProcessModel, lang: Lang, view: Personalization | SharedCardOptions = NO_ACTIONS): AdaptiveCard {
  const card = expandTemplate("status", statusCardData(status, model, lang, false, view));
  // Two cycles in January can get long; drop the detail lines of steps nobody must act on.
  return cardBytes(card) <= MAX_CARD_BYTES ? card : expandTemplate("status", statusCardData(status, model, lang, true, view));
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

export function statusCardData(status: RegionStatus, model: ProcessModel, lang: Lang, compact: boolean, view: Personalization | SharedCardOptions = NO_ACTIONS) {
  const t = translator(lang);
  const regionId = status.region?.id;
  const personal = "canRecord" in view ? view : undefined;
  const shared = "canRecord" in view ? undefined : view;
  const all = status.cycles.flatMap((c) => [...c.national, ...c.regional]);
  const count = (s: StepState) => all.filter((o) => o.state === s).length;
  const relevant = all.filter((o) => o.state !== "not-applicable" && o.state !== "not-tracked");
  return {
    title: status.region ? t("status.title", { region: status.region.name }) : t("status.titleNational"),
    summary: t("status.counts", { overdue: count("overdue"), dueSoon: count("due-soon"), done: count("done"), total: relevant.length }),
    nextLabel: t("status.next"),
    nothingNext: t("status.nothingNext"),
    next: status.next.map((group) => {
      const o = group[0]!;
      return {
        icon: STATE_LOOK[o.state].icon,
        title: groupTitle(group, regionId, t),
        deadlineText: t("detail.deadline", { date: formatDate(o.deadline, lang) }),
        who: groupResponsible(group, t),
        color: STATE_LOOK[o.state].color,
      };
    }),
    cycles: status.cycles.map((cycle) => ({
      heading: t(cycle.openOnly ? "status.cycleOpenOnly" : "status.cycle", { year: cycle.year }),
      groups: [
        { heading: t("status.national"), steps: cycle.national, scope: "national" },
        { heading: status.region ? t("status.regional", { region: status.region.name }) : "", steps: cycle.regional, scope: "region" },
      ]
        .filter((g) => g.steps.length > 0)
        .map((g) => {
          // Compact: steps that open later in the year become one line instead of a row each.
          const later = compact ? g.steps.filter((o) => o.state === "not-yet-open") : [];
          const shown = g.steps.filter((o) => !later.includes(o));
          const firstOpening = later.map((o) => o.opensOn).sort()[0];
          return {
            heading: g.heading,
            steps: shown.map((o) => stepRow(o, regionId, lang, t, compact, personal)),
            later: firstOpening ? t("status.later", { count: later.length, date: formatDate(firstOpening, lang) }) : "",
            // Several steps from before the tracking start can be recorded at once (one write).
            hasBackfill: g.steps.some((o) => personal?.canRecord(o.responsible) && backfillRequest(o, o.deadline) !== undefined),
            backfillTitle: t("backfill.button"),
            year: cycle.year,
            scope: g.scope,
          };
        }),
    })),
    hint: status.region ? "" : t("status.hintRegion"),
    planLine: status.plans ? planLine(status.plans, lang, t) : "",
    // §2: plans are the region's own; its coordinator records them.
    planButtons:
      status.region && status.plans && personal?.canRecord({ role: "region-coordinator", regionId: status.region.id })
        ? (["regional", "action"] as const).map((kind) => ({ title: t(`plan.button.${kind}`), kind, year: status.plans!.year }))
        : [],
    regionId: regionId ?? NATIONAL,
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
      // Explain "not recorded" where it shows, so nobody wonders why a passed deadline is not overdue.
      ...(all.some((o) => o.state === "not-tracked") ? [t("status.notTrackedNote")] : []),
    ].join(" "),
  };
}

function planLine(plans: NonNullable<RegionStatus["plans"]>, lang: Lang, t: Translate): string {
  const title = plans.regional?.title ? ` (${plain(escapeMarkdown(plans.regional.title))})` : "";
  const regional = plans.regional ? `${plans.regional.from}–${plans.regional.to}${title}` : t("plan.none");
  const action = plans.action ? t("plan.adopted", { date: formatDate(plans.action.adoptedOn, lang) }) : t("plan.none");
  return t("plan.line", { regional, year: plans.year, action });
}

/** One step: "🔴 **Title** · §4.1, §1 · **Forfalt**" in the state's colour, and a detail line. */
function stepRow(o: Obligation, regionId: string | undefined, lang: Lang, t: Translate, compact: boolean, personal: Personalization | undefined) {
  const look = STATE_LOOK[o.state];
  const quiet = o.state === "done" || o.state === "not-yet-open" || o.state === "not-applicable" || o.state === "not-tracked";
  const forms = personal?.canRecord(o.responsible) ? formsFor(o) : [];
  return {
    actions: forms.map((f) => ({ title: t(`form.button.${f.verb}` as MessageKey), form: f.verb, params: f.params, year: o.year })),
    line: `${look.icon} **${stepTitle(o, o.year, regionId, t)}** · ${sectionsText(o.step.sections)} · ${t(`state.${o.state}`)}`,
    detail: compact && quiet ? "" : stepDetail(o, lang, t),
    color: look.color,
    quiet: quiet && o.state !== "done",
  };
}

/** "Frist 31. mars 2027 (mål 30. april 2027) · Ansvar: RUK AU · Venter på: …" */
export function stepDetail(o: Obligation, lang: Lang, t: Translate): string {
  const parts: string[] = [];
  if (o.doneOn) parts.push(t("detail.done", { date: formatDate(o.doneOn, lang) }));
  else {
    const target = o.target ? ` (${t("detail.target", { date: formatDate(o.target, lang) })})` : "";
    parts.push(t("detail.deadline", { date: formatDate(o.deadline, lang) }) + target);
    const who = responsibleName(o, t);
    if (who) parts.push(t("detail.responsible", { who }));
  }
  if (o.meeting?.plannedDate && !o.doneOn) {
    // Typed by a person: shown as text, never as a link or formatting in the bot's name.
    const place = o.meeting.place ? `, ${plain(escapeMarkdown(o.meeting.place))}` : "";
    parts.push(t("detail.plannedMeeting", { date: formatDate(o.meeting.plannedDate, lang) }) + place);
  }
  // What a step waits for matters once it can be acted on; before its window it is noise.
  if (o.missing.length > 0 && o.state !== "not-yet-open" && o.state !== "not-tracked") {
    const items = o.missing.map((m) => stepTitle(m, o.year, o.responsible.regionId, t)).join(", ");
    parts.push(t("detail.waitingFor", { items }));
  }
  return parts.join(" · ");
}
