/**
 * Vestland's year when the work gets done, mostly in time, as the seed's wheel says (§1, §2.1,
 * §3.1, §3.2, §3.3, §4.1, §4.2): what is recorded on which day (before that day's nudge run),
 * from the January 2027 signing of agreement 2027 to the January 2028 signing of agreement 2028.
 * The year walk of nudges and the status card's budgets walk the same year.
 */
import type { IsoDate } from "../../src/domain/calendar.js";
import type { EventData } from "../../src/domain/events.js";

/** What gets recorded, and when (before that day's run): Vestland and the national track do their work. */
export const VESTLAND_YEAR: Record<IsoDate, Array<[string, number, EventData]>> = {
  "2027-01-05": [["national", 2027, { type: "meeting-planned", meeting: "national-spring", date: "2027-03-24" }]],
  "2027-01-19": [["46", 2026, { type: "political-treatment-recorded", body: "Fylkesutvalet", date: "2027-01-19", caseNumber: "27/12", outcome: "approved" }]],
  "2027-01-21": [
    ["national", 2026, { type: "allocation-letter-received", agency: "IN", date: "2027-01-21" }],
    ["national", 2026, { type: "allocation-letter-received", agency: "SIVA", date: "2027-01-21" }],
    ["national", 2026, { type: "allocation-letter-received", agency: "NFR", date: "2027-01-21" }],
  ],
  "2027-01-27": [
    ["46", 2026, { type: "agreement-signed", party: "region", date: "2027-01-27" }],
    ["46", 2026, { type: "agreement-signed", party: "IN", date: "2027-01-27" }],
    ["46", 2026, { type: "agreement-signed", party: "SIVA", date: "2027-01-27" }],
    ["46", 2026, { type: "agreement-signed", party: "NFR", date: "2027-01-27" }],
    ["46", 2026, { type: "commission-agreement-sent", agency: "IN", date: "2027-01-27" }],
  ],
  "2027-02-02": [["national", 2027, { type: "invitations-sent", meeting: "national-spring", date: "2027-02-02" }]],
  "2027-03-24": [["national", 2027, { type: "meeting-held", meeting: "national-spring", date: "2027-03-24" }]],
  "2027-03-25": [["46", 2027, { type: "meeting-planned", meeting: "regional-spring", date: "2027-04-22" }]],
  "2027-03-31": [["46", 2027, { type: "invitations-sent", meeting: "regional-spring", date: "2027-03-31" }]],
  "2027-04-14": [
    ["46", 2027, { type: "follow-up-report-submitted", round: "spring", agency: "IN", date: "2027-04-14" }],
    ["46", 2027, { type: "follow-up-report-submitted", round: "spring", agency: "SIVA", date: "2027-04-14" }],
  ],
  "2027-04-22": [["46", 2027, { type: "meeting-held", meeting: "regional-spring", date: "2027-04-22" }]],
  "2027-05-03": [["46", 2027, { type: "follow-up-report-submitted", round: "spring", agency: "NFR", date: "2027-05-03" }]],
  "2027-08-16": [["national", 2027, { type: "meeting-planned", meeting: "national-autumn", date: "2027-10-20" }]],
  "2027-09-01": [["national", 2027, { type: "invitations-sent", meeting: "national-autumn", date: "2027-09-01" }]],
  "2027-09-20": [["46", 2027, { type: "meeting-planned", meeting: "regional-autumn", date: "2027-11-18" }]],
  "2027-10-20": [["national", 2027, { type: "meeting-held", meeting: "national-autumn", date: "2027-10-20", parts: { experiences: true, opportunities: true } }]],
  "2027-10-25": [
    ["46", 2027, { type: "draft-agreement-ready", date: "2027-10-25" }],
    ["46", 2027, { type: "invitations-sent", meeting: "regional-autumn", date: "2027-10-25" }],
  ],
  "2027-11-08": [
    ["46", 2027, { type: "follow-up-report-submitted", round: "autumn", agency: "IN", date: "2027-11-08" }],
    ["46", 2027, { type: "follow-up-report-submitted", round: "autumn", agency: "SIVA", date: "2027-11-08" }],
    ["46", 2027, { type: "follow-up-report-submitted", round: "autumn", agency: "NFR", date: "2027-11-08" }],
  ],
  "2027-11-18": [["46", 2027, { type: "meeting-held", meeting: "regional-autumn", date: "2027-11-18" }]],
  "2027-12-09": [["46", 2027, { type: "political-treatment-recorded", body: "Fylkesutvalet", date: "2027-12-09", caseNumber: "27/345", outcome: "approved" }]],
  "2027-12-15": [["national", 2027, { type: "state-budget-adopted", date: "2027-12-15" }]],
  "2027-12-16": [["46", 2027, { type: "regional-budget-adopted", date: "2027-12-16" }]],
  "2028-01-11": [
    ["national", 2027, { type: "allocation-letter-received", agency: "IN", date: "2028-01-11" }],
    ["national", 2027, { type: "allocation-letter-received", agency: "SIVA", date: "2028-01-11" }],
  ],
  "2028-01-20": [
    ["national", 2027, { type: "allocation-letter-received", agency: "NFR", date: "2028-01-20" }],
    ["46", 2027, { type: "commission-agreement-sent", agency: "IN", date: "2028-01-20" }],
  ],
  "2028-01-26": [
    ["46", 2027, { type: "agreement-signed", party: "region", date: "2028-01-26" }],
    ["46", 2027, { type: "agreement-signed", party: "IN", date: "2028-01-26" }],
    ["46", 2027, { type: "agreement-signed", party: "SIVA", date: "2028-01-26" }],
    ["46", 2027, { type: "agreement-signed", party: "NFR", date: "2028-01-26" }],
  ],
};
