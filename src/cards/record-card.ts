/** The form for recording one step (opened from a step's button; saved with the step's verb). */
import { formatDate, type IsoDate, type Lang } from "../domain/calendar.js";
import type { Obligation } from "../domain/obligations.js";
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
  | { kind: "date" | "text" | "url" | "toggle"; id: string; label: string; value: string; placeholder?: string; required?: boolean }
  | { kind: "choice"; id: string; label: string; value: string; choices: Array<{ title: string; value: string }> };

export function renderRecordCard(form: RecordForm, lang: Lang): AdaptiveCard {
  const t = translator(lang);
  const { step } = form;
  return expandTemplate("record", {
    title: t("form.title", { step: stepTitle(step, step.year, form.regionId, t) }),
    subtitle: `${sectionsText(step.step.sections)} · ${t("detail.deadline", { date: formatDate(step.deadline, lang) })}`,
    error: plain(form.error ?? ""),
    fields: fieldsFor(form, t).map((f) => ({ placeholder: "", required: false, choices: [], errorMessage: t("form.required"), ...f, value: plain(f.value) })),
    footer: t("form.footer", { minutes: UNDO_MINUTES }),
    verb: form.verb,
    saveTitle: t("form.save"),
    cancelTitle: t("form.cancel"),
    regionId: form.regionId,
    year: form.year,
    actionId: form.actionId,
    params: form.params,
  });
}

function fieldsFor(form: RecordForm, t: Translate): Field[] {
  const v = (id: string, fallback: string) => form.values?.[id] ?? fallback;
  const date = (label: MessageKey = "form.field.date", fallback = form.today): Field => ({ kind: "date", id: "date", label: t(label), value: v("date", fallback) });
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
        { kind: "text", id: "body", label: t("form.field.body"), value: v("body", t("form.field.bodyDefault")), required: true },
        date(),
        { kind: "text", id: "caseNumber", label: t("form.field.caseNumber"), value: v("caseNumber", ""), placeholder: "2027/1234", required: true },
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
