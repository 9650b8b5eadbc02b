/**
 * The answers as a spreadsheet, the way Norwegian Excel opens a double-clicked .csv: UTF-8 with a
 * byte order mark (else æøå come out garbled), semicolons (the comma is the decimal sign), CRLF
 * line ends and RFC 4180 quoting. One row per task and agency: every answer with who answered
 * and when and whether it was late, and a row for each responsible agency that has not answered
 * or will not report (its reason in the comment column), so every task of the agreement is there.
 *
 * A cell that starts with = + - @ (or a tab or carriage return) would be run as a formula when
 * the archive opens the file; it gets a leading apostrophe, as a careful archive export does
 * (OWASP, "CSV injection").
 */
import { DateTime } from "luxon";
import { OSLO, type Lang } from "../domain/calendar.js";
import type { RoundSummary } from "../domain/report-summary.js";
import { translator } from "../i18n/index.js";
import { agencyName, statusWord, type ExportContext } from "./paper.js";

export const CSV_SEPARATOR = ";";
const BOM = "\uFEFF";
const CRLF = "\r\n";

/** One cell: formula-looking text defused, quoted when it holds a separator, a quote or a line break. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[";\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Norwegian Excel reads "12.04.2027 09:00" as a date and time (Oslo). */
function excelTime(iso: string): string {
  return DateTime.fromISO(iso, { setZone: true }).setZone(OSLO).toFormat("dd.MM.yyyy HH:mm");
}

export function toCsv(summary: RoundSummary, _context: ExportContext, lang: Lang): string {
  const t = translator(lang);
  const byAgency = new Map(summary.agencies.map((a) => [a.agency, a]));
  const header = ["export.col.number", "export.col.task", "export.col.agency", "export.col.status", "export.col.comment", "export.col.by", "export.col.at", "export.col.late"] as const;
  const rows: string[][] = [header.map((key) => t(key))];
  summary.tasks.forEach(({ task, answers, unanswered, notReporting }, index) => {
    for (const answer of answers) {
      const agency = byAgency.get(answer.agency);
      rows.push([
        String(index + 1),
        task.title,
        agencyName(answer.agency),
        statusWord(answer.status, t),
        answer.comment ?? "",
        agency?.submittedBy ?? "",
        agency?.submittedAt ? excelTime(agency.submittedAt) : "",
        t(agency?.state === "late" ? "export.yes" : "export.no"),
      ]);
    }
    for (const agency of unanswered) rows.push([String(index + 1), task.title, agencyName(agency), t("export.unanswered"), "", "", "", ""]);
    for (const agency of notReporting) {
      rows.push([String(index + 1), task.title, agencyName(agency), t("export.willNotReport"), byAgency.get(agency)?.willNotReportReason ?? "", "", "", ""]);
    }
  });
  return BOM + rows.map((row) => row.map(csvCell).join(CSV_SEPARATOR)).join(CRLF) + CRLF;
}
