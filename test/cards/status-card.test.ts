// @vitest-environment jsdom
/**
 * The status card answers "what is due now, what is late, and who must act?" at the top; the
 * rest of the year is behind «Vis hele året». Built from the real use case over an in-memory
 * store, so the card is checked as a person would get it.
 */
import { DateTime } from "luxon";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { toSettings } from "../../src/app/settings.js";
import { regionStatus, type StatusDeps } from "../../src/app/status.js";
import { renderStatusCard, type Personalization } from "../../src/cards/status-card.js";
import { cardBytes } from "../../src/cards/templates.js";
import type { Lang } from "../../src/domain/calendar.js";
import type { EventData } from "../../src/domain/events.js";
import { MODEL_2017 } from "../../src/domain/process.js";
import { regionById } from "../../src/domain/regions.js";
import { mayRecord, type Role } from "../../src/domain/roles.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import { checkCard } from "../support/card-check.js";
import { NATIONAL_MEETINGS_2027, record } from "../support/events.js";
import { cardText } from "../support/harness.js";
import { executeActions, openUrls } from "../support/invoke.js";
import { wheelLinkOf } from "../../src/cards/tab-link.js";

const settingsDoc = { id: "settings", partition: "_system", type: "settings", schemaVersion: 1, trackingStart: "2026-12-01", regions: {} } as const;
const vestland = regionById("46")!;
const at = (iso: string) => DateTime.fromISO(iso, { setZone: true });

function own(roles: Role[]): Personalization {
  const duties = roles.filter((r) => r.kind !== "admin");
  return { canRecord: (r) => mayRecord(roles, r), isMine: (r) => mayRecord(duties, r), actionId: "test-action" };
}
const COORDINATOR: Role[] = [{ kind: "region-coordinator", regionId: "46" }];
const SIVA_VESTLAND: Role[] = [{ kind: "agency-rep", agency: "SIVA", regionId: "46" }];

/** Vestland's year as it goes when the work gets done (the year walk's story), up to the autumn. */
/** Vestland's spring 2027, all done in time (§3.1, §4.2). */
const SPRING_DONE: EventData[] = [
  { type: "meeting-planned", meeting: "regional-spring", date: "2027-04-22" },
  { type: "invitations-sent", meeting: "regional-spring", date: "2027-03-31" },
  ...(["IN", "SIVA", "NFR"] as const).map((agency): EventData => ({ type: "follow-up-report-submitted", round: "spring", agency, date: "2027-04-14" })),
  { type: "meeting-held", meeting: "regional-spring", date: "2027-04-22" },
];

async function vestlandKeepsUp(deps: StatusDeps) {
  await record(deps.store, "national", 2027, ...NATIONAL_MEETINGS_2027);
  await record(deps.store, "46", 2027,
    ...SPRING_DONE,
    { type: "meeting-planned", meeting: "regional-autumn", date: "2027-11-18" },
    { type: "draft-agreement-ready", date: "2027-10-25" },
    { type: "invitations-sent", meeting: "regional-autumn", date: "2027-10-25" },
    ...(["IN", "SIVA", "NFR"] as const).map((agency) => ({ type: "follow-up-report-submitted" as const, round: "autumn" as const, agency, date: "2027-11-08" })),
    { type: "meeting-held", meeting: "regional-autumn", date: "2027-11-18" },
    { type: "political-treatment-recorded", body: "Fylkesutvalet", date: "2027-12-09", caseNumber: "27/345", outcome: "approved" },
    { type: "regional-budget-adopted", date: "2027-12-16" },
  );
  await closed2026(deps);
}

/** 2026's cycle closed in January 2027: reports, meeting, treatment, budget, signatures, commission agreement. */
async function closed2026(deps: StatusDeps) {
  await record(deps.store, "46", 2026,
    ...(["IN", "SIVA", "NFR"] as const).map((agency) => ({ type: "follow-up-report-submitted" as const, round: "autumn" as const, agency, date: "2026-11-12" })),
    { type: "invitations-sent", meeting: "regional-autumn", date: "2026-10-20" },
    { type: "meeting-held", meeting: "regional-autumn", date: "2026-11-19" },
    { type: "draft-agreement-ready", date: "2026-11-01" },
    { type: "political-treatment-recorded", body: "Fylkesutvalet", date: "2027-01-19", caseNumber: "27/12", outcome: "approved" },
    { type: "regional-budget-adopted", date: "2026-12-15" },
    ...(["region", "IN", "SIVA", "NFR"] as const).map((party) => ({ type: "agreement-signed" as const, party, date: "2027-01-27" })),
    { type: "commission-agreement-sent", agency: "IN", date: "2027-01-27" },
  );
}

describe("the status card at a glance", () => {
  let deps: StatusDeps;
  beforeEach(() => {
    deps = { store: openSqliteStore(":memory:"), model: MODEL_2017, settings: toSettings({ ...settingsDoc }, "rev-1") };
  });
  afterEach(async () => deps.store.close());
  const card = async (iso: string, view: Parameters<typeof renderStatusCard>[3] = { showMyActions: true }, lang: Lang = "nb", region = vestland) =>
    renderStatusCard((await regionStatus(deps, region, at(iso))).evaluate(), MODEL_2017, lang, view);

  it("§2.1 on 20 January the signing due 31 January is in «Neste 14 dager», with its checklist said once", async () => {
    await vestlandKeepsUp(deps);
    // The state budget is in, one allocation letter of three has come.
    await record(deps.store, "national", 2027, { type: "state-budget-adopted", date: "2027-12-15" }, { type: "allocation-letter-received", agency: "IN", date: "2028-01-11" });
    const c = await card("2028-01-20T09:00:00+01:00");
    const shown = cardText(c, { shown: true });
    expect(shown).toContain("Neste 14 dager");
    expect(shown).toContain("**Vestland fylkeskommune, Innovasjon Norge, SIVA, Forskningsrådet**: signer samarbeidsavtale 2028 · frist 31. januar 2028");
    expect(shown).toContain("Før signering (§2.1): ☑ politisk behandling · ☑ statsbudsjett · ☑ fylkesbudsjett · ☐ tildelingsbrev 1/3");
    // Said once, even with the whole year open.
    expect(cardText(c).split("Før signering").length - 1).toBe(1);
    // The party lines in the year view: one per party.
    for (const party of ["Vestland fylkeskommune", "Innovasjon Norge", "SIVA", "Forskningsrådet"]) expect(cardText(c)).toContain(`⏳ ${party} – ikke signert`);
  });

  it("§3.1 three agencies' reports in one row are done on the day the last came in, not the first", async () => {
    await record(deps.store, "national", 2027, ...NATIONAL_MEETINGS_2027);
    await record(deps.store, "46", 2027,
      { type: "meeting-planned", meeting: "regional-spring", date: "2027-04-22" },
      { type: "follow-up-report-submitted", round: "spring", agency: "IN", date: "2027-03-25" },
      { type: "follow-up-report-submitted", round: "spring", agency: "NFR", date: "2027-04-20" },
      { type: "follow-up-report-submitted", round: "spring", agency: "SIVA", date: "2027-04-09" },
    );
    const year = cardText(await card("2027-04-21T09:00:00+02:00"));
    expect(year).toMatch(/Oppfølgingsrapport \(vår\)[^\n]*Innovasjon Norge, SIVA, Forskningsrådet[^\n]*\n?[^\n]*Utført 20\. april 2027/);
    expect(year).not.toContain("Utført 25. mars 2027");
  });

  it("§2.1 a prerequisite nobody recorded from before the tracking start is ➖ in the checklist, not ☑", async () => {
    // Installed 10 January 2028: both budgets were due 23 December, before Samhandling followed the region.
    const fresh: StatusDeps = { ...deps, settings: toSettings({ ...settingsDoc, trackingStart: "2028-01-10" }, "rev-2") };
    const c = renderStatusCard((await regionStatus(fresh, vestland, at("2028-01-20T09:00:00+01:00"))).evaluate(), MODEL_2017, "nb", { showMyActions: true });
    expect(cardText(c, { shown: true })).toContain("Før signering (§2.1): ☐ politisk behandling · ➖ statsbudsjett · ➖ fylkesbudsjett · ☐ tildelingsbrev 0/3");
    // "Ikke registrert" is explained where such rows are: in the year view.
    expect(cardText(c, { shown: true })).not.toContain("«Ikke registrert»");
    expect(cardText(c)).toContain("«Ikke registrert»: fristen var ute før Samhandling begynte å følge regionen");
    // Not applicable (no commission agreement with SIVA or Forskningsrådet, §3.3) is not listed.
    expect(cardText(c)).not.toContain("Ikke aktuelt");
  });

  it("external events have a recorder, not a responsible party that failed (§2.1)", async () => {
    const national = renderStatusCard((await regionStatus(deps, undefined, at("2028-01-05T09:00:00+01:00"))).evaluate(), MODEL_2017, "nb", { showMyActions: true });
    const text = cardText(national);
    expect(text).toContain("Statsbudsjett 2028 vedtatt (Stortinget) – registreres av RUK AU");
    expect(text).toContain("Tildelingsbrev 2028 fra departementet – registreres av Innovasjon Norge");
    expect(text).not.toMatch(/Ansvar: RUK AU[^\n]*Statsbudsjett|Statsbudsjett[^\n]*Ansvar: RUK AU/);
  });

  it("a step that cannot be done because RUK AU is late shows as blocked by RUK AU, not as the county's overdue step", async () => {
    // 20 December 2027: the national autumn meeting was never recorded as held (due 30 November).
    const c = await card("2027-12-20T09:00:00+01:00");
    const shown = cardText(c, { shown: true });
    expect(shown).toMatch(/Blokkert \(\d+\)/);
    // §4.2: the county may invite once the national autumn meeting has a date; RUK AU never set one.
    expect(shown).toContain("⛔ **Vestland fylkeskommune**: kall inn til regionalt høstmøte · fristen var 2. desember 2027\nBlokkert av RUK AU – venter på dato for nasjonalt temamøte høst");
    expect(shown).not.toContain("🔴 **Vestland fylkeskommune**: kall inn til regionalt høstmøte");
  });

  it("the national track is one line on a region's card and in full on its own card", async () => {
    // The autumn meeting is convened, not yet held.
    await record(deps.store, "national", 2027, ...NATIONAL_MEETINGS_2027.filter((e) => !(e.type === "meeting-held" && e.meeting === "national-autumn")));
    const region = cardText(await card("2027-10-12T09:00:00+02:00"), { shown: true });
    // §1: held by 30 November; nothing national falls within two weeks, so the line says what comes after.
    expect(region.match(/^Nasjonalt: .*$/m)?.[0]).toBe("Nasjonalt: i rute · neste: 🔵 RUK AU: hold nasjonalt temamøte høst (to deler) · frist 30. november 2027");
    expect(region).not.toContain("**RUK AU**");
  });

  it("in a person's own card their own items come first, under «Dine oppgaver», with their buttons", async () => {
    await record(deps.store, "national", 2027, { type: "meeting-planned", meeting: "national-spring", date: "2027-03-24" }, { type: "meeting-held", meeting: "national-spring", date: "2027-03-24" });
    await record(deps.store, "46", 2027, { type: "meeting-planned", meeting: "regional-spring", date: "2027-04-22" });
    await closed2026(deps);
    const siva = await card("2027-04-08T09:00:00+02:00", own(SIVA_VESTLAND));
    const shown = cardText(siva, { shown: true });
    const sections = shown.split("\n").filter((l) => /^(Dine oppgaver|Forfalt|Blokkert|Neste 14 dager) \(/.test(l));
    expect(sections[0]).toBe("Dine oppgaver (1)");
    // §3.1: the spring report is due a week before the 22 April meeting: within five working days, so due soon.
    expect(shown).toContain("Dine oppgaver (1)\n🟠 **SIVA**: lever oppfølgingsrapport (vår) · frist 15. april 2027");
    // The report is written in its hub (issue 10), not only dated.
    const buttons = executeActions(siva).filter((a) => a.verb === "form.open" || a.verb === "report.open");
    expect(buttons.map((b) => [b.verb, b.data.round, b.data.agency])).toEqual([["report.open", "spring", "SIVA"]]);
    // The other agencies' reports are under «Neste 14 dager», without SIVA's buttons.
    expect(shown).toContain("**Innovasjon Norge, Forskningsrådet**: lever oppfølgingsrapport (vår)");
  });

  it("«Dine oppgaver» is the person's whole to-do list, however far ahead, most urgent first and capped", async () => {
    await record(deps.store, "national", 2027, ...NATIONAL_MEETINGS_2027.slice(0, 5));
    await record(deps.store, "46", 2027,
      ...SPRING_DONE,
      { type: "meeting-planned", meeting: "regional-autumn", date: "2027-11-18" },
      { type: "invitations-sent", meeting: "regional-autumn", date: "2027-10-25" },
    );
    await closed2026(deps);
    const coordinatorCard = await card("2027-11-10T09:00:00+01:00", own(COORDINATOR));
    const shown = cardText(coordinatorCard, { shown: true });
    // The autumn meeting has a date: its button moves it, and says so.
    expect(JSON.stringify(coordinatorCard)).toContain('"title":"Endre møtedato"');
    expect(JSON.stringify(coordinatorCard)).not.toContain('"title":"Sett møtedato"');
    // §3.2 the draft by the meeting (18 November); the meeting held and the county budget by 23
    // December (31 December moved out of Christmas week); political treatment by 31 January.
    expect(shown).toContain("Dine oppgaver (4)\n🔵 **Vestland fylkeskommune**: gjør ferdig utkast til samarbeidsavtale 2028 · frist 18. november 2027");
    expect(shown).toMatch(/vedta fylkesbudsjett 2028 · frist 23\. desember 2027|hold regionalt dialogmøte høst · frist 23\. desember 2027/);
    expect(shown).toContain("… og 1 til");
    // The agencies' autumn reports (due 11 November, a week before the meeting) are theirs, not the county's.
    expect(shown).toContain("Neste 14 dager (3)\n🟠 **Innovasjon Norge, SIVA, Forskningsrådet**: lever oppfølgingsrapport (høst) · frist 11. november 2027");
  });

  it("in «Dine oppgaver» what is due within days comes first: the cap never hides it behind old overdue steps", async () => {
    // 25 March 2027: the 2026 cycle left the county many overdue steps; its spring invitations are due 1 April.
    await record(deps.store, "national", 2027, { type: "meeting-planned", meeting: "national-spring", date: "2027-03-24" });
    await record(deps.store, "46", 2027, { type: "meeting-planned", meeting: "regional-spring", date: "2027-04-22" });
    const shown = cardText(await card("2027-03-25T09:00:00+01:00", own(COORDINATOR)), { shown: true });
    expect(shown).toMatch(/Dine oppgaver \(\d+\)\n🟠 \*\*Vestland fylkeskommune\*\*: kall inn til regionalt vårmøte · frist 1\. april 2027/);
    expect(shown).toContain("… og");
  });

  it("a blocked line names who blocks it, not the step's own party; a second signing line says what it waits for", async () => {
    // 5 February 2028, nothing recorded: political treatment waits for the county's autumn meeting
    // (blocked by RUK AU's) and its own draft.
    const coordinator = await card("2028-02-05T09:00:00+01:00", own(COORDINATOR));
    const text = cardText(coordinator);
    expect(text).toContain("⛔ **Vestland fylkeskommune**: legg avtale 2028 fram til politisk behandling · fristen var 31. januar 2028\nBlokkert av RUK AU – venter på regionalt dialogmøte høst, utkast til samarbeidsavtale 2028");
    expect(text).not.toMatch(/Blokkert av [^\n]*Vestland fylkeskommune[^\n]* – venter på regionalt dialogmøte høst/);
    // The agencies' signing line, apart from the county's own (with the checklist), is not left bare.
    expect(text).toMatch(/⛔ \*\*Innovasjon Norge, SIVA, Forskningsrådet\*\*: signer samarbeidsavtale 2028 · fristen var 31\. januar 2028\nBlokkert av /);
  });

  it("«Mine handlinger» sits in the header, before anything to do", async () => {
    const c = await card("2027-04-08T09:00:00+02:00");
    const body = c.body as any[];
    const myActions = body.findIndex((b) => b.type === "ActionSet" && b.actions?.[0]?.verb === "status.refresh");
    const firstSection = body.findIndex((b) => b.type === "Container" && b.separator);
    expect(myActions).toBeGreaterThan(-1);
    expect(myActions).toBeLessThan(firstSection);
  });

  it("«Åpne årshjulet» opens the tab at the card's region (a Teams deep link), under «Vis hele året», below the answer", async () => {
    const wheel = wheelLinkOf({ microsoftAppId: "0b5e3c1a-7f2d-4c4e-9a1b-2d3e4f5a6b7c", teamsAppId: "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f", publicBaseUrl: "https://samhandling.example.no", port: 3978 });
    for (const view of [{ showMyActions: true, wheel }, { ...own(COORDINATOR), wheel }]) {
      const c = await card("2027-04-08T09:00:00+02:00", view);
      const links = openUrls(c);
      expect(links.map((l) => l.title)).toEqual(["Åpne årshjulet"]);
      const url = new URL(links[0]!.url);
      expect(`${url.origin}${url.pathname}`).toBe("https://teams.microsoft.com/l/entity/6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f/aarshjul");
      // Teams hands the page the region as its subPageId; a client without the tab opens the page itself there.
      expect(JSON.parse(url.searchParams.get("context")!)).toEqual({ subEntityId: "46" });
      expect(url.searchParams.get("webUrl")).toBe("https://samhandling.example.no/tab?region=46");
      // Nothing new above the answer: its own row right under «Vis hele året», after every section
      // (side by side, the English titles would be cut off at 360 px).
      const body = c.body as any[];
      const row = body.findIndex((b) => b.type === "ActionSet" && b.actions?.some((a: any) => a.type === "Action.OpenUrl"));
      expect(body[row].actions.map((a: any) => a.title)).toEqual(["Åpne årshjulet"]);
      expect(body[row - 1].actions.map((a: any) => a.title)).toEqual(["Vis hele året"]);
      expect(body.findIndex((b) => b.type === "Container" && b.separator)).toBeLessThan(row);
      checkCard(c);
    }
    // Without a tab address (a test, an old deployment) there is no button.
    expect(openUrls(await card("2027-04-08T09:00:00+02:00"))).toEqual([]);
  });

  it("in local mode the link opens the page in a browser at the region; the national card opens the overview", async () => {
    const local = wheelLinkOf({ port: 3978 });
    const c = await card("2027-04-08T09:00:00+02:00", { ...own(COORDINATOR), wheel: local });
    expect(openUrls(c)).toEqual([{ title: "Åpne årshjulet", url: "http://localhost:3978/tab?region=46" }]);
    const national = (lang: Lang, wheel = local) => regionStatus(deps, undefined, at("2027-04-08T09:00:00+02:00")).then((s) => renderStatusCard(s.evaluate(), MODEL_2017, lang, { showMyActions: true, wheel }));
    expect(openUrls(await national("nb"))).toEqual([{ title: "Åpne årshjulet", url: "http://localhost:3978/tab" }]);
    // In Teams the national card's deep link carries no region either.
    const teams = wheelLinkOf({ microsoftAppId: "0b5e3c1a-7f2d-4c4e-9a1b-2d3e4f5a6b7c", port: 3978 });
    expect(openUrls(await national("nb", teams))[0]!.url).toBe("https://teams.microsoft.com/l/entity/0b5e3c1a-7f2d-4c4e-9a1b-2d3e4f5a6b7c/aarshjul");
    expect(openUrls(await national("nn"))[0]!.title).toBe("Opne årshjulet");
    expect(openUrls(await card("2027-04-08T09:00:00+02:00", { showMyActions: true, wheel: local }, "en"))[0]!.title).toBe("Open the annual wheel");
  });

  it("long lists are capped: «… og N til» opens the rest", async () => {
    // Nothing recorded since December 2026: by 20 January 2028 the list of what is late is long.
    const c = await card("2028-01-20T09:00:00+01:00", own(COORDINATOR));
    const toggles = executeToggles(c);
    expect(toggles.some((t) => /^… og \d+ til$/.test(t.title))).toBe(true);
    for (const t of toggles) for (const id of t.targetElements) expect(JSON.stringify(c)).toContain(`"id":"${id}"`);
    // Everything hidden is still there for whoever opens it.
    expect(cardText(c)).toContain("kall inn til regionalt høstmøte");
  });

  it("the header's counts add up: what the sections count is what the header counts", async () => {
    const c = await card("2028-01-20T09:00:00+01:00");
    const shown = cardText(c, { shown: true });
    const header = /🔴 (\d+) forfalt(?:.*⛔ (\d+) blokkert)?/.exec(shown)!;
    const section = (name: string) => Number(new RegExp(`^${name} \\((\\d+)\\)$`, "m").exec(shown)?.[1] ?? 0);
    expect(section("Forfalt")).toBe(Number(header[1]));
    expect(section("Blokkert")).toBe(Number(header[2] ?? 0));
  });

  it("§2.1 the checklist is said once even when the reader's own signature and the others' are in two sections", async () => {
    await vestlandKeepsUp(deps);
    await record(deps.store, "national", 2027, { type: "state-budget-adopted", date: "2027-12-15" });
    const coordinator = await card("2028-01-20T09:00:00+01:00", own(COORDINATOR));
    const shown = cardText(coordinator, { shown: true });
    // The county signs and sends the commission agreement; the agencies sign under «Neste 14 dager».
    expect(shown).toContain("Dine oppgaver (2)\n⏳ **Vestland fylkeskommune**: signer samarbeidsavtale 2028 · frist 31. januar 2028\nFør signering (§2.1)");
    expect(shown).toContain("**Innovasjon Norge, SIVA, Forskningsrådet**: signer samarbeidsavtale 2028");
    expect(cardText(coordinator).split("Før signering").length - 1).toBe(1);
  });

  it("no button is offered twice on a card, whatever the date and reader", async () => {
    await vestlandKeepsUp(deps);
    for (const iso of ["2027-02-01T09:00:00+01:00", "2027-05-03T09:00:00+02:00", "2027-10-12T09:00:00+02:00", "2028-01-20T09:00:00+01:00"]) {
      for (const region of [vestland, undefined]) {
        const c = renderStatusCard((await regionStatus(deps, region, at(iso))).evaluate(), MODEL_2017, "nb", own([{ kind: "admin" }]));
        const buttons = executeActions(c).filter((a) => a.verb === "form.open").map((a) => JSON.stringify([a.data.form, a.data.year, a.data.params]));
        expect(buttons.length, `${iso} ${region?.name ?? "national"}`).toBe(new Set(buttons).size);
      }
    }
  });

  it("«Sett møtedato» is not offered once the meeting's last allowed day has passed (§3.1, §3.2)", async () => {
    // 2 February 2028, nothing recorded: the 2027 regional meetings' last days (30 June, 23 December) are past.
    const c = await card("2028-02-02T09:00:00+01:00", own(COORDINATOR));
    const plans = executeActions(c).filter((a) => a.verb === "form.open" && a.data.form === "meeting.plan");
    expect(plans.filter((a) => a.data.year === 2027)).toEqual([]);
  });

  it("the national line opens the national track, also in a channel bound to a region", async () => {
    const c = await card("2027-04-08T09:00:00+02:00");
    expect(JSON.stringify(c)).toContain('"selectAction":{"type":"Action.Submit","title":"Nasjonalt spor","data":{"command":"status nasjonalt"}}');
  });

  for (const lang of ["nb", "nn", "en"] as const) {
    it(`every date's card is a valid Adaptive Card 1.5 under 20 KB, personal and shared (${lang})`, async () => {
      await vestlandKeepsUp(deps);
      for (const iso of ["2027-02-15T09:00:00+01:00", "2027-04-20T09:00:00+02:00", "2027-11-10T09:00:00+01:00", "2028-01-20T09:00:00+01:00"]) {
        for (const view of [{ showMyActions: true }, own(COORDINATOR), own([{ kind: "admin" }])]) {
          const c = await card(iso, view, lang);
          checkCard(c);
          expect(cardBytes(c), iso).toBeLessThan(20 * 1024);
        }
      }
    });
  }
});

function executeToggles(card: unknown): Array<{ title: string; targetElements: string[] }> {
  const out: Array<{ title: string; targetElements: string[] }> = [];
  const walk = (n: unknown) => {
    if (Array.isArray(n)) n.forEach(walk);
    else if (n && typeof n === "object") {
      const o = n as Record<string, any>;
      if (o.type === "Action.ToggleVisibility") out.push({ title: o.title, targetElements: o.targetElements });
      Object.values(o).forEach(walk);
    }
  };
  walk(card);
  return out;
}
