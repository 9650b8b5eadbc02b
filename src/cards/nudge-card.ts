/**
 * The nudge digest (`adaptive-cards/nudge.json`): everything due for one recipient in one card,
 * most urgent first, each with the buttons that record it and a snooze. The wording follows the
 * topic: who convenes by when (§4.1, §4.2), what awaits political treatment (§3.2), whether the
 * agreement can be signed or what blocks it (§2.1), commission agreements (§3.3), reports (§3.1,
 * §3.2) — and, once a report round is due, who has answered it — and any step past its deadline.
 */
import { addDays, formatDate, type IsoDate, type Lang } from "../domain/calendar.js";
import type { NudgeItem, NudgeStage } from "../domain/nudges.js";
import { responsibleRoleText } from "../domain/nudges.js";
import { formsFor } from "../domain/recording.js";
import { parseRole } from "../domain/roles.js";
import { AGENCIES, NATIONAL, type AgencyId } from "../domain/regions.js";
import { translator, type MessageKey, type Translate } from "../i18n/index.js";
import { STATE_LOOK } from "./look.js";
import { buttonTitle, externalSource, missingTitle, regionName, responsibleName, sectionsText, stepTitle } from "./names.js";
import { roleName } from "./people-cards.js";
import { MAX_SNOOZE_DAYS } from "../app/snooze.js";
import { cardBytes, expandTemplate, MAX_CARD_BYTES, type AdaptiveCard } from "./templates.js";

/** A nudge as the card shows it (its key is the outbox's business), and whether the reader may record it. */
export interface NudgeCardItem extends Omit<NudgeItem, "key"> {
  /** Whether the recipient may record the step (their roles); in a channel, whoever clicks is checked then. */
  canRecord: boolean;
  /** A deputy named for the report (issue 10): may write it in its hub, though not record the step. */
  canWriteReport?: boolean;
}

export interface NudgeCardView {
  /** A person's digest, or the card for one region's channel. */
  to: { kind: "person" } | { kind: "channel"; regionId: string };
  today: IsoDate;
  items: readonly NudgeCardItem[];
}

/** Items shown in full; the rest are counted, and "status" shows them all. Keeps the card well under 28 KB. */
export const MAX_NUDGE_ITEMS = 8;


const STAGE_LOOK: Record<NudgeStage, { icon: string; color: string }> = {
  overdue: { icon: "🔴", color: "Attention" },
  reminder: { icon: "🟠", color: "Warning" },
  first: { icon: "🔵", color: "Accent" },
  blocked: { icon: "⏸️", color: "Default" },
  "round-due": { icon: "📋", color: "Warning" },
};

/** A round with every report in (or marked "will not report"): nothing left to chase. */
const ROUND_COMPLETE = { icon: "✅", color: "Good" };

export function renderNudgeCard(view: NudgeCardView, lang: Lang, limit = MAX_NUDGE_ITEMS): AdaptiveCard {
  const t = translator(lang);
  const shown = view.items.slice(0, limit);
  const data = {
    title: view.to.kind === "channel" ? t("nudge.title.channel", { region: regionName(view.to.regionId, t) }) : t("nudge.title.person"),
    intro: t("nudge.intro", { count: view.items.length, date: formatDate(view.today, lang) }),
    items: shown.map((item, i) => itemData(item, i, view, lang, t)),
    more: view.items.length > shown.length ? t("nudge.more", { count: view.items.length - shown.length }) : "",
    footer: t("nudge.footer"),
    statusButton:
      view.to.kind === "channel"
        ? { title: t("button.status", { region: regionName(view.to.regionId, t) }), value: "status" }
        : { title: t("nudge.statusButton"), value: "status" },
  };
  const card = expandTemplate("nudge", data);
  // Eight items fit with room to spare; should a language's texts ever outgrow that, fewer are shown.
  if (cardBytes(card) > MAX_CARD_BYTES && shown.length > 1) return renderNudgeCard(view, lang, shown.length - 2);
  return card;
}

/**
 * The heading's glyph, colour and words. An external event past its date (§2.1: the state budget,
 * an allocation letter) is "not recorded yet", not the recorder's failure; a step still blocked
 * past its deadline says so, as the status card does.
 */
function headingOf(item: NudgeCardItem): { look: { icon: string; color: string }; key: MessageKey } {
  const o = item.obligation;
  if (item.round) return { look: item.round.missing.length === 0 ? ROUND_COMPLETE : STAGE_LOOK["round-due"], key: "nudge.stage.round-due" };
  if (item.stage === "overdue" && o.step.external) return { look: STAGE_LOOK.overdue, key: "nudge.stage.external" };
  if (item.stage === "blocked" && o.state === "blocked") return { look: STATE_LOOK.blocked, key: "nudge.stage.blockedLate" };
  return { look: STAGE_LOOK[item.stage], key: `nudge.stage.${item.stage}` };
}

function itemData(item: NudgeCardItem, index: number, view: NudgeCardView, lang: Lang, t: Translate) {
  const o = item.obligation;
  const { look, key } = headingOf(item);
  const region = item.regionId === NATIONAL ? undefined : item.regionId;
  // A round's tally is about every agency: its heading names the round, not one agency's report.
  const title = item.round ? t(`step.${item.round.stepId}` as MessageKey) : stepTitle(o, o.year, region, t);
  // A person's digest may span regions: each line says which; a channel's card is one region's.
  const where = view.to.kind === "person" && region ? ` · ${regionName(region, t)}` : "";
  // Issue 10: a report is written in its hub (one per agency, region and round); the round's
  // tally opens the round's summary (§3.1, §3.2).
  const round = o.step.done.fact === "follow-up-report" ? o.step.done.round : undefined;
  // A report is submitted in its hub, which records the step: a bare «Rapport levert» date next to
  // «Åpne rapporten» would mark it done with no report behind it. Only a step from before the
  // tracking start (backfill) is still dated, as on the status card.
  const forms = item.canRecord && !item.round && (round === undefined || o.state === "not-tracked") ? formsFor(o) : [];
  const agency = o.party !== undefined && o.party !== "region" ? o.party : undefined;
  const reportOpen = round && agency && (item.canRecord || item.canWriteReport) && !item.round ? [{ title: t("nudge.openReport"), regionId: item.regionId, year: o.year, round, agency }] : [];
  const summaryOpen = round && item.round ? [{ title: t("nudge.openSummary"), regionId: item.regionId, year: o.year, round }] : [];
  return {
    heading: `${look.icon} ${t(key, { step: title })}${where}`,
    color: look.color,
    text: bodyText(item, forms.length > 0, lang, t),
    note: noteText(item, t),
    regionId: item.regionId,
    year: o.year,
    stepKey: o.key,
    reportOpen,
    summaryOpen,
    actions: forms.map((f) => ({ title: buttonTitle(f.verb, o, t), form: f.verb, params: f.params, regionId: item.regionId, year: o.year })),
    snooze: {
      title: t("nudge.snooze"),
      weekTitle: t("nudge.snoozeWeek"),
      untilTitle: t("nudge.snoozeUntil"),
      dateLabel: t("nudge.snoozeDate"),
      inputId: `snoozeUntil${index}`,
      min: addDays(view.today, 1),
      max: addDays(view.today, MAX_SNOOZE_DAYS),
    },
  };
}

/** `withButton`: the card offers the reader a button to record the step (the overdue text points at it only then). */
function bodyText(item: NudgeCardItem, withButton: boolean, lang: Lang, t: Translate): string {
  const o = item.obligation;
  const date = (d: IsoDate) => formatDate(d, lang);
  const next = o.year + 1;
  const agency = o.party && o.party !== "region" ? AGENCIES[o.party as AgencyId].name : "";
  const waiting = o.missing.length > 0 ? ` ${t("detail.waitingFor", { items: missingText(o, t) })}` : "";
  const overdue = () => t(withButton ? "nudge.overdue" : "nudge.overdueNoButton", { deadline: date(o.deadline) }) + waiting;
  if (item.stage === "overdue" && o.step.external)
    return t(withButton ? "nudge.external" : "nudge.externalNoButton", { from: externalSource(o.step, t), deadline: date(o.deadline), who: responsibleName(o, t) });
  // A report past its deadline is answered in its hub, late answers taken until the meeting (reports.ts).
  if (item.stage === "overdue" && item.topic === "report" && !withButton) return t("nudge.reportOverdue", { agency, deadline: date(o.deadline) });
  if (item.stage === "overdue") return overdue();
  if (item.round) return roundText(item.round, o, lang, t);
  // Blocked past the deadline (state "blocked"): late, but waiting for someone else (named).
  const late = o.state === "blocked";
  switch (item.topic) {
    case "convene": {
      if (item.stage === "blocked") return t(late ? "nudge.convene.blockedLate" : "nudge.convene.blocked", { deadline: date(o.deadline), items: missingText(o, t) });
      const rule = o.step.deadline;
      const weeks = rule.kind === "before-meeting" ? Math.round(rule.daysBefore / 7) : 0;
      const planned = o.meeting?.plannedDate;
      // The deadline may have moved off a weekend or holiday: the meeting day is the obligation's, not deadline + weeks.
      return planned
        ? t("nudge.convene.planned", { deadline: date(o.deadline), weeks, meeting: date(planned) })
        : t("nudge.convene.unplanned", { deadline: date(o.deadline), weeks, meeting: date(o.meetingOn ?? o.deadline) });
    }
    case "political-treatment":
      return t("nudge.political", { next, deadline: date(o.deadline) });
    case "sign":
      return item.stage === "blocked"
        ? t(late ? "nudge.sign.blockedLate" : "nudge.sign.blocked", { next, deadline: date(o.deadline), items: missingText(o, t) })
        : t("nudge.sign.ready", { next, deadline: date(o.deadline) });
    case "commission":
      return t("nudge.commission", { next, agency, deadline: date(o.deadline) });
    case "report":
      return t("nudge.report", { agency, deadline: date(o.deadline) });
    case "other":
      return overdue();
  }
}

/**
 * The coordinator's word on a due round (§3.1, §3.2): all in, or who is missing (late answers are
 * taken until the meeting, reports.ts); who answered and who will not report, by name.
 */
function roundText(round: NonNullable<NudgeCardItem["round"]>, o: NudgeCardItem["obligation"], lang: Lang, t: Translate): string {
  const names = (agencies: readonly AgencyId[]) => agencies.map((a) => AGENCIES[a].name).join(", ");
  const meeting = formatDate(o.meetingOn ?? o.deadline, lang);
  const waived = round.waived.length > 0 ? ` ${t("nudge.roundDue.waived", { agencies: names(round.waived) })}` : "";
  if (round.missing.length === 0) return t("nudge.roundDue.allIn", { count: round.answered.length, meeting }) + waived;
  const answered = round.answered.length > 0 ? ` ${t("nudge.roundDue.answered", { agencies: names(round.answered) })}` : "";
  const missing = t("nudge.roundDue.missing", { count: round.missing.length, agencies: names(round.missing), deadline: formatDate(o.deadline, lang) });
  return `${missing}${answered}${waived} ${t("nudge.roundDue.late", { meeting })}`;
}

/** What a step waits for, by name: "Fylkesbudsjett 2028 vedtatt, Tildelingsbrev 2028 – SIVA", "Dato for nasjonalt temamøte vår". */
function missingText(o: NudgeCardItem["obligation"], t: Translate): string {
  return o.missing.map((m) => missingTitle(m, o.year, o.responsible.regionId, t)).join(", ");
}

function noteText(item: NudgeCardItem, t: Translate): string {
  const o = item.obligation;
  const who = responsibleName(o, t);
  const sections = sectionsText(o.step.sections);
  // An external event (§2.1) has someone who records it, not someone who answers for it.
  const external = o.step.external;
  if (item.round) {
    // A round's tally is the region coordinator's (§4.2: the region's leadership prepares the meeting).
    const parsed = parseRole(`region-coordinator:${item.regionId}`);
    const coordinator = parsed.ok ? roleName(parsed.role, t) : item.regionId;
    if (item.reason === "unassigned") return `${sections} · ${t("nudge.reason.unassigned", { role: coordinator })}`;
    if (item.reason === "fallback") return `${sections} · ${t("nudge.reason.fallback", { who: coordinator })}`;
    return `${sections} · ${t("nudge.roundDue.forCoordinator")}`;
  }
  switch (item.reason) {
    case "responsible":
    case "channel":
      return who ? `${sections} · ${t(external ? "detail.recordedBy" : "detail.responsible", { who })}` : sections;
    case "escalation":
      return `${sections} · ${t(external ? "nudge.reason.escalationExternal" : "nudge.reason.escalation", { who })}`;
    case "fallback":
      return `${sections} · ${t("nudge.reason.fallback", { who })}`;
    case "unassigned": {
      const parsed = parseRole(responsibleRoleText(o.responsible));
      return `${sections} · ${t("nudge.reason.unassigned", { role: parsed.ok ? roleName(parsed.role, t) : who })}`;
    }
  }
}
