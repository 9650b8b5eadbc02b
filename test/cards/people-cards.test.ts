// @vitest-environment jsdom
/**
 * The roles template (`adaptive-cards/roles.json`: «meg» and «roller») and the help card with
 * the administrators' group: valid, under 28 KB, in every language, empty or full.
 */
import { describe, expect, it } from "vitest";
import { MAX_ROSTER_LINES, renderMeCard, renderRosterCard, roleName } from "../../src/cards/people-cards.js";
import { renderHelpCard } from "../../src/cards/simple-cards.js";
import { cardBytes } from "../../src/cards/templates.js";
import type { Lang } from "../../src/domain/calendar.js";
import { REGIONS } from "../../src/domain/regions.js";
import type { Role } from "../../src/domain/roles.js";
import { translator } from "../../src/i18n/index.js";
import { cardText } from "../support/harness.js";
import { checkCard } from "../support/card-check.js";
import { fullRoster } from "../support/rosters.js";

const LANGS: Lang[] = ["nb", "nn", "en"];

describe("roles cards are valid and under 28 KB", () => {
  it.each(LANGS)("«meg» with every kind of role, with none, and for someone unknown (%s)", (lang) => {
    const roles: Role[] = [{ kind: "admin" }, { kind: "national-coordinator" }, { kind: "region-coordinator", regionId: "15" }, { kind: "agency-rep", agency: "NFR" }, { kind: "agency-rep", agency: "IN", regionId: "46" }];
    checkCard(renderMeCard("Kari ${Nordmann}", roles, lang));
    checkCard(renderMeCard("Kari Nordmann", [], lang));
    checkCard(renderMeCard(undefined, [], lang));
  });

  it.each(LANGS)("«roller» empty, for one region, and with every role held by three people (%s)", (lang) => {
    checkCard(renderRosterCard({ assignments: [], configuredAdmins: [] }, undefined, lang));
    checkCard(renderRosterCard({ assignments: [], configuredAdmins: ["x"] }, REGIONS[0], lang));
    const full = fullRoster(3);
    checkCard(renderRosterCard(full, undefined, lang));
    for (const region of REGIONS) checkCard(renderRosterCard(full, region, lang));
  });

  it("a very long list is cut at the line budget and says how many more there are", () => {
    const full = fullRoster(3);
    const card = renderRosterCard(full, undefined, "nb");
    const text = cardText(card);
    const lines = text.split("\n").filter((l) => l.includes(" – ") || l.startsWith("Person nummer") || l.includes("fra oppsettet"));
    expect(lines).toHaveLength(MAX_ROSTER_LINES);
    // 3 admins + 1 configured line + 3 × (RUK + 4 national agencies) + 3 × 15 × 5 regional = 244 lines.
    expect(text).toContain(`… og ${244 - MAX_ROSTER_LINES} til. Skriv «roller ‹region›» for én region.`);
    expect(cardBytes(card)).toBeLessThan(28 * 1024);
  });

  it("the role names read as people say them, in each language", () => {
    const role: Role = { kind: "agency-rep", agency: "IN", regionId: "46" };
    expect(roleName(role, translator("nb"))).toBe("kontaktperson for Innovasjon Norge i Vestland");
    expect(roleName(role, translator("en"))).toBe("contact for Innovasjon Norge in Vestland");
    expect(roleName({ kind: "region-coordinator", regionId: "46" }, translator("nn"))).toBe("regionkoordinator for Vestland");
    expect(roleName({ kind: "national-coordinator" }, translator("nb"))).toBe("nasjonal koordinator (RUK AU)");
  });

  it.each(LANGS)("help card with the administrators' group (%s)", (lang) => {
    const admin = renderHelpCard(lang, { admin: true });
    checkCard(admin);
    expect(cardText(admin)).toContain(translator(lang)("help.adminTitle"));
    expect(cardText(renderHelpCard(lang))).not.toContain(translator(lang)("help.adminTitle"));
  });
});
