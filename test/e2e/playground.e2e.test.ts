/**
 * End to end: a person chats with the real bot through the Microsoft 365 Agents Playground,
 * in Debian's Chromium driven by playwright-core. Needs /usr/bin/chromium
 * (`scripts/ensure-chromium.sh` installs it).
 *
 * Browser → Playground page (127.0.0.1) → Playground server → locale shim → the real app
 * (startHarness, 127.0.0.1) → replies to the Playground's serviceUrl → card in the page.
 *
 * Nothing leaves the machine: the Playground runs with scripts/loopback-only.cjs (as
 * `npm run playground` does), and Chromium aborts every request that is not to loopback
 * (the page asks a CDN for Segoe UI fonts) and resolves no host names.
 *
 * One difference from Teams is made up, as `npm run playground` does: the Playground (0.2.28)
 * stamps every activity `locale: "en-US"` (hard-coded in its server), so the bot would always
 * answer in English. A Norwegian Teams client sends "nb-NO"; the locale shim
 * (scripts/teams-shim.ts), a tiny HTTP forwarder between the Playground and the bot, sets that.
 * Nothing else is changed: card buttons (Action.Submit with `{ command }`) are clicked as a
 * person would, and the Playground sends their data as the message's `value`, as Teams does.
 *
 * SAMHANDLING_E2E_SCREENSHOTS=<folder> keeps the screenshots there (to look at the cards);
 * otherwise they go to a temp folder that is removed, except one taken when a card never came.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Locator, type Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type LocaleShim, startLocaleShim } from "../../scripts/teams-shim.js";
import { type Harness, startHarness } from "../support/harness.js";
import { freePort } from "../support/ports.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const PRELOAD = path.join(ROOT, "scripts", "loopback-only.cjs");
const PLAYGROUND_CLI = createRequire(import.meta.url).resolve("@microsoft/m365agentsplayground/cli.js");
const CHROMIUM = "/usr/bin/chromium";
const LOCALE = "nb-NO";
const WAIT_MS = 15_000; // for one bot answer to show up in the page

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  // No DNS: every host name but loopback fails to resolve (the map applies to IP literals too).
  "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
];

function isLoopbackUrl(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    if (protocol === "data:" || protocol === "blob:" || protocol === "about:") return true;
    return hostname === "127.0.0.1" || hostname === "localhost" || hostname === "[::1]";
  } catch {
    return false;
  }
}

/** Starts the Playground as scripts/playground.ts does, in its own process group; resolves with the port it listens on. */
async function startPlayground(botEndpoint: string, cwd: string) {
  const asked = await freePort();
  const child = spawn(
    process.execPath,
    [PLAYGROUND_CLI, "-e", botEndpoint, "-c", "msteams", "-p", String(asked), "--disable-telemetry"],
    {
      cwd, // it writes devTools/ into its working folder
      env: {
        ...process.env,
        NODE_OPTIONS: `--require ${PRELOAD}`,
        TEAMSAPPTESTER_BROWSER: "none",
        M365_AGENTS_PLAYGROUND_LOGFILE: path.join(cwd, "playground.log"),
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group, so afterAll can stop all of it
    },
  );
  const out = { text: "" };
  child.stdout?.setEncoding("utf8").on("data", (s: string) => (out.text += s));
  child.stderr?.setEncoding("utf8").on("data", (s: string) => (out.text += s));
  // It falls back to another port when the asked one was taken meanwhile: read the real one.
  const port = await new Promise<number>((resolve, reject) => {
    const deadline = Date.now() + 45_000;
    const tick = () => {
      const listening = /Listening on (\d+)/.exec(out.text);
      if (listening) return resolve(Number(listening[1]));
      if (child.exitCode !== null || child.signalCode !== null) {
        return reject(new Error(`the Playground exited (${child.exitCode ?? child.signalCode}):\n${out.text}`));
      }
      if (Date.now() > deadline) return reject(new Error(`the Playground did not start listening within 45 s:\n${out.text}`));
      setTimeout(tick, 100);
    };
    tick();
  });
  return { child, port, out };
}

/** SIGTERM to the Playground's process group, SIGKILL after a grace period. */
async function stopGroup(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signal = (s: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, s);
    } catch {
      // already gone
    }
  };
  signal("SIGTERM");
  const timer = setTimeout(() => signal("SIGKILL"), graceMs);
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, graceMs + 2000))]);
  clearTimeout(timer);
}

describe("chatting with the bot in the Agents Playground (Chromium)", () => {
  let harness: Harness | undefined;
  let shim: LocaleShim | undefined;
  let playground: Awaited<ReturnType<typeof startPlayground>> | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let dir: string;
  let shots: string;
  const blocked = new Set<string>();
  const pageErrors: string[] = [];

  /** Where things stand, for failure messages. */
  const diagnostics = () =>
    [
      `bot received: ${shim?.seen.join(", ") || "nothing"}`,
      `blocked in the browser: ${[...blocked].join(", ") || "nothing"}`,
      `errors in the page: ${pageErrors.join(" | ") || "none"}`,
      `Playground output (last lines):\n${playground?.out.text.split("\n").slice(-15).join("\n") ?? ""}`,
    ].join("\n");

  /** Types a message into the chat box and sends it, as a person would. */
  async function send(text: string): Promise<void> {
    const box = page.getByRole("textbox").first();
    await box.click({ timeout: WAIT_MS });
    await box.pressSequentially(text, { timeout: WAIT_MS });
    await page.getByRole("button", { name: "Send Message" }).click({ timeout: WAIT_MS });
  }

  /** The last rendered Adaptive Card that contains `text`, case and all (once it is in the page). */
  async function card(text: string): Promise<Locator> {
    const exactly = new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")); // a string would match any case
    const found = page.locator(".ac-adaptiveCard").filter({ hasText: exactly }).last();
    try {
      await found.waitFor({ state: "visible", timeout: WAIT_MS });
    } catch (error) {
      // Kept after the run (the temp folder is not), so the failure can be looked at.
      const shot = path.join(process.env.SAMHANDLING_E2E_SCREENSHOTS || os.tmpdir(), `samhandling-e2e-failed-${Date.now()}.png`);
      const saved = await page.screenshot({ path: shot }).then(() => ` (screenshot: ${shot})`, () => "");
      throw new Error(`no card with "${text}" within ${WAIT_MS / 1000} s${saved}\n${diagnostics()}`, { cause: error });
    }
    return found;
  }

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/ensure-chromium.sh (as root) first.`);
    dir = mkdtempSync(path.join(os.tmpdir(), "samhandling-e2e-"));
    shots = process.env.SAMHANDLING_E2E_SCREENSHOTS || path.join(dir, "screenshots");
    mkdirSync(shots, { recursive: true });

    harness = await startHarness({ CLOCK_NOW: "2027-03-17T10:00:00+01:00" });
    shim = await startLocaleShim(harness.url, LOCALE);
    playground = await startPlayground(`${shim.url}/api/messages`, dir);

    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
    // Tall, so a whole status card fits on screen for its screenshot.
    const context = await browser.newContext({ viewport: { width: 1280, height: 2400 }, locale: LOCALE });
    await context.route("**/*", (route) => {
      const url = route.request().url();
      if (isLoopbackUrl(url)) return route.continue();
      blocked.add(new URL(url).host);
      return route.abort("blockedbyclient");
    });
    page = await context.newPage();
    page.setDefaultTimeout(WAIT_MS);
    page.on("pageerror", (error) => pageErrors.push(error.message));
    await page.goto(`http://127.0.0.1:${playground.port}/`, { timeout: 30_000 });
    await page.getByRole("button", { name: "Send Message" }).waitFor({ timeout: 30_000 });
  }, 90_000);

  afterAll(async () => {
    // Each step on its own, so one failing does not leave the others running.
    await browser?.close().catch(() => undefined);
    if (playground) await stopGroup(playground.child);
    await shim?.close().catch(() => undefined);
    await harness?.close().catch(() => undefined);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  afterEach(() => {
    expect(pageErrors, "errors thrown in the Playground page").toEqual([]);
  });

  it("shows the status card for Vestland", async () => {
    await send("status Vestland");
    const status = await card("Status – Vestland");
    await status.scrollIntoViewIfNeeded();
    const file = path.join(shots, "status-vestland.png");
    await status.screenshot({ path: file, timeout: WAIT_MS });
    expect(statSync(file).size).toBeGreaterThan(1000);
    expect(shim!.seen).toContain('message "status Vestland"');
  }, 30_000);

  it("shows the help card, and its «Oversikt» button brings the overview", async () => {
    await send("hjelp");
    const help = await card("Hva Samhandling kan gjøre");
    await help.getByRole("button", { name: "Oversikt", exact: true }).click({ timeout: WAIT_MS });
    const overview = await card("Oversikt – alle regioner");
    await overview.scrollIntoViewIfNeeded();
    await overview.screenshot({ path: path.join(shots, "oversikt.png"), timeout: WAIT_MS });
    // The button sent its data as the message's value, with no text, as Teams does.
    expect(shim!.seen).toContain('message {"command":"oversikt"}');
  }, 30_000);

  it("suggests Vestland for a misspelt region, and the suggestion button brings its status", async () => {
    await send("status Vestlnd");
    const message = await card("Vestlnd");
    const suggestion = message.getByRole("button", { name: "Vestland", exact: true });
    await expect.poll(() => suggestion.count(), { timeout: WAIT_MS }).toBe(1);
    await message.screenshot({ path: path.join(shots, "forslag.png"), timeout: WAIT_MS });
    const before = await page.locator(".ac-adaptiveCard").filter({ hasText: /Status – Vestland/ }).count();
    await suggestion.click({ timeout: WAIT_MS });
    await expect
      .poll(() => page.locator(".ac-adaptiveCard").filter({ hasText: /Status – Vestland/ }).count(), { timeout: WAIT_MS })
      .toBe(before + 1);
    expect(shim!.seen).toContain('message {"command":"status Vestland"}');
  }, 30_000);
});
