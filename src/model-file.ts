/**
 * A process model from a file (MODEL_PATH, issue 13): the annual wheel as a secretariat adapts it
 * (the 2023 national agreement, a region's extra step) without code. JSON or YAML, checked at
 * start-up with the model's own zod schema (src/domain/process.ts: facts, dates, prerequisites,
 * meetings, cycles) and what only the app can check (every step has words in bokmål, nynorsk and
 * English, and they are valid messages). Every problem is named, with where it is in the file.
 */
import { readFileSync } from "node:fs";
import { extname } from "node:path";
import { parseDocument } from "yaml";
import { z } from "zod";
import { crossCheckSteps, FactSchema, ProcessModelSchema, StepSchema, type ProcessModel, type StepForChecks } from "./domain/process.js";
import { argumentNames, CATALOGUES, parseMessage, STEP_TEXT_KEYS, type Lang } from "./i18n/index.js";

const LANGS: readonly Lang[] = ["nb", "nn", "en"];

/** The arguments a step's words may use: the cycle year Y, Y+1, and (an action) the agencies a line is about. */
const ALLOWED_ARGUMENTS: Record<keyof typeof STEP_TEXT_KEYS, readonly string[]> = {
  title: ["year", "next"],
  action: ["year", "next", "agency"],
  external: ["year", "next"],
  checklist: ["year", "next"],
  column: ["year", "next"],
};

export class ModelFileError extends Error {
  readonly code = "MODEL_INVALID";
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`The process model in ${file} cannot be used:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

/** Reads, parses and checks a model file; throws ModelFileError naming every problem. */
export function loadModelFile(file: string): ProcessModel {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ModelFileError(file, [code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a folder, not a file" : `cannot be read (${code ?? String(error)})`]);
  }
  return parseModel(text, file);
}

/** Parses a model definition (JSON for .json, else YAML) and checks it. */
export function parseModel(text: string, file: string): ProcessModel {
  const kind = extname(file).toLowerCase();
  if (![".json", ".yaml", ".yml"].includes(kind)) throw new ModelFileError(file, [`expected a .json, .yaml or .yml file, not "${kind || "(no extension)"}"`]);
  let definition: unknown;
  if (kind === ".json") {
    try {
      definition = JSON.parse(text);
    } catch (error) {
      throw new ModelFileError(file, [`not valid JSON: ${(error as Error).message}`]);
    }
  } else {
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) throw new ModelFileError(file, doc.errors.map((e) => `not valid YAML: ${e.message.split("\n")[0]}`));
    definition = doc.toJS();
  }
  if (definition === null || typeof definition !== "object" || Array.isArray(definition))
    throw new ModelFileError(file, [`expected a model (id, source, validFrom, steps …) at the top of the file, found ${definition === null ? "nothing" : Array.isArray(definition) ? "a list" : typeof definition}`]);
  const problems = modelProblems(definition);
  if (problems.length > 0) throw new ModelFileError(file, problems);
  return ProcessModelSchema.parse(definition);
}

/** Every problem of a definition, as "where in the file: what is wrong"; empty when it can be used. */
export function modelProblems(definition: unknown): string[] {
  const parsed = ProcessModelSchema.safeParse(definition);
  const rawSteps = (definition as { steps?: unknown }).steps;
  const steps: unknown[] = Array.isArray(rawSteps) ? rawSteps : [];
  const problems: string[] = [];
  const add = (line: string) => {
    if (!problems.includes(line)) problems.push(line);
  };
  if (!parsed.success) {
    for (const issue of parsed.error.issues) add(`${where(issue.path, definition)}: ${issue.message}${dayOf(issue.path, definition)}`);
    // zod checks the model as a whole only once every step has its shape: the cross-checks are run
    // here as well, on what did parse, so that one start names every problem.
    for (const problem of crossCheckSteps(steps.map(salvage))) add(`${where(problem.path, definition)}: ${problem.message}`);
  }
  // The words, read from the file as written (so they are checked even when something else is wrong).
  for (const [i, raw] of steps.entries()) {
    const step = (raw !== null && typeof raw === "object" ? raw : {}) as { id?: unknown; texts?: unknown };
    const at = (...path: PropertyKey[]) => where(["steps", i, ...path], definition);
    // A step the catalogues do not know brings its own words, in every language the bot speaks.
    if (step.texts === undefined && typeof step.id === "string" && !(`step.${step.id}` in CATALOGUES.nb))
      add(`${at("texts")}: "${step.id}" is not a step the app has words for: give texts with nb, nn and en, each at least a title`);
    for (const lang of LANGS) {
      const texts = (step.texts as Record<string, unknown> | undefined)?.[lang];
      if (texts === null || typeof texts !== "object") continue;
      for (const [field, value] of Object.entries(texts)) {
        if (typeof value !== "string" || !(field in ALLOWED_ARGUMENTS)) continue;
        const allowed = ALLOWED_ARGUMENTS[field as keyof typeof STEP_TEXT_KEYS];
        let names: string[];
        try {
          names = argumentNames(parseMessage(value, lang));
        } catch (error) {
          add(`${at("texts", lang, field)}: not a valid message (${(error as Error).message}); write {year} or {next} for the years, and quote a literal brace as '{'`);
          continue;
        }
        const unknown = names.filter((n) => !allowed.includes(n));
        if (unknown.length > 0) add(`${at("texts", lang, field)}: {${unknown.join("}, {")}} is not known here; use ${allowed.map((a) => `{${a}}`).join(", ")}`);
      }
    }
  }
  return problems;
}

/** `steps[16] (regional-input-national-autumn).deadline.date.day`: the path, with the step's id where there is one. */
function where(path: readonly PropertyKey[], definition: unknown): string {
  if (path.length === 0) return "(the model)";
  let text = "";
  let node: unknown = definition;
  for (const [i, key] of path.entries()) {
    text += typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${String(key)}`;
    node = node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (path[0] === "steps" && i === 1 && node !== null && typeof node === "object" && typeof (node as { id?: unknown }).id === "string")
      text += ` (${(node as { id: string }).id})`;
  }
  return text;
}

/** What can be read of a step that may be broken, for the cross-checks: a field that does not parse is left out. */
function salvage(raw: unknown, index: number): StepForChecks {
  const step = (raw !== null && typeof raw === "object" ? raw : {}) as Record<string, unknown>;
  const field = <T>(schema: z.ZodType<T>, value: unknown): T | undefined => {
    const result = schema.safeParse(value);
    return result.success ? result.data : undefined;
  };
  const shape = StepSchema.shape;
  const meeting = field(shape.meeting, step.meeting);
  return {
    // A step without a readable id still counts, under a name nothing can require.
    id: typeof step.id === "string" ? step.id : `#${index}`,
    requires: Array.isArray(step.requires) ? step.requires.filter((r): r is string => typeof r === "string") : [],
    requiresMeetingDate: Array.isArray(step.requiresMeetingDate) ? step.requiresMeetingDate.flatMap((m) => field(shape.requiresMeetingDate.unwrap().element, m) ?? []) : [],
    ...optional("scope", field(shape.scope, step.scope)),
    ...optional("per", field(shape.per, step.per)),
    ...optional("done", field(FactSchema, step.done)),
    ...optional("external", field(z.boolean(), step.external)),
    meeting: step.meeting !== undefined && meeting === undefined ? "invalid" : meeting,
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/** A date the schema refused, as written: " (day 29, month 2)". */
function dayOf(path: readonly PropertyKey[], definition: unknown): string {
  const node = path.reduce<unknown>((n, key) => (n !== null && typeof n === "object" ? (n as Record<PropertyKey, unknown>)[key] : undefined), definition) as { month?: unknown; day?: unknown } | undefined;
  return node && typeof node === "object" && typeof node.month === "number" && typeof node.day === "number" ? ` (day ${node.day}, month ${node.month})` : "";
}
