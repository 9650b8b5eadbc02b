/**
 * Where a card's «Åpne årshjulet» leads (issue 12): the årshjul tab, at the card's region.
 *
 * - Inside Teams (a bot identity is set) it is a Teams deep link to the app's personal tab,
 *   `https://teams.microsoft.com/l/entity/<Teams app id>/aarshjul?webUrl=…&context={"subEntityId":"46"}`:
 *   Teams opens the tab in the app and hands the region to the page as `subPageId` (teams-js v2:
 *   `app.getContext()` → `page.subPageId`). `webUrl` is where a client that cannot show the tab
 *   goes instead; it is left out when the app's public address is not configured.
 * - In local mode (no bot identity: the Agents Playground, a browser) it is the tab's own page,
 *   `http://localhost:3978/tab?region=46`, which the page reads from its query.
 *
 * The cards never read the configuration: compose.ts builds a {@link WheelLink} from it with
 * {@link wheelLinkOf} and the bot hands it to the status card in the card's view options.
 */
import { NATIONAL } from "../domain/regions.js";

/** The personal tab's `entityId` in manifest/manifest.json: the deep link names it (test/manifest-tabs.test.ts keeps them equal). */
export const WHEEL_TAB_ENTITY_ID = "aarshjul";

/** The tab's path on the app's own server (the outside contract: `GET /tab`). */
export const TAB_PATH = "/tab";

export type WheelLink =
  /** Teams deep link; `tabUrl` (the page on the public address) is the fallback `webUrl`. */
  | { kind: "teams"; teamsAppId: string; tabUrl?: string }
  /** The page itself, opened in a browser. */
  | { kind: "browser"; tabUrl: string };

/**
 * The link from configuration values (passed in, not read here).
 * - `teamsAppId`: the manifest id (TEAMS_APP_ID), by default the bot's MicrosoftAppId, as
 *   scripts/app-package.ts fills the manifest: a deep link names the app by its manifest id.
 * - Without either id the app runs in local mode: the page on PUBLIC_BASE_URL, else on
 *   `http://localhost:<PORT>` (local mode listens on the loopback address only).
 */
export function wheelLinkOf(options: { microsoftAppId?: string | undefined; teamsAppId?: string | undefined; publicBaseUrl?: string | undefined; port: number }): WheelLink {
  const base = options.publicBaseUrl?.replace(/\/+$/, "");
  const appId = options.teamsAppId ?? options.microsoftAppId;
  if (appId !== undefined) return { kind: "teams", teamsAppId: appId, ...(base ? { tabUrl: `${base}${TAB_PATH}` } : {}) };
  return { kind: "browser", tabUrl: `${base ?? `http://localhost:${options.port}`}${TAB_PATH}` };
}

/**
 * The URL that opens the wheel of `regionId`; without one (or for the national track) the tab's
 * start, the all-regions overview.
 */
export function wheelUrl(link: WheelLink, regionId?: string): string {
  const region = regionId !== undefined && regionId !== NATIONAL ? regionId : undefined;
  const page = (tabUrl: string) => (region === undefined ? tabUrl : `${tabUrl}?region=${encodeURIComponent(region)}`);
  if (link.kind === "browser") return page(link.tabUrl);
  const query = [
    ...(link.tabUrl !== undefined ? [`webUrl=${encodeURIComponent(page(link.tabUrl))}`] : []),
    ...(region !== undefined ? [`context=${encodeURIComponent(JSON.stringify({ subEntityId: region }))}`] : []),
  ];
  return `https://teams.microsoft.com/l/entity/${encodeURIComponent(link.teamsAppId)}/${WHEEL_TAB_ENTITY_ID}${query.length > 0 ? `?${query.join("&")}` : ""}`;
}
