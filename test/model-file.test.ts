/**
 * MODEL_PATH (issue 13): the annual wheel from a file. The examples in models/ load (YAML and the
 * same as JSON) and stay what the generator and the built-in model say; every kind of mistake is
 * named with where it is in the file, all at once, and stops the start like a bad variable.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { ConfigError, loadConfig } from "../src/config.js";
import { MODEL_2017 } from "../src/domain/process.js";
import { loadModelFile, ModelFileError } from "../src/model-file.js";
import { modelFiles } from "../scripts/export-model.js";

const dir = mkdtempSync(join(tmpdir(), "samhandling-model-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const EXTRA = "models/2017-with-extra-step.yaml";
/** The example as a plain object, to break one thing at a time. */
const example = () => parse(readFileSync(EXTRA, "utf8")) as { id: string; steps: Array<Record<string, any>> } & Record<string, any>;
const stepOf = (def: ReturnType<typeof example>, id: string) => def.steps.find((s) => s.id === id)!;

/** The problems a definition is refused with, written as YAML (or `text` as it stands). */
function problemsOf(definition: unknown, name = "model.yaml", text?: string): string[] {
  const file = join(dir, name);
  writeFileSync(file, text ?? stringify(definition));
  try {
    loadModelFile(file);
  } catch (error) {
    if (error instanceof ModelFileError) return error.problems;
    throw error;
  }
  throw new Error("the model file was accepted");
}

describe("the example model files", () => {
  it("models/2017.yaml is the built-in 2017 model, exactly (so a secretariat's copy starts from what runs)", () => {
    expect(loadModelFile("models/2017.yaml")).toEqual(MODEL_2017);
  });

  it("the files are what scripts/export-model.ts writes (run it after changing MODEL_2017)", () => {
    for (const [file, text] of Object.entries(modelFiles())) expect(readFileSync(file, "utf8"), file).toBe(text);
  });

  it("the example with an extra step loads from YAML and from the same as JSON, with its words in three languages", () => {
    const fromYaml = loadModelFile(EXTRA);
    const json = join(dir, "extra.json");
    writeFileSync(json, JSON.stringify(example(), null, 2));
    expect(loadModelFile(json)).toEqual(fromYaml);
    expect(fromYaml.id).toBe("samhandlingsmodell-2017-regionalt-innspill");
    expect(fromYaml.steps).toHaveLength(MODEL_2017.steps.length + 1);
    const extra = fromYaml.steps.find((s) => s.id === "regional-input-national-autumn")!;
    expect(extra).toMatchObject({ scope: "region", responsible: "region-coordinator", done: { fact: "step-completed" }, deadline: { kind: "fixed", date: { month: 9, day: 15 } } });
    expect(Object.keys(extra.texts ?? {}).sort()).toEqual(["en", "nb", "nn"]);
    // Every other step is the built-in one.
    expect(fromYaml.steps.filter((s) => s !== extra)).toEqual(MODEL_2017.steps);
  });
});

describe("a broken model file: every problem named, with where it is", () => {
  it("an unknown fact", () => {
    const def = example();
    stepOf(def, "regional-input-national-autumn").done = { fact: "input-sent" };
    const [problem, ...rest] = problemsOf(def);
    expect(rest).toEqual([]);
    expect(problem).toMatch(/^steps\[6\] \(regional-input-national-autumn\)\.done\.fact: .*step-completed/);
  });

  it("a prerequisite that does not exist, and a duplicate id", () => {
    const def = example();
    stepOf(def, "regional-input-national-autumn").requires = ["national-autumn-agenda"];
    def.steps.push({ ...stepOf(def, "regional-input-national-autumn"), requires: [] });
    expect(problemsOf(def)).toEqual([
      'steps[18] (regional-input-national-autumn).id: duplicate step id "regional-input-national-autumn"',
      'steps[6] (regional-input-national-autumn).requires[0]: unknown step "national-autumn-agenda"',
    ]);
  });

  it("a step id that a recorded step-completed event could not name (too long, or not lower-case words)", () => {
    const def = example();
    const long = "a".repeat(101);
    stepOf(def, "regional-input-national-autumn").id = long;
    def.steps[0]!.id = "Regional_Input";
    const problems = problemsOf(def);
    expect(problems).toContain(`steps[0] (Regional_Input).id: expected lower-case letters, digits and dashes, starting with a letter`);
    expect(problems.some((p) => p.includes(`(${long}).id: at most 100 characters (a recorded step-completed event names it)`))).toBe(true);
  });

  it("29 February, which is not a date every year, named with the day", () => {
    const def = example();
    stepOf(def, "regional-input-national-autumn").deadline = { kind: "fixed", date: { month: 2, day: 29 } };
    expect(problemsOf(def)).toEqual(["steps[6] (regional-input-national-autumn).deadline.date: no such day in every year (day 29, month 2)"]);
  });

  it("a new step without its words, or without one language", () => {
    const def = example();
    delete stepOf(def, "regional-input-national-autumn").texts;
    expect(problemsOf(def)).toEqual([
      'steps[6] (regional-input-national-autumn).texts: "regional-input-national-autumn" is not a step the app has words for: give texts with nb, nn and en, each at least a title',
    ]);
    const one = example();
    delete stepOf(one, "regional-input-national-autumn").texts.nn;
    expect(problemsOf(one)).toEqual(["steps[6] (regional-input-national-autumn).texts.nn: missing: a step's texts give its words in nb, nn and en (at least a title)"]);
  });

  it("words that are not a valid message, or use an argument the cards do not give", () => {
    const def = example();
    stepOf(def, "regional-input-national-autumn").texts.nb.title = "Innspill {region";
    stepOf(def, "regional-input-national-autumn").texts.en.action = "send input for {region}";
    const problems = problemsOf(def);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/^steps\[6\] \(regional-input-national-autumn\)\.texts\.nb\.title: not a valid message/);
    expect(problems[1]).toBe("steps[6] (regional-input-national-autumn).texts.en.action: {region} is not known here; use {year}, {next}, {agency}");
  });

  it("a built-in fact on a step with another id (its form would not find it)", () => {
    const def = example();
    stepOf(def, "regional-input-national-autumn").done = { fact: "regional-budget-adopted" };
    expect(problemsOf(def)).toContain(
      'steps[6] (regional-input-national-autumn).id: a step done by the fact "regional-budget-adopted" must have the id "regional-budget-adopted" (the form that records it looks for that id); a new kind of step is done by { fact: step-completed }',
    );
  });

  it("several mistakes of different kinds at once: shape and cross-checks together, in one list", () => {
    const def = example();
    stepOf(def, "regional-input-national-autumn").responsible = "mayor";
    stepOf(def, "political-treatment").requires = ["regional-autumn-meeting-held", "draft-agreement"];
    stepOf(def, "agreement-signed").opens = { month: 4, day: 31, yearOffset: 1 };
    const problems = problemsOf(def);
    expect(problems).toHaveLength(3);
    expect(problems).toContainEqual(expect.stringMatching(/^steps\[6\] \(regional-input-national-autumn\)\.responsible: .*region-coordinator/));
    expect(problems).toContain("steps[16] (agreement-signed).opens: no such day in every year (day 31, month 4)");
    expect(problems).toContain('steps[12] (political-treatment).requires[1]: unknown step "draft-agreement"');
  });

  it("not YAML at all, not a model, not JSON, a missing file, a file of another kind", () => {
    expect(problemsOf(undefined, "broken.yaml", "id: x\nsteps: [\n  - : :\n")[0]).toMatch(/^not valid YAML: /);
    expect(problemsOf(undefined, "list.yaml", "- a\n- b\n")).toEqual(["expected a model (id, source, validFrom, steps …) at the top of the file, found a list"]);
    expect(problemsOf(undefined, "broken.json", "{ id: ")[0]).toMatch(/^not valid JSON: /);
    expect(() => loadModelFile(join(dir, "nowhere.yaml"))).toThrow(expect.objectContaining({ problems: ["no such file"] }));
    expect(problemsOf(undefined, "model.txt", "id: x")).toEqual(['expected a .json, .yaml or .yml file, not ".txt"']);
  });

  it("MODEL_PATH with mistakes stops loadConfig with every problem, beside the other variables' (as a ConfigError: exit 1)", () => {
    const def = example();
    stepOf(def, "regional-input-national-autumn").done = { fact: "input-sent" };
    stepOf(def, "regional-input-national-autumn").requires = ["nope"];
    const file = join(dir, "bad.yaml");
    writeFileSync(file, stringify(def));
    let error: unknown;
    try {
      loadConfig({ MODEL_PATH: file, PORT: "abc" });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    // The variables first (zod over the environment), then — once they parse — the model's problems.
    expect((error as ConfigError).problems[0]).toMatch(/^PORT: /);
    let model: unknown;
    try {
      loadConfig({ MODEL_PATH: file });
    } catch (e) {
      model = e;
    }
    expect((model as ConfigError).problems).toEqual([
      expect.stringMatching(new RegExp(`^MODEL_PATH \\(${file.replace(/[.\\/]/g, "\\$&")}\\): steps\\[6\\] \\(regional-input-national-autumn\\)\\.done\\.fact: `)),
      `MODEL_PATH (${file}): steps[6] (regional-input-national-autumn).requires[0]: unknown step "nope"`,
    ]);
    expect(loadConfig({}).model).toBe(MODEL_2017);
    expect(loadConfig({ MODEL_PATH: EXTRA }).model.id).toBe("samhandlingsmodell-2017-regionalt-innspill");
  });
});
