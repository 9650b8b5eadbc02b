/** Help and short messages (with suggestion buttons that send a command back as the user). */
import type { Lang } from "../domain/calendar.js";
import { translator, type MessageKey } from "../i18n/index.js";
import { expandTemplate, noTemplate, type AdaptiveCard } from "./templates.js";

/** The commands everyone has; administrators (`admin: true`) also see theirs, in a group of their own. */
export function renderHelpCard(lang: Lang, options: { admin?: boolean } = {}): AdaptiveCard {
  const t = translator(lang);
  const words = lang === "en" ? { status: "status", overview: "overview" } : { status: "status", overview: "oversikt" };
  const lines = (keys: MessageKey[]) => keys.map((k) => ({ line: t(k) }));
  return expandTemplate("help", {
    title: t("help.title"),
    intro: t("help.intro"),
    commands: lines(["help.status", "help.overview", "help.history", "help.agreement", "summary.help", "help.me", "help.roles", "help.language", "help.help"]),
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

/**
 * The short help: what a greeting or a message the bot does not understand gets — a line, a hint
 * and three buttons (status of the person's region when known, the overview, the full help), the
 * same tappable suggestions as for an unknown region. With `unknownText` it quotes what was written.
 */
export function renderShortHelpCard(lang: Lang, options: { unknownText?: string; region?: string | undefined }): AdaptiveCard {
  const t = translator(lang);
  const words = lang === "en" ? { overview: "overview", help: "help" } : { overview: "oversikt", help: "hjelp" };
  const status = options.region
    ? { title: t("button.status", { region: options.region }), value: `status ${options.region}` }
    : { title: t("shortHelp.status"), value: "status" };
  return renderMessageCard(
    options.unknownText !== undefined ? t("unknownCommand.text", { text: options.unknownText }) : t("shortHelp.greeting"),
    t("shortHelp.hint", { region: options.region ?? "Vestland" }),
    [{ title: t("shortHelp.overview"), value: words.overview }, { title: t("shortHelp.help"), value: words.help }],
    [status],
  );
}

export interface Suggestion {
  title: string;
  value: string;
}

/**
 * A short message with buttons that send a command back. `lead` buttons get a row of their own
 * above the others: a long title ("Status Møre og Romsdal") beside two more would be cut off at
 * phone width.
 */
export function renderMessageCard(text: string, detail = "", buttons: Suggestion[] = [], lead: Suggestion[] = []): AdaptiveCard {
  const data = (list: Suggestion[]) => list.map((b) => ({ title: noTemplate(b.title), value: noTemplate(b.value) }));
  return expandTemplate("message", { text: noTemplate(text), detail: noTemplate(detail), buttons: data(buttons), leadButtons: data(lead) });
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
