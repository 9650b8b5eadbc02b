/** What a person wrote → a command (`parseCommand`, pure). */
import { describe, expect, it } from "vitest";
import { MAX_COMMAND_LENGTH, cleanText, parseCommand, parseRoleWords, type Command, type RoleWords } from "../../src/bot/commands.js";
import type { Role } from "../../src/domain/roles.js";

describe("parseCommand", () => {
  it.each<[string | undefined, Command]>([
    ["status", { kind: "status" }],
    ["Status", { kind: "status" }],
    ["STATUS", { kind: "status" }],
    ["Status Vestland", { kind: "status", regionQuery: "Vestland" }],
    ["status  møre og romsdal", { kind: "status", regionQuery: "møre og romsdal" }],
    ["status\tmøre\nog romsdal ", { kind: "status", regionQuery: "møre og romsdal" }],
    ["<at>Samhandling</at> status 46", { kind: "status", regionQuery: "46" }],
    ["<at>Samhandling</at>status", { kind: "status" }],
    ["&nbsp;status", { kind: "status" }],
    ["<p>status&nbsp;Vestland</p>", { kind: "status", regionQuery: "Vestland" }],
    ["oversikt", { kind: "overview" }],
    ["Oversikt", { kind: "overview" }],
    ["overview", { kind: "overview" }],
    ["oversyn", { kind: "overview" }],
    ["oversikt Vestland", { kind: "overview" }],
    ["hjelp", { kind: "help" }],
    ["help", { kind: "help" }],
    ["?", { kind: "help" }],
    ["", { kind: "empty" }],
    ["   ", { kind: "empty" }],
    [undefined, { kind: "empty" }],
    ["<at>Samhandling</at>", { kind: "empty" }],
    ["&nbsp;", { kind: "empty" }],
    ["hei på deg, hva kan du", { kind: "unknown", text: "hei på deg, hva kan du" }],
    ["statusVestland", { kind: "unknown", text: "statusVestland" }],
  ])("%j → %j", (raw, command) => {
    expect(parseCommand(raw)).toEqual(command);
  });

  describe("first contact: what people write before they know the commands", () => {
    it.each<[string, Command]>([
      // A bare region: its name in any spelling the matcher folds, its official parallel name, its county number.
      ["Vestland", { kind: "status", regionQuery: "Vestland" }],
      ["vestland", { kind: "status", regionQuery: "vestland" }],
      ["46", { kind: "status", regionQuery: "46" }],
      ["Møre og Romsdal", { kind: "status", regionQuery: "Møre og Romsdal" }],
      ["more og romsdal", { kind: "status", regionQuery: "more og romsdal" }],
      ["Trøndelag fylkeskommune", { kind: "status", regionQuery: "Trøndelag fylkeskommune" }],
      ["Romsa", { kind: "status", regionQuery: "Romsa" }],
      ["<at>Samhandling</at> Oslo", { kind: "status", regionQuery: "Oslo" }],
      // "status for …", "vis …", "show …".
      ["status for Vestland", { kind: "status", regionQuery: "Vestland" }],
      ["Status i Møre og Romsdal", { kind: "status", regionQuery: "Møre og Romsdal" }],
      ["status of Vestland", { kind: "status", regionQuery: "Vestland" }],
      ["vis Vestland", { kind: "status", regionQuery: "Vestland" }],
      ["Vis status for Vestland", { kind: "status", regionQuery: "Vestland" }],
      ["show Vestland", { kind: "status", regionQuery: "Vestland" }],
      // The national track by name, also where "status" alone means a bound region (the card's national line sends this).
      ["status nasjonalt", { kind: "status", national: true }],
      ["status national track", { kind: "status", national: true }],
      ["vis RUK AU", { kind: "status", national: true }],
      ["vis", { kind: "status" }],
      ["vis oversikt", { kind: "overview" }],
      ["show help", { kind: "help" }],
      ["vis historikk for Vestland", { kind: "history", regionQuery: "Vestland" }],
      ["roller i Vestland", { kind: "roles", regionQuery: "Vestland" }],
      // A lone "for" is what was asked for: the region search says it knows no such region.
      ["status for", { kind: "status", regionQuery: "for" }],
      // Greetings, in bokmål, nynorsk and English, with punctuation and the bot's name.
      ["hei", { kind: "greeting" }],
      ["Hei!", { kind: "greeting" }],
      ["hallo", { kind: "greeting" }],
      ["heisann", { kind: "greeting" }],
      ["God morgen :)", { kind: "greeting" }],
      ["god morgon", { kind: "greeting" }],
      ["hei Samhandling", { kind: "greeting" }],
      ["Hei på deg!", { kind: "greeting" }],
      ["<at>Samhandling</at> hei", { kind: "greeting" }],
      ["hi", { kind: "greeting" }],
      ["Hello there!", { kind: "greeting" }],
      ["good morning", { kind: "greeting" }],
      // Short words that only begin a region's name are not taken for it, nor a number that is no county.
      ["inn", { kind: "unknown", text: "inn" }],
      ["nor", { kind: "unknown", text: "nor" }],
      ["1", { kind: "unknown", text: "1" }],
      ["takk", { kind: "unknown", text: "takk" }],
    ])("%j → %j", (raw, command) => {
      expect(parseCommand(raw)).toEqual(command);
    });
  });

  it("a 10 000-character text is too long", () => {
    expect(parseCommand("a".repeat(10_000))).toEqual({ kind: "too-long", length: 10_000 });
    expect(parseCommand(`status ${"Vestland ".repeat(1_250)}`)).toMatchObject({ kind: "too-long" });
  });

  it(`the limit is ${MAX_COMMAND_LENGTH} characters after cleaning`, () => {
    expect(MAX_COMMAND_LENGTH).toBe(500);
    expect(parseCommand("x".repeat(501))).toEqual({ kind: "too-long", length: 501 });
    expect(parseCommand("x".repeat(500))).toEqual({ kind: "unknown", text: `${"x".repeat(57)}…` });
    // A mention does not count towards the limit.
    expect(parseCommand(`<at>Samhandling</at> ${"x".repeat(500)}`).kind).toBe("unknown");
  });

  it("a long unknown text is shortened to 57 characters and an ellipsis", () => {
    const text = "Kan du fortelje meg korleis det går med samarbeidsavtalen for Vestland i år?";
    const command = parseCommand(text);
    expect(command).toEqual({ kind: "unknown", text: "Kan du fortelje meg korleis det går med samarbeidsavtalen…" });
    if (command.kind === "unknown") expect(command.text).toHaveLength(58);
  });

  it("an unknown text of exactly 60 characters is kept whole", () => {
    const text = "y".repeat(60);
    expect(parseCommand(text)).toEqual({ kind: "unknown", text });
  });
});

describe("cleanText", () => {
  it.each([
    ["<at>Samhandling</at> status 46", "status 46"],
    ["&nbsp;status", "status"],
    ["a &amp; b", "a & b"],
    ["&lt;b&gt;", "<b>"],
    ["  many   spaces\n\there ", "many spaces here"],
  ])("%j → %j", (raw, clean) => {
    expect(cleanText(raw)).toBe(clean);
  });
});

describe("parseCommand: people, bindings and language (bokmål, nynorsk, English)", () => {
  it.each<[string, Command]>([
    ["meg", { kind: "me" }],
    ["Me", { kind: "me" }],
    ["roller", { kind: "roles" }],
    ["roles Vestland", { kind: "roles", regionQuery: "Vestland" }],
    ["bind", { kind: "bind" }],
    ["bind Vestland", { kind: "bind", regionQuery: "Vestland" }],
    ["kople møre og romsdal", { kind: "bind", regionQuery: "møre og romsdal" }],
    ["koble 46", { kind: "bind", regionQuery: "46" }],
    ["løs", { kind: "unbind" }],
    ["løys", { kind: "unbind" }],
    ["unbind", { kind: "unbind" }],
    ["koble fra", { kind: "unbind" }],
    ["kople frå", { kind: "unbind" }],
    ["språk", { kind: "language" }],
    ["språk nynorsk", { kind: "language", choice: { ok: true, lang: "nn" } }],
    ["mål nynorsk", { kind: "language", choice: { ok: true, lang: "nn" } }],
    ["Språk Bokmål", { kind: "language", choice: { ok: true, lang: "nb" } }],
    ["sprak bokmal", { kind: "language", choice: { ok: true, lang: "nb" } }],
    ["language english", { kind: "language", choice: { ok: true, lang: "en" } }],
    ["language en", { kind: "language", choice: { ok: true, lang: "en" } }],
    ["språk teams", { kind: "language", choice: { ok: true, lang: "auto" } }],
    ["språk klingon", { kind: "language", choice: { ok: false, text: "klingon" } }],
    // The person is an @mention, which is not part of the parsed text.
    ["gi <at>Kari Nordmann</at> koordinator Vestland", { kind: "grant", role: { ok: true, role: { kind: "region-coordinator", regionId: "46" } } }],
    ["fjern <at>Kari</at> admin", { kind: "revoke", role: { ok: true, role: { kind: "admin" } } }],
    ["revoke <at>Kari</at> national", { kind: "revoke", role: { ok: true, role: { kind: "national-coordinator" } } }],
    ["admin", { kind: "admin" }],
    ["Administrer", { kind: "admin" }],
    ["administrasjon", { kind: "admin" }],
  ])("%j → %j", (raw, command) => {
    expect(parseCommand(raw)).toEqual(command);
  });
});

describe("parseRoleWords", () => {
  it.each<[string, Role]>([
    ["admin", { kind: "admin" }],
    ["Administrator", { kind: "admin" }],
    ["ruk", { kind: "national-coordinator" }],
    ["RUK AU", { kind: "national-coordinator" }],
    ["nasjonal", { kind: "national-coordinator" }],
    ["nasjonal koordinator", { kind: "national-coordinator" }],
    ["national-coordinator", { kind: "national-coordinator" }],
    ["national coordinator", { kind: "national-coordinator" }],
    ["koordinator Vestland", { kind: "region-coordinator", regionId: "46" }],
    ["koordinator for Vestland", { kind: "region-coordinator", regionId: "46" }],
    ["regionkoordinator More og Romsdal", { kind: "region-coordinator", regionId: "15" }],
    ["coordinator 3", { kind: "region-coordinator", regionId: "03" }],
    ["region coordinator Troms", { kind: "region-coordinator", regionId: "55" }],
    ["region-coordinator:46", { kind: "region-coordinator", regionId: "46" }],
    ["region-coordinator Romsa", { kind: "region-coordinator", regionId: "55" }],
    ["aktør IN", { kind: "agency-rep", agency: "IN" }],
    ["aktør in Vestland", { kind: "agency-rep", agency: "IN", regionId: "46" }],
    ["aktør IN i Vestland", { kind: "agency-rep", agency: "IN", regionId: "46" }],
    ["aktør Innovasjon Norge Vestland", { kind: "agency-rep", agency: "IN", regionId: "46" }],
    ["aktør Innovasjon Norge", { kind: "agency-rep", agency: "IN" }],
    ["aktor siva trondelag", { kind: "agency-rep", agency: "SIVA", regionId: "50" }],
    ["aktør Forskningsrådet Agder", { kind: "agency-rep", agency: "NFR", regionId: "42" }],
    ["aktør Forskingsrådet Møre og Romsdal", { kind: "agency-rep", agency: "NFR", regionId: "15" }],
    ["kontaktperson NFR", { kind: "agency-rep", agency: "NFR" }],
    ["agency RFF Vestland", { kind: "agency-rep", agency: "RFF", regionId: "46" }],
    ["agency Research Council of Norway in Trøndelag", { kind: "agency-rep", agency: "NFR", regionId: "50" }],
    ["agency-rep:IN", { kind: "agency-rep", agency: "IN" }],
    ["agency-rep:IN:46", { kind: "agency-rep", agency: "IN", regionId: "46" }],
  ])("%j → %j", (text, role) => {
    expect(parseRoleWords(text)).toEqual({ ok: true, role });
  });

  it.each<[string, RoleWords]>([
    ["", { ok: false, problem: "missing" }],
    ["sjef", { ok: false, problem: "unknown-word", text: "sjef" }],
    ["Kari koordinator Vestland", { ok: false, problem: "unknown-word", text: "Kari koordinator Vestland" }],
    ["admin Vestland", { ok: false, problem: "unknown-word", text: "admin Vestland" }],
    ["ruk Vestland", { ok: false, problem: "unknown-word", text: "ruk Vestland" }],
    ["koordinator", { ok: false, problem: "region-needed" }],
    ["aktør", { ok: false, problem: "agency-needed" }],
    ["aktør XY Vestland", { ok: false, problem: "unknown-agency", text: "XY" }],
    ["agency-rep:XX:46", { ok: false, problem: "unknown-agency", text: "XX" }],
    ["koordinator Atlantis", { ok: false, problem: "unknown-region", query: "Atlantis", suggestions: [] }],
    ["region-coordinator:99", { ok: false, problem: "unknown-region", query: "99", suggestions: [] }],
  ])("%j is refused: %j", (text, refusal) => {
    expect(parseRoleWords(text)).toEqual(refusal);
  });

  it("a misspelt region comes with suggestions; a former county with its successors", () => {
    const typo = parseRoleWords("koordinator Vestlnd");
    expect(typo).toMatchObject({ ok: false, problem: "unknown-region", query: "Vestlnd" });
    if (!typo.ok && typo.problem === "unknown-region") expect(typo.suggestions.map((r) => r.id)).toEqual(["46"]);
    const former = parseRoleWords("aktør IN Viken");
    if (former.ok || former.problem !== "unknown-region") throw new Error("expected unknown-region");
    expect(former.suggestions.map((r) => r.name)).toEqual(["Østfold", "Akershus", "Buskerud"]);
  });
});
