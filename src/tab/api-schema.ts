/**
 * The årshjul tab's JSON API (`GET /api/tab/...`, `POST /api/tab/record`): one zod schema per
 * answer, shared by the server, which parses what it sends, and the page, which parses what it
 * gets. Everything a person reads is already in their language (the server translates from the
 * same catalogues as the bot), except the page's own labels, which come as ICU messages in
 * `Me.strings` and are formatted in the browser.
 *
 * This module is bundled into the page: it imports zod only, never the domain (luxon, node).
 */
import { z } from "zod";

export const TAB_LANGS = ["nb", "nn", "en"] as const;
export type TabLang = (typeof TAB_LANGS)[number];

/** The step states of the domain (src/domain/obligations.ts STEP_STATES); a test keeps the two lists equal. */
export const TAB_STEP_STATES = ["done", "overdue", "blocked", "due-soon", "open", "waiting", "not-yet-open", "not-tracked", "not-applicable"] as const;
export type TabStepState = (typeof TAB_STEP_STATES)[number];

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** A region as the page lists it: id (`46`) and name (`Vestland`). */
export const RegionRefSchema = z.object({ id: z.string(), name: z.string() });

/** A state as people read it: the same icon and word as the status card, never colour alone. */
export const StateLookSchema = z.object({ state: z.enum(TAB_STEP_STATES), icon: z.string(), label: z.string() });

/** Who is asking, in which language, and the page's own labels. */
export const MeSchema = z.object({
  /** No bot identity configured: no sign-in, the page shows a «local mode» banner. */
  localMode: z.boolean(),
  lang: z.enum(TAB_LANGS),
  person: z.object({ id: z.string(), name: z.string(), roles: z.array(z.string()), mayAdminister: z.boolean() }),
  regions: z.array(RegionRefSchema),
  /** The region the page opens on: the channel's bound region, else the person's own (coordinator or regional contact). */
  defaultRegion: z.string().optional(),
  /** The page's labels as ICU messages (keys `tab.*` of the catalogues), formatted in the browser. */
  strings: z.record(z.string(), z.string()),
  legend: z.array(StateLookSchema),
});
export type Me = z.infer<typeof MeSchema>;

/** A way to record a step from the tab: the same verbs and parameters as the card's buttons. */
export const RecordFormSchema = z.object({
  verb: z.string(),
  params: z.record(z.string(), z.string()),
  /** The button's words, as on the card («Registrer holdt», «Planlegg møtet»). */
  title: z.string(),
  /** The fields the form asks for, beyond the date (e.g. `place`, `body`, `caseNumber`, `outcome`, `link`, `experiences`). */
  fields: z.array(z.string()),
  /** The dates the form accepts. */
  minDate: IsoDate,
  maxDate: IsoDate,
});
export type RecordForm = z.infer<typeof RecordFormSchema>;

/** One step instance on the wheel, with everything its detail panel shows. */
export const WheelStepSchema = z.object({
  key: z.string(),
  stepId: z.string(),
  /** The cycle year the step belongs to: January's signing of cycle Y−1 overlaps cycle Y's start. */
  year: z.number().int(),
  track: z.enum(["national", "region"]),
  title: z.string(),
  /** The seed's sections, as people cite them («§ 3.1»). */
  sections: z.string(),
  look: StateLookSchema,
  opensOn: IsoDate,
  deadline: IsoDate,
  target: IsoDate.optional(),
  doneOn: IsoDate.optional(),
  /** A meeting step's meeting as planned (date, and the place as typed), until it is held. */
  plannedMeeting: z.object({ on: IsoDate, place: z.string().optional() }).optional(),
  /** Who must act («Regionkoordinator Vestland»); for an external event, who records it. */
  responsible: z.string(),
  /** For an event outside the parties' hands (the state budget): «registreres av RUK AU». */
  recordedBy: z.string().optional(),
  /** What the step waits for, by title. */
  waitsFor: z.array(z.string()),
  /** Who recorded the step and when (from the audit trail). */
  recorded: z.object({ by: z.string(), at: z.string() }).optional(),
  /** Present only where the person may record the step now. */
  forms: z.array(RecordFormSchema),
});
export type WheelStep = z.infer<typeof WheelStepSchema>;

export const WheelSchema = z.object({
  region: RegionRefSchema,
  year: z.number().int(),
  today: IsoDate,
  /** The cycle years the steps come from (the previous cycle's January tail, then `year`). */
  cycles: z.array(z.number().int()),
  steps: z.array(WheelStepSchema),
  /** The same words as the status card's header: «2 forfalt · 1 blokkert · 3 neste 14 dager». */
  counts: z.string(),
});
export type Wheel = z.infer<typeof WheelSchema>;

export const OverviewCellSchema = z.object({
  stepId: z.string(),
  /** The cycle year of the column (January's signing belongs to last year's cycle). */
  year: z.number().int().optional(),
  look: StateLookSchema,
  deadline: IsoDate.optional(),
  /** The cell in words, for its accessible name and tooltip («Regionalt dialogmøte vår: forfalt, frist 15. mars»). */
  text: z.string(),
});

export const OverviewSchema = z.object({
  today: IsoDate,
  years: z.array(z.number().int()),
  /** The main steps of the year, as columns, in the order of the wheel. */
  columns: z.array(z.object({ stepId: z.string(), title: z.string(), year: z.number().int() })),
  /** Most urgent first (as the overview card): most overdue, then most blocked, then the nearest deadline. */
  rows: z.array(
    z.object({
      region: RegionRefSchema,
      overdue: z.number().int(),
      blocked: z.number().int(),
      /** «Neste: … innen …», as on the overview card. */
      next: z.string(),
      cells: z.array(OverviewCellSchema),
    }),
  ),
});
export type Overview = z.infer<typeof OverviewSchema>;

/** POST /api/tab/record: the card's form, as JSON. */
export const RecordBodySchema = z.object({
  regionId: z.string().min(1).max(20),
  year: z.number().int(),
  verb: z.string().min(1).max(60),
  params: z.record(z.string(), z.string().max(60)).default({}),
  /** The form's inputs: `date` and the verb's own fields, as the card's inputs. */
  values: z.record(z.string(), z.union([z.string().max(2000), z.boolean()])).default({}),
  /** The page's nonce for this form: a retry with the same id records nothing twice. */
  actionId: z.string().uuid(),
  /** Deadlines the person confirmed would pass («Lagre likevel»). */
  acceptLate: z.array(z.string().max(200)).max(50).default([]),
  /** The wheel the page shows (a January step of cycle Y−1 is recorded from wheel Y): the answer's wheel. Default: `year`. */
  wheelYear: z.number().int().optional(),
});
export type RecordBody = z.infer<typeof RecordBodySchema>;

/**
 * The answer of POST /api/tab/record, in the person's language with the card's sentences:
 * `recorded` and `duplicate` (a retry with the same actionId: nothing written twice) and `late`
 * (nothing written; the deadlines that would pass, and the tokens to send back in `acceptLate` to
 * save anyway) come with HTTP 200; `refused` with 403 when the step is not the person's to record,
 * else 422 (the form's field named in `field`). A body that is not a RecordBody is an ApiError (400).
 */
export const RecordAnswerSchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("recorded"), message: z.string(), wheel: WheelSchema }),
  z.object({ kind: z.literal("duplicate"), message: z.string(), wheel: WheelSchema }),
  z.object({ kind: z.literal("refused"), message: z.string(), field: z.string().optional() }),
  z.object({ kind: z.literal("late"), message: z.string(), steps: z.array(z.string()), accept: z.array(z.string()) }),
]);
export type RecordAnswer = z.infer<typeof RecordAnswerSchema>;

/** Every refusal of the API: a code for programs, a message for people (in the request's language where known). */
export const ApiErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
export type ApiError = z.infer<typeof ApiErrorSchema>;

/** The report rounds of a cycle year (§3.1 spring, §3.2 autumn). */
export const TAB_ROUNDS = ["spring", "autumn"] as const;

/** One line of the meeting papers: a label and its value, and person-written text below it (plain text: the page escapes it). */
const PaperItemSchema = z.object({ label: z.string(), value: z.string(), text: z.string().optional() });

/**
 * GET /api/tab/reports: a region's follow-up reports for a cycle year (issue 10) — the rounds there
 * are, and the chosen round's compiled summary in the words of the meeting papers (the same as the
 * summary card and the exports: who delivered, late, missing or will not report, each task with
 * each agency's status and comment, what changed since the previous round, the expectations or the
 * stances on the draft), and the download links. Submitted reports only, never drafts.
 */
export const ReportsSchema = z.object({
  region: RegionRefSchema,
  year: z.number().int(),
  /** The rounds of the year that exist, spring first; `selected` is the one shown. */
  rounds: z.array(z.object({ round: z.enum(TAB_ROUNDS), title: z.string(), selected: z.boolean() })),
  /** Said instead of a summary when the year has no round to show («Vestland har ingen rapportrunde vår 2027.»). */
  empty: z.string().optional(),
  summary: z
    .object({
      round: z.enum(TAB_ROUNDS),
      /** «Vestland: oppfølgingsrapporter vår 2027» */
      title: z.string(),
      /** «Møte 20. april 2027 · frist for rapportene 13. april 2027» */
      dates: z.string(),
      /** «Runden er åpen for svar.», as on the summary card. */
      phase: z.string(),
      /** Each party agency's answer, in the agreement's order: the card's icon, its state, and the line in words. */
      agencies: z.array(
        z.object({
          agency: z.string(),
          name: z.string(),
          state: z.enum(["submitted", "late", "missing", "pending", "will-not-report"]),
          icon: z.string(),
          text: z.string(),
        }),
      ),
      /** Autumn (§3): whether the draft of next year's agreement is omforent, in words. */
      omforent: z.string().optional(),
      /** The meeting papers, section by section (the agreement, the round, the answers, each task, what changed, the reports, the history). */
      paper: z.object({
        title: z.string(),
        made: z.string(),
        sections: z.array(z.object({ level: z.union([z.literal(2), z.literal(3)]), heading: z.string(), note: z.string().optional(), items: z.array(PaperItemSchema) })),
      }),
    })
    .optional(),
  /** «Last ned»: signed links that work for `minutes`; none without the app's public address (`note` says so). */
  exports: z.object({
    title: z.string(),
    minutes: z.number().int(),
    links: z.array(z.object({ format: z.string(), title: z.string(), url: z.string() })),
    note: z.string().optional(),
  }),
});
export type Reports = z.infer<typeof ReportsSchema>;
