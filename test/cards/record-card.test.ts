// @vitest-environment jsdom
/**
 * The recording forms as cards: every verb's form, in every language, with the allowed dates as
 * help text, with a refusal, and with a warning that the change makes steps late — each valid
 * Adaptive Card 1.5 under Teams' 28 KB (the card check), and saying what a person needs.
 */
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { renderRecordCard, type RecordForm } from "../../src/cards/record-card.js";
import { OSLO, type IsoDate, type Lang } from "../../src/domain/calendar.js";
import { reduceCycle } from "../../src/domain/cycle.js";
import type { EventData } from "../../src/domain/events.js";
import { dateRangeFor, stepsMadeLate } from "../../src/domain/forms.js";
import { obligations, type ObligationsInput } from "../../src/domain/obligations.js";
import { loadModelFile } from "../../src/model-file.js";
import { RECORD_VERBS, type RecordVerb, type RequestParams } from "../../src/domain/recording.js";
import { DEFAULT_COMMISSION_AGENCIES, DEFAULT_PARTY_AGENCIES, NATIONAL } from "../../src/domain/regions.js";
import { installModelTexts, translator, type MessageKey } from "../../src/i18n/index.js";
import { checkCard } from "../support/card-check.js";
import { ev } from "../support/events.js";

const LANGS: Lang[] = ["nb", "nn", "en"];
/** The 2017 model with a step of its own (MODEL_PATH, issue 13), so that its generic «Gjort» form is here too. */
const MODEL = loadModelFile("models/2017-with-extra-step.yaml");
installModelTexts(MODEL.steps);

function inputOf(today: IsoDate, national: EventData[] = [], regional: EventData[] = []): ObligationsInput {
  return {
    model: MODEL,
    year: 2027,
    now: DateTime.fromISO(`${today}T12:00`, { zone: OSLO }),
    national: reduceCycle(NATIONAL, 2027, national.map((d) => ev(d))),
    nationalTrackingStart: "2027-01-01",
    nationalAgencies: DEFAULT_PARTY_AGENCIES,
    region: {
      setup: { regionId: "46", partyAgencies: DEFAULT_PARTY_AGENCIES, commissionAgencies: DEFAULT_COMMISSION_AGENCIES, trackingStart: "2027-01-01" },
      state: reduceCycle("46", 2027, regional.map((d) => ev(d))),
    },
  };
}

/** One form of each verb (the first party where there are several). */
const FORMS: Array<{ verb: RecordVerb; params: RequestParams }> = [
  { verb: "meeting.plan", params: { meeting: "regional-spring" } },
  { verb: "meeting.invited", params: { meeting: "national-spring" } },
  { verb: "meeting.held", params: { meeting: "national-autumn" } },
  { verb: "report.submitted", params: { round: "spring", agency: "SIVA" } },
  { verb: "draft.ready", params: {} },
  { verb: "political.recorded", params: {} },
  { verb: "stateBudget.adopted", params: {} },
  { verb: "allocationLetter.received", params: { agency: "IN" } },
  { verb: "regionalBudget.adopted", params: {} },
  { verb: "agreement.signed", params: { party: "SIVA" } },
  { verb: "commission.sent", params: { agency: "IN" } },
  { verb: "step.done", params: { step: "regional-input-national-autumn" } },
];

function formOf(verb: RecordVerb, params: RequestParams, input: ObligationsInput, extra: Partial<RecordForm> = {}): RecordForm {
  const all = obligations(input);
  const today = input.now.toISODate()!;
  const range = dateRangeFor(verb, params, all, today)!;
  const step = all.find((o) => matches(o, verb, params))!;
  return { verb, params, step, regionId: "46", year: 2027, actionId: "a", today, range, ...extra };
}

function matches(o: ReturnType<typeof obligations>[number], verb: RecordVerb, params: RequestParams): boolean {
  switch (verb) {
    case "meeting.plan":
    case "meeting.invited":
      return o.stepId === `${params.meeting}-meeting-convened`;
    case "meeting.held":
      return o.stepId === `${params.meeting}-meeting-held`;
    case "report.submitted":
      return o.stepId === `follow-up-report-${params.round}` && o.party === params.agency;
    case "draft.ready":
      return o.stepId === "draft-agreement-ready";
    case "political.recorded":
      return o.stepId === "political-treatment";
    case "stateBudget.adopted":
      return o.stepId === "state-budget-adopted";
    case "allocationLetter.received":
      return o.stepId === "allocation-letter-received" && o.party === params.agency;
    case "regionalBudget.adopted":
      return o.stepId === "regional-budget-adopted";
    case "agreement.signed":
      return o.stepId === "agreement-signed" && o.party === params.party;
    case "commission.sent":
      return o.stepId === "commission-agreement-sent" && o.party === params.agency;
    case "step.done":
      return o.stepId === params.step && o.party === params.party;
  }
}

const text = (card: object) => JSON.stringify(card);

describe("the recording forms as cards", () => {
  it("covers every verb", () => {
    expect(FORMS.map((f) => f.verb).sort()).toEqual([...RECORD_VERBS].sort());
  });

  it.each(LANGS)("every verb's form is a valid card headed by its button's words, with the allowed dates said (%s)", (lang) => {
    const t = translator(lang);
    const input = inputOf("2027-12-14");
    for (const { verb, params } of FORMS) {
      const form = formOf(verb, params, input);
      const card = renderRecordCard(form, lang);
      checkCard(card);
      expect((card.body as any[])[0].text, verb).toMatch(new RegExp(`^${t(`form.button.${verb}` as MessageKey)}: `));
      const help = (card.body as any[]).flatMap((b) => b.items ?? []).find((i: any) => i.type === "TextBlock" && i.isSubtle && i.size === "Small");
      expect(help?.text, verb).toBeTruthy();
      // Teams refuses a date outside min/max itself, before sending, with the input's errorMessage:
      // that message names the allowed dates, never "fill in this field" under a filled-in field.
      const picker = (card.body as any[]).flatMap((b) => b.items ?? []).find((i: any) => i.type === "Input.Date");
      if (picker?.min !== undefined || picker?.max !== undefined) expect(picker.errorMessage, verb).toBe(help.text);
      checkCard(renderRecordCard({ ...form, error: t("refusal.invalid", { field: t("form.field.date") }), values: { date: "2027-12-01" } }, lang));
    }
  });

  it.each(LANGS)("a form warned that the change makes several steps late is a valid card, one line per step and «Lagre likevel» (%s)", (lang) => {
    const t = translator(lang);
    const input = inputOf("2027-04-12", [{ type: "meeting-held", meeting: "national-spring", date: "2027-03-10" }]);
    const late = stepsMadeLate(input, { scope: "region", event: ev({ type: "meeting-planned", meeting: "regional-spring", date: "2027-04-16" }) });
    expect(late.length).toBe(4);
    const card = renderRecordCard(formOf("meeting.plan", { meeting: "regional-spring" }, input, { late: { steps: late, accept: "x" }, values: { date: "2027-04-16" } }), lang);
    checkCard(card);
    const warning = (card.body as any[]).find((b) => b.style === "warning");
    // The invitations, the three agencies' reports on one line, and what to do.
    expect(warning.items).toHaveLength(3);
    expect(text(card)).toContain(t("form.saveAnyway"));
    expect(text(card)).not.toContain(`"title":"${t("form.save")}"`);
  });

  it.each(LANGS)("a meeting whose last day has passed: the form says no date fits, and the picker has no contradictory limits (%s)", (lang) => {
    const card = renderRecordCard(formOf("meeting.plan", { meeting: "national-spring" }, inputOf("2027-04-06")), lang);
    checkCard(card);
    expect(text(card)).toContain(translator(lang)("form.range.none", { to: lang === "en" ? "31 March 2027" : "31. mars 2027" }));
    const picker = (card.body as any[]).flatMap((b) => b.items ?? []).find((i: any) => i.type === "Input.Date");
    expect(picker.min).toBeUndefined();
    expect(picker.max).toBeUndefined();
  });
});
