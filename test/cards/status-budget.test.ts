/**
 * Issue 9's budgets for the status card, measured as a person sees it: rendered with the
 * `adaptivecards` library in headless Chromium (test/support/render.ts).
 *
 * - The default card (everything collapsed) is at most 1 200 px tall at 360 px width (a phone),
 *   on every date of the year walk (1 January 2027 – 31 January 2028).
 * - The whole card stays under 20 KB on every date, January included (when two cycles show,
 *   §2.1/§3.2/§3.3 of the closing one beside the new one).
 *
 * Vestland (46) in two scenarios: the work gets done as in test/nudges/year-walk.test.ts (mostly
 * in time, §1, §2.1, §3.1–§3.3, §4.1, §4.2), and nothing recorded at all year (every step comes
 * due unrecorded: the longest lists). Each date's status comes from the real use case
 * (`regionStatus`), its cards from `renderStatusCard`: the shared card of a chat or channel and
 * the region coordinator's own card (with the buttons of §4.2's steps).
 *
 * Many dates give the same card but for the "as of" date, so each card is rendered once with its
 * own date masked: of the dates that share it, the one with the longest date text is rendered
 * (a longer line can only wrap more). PNGs of four dates go to test-artifacts/cards/ to look at.
 */
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toSettings } from "../../src/app/settings.js";
import { regionStatus, type RegionStatus, type StatusDeps } from "../../src/app/status.js";
import { renderStatusCard, withRefresh, type Personalization } from "../../src/cards/status-card.js";
import { cardBytes, type AdaptiveCard } from "../../src/cards/templates.js";
import { addDays, formatDate, type IsoDate, type Lang } from "../../src/domain/calendar.js";
import { MODEL_2017 } from "../../src/domain/process.js";
import { regionById } from "../../src/domain/regions.js";
import type { Role } from "../../src/domain/roles.js";
import { personalization } from "../../src/bot/card-actions.js";
import { wheelLinkOf } from "../../src/cards/tab-link.js";
import { translator } from "../../src/i18n/index.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import { record } from "../support/events.js";
import { openRenderer, saveCardPng, type Renderer } from "../support/render.js";
import { VESTLAND_YEAR } from "../support/vestland-year.js";

const MAX_HEIGHT_PX = 1200;
const PHONE_WIDTH = 360;
const DESKTOP_WIDTH = 446;
const MAX_BYTES = 20 * 1024;
const FIRST: IsoDate = "2027-01-01";
const LAST: IsoDate = "2028-01-31";
/** February, April, November and January: a spring, an autumn and a January with two cycles. */
const LOOK_DATES: IsoDate[] = ["2027-02-15", "2027-04-20", "2027-11-10", "2028-01-20"];

const vestland = regionById("46")!;
const settingsDoc = { id: "settings", partition: "_system", type: "settings", schemaVersion: 1, trackingStart: "2026-12-01", regions: {} } as const;

/** Vestland doing its work (the year walk's year), and a region where nothing is recorded all year. */
const SCENARIOS = [
  { name: "work done", work: VESTLAND_YEAR },
  { name: "nothing recorded", work: {} as typeof VESTLAND_YEAR },
] as const;
type ScenarioName = (typeof SCENARIOS)[number]["name"];

/** Vestland's coordinator (§4.2): the region's steps are theirs («Dine oppgaver») and get buttons, as the bot renders them. */
const COORDINATOR: Role[] = [{ kind: "region-coordinator", regionId: "46" }];
/** A fixed nonce, so that equal cards are equal JSON (the bot makes a new one per rendering). */
const ACTION_ID = "00000000-0000-4000-8000-000000000009";
/** «Åpne årshjulet» as the bot renders it in Teams (issue 12): its row counts in the height, its deep link in the bytes. */
const WHEEL = wheelLinkOf({ microsoftAppId: "0b5e3c1a-7f2d-4c4e-9a1b-2d3e4f5a6b7c", publicBaseUrl: "https://samhandling.example.no", port: 3978 });
const coordinatorView = (notice?: Personalization["notice"]): Personalization => ({
  ...personalization(COORDINATOR, undefined, WHEEL),
  actionId: ACTION_ID,
  ...(notice ? { notice } : {}),
});
/** Teams honours up to 60 people in a shared card's refresh list: the most a shared card carries. */
const SIXTY_PEOPLE = Array.from({ length: 60 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`);

type Variant = "shared" | "coordinator";
interface Sample {
  date: IsoDate;
  scenario: ScenarioName;
  variant: Variant;
  lang: Lang;
  /** The card `status` answers with (the default view: everything collapsed). */
  card: AdaptiveCard;
  /** The card as Teams gets it at its largest: shared with 60 refresh ids; own with a notice, its undo and the asker's refresh. */
  sent: AdaptiveCard;
}

function cardsOf(status: RegionStatus, date: IsoDate, scenario: ScenarioName, lang: Lang): Sample[] {
  const t = translator(lang);
  const shared = renderStatusCard(status, MODEL_2017, lang, { showMyActions: true, wheel: WHEEL });
  const own = renderStatusCard(status, MODEL_2017, lang, coordinatorView());
  const saved = renderStatusCard(
    status,
    MODEL_2017,
    lang,
    coordinatorView({ text: t("notice.canUndo"), style: "good", undo: { aggregateId: "46:2027", year: 2027, eventId: ACTION_ID } }),
  );
  return [
    { date, scenario, variant: "shared", lang, card: shared, sent: withRefresh(shared, "46", SIXTY_PEOPLE, t) },
    { date, scenario, variant: "coordinator", lang, card: own, sent: withRefresh(saved, "46", [SIXTY_PEOPLE[0]!], t) },
  ];
}

/** Walks the year day by day for one scenario, recording its work on the day, as the year walk does. */
async function walk(scenario: (typeof SCENARIOS)[number]): Promise<Sample[]> {
  const deps: StatusDeps = { store: openSqliteStore(":memory:"), model: MODEL_2017, settings: toSettings({ ...settingsDoc }, "rev-1") };
  const samples: Sample[] = [];
  try {
    for (let date: IsoDate = FIRST; date <= LAST; date = addDays(date, 1)) {
      for (const [regionId, year, data] of scenario.work[date] ?? []) await record(deps.store, regionId, year, data);
      const now = DateTime.fromISO(`${date}T09:00:00`, { zone: "Europe/Oslo" });
      const status = (await regionStatus(deps, vestland, now)).evaluate();
      // Every date in bokmål; nynorsk and English (longer words) on the four dates to look at.
      for (const lang of LOOK_DATES.includes(date) ? (["nb", "nn", "en"] as const) : (["nb"] as const)) samples.push(...cardsOf(status, date, scenario.name, lang));
    }
  } finally {
    await deps.store.close();
  }
  return samples;
}

const label = (s: Pick<Sample, "date" | "scenario" | "variant" | "lang">) => `${s.date} · ${s.scenario} · ${s.variant} card · ${s.lang}`;

/** The card's JSON with its own date ("as of") masked: equal keys render alike. */
function maskedKey(s: Sample): string {
  const json = JSON.stringify(s.card);
  return `${s.lang}|${json.split(formatDate(s.date, s.lang)).join("«today»").split(s.date).join("«today»")}`;
}

/** The distinct cards among the samples: each with the dates that share it and the one to render. */
function distinct(samples: Sample[]): Array<{ shown: Sample; all: Sample[] }> {
  const groups = new Map<string, Sample[]>();
  for (const s of samples) {
    const key = maskedKey(s);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()].map((all) => ({
    all,
    shown: all.reduce((a, b) => (formatDate(b.date, b.lang).length > formatDate(a.date, a.lang).length ? b : a)),
  }));
}

/** "2027-01-04…2027-01-29 (12 dates)" — the dates a card is the same on. */
function dates(all: Sample[]): string {
  const ds = [...new Set(all.map((s) => s.date))].sort();
  return ds.length === 1 ? ds[0]! : `${ds[0]}…${ds[ds.length - 1]} (${ds.length} dates)`;
}

describe("issue 9 budgets: the status card measured in a browser (Vestland, 1 January 2027 – 31 January 2028)", () => {
  let renderer: Renderer;
  const samples: Sample[] = [];
  /** Height at 360 px of every sample's default (collapsed) card. */
  const heights = new Map<Sample, number>();
  const started = Date.now();

  beforeAll(async () => {
    renderer = await openRenderer();
    for (const scenario of SCENARIOS) samples.push(...(await walk(scenario)));
    const built = Date.now();
    const cards = distinct(samples);
    for (const { shown, all } of cards) {
      const height = await renderer.measure(shown.card, { width: PHONE_WIDTH });
      for (const s of all) heights.set(s, height);
    }
    console.log(
      `status-budget: ${samples.length} cards built in ${((built - started) / 1000).toFixed(1)} s; ` +
        `${cards.length} distinct rendered at ${PHONE_WIDTH} px in ${((Date.now() - built) / 1000).toFixed(1)} s`,
    );
  }, 300_000);

  afterAll(async () => {
    await renderer?.close();
    console.log(`status-budget: ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
  });

  /** Worst first, each distinct card once with its dates: what the lead needs to see. */
  function overBudget(pick: (s: Sample) => boolean, measure: (s: Sample) => number, limit: number, unit: string): string[] {
    const over = distinct(samples.filter(pick))
      .map(({ shown, all }) => ({ shown, all, value: measure(shown) }))
      .filter((c) => c.value > limit)
      .sort((a, b) => b.value - a.value);
    return shortList(over.map((c) => `${label(c.shown)}: ${c.value} ${unit} > ${limit} ${unit} — same card on ${dates(c.all)}`));
  }

  /** The worst lines in full, the rest counted: a failure the lead reads at a glance. */
  function shortList(lines: string[], keep = 12): string[] {
    return lines.length <= keep ? lines : [...lines.slice(0, keep), `… and ${lines.length - keep} more over budget`];
  }

  function worst(pick: (s: Sample) => boolean, measure: (s: Sample) => number, unit: string): string {
    const mine = samples.filter(pick);
    const top = mine.reduce((a, b) => (measure(b) > measure(a) ? b : a));
    return `${label(top)}: ${measure(top)} ${unit}`;
  }

  for (const scenario of SCENARIOS) {
    for (const variant of ["shared", "coordinator"] as const) {
      it(`the default status card (everything collapsed) is at most ${MAX_HEIGHT_PX} px tall at ${PHONE_WIDTH} px on every date — ${scenario.name}, ${variant} card, bokmål`, () => {
        const pick = (s: Sample) => s.scenario === scenario.name && s.variant === variant && s.lang === "nb";
        console.log(`status-budget: tallest ${worst(pick, (s) => heights.get(s)!, "px")}`);
        expect(overBudget(pick, (s) => heights.get(s)!, MAX_HEIGHT_PX, "px")).toEqual([]);
      });

      it(`the whole status card stays under 20 KB on every date, January included — ${scenario.name}, ${variant} card as sent`, () => {
        const pick = (s: Sample) => s.scenario === scenario.name && s.variant === variant && s.lang === "nb";
        console.log(
          `status-budget: largest ${worst(pick, (s) => cardBytes(s.sent), "bytes")} as sent; ` +
            `${worst(pick, (s) => cardBytes(s.card), "bytes")} without refresh list and notice`,
        );
        const over = samples
          .filter(pick)
          .filter((s) => cardBytes(s.sent) > MAX_BYTES)
          .sort((a, b) => cardBytes(b.sent) - cardBytes(a.sent))
          .map((s) => `${label(s)}: ${cardBytes(s.sent)} bytes > ${MAX_BYTES} bytes`);
        expect(shortList(over)).toEqual([]);
      });
    }
  }

  it(`nynorsk and English (longer words) fit the same budgets on ${LOOK_DATES.join(", ")}`, () => {
    const pick = (s: Sample) => s.lang !== "nb";
    expect([
      ...overBudget(pick, (s) => heights.get(s)!, MAX_HEIGHT_PX, "px"),
      ...shortList(samples.filter((s) => pick(s) && cardBytes(s.sent) > MAX_BYTES).map((s) => `${label(s)}: ${cardBytes(s.sent)} bytes > ${MAX_BYTES} bytes`)),
    ]).toEqual([]);
  });

  it(`keeps PNGs at ${PHONE_WIDTH} and ${DESKTOP_WIDTH} px, collapsed and opened, of ${LOOK_DATES.join(", ")} (test-artifacts/cards/); opening the card never makes it shorter`, async () => {
    const lines: string[] = [];
    for (const s of samples.filter((x) => LOOK_DATES.includes(x.date) && x.lang === "nb")) {
      const seen: Record<string, number> = {};
      for (const width of [PHONE_WIDTH, DESKTOP_WIDTH]) {
        for (const expand of [false, true]) {
          const { height, png } = await renderer.render(s.card, { width, expand });
          const name = `status-${s.date}-${s.scenario.replace(/ /g, "-")}-${s.variant}-${s.lang}-${width}${expand ? "-expanded" : ""}`;
          saveCardPng(name, png);
          seen[`${width}${expand ? " opened" : ""}`] = height;
          expect(png.length, name).toBeGreaterThan(0);
        }
        expect(seen[`${width} opened`], `${label(s)} at ${width} px: opened vs collapsed`).toBeGreaterThanOrEqual(seen[`${width}`]!);
      }
      lines.push(`${label(s)}: ${Object.entries(seen).map(([k, v]) => `${k}: ${v} px`).join(", ")}`);
    }
    // The other languages at phone width, collapsed, to look at their longer words.
    for (const s of samples.filter((x) => LOOK_DATES.includes(x.date) && x.lang !== "nb")) {
      const { png } = await renderer.render(s.card, { width: PHONE_WIDTH });
      saveCardPng(`status-${s.date}-${s.scenario.replace(/ /g, "-")}-${s.variant}-${s.lang}-${PHONE_WIDTH}`, png);
    }
    console.log(`status-budget: the four dates\n${lines.join("\n")}`);
  }, 180_000);
});
