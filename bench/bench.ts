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
 * sending the requests is counted as the bots' work. Each turn is timed from the POST to
 * /api/messages until the HTTP response, which the CloudAdapter sends after the turn, i.e. after
 * the reply reached the connector. Everything talks over 127.0.0.1 only.
 *
 * Rounds alternate the order of echo and status, and the table shows the median of each figure
 * across rounds (these machines are noisy). Besides wall time, each run records the CPU time of
 * the main thread per turn (from /proc): neighbours on a shared machine stretch wall time, but
 * hardly what a turn costs in CPU. Every reply is checked; any failure → exit 1.
 *
 * Knobs (environment): BENCH_ROUNDS (3), BENCH_TURNS_C1 (800), BENCH_TURNS_C16 (2000),
 * BENCH_TURNS_OVERVIEW (300), BENCH_WARMUP (500), BENCH_CLOCK_NOW (2027-11-17T09:00:00+01:00).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type restify from "restify";
import { compose } from "../src/compose.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import type { PostedActivity } from "../test/support/fake-connector.js";
import { createEchoServer } from "./echo-bot.js";
import { seedStore } from "./seed.js";

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
const CLOCK_NOW = env.BENCH_CLOCK_NOW ?? "2027-11-17T09:00:00+01:00";
const TARGET_RATIO = 1.5;
/** The whole bench must end; a hang is a failure, not a wait. */
const HARD_LIMIT_MS = 5 * 60_000;

/** "status" reuses rendered cards (the default); "status-uncached" renders every card afresh. */
type Kind = "echo" | "status" | "status-uncached" | "oversikt";
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
const configEnv = {
  SQLITE_PATH: join(dir, "samhandling.db"),
  LOG_LEVEL: "silent",
  CLOCK_NOW,
  HOST: "127.0.0.1",
  PORT: "0",
};
const config = loadConfig(configEnv);
const logger = createLogger(config.LOG_LEVEL);
const year = config.clockNow!.setZone("Europe/Oslo").year;

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

const targets: Record<Kind, Target> = {
  echo: { port: echoPort, text: "hello", expect: { kind: "text", text: "echo: hello" } },
  status: { port: appPort, text: "status Vestland", expect: { kind: "card", titleIncludes: "Vestland" } },
  "status-uncached": { port: uncachedPort, text: "status Vestland", expect: { kind: "card", titleIncludes: "Vestland" } },
  oversikt: { port: appPort, text: "oversikt", expect: { kind: "card" } },
};

let jobCounter = 0;
let sampleStatusReply: PostedActivity["activity"] | undefined;

/** Sends one message to the worker and waits for its answer. */
function ask<T>(message: object): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onError = (error: Error) => {
      worker.off("message", onMessage);
      reject(error);
    };
    const onMessage = (answer: T) => {
      worker.off("error", onError);
      resolve(answer);
    };
    worker.once("message", onMessage);
    worker.once("error", onError);
    worker.postMessage(message);
  });
}

/** One measured (or warm-up) run; the worker checks that every turn got exactly one right reply. */
async function run(kind: Kind, concurrency: number, turns: number, round: number): Promise<RunStats> {
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

let exitCode = 0;
const started = Date.now();
const all: RunStats[] = [];
try {
  console.log(`Samhandling bench — clock ${CLOCK_NOW}, store seeded with ${seeded.events} events in ${seeded.documents} documents`);
  console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "?"}, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  console.log(`app 127.0.0.1:${appPort}, echo 127.0.0.1:${echoPort}, fake connector ${connectorUrl} (worker thread, with the load generator)`);
  console.log(`rounds ${ROUNDS}; turns per run: c=1 ${TURNS_C1}, c=16 ${TURNS_C16}, oversikt ${TURNS_OVERVIEW}; warm-up ${WARMUP} per kind\n`);

  for (const kind of ["echo", "status", "status-uncached", "oversikt"] as const) await run(kind, 4, WARMUP, 0);

  for (let round = 1; round <= ROUNDS; round++) {
    // Alternate which bot goes first, so slow drift (thermal, neighbours) hits both alike.
    const order: Kind[] = round % 2 === 1 ? ["echo", "status", "status-uncached"] : ["status-uncached", "status", "echo"];
    const plan: Array<[Kind, number, number]> = [
      ...order.map((k): [Kind, number, number] => [k, 1, TURNS_C1]),
      ...order.map((k): [Kind, number, number] => [k, 16, TURNS_C16]),
      ["oversikt", 1, TURNS_OVERVIEW],
    ];
    for (const [kind, c, turns] of plan) {
      const stats = await run(kind, c, turns, round);
      all.push(stats);
      console.log(
        `  round ${round}  ${`${kind} c=${c}`.padEnd(22)} p50 ${fmt(stats.p50)} ms  p99 ${fmt(stats.p99)} ms  ${stats.turnsPerSec.toFixed(0).padStart(5)} turns/s  ${stats.cpuUsPerTurn.toFixed(0).padStart(5)} µs CPU/turn`,
      );
    }
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
  const rows = [
    summary("echo", 1),
    summary("status", 1),
    summary("status-uncached", 1),
    summary("echo", 16),
    summary("status", 16),
    summary("status-uncached", 16),
    summary("oversikt", 1),
  ];

  console.log(`\nMedians across ${ROUNDS} rounds (turn = POST /api/messages → HTTP response, reply posted to the connector;\nCPU = main-thread CPU time per turn, i.e. the bots' own work):\n`);
  console.log(`  ${"configuration".padEnd(22)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"turns/s".padStart(8)} ${"CPU µs/turn".padStart(12)}   ${"p50 range".padEnd(13)} ${"failures".padStart(8)}`);
  for (const r of rows)
    console.log(
      `  ${`${r.kind} c=${r.concurrency}`.padEnd(22)} ${fmt(r.p50)} ${fmt(r.p99)} ${r.turnsPerSec.toFixed(0).padStart(8)} ${r.cpuUsPerTurn.toFixed(0).padStart(12)}   ${`${r.spread.p50[0].toFixed(2)}–${r.spread.p50[1].toFixed(2)}`.padEnd(13)} ${String(r.failures).padStart(8)}`,
    );

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

  const card = sampleStatusReply?.attachments?.[0]?.content;
  const cardBytes = card ? Buffer.byteLength(JSON.stringify(card), "utf8") : 0;
  const activityBytes = sampleStatusReply ? Buffer.byteLength(JSON.stringify(sampleStatusReply), "utf8") : 0;
  console.log(`\nStatus card (Vestland): ${cardBytes} bytes of card JSON, ${activityBytes} bytes as posted activity (Teams limit 28 KB = 28672)`);
  console.log(`Machine: node ${process.version}, ${os.cpus().length} CPUs (${os.cpus()[0]?.model.trim() ?? "?"}), ${os.platform()} ${os.release()}`);
  console.log(`Bench time ${((Date.now() - started) / 1000).toFixed(1)} s; failed turns ${failedTurns}`);

  mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
  writeFileSync(
    new URL("./results/latest.json", import.meta.url),
    JSON.stringify(
      {
        at: new Date().toISOString(),
        clockNow: CLOCK_NOW,
        machine: { node: process.version, cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model.trim(), platform: `${os.platform()} ${os.release()}` },
        settings: { rounds: ROUNDS, turnsC1: TURNS_C1, turnsC16: TURNS_C16, turnsOverview: TURNS_OVERVIEW, warmup: WARMUP },
        targetRatio: TARGET_RATIO,
        summary: rows,
        ratios,
        statusCard: { cardBytes, activityBytes },
        runs: all,
        failedTurns,
        failures: failures.slice(0, 100),
      },
      null,
      2,
    ) + "\n",
  );
  if (failedTurns > 0 || failures.length > 0) {
    console.error(`\n${failedTurns} failed turn(s); first: ${failures[0]}`);
    exitCode = 1;
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
  rmSync(dir, { recursive: true, force: true });
}
process.exit(exitCode);

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
