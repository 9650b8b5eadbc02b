/**
 * The card check of test/cards: a card expands with nothing of the template left, parses with
 * the `adaptivecards` library without unknown elements or validation failures, and stays under
 * Teams' 28 KB. Import it only from a test file that runs under `@vitest-environment jsdom`.
 */
import { createRequire } from "node:module";
import { expect } from "vitest";
import { cardBytes, MAX_CARD_BYTES } from "../../src/cards/templates.js";

// The library measures text with innerText, which jsdom does not implement.
Object.defineProperty(HTMLElement.prototype, "innerText", {
  get(this: HTMLElement) {
    return this.textContent;
  },
  set(this: HTMLElement, value: string) {
    this.textContent = value;
  },
  configurable: true,
});

/** `adaptivecards`' type declarations pull in its TypeScript sources; the calls used are typed here. */
interface AdaptiveCardsLib {
  AdaptiveCard: new () => { parse(json: unknown, context: unknown): void; validateProperties(): { validationEvents: Array<{ message: string }> }; toJSON(): any };
  SerializationContext: new () => { eventCount: number; getEventAt(i: number): { message: string } };
}
// Its lib/ is extensionless ESM that Node cannot load; the UMD bundle in dist/ works under jsdom.
const AC = createRequire(import.meta.url)("adaptivecards/dist/adaptivecards.js") as AdaptiveCardsLib;

export function checkCard(card: object): void {
  const json = JSON.stringify(card);
  expect(json, "template left unexpanded").not.toContain("${");
  expect(cardBytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  const events = Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message);
  expect(events, "parse events (unknown elements, bad values)").toEqual([]);
  expect(parsed.validateProperties().validationEvents.map((e) => e.message)).toEqual([]);
}

/** What the library says of a ChoiceSet without static choices, which is how Teams documents its people picker. */
export const EMPTY_CHOICES_FAILURE = "An Input.ChoiceSet must have at least one choice defined.";

/**
 * `checkCard` for a card with Teams' people picker (`Input.ChoiceSet` with `"choices.data":
 * { "type": "Data.Query", "dataset": … }` and no static choices). The library knows
 * `choices.data` (a 1.6 property; it checks its `type`), but still demands a static choice, so:
 * - the whole card must fail with exactly that one complaint per empty picker, nothing else;
 * - the whole card is checked by `checkCard` with a stand-in choice in each empty picker, so
 *   every other element and property gets the full check;
 * - each picker is checked on its own in a 1.6 card: it parses without events, and the library
 *   keeps `choices.data` with its dataset when it writes the card back (so the property is known
 *   and well-formed, not silently dropped as unknown);
 * - the picker is single-select and searches `dataset`.
 */
export function checkCardWithPeoplePicker(card: object, dataset = "graph.microsoft.com/users"): void {
  const pickers = peoplePickers(card);
  expect(pickers.length, "people pickers in the card").toBeGreaterThan(0);
  expect(cardBytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);

  const whole = new AC.AdaptiveCard();
  const wholeContext = new AC.SerializationContext();
  whole.parse(card, wholeContext);
  expect(Array.from({ length: wholeContext.eventCount }, (_, i) => wholeContext.getEventAt(i).message)).toEqual([]);
  const empty = pickers.filter((p) => Array.isArray(p.choices) && p.choices.length === 0).length;
  expect(whole.validateProperties().validationEvents.map((e) => e.message)).toEqual(Array.from({ length: empty }, () => EMPTY_CHOICES_FAILURE));

  const standIn = structuredClone(card);
  for (const picker of peoplePickers(standIn)) {
    if (Array.isArray(picker.choices) && picker.choices.length === 0) picker.choices = [{ title: "Stand-in", value: "00000000-0000-0000-0000-000000000000" }];
  }
  checkCard(standIn);

  for (const picker of pickers) {
    expect(picker.isMultiSelect, "single select").toBe(false);
    expect(picker["choices.data"]).toEqual({ type: "Data.Query", dataset });
    const alone = new AC.AdaptiveCard();
    const context = new AC.SerializationContext();
    alone.parse({ type: "AdaptiveCard", version: "1.6", body: [{ ...picker, choices: [{ title: "Stand-in", value: "x" }] }] }, context);
    expect(Array.from({ length: context.eventCount }, (_, i) => context.getEventAt(i).message)).toEqual([]);
    expect(alone.toJSON().body[0]["choices.data"]).toEqual({ type: "Data.Query", dataset });
  }
}

/** Every Input.ChoiceSet with `choices.data` in a card (the objects themselves, for changing a copy). */
export function peoplePickers(card: unknown): Array<Record<string, any>> {
  const found: Array<Record<string, any>> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const n = node as Record<string, any>;
      if (n.type === "Input.ChoiceSet" && "choices.data" in n) found.push(n);
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return found;
}

/**
 * The texts of a card Teams renders as Markdown (TextBlocks, TextRuns, facts), for checking that
 * person-supplied text in them stays text (issue 11). Input values, choice and button titles are
 * shown as they are and are not included.
 */
export function markdownTexts(card: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const n = node as Record<string, any>;
      if ((n.type === "TextBlock" || n.type === "TextRun") && typeof n.text === "string") out.push(n.text);
      if (n.type === "FactSet") for (const f of n.facts ?? []) out.push(String(f.title), String(f.value));
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return out;
}

const MARKDOWN_ESCAPE = /\\([!-/:-@[-`{-~])/g;
/** A Markdown text as read: backslash escapes applied. */
export const markdownShown = (text: string) => text.replace(MARKDOWN_ESCAPE, "$1");
/** What is still Markdown syntax in a text: the escaped characters taken out. */
export const markdownLive = (text: string) => text.replace(MARKDOWN_ESCAPE, "");
