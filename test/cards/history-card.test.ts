// @vitest-environment jsdom
/**
 * The history template (`adaptive-cards/history.json`): valid, under 28 KB, in every language —
 * empty, one page of every kind of change, and ten changes with the longest values allowed —
 * with «Nyere» / «Eldre» only where there is a page to go to.
 */
import { describe, expect, it } from "vitest";
import { pageOf, historyEntries, type HistoryPage } from "../../src/app/history.js";
import type { LoadedCycle } from "../../src/app/cycles.js";
import { renderHistoryCard } from "../../src/cards/history-card.js";
import { cardBytes, MAX_CARD_BYTES } from "../../src/cards/templates.js";
import type { Lang } from "../../src/domain/calendar.js";
import { reduceCycle } from "../../src/domain/cycle.js";
import type { DomainEvent, EventData } from "../../src/domain/events.js";
import { cardText } from "../support/harness.js";
import { executeActions } from "../support/invoke.js";
import { checkCard } from "../support/card-check.js";

const LANGS: Lang[] = ["nb", "nn", "en"];
const by = { id: "00000000-0000-0000-0000-0000000000a1", name: "Kari Nordmann" };

function trail(regionId: string, data: EventData[], name = by.name): LoadedCycle {
  const events: DomainEvent[] = data.map((d, i) => ({ id: `e-${i}`, recordedAt: new Date(Date.UTC(2027, 2, 17, 9, i)).toISOString(), by: { ...by, name }, data: d }));
  return { regionId, year: 2027, events, state: reduceCycle(regionId, 2027, events) };
}

function view(cycle: LoadedCycle, page = 1): HistoryPage {
  return { regionId: cycle.regionId, years: [2026, 2027], ...pageOf(historyEntries([cycle]), page) };
}

const EVERY_KIND: EventData[] = [
  { type: "meeting-planned", meeting: "regional-spring", date: "2027-04-21", place: "Fylkeshuset, Bergen" },
  { type: "invitations-sent", meeting: "regional-spring", date: "2027-03-25" },
  { type: "meeting-held", meeting: "national-autumn", date: "2027-10-20", parts: { experiences: true, opportunities: true } },
  { type: "follow-up-report-submitted", round: "spring", agency: "IN", date: "2027-04-12" },
  { type: "draft-agreement-ready", date: "2027-11-01", link: "https://example.org/utkast.docx" },
  { type: "political-treatment-recorded", body: "Fylkesutvalet", date: "2027-12-08", caseNumber: "2027/1234", outcome: "approved-with-changes" },
  { type: "state-budget-adopted", date: "2027-12-16" },
  { type: "allocation-letter-received", agency: "IN", date: "2027-12-22" },
  { type: "regional-budget-adopted", date: "2027-12-14" },
  { type: "agreement-signed", party: "region", date: "2028-01-15" },
  { type: "commission-agreement-sent", agency: "IN", date: "2028-01-20" },
  { type: "event-undone", eventId: "e-9" },
];

describe("the history card", () => {
  it.each(LANGS)("empty (%s): valid, says so, no paging", (lang) => {
    for (const regionId of ["46", "national"]) {
      const card = renderHistoryCard(view(trail(regionId, [])), lang);
      checkCard(card);
      expect(executeActions(card)).toEqual([]);
    }
    expect(cardText(renderHistoryCard(view(trail("46", [])), "nb"))).toContain("Ingen endringer er registrert her i årshjulet for 2026 og 2027 ennå.");
  });

  it.each(LANGS)("every kind of change, over two pages (%s)", (lang) => {
    const cycle = trail("46", EVERY_KIND);
    const first = renderHistoryCard(view(cycle, 1), lang);
    const second = renderHistoryCard(view(cycle, 2), lang);
    checkCard(first);
    checkCard(second);
    expect(executeActions(first).map((a) => [a.verb, a.data])).toEqual([["history.page", { regionId: "46", page: 2 }]]);
    expect(executeActions(second).map((a) => [a.verb, a.data])).toEqual([["history.page", { regionId: "46", page: 1 }]]);
  });

  it("reads as a trail: title, newest first, who and when, values, undone marked", () => {
    const text = cardText(renderHistoryCard(view(trail("46", EVERY_KIND)), "nb"));
    expect(text).toContain("Historikk – Vestland");
    expect(text).toContain("12 endringer i årshjulet for 2026 og 2027 · nyeste først · norsk tid");
    expect(text).toContain("17.\u00A0mars 2027 kl. 10.11 · Kari Nordmann");
    expect(text.indexOf("↩️ Angret: Samarbeidsavtale 2028 signert av Vestland fylkeskommune 15. januar 2028")).toBeLessThan(text.indexOf("Oppdragsavtale 2028 sendt til Innovasjon Norge"));
    expect(text).toContain("↩️ Angret 17. mars 2027 kl. 10.11 av Kari Nordmann");
    expect(text).toContain("Side 1 av 2");
    expect(text).toContain("Eldre");
    expect(text).not.toContain("Nyere");
    expect(cardText(renderHistoryCard(view(trail("national", EVERY_KIND)), "en"))).toContain("History – national track");
  });

  it.each(LANGS)("ten changes with the longest values allowed stay under 28 KB (%s)", (lang) => {
    const long = (n: number) => "Å".repeat(n);
    const link = `https://example.org/${"a".repeat(1980)}`;
    const cycle = trail(
      "15",
      Array.from({ length: 10 }, (_, i): EventData =>
        i % 3 === 0
          ? { type: "draft-agreement-ready", date: "2027-11-01", link }
          : i % 3 === 1
            ? { type: "meeting-planned", meeting: "regional-autumn", date: "2027-11-18", place: long(300) }
            : { type: "political-treatment-recorded", body: long(200), date: "2027-12-08", caseNumber: long(50), outcome: "sent-back" },
      ),
      long(200),
    );
    const links = trail("15", Array.from({ length: 10 }, (): EventData => ({ type: "draft-agreement-ready", date: "2027-11-01", link })), long(200));
    for (const c of [cycle, links]) {
      const card = renderHistoryCard({ ...view(c), pageCount: 3, page: 2 }, lang);
      checkCard(card);
      expect(cardBytes(card)).toBeLessThanOrEqual(MAX_CARD_BYTES);
      expect(executeActions(card).map((a) => a.data.page)).toEqual([1, 3]);
    }
  });
});
