/**
 * `npm run bench -- startup` (issue 13): start-up to ready. Goal: under 1.5 s from start to the
 * first answer on the embedded store (SQLite), for the production start.
 *
 * The server is compiled first (`npm run build`: tsc -p tsconfig.build.json → dist/). Then, for
 * BENCH_STARTUP_RUNS (10) runs, each on a fresh SQLite file in a temp folder:
 *   - production: `node dist/main.js` (what `npm run start:prod` and the deployment zip run);
 *   - development: `tsx src/main.ts` (what `npm start` runs after its prestart has bundled the tab;
 *     tsx's CLI starts a second Node process with its loader, as it does under `npm start`).
 * The two alternate within each run (order swapped every other run: this machine is noisy).
 * Timed from the spawn until the first 200 on GET /healthz (polled every 5 ms on a port chosen
 * up front), and, beside it, until the "listening" log line. The process is then stopped with
 * SIGTERM and must exit 0. Median, min and max of each, and the CPU time the start took (the
 * process and its children, from /proc: steadier than wall time when neighbours share the
 * machine); the production median against the goal
 * (marked, not fatal: neighbours on a shared machine stretch it). A start that fails or is not
 * ready within 30 s is a failure (exit 1).
 *
 * The children get only PATH and HOME from this environment, plus local mode on 127.0.0.1,
 * NUDGE_SCHEDULER=off and LOG_LEVEL=info; their working folder is the temp folder, so a
 * developer's .env in the project root is not read. npm itself is not in the timing (it adds
 * its own start-up, some 200-300 ms, to `npm start` and `npm run start:prod` alike).
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { freePort } from "../test/support/ports.js";
import { createRequire } from "node:module";
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const env = process.env;
const RUNS = Number.isInteger(Number(env.BENCH_STARTUP_RUNS)) && Number(env.BENCH_STARTUP_RUNS) > 0 ? Number(env.BENCH_STARTUP_RUNS) : 10;
/** The goal for the production start on the embedded store, ms. */
export const STARTUP_GOAL_MS = 1500;
const READY_LIMIT_MS = 30_000;

type Mode = "node dist/main.js" | "tsx src/main.ts";
const MODES: Mode[] = ["node dist/main.js", "tsx src/main.ts"];

interface Stats {
  /** Spawn → first 200 on /healthz, ms, each run. */
  ready: number[];
  /**
   * CPU time (user + system) the start took, ms, each run, of the process and its children (tsx
   * runs the app in a child): steadier than wall time when neighbours share the machine. Linux
   * (/proc, 10 ms ticks); NaN elsewhere.
   */
  cpu: number[];
  cpuMedian: number;
  /** Spawn → the "listening" log line, ms, each run. */
  listening: number[];
  median: number;
  min: number;
  max: number;
  listeningMedian: number;
}

export interface StartupBenchResult {
  runs: number;
  goalMs: number;
  /** Time to compile dist/ before the runs (tsc), ms. */
  buildMs: number;
  modes: Record<Mode, Stats>;
  /** The production median under the goal. */
  goalMet: boolean;
  failures: string[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};


/** One start: spawn, poll /healthz until 200, note the log line, stop, wait for exit 0. */
async function startOnce(mode: Mode): Promise<{ readyMs: number; listeningMs: number; cpuMs: number }> {
  const dir = mkdtempSync(join(os.tmpdir(), "samhandling-startup-"));
  const port = await freePort();
  const childEnv: Record<string, string> = {
    ...(env.PATH ? { PATH: env.PATH } : {}),
    ...(env.HOME ? { HOME: env.HOME } : {}),
    SQLITE_PATH: join(dir, "samhandling.db"),
    HOST: "127.0.0.1",
    PORT: String(port),
    NUDGE_SCHEDULER: "off",
    LOG_LEVEL: "info",
  };
  const args = mode === "node dist/main.js" ? [join(ROOT, "dist", "main.js")] : [tsxCli(), join(ROOT, "src", "main.ts")];
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { cwd: dir, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let listeningMs = NaN;
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    if (Number.isNaN(listeningMs) && out.includes("is listening")) listeningMs = performance.now() - t0;
  });
  child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve((exitCode = code))));
  try {
    for (;;) {
      if (exitCode !== undefined) throw new Error(`${mode} exited (${exitCode}) before it was ready:\n${out.slice(-2000)}`);
      if (performance.now() - t0 > READY_LIMIT_MS) throw new Error(`${mode} was not ready within ${READY_LIMIT_MS / 1000} s:\n${out.slice(-2000)}`);
      const status = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (r) => r.status,
        () => 0,
      );
      if (status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const readyMs = performance.now() - t0;
    const cpuMs = child.pid === undefined ? NaN : cpuOfTree(child.pid);
    child.kill("SIGTERM");
    const code = await exited;
    if (code !== 0) throw new Error(`${mode} exited ${code} on SIGTERM:\n${out.slice(-2000)}`);
    return { readyMs, listeningMs, cpuMs };
  } finally {
    if (exitCode === undefined) {
      child.kill("SIGKILL");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** CPU ms of a process and its descendants so far, from /proc; NaN where there is no /proc. */
function cpuOfTree(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    const own = (Number(fields[11]) + Number(fields[12])) * 10;
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
    return own + children.reduce((sum, child) => sum + cpuOfTree(child), 0);
  } catch {
    // Not Linux, or the process just ended: no figure rather than a wrong one.
    return NaN;
  }
}

function tsxCli(): string {
  return createRequire(import.meta.url).resolve("tsx/cli");
}

export async function runStartupBench(): Promise<StartupBenchResult> {
  const failures: string[] = [];
  const t = performance.now();
  // `npm run build`, so that dist/ is what src/ is now.
  execFileSync(process.execPath, [createRequire(import.meta.url).resolve("typescript/bin/tsc"), "-p", join(ROOT, "tsconfig.build.json")], { cwd: ROOT, stdio: "inherit" });
  const buildMs = performance.now() - t;
  const samples: Record<Mode, { ready: number[]; listening: number[]; cpu: number[] }> = { "node dist/main.js": { ready: [], listening: [], cpu: [] }, "tsx src/main.ts": { ready: [], listening: [], cpu: [] } };
  for (let run = 0; run < RUNS; run++) {
    for (const mode of run % 2 === 0 ? MODES : [...MODES].reverse()) {
      try {
        const { readyMs, listeningMs, cpuMs } = await startOnce(mode);
        samples[mode].ready.push(readyMs);
        samples[mode].listening.push(listeningMs);
        samples[mode].cpu.push(cpuMs);
      } catch (error) {
        failures.push(error instanceof Error ? error.message : String(error));
      }
    }
  }
  const stats = (mode: Mode): Stats => {
    const { ready, listening, cpu } = samples[mode];
    return { ready, listening, cpu, cpuMedian: median(cpu), median: median(ready), min: Math.min(...ready), max: Math.max(...ready), listeningMedian: median(listening) };
  };
  const modes = { "node dist/main.js": stats("node dist/main.js"), "tsx src/main.ts": stats("tsx src/main.ts") };
  return { runs: RUNS, goalMs: STARTUP_GOAL_MS, buildMs, modes, goalMet: modes["node dist/main.js"].median < STARTUP_GOAL_MS, failures };
}

export function printStartup(r: StartupBenchResult): void {
  const ms = (x: number) => `${Math.round(x)} ms`;
  console.log(`\nStart-up to ready (issue 13): spawn → first 200 on /healthz, ${r.runs} runs each on a fresh SQLite file (dist/ compiled in ${ms(r.buildMs)})`);
  console.log(`  ${"".padEnd(20)} ${"median".padStart(8)} ${"min".padStart(8)} ${"max".padStart(8)}   ${"log line (median)".padStart(17)}   ${"CPU (median)".padStart(12)}`);
  for (const [mode, s] of Object.entries(r.modes))
    console.log(
      `  ${mode.padEnd(20)} ${ms(s.median).padStart(8)} ${ms(s.min).padStart(8)} ${ms(s.max).padStart(8)}   ${ms(s.listeningMedian).padStart(17)}   ${ms(s.cpuMedian).padStart(12)}`,
    );
  const prod = r.modes["node dist/main.js"];
  console.log(`  goal: production start under ${ms(r.goalMs)} — median ${ms(prod.median)}, max ${ms(prod.max)}: ${r.goalMet ? "met" : "NOT MET"}${r.goalMet && prod.max >= r.goalMs ? " (the median; the slowest run was over)" : ""}`);
  console.log(`  machine: node ${process.version}, ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  if (r.failures.length > 0) console.log(`  FAILURES: ${r.failures.length} (${r.failures[0]?.split("\n")[0]})`);
}

/** `npm run bench -- startup`: this part alone; its section of bench/results/latest.json is replaced, the rest kept. */
export async function runStartupBenchAlone(): Promise<number> {
  console.log(`Samhandling bench, start-up only — ${RUNS} runs of each start`);
  const result = await runStartupBench();
  printStartup(result);
  const file = new URL("./results/latest.json", import.meta.url);
  let previous: Record<string, unknown> = {};
  try {
    previous = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch (error) {
    // No earlier results: the file holds this part alone. Unreadable ones are said, then replaced.
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") console.error(`bench: ${file.pathname} was unreadable (${error instanceof Error ? error.message : String(error)}); writing the start-up part alone`);
  }
  mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
  writeFileSync(file, JSON.stringify({ ...previous, startup: { at: new Date().toISOString(), ...result } }, null, 2) + "\n");
  return result.failures.length > 0 ? 1 : 0;
}
