/**
 * `npm run bench -- scale` (issue 13): what a turn costs on Cosmos DB, and how status turns scale
 * over one, two and three instances. The proof that the instances stay right together is the test
 * (test/scale/three-instances.test.ts); this part gives the figures for the cost.
 *
 * The store: @vercel/cosmosdb-server (the tests' Cosmos emulator) in a child process of its own,
 * seeded like the main bench (bench/seed.ts: the national track and 15 regions in mid-November
 * 2027), clock BENCH_SCALE_CLOCK_NOW (2027-11-17T09:00:00+01:00).
 *
 * 1. Cost per turn. The app in this process (compose(), STORE=cosmos) talks to the emulator
 *    through a meter: an HTTP pass-through that sorts every Cosmos request by kind (point read,
 *    query, create, replace, upsert, delete, metadata), adds up the bytes of the documents read
 *    and written, and the `x-ms-request-charge` each answer carries — what the SDK reports as
 *    `requestCharge`. The emulator answers a flat 1 for every request, so the request units are
 *    also estimated from the sizes with the documented table (learn.microsoft.com, "Optimize
 *    request cost in Azure Cosmos DB": a point read of 1 KB costs 1 RU and of 100 KB 10 RU; a
 *    write of 1 KB 5 RU and of 100 KB 50 RU; linear in between, at least the 1 KB cost; session
 *    consistency), a query as the point reads of the documents it returns, a delete as a 1 KB
 *    write. Turns after a warm-up (caches filled, conversations known), one person at a time:
 *    `status Vestland`, `oversikt`, and a card action saving a meeting plan (`meeting.plan`, the
 *    real record form's data, by an admin, a fresh actionId each). BENCH_SCALE_COST_TURNS (40).
 *
 * 2. Throughput of `status Vestland` turns with one, two and three app processes (`node --import
 *    tsx src/main.ts`, as `npm start`, STORE=cosmos) behind the round-robin proxy of the scale-out
 *    test (test/support/round-robin-proxy.ts), at 16 concurrent conversations; the load and the
 *    fake Bot Connector in a worker thread (load-worker.mjs, as the main bench). Same machine for
 *    everything, so only the ratio to one instance means anything: BENCH_SCALE_TURNS (600) per
 *    run, BENCH_SCALE_ROUNDS (5) rounds in alternating order, the median of each.
 *
 * Every reply is checked (a card for status, «✅ Registrert» for the save); any failure → exit 1.
 * Results also in bench/results/scale.json.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { startLoadWorker } from "./load-client.js";
import { compose } from "../src/compose.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import { openCosmosStore } from "../src/store/cosmos-store.js";
import { startApp, type AppProcess } from "../test/support/app-process.js";
import { EMULATOR_KEY } from "../test/support/cosmos-emulator.js";
import { startFakeConnector } from "../test/support/fake-connector.js";
import { cardOf, cardText } from "../test/support/harness.js";
import { executeActions, invoke } from "../test/support/invoke.js";
import { startRoundRobinProxy } from "../test/support/round-robin-proxy.js";
import { seedStore } from "./seed.js";

const projectRoot = fileURLToPath(new URL("..", import.meta.url));
const int = (name: string, fallback: number) => {
  const v = Number(process.env[name]);
  return Number.isInteger(v) && v > 0 ? v : fallback;
};
const COST_TURNS = int("BENCH_SCALE_COST_TURNS", 40);
const TURNS = int("BENCH_SCALE_TURNS", 600);
const ROUNDS = int("BENCH_SCALE_ROUNDS", 5);
const CONCURRENCY = 16;
const CLOCK_NOW = process.env.BENCH_SCALE_CLOCK_NOW ?? "2027-11-17T09:00:00+01:00";
const YEAR = 2027;
const DATABASE = "bench-scale";
const ADMIN = "00000000-0000-0000-0000-00000000be01";
const READER = { id: "29:bench-reader", aadObjectId: "00000000-0000-0000-0000-00000000be02", name: "Bench Reader" };
/** Nordland: its autumn meeting is planned, not held, in the seed (bench/seed.ts, case 3), so a new date is a plain save. */
const PLAN_REGION = "18";
const PLAN_DATES = ["2027-12-09", "2027-12-10", "2027-12-13", "2027-12-14", "2027-12-15", "2027-12-16", "2027-12-17"];

type OpKind = "read" | "query" | "create" | "replace" | "upsert" | "delete" | "metadata";
const OP_KINDS: OpKind[] = ["read", "query", "create", "replace", "upsert", "delete", "metadata"];

interface Meter {
  url: string;
  counts: Record<OpKind, number>;
  /** Document bytes: read by point reads, returned by queries, sent by writes. */
  bytesRead: number;
  bytesQueried: number;
  bytesWritten: number;
  /** Estimated request units, by the documented table (see the header). */
  estimatedRu: number;
  /** The sum of `x-ms-request-charge` (what the SDK reports as requestCharge). */
  reportedCharge: number;
  /** Documents point-read, as `partition/id`, and how often. */
  readKeys: Map<string, number>;
  reset(): void;
  close(): Promise<void>;
}

const kb = (bytes: number) => bytes / 1024;
/** Documented: a point read of 1 KB is 1 RU, of 100 KB 10 RU. */
const readRu = (bytes: number) => 1 + (9 * Math.max(0, kb(bytes) - 1)) / 99;
/** Documented: a write of 1 KB is 5 RU, of 100 KB 50 RU (default indexing). */
const writeRu = (bytes: number) => 5 + (45 * Math.max(0, kb(bytes) - 1)) / 99;

/** The pass-through in front of the emulator that counts what the SDK asks of Cosmos DB. */
async function startMeter(target: string): Promise<Meter> {
  const to = new URL(target);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const zero = () => Object.fromEntries(OP_KINDS.map((k) => [k, 0])) as Record<OpKind, number>;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const kind = kindOf(req);
      const upstream = http.request({ host: to.hostname, port: to.port, path: req.url, method: req.method, headers: req.headers, agent }, (answer) => {
        const parts: Buffer[] = [];
        answer.on("data", (c: Buffer) => parts.push(c));
        answer.on("end", () => {
          const out = Buffer.concat(parts);
          const ok = (answer.statusCode ?? 500) < 300;
          meter.counts[kind]++;
          meter.reportedCharge += Number(answer.headers["x-ms-request-charge"] ?? 0);
          if (kind === "read") {
            const key = `${JSON.parse(String(req.headers["x-ms-documentdb-partitionkey"] ?? '["?"]'))[0]}/${decodeURIComponent((req.url ?? "").split("?")[0]!.split("/").pop()!)}`;
            meter.readKeys.set(key, (meter.readKeys.get(key) ?? 0) + 1);
          }
          if (kind === "read" && ok) {
            meter.bytesRead += out.length;
            meter.estimatedRu += readRu(out.length);
          } else if (kind === "read") meter.estimatedRu += 1; // a 404 is charged like a small read
          else if (kind === "query") {
            const docs = (JSON.parse(out.toString("utf8") || "{}") as { Documents?: unknown[] }).Documents ?? [];
            for (const d of docs) {
              const size = Buffer.byteLength(JSON.stringify(d));
              meter.bytesQueried += size;
              meter.estimatedRu += readRu(size);
            }
            if (docs.length === 0) meter.estimatedRu += 1;
          } else if (kind === "create" || kind === "replace" || kind === "upsert") {
            meter.bytesWritten += body.length;
            meter.estimatedRu += writeRu(body.length);
          } else if (kind === "delete") meter.estimatedRu += writeRu(1024);
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          res.end(out);
        });
      });
      upstream.on("error", (error) => {
        res.writeHead(502);
        res.end(error.message);
      });
      upstream.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const meter: Meter = {
    url: `http://127.0.0.1:${port}/`,
    counts: zero(),
    bytesRead: 0,
    bytesQueried: 0,
    bytesWritten: 0,
    estimatedRu: 0,
    reportedCharge: 0,
    readKeys: new Map(),
    reset() {
      Object.assign(meter, { counts: zero(), bytesRead: 0, bytesQueried: 0, bytesWritten: 0, estimatedRu: 0, reportedCharge: 0, readKeys: new Map() });
    },
    close: () =>
      new Promise((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return meter;
}

/** Which Cosmos operation a REST request is (documents under /dbs/…/colls/…/docs; the rest is metadata). */
function kindOf(req: http.IncomingMessage): OpKind {
  const path = (req.url ?? "").split("?")[0]!;
  const onDoc = /\/docs\/[^/]+$/.test(path);
  const onDocs = /\/docs\/?$/.test(path);
  const truthy = (h: string) => String(req.headers[h] ?? "").toLowerCase() === "true";
  if (onDoc && req.method === "GET") return "read";
  if (onDoc && req.method === "PUT") return "replace";
  if (onDoc && req.method === "DELETE") return "delete";
  if (onDocs && req.method === "POST") {
    if (truthy("x-ms-documentdb-isquery") || String(req.headers["content-type"]).includes("query+json")) return "query";
    return truthy("x-ms-documentdb-is-upsert") ? "upsert" : "create";
  }
  return "metadata";
}

/** The emulator in a child process of its own, so that its work is not the load's or the proxy's. */
async function startEmulatorProcess(): Promise<{ endpoint: string; child: ChildProcess }> {
  const script = "const { createHttpServer } = require('@vercel/cosmosdb-server'); const s = createHttpServer(); s.listen(0, '127.0.0.1', () => console.log('port ' + s.address().port));";
  const child = spawn(process.execPath, ["-e", script], { cwd: projectRoot, stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /port (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once("exit", (code) => reject(new Error(`the Cosmos emulator exited (${code}) before listening`)));
  });
  return { endpoint: `http://127.0.0.1:${port}/`, child };
}

interface PerTurn {
  kind: string;
  turns: number;
  pointReads: number;
  queries: number;
  writes: number;
  deletes: number;
  metadata: number;
  kbRead: number;
  kbWritten: number;
  reportedCharge: number;
  estimatedRu: number;
  /** What the point reads were, per turn (`partition/id × n`). */
  reads: string;
}

function perTurn(kind: string, meter: Meter, turns: number): PerTurn {
  const c = meter.counts;
  return {
    kind,
    turns,
    pointReads: c.read / turns,
    queries: c.query / turns,
    writes: (c.create + c.replace + c.upsert) / turns,
    deletes: c.delete / turns,
    metadata: c.metadata / turns,
    kbRead: kb(meter.bytesRead + meter.bytesQueried) / turns,
    kbWritten: kb(meter.bytesWritten) / turns,
    reportedCharge: meter.reportedCharge / turns,
    estimatedRu: meter.estimatedRu / turns,
    reads: [...meter.readKeys].map(([key, n]) => `${key}${n === turns ? "" : ` ×${(n / turns).toFixed(2)}`}`).join(", "),
  };
}

async function costPart(endpoint: string, failures: string[]): Promise<PerTurn[]> {
  const meter = await startMeter(endpoint);
  const connector = await startFakeConnector();
  const config = loadConfig({
    STORE: "cosmos",
    COSMOS_ENDPOINT: meter.url,
    COSMOS_KEY: EMULATOR_KEY,
    COSMOS_DATABASE: DATABASE,
    CLOCK_NOW,
    LOG_LEVEL: "silent",
    NUDGE_SCHEDULER: "off",
    ADMIN_AAD_IDS: ADMIN,
    HOST: "127.0.0.1",
    PORT: "0",
  });
  const app = await compose(config, createLogger("silent"));
  await new Promise<void>((resolve) => app.server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  const target = {
    connector,
    post: async (body: unknown) => {
      const response = await fetch(`${url}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      return { status: response.status, body: await response.text() };
    },
  };
  let n = 0;
  const say = async (text: string) => {
    const id = `scale-cost-${++n}`;
    const { status } = await target.post({
      type: "message",
      id,
      channelId: "msteams",
      serviceUrl: connector.url,
      locale: "nb-NO",
      conversation: { id: "scale-cost-chat", conversationType: "personal", tenantId: "tenant-bench" },
      from: READER,
      recipient: { id: "28:samhandling-bot", name: "Samhandling" },
      text,
    });
    const reply = connector.posted.find((p) => p.replyToId === id);
    if (status !== 200 || !cardOf(reply)) failures.push(`cost: «${text}» answered ${status} without a card`);
  };
  const measure = async (kind: string, warmup: number, turn: (i: number) => Promise<void>): Promise<PerTurn> => {
    for (let i = 0; i < warmup; i++) await turn(i);
    meter.reset();
    for (let i = 0; i < COST_TURNS; i++) await turn(warmup + i);
    return perTurn(kind, meter, COST_TURNS);
  };
  try {
    const results: PerTurn[] = [];
    results.push(await measure("status Vestland", 10, () => say("status Vestland")));
    results.push(await measure("oversikt", 5, () => say("oversikt")));
    const admin = { aadObjectId: ADMIN, name: "Bench Admin" };
    const form = await invoke(target, admin, "form.open", { form: "meeting.plan", regionId: PLAN_REGION, year: YEAR, params: { meeting: "regional-autumn" } });
    const save = executeActions(form.card).find((a) => a.verb === "meeting.plan");
    if (!save) throw new Error(`the meeting.plan form has no save button: ${cardText(form.card).slice(0, 300)}`);
    results.push(
      await measure("card action (meeting.plan)", 5, async (i) => {
        const saved = await invoke(target, admin, "meeting.plan", { ...save.data, actionId: randomUUID(), date: PLAN_DATES[i % PLAN_DATES.length], place: `Bodø ${i}` });
        if (saved.status !== 200 || !cardText(saved.card).includes("✅ Registrert")) failures.push(`cost: meeting.plan ${i} answered ${saved.status}: ${cardText(saved.card).slice(0, 200)}`);
      }),
    );
    return results;
  } finally {
    await app.close();
    await connector.close();
    await meter.close();
  }
}

interface WorkerResult {
  latencies: Float64Array;
  elapsedMs: number;
  failed: number;
  failures: string[];
}

interface ThroughputRun {
  instances: number;
  round: number;
  turnsPerSec: number;
  p50: number;
  p99: number;
  /** CPU of all the app processes together, per turn (µs): flat when adding instances adds no work per turn. */
  appCpuUsPerTurn: number;
  /** CPU of the emulator's process per turn (µs): the store's side, which a real Cosmos DB carries. */
  storeCpuUsPerTurn: number;
}

/** CPU time (user + system) of a process so far, in ms, from /proc (Linux). */
function cpuMsOf(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime, stime in clock ticks (100 a second)
  } catch {
    return NaN; // not Linux, or gone: the figure is left out
  }
}

async function throughputPart(endpoint: string, storePid: number | undefined, failures: string[]): Promise<ThroughputRun[]> {
  const { worker, ask } = await startLoadWorker();
  const env = {
    STORE: "cosmos",
    COSMOS_ENDPOINT: endpoint,
    COSMOS_KEY: EMULATOR_KEY,
    COSMOS_DATABASE: DATABASE,
    CLOCK_NOW,
    NUDGE_SCHEDULER: "off",
    HOST: "127.0.0.1",
    PORT: "0",
    // The start-up line names the port; turns are not logged at info.
    LOG_LEVEL: "info",
  };
  const apps: AppProcess[] = await Promise.all([startApp(env), startApp(env), startApp(env)]);
  const proxy = await startRoundRobinProxy(apps.map((a) => a.url));
  let job = 0;
  const appCpu = () => apps.reduce((ms, a) => ms + cpuMsOf(a.child.pid), 0);
  const run = async (instances: number, turns: number): Promise<WorkerResult & { appCpuMs: number; storeCpuMs: number }> => {
    proxy.setTargets(apps.slice(0, instances).map((a) => a.url));
    const [app0, store0] = [appCpu(), cpuMsOf(storePid)];
    const result = await ask<WorkerResult>({
      type: "run",
      port: proxy.port,
      text: "status Vestland",
      prefix: `scale-${++job}-n${instances}`,
      concurrency: CONCURRENCY,
      turns,
      locale: "nb-NO",
      expect: { kind: "card", titleIncludes: "Vestland" },
      sample: false,
    });
    if (result.failed > 0) failures.push(`throughput n=${instances}: ${result.failed} failed turns, e.g. ${result.failures.slice(0, 3).join("; ")}`);
    return { ...result, appCpuMs: appCpu() - app0, storeCpuMs: cpuMsOf(storePid) - store0 };
  };
  try {
    // Warm every instance (its caches, the conversations it has seen, the JIT).
    await run(3, 300);
    const runs: ThroughputRun[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      for (const instances of round % 2 === 1 ? [1, 2, 3] : [3, 2, 1]) {
        const r = await run(instances, TURNS);
        const sorted = Array.from(r.latencies).sort((a, b) => a - b);
        const stats: ThroughputRun = {
          instances,
          round,
          turnsPerSec: (TURNS / r.elapsedMs) * 1000,
          p50: percentile(sorted, 0.5),
          p99: percentile(sorted, 0.99),
          appCpuUsPerTurn: (r.appCpuMs / TURNS) * 1000,
          storeCpuUsPerTurn: (r.storeCpuMs / TURNS) * 1000,
        };
        runs.push(stats);
        console.log(
          `  round ${round}  ${instances} instance${instances > 1 ? "s" : " "}  ${stats.turnsPerSec.toFixed(0).padStart(5)} turns/s  p50 ${stats.p50.toFixed(1)} ms  p99 ${stats.p99.toFixed(1)} ms  app CPU ${stats.appCpuUsPerTurn.toFixed(0)} µs/turn  emulator CPU ${stats.storeCpuUsPerTurn.toFixed(0)} µs/turn`,
        );
      }
    }
    return runs;
  } finally {
    await Promise.all(apps.map((a) => a.stop()));
    await proxy.close();
    await ask({ type: "close" }).catch(() => undefined);
    await worker.terminate();
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

export async function runScaleBench(): Promise<number> {
  const started = Date.now();
  const failures: string[] = [];
  const emulator = await startEmulatorProcess();
  try {
    console.log(`Samhandling bench, scale (issue 13) — clock ${CLOCK_NOW}; Cosmos emulator (@vercel/cosmosdb-server) in a child process at ${emulator.endpoint}`);
    console.log(`node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? "?"}, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}\n`);
    const seeding = await openCosmosStore({ endpoint: emulator.endpoint, key: EMULATOR_KEY, database: DATABASE, container: "process" });
    const seeded = await seedStore(seeding, YEAR);
    await seeding.close();
    console.log(`store seeded: ${seeded.events} events in ${seeded.documents} documents\n`);

    const cost = await costPart(emulator.endpoint, failures);
    console.log(`Cost per turn on Cosmos DB (after a warm-up; ${COST_TURNS} turns each, one at a time):\n`);
    console.log("| turn | point reads | queries | writes | deletes | metadata | KB read | KB written | charge reported | RU estimated |");
    console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const c of cost)
      console.log(
        `| ${c.kind} | ${c.pointReads.toFixed(2)} | ${c.queries.toFixed(2)} | ${c.writes.toFixed(2)} | ${c.deletes.toFixed(2)} | ${c.metadata.toFixed(2)} | ${c.kbRead.toFixed(1)} | ${c.kbWritten.toFixed(1)} | ${c.reportedCharge.toFixed(2)} | ${c.estimatedRu.toFixed(1)} |`,
      );
    for (const c of cost) console.log(`  ${c.kind} reads: ${c.reads}`);
    console.log(
      "\ncharge reported: the sum of x-ms-request-charge (the SDK's requestCharge); the emulator answers a flat 1 per request, so it counts requests, not cost.\nRU estimated: from the document sizes by the documented table (1 KB read 1 RU, 100 KB 10 RU; 1 KB write 5 RU, 100 KB 50 RU; linear between), queries as the reads of what they return.\n",
    );

    console.log(`Throughput of \`status Vestland\` behind the round-robin proxy (c=${CONCURRENCY}, ${TURNS} turns a run, ${ROUNDS} rounds; one machine of ${os.cpus().length} cores for the instances, the emulator, the proxy and the load):\n`);
    const runs = await throughputPart(emulator.endpoint, emulator.child.pid, failures);
    const summary = [1, 2, 3].map((instances) => {
      const mine = runs.filter((r) => r.instances === instances);
      return {
        instances,
        turnsPerSec: median(mine.map((r) => r.turnsPerSec)),
        minTurnsPerSec: Math.min(...mine.map((r) => r.turnsPerSec)),
        maxTurnsPerSec: Math.max(...mine.map((r) => r.turnsPerSec)),
        p50: median(mine.map((r) => r.p50)),
        p99: median(mine.map((r) => r.p99)),
        appCpuUsPerTurn: median(mine.map((r) => r.appCpuUsPerTurn)),
        storeCpuUsPerTurn: median(mine.map((r) => r.storeCpuUsPerTurn)),
      };
    });
    const base = summary[0]!.turnsPerSec;
    console.log("\n| instances | turns/s (median) | min–max | ratio to one | p50 ms | p99 ms | app CPU µs/turn (all instances) | emulator CPU µs/turn |");
    console.log("|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const s of summary)
      console.log(`| ${s.instances} | ${s.turnsPerSec.toFixed(0)} | ${s.minTurnsPerSec.toFixed(0)}–${s.maxTurnsPerSec.toFixed(0)} | ${(s.turnsPerSec / base).toFixed(2)} | ${s.p50.toFixed(1)} | ${s.p99.toFixed(1)} | ${s.appCpuUsPerTurn.toFixed(0)} | ${s.storeCpuUsPerTurn.toFixed(0)} |`);

    mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
    writeFileSync(
      new URL("./results/scale.json", import.meta.url),
      `${JSON.stringify({ at: new Date().toISOString(), clock: CLOCK_NOW, node: process.version, cpus: os.cpus().length, cost, throughput: { concurrency: CONCURRENCY, turns: TURNS, rounds: ROUNDS, runs, summary: summary.map((s) => ({ ...s, ratio: s.turnsPerSec / base })) }, failures }, null, 2)}\n`,
    );
  } catch (error) {
    failures.push(`bench: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  } finally {
    emulator.child.kill("SIGTERM");
  }
  console.log(`\nBench time ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (failures.length > 0) {
    console.error(`\nFAILED (${failures.length}):\n${failures.slice(0, 20).join("\n")}`);
    return 1;
  }
  return 0;
}
