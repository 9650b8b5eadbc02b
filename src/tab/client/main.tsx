/**
 * The årshjul tab's page: finds out where it runs (Teams or local mode), fetches who is asking
 * (`/api/tab/me`) and renders the tab or its configuration page inside Fluent UI's provider.
 */
import { FluentProvider, makeStaticStyles, teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme, type Theme } from "@fluentui/react-components";
import { StrictMode, useEffect, useMemo, useState } from "react";
import { createRoot } from "react-dom/client";
import { MeSchema, type Me } from "../api-schema";
import { API, createApi } from "./api";
import { App } from "./App";
import { Failure, Loading, TabContext, useLoad, type Ctx } from "./common";
import { ConfigPage } from "./ConfigPage";
import { PRINT_CSS } from "./print";
import { startup, type Startup, type TeamsTheme } from "./startup";
import { BOOT_TEXT, bootLang, translator } from "./strings";

const THEMES: Record<TeamsTheme, Theme> = { default: teamsLightTheme, dark: teamsDarkTheme, contrast: teamsHighContrastTheme };

const useGlobalStyles = makeStaticStyles([
  "html, body { margin: 0; padding: 0; }",
  "body { min-width: 320px; }",
  "#root { min-height: 100vh; }",
  PRINT_CSS,
]);

function Root({ start }: { start: Startup }) {
  useGlobalStyles();
  const [theme, setTheme] = useState<TeamsTheme>(start.theme);
  const [lang, setLang] = useState(bootLang(start.locale));
  useEffect(() => start.onThemeChange?.(setTheme), [start]);
  const api = useMemo(() => createApi(start, () => start.locale), [start]);
  const [me, reload] = useLoad<Me>("me", () => api.get(API.me, { channel: start.channelId }, MeSchema));
  useEffect(() => {
    if (me.state === "ready") setLang(me.value.lang);
  }, [me]);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const ctx = useMemo<Ctx | undefined>(
    () => (me.state === "ready" ? { api, me: me.value, t: translator(me.value.strings, me.value.lang), lang: me.value.lang, start } : undefined),
    [api, me, start],
  );
  const boot = BOOT_TEXT[lang];
  return (
    <FluentProvider theme={THEMES[theme]} lang={lang} data-theme={theme} style={{ minHeight: "100vh" }}>
      {ctx ? (
        <TabContext.Provider value={ctx}>{start.isConfig ? <ConfigPage /> : <App />}</TabContext.Provider>
      ) : (
        <main style={{ padding: 16 }}>
          {me.state === "failed" ? (
            <Failure error={me.error} t={bootT(lang)} title={boot.failed} onRetry={reload} />
          ) : (
            <Loading label={boot.loading} />
          )}
        </main>
      )}
    </FluentProvider>
  );
}

/** Before `/api/tab/me` answers there are no catalogue strings: the few words a failure needs, in the boot language. */
function bootT(lang: keyof typeof BOOT_TEXT) {
  const words: Record<string, string> = {
    "tab.error.title": BOOT_TEXT[lang].failed,
    "tab.error.invalid": BOOT_TEXT[lang].check,
    "tab.error.unreachable": BOOT_TEXT[lang].check,
    "tab.error.detail": "({detail})",
    "tab.error.retry": BOOT_TEXT[lang].retry,
  };
  return translator(words, lang);
}

const container = document.getElementById("root");
if (!container) throw new Error('the tab\'s page has no <div id="root">');
const root = createRoot(container);
startup().then(
  (start) =>
    root.render(
      <StrictMode>
        <Root start={start} />
      </StrictMode>,
    ),
  (error: unknown) => {
    // teams-js could not start (framed, but not by Teams): say so rather than show nothing.
    console.error("tab: teams-js failed to initialise", error);
    const lang = bootLang(undefined);
    root.render(
      <FluentProvider theme={teamsLightTheme}>
        <main style={{ padding: 16 }}>
          <Failure error={error} t={bootT(lang)} title={BOOT_TEXT[lang].failed} />
        </main>
      </FluentProvider>,
    );
  },
);
