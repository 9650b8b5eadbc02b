/**
 * What the card actions share: the zod pieces of the data a card sends back, the labels that name
 * a field to the person, and the answer to data that does not parse.
 */
import { z } from "zod";
import { renderMessageCard } from "../cards/simple-cards.js";
import type { AdaptiveCard } from "../cards/templates.js";
import { NATIONAL, regionById } from "../domain/regions.js";
import type { Translate } from "../i18n/index.js";

/** A region's id. */
export const RegionId = z.string().refine((id) => regionById(id) !== undefined, "unknown region");
/** A region's id or `national` (the national track), where a card may be about either. */
export const RegionOrNational = z.string().refine((id) => id === NATIONAL || regionById(id) !== undefined, "unknown region");
export const Year = z.coerce.number().int().min(2000).max(2999);
/** The id a card's save button carries, so that a retried click is recognised as the same action. */
export const ActionId = z.string().min(1).max(100);

/** Where the field labels live: shared with the tab's API (src/cards/refusals.ts). */
export { fieldLabel } from "../cards/refusals.js";

/**
 * Card data that does not parse did not come from a current card (ids, years and keys are set
 * by the bot, not typed): the person is told to take a fresh card, without code names.
 */
export function invalid(t: Translate): AdaptiveCard {
  return renderMessageCard(t("invoke.unsupported"));
}
