/**
 * The årshjul tab in headless Chromium against the real app (local mode, real SQLite, a fixed
 * clock moved through Vestland's year): the wheel at four dates says what the status card says,
 * step by step (icon and word in the list, state in the SVG step's name); the overview puts the
 * overdue region first; the channel tab's configuration page opens on the channel's region; a
 * step recorded from the tab with the keyboard alone is then done on the card and in the trail;
 * and the page speaks bokmål, nynorsk and English. Screenshots: test-artifacts/tab/.
 * Issue 12 «Tests»; the seed's wheel (§1, §2.1, §3.1–§3.3, §4.1, §4.2) for what is due when.
 */
import { DateTime } from "luxon";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STATE_LOOK } from "../../src/cards/look.js";
import { stepTitle } from "../../src/cards/names.js";
import type { EventData } from "../../src/domain/events.js";
import type { Obligation } from "../../src/domain/obligations.js";
import { REGIONS } from "../../src/domain/regions.js";
import { translator, type MessageKey } from "../../src/i18n/index.js";
import { record } from "../support/events.js";
import { cardOf, cardText, startHarness, type Harness, type TeamsUser } from "../support/harness.js";
import { VESTLAND_YEAR } from "../support/vestland-year.js";
import { faults, focusVisible, launchBrowser, openPage, screenshot, tabUntil } from "./browser.js";

const ADMIN: TeamsUser = { id: "29:admin", aadObjectId: "00000000-0000-0000-0000-00000000ad01", name: "Anne Admin" };
const COORDINATOR: TeamsUser = { id: "29:coord", aadObjectId: "00000000-0000-0000-0000-0000000000c1", name: "Kari Koordinator" };
const CHANNEL = "19:aarshjul-test@thread.tacv2";

let now = DateTime.fromISO("2027-01-04T09:00:00+01:00", { setZone: true });
const at = (iso: string) => (now = DateTime.fromISO(iso, { setZone: true }));

let browser: Browser;
let h: Harness;

/** Vestland's year (test/support/vestland-year.ts) from `from` to `to`, but for the entries `skip` leaves out. */
async function seedVestland(from: string, to: string, skip: (data: EventData, regionId: string) => boolean = () => false) {
  for (const [day, entries] of Object.entries(VESTLAND_YEAR)) {
    if (day < from || day > to) continue;
    for (const [regionId, year, data] of entries) if (!skip(data as EventData, regionId)) await record(h.samhandling.store, regionId, year, data as EventData);
  }
}

/** A step as the page lists it and as the SVG names it. */
interface Shown {
  step: string;
  listState: string;
  icon: string;
  title: string;
  meta: string;
  svgState: string;
  svgLabel: string;
}

async function shownSteps(page: Page): Promise<Map<string, Shown>> {
  const list = await page.locator("[data-step-list] li[data-step]").evaluateAll((items) =>
    items.map((li) => ({
      step: li.getAttribute("data-step")!,
      listState: li.getAttribute("data-state")!,
      icon: li.querySelector('[aria-hidden="true"]')?.textContent?.trim() ?? "",
      title: li.querySelector("button")?.textContent?.trim() ?? "",
      meta: li.lastElementChild?.textContent ?? "",
    })),
  );
  const svg = new Map(
    (await page.locator("[data-wheel] g[data-step]").evaluateAll((gs) => gs.map((g) => [g.getAttribute("data-step")!, { state: g.getAttribute("data-state")!, label: g.getAttribute("aria-label") ?? "" }] as const))),
  );
  expect(svg.size).toBe(list.length);
  return new Map(list.map((l) => [l.step, { ...l, svgState: svg.get(l.step)?.state ?? "", svgLabel: svg.get(l.step)?.label ?? "" }]));
}

/** The step's title as the card names it (an event outside the parties' hands has its own words). */
function titleOf(o: Obligation, t: ReturnType<typeof translator>): string {
  return o.step.external ? t(`external.${o.stepId}` as MessageKey, { next: o.year + 1, year: o.year }) : stepTitle(o, o.year, "46", t);
}

/**
 * The page against the status card: every step of the cycles the card shows that falls in the
 * wheel's year is on the page, with the card's state as its icon and word in the list and in the
 * SVG step's accessible name (the card's use case, app.statusOf); and every line of the card's
 * year view naming one step («🔴 **Politisk behandling av avtale 2027** · Forfalt») has the same
 * icon and word on the page. Last year's January tail stays on the wheel after the card has moved
 * on (from May): those steps are checked against the same evaluation of their cycle (app.steps).
 */
async function expectPageAsCard(page: Page, year: number): Promise<Map<string, Shown>> {
  const t = translator("nb");
  const shown = await shownSteps(page);
  const status = (await h.samhandling.app.statusOf("46")).evaluate();
  const all = status.cycles.flatMap((c) => [...c.regional, ...c.national]).filter((o) => o.state !== "not-applicable");
  const onCard = all.filter((o) => o.year === year || o.deadline.startsWith(`${year}-`));
  expect(onCard.length).toBeGreaterThan(10);
  const cardYears = new Set(status.cycles.map((c) => c.year));
  const gone = cardYears.has(year - 1) ? [] : (await h.samhandling.app.steps("46", year - 1)).filter((o) => o.state !== "not-applicable" && o.deadline.startsWith(`${year}-`));
  const expected = [...onCard, ...gone];
  expect(new Set(shown.keys())).toEqual(new Set(expected.map((o) => `${o.year}/${o.key}`)));
  for (const o of expected) {
    const s = shown.get(`${o.year}/${o.key}`)!;
    const word = t(`state.${o.state}` as MessageKey);
    const title = titleOf(o, t);
    expect({ step: s.step, state: s.listState, icon: s.icon, svg: s.svgState }).toEqual({ step: s.step, state: o.state, icon: STATE_LOOK[o.state].icon, svg: o.state });
    expect(s.title.startsWith(title), `${s.step}: «${s.title}» is «${title}»`).toBe(true);
    expect(s.meta.startsWith(`${word} · frist `), `${s.step}: ${s.meta}`).toBe(true);
    expect(s.svgLabel.startsWith(title), s.svgLabel).toBe(true);
    expect(s.svgLabel, s.step).toContain(`: ${word}, frist `);
  }
  // The card as the bot sends it: its year view, a line per step.
  const card = cardText(cardOf((await h.say("status Vestland")).replies.at(-1)));
  let compared = 0;
  for (const line of card.split("\n")) {
    const m = /^(\S+) \*\*(.+?)\*\* · ([^·]+?)(?: · |$)/u.exec(line);
    // A title the card's cycles give one step only (the same title recurs from cycle to cycle).
    const named = m ? all.filter((o) => titleOf(o, t) === m[2]) : [];
    const s = named.length === 1 ? shown.get(`${named[0]!.year}/${named[0]!.key}`) : undefined;
    if (!m || !s) continue;
    compared++;
    expect(`${s.icon} ${s.meta.split(" · ")[0]}`, line).toBe(`${m[1]} ${m[3]!.trim()}`);
  }
  expect(compared).toBeGreaterThanOrEqual(2);
  return shown;
}

const counts = (shown: Map<string, Shown>) => {
  const by: Record<string, number> = {};
  for (const s of shown.values()) by[s.listState] = (by[s.listState] ?? 0) + 1;
  return by;
};

beforeAll(async () => {
  browser = await launchBrowser();
  // The clock starts on the first working day of 2027: Samhandling follows the regions from then, so January's deadlines count.
  h = await startHarness({ ADMIN_AAD_IDS: ADMIN.aadObjectId! }, { clock: () => now });
  await h.samhandling.app.people.grant({ id: ADMIN.aadObjectId!, name: ADMIN.name }, { id: COORDINATOR.aadObjectId!, name: COORDINATOR.name }, { kind: "region-coordinator", regionId: "46" });
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

describe("Vestland's year in the tab, as the status card tells it", () => {
  it("February 2027: agreement 2027 signed in January, its commission agreement overdue (§3.3), the spring ahead", async () => {
    at("2027-02-15T10:00:00+01:00");
    // Vestland sends Innovasjon Norge's commission agreement late: it is left out, so it is overdue.
    await seedVestland("2027-01-01", "2027-02-15", (data) => data.type === "commission-agreement-sent");
    // Every other county but Nordland did January as Vestland's script (§2.1, §3.2, §3.3), commission agreement and all.
    const january = [...VESTLAND_YEAR["2027-01-19"]!, ...VESTLAND_YEAR["2027-01-27"]!].filter(([regionId]) => regionId === "46").map(([, , data]) => data);
    for (const region of REGIONS.filter((r) => r.id !== "18" && r.id !== "46")) await record(h.samhandling.store, region.id, 2026, ...january);
    const { page, errors } = await openPage(browser, `${h.url}/tab?region=46&user=${COORDINATOR.aadObjectId}`);
    expect(await page.locator("main h2").first().textContent()).toBe("Årshjul for Vestland 2027");
    const shown = await expectPageAsCard(page, 2027);
    expect(counts(shown)).toMatchObject({ done: expect.any(Number), overdue: expect.any(Number) });
    expect(shown.get("2026/commission-agreement-sent:IN")).toMatchObject({ listState: "overdue", icon: "🔴" });
    // January's overlap: cycle 2026's signing sits on the 2027 wheel, done, and says which cycle it is.
    expect(shown.get("2026/agreement-signed:region")).toMatchObject({ listState: "done", icon: "✅" });
    expect(shown.get("2026/agreement-signed:region")!.svgLabel).toContain("(syklus 2026)");
    await screenshot(page, "wheel-february");
    expect(faults(errors)).toEqual([]);
    await page.close();
  });

  it("the overview in February: Nordland, which did nothing in January, first, its cells saying so with icon and word", async () => {
    const { page, errors } = await openPage(browser, `${h.url}/tab?region=46`);
    await page.getByRole("tab", { name: "Oversikt" }).click();
    const rows = page.locator("[data-overview] tbody tr");
    await rows.first().waitFor();
    expect(await rows.count()).toBe(15);
    expect(await rows.first().getAttribute("data-region")).toBe("18");
    const overdue = await rows.first().locator('td[data-state="overdue"]').allTextContents();
    expect(overdue.length).toBeGreaterThanOrEqual(2);
    // Each overdue cell: the icon, the word, and the full sentence for screen readers (not colour alone).
    for (const text of overdue) expect(text).toMatch(/^🔴 Forfalt.*: Forfalt · Frist \d+\. \w+ \d{4}$/u);
    expect(await rows.first().locator("td").nth(1).textContent()).toBe(String(overdue.length));
    // Vestland, one step late, comes next; the regions with nothing overdue after it, their January cells done.
    expect(await rows.nth(1).getAttribute("data-region")).toBe("46");
    expect(await rows.nth(1).locator("td").nth(1).textContent()).toBe("1");
    expect(await rows.nth(2).locator("td").nth(1).textContent()).toBe("0");
    expect(await rows.nth(2).locator("td").nth(2).getAttribute("data-state")).toBe("done");
    expect(await rows.nth(2).locator("td").nth(2).textContent()).toMatch(/^✅ Ferdig/u);
    await screenshot(page, "overview-overdue");
    expect(faults(errors)).toEqual([]);
    await page.close();
  });

  it("the channel tab's configuration page opens on the channel's bound region; another choice changes the tab's address", async () => {
    // An admin binds the channel with the bot's command (§ the bot's «bind»), as in Teams.
    const bound = await h.say("bind Nordland", { from: ADMIN, conversationType: "channel", mention: true, conversationId: `${CHANNEL};messageid=1` });
    expect(cardText(cardOf(bound.replies.at(-1)))).toContain("Nordland");
    // As Vestland's coordinator: the channel's region wins over the person's own.
    const { page, errors } = await openPage(browser, `${h.url}/tab/config?user=${COORDINATOR.aadObjectId}&channel=${encodeURIComponent(CHANNEL)}`, { waitFor: "[data-config-region]", width: 800 });
    expect(await page.locator("h1").textContent()).toBe("Velg region for fanen");
    const select = page.getByLabel("Region", { exact: true });
    expect(await select.inputValue()).toBe("18");
    expect(await page.locator("[data-config-url]").textContent()).toBe(`${h.url}/tab?region=18`);
    expect(await page.locator("main").textContent()).toContain("Foreslått ut fra kanalen eller rollen din: Nordland.");
    await screenshot(page, "config");
    await select.selectOption({ label: "Vestland" });
    await expect.poll(() => page.locator("[data-config-url]").textContent()).toBe(`${h.url}/tab?region=46`);
    expect(await page.locator("main").textContent()).toContain("Fanen for Vestland har denne adressen:");
    // Without a channel the coordinator's own region is proposed.
    await page.goto(`${h.url}/tab/config?user=${COORDINATOR.aadObjectId}`);
    await page.locator("[data-config-region]").waitFor();
    expect(await page.getByLabel("Region", { exact: true }).inputValue()).toBe("46");
    expect(faults(errors)).toEqual([]);
    await page.close();
  });

  it("April 2027: the spring meeting set for 22 April, its invitations overdue; the reports open", async () => {
    at("2027-04-10T10:00:00+02:00");
    // The invitations (31 March in the year's script) have not been recorded: overdue on the 4 weeks' rule (§4.2).
    await seedVestland("2027-02-16", "2027-04-10", (data) => data.type === "invitations-sent" && data.meeting === "regional-spring");
    const { page, errors } = await openPage(browser, `${h.url}/tab?region=46&user=${COORDINATOR.aadObjectId}`);
    const shown = await expectPageAsCard(page, 2027);
    expect(shown.get("2027/regional-spring-meeting-convened")).toMatchObject({ listState: "overdue", icon: "🔴" });
    expect(shown.get("2027/national-spring-meeting-held")).toMatchObject({ listState: "done", icon: "✅" });
    await screenshot(page, "wheel-april");
    expect(faults(errors)).toEqual([]);
    await page.close();
  });

  it("a step recorded from the tab with the keyboard alone is done on the status card and in the trail, with the person's name", async () => {
    const { page, errors } = await openPage(browser, `${h.url}/tab?region=46&user=${COORDINATOR.aadObjectId}`);
    const key = "2027/regional-spring-meeting-convened";
    // Tab to the step on the wheel, Enter shows its detail.
    await tabUntil(page, (f) => f?.step === key, 80);
    await page.keyboard.press("Enter");
    await page.locator(`[data-step-detail="${key}"]`).waitFor();
    // Tab on to the detail's button, Enter opens the form.
    await tabUntil(page, (f) => f?.detail === key && f.tag === "button" && f.name === "Innkalling sendt", 80);
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    // The form opens on its date, today; typed over as the person would (4 April: the same whether the field reads day or month first).
    expect(await focusVisible(page)).toMatchObject({ tag: "input", dialog: true });
    await page.keyboard.type("04042027");
    expect(await dialog.locator('input[type="date"]').inputValue()).toBe("2027-04-04");
    await tabUntil(page, (f) => f?.tag === "button" && f.name === "Lagre", 10);
    await page.keyboard.press("Enter");
    await page.locator("[data-notice]").waitFor();
    expect(await page.locator("[data-notice]").textContent()).toBe("✅ Registrert: Innkalling til regionalt vårmøte sendt 4. april 2027.");
    expect(await dialog.count()).toBe(0);
    expect(await page.locator(`[data-step-list] li[data-step="${key}"]`).getAttribute("data-state")).toBe("done");
    expect(await page.locator(`[data-step-detail="${key}"]`).textContent()).toContain("Kari Koordinator");
    await screenshot(page, "recorded-from-tab");
    // The card through the bot: the step is done; the trail names who recorded it.
    const card = cardText(cardOf((await h.say("status Vestland")).replies.at(-1)));
    expect(card).toContain("✅ **Innkalling til regionalt vårmøte** · Ferdig");
    const trail = cardText(cardOf((await h.say("historikk Vestland")).replies.at(-1)));
    expect(trail).toContain("Kari Koordinator");
    expect(trail).toContain("Innkalling til regionalt vårmøte sendt 4. april 2027");
    expect(faults(errors)).toEqual([]);
    await page.close();
  });

  it("November 2027: the autumn round's reports in, the autumn meeting ahead", async () => {
    at("2027-11-10T10:00:00+01:00");
    await seedVestland("2027-04-11", "2027-11-10");
    const { page, errors } = await openPage(browser, `${h.url}/tab?region=46&user=${COORDINATOR.aadObjectId}`);
    const shown = await expectPageAsCard(page, 2027);
    expect(shown.get("2027/follow-up-report-autumn:IN")).toMatchObject({ listState: "done", icon: "✅" });
    expect(shown.get("2027/regional-spring-meeting-convened")).toMatchObject({ listState: "done" });
    expect(Object.keys(counts(shown)).length).toBeGreaterThanOrEqual(3);
    await screenshot(page, "wheel-november");
    expect(faults(errors)).toEqual([]);
    await page.close();
  });

  it("January 2028: the 2028 wheel with cycle 2027's signing still to come beside the new cycle's start", async () => {
    at("2028-01-15T10:00:00+01:00");
    await seedVestland("2027-11-11", "2028-01-15");
    const { page, errors } = await openPage(browser, `${h.url}/tab?region=46&user=${COORDINATOR.aadObjectId}`);
    expect(await page.locator("main h2").first().textContent()).toBe("Årshjul for Vestland 2028");
    const shown = await expectPageAsCard(page, 2028);
    const tail = [...shown.values()].filter((s) => s.step.startsWith("2027/"));
    expect(tail.length).toBeGreaterThan(0);
    expect(tail.every((s) => s.svgLabel.includes("(syklus 2027)"))).toBe(true);
    expect(shown.get("2027/political-treatment")).toMatchObject({ listState: "done" });
    await screenshot(page, "wheel-january");
    expect(faults(errors)).toEqual([]);
    await page.close();
  });
});

describe("the three languages", () => {
  const cases = [
    { lang: "nb", title: "Årshjulet for samhandlingsmodellen", tab: "Årshjul", reports: "Rapporter", heading: "Årshjul for Vestland 2028", may: "mai", overdue: "Forfalt" },
    { lang: "nn", title: "Årshjulet for samhandlingsmodellen", tab: "Årshjul", reports: "Rapportar", heading: "Årshjul for Vestland 2028", may: "mai", overdue: "Over fristen" },
    { lang: "en", title: "The annual wheel of the collaboration model", tab: "Annual wheel", reports: "Reports", heading: "Annual wheel for Vestland 2028", may: "May", overdue: "Overdue" },
  ] as const;
  for (const c of cases)
    it(`speaks ${c.lang}: headings, month names and the states' words from its catalogue`, async () => {
      const t = translator(c.lang);
      const { page, errors } = await openPage(browser, `${h.url}/tab?region=46&lang=${c.lang}`);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(c.lang);
      expect(await page.locator("header h1").textContent()).toBe(c.title);
      expect(await page.getByRole("tab", { selected: true, name: c.tab, exact: true }).count()).toBe(1);
      expect(await page.getByRole("tab", { name: c.reports, exact: true }).count()).toBe(1);
      expect(await page.locator("main h2").first().textContent()).toBe(c.heading);
      expect(await page.locator("main h3").filter({ hasText: t("tab.list.heading" as MessageKey) }).count()).toBe(1);
      const months = await page.locator("[data-wheel] [data-month]").allTextContents();
      expect(months[4]?.replace(/\.$/, "")).toBe(c.may);
      // The states on the page in this language: the done and not-yet-open steps, in the list and the SVG's names.
      const shown = await shownSteps(page);
      for (const state of ["done", "not-yet-open"] as const) {
        const word = t(`state.${state}` as MessageKey);
        const some = [...shown.values()].filter((s) => s.listState === state);
        expect(some.length, state).toBeGreaterThan(0);
        for (const s of some) {
          expect(s.meta.startsWith(`${word} · `), s.meta).toBe(true);
          expect(s.svgLabel).toContain(`: ${word}, `);
        }
      }
      // The legend names every state in this language.
      expect(t("state.overdue")).toBe(c.overdue);
      expect(await page.locator("figcaption ul li").allTextContents()).toContain(`${STATE_LOOK.overdue.icon} ${c.overdue}`);
      await screenshot(page, `wheel-${c.lang}`);
      expect(faults(errors)).toEqual([]);
      await page.close();
    });
});
