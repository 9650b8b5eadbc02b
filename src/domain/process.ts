/**
 * The annual wheel (årshjul) as data: one definition per model version, validated when loaded.
 * The 2017 model of the seed document is built in (`MODEL_2017`); a newer or adjusted model is a
 * new definition of the same shape, not new code (see product.md, "The annual wheel").
 *
 * Dates are month/day within the cycle year Y (yearOffset 1 = in Y+1). A step's deadline can
 * instead be tied to a meeting's planned date ("invitations ≥ 6 weeks before"), with the
 * fixed date as the fallback while no date is planned. Whatever the rule gives, a deadline falls
 * on a working day: a weekend, a public holiday or 24–31 December moves it back to the working
 * day before (obligations.ts); targets stay as written.
 */
import { z } from "zod";

/** The four meetings of the wheel: §1 (national) and §3.1/§3.2 (regional). */
export const MEETING_IDS = ["national-spring", "national-autumn", "regional-spring", "regional-autumn"] as const;
export type MeetingId = (typeof MEETING_IDS)[number];

export const ROUNDS = ["spring", "autumn"] as const;
export type Round = (typeof ROUNDS)[number];

/**
 * What makes a step done: the vocabulary of facts the reducer derives from events. A model
 * composes its steps from these; adding a fact is the only part that needs code.
 */
export const FactSchema = z.discriminatedUnion("fact", [
  z.object({ fact: z.literal("meeting-convened"), meeting: z.enum(MEETING_IDS) }),
  z.object({ fact: z.literal("meeting-held"), meeting: z.enum(MEETING_IDS) }),
  z.object({ fact: z.literal("follow-up-report"), round: z.enum(ROUNDS) }),
  z.object({ fact: z.literal("draft-agreement-ready") }),
  z.object({ fact: z.literal("political-treatment-approved") }),
  z.object({ fact: z.literal("state-budget-adopted") }),
  z.object({ fact: z.literal("allocation-letter-received") }),
  z.object({ fact: z.literal("regional-budget-adopted") }),
  z.object({ fact: z.literal("agreement-signed") }),
  z.object({ fact: z.literal("commission-agreement-sent") }),
  /**
   * A step the vocabulary has no fact of its own for (a model file's new step, e.g. a regional input
   * to the national meeting): done when its responsible party records the date it was done, with
   * the generic «Gjort» form. Lets a secretariat add a step without code.
   */
  z.object({ fact: z.literal("step-completed") }),
]);
export type Fact = z.infer<typeof FactSchema>;

const MonthDay = z.object({
  month: z.number().int().min(1).max(12),
  day: z.number().int().min(1).max(31),
  /** 0 = in the cycle year Y, 1 = in Y+1 (January signing, §2.1/§3.2/§3.3). */
  yearOffset: z.union([z.literal(0), z.literal(1)]).default(0),
}).refine((d) => new Date(Date.UTC(2001, d.month - 1, d.day)).getUTCMonth() === d.month - 1, {
  // 2001 is not a leap year: a yearly date must exist every year, so 29 February is refused.
  message: "no such day in every year",
});
export type MonthDay = z.infer<typeof MonthDay>;

const DeadlineRule = z.union([
  z.object({ kind: z.literal("fixed"), date: MonthDay }),
  z.object({
    kind: z.literal("before-meeting"),
    meeting: z.enum(MEETING_IDS),
    /** Whole days before the meeting's planned date (42 = six weeks). */
    daysBefore: z.number().int().min(0).max(120),
    /** The latest the meeting may be held; the deadline then counts back from it. */
    latestMeeting: MonthDay,
  }),
]);
export type DeadlineRule = z.infer<typeof DeadlineRule>;

export const ResponsibleSchema = z.enum([
  /** RUK AU, the national working committee (§4.1). */
  "national-coordinator",
  /** The region's leadership / its coordinator (§3, §4.2). */
  "region-coordinator",
  /** The agency of the step's instance, nationally (allocation letters, §2.1). */
  "agency-national",
  /** The agency of the step's instance in the region (follow-up reports, §3.1/§3.2). */
  "agency-regional",
  /** Whoever signs: the region or the agency of the instance (§2.1). */
  "party",
]);
export type Responsible = z.infer<typeof ResponsibleSchema>;

/**
 * A step's words in one language, for a step the catalogues (src/i18n) do not know, or to reword
 * one they do. ICU messages: `{year}` is the cycle year Y, `{next}` Y+1; `action` may also use
 * `{agency}` (the agencies a line is about). Only `title` is required: the others fall back to it.
 */
export const StepTextsSchema = z.strictObject({
  /** The step as a noun phrase, on every card: «Regionalt innspill til nasjonalt temamøte høst». */
  title: z.string().trim().min(1).max(120),
  /** What the responsible must do, after «Vestland fylkeskommune:» on the status card: «send innspill …». */
  action: z.string().trim().min(1).max(120).optional(),
  /** The tab overview's short column title («Innspill høst»). */
  column: z.string().trim().min(1).max(40).optional(),
  /** An external event's line (§2.1 style: «Statsbudsjett {next} vedtatt (Stortinget)»). */
  external: z.string().trim().min(1).max(120).optional(),
  /** Its item in the signing checklist (§2.1), when agreement-signed requires it: «innspill». */
  checklist: z.string().trim().min(1).max(40).optional(),
});
export type StepTexts = z.infer<typeof StepTextsSchema>;
/** One language's words, saying what is missing when a language is left out. */
const LanguageTexts = z.strictObject(StepTextsSchema.shape, {
  error: (issue) => (issue.input === undefined ? "missing: a step's texts give its words in nb, nn and en (at least a title)" : undefined),
});

export const StepSchema = z.object({
  // As a recorded step names it (events.ts `step-completed`): a longer id could never be recorded.
  id: z
    .string()
    .regex(/^[a-z][a-z0-9-]*$/, "expected lower-case letters, digits and dashes, starting with a letter")
    .max(100, "at most 100 characters (a recorded step-completed event names it)"),
  /** The seed's section numbers this step comes from, cited on every card. */
  sections: z.array(z.string().regex(/^\d+(\.\d+)?$/)).min(1),
  scope: z.enum(["national", "region"]),
  /**
   * once: one instance; agency: one per agency (national: every party agency of any region;
   * region: the region's party agencies); party: the region plus each party agency;
   * commission-agency: one per party agency, not applicable where it has no commission agreement.
   */
  per: z.enum(["once", "agency", "party", "commission-agency"]),
  /** The agreement the step belongs to: "current" = agreement Y, "next" = agreement Y+1. */
  agreement: z.enum(["current", "next"]).optional(),
  responsible: ResponsibleSchema,
  done: FactSchema,
  opens: MonthDay,
  /** Shown as "expected"/"target" next to the deadline (e.g. April for the regional spring meeting). */
  target: MonthDay.optional(),
  deadline: DeadlineRule,
  /** Steps (of the same cycle) that must be done first. A national step may be required by a regional one. */
  requires: z.array(z.string()).default([]),
  /**
   * Meetings (of the same cycle) whose date must be known — planned or held — before the step can
   * be done, though not the meeting itself: a region may convene its meeting once the national
   * one of the half-year has a date (§4.2); it is still held after it (§3.1, §3.2, `requires`).
   */
  requiresMeetingDate: z.array(z.enum(MEETING_IDS)).default([]),
  /**
   * An event outside the process (§2.1: the Storting adopts the state budget, a ministry sends an
   * allocation letter): the responsible party records it, it does not make it happen.
   */
  external: z.boolean().default(false),
  /** Follow-up reports only make sense when agreement Y exists (§3.1/§3.2). */
  requiresAgreementInForce: z.boolean().default(false),
  /** A meeting the step records (so cards can show planned date and place). */
  meeting: z.enum(MEETING_IDS).optional(),
  /**
   * The step's words per language (bokmål, nynorsk, English), for a model file: required for a step
   * the catalogues do not know (checked where the file is loaded, src/model-file.ts); a step they
   * know keeps the catalogue's words where these leave something out.
   */
  texts: z.strictObject({ nb: LanguageTexts, nn: LanguageTexts, en: LanguageTexts }).optional(),
});
export type StepDefinition = z.infer<typeof StepSchema>;

export const ProcessModelSchema = z
  .object({
    id: z.string().min(1),
    /** The document the model comes from, for the card footer. */
    source: z.string().min(1),
    validFrom: z.number().int(),
    /** Working days before a deadline in which a step counts as "due soon". */
    dueSoonWorkingDays: z.number().int().min(0).max(30).default(5),
    steps: z.array(StepSchema).min(1),
  })
  .superRefine((model, ctx) => {
    for (const problem of crossCheckSteps(model.steps)) ctx.addIssue({ code: "custom", ...problem });
  });
export type ProcessModel = z.infer<typeof ProcessModelSchema>;

/**
 * What a model needs beyond each step's own shape: unique ids, prerequisites and meetings that
 * exist, no national step waiting for a region, the built-in facts on the steps their forms look
 * for, no cycles. Also run on a definition whose steps are partly broken (a model file, where
 * every problem is named at once): a field that did not parse is left out and its checks skipped.
 */
export type StepForChecks = { id: string } & Partial<Pick<StepDefinition, "scope" | "per" | "done" | "external">> &
  Pick<StepDefinition, "requires" | "requiresMeetingDate"> & { meeting?: MeetingId | "invalid" | undefined };

export function crossCheckSteps(steps: readonly StepForChecks[]): Array<{ path: Array<string | number>; message: string }> {
  const problems: Array<{ path: Array<string | number>; message: string }> = [];
  const add = (path: Array<string | number>, message: string) => problems.push({ path: ["steps", ...path], message });
  const ids = new Set<string>();
  for (const [i, step] of steps.entries()) {
    if (ids.has(step.id)) add([i, "id"], `duplicate step id "${step.id}"`);
    ids.add(step.id);
  }
  const byId = new Map(steps.map((s) => [s.id, s]));
  const held = (meeting: MeetingId) => steps.find((s) => s.done?.fact === "meeting-held" && s.done.meeting === meeting);
  for (const [i, step] of steps.entries()) {
    for (const [j, req] of step.requires.entries()) {
      const target = byId.get(req);
      if (!target) add([i, "requires", j], `unknown step "${req}"`);
      else if (target.scope === "region" && step.scope === "national") add([i, "requires", j], `a national step cannot wait for the regional step "${req}"`);
    }
    for (const [j, meeting] of step.requiresMeetingDate.entries()) {
      if (!held(meeting)) add([i, "requiresMeetingDate", j], `no step records the meeting "${meeting}" as held`);
      else if (step.scope === "national" && meeting.startsWith("regional")) add([i, "requiresMeetingDate", j], `a national step cannot wait for the regional meeting "${meeting}"`);
    }
    const done = step.done;
    if (done !== undefined) {
      // The forms that record a specific fact find their step by a fixed id and shape
      // (domain/recording.ts stepKeyFor): a step of that fact must have them; a new step uses "step-completed".
      const expected = builtInShapeOf(done);
      if (expected) {
        const which = "meeting" in done ? ` (${done.meeting})` : "round" in done ? ` (${done.round})` : "";
        if (step.id !== expected.id)
          add([i, "id"], `a step done by the fact "${done.fact}"${which} must have the id "${expected.id}" (the form that records it looks for that id); a new kind of step is done by { fact: step-completed }`);
        if (step.scope !== undefined && step.scope !== expected.scope)
          add([i, "scope"], `"${done.fact}" is recorded on the ${expected.scope === "national" ? "national track" : "region's cycle"}: scope must be "${expected.scope}"`);
        if (step.per !== undefined && step.per !== expected.per) add([i, "per"], `"${done.fact}" is recorded per "${expected.per}": per must be "${expected.per}"`);
      }
      if (step.meeting !== "invalid") {
        if (step.meeting !== undefined && !("meeting" in done && done.meeting === step.meeting))
          add([i, "meeting"], `only a step done by convening or holding the meeting "${step.meeting}" may name it`);
        if ((done.fact === "meeting-convened" || done.fact === "meeting-held") && step.meeting !== done.meeting)
          add([i, "meeting"], `a step that records the meeting "${done.meeting}" must say meeting: ${done.meeting}`);
      }
    }
    // Nobody in the process can hold up the Storting or a ministry.
    if (step.external && (step.requires.length > 0 || step.requiresMeetingDate.length > 0)) add([i, "external"], "an external event cannot wait for steps of the process");
  }
  if (hasCycle(steps)) add([], "the prerequisites form a cycle");
  return problems;
}

/**
 * The id, scope and per a step of a specific fact must have: the forms that record the fact look
 * for exactly that step (domain/recording.ts, `stepKeyFor`). Undefined for "step-completed", which
 * any step may use.
 */
export function builtInShapeOf(fact: Fact): { id: string; scope: "national" | "region"; per: StepDefinition["per"] } | undefined {
  switch (fact.fact) {
    case "meeting-convened":
    case "meeting-held":
      return { id: `${fact.meeting}-meeting-${fact.fact === "meeting-held" ? "held" : "convened"}`, scope: fact.meeting.startsWith("national") ? "national" : "region", per: "once" };
    case "follow-up-report":
      return { id: `follow-up-report-${fact.round}`, scope: "region", per: "agency" };
    case "draft-agreement-ready":
      return { id: "draft-agreement-ready", scope: "region", per: "once" };
    case "political-treatment-approved":
      return { id: "political-treatment", scope: "region", per: "once" };
    case "state-budget-adopted":
      return { id: "state-budget-adopted", scope: "national", per: "once" };
    case "allocation-letter-received":
      return { id: "allocation-letter-received", scope: "national", per: "agency" };
    case "regional-budget-adopted":
      return { id: "regional-budget-adopted", scope: "region", per: "once" };
    case "agreement-signed":
      return { id: "agreement-signed", scope: "region", per: "party" };
    case "commission-agreement-sent":
      return { id: "commission-agreement-sent", scope: "region", per: "commission-agency" };
    case "step-completed":
      return undefined;
  }
}

/** The step that records a meeting as held: its date is the meeting's date once known. */
export function heldStepOf<S extends { done: Fact }>(steps: readonly S[], meeting: MeetingId): S | undefined {
  return steps.find((s) => s.done.fact === "meeting-held" && s.done.meeting === meeting);
}

function hasCycle(steps: readonly StepForChecks[]): boolean {
  // A meeting's date counts as waiting on the step that holds it: a date can only be known by then.
  const requires = new Map(
    steps.map((s) => [s.id, [...s.requires, ...s.requiresMeetingDate.flatMap((m) => steps.find((h) => h.done?.fact === "meeting-held" && h.done.meeting === m)?.id ?? [])]]),
  );
  const state = new Map<string, "visiting" | "done">();
  const visit = (id: string): boolean => {
    if (state.get(id) === "done") return false;
    if (state.get(id) === "visiting") return true;
    state.set(id, "visiting");
    const cyclic = (requires.get(id) ?? []).some(visit);
    state.set(id, "done");
    return cyclic;
  };
  return steps.some((s) => visit(s.id));
}

/** Parses and checks a model definition; throws a ZodError that lists every problem. */
export function loadProcessModel(definition: unknown): ProcessModel {
  return ProcessModelSchema.parse(definition);
}

const md = (month: number, day: number, yearOffset: 0 | 1 = 0) => ({ month, day, yearOffset });

/**
 * The 2017 model ("En omforent regional samhandlingsmodell", Oslo 28 November 2017), with the
 * windows product.md gives as defaults. Order is the order of the year.
 */
export const MODEL_2017: ProcessModel = loadProcessModel({
  id: "samhandlingsmodell-2017",
  source: "Regional samhandlingsmodell, 28.11.2017",
  validFrom: 2018,
  dueSoonWorkingDays: 5,
  steps: [
    {
      // §4.1: RUK AU convenes the agencies' management "in good time"; product: ≥ 6 weeks before.
      id: "national-spring-meeting-convened", sections: ["4.1", "1"], scope: "national", per: "once",
      responsible: "national-coordinator", meeting: "national-spring",
      done: { fact: "meeting-convened", meeting: "national-spring" },
      opens: md(1, 1), deadline: { kind: "before-meeting", meeting: "national-spring", daysBefore: 42, latestMeeting: md(3, 31) },
    },
    {
      // §1: the spring meeting is held no later than March.
      id: "national-spring-meeting-held", sections: ["1"], scope: "national", per: "once",
      responsible: "national-coordinator", meeting: "national-spring",
      done: { fact: "meeting-held", meeting: "national-spring" },
      opens: md(1, 1), deadline: { kind: "fixed", date: md(3, 31) },
    },
    {
      // §4.2: the region's leadership convenes the regional meetings; invitations ≥ 3 weeks before.
      id: "regional-spring-meeting-convened", sections: ["4.2", "3.1"], scope: "region", per: "once",
      // §4.2: invitations may go out once the national spring meeting has a date (planned or held).
      responsible: "region-coordinator", meeting: "regional-spring", requiresMeetingDate: ["national-spring"],
      done: { fact: "meeting-convened", meeting: "regional-spring" },
      opens: md(2, 1), deadline: { kind: "before-meeting", meeting: "regional-spring", daysBefore: 21, latestMeeting: md(6, 30) },
    },
    {
      // §3.1: follow-up of the agreement, "e.g. in April", after the national spring meeting.
      id: "follow-up-report-spring", sections: ["3.1"], scope: "region", per: "agency", agreement: "current",
      responsible: "agency-regional", requiresAgreementInForce: true,
      done: { fact: "follow-up-report", round: "spring" },
      opens: md(3, 1), deadline: { kind: "before-meeting", meeting: "regional-spring", daysBefore: 7, latestMeeting: md(6, 30) },
    },
    {
      id: "regional-spring-meeting-held", sections: ["3.1"], scope: "region", per: "once",
      responsible: "region-coordinator", meeting: "regional-spring", requires: ["national-spring-meeting-held"],
      done: { fact: "meeting-held", meeting: "regional-spring" },
      opens: md(2, 1), target: md(4, 30), deadline: { kind: "fixed", date: md(6, 30) },
    },
    {
      id: "national-autumn-meeting-convened", sections: ["4.1", "1"], scope: "national", per: "once",
      responsible: "national-coordinator", meeting: "national-autumn",
      done: { fact: "meeting-convened", meeting: "national-autumn" },
      opens: md(8, 1), deadline: { kind: "before-meeting", meeting: "national-autumn", daysBefore: 42, latestMeeting: md(11, 30) },
    },
    {
      // §1: October/November, in two parts (this year's experiences; the coming period's opportunities).
      id: "national-autumn-meeting-held", sections: ["1"], scope: "national", per: "once",
      responsible: "national-coordinator", meeting: "national-autumn",
      done: { fact: "meeting-held", meeting: "national-autumn" },
      opens: md(10, 1), deadline: { kind: "fixed", date: md(11, 30) },
    },
    {
      // §3 and §3.2: the region drafts an agreement all parties accept, before the autumn meeting.
      id: "draft-agreement-ready", sections: ["3", "3.2"], scope: "region", per: "once", agreement: "next",
      responsible: "region-coordinator",
      done: { fact: "draft-agreement-ready" },
      opens: md(8, 1), deadline: { kind: "before-meeting", meeting: "regional-autumn", daysBefore: 0, latestMeeting: md(12, 31) },
    },
    {
      id: "regional-autumn-meeting-convened", sections: ["4.2", "3.2"], scope: "region", per: "once",
      responsible: "region-coordinator", meeting: "regional-autumn", requiresMeetingDate: ["national-autumn"],
      done: { fact: "meeting-convened", meeting: "regional-autumn" },
      opens: md(9, 1), deadline: { kind: "before-meeting", meeting: "regional-autumn", daysBefore: 21, latestMeeting: md(12, 31) },
    },
    {
      id: "follow-up-report-autumn", sections: ["3.2"], scope: "region", per: "agency", agreement: "current",
      responsible: "agency-regional", requiresAgreementInForce: true,
      done: { fact: "follow-up-report", round: "autumn" },
      opens: md(9, 1), deadline: { kind: "before-meeting", meeting: "regional-autumn", daysBefore: 7, latestMeeting: md(12, 31) },
    },
    {
      // §3.2: administrative dialogue on this year's follow-up and the proposal for the new agreement.
      id: "regional-autumn-meeting-held", sections: ["3.2"], scope: "region", per: "once",
      responsible: "region-coordinator", meeting: "regional-autumn", requires: ["national-autumn-meeting-held"],
      done: { fact: "meeting-held", meeting: "regional-autumn" },
      opens: md(10, 1), target: md(11, 30), deadline: { kind: "fixed", date: md(12, 31) },
    },
    {
      // §3.2: "Utkastet til ny samarbeidsavtale behandles politisk" — after the autumn meeting, before signing.
      id: "political-treatment", sections: ["3.2"], scope: "region", per: "once", agreement: "next",
      responsible: "region-coordinator", requires: ["regional-autumn-meeting-held", "draft-agreement-ready"],
      done: { fact: "political-treatment-approved" },
      opens: md(10, 1), deadline: { kind: "fixed", date: md(1, 31, 1) },
    },
    {
      // §2.1: the state budget for Y+1 is adopted, expected mid-December.
      // Adopted by the Storting, not by RUK AU: RUK AU records it (external).
      id: "state-budget-adopted", sections: ["2.1"], scope: "national", per: "once", agreement: "next",
      responsible: "national-coordinator", external: true,
      done: { fact: "state-budget-adopted" },
      opens: md(10, 1), target: md(12, 15), deadline: { kind: "fixed", date: md(12, 31) },
    },
    {
      // §2.1 and §3.2: the regional budget for Y+1, expected in December.
      id: "regional-budget-adopted", sections: ["2.1", "3.2"], scope: "region", per: "once", agreement: "next",
      responsible: "region-coordinator",
      done: { fact: "regional-budget-adopted" },
      opens: md(11, 1), target: md(12, 15), deadline: { kind: "fixed", date: md(12, 31) },
    },
    {
      // §2.1: each agency's allocation letter (tildelingsbrev) for Y+1 from its ministry.
      // Sent by the ministry: the agency records that it came (external).
      id: "allocation-letter-received", sections: ["2.1"], scope: "national", per: "agency", agreement: "next",
      responsible: "agency-national", external: true,
      done: { fact: "allocation-letter-received" },
      opens: md(12, 1), target: md(12, 31), deadline: { kind: "fixed", date: md(1, 31, 1) },
    },
    {
      // §2.1 + §3.2: signed in January, once both budgets are adopted and the letters received.
      id: "agreement-signed", sections: ["2.1", "3.2"], scope: "region", per: "party", agreement: "next",
      responsible: "party",
      requires: ["political-treatment", "state-budget-adopted", "regional-budget-adopted", "allocation-letter-received"],
      done: { fact: "agreement-signed" },
      opens: md(1, 1, 1), deadline: { kind: "fixed", date: md(1, 31, 1) },
    },
    {
      // §3.3: commission agreements are sent to the agencies during January.
      id: "commission-agreement-sent", sections: ["3.3"], scope: "region", per: "commission-agency", agreement: "next",
      responsible: "region-coordinator", requires: ["regional-budget-adopted"],
      done: { fact: "commission-agreement-sent" },
      opens: md(1, 1, 1), deadline: { kind: "fixed", date: md(1, 31, 1) },
    },
  ],
});
