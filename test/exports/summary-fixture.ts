/** A compiled spring and autumn round for Vestland, built by hand: the exports render RoundSummary, whoever compiled it. */
import type { RoundSummary } from "../../src/domain/report-summary.js";

export const MADE_AT = "2027-04-21T10:15:00+02:00";

/**
 * Spring 2027 (§3.1): IN on time (edited once), SIVA late, NFR missing, RFF will not report (and is
 * the only one responsible for task 4); person text that tries to be Markdown or a formula.
 */
export function springSummary(): RoundSummary {
  return {
    regionId: "46",
    year: 2027,
    round: "spring",
    phase: "late",
    opensOn: "2027-03-22",
    dueOn: "2027-04-13",
    meetingOn: "2027-04-20",
    meetingUnrecorded: false,
    caseNumber: "2026/4711",
    agencies: [
      {
        agency: "IN",
        state: "submitted",
        submittedAt: "2027-04-12T09:00:00+02:00",
        submittedBy: "Ingrid Innovasjon",
        versions: 2,
        summary: "Godt år for klyngene.\n\n# Ikke en overskrift\n[klikk her](https://evil.example)",
        expectations: "Flere søknader fra havbruk.",
        history: [
          { submittedAt: "2027-04-10T14:30:00+02:00", by: "Ingrid Innovasjon", late: false },
          { submittedAt: "2027-04-12T09:00:00+02:00", by: "Ingrid Innovasjon", late: false },
        ],
      },
      {
        agency: "SIVA",
        state: "late",
        submittedAt: "2027-04-15T08:05:00+02:00",
        submittedBy: "Sindre Siva",
        versions: 1,
        summary: "=HYPERLINK(\"https://evil.example\";\"klikk\")",
        history: [{ submittedAt: "2027-04-15T08:05:00+02:00", by: "Sindre Siva", late: true }],
      },
      { agency: "NFR", state: "missing", versions: 0, history: [] },
      { agency: "RFF", state: "will-not-report", versions: 0, willNotReportReason: "Ordningen er avviklet i fylket", history: [] },
    ],
    tasks: [
      {
        task: { id: "t1", title: "Klyngeprogram; fase 2", responsible: ["IN", "SIVA"], indicator: "antall klyngeprosjekter", planRef: "Handlingsplan 2027, tiltak 3" },
        answers: [
          { agency: "IN", status: "on-track", comment: "Tre nye klynger.\nEn til på vei.", previousStatus: "delayed" },
          { agency: "SIVA", status: "delayed", comment: "+47 prosjekter venter; \"neste\" runde" },
        ],
        unanswered: [],
        notReporting: [],
      },
      {
        task: { id: "t2", title: "Forskningsløft for havbruk", description: "Felles utlysning med Forskningsrådet.", responsible: ["NFR", "region"] },
        answers: [],
        unanswered: ["NFR"],
        notReporting: [],
      },
      {
        task: { id: "t3", title: "-Inkubator i Sogn", responsible: ["SIVA"] },
        answers: [{ agency: "SIVA", status: "done", comment: "@alle: ferdig" }],
        unanswered: [],
        notReporting: [],
      },
      {
        task: { id: "t4", title: "Regionale forskningsfond: felles utlysning", responsible: ["RFF"] },
        answers: [],
        unanswered: [],
        notReporting: ["RFF"],
      },
    ],
    changed: [{ taskId: "t1", title: "Klyngeprogram; fase 2", agency: "IN", from: "delayed", to: "on-track" }],
    previousReported: true,
  };
}

/** Autumn 2027 (§3.2): stances on the draft agreement 2028, not omforent. */
export function autumnSummary(): RoundSummary {
  const spring = springSummary();
  return {
    ...spring,
    round: "autumn",
    phase: "closed",
    opensOn: "2027-10-18",
    dueOn: "2027-11-10",
    meetingOn: "2027-11-17",
    meetingHeldOn: "2027-11-17",
    agencies: [
      { ...spring.agencies[0]!, expectations: undefined, stance: { position: "agree-with-comments", comment: "Vil ha mer om havbruk." } } as RoundSummary["agencies"][number],
      { ...spring.agencies[1]!, stance: { position: "disagree" } },
      spring.agencies[2]!,
      spring.agencies[3]!,
    ],
    changed: [],
    omforent: false,
  };
}
