/** What a person wrote → a command (`parseCommand`, pure). */
import { describe, expect, it } from "vitest";
import { MAX_COMMAND_LENGTH, cleanText, parseCommand, type Command } from "../../src/bot/commands.js";

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
    ["hei", { kind: "unknown", text: "hei" }],
    ["statusVestland", { kind: "unknown", text: "statusVestland" }],
  ])("%j → %j", (raw, command) => {
    expect(parseCommand(raw)).toEqual(command);
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
