/**
 * The page's words: the `tab.*` ICU messages the server sends in `Me.strings` (the same
 * catalogues as the bot, src/i18n), formatted here with intl-messageformat. Dates are formatted
 * with the browser's Intl in the person's language.
 */
import { IntlMessageFormat } from "intl-messageformat";
import type { TabLang } from "../api-schema";

export type Args = Record<string, string | number>;
export type T = (key: string, args?: Args) => string;

export const localeOf = (lang: TabLang) => (lang === "en" ? "en-GB" : lang === "nn" ? "nn-NO" : "nb-NO");

export function translator(strings: Record<string, string>, lang: TabLang): T {
  const cache = new Map<string, IntlMessageFormat>();
  const locale = localeOf(lang);
  return (key, args) => {
    let format = cache.get(key);
    if (!format) {
      const message = strings[key];
      // A key the server did not send is a version mismatch: show the key (visible, so someone
      // reports it) rather than an empty label, and say so in the console for whoever debugs.
      if (message === undefined) {
        console.warn(`tab: no string for ${key}`);
        return key;
      }
      format = new IntlMessageFormat(message, locale);
      cache.set(key, format);
    }
    return String(format.format(args));
  };
}

/** Words for the moments before the server has said anything (loading, or the first call failing). */
export const BOOT_TEXT = {
  nb: { loading: "Laster årshjulet …", failed: "Årshjulet kunne ikke lastes", check: "Sjekk nettforbindelsen og prøv igjen om litt.", retry: "Prøv igjen" },
  nn: { loading: "Lastar årshjulet …", failed: "Årshjulet kunne ikkje lastast", check: "Sjekk nettsambandet og prøv igjen om litt.", retry: "Prøv igjen" },
  en: { loading: "Loading the annual wheel …", failed: "The annual wheel could not be loaded", check: "Check the network connection and try again shortly.", retry: "Try again" },
} as const;

export function bootLang(locale: string | undefined): TabLang {
  const l = (locale ?? navigator.language ?? "nb").toLowerCase();
  return l.startsWith("nn") ? "nn" : l.startsWith("en") ? "en" : "nb";
}

const utc = (iso: string) => new Date(`${iso}T00:00:00Z`);

/** «15. mars 2026» / «15 March 2026». */
export function formatDay(iso: string, lang: TabLang): string {
  return new Intl.DateTimeFormat(localeOf(lang), { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" }).format(utc(iso));
}

/** «15. mars» (the year goes without saying on the wheel's own year). */
export function formatShortDay(iso: string, lang: TabLang, year?: number): string {
  if (year !== undefined && Number(iso.slice(0, 4)) !== year) return formatDay(iso, lang);
  return new Intl.DateTimeFormat(localeOf(lang), { day: "numeric", month: "long", timeZone: "UTC" }).format(utc(iso));
}

/** A timestamp from the audit trail, in Norwegian time: «3. mars 2026 kl. 14:05». */
export function formatMoment(at: string, lang: TabLang): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return at;
  return new Intl.DateTimeFormat(localeOf(lang), { dateStyle: "long", timeStyle: "short", timeZone: "Europe/Oslo" }).format(date);
}

/** The twelve month names, short («jan.», «feb.» …), in the person's language. */
export function monthNames(lang: TabLang): string[] {
  const format = new Intl.DateTimeFormat(localeOf(lang), { month: "short", timeZone: "UTC" });
  return Array.from({ length: 12 }, (_, m) => format.format(new Date(Date.UTC(2026, m, 15))));
}
