/**
 * The report round of `npm run bench` (issue 10, "Measured"): a spring round (§3.1) for all 15
 * regions × 3 agencies (IN, SIVA, Forskningsrådet) × 20 tasks, on a fresh SQLite file through
 * compose(), the same app as production.
 *
 * The installation: every region's agreement 2027 has 20 tasks, each the responsibility of all
 * three agencies (so every hub and every summary is at its largest); each agency has a regional
 * contact in each region (45 people) and each region a coordinator (15), written as one roles
 * document before compose() (as fanout.ts does); each person has a 1:1 chat with the bot (the fake
 * connector in the bench's worker thread). The national spring meeting is held 10 March 2027;
 * every regional spring meeting is planned for 12 May 2027.
 *
 * Measured:
 * - opening the round: on the day it opens (roundWindow with REPORT_ROUND_OPEN_DAYS), one nudge
 *   run of the real runner posts one hub card per agency × region (45) at NUDGE_RATE_PER_SECOND;
 *   wall time of the run, cards the connector accepted, and how many were hubs;
 * - a form save turn (`report.save` of one group of four tasks, 300-character comments, an
 *   adaptiveCard/action invoke over HTTP answered with the hub) at c=1 and c=16, p50 and p99 as a
 *   ratio to the echo bot's medians of the same bench run; then the 45 submissions at c=1 (each
 *   recorded once: checked in the cycles);
 * - compiling every region's summary (15) and every export (15 × Markdown, CSV, .docx), with the
 *   largest summary card and the largest file.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { DateTime } from "luxon";
import { appendToAgreement } from "../src/app/report-store.js";
import { appendToCycle, loadCycles } from "../src/app/cycles.js";
import { renderReportSummaryCard } from "../src/cards/report-summary-card.js";
import { cardBytes } from "../src/cards/templates.js";
import { cadenceOf, compose, type Samhandling } from "../src/compose.js";
import { loadConfig } from "../src/config.js";
import type { AgreementTask } from "../src/domain/agreement.js";
import type { EventData } from "../src/domain/events.js";
import { REGIONS, type AgencyId } from "../src/domain/regions.js";
import { roundWindow } from "../src/domain/reports.js";
import { EXPORT_FORMATS } from "../src/exports/index.js";
import type { Logger } from "../src/logger.js";
import { RolesDocumentSchema, SYSTEM_PARTITION } from "../src/store/records.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";

export interface RoundsOptions {
  dir: string;
  logger: Logger;
  connectorUrl: string;
  ask: <T>(message: object) => Promise<T>;
  ratePerSecond: number;
  saveTurnsC1: number;
  saveTurnsC16: number;
  /** The echo bot's medians of this bench run, at c=1 and c=16. */
  echo: { c1: { p50: number; p99: number }; c16: { p50: number; p99: number } };
}

interface WorkerResult {
  latencies: Float64Array;
  elapsedMs: number;
  failed: number;
  failures: string[];
}

interface Collected {
  accepted: number;
  nonDigests: number;
  maxActivityBytes: number;
  perConversation: Array<[string, number]>;
}

export interface TurnStats {
  turns: number;
  p50: number;
  p99: number;
  turnsPerSec: number;
  failed: number;
  ratioToEcho?: { p50: number; p99: number };
}

export interface RoundsResult {
  regions: number;
  agencies: number;
  tasksPerAgreement: number;
  opensOn: string;
  open: { wallMs: number; accepted: number; hubCards: number; chatsWithAHub: number; largestActivityBytes: number; ratePerSecond: number };
  save: { c1: TurnStats; c16: TurnStats };
  submit: TurnStats & { recordedOnce: boolean };
  compile: { summaries: number; summariesMs: number; exports: number; exportsMs: number; largestCardBytes: number; largestFile: { format: string; bytes: number } };
  problems: string[];
}

const AGENCIES: readonly AgencyId[] = ["IN", "SIVA", "NFR"];
const YEAR = 2027;
const TASKS = 20;
const GROUP = 4;
/** The round's people: each region's three agency contacts and its coordinator, with ids from `base` (so two benches never share one). */
export interface RoundPeople {
  admin: { id: string; name: string };
  repOf(regionIndex: number, agencyIndex: number): string;
  coordinatorOf(regionIndex: number): string;
}

/**
 * Form saves: each agency contact answers one group of four tasks per turn, round-robin over the
 * 45 reports and the 5 groups (the round bench and the soak).
 */
export function reportSaveTurns(people: RoundPeople): Array<{ actorId: string; data: Record<string, string> }> {
  const comment = "Framdrift som planlagt; ".repeat(13).slice(0, 300);
  const pairs = REGIONS.flatMap((region, r) => AGENCIES.map((agency, a) => ({ regionId: region.id, agency, actorId: people.repOf(r, a) })));
  return Array.from({ length: pairs.length * (TASKS / GROUP) }, (_, n) => {
    const pair = pairs[n % pairs.length]!;
    const group = Math.floor(n / pairs.length) % (TASKS / GROUP);
    const ids = Array.from({ length: GROUP }, (_, i) => `t${group * GROUP + i + 1}`);
    const fields = Object.fromEntries(ids.flatMap((id) => [[`status-${id}`, "on-track"], [`comment-${id}`, comment]]));
    return { actorId: pair.actorId, data: { regionId: pair.regionId, year: String(YEAR), round: "spring", agency: pair.agency, form: "tasks", tasks: ids.join(","), ...fields } };
  });
}

export function roundPeople(base: number, adminName: string): RoundPeople {
  const personId = (n: number) => `00000000-0000-0000-0000-${String(base + n).padStart(12, "0")}`;
  return { admin: { id: personId(0), name: adminName }, repOf: (r, a) => personId(r * 4 + a + 1), coordinatorOf: (r) => personId(r * 4 + 4) };
}

/** Roles written once, before the app starts, as an installation that granted them over time has them. */
export async function writeRoundRoles(sqlitePath: string, now: DateTime, people: RoundPeople): Promise<void> {
  const seeding = openSqliteStore(sqlitePath);
  const grantedAt = now.minus({ days: 60 }).toUTC().toISO()!;
  const grantedBy = people.admin;
  const assignments = REGIONS.flatMap((region, r) => [
    ...AGENCIES.map((agency, a) => ({ personId: people.repOf(r, a), name: `${agency} ${region.name}`, role: `agency-rep:${agency}:${region.id}`, grantedBy, grantedAt })),
    { personId: people.coordinatorOf(r), name: `Koordinator ${region.name}`, role: `region-coordinator:${region.id}`, grantedBy, grantedAt },
  ]);
  await seeding.write(RolesDocumentSchema.parse({ id: "roles", partition: SYSTEM_PARTITION, type: "roles", schemaVersion: 1, assignments }), { ifAbsent: true });
  await seeding.close();
}

/**
 * The round's installation in a running app: the national spring meeting held 10 March 2027, every
 * regional spring meeting planned for 12 May, every agreement 2027 with the 20 tasks of all three
 * agencies, and each person's 1:1 chat (`a:<chatPrefix>-<id>`) at the fake connector.
 */
export async function seedRound(samhandling: Samhandling, now: DateTime, people: RoundPeople, connectorUrl: string, chatPrefix: string): Promise<void> {
  const { app, store } = samhandling;
  const by = people.admin;
  const event = (data: EventData) => ({ id: randomUUID(), recordedAt: now.toUTC().toISO()!, by, data });
  await appendToCycle(store, "national", YEAR, () => [
    event({ type: "meeting-planned", meeting: "national-spring", date: "2027-03-10" }),
    event({ type: "invitations-sent", meeting: "national-spring", date: "2027-01-20" }),
    event({ type: "meeting-held", meeting: "national-spring", date: "2027-03-10" }),
  ]);
  const tasks: AgreementTask[] = Array.from({ length: TASKS }, (_, i) => ({
    id: `t${i + 1}`,
    title: `Oppgave ${i + 1}: felles innsats for klynger, kompetanse og grønn omstilling i regionen`,
    description: "Beskrivelse ".repeat(20).trim(),
    responsible: [...AGENCIES],
    indicator: "antall prosjekter",
  }));
  for (const [r, region] of REGIONS.entries()) {
    await appendToCycle(store, region.id, YEAR, () => [event({ type: "meeting-planned", meeting: "regional-spring", date: "2027-05-12" })]);
    await appendToAgreement(store, region.id, YEAR, () => ({ events: tasks.map((task) => ({ id: randomUUID(), recordedAt: now.toUTC().toISO()!, by, data: { type: "task-added" as const, task } })), result: undefined }));
    for (const id of [...AGENCIES.map((_, a) => people.repOf(r, a)), people.coordinatorOf(r)]) {
      await app.conversations.seen({
        address: { serviceUrl: connectorUrl, channelId: "msteams", conversationId: `a:${chatPrefix}-${id}`, conversationType: "personal", tenantId: "tenant-bench", botId: "28:samhandling-bot", botName: "Samhandling" },
        personId: id,
        locale: "nb-NO",
      });
    }
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

function stats(result: WorkerResult, turns: number, echo?: { p50: number; p99: number }): TurnStats {
  const sorted = Array.from(result.latencies).sort((a, b) => a - b);
  const p50 = percentile(sorted, 0.5);
  const p99 = percentile(sorted, 0.99);
  return { turns, p50, p99, turnsPerSec: (turns / result.elapsedMs) * 1000, failed: result.failed, ...(echo ? { ratioToEcho: { p50: p50 / echo.p50, p99: p99 / echo.p99 } } : {}) };
}

export async function runRounds(o: RoundsOptions): Promise<RoundsResult> {
  const problems: string[] = [];
  mkdirSync(o.dir, { recursive: true });
  let now = DateTime.fromISO("2027-03-01T09:00:00+01:00", { setZone: true });
  const config = loadConfig({
    SQLITE_PATH: join(o.dir, "samhandling.db"),
    LOG_LEVEL: "silent",
    CLOCK_NOW: now.toISO()!,
    HOST: "127.0.0.1",
    PORT: "0",
    NUDGE_SCHEDULER: "off",
    NUDGE_RATE_PER_SECOND: String(o.ratePerSecond),
  });

  const people = roundPeople(700_000, "Bench Admin");
  await writeRoundRoles(config.SQLITE_PATH, now, people);

  const samhandling = await compose(config, o.logger, { clock: () => now });
  try {
    await new Promise<void>((resolve) => samhandling.server.listen(0, "127.0.0.1", () => resolve()));
    const { app, store } = samhandling;
    await seedRound(samhandling, now, people, o.connectorUrl, "rounds");

    // The day the round opens, from the same rule the app uses.
    const step = (await app.steps(REGIONS[0]!.id, YEAR)).find((s) => s.key === "follow-up-report-spring:IN");
    if (!step) throw new Error("no spring follow-up step for IN");
    const window = roundWindow(step, "spring", undefined, config.REPORT_ROUND_OPEN_DAYS, cadenceOf(config).workingDays);
    now = DateTime.fromISO(`${window.opensOn}T09:00:00`, { zone: "Europe/Oslo" });

    await o.ask({ type: "fanout-start" });
    const t0 = performance.now();
    const run = await samhandling.nudges.run();
    const openMs = performance.now() - t0;
    const collected = await o.ask<Collected>({ type: "fanout-collect" });
    const repChats = new Set(REGIONS.flatMap((_, r) => AGENCIES.map((__, a) => `a:rounds-${people.repOf(r, a)}`)));
    const chatsWithAHub = collected.perConversation.filter(([id, n]) => repChats.has(id) && n >= 1).length;
    if (collected.nonDigests !== REGIONS.length * AGENCIES.length) problems.push(`the round opened with ${collected.nonDigests} hub cards, expected ${REGIONS.length * AGENCIES.length}`);
    if (chatsWithAHub !== repChats.size) problems.push(`${repChats.size - chatsWithAHub} agency contacts got no hub`);
    if (run.deferred + run.unreachable + run.rejected + run.errors > 0) problems.push(`the opening run left work: ${JSON.stringify(run)}`);

    const saveTurns = reportSaveTurns(people);
    const invokes = (prefix: string, verb: string, turnsData: unknown[], concurrency: number, turns: number, expectText: string) =>
      o.ask<WorkerResult>({ type: "invoke", port: portOf(samhandling), prefix, concurrency, turns, locale: "nb-NO", plan: { verb, turnsData }, expectText, sample: false });
    // Warm-up, then the measured runs; every group of every report is saved at least once before the submissions.
    await invokes("rounds-warm", "report.save", saveTurns, 4, saveTurns.length, "Oppfølgingsrapport");
    const c1 = await invokes("rounds-save-c1", "report.save", saveTurns, 1, o.saveTurnsC1, "Oppfølgingsrapport");
    const c16 = await invokes("rounds-save-c16", "report.save", saveTurns, 16, o.saveTurnsC16, "Oppfølgingsrapport");
    for (const [label, r] of [["save c=1", c1], ["save c=16", c16]] as const) if (r.failed > 0) problems.push(`${label}: ${r.failed} failed, e.g. ${r.failures[0]}`);

    // Each report once: the first round of saves holds every agency contact and region once.
    const submitTurns = saveTurns.slice(0, REGIONS.length * AGENCIES.length).map(({ actorId, data }) => ({ actorId, data: { regionId: data.regionId!, year: data.year!, round: data.round!, agency: data.agency! } }));
    const submitted = await invokes("rounds-submit", "report.submit", submitTurns, 1, submitTurns.length, "Rapporten er sendt inn");
    if (submitted.failed > 0) problems.push(`submit: ${submitted.failed} failed, e.g. ${submitted.failures[0]}`);
    const cycles = await loadCycles(store, REGIONS.map((r) => ({ regionId: r.id, year: YEAR })));
    const recordedOnce = cycles.every((c) => AGENCIES.every((a) => c.events.filter((e) => e.data.type === "follow-up-report-submitted" && e.data.agency === a).length === 1));
    if (!recordedOnce) problems.push("a submission was not recorded exactly once in its cycle");

    // Compiling: every summary (and its card), then every export.
    let largestCardBytes = 0;
    let t = performance.now();
    for (const region of REGIONS) {
      const summary = await app.papers.summary(region.id, YEAR, "spring");
      if (!summary) throw new Error(`no summary for ${region.name}`);
      largestCardBytes = Math.max(largestCardBytes, cardBytes(renderReportSummaryCard(summary, "nb")));
    }
    const summariesMs = performance.now() - t;
    let largestFile = { format: "", bytes: 0 };
    t = performance.now();
    for (const region of REGIONS) {
      for (const format of EXPORT_FORMATS) {
        const file = await app.exports.file({ regionId: region.id, year: YEAR, round: "spring", format, lang: "nb" });
        if (!file) throw new Error(`no ${format} export for ${region.name}`);
        if (file.bytes.length > largestFile.bytes) largestFile = { format, bytes: file.bytes.length };
      }
    }
    const exportsMs = performance.now() - t;

    return {
      regions: REGIONS.length,
      agencies: AGENCIES.length,
      tasksPerAgreement: TASKS,
      opensOn: window.opensOn,
      open: { wallMs: openMs, accepted: collected.accepted, hubCards: collected.nonDigests, chatsWithAHub, largestActivityBytes: collected.maxActivityBytes, ratePerSecond: o.ratePerSecond },
      save: { c1: stats(c1, o.saveTurnsC1, o.echo.c1), c16: stats(c16, o.saveTurnsC16, o.echo.c16) },
      submit: { ...stats(submitted, submitTurns.length, o.echo.c1), recordedOnce },
      compile: { summaries: REGIONS.length, summariesMs, exports: REGIONS.length * EXPORT_FORMATS.length, exportsMs, largestCardBytes, largestFile },
      problems,
    };
  } finally {
    await samhandling.close();
  }
}

function portOf(samhandling: { server: { address(): unknown } }): number {
  const address = samhandling.server.address() as { port?: number } | null;
  if (!address?.port) throw new Error("the rounds app is not listening");
  return address.port;
}

const fmt = (ms: number) => ms.toFixed(1);
const ratio = (x: number | undefined) => (x === undefined ? "–" : `${x.toFixed(2)}×`);

export function printRounds(r: RoundsResult): void {
  console.log(`\nReport round (§3.1 spring ${YEAR}): ${r.regions} regions × ${r.agencies} agencies × ${r.tasksPerAgreement} tasks, opens ${r.opensOn}\n`);
  console.log(
    `  open the round   one nudge run: ${fmt(r.open.wallMs)} ms, ${r.open.accepted} cards accepted, ${r.open.hubCards} hub cards to ${r.open.chatsWithAHub} agency contacts (limit ${r.open.ratePerSecond}/s), largest ${r.open.largestActivityBytes} bytes`,
  );
  for (const [label, s] of [["save c=1", r.save.c1], ["save c=16", r.save.c16], ["submit c=1", r.submit]] as const)
    console.log(
      `  ${label.padEnd(15)} p50 ${fmt(s.p50)} ms (${ratio(s.ratioToEcho?.p50)} echo)  p99 ${fmt(s.p99)} ms (${ratio(s.ratioToEcho?.p99)} echo)  ${s.turnsPerSec.toFixed(0)} turns/s  ${s.turns} turns, ${s.failed} failed`,
    );
  console.log(`  submissions recorded once in the cycles: ${r.submit.recordedOnce ? "yes" : "NO"}`);
  console.log(
    `  compile          ${r.compile.summaries} summaries in ${fmt(r.compile.summariesMs)} ms, ${r.compile.exports} exports in ${fmt(r.compile.exportsMs)} ms; largest summary card ${r.compile.largestCardBytes} bytes, largest file ${r.compile.largestFile.bytes} bytes (${r.compile.largestFile.format})`,
  );
  for (const p of r.problems) console.log(`  PROBLEM: ${p}`);
}
