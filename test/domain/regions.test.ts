/**
 * The 15 counties from 1 January 2024, the agencies, and forgiving region-name matching
 * (`status Vestland`, `status more og romsdal`, `status 46`).
 */
import { describe, expect, it } from "vitest";
import {
  AGENCIES,
  AGENCY_IDS,
  DEFAULT_COMMISSION_AGENCIES,
  DEFAULT_PARTY_AGENCIES,
  NATIONAL,
  REGIONS,
  foldName,
  matchRegion,
  regionById,
} from "../../src/domain/regions.js";

describe("the 15 counties of 2024", () => {
  it("are the default regions, by county number", () => {
    expect(REGIONS.map((r) => [r.id, r.name])).toEqual([
      ["03", "Oslo"],
      ["11", "Rogaland"],
      ["15", "Møre og Romsdal"],
      ["18", "Nordland"],
      ["31", "Østfold"],
      ["32", "Akershus"],
      ["33", "Buskerud"],
      ["34", "Innlandet"],
      ["39", "Vestfold"],
      ["40", "Telemark"],
      ["42", "Agder"],
      ["46", "Vestland"],
      ["50", "Trøndelag"],
      ["55", "Troms"],
      ["56", "Finnmark"],
    ]);
  });

  it.each([
    ["03", "Oslo"],
    ["15", "Møre og Romsdal"],
    ["46", "Vestland"],
    ["56", "Finnmark"],
  ])("regionById(%s) is %s", (id, name) => {
    expect(regionById(id)?.name).toBe(name);
  });

  it.each([
    ["12", "Hordaland (merged into Vestland 2020)"],
    ["30", "Viken (split 2024)"],
    ["38", "Vestfold og Telemark (split 2024)"],
    ["54", "Troms og Finnmark (split 2024)"],
    ["3", "not padded"],
    [NATIONAL, "the national track is not a region"],
  ])("regionById(%s) is undefined: %s", (id) => {
    expect(regionById(id)).toBeUndefined();
  });

  it("the official Sámi and Kven parallel names are known", () => {
    expect(regionById("18")?.otherNames).toEqual(["Nordlánnda"]);
    expect(regionById("50")?.otherNames).toEqual(["Trööndelage"]);
    expect(regionById("55")?.otherNames).toEqual(["Romsa", "Tromssa"]);
    expect(regionById("56")?.otherNames).toEqual(["Finnmárku", "Finmarkku"]);
  });

  it("Vestland and Møre og Romsdal write nynorsk", () => {
    expect(regionById("46")?.languageForm).toBe("nn");
    expect(regionById("15")?.languageForm).toBe("nn");
  });
});

describe("the agencies", () => {
  it("are IN, SIVA, NFR and RFF, as in the seed", () => {
    expect([...AGENCY_IDS]).toEqual(["IN", "SIVA", "NFR", "RFF"]);
    expect(AGENCIES.IN.name).toBe("Innovasjon Norge");
    expect(AGENCIES.NFR.fullName).toBe("Norges forskningsråd");
    expect(AGENCIES.RFF.fullName).toBe("Regionale forskningsfond");
  });

  it("a new region's parties are IN, SIVA and NFR: the national RFF scheme ended in 2024", () => {
    expect(DEFAULT_PARTY_AGENCIES).toEqual(["IN", "SIVA", "NFR"]);
    expect(DEFAULT_COMMISSION_AGENCIES).toEqual(["IN"]);
  });
});

describe("foldName", () => {
  it.each([
    ["Møre og Romsdal", "moreogromsdal"],
    ["Moere og Romsdal", "moreogromsdal"],
    ["Østfold", "ostfold"],
    ["Trøndelag fylkeskommune", "trondelag"],
    ["Akershus fylke", "akershus"],
    ["Finnmárku", "finnmarku"],
    ["Trööndelage", "troondelage"],
  ])("%s → %s", (input, folded) => {
    expect(foldName(input)).toBe(folded);
  });
});

describe("matchRegion", () => {
  it.each([
    ["Vestland", "46"],
    ["vestland", "46"],
    ["VESTLAND", "46"],
    [" vestland ", "46"],
    ["46", "46"],
    ["3", "03"],
    ["03", "03"],
    ["Oslo", "03"],
    ["More og Romsdal", "15"],
    ["møre og romsdal", "15"],
    ["MØRE OG ROMSDAL", "15"],
    ["Moere og Romsdal", "15"],
    ["Møre-og-Romsdal", "15"],
    ["Ostfold", "31"],
    ["oestfold", "31"],
    ["Trondelag", "50"],
    ["Trøndelag fylkeskommune", "50"],
    ["Trööndelage", "50"],
    ["Romsa", "55"],
    ["Tromssa", "55"],
    ["Finnmárku", "56"],
    ["Finmarkku", "56"],
    ["Nordlánnda", "18"],
    ["vestl", "46"], // a unique prefix is as good as the name
    ["vestf", "39"],
  ])("%j → found %s", (input, id) => {
    const match = matchRegion(input);
    expect(match.kind).toBe("found");
    if (match.kind === "found") expect(match.region.id).toBe(id);
  });

  it.each<[string, string[]]>([
    ["Vestlnd", ["Vestland"]],
    // Tromsø is a town in Troms, not a county: not found, but Troms is suggested.
    ["Tromsø", ["Troms"]],
    ["Rogalnd", ["Rogaland"]],
    // "vest" begins both Vestfold and Vestland: neither is picked, both are offered.
    ["vest", ["Vestfold", "Vestland"]],
    ["xyz", []],
    ["", []],
    ["   ", []],
    ["99", []],
    ["12", []],
  ])("%j → unknown, suggesting %j", (input, suggestions) => {
    const match = matchRegion(input);
    expect(match.kind).toBe("unknown");
    if (match.kind === "unknown") expect(match.suggestions.map((r) => r.name)).toEqual(suggestions);
  });

  it("never suggests more than three regions", () => {
    const match = matchRegion("o");
    expect(match.kind).toBe("unknown");
    if (match.kind === "unknown") expect(match.suggestions.length).toBeLessThanOrEqual(3);
  });
});

describe("former counties and parts of names lead to the right region", () => {
  it.each([
    ["Viken", ["Østfold", "Akershus", "Buskerud"]],
    ["Vestfold og Telemark", ["Vestfold", "Telemark"]],
    ["troms og finnmark", ["Troms", "Finnmark"]],
    ["Hordaland", ["Vestland"]],
    ["Sogn og Fjordane", ["Vestland"]],
    ["Oppland", ["Innlandet"]],
    ["Nord-Trøndelag", ["Trøndelag"]],
    ["Romsdal", ["Møre og Romsdal"]],
  ])("%s → suggests %j first", (query, names) => {
    const match = matchRegion(query);
    expect(match.kind).toBe("unknown");
    if (match.kind === "unknown") expect(match.suggestions.map((r) => r.name).slice(0, names.length)).toEqual(names);
  });
});

describe("the authority's name finds its region", () => {
  it.each([["Oslo kommune", "Oslo"], ["Vestland fylkeskommune", "Vestland"], ["agder fylke", "Agder"]])("%s → %s", (query, name) => {
    const match = matchRegion(query);
    expect(match.kind === "found" && match.region.name).toBe(name);
  });
});
