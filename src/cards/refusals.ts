/**
 * Why a recording was refused, in the person's language: the one wording for every adapter that
 * records a step (the cards in src/bot/, the tab's API in src/tab/), so a refusal reads the same
 * wherever it is met. Names the field as the form labels it, and what is expected.
 */
import { formatDate, type Lang } from "../domain/calendar.js";
import type { Obligation } from "../domain/obligations.js";
import type { Refusal } from "../domain/recording.js";
import { regionById } from "../domain/regions.js";
import type { MessageKey, Translate } from "../i18n/index.js";
import { missingTitle, responsibleName, stepTitle } from "./names.js";

const FIELD_LABELS: Readonly<Record<string, MessageKey>> = {
  date: "form.field.date",
  place: "form.field.place",
  link: "form.field.link",
  body: "form.field.body",
  caseNumber: "form.field.caseNumber",
  outcome: "form.field.outcome",
  experiences: "form.field.experiences",
  opportunities: "form.field.opportunities",
  agency: "form.field.agency",
  party: "form.field.party",
  person: "admin.field.person",
  kind: "admin.field.kind",
  region: "admin.field.region",
  channelRegion: "admin.field.region",
};
/** The plan form uses some of the same input ids for its own fields. */
const PLAN_FIELD_LABELS: Readonly<Record<string, MessageKey>> = {
  ...FIELD_LABELS,
  from: "form.field.from",
  to: "form.field.to",
  title: "form.field.title",
  date: "form.field.adopted",
  link: "form.field.planLink",
};

/** A field as the person knows it from the form (`form`: whose labels); a field not on any form is "the action". */
export function fieldLabel(t: Translate, field: string, form: "record" | "plan" = "record"): string {
  return t((form === "plan" ? PLAN_FIELD_LABELS : FIELD_LABELS)[field] ?? "form.field.verb");
}

/** The refusal in the person's language, naming the field and what is expected. */
export function refusalText(refusal: Refusal, t: Translate, lang: Lang, step?: Obligation): string {
  const field = refusal.field ? fieldLabel(t, refusal.field) : "";
  switch (refusal.code) {
    case "not-allowed":
      return t("refusal.not-allowed", { who: step ? responsibleName(step, t) : "" });
    case "already-done":
      return t("refusal.already-done", { date: formatDate(refusal.date, lang) });
    case "already-held":
      return t("refusal.already-held", { date: formatDate(refusal.date, lang) });
    case "date-outside-window":
      return t("refusal.date-outside-window", { field, from: formatDate(refusal.from, lang), to: formatDate(refusal.to, lang) });
    case "meeting-order":
      return t("refusal.meeting-order", { field, after: formatDate(refusal.after, lang) });
    case "before-prerequisite":
      return t("refusal.before-prerequisite", { field, after: formatDate(refusal.after, lang) });
    case "prerequisites-missing":
      return t("refusal.prerequisites-missing", { items: refusal.missing.map((m) => missingTitle(m, step?.year ?? 0, step?.responsible.regionId, t)).join(", ") });
    case "undo-depended-on": {
      const region = refusal.dependent.regionId ? regionById(refusal.dependent.regionId) : undefined;
      const title = stepTitle(refusal.dependent, refusal.dependent.year, refusal.dependent.regionId, t);
      return t("refusal.undo-depended-on", { step: region ? `${title} (${region.name})` : title });
    }
    case "year-not-active":
      return t("refusal.year-not-active", { year: refusal.year });
    case "plan-period":
      return t("refusal.plan-period", { year: refusal.year });
    case "undo-too-late":
      return t("refusal.undo-too-late", { minutes: refusal.minutes });
    default:
      return t(`refusal.${refusal.code}` as MessageKey, { field });
  }
}
