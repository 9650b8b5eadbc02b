/**
 * Snoozing a nudge (the "Utsett" button on a nudge card): no nudges about one step instance to
 * this recipient until a day. In a 1:1 chat it is the person's own; in a channel it quiets the
 * channel's card, so only who may record the step (or an admin) may do it.
 */
import { addDays, compareIsoDate, osloDate, parseIsoDate, type IsoDate } from "../domain/calendar.js";
import type { Actor } from "../domain/events.js";
import type { Recipient } from "../domain/nudges.js";
import { ACTIONABLE, activeCycleYears, type Obligation } from "../domain/obligations.js";
import { mayRecord } from "../domain/roles.js";
import type { App } from "./app.js";
import type { Outbox } from "./outbox.js";

/** How far ahead a snooze may reach: past that, a nudge is not snoozed but forgotten. */
export const MAX_SNOOZE_DAYS = 92;
export const SNOOZE_WEEK_DAYS = 7;

export interface SnoozeInput {
  actor: Actor;
  /** The channel or group chat the card is in; undefined in a 1:1 chat. */
  conversationKey: string | undefined;
  regionId: string;
  year: number;
  stepKey: string;
  /** A week from today, or until a day the person picked (inclusive). */
  until: { kind: "week" } | { kind: "date"; text: string | undefined };
}

export type SnoozeResult =
  | { kind: "snoozed"; until: IsoDate; obligation: Obligation; where: "personal" | "channel" }
  | { kind: "unknown-step" }
  /** Done, not applicable, or not in a cycle that is current: there is nothing to be nudged about. */
  | { kind: "nothing-to-snooze"; obligation: Obligation }
  | { kind: "date-missing" }
  | { kind: "date-invalid"; text: string }
  | { kind: "date-out-of-range"; from: IsoDate; to: IsoDate }
  | { kind: "not-allowed"; obligation: Obligation };

export async function snoozeNudge(app: App, outbox: Outbox, input: SnoozeInput): Promise<SnoozeResult> {
  const today = osloDate(app.clock());
  // A card from a cycle that is no longer current (or a year no card has) is not a step to snooze.
  if (!activeCycleYears(today, app.model).includes(input.year)) return { kind: "unknown-step" };
  const obligation = await app.step(input.regionId, input.year, input.stepKey);
  if (!obligation) return { kind: "unknown-step" };
  if (!ACTIONABLE.has(obligation.state)) return { kind: "nothing-to-snooze", obligation };
  let until: IsoDate;
  if (input.until.kind === "week") until = addDays(today, SNOOZE_WEEK_DAYS);
  else {
    if (!input.until.text) return { kind: "date-missing" };
    const picked = parseIsoDate(input.until.text);
    if (!picked) return { kind: "date-invalid", text: input.until.text };
    const from = addDays(today, 1);
    const to = addDays(today, MAX_SNOOZE_DAYS);
    if (compareIsoDate(picked, from) < 0 || compareIsoDate(picked, to) > 0) return { kind: "date-out-of-range", from, to };
    until = picked;
  }
  let recipient: Recipient;
  if (input.conversationKey === undefined) recipient = { kind: "person", personId: input.actor.id.toLowerCase() };
  else {
    const binding = await app.people.binding(input.conversationKey);
    if (!mayRecord(await app.people.rolesOfNow(input.actor.id), obligation.responsible)) return { kind: "not-allowed", obligation };
    recipient = { kind: "channel", conversationKey: input.conversationKey, regionId: binding?.regionId ?? input.regionId };
  }
  await outbox.snooze(recipient, { regionId: input.regionId, year: input.year, stepKey: input.stepKey }, until, today, app.clock().toUTC().toISO()!);
  return { kind: "snoozed", until, obligation, where: recipient.kind === "person" ? "personal" : "channel" };
}
