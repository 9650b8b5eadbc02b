/**
 * `npm run bench -- soak` (issue 11): BENCH_SOAK_MINUTES (30) of mixed traffic at a steady rate
 * against the real app (compose() on a SQLite file in a temp dir), to show that nothing grows:
 * memory, open handles and latency stay flat over time.
 *
 * The installation is the report round's (bench/rounds.ts): 15 regions × 3 agencies with 20
 * tasks each, an agency contact per agency and region and a coordinator per region, each with a
 * 1:1 chat with the bot, the regional spring meetings planned for 12 May 2027 and the clock on the
 * day the spring round opens. Teams is the fake connector in the bench's worker thread
 * (load-worker.mjs), which also sends the turns over HTTP; the app runs on the main thread.
 *
 * Traffic, every second, BENCH_SOAK_RATE (10) turns in all, in this mix: 40 % `status Vestland`,
 * 20 % `oversikt`, 20 % report saves (`report.save` of four tasks, an agency contact's card
 * action), 20 % meeting plans (`meeting.plan` of a regional autumn meeting, the real record
 * form's data, by an admin). Every BENCH_SOAK_NUDGE_SECONDS (60) the clock moves on one day
 * (cycling over the round's first two weeks, so every day stays one the round is open) and a
 * nudge run of the real runner sends what is due, alongside the traffic.
 *
 * Reported: RSS and heap at the start (after a warm-up) and at the end; open handles
 * (process.getActiveResourcesInfo(), by type) at both; per minute the turns, p50 and p99, failures
 * and memory; the nudge runs; and a trend check over the minutes, first third against last third
 * (the first minute is left out when there are more than two, as it includes the JIT warming up):
 * RSS at most +25 % (and +64 MB), heap at most +50 % (and +32 MB), p99 at most 2×, handles at most
 * +8. Any failed turn or a growth beyond those → exit 1. Results in bench/results/soak.json.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { startLoadWorker } from "./load-client.js";
import { DateTime } from "luxon";
import { cadenceOf, compose } from "../src/compose.js";
import { reportSaveTurns, roundPeople, seedRound, writeRoundRoles } from "./rounds.js";
import { loadConfig } from "../src/config.js";
import { REGIONS } from "../src/domain/regions.js";
import { roundWindow } from "../src/domain/reports.js";
import { createLogger } from "../src/logger.js";
import { executeActions } from "../test/support/invoke.js";

const env = process.env;
const num = (name: string, fallback: number) => {
  const v = Number(env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const MINUTES = num("BENCH_SOAK_MINUTES", 30);
const RATE = num("BENCH_SOAK_RATE", 10);
const NUDGE_EVERY_MS = num("BENCH_SOAK_NUDGE_SECONDS", 60) * 1000;
const WARMUP_SECONDS = 15;
/** Trend limits, last third against first third of the minutes. */
const LIMITS = { rssShare: 1.25, rssMb: 64, heapShare: 1.5, heapMb: 32, p99Ratio: 2, handles: 8 };

const YEAR = 2027;
const personId = (n: number) => `00000000-0000-0000-0000-${String(800_000 + n).padStart(12, "0")}`;
const ADMINS = Array.from({ length: 4 }, (_, i) => personId(900 + i));

interface WorkerResult {
  latencies: Float64Array;
  elapsedMs: number;
  failed: number;
  failures: string[];
}
type Kind = "status" | "oversikt" | "save" | "plan";
const MIX: Record<Kind, number> = { status: 0.4, oversikt: 0.2, save: 0.2, plan: 0.2 };

interface Memory {
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
}
interface Minute {
  minute: number;
  turns: number;
  failed: number;
  p50: number;
  p99: number;
  byKind: Record<Kind, { turns: number; p99: number }>;
  memory: Memory;
  handles: number;
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
function memory(): Memory {
  const m = process.memoryUsage();
  return { rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), heapTotalMb: mb(m.heapTotal), externalMb: mb(m.external) };
}
function handles(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) out[type] = (out[type] ?? 0) + 1;
  return out;
}
const total = (h: Record<string, number>) => Object.values(h).reduce((a, b) => a + b, 0);
function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));


export async function runSoak(): Promise<number> {
  const dir = mkdtempSync(join(os.tmpdir(), "samhandling-soak-"));
  const { worker, connectorUrl, ask } = await startLoadWorker();

  let now = DateTime.fromISO("2027-03-01T09:00:00+01:00", { setZone: true });
  const config = loadConfig({
    SQLITE_PATH: join(dir, "samhandling.db"),
    LOG_LEVEL: "silent",
    CLOCK_NOW: now.toISO()!,
    HOST: "127.0.0.1",
    PORT: "0",
    NUDGE_SCHEDULER: "off",
    NUDGE_RATE_PER_SECOND: "50",
    ADMIN_AAD_IDS: ADMINS.join(","),
  });
  const logger = createLogger(config.LOG_LEVEL);

  // The report round's installation (bench/rounds.ts): roles before the app starts, the rest in it.
  const people = roundPeople(800_000, "Soak Admin");
  await writeRoundRoles(config.SQLITE_PATH, now, people);

  const samhandling = await compose(config, logger, { clock: () => now });
  await new Promise<void>((resolve) => samhandling.server.listen(0, "127.0.0.1", () => resolve()));
  const port = (samhandling.server.address() as AddressInfo).port;
  const { app } = samhandling;
  await seedRound(samhandling, now, people, connectorUrl, "soak");
  const step = (await app.steps(REGIONS[0]!.id, YEAR)).find((s) => s.key === "follow-up-report-spring:IN");
  if (!step) throw new Error("no spring follow-up step for IN");
  const window = roundWindow(step, "spring", undefined, config.REPORT_ROUND_OPEN_DAYS, cadenceOf(config).workingDays);
  const opensOn = DateTime.fromISO(`${window.opensOn}T09:00:00`, { zone: "Europe/Oslo" });
  now = opensOn;

  // The card actions: report saves (agency contacts, one group of four tasks) and meeting plans (admins, the real form's data).
  const saveTurns = reportSaveTurns(people);
  const probed = await ask<{ status: number; body: string }>({
    type: "probe",
    port,
    locale: "nb-NO",
    actorId: ADMINS[0],
    verb: "form.open",
    data: { form: "meeting.plan", regionId: REGIONS[0]!.id, year: YEAR, params: { meeting: "regional-autumn" } },
  });
  const planBase = executeActions(probed.status === 200 ? (JSON.parse(probed.body) as { value?: unknown }).value : undefined).find((a) => a.verb === "meeting.plan")?.data as Record<string, unknown> | undefined;
  if (!planBase) throw new Error(`the meeting.plan form has no save button (HTTP ${probed.status}): ${probed.body.slice(0, 300)}`);
  // Days the step allows (1 October to 23 December), well ahead of every day the clock visits.
  const planDates = Array.from({ length: 60 }, (_, i) => DateTime.fromISO("2027-10-04").plus({ days: i }).toISODate()!);
  const planTurns = Array.from({ length: REGIONS.length * planDates.length }, (_, n) => {
    const region = REGIONS[n % REGIONS.length]!;
    return { actorId: ADMINS[n % ADMINS.length]!, data: { ...planBase, regionId: region.id, year: YEAR, date: planDates[Math.floor(n / REGIONS.length) % planDates.length], place: `${region.name}, fylkeshuset` } };
  });

  let job = 0;
  const send = (kind: Kind, turns: number, offset: number): Promise<WorkerResult> => {
    const prefix = `soak-${kind}-${++job}`;
    if (kind === "status" || kind === "oversikt") {
      const text = kind === "status" ? "status Vestland" : "oversikt";
      const expect = kind === "status" ? { kind: "card", titleIncludes: "Vestland" } : { kind: "card" };
      return ask<WorkerResult>({ type: "run", port, text, prefix, concurrency: 1, turns, locale: "nb-NO", expect, sample: false });
    }
    const [verb, all, expectText] = kind === "save" ? (["report.save", saveTurns, "Oppfølgingsrapport"] as const) : (["meeting.plan", planTurns, "Registrert"] as const);
    // turn n of the job is turnsData[n mod N]: a window of the list, moving on with each job.
    const turnsData = Array.from({ length: turns }, (_, i) => all[(offset + i) % all.length]);
    return ask<WorkerResult>({ type: "invoke", port, prefix, concurrency: 1, turns, locale: "nb-NO", plan: { verb, turnsData }, expectText, sample: false });
  };

  // Per second: the mix's share of RATE for each kind, the remainder carried to the next second.
  const owed: Record<Kind, number> = { status: 0, oversikt: 0, save: 0, plan: 0 };
  const offsets: Record<Kind, number> = { status: 0, oversikt: 0, save: 0, plan: 0 };
  const problems: string[] = [];
  let latencies: Array<{ kind: Kind; ms: number }> = [];
  let failedNow = 0;
  async function second(): Promise<void> {
    for (const kind of Object.keys(MIX) as Kind[]) {
      owed[kind] += RATE * MIX[kind];
      const turns = Math.floor(owed[kind]);
      if (turns === 0) continue;
      owed[kind] -= turns;
      const result = await send(kind, turns, offsets[kind]);
      offsets[kind] += turns;
      for (const ms of result.latencies) latencies.push({ kind, ms });
      if (result.failed > 0) {
        failedNow += result.failed;
        // The first failure of each kind tells what is wrong; the counts are in the minutes.
        if (!problems.some((p) => p.startsWith(`${kind}:`))) problems.push(`${kind}: ${result.failures[0]}`);
      }
    }
  }

  // Warm-up: the same traffic, not counted.
  console.log(`Samhandling soak: ${MINUTES} min at ${RATE} turns/s (${Object.entries(MIX).map(([k, s]) => `${k} ${s * 100} %`).join(", ")}), a nudge run every ${NUDGE_EVERY_MS / 1000} s with the clock one day on; round opens ${window.opensOn}`);
  const warmUntil = performance.now() + WARMUP_SECONDS * 1000;
  for (let t = performance.now(); t < warmUntil; t += 1000) {
    await second();
    await sleep(t + 1000 - performance.now());
  }
  latencies = [];
  if (failedNow > 0) problems.unshift(`warm-up: ${failedNow} failed`);
  failedNow = 0;

  const startMemory = memory();
  const startHandles = handles();
  console.log(`  start: RSS ${startMemory.rssMb} MB, heap ${startMemory.heapUsedMb} / ${startMemory.heapTotalMb} MB, handles ${total(startHandles)} ${JSON.stringify(startHandles)}`);

  const nudgeRuns: Array<{ at: number; day: string; durationMs: number; sent: number; skipped?: string; errors: number }> = [];
  let nudgeRun: Promise<void> | undefined;
  let nudgeCount = 0;
  const started = performance.now();
  const endAt = started + MINUTES * 60_000;
  const minutes: Minute[] = [];
  let nextNudge = started + NUDGE_EVERY_MS;
  let minuteEnd = started + 60_000;
  for (let t = started; t < endAt; t += 1000) {
    if (t >= nextNudge && !nudgeRun) {
      nextNudge += NUDGE_EVERY_MS;
      // One day on, cycling over the round's first two weeks, so every day is one the round is open.
      now = opensOn.plus({ days: ++nudgeCount % 14 });
      const day = now.toISODate()!;
      const t0 = performance.now();
      nudgeRun = samhandling.nudges.run().then(
        (s) => void nudgeRuns.push({ at: Math.round((t0 - started) / 1000), day, durationMs: Math.round(performance.now() - t0), sent: s.sent.cards, ...(s.skipped ? { skipped: s.skipped } : {}), errors: s.errors + s.rejected }),
        (error: unknown) => void problems.push(`nudge run on ${day}: ${error instanceof Error ? error.message : String(error)}`),
      ).finally(() => (nudgeRun = undefined));
    }
    await second();
    if (t + 1000 >= minuteEnd || t + 1000 >= endAt) {
      minutes.push(summarize(minutes.length + 1, latencies, failedNow));
      const m = minutes.at(-1)!;
      console.log(`  minute ${String(m.minute).padStart(2)}: ${m.turns} turns, p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms, ${m.failed} failed; RSS ${m.memory.rssMb} MB, heap ${m.memory.heapUsedMb} MB, handles ${m.handles}`);
      latencies = [];
      failedNow = 0;
      minuteEnd += 60_000;
    }
    await sleep(t + 1000 - performance.now());
  }
  await nudgeRun;
  const endMemory = memory();
  const endHandles = handles();
  console.log(`  end:   RSS ${endMemory.rssMb} MB, heap ${endMemory.heapUsedMb} / ${endMemory.heapTotalMb} MB, handles ${total(endHandles)} ${JSON.stringify(endHandles)}`);
  console.log(`  nudge runs: ${nudgeRuns.length} (${nudgeRuns.map((r) => `${r.day}: ${r.skipped ?? `${r.sent} cards`} in ${r.durationMs} ms`).join("; ")})`);
  for (const r of nudgeRuns) if (r.errors > 0) problems.push(`nudge run on ${r.day}: ${r.errors} errors`);

  // Trend: first third against last third of the minutes (the first left out when there are enough).
  const steady = minutes.length > 2 ? minutes.slice(1) : minutes;
  const third = Math.max(1, Math.floor(steady.length / 3));
  const head = steady.slice(0, third);
  const tail = steady.slice(-third);
  const avg = (ms: Minute[], f: (m: Minute) => number) => mean(ms.map(f));
  const trend = {
    rssMb: { first: avg(head, (m) => m.memory.rssMb), last: avg(tail, (m) => m.memory.rssMb) },
    heapUsedMb: { first: avg(head, (m) => m.memory.heapUsedMb), last: avg(tail, (m) => m.memory.heapUsedMb) },
    p99: { first: avg(head, (m) => m.p99), last: avg(tail, (m) => m.p99) },
    handles: { first: avg(head, (m) => m.handles), last: avg(tail, (m) => m.handles) },
  };
  const growth: string[] = [];
  if (trend.rssMb.last > trend.rssMb.first * LIMITS.rssShare && trend.rssMb.last - trend.rssMb.first > LIMITS.rssMb) growth.push("RSS");
  if (trend.heapUsedMb.last > trend.heapUsedMb.first * LIMITS.heapShare && trend.heapUsedMb.last - trend.heapUsedMb.first > LIMITS.heapMb) growth.push("heap");
  if (trend.p99.last > trend.p99.first * LIMITS.p99Ratio) growth.push("p99");
  if (trend.handles.last > trend.handles.first + LIMITS.handles) growth.push("handles");
  const flat = growth.length === 0;
  const f1 = (x: number) => x.toFixed(1);
  console.log(
    `  trend (first ${third} min vs last ${third} min${minutes.length > 2 ? ", minute 1 left out" : ""}): RSS ${f1(trend.rssMb.first)} → ${f1(trend.rssMb.last)} MB, heap ${f1(trend.heapUsedMb.first)} → ${f1(trend.heapUsedMb.last)} MB, p99 ${f1(trend.p99.first)} → ${f1(trend.p99.last)} ms, handles ${f1(trend.handles.first)} → ${f1(trend.handles.last)}: ${flat ? "flat" : `GROWING (${growth.join(", ")})`}`,
  );
  const failed = minutes.reduce((n, m) => n + m.failed, 0);
  const turns = minutes.reduce((n, m) => n + m.turns, 0);
  console.log(`  ${turns} turns, ${failed} failed`);
  for (const p of problems) console.log(`  PROBLEM: ${p}`);

  const report = await samhandling.close();
  await ask({ type: "close" });
  await worker.terminate();
  rmSync(dir, { recursive: true, force: true });
  const result = {
    at: new Date().toISOString(),
    minutes: MINUTES,
    ratePerSecond: RATE,
    mix: MIX,
    nudgeEverySeconds: NUDGE_EVERY_MS / 1000,
    start: { memory: startMemory, handles: startHandles },
    end: { memory: endMemory, handles: endHandles },
    perMinute: minutes,
    nudgeRuns,
    trend: { ...trend, limits: LIMITS, flat, growth },
    turns,
    failed,
    problems,
    shutdown: report,
  };
  writeFileSync(new URL("./results/soak.json", import.meta.url), `${JSON.stringify(result, null, 2)}\n`);
  return failed > 0 || problems.length > 0 || !flat ? 1 : 0;
}

function summarize(minute: number, latencies: Array<{ kind: Kind; ms: number }>, failed: number): Minute {
  const sorted = latencies.map((l) => l.ms).sort((a, b) => a - b);
  const byKind = {} as Record<Kind, { turns: number; p99: number }>;
  for (const kind of Object.keys(MIX) as Kind[]) {
    const own = latencies.filter((l) => l.kind === kind).map((l) => l.ms).sort((a, b) => a - b);
    byKind[kind] = { turns: own.length, p99: percentile(own, 0.99) };
  }
  return { minute, turns: sorted.length, failed, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), byKind, memory: memory(), handles: total(handles()) };
}
