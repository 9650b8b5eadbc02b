/**
 * Adaptive Card templates from `adaptive-cards/`, parsed once, expanded with
 * adaptivecards-templating. Teams refuses cards over 28 KB, so every expansion is measured.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { displayName } from "../domain/display-name.js";

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

/**
 * The one place where text a person supplied — a display name, a title, a comment, a place, a
 * link, what someone typed — is made safe for a card. Every card that shows such text uses these
 * three, and nothing else:
 *
 * - `userText(text)` for a TextBlock, which Teams renders as Markdown: "[Trykk her](https://…)",
 *   "![x](…)" or "**fet**" stay text, never a link, an image or formatting posted in the bot's
 *   name; a line starting "1. ", "- " or "# " stays a line, not a list or a heading. As a
 *   `"line"` (the default: a name, a title, a value in a sentence) line breaks become spaces, so
 *   one value cannot add lines to a card; a `"block"` (a comment, a description) keeps its lines.
 * - `userName(name)` for a display name: `userText` of the name as stored (at most 256
 *   characters, `displayName`), so even a name stored before that cap cannot break a card.
 * - `noTemplate(text)` where Teams shows text as it is, not as Markdown (an input's value, a
 *   choice's or a button's title: escaping would show the backslashes), and around a whole
 *   message made of the catalogue's words and values already made safe with `userText`.
 *
 * All three break up "${" ("$ {"): the template is expanded once, but template syntax in the card
 * JSON would still mislead its readers (and `checkCard` holds every card to having none).
 */
export function userText(text: string, shape: "line" | "block" = "line"): string {
  const lines = shape === "line" ? [text.replace(LINE_BREAKS, " ")] : text.replace(/\r\n?/g, "\n").split("\n");
  return lines.map((line) => escapeLineStart(escapeInline(line))).join("\n");
}

/** A display name in a card (see `userText`); an empty name stays empty, for the caller's «navn ukjent». */
export function userName(name: string): string {
  return userText(displayName(name));
}

/** Text where Teams does not render Markdown (an input's value, a choice's or an action's title), or a whole message built from safe parts. */
export function noTemplate(text: string): string {
  return text.replace(/\$\{/g, "$ {");
}

/** The control characters and Unicode line and paragraph separators a renderer may break a line at. */
const LINE_BREAKS = /[\r\n\u000b\u000c\u0085\u2028\u2029]+/g;

/** Markdown's inline syntax (links, images, emphasis, code, HTML, entities) and table pipes, backslash-escaped. */
function escapeInline(text: string): string {
  // One pass: an entity's "&#" must be seen before its "#" is escaped.
  return noTemplate(text.replace(/[\\`*_[\]()#>!|~<]|&(?=#?\w+;)/g, "\\$&"));
}

/** What makes a line a list item, a heading or a rule when it starts the line ("1. ", "- ", "+ ", "==="). */
function escapeLineStart(line: string): string {
  return line.replace(/^(\s*)(\d+)([.)])(?=\s|$)/, "$1$2\\$3").replace(/^(\s*)([-+=])/, "$1\\$2");
}

/**
 * A TextBlock that starts with a day ("15. februar 2027 kl. 09.02 · Kari") would be read as a
 * numbered list by Markdown ("15." as item 15): a no-break space after the number keeps it text.
 */
export function notAListItem(text: string): string {
  return text.replace(/^(\d+)\. /, "$1.\u00A0");
}
