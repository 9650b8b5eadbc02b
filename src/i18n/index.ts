/** Message catalogues (bokmål, nynorsk, English) and the one translate function. Bokmål is the default. */
import type { Lang } from "../domain/calendar.js";
import { en } from "./en.js";
import { nb, type Catalogue, type MessageKey } from "./nb.js";
import { nn } from "./nn.js";

export type { MessageKey, Lang };

export const CATALOGUES: Record<Lang, Catalogue> = { nb, nn, en };

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const catalogue = CATALOGUES[lang];
  return (key, params) =>
    catalogue[key].replace(/\{(\w+)\}/g, (whole, name: string) => (params && name in params ? String(params[name]) : whole));
}

/** The language of a Teams locale ("nb-NO", "nn-NO", "en-US", "no"); bokmål when unknown. */
export function langFromLocale(locale: unknown): Lang {
  const tag = typeof locale === "string" ? locale.toLowerCase() : "";
  if (tag.startsWith("en")) return "en";
  if (tag.startsWith("nn")) return "nn";
  return "nb";
}
