/**
 * The meeting papers as Markdown (for a wiki, an e-mail or a case system that reads it). Every
 * piece of text is escaped, person-supplied text above all: a comment reading "[klikk her](…)"
 * or "# Vedtak" stays text in the papers, not a link or a heading in the county's name.
 */
import type { Lang } from "../domain/calendar.js";
import type { RoundSummary } from "../domain/report-summary.js";
import { buildPaper, type ExportContext, type PaperItem } from "./paper.js";

/**
 * Text safe in Markdown, escaping only what Markdown would act on, so the raw file stays readable:
 * emphasis, code, links (`[`), html and autolinks (`<`), strikethrough, an entity ("&amp;"), and
 * at the start of a line a heading, quote, list marker, numbered item ("12. april") or setext
 * underline. `inline`: the text follows a label on its line (a value, a heading), so its line
 * breaks become spaces and its start is not a line start.
 */
export function markdownText(text: string, options: { inline?: boolean } = {}): string {
  const escape = (line: string) => line.replace(/[\\`*_[\]<~]/g, "\\$&").replace(/&(?=#?\w+;)/g, "\\&");
  const lineStart = (line: string) => line.replace(/^(\s*)([-+=#>])/, "$1\\$2").replace(/^(\s*\d+)([.)])/, "$1\\$2");
  if (options.inline) return escape(text.replace(/\s*\r?\n\s*/g, " "));
  return text
    .split(/\r?\n/)
    .map((line) => lineStart(escape(line)))
    .join("\n");
}

/** Person-written text below an item, as a quote: its own lines kept, nothing in it can end the quote. */
function quote(text: string, indent: string): string[] {
  return markdownText(text)
    .split("\n")
    .map((line) => (line.trim() === "" ? `${indent}>` : `${indent}> ${line}`));
}

const INLINE = { inline: true } as const;

function item({ label, value, text }: PaperItem): string[] {
  const head = value === "" ? `- **${markdownText(label, INLINE)}**` : `- **${markdownText(label, INLINE)}:** ${markdownText(value, INLINE)}`;
  return [head, ...(text ? quote(text, "  ") : [])];
}

export function toMarkdown(summary: RoundSummary, context: ExportContext, lang: Lang): string {
  const paper = buildPaper(summary, context, lang);
  const lines: string[] = [`# ${markdownText(paper.title, INLINE)}`, "", `_${markdownText(paper.made, INLINE)}_`];
  for (const section of paper.sections) {
    lines.push("", `${"#".repeat(section.level)} ${markdownText(section.heading, INLINE)}`);
    if (section.note) lines.push("", markdownText(section.note));
    if (section.items.length > 0) lines.push("", ...section.items.flatMap(item));
  }
  return `${lines.join("\n")}\n`;
}
