/**
 * What the tab's browser tests share: headless Debian Chromium (as test/support/render.ts opens
 * it), opening the tab and waiting for a view, collecting what goes wrong in the page, screenshots
 * under test-artifacts/tab/, the axe-core check (WCAG 2.1 AA) and the focus ring's element.
 * The page is the built bundle (build/tab/, built by test/support/global-setup.ts).
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AxeBuilder } from "@axe-core/playwright";
import { chromium, type Browser, type Page } from "playwright-core";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Where the tab's screenshots are kept for people to look at (ignored by git). */
export const ARTIFACTS = path.join(ROOT, "test-artifacts", "tab");
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS, timeout: 30_000 });
}

export interface OpenOptions {
  width?: number;
  height?: number;
  deviceScaleFactor?: number;
  /** What shows the page is ready (default: the wheel, `[data-wheel]`). */
  waitFor?: string;
}

/** Opens the tab and waits for it; `errors` collects page errors, console errors and failed requests. */
export async function openPage(browser: Browser, url: string, options: OpenOptions = {}): Promise<{ page: Page; errors: string[] }> {
  const { width = 1100, height = 900, deviceScaleFactor = 1, waitFor = "[data-wheel]" } = options;
  // A context of its own (not browser.newPage): @axe-core/playwright refuses pages without one; closing the page closes it.
  // A Norwegian browser, as the people who use the tab have (the date field reads dd.mm.åååå).
  const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor, locale: "nb-NO", timezoneId: "Europe/Oslo" });
  const page = await context.newPage();
  // When the browser itself is closing (a failed test's afterAll), the context goes with it: nothing left to close.
  page.on("close", () => void context.close().catch(() => undefined));
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (msg) => msg.type() === "error" && errors.push(`${msg.text()} ${msg.location().url}`));
  page.on("requestfailed", (r) => errors.push(`failed: ${r.url()}`));
  page.on("response", (r) => r.status() >= 400 && errors.push(`${r.status()}: ${r.url()}`));
  await page.goto(url);
  await page.locator(waitFor).first().waitFor({ timeout: 15_000 });
  return { page, errors };
}

/** No server here has a favicon; anything else failing (or any request leaving the machine) is a fault. */
export const faults = (errors: string[]) => errors.filter((e) => !e.includes("favicon.ico"));

/** Keeps a full-page PNG as test-artifacts/tab/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true, scale: "css" });
}

/** The WCAG 2.1 A and AA rules: what Norwegian public-sector web solutions must meet (forskrift om universell utforming av IKT). */
const WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

/**
 * axe-core's violations on the page as it is now, one line each: the rule, where, and how to fix
 * it, so a failing test says what to change. Fluent's focus trap (tabster) puts invisible
 * `data-tabster-dummy` elements around dialogs and focus groups to catch Tab; they are by design
 * and never reached by a person (fluentui#27517), so they are left out of the check.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  // Fluent's motion (a dialog fading in) would have axe measure half-blended colours: check the page at rest.
  await page.waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"), undefined, { timeout: 5_000 });
  const result = await new AxeBuilder({ page }).withTags(WCAG_21_AA).exclude("[data-tabster-dummy]").analyze();
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id} at ${n.target.join(" ")}: ${v.help} (${n.failureSummary?.replace(/\s+/g, " ") ?? v.helpUrl})`));
}

/** The element the browser draws its focus ring on (`:focus-visible`), described by its data-, role and name; undefined when none. */
export async function focusVisible(
  page: Page,
): Promise<{ tag: string; role: string | null; name: string; step: string | null; region: string | null; detail: string | null; dialog: boolean } | undefined> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || !el.matches(":focus-visible")) return undefined;
    return {
      tag: el.tagName.toLowerCase(),
      role: el.getAttribute("role"),
      // innerText: what is shown (Fluent's tabs keep a hidden bold copy of their text to reserve its width).
      name: (el.getAttribute("aria-label") ?? (el instanceof HTMLElement ? el.innerText : el.textContent) ?? "").trim(),
      step: el.getAttribute("data-step"),
      region: el.closest("[data-region]")?.getAttribute("data-region") ?? null,
      detail: el.closest("[data-step-detail]")?.getAttribute("data-step-detail") ?? null,
      dialog: el.closest('[role="dialog"]') !== null,
    };
  });
}

/** Presses Tab until `matches` holds for the focused element (at most `limit` presses); the presses it took. */
export async function tabUntil(page: Page, matches: (el: Awaited<ReturnType<typeof focusVisible>>) => boolean, limit = 60, key = "Tab"): Promise<number> {
  for (let n = 1; n <= limit; n++) {
    await page.keyboard.press(key);
    if (matches(await focusVisible(page))) return n;
  }
  throw new Error(`${key} did not reach the element in ${limit} presses (focus on ${JSON.stringify(await focusVisible(page))})`);
}
