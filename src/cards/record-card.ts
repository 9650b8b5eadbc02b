/** The form for recording one step (opened from a step's button; saved with the step's verb). */
import { formatDate, type IsoDate, type Lang } from "../domain/calendar.js";
import type { DateRange } from "../domain/forms.js";
import { groupSameStep, type Obligation } from "../domain/obligations.js";
import { UNDO_MINUTES, type RecordVerb, type RequestParams } from "../domain/recording.js";
import { OUTCOMES } from "../domain/events.js";
import { translator, type MessageKey, type Translate } from "../i18n/index.js";
import { buttonTitle, groupTitle, partyName, sectionsText, stepTitle } from "./names.js";
import { expandTemplate, noTemplate, type AdaptiveCard } from "./templates.js";

export interface RecordForm {
  verb: RecordVerb;
  params: RequestParams;
  step: Obligation;
  regionId: string;
  year: number;
  actionId: string;
  today: IsoDate;
  /** The dates the server accepts (domain/forms.ts dateRangeFor): the picker's limits and the help text. */
  range: DateRange;
  /** A refusal or validation message, shown above the inputs. */
  error?: string;
  /** What the person typed last time, so that a refused form keeps it. */
  values?: Record<string, string>;
  /**
   * Steps the change would make late (domain/forms.ts stepsMadeLate), with what «Lagre likevel»
   * confirms (their lateTokens, comma-separated): nothing was written yet.
   */
  late?: { steps: readonly Obligation[]; accept: string };
}

type Field =
  | { kind: "date"; id: string; label: string; value: string; min: string; max: string; help: string }
  | { kind: "text" | "url" | "toggle"; id: string; label: string; value: string; placeholder?: string; required?: boolean; maxLength?: number }
  | { kind: "choice"; id: string; label: string; value: string; choices: Array<{ title: string; value: string }> };

export function renderRecordCard(form: RecordForm, lang: Lang): AdaptiveCard {
  const t = translator(lang);
  const { step } = form;
  const warnings = form.late ? lateLines(form.late.steps, form, lang, t) : [];
  const card = expandTemplate("record", {
    title: formTitle(form, t),
    // Planning a meeting: the invitations' deadline is not the meeting's; the help text gives the meeting's dates.
    subtitle: form.verb === "meeting.plan" ? sectionsText(step.step.sections) : `${sectionsText(step.step.sections)} · ${t("detail.deadline", { date: formatDate(step.deadline, lang) })}`,
    error: noTemplate(form.error ?? ""),
    hasWarning: warnings.length > 0,
    // The deadlines that would pass stand out; the last line, what to do about it, does not.
    // Bold, in the default colour: warning-coloured text on the warning container's background is hard to read.
    warnings: warnings.map((line, i) => ({ line: noTemplate(line), weight: i < warnings.length - 1 ? "Bolder" : "Default", color: "Default" })),
    fields: fieldsFor(form, t, lang).map((f) => ({
      placeholder: "",
      required: false,
      choices: [],
      maxLength: 300,
      min: "",
      max: "",
      help: "",
      // Teams checks a date against min/max before sending: its message must say which dates, not "fill in".
      errorMessage: f.kind === "date" && f.help !== "" ? f.help : t("form.required"),
      ...f,
      value: noTemplate(f.value),
    })),
    footer: t("form.footer", { minutes: UNDO_MINUTES }),
    verb: form.verb,
    // Once warned, saving means saving anyway; a changed date is checked again all the same.
    saveTitle: form.late ? t("form.saveAnyway") : t("form.save"),
    acceptLate: form.late?.accept ?? "",
    cancelTitle: t("form.cancel"),
    regionId: form.regionId,
    year: form.year,
    actionId: form.actionId,
    params: form.params,
  });
  // A limit the form does not have is left out rather than sent as an empty date.
  for (const item of card.body as Array<{ items?: Array<Record<string, unknown>> }>)
    for (const input of item.items ?? []) for (const bound of ["min", "max"]) if (input[bound] === "") delete input[bound];
  return card;
}

/**
 * The button's own words, then what it is about: «Sett møtedato» opens «Sett møtedato: Regionalt
 * dialogmøte vår», «Signert» opens «Signert: Samarbeidsavtale 2028 – SIVA». Built from the
 * button's catalogue key, so the two cannot say different things.
 */
function formTitle(form: RecordForm, t: Translate): string {
  return t("form.title", { action: buttonTitle(form.verb, form.step, t), subject: subjectOf(form, t) });
}

/** What the form is about, as a noun: the meeting, not "Innkalling til …"; the budget, not "… vedtatt". */
function subjectOf(form: RecordForm, t: Translate): string {
  const { step, regionId } = form;
  const next = step.year + 1;
  const party = partyName(step.party, regionId, t);
  const withParty = (base: string) => (party ? `${base} – ${party}` : base);
  switch (form.verb) {
    case "meeting.plan":
    case "meeting.invited":
    case "meeting.held":
      // Planning, inviting to and holding a meeting are all about the meeting: its held step names it.
      return step.step.meeting ? t(`step.${step.step.meeting}-meeting-held` as MessageKey) : stepTitle(step, step.year, regionId, t);
    case "stateBudget.adopted":
      return t("form.subject.stateBudget", { next });
    case "regionalBudget.adopted":
      return t("form.subject.regionalBudget", { next });
    case "draft.ready":
      return t("form.subject.agreement", { next });
    case "agreement.signed":
      return withParty(t("form.subject.agreement", { next }));
    case "commission.sent":
      return withParty(t("form.subject.commission", { next }));
    default:
      return stepTitle(step, step.year, regionId, t);
  }
}

/** The allowed dates in words, from the same range the picker is limited to (and the server applies). */
function rangeText(range: DateRange, today: IsoDate, lang: Lang, t: Translate): string {
  if (range.to < range.from) return t("form.range.none", { to: formatDate(range.to, lang) });
  if (range.from === range.to) return t("form.range.only", { date: formatDate(range.from, lang) });
  if (range.toIsToday) return t("form.range.untilToday", { from: dayText(range.from, today, lang) });
  return t("form.range.between", { from: dayText(range.from, range.to, lang), to: formatDate(range.to, lang) });
}

/** «1. februar» when the year goes without saying (the same as `context`'s), else «1. oktober 2026». */
function dayText(date: IsoDate, context: IsoDate, lang: Lang): string {
  const text = formatDate(date, lang);
  // Every language writes the year last ("1. februar 2027", "1 February 2027").
  return date.slice(0, 4) === context.slice(0, 4) ? text.replace(/\s\d{4}$/, "") : text;
}

/** «Innkallingsfristen blir 27. januar – den er passert.», one line per step (agencies due together on one), then what to do (the tab's warning too). */
export function lateLines(steps: readonly Obligation[], form: Pick<RecordForm, "today" | "regionId">, lang: Lang, t: Translate): string[] {
  const lines = groupSameStep(steps).map((group) => {
    const first = group[0]!;
    const date = dayText(first.deadline, form.today, lang);
    return first.step.done.fact === "meeting-convened" ? t("form.late.convene", { date }) : t("form.late.step", { step: groupTitle(group, form.regionId, t), date });
  });
  return [...lines, t("form.late.choose")];
}

function fieldsFor(form: RecordForm, t: Translate, lang: Lang): Field[] {
  const v = (id: string, fallback: string) => form.values?.[id] ?? fallback;
  // The date picker offers what the server accepts, and says so before anyone is refused. With
  // no date left (a meeting whose last day has passed) the picker gets no limits that contradict.
  const { range } = form;
  const limits = range.to < range.from ? { min: "", max: "" } : { min: range.from, max: range.to };
  const help = rangeText(range, form.today, lang, t);
  const date = (label: MessageKey = "form.field.date", fallback = form.today): Field => ({ kind: "date", id: "date", label: t(label), value: v("date", fallback), ...limits, help });
  switch (form.verb) {
    case "meeting.plan":
      return [
        date("form.field.plannedDate", form.step.meeting?.plannedDate ?? ""),
        { kind: "text", id: "place", label: t("form.field.place"), value: v("place", form.step.meeting?.place ?? "") },
      ];
    case "meeting.held":
      return form.params.meeting === "national-autumn"
        ? [
            date(),
            { kind: "toggle", id: "experiences", label: t("form.field.experiences"), value: v("experiences", "true") },
            { kind: "toggle", id: "opportunities", label: t("form.field.opportunities"), value: v("opportunities", "true") },
          ]
        : [date()];
    case "draft.ready":
      return [date(), { kind: "url", id: "link", label: t("form.field.link"), value: v("link", "") }];
    case "political.recorded":
      return [
        { kind: "text", id: "body", label: t("form.field.body"), value: v("body", t("form.field.bodyDefault")), required: true, maxLength: 200 },
        date(),
        { kind: "text", id: "caseNumber", label: t("form.field.caseNumber"), value: v("caseNumber", ""), placeholder: "2027/1234", required: true, maxLength: 50 },
        {
          kind: "choice",
          id: "outcome",
          label: t("form.field.outcome"),
          value: v("outcome", "approved"),
          choices: OUTCOMES.map((o) => ({ title: t(`outcome.${o}`), value: o })),
        },
      ];
    default:
      return [date()];
  }
}
