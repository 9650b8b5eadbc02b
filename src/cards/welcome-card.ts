/** The card the bot posts when it is installed: what it does, how to ask, who the admins are. */
import type { Lang } from "../domain/calendar.js";
import { translator } from "../i18n/index.js";
import { dueText, type DueNow } from "./welcome-due.js";
import { expandTemplate, userName, type AdaptiveCard } from "./templates.js";

export interface WelcomeView {
  /** A channel or group chat (where binding to a region makes sense), or a 1:1 chat. */
  shared: boolean;
  /** The admins' display names (those known), or nothing when none is set up. */
  adminNames: string[];
  /** Admins known only by id (ADMIN_AAD_IDS, not yet seen): counted, not named. */
  unnamedAdmins: number;
  /** In a 1:1 chat, for someone with duties: what is theirs now (welcome-due.ts). */
  due?: DueNow;
}

export function renderWelcomeCard(view: WelcomeView, lang: Lang): AdaptiveCard {
  const t = translator(lang);
  const words = lang === "en" ? ["status", "overview", "help"] : ["status", "oversikt", "hjelp"];
  // Display names come from Teams; shown as text, never as Markdown in the bot's name.
  const names = view.adminNames.map(userName).join(", ");
  const count = view.unnamedAdmins;
  const due = view.due ? dueText(view.due, lang) : undefined;
  return expandTemplate("welcome", {
    title: t("welcome.title"),
    paragraphs: [t("welcome.what"), t("welcome.status"), t("welcome.nudges"), ...(view.shared ? [t("welcome.channel")] : []), ...(due?.lines ?? [])].map((line) => ({ line })),
    admins:
      names && count > 0
        ? t("welcome.adminsAndUnnamed", { names, count })
        : names
          ? t("welcome.admins", { names })
          : count > 0
            ? t("welcome.adminsUnnamed", { count })
            : t("welcome.noAdmins"),
    // With something due, «Status» opens the card of the region it is in: one tap to all of it.
    buttons: words.map((w, i) => (i === 0 && due?.button ? due.button : { title: w.charAt(0).toUpperCase() + w.slice(1), value: w })),
  });
}
