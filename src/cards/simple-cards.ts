/** Help and short messages (with suggestion buttons that send a command back as the user). */
import type { Lang } from "../domain/calendar.js";
import { translator, type MessageKey } from "../i18n/index.js";
import { expandTemplate, plain, type AdaptiveCard } from "./templates.js";

export function renderHelpCard(lang: Lang): AdaptiveCard {
  const t = translator(lang);
  const words = lang === "en" ? { status: "status", overview: "overview" } : { status: "status", overview: "oversikt" };
  return expandTemplate("help", {
    title: t("help.title"),
    intro: t("help.intro"),
    commands: (["help.status", "help.overview", "help.help"] as MessageKey[]).map((k) => ({ line: t(k) })),
    other: t("help.english"),
    buttons: [
      { title: capitalize(words.status), value: words.status },
      { title: capitalize(words.overview), value: words.overview },
    ],
  });
}

export interface Suggestion {
  title: string;
  value: string;
}

export function renderMessageCard(text: string, detail = "", buttons: Suggestion[] = []): AdaptiveCard {
  return expandTemplate("message", {
    text: plain(text),
    detail: plain(detail),
    buttons: buttons.map((b) => ({ title: plain(b.title), value: plain(b.value) })),
  });
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
