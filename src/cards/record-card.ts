/** The form for recording one step (opened from a step's button; saved with the step's verb). */
import { addDays, formatDate, type IsoDate, type Lang } from "../domain/calendar.js";
import { WINDOW_SLACK_DAYS, type Obligation } from "../domain/obligations.js";
import { UNDO_MINUTES, type RecordVerb, type RequestParams } from "../domain/recording.js";
import { OUTCOMES } from "../domain/events.js";
import { translator, type MessageKey, type Translate } from "../i18n/index.js";
import { sectionsText, stepTitle } from "./names.js";
import { expandTemplate, plain, type AdaptiveCard } from "./templates.js";

export interface RecordForm {
  verb: RecordVerb;
  params: RequestParams;
  step: Obligation;
  regionId: string;
  year: number;
  actionId: string;
  today: IsoDate;
  /** A refusal or validation message, shown above the inputs. */
  error?: string;
  /** What the person typed last time, so that a refused form keeps it. */
  values?: Record<string, string>;
}

type Field =
  | { kind: "date" | "text" | "url" | "toggle"; id: string; label: string; value: string; placeholder?: string; required?: boolean; maxLength?: number; min?: string; max?: string }
  | { kind: "choice"; id: string; label: string; value: string; choices: Array<{ title: string; value: string }> };

export function renderRecordCard(form: RecordForm, lang: Lang): AdaptiveCard {
  const t = translator(lang);
  const { step } = form;
  const card = expandTemplate("record", {
    title: t("form.title", { step: stepTitle(step, step.year, form.regionId, t) }),
    subtitle: `${sectionsText(step.step.sections)} · ${t("detail.deadline", { date: formatDate(step.deadline, lang) })}`,
    error: plain(form.error ?? ""),
    fields: fieldsFor(form, t).map((f) => ({ placeholder: "", required: false, choices: [], maxLength: 300, min: "", max: "", errorMessage: t("form.required"), ...f, value: plain(f.value) })),
    footer: t("form.footer", { minutes: UNDO_MINUTES }),
    verb: form.verb,
    saveTitle: t("form.save"),
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

function fieldsFor(form: RecordForm, t: Translate): Field[] {
  const v = (id: string, fallback: string) => form.values?.[id] ?? fallback;
  // The date picker offers what the server accepts (recording.ts decide): no later than today,
  // not before the step's window or what must come first; a meeting is planned from today on.
  const window =
    form.verb === "meeting.plan"
      ? { min: form.today, max: "" }
      : {
          min: [addDays(form.step.opensOn, -WINDOW_SLACK_DAYS), form.step.prerequisitesDoneBy ?? "", form.step.reopenedOn ?? ""].sort().at(-1)!,
          max: [form.today, addDays(form.step.deadline, WINDOW_SLACK_DAYS)].sort()[0]!,
        };
  const date = (label: MessageKey = "form.field.date", fallback = form.today): Field => ({ kind: "date", id: "date", label: t(label), value: v("date", fallback), ...window });
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
