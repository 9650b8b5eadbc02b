/**
 * Vestland's spring round 2027 in the store, for the export tests through HTTP: agreement 2027
 * with two tasks, IN on time, SIVA late, Forskningsrådet with a draft only (never exported),
 * the meeting planned for 20 April and the case number of the agreement's political treatment.
 */
import { appendToAgreement, updateReport } from "../../src/app/report-store.js";
import type { AgreementTask } from "../../src/domain/agreement.js";
import type { AgencyId } from "../../src/domain/regions.js";
import type { ReportContent } from "../../src/domain/reports.js";
import type { DocumentStore } from "../../src/store/store.js";
import { record } from "../support/events.js";

export const ROUND = { regionId: "46", year: 2027, round: "spring" } as const;

const tasks: AgreementTask[] = [
  { id: "t1", title: "Klyngeprogram for havnæringene", responsible: ["IN", "SIVA"] },
  { id: "t2", title: "Forskningsmobilisering i næringslivet", responsible: ["NFR"] },
];

async function submit(store: DocumentStore, agency: AgencyId, actionId: string, change: { content?: ReportContent; on?: string; late?: boolean; by?: string; draft?: ReportContent }) {
  await updateReport(store, { ...ROUND, agency }, actionId, (current) => ({
    report: {
      ...current,
      versions: change.content
        ? [...current.versions, { content: change.content, submittedAt: change.on!, by: { id: `id-${agency}`, name: change.by! }, late: change.late ?? false, actionId }]
        : current.versions,
      ...(change.draft ? { draft: { content: change.draft, savedAt: "2027-04-14T16:00:00.000+02:00", by: { id: "d", name: "Utkastskriver" } } } : {}),
    },
    result: undefined,
  }));
}

export async function seedSpringRound(store: DocumentStore): Promise<void> {
  await record(store, "46", 2026, { type: "political-treatment-recorded", body: "Fylkestinget", date: "2026-12-10", caseNumber: "2026/4711", outcome: "approved" });
  await record(store, "46", 2027, { type: "meeting-planned", meeting: "regional-spring", date: "2027-04-20" });
  await appendToAgreement(store, "46", 2027, () => ({
    events: tasks.map((task) => ({ id: `seed-${task.id}`, recordedAt: "2027-01-10T10:00:00.000+01:00", by: { id: "k", name: "Kari" }, data: { type: "task-added" as const, task } })),
    result: undefined,
  }));
  await submit(store, "IN", "seed-in", {
    content: { tasks: { t1: { status: "delayed", comment: "=SUM(A1:A9) kom sent" } }, expectations: "Mangel på arbeidskraft i havnæringene" },
    on: "2027-04-12T14:00:00.000+02:00",
    by: "Ingrid Innovasjon",
  });
  await submit(store, "SIVA", "seed-siva", { content: { tasks: { t1: { status: "on-track" } } }, on: "2027-04-14T09:00:00.000+02:00", late: true, by: "Siri Sivertsen" });
  await submit(store, "NFR", "seed-nfr", { draft: { tasks: { t2: { status: "done", comment: "UTKAST fra NFR" } }, summary: "UTKAST" } });
}
