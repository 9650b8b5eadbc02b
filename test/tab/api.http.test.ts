/**
 * The årshjul tab's server side through real HTTP (issue 12), in local mode (no bot identity: the
 * person is named by the page's header): the page and its bundle, every API route, the wheel
 * against the status card's states, the overview's order, the reports view, recording from the
 * tab and seeing it on the card and in the trail, and bad input answered 4xx, never 5xx.
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomUUID } from "node:crypto";
import { gzipSync } from "node:zlib";
import { DateTime } from "luxon";
import restify from "restify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCycles } from "../../src/app/cycles.js";
import { STATE_LOOK } from "../../src/cards/look.js";
import { createLogger } from "../../src/logger.js";
import { ApiErrorSchema, MeSchema, OverviewSchema, RecordAnswerSchema, ReportsSchema, WheelSchema, type Wheel } from "../../src/tab/api-schema.js";
import { registerTabRoutes } from "../../src/tab/routes.js";
import { LOCAL_DEFAULT_USER } from "../../src/tab/sso.js";
import { translator } from "../../src/i18n/index.js";
import type { EventData } from "../../src/domain/events.js";
import { REGIONS } from "../../src/domain/regions.js";
import { NATIONAL_MEETINGS_2027, record } from "../support/events.js";
import { cardOf, cardText, startHarness, type Harness, type TeamsUser } from "../support/harness.js";
import { VESTLAND_YEAR } from "../support/vestland-year.js";
import { seedSpringRound } from "../exports/seed-round.js";
import { countingStore, type CountingStore } from "../support/store-ops.js";

const ADMIN: TeamsUser = { id: "29:admin", aadObjectId: "00000000-0000-0000-0000-00000000ad01", name: "Anne Admin" };
const COORDINATOR: TeamsUser = { id: "29:coord", aadObjectId: "00000000-0000-0000-0000-0000000000c1", name: "Kari Koordinator" };
const VIEWER: TeamsUser = { id: "29:viewer", aadObjectId: "00000000-0000-0000-0000-0000000000f1", name: "Vera Viewer" };

let now = DateTime.fromISO("2027-01-04T09:00:00+01:00", { setZone: true });
const at = (iso: string) => (now = DateTime.fromISO(iso, { setZone: true }));

/** A GET from the page as `who` (local mode's header); the parsed JSON and the status. */
async function get(h: Harness, path: string, who?: TeamsUser): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await fetch(`${h.url}${path}`, { headers: who ? { "x-samhandling-local-user": who.aadObjectId! } : {} });
  const text = await response.text();
  return { status: response.status, body: text.startsWith("{") ? JSON.parse(text) : text, headers: response.headers };
}

async function post(h: Harness, body: unknown, who: TeamsUser, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(`${h.url}/api/tab/record`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-samhandling-local-user": who.aadObjectId!, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) };
}

/** A typed command from this person in a 1:1 chat; the card's text. */
async function say(h: Harness, who: TeamsUser, text: string): Promise<string> {
  const { status, replies } = await h.say(text, { from: who });
  expect(status).toBe(200);
  return cardText(cardOf(replies.at(-1)));
}

async function grantRoles(h: Harness) {
  const admin = { id: ADMIN.aadObjectId!, name: ADMIN.name };
  await h.samhandling.app.people.grant(admin, { id: COORDINATOR.aadObjectId!, name: COORDINATOR.name }, { kind: "region-coordinator", regionId: "46" });
}

/** What Vestland's year (test/support/vestland-year.ts) has recorded by `date`, written straight into the store. */
async function seedVestlandUntil(h: Harness, from: string, to: string) {
  for (const [day, entries] of Object.entries(VESTLAND_YEAR)) {
    if (day < from || day > to) continue;
    for (const [regionId, year, data] of entries) await record(h.samhandling.store, regionId, year, data as EventData);
  }
}

/** The wheel against the status card: every step the card shows for a cycle in the wheel has the card's state, glyph and word. */
async function expectWheelAsCard(h: Harness, wheel: Wheel, lang: "nb" | "en" = "nb") {
  const t = translator(lang);
  const status = (await h.samhandling.app.statusOf("46")).evaluate();
  const onCard = status.cycles.flatMap((c) => [...c.regional, ...c.national]).filter((o) => o.state !== "not-applicable" && (o.year === wheel.year || o.deadline.startsWith(`${wheel.year}-`)));
  expect(onCard.length).toBeGreaterThan(10);
  for (const o of onCard) {
    const step = wheel.steps.find((s) => s.key === o.key && s.year === o.year);
    expect(step, `${o.year} ${o.key}`).toBeDefined();
    expect(step!.look, `${o.year} ${o.key}`).toEqual({ state: o.state, icon: STATE_LOOK[o.state].icon, label: t(`state.${o.state}` as never) });
  }
}

describe("the tab's page and API (local mode, Vestland 2027)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ADMIN_AAD_IDS: ADMIN.aadObjectId!, PUBLIC_BASE_URL: "https://samhandling.example.no" }, { clock: () => now });
    await grantRoles(h);
  });
  afterAll(async () => h?.close());

  it("GET /tab and /tab/config answer the page's shell, which Teams may frame", async () => {
    for (const path of ["/tab", "/tab/config"]) {
      const response = await fetch(`${h.url}${path}?lang=nn-NO`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
      const csp = response.headers.get("content-security-policy")!;
      expect(csp).toContain("frame-ancestors 'self' teams.microsoft.com *.teams.microsoft.com *.cloud.microsoft *.office.com outlook.office.com *.microsoft365.com");
      // Outlook on the web also frames tabs from outlook.office365.com (Microsoft's tab requirements).
      expect(csp).toMatch(/frame-ancestors [^;]* outlook\.office365\.com(?:[ ;]|$)/);
      expect(csp).toContain("script-src 'self'");
      const html = await response.text();
      expect(html).toContain('<html lang="nn">');
      expect(html).toContain('<div id="root"></div>');
      expect(html).toContain('<script type="module" src="/tab/assets/app.js"></script>');
      expect(html).toMatch(/<noscript><p>Årshjulet treng JavaScript/);
    }
    expect(await (await fetch(`${h.url}/tab?lang=en`)).text()).toContain('<html lang="en">');
  });

  it("GET /tab/assets/:file serves the bundle's files only, with their types and cache headers", async () => {
    const app = await fetch(`${h.url}/tab/assets/app.js`);
    expect(app.status).toBe(200);
    expect(app.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(app.headers.get("cache-control")).toBe("no-cache");
    expect((await app.text()).length).toBeGreaterThan(1000);
    // Unchanged since: 304, nothing sent again.
    const again = await fetch(`${h.url}/tab/assets/app.js`, { headers: { "if-none-match": app.headers.get("etag")! } });
    expect(again.status).toBe(304);
    expect((await fetch(`${h.url}/tab/assets/app.js.map`)).headers.get("content-type")).toBe("application/json; charset=utf-8");
    for (const path of ["/tab/assets/..%2F..%2Fpackage.json", "/tab/assets/%2E%2E", "/tab/assets/.env", "/tab/assets/nothing.js", "/tab/assets/..%5Cpackage.json"]) {
      const response = await fetch(`${h.url}${path}`);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain("samhandling");
    }
  });

  it("without the bundle, the page and its assets answer 503 saying to run npm run build:tab", async () => {
    const empty = mkdtempSync(join(tmpdir(), "tab-assets-"));
    const server = restify.createServer();
    registerTabRoutes(server, { app: h.samhandling.app, auth: { localMode: true, authenticate: async () => ({ kind: "person", person: { ...LOCAL_DEFAULT_USER } }) }, logger: createLogger("silent"), assetsDir: empty });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      for (const path of ["/tab", "/tab/assets/app.js"]) {
        const response = await fetch(`${base}${path}`);
        expect(response.status).toBe(503);
        expect(await response.text()).toContain("npm run build:tab");
      }
    } finally {
      server.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it("GET /api/tab/me: the Playground's user by default, the named one with the header, in the person's language", async () => {
    const me = await get(h, "/api/tab/me");
    expect(me.status).toBe(200);
    const parsed = MeSchema.parse(me.body);
    expect(parsed).toMatchObject({ localMode: true, lang: "nb", person: { id: LOCAL_DEFAULT_USER.id, name: "Alex Wilber", roles: [], mayAdminister: false } });
    expect(parsed.regions).toHaveLength(15);
    expect(parsed.legend.map((l) => l.icon)).toEqual(["✅", "🔴", "⛔", "🟠", "🔵", "⏳", "⚪", "➖", "➖"]);
    expect(Object.keys(parsed.strings).every((k) => k.startsWith("tab.") && !k.startsWith("tab.api."))).toBe(true);

    const coordinator = MeSchema.parse((await get(h, "/api/tab/me?lang=en-US", COORDINATOR)).body);
    expect(coordinator).toMatchObject({ lang: "en", defaultRegion: "46", person: { name: "Kari Koordinator", mayAdminister: false } });
    expect(coordinator.person.roles.join(" ")).toContain("Vestland");
    // The person's own choice (`språk nynorsk`) wins over the Teams locale.
    await h.samhandling.app.people.setLanguage({ id: COORDINATOR.aadObjectId!, name: COORDINATOR.name }, "nn");
    expect((await get(h, "/api/tab/me?lang=en-US", COORDINATOR)).body.lang).toBe("nn");
    await h.samhandling.app.people.setLanguage({ id: COORDINATOR.aadObjectId!, name: COORDINATOR.name }, undefined);
    // A channel bound to a region opens on it.
    await h.samhandling.app.people.bind({ id: ADMIN.aadObjectId!, name: ADMIN.name }, "19:abc@thread.tacv2", "11");
    expect((await get(h, `/api/tab/me?channel=${encodeURIComponent("19:abc@thread.tacv2")}`, COORDINATOR)).body.defaultRegion).toBe("11");
  });

  it("the wheel for Vestland in February shows January's overlap, each step in the status card's state", async () => {
    at("2027-02-15T10:00:00+01:00");
    await seedVestlandUntil(h, "2027-01-01", "2027-02-15");
    const response = await get(h, "/api/tab/wheel?region=46&year=2027", COORDINATOR);
    expect(response.status).toBe(200);
    const wheel = WheelSchema.parse(response.body);
    expect(wheel).toMatchObject({ region: { id: "46", name: "Vestland" }, year: 2027, today: "2027-02-15", cycles: [2026, 2027] });
    await expectWheelAsCard(h, wheel);
    // January 2027: agreement 2027 signed (cycle 2026) beside cycle 2027's first steps, on both tracks.
    const signed = wheel.steps.filter((s) => s.year === 2026 && s.stepId === "agreement-signed");
    expect(signed.map((s) => s.look.state)).toEqual(["done", "done", "done", "done"]);
    expect(signed[0]).toMatchObject({ doneOn: "2027-01-27", track: "region", sections: "§2.1, §3.2" });
    expect(wheel.steps.some((s) => s.year === 2027 && s.track === "national")).toBe(true);
    // Who recorded it and when, from the trail.
    expect(signed[0]!.recorded).toEqual({ by: "Kari Nordmann", at: expect.stringMatching(/^5\. januar 2027 kl\. \d\d\.\d\d$/) });
    // The coordinator may record the region's steps that are due, with the form's dates; nothing of the national track.
    const forms = wheel.steps.flatMap((s) => s.forms.map((f) => ({ ...f, track: s.track })));
    expect(forms.length).toBeGreaterThan(0);
    expect(forms.every((f) => f.track === "region")).toBe(true);
    expect(forms.find((f) => f.verb === "meeting.plan")).toMatchObject({ params: { meeting: "regional-spring" }, title: "Sett møtedato", fields: ["place"], maxDate: "2027-06-30" });
    // Every line of the list names its step apart: the three allocation letters name their agency.
    const titles = wheel.steps.map((s) => `${s.year} ${s.title}`);
    expect(titles.filter((title, i) => titles.indexOf(title) !== i)).toEqual([]);
    expect(wheel.steps.filter((s) => s.year === 2027 && s.stepId === "allocation-letter-received").map((s) => s.title)).toEqual([
      "Tildelingsbrev 2028 fra departementet – Innovasjon Norge",
      "Tildelingsbrev 2028 fra departementet – SIVA",
      "Tildelingsbrev 2028 fra departementet – Forskningsrådet",
    ]);
    // The counts line counts what the wheel shows: its overdue, blocked and done steps, of all of them.
    const count = (state: string) => wheel.steps.filter((s) => s.look.state === state).length;
    expect(wheel.counts).toContain(`${count("done")} av ${wheel.steps.length} steg i hjulet ferdig`);
    if (count("overdue") > 0) expect(wheel.counts).toContain(`${count("overdue")} forfalt`);
    // A viewer is shown the same wheel, without a single form.
    const viewer = WheelSchema.parse((await get(h, "/api/tab/wheel?region=Vestland&year=2027", VIEWER)).body);
    expect(viewer.steps.every((s) => s.forms.length === 0)).toBe(true);
    expect(viewer.steps.map((s) => s.look)).toEqual(wheel.steps.map((s) => s.look));
  });

  it("the wheel in November matches the card again, in English", async () => {
    at("2027-11-10T10:00:00+01:00");
    await seedVestlandUntil(h, "2027-02-16", "2027-11-10");
    const wheel = WheelSchema.parse((await get(h, "/api/tab/wheel?region=46&year=2027&lang=en")).body);
    // January 2027's tail of cycle 2026 stays on the 2027 wheel all year.
    expect(wheel.cycles).toEqual([2026, 2027]);
    await expectWheelAsCard(h, wheel, "en");
    const report = wheel.steps.find((s) => s.key === "follow-up-report-autumn:IN")!;
    expect(report).toMatchObject({ look: { state: "done", label: "Done" }, doneOn: "2027-11-08" });
    expect(wheel.counts).toContain("✅");
  });

  it("bad query input is a 4xx with the error shape naming what is wrong, never a 5xx", async () => {
    const cases: Array<[string, number, string]> = [
      ["/api/tab/wheel?region=Atlantis&year=2027", 400, "INVALID_REGION"],
      ["/api/tab/wheel?year=2027", 400, "INVALID_REGION"],
      ["/api/tab/wheel?region=46&year=abc", 400, "INVALID_YEAR"],
      ["/api/tab/wheel?region=46&year=1999", 400, "INVALID_YEAR"],
      ["/api/tab/wheel?region=46&year=99999", 400, "INVALID_YEAR"],
      ["/api/tab/wheel?region=46&year=2027.5", 400, "INVALID_YEAR"],
      [`/api/tab/wheel?region=${"x".repeat(5000)}`, 400, "INVALID_REGION"],
      ["/api/tab/reports?region=46&year=2027&round=winter", 400, "INVALID_ROUND"],
      ["/api/tab/reports?region=%00&year=2027", 400, "INVALID_REGION"],
      ["/api/tab/overview?lang=%3Cscript%3E", 400, "INVALID_LANG"],
      [`/api/tab/me?channel=${"y".repeat(400)}`, 400, "INVALID_CHANNEL"],
      ["/api/tab/nothing", 404, "NOT_FOUND"],
      // A parameter given twice: which one was meant? Not silently the first (Vestland's wheel for «Oslo»).
      ["/api/tab/wheel?region=46&region=03", 400, "INVALID_REGION"],
      ["/api/tab/wheel?region=46&year=2027&year=1900", 400, "INVALID_YEAR"],
      ["/api/tab/reports?region=46&year=2027&round=spring&round=autumn", 400, "INVALID_ROUND"],
      ["/api/tab/overview?lang=nb&lang=%3Cx", 400, "INVALID_LANG"],
      [`/api/tab/me?channel=19%3Aa%40thread.tacv2&channel=19%3Ab%40thread.tacv2`, 400, "INVALID_CHANNEL"],
    ];
    for (const [path, status, code] of cases) {
      const response = await get(h, path);
      expect(response.status, path).toBe(status);
      expect(ApiErrorSchema.parse(response.body).error.code, path).toBe(code);
    }
    expect((await get(h, "/api/tab/wheel?region=46&year=1999")).body.error.message).toBe("Året må være mellom 2018 og 2028.");
    expect((await get(h, "/api/tab/wheel?region=Atlantis&lang=en")).body.error.message).toBe("There is no such region. Choose one of the 15 regions.");
    const badUser = await fetch(`${h.url}/api/tab/me`, { headers: { "x-samhandling-local-user": "'; drop table" } });
    expect(badUser.status).toBe(400);
    expect(((await badUser.json()) as any).error.code).toBe("LOCAL_USER_INVALID");
  });
});

describe("the overview with a region overdue (10 February 2027)", () => {
  let h: Harness;
  let counted: CountingStore;
  beforeAll(async () => {
    // The tracking start is the first day: 4 January, so January's deadlines count.
    at("2027-01-04T09:00:00+01:00");
    h = await startHarness({}, { clock: () => now, wrapStore: (store) => (counted = countingStore(store)).store });
    // Every county but Nordland (18) had agreement 2027 treated politically in January (§3.2).
    for (const region of REGIONS.filter((r) => r.id !== "18"))
      await record(h.samhandling.store, region.id, 2026, { type: "political-treatment-recorded", body: "Fylkestinget", date: "2027-01-14", caseNumber: "27/1", outcome: "approved" });
    at("2027-02-10T10:00:00+01:00");
  });
  afterAll(async () => h?.close());

  it("lists the overdue region first, as the overview card does, with the card's «Neste» and cells by state", async () => {
    const response = await get(h, "/api/tab/overview");
    expect(response.status).toBe(200);
    const overview = OverviewSchema.parse(response.body);
    expect(overview.years).toEqual([2026, 2027]);
    // January's tail of cycle 2026 first, then the region steps of 2027 in the model's order.
    expect(overview.columns.slice(0, 3).map((c) => [c.stepId, c.year])).toEqual([
      ["political-treatment", 2026],
      ["agreement-signed", 2026],
      ["commission-agreement-sent", 2026],
    ]);
    expect(overview.columns[3]).toMatchObject({ stepId: "regional-spring-meeting-convened", year: 2027, title: "Innkalling til regionalt vårmøte" });
    expect(overview.rows).toHaveLength(15);
    const card = (await h.samhandling.app.overview()).evaluate();
    expect(overview.rows.map((r) => r.region.id)).toEqual(card.regions.map((r) => r.region.id));
    const [first, second] = overview.rows;
    expect(first!.region.name).toBe("Nordland");
    expect(first!.overdue).toBeGreaterThan(second!.overdue);
    const treatment = first!.cells[0]!;
    expect(treatment).toMatchObject({ stepId: "political-treatment", year: 2026, look: { state: "overdue", icon: "🔴", label: "Forfalt" } });
    expect(treatment.text).toBe("Politisk behandling av avtale 2027: Forfalt · Frist 29. januar 2027");
    expect(second!.cells[0]!.look.state).toBe("done");
    // «Neste» as the overview card says it.
    const cardText = JSON.stringify(cardOf((await h.say("oversikt")).replies.at(-1)));
    expect(cardText).toContain(first!.next.split(" · ")[0]!);
  });

  it("reads each region's year once per request, as the overview card does (not once for the rows and again for the cells)", async () => {
    counted.reset();
    expect((await get(h, "/api/tab/overview")).status).toBe(200);
    const cycleReads = counted.ops.keys.filter((k) => k.id.startsWith("cycle-")).map((k) => `${k.partition}/${k.id}`);
    // 15 regions and the national track, for 2026 (closing) and 2027.
    expect(cycleReads.filter((k) => k === "46/cycle-2027")).toHaveLength(1);
    expect(cycleReads).toHaveLength(new Set(cycleReads).size);
    expect(cycleReads.length).toBe(32);
  });
});

describe("the reports view (Vestland, spring 2027)", () => {
  let h: Harness;
  beforeAll(async () => {
    at("2027-04-16T10:00:00+02:00");
    h = await startHarness({ PUBLIC_BASE_URL: "https://samhandling.example.no" }, { clock: () => now });
    await seedSpringRound(h.samhandling.store);
  });
  afterAll(async () => h?.close());

  it("shows who delivered, late and missing, each task's answers, the expectations and working download links; never a draft", async () => {
    const response = await get(h, "/api/tab/reports?region=46&year=2027&round=spring");
    expect(response.status).toBe(200);
    const reports = ReportsSchema.parse(response.body);
    expect(reports.rounds.map((r) => [r.round, r.selected])).toEqual([
      ["spring", true],
      ["autumn", false],
    ]);
    const summary = reports.summary!;
    expect(summary.title).toBe("Vestland: oppfølgingsrapporter vår 2027");
    expect(summary.agencies.map((a) => [a.name, a.state, a.icon])).toEqual([
      ["Innovasjon Norge", "submitted", "✅"],
      ["SIVA", "late", "⏰"],
      ["Forskningsrådet", "missing", "❌"],
    ]);
    expect(summary.agencies[0]!.text).toBe("levert 12. april 2027 kl. 14.00 av Ingrid Innovasjon");
    const paper = JSON.stringify(summary.paper);
    expect(paper).toContain("Klyngeprogram for havnæringene");
    // Person-written text comes as it was written (the page escapes it), never a draft.
    expect(paper).toContain("=SUM(A1:A9) kom sent");
    expect(paper).toContain("Mangel på arbeidskraft i havnæringene");
    expect(paper).not.toContain("UTKAST");
    expect(summary.paper.sections.map((s) => s.heading)).toContain("Endret siden forrige runde");
    // The links are the signed download links: each fetches the papers.
    expect(reports.exports.links.map((l) => l.title)).toEqual(["Word", "Excel (CSV)", "Markdown"]);
    const markdown = new URL(reports.exports.links.find((l) => l.format === "md")!.url);
    expect(markdown.origin).toBe("https://samhandling.example.no");
    const file = await fetch(`${h.url}${markdown.pathname}${markdown.search}`);
    expect(file.status).toBe(200);
    expect(await file.text()).toContain("Klyngeprogram for havnæringene");
  });

  it("without a round it picks the one that matters now; a past round nobody answered says so", async () => {
    const chosen = ReportsSchema.parse((await get(h, "/api/tab/reports?region=Vestland")).body);
    expect(chosen).toMatchObject({ year: 2027, summary: { round: "spring" } });
    const past = ReportsSchema.parse((await get(h, "/api/tab/reports?region=46&year=2026&round=autumn&lang=nn")).body);
    expect(past.summary!.title).toBe("Vestland: oppfølgingsrapportar haust 2026");
    expect(past.summary!.agencies.map((a) => [a.state, a.icon])).toEqual([
      ["missing", "❌"],
      ["missing", "❌"],
      ["missing", "❌"],
    ]);
  });
});

describe("recording from the tab (Vestland, April 2027)", () => {
  let h: Harness;
  const events = async () => (await loadCycles(h.samhandling.store, [{ regionId: "46", year: 2027 }]))[0]!.events;
  beforeAll(async () => {
    at("2027-03-30T10:00:00+02:00");
    h = await startHarness({ ADMIN_AAD_IDS: ADMIN.aadObjectId! }, { clock: () => now });
    await grantRoles(h);
    // RUK AU's spring meeting convened and held (the first three of its year).
    await record(h.samhandling.store, "national", 2027, ...NATIONAL_MEETINGS_2027.slice(0, 3));
    at("2027-04-01T10:00:00+02:00");
  });
  afterAll(async () => h?.close());

  const plan = (actionId: string, date: string, acceptLate: string[] = []) => ({
    regionId: "46",
    year: 2027,
    verb: "meeting.plan",
    params: { meeting: "regional-spring" },
    values: { date, place: "Bergen <b>rådhus</b>" },
    actionId,
    acceptLate,
  });

  it("a viewer is refused with 403 and nothing is written", async () => {
    const refused = await post(h, plan(randomUUID(), "2027-05-12"), VIEWER);
    expect(refused.status).toBe(403);
    expect(RecordAnswerSchema.parse(refused.body)).toEqual({ kind: "refused", message: "Du kan ikke registrere dette steget. Det gjør Vestland fylkeskommune, eller en administrator." });
    expect(await events()).toEqual([]);
  });

  it("a date that makes the invitations late is warned about; «Lagre likevel» records it", async () => {
    const actionId = randomUUID();
    const warned = await post(h, plan(actionId, "2027-04-15"), COORDINATOR);
    expect(warned.status).toBe(200);
    const late = RecordAnswerSchema.parse(warned.body);
    expect(late).toMatchObject({ kind: "late", message: "Velg en annen dato, eller lagre likevel.", steps: ["Innkallingsfristen blir 24. mars – den er passert."] });
    expect(await events()).toEqual([]);
    const saved = await post(h, plan(actionId, "2027-04-15", late.kind === "late" ? late.accept : []), COORDINATOR);
    expect(RecordAnswerSchema.parse(saved.body).kind).toBe("recorded");
    expect(await events()).toHaveLength(1);
  });

  it("a step recorded from the tab shows done on the status card and in the trail; a retry records once", async () => {
    const actionId = randomUUID();
    const body = { regionId: "46", year: 2027, verb: "meeting.invited", params: { meeting: "regional-spring" }, values: { date: "2027-04-01" }, actionId };
    const before = (await events()).length;
    // The overview grid is kept between requests; a change must show in it at once all the same.
    const invitations = async () =>
      OverviewSchema.parse((await get(h, "/api/tab/overview")).body).rows.find((r) => r.region.id === "46")!.cells.find((c) => c.stepId === "regional-spring-meeting-convened" && c.year === 2027)!.look.state;
    expect(await invitations()).not.toBe("done");
    const saved = await post(h, body, COORDINATOR);
    expect(saved.status).toBe(200);
    const answer = RecordAnswerSchema.parse(saved.body);
    expect(answer.kind).toBe("recorded");
    expect(answer.message).toBe("✅ Registrert: Innkalling til regionalt vårmøte sendt 1. april 2027.");
    if (answer.kind !== "recorded") throw new Error("not recorded");
    expect(answer.wheel.steps.find((s) => s.key === "regional-spring-meeting-convened")).toMatchObject({
      look: { state: "done" },
      recorded: { by: "Kari Koordinator", at: "1. april 2027 kl. 10.00" },
    });
    // The same click again (the page retried): recorded once.
    const retry = await post(h, body, COORDINATOR);
    expect(RecordAnswerSchema.parse(retry.body).kind).toBe("duplicate");
    expect(await events()).toHaveLength(before + 1);
    expect(await invitations()).toBe("done");
    // The card, through the bot: the step is done; the trail says who.
    const card = await say(h, COORDINATOR, "status Vestland");
    expect(card).toMatch(/✅ \*\*Innkalling til regionalt vårmøte\*\*/);
    const trail = await say(h, COORDINATOR, "historikk Vestland");
    expect(trail).toContain("Kari Koordinator");
    expect(trail).toContain("Innkalling til regionalt vårmøte sendt 1. april 2027");
  });

  it("a refused form names the field; bad bodies are 4xx and write nothing", async () => {
    const before = (await events()).length;
    const badDate = await post(h, { ...plan(randomUUID(), "not-a-date"), verb: "meeting.held", values: { date: "31.04.2027" } }, COORDINATOR);
    expect(badDate.status).toBe(422);
    expect(RecordAnswerSchema.parse(badDate.body)).toEqual({ kind: "refused", message: "Feltet «Dato» mangler eller er ugyldig.", field: "date" });
    const cases: Array<[unknown, Record<string, string>, number, string]> = [
      ["{not json", {}, 400, "INVALID_BODY"],
      [{ ...plan(randomUUID(), "2027-05-12"), actionId: "not-a-uuid" }, {}, 400, "INVALID_BODY"],
      [{ ...plan(randomUUID(), "2027-05-12"), verb: "admin.grant" }, {}, 400, "INVALID_VERB"],
      [{ ...plan(randomUUID(), "2027-05-12"), regionId: "99" }, {}, 400, "INVALID_REGION"],
      [{ ...plan(randomUUID(), "2027-05-12"), year: 99999 }, {}, 400, "INVALID_YEAR"],
      [{ ...plan(randomUUID(), "2027-05-12"), wheelYear: -5 }, {}, 400, "INVALID_YEAR"],
      [plan(randomUUID(), "2027-05-12"), { "content-type": "text/plain" }, 415, "UNSUPPORTED_MEDIA_TYPE"],
      [JSON.stringify({ ...plan(randomUUID(), "2027-05-12"), pad: "x".repeat(300_000) }), {}, 413, "BODY_TOO_LARGE"],
    ];
    for (const [body, headers, status, code] of cases) {
      const response = await post(h, body, COORDINATOR, headers);
      expect(response.status, code).toBe(status);
      expect(ApiErrorSchema.parse(response.body).error.code).toBe(code);
    }
    // A compressed body is refused before anything is read (server.ts), here as on the bot endpoint.
    const gzipped = await fetch(`${h.url}/api/tab/record`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip", "x-samhandling-local-user": COORDINATOR.aadObjectId! },
      body: gzipSync(JSON.stringify(plan(randomUUID(), "2027-05-12"))),
    });
    expect(gzipped.status).toBe(415);
    expect(await events()).toHaveLength(before);
  });
});
