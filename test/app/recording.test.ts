/**
 * Recording steps: the decision rules (§ by §) and the use case over a real SQLite store —
 * refusals write nothing, retries record once, concurrent actions are all kept.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DateTime } from "luxon";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadCycles } from "../../src/app/cycles.js";
import { backfillSteps, idempotentEventId, recordStep, undoStep, type RecordInput } from "../../src/app/recording.js";
import { reduceCycle } from "../../src/domain/cycle.js";
import { toSettings } from "../../src/app/settings.js";
import type { StatusDeps } from "../../src/app/status.js";
import type { RecordRequest } from "../../src/domain/recording.js";
import { lateToken } from "../../src/domain/forms.js";
import { MODEL_2017 } from "../../src/domain/process.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import { record } from "../support/events.js";

const settings = toSettings({ id: "settings", partition: "_system", type: "settings", schemaVersion: 1, trackingStart: "2027-01-01", regions: {} }, "r1");
const kari = { id: "aad-kari", name: "Kari Nordmann" };
const everyone = () => true;

describe("recording a step", () => {
  let dir: string;
  let deps: StatusDeps;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "samhandling-rec-"));
    deps = { store: openSqliteStore(join(dir, "s.db")), model: MODEL_2017, settings };
  });
  afterEach(async () => {
    await deps.store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const input = (request: RecordRequest, over: Partial<RecordInput> = {}): RecordInput => ({
    actor: kari,
    allowed: everyone,
    regionId: "46",
    year: 2027,
    request,
    actionId: "card-1",
    now: DateTime.fromISO("2027-03-17T10:00:00+01:00"),
    ...over,
  });
  const events = async (regionId: string) => (await loadCycles(deps.store, [{ regionId, year: 2027 }]))[0]!.events;

  it("§1 the national spring meeting held is recorded in the national track, by who and when", async () => {
    const result = await recordStep(deps, input({ verb: "meeting.held", meeting: "national-spring", date: "2027-03-10" }));
    expect(result).toMatchObject({ kind: "recorded", stepKey: "national-spring-meeting-held" });
    const [event] = await events("national");
    expect(event).toMatchObject({ by: kari, recordedAt: "2027-03-17T09:00:00.000Z", data: { type: "meeting-held", meeting: "national-spring", date: "2027-03-10" } });
    expect(await events("46")).toEqual([]);
  });

  it("the same action delivered twice (Teams retry, double click) is recorded once", async () => {
    const request: RecordRequest = { verb: "meeting.invited", meeting: "national-spring", date: "2027-02-01" };
    const results = await Promise.all([recordStep(deps, input(request)), recordStep(deps, input(request))]);
    expect(results.map((r) => r.kind).sort()).toEqual(["duplicate", "recorded"]);
    expect(await recordStep(deps, input(request))).toMatchObject({ kind: "duplicate" });
    expect(await events("national")).toHaveLength(1);
  });

  it("the same request from another card or another person is a new action", () => {
    const base = { actionId: "a", actor: kari, request: { verb: "stateBudget.adopted", date: "2026-12-15" } as RecordRequest, regionId: "46", year: 2027 };
    const id = idempotentEventId(base);
    expect(idempotentEventId({ ...base })).toBe(id);
    expect(idempotentEventId({ ...base, actionId: "b" })).not.toBe(id);
    expect(idempotentEventId({ ...base, actor: { id: "aad-ola", name: "Ola" } })).not.toBe(id);
    expect(idempotentEventId({ ...base, request: { verb: "stateBudget.adopted", date: "2026-12-16" } })).not.toBe(id);
  });

  it("50 concurrent actions on one region are each recorded exactly once", async () => {
    const actions = Array.from({ length: 50 }, (_, i) =>
      input(
        { verb: "meeting.plan", meeting: "regional-spring", date: `2027-04-${String((i % 28) + 1).padStart(2, "0")}`, place: `Rom ${i}` },
        { actor: { id: `aad-${i}`, name: `Person ${i}` }, actionId: `card-${i}` },
      ),
    );
    const results = await Promise.all(actions.map((a) => recordStep(deps, a)));
    expect(results.filter((r) => r.kind === "recorded")).toHaveLength(50);
    const recorded = await events("46");
    expect(recorded).toHaveLength(50);
    expect(new Set(recorded.map((e) => e.by.id)).size).toBe(50);
    expect(new Set(recorded.map((e) => e.id)).size).toBe(50);
  });

  describe("refusals name what is wrong and write nothing", () => {
    it.each<[string, RecordRequest, Partial<RecordInput>, object]>([
      ["a date in the future", { verb: "meeting.invited", meeting: "regional-spring", date: "2027-03-18" }, {}, { code: "date-in-future", field: "date" }],
      ["a spring meeting held in September (outside the step's window)", { verb: "meeting.held", meeting: "national-spring", date: "2026-09-01" }, {}, { code: "date-outside-window", field: "date" }],
      ["§1 a national spring meeting planned after March", { verb: "meeting.plan", meeting: "national-spring", date: "2027-04-02" }, {}, { code: "date-outside-window", field: "date", to: "2027-03-31" }],
      ["a meeting planned in the past", { verb: "meeting.plan", meeting: "regional-spring", date: "2027-03-01" }, {}, { code: "date-in-past", field: "date" }],
      ["an agency that is not a party", { verb: "report.submitted", round: "spring", agency: "RFF", date: "2027-03-15" }, {}, { code: "unknown-step", field: "agency" }],
      ["§2.1 signing before the budgets and letters", { verb: "agreement.signed", party: "region", date: "2028-01-10" }, { now: DateTime.fromISO("2028-01-20T10:00:00+01:00") }, { code: "prerequisites-missing" }],
      ["§3.3 a commission agreement to an agency without one", { verb: "commission.sent", agency: "SIVA", date: "2027-03-15" }, {}, { code: "not-applicable", field: "agency" }],
      ["a cycle year not in view (a stale or crafted card)", { verb: "meeting.invited", meeting: "national-spring", date: "2027-02-01" }, { year: 2030 }, { code: "year-not-active", field: "year", year: 2030 }],
      ["a past cycle year (its steps would count as untracked)", { verb: "meeting.invited", meeting: "national-spring", date: "2027-02-01" }, { year: 2020 }, { code: "year-not-active", field: "year" }],
      ["a person without the role", { verb: "meeting.invited", meeting: "regional-spring", date: "2027-03-16" }, { allowed: () => false }, { code: "not-allowed" }],
    ])("%s", async (_name, request, over, refusal) => {
      const result = await recordStep(deps, input(request, over));
      expect(result).toEqual({ kind: "refused", refusal: expect.objectContaining(refusal) });
      expect([...(await events("46")), ...(await events("national"))]).toEqual([]);
    });

    it("a step already done", async () => {
      await recordStep(deps, input({ verb: "meeting.invited", meeting: "national-spring", date: "2027-02-01" }));
      const again = await recordStep(deps, input({ verb: "meeting.invited", meeting: "national-spring", date: "2027-02-02" }, { actionId: "card-2" }));
      expect(again).toEqual({ kind: "refused", refusal: { code: "already-done", date: "2027-02-01" } });
      expect(await events("national")).toHaveLength(1);
    });

    it("§3.1 the regional spring meeting must come after the national one", async () => {
      await record(deps.store, "national", 2027, { type: "meeting-planned", meeting: "national-spring", date: "2027-03-24" });
      const result = await recordStep(deps, input({ verb: "meeting.plan", meeting: "regional-spring", date: "2027-03-22" }));
      expect(result).toEqual({ kind: "refused", refusal: { code: "meeting-order", field: "date", after: "2027-03-24" } });
    });

    it("§1 the national autumn meeting is recorded with both its parts", async () => {
      const autumn = { now: DateTime.fromISO("2027-11-20T10:00:00+01:00") };
      const partial = await recordStep(deps, input({ verb: "meeting.held", meeting: "national-autumn", date: "2027-11-10", experiences: true }, autumn));
      expect(partial).toEqual({ kind: "refused", refusal: { code: "parts-required", field: "opportunities" } });
      const whole = await recordStep(deps, input({ verb: "meeting.held", meeting: "national-autumn", date: "2027-11-10", experiences: true, opportunities: true }, autumn));
      expect(whole.kind).toBe("recorded");
      expect((await events("national"))[0]!.data).toMatchObject({ parts: { experiences: true, opportunities: true } });
    });
  });

  it("§2.1 signing is accepted once both budgets and every party agency's letter are in, and political treatment is done", async () => {
    const jan = { now: DateTime.fromISO("2028-01-20T10:00:00+01:00") };
    await record(deps.store, "national", 2027,
      { type: "meeting-held", meeting: "national-autumn", date: "2027-10-20", parts: { experiences: true, opportunities: true } },
      { type: "state-budget-adopted", date: "2027-12-15" },
      { type: "allocation-letter-received", agency: "IN", date: "2027-12-20" },
      { type: "allocation-letter-received", agency: "SIVA", date: "2027-12-20" },
    );
    await record(deps.store, "46", 2027,
      { type: "meeting-held", meeting: "regional-autumn", date: "2027-11-18" },
      { type: "draft-agreement-ready", date: "2027-11-01" },
      { type: "political-treatment-recorded", body: "Fylkesutvalet", date: "2027-12-08", caseNumber: "2027/12", outcome: "approved" },
      { type: "regional-budget-adopted", date: "2027-12-14" },
    );
    const sign = { verb: "agreement.signed", party: "region", date: "2028-01-19" } as RecordRequest;
    const early = await recordStep(deps, input(sign, jan));
    expect(early).toEqual({ kind: "refused", refusal: { code: "prerequisites-missing", missing: [{ stepId: "allocation-letter-received", party: "NFR" }] } });
    await record(deps.store, "national", 2027, { type: "allocation-letter-received", agency: "NFR", date: "2028-01-10" });
    expect(await recordStep(deps, input(sign, { ...jan, actionId: "card-2" }))).toMatchObject({ kind: "recorded", stepKey: "agreement-signed:region" });
  });

  describe("undo", () => {
    const t0 = DateTime.fromISO("2027-03-17T10:00:00+01:00");
    const held = { verb: "meeting.held", meeting: "national-spring", date: "2027-03-10" } as RecordRequest;
    const undo = (eventId: string, over: object = {}) =>
      undoStep(deps, { actor: kari, aggregateId: "national", year: 2027, eventId, actionId: "undo-card", now: t0.plus({ minutes: 5 }), ...over });

    it("a person takes back their own last change within 15 minutes; the trail keeps both", async () => {
      const done = await recordStep(deps, input(held));
      if (done.kind !== "recorded") throw new Error("not recorded");
      expect(await undo(done.event.id)).toMatchObject({ kind: "undone", event: { data: { type: "event-undone", eventId: done.event.id } } });
      const trail = await events("national");
      expect(trail.map((e) => e.data.type)).toEqual(["meeting-held", "event-undone"]);
      expect(reduceCycle("national", 2027, trail).meetings["national-spring"]?.heldOn).toBeUndefined();
      // The step can be recorded again, with the right date this time.
      expect((await recordStep(deps, input({ ...held, date: "2027-03-11" } as RecordRequest, { actionId: "card-2" }))).kind).toBe("recorded");
      // The same undo delivered twice is one undo.
      expect(await undo(done.event.id)).toMatchObject({ kind: "duplicate" });
    });

    it.each([
      ["someone else's change", { actor: { id: "aad-ola", name: "Ola" } }, "undo-not-yours"],
      ["after 15 minutes", { now: t0.plus({ minutes: 16 }) }, "undo-too-late"],
    ])("is refused for %s", async (_name, over, code) => {
      const done = await recordStep(deps, input(held));
      if (done.kind !== "recorded") throw new Error("not recorded");
      expect(await undo(done.event.id, over)).toMatchObject({ kind: "refused", refusal: { code } });
      expect(await events("national")).toHaveLength(1);
    });

    it("§3.1 not while a later step builds on it: the national meeting after a region recorded its own", async () => {
      const done = await recordStep(deps, input(held));
      if (done.kind !== "recorded") throw new Error("not recorded");
      // Another person records Vestland's spring meeting invitations, which wait for the national meeting's date (§4.2).
      const ola = { id: "aad-ola", name: "Ola" };
      expect((await recordStep(deps, input({ verb: "meeting.invited", meeting: "regional-spring", date: "2027-03-12" }, { actor: ola, actionId: "card-ola" }))).kind).toBe("recorded");
      expect(await undo(done.event.id)).toMatchObject({
        kind: "refused",
        refusal: { code: "undo-depended-on", dependent: { stepId: "regional-spring-meeting-convened", regionId: "46", year: 2027 } },
      });
      expect((await events("national")).map((e) => e.data.type)).toEqual(["meeting-held"]);
    });

    it("only the person's last change can be undone", async () => {
      const first = await recordStep(deps, input({ verb: "meeting.invited", meeting: "national-spring", date: "2027-02-01" }));
      await recordStep(deps, input(held, { actionId: "card-2" }));
      if (first.kind !== "recorded") throw new Error("not recorded");
      expect(await undo(first.event.id)).toMatchObject({ kind: "refused", refusal: { code: "undo-not-last" } });
      expect(await undo("no-such-event")).toMatchObject({ kind: "refused", refusal: { code: "undo-unknown" } });
    });
  });

  describe("§4.1 a change that makes a step late, checked for a person at a form", () => {
    const february = DateTime.fromISO("2027-02-01T10:00:00+01:00");
    const plan: RecordRequest = { verb: "meeting.plan", meeting: "national-spring", date: "2027-03-10" };

    it("is answered with the steps it makes late and not written, until exactly those are confirmed", async () => {
      const warned = await recordStep(deps, input(plan, { now: february, late: { accepted: [] } }));
      expect(warned.kind).toBe("late");
      if (warned.kind !== "late") return;
      expect(warned.late.map((o) => [o.key, o.deadline])).toEqual([["national-spring-meeting-convened", "2027-01-27"]]);
      expect(await events("national")).toEqual([]);
      // A confirmation of another deadline is not this one's.
      expect((await recordStep(deps, input(plan, { now: february, late: { accepted: ["national-spring-meeting-convened@2027-01-22"] } }))).kind).toBe("late");
      expect(await events("national")).toEqual([]);
      const confirmed = await recordStep(deps, input(plan, { now: february, late: { accepted: warned.late.map(lateToken) } }));
      expect(confirmed).toMatchObject({ kind: "recorded", aggregateId: "national" });
      expect(await events("national")).toHaveLength(1);
    });

    it("is not checked for callers that are not a form (the rules alone decide)", async () => {
      expect((await recordStep(deps, input(plan, { now: february }))).kind).toBe("recorded");
    });
  });
});

describe("backfill: steps from before the tracking start, several at once", () => {
  let dir: string;
  let deps: StatusDeps;
  const june = toSettings({ id: "settings", partition: "_system", type: "settings", schemaVersion: 1, trackingStart: "2027-06-15", regions: {} }, "r2");
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "samhandling-backfill-"));
    deps = { store: openSqliteStore(join(dir, "s.db")), model: MODEL_2017, settings: june };
  });
  afterEach(async () => {
    await deps.store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const now = DateTime.fromISO("2027-06-16T10:00:00+02:00");
  const base = { actor: kari, allowed: everyone, regionId: "46", year: 2027, actionId: "backfill-1", now };
  const nationalEvents = async () => (await loadCycles(deps.store, [{ regionId: "national", year: 2027 }]))[0]!.events;

  it("records them in one write, with their real dates", async () => {
    const result = await backfillSteps(deps, {
      ...base,
      requests: [
        { verb: "meeting.invited", meeting: "national-spring", date: "2027-01-20" },
        { verb: "meeting.held", meeting: "national-spring", date: "2027-03-10" },
      ],
    });
    expect(result).toMatchObject({ kind: "recorded", events: [{ data: { type: "invitations-sent" } }, { data: { type: "meeting-held", date: "2027-03-10" } }] });
    expect(await nationalEvents()).toHaveLength(2);
    // The same card sent again records nothing more.
    expect(await backfillSteps(deps, { ...base, requests: [{ verb: "meeting.invited", meeting: "national-spring", date: "2027-01-20" }, { verb: "meeting.held", meeting: "national-spring", date: "2027-03-10" }] })).toEqual({ kind: "duplicate" });
    expect(await nationalEvents()).toHaveLength(2);
  });

  it("all or nothing: one bad date refuses the lot, naming which", async () => {
    const result = await backfillSteps(deps, {
      ...base,
      requests: [
        { verb: "meeting.invited", meeting: "national-spring", date: "2027-01-20" },
        { verb: "meeting.held", meeting: "national-spring", date: "2027-09-10" },
      ],
    });
    expect(result).toMatchObject({ kind: "refused", index: 1, refusal: { code: "date-in-future" } });
    expect(await nationalEvents()).toEqual([]);
  });

  it("the same step twice in one form is refused, not recorded twice", async () => {
    const held = { verb: "meeting.held", meeting: "national-spring", date: "2027-03-10" } as const;
    const result = await backfillSteps(deps, { ...base, requests: [held, { ...held, date: "2027-03-11" }] });
    expect(result).toMatchObject({ kind: "refused", index: 1 });
    expect(await nationalEvents()).toEqual([]);
  });

  it("steps of different aggregates are not mixed in one write", async () => {
    const result = await backfillSteps(deps, {
      ...base,
      requests: [
        { verb: "meeting.held", meeting: "national-spring", date: "2027-03-10" },
        { verb: "meeting.invited", meeting: "regional-spring", date: "2027-03-20" },
      ],
    });
    expect(result.kind).toBe("refused");
    expect(await nationalEvents()).toEqual([]);
  });
});
