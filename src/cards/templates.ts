/**
 * Adaptive Card templates from `adaptive-cards/`, parsed once, expanded with
 * adaptivecards-templating. Teams refuses cards over 28 KB, so every expansion is measured.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * adaptivecards-templating's type declarations pull in the `adaptivecards` TypeScript sources,
 * which do not compile under this project's settings; the two calls used are typed here.
 */
interface TemplateEngine {
  Template: new (payload: unknown) => { expand(context: { $root: unknown }): unknown };
}
const ACData = createRequire(import.meta.url)("adaptivecards-templating") as TemplateEngine;

export const TEMPLATE_NAMES = ["status", "overview", "help", "message", "record", "backfill", "plan", "roles", "history", "admin", "nudge", "welcome", "agreement", "agreement-task", "agreement-paste", "agreement-parties", "report-summary", "report-hub", "report-form", "report-export"] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** Teams' limit for a message with a card (bytes of the activity payload). */
export const MAX_CARD_BYTES = 28 * 1024;

const TEMPLATE_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "adaptive-cards");

const templates = new Map<TemplateName, InstanceType<TemplateEngine["Template"]>>(
  TEMPLATE_NAMES.map((name) => [name, new ACData.Template(JSON.parse(readFileSync(join(TEMPLATE_DIR, `${name}.json`), "utf8")))]),
);

export type AdaptiveCard = Record<string, unknown> & { type: "AdaptiveCard"; version: string };

export function expandTemplate(name: TemplateName, data: object): AdaptiveCard {
  return templates.get(name)!.expand({ $root: data }) as AdaptiveCard;
}

export function cardBytes(card: object): number {
  return Buffer.byteLength(JSON.stringify(card), "utf8");
}

/** Template text is not re-expanded, but a "${" in user input would still confuse readers of the card JSON. */
export function plain(text: string): string {
  return text.replace(/\$\{/g, "$ {");
}

/**
 * What a person typed, echoed in a TextBlock: Markdown in it ("[klikk her](https://…)") must
 * not become a link or formatting posted in the bot's name.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]()#>!|~<])/g, "\\$1");
}

/**
 * A TextBlock that starts with a day ("15. februar 2027 kl. 09.02 · Kari") would be read as a
 * numbered list by Markdown ("15." as item 15): a no-break space after the number keeps it text.
 */
export function notAListItem(text: string): string {
  return text.replace(/^(\d+)\. /, "$1.\u00A0");
}
