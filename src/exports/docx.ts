/**
 * The meeting papers as a Word document (.docx) for the county's case file, generated with the
 * maintained `docx` library rather than hand-written OOXML. Headings are Word's own heading
 * styles, so the document has a navigation pane and a table of contents can be added in Word.
 */
import { Document, HeadingLevel, Packer, Paragraph, TextRun } from "docx";
import type { Lang } from "../domain/calendar.js";
import type { RoundSummary } from "../domain/report-summary.js";
import { buildPaper, type ExportContext, type PaperItem } from "./paper.js";

/** Text with its line breaks kept: one run per line, each after the first on a new line. */
function runs(text: string, options: { bold?: boolean } = {}): TextRun[] {
  return text.split(/\r?\n/).map((line, i) => new TextRun({ text: line, ...(i > 0 ? { break: 1 } : {}), ...(options.bold ? { bold: true } : {}) }));
}

function itemParagraphs({ label, value, text }: PaperItem): Paragraph[] {
  const head = new Paragraph({ bullet: { level: 0 }, children: [new TextRun({ text: value === "" ? label : `${label}: `, bold: true }), ...(value === "" ? [] : runs(value))] });
  // Person-written text: indented under its line, paragraph by paragraph.
  const body = text
    ? text
        .split(/\r?\n\s*\r?\n/)
        .map((part) => new Paragraph({ indent: { left: 720 }, spacing: { after: 120 }, children: runs(part.trim()) }))
    : [];
  return [head, ...body];
}

export async function toDocx(summary: RoundSummary, context: ExportContext, lang: Lang): Promise<Buffer> {
  const paper = buildPaper(summary, context, lang);
  const children: Paragraph[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(paper.title)] }),
    new Paragraph({ children: [new TextRun({ text: paper.made, italics: true })] }),
  ];
  for (const section of paper.sections) {
    children.push(new Paragraph({ heading: section.level === 2 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2, children: [new TextRun(section.heading)] }));
    if (section.note) children.push(new Paragraph({ children: runs(section.note) }));
    for (const item of section.items) children.push(...itemParagraphs(item));
  }
  const document = new Document({
    creator: "Samhandling",
    title: paper.title,
    description: paper.made,
    sections: [{ children }],
  });
  return Packer.toBuffer(document);
}
