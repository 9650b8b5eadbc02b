/**
 * «oversikt» and each region's card answer from one definition of late, blocked and next
 * (src/domain/agenda.ts): for all fifteen regions, on dates across the year, the overview's row
 * says what the region's own card says — the same counts, the same next step — and the rows are
 * sorted by urgency.
 */
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { toSettings } from "../../src/app/settings.js";
import { overview, regionStatus, type StatusDeps } from "../../src/app/status.js";
import { renderOverviewCard } from "../../src/cards/overview-card.js";
import { renderStatusCard } from "../../src/cards/status-card.js";
import { MODEL_2017 } from "../../src/domain/process.js";
import { REGIONS } from "../../src/domain/regions.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import { NATIONAL_MEETINGS_2027, record } from "../support/events.js";
import { cardText } from "../support/harness.js";

const settingsDoc = { id: "settings", partition: "_system", type: "settings", schemaVersion: 1, trackingStart: "2026-12-01", regions: {} } as const;
const at = (iso: string) => DateTime.fromISO(iso, { setZone: true });

/** A spread of dates: February (January signing overdue), April, June, November, January (two cycles), February after. */
const DATES = ["2027-02-15T09:00:00+01:00", "2027-04-20T09:00:00+02:00", "2027-06-25T09:00:00+02:00", "2027-11-10T09:00:00+01:00", "2028-01-20T09:00:00+01:00", "2028-02-10T09:00:00+01:00"];

/** "🔴 2 forfalt (+1 nasjonalt) · ⛔ 1 blokkert · 🟠 1 frist snart · ✅ 3 av 30 ferdig" → the numbers by word. */
function countsOf(text: string): Record<string, number> {
  const grab = (word: string) => Number(new RegExp(`(\\d+) ${word}`).exec(text)?.[1] ?? 0);
  return { overdue: grab("forfalt"), blocked: grab("blokkert"), dueSoon: grab("frist snart|snart") };
}

describe("«oversikt» agrees with every region's card", () => {
  let deps: StatusDeps;
  beforeAll(async () => {
    deps = { store: openSqliteStore(":memory:"), model: MODEL_2017, settings: toSettings({ ...settingsDoc }, "rev-1") };
    // Regions in different places: Vestland keeps up, Rogaland is late in spring, Trøndelag signed
    // the 2026 agreement, the rest recorded nothing; the national track holds its meetings.
    await record(deps.store, "national", 2027, ...NATIONAL_MEETINGS_2027, { type: "state-budget-adopted", date: "2027-12-15" });
    await record(deps.store, "46", 2027,
      { type: "meeting-planned", meeting: "regional-spring", date: "2027-04-22" },
      { type: "invitations-sent", meeting: "regional-spring", date: "2027-03-31" },
      { type: "meeting-held", meeting: "regional-spring", date: "2027-04-22" },
      { type: "follow-up-report-submitted", round: "spring", agency: "IN", date: "2027-04-14" },
      { type: "meeting-planned", meeting: "regional-autumn", date: "2027-11-18" },
      { type: "draft-agreement-ready", date: "2027-10-25" },
    );
    await record(deps.store, "11", 2027, { type: "meeting-planned", meeting: "regional-spring", date: "2027-06-28" });
    await record(deps.store, "50", 2026,
      { type: "political-treatment-recorded", body: "Fylkestinget", date: "2026-12-10", caseNumber: "26/1", outcome: "approved" },
      { type: "regional-budget-adopted", date: "2026-12-12" },
    );
  });
  afterAll(async () => deps.store.close());

  for (const iso of DATES) {
    it(`on ${iso.slice(0, 10)}: each of the 15 rows has its card's counts and next step`, async () => {
      const now = at(iso);
      const view = (await overview(deps, now)).evaluate();
      const overviewCard = renderOverviewCard(view, MODEL_2017, "nb");
      const rows = (overviewCard.body as any[]).filter((b) => b.type === "ColumnSet" && b.selectAction);
      expect(rows).toHaveLength(REGIONS.length + 1);
      for (const summary of view.regions) {
        const status = (await regionStatus(deps, summary.region, now)).evaluate();
        // The same numbers from the same definition…
        expect(summary.agenda.counts, summary.region.name).toEqual(status.agenda.counts);
        // …and as people read them: the row's state column against the card's header line.
        const row = rows.find((r) => r.selectAction.data.command === `status ${summary.region.name}`);
        const card = renderStatusCard(status, MODEL_2017, "nb", { showMyActions: true });
        const header = (card.body as any[])[2].text as string;
        const rowCounts = countsOf(cardText(row.columns[2]));
        const cardCounts = countsOf(header);
        expect(rowCounts, `${summary.region.name}: «${cardText(row.columns[2])}» vs «${header}»`).toEqual(cardCounts);
        // The next step: the card's first line under «Neste 14 dager» (or «Deretter») is the row's.
        const next = summary.next?.[0];
        if (next) {
          expect(next.deadline >= now.toISODate()!, `${summary.region.name}: next is not past its deadline`).toBe(true);
          expect(cardText(card, { shown: true })).toContain(cardText(row.columns[1]).split("\n")[1]!.replace("Frist", "frist"));
        }
      }
    });
  }

  it("rows are sorted by urgency: most overdue first, then most blocked, then the nearest deadline", async () => {
    for (const iso of DATES) {
      const view = (await overview(deps, at(iso))).evaluate();
      const keys = view.regions.map((r) => [-r.agenda.counts.overdue, -r.agenda.counts.blocked, r.next?.[0]?.deadline ?? "9999-12-31"] as const);
      const sorted = [...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2].localeCompare(b[2]));
      expect(keys, iso).toEqual(sorted);
    }
    // On 20 April Vestland comes first: besides the 2026 backlog every region shares, SIVA's and
    // Forskningsrådet's spring reports were due 15 April, a week before its 22 April meeting (§3.1).
    const april = (await overview(deps, at("2027-04-20T09:00:00+02:00"))).evaluate();
    expect(april.regions[0]!.region.id).toBe("46");
    expect(april.regions[0]!.agenda.counts.overdue).toBe(april.regions[1]!.agenda.counts.overdue + 2);
  });

  it("the next step is never one from last June: on 20 January it is the January signing or later", async () => {
    const view = (await overview(deps, at("2028-01-20T09:00:00+01:00"))).evaluate();
    for (const summary of view.regions) for (const o of summary.next ?? []) expect(o.deadline >= "2028-01-20", summary.region.name).toBe(true);
  });
});
