/**
 * The region's annual cooperation agreement (samarbeidsavtale) as the follow-up needs it: its
 * parties and its concrete tasks. §2.1: the agreement "defines cooperation routines and
 * follow-up responsibility between the parties for concrete tasks"; §3.3: the agencies that get
 * a commission agreement. Pure: changes are events (the audit trail), the state is their fold.
 *
 * Agreement Y is drafted in cycle Y−1 (§3.2, `agreement: "next"`), signed in January Y (§2.1)
 * and followed up in cycle Y's spring and autumn rounds (§3.1, §3.2, `agreement: "current"`).
 */
import { z } from "zod";
import { AGENCIES, AGENCY_IDS, DEFAULT_COMMISSION_AGENCIES, DEFAULT_PARTY_AGENCIES, foldName, type AgencyId } from "./regions.js";

/** Field limits, checked on the server whatever the client's `maxLength` said. */
export const AGREEMENT_LIMITS = {
  title: 200,
  description: 2000,
  indicator: 200,
  planRef: 200,
  /** Tasks per agreement: 20 is a large agreement; the cards are sized for 40. */
  tasks: 40,
  /** Lines in one paste. */
  pasteLines: 40,
} as const;

const Agency = z.enum(AGENCY_IDS);
/** A task's responsible party: one of the agreement's agencies, or the county authority itself. */
export const TaskPartySchema = z.union([z.literal("region"), Agency]);
export type TaskParty = z.infer<typeof TaskPartySchema>;

/** Ids are set by the bot (`t1`, `t2`, …), never typed: stable across edits and copies. */
export const TaskIdSchema = z.string().regex(/^t[0-9]{1,4}$/);

export const AgreementTaskSchema = z.object({
  id: TaskIdSchema,
  title: z.string().trim().min(1).max(AGREEMENT_LIMITS.title),
  description: z.string().trim().max(AGREEMENT_LIMITS.description).optional(),
  responsible: z.array(TaskPartySchema).min(1).max(AGENCY_IDS.length + 1),
  /** Free text: how progress is seen ("antall klyngeprosjekter"). */
  indicator: z.string().trim().max(AGREEMENT_LIMITS.indicator).optional(),
  /** §2: where in the regional plan or the action plan the task comes from. */
  planRef: z.string().trim().max(AGREEMENT_LIMITS.planRef).optional(),
});
export type AgreementTask = z.infer<typeof AgreementTaskSchema>;

export const AgreementPartiesSchema = z.object({
  /** The agencies that are parties (§2.1); the county authority always is. */
  partyAgencies: z.array(Agency).min(1).max(AGENCY_IDS.length),
  /** The agencies that get a commission agreement (§3.3). */
  commissionAgencies: z.array(Agency).max(AGENCY_IDS.length),
});
export type AgreementParties = z.infer<typeof AgreementPartiesSchema>;

/** What changes an agreement: each is an event in its trail, with who and when (AgreementEventSchema). */
export const AgreementChangeSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("parties-set"), ...AgreementPartiesSchema.shape }),
  z.object({ type: z.literal("task-added"), task: AgreementTaskSchema }),
  z.object({ type: z.literal("task-edited"), task: AgreementTaskSchema }),
  z.object({ type: z.literal("task-removed"), taskId: TaskIdSchema }),
  /** Tasks copied from agreement `fromYear` into this (draft) agreement, with new ids. */
  z.object({ type: z.literal("tasks-copied"), fromYear: z.number().int(), tasks: z.array(AgreementTaskSchema) }),
]);
export type AgreementChange = z.infer<typeof AgreementChangeSchema>;

export const AgreementEventSchema = z.object({
  /** From the card's action id: the same click delivered twice is recorded once. */
  id: z.string().min(1).max(200),
  recordedAt: z.iso.datetime({ offset: true }),
  by: z.object({ id: z.string().min(1), name: z.string() }),
  data: AgreementChangeSchema,
});
export type AgreementEvent = z.infer<typeof AgreementEventSchema>;

export interface AgreementState {
  regionId: string;
  /** The agreement year: the year it is in force (signed in January of it). */
  year: number;
  parties: AgreementParties;
  /** Whether the parties were set for this agreement, or are the region's defaults. */
  partiesSet: boolean;
  tasks: AgreementTask[];
}

export function defaultParties(fallback?: Partial<AgreementParties>): AgreementParties {
  return {
    partyAgencies: [...(fallback?.partyAgencies ?? DEFAULT_PARTY_AGENCIES)],
    commissionAgencies: [...(fallback?.commissionAgencies ?? DEFAULT_COMMISSION_AGENCIES)],
  };
}

/** Folds an agreement's events (in recorded order). `fallback`: the region's parties from the settings. */
export function reduceAgreement(regionId: string, year: number, events: readonly AgreementEvent[], fallback?: Partial<AgreementParties>): AgreementState {
  let state: AgreementState = { regionId, year, parties: defaultParties(fallback), partiesSet: false, tasks: [] };
  for (const { data } of events) {
    switch (data.type) {
      case "parties-set":
        state = { ...state, parties: { partyAgencies: data.partyAgencies, commissionAgencies: data.commissionAgencies }, partiesSet: true };
        break;
      case "task-added":
        state = { ...state, tasks: [...state.tasks.filter((t) => t.id !== data.task.id), data.task] };
        break;
      case "task-edited":
        state = { ...state, tasks: state.tasks.map((t) => (t.id === data.task.id ? data.task : t)) };
        break;
      case "task-removed":
        state = { ...state, tasks: state.tasks.filter((t) => t.id !== data.taskId) };
        break;
      case "tasks-copied":
        state = { ...state, tasks: [...state.tasks, ...data.tasks.filter((c) => !state.tasks.some((t) => t.id === c.id))] };
        break;
    }
  }
  return state;
}

/** The next free task id after every id the agreement ever used (a removed task's id is not reused). */
export function nextTaskIds(events: readonly AgreementEvent[], count: number): string[] {
  let max = 0;
  const see = (id: string) => (max = Math.max(max, Number(id.slice(1))));
  for (const { data } of events) {
    if (data.type === "task-added" || data.type === "task-edited") see(data.task.id);
    if (data.type === "tasks-copied") data.tasks.forEach((t) => see(t.id));
    if (data.type === "task-removed") see(data.taskId);
  }
  return Array.from({ length: count }, (_, i) => `t${max + 1 + i}`);
}

/** The tasks an agency answers for in a report round (§3.1, §3.2). */
export function tasksOf(state: Pick<AgreementState, "tasks">, agency: AgencyId): AgreementTask[] {
  return state.tasks.filter((t) => t.responsible.includes(agency));
}

/**
 * The names people write for a party: the agency's id and name, folded ("innovasjon norge",
 * "in", "forskningsradet", "nfr"), and for the county authority the words for it.
 */
const PARTY_WORDS: ReadonlyMap<string, TaskParty> = new Map<string, TaskParty>([
  ...AGENCY_IDS.flatMap((id): Array<[string, TaskParty]> => [
    [foldName(id), id],
    [foldName(AGENCIES[id].name), id],
    [foldName(AGENCIES[id].fullName), id],
  ]),
  ["forskningsradet", "NFR"],
  ["norgesforskningsrad", "NFR"],
  // Nynorsk: the council's own nynorsk name, which the nynorsk paste hint also names.
  ["forskingsradet", "NFR"],
  ["noregsforskingsrad", "NFR"],
  ["fylkeskommunen", "region"],
  ["fylkeskommune", "region"],
  ["fylket", "region"],
  ["fk", "region"],
  ["region", "region"],
  ["county", "region"],
]);

export function partyFromWord(word: string): TaskParty | undefined {
  return PARTY_WORDS.get(foldName(word));
}

/** One pasted line: a task to add, or what is wrong with it (the preview names it). */
export type PastedLine =
  | { line: number; ok: true; title: string; responsible: TaskParty[] }
  | { line: number; ok: false; text: string; problem: "no-party" | "unknown-party" | "not-a-party" | "title-too-long" | "no-title"; name?: string };

/**
 * Tasks pasted one per line, `title; IN, SIVA` (the parties after the last semicolon, separated
 * by commas or «og»/«and»). An agency that is not a party to this agreement is named as such:
 * a task cannot be followed up by someone who does not report (§3.1).
 */
export function parsePastedTasks(text: string, parties: AgreementParties): PastedLine[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim());
  const result: PastedLine[] = [];
  lines.forEach((raw, index) => {
    // Bullets and numbering from a pasted list are not part of the title.
    const line = raw.replace(/^(?:[-*•–]\s+|\d+[.)]\s+)/, "").trim();
    if (line === "") return;
    const n = index + 1;
    const cut = line.lastIndexOf(";");
    if (cut < 0) return result.push({ line: n, ok: false, text: line, problem: "no-party" });
    const title = line.slice(0, cut).trim();
    if (title === "") return result.push({ line: n, ok: false, text: line, problem: "no-title" });
    if (title.length > AGREEMENT_LIMITS.title) return result.push({ line: n, ok: false, text: line, problem: "title-too-long" });
    const words = line
      .slice(cut + 1)
      .split(/,|\s+og\s+|\s+and\s+|\//i)
      .map((w) => w.trim())
      .filter((w) => w !== "");
    if (words.length === 0) return result.push({ line: n, ok: false, text: line, problem: "no-party" });
    const responsible: TaskParty[] = [];
    for (const word of words) {
      const party = partyFromWord(word);
      if (!party) return result.push({ line: n, ok: false, text: line, problem: "unknown-party", name: word });
      if (party !== "region" && !parties.partyAgencies.includes(party)) return result.push({ line: n, ok: false, text: line, problem: "not-a-party", name: word });
      if (!responsible.includes(party)) responsible.push(party);
    }
    result.push({ line: n, ok: true, title, responsible });
  });
  return result;
}
