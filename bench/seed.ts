/**
 * A realistic store for the bench: the national track and all 15 regions in mid-November of the
 * cycle year, recorded through the same append path the use cases use (`appendToCycle`), so that
 * status cards carry the mix of done / overdue / due-soon / open / not-yet-open steps a real
 * installation would show.
 */
import { appendToCycle } from "../src/app/cycles.js";
import type { DomainEvent, EventData } from "../src/domain/events.js";
import { NATIONAL, REGIONS } from "../src/domain/regions.js";
import { SYSTEM_PARTITION, type SettingsDocument } from "../src/store/records.js";
import type { DocumentStore } from "../src/store/store.js";

const ACTOR = { id: "00000000-0000-0000-0000-00000000be0c", name: "Bench Seeder" };

export interface SeedSummary {
  documents: number;
  events: number;
}

/** What each region has recorded by mid-November; `i` spreads the regions over the usual cases. */
function regionEvents(year: number, i: number, name: string): EventData[] {
  const d = (md: string) => `${year}-${md}`;
  const out: EventData[] = [];
  const springDay = String(8 + i).padStart(2, "0");
  const springHeld = i % 7 !== 6; // two regions have not held their spring meeting (→ overdue)
  out.push({ type: "meeting-planned", meeting: "regional-spring", date: springHeld ? d(`04-${springDay}`) : d("06-24"), place: name });
  out.push({ type: "invitations-sent", meeting: "regional-spring", date: springHeld ? d(`03-${springDay}`) : d("05-30") });
  if (springHeld) {
    out.push({ type: "follow-up-report-submitted", round: "spring", agency: "IN", date: d(`03-${String(12 + (i % 10)).padStart(2, "0")}`) });
    out.push({ type: "follow-up-report-submitted", round: "spring", agency: "SIVA", date: d("03-28") });
    if (i % 4 !== 3) out.push({ type: "follow-up-report-submitted", round: "spring", agency: "NFR", date: d("03-30") });
    out.push({ type: "meeting-held", meeting: "regional-spring", date: d(`04-${springDay}`) });
  }
  switch (i % 5) {
    case 0: // autumn meeting early December, invitations out, some reports in, draft ready
      out.push({ type: "meeting-planned", meeting: "regional-autumn", date: d("12-03"), place: `${name}, fylkeshuset` });
      out.push({ type: "invitations-sent", meeting: "regional-autumn", date: d("11-05") });
      out.push({ type: "follow-up-report-submitted", round: "autumn", agency: "IN", date: d("11-12") });
      out.push({ type: "draft-agreement-ready", date: d("11-15"), link: "https://example.org/utkast-samarbeidsavtale" });
      break;
    case 1: // autumn meeting already held; political treatment is now open
      out.push({ type: "meeting-planned", meeting: "regional-autumn", date: d("11-10"), place: name });
      out.push({ type: "invitations-sent", meeting: "regional-autumn", date: d("10-14") });
      out.push({ type: "follow-up-report-submitted", round: "autumn", agency: "IN", date: d("10-29") });
      out.push({ type: "follow-up-report-submitted", round: "autumn", agency: "SIVA", date: d("11-01") });
      out.push({ type: "follow-up-report-submitted", round: "autumn", agency: "NFR", date: d("11-02") });
      out.push({ type: "draft-agreement-ready", date: d("11-01") });
      out.push({ type: "meeting-held", meeting: "regional-autumn", date: d("11-10") });
      break;
    case 2: // meeting soon: reports due soon, draft not ready
      out.push({ type: "meeting-planned", meeting: "regional-autumn", date: d("11-30"), place: name });
      out.push({ type: "invitations-sent", meeting: "regional-autumn", date: d("11-08") });
      out.push({ type: "follow-up-report-submitted", round: "autumn", agency: "IN", date: d("11-16") });
      break;
    case 3: // planned, invitations not sent yet
      out.push({ type: "meeting-planned", meeting: "regional-autumn", date: d("12-08") });
      break;
    default: // nothing planned for the autumn yet
      break;
  }
  return out;
}

function nationalEvents(year: number): EventData[] {
  const d = (md: string) => `${year}-${md}`;
  return [
    { type: "meeting-planned", meeting: "national-spring", date: d("03-11"), place: "Oslo" },
    { type: "invitations-sent", meeting: "national-spring", date: d("01-25") },
    { type: "meeting-held", meeting: "national-spring", date: d("03-11") },
    { type: "meeting-planned", meeting: "national-autumn", date: d("10-27"), place: "Trondheim" },
    { type: "invitations-sent", meeting: "national-autumn", date: d("09-08") },
    { type: "meeting-held", meeting: "national-autumn", date: d("10-27"), parts: { experiences: true, opportunities: true } },
  ];
}

/**
 * Writes the settings (tracking from 1 January, so that unrecorded earlier steps count as
 * overdue, not "not tracked") and the cycle aggregates of `year`. Each event is its own append,
 * as people would record them one by one.
 */
export async function seedStore(store: DocumentStore, year: number): Promise<SeedSummary> {
  const settings: SettingsDocument = {
    id: "settings",
    partition: SYSTEM_PARTITION,
    type: "settings",
    schemaVersion: 1,
    trackingStart: `${year}-01-01`,
    regions: {},
  };
  await store.write(settings, { ifAbsent: true });

  const plan: Array<{ regionId: string; data: EventData[] }> = [
    { regionId: NATIONAL, data: nationalEvents(year) },
    ...REGIONS.map((r, i) => ({ regionId: r.id, data: regionEvents(year, i, r.name) })),
  ];
  let events = 0;
  for (const { regionId, data } of plan) {
    for (const [n, item] of data.entries()) {
      const event: DomainEvent = { id: `seed-${regionId}-${year}-${n}`, recordedAt: `${"date" in item ? item.date : `${year}-01-01`}T10:00:00Z`, by: ACTOR, data: item };
      await appendToCycle(store, regionId, year, () => [event]);
      events++;
    }
  }
  return { documents: plan.length + 1, events };
}
