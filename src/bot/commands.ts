/**
 * What a person wrote → a command. Pure; the handler does the rest. Teams delivers channel and
 * group messages with the bot's @mention in the text; the bot strips it before parsing, and
 * here any leftover markup is removed as well.
 */
import type { Lang } from "../domain/calendar.js";
import { foldName, matchRegion, type AgencyId, type Region } from "../domain/regions.js";
import type { Role } from "../domain/roles.js";
import type { Round } from "../domain/process.js";

/** Commands are short; anything longer is not a command and is refused politely. */
export const MAX_COMMAND_LENGTH = 500;

export type Command =
  /** `national` when the words name the national track ("status nasjonalt"), even in a channel bound to a region. */
  | { kind: "status"; regionQuery?: string; national?: true }
  | { kind: "overview" }
  /** The audit trail; `national` when the words name the national track ("historikk nasjonalt"). */
  | { kind: "history"; regionQuery?: string; national?: true }
  /** The region's agreement of a year (§2.1): its parties and concrete tasks. */
  | { kind: "agreement"; regionQuery?: string; year?: number }
  /** A report round's summary (issue 10): region, round and year as written, any left out. */
  | { kind: "report"; regionQuery?: string; round?: Round; year?: number }
  | { kind: "help" }
  | { kind: "me" }
  /** The person comes from the message's @mention, not from the text. */
  | { kind: "grant"; role: RoleWords }
  | { kind: "revoke"; role: RoleWords }
  | { kind: "roles"; regionQuery?: string }
  /** Without a region: tell the current binding. */
  | { kind: "bind"; regionQuery?: string }
  | { kind: "unbind" }
  /** The admin card: roles by people picker, the conversation's binding, who holds what. */
  | { kind: "admin" }
  /** Without a choice: tell the current language. */
  | { kind: "language"; choice?: LanguageChoice }
  | { kind: "empty" }
  | { kind: "too-long"; length: number }
  /** "hei", "god morgen", "hello": answered with the short help and its buttons, like an unknown message. */
  | { kind: "greeting" }
  | { kind: "unknown"; text: string };

type Verb = "status" | "overview" | "history" | "agreement" | "report" | "help" | "me" | "grant" | "revoke" | "roles" | "bind" | "unbind" | "language" | "admin";

/** The first word of a command, in bokmål, nynorsk and English. */
const WORDS: Record<string, Verb> = {
  status: "status",
  oversikt: "overview",
  overview: "overview",
  historikk: "history",
  history: "history",
  avtale: "agreement",
  rapport: "report",
  report: "report",
  samarbeidsavtale: "agreement",
  agreement: "agreement",
  oversyn: "overview",
  hjelp: "help",
  help: "help",
  "?": "help",
  meg: "me",
  me: "me",
  gi: "grant",
  tildel: "grant",
  grant: "grant",
  fjern: "revoke",
  revoke: "revoke",
  roller: "roles",
  roles: "roles",
  bind: "bind",
  kople: "bind",
  koble: "bind",
  løs: "unbind",
  løys: "unbind",
  unbind: "unbind",
  admin: "admin",
  administrer: "admin",
  administrasjon: "admin",
  språk: "language",
  sprak: "language",
  mål: "language",
  language: "language",
};

/** Words (folded) for the national track after "status" or "historikk": "nasjonalt", "national track", "RUK AU". */
const NATIONAL_WORDS = new Set(["nasjonalt", "nasjonal", "nasjonaltspor", "national", "nationaltrack", "ruk", "rukau"]);

/** "vis Vestland", "show Vestland" mean status; "vis oversikt" is the overview. */
const SHOW_WORDS = new Set(["vis", "show"]);

/**
 * Greetings (lower case, punctuation gone) in bokmål, nynorsk and English. A first message is
 * often one of these: it gets the short help with buttons, not "I did not understand".
 */
const GREETINGS = new Set([
  "hei", "hei hei", "heihei", "heisann", "heisan", "heia", "hei på deg", "hei på dykk", "hallo", "halla", "hallais", "hallois", "hoi", "morn", "morna",
  "god morgen", "god morgon", "god morn", "god dag", "goddag", "god ettermiddag", "god kveld",
  "hi", "hello", "hey", "hiya", "good morning", "good afternoon", "good evening", "good day",
]);

/** "status for Vestland", "historikk i Vestland", "roles of Vestland": a little word before the region is fine. */
const REGION_PREPOSITIONS = new Set(["for", "i", "på", "pa", "frå", "fra", "of", "in", "om"]);

/** "koble fra" / "kople frå" / "bind fra" undo a binding like "løs". */
const UNBIND_AFTER_BIND = new Set(["fra", "frå", "fraa", "laus", "løs", "løys"]);

export function parseCommand(raw: string | undefined): Command {
  const text = cleanText(raw ?? "");
  if (text.length > MAX_COMMAND_LENGTH) return { kind: "too-long", length: text.length };
  if (text === "") return { kind: "empty" };
  const [first = "", ...rest] = text.split(" ");
  if (SHOW_WORDS.has(first.toLowerCase())) {
    // "vis oversikt", "show help": another command after "vis"; anything else is what to show the status of.
    const after = rest.join(" ").trim();
    const next = after.split(" ")[0]!.toLowerCase();
    return WORDS[next] !== undefined ? parseCommand(after) : parseCommand(`status ${after}`);
  }
  const word = WORDS[first.toLowerCase()];
  const argument = word === "status" || word === "history" || word === "roles" || word === "agreement" || word === "report" ? withoutPreposition(rest) : rest.join(" ").trim();
  switch (word) {
    case "status":
      if (NATIONAL_WORDS.has(foldName(argument))) return { kind: "status", national: true };
      return argument ? { kind: "status", regionQuery: argument } : { kind: "status" };
    case "overview":
      return { kind: "overview" };
    case "history":
      if (NATIONAL_WORDS.has(foldName(argument))) return { kind: "history", national: true };
      return argument ? { kind: "history", regionQuery: argument } : { kind: "history" };
    case "agreement":
      return agreementCommand(argument);
    case "report":
      return reportCommand(argument);
    case "help":
      return { kind: "help" };
    case "me":
      return { kind: "me" };
    case "grant":
    case "revoke":
      return { kind: word, role: parseRoleWords(argument) };
    case "roles":
      return argument ? { kind: "roles", regionQuery: argument } : { kind: "roles" };
    case "bind":
      if (UNBIND_AFTER_BIND.has(argument.toLowerCase())) return { kind: "unbind" };
      return argument ? { kind: "bind", regionQuery: argument } : { kind: "bind" };
    case "unbind":
      return { kind: "unbind" };
    case "admin":
      return { kind: "admin" };
    case "language":
      return argument ? { kind: "language", choice: parseLanguage(argument) } : { kind: "language" };
    default:
      if (GREETINGS.has(greetingKey(text))) return { kind: "greeting" };
      // A bare region name or number ("Vestland", "46", "Møre og Romsdal") asks for its status.
      if (isRegionName(text)) return { kind: "status", regionQuery: text };
      return { kind: "unknown", text: text.length > 60 ? `${text.slice(0, 57)}…` : text };
  }
}

/** "avtale Vestland 2028", "avtale 2028", "agreement 46": the year is a four-digit word at the end. */
function agreementCommand(argument: string): Command {
  const words = argument.split(" ").filter(Boolean);
  const last = words.at(-1);
  const year = last !== undefined && /^2\d{3}$/.test(last) ? Number(last) : undefined;
  const regionQuery = (year !== undefined ? words.slice(0, -1) : words).join(" ").trim();
  return { kind: "agreement", ...(regionQuery ? { regionQuery } : {}), ...(year !== undefined ? { year } : {}) };
}

/** The rounds as people write them (folded): "vår", "høst", nynorsk "haust", English. */
const ROUND_WORDS: Record<string, Round> = { var: "spring", varen: "spring", spring: "spring", host: "autumn", hosten: "autumn", haust: "autumn", hausten: "autumn", autumn: "autumn", fall: "autumn" };

/** "rapport Vestland høst 2027", "rapport vår", "report 46 autumn": round and year are words of their own, in any order. */
function reportCommand(argument: string): Command {
  let round: Round | undefined;
  let year: number | undefined;
  const rest: string[] = [];
  for (const word of argument.split(" ").filter(Boolean)) {
    const asRound = ROUND_WORDS[foldName(word)];
    if (asRound && round === undefined) round = asRound;
    else if (/^2\d{3}$/.test(word) && year === undefined) year = Number(word);
    else rest.push(word);
  }
  const regionQuery = withoutPreposition(rest);
  return { kind: "report", ...(regionQuery ? { regionQuery } : {}), ...(round ? { round } : {}), ...(year !== undefined ? { year } : {}) };
}

/** "for Vestland" → "Vestland"; a lone "for" stays (it is then what was asked for). */
function withoutPreposition(words: string[]): string {
  const meaningful = words.length > 1 && REGION_PREPOSITIONS.has(words[0]!.toLowerCase()) ? words.slice(1) : words;
  return meaningful.join(" ").trim();
}

/** "Hei!", "God morgen :)", "hei Samhandling" → "hei", "god morgen", "hei". */
function greetingKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N} ]/gu, " ")
    .replace(/\b(samhandling|bot|alle|du|dere|de|all|there|everyone)\b/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * A region by its full name (any spelling the matcher folds: "vestland", "More og Romsdal",
 * "Trøndelag fylkeskommune", "Romsa") or its county number. Stricter than after "status", where a
 * prefix will do: bare, "inn" or "nor" are words, not Innlandet or Nordland.
 */
function isRegionName(text: string): boolean {
  const match = matchRegion(text);
  if (match.kind !== "found") return false;
  if (/^\d{1,2}$/.test(text.trim())) return true;
  const key = foldName(text);
  return [match.region.name, ...match.region.otherNames].some((name) => foldName(name) === key);
}

/** Removes <at>…</at> mentions, HTML tags and entities Teams may leave, and folds white space. */
export function cleanText(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/\s+/g, " ")
    .trim();
}

export type LanguageChoice = { ok: true; lang: Lang | "auto" } | { ok: false; text: string };

const LANGUAGE_WORDS: Record<string, Lang | "auto"> = {
  bokmål: "nb",
  bokmal: "nb",
  bokmaal: "nb",
  nb: "nb",
  norsk: "nb",
  nynorsk: "nn",
  nn: "nn",
  english: "en",
  engelsk: "en",
  en: "en",
  // Back to following the Teams locale.
  auto: "auto",
  teams: "auto",
};

export function parseLanguage(text: string): LanguageChoice {
  const lang = LANGUAGE_WORDS[text.trim().toLowerCase()];
  return lang ? { ok: true, lang } : { ok: false, text: shorten(text) };
}

/**
 * A role as an admin writes it after "gi @Kari", in any of the three languages, or canonically
 * (`region-coordinator:46`, `agency-rep:IN:46`). Regions match as in "status" (names, numbers,
 * forgiving spelling); what is wrong is named, so the refusal can say it.
 */
export type RoleWords =
  | { ok: true; role: Role }
  | { ok: false; problem: "missing" | "region-needed" | "agency-needed" }
  | { ok: false; problem: "unknown-word" | "unknown-agency"; text: string }
  | { ok: false; problem: "unknown-region"; query: string; suggestions: Region[] };

type RoleWordKind = "admin" | "national" | "coordinator" | "agency";

/** Keys are folded (foldName: lower case, no spaces or hyphens, æøå simplified). */
const ROLE_WORDS: Record<string, RoleWordKind> = {
  admin: "admin",
  administrator: "admin",
  ruk: "national",
  rukau: "national",
  nasjonal: "national",
  nasjonalkoordinator: "national",
  national: "national",
  nationalcoordinator: "national",
  koordinator: "coordinator",
  regionkoordinator: "coordinator",
  fylkeskoordinator: "coordinator",
  coordinator: "coordinator",
  regioncoordinator: "coordinator",
  aktor: "agency",
  virkemiddelaktor: "agency",
  kontaktperson: "agency",
  agency: "agency",
  agencyrep: "agency",
  contact: "agency",
};

/** How people name the agencies (folded), beside their ids. */
const AGENCY_NAMES: Record<string, AgencyId> = {
  in: "IN",
  innovasjonnorge: "IN",
  innovationnorway: "IN",
  siva: "SIVA",
  selskapetforindustrivekst: "SIVA",
  nfr: "NFR",
  forskningsradet: "NFR",
  forskingsradet: "NFR",
  norgesforskningsrad: "NFR",
  noregsforskingsrad: "NFR",
  researchcouncil: "NFR",
  researchcouncilofnorway: "NFR",
  rff: "RFF",
  regionaleforskningsfond: "RFF",
  regionalresearchfunds: "RFF",
};

/** "koordinator for Vestland", "aktør IN i Vestland": a little word before the region is fine. */
const PREPOSITIONS = new Set(["i", "in", "for", "på", "pa"]);

export function parseRoleWords(raw: string): RoleWords {
  // The canonical form reads like the words: "agency-rep:IN:46" is "agency-rep IN 46".
  const words = raw.replace(/:/g, " ").split(" ").filter(Boolean);
  if (words.length === 0) return { ok: false, problem: "missing" };
  // Two-word role names ("ruk au", "region coordinator", "nasjonal koordinator") first.
  const two = words.length >= 2 ? ROLE_WORDS[foldName(words[0]! + words[1]!)] : undefined;
  const kind = two ?? ROLE_WORDS[foldName(words[0]!)];
  const rest = words.slice(two ? 2 : 1);
  switch (kind) {
    case "admin":
      return rest.length === 0 ? { ok: true, role: { kind: "admin" } } : { ok: false, problem: "unknown-word", text: shorten(raw) };
    case "national":
      return rest.length === 0 ? { ok: true, role: { kind: "national-coordinator" } } : { ok: false, problem: "unknown-word", text: shorten(raw) };
    case "coordinator": {
      const region = regionOf(rest);
      if (region === undefined) return { ok: false, problem: "region-needed" };
      if (region.kind === "unknown") return region.refusal;
      return { ok: true, role: { kind: "region-coordinator", regionId: region.id } };
    }
    case "agency": {
      if (rest.length === 0) return { ok: false, problem: "agency-needed" };
      // The longest run of words that names an agency ("Innovasjon Norge"); the rest is the region.
      for (let n = rest.length; n >= 1; n--) {
        const agency = AGENCY_NAMES[foldName(rest.slice(0, n).join(" "))];
        if (!agency) continue;
        const region = regionOf(rest.slice(n));
        if (region === undefined) return { ok: true, role: { kind: "agency-rep", agency } };
        if (region.kind === "unknown") return region.refusal;
        return { ok: true, role: { kind: "agency-rep", agency, regionId: region.id } };
      }
      // The first word is where it went wrong ("aktør XY Vestland" → "XY").
      return { ok: false, problem: "unknown-agency", text: shorten(rest[0]!) };
    }
    default:
      return { ok: false, problem: "unknown-word", text: shorten(raw) };
  }
}

function regionOf(words: string[]): { kind: "found"; id: string } | { kind: "unknown"; refusal: RoleWords } | undefined {
  const meaningful = words.length > 1 && PREPOSITIONS.has(words[0]!.toLowerCase()) ? words.slice(1) : words;
  if (meaningful.length === 0) return undefined;
  const query = meaningful.join(" ");
  const match = matchRegion(query);
  if (match.kind === "found") return { kind: "found", id: match.region.id };
  return { kind: "unknown", refusal: { ok: false, problem: "unknown-region", query: shorten(query), suggestions: match.suggestions } };
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
