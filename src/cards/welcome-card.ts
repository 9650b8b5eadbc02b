/** The card the bot posts when it is installed: what it does, how to ask, who the admins are. */
import type { Lang } from "../domain/calendar.js";
import { translator } from "../i18n/index.js";
import { escapeMarkdown, expandTemplate, plain, type AdaptiveCard } from "./templates.js";

export interface WelcomeView {
  /** A channel or group chat (where binding to a region makes sense), or a 1:1 chat. */
  shared: boolean;
  /** The admins' display names (those known), or nothing when none is set up. */
  adminNames: string[];
  /** Admins known only by id (ADMIN_AAD_IDS, not yet seen): counted, not named. */
  unnamedAdmins: number;
}

export function renderWelcomeCard(view: WelcomeView, lang: Lang): AdaptiveCard {
  const t = translator(lang);
  const words = lang === "en" ? ["status", "overview", "help"] : ["status", "oversikt", "hjelp"];
  // Display names come from Teams; shown as text, never as Markdown in the bot's name.
  const names = view.adminNames.map((n) => plain(escapeMarkdown(n))).join(", ");
  const count = view.unnamedAdmins;
  return expandTemplate("welcome", {
    title: t("welcome.title"),
    paragraphs: [t("welcome.what"), t("welcome.status"), t("welcome.nudges"), ...(view.shared ? [t("welcome.channel")] : [])].map((line) => ({ line })),
    admins:
      names && count > 0
        ? t("welcome.adminsAndUnnamed", { names, count })
        : names
          ? t("welcome.admins", { names })
          : count > 0
            ? t("welcome.adminsUnnamed", { count })
            : t("welcome.noAdmins"),
    buttons: words.map((w) => ({ title: w.charAt(0).toUpperCase() + w.slice(1), value: w })),
  });
}
