/** Help and short messages (with suggestion buttons that send a command back as the user). */
import type { Lang } from "../domain/calendar.js";
import { translator, type MessageKey } from "../i18n/index.js";
import { expandTemplate, plain, type AdaptiveCard } from "./templates.js";

/** The commands everyone has; administrators (`admin: true`) also see theirs, in a group of their own. */
export function renderHelpCard(lang: Lang, options: { admin?: boolean } = {}): AdaptiveCard {
  const t = translator(lang);
  const words = lang === "en" ? { status: "status", overview: "overview" } : { status: "status", overview: "oversikt" };
  const lines = (keys: MessageKey[]) => keys.map((k) => ({ line: t(k) }));
  return expandTemplate("help", {
    title: t("help.title"),
    intro: t("help.intro"),
    commands: lines(["help.status", "help.overview", "help.history", "help.me", "help.roles", "help.language", "help.help"]),
    adminGroups: options.admin
      ? [{ heading: t("help.adminTitle"), lines: lines(["help.admin", "help.grant", "help.revoke", "help.roleWords", "help.bind", "help.unbind"]) }]
      : [],
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
