// @vitest-environment jsdom
/**
 * Issue 11: the welcome in a 1:1 chat says what is the person's now (src/cards/welcome-due.ts),
 * and the nudges kept for someone who arrives late say each step once (nudges/run.ts, latestStages).
 */
import { describe, expect, it } from "vitest";
import { renderWelcomeCard } from "../../src/cards/welcome-card.js";
import { dueNow } from "../../src/cards/welcome-due.js";
import type { Lang } from "../../src/domain/calendar.js";
import type { Obligation, StepState } from "../../src/domain/obligations.js";
import { MODEL_2017 } from "../../src/domain/process.js";
import { latestStages } from "../../src/nudges/run.js";
import type { PendingItem } from "../../src/store/records.js";
import { checkCard } from "../support/card-check.js";
import { cardText } from "../support/harness.js";
import { openRenderer, saveCardPng } from "../support/render.js";

const TODAY = "2027-05-20";

/** The card's buttons (Action.Submit with `{ command }`). */
const buttons = (card: object) => (card as { actions: Array<{ title: string; data: { command: string } }> }).actions;

/** Just what the welcome reads of an obligation. */
function step(stepId: string, state: StepState, deadline: string, responsible: Obligation["responsible"]): Obligation {
  return { stepId, key: stepId, year: 2027, state, deadline, opensOn: "2027-01-01", responsible, missing: [], step: {} } as unknown as Obligation;
}

const VESTLAND = {
  regionId: "46",
  obligations: [
    step("regional-spring-meeting-convened", "open", "2027-06-09", { role: "region-coordinator", regionId: "46" }),
    step("regional-spring-meeting-held", "not-yet-open", "2027-06-30", { role: "region-coordinator", regionId: "46" }),
    step("political-treatment", "overdue", "2027-03-01", { role: "region-coordinator", regionId: "46" }),
    step("agreement-signed", "done", "2027-01-29", { role: "region-coordinator", regionId: "46" }),
    step("commission-agreement-sent", "due-soon", "2027-05-24", { role: "region-coordinator", regionId: "46" }),
    step("regional-autumn-meeting-convened", "open", "2027-10-28", { role: "region-coordinator", regionId: "46" }),
  ],
};
const NATIONAL_TRACK = { regionId: "national", obligations: [step("national-autumn-meeting-convened", "open", "2027-09-08", { role: "national-coordinator" })] };
const TRACKS = [NATIONAL_TRACK, VESTLAND];
const COORDINATOR = [{ kind: "region-coordinator" as const, regionId: "46" }];

describe("what the welcome says is due for the person", () => {
  it("their own actionable steps, late first, then due within days, then by deadline; not others' steps, not what is done or not open", () => {
    const due = dueNow(TRACKS, COORDINATOR, TODAY, MODEL_2017)!;
    expect(due.total).toBe(4);
    expect(due.items.map((i) => i.obligation.stepId)).toEqual(["political-treatment", "commission-agreement-sent", "regional-spring-meeting-convened"]);
  });

  it("an admin alone, or a viewer, has no list: an admin may record anything, but nothing is theirs by that", () => {
    expect(dueNow(TRACKS, [{ kind: "admin" }], TODAY, MODEL_2017)).toBeUndefined();
    expect(dueNow(TRACKS, [], TODAY, MODEL_2017)).toBeUndefined();
  });

  it.each<[Lang, string[]]>([
    ["nb", ["Dette venter på deg nå (4 saker):", "• Politisk behandling av avtale 2028 · Vestland: fristen var 1. mars 2027", "… og 1 til. Trykk «Status Vestland» for å se alt."]],
    ["nn", ["Dette ventar på deg no (4 saker):", "… og 1 til. Trykk «Status Vestland» for å sjå alt."]],
    ["en", ["Waiting for you now (4 items):", "… and 1 more. Tap «Status Vestland» to see everything."]],
  ])("the card names three, counts the rest, and opens the region's status in one tap (%s)", (lang, texts) => {
    const card = renderWelcomeCard({ shared: false, adminNames: [], unnamedAdmins: 0, due: dueNow(TRACKS, COORDINATOR, TODAY, MODEL_2017)! }, lang);
    checkCard(card);
    for (const text of texts) expect(cardText(card)).toContain(text);
    expect(buttons(card)[0]).toEqual(expect.objectContaining({ title: "Status Vestland", data: { command: "status Vestland" } }));
  });

  it("RUK AU's steps are national: «Status nasjonalt»; nothing due says so", () => {
    const due = dueNow(TRACKS, [{ kind: "national-coordinator" }], TODAY, MODEL_2017)!;
    const card = renderWelcomeCard({ shared: false, adminNames: [], unnamedAdmins: 0, due }, "nb");
    expect(cardText(card)).toContain("Dette venter på deg nå:");
    expect(cardText(card)).toContain("• Innkalling til nasjonalt høstmøte: innen 8. september 2027");
    expect(buttons(card)[0]!.data.command).toBe("status nasjonalt");
    const nothing = renderWelcomeCard({ shared: false, adminNames: [], unnamedAdmins: 0, due: dueNow([], COORDINATOR, TODAY, MODEL_2017)! }, "nb");
    expect(cardText(nothing)).toContain("Akkurat nå venter ingenting på deg.");
    expect(buttons(nothing)[0]!.data.command).toBe("status");
  });
});

describe("nudges kept for someone who arrived later", () => {
  const item = (stepKey: string, stage: PendingItem["stage"]): PendingItem => ({ key: `46|2027|${stepKey}|${stage}`, regionId: "46", year: 2027, stepKey, stage, reason: "responsible" });

  it("say each step once, at the stage recorded last; the earlier stages are covered by it", () => {
    const kept = [item("agreement-signed", "blocked"), item("political-treatment", "first"), item("agreement-signed", "first"), item("political-treatment", "overdue"), item("commission-agreement-sent", "first")];
    const { latest, covered } = latestStages(kept);
    expect(latest.map((i) => i.key)).toEqual(["46|2027|agreement-signed|first", "46|2027|political-treatment|overdue", "46|2027|commission-agreement-sent|first"]);
    expect(covered).toEqual(["46|2027|agreement-signed|blocked", "46|2027|political-treatment|first"]);
  });
});

describe("the welcome with what is due, as a person sees it", () => {
  it("fits a phone: rendered at 360 and 446 px (test-artifacts/cards/welcome-due-*), well under a screen's height", async () => {
    const renderer = await openRenderer();
    try {
      for (const lang of ["nb", "nn", "en"] as const) {
        const card = renderWelcomeCard({ shared: false, adminNames: ["Anne Admin"], unnamedAdmins: 0, due: dueNow(TRACKS, COORDINATOR, TODAY, MODEL_2017)! }, lang);
        for (const width of [360, 446]) {
          const { height, png } = await renderer.render(card, { width });
          saveCardPng(`welcome-due-${lang}-${width}`, png);
          expect(height, `${lang} at ${width} px`).toBeLessThanOrEqual(900);
        }
      }
    } finally {
      await renderer.close();
    }
  }, 60_000);
});
