/**
 * Renders Adaptive Card JSON in headless Chromium with the `adaptivecards` library, to measure a
 * card as a person would see it (issue 9's budgets) and keep a PNG to look at. It renders exactly
 * as ../shared/tools/render-card.mjs does — the library's browser bundle and CSS, a Teams-like
 * light host config, the same small Markdown hook — but as a module: the browser is launched
 * once (`openRenderer()`, e.g. in a file's beforeAll) and one page renders every card, so
 * hundreds of cards take seconds, not minutes.
 *
 * Needs Debian's /usr/bin/chromium (test/support/global-setup.ts installs it through
 * scripts/ensure-chromium.sh, as for test/e2e). Heights depend on the fonts installed: with
 * Debian's fonts-noto-color-emoji the state icons (✅ 🔴 …) are drawn in colour as in Teams, and
 * some lines wrap differently than without it (one card measured 2 176 px without, 2 194 px with).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
/** Where rendered cards are kept for people to look at (ignored by git). */
export const CARD_ARTIFACTS = path.join(ROOT, "test-artifacts", "cards");

/** Close to Teams' light theme (as render-card.mjs); fonts fall back to what Debian has. */
const HOST_CONFIG = {
  fontFamily: "'Segoe UI', 'Liberation Sans', 'DejaVu Sans', sans-serif",
  supportsInteractivity: true,
  spacing: { small: 4, default: 8, medium: 12, large: 16, extraLarge: 20, padding: 16 },
  separator: { lineThickness: 1, lineColor: "#E1E1E1" },
  fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
  fontWeights: { lighter: 200, default: 400, bolder: 600 },
  actions: { maxActions: 6, buttonSpacing: 8, actionsOrientation: "horizontal", actionAlignment: "left", showCard: { actionMode: "inline" } },
};

/**
 * Runs in the page. Plain JavaScript in a string, not a function passed to page.evaluate: the
 * test transpiler may add helpers to functions that do not exist in the page.
 */
const IN_PAGE = `
AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
  const esc = text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  result.outputHtml = '<p>' + esc.replace(/\\*\\*(.+?)\\*\\*/g, '<b>$1</b>').replace(/\\n\\n/g, '</p><p>') + '</p>';
  result.didProcess = true;
};
window.renderCard = (card, host, expand) => {
  if (expand) {
    const show = (n) => { if (Array.isArray(n)) n.forEach(show); else if (n && typeof n === 'object') { if (n.isVisible === false) n.isVisible = true; Object.values(n).forEach(show); } };
    show(card);
  }
  const box = document.getElementById('c');
  box.replaceChildren();
  const ac = new AdaptiveCards.AdaptiveCard();
  ac.hostConfig = new AdaptiveCards.HostConfig(host);
  ac.parse(card);
  box.appendChild(ac.render());
  return Math.round(box.getBoundingClientRect().height);
};
`;

export interface RenderOptions {
  /** The viewport's width in px (the card is 16 px narrower: 8 px margin each side, as render-card.mjs). */
  width: number;
  /** Show every ToggleVisibility target (`isVisible: false`) first, as if the reader opened them all. */
  expand?: boolean;
}

export interface Renderer {
  /** The rendered card's height in px. */
  measure(card: object, options: RenderOptions): Promise<number>;
  /** The height and a PNG of the whole card (slower than measure: it takes a screenshot). */
  render(card: object, options: RenderOptions): Promise<{ height: number; png: Buffer }>;
  close(): Promise<void>;
}

/** The Adaptive Card in what the bot sends: a card, an activity with attachments, or an invoke response. */
export function cardIn(raw: any): object {
  const card = raw?.type === "AdaptiveCard" ? raw : (raw?.attachments?.[0]?.content ?? raw?.value ?? raw?.message?.attachments?.[0]?.content);
  if (card?.type !== "AdaptiveCard") throw new Error("no Adaptive Card found in what was given to render");
  return card;
}

export async function openRenderer(): Promise<Renderer> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run scripts/ensure-chromium.sh (as root) first.`);
  const require = createRequire(import.meta.url);
  const js = readFileSync(require.resolve("adaptivecards/dist/adaptivecards.js"), "utf8");
  const css = readFileSync(require.resolve("adaptivecards/dist/adaptivecards.css"), "utf8");
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, timeout: 30_000 });
  try {
    const page: Page = await browser.newPage({ viewport: { width: 360, height: 800 } });
    const cdp = await page.context().newCDPSession(page);
    // The page asks for nothing: the library and its CSS are inline; anything else would be a surprise.
    await page.route("**/*", (route) => route.abort());
    await page.setContent(
      `<html><head><style>${css} body{margin:0;background:#f5f5f5} #c{margin:8px;background:#fff;border-radius:6px;overflow:hidden}</style></head>` +
        `<body><div id="c"></div><script>${js}</script><script>${IN_PAGE}</script></body></html>`,
    );
    const draw = async (card: object, { width, expand = false }: RenderOptions): Promise<number> => {
      const viewport = page.viewportSize();
      if (viewport?.width !== width) await page.setViewportSize({ width, height: 800 });
      return page.evaluate(([c, host, e]) => (globalThis as any).renderCard(c, host, e) as number, [cardIn(card), HOST_CONFIG, expand] as const);
    };
    return {
      measure: draw,
      async render(card, options) {
        const height = await draw(card, options);
        // The card and its 8 px margins, straight from Chromium: about 2.5 times faster than
        // Playwright's full-page screenshot (no viewport resizing; faster, larger PNG encoding).
        const shot = await cdp.send("Page.captureScreenshot", {
          format: "png",
          captureBeyondViewport: true,
          optimizeForSpeed: true,
          clip: { x: 0, y: 0, width: options.width, height: height + 16, scale: 1 },
        });
        return { height, png: Buffer.from(shot.data, "base64") };
      },
      close: () => browser.close(),
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** Keeps a PNG as test-artifacts/cards/<name>.png; returns its path. */
export function saveCardPng(name: string, png: Buffer): string {
  mkdirSync(CARD_ARTIFACTS, { recursive: true });
  const file = path.join(CARD_ARTIFACTS, `${name}.png`);
  writeFileSync(file, png);
  return file;
}
