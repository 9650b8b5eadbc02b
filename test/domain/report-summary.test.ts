/**
 * The compiled summary of a report round (src/domain/report-summary.ts): what the region
 * coordinator takes to the regional dialogue meeting — §3.1 (spring: follow-up of the agreement
 * and expectations for next year) and §3.2/§3 (autumn: follow-up and the draft of next year's
 * agreement, which must be omforent). Submitted reports only; drafts never appear.
 */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { OSLO } from "../../src/domain/calendar.js";
import { reduceCycle } from "../../src/domain/cycle.js";
import type { EventData } from "../../src/domain/events.js";
import { obligations } from "../../src/domain/obligations.js";
import { MODEL_2017 } from "../../src/domain/process.js";
import { DEFAULT_COMMISSION_AGENCIES, DEFAULT_PARTY_AGENCIES, NATIONAL } from "../../src/domain/regions.js";
import { ev } from "../support/events.js";
import { reduceAgreement, type AgreementChange, type AgreementEvent, type AgreementTask } from "../../src/domain/agreement.js";
import { compileSummary, previousRound, type SubmittedReport, type SummaryInput } from "../../src/domain/report-summary.js";
import type { ReportContent, RoundWindow } from "../../src/domain/reports.js";
import type { AgencyId } from "../../src/domain/regions.js";
import { emptyReportDocument } from "../../src/app/report-store.js";
import type { ReportDocument } from "../../src/store/records.js";

let n = 0;
const change = (data: AgreementChange): AgreementEvent => ({ id: `e${++n}`, recordedAt: "2027-01-20T10:00:00.000+01:00", by: { id: "kari", name: "Kari" }, data });
const task = (id: string, title: string, responsible: AgreementTask["responsible"]): AgreementTask => ({ id, title, responsible });

const TASKS = [task("t1", "Klyngeprogram for havnæringene", ["IN", "SIVA"]), task("t2", "Forskningsmobilisering", ["NFR"]), task("t3", "Inkubatorer i distriktet", ["SIVA"])];
const agreement2027 = reduceAgreement("46", 2027, TASKS.map((t) => change({ type: "task-added", task: t })));

const spring: RoundWindow = { round: "spring", year: 2027, opensOn: "2027-03-15", dueOn: "2027-04-13", meetingOn: "2027-04-20" };
const autumn: RoundWindow = { round: "autumn", year: 2027, opensOn: "2027-10-04", dueOn: "2027-11-02", meetingOn: "2027-11-09" };

/** A report as stored: versions in order; `draft` only to prove it is never read. */
function report(agency: AgencyId, versions: Array<{ content: ReportContent; late?: boolean; at?: string; by?: string }>, extra: Partial<ReportDocument> = {}): ReportDocument {
  return {
    ...emptyReportDocument("46", 2027, "spring", agency),
    versions: versions.map((v, i) => ({
      content: v.content,
      late: v.late ?? false,
      submittedAt: v.at ?? `2027-04-0${i + 1}T10:00:00.000+02:00`,
      by: { id: `p-${agency}`, name: v.by ?? `Kontakt ${agency}` },
      actionId: `a${i}`,
    })),
    ...extra,
  };
}

const base = (reports: ReadonlyArray<SubmittedReport | undefined>, more: Partial<SummaryInput> = {}): SummaryInput => ({
  agreement: agreement2027,
  window: spring,
  phase: "late",
  today: "2027-04-15",
  reports,
  ...more,
});

describe("the agencies of a round: in the agreement's party order, submitted, late, missing or will not report", () => {
  it("names who answered on time and when, who answered late, who is missing and who will not report (with the reason)", () => {
    const summary = compileSummary(
      base([
        report("NFR", [{ content: { tasks: { t2: { status: "on-track" } } }, late: true, at: "2027-04-15T09:00:00.000+02:00", by: "Nina Forsk" }]),
        report("IN", [{ content: { tasks: { t1: { status: "delayed" } } }, at: "2027-04-12T14:00:00.000+02:00", by: "Ola Innovasjon" }]),
        report("SIVA", [], { willNotReport: { reason: "Ingen aktivitet i regionen i år", by: { id: "k", name: "Kari" }, at: "2027-04-10T10:00:00.000+02:00" } }),
      ]),
    );
    expect(summary.agencies.map((a) => [a.agency, a.state])).toEqual([
      ["IN", "submitted"],
      ["SIVA", "will-not-report"],
      ["NFR", "late"],
    ]);
    expect(summary.agencies[0]).toMatchObject({ submittedAt: "2027-04-12T14:00:00.000+02:00", submittedBy: "Ola Innovasjon", versions: 1 });
    expect(summary.agencies[1]!.willNotReportReason).toBe("Ingen aktivitet i regionen i år");
    // SIVA will not report: not «unanswered» on its tasks, but listed there as not reporting, so
    // every task keeps a line for each responsible agency (the CSV has a row for it).
    expect(summary.tasks.find((t) => t.task.id === "t3")).toMatchObject({ unanswered: [], notReporting: ["SIVA"] });
    expect(summary.tasks.find((t) => t.task.id === "t1")).toMatchObject({ unanswered: [], notReporting: ["SIVA"] });
    expect(summary.tasks.find((t) => t.task.id === "t2")).toMatchObject({ unanswered: [], notReporting: [] });
  });

  it("an agency with no report at all is missing; a waiver recorded in the cycle alone also counts as will not report", () => {
    const summary = compileSummary(base([undefined], { waived: { NFR: "Rapporterer nasjonalt" } }));
    expect(summary.agencies.map((a) => a.state)).toEqual(["missing", "missing", "will-not-report"]);
    expect(summary.agencies[2]!.willNotReportReason).toBe("Rapporterer nasjonalt");
    expect(summary.tasks[0]!.unanswered).toEqual(["IN", "SIVA"]);
  });

  it("a report delivered on time and edited after the deadline still counts as delivered on time; the history lists both versions", () => {
    const summary = compileSummary(
      base([report("IN", [{ content: { tasks: { t1: { status: "delayed" } } } }, { content: { tasks: { t1: { status: "on-track" } } }, late: true, by: "Per Stedfortreder" }])]),
    );
    const inn = summary.agencies[0]!;
    expect(inn.state).toBe("submitted");
    expect(inn.versions).toBe(2);
    expect(inn.submittedBy).toBe("Per Stedfortreder");
    expect(inn.history.map((h) => h.late)).toEqual([false, true]);
    // The latest submission is what the summary shows.
    expect(summary.tasks[0]!.answers[0]).toMatchObject({ agency: "IN", status: "on-track" });
  });
});

describe("what the summary shows of the reports", () => {
  it("never a draft: a saved draft, even one newer than the submission, is not read", () => {
    const withDraft = report("IN", [{ content: { tasks: { t1: { status: "delayed", comment: "Sendt inn" } }, summary: "Levert" } }], {
      draft: { content: { tasks: { t1: { status: "done", comment: "UTKAST – ikke send" } }, summary: "UTKAST" }, savedAt: "2027-04-14T10:00:00.000+02:00", by: { id: "x", name: "X" } },
    });
    const onlyDraft = report("SIVA", [], { draft: { content: { tasks: { t1: { status: "done" } } }, savedAt: "2027-04-14T10:00:00.000+02:00", by: { id: "y", name: "Y" } } });
    const summary = compileSummary(base([withDraft, onlyDraft]));
    expect(JSON.stringify(summary)).not.toContain("UTKAST");
    expect(summary.tasks[0]!.answers).toEqual([{ agency: "IN", status: "delayed", comment: "Sendt inn" }]);
    expect(summary.agencies[1]!.state).toBe("missing");
    expect(summary.tasks[0]!.unanswered).toEqual(["SIVA"]);
  });

  it("a task an agency left unanswered lists it as unanswered; an answer to a task outside its responsibility is kept, after the responsible ones", () => {
    const summary = compileSummary(
      base([report("SIVA", [{ content: { tasks: { t3: { status: "done" }, t2: { status: "on-track", comment: "Vi bidrar også" } } } }]), report("NFR", [{ content: { tasks: {} } }])]),
    );
    const t2 = summary.tasks.find((t) => t.task.id === "t2")!;
    expect(t2.unanswered).toEqual(["NFR"]);
    expect(t2.answers).toEqual([{ agency: "SIVA", status: "on-track", comment: "Vi bidrar også" }]);
    // SIVA submitted but left t1, one of its own tasks, unanswered; IN has not submitted at all.
    expect(summary.tasks.find((t) => t.task.id === "t1")!.unanswered).toEqual(["IN", "SIVA"]);
  });

  it("a task removed from the agreement after it was answered is not in the summary, and nothing else breaks", () => {
    const removed = reduceAgreement("46", 2027, [...TASKS.map((t) => change({ type: "task-added", task: t })), change({ type: "task-removed", taskId: "t2" })]);
    const summary = compileSummary(base([report("NFR", [{ content: { tasks: { t2: { status: "done", comment: "Ferdig" } } } }])], { agreement: removed }));
    expect(summary.tasks.map((t) => t.task.id)).toEqual(["t1", "t3"]);
    expect(JSON.stringify(summary.tasks)).not.toContain("Ferdig");
    expect(summary.agencies[2]!.state).toBe("submitted");
  });

  it("spring carries the expectations (§3.1) and no stance; autumn the stance on the draft (§3.2) and no expectations", () => {
    const content: ReportContent = { tasks: {}, expectations: "Mangel på arbeidskraft", stance: { position: "agree" } };
    const springSummary = compileSummary(base([report("IN", [{ content }])]));
    expect(springSummary.agencies[0]).toMatchObject({ expectations: "Mangel på arbeidskraft" });
    expect(springSummary.agencies[0]!.stance).toBeUndefined();
    expect(springSummary.omforent).toBeUndefined();
    const autumnSummary = compileSummary(base([report("IN", [{ content }])], { window: autumn }));
    expect(autumnSummary.agencies[0]!.expectations).toBeUndefined();
    expect(autumnSummary.agencies[0]!.stance).toEqual({ position: "agree" });
  });

  it("carries the round's dates and the case number of the agreement's political treatment", () => {
    const summary = compileSummary(base([], { window: { ...spring, heldOn: "2027-04-21" }, phase: "closed", caseNumber: "2026/4711" }));
    expect(summary).toMatchObject({ regionId: "46", year: 2027, round: "spring", phase: "closed", dueOn: "2027-04-13", meetingOn: "2027-04-20", meetingHeldOn: "2027-04-21", caseNumber: "2026/4711" });
  });

  it("knows when the meeting's day has passed but it is not recorded as held (answers are still taken until it is)", () => {
    // The autumn meeting of 9 November, read on 15 January: not held on record.
    expect(compileSummary(base([], { window: autumn, today: "2028-01-15" })).meetingUnrecorded).toBe(true);
    // On the day itself, before it, or once it is recorded as held: nothing to flag.
    expect(compileSummary(base([], { window: autumn, today: "2027-11-09" })).meetingUnrecorded).toBe(false);
    expect(compileSummary(base([], { window: autumn, today: "2027-11-03" })).meetingUnrecorded).toBe(false);
    expect(compileSummary(base([], { window: { ...autumn, heldOn: "2027-11-10" }, phase: "closed", today: "2028-01-15" })).meetingUnrecorded).toBe(false);
  });
});

describe("what changed since the previous round", () => {
  it("the previous round of autumn Y is spring Y; of spring Y, autumn Y−1", () => {
    expect(previousRound(2027, "autumn")).toEqual({ year: 2027, round: "spring" });
    expect(previousRound(2027, "spring")).toEqual({ year: 2026, round: "autumn" });
  });

  it("autumn against spring of the same agreement: tasks whose status moved, per agency, by task id", () => {
    const springReports = [
      report("IN", [{ content: { tasks: { t1: { status: "delayed" } } } }]),
      report("SIVA", [{ content: { tasks: { t1: { status: "on-track" }, t3: { status: "not-started" } } } }]),
    ];
    const summary = compileSummary(
      base(
        [
          report("IN", [{ content: { tasks: { t1: { status: "on-track" } } } }]),
          report("SIVA", [{ content: { tasks: { t1: { status: "on-track" }, t3: { status: "done" } } } }]),
        ],
        { window: autumn, previous: { agreement: agreement2027, reports: springReports } },
      ),
    );
    expect(summary.changed).toEqual([
      { taskId: "t1", title: "Klyngeprogram for havnæringene", agency: "IN", from: "delayed", to: "on-track" },
      { taskId: "t3", title: "Inkubatorer i distriktet", agency: "SIVA", from: "not-started", to: "done" },
    ]);
    expect(summary.tasks[0]!.answers.map((a) => a.previousStatus)).toEqual(["delayed", undefined]);
  });

  it("spring against last autumn's agreement: tasks copied into the new agreement got new ids, so they are matched by title", () => {
    const agreement2026 = reduceAgreement("46", 2026, [change({ type: "task-added", task: task("t7", "Klyngeprogram for  Havnæringene", ["IN"]) })]);
    const lastAutumn = [report("IN", [{ content: { tasks: { t7: { status: "not-started" } } } }])];
    const summary = compileSummary(base([report("IN", [{ content: { tasks: { t1: { status: "delayed" } } } }])], { previous: { agreement: agreement2026, reports: lastAutumn } }));
    expect(summary.changed).toEqual([{ taskId: "t1", title: "Klyngeprogram for havnæringene", agency: "IN", from: "not-started", to: "delayed" }]);
  });

  it("nothing moved, or no previous round: nothing changed", () => {
    const same = [report("IN", [{ content: { tasks: { t1: { status: "delayed" } } } }])];
    expect(compileSummary(base(same, { previous: { agreement: agreement2027, reports: same } })).changed).toEqual([]);
    expect(compileSummary(base(same)).changed).toEqual([]);
  });

  it("tells «nothing moved» from «nothing to compare with»: the previous round was reported only when someone submitted in it", () => {
    const same = [report("IN", [{ content: { tasks: { t1: { status: "delayed" } } } }])];
    expect(compileSummary(base(same, { previous: { agreement: agreement2027, reports: same } })).previousReported).toBe(true);
    // The first round with reports: no previous round, or one with only drafts and waivers.
    expect(compileSummary(base(same)).previousReported).toBe(false);
    const unsent = [
      report("IN", [], { draft: { content: { tasks: { t1: { status: "done" } } }, savedAt: "2026-11-01T10:00:00.000+01:00", by: { id: "x", name: "X" } } }),
      report("SIVA", [], { willNotReport: { reason: "Ingen aktivitet", by: { id: "k", name: "Kari" }, at: "2026-11-01T10:00:00.000+01:00" } }),
      undefined,
    ];
    expect(compileSummary(base(same, { previous: { agreement: agreement2027, reports: unsent } })).previousReported).toBe(false);
  });
});

describe("omforent (§3): the draft of next year's agreement agreed by all parties, in the autumn round", () => {
  const stance = (agency: AgencyId, position: "agree" | "agree-with-comments" | "disagree") => report(agency, [{ content: { tasks: {}, stance: { position } } }]);

  it("yes when every party agency agreed, «agree with comments» included", () => {
    expect(compileSummary(base([stance("IN", "agree"), stance("SIVA", "agree-with-comments"), stance("NFR", "agree")], { window: autumn })).omforent).toBe(true);
  });

  it("no when one does not agree, has not answered, or will not report", () => {
    expect(compileSummary(base([stance("IN", "agree"), stance("SIVA", "disagree"), stance("NFR", "agree")], { window: autumn })).omforent).toBe(false);
    expect(compileSummary(base([stance("IN", "agree"), stance("SIVA", "agree")], { window: autumn })).omforent).toBe(false);
    expect(compileSummary(base([stance("IN", "agree"), stance("SIVA", "agree")], { window: autumn, waived: { NFR: "Permisjon" } })).omforent).toBe(false);
  });
});

describe("omforent on the status card: the stance recorded with the autumn submission (§3, §3.2)", () => {
  const events = (...data: EventData[]) => data.map((d) => ev(d));
  const draftStep = (state: ReturnType<typeof reduceCycle>) =>
    obligations({
      model: MODEL_2017,
      year: 2027,
      now: DateTime.fromISO("2027-11-01T09:00", { zone: OSLO }),
      national: reduceCycle(NATIONAL, 2027, []),
      nationalTrackingStart: "2026-12-01",
      nationalAgencies: DEFAULT_PARTY_AGENCIES,
      region: { setup: { regionId: "46", partyAgencies: DEFAULT_PARTY_AGENCIES, commissionAgencies: DEFAULT_COMMISSION_AGENCIES, trackingStart: "2026-12-01" }, state },
    }).find((o) => o.stepId === "draft-agreement-ready")!;

  it("nothing before any stance is in; then the parties and their latest stances, the submission date kept", () => {
    expect(draftStep(reduceCycle("46", 2027, [])).draftStances).toBeUndefined();
    const state = reduceCycle(
      "46",
      2027,
      events(
        { type: "follow-up-report-submitted", round: "autumn", agency: "IN", date: "2027-10-28", stance: "disagree" },
        { type: "follow-up-report-submitted", round: "autumn", agency: "IN", date: "2027-10-28", stance: "agree" },
        { type: "follow-up-report-submitted", round: "spring", agency: "SIVA", date: "2027-04-10" },
      ),
    );
    expect(state.followUpReports.autumn).toEqual({ IN: "2027-10-28" });
    expect(draftStep(state).draftStances).toEqual({ parties: ["IN", "SIVA", "NFR"], stances: { IN: "agree" }, waived: [] });
  });

  it("names the agencies marked «vil ikke rapportere» in the autumn: they have not agreed, and the line says why", () => {
    const state = reduceCycle(
      "46",
      2027,
      events(
        { type: "follow-up-report-submitted", round: "autumn", agency: "IN", date: "2027-10-28", stance: "agree" },
        { type: "follow-up-report-waived", round: "autumn", agency: "NFR", reason: "Ingen utlysninger i fylket i høst." },
        // A spring waiver says nothing about the draft of next year's agreement (§3.2 is the autumn).
        { type: "follow-up-report-waived", round: "spring", agency: "SIVA", reason: "Permisjon" },
      ),
    );
    expect(draftStep(state).draftStances).toEqual({ parties: ["IN", "SIVA", "NFR"], stances: { IN: "agree" }, waived: ["NFR"] });
  });
});
