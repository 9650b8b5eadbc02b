// @vitest-environment jsdom
/** The «Last ned» answer card in every variant and language: valid Adaptive Card 1.5, far under Teams' 28 KB, no code names. */
import { describe, expect, it } from "vitest";
import { renderExportCard, type ExportCardView } from "../../src/cards/report-export-card.js";
import { cardBytes, MAX_CARD_BYTES } from "../../src/cards/templates.js";
import { checkCard } from "../support/card-check.js";
import { cardText } from "../support/harness.js";

const base = { regionId: "15", year: 2027, round: "autumn" as const, linkMinutes: 15 };
const links = (["docx", "csv", "md"] as const).map((format) => ({ format, url: `https://samhandling.example.no/api/reports/download?region=15&format=${format}&sig=${"x".repeat(43)}` }));
const offered = { fileName: "oppfolging-more-og-romsdal-2027-host.docx", format: "docx" as const };
const VARIANTS: Array<[string, ExportCardView]> = [
  ["1:1 chat with links", { ...base, offered, links }],
  ["1:1 chat without a public address", { ...base, offered }],
  ["channel with links", { ...base, links }],
  ["channel without a public address", base],
];

describe.each(["nb", "nn", "en"] as const)("the export card in %s", (lang) => {
  it.each(VARIANTS)("%s", (_name, view) => {
    const card = renderExportCard(view, lang);
    checkCard(card);
    expect(cardBytes(card)).toBeLessThan(MAX_CARD_BYTES / 4);
    const text = cardText(card);
    expect(text).toContain("Møre og Romsdal");
    // No unfilled placeholder or message key shows.
    expect(text).not.toMatch(/[{}]|export\./);
  });
});
