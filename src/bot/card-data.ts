/**
 * What the card actions share: the zod pieces of the data a card sends back, the labels that name
 * a field to the person, and the answer to data that does not parse.
 */
import { z } from "zod";
import { renderMessageCard } from "../cards/simple-cards.js";
import type { AdaptiveCard } from "../cards/templates.js";
import { NATIONAL, regionById } from "../domain/regions.js";
import type { MessageKey, Translate } from "../i18n/index.js";

/** A region's id. */
export const RegionId = z.string().refine((id) => regionById(id) !== undefined, "unknown region");
/** A region's id or `national` (the national track), where a card may be about either. */
export const RegionOrNational = z.string().refine((id) => id === NATIONAL || regionById(id) !== undefined, "unknown region");
export const Year = z.coerce.number().int().min(2000).max(2999);
/** The id a card's save button carries, so that a retried click is recognised as the same action. */
export const ActionId = z.string().min(1).max(100);

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

/**
 * Card data that does not parse did not come from a current card (ids, years and keys are set
 * by the bot, not typed): the person is told to take a fresh card, without code names.
 */
export function invalid(t: Translate): AdaptiveCard {
  return renderMessageCard(t("invoke.unsupported"));
}
