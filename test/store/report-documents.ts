/**
 * The agreements' and follow-up reports' documents on a DocumentStore adapter (issue 10, "Never
 * lose, never leak"): writes are etag-guarded and idempotent, concurrent writers lose nothing, a
 * second submission keeps the first. Registered by each adapter's test file, like the store
 * contract, so SQLite and the Cosmos emulator are held to the same behaviour.
 *
 * Each test uses its own region partition (random suffix): adapters may share one container.
 */
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { appendToAgreement, loadAgreement, loadRoundReports, updateReport } from "../../src/app/report-store.js";
import type { AgreementEvent } from "../../src/domain/agreement.js";
import type { ReportDocument } from "../../src/store/records.js";
import type { DocumentStore } from "../../src/store/store.js";
import type { StoreContractFixture } from "./contract.js";

const KARI = { id: "00000000-0000-0000-0000-0000000000a1", name: "Kari Nordmann" };
const OLA = { id: "00000000-0000-0000-0000-0000000000b2", name: "Ola Nordmann" };
const AT = "2027-04-02T10:00:00.000+02:00";

function taskAdded(id: string, taskId: string, title: string): AgreementEvent {
  return { id, recordedAt: AT, by: KARI, data: { type: "task-added", task: { id: taskId, title, responsible: ["IN"] } } };
}

/** A draft saved by `by`: the task's status and comment, keeping what was there. */
function withDraft(report: ReportDocument, by: typeof KARI, taskId: string, comment: string): ReportDocument {
  const content = report.draft?.content ?? { tasks: {} };
  return { ...report, draft: { content: { ...content, tasks: { ...content.tasks, [taskId]: { status: "on-track", comment } } }, savedAt: AT, by } };
}

function submitted(report: ReportDocument, by: typeof KARI, actionId: string): ReportDocument {
  return { ...report, draft: undefined, versions: [...report.versions, { content: report.draft?.content ?? { tasks: {} }, submittedAt: AT, by, late: false, actionId }] };
}

export function describeReportDocumentsContract(name: string, open: () => Promise<StoreContractFixture>): void {
  describe(`Agreement and report documents: ${name}`, () => {
    let fixture: StoreContractFixture;
    let store: DocumentStore;
    let region: string;

    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
      region = `46-${randomUUID().slice(0, 8)}`;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    it("§2.1 tasks added by two coordinators at the same moment are both kept, each once", async () => {
      const adds = Array.from({ length: 8 }, (_, i) =>
        appendToAgreement(store, region, 2027, () => ({ events: [taskAdded(`add-${i}`, `t${i + 1}`, `Oppgave ${i + 1}`)], result: i })),
      );
      await Promise.all(adds);
      // The same click delivered again changes nothing.
      await appendToAgreement(store, region, 2027, () => ({ events: [taskAdded("add-3", "t4", "Oppgave 4")], result: 3 }));
      const agreement = await loadAgreement(store, region, 2027);
      expect(agreement.state.tasks.map((t) => t.title).sort()).toEqual(Array.from({ length: 8 }, (_, i) => `Oppgave ${i + 1}`).sort());
      expect(agreement.events).toHaveLength(8);
    });

    it("an agreement nobody wrote reads as the region's default parties and no tasks", async () => {
      const agreement = await loadAgreement(store, region, 2028, { partyAgencies: ["IN", "SIVA", "NFR", "RFF"] });
      expect(agreement.state).toMatchObject({ partiesSet: false, tasks: [], parties: { partyAgencies: ["IN", "SIVA", "NFR", "RFF"] } });
      expect(agreement.etag).toBeUndefined();
    });

    it("§3.1 drafts saved by the agency contact and a deputy at the same moment lose neither answer", async () => {
      const at = { regionId: region, year: 2027, round: "spring" as const, agency: "IN" as const };
      await Promise.all([
        updateReport(store, at, "a-kari", (r) => ({ report: withDraft(r, KARI, "t1", "Kari sin kommentar"), result: "saved" })),
        updateReport(store, at, "a-ola", (r) => ({ report: withDraft(r, OLA, "t2", "Ola sin kommentar"), result: "saved" })),
      ]);
      const [report] = await loadRoundReports(store, region, 2027, "spring", ["IN"]);
      expect(report?.draft?.content.tasks).toEqual({
        t1: { status: "on-track", comment: "Kari sin kommentar" },
        t2: { status: "on-track", comment: "Ola sin kommentar" },
      });
    });

    it("a submission delivered twice is kept once; a second submission keeps the first version", async () => {
      const at = { regionId: region, year: 2027, round: "autumn" as const, agency: "SIVA" as const };
      await updateReport(store, at, "draft-1", (r) => ({ report: withDraft(r, KARI, "t1", "Første"), result: "saved" }));
      const first = await updateReport(store, at, "submit-1", (r) => ({ report: submitted(r, KARI, "submit-1"), result: "submitted" }));
      const again = await updateReport(store, at, "submit-1", (r) => ({ report: submitted(r, KARI, "submit-1"), result: "submitted" }));
      expect(first).toMatchObject({ result: "submitted", written: true });
      expect(again).toMatchObject({ result: "duplicate", written: false });
      await updateReport(store, at, "draft-2", (r) => ({ report: withDraft(r, KARI, "t1", "Andre"), result: "saved" }));
      await updateReport(store, at, "submit-2", (r) => ({ report: submitted(r, KARI, "submit-2"), result: "submitted" }));
      const [report] = await loadRoundReports(store, region, 2027, "autumn", ["SIVA"]);
      expect(report?.versions.map((v) => v.content.tasks.t1?.comment)).toEqual(["Første", "Andre"]);
      expect(report?.draft).toBeUndefined();
    });

    it("the round's reports come back in the agencies' order, missing ones as nothing", async () => {
      const at = (agency: "IN" | "NFR") => ({ regionId: region, year: 2027, round: "spring" as const, agency });
      await updateReport(store, at("NFR"), "n1", (r) => ({ report: withDraft(r, OLA, "t1", "NFR"), result: "saved" }));
      const reports = await loadRoundReports(store, region, 2027, "spring", ["IN", "SIVA", "NFR"]);
      expect(reports.map((r) => r?.agency)).toEqual([undefined, undefined, "NFR"]);
    });

    it("a change that decides to write nothing leaves no document behind", async () => {
      const at = { regionId: region, year: 2027, round: "spring" as const, agency: "IN" as const };
      const result = await updateReport(store, at, "refused", () => ({ result: "refused" }));
      expect(result).toMatchObject({ result: "refused", written: false });
      expect((await loadRoundReports(store, region, 2027, "spring", ["IN"]))[0]).toBeUndefined();
    });
  });
}
