// @vitest-environment jsdom
/**
 * Names are text, and short (issue 11), as pure rules: the one cap on a stored name
 * (`displayName`), the one way person-supplied text is made safe for a card (`userText`,
 * `userName`), and the cards given names stored before the cap (a 100 KB name already in the
 * store must not make a card pass Teams' 28 KB, or put a link in it). The same names through
 * real HTTP: test/bot/hostile-names.http.test.ts.
 */
import { describe, expect, it } from "vitest";
import type { Assignment } from "../../src/app/people.js";
import { historyEntries, pageOf } from "../../src/app/history.js";
import { renderAdminCard } from "../../src/cards/admin-card.js";
import { renderHistoryCard } from "../../src/cards/history-card.js";
import { renderMeCard, renderRosterCard } from "../../src/cards/people-cards.js";
import { cardBytes, MAX_CARD_BYTES, userName, userText } from "../../src/cards/templates.js";
import { renderWelcomeCard } from "../../src/cards/welcome-card.js";
import { reduceCycle } from "../../src/domain/cycle.js";
import { displayName, MAX_NAME_CHARS } from "../../src/domain/display-name.js";
import type { DomainEvent } from "../../src/domain/events.js";
import { REGIONS } from "../../src/domain/regions.js";
import { checkCard, checkCardWithPeoplePicker, markdownLive, markdownTexts } from "../support/card-check.js";

const HUGE = `Kari [Trykk her](https://evil.example) ![x](https://evil.example/x.png) **fet** \${$root.secret} ${"x".repeat(100 * 1024)}`;

describe("displayName: the one cap on a stored name", () => {
  it("keeps a real name as it is, and cuts anything past Teams' 256 characters with «…»", () => {
    expect(displayName("Kari Nordmann")).toBe("Kari Nordmann");
    expect(displayName("Å".repeat(256))).toBe("Å".repeat(256));
    const cut = displayName(HUGE);
    expect(cut).toHaveLength(MAX_NAME_CHARS);
    expect(cut.endsWith("x…")).toBe(true);
    expect(displayName(cut)).toBe(cut);
  });

  it("a name is one line, never half an emoji, and nothing that is not a string", () => {
    expect(displayName(" Kari\n# Overskrift\r\n- punkt\u2028slutt ")).toBe("Kari # Overskrift - punkt slutt");
    const emoji = displayName(`${"a".repeat(254)}😀😀`);
    expect(emoji).toBe(`${"a".repeat(254)}…`);
    expect(displayName(undefined)).toBe("");
    expect(displayName(42)).toBe("");
  });
});

describe("userText: person-supplied text in a card's Markdown", () => {
  it("a link, an image, bold and template syntax stay text", () => {
    expect(userText("Kari [Trykk her](https://evil.example)")).toBe("Kari \\[Trykk her\\]\\(https://evil.example\\)");
    expect(userText("![x](https://evil.example/x.png)")).toBe("\\!\\[x\\]\\(https://evil.example/x.png\\)");
    expect(userText("**fet**")).toBe("\\*\\*fet\\*\\*");
    expect(userText("${$root.secret}")).toBe("$ {$root.secret}");
    expect(userText("&#91;x&#93;")).toBe("\\&\\#91;x\\&\\#93;");
  });

  it("a line cannot start a list, a heading or a rule, nor add lines; a block keeps its lines, each safe", () => {
    expect(userText("1. Kari")).toBe("1\\. Kari");
    expect(userText("- Kari")).toBe("\\- Kari");
    expect(userText("# Kari\n\n===")).toBe("\\# Kari ===");
    expect(userText("===\nKari", "block")).toBe("\\===\nKari");
    expect(userText("Første linje\n- andre\n3) tredje", "block")).toBe("Første linje\n\\- andre\n3\\) tredje");
  });

  it("userName cuts a name stored before the cap", () => {
    expect(userName(HUGE).length).toBeLessThan(MAX_NAME_CHARS + 40);
    expect(userName(HUGE)).not.toContain("](");
  });
});

describe("cards given names stored before the cap (100 KB each) stay under 28 KB, with no link in them", () => {
  const people = Array.from({ length: 8 }, (_, i) => ({ id: `00000000-0000-0000-0000-0000000000${String(i).padStart(2, "0")}`, name: `${i} ${HUGE}` }));
  const assignments: Assignment[] = people.map((person, i) => ({
    person,
    role: i === 0 ? { kind: "admin" } : { kind: "region-coordinator", regionId: REGIONS[i % REGIONS.length]!.id },
    grantedBy: people[0]!,
    grantedAt: "2027-03-17T09:00:00.000Z",
  }));
  const roster = { assignments, configuredAdmins: [] };
  const noLinks = (card: object) => {
    expect(cardBytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
    expect(JSON.stringify(card)).not.toContain("x".repeat(MAX_NAME_CHARS));
    const live = markdownTexts(card).map(markdownLive).join("\n");
    for (const syntax of ["[Trykk her](", "![x](", "**fet**", "${"]) expect(live).not.toContain(syntax);
  };

  it("«roller», «meg», the admin card (roster, binding, picked person) and the welcome card", () => {
    for (const card of [renderRosterCard(roster, undefined, "nb"), renderMeCard(people[1]!.name, [{ kind: "admin" }], "nb"), renderWelcomeCard({ shared: true, adminNames: people.map((p) => p.name), unnamedAdmins: 0 }, "nb")]) {
      checkCard(card);
      noLinks(card);
    }
    const admin = renderAdminCard(
      {
        roster,
        conversation: { binding: { regionId: "46", boundBy: people[2]!, boundAt: "2027-03-17T09:00:00.000Z" } },
        values: { person: people[3]! },
      },
      "nb",
    );
    checkCardWithPeoplePicker(admin);
    noLinks(admin);
  });

  it("the history: who changed what, ten to a page", () => {
    const events: DomainEvent[] = people.map((by, i) => ({ id: `e-${i}`, recordedAt: `2027-03-17T09:0${i}:00.000Z`, by, data: { type: "meeting-planned", meeting: "regional-spring", date: "2027-04-21" } }));
    const cycle = { regionId: "46", year: 2027, events, state: reduceCycle("46", 2027, events) };
    const card = renderHistoryCard({ regionId: "46", years: [2027], ...pageOf(historyEntries([cycle]), 1) }, "nb");
    checkCard(card);
    noLinks(card);
  });
});
