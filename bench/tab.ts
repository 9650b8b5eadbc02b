/**
 * `npm run bench -- tab` (issue 12): what the årshjul tab costs.
 *
 * - The overview API (`GET /api/tab/overview`, 15 regions × the year's main steps) at c=1 and
 *   c=16, against a `status Vestland` turn (POST /api/messages → the reply posted to a fake
 *   connector → the HTTP answer) at the same concurrency, measured the same way in the same
 *   process and run: p50 and p99 of each, and their ratios. Rounds alternate the order; medians
 *   across rounds (these machines are noisy).
 * - The page's bundle (scripts/build-tab.ts): each file, raw and gzip.
 * - From navigation to the wheel drawn (`[data-wheel]` with its steps) in headless Chromium,
 *   a fresh page each time: median of BENCH_TAB_LOADS (10).
 *
 * The app is the real one (compose(), local mode, SQLite in a temp dir), its store seeded like the
 * main bench (bench/seed.ts: all regions in mid-November, a mix of states). Every answer is
 * checked (HTTP 200, a card posted, an overview of 15 rows); any failure → exit 1.
 * Knobs: BENCH_ROUNDS (3), BENCH_TAB_TURNS_C1 (300), BENCH_TAB_TURNS_C16 (800), BENCH_TAB_LOADS (10),
 * BENCH_CLOCK_NOW (2027-11-17T09:00:00+01:00).
 */
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { DateTime } from "luxon";
import { chromium } from "playwright-core";
import { compose, openStore } from "../src/compose.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { OverviewSchema } from "../src/tab/api-schema.js";
import { buildTab, type BuiltFile } from "../scripts/build-tab.js";
import { startFakeConnector } from "../test/support/fake-connector.js";
import { seedStore } from "./seed.js";

const env = process.env;
const num = (name: string, fallback: number) => {
  const v = Number(env[name]);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const ROUNDS = num("BENCH_ROUNDS", 3);
const TURNS = { 1: num("BENCH_TAB_TURNS_C1", 300), 16: num("BENCH_TAB_TURNS_C16", 800) } as const;
const LOADS = num("BENCH_TAB_LOADS", 10);
const CLOCK_NOW = env.BENCH_CLOCK_NOW ?? "2027-11-17T09:00:00+01:00";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"];

export interface TabBenchResult {
  bundle: BuiltFile[];
  /** Medians across rounds, ms. */
  status: Record<"c1" | "c16", { p50: number; p99: number }>;
  overview: Record<"c1" | "c16", { p50: number; p99: number }>;
  ratio: Record<"c1" | "c16", { p50: number; p99: number }>;
  /** Navigation → wheel drawn, ms: each load and the median. */
  wheelDrawn: { loads: number[]; median: number };
  failures: string[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

export async function runTabBench(): Promise<TabBenchResult> {
  const failures: string[] = [];
  const bundle = await buildTab();
  const dir = mkdtempSync(join(os.tmpdir(), "samhandling-bench-tab-"));
  const connector = await startFakeConnector();
  const config = loadConfig({ SQLITE_PATH: join(dir, "bench.db"), LOG_LEVEL: "silent", NUDGE_SCHEDULER: "off", PORT: "0", HOST: "127.0.0.1" });
  const now = DateTime.fromISO(CLOCK_NOW, { setZone: true });
  // Seeded before the app opens it, as the main bench does: the settings are the seed's.
  const store = await openStore(config);
  await seedStore(store, now.year);
  const samhandling = await compose(config, createLogger("silent"), { clock: () => now, store });
  try {
    await new Promise<void>((resolve) => samhandling.server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(samhandling.server.address() as AddressInfo).port}`;

    let turnNo = 0;
    /** One `status Vestland` turn by person n (each their own 1:1 chat, as the main bench). */
    const statusTurn = async (n: number): Promise<void> => {
      const id = `bench-tab-${turnNo++}`;
      const conversationId = `a:bench-tab-${n}`;
      const response = await fetch(`${url}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          type: "message", id, channelId: "msteams", serviceUrl: connector.url, locale: "nb-NO", text: "status Vestland",
          conversation: { id: conversationId, conversationType: "personal", tenantId: "bench" },
          from: { id: `29:bench-${n}`, name: `Bench ${n}`, aadObjectId: `00000000-0000-0000-0000-${String(n).padStart(12, "0")}` },
          recipient: { id: "28:samhandling-bot", name: "Samhandling" },
        }),
      });
      await response.arrayBuffer();
      if (response.status !== 200) failures.push(`status turn answered ${response.status}`);
    };
    const overviewRequest = async (): Promise<void> => {
      const response = await fetch(`${url}/api/tab/overview?lang=nb`);
      const body = await response.json();
      if (response.status !== 200 || OverviewSchema.parse(body).rows.length !== 15) failures.push(`overview answered ${response.status}`);
    };

    async function measure(kind: "status" | "overview", concurrency: 1 | 16, turns: number) {
      const times: number[] = [];
      let next = 0;
      const worker = async (w: number) => {
        while (next < turns) {
          next++;
          const started = performance.now();
          await (kind === "status" ? statusTurn(w) : overviewRequest());
          times.push(performance.now() - started);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
      const sorted = times.sort((a, b) => a - b);
      return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
    }

    // Warm-up: the JIT, the caches, each person's conversation written once.
    for (let w = 0; w < 16; w++) await statusTurn(w);
    await measure("status", 16, 200);
    await measure("overview", 16, 100);

    const runs: Record<"status" | "overview", Record<"c1" | "c16", Array<{ p50: number; p99: number }>>> = {
      status: { c1: [], c16: [] },
      overview: { c1: [], c16: [] },
    };
    for (let round = 0; round < ROUNDS; round++) {
      const kinds = round % 2 === 0 ? (["status", "overview"] as const) : (["overview", "status"] as const);
      for (const c of [1, 16] as const) for (const kind of kinds) runs[kind][`c${c}`].push(await measure(kind, c, TURNS[c]));
    }
    const med = (list: Array<{ p50: number; p99: number }>) => ({ p50: median(list.map((r) => r.p50)), p99: median(list.map((r) => r.p99)) });
    const status = { c1: med(runs.status.c1), c16: med(runs.status.c16) };
    const overview = { c1: med(runs.overview.c1), c16: med(runs.overview.c16) };
    const ratio = {
      c1: { p50: overview.c1.p50 / status.c1.p50, p99: overview.c1.p99 / status.c1.p99 },
      c16: { p50: overview.c16.p50 / status.c16.p50, p99: overview.c16.p99 / status.c16.p99 },
    };

    // Navigation → the wheel drawn, a fresh page (no cache) each time.
    const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS, timeout: 30_000 });
    const loads: number[] = [];
    try {
      for (let i = 0; i <= LOADS; i++) {
        const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
        const page = await context.newPage();
        const started = performance.now();
        await page.goto(`${url}/tab?region=46&lang=nb`);
        const drawn = await page
          .locator("[data-wheel] [role=button]")
          .first()
          .waitFor({ state: "attached", timeout: 30_000 })
          .then(() => true, () => false);
        const ms = performance.now() - started;
        if (!drawn) {
          // What the page showed instead, so the failure says why.
          failures.push(`the wheel was not drawn: ${(await page.locator("body").innerText()).slice(0, 400)}`);
          await context.close();
          break;
        }
        // The first load also compiles Chromium's caches for the process: not counted.
        if (i > 0) loads.push(ms);
        await context.close();
      }
    } finally {
      await browser.close();
    }
    return { bundle, status, overview, ratio, wheelDrawn: { loads, median: median(loads) }, failures };
  } finally {
    await samhandling.close();
    await connector.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function printTab(r: TabBenchResult): void {
  const kB = (b: number) => `${(b / 1024).toFixed(1)} kB`;
  console.log("\nÅrshjul tab (issue 12)");
  for (const f of r.bundle) console.log(`  bundle ${f.file}: ${kB(f.bytes)} raw, ${kB(f.gzipBytes)} gzip`);
  const line = (label: string, c: "c1" | "c16") =>
    console.log(
      `  ${label}: status turn p50 ${r.status[c].p50.toFixed(1)} ms, p99 ${r.status[c].p99.toFixed(1)} ms; overview API p50 ${r.overview[c].p50.toFixed(1)} ms, p99 ${r.overview[c].p99.toFixed(1)} ms; ratio p50 ${r.ratio[c].p50.toFixed(2)}×, p99 ${r.ratio[c].p99.toFixed(2)}×`,
    );
  line("c=1 ", "c1");
  line("c=16", "c16");
  console.log(`  navigation → wheel drawn: median ${r.wheelDrawn.median.toFixed(0)} ms over ${r.wheelDrawn.loads.length} loads (${r.wheelDrawn.loads.map((ms) => ms.toFixed(0)).join(", ")})`);
  if (r.failures.length > 0) console.log(`  FAILURES: ${r.failures.length} (${[...new Set(r.failures)].slice(0, 5).join("; ")})`);
}

/** `npm run bench -- tab`: this part alone. */
export async function runTabBenchAlone(): Promise<number> {
  console.log(`Samhandling bench, the årshjul tab only — ${ROUNDS} rounds, clock ${CLOCK_NOW}`);
  const result = await runTabBench();
  printTab(result);
  return result.failures.length > 0 ? 1 : 0;
}
