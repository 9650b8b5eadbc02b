/**
 * The regions (county authorities, fylkeskommunar) and the funding agencies (virkemiddelaktørar)
 * of the collaboration model. Pure data plus forgiving name matching.
 */
import { distance } from "fastest-levenshtein";

/** The national track (RUK AU's meetings, state budget, allocation letters) lives under this id. */
export const NATIONAL = "national";

export type AgencyId = "IN" | "SIVA" | "NFR" | "RFF";
export const AGENCY_IDS = ["IN", "SIVA", "NFR", "RFF"] as const satisfies readonly AgencyId[];

export interface Agency {
  id: AgencyId;
  /** The name people use for it in Norway; the same in bokmål and nynorsk. */
  name: string;
  fullName: string;
}

/** The seed's agencies (intro and §2.1). RFF as a national scheme ended in 2024, so it is not a default party. */
export const AGENCIES: Record<AgencyId, Agency> = {
  IN: { id: "IN", name: "Innovasjon Norge", fullName: "Innovasjon Norge" },
  SIVA: { id: "SIVA", name: "SIVA", fullName: "Selskapet for industrivekst (SIVA)" },
  NFR: { id: "NFR", name: "Forskningsrådet", fullName: "Norges forskningsråd" },
  RFF: { id: "RFF", name: "RFF", fullName: "Regionale forskningsfond" },
};

export const DEFAULT_PARTY_AGENCIES: readonly AgencyId[] = ["IN", "SIVA", "NFR"];
/**
 * Agencies that by default receive a commission agreement (oppdragsavtale / oppdragsbrev, §3.3)
 * from the region. The counties' yearly commission to Innovasjon Norge is the common case;
 * other agencies are added per region.
 */
export const DEFAULT_COMMISSION_AGENCIES: readonly AgencyId[] = ["IN"];

export interface Region {
  /** County number as a two-digit string, used as the region id (stable across renames). */
  id: string;
  name: string;
  /** Official parallel names (Sámi / Kven) where they exist; they match in commands too. */
  otherNames: string[];
  /** The county authority as an organisation: who is responsible for the region's steps. */
  authority: string;
  /** The written standard the county administration uses towards the public. */
  languageForm: "nb" | "nn" | "neutral";
}

/** The 15 counties from 1 January 2024, with their official name forms. */
/** Oslo is a municipality with county functions; its authority is Oslo kommune. */
export const REGIONS: readonly Region[] = [
  { id: "03", name: "Oslo", authority: "Oslo kommune", otherNames: [], languageForm: "nb" },
  { id: "11", name: "Rogaland", authority: "Rogaland fylkeskommune", otherNames: [], languageForm: "neutral" },
  { id: "15", name: "Møre og Romsdal", authority: "Møre og Romsdal fylkeskommune", otherNames: [], languageForm: "nn" },
  { id: "18", name: "Nordland", authority: "Nordland fylkeskommune", otherNames: ["Nordlánnda"], languageForm: "neutral" },
  { id: "31", name: "Østfold", authority: "Østfold fylkeskommune", otherNames: [], languageForm: "nb" },
  { id: "32", name: "Akershus", authority: "Akershus fylkeskommune", otherNames: [], languageForm: "nb" },
  { id: "33", name: "Buskerud", authority: "Buskerud fylkeskommune", otherNames: [], languageForm: "nb" },
  { id: "34", name: "Innlandet", authority: "Innlandet fylkeskommune", otherNames: [], languageForm: "neutral" },
  { id: "39", name: "Vestfold", authority: "Vestfold fylkeskommune", otherNames: [], languageForm: "nb" },
  { id: "40", name: "Telemark", authority: "Telemark fylkeskommune", otherNames: [], languageForm: "neutral" },
  { id: "42", name: "Agder", authority: "Agder fylkeskommune", otherNames: [], languageForm: "nb" },
  { id: "46", name: "Vestland", authority: "Vestland fylkeskommune", otherNames: [], languageForm: "nn" },
  { id: "50", name: "Trøndelag", authority: "Trøndelag fylkeskommune", otherNames: ["Trööndelage"], languageForm: "nb" },
  { id: "55", name: "Troms", authority: "Troms fylkeskommune", otherNames: ["Romsa", "Tromssa"], languageForm: "nb" },
  { id: "56", name: "Finnmark", authority: "Finnmark fylkeskommune", otherNames: ["Finnmárku", "Finmarkku"], languageForm: "nb" },
];

const BY_ID = new Map(REGIONS.map((r) => [r.id, r]));

/**
 * The language of a card shared in a chat or channel, from the written form the region's county
 * administration uses: nynorsk regions get nynorsk; bokmål and language-neutral regions (and the
 * national track, which has no form of its own) get bokmål, the form most readers use.
 */
export function regionLanguage(regionId: string): "nb" | "nn" {
  return regionById(regionId)?.languageForm === "nn" ? "nn" : "nb";
}

export function regionById(id: string): Region | undefined {
  return BY_ID.get(id);
}

/**
 * Folds a name so that people can type it the way their keyboard allows: case, accents, æøå
 * written as ae/oe/aa or a/o/a, spaces and hyphens, and a trailing "fylke(skommune)".
 */
export function foldName(text: string): string {
  return text
    .toLowerCase()
    .replace(/æ/g, "a")
    .replace(/[øö]/g, "o")
    .replace(/å/g, "a")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .replace(/oe/g, "o")
    .replace(/aa/g, "a")
    .replace(/ae/g, "a")
    .replace(/\b(fylkeskommune|fylke|kommune)\b/g, "")
    .replace(/[^a-z0-9]/g, "");
}

const FOLDED = REGIONS.flatMap((r) => [r.name, ...r.otherNames].map((n) => ({ key: foldName(n), region: r })));

/**
 * Counties that no longer exist, and the counties that took over (2020 and 2024 reforms):
 * people still type them, and deserve the right suggestion.
 */
const FORMER_COUNTIES: Record<string, string[]> = {
  Viken: ["31", "32", "33"],
  "Vestfold og Telemark": ["39", "40"],
  "Troms og Finnmark": ["55", "56"],
  Hordaland: ["46"],
  "Sogn og Fjordane": ["46"],
  "Aust-Agder": ["42"],
  "Vest-Agder": ["42"],
  Hedmark: ["34"],
  Oppland: ["34"],
  "Sør-Trøndelag": ["50"],
  "Nord-Trøndelag": ["50"],
};
const FORMER = new Map(Object.entries(FORMER_COUNTIES).map(([name, ids]) => [foldName(name), ids.map((id) => BY_ID.get(id)!)]));

export type RegionMatch = { kind: "found"; region: Region } | { kind: "unknown"; suggestions: Region[] };

/** Finds a region by name, parallel name or county number ("46", "3" or "03"). */
export function matchRegion(input: string): RegionMatch {
  const trimmed = input.trim();
  if (/^\d{1,2}$/.test(trimmed)) {
    const region = BY_ID.get(trimmed.padStart(2, "0"));
    if (region) return { kind: "found", region };
  }
  const key = foldName(trimmed);
  if (key === "") return { kind: "unknown", suggestions: [] };
  const exact = FOLDED.find((f) => f.key === key);
  if (exact) return { kind: "found", region: exact.region };
  const successors = FORMER.get(key);
  if (successors) return { kind: "unknown", suggestions: successors };
  // A unique prefix ("vest" is ambiguous, "vestl" is not) is as good as the full name.
  const prefixed = unique(FOLDED.filter((f) => f.key.startsWith(key)).map((f) => f.region));
  if (prefixed.length === 1 && key.length >= 3) return { kind: "found", region: prefixed[0]! };
  const near = FOLDED.map((f) => ({ region: f.region, d: distance(key, f.key.slice(0, Math.max(key.length, 1))) }))
    .filter((x) => x.d <= Math.max(1, Math.floor(key.length / 3)))
    .sort((a, b) => a.d - b.d)
    .map((x) => x.region);
  // "Romsdal" is part of "Møre og Romsdal": a word of the name is a good hint too.
  const contained = key.length >= 4 ? FOLDED.filter((f) => f.key.includes(key)).map((f) => f.region) : [];
  return { kind: "unknown", suggestions: unique([...prefixed, ...contained, ...near]).slice(0, 3) };
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}
