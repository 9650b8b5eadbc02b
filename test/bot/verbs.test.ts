/** One verb, one handler: every Action.Execute verb in adaptive-cards/ is handled, and every handled verb is on some card. */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HANDLED_VERBS } from "../../src/bot/card-actions.js";

const dir = join(import.meta.dirname, "..", "..", "adaptive-cards");

function verbsIn(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((n) => verbsIn(n, found));
  else if (node && typeof node === "object") {
    const n = node as Record<string, unknown>;
    if (n.type === "Action.Execute") {
      if (typeof n.verb !== "string" || n.verb.includes("${")) throw new Error(`a template verb must be a literal: ${JSON.stringify(n.verb)}`);
      found.add(n.verb);
    }
    Object.values(n).forEach((v) => verbsIn(v, found));
  }
  return found;
}

describe("card verbs", () => {
  const inTemplates = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".json"))) verbsIn(JSON.parse(readFileSync(join(dir, file), "utf8")), inTemplates);

  it("every verb in the templates has a handler", () => {
    expect([...inTemplates].filter((v) => !HANDLED_VERBS.includes(v))).toEqual([]);
  });

  it("every handler's verb appears on a card", () => {
    expect(HANDLED_VERBS.filter((v) => !inTemplates.has(v))).toEqual([]);
  });

  it("there are verbs at all (the scan found the record form and the status card)", () => {
    expect(inTemplates.has("meeting.held")).toBe(true);
    expect(inTemplates.has("form.open")).toBe(true);
  });
});
