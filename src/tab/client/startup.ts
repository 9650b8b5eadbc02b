/**
 * Where the page runs and what it starts from. Inside Teams (the page is framed:
 * `window.parent !== window`) it initialises teams-js, reads the locale, theme, channel and deep
 * link from the context, follows theme changes and asks for an SSO token for every API call.
 * Outside Teams it runs in local mode: no token, and the URL stands in for the context
 * (`?theme=default|dark|contrast`, `?region=`, `?lang=`, `?user=`, and `?channel=` for a channel's
 * bound region), so a browser and the tests can try every case.
 *
 * teams-js is loaded only inside Teams (a separate chunk): on load it fetches Microsoft's list
 * of valid host origins from a CDN, which a local page (and a test) has no business doing.
 */

export type TeamsTheme = "default" | "dark" | "contrast";

export interface Startup {
  inTeams: boolean;
  theme: TeamsTheme;
  /** The Teams locale or `?lang=` («nb-NO», «nn», «en-US»); the server picks the language. */
  locale?: string;
  /** From a deep link (`page.subPageId`) or the tab's content URL (`?region=`). */
  region?: string;
  /** The channel the tab is pinned in: the server finds its bound region. */
  channelId?: string;
  /** Local mode only: whom to act as (`?user=<entra id>`, header `x-samhandling-local-user`). */
  localUser?: string;
  /** `/tab/config`: the channel tab's configuration page. */
  isConfig: boolean;
  /** Inside Teams: an SSO token for the API (teams-js caches and renews it). */
  getToken?: () => Promise<string>;
  /** Inside Teams: calls back when the person switches Teams' theme. */
  onThemeChange?: (handler: (theme: TeamsTheme) => void) => void;
}

export function asTheme(value: string | null | undefined): TeamsTheme {
  return value === "dark" || value === "contrast" ? value : "default";
}

const nonEmpty = (value: string | null | undefined) => (value && value.trim() ? value.trim() : undefined);

export async function startup(): Promise<Startup> {
  const query = new URLSearchParams(window.location.search);
  const isConfig = /\/config\/?$/.test(window.location.pathname);
  const region = nonEmpty(query.get("region"));
  if (window.parent === window) {
    return {
      inTeams: false,
      theme: asTheme(query.get("theme")),
      locale: nonEmpty(query.get("lang")),
      region,
      localUser: nonEmpty(query.get("user")),
      channelId: nonEmpty(query.get("channel")),
      isConfig,
    };
  }
  const { app, authentication } = await import("@microsoft/teams-js");
  await app.initialize();
  const context = await app.getContext();
  return {
    inTeams: true,
    theme: asTheme(context.app.theme),
    locale: nonEmpty(context.app.locale),
    // A deep link from the status card («Åpne årshjulet») names the region in subPageId; it wins over the tab's own URL.
    region: nonEmpty(context.page.subPageId) ?? region,
    channelId: nonEmpty(context.channel?.id),
    isConfig,
    getToken: () => authentication.getAuthToken(),
    onThemeChange: (handler) => app.registerOnThemeChangeHandler((theme) => handler(asTheme(theme))),
  };
}
