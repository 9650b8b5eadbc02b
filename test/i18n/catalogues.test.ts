import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { argumentNames, CATALOGUES, langFromLocale, parseMessage, translator, type Lang, type MessageKey } from "../../src/i18n/index.js";
import { nb } from "../../src/i18n/nb.js";

const LANGS = Object.keys(CATALOGUES) as Lang[];
const entries = (lang: Lang) => Object.entries(CATALOGUES[lang]) as Array<[MessageKey, string]>;

/** The environment variables the app reads: the keys of the schema in src/config.ts, read from its source. */
function environmentNames(): string[] {
  const source = readFileSync(new URL("../../src/config.ts", import.meta.url), "utf8");
  const schema = source.slice(source.indexOf("const EnvSchema = z.object({"), source.indexOf("});", source.indexOf("const EnvSchema")));
  return [...schema.matchAll(/^ {2}(\w+):/gm)].map((m) => m[1]!);
}

describe("message catalogues", () => {
  it.each(LANGS)("%s has every message key, none empty, with the same arguments (plain and plural) as bokmål", (lang) => {
    const catalogue = CATALOGUES[lang] as Record<string, string>;
    expect(Object.keys(catalogue).sort()).toEqual(Object.keys(nb).sort());
    for (const [key, text] of Object.entries(nb)) {
      expect(catalogue[key]?.trim(), `${lang} ${key}`).not.toBe("");
      expect(argumentNames(parseMessage(catalogue[key]!, lang)), `${lang} ${key}`).toEqual(argumentNames(parseMessage(text, "nb")));
    }
  });

  it.each(LANGS)("every %s message is valid ICU, and a message without a plural reads exactly as written (no apostrophe or # eaten)", (lang) => {
    for (const [key, text] of entries(lang)) {
      const ast = parseMessage(text, lang);
      if (/\{\w+, *(plural|select|selectordinal)\b/.test(text)) continue;
      // Each placeholder filled with its own name in brackets: whatever ICU would treat specially shows up as a difference.
      const params = Object.fromEntries(argumentNames(ast).map((name) => [name, `[${name}]`]));
      const plain = text.replace(/\{(\w+)\}/g, (_, name: string) => `[${name}]`);
      expect(translator(lang)(key, params), `${lang} ${key}`).toBe(plain);
    }
  });

  it.each(LANGS)("no %s message writes a plural in brackets («sak(er)», «administrator(ar)», «item(s)»)", (lang) => {
    const bracketed = entries(lang).filter(([, text]) => /\p{L}\((s|es|er|ar|r|e|ne|ene|ane|en|a)\)/u.test(text));
    expect(bracketed).toEqual([]);
  });

  it.each(LANGS)("no %s message names an environment variable of the app's setup (e.g. ADMIN_AAD_IDS)", (lang) => {
    const names = environmentNames();
    // The schema is found and read: a broken extraction must not pass as "no names".
    expect(names).toContain("ADMIN_AAD_IDS");
    expect(names).toContain("NUDGE_TIME");
    const shown = entries(lang).flatMap(([key, text]) => names.filter((name) => new RegExp(`\\b${name}\\b`).test(text)).map((name) => `${key}: ${name}`));
    expect(shown).toEqual([]);
  });

  it("no message has a placeholder in angle brackets: card renderers take «<rolle>» for an HTML tag and it vanishes (seen in the Playground)", () => {
    for (const lang of LANGS) {
      const tagged = entries(lang).filter(([, message]) => /<[a-zæøåA-Z|]+>/.test(message)).map(([key]) => key);
      expect(tagged, lang).toEqual([]);
    }
  });

  it("nynorsk is its own language, not bokmål under another name", () => {
    const nn = translator("nn");
    expect(nn("help.title")).toBe("Kva Samhandling kan gjere");
    expect(nn("state.waiting")).toBe("Ventar");
    expect(translator("nb")("state.waiting")).toBe("Venter");
  });

  it.each([
    ["nb-NO", "nb"],
    ["nn-NO", "nn"],
    ["nn", "nn"],
    ["no", "nb"],
    ["en-US", "en"],
    ["en-GB", "en"],
    ["de-DE", "nb"],
    [undefined, "nb"],
  ])("the Teams locale %s gives %s", (locale, lang) => {
    expect(langFromLocale(locale)).toBe(lang);
  });

  it("placeholders are filled; an unknown one is left visible rather than dropped", () => {
    const t = translator("nb");
    expect(t("status.title", { region: "Vestland" })).toBe("Status – Vestland");
    expect(t("status.title")).toBe("Status – {region}");
  });

  it("a plural without its count is shown as written, not guessed", () => {
    expect(translator("nb")("nudge.intro", { date: "3. mai 2027" })).toBe(nb["nudge.intro"]);
  });
});

describe("counts read right in each language (Intl.PluralRules)", () => {
  const read = (lang: Lang, key: MessageKey, params: Record<string, string | number>) => [0, 1, 2].map((count) => translator(lang)(key, { ...params, count, total: count }));

  it("nudge card: «1 sak», «2 saker»; «1 item», «2 items»", () => {
    const date = "3. mai 2027";
    expect(read("nb", "nudge.intro", { date })).toEqual([
      "0 saker fra samhandlingsmodellen per 3. mai 2027, det som haster mest først.",
      "1 sak fra samhandlingsmodellen per 3. mai 2027, det som haster mest først.",
      "2 saker fra samhandlingsmodellen per 3. mai 2027, det som haster mest først.",
    ]);
    expect(read("nn", "nudge.intro", { date })).toEqual([
      "0 saker frå samhandlingsmodellen per 3. mai 2027, det som hastar mest først.",
      "1 sak frå samhandlingsmodellen per 3. mai 2027, det som hastar mest først.",
      "2 saker frå samhandlingsmodellen per 3. mai 2027, det som hastar mest først.",
    ]);
    expect(read("en", "nudge.intro", { date: "3 May 2027" })).toEqual([
      "0 items from the collaboration model as of 3 May 2027, most urgent first.",
      "1 item from the collaboration model as of 3 May 2027, most urgent first.",
      "2 items from the collaboration model as of 3 May 2027, most urgent first.",
    ]);
  });

  it("administrators from the app's setup (roles card): «1 administrator», «2 administratorer / administratorar / administrators»", () => {
    expect(read("nb", "roles.configuredAdmins", {})).toEqual(["0 administratorer fra oppsettet av appen", "1 administrator fra oppsettet av appen", "2 administratorer fra oppsettet av appen"]);
    expect(read("nn", "roles.configuredAdmins", {})).toEqual(["0 administratorar frå oppsettet av appen", "1 administrator frå oppsettet av appen", "2 administratorar frå oppsettet av appen"]);
    expect(read("en", "roles.configuredAdmins", {})).toEqual(["0 administrators from the app's setup", "1 administrator from the app's setup", "2 administrators from the app's setup"]);
  });

  it("welcome card: one unnamed administrator is one person, two are two", () => {
    expect(read("nb", "welcome.adminsUnnamed", {})[1]).toBe("1 administrator er satt opp; navnet ser jeg når vedkommende skriver til meg.");
    expect(read("nb", "welcome.adminsUnnamed", {})[2]).toBe("2 administratorer er satt opp; navnene ser jeg når de skriver til meg.");
    expect(read("nn", "welcome.adminsUnnamed", {})[1]).toBe("1 administrator er sett opp; namnet ser eg når vedkommande skriv til meg.");
    expect(read("nn", "welcome.adminsUnnamed", {})[2]).toBe("2 administratorar er sette opp; namna ser eg når dei skriv til meg.");
    expect(read("en", "welcome.adminsUnnamed", {})[1]).toBe("1 administrator is set up; I will know their name once they write to me.");
    expect(read("en", "welcome.adminsUnnamed", {})[0]).toBe("0 administrators are set up; I will know their names once they write to me.");
    expect(read("en", "welcome.adminsAndUnnamed", { names: "Anne" })).toEqual([
      "Administrators: Anne and 0 more who have not written to me yet.",
      "Administrators: Anne and 1 more who has not written to me yet.",
      "Administrators: Anne and 2 more who have not written to me yet.",
    ]);
  });

  it("history heading: «1 endring», «2 endringar», «1 change»", () => {
    const years = "2026 og 2027";
    expect(read("nb", "history.subtitle", { years })).toEqual([
      "0 endringer i årshjulet for 2026 og 2027 · nyeste først · norsk tid",
      "1 endring i årshjulet for 2026 og 2027 · nyeste først · norsk tid",
      "2 endringer i årshjulet for 2026 og 2027 · nyeste først · norsk tid",
    ]);
    expect(read("nn", "history.subtitle", { years })[2]).toBe("2 endringar i årshjulet for 2026 og 2027 · nyaste først · norsk tid");
    expect(read("nn", "history.subtitle", { years })[1]).toBe("1 endring i årshjulet for 2026 og 2027 · nyaste først · norsk tid");
    expect(read("en", "history.subtitle", { years: "2026 and 2027" })[1]).toBe("1 change in the annual wheel for 2026 and 2027 · newest first · Norwegian time");
    expect(read("en", "history.subtitle", { years: "2026 and 2027" })[2]).toBe("2 changes in the annual wheel for 2026 and 2027 · newest first · Norwegian time");
  });

  it("English steps: «1 earlier step», «2 earlier steps»; «1 step opens later»", () => {
    expect(read("en", "notice.backfilled", {})).toEqual(["✅ Recorded 0 earlier steps.", "✅ Recorded 1 earlier step.", "✅ Recorded 2 earlier steps."]);
    expect(read("en", "agenda.later", { date: "3 May 2027" })[1]).toBe("1 step opens later (on 3 May 2027)");
    expect(read("en", "agenda.later", { date: "3 May 2027" })[2]).toBe("2 steps open later (the first on 3 May 2027)");
    expect(read("nb", "agenda.later", { date: "3. mai 2027" })[1]).toBe("1 steg åpner senere (3. mai 2027)");
    expect(read("nn", "agenda.later", { date: "3. mai 2027" })[2]).toBe("2 steg opnar seinare (det første 3. mai 2027)");
  });
});
