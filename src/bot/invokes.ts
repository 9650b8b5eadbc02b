/**
 * The invokes the bot answers, and the shape of each one's `value` (issue 11). Checked at the HTTP
 * edge (server.ts), before the turn starts, so a malformed invoke costs one parse and writes
 * nothing (not even the conversation reference every turn keeps); checked again in the bot
 * (bot.ts), so that no invoke reaches botbuilder's own dispatch unchecked: it reads
 * `value.action.type` without looking, and a value without an action (`{}`, `[]`, a string) was
 * answered with an empty 500.
 */
import { z } from "zod";
import { ConsentAnswer } from "./report-files.js";

export const CARD_ACTION_INVOKE = "adaptiveCard/action";
export const FILE_CONSENT_INVOKE = "fileConsent/invoke";

/** Longer than any verb a card of ours carries (card-actions.ts `HANDLED_VERBS`). */
const MAX_VERB_LENGTH = 100;

/**
 * A card's Action.Execute as Teams sends it (Universal Actions): the verb is a string; what the data
 * holds is each verb's own schema's business (card-actions.ts). An unknown verb is a card saying
 * so (the documented answer for an out-of-date card), not a 400.
 */
export const CardActionValue = z.looseObject({
  action: z.looseObject({
    type: z.literal("Action.Execute"),
    verb: z.string().max(MAX_VERB_LENGTH),
    id: z.string().optional(),
    data: z.unknown().optional(),
  }),
  trigger: z.string().optional(),
});

const VALUES: Readonly<Record<string, z.ZodType>> = {
  [CARD_ACTION_INVOKE]: CardActionValue,
  [FILE_CONSENT_INVOKE]: ConsentAnswer,
};

const CODES: Readonly<Record<string, string>> = {
  [CARD_ACTION_INVOKE]: "INVALID_CARD_ACTION",
  [FILE_CONSENT_INVOKE]: "INVALID_FILE_CONSENT",
};

/** The answer to a refused invoke: the server's JSON error shape. */
export interface InvokeRefusal {
  status: 400;
  body: { error: { code: string; message: string } };
}

/**
 * Why an invoke activity is refused, or undefined when the bot can answer it. Any other activity
 * type is not this function's business (undefined). Every invoke name the bot does not answer is
 * refused alike, including those botbuilder's ActivityHandler would dispatch to handlers the bot
 * does not have (`application/search`, `signin/*`): 400, never botbuilder's 501 or a 500.
 */
export function refuseInvoke(activity: { type?: unknown; name?: unknown; value?: unknown }): InvokeRefusal | undefined {
  if (activity.type !== "invoke") return undefined;
  const name = typeof activity.name === "string" ? activity.name : "";
  const schema = Object.hasOwn(VALUES, name) ? VALUES[name] : undefined;
  if (!schema) return refusal("UNSUPPORTED_INVOKE", `unsupported invoke "${name.slice(0, 100)}"`);
  const parsed = schema.safeParse(activity.value);
  if (parsed.success) return undefined;
  const where = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${["value", ...i.path].join(".")}: ${i.message}`)
    .join("; ");
  return refusal(CODES[name]!, where);
}

function refusal(code: string, message: string): InvokeRefusal {
  return { status: 400, body: { error: { code, message } } };
}
