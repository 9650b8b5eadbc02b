/**
 * The årshjul tab's accessibility in headless Chromium against the real app (local mode, real
 * SQLite, clock at 16 April 2027): WCAG 2.1 AA, which Norwegian public-sector web solutions must
 * meet (issue 12 «Language and accessibility»). axe-core reports nothing on any view (the wheel
 * with a step selected, the overview, the reports, the configuration page, the open recording
 * form) in Teams' default, dark and high-contrast themes; the three themes differ and stay
 * readable; a keyboard-only walk through the wheel, the overview and a recording form works with
 * the focus always visible; the SVG has names and roles; and no state is told by colour alone.
 * Screenshots: test-artifacts/tab/.
 */
import { DateTime } from "luxon";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STATE_LOOK } from "../../src/cards/look.js";
import { translator, type MessageKey } from "../../src/i18n/index.js";
import { TAB_STEP_STATES } from "../../src/tab/api-schema.js";
import { NATIONAL_MEETINGS_2027, record } from "../support/events.js";
import { cardOf, cardText, startHarness, type Harness, type TeamsUser } from "../support/harness.js";
import { seedSpringRound } from "../exports/seed-round.js";
import { axeViolations, faults, focusVisible, launchBrowser, openPage, screenshot, tabUntil } from "./browser.js";

const ADMIN: TeamsUser = { id: "29:admin", aadObjectId: "00000000-0000-0000-0000-00000000ad01", name: "Anne Admin" };
/** Vestland's coordinator, who may record the region's steps (the forms the page offers). */
const COORDINATOR: TeamsUser = { id: "29:coord", aadObjectId: "00000000-0000-0000-0000-0000000000c1", name: "Kari Koordinator" };
const THEMES = ["default", "dark", "contrast"] as const;
/** Vestland's spring meeting is set for 20 April and its invitations are not recorded: overdue, with the form to record them. */
const CONVENED = "2027/regional-spring-meeting-convened";

let now = DateTime.fromISO("2027-01-04T09:00:00+01:00", { setZone: true });
let browser: Browser;
let h: Harness;
const t = translator("nb");

beforeAll(async () => {
  browser = await launchBrowser();
  h = await startHarness({ ADMIN_AAD_IDS: ADMIN.aadObjectId! }, { clock: () => now });
  await h.samhandling.app.people.grant({ id: ADMIN.aadObjectId!, name: ADMIN.name }, { id: COORDINATOR.aadObjectId!, name: COORDINATOR.name }, { kind: "region-coordinator", regionId: "46" });
  // Vestland's spring round (IN on time, SIVA late, NFR a draft only) and the national spring meeting held: a page with every kind of content.
  await seedSpringRound(h.samhandling.store);
  await record(h.samhandling.store, "national", 2027, ...NATIONAL_MEETINGS_2027.slice(0, 3));
  now = DateTime.fromISO("2027-04-16T10:00:00+02:00", { setZone: true });
});
afterAll(async () => {
  await browser?.close();
  await h?.close();
});

const wheelUrl = (theme: string) => `${h.url}/tab?region=46&user=${COORDINATOR.aadObjectId}&theme=${theme}`;

/** Selects a step with the keyboard (arcs overlap, so a pointer may hit a neighbour) and waits for its detail. */
async function selectStep(page: Page, key: string) {
  await page.locator(`[data-wheel] [data-step="${key}"]`).focus();
  await page.keyboard.press("Enter");
  await page.locator(`[data-step-detail="${key}"]`).waitFor();
}

async function openTab(page: Page, name: string, ready: string) {
  await page.getByRole("tab", { name }).click();
  await page.locator(ready).first().waitFor();
}

/** WCAG's relative luminance and contrast ratio of two CSS `rgb()` colours. */
function contrast(a: string, b: string): number {
  const lum = (css: string) => {
    const [r, g, bl] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe("axe-core: WCAG 2.1 A and AA, 0 violations", () => {
  for (const theme of THEMES)
    it(`on every view in the ${theme} theme`, async () => {
      const found: Record<string, string[]> = {};
      const check = async (view: string) => {
        const violations = await axeViolations(page);
        if (violations.length > 0) found[view] = violations;
      };
      const { page, errors } = await openPage(browser, wheelUrl(theme));
      await selectStep(page, CONVENED);
      await check("wheel with a step selected");
      await page.locator(`[data-step-detail="${CONVENED}"]`).getByRole("button", { name: "Innkalling sendt" }).click();
      await page.getByRole("dialog").waitFor();
      await check("the recording form");
      await screenshot(page, `record-dialog-${theme}`);
      await page.keyboard.press("Escape");
      await expect.poll(() => page.getByRole("dialog").count()).toBe(0);
      await openTab(page, "Oversikt", "[data-overview] tbody tr");
      await check("overview");
      await openTab(page, "Rapporter", "[data-summary]");
      await check("reports");
      await page.goto(`${h.url}/tab/config?user=${COORDINATOR.aadObjectId}&theme=${theme}`);
      await page.locator("[data-config-region]").waitFor();
      await check("configuration page");
      // On failure: each view, and in it each rule, where and what to fix.
      expect(found).toEqual({});
      expect(faults(errors)).toEqual([]);
      await page.close();
    });
});

describe("the three Teams themes", () => {
  it("render the same page on different backgrounds, every text readable (contrast ≥ 4.5:1)", async () => {
    const backgrounds: string[] = [];
    for (const theme of THEMES) {
      const { page } = await openPage(browser, wheelUrl(theme));
      await selectStep(page, CONVENED);
      const look = await page.evaluate(() => {
        const provider = document.querySelector(".fui-FluentProvider")!;
        const colour = (sel: string) => getComputedStyle(document.querySelector(sel)!).color;
        return {
          theme: provider.getAttribute("data-theme"),
          background: getComputedStyle(provider).backgroundColor,
          texts: { title: colour("header h1"), heading: colour("main h2"), meta: colour("[data-step-list] li > :last-child"), detail: colour("[data-step-detail] dd") },
        };
      });
      expect(look.theme).toBe(theme);
      for (const [what, colour] of Object.entries(look.texts)) expect(contrast(colour, look.background), `${theme} ${what}: ${colour} on ${look.background}`).toBeGreaterThanOrEqual(4.5);
      backgrounds.push(look.background);
      await screenshot(page, `theme-${theme}`);
      await page.close();
    }
    expect(new Set(backgrounds).size).toBe(3);
    // The light theme is light, the other two dark (Teams' high contrast is black).
    expect(contrast(backgrounds[0]!, "rgb(255, 255, 255)")).toBeLessThan(1.2);
    expect(contrast(backgrounds[1]!, "rgb(0, 0, 0)")).toBeLessThan(1.5);
    expect(backgrounds[2]).toBe("rgb(0, 0, 0)");
  });
});

describe("the keyboard alone, with the focus always visible", () => {
  it("walks the wheel: Tab into it, arrow keys from step to step in the list's order, Enter shows the detail", async () => {
    const { page, errors } = await openPage(browser, wheelUrl("default"));
    const order = await page.locator("[data-step-list] li[data-step]").evaluateAll((lis) => lis.map((li) => li.getAttribute("data-step")!));
    await tabUntil(page, (f) => f?.step != null);
    const first = (await focusVisible(page))!;
    expect(first).toMatchObject({ tag: "g", role: "button" });
    let at = order.indexOf(first.step!);
    for (const [key, move] of [["ArrowRight", 1], ["ArrowDown", 1], ["ArrowLeft", -1], ["ArrowUp", -1], ["ArrowRight", 1]] as const) {
      await page.keyboard.press(key);
      at = (at + move + order.length) % order.length;
      expect((await focusVisible(page))?.step, key).toBe(order[at]);
    }
    await page.keyboard.press("End");
    expect((await focusVisible(page))?.step).toBe(order.at(-1));
    await page.keyboard.press("Home");
    expect((await focusVisible(page))?.step).toBe(order[0]);
    // The focus ring is drawn: the step's halo takes the focus colour.
    const halo = await page.locator(`[data-wheel] [data-step="${order[0]}"] .halo`).evaluate((el) => getComputedStyle(el).stroke);
    expect(halo).not.toBe("rgba(0, 0, 0, 0)");
    expect(halo).not.toBe("none");
    // Enter selects: the detail shows, and the focus stays on the step (a keyboard user goes on from there).
    while ((await focusVisible(page))?.step !== CONVENED) await page.keyboard.press("ArrowRight");
    await page.keyboard.press("Enter");
    await page.locator(`[data-step-detail="${CONVENED}"]`).waitFor();
    expect(await page.locator(`[data-wheel] [data-step="${CONVENED}"]`).getAttribute("aria-pressed")).toBe("true");
    expect((await focusVisible(page))?.step).toBe(CONVENED);
    expect(await page.locator(`[data-step-detail="${CONVENED}"] h3`).textContent()).toContain("Innkalling til regionalt vårmøte");
    await screenshot(page, "keyboard-wheel");
    expect(faults(errors)).toEqual([]);
    await page.close();
  });

  it("walks the overview: to its tab with the arrow keys, Tab to a region, Enter opens its wheel", async () => {
    const { page, errors } = await openPage(browser, wheelUrl("default"));
    await tabUntil(page, (f) => f?.role === "tab");
    expect((await focusVisible(page))?.name).toBe("Årshjul");
    await page.keyboard.press("ArrowRight");
    expect((await focusVisible(page))?.name).toBe("Oversikt");
    await page.keyboard.press("Enter");
    await page.locator("[data-overview] tbody tr").first().waitFor();
    const first = await page.locator("[data-overview] tbody tr").first().getAttribute("data-region");
    await tabUntil(page, (f) => f?.region != null);
    expect(await focusVisible(page)).toMatchObject({ tag: "button", region: first });
    // On to the next region's link.
    await tabUntil(page, (f) => f?.region != null && f.region !== first);
    const next = (await focusVisible(page))!;
    expect(next.name).toMatch(/^Åpne årshjulet for /);
    await page.keyboard.press("Enter");
    const name = next.name.replace("Åpne årshjulet for ", "");
    await expect.poll(() => page.locator("main h2").first().textContent()).toBe(`Årshjul for ${name} 2027`);
    // The link went with the overview: the focus is on the wheel's panel, not lost to the top of the page.
    await expect.poll(async () => (await focusVisible(page))?.role).toBe("tabpanel");
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).not.toBe("none");
    expect(await page.getByRole("tab", { name: "Årshjul" }).getAttribute("aria-selected")).toBe("true");
    expect(faults(errors)).toEqual([]);
    await page.close();
  });

  it("walks a recording form: open it, Escape closes it, open again, fill it and submit", async () => {
    const { page, errors } = await openPage(browser, wheelUrl("default"));
    await tabUntil(page, (f) => f?.step === CONVENED, 80);
    await page.keyboard.press("Enter");
    await page.locator(`[data-step-detail="${CONVENED}"]`).waitFor();
    const toButton = (f: Awaited<ReturnType<typeof focusVisible>>) => f?.detail === CONVENED && f.tag === "button" && f.name === "Innkalling sendt";
    await tabUntil(page, toButton, 80);
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    // The form has the focus, on its first field, with the ring drawn. Tab stays inside the dialog and goes
    // round it: the date's day, month and year, the browser's calendar button (in the field's own shadow
    // tree, so the field itself is not :focus-visible then), «Avbryt», «Lagre», and back to the date.
    expect(await focusVisible(page)).toMatchObject({ tag: "input", dialog: true });
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press("Tab");
      const focused = await focusVisible(page);
      const inDate = await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.type === "date");
      expect(focused?.dialog ?? inDate, `Tab ${i + 1}`).toBe(true);
      seen.push(focused?.tag === "button" ? focused.name : "date");
    }
    expect(seen).toEqual(["date", "date", "date", "Avbryt", "Lagre", "date"]);
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.count()).toBe(0);
    // Escape gives the focus back where the form was opened from.
    expect(toButton(await focusVisible(page))).toBe(true);
    await page.keyboard.press("Enter");
    await dialog.waitFor();
    await page.keyboard.type("04042027");
    expect(await dialog.locator('input[type="date"]').inputValue()).toBe("2027-04-04");
    await tabUntil(page, (f) => f?.dialog === true && f.name === "Lagre", 10);
    await page.keyboard.press("Enter");
    await page.locator("[data-notice]").waitFor();
    expect(await dialog.count()).toBe(0);
    // The form's button went with the step's recording: the focus is on the step's heading, where the keyboard goes on from.
    await expect.poll(async () => (await focusVisible(page))?.tag).toBe("h3");
    expect(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)).not.toBe("none");
    expect((await focusVisible(page))?.name).toContain("Innkalling til regionalt vårmøte");
    expect(await page.locator(`[data-step-list] li[data-step="${CONVENED}"]`).getAttribute("data-state")).toBe("done");
    // Seen on the card: recorded by the person who used the tab.
    expect(cardText(cardOf((await h.say("historikk Vestland")).replies.at(-1)))).toContain("Kari Koordinator");
    expect(faults(errors)).toEqual([]);
    await page.close();
  });
});

describe("names, roles, and never colour alone", () => {
  const words = Object.fromEntries(TAB_STEP_STATES.map((s) => [s, t(`state.${s}` as MessageKey)]));

  it("the SVG is a named group of named buttons; each step carries its state's icon and word", async () => {
    const { page, errors } = await openPage(browser, wheelUrl("default"));
    const wheel = page.locator("[data-wheel]");
    expect(await wheel.getAttribute("role")).toBe("group");
    expect(await wheel.getAttribute("aria-label")).toMatch(/^Årshjul for Vestland 2027\. /);
    const steps = await wheel.locator("g[data-step]").evaluateAll((gs) =>
      gs.map((g) => ({ role: g.getAttribute("role"), tabindex: g.getAttribute("tabindex"), pressed: g.getAttribute("aria-pressed"), state: g.getAttribute("data-state")!, label: g.getAttribute("aria-label") ?? "", icon: g.querySelector("text")?.textContent ?? "" })),
    );
    expect(steps.length).toBeGreaterThan(20);
    expect(new Set(steps.map((s) => s.state)).size).toBeGreaterThanOrEqual(4);
    for (const s of steps) {
      expect(s).toMatchObject({ role: "button", tabindex: "0", pressed: "false", icon: STATE_LOOK[s.state as keyof typeof STATE_LOOK].icon });
      expect(s.label, s.label).toContain(`: ${words[s.state]}, frist `);
    }
    // What assistive technology gets: the group by its name, a button per step; the months and the centre are decoration.
    const tree = await wheel.ariaSnapshot();
    expect(tree.split("\n")[0]).toMatch(/^- group "Årshjul for Vestland 2027/);
    expect(tree.match(/^\s+- '?button "/gm)?.length).toBe(steps.length);
    expect(tree).not.toContain("- text");
    expect(await wheel.locator("[data-month]").evaluateAll((ms) => ms.every((m) => m.closest('[aria-hidden="true"]') !== null))).toBe(true);
    // The legend says each state's icon and word beside its colour.
    const legend = await page.locator("figcaption ul li").allTextContents();
    for (const state of TAB_STEP_STATES.filter((s) => s !== "not-applicable")) expect(legend).toContain(`${STATE_LOOK[state].icon} ${words[state]}`);
    expect(faults(errors)).toEqual([]);
    await page.close();
  });

  it("every overview cell shows its state's icon and word, and says the step and state to screen readers", async () => {
    const { page, errors } = await openPage(browser, wheelUrl("default"));
    await openTab(page, "Oversikt", "[data-overview] tbody tr");
    const cells = await page.locator("[data-overview] tbody td[data-state]").evaluateAll((tds) =>
      tds.map((td) => ({ state: td.getAttribute("data-state")!, shown: td.querySelector('[aria-hidden="true"]')?.textContent ?? "", read: (td as HTMLElement).innerText })),
    );
    expect(cells.length).toBeGreaterThan(15 * 5);
    expect(new Set(cells.map((c) => c.state))).toContain("overdue");
    const columns = await page.locator("[data-overview] thead th").allTextContents();
    for (const c of cells) {
      const word = words[c.state]!;
      expect(c.shown.trim(), c.read).toBe(`${STATE_LOOK[c.state as keyof typeof STATE_LOOK].icon} ${word}`);
      // The sentence read aloud: the step, then its state («Politisk behandling av avtale 2027: Forfalt · Frist …»).
      expect(c.read, c.read).toContain(`: ${word}`);
    }
    expect(columns.length).toBeGreaterThan(5);
    await screenshot(page, "overview-states");
    expect(faults(errors)).toEqual([]);
    await page.close();
  });
});
