/**
 * The tab's page in headless Chromium, a first smoke test (the full browser + axe suite is its own
 * file). Against the real app (test/support/harness.ts, local mode, real SQLite): the wheel draws
 * (twelve months, every step a focusable button), a step chosen with the keyboard shows its
 * detail, the list beside holds the same steps, local mode says so, and the page fits a phone.
 * On contract-checked fixture answers (./fixture-server.ts), for what a fresh store cannot show:
 * a late recording confirmed with «Lagre likevel», and a report's person-written text.
 * Screenshots go to test-artifacts/tab/. The page is the built bundle (build/tab/, built by
 * test/support/global-setup.ts).
 */
import type { Server } from "node:http";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness.js";
import { ARTIFACTS, faults, launchBrowser, openPage } from "./browser.js";
import { startFixtureServer, type Seen } from "./fixture-server.js";

const KARI_OID = "00000000-0000-0000-0000-0000000000a1";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** Opens the tab and waits for the wheel (./browser.ts). */
const open = (url: string, width: number, deviceScaleFactor = 1) => openPage(browser, url, { width, deviceScaleFactor });

describe("the tab's page against the app", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h?.close();
  });

  it("draws the wheel with twelve months and every step a button, and says it is in local mode", async () => {
    const seenUser: string[] = [];
    const { page, errors } = await open(`${h.url}/tab?region=46&user=${KARI_OID}`, 1100, 2);
    page.on("request", (r) => r.url().includes("/api/tab/") && seenUser.push(r.headers()["x-samhandling-local-user"] ?? ""));
    const months = await page.locator("[data-wheel] [data-month]").allTextContents();
    expect(months).toHaveLength(12);
    expect(months[0]?.toLowerCase()).toMatch(/^jan/);
    const steps = page.locator('[data-wheel] [role="button"][tabindex="0"]');
    expect(await steps.count()).toBeGreaterThanOrEqual(10);
    expect(await steps.first().getAttribute("aria-label")).toMatch(/: .+, frist /);
    expect(await page.locator("[data-wheel]").getAttribute("aria-label")).toContain("Vestland");
    expect(await page.locator("[data-local-banner]").textContent()).toContain("Lokal modus");
    expect(await page.locator("[data-counts]").textContent()).not.toBe("");
    expect(await page.locator("header h1").count()).toBe(1);
    expect(await page.locator("main h2").first().textContent()).toContain("Vestland");
    // Later calls carry the local user too (the first ones went before this listener).
    await page.getByRole("button", { name: /Neste år/ }).click();
    await expect.poll(() => seenUser.length).toBeGreaterThan(0);
    expect(seenUser.every((u) => u === KARI_OID)).toBe(true);
    await page.getByRole("button", { name: /Forrige år/ }).click();
    await page.locator("[data-wheel]").waitFor();
    await page.screenshot({ path: path.join(ARTIFACTS, "wheel-1100.png"), fullPage: true, scale: "css" });
    // The wheel alone, at twice the pixels, to look at the arcs and icons up close.
    await page.locator("[data-wheel]").screenshot({ path: path.join(ARTIFACTS, "wheel-svg.png") });
    expect(faults(errors)).toEqual([]);
    await page.close();
  });

  it("selects a step with the keyboard, shows its detail, and lists the same steps beside the wheel", async () => {
    const { page } = await open(`${h.url}/tab?region=46`, 1100);
    const wheelKeys = await page.locator("[data-wheel] [data-step]").evaluateAll((els) => els.map((e) => e.getAttribute("data-step")));
    const listKeys = await page.locator("[data-step-list] [data-step]").evaluateAll((els) => els.map((e) => e.getAttribute("data-step")));
    expect(listKeys.length).toBeGreaterThanOrEqual(10);
    expect(new Set(listKeys).size).toBe(listKeys.length);
    expect(new Set(wheelKeys)).toEqual(new Set(listKeys));

    // Into the wheel with Tab, on to the next step in date order with an arrow key, Enter selects it.
    await page.locator(`[data-wheel] [data-step="${listKeys[0]}"]`).focus();
    await page.keyboard.press("ArrowRight");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-step"))).toBe(listKeys[1]);
    await page.keyboard.press("Enter");
    const detail = page.locator(`[data-step-detail="${listKeys[1]}"]`);
    await detail.waitFor();
    const label = await page.locator(`[data-wheel] [data-step="${listKeys[1]}"]`).getAttribute("aria-label");
    const heading = (await detail.locator("h3").textContent()) ?? "";
    // The detail's heading is the step's title (after its icon), the start of the step's accessible name.
    expect(label?.startsWith(heading.replace(/^\S+\s/, "").trim())).toBe(true);
    expect(await detail.textContent()).toMatch(/Frist.*\d{4}/);
    expect(await detail.textContent()).toContain("§");
    expect(await page.locator(`[data-wheel] [data-step="${listKeys[1]}"]`).getAttribute("aria-pressed")).toBe("true");
    // Space selects too.
    await page.locator(`[data-wheel] [data-step="${listKeys[1]}"]`).focus();
    await page.keyboard.press("ArrowLeft");
    await page.keyboard.press(" ");
    await page.locator(`[data-step-detail="${listKeys[0]}"]`).waitFor();
    await page.close();
  });

  it("fits a phone in the dark theme: the wheel, then the detail, then the list, without sideways scrolling", async () => {
    const { page, errors } = await open(`${h.url}/tab?region=46&theme=dark`, 360);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    const wheelBox = (await page.locator("[data-wheel]").boundingBox())!;
    const listBox = (await page.locator("[data-step-list]").boundingBox())!;
    expect(wheelBox.width).toBeGreaterThan(300);
    expect(listBox.y).toBeGreaterThan(wheelBox.y + wheelBox.height);
    // Dark: the page's background is dark, not the light theme's white.
    const background = await page.locator(".fui-FluentProvider").first().evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(background).not.toBe("rgb(255, 255, 255)");
    await page.screenshot({ path: path.join(ARTIFACTS, "wheel-360-dark.png"), fullPage: true });
    expect(faults(errors)).toEqual([]);
    await page.close();
  });

  it("lists the fifteen regions in the overview, and a region's name opens its wheel", async () => {
    const { page } = await open(`${h.url}/tab?region=46`, 1100);
    await page.getByRole("tab", { name: "Oversikt" }).click();
    const rows = page.locator("[data-overview] tbody tr");
    await rows.first().waitFor();
    expect(await rows.count()).toBe(15);
    await page.screenshot({ path: path.join(ARTIFACTS, "overview-1100.png"), fullPage: true });
    await page.getByRole("button", { name: /Nordland/ }).click();
    await expect.poll(() => page.locator("main h2").first().textContent()).toContain("Nordland");
    await page.close();
  });
});

describe("the tab's page on fixture answers", () => {
  let base: string;
  let server: Server;
  const seen: Seen = { records: [] };
  beforeAll(async () => {
    ({ url: base, server } = await startFixtureServer(seen));
  });
  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it("records an overdue step through the form, confirming the late deadline with «Lagre likevel»", async () => {
    const { page, errors } = await open(`${base}/tab`, 1100);
    await page.locator('[data-step-list] [data-state="overdue"] button').first().click();
    await page.getByRole("button", { name: "Innkalling sendt" }).click();
    const dialog = page.getByRole("dialog");
    const date = dialog.locator('input[type="date"]');
    await expect.poll(() => date.inputValue()).toBe("2026-04-10");
    expect(await date.getAttribute("min")).toBe("2026-02-01");
    expect(await date.getAttribute("max")).toBe("2026-04-10");
    await dialog.getByRole("button", { name: "Lagre", exact: true }).click();
    await dialog.locator("[data-late]").waitFor();
    expect(await dialog.locator("[data-late]").textContent()).toContain("den er passert");
    await page.screenshot({ path: path.join(ARTIFACTS, "record-late-1100.png") });
    await dialog.getByRole("button", { name: "Lagre likevel" }).click();
    await page.locator("[data-notice]").waitFor();
    expect(await page.locator("[data-notice]").textContent()).toContain("Registrert");
    expect(await page.getByRole("dialog").count()).toBe(0);
    const [firstTry, secondTry] = seen.records.slice(-2) as Array<{ actionId: string; acceptLate: string[]; values: { date: string } }>;
    expect(firstTry!.acceptLate).toEqual([]);
    expect(secondTry!.acceptLate).toEqual(["regional-spring-meeting-held"]);
    expect(secondTry!.values.date).toBe("2026-04-10");
    expect(secondTry!.actionId).not.toBe(firstTry!.actionId);
    expect(faults(errors)).toEqual([]);
    await page.close();
  });

  it("shows a round's summary with person-written text as text, and the download links", async () => {
    const { page, errors } = await open(`${base}/tab`, 1100);
    await page.getByRole("tab", { name: "Rapporter" }).click();
    await page.locator("[data-summary]").waitFor();
    expect(await page.locator("[data-summary] h3").first().textContent()).toBe("Vestland: oppfølgingsrapporter vår 2026");
    expect(await page.locator("[data-agency-state]").count()).toBe(3);
    // Escaped, never markup: the angle brackets are there to read.
    expect(await page.locator("[data-summary] dd").filter({ hasText: "<b>Ikke fet</b>" }).count()).toBe(1);
    expect(await page.locator("[data-summary] b").count()).toBe(0);
    expect(await page.locator("[data-exports] a").evaluateAll((as) => as.map((a) => a.getAttribute("href")))).toEqual(["/api/reports/download?token=abc", "/api/reports/download?token=def"]);
    await page.screenshot({ path: path.join(ARTIFACTS, "reports-1100.png"), fullPage: true });
    await page.getByLabel("Runde").selectOption("autumn");
    await expect.poll(() => page.locator("[data-reports]").textContent()).toContain("ingen rapportrunde høst 2026");
    expect(faults(errors)).toEqual([]);
    await page.close();
  });
});
