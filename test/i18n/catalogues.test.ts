import { describe, expect, it } from "vitest";
import { CATALOGUES, langFromLocale, translator } from "../../src/i18n/index.js";
import { nb } from "../../src/i18n/nb.js";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("message catalogues", () => {
  it.each(Object.keys(CATALOGUES))("%s has every message key, none empty, with the same placeholders as bokmål", (lang) => {
    const catalogue = CATALOGUES[lang as keyof typeof CATALOGUES] as Record<string, string>;
    expect(Object.keys(catalogue).sort()).toEqual(Object.keys(nb).sort());
    for (const [key, text] of Object.entries(nb)) {
      expect(catalogue[key]?.trim(), `${lang} ${key}`).not.toBe("");
      expect(placeholders(catalogue[key]!), `${lang} ${key}`).toEqual(placeholders(text));
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
});
