/**
 * Message catalogues (bokmål, nynorsk, English) and the one translate function. Bokmål is the default.
 *
 * Messages are ICU MessageFormat, so that counts read right in each language
 * (`{count, plural, one {# sak} other {# saker}}`, by `Intl.PluralRules`). Every message is
 * parsed once, when first asked for, and kept per language and key: a message with plain
 * `{name}` placeholders only becomes a list of parts joined on each call (cheap: the status card
 * asks for dozens per rendering); one with a plural or select keeps its compiled formatter.
 * Tags are text here (`ignoreTag`): «gi @person <rolle>» is a help line, not markup.
 */
import { IntlMessageFormat } from "intl-messageformat";
import type { Lang } from "../domain/calendar.js";
import { en } from "./en.js";
import { nb, type Catalogue, type MessageKey } from "./nb.js";
import { nn } from "./nn.js";

export type { MessageKey, Lang };

export const CATALOGUES: Record<Lang, Catalogue> = { nb, nn, en };

export type Params = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: Params) => string;

type Element = ReturnType<IntlMessageFormat["getAst"]>[number];

/** The parser's element types (its TYPE enum, from @formatjs/icu-messageformat-parser, which intl-messageformat wraps). */
const LITERAL = 0;
const ARGUMENT = 1;
const SELECT = 5;
const PLURAL = 6;
/** `#` inside a plural branch: the count. */
const POUND = 7;
const TAG = 8;

/** A compiled message: `(params) => text`. */
type Compiled = (params: Params | undefined) => string;

const compiled: Record<Lang, Map<MessageKey, Compiled>> = { nb: new Map(), nn: new Map(), en: new Map() };

/**
 * The words a model file gives its steps (MODEL_PATH, src/model-file.ts), over the catalogues:
 * `step.<id>`, `do.<id>`, `external.<id>`, `sign.check.<id>` and `tab.overview.col.<id>`. One model
 * runs per process, so they are kept here rather than passed to every card (92 `translator` calls).
 */
const modelTexts: Record<Lang, Map<string, string>> = { nb: new Map(), nn: new Map(), en: new Map() };

/** The per-step message keys a model's texts fill, and the catalogue key a step needs at least. */
export const STEP_TEXT_KEYS = { title: "step.", action: "do.", external: "external.", checklist: "sign.check.", column: "tab.overview.col." } as const;

/**
 * Puts a model's step words in place of (or beside) the catalogues' (issue 13): a step the
 * catalogues know keeps their words where the model's leave something out; a new step's title
 * stands in for the words it does not give (its action, its external line, its checklist item).
 * Replaces what an earlier model installed. The column title is only the model's: without it the
 * tab shows the step's title.
 */
export function installModelTexts(steps: ReadonlyArray<{ id: string; texts?: Partial<Record<Lang, { title: string; action?: string; external?: string; checklist?: string; column?: string }>> | undefined }>): void {
  for (const lang of ["nb", "nn", "en"] as const) {
    modelTexts[lang].clear();
    compiled[lang].clear();
    for (const step of steps) {
      const texts = step.texts?.[lang];
      if (!texts) continue;
      const known = (prefix: string) => `${prefix}${step.id}` in CATALOGUES[lang];
      for (const [field, prefix] of Object.entries(STEP_TEXT_KEYS) as Array<[keyof typeof STEP_TEXT_KEYS, string]>) {
        const own = texts[field];
        if (own !== undefined) modelTexts[lang].set(`${prefix}${step.id}`, own);
        else if (field !== "column" && !known(prefix)) modelTexts[lang].set(`${prefix}${step.id}`, texts.title);
      }
    }
  }
}

/** Whether a key has words in a language (a model file's step no longer in the model has none). */
export function hasMessage(lang: Lang, key: string): boolean {
  return modelTexts[lang].has(key) || key in CATALOGUES[lang];
}

/** Every message of a language: the catalogue, with the installed model's step words over it (the tab's page strings). */
export function messagesOf(lang: Lang): Record<string, string> {
  return { ...CATALOGUES[lang], ...Object.fromEntries(modelTexts[lang]) };
}

export function translator(lang: Lang): Translate {
  const cache = compiled[lang];
  const catalogue = CATALOGUES[lang];
  const overlay = modelTexts[lang];
  return (key, params) => {
    let message = cache.get(key);
    if (message === undefined) {
      message = compile(overlay.get(key) ?? catalogue[key], lang);
      cache.set(key, message);
    }
    return message(params);
  };
}

/** The ICU syntax tree of a message (throws on a message that is not valid ICU). */
export function parseMessage(source: string, lang: Lang): Element[] {
  return new IntlMessageFormat(source, lang, undefined, { ignoreTag: true }).getAst();
}

/** Every argument a message reads, plain or plural/select, including those inside branches. */
export function argumentNames(elements: readonly Element[]): string[] {
  return [...argumentKinds(elements).keys()].sort();
}

/** Each argument's name → "choice" when a plural or select turns on it, else "plain". */
function argumentKinds(elements: readonly Element[], into = new Map<string, "plain" | "choice">()): Map<string, "plain" | "choice"> {
  for (const element of elements) {
    if (element.type === LITERAL || element.type === POUND) continue;
    const choice = "options" in element && element.options !== undefined && (element.type === SELECT || element.type === PLURAL);
    if (choice || into.get(element.value) === undefined) into.set(element.value, choice ? "choice" : "plain");
    if (choice) for (const option of Object.values(element.options)) argumentKinds(option.value, into);
    if (element.type === TAG) argumentKinds(element.children, into);
  }
  return into;
}

function compile(source: string, lang: Lang): Compiled {
  const format = new IntlMessageFormat(source, lang, undefined, { ignoreTag: true });
  const ast = format.getAst();
  if (ast.every((e) => e.type === LITERAL || e.type === ARGUMENT)) {
    const parts = ast.map((e) => (e.type === ARGUMENT ? { name: e.value, text: "" } : { name: undefined, text: e.value }));
    // A placeholder without a value stays visible ("{region}") rather than vanishing from the sentence.
    return (params) => {
      let text = "";
      for (const p of parts) text += p.name === undefined ? p.text : params && p.name in params ? String(params[p.name]) : `{${p.name}}`;
      return text;
    };
  }
  const kinds = [...argumentKinds(ast)];
  return (params) => {
    // Without the count a plural turns on there is no right form: the message shows as written, visibly unfilled.
    if (kinds.some(([name, kind]) => kind === "choice" && !(params && name in params))) return source;
    const values: Params = { ...params };
    for (const [name] of kinds) if (!(name in values)) values[name] = `{${name}}`;
    return String(format.format(values));
  };
}

/** The language of a Teams locale ("nb-NO", "nn-NO", "en-US", "no"); bokmål when unknown. */
export function langFromLocale(locale: unknown): Lang {
  const tag = typeof locale === "string" ? locale.toLowerCase() : "";
  if (tag.startsWith("en")) return "en";
  if (tag.startsWith("nn")) return "nn";
  return "nb";
}
