/**
 * The tab's HTML shell (`GET /tab`, `GET /tab/config`): a root for the page's script, the
 * language, and a line for browsers without JavaScript. Everything else the page draws itself
 * from the API. Nothing from the request reaches the HTML: only our own words, so there is
 * nothing to escape.
 */
import type { Lang } from "../domain/calendar.js";
import { translator } from "../i18n/index.js";

/**
 * Where Teams shows tabs (the web, desktop and mobile clients, Outlook and microsoft365.com),
 * Microsoft's documented list for `frame-ancestors` (Teams platform docs, «Tab requirements»; its
 * outlook-sdf hosts are Microsoft's own test rings, left out); 'self' for the page's own preview.
 */
export const FRAME_ANCESTORS = ["'self'", "teams.microsoft.com", "*.teams.microsoft.com", "*.cloud.microsoft", "*.office.com", "outlook.office.com", "*.microsoft365.com", "outlook.office365.com"] as const;

/**
 * Scripts and data from this server only. Styles also inline: Fluent UI writes its CSS into
 * `<style>` elements at run time (Griffel). Images may be data: URIs (icons in the bundle).
 */
export const TAB_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  `frame-ancestors ${FRAME_ANCESTORS.join(" ")}`,
].join("; ");

/** The HTML `lang` of a language: bokmål and nynorsk by their own codes, so screen readers pronounce them right. */
const HTML_LANG: Record<Lang, string> = { nb: "nb", nn: "nn", en: "en" };

/** The shell; `stylesheet` when the bundle has one (build/tab/app.css). */
export function tabShell(lang: Lang, options: { stylesheet: boolean }): string {
  const t = translator(lang);
  return [
    "<!doctype html>",
    `<html lang="${HTML_LANG[lang]}">`,
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${t("tab.api.shellTitle")}</title>`,
    // No icon of its own (Teams shows the app's): an empty one, so browsers do not ask for /favicon.ico.
    '<link rel="icon" href="data:,">',
    ...(options.stylesheet ? ['<link rel="stylesheet" href="/tab/assets/app.css">'] : []),
    '<script type="module" src="/tab/assets/app.js"></script>',
    "</head>",
    "<body>",
    `<noscript><p>${t("tab.api.noscript")}</p></noscript>`,
    '<div id="root"></div>',
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
