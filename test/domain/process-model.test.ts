/**
 * The wheel as validated data: the built-in 2017 model, what `loadProcessModel` refuses, and a
 * modified copy of the model changing the computed obligations without any code change.
 */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { OSLO } from "../../src/domain/calendar.js";
import { emptyCycle } from "../../src/domain/cycle.js";
import { obligations, type Obligation } from "../../src/domain/obligations.js";
import { MODEL_2017, loadProcessModel, type ProcessModel } from "../../src/domain/process.js";
import { DEFAULT_PARTY_AGENCIES, NATIONAL } from "../../src/domain/regions.js";

/** The sections of the seed document (seed/README.md, "Section by section"). */
const SEED_SECTIONS = ["1", "2", "2.1", "3", "3.1", "3.2", "3.3", "4.1", "4.2"];

/** A plain, mutable copy of the 2017 definition to break or adjust. */
type StepDef = Record<string, unknown> & { id: string; requires: string[]; scope: string; deadline: Record<string, unknown> };
function definition(): { steps: StepDef[] } & Record<string, unknown> {
  return structuredClone(MODEL_2017) as unknown as { steps: StepDef[] } & Record<string, unknown>;
}
function stepOf(def: { steps: StepDef[] }, id: string): StepDef {
  const s = def.steps.find((x) => x.id === id);
  if (!s) throw new Error(`no step ${id}`);
  return s;
}

/** The error `loadProcessModel` throws for a definition (fails the test if it does not throw). */
function refusal(def: unknown): ZodError {
  try {
    loadProcessModel(def);
  } catch (error) {
    expect(error).toBeInstanceOf(ZodError);
    return error as ZodError;
  }
  throw new Error("loadProcessModel accepted the definition");
}

function evaluate(model: ProcessModel, now: string): Obligation[] {
  return obligations({
    model,
    year: 2027,
    now: DateTime.fromISO(`${now}T12:00`, { zone: OSLO }),
    national: emptyCycle(NATIONAL, 2027),
    nationalTrackingStart: "2026-01-01",
    nationalAgencies: DEFAULT_PARTY_AGENCIES,
    region: {
      setup: { regionId: "46", partyAgencies: DEFAULT_PARTY_AGENCIES, commissionAgencies: ["IN"], trackingStart: "2026-01-01" },
      state: emptyCycle("46", 2027),
    },
  });
}
const find = (list: Obligation[], key: string): Obligation => {
  const o = list.find((x) => x.key === key);
  if (!o) throw new Error(`no ${key}`);
  return o;
};

describe("the 2017 model (MODEL_2017)", () => {
  it("loads, and loading its own definition again gives the same model", () => {
    expect(MODEL_2017).toMatchObject({ id: "samhandlingsmodell-2017", validFrom: 2018, dueSoonWorkingDays: 5 });
    expect(MODEL_2017.source).toContain("28.11.2017");
    expect(loadProcessModel(definition())).toEqual(MODEL_2017);
  });

  it("has the seventeen steps of the wheel, in the order of the year", () => {
    expect(MODEL_2017.steps.map((s) => s.id)).toEqual([
      "national-spring-meeting-convened",
      "national-spring-meeting-held",
      "regional-spring-meeting-convened",
      "follow-up-report-spring",
      "regional-spring-meeting-held",
      "national-autumn-meeting-convened",
      "national-autumn-meeting-held",
      "draft-agreement-ready",
      "regional-autumn-meeting-convened",
      "follow-up-report-autumn",
      "regional-autumn-meeting-held",
      "political-treatment",
      "state-budget-adopted",
      "regional-budget-adopted",
      "allocation-letter-received",
      "agreement-signed",
      "commission-agreement-sent",
    ]);
  });

  it.each(MODEL_2017.steps.map((s) => [s.id, s.sections] as const))("%s cites at least one § of the seed (%j)", (_id, sections) => {
    expect(sections.length).toBeGreaterThanOrEqual(1);
    for (const section of sections) expect(SEED_SECTIONS).toContain(section);
  });

  it("together the steps cite every section that sets a rule of the wheel", () => {
    const cited = new Set(MODEL_2017.steps.flatMap((s) => s.sections));
    // §2 (the 4-year regional plans) frames the agreements but sets no step of its own.
    expect([...cited].sort()).toEqual(["1", "2.1", "3", "3.1", "3.2", "3.3", "4.1", "4.2"]);
  });

  it.each<[string, string[]]>([
    ["national-spring-meeting-held", ["1"]],
    ["national-spring-meeting-convened", ["4.1", "1"]],
    ["regional-spring-meeting-convened", ["4.2", "3.1"]],
    ["follow-up-report-spring", ["3.1"]],
    ["follow-up-report-autumn", ["3.2"]],
    ["draft-agreement-ready", ["3", "3.2"]],
    ["political-treatment", ["3.2"]],
    ["allocation-letter-received", ["2.1"]],
    ["agreement-signed", ["2.1", "3.2"]],
    ["commission-agreement-sent", ["3.3"]],
  ])("%s cites %j", (id, sections) => {
    expect(MODEL_2017.steps.find((s) => s.id === id)?.sections).toEqual(sections);
  });

  it("§2.1 signing requires the political treatment, both budgets and the allocation letters", () => {
    expect(MODEL_2017.steps.find((s) => s.id === "agreement-signed")?.requires).toEqual([
      "political-treatment",
      "state-budget-adopted",
      "regional-budget-adopted",
      "allocation-letter-received",
    ]);
  });

  it("§4.2 the regional invitations wait for the national meeting's date; the regional meetings for the national meetings held (§3.1, §3.2)", () => {
    const step = (id: string) => MODEL_2017.steps.find((s) => s.id === id)!;
    expect([step("regional-spring-meeting-convened").requires, step("regional-spring-meeting-convened").requiresMeetingDate]).toEqual([[], ["national-spring"]]);
    expect([step("regional-autumn-meeting-convened").requires, step("regional-autumn-meeting-convened").requiresMeetingDate]).toEqual([[], ["national-autumn"]]);
    expect(step("regional-spring-meeting-held").requires).toEqual(["national-spring-meeting-held"]);
    expect(step("regional-autumn-meeting-held").requires).toEqual(["national-autumn-meeting-held"]);
  });

  it("§2.1 the state budget (the Storting) and the allocation letters (the ministries) are the only external events", () => {
    expect(MODEL_2017.steps.filter((s) => s.external).map((s) => s.id)).toEqual(["state-budget-adopted", "allocation-letter-received"]);
  });

  it("no national step waits for a regional one, and every prerequisite exists", () => {
    const byId = new Map(MODEL_2017.steps.map((s) => [s.id, s]));
    for (const s of MODEL_2017.steps) {
      for (const r of s.requires) {
        expect(byId.has(r), `${s.id} → ${r}`).toBe(true);
        if (s.scope === "national") expect(byId.get(r)?.scope, `${s.id} → ${r}`).toBe("national");
      }
    }
  });
});

describe("loadProcessModel refuses a broken definition, naming the problem", () => {
  it("a duplicate step id", () => {
    const def = definition();
    def.steps.push(structuredClone(stepOf(def, "political-treatment")));
    const error = refusal(def);
    expect(error.message).toContain("duplicate step id");
    expect(error.issues.map((i) => i.message)).toEqual(['duplicate step id "political-treatment"']);
    expect(error.issues.map((i) => i.path)).toContainEqual(["steps", 17, "id"]);
  });

  it("a prerequisite naming an unknown step", () => {
    const def = definition();
    stepOf(def, "agreement-signed").requires.push("budget-vedtatt");
    const error = refusal(def);
    expect(error.issues.map((i) => i.message)).toEqual(['unknown step "budget-vedtatt"']);
    expect(error.issues[0]?.path).toEqual(["steps", 15, "requires", 4]);
  });

  it("a prerequisite cycle", () => {
    const def = definition();
    // The political treatment would wait for the signature that waits for it.
    stepOf(def, "political-treatment").requires.push("agreement-signed");
    expect(refusal(def).issues.map((i) => i.message)).toEqual(["the prerequisites form a cycle"]);
  });

  it("a step that requires itself", () => {
    const def = definition();
    stepOf(def, "draft-agreement-ready").requires.push("draft-agreement-ready");
    expect(refusal(def).issues.map((i) => i.message)).toEqual(["the prerequisites form a cycle"]);
  });

  it("a national step requiring a regional one", () => {
    const def = definition();
    stepOf(def, "national-autumn-meeting-held").requires.push("regional-spring-meeting-held");
    expect(refusal(def).issues.map((i) => i.message)).toEqual([
      'a national step cannot wait for the regional step "regional-spring-meeting-held"',
    ]);
  });

  it("a meeting date no step records as held", () => {
    const def = definition();
    // The national autumn meeting recorded as a fact of some other kind: no step says when it is held.
    stepOf(def, "national-autumn-meeting-held").done = { fact: "state-budget-adopted" };
    const error = refusal(def);
    // (Also named: that step's id and meeting no longer fit the fact, issue 13's checks.)
    const issue = error.issues.find((i) => i.message === 'no step records the meeting "national-autumn" as held');
    expect(issue?.path).toEqual(["steps", 8, "requiresMeetingDate", 0]);
  });

  it("a national step waiting for a regional meeting's date", () => {
    const def = definition();
    stepOf(def, "national-autumn-meeting-convened").requiresMeetingDate = ["regional-spring"];
    expect(refusal(def).issues.map((i) => i.message)).toEqual(['a national step cannot wait for the regional meeting "regional-spring"']);
  });

  it("a meeting date that closes a cycle: the national meeting held only after the region convenes", () => {
    const def = definition();
    stepOf(def, "national-spring-meeting-held").requires.push("regional-spring-meeting-convened");
    expect(refusal(def).issues.map((i) => i.message)).toContain("the prerequisites form a cycle");
  });

  it("an external event waiting for a step of the process", () => {
    const def = definition();
    stepOf(def, "state-budget-adopted").requires.push("national-autumn-meeting-held");
    expect(refusal(def).issues.map((i) => i.message)).toEqual(["an external event cannot wait for steps of the process"]);
  });

  it("an external flag that is not true or false", () => {
    const def = definition();
    stepOf(def, "state-budget-adopted").external = "ja";
    expect(refusal(def).issues[0]?.path).toEqual(["steps", 12, "external"]);
  });

  it.each<[string, number, number]>([
    ["30 February", 2, 30],
    ["29 February (not in every year)", 2, 29],
    ["31 April", 4, 31],
    ["31 June", 6, 31],
  ])("%s as a yearly date", (_name, month, day) => {
    const def = definition();
    stepOf(def, "national-spring-meeting-held").deadline = { kind: "fixed", date: { month, day, yearOffset: 0 } };
    const error = refusal(def);
    expect(error.issues.map((i) => i.message)).toEqual(["no such day in every year"]);
    expect(error.issues[0]?.path).toEqual(["steps", 1, "deadline", "date"]);
  });

  it.each<[string, (def: { steps: StepDef[] } & Record<string, unknown>) => void]>([
    ["month 13", (def) => void (stepOf(def, "political-treatment").opens = { month: 13, day: 1, yearOffset: 0 })],
    ["a year offset of 2", (def) => void (stepOf(def, "political-treatment").opens = { month: 1, day: 1, yearOffset: 2 })],
    ["a step citing no section", (def) => void (stepOf(def, "political-treatment").sections = [])],
    ["a section that is not a § number", (def) => void (stepOf(def, "political-treatment").sections = ["3.2a"])],
    ["an unknown fact", (def) => void (stepOf(def, "political-treatment").done = { fact: "vedtak-fattet" })],
    ["a model without steps", (def) => void (def.steps = [])],
    ["a negative due-soon window", (def) => void (def.dueSoonWorkingDays = -1)],
  ])("%s", (_name, breakIt) => {
    const def = definition();
    breakIt(def);
    expect(refusal(def).issues.length).toBeGreaterThanOrEqual(1);
  });

  it("lists every problem at once", () => {
    const def = definition();
    stepOf(def, "agreement-signed").requires.push("ukjent-steg");
    stepOf(def, "national-spring-meeting-held").deadline = { kind: "fixed", date: { month: 2, day: 30, yearOffset: 0 } };
    const messages = refusal(def).issues.map((i) => i.message);
    expect(messages).toContain("no such day in every year");
    expect(messages).toContain('unknown step "ukjent-steg"');
  });
});

describe("the wheel is data: a modified copy changes the computed obligations", () => {
  it("the national spring meeting by 30 April moves its deadline and its state", () => {
    const def = definition();
    stepOf(def, "national-spring-meeting-held").deadline = { kind: "fixed", date: { month: 4, day: 30, yearOffset: 0 } };
    const adjusted = loadProcessModel(def);

    const before = find(evaluate(MODEL_2017, "2027-04-15"), "national-spring-meeting-held");
    const after = find(evaluate(adjusted, "2027-04-15"), "national-spring-meeting-held");
    expect([before.deadline, before.state]).toEqual(["2027-03-31", "overdue"]);
    expect([after.deadline, after.state]).toEqual(["2027-04-30", "open"]);
    // The built-in model is untouched.
    expect(MODEL_2017.steps[1]?.deadline).toEqual({ kind: "fixed", date: { month: 3, day: 31, yearOffset: 0 } });
  });

  it("invitations eight weeks instead of six before the national spring meeting", () => {
    const def = definition();
    stepOf(def, "national-spring-meeting-convened").deadline = {
      kind: "before-meeting",
      meeting: "national-spring",
      daysBefore: 56,
      latestMeeting: { month: 3, day: 31, yearOffset: 0 },
    };
    expect(find(evaluate(loadProcessModel(def), "2027-01-04"), "national-spring-meeting-convened").deadline).toBe("2027-02-03");
    expect(find(evaluate(MODEL_2017, "2027-01-04"), "national-spring-meeting-convened").deadline).toBe("2027-02-17");
  });

  it("a longer due-soon window (10 working days) makes a step due soon earlier", () => {
    const def = definition();
    def.dueSoonWorkingDays = 10;
    // 12 March 2027 is 10 working days before 31 March (25, 26 and 29 March are Easter holidays).
    expect(find(evaluate(MODEL_2017, "2027-03-12"), "national-spring-meeting-held").state).toBe("open");
    expect(find(evaluate(loadProcessModel(def), "2027-03-12"), "national-spring-meeting-held").state).toBe("due-soon");
  });

  it("a model without commission agreements has no such step for any region", () => {
    const def = definition();
    def.steps = def.steps.filter((s) => s.id !== "commission-agreement-sent");
    const list = evaluate(loadProcessModel(def), "2028-01-10");
    expect(list.some((o) => o.stepId === "commission-agreement-sent")).toBe(false);
    expect(list).toHaveLength(25);
  });
});
