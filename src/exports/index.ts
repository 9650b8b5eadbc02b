/**
 * One export of a round's summary, as a file: bytes, content type and file name. What the signed
 * download link serves and what the Teams file card uploads, so both give the same file.
 */
import type { Lang } from "../domain/calendar.js";
import type { RoundSummary } from "../domain/report-summary.js";
import { toCsv } from "./csv.js";
import { toDocx } from "./docx.js";
import { toMarkdown } from "./markdown.js";
import { exportFileName, type ExportContext, type ExportFormat } from "./paper.js";

export { EXPORT_FORMATS, exportFileName, type ExportContext, type ExportFormat } from "./paper.js";

export const CONTENT_TYPES: Readonly<Record<ExportFormat, string>> = {
  docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
  csv: "text/csv; charset=utf-8",
  md: "text/markdown; charset=utf-8",
};

export interface ExportFile {
  name: string;
  contentType: string;
  bytes: Buffer;
}

export async function renderExport(format: ExportFormat, summary: RoundSummary, context: ExportContext, lang: Lang): Promise<ExportFile> {
  const bytes =
    format === "docx"
      ? await toDocx(summary, context, lang)
      : Buffer.from(format === "csv" ? toCsv(summary, context, lang) : toMarkdown(summary, context, lang), "utf8");
  return { name: exportFileName(summary.regionId, summary.year, summary.round, format), contentType: CONTENT_TYPES[format], bytes };
}
