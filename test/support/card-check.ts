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
  AdaptiveCard: new () => { parse(json: unknown, context: unknown): void; validateProperties(): { validationEvents: Array<{ message: string }> } };
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
