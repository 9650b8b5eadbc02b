/**
 * `npm run bench`: what a `status` turn costs compared with the cheapest possible turn on the
 * same stack. Target: a status turn costs no more than 1.5× an echo turn. Status is measured twice:
 * as the app runs (rendered cards reused while their documents and day are unchanged) and with
 * the card cache off (CARD_CACHE_SIZE=0), so the cost of a fresh rendering stays visible.
 *
 * In one process. Main thread: the real app (compose(), SQLite file in a temp dir, CLOCK_NOW
 * fixed, store populated for all regions) and an echo bot built with the project's own adapter
 * and server factories. Worker thread (load-worker.mjs), standing in for Teams: the fake Bot
 * Connector of test/support and the load generator, so that neither parsing the replies nor
 * sending the requests is counted as the bots' work. Each of the c concurrent conversations is
 * another person's 1:1 chat (one person has one chat with the bot, and the bot keeps its address
 * for nudges: written once, not on every turn). Each turn is timed from the POST to
 * /api/messages until the HTTP response, which the CloudAdapter sends after the turn, i.e. after
 * the reply reached the connector. Everything talks over 127.0.0.1 only.
 *
 * Rounds alternate the order of echo and status, and the table shows the median of each figure
 * across rounds (these machines are noisy). Besides wall time, each run records the CPU time of
 * the main thread per turn (from /proc): neighbours on a shared machine stretch wall time, but
 * hardly what a turn costs in CPU. Every reply is checked; any failure → exit 1.
 *
 * Recording is measured the same way, as card actions: `adaptiveCard/action` invokes through
 * real HTTP whose answer (the person's updated card) is the HTTP response. Every turn saves the
 * real record form of `meeting.plan` for the regional autumn meeting of the bench clock's cycle
 * year (the only kind of plan valid on 17 November: any day from tomorrow to 31 December, the
 * regions' autumn meetings not yet held) by an admin (ADMIN_AAD_IDS), with a fresh actionId and
 * a varying date and place per turn, so every turn reads, decides, writes one event to the store
 * and renders a card. Recording runs on an app of its own: compose() on a fresh SQLite file per
 * run (same clock and admins), so that no region document grows past a realistic size. Turn n goes
 * to region n mod 15, so at most ⌈turns / 15⌉ (134 at c=16) events per document and run, and no
 * two turns in flight share an aggregate. After each run the store is read back: exactly one new
 * event per turn, none doubled. Then the worst case for the etag retries: BENCH_BURST (50) admins
 * record on one region at the same moment, BENCH_BURST_REPEATS (5) times, each burst on a fresh
 * store; wall time until all answered, and again exactly one event each.
 *
 * Knobs (environment): BENCH_ROUNDS (3), BENCH_TURNS_C1 (800), BENCH_TURNS_C16 (2000),
 * BENCH_TURNS_OVERVIEW (300), BENCH_WARMUP (500), BENCH_TURNS_RECORD_C1 (as BENCH_TURNS_C1),
 * BENCH_TURNS_RECORD_C16 (as BENCH_TURNS_C16), BENCH_WARMUP_RECORD (300), BENCH_BURST (50),
 * BENCH_BURST_REPEATS (5), BENCH_CLOCK_NOW (2027-11-17T09:00:00+01:00).
 *
 * Last, the same app on Cosmos DB: compose() with STORE=cosmos against @vercel/cosmosdb-server
 * (test/support/cosmos-emulator.ts, in this process over HTTP on 127.0.0.1), seeded like the
 * SQLite file, its store wrapped in test/support/store-ops.ts's counting store so that each run
 * reports the store operations per turn (point reads, writes, list calls). One run each of
 * `status Vestland` at c=1 and c=16 and of recording at c=1 (a fresh database per recording run,
 * checked like the SQLite ones), with the ratio Cosmos / SQLite against the SQLite medians. The
 * emulator runs on the main thread, so its work counts in the Cosmos runs' CPU per turn. Knobs:
 * BENCH_COSMOS_TURNS_C1 (300), BENCH_COSMOS_TURNS_C16 (600), BENCH_COSMOS_TURNS_RECORD_C1 (300),
 * BENCH_COSMOS_WARMUP (100).
 *
 * Then the nudge fan-out (bench/fanout.ts, whose header tells the setup): BENCH_FANOUT_RECIPIENTS
 * (2000) nudges to as many 1:1 chats in one run of the real runner (compose() on a fresh SQLite
 * file, `samhandling.nudges.run()` called in this process, no HTTP trigger) with the global limit
 * NUDGE_RATE_PER_SECOND = BENCH_FANOUT_RATE (50), posting through botbuilder to the fake connector
 * in the worker thread, which notes when each post arrives. Figures: the achieved rate over the
 * send phase (first to last post: (cards − 1) / duration) as a share of the limit (target ≥ 90 %;
 * marked, not fatal, as the machine's noise can push it under); duplicates (a chat with more than
 * one card) and losses (a recipient's chat without a card; the run summary's deferred,
 * unreachable and rejected; pending mailboxes left in the outbox), both must be 0, and so must a
 * second run the same day send nothing, else exit 1; peak memory of the whole process (RSS sampled
 * every 50 ms, and VmHWM reset just before the run) and of the main thread's heap; main-thread
 * CPU per card. It takes about recipients / rate seconds (≈ 40 s). Clock: BENCH_FANOUT_CLOCK_NOW
 * (2027-02-01T09:00:00+01:00). `BENCH_ONLY=fanout npm run bench` runs just this part and updates
 * only the `fanout` section of results/latest.json (the other sections stay from the last full run).
 *
 * Last, the report round (bench/rounds.ts, whose header tells the setup): a spring round for 15
 * regions × 3 agencies × 20 tasks on a fresh SQLite file — the nudge run that opens it (45 hub
 * cards at BENCH_FANOUT_RATE), form saves at c=1 and c=16 (BENCH_ROUNDS_SAVE_C1 = 450,
 * BENCH_ROUNDS_SAVE_C16 = 900) and the 45 submissions as ratios to the echo bot's medians, then
 * every summary and export compiled, with the largest card and file. `BENCH_ONLY=rounds npm run
 * bench` runs the echo bot once and this part, and updates only the `rounds` section.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type restify from "restify";
import { loadCycles } from "../src/app/cycles.js";
import { compose, openStore, type Samhandling } from "../src/compose.js";
import { loadConfig } from "../src/config.js";
import { workingDayOnOrBefore } from "../src/domain/calendar.js";
import { REGIONS, regionById } from "../src/domain/regions.js";
import { createLogger } from "../src/logger.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import { startCosmosEmulator, type CosmosEmulator } from "../test/support/cosmos-emulator.js";
import type { PostedActivity } from "../test/support/fake-connector.js";
import { countingStore, type CountingStore } from "../test/support/store-ops.js";
import { createEchoServer } from "./echo-bot.js";
import { printFanout, runFanout, type FanoutResult } from "./fanout.js";
import { printRounds, runRounds, type RoundsResult } from "./rounds.js";
import { askOf } from "./load-client.js";
import { seedStore } from "./seed.js";
import { executeActions } from "../test/support/invoke.js";

// `npm run bench -- soak` (issue 11): the soak alone (bench/soak.ts), none of what follows.
if (process.argv[2] === "soak") process.exit(await (await import("./soak.js")).runSoak());
// `npm run bench -- fuzz` (issue 11): the fuzz test's properties at ≥ 20 000 requests (bench/fuzz.ts), alone.
if (process.argv[2] === "fuzz") process.exit(await (await import("./fuzz.js")).runFuzzBench());
// `npm run bench -- tab` (issue 12): the årshjul tab alone (bench/tab.ts); the full run includes it last.
if (process.argv[2] === "tab") process.exit(await (await import("./tab.js")).runTabBenchAlone());
// `npm run bench -- startup` (issue 13): start-up to ready, `node dist/main.js` and `tsx src/main.ts` (bench/startup.ts); the full run includes it last.
if (process.argv[2] === "startup") process.exit(await (await import("./startup.js")).runStartupBenchAlone());
// `npm run bench -- scale` (issue 13): cost per turn on Cosmos DB, and status turns over 1, 2 and 3 instances (bench/scale.ts), alone.
if (process.argv[2] === "scale") process.exit(await (await import("./scale.js")).runScaleBench());

const env = process.env;
const int = (name: string, fallback: number) => {
  const v = Number(env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};
const ROUNDS = int("BENCH_ROUNDS", 3);
const TURNS_C1 = int("BENCH_TURNS_C1", 800);
const TURNS_C16 = int("BENCH_TURNS_C16", 2000);
const TURNS_OVERVIEW = int("BENCH_TURNS_OVERVIEW", 300);
const WARMUP = int("BENCH_WARMUP", 500);
const TURNS_RECORD_C1 = int("BENCH_TURNS_RECORD_C1", TURNS_C1);
const TURNS_RECORD_C16 = int("BENCH_TURNS_RECORD_C16", TURNS_C16);
const WARMUP_RECORD = int("BENCH_WARMUP_RECORD", 300);
const BURST = int("BENCH_BURST", 50);
const BURST_REPEATS = int("BENCH_BURST_REPEATS", 5);
const COSMOS_TURNS_C1 = int("BENCH_COSMOS_TURNS_C1", 300);
const COSMOS_TURNS_C16 = int("BENCH_COSMOS_TURNS_C16", 600);
const COSMOS_TURNS_RECORD_C1 = int("BENCH_COSMOS_TURNS_RECORD_C1", 300);
const COSMOS_WARMUP = int("BENCH_COSMOS_WARMUP", 100);
const ROUNDS_SAVE_C1 = int("BENCH_ROUNDS_SAVE_C1", 450);
const ROUNDS_SAVE_C16 = int("BENCH_ROUNDS_SAVE_C16", 900);
const CLOCK_NOW = env.BENCH_CLOCK_NOW ?? "2027-11-17T09:00:00+01:00";
const TARGET_RATIO = 1.3;
/** "fanout": only the nudge fan-out; "rounds": only the report round (with the echo bot to compare); unset: everything. */
const ONLY = env.BENCH_ONLY || undefined;
if (ONLY !== undefined && ONLY !== "fanout" && ONLY !== "rounds") {
  console.error(`bench: BENCH_ONLY=${ONLY} is not known (expected "fanout" or "rounds", or unset for everything)`);
  process.exit(2);
}
const FANOUT_RECIPIENTS = int("BENCH_FANOUT_RECIPIENTS", 2000);
const FANOUT_RATE = Number(env.BENCH_FANOUT_RATE) > 0 ? Number(env.BENCH_FANOUT_RATE) : 50;
const FANOUT_CLOCK_NOW = env.BENCH_FANOUT_CLOCK_NOW ?? "2027-02-01T09:00:00+01:00";
/** The fan-out's achieved rate should reach this share of the limit. */
const FANOUT_TARGET_SHARE = 0.9;
/** The fan-out's two runs take about recipients / rate, plus set-up and checks. */
const FANOUT_BUDGET_MS = (FANOUT_RECIPIENTS / FANOUT_RATE) * 2_000 + 60_000;
/** The whole bench must end; a hang is a failure, not a wait. */
const HARD_LIMIT_MS = (ONLY === "fanout" ? 0 : 6 * 60_000) + FANOUT_BUDGET_MS;

/**
 * "status" reuses rendered cards (the default); "status-uncached" renders every card afresh;
 * "recording" saves a record form (a card action) and gets the updated card back.
 */
type Kind = "echo" | "status" | "status-uncached" | "oversikt" | "recording";
type MessageKind = Exclude<Kind, "recording">;
interface Target {
  port: number;
  text: string;
  expect: { kind: "text"; text: string } | { kind: "card"; titleIncludes?: string };
}

interface WorkerResult {
  type: "result";
  latencies: Float64Array;
  elapsedMs: number;
  failed: number;
  failures: string[];
  sample?: PostedActivity["activity"];
}

interface RunStats {
  kind: Kind;
  concurrency: number;
  round: number;
  turns: number;
  p50: number;
  p99: number;
  mean: number;
  turnsPerSec: number;
  /** CPU time of the main thread (the bots' thread) per turn, in µs: steadier than wall time on a busy machine. */
  cpuUsPerTurn: number;
  failures: number;
  /** Recording only: what the store holds afterwards. */
  store?: RecordCheck;
}

/** What a recording run left in the store: one new event per turn, no more, no less. */
interface RecordCheck {
  /** New events in the aggregates the run wrote to. */
  recorded: number;
  /** = turns. */
  expected: number;
  /** Events beyond the first for one turn. */
  duplicates: number;
  /** Turns without an event. */
  lost: number;
  /** Different people among the run's events. */
  actors: number;
}

/** One burst: BURST admins record on one region at the same moment. */
interface BurstStats {
  repeat: number;
  regionId: string;
  year: number;
  size: number;
  /** From the first POST until the last of the BURST answers arrived. */
  wallMs: number;
  p50: number;
  p99: number;
  cpuUsPerTurn: number;
  failures: number;
  store: RecordCheck;
}

const hardStop = setTimeout(() => {
  console.error(`bench: gave up after ${HARD_LIMIT_MS / 1000} s`);
  process.exit(2);
}, HARD_LIMIT_MS);
hardStop.unref();

const failures: string[] = [];
let failedTurns = 0;
const fail = (message: string) => {
  failures.push(message);
  if (failures.length <= 20) console.error(`  ✗ ${message}`);
};

const dir = mkdtempSync(join(os.tmpdir(), "samhandling-bench-"));
const worker = new Worker(new URL("./load-worker.mjs", import.meta.url));
const workerReady = new Promise<string>((resolve, reject) => {
  worker.once("message", (m: { type: string; url: string }) => resolve(m.url));
  worker.once("error", reject);
});
/** Sends one message to the worker and waits for its answer. */
const ask = askOf(worker);
/** Admins by configuration, who record in the recording runs (the status person is not one of them). */
const ACTORS = Array.from({ length: Math.max(BURST, 16) }, (_, i) => `00000000-0000-0000-0000-0000000a${String(i).padStart(4, "0")}`);
const configEnv = {
  SQLITE_PATH: join(dir, "samhandling.db"),
  LOG_LEVEL: "silent",
  CLOCK_NOW,
  HOST: "127.0.0.1",
  PORT: "0",
  ADMIN_AAD_IDS: ACTORS.join(","),
  // Turns are measured here; the nudges have a run of their own (fanout.ts), not one at start.
  NUDGE_SCHEDULER: "off",
};
const config = loadConfig(configEnv);
const logger = createLogger(config.LOG_LEVEL);
const year = config.clockNow!.setZone("Europe/Oslo").year;
const RESULTS = new URL("./results/latest.json", import.meta.url);

/** The nudge fan-out (fanout.ts), on a store of its own; its problems are the bench's failures. */
async function fanoutPart(connectorUrl: string): Promise<FanoutResult> {
  const result = await runFanout({
    recipients: FANOUT_RECIPIENTS,
    ratePerSecond: FANOUT_RATE,
    clockNow: FANOUT_CLOCK_NOW,
    dir: join(dir, "fanout"),
    logger,
    connectorUrl,
    ask,
    mainThreadCpuMs,
  });
  printFanout(result, FANOUT_TARGET_SHARE);
  for (const p of result.problems) failures.push(`fanout: ${p}`);
  return result;
}
const fanoutJson = (r: FanoutResult) => ({ at: new Date().toISOString(), targetShare: FANOUT_TARGET_SHARE, ...r });

/** The report round (bench/rounds.ts), against the echo bot's medians of this run. */
async function roundsPart(echo: { c1: { p50: number; p99: number }; c16: { p50: number; p99: number } }): Promise<RoundsResult> {
  const result = await runRounds({ dir: join(dir, "rounds"), logger, connectorUrl: await workerReady, ask, ratePerSecond: FANOUT_RATE, saveTurnsC1: ROUNDS_SAVE_C1, saveTurnsC16: ROUNDS_SAVE_C16, echo });
  printRounds(result);
  for (const p of result.problems) failures.push(`rounds: ${p}`);
  return result;
}
const roundsJson = (r: RoundsResult) => ({ at: new Date().toISOString(), ...r });

if (ONLY === "fanout") {
  let code = 0;
  const t0 = Date.now();
  try {
    const url = await workerReady;
    console.log(`Samhandling bench, nudge fan-out only (BENCH_ONLY=fanout) — fake connector ${url} (worker thread)`);
    console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "?"}, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
    const r = await fanoutPart(url);
    console.log(`\nMachine: node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? "?"}), ${os.platform()} ${os.release()}`);
    console.log(`Bench time ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    // Only the fan-out's section of the results is replaced; the rest stays from the last full run.
    let previous: Record<string, unknown> = {};
    try {
      previous = JSON.parse(readFileSync(RESULTS, "utf8")) as Record<string, unknown>;
    } catch {
      // No earlier results: the file holds the fan-out alone.
    }
    mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
    writeFileSync(RESULTS, JSON.stringify({ ...previous, fanout: fanoutJson(r) }, null, 2) + "\n");
    if (failures.length > 0) {
      console.error(`\nnudge fan-out failed: ${failures[0]}`);
      code = 1;
    }
  } catch (error) {
    console.error("bench failed:", error);
    code = 1;
  } finally {
    await bounded("connector", ask({ type: "close" }));
    await bounded("worker", worker.terminate());
    rmSync(dir, { recursive: true, force: true });
  }
  process.exit(code);
}

// The store is populated before the app opens it, as an installation that has been in use.
const seeding = openSqliteStore(config.SQLITE_PATH);
const seeded = await seedStore(seeding, year);
await seeding.close();

const samhandling = await compose(config, logger);
// The same app and store file without the card cache: what a turn costs when nothing is reused.
const uncached = await compose(loadConfig({ ...configEnv, CARD_CACHE_SIZE: "0" }), logger);
const echoServer = createEchoServer(config, logger);
const appPort = await listen(samhandling.server);
const uncachedPort = await listen(uncached.server);
const echoPort = await listen(echoServer);
const connectorUrl = await workerReady;

const targets: Record<MessageKind, Target> = {
  echo: { port: echoPort, text: "hello", expect: { kind: "text", text: "echo: hello" } },
  status: { port: appPort, text: "status Vestland", expect: { kind: "card", titleIncludes: "Vestland" } },
  "status-uncached": { port: uncachedPort, text: "status Vestland", expect: { kind: "card", titleIncludes: "Vestland" } },
  oversikt: { port: appPort, text: "oversikt", expect: { kind: "card" } },
};

let jobCounter = 0;
let sampleStatusReply: PostedActivity["activity"] | undefined;
let sampleRecordCard: unknown;

/** What a recording turn saves: the region's autumn meeting planned, as the real form sends it. */
const RECORD_VERB = "meeting.plan";
const RECORD_MEETING = "regional-autumn";
const RECORD_TEXT = "Registrert";
/**
 * The days a regional autumn meeting can be planned for at the bench clock without the form's
 * "this makes the invitations late" warning: at least three weeks and a day ahead (§4.2), up to its
 * latest day (31 December moved out of Christmas week, the last working day before it), none of
 * the regions' autumn meetings held and, in a fresh store, no national autumn meeting that it
 * would have to follow.
 */
const PLAN_DATES = (() => {
  const today = config.clockNow!.setZone("Europe/Oslo").startOf("day");
  const last = workingDayOnOrBefore(`${year}-12-31`, { skipChristmasWeek: true });
  const out: string[] = [];
  for (let d = today.plus({ days: 22 }); d.toISODate()! <= last; d = d.plus({ days: 1 })) out.push(d.toISODate()!);
  if (out.length === 0) throw new Error(`bench: no day to plan a regional autumn meeting on from ${today.toISODate()} (set BENCH_CLOCK_NOW earlier in the autumn)`);
  return out;
})();
interface RecordPlan {
  regions: Array<{ id: string; name: string }>;
  /** The cycle year every turn records in (the bench clock's). */
  year: number;
  /** Turn n plans its meeting on one of these days (varying per turn). */
  dates: string[];
  actors: string[];
}
/** The save button's data of the real record form; filled in by probing the app before the runs. */
let saveBase: Record<string, unknown> = {};

/**
 * The app that recording runs (and bursts) write to: compose() as for the status runs, with the
 * same clock and admins, but on a fresh SQLite file of its own, so that documents stay as large
 * as a real cycle's and the status runs' store is never touched.
 */
interface RecordingApp {
  samhandling: Samhandling;
  port: number;
  dir: string;
  /** Cosmos apps: the counting wrapper around the app's store. */
  counter?: CountingStore;
}
let recordingStores = 0;
async function openRecordingApp(): Promise<RecordingApp> {
  const storeDir = join(dir, `recording-${++recordingStores}`);
  mkdirSync(storeDir);
  const app = await compose(loadConfig({ ...configEnv, SQLITE_PATH: join(storeDir, "samhandling.db") }), logger);
  return { samhandling: app, port: await listen(app.server), dir: storeDir };
}
async function closeRecordingApp(app: RecordingApp): Promise<void> {
  await bounded("recording app", app.samhandling.close());
  rmSync(app.dir, { recursive: true, force: true });
}



/** One measured (or warm-up) run; the worker checks that every turn got exactly one right reply. */
async function run(kind: Kind, concurrency: number, turns: number, round: number): Promise<RunStats> {
  if (kind === "recording") return runRecording(concurrency, turns, round);
  const target = targets[kind];
  const prefix = `bench-${++jobCounter}-${kind}`;
  const cpuBefore = mainThreadCpuMs();
  const result = await ask<WorkerResult>({
    type: "run",
    port: target.port,
    text: target.text,
    prefix,
    concurrency,
    turns,
    locale: "nb-NO",
    expect: target.expect,
    sample: kind === "status" && !sampleStatusReply,
  });
  const cpuMs = mainThreadCpuMs() - cpuBefore;
  failedTurns += result.failed;
  for (const f of result.failures) fail(`${kind} c=${concurrency} ${f}`);
  if (result.failed > result.failures.length) fail(`${kind} c=${concurrency}: ${result.failed - result.failures.length} more failed turns`);
  if (result.sample) sampleStatusReply = result.sample;

  const sorted = Array.from(result.latencies).sort((a, b) => a - b);
  return {
    kind,
    concurrency,
    round,
    turns,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    mean: sorted.reduce((s, x) => s + x, 0) / sorted.length,
    turnsPerSec: (turns / result.elapsedMs) * 1000,
    cpuUsPerTurn: (cpuMs / turns) * 1000,
    failures: result.failed,
  };
}

/**
 * One recording run: the worker sends the invokes and checks every answer is a card saying
 * "Registrert"; then the store must hold exactly one new event per turn.
 */
async function recordingRun(target: RecordingApp, prefix: string, concurrency: number, turns: number, plan: RecordPlan) {
  const aggregates = plan.regions.map((r) => ({ regionId: r.id, year: plan.year }));
  const before = (await loadCycles(target.samhandling.store, aggregates)).reduce((sum, c) => sum + c.events.length, 0);
  target.counter?.reset();
  const cpuBefore = mainThreadCpuMs();
  const result = await ask<WorkerResult & { sample?: unknown }>({
    type: "invoke",
    port: target.port,
    prefix,
    concurrency,
    turns,
    locale: "nb-NO",
    plan: { ...plan, verb: RECORD_VERB, base: saveBase },
    expectText: RECORD_TEXT,
    sample: sampleRecordCard === undefined,
  });
  const cpuMs = mainThreadCpuMs() - cpuBefore;
  const ops = target.counter ? opsPerTurn(target.counter, turns) : undefined;
  if (result.sample !== undefined && sampleRecordCard === undefined) sampleRecordCard = result.sample;

  // Read back: each turn's event carries the turn's number in the actor's name.
  const cycles = await loadCycles(target.samhandling.store, aggregates);
  const perTurn = new Map<number, number>();
  const actors = new Set<string>();
  let total = 0;
  for (const cycle of cycles)
    for (const event of cycle.events) {
      total++;
      const m = /^Bench #(\d+) (.+)$/.exec(event.by.name);
      if (!m || m[2] !== prefix || event.data.type !== "meeting-planned" || Number(m[1]) >= turns) continue;
      perTurn.set(Number(m[1]), (perTurn.get(Number(m[1])) ?? 0) + 1);
      actors.add(event.by.id);
    }
  const store: RecordCheck = {
    recorded: total - before,
    expected: turns,
    duplicates: [...perTurn.values()].reduce((s, k) => s + k - 1, 0),
    lost: turns - perTurn.size,
    actors: actors.size,
  };
  return { result, cpuMs, store, ops };
}

function checkStore(label: string, store: RecordCheck): void {
  if (store.recorded !== store.expected || store.duplicates !== 0 || store.lost !== 0)
    fail(`${label}: store holds ${store.recorded} new events for ${store.expected} turns (${store.lost} lost, ${store.duplicates} doubled)`);
}

function noteFailures(label: string, result: WorkerResult): void {
  failedTurns += result.failed;
  for (const f of result.failures) fail(`${label} ${f}`);
  if (result.failed > result.failures.length) fail(`${label}: ${result.failed - result.failures.length} more failed turns`);
}

/** Recording measured like the other kinds: turns spread over the 15 regions, on a fresh store. */
async function runRecording(concurrency: number, turns: number, round: number): Promise<RunStats> {
  const plan: RecordPlan = {
    regions: REGIONS.map((r) => ({ id: r.id, name: r.name })),
    year,
    dates: PLAN_DATES,
    actors: ACTORS.slice(0, Math.max(1, concurrency)),
  };
  const target = await openRecordingApp();
  const { result, cpuMs, store } = await recordingRun(target, `bench-${++jobCounter}-recording`, concurrency, turns, plan).finally(() => closeRecordingApp(target));
  noteFailures(`recording c=${concurrency}`, result);
  checkStore(`recording c=${concurrency}`, store);
  const sorted = Array.from(result.latencies).sort((a, b) => a - b);
  return {
    kind: "recording",
    concurrency,
    round,
    turns,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    mean: sorted.reduce((s, x) => s + x, 0) / sorted.length,
    turnsPerSec: (turns / result.elapsedMs) * 1000,
    cpuUsPerTurn: (cpuMs / turns) * 1000,
    failures: result.failed,
    store,
  };
}

/** BURST different admins save a plan for the same region and year at the same moment, on a fresh store. */
async function runBurst(repeat: number): Promise<BurstStats> {
  const region = regionById("46")!;
  const plan: RecordPlan = { regions: [{ id: region.id, name: region.name }], year, dates: PLAN_DATES, actors: ACTORS.slice(0, BURST) };
  const target = await openRecordingApp();
  const { result, cpuMs, store } = await recordingRun(target, `bench-${++jobCounter}-burst`, BURST, BURST, plan).finally(() => closeRecordingApp(target));
  noteFailures(`burst ${repeat}`, result);
  checkStore(`burst ${repeat}`, store);
  if (store.actors !== BURST) fail(`burst ${repeat}: events by ${store.actors} different people, expected ${BURST}`);
  const sorted = Array.from(result.latencies).sort((a, b) => a - b);
  return {
    repeat,
    regionId: region.id,
    year: plan.year,
    size: BURST,
    wallMs: result.elapsedMs,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    cpuUsPerTurn: (cpuMs / BURST) * 1000,
    failures: result.failed,
    store,
  };
}

/** Opens the real record form once (on a fresh recording app) and keeps its save button's data, so the bench sends what the card sends. */
async function probeSaveData(): Promise<Record<string, unknown>> {
  const target = await openRecordingApp();
  try {
    const answer = await ask<{ status: number; body: string }>({
      type: "probe",
      port: target.port,
      locale: "nb-NO",
      actorId: ACTORS[0],
      verb: "form.open",
      data: { form: RECORD_VERB, regionId: REGIONS[0]!.id, year, params: { meeting: RECORD_MEETING } },
    });
    const card = answer.status === 200 ? (JSON.parse(answer.body) as { value?: unknown }).value : undefined;
    const save = executeActions(card).find((a) => a.verb === RECORD_VERB);
    const data = save?.data as Record<string, unknown> | undefined;
    const params = data?.params as Record<string, unknown> | undefined;
    if (!data || typeof data.actionId !== "string" || data.regionId !== REGIONS[0]!.id || Number(data.year) !== year || params?.meeting !== RECORD_MEETING)
      throw new Error(`the ${RECORD_VERB} form has no save button with the expected data (HTTP ${answer.status}): ${answer.body.slice(0, 400)}`);
    return data;
  } finally {
    await closeRecordingApp(target);
  }
}

/** Store operations the app asked for, per turn of a run (averaged over the run). */
interface OpsPerTurn {
  /** `read` calls plus `readMany` keys (the Cosmos adapter point-reads each key). */
  pointReads: number;
  readManyCalls: number;
  writes: number;
  removes: number;
  lists: number;
  crossPartitionLists: number;
}
function opsPerTurn(counter: CountingStore, turns: number): OpsPerTurn {
  const o = counter.ops;
  return {
    pointReads: counter.pointReads() / turns,
    readManyCalls: o.readManyCalls / turns,
    writes: o.writes / turns,
    removes: o.removes / turns,
    lists: o.lists / turns,
    crossPartitionLists: o.crossPartitionLists / turns,
  };
}
const fmtOps = (o: OpsPerTurn) =>
  `reads ${o.pointReads.toFixed(2)} (readMany ${o.readManyCalls.toFixed(2)}), writes ${o.writes.toFixed(2)}, lists ${o.lists.toFixed(2)} (cross-partition ${o.crossPartitionLists.toFixed(2)})${o.removes ? `, removes ${o.removes.toFixed(2)}` : ""}`;

interface CosmosRunStats extends Omit<RunStats, "kind" | "round"> {
  kind: "status" | "recording";
  ops: OpsPerTurn;
}

let cosmosEmulator: CosmosEmulator | undefined;
let cosmosStatusApp: (RecordingApp & { counter: CountingStore }) | undefined;
let cosmosDatabases = 0;
/** compose() with STORE=cosmos on a database of its own in the in-process emulator, its store wrapped in the counting store. */
async function openCosmosApp(seed: boolean): Promise<RecordingApp & { counter: CountingStore }> {
  cosmosEmulator ??= await startCosmosEmulator();
  const cosmosConfig = loadConfig({
    ...configEnv,
    STORE: "cosmos",
    COSMOS_ENDPOINT: cosmosEmulator.endpoint,
    COSMOS_KEY: cosmosEmulator.key,
    COSMOS_DATABASE: `bench-${++cosmosDatabases}`,
  });
  const inner = await openStore(cosmosConfig);
  if (seed) await seedStore(inner, year);
  const counter = countingStore(inner);
  const app = await compose(cosmosConfig, logger, { store: counter.store });
  return { samhandling: app, port: await listen(app.server), dir: "", counter };
}

/** `status Vestland` on the Cosmos app; the worker checks every card as for SQLite. */
async function cosmosStatusRun(app: RecordingApp & { counter: CountingStore }, concurrency: number, turns: number): Promise<CosmosRunStats> {
  app.counter.reset();
  const cpuBefore = mainThreadCpuMs();
  const result = await ask<WorkerResult>({
    type: "run",
    port: app.port,
    text: targets.status.text,
    prefix: `bench-${++jobCounter}-cosmos-status`,
    concurrency,
    turns,
    locale: "nb-NO",
    expect: targets.status.expect,
    sample: false,
  });
  const cpuMs = mainThreadCpuMs() - cpuBefore;
  const ops = opsPerTurn(app.counter, turns);
  noteFailures(`cosmos status c=${concurrency}`, result);
  return { kind: "status", concurrency, turns, ...latencyStats(result, turns, cpuMs), failures: result.failed, ops };
}

/** Recording on a fresh Cosmos database (unseeded, as the SQLite recording runs' fresh files), read back and checked. */
async function cosmosRecordingRun(concurrency: number, turns: number): Promise<CosmosRunStats> {
  const plan: RecordPlan = { regions: REGIONS.map((r) => ({ id: r.id, name: r.name })), year, dates: PLAN_DATES, actors: ACTORS.slice(0, Math.max(1, concurrency)) };
  const app = await openCosmosApp(false);
  const { result, cpuMs, store, ops } = await recordingRun(app, `bench-${++jobCounter}-cosmos-recording`, concurrency, turns, plan).finally(() =>
    bounded("cosmos recording app", app.samhandling.close()),
  );
  noteFailures(`cosmos recording c=${concurrency}`, result);
  checkStore(`cosmos recording c=${concurrency}`, store);
  return { kind: "recording", concurrency, turns, ...latencyStats(result, turns, cpuMs), failures: result.failed, ops: ops!, store };
}

function latencyStats(result: WorkerResult, turns: number, cpuMs: number) {
  const sorted = Array.from(result.latencies).sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    mean: sorted.reduce((s, x) => s + x, 0) / sorted.length,
    turnsPerSec: (turns / result.elapsedMs) * 1000,
    cpuUsPerTurn: (cpuMs / turns) * 1000,
  };
}

let exitCode = 0;
const started = Date.now();
const all: RunStats[] = [];
const bursts: BurstStats[] = [];
try {
  // BENCH_ONLY=rounds: the echo bot (to compare with) and the report round, nothing else.
  everything: {
  if (ONLY === "rounds") {
    await roundsOnly();
    break everything;
  }
  console.log(`Samhandling bench — clock ${CLOCK_NOW}, store seeded with ${seeded.events} events in ${seeded.documents} documents`);
  console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "?"}, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`app 127.0.0.1:${appPort}, echo 127.0.0.1:${echoPort}, fake connector ${connectorUrl} (worker thread, with the load generator)`);
  console.log(`rounds ${ROUNDS}; turns per run: c=1 ${TURNS_C1}, c=16 ${TURNS_C16}, oversikt ${TURNS_OVERVIEW}; warm-up ${WARMUP} per kind`);
  console.log(
    `recording (${RECORD_VERB} ${RECORD_MEETING} ${year} card actions by admins, 15 regions, dates ${PLAN_DATES[0]}…${PLAN_DATES.at(-1)}, fresh store per run): c=1 ${TURNS_RECORD_C1}, c=16 ${TURNS_RECORD_C16}, warm-up ${WARMUP_RECORD}; then ${BURST_REPEATS} × ${BURST} at once on one region (fresh store each)\n`,
  );

  saveBase = await probeSaveData();
  for (const kind of ["echo", "status", "status-uncached", "oversikt"] as const) await run(kind, 4, WARMUP, 0);
  await run("recording", 4, WARMUP_RECORD, 0);

  for (let round = 1; round <= ROUNDS; round++) {
    // Alternate which bot goes first, so slow drift (thermal, neighbours) hits both alike.
    const order: Kind[] = round % 2 === 1 ? ["echo", "status", "status-uncached", "recording"] : ["recording", "status-uncached", "status", "echo"];
    const turnsOf = (k: Kind, c: 1 | 16) => (k === "recording" ? (c === 1 ? TURNS_RECORD_C1 : TURNS_RECORD_C16) : c === 1 ? TURNS_C1 : TURNS_C16);
    const plan: Array<[Kind, number, number]> = [
      ...order.map((k): [Kind, number, number] => [k, 1, turnsOf(k, 1)]),
      ...order.map((k): [Kind, number, number] => [k, 16, turnsOf(k, 16)]),
      ["oversikt", 1, TURNS_OVERVIEW],
    ];
    for (const [kind, c, turns] of plan) {
      const stats = await run(kind, c, turns, round);
      all.push(stats);
      const stored = stats.store ? `  recorded ${stats.store.recorded}, expected ${stats.store.expected}, duplicates ${stats.store.duplicates}` : "";
      console.log(
        `  round ${round}  ${`${kind} c=${c}`.padEnd(22)} p50 ${fmt(stats.p50)} ms  p99 ${fmt(stats.p99)} ms  ${stats.turnsPerSec.toFixed(0).padStart(5)} turns/s  ${stats.cpuUsPerTurn.toFixed(0).padStart(5)} µs CPU/turn${stored}`,
      );
    }
  }

  for (let repeat = 1; repeat <= BURST_REPEATS; repeat++) {
    const b = await runBurst(repeat);
    bursts.push(b);
    console.log(
      `  burst ${repeat}  ${`${b.size} at once → ${b.regionId}/${b.year}`.padEnd(22)} wall ${fmt(b.wallMs)} ms  p50 ${fmt(b.p50)} ms  p99 ${fmt(b.p99)} ms  ${b.cpuUsPerTurn.toFixed(0).padStart(5)} µs CPU/turn  recorded ${b.store.recorded}, expected ${b.store.expected}, lost ${b.store.lost}, doubled ${b.store.duplicates}`,
    );
  }

  const summary = (kind: Kind, c: number) => {
    const runs = all.filter((s) => s.kind === kind && s.concurrency === c);
    return {
      kind,
      concurrency: c,
      rounds: runs.length,
      turnsPerRound: runs[0]?.turns ?? 0,
      p50: median(runs.map((r) => r.p50)),
      p99: median(runs.map((r) => r.p99)),
      turnsPerSec: median(runs.map((r) => r.turnsPerSec)),
      cpuUsPerTurn: median(runs.map((r) => r.cpuUsPerTurn)),
      spread: { p50: minMax(runs.map((r) => r.p50)), p99: minMax(runs.map((r) => r.p99)), turnsPerSec: minMax(runs.map((r) => r.turnsPerSec)) },
      failures: runs.reduce((s, r) => s + r.failures, 0),
    };
  };
  const burstRow = {
    kind: `burst ${BURST}→1 region`,
    concurrency: BURST,
    rounds: bursts.length,
    turnsPerRound: BURST,
    p50: median(bursts.map((b) => b.p50)),
    p99: median(bursts.map((b) => b.p99)),
    turnsPerSec: median(bursts.map((b) => (b.size / b.wallMs) * 1000)),
    cpuUsPerTurn: median(bursts.map((b) => b.cpuUsPerTurn)),
    spread: { p50: minMax(bursts.map((b) => b.p50)), p99: minMax(bursts.map((b) => b.p99)), turnsPerSec: minMax(bursts.map((b) => (b.size / b.wallMs) * 1000)) },
    failures: bursts.reduce((s, b) => s + b.failures, 0),
  };
  const rows = [
    summary("echo", 1),
    summary("status", 1),
    summary("status-uncached", 1),
    summary("echo", 16),
    summary("status", 16),
    summary("status-uncached", 16),
    summary("oversikt", 1),
    summary("recording", 1),
    summary("recording", 16),
  ];

  console.log(`\nMedians across ${ROUNDS} rounds (turn = POST /api/messages → HTTP response, reply posted to the connector;\nCPU = main-thread CPU time per turn, i.e. the bots' own work):\n`);
  console.log(`  ${"configuration".padEnd(22)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"turns/s".padStart(8)} ${"CPU µs/turn".padStart(12)}   ${"p50 range".padEnd(13)} ${"failures".padStart(8)}`);
  for (const r of rows)
    console.log(
      `  ${`${r.kind} c=${r.concurrency}`.padEnd(22)} ${fmt(r.p50)} ${fmt(r.p99)} ${r.turnsPerSec.toFixed(0).padStart(8)} ${r.cpuUsPerTurn.toFixed(0).padStart(12)}   ${`${r.spread.p50[0].toFixed(2)}–${r.spread.p50[1].toFixed(2)}`.padEnd(13)} ${String(r.failures).padStart(8)}`,
    );
  // The burst row: its "turns/s" is BURST / wall time, i.e. how fast the whole burst was answered.
  console.log(
    `  ${burstRow.kind.padEnd(22)} ${fmt(burstRow.p50)} ${fmt(burstRow.p99)} ${burstRow.turnsPerSec.toFixed(0).padStart(8)} ${burstRow.cpuUsPerTurn.toFixed(0).padStart(12)}   ${`${burstRow.spread.p50[0].toFixed(2)}–${burstRow.spread.p50[1].toFixed(2)}`.padEnd(13)} ${String(burstRow.failures).padStart(8)}`,
  );
  const wall = { median: median(bursts.map((b) => b.wallMs)), range: minMax(bursts.map((b) => b.wallMs)) };
  const storeTotals = (checks: RecordCheck[]) => ({
    recorded: checks.reduce((s, c) => s + c.recorded, 0),
    expected: checks.reduce((s, c) => s + c.expected, 0),
    duplicates: checks.reduce((s, c) => s + c.duplicates, 0),
    lost: checks.reduce((s, c) => s + c.lost, 0),
  });
  const recordingStore = [1, 16].map((c) => {
    const runs = all.filter((s) => s.kind === "recording" && s.concurrency === c);
    return { concurrency: c, runs: runs.length, ...storeTotals(runs.map((r) => r.store!)) };
  });
  const burstStore = storeTotals(bursts.map((b) => b.store));
  console.log(`\nRecording, read back from the store (one new ${RECORD_VERB} event per turn):\n`);
  for (const r of recordingStore)
    console.log(`  ${`recording c=${r.concurrency}`.padEnd(22)} recorded ${r.recorded}, expected ${r.expected}, duplicates ${r.duplicates}   (${r.runs} runs)`);
  console.log(
    `  ${burstRow.kind.padEnd(22)} ${bursts.length} × ${BURST} invokes at once by ${BURST} admins on one region: all answered in ${wall.median.toFixed(1)} ms (median; ${wall.range[0].toFixed(1)}–${wall.range[1].toFixed(1)}), p50 ${burstRow.p50.toFixed(2)} ms, p99 ${burstRow.p99.toFixed(2)} ms`,
  );
  console.log(`  ${"".padEnd(22)} recorded ${burstStore.recorded}, expected ${burstStore.expected}, lost ${burstStore.lost}, doubled ${burstStore.duplicates}`);
  console.log(`  (the ${burstRow.kind} row above: medians of the ${bursts.length} bursts; its turns/s is ${BURST} / wall time)`);

  const ratios = (["status", "status-uncached"] as const).flatMap((kind) => [1, 16].map((c) => {
    const echo = rows.find((r) => r.kind === "echo" && r.concurrency === c)!;
    const status = rows.find((r) => r.kind === kind && r.concurrency === c)!;
    return {
      kind,
      concurrency: c,
      p50: status.p50 / echo.p50,
      p99: status.p99 / echo.p99,
      throughput: echo.turnsPerSec / status.turnsPerSec,
      cpu: status.cpuUsPerTurn / echo.cpuUsPerTurn,
    };
  }));
  const mark = (x: number) => (x <= TARGET_RATIO ? "ok " : "OVER");
  console.log(`\nRatio status / echo (target ≤ ${TARGET_RATIO}×; throughput as echo/status, so > 1 means status is slower):\n`);
  console.log(`  ${"".padEnd(22)} ${"p50".padStart(11)} ${"p99".padStart(11)} ${"throughput".padStart(13)} ${"CPU/turn".padStart(11)}`);
  const cell = (x: number, width: number) => `${x.toFixed(2)}× ${mark(x)}`.padStart(width);
  for (const r of ratios)
    console.log(`  ${`${r.kind} c=${r.concurrency}`.padEnd(22)} ${cell(r.p50, 11)} ${cell(r.p99, 11)} ${cell(r.throughput, 13)} ${cell(r.cpu, 11)}`);

  const recordingRatios = [1, 16].map((c) => {
    const echo = rows.find((r) => r.kind === "echo" && r.concurrency === c)!;
    const rec = rows.find((r) => r.kind === "recording" && r.concurrency === c)!;
    return { kind: "recording", concurrency: c, p50: rec.p50 / echo.p50, p99: rec.p99 / echo.p99, throughput: echo.turnsPerSec / rec.turnsPerSec, cpu: rec.cpuUsPerTurn / echo.cpuUsPerTurn };
  });
  const plain = (x: number, width: number) => `${x.toFixed(2)}×     `.padStart(width);
  console.log(`\nRatio recording / echo (no target: a recording reads, decides, writes the store and renders the person's card):\n`);
  console.log(`  ${"".padEnd(22)} ${"p50".padStart(11)} ${"p99".padStart(11)} ${"throughput".padStart(13)} ${"CPU/turn".padStart(11)}`);
  for (const r of recordingRatios)
    console.log(`  ${`${r.kind} c=${r.concurrency}`.padEnd(22)} ${plain(r.p50, 11)} ${plain(r.p99, 11)} ${plain(r.throughput, 13)} ${plain(r.cpu, 11)}`);

  const card = sampleStatusReply?.attachments?.[0]?.content;
  const cardBytes = card ? Buffer.byteLength(JSON.stringify(card), "utf8") : 0;
  const activityBytes = sampleStatusReply ? Buffer.byteLength(JSON.stringify(sampleStatusReply), "utf8") : 0;
  console.log(`\nStatus card (Vestland): ${cardBytes} bytes of card JSON, ${activityBytes} bytes as posted activity (Teams limit 28 KB = 28672)`);
  const recordCardBytes = sampleRecordCard ? Buffer.byteLength(JSON.stringify(sampleRecordCard), "utf8") : 0;
  console.log(`Card after recording (invoke response): ${recordCardBytes} bytes of card JSON`);

  // Cosmos DB: the same app on the in-process emulator, one run per configuration, after everything else.
  console.log(
    `\nCosmos DB (STORE=cosmos, @vercel/cosmosdb-server in this process over HTTP on 127.0.0.1; seeded like the SQLite file; warm-up ${COSMOS_WARMUP}; one run each):`,
  );
  console.log(`  NB: the emulator runs on the main thread, so its work (HTTP, JSON, queries) is counted in the Cosmos runs' CPU/turn.`);
  cosmosStatusApp = await openCosmosApp(true);
  await cosmosStatusRun(cosmosStatusApp, 4, COSMOS_WARMUP);
  await cosmosRecordingRun(4, COSMOS_WARMUP);
  const cosmosRuns: CosmosRunStats[] = [];
  for (const [kind, c, turns] of [["status", 1, COSMOS_TURNS_C1], ["status", 16, COSMOS_TURNS_C16], ["recording", 1, COSMOS_TURNS_RECORD_C1]] as const) {
    const stats = kind === "status" ? await cosmosStatusRun(cosmosStatusApp, c, turns) : await cosmosRecordingRun(c, turns);
    cosmosRuns.push(stats);
    const stored = stats.store ? `  recorded ${stats.store.recorded}, expected ${stats.store.expected}, duplicates ${stats.store.duplicates}` : "";
    console.log(
      `  cosmos ${`${kind} c=${c}`.padEnd(15)} p50 ${fmt(stats.p50)} ms  p99 ${fmt(stats.p99)} ms  ${stats.turnsPerSec.toFixed(0).padStart(5)} turns/s  ${stats.cpuUsPerTurn.toFixed(0).padStart(5)} µs CPU/turn  (${stats.turns} turns, ${stats.failures} failed)${stored}`,
    );
  }
  console.log(`\nCosmos store operations per turn (counted at the store port, averaged over the run):\n`);
  for (const r of cosmosRuns) console.log(`  ${`${r.kind} c=${r.concurrency}`.padEnd(22)} ${fmtOps(r.ops)}`);
  const cosmosRatios = cosmosRuns.map((r) => {
    const sqlite = rows.find((s) => s.kind === r.kind && s.concurrency === r.concurrency)!;
    return {
      kind: r.kind,
      concurrency: r.concurrency,
      p50: r.p50 / sqlite.p50,
      p99: r.p99 / sqlite.p99,
      throughput: sqlite.turnsPerSec / r.turnsPerSec,
      cpu: r.cpuUsPerTurn / sqlite.cpuUsPerTurn,
    };
  });
  console.log(`\nRatio Cosmos (emulator) / SQLite, against the SQLite medians above (throughput as SQLite/Cosmos, so > 1 means Cosmos is slower;\nCPU includes the in-process emulator's work):\n`);
  console.log(`  ${"".padEnd(22)} ${"p50".padStart(11)} ${"p99".padStart(11)} ${"throughput".padStart(13)} ${"CPU/turn".padStart(11)}`);
  for (const r of cosmosRatios)
    console.log(`  ${`${r.kind} c=${r.concurrency}`.padEnd(22)} ${plain(r.p50, 11)} ${plain(r.p99, 11)} ${plain(r.throughput, 13)} ${plain(r.cpu, 11)}`);

  const fanout = await fanoutPart(connectorUrl);
  const echoOf = (c: number) => rows.find((r) => r.kind === "echo" && r.concurrency === c)!;
  const rounds = await roundsPart({ c1: echoOf(1), c16: echoOf(16) });
  // The årshjul tab (bench/tab.ts): its overview API against the status turn, its bundle, its first draw.
  const { runTabBench, printTab } = await import("./tab.js");
  const tab = await runTabBench();
  printTab(tab);
  for (const f of tab.failures) failures.push(`tab: ${f}`);
  // Start-up to ready (bench/startup.ts): the production start against its 1.5 s goal, and `tsx src/main.ts` beside it.
  const { runStartupBench, printStartup } = await import("./startup.js");
  const startup = await runStartupBench();
  printStartup(startup);
  for (const f of startup.failures) failures.push(`startup: ${f}`);

  console.log("");
  console.log(`Machine: node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? "?"}), ${os.platform()} ${os.release()}`);
  console.log(`Bench time ${((Date.now() - started) / 1000).toFixed(1)} s; failed turns ${failedTurns}`);

  mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
  writeFileSync(
    RESULTS,
    JSON.stringify(
      {
        at: new Date().toISOString(),
        clockNow: CLOCK_NOW,
        machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model.trim(), platform: `${os.platform()} ${os.release()}` },
        settings: {
          rounds: ROUNDS,
          turnsC1: TURNS_C1,
          turnsC16: TURNS_C16,
          turnsOverview: TURNS_OVERVIEW,
          warmup: WARMUP,
          turnsRecordC1: TURNS_RECORD_C1,
          turnsRecordC16: TURNS_RECORD_C16,
          warmupRecord: WARMUP_RECORD,
          burst: BURST,
          burstRepeats: BURST_REPEATS,
        },
        targetRatio: TARGET_RATIO,
        summary: [...rows, burstRow],
        ratios,
        recordingRatios,
        recording: { verb: RECORD_VERB, meeting: RECORD_MEETING, store: recordingStore, recordCardBytes },
        burst: { size: BURST, repeats: bursts.length, wallMs: wall, p50: burstRow.p50, p99: burstRow.p99, store: burstStore, runs: bursts },
        statusCard: { cardBytes, activityBytes },
        cosmos: {
          store: "@vercel/cosmosdb-server in process (its CPU counts in cpuUsPerTurn)",
          settings: { turnsC1: COSMOS_TURNS_C1, turnsC16: COSMOS_TURNS_C16, turnsRecordC1: COSMOS_TURNS_RECORD_C1, warmup: COSMOS_WARMUP },
          runs: cosmosRuns,
          ratiosToSqlite: cosmosRatios,
        },
        fanout: fanoutJson(fanout),
        rounds: roundsJson(rounds),
        tab: { at: new Date().toISOString(), ...tab },
        startup: { at: new Date().toISOString(), ...startup },
        runs: all,
        failedTurns,
        failures: failures.slice(0, 100),
      },
      null,
      2,
    ) + "\n",
  );
  if (failedTurns > 0 || failures.length > 0) {
    console.error(`\n${failedTurns} failed turn(s), ${failures.length} failure(s); first: ${failures[0]}`);
    exitCode = 1;
  }
  }
} catch (error) {
  console.error("bench failed:", error);
  exitCode = 1;
} finally {
  await bounded("connector", ask({ type: "close" }));
  await bounded("worker", worker.terminate());
  await bounded("app", samhandling.close());
  await bounded("uncached app", uncached.close());
  await bounded("echo server", new Promise<void>((resolve) => echoServer.close(() => resolve())));
  if (cosmosStatusApp) await bounded("cosmos app", cosmosStatusApp.samhandling.close());
  if (cosmosEmulator) await bounded("cosmos emulator", cosmosEmulator.close());
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);

/** BENCH_ONLY=rounds: the echo bot at c=1 and c=16 (one round), then the report round; only its section of the results is replaced. */
async function roundsOnly(): Promise<void> {
  console.log(`Samhandling bench, report round only (BENCH_ONLY=rounds) — fake connector ${connectorUrl} (worker thread)`);
  console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "?"}, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  await run("echo", 4, WARMUP, 0);
  const c1 = await run("echo", 1, TURNS_C1, 1);
  const c16 = await run("echo", 16, TURNS_C16, 1);
  console.log(`  echo c=1 p50 ${fmt(c1.p50)} ms p99 ${fmt(c1.p99)} ms; c=16 p50 ${fmt(c16.p50)} ms p99 ${fmt(c16.p99)} ms`);
  const rounds = await roundsPart({ c1, c16 });
  let previous: Record<string, unknown> = {};
  try {
    previous = JSON.parse(readFileSync(RESULTS, "utf8")) as Record<string, unknown>;
  } catch {
    // No earlier results: the file holds the round alone.
  }
  mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
  writeFileSync(RESULTS, JSON.stringify({ ...previous, rounds: roundsJson(rounds) }, null, 2) + "\n");
  if (failures.length > 0) {
    console.error(`\nreport round failed: ${failures[0]}`);
    exitCode = 1;
  }
}


function listen(server: restify.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

/** Waits for a shutdown step at most 5 s, so that a stuck socket cannot hold the bench. */
async function bounded(what: string, promise: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.error(`bench: closing the ${what} took over 5 s; moving on`);
      resolve();
    }, 5000);
  });
  await Promise.race([promise.then(() => undefined, (e) => console.error(`bench: closing the ${what}:`, e)), timeout]);
  clearTimeout(timer);
}

/**
 * CPU time (user + system) of the main thread so far, in ms, from /proc (Linux; 10 ms ticks,
 * fine over hundreds of turns). Elsewhere the whole process's CPU time, which then includes the
 * load generator's thread.
 */
function mainThreadCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  }
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function minMax(xs: number[]): [number, number] {
  return [Math.min(...xs), Math.max(...xs)];
}

function fmt(ms: number): string {
  return ms.toFixed(2).padStart(8);
}
