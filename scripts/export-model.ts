/**
 * Writes the built-in 2017 model as YAML (models/2017.yaml), the copy a secretariat starts from
 * (README, "Tilpasse årshjulet"), and the example with one extra regional step
 * (models/2017-with-extra-step.yaml). `npx tsx scripts/export-model.ts` after a change to
 * MODEL_2017; test/model-file.test.ts fails while the files and the built-in model differ.
 */
import { writeFileSync } from "node:fs";
import { isMap, isSeq, Document, type Node } from "yaml";
import { MODEL_2017, type ProcessModel, type StepDefinition } from "../src/domain/process.js";

const HEADER = `The annual wheel (årshjul) of the regional collaboration model, as data.
Start Samhandling with MODEL_PATH=<this file> to use it; every mistake is named at start-up.
Field by field (README, "Tilpasse årshjulet" / "Adapting the wheel"):
  id          the model's name; part of every card's version (change it when you change the model)
  source      the document the model comes from, shown on cards
  validFrom   the first cycle year the model is meant for
  dueSoonWorkingDays  working days before a deadline in which a step counts as "due soon"
  steps       in the order of the year; each step:
    id          lower-case-with-dashes, unique; the built-in steps keep their ids
    sections    the § of the agreement the step comes from, cited on every card
    scope       national (RUK AU's track) or region (each region's cycle)
    per         once | agency | party | commission-agency (one instance per …)
    agreement   current (agreement Y) or next (agreement Y+1), if the step belongs to one
    responsible national-coordinator | region-coordinator | agency-national | agency-regional | party
    done        the fact that makes it done; a new kind of step uses { fact: step-completed }
    opens       when it can be done: { month, day, yearOffset } (yearOffset 1 = the year after)
    target      an expected date shown beside the deadline (optional)
    deadline    { kind: fixed, date: {…} } or { kind: before-meeting, meeting, daysBefore, latestMeeting: {…} }
    requires    ids of steps that must be done first
    requiresMeetingDate  meetings whose date must be known first
    external    true for events outside the process (the Storting, a ministry): recorded, not done
    texts       the step's words in nb, nn and en (title; optional action, column, external,
                checklist); required for a step the app does not know. {year} = Y, {next} = Y+1
29 February does not exist every year and is refused; a deadline on a weekend or holiday
moves to the working day before.`;

const EXTRA_STEP: StepDefinition = {
  id: "regional-input-national-autumn",
  sections: ["1", "3"],
  scope: "region",
  per: "once",
  responsible: "region-coordinator",
  done: { fact: "step-completed" },
  opens: { month: 8, day: 1, yearOffset: 0 },
  deadline: { kind: "fixed", date: { month: 9, day: 15, yearOffset: 0 } },
  requires: [],
  requiresMeetingDate: [],
  external: false,
  requiresAgreementInForce: false,
  texts: {
    nb: { title: "Regionalt innspill til nasjonalt temamøte høst", action: "send regionalt innspill til nasjonalt temamøte høst", column: "Innspill høst" },
    nn: { title: "Regionalt innspel til nasjonalt temamøte haust", action: "send regionalt innspel til nasjonalt temamøte haust", column: "Innspel haust" },
    en: { title: "Regional input to the national autumn meeting", action: "send the regional input to the national autumn meeting", column: "Input autumn" },
  },
};

/** The model as a secretariat would write it: defaults left out, dates on one line. */
function plain(model: ProcessModel): unknown {
  const date = (d: { month: number; day: number; yearOffset: 0 | 1 }) => (d.yearOffset === 0 ? { month: d.month, day: d.day } : d);
  return {
    id: model.id,
    source: model.source,
    validFrom: model.validFrom,
    dueSoonWorkingDays: model.dueSoonWorkingDays,
    steps: model.steps.map((s) => ({
      id: s.id,
      sections: s.sections,
      scope: s.scope,
      per: s.per,
      ...(s.agreement ? { agreement: s.agreement } : {}),
      responsible: s.responsible,
      ...(s.meeting ? { meeting: s.meeting } : {}),
      done: s.done,
      opens: date(s.opens),
      ...(s.target ? { target: date(s.target) } : {}),
      deadline: s.deadline.kind === "fixed" ? { kind: "fixed", date: date(s.deadline.date) } : { ...s.deadline, latestMeeting: date(s.deadline.latestMeeting) },
      ...(s.requires.length > 0 ? { requires: s.requires } : {}),
      ...(s.requiresMeetingDate.length > 0 ? { requiresMeetingDate: s.requiresMeetingDate } : {}),
      ...(s.external ? { external: true } : {}),
      ...(s.requiresAgreementInForce ? { requiresAgreementInForce: true } : {}),
      ...(s.texts ? { texts: s.texts } : {}),
    })),
  };
}

function yamlOf(model: ProcessModel, header: string): string {
  const doc = new Document(plain(model));
  doc.commentBefore = header
    .split("\n")
    .map((l) => ` ${l}`)
    .join("\n");
  // Small maps (dates, facts) and short lists (sections) on one line, as a person writes them.
  const flow = (node: Node | null | undefined, depth: number): void => {
    if (isMap(node)) {
      const scalarsOnly = node.items.every((p) => !isMap(p.value) && !isSeq(p.value));
      const short = node.items.every((p) => String((p.value as { value?: unknown } | null)?.value ?? "").length <= 30);
      if (depth >= 3 && scalarsOnly && short && node.items.length <= 4) node.flow = true;
      for (const p of node.items) flow(p.value as Node, depth + 1);
    } else if (isSeq(node)) {
      if (depth >= 3 && node.items.every((i) => !isMap(i) && !isSeq(i))) node.flow = true;
      for (const i of node.items) flow(i as Node, depth + 1);
    }
  };
  flow(doc.contents as Node, 0);
  const text = doc.toString({ lineWidth: 0 });
  // A blank line between steps, so each reads as a block.
  return text.replace(/\n {2}- id: /g, "\n\n  - id: ");
}

export function modelFiles(): Record<string, string> {
  const extra: ProcessModel = {
    ...MODEL_2017,
    id: "samhandlingsmodell-2017-regionalt-innspill",
    source: `${MODEL_2017.source}, med regionalt innspill til nasjonalt temamøte høst`,
    steps: MODEL_2017.steps.flatMap((s) => (s.id === "national-autumn-meeting-convened" ? [s, EXTRA_STEP] : [s])),
  };
  return {
    "models/2017.yaml": yamlOf(MODEL_2017, `${HEADER}\n\nThe built-in model, as written in the source document of 28 November 2017. Copy it to adapt it.`),
    "models/2017-with-extra-step.yaml": yamlOf(
      extra,
      `${HEADER}\n\nAn example: the 2017 model with one extra regional step, «Regionalt innspill til nasjonalt\ntemamøte høst» (§1, §3), the region's coordinator's, due 15 September.`,
    ),
  };
}

if (process.argv[1]?.endsWith("export-model.ts")) {
  for (const [file, text] of Object.entries(modelFiles())) {
    writeFileSync(file, text);
    console.log(`wrote ${file}`);
  }
}
