/**
 * `npm run playground`: chat with the bot locally in the Microsoft 365 Agents Playground.
 *
 * Builds the årshjul tab's page (scripts/build-tab.ts), starts the bot (`src/main.ts` via tsx) in local mode without authentication
 * (MicrosoftAppId empty), waits for GET /healthz to answer 200, then starts the
 * Playground against it through the locale shim (scripts/teams-shim.ts): the Playground
 * always says "en-US", a Norwegian Teams client says "nb-NO". Ctrl-C stops all of it.
 *
 * Env: PORT (bot, default 3978), PLAYGROUND_PORT (default 56150),
 * PLAYGROUND_LOCALE (the client's language as the bot sees it, default nb-NO; e.g. nn-NO, en-US),
 * PLAYGROUND_BOT_TIMEOUT_MS (wait for /healthz, default 60000),
 * TEAMSAPPTESTER_BROWSER (default "none": open the page yourself),
 * PLAYGROUND_ALLOW_NETWORK=1 (do not confine the Playground to loopback),
 * M365_AGENTS_PLAYGROUND_LOGFILE (default data/m365agentsplayground.log).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { isLocaleTag, type LocaleShim, startLocaleShim } from "./teams-shim.js";
import { buildTab } from "./build-tab.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PRELOAD = path.join(ROOT, "scripts", "loopback-only.cjs");
const BOT_ENTRY = path.join(ROOT, "src", "main.ts");

class PlaygroundError extends Error {}

function intFromEnv(name: string, fallback: number, max: number): number {
  const raw = process.env[name]?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new PlaygroundError(`${name} must be a whole number from 1 to ${max}, got "${raw}".`);
  }
  return n;
}

/** True when something already accepts connections on 127.0.0.1:port. */
function portInUse(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.setTimeout(1000);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the health endpoint until it answers 200, the bot exits, or time runs out. */
async function waitForHealth(url: string, bot: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (bot.exitCode !== null || bot.signalCode !== null) {
      throw new PlaygroundError(
        `the bot exited (${bot.exitCode ?? bot.signalCode}) before ${url} answered 200; see its output above.`,
      );
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
      last = `HTTP ${res.status}`;
    } catch (error) {
      last = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    }
    await sleep(300);
  }
  throw new PlaygroundError(
    `the bot did not answer GET ${url} with 200 within ${Math.round(timeoutMs / 1000)} s (last: ${last}). ` +
      "Raise PLAYGROUND_BOT_TIMEOUT_MS if it is just slow to start.",
  );
}

function nodeOptionsWithPreload(existing: string | undefined): string {
  const file = PRELOAD.includes(" ") ? `"${PRELOAD}"` : PRELOAD;
  return [existing?.trim(), `--require ${file}`].filter(Boolean).join(" ");
}

const children = new Set<ChildProcess>();
let shim: LocaleShim | undefined;

function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** SIGTERM to every child still running, SIGKILL after a grace period. */
async function stopChildren(graceMs = 5000): Promise<void> {
  const running = [...children].filter((c) => c.exitCode === null && c.signalCode === null);
  await Promise.all(
    running.map(
      (child) =>
        new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            child.kill("SIGKILL");
          }, graceMs);
          child.once("exit", () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill("SIGTERM");
        }),
    ),
  );
}

let stopping = false;
async function shutdown(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    await stopChildren();
    await shim?.close();
  }
  process.exit(code);
}

async function main(): Promise<void> {
  const botPort = intFromEnv("PORT", 3978, 65_535);
  const playgroundPort = intFromEnv("PLAYGROUND_PORT", 56150, 65_535);
  const timeoutMs = intFromEnv("PLAYGROUND_BOT_TIMEOUT_MS", 60_000, 3_600_000);
  const allowNetwork = process.env.PLAYGROUND_ALLOW_NETWORK === "1";
  const locale = process.env.PLAYGROUND_LOCALE?.trim() || "nb-NO";
  if (!isLocaleTag(locale)) {
    throw new PlaygroundError(
      `PLAYGROUND_LOCALE must be a language tag such as nb-NO, nn-NO or en-US, got "${process.env.PLAYGROUND_LOCALE}".`,
    );
  }

  if (!existsSync(BOT_ENTRY)) throw new PlaygroundError(`the bot's entry point ${BOT_ENTRY} does not exist.`);
  if (await portInUse(botPort)) {
    throw new PlaygroundError(
      `port ${botPort} is already in use (is the bot already running?). Stop it, or set PORT to a free port.`,
    );
  }

  const require = createRequire(import.meta.url);
  const playgroundCli = require.resolve("@microsoft/m365agentsplayground/cli.js");
  const botUrl = `http://127.0.0.1:${botPort}`;
  const healthUrl = `${botUrl}/healthz`;

  process.on("SIGINT", () => void shutdown(130));
  process.on("SIGTERM", () => void shutdown(143));

  // The bot serves the årshjul tab (http://localhost:<port>/tab) from build/tab: build it first.
  const tabFiles = await buildTab();
  process.stdout.write(`Built the tab's page (${tabFiles.map((f) => `${f.file} ${Math.round(f.gzipBytes / 1024)} kB gzip`).join(", ")}).\n`);
  process.stdout.write(`Starting the bot (src/main.ts) on port ${botPort}, local mode without authentication…\n`);
  const botEnv: NodeJS.ProcessEnv = { ...process.env, PORT: String(botPort), MicrosoftAppId: "" };
  delete botEnv.MicrosoftAppPassword;
  delete botEnv.MicrosoftAppTenantId;
  delete botEnv.MicrosoftAppType;
  const bot = track(
    spawn(process.execPath, ["--import", "tsx", BOT_ENTRY], { cwd: ROOT, env: botEnv, stdio: "inherit" }),
  );
  let healthy = false;
  bot.once("exit", (code, signal) => {
    if (stopping) return;
    process.stderr.write(
      healthy
        ? `playground: the bot stopped (${code ?? signal}); stopping the Playground too.\n`
        : `npm run playground: the bot exited (${code ?? signal}) before ${healthUrl} answered 200; see its output above.\n`,
    );
    void shutdown(healthy && code === 0 ? 0 : 1);
  });

  await waitForHealth(healthUrl, bot, timeoutMs);
  healthy = true;
  // The Playground talks to the shim, which sets the locale and forwards to the bot.
  shim = await startLocaleShim(botUrl, locale);
  const endpoint = `${shim.url}/api/messages`;
  process.stdout.write(`The bot answers on ${healthUrl}. Starting the Agents Playground…\n`);

  const logFile = process.env.M365_AGENTS_PLAYGROUND_LOGFILE || path.join(ROOT, "data", "m365agentsplayground.log");
  mkdirSync(path.dirname(logFile), { recursive: true });
  const playgroundEnv: NodeJS.ProcessEnv = {
    ...process.env,
    TEAMSAPPTESTER_BROWSER: process.env.TEAMSAPPTESTER_BROWSER || "none",
    M365_AGENTS_PLAYGROUND_LOGFILE: logFile,
  };
  if (!allowNetwork) playgroundEnv.NODE_OPTIONS = nodeOptionsWithPreload(process.env.NODE_OPTIONS);
  const args = [playgroundCli, "-e", endpoint, "-c", "msteams", "-p", String(playgroundPort), "--disable-telemetry"];
  const playground = track(
    spawn(process.execPath, args, { cwd: ROOT, env: playgroundEnv, stdio: ["ignore", "pipe", "inherit"] }),
  );
  playground.once("exit", (code, signal) => {
    if (stopping) return;
    process.stderr.write(`playground: the Agents Playground stopped (${code ?? signal}); stopping the bot too.\n`);
    void shutdown(code === 0 ? 0 : 1);
  });

  // The Playground falls back to a random port when the asked one is taken: read the real one.
  readline.createInterface({ input: playground.stdout! }).on("line", (line) => {
    process.stdout.write(`[playground] ${line}\n`);
    const listening = /^Listening on (\d+)/.exec(line.trim());
    if (listening) {
      process.stdout.write(
        [
          "",
          `  Open http://localhost:${listening[1]} in your browser to chat with the bot.`,
          `  Bot endpoint: ${botUrl}/api/messages (no authentication), reached through the locale shim at ${endpoint}`,
          `  Locale: ${locale} (the shim sets it; the Playground itself always sends en-US). PLAYGROUND_LOCALE changes it.`,
          allowNetwork
            ? "  Network: not confined (PLAYGROUND_ALLOW_NETWORK=1)."
            : "  Network: the Playground may only reach loopback; refused attempts are logged as [loopback-only].",
          "  Ctrl-C stops the Playground, the shim and the bot.",
          "",
        ].join("\n") + "\n",
      );
    }
  });
}

main().catch(async (error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`npm run playground: ${message}\n`);
  await shutdown(1);
});
