/**
 * The meeting papers of one report round, as words: what every export (Markdown, CSV, .docx)
 * lists, built once from the compiled `RoundSummary` so the three cannot disagree with each other
 * or with the summary card. The issue's "Export for the meeting papers and the archive": the
 * agreement (§2.1: region, year, parties, tasks), the round and its meeting (§3.1 spring, §3.2
 * autumn), every answer with who answered and when, each agency's summary, expectations (§3.1) or
 * stance on the draft (§3.2, omforent §3), who did not answer, answered late or will not report,
 * and the case number of the agreement's political treatment where recorded. Pure.
 *
 * Text here is plain: each renderer escapes it for its format (person-supplied text included).
 */
import { DateTime } from "luxon";
import { formatDate, formatDateTime, type Lang } from "../domain/calendar.js";
import type { Round } from "../domain/process.js";
import { AGENCIES, regionById, type AgencyId } from "../domain/regions.js";
import type { RoundSummary, SummaryAgency } from "../domain/report-summary.js";
import type { Stance, TaskStatus } from "../domain/reports.js";
import { translator, type MessageKey, type Translate } from "../i18n/index.js";

export const EXPORT_FORMATS = ["docx", "csv", "md"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** What the summary does not carry: when the papers were made, and the agreement's commission agencies (§3.3). */
export interface ExportContext {
  /** ISO instant; shown in Oslo time, so the archive knows which state the papers froze. */
  madeAt: string;
  commissionAgencies?: readonly AgencyId[];
}

/** One line of the papers: a label and its value, and person-written text that goes below it. */
export interface PaperItem {
  label: string;
  value: string;
  /** Person-supplied longer text (a comment, a summary): its own paragraph(s), line breaks kept. */
  text?: string;
}

export interface PaperSection {
  /** 2: a part of the papers; 3: one task or one agency within it. */
  level: 2 | 3;
  heading: string;
  /** Text under the heading (a task's description, "none" notes). */
  note?: string;
  items: PaperItem[];
}

export interface Paper {
  title: string;
  made: string;
  sections: PaperSection[];
}

export const agencyName = (agency: AgencyId): string => AGENCIES[agency].name;
export const roundWord = (round: Round, t: Translate): string => t(`summary.round.${round}`);
/**
 * A task's status in the forms' own words («Fullført», report.status.*), lower case as it stands
 * mid-line in the summary and the papers («SIVA: fullført»), so the form and the papers never name
 * one status two ways.
 */
export const statusWord = (status: TaskStatus, t: Translate): string => {
  const word = t(`report.status.${status}`);
  return word.charAt(0).toLocaleLowerCase("nb") + word.slice(1);
};
const stanceWord = (stance: Stance, t: Translate): string => t(`summary.stance.${stance}`);

/** An instant as people write it, in Oslo time ("12. april 2027 kl. 09.00"). */
export function instantText(iso: string, lang: Lang): string {
  return formatDateTime(DateTime.fromISO(iso, { setZone: true }), lang);
}

/**
 * Why the draft is not omforent when a party does not report this round (§3: all parties must
 * agree, and one that does not report has not): «Forskningsrådet rapporterer ikke denne runden.»
 * Empty when every party reports.
 */
export function notReportingText(summary: RoundSummary, t: Translate, lang: Lang): string {
  const names = summary.agencies.filter((a) => a.state === "will-not-report").map((a) => agencyName(a.agency));
  return names.length === 0 ? "" : t("summary.notReporting", { agencies: new Intl.ListFormat(lang, { type: "conjunction" }).format(names) });
}

/** Who does not agree to the draft (§3), named: «Innovasjon Norge er ikke enig i utkastet.» Empty when nobody said no. */
export function disagreeingText(summary: RoundSummary, t: Translate, lang: Lang): string {
  const names = summary.agencies.filter((a) => a.stance?.position === "disagree").map((a) => agencyName(a.agency));
  return names.length === 0 ? "" : t("summary.disagreeing", { count: names.length, agencies: new Intl.ListFormat(lang, { type: "conjunction" }).format(names) });
}

/** «nei – ikke alle partene er enige ennå. SIVA er ikke enig i utkastet. RFF rapporterer ikke denne runden.» (also the tab's reports view) */
export function omforentNo(summary: RoundSummary, t: Translate, lang: Lang): string {
  const why = [disagreeingText(summary, t, lang), notReportingText(summary, t, lang)].filter(Boolean).join(" ");
  return why ? `${t("export.omforent.no")}. ${why}` : t("export.omforent.no");
}

export function regionDisplayName(regionId: string): string {
  return regionById(regionId)?.name ?? regionId;
}

export function buildPaper(summary: RoundSummary, context: ExportContext, lang: Lang): Paper {
  const t = translator(lang);
  const region = regionById(summary.regionId);
  const round = roundWord(summary.round, t);
  const byAgency = new Map(summary.agencies.map((a) => [a.agency, a]));
  const sections: PaperSection[] = [];

  sections.push({
    level: 2,
    heading: t("export.agreement", { year: summary.year }),
    items: [
      { label: t("export.region"), value: region?.name ?? summary.regionId },
      { label: t("export.parties"), value: [region?.authority ?? summary.regionId, ...summary.agencies.map((a) => agencyName(a.agency))].join(", ") },
      ...(context.commissionAgencies && context.commissionAgencies.length > 0
        ? [{ label: t("export.commission"), value: context.commissionAgencies.map(agencyName).join(", ") }]
        : []),
      { label: t("export.taskCount"), value: t("export.taskCount.value", { count: summary.tasks.length }) },
      { label: t("export.caseNumber"), value: summary.caseNumber ?? t("export.caseNumber.none") },
    ],
  });

  sections.push({
    level: 2,
    heading: t("export.round"),
    items: [
      { label: t("export.opens"), value: formatDate(summary.opensOn, lang) },
      { label: t("export.due"), value: formatDate(summary.dueOn, lang) },
      {
        label: t("export.meeting"),
        value: summary.meetingHeldOn
          ? t("export.meeting.held", { date: formatDate(summary.meetingHeldOn, lang) })
          : t("export.meeting.planned", { date: formatDate(summary.meetingOn, lang) }),
      },
      { label: t("export.phase"), value: t(summary.meetingUnrecorded ? "export.phase.unrecorded" : `export.phase.${summary.phase}`) },
    ],
  });

  sections.push({
    level: 2,
    heading: t("export.answers"),
    items: summary.agencies.map((a) => ({ label: agencyName(a.agency), value: agencyState(a, t, lang) })),
  });

  sections.push({ level: 2, heading: t("export.tasks"), ...(summary.tasks.length === 0 ? { note: t("export.tasks.none") } : {}), items: [] });
  summary.tasks.forEach(({ task, answers, unanswered, notReporting }, index) => {
    const responsible = task.responsible.map((p) => (p === "region" ? (region?.authority ?? summary.regionId) : agencyName(p))).join(", ");
    const items: PaperItem[] = [
      { label: t("export.responsible"), value: responsible },
      ...(task.indicator ? [{ label: t("export.indicator"), value: task.indicator }] : []),
      ...(task.planRef ? [{ label: t("export.planRef"), value: task.planRef }] : []),
      ...answers.map((answer) => {
        const agency = byAgency.get(answer.agency);
        const status = statusWord(answer.status, t);
        const by = agency?.submittedAt ? t("export.answer.by", { status, name: agency.submittedBy ?? "", time: instantText(agency.submittedAt, lang) }) : status;
        const previous = answer.previousStatus ? ` · ${t("export.answer.previous", { status: statusWord(answer.previousStatus, t) })}` : "";
        return { label: agencyName(answer.agency), value: by + previous, ...(answer.comment ? { text: answer.comment } : {}) };
      }),
      ...unanswered.map((agency) => ({ label: agencyName(agency), value: t("export.unanswered") })),
      ...notReporting.map((agency) => ({ label: agencyName(agency), value: agencyState(byAgency.get(agency)!, t, lang) })),
    ];
    sections.push({ level: 3, heading: `${index + 1}. ${task.title}`, ...(task.description ? { note: task.description } : {}), items });
  });

  sections.push({
    level: 2,
    heading: t("export.changed"),
    ...(summary.changed.length === 0 ? { note: t(summary.previousReported ? "export.changed.none" : "summary.changed.first") } : {}),
    items: summary.changed.map((c) => ({ label: c.title, value: `${agencyName(c.agency)}: ${statusWord(c.from, t)} → ${statusWord(c.to, t)}` })),
  });

  const reporting = summary.agencies.filter((a) => a.state === "submitted" || a.state === "late");
  sections.push({
    level: 2,
    heading: t("export.reports"),
    items:
      summary.round === "autumn" && summary.omforent !== undefined
        ? [{ label: t("export.omforent"), value: summary.omforent ? t("export.omforent.yes") : omforentNo(summary, t, lang) }]
        : [],
  });
  for (const a of reporting) {
    const items: PaperItem[] = [textItem(t("export.summary"), a.summary, t)];
    if (summary.round === "spring") items.push(textItem(t("export.expectations"), a.expectations, t));
    if (summary.round === "autumn") {
      const label = t("export.stance", { next: summary.year + 1 });
      items.push(a.stance ? { label, value: stanceWord(a.stance.position, t), ...(a.stance.comment ? { text: a.stance.comment } : {}) } : { label, value: t("export.nothing") });
    }
    sections.push({ level: 3, heading: agencyName(a.agency), items });
  }

  sections.push({
    level: 2,
    heading: t("export.history"),
    items: summary.agencies.flatMap((a) =>
      a.history.map((h) => ({
        label: agencyName(a.agency),
        value: `${instantText(h.submittedAt, lang)} – ${h.by}${h.late ? ` (${t("export.history.late")})` : ""}`,
      })),
    ),
  });

  return {
    title: t("export.title", { region: region?.name ?? summary.regionId, round, year: summary.year }),
    made: t("export.made", { time: instantText(context.madeAt, lang) }),
    sections,
  };
}

function textItem(label: string, text: string | undefined, t: Translate): PaperItem {
  return text ? { label, value: "", text } : { label, value: t("export.nothing") };
}

/** "levert 12. april 2027 kl. 09.00 av Kari Nordmann · 2 innleveringer", "ikke levert", "vil ikke rapportere: …". */
export function agencyState(a: SummaryAgency, t: Translate, lang: Lang): string {
  switch (a.state) {
    case "submitted":
    case "late": {
      const key: MessageKey = a.state === "late" ? "export.agency.late" : "export.agency.submitted";
      const text = t(key, { time: a.submittedAt ? instantText(a.submittedAt, lang) : "", name: a.submittedBy ?? "" });
      return a.versions > 1 ? `${text} · ${t("export.agency.versions", { count: a.versions })}` : text;
    }
    case "missing":
      return t("export.agency.missing");
    case "will-not-report":
      return t("export.agency.will-not-report", { reason: a.willNotReportReason ?? "" });
  }
}

/** `oppfolging-vestland-2027-var.docx`: ASCII only, so every browser and the archive system keep it. */
export function exportFileName(regionId: string, year: number, round: Round, format: ExportFormat): string {
  const slug = regionDisplayName(regionId)
    .toLowerCase()
    .replace(/æ/g, "ae")
    .replace(/[øö]/g, "o")
    .replace(/å/g, "a")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
  return `oppfolging-${slug}-${year}-${round === "spring" ? "var" : "host"}.${format}`;
}
