// @vitest-environment jsdom
/**
 * The signed download links (issue 10: "a short-lived download link served by the app. The link
 * is signed, expires (default 15 minutes), covers one region and round, and answers 403 when
 * expired or tampered with"), through real HTTP: asked for from the summary card in a channel,
 * where Teams gives bots no file card, and each file read back as its reader would.
 */
import { parse } from "csv-parse/sync";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createReportExports } from "../../src/app/report-exports.js";
import { checkLink, signedQuery } from "../../src/exports/links.js";
import { REPORT_LINK_SECRET_ID, SYSTEM_PARTITION } from "../../src/store/records.js";
import { checkCard } from "../support/card-check.js";
import { cardText, startHarness, type Harness } from "../support/harness.js";
import { executeActions, invoke, openUrls } from "../support/invoke.js";
import { docxText } from "../exports/read-back.js";
import { ROUND, seedSpringRound } from "../exports/seed-round.js";

const PUBLIC = "https://samhandling.example.no";
const VIEWER = { aadObjectId: "00000000-0000-0000-0000-0000000000f7", name: "Vera Viewer", conversationType: "channel" as const, conversationId: "19:vestland@thread.tacv2" };

describe("download links from the summary card in a channel (Vestland, spring 2027)", () => {
  let h: Harness;
  let now = DateTime.fromISO("2027-04-15T10:00:00+02:00");
  let links: Array<{ title: string; url: string }>;
  /** A link's path and query asked of this app (PUBLIC_BASE_URL is its address as Teams users reach it). */
  const get = (url: string) => fetch(`${h.url}${url.slice(PUBLIC.length)}`);
  const tamper = (url: string, name: string, value: string) => {
    const u = new URL(url);
    u.searchParams.set(name, value);
    return u.toString();
  };

  beforeAll(async () => {
    h = await startHarness({ PUBLIC_BASE_URL: PUBLIC }, { clock: () => now });
    await seedSpringRound(h.samhandling.store);
    const summary = (await invoke(h, VIEWER, "report.summary", ROUND)).card;
    const exports = executeActions(summary).filter((a) => a.verb === "report.export");
    expect(exports.map((a) => a.title)).toEqual(["Word", "Excel (CSV)", "Markdown"]);
    const answer = await invoke(h, VIEWER, "report.export", exports[0]!.data);
    expect(answer.status).toBe(200);
    expect(cardText(answer.card)).toContain("Last ned som Word, Excel eller Markdown. Lenkene virker i 15 minutter.");
    checkCard(answer.card);
    links = openUrls(answer.card);
  });
  afterAll(async () => h?.close());

  it("a viewer gets three fresh links on the app's public address, one per format", () => {
    expect(links.map((l) => l.title)).toEqual(["Word", "Excel (CSV)", "Markdown"]);
    for (const link of links) expect(link.url.startsWith(`${PUBLIC}/api/reports/download?region=46&year=2027&round=spring&format=`)).toBe(true);
    // Nothing was posted to the channel: the links are the clicker's own card.
    expect(h.connector.to(VIEWER.conversationId)).toEqual([]);
  });

  it("the Word link serves the .docx as an attachment named for the region and round, with the submitted answers only", async () => {
    const response = await get(links[0]!.url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="oppfolging-vestland-2027-var.docx"');
    expect(response.headers.get("cache-control")).toBe("no-store");
    const text = docxText(new Uint8Array(await response.arrayBuffer()));
    expect(text).toContain("Oppfølging av samarbeidsavtalen – Vestland, vår 2027");
    expect(text).toContain("Saksnummer, politisk behandling: 2026/4711");
    expect(text).toContain("Innovasjon Norge: levert 12. april 2027 kl. 14.00 av Ingrid Innovasjon");
    expect(text).toContain("SIVA: levert for sent 14. april 2027 kl. 09.00 av Siri Sivertsen");
    expect(text).toContain("Forskningsrådet: ikke levert");
    expect(text).not.toContain("UTKAST");
  });

  it("the CSV link serves what Norwegian Excel opens, formulas defused", async () => {
    const response = await get(links[1]!.url);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="oppfolging-vestland-2027-var.csv"');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows: string[][] = parse(bytes.toString("utf8"), { delimiter: ";", bom: true });
    expect(rows.slice(1)).toEqual([
      ["1", "Klyngeprogram for havnæringene", "Innovasjon Norge", "forsinket", "'=SUM(A1:A9) kom sent", "Ingrid Innovasjon", "12.04.2027 14:00", "nei"],
      ["1", "Klyngeprogram for havnæringene", "SIVA", "i rute", "", "Siri Sivertsen", "14.04.2027 09:00", "ja"],
      ["2", "Forskningsmobilisering i næringslivet", "Forskningsrådet", "ikke svart", "", "", "", ""],
    ]);
  });

  it("the Markdown link serves the papers as text", async () => {
    const response = await get(links[2]!.url);
    expect(response.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(await response.text()).toContain("- **Forskningsrådet:** ikke levert");
  });

  it.each([
    ["another region", "region", "11"],
    ["another round", "round", "autumn"],
    ["another year", "year", "2026"],
    ["another format", "format", "csv"],
    ["a later expiry", "expires", "4102444800"],
    ["another language", "lang", "en"],
    ["another signature", "sig", "AAAA"],
  ])("a link changed to %s answers 403 with the JSON error, and no file", async (_what, name, value) => {
    const response = await get(tamper(links[0]!.url, name, value));
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({ error: { code: "LINK_INVALID", message: "this download link is not valid" } });
  });

  it("a link without its signature, or with a parameter twice, answers 403; no query at all too", async () => {
    const u = new URL(links[0]!.url);
    u.searchParams.delete("sig");
    expect((await get(u.toString())).status).toBe(403);
    expect((await get(`${links[0]!.url}&region=11`)).status).toBe(403);
    expect((await fetch(`${h.url}/api/reports/download`)).status).toBe(403);
  });

  it("expires after 15 minutes: 403 LINK_EXPIRED", async () => {
    now = now.plus({ minutes: 14, seconds: 59 });
    expect((await get(links[0]!.url)).status).toBe(200);
    now = now.plus({ seconds: 2 });
    const response = await get(links[0]!.url);
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: { code: "LINK_EXPIRED", message: "this download link has expired; ask Samhandling for the report again" } });
    // Clicked in a browser: a page in the link's language that says what to do.
    const page = await fetch(`${h.url}${links[0]!.url.slice(PUBLIC.length)}`, { headers: { accept: "text/html,application/xhtml+xml" } });
    expect(page.status).toBe(403);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain("Lenken er utløpt: en nedlastingslenke virker i kort tid. Trykk «Last ned» på sammendraget i Teams igjen for en ny lenke.");
    const tampered = await fetch(`${h.url}${links[0]!.url.slice(PUBLIC.length)}&region=11`, { headers: { accept: "text/html" } });
    expect(await tampered.text()).toContain("Lenken er ikke gyldig");
  });

  it("every instance signs alike: the secret is made once and kept in the store", async () => {
    const stored = await h.samhandling.store.read({ partition: SYSTEM_PARTITION, id: REPORT_LINK_SECRET_ID });
    expect(stored?.doc.type).toBe("report-link-secret");
    // A second instance over the same store checks the first one's links.
    const other = createReportExports({ store: h.samhandling.store, clock: () => now, summary: (r, y, ro) => h.samhandling.app.papers.summary(r, y, ro), links: { minutes: 15, baseUrl: PUBLIC } });
    const fresh = (await h.samhandling.app.exports.links({ ...ROUND, lang: "nn" }))!;
    const answer = await other.download(new URL(fresh[0]!.url).searchParams);
    expect(answer.kind).toBe("file");
    expect(checkLink(String(stored!.doc.secret), new URL(fresh[0]!.url).searchParams, Math.floor(now.toSeconds())).ok).toBe(true);
  });
});

describe("without a public address", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CLOCK_NOW: "2027-04-15T10:00:00+02:00", REPORT_LINK_SECRET: "s".repeat(40) });
    await seedSpringRound(h.samhandling.store);
  });
  afterAll(async () => h?.close());

  it("a channel is told to ask in a 1:1 chat, and no link is made", async () => {
    const answer = await invoke(h, { ...VIEWER, locale: "en-US" }, "report.export", { ...ROUND, format: "docx" });
    expect(cardText(answer.card)).toContain("I cannot send files here. Write “report Vestland spring 2027” to me in a private chat and you get them there.");
    expect(openUrls(answer.card)).toEqual([]);
    checkCard(answer.card);
    // The back button brings the summary again.
    const back = executeActions(answer.card).find((a) => a.verb === "report.summary")!;
    expect(cardText((await invoke(h, VIEWER, back.verb, back.data)).card)).toContain("Vestland");
  });

  it("a configured secret is used and none is stored", async () => {
    const expires = Math.floor(h.samhandling.clock().toSeconds()) + 600;
    const signed = signedQuery("s".repeat(40), { ...ROUND, format: "md", lang: "nb", expires });
    const response = await fetch(`${h.url}/api/reports/download?${signed.toString()}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("# Oppfølging av samarbeidsavtalen – Vestland, vår 2027");
    expect(await h.samhandling.store.read({ partition: SYSTEM_PARTITION, id: REPORT_LINK_SECRET_ID })).toBeUndefined();
  });
});
