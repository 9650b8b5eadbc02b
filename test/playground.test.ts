/**
 * The Agents Playground and the loopback-only preload that `npm run playground` uses.
 * Everything here talks to 127.0.0.1 only; the preload refuses the rest before any packet.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, copyFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./support/ports.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PRELOAD = path.join(ROOT, "scripts", "loopback-only.cjs");
const PLAYGROUND_CLI = createRequire(import.meta.url).resolve("@microsoft/m365agentsplayground/cli.js");

const children: ChildProcess[] = [];
const tempDirs: string[] = [];

afterAll(async () => {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** Collects a child's output and lets a test wait for a pattern in it. */
function watch(child: ChildProcess) {
  const out = { stdout: "", stderr: "" };
  child.stdout?.setEncoding("utf8").on("data", (s: string) => (out.stdout += s));
  child.stderr?.setEncoding("utf8").on("data", (s: string) => (out.stderr += s));
  const waitFor = (stream: "stdout" | "stderr", pattern: RegExp, timeoutMs: number) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const started = Date.now();
      const tick = () => {
        const m = pattern.exec(out[stream]);
        if (m) return resolve(m);
        if (child.exitCode !== null || child.signalCode !== null) {
          return reject(new Error(`process ended (${child.exitCode ?? child.signalCode}) before ${pattern}:\n${out.stdout}\n${out.stderr}`));
        }
        if (Date.now() - started > timeoutMs) {
          return reject(new Error(`timed out waiting for ${pattern} on ${stream}:\n${out.stdout}\n${out.stderr}`));
        }
        setTimeout(tick, 100);
      };
      tick();
    });
  return { out, waitFor };
}

function exited(child: ChildProcess, timeoutMs: number): Promise<number | string> {
  return new Promise((resolve, reject) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve(child.exitCode ?? child.signalCode!);
    const timer = setTimeout(() => reject(new Error("process did not exit in time")), timeoutMs);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal!);
    });
  });
}

async function get(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  return { status: res.status, body: await res.text() };
}

async function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/** A stand-in bot: /healthz answers 200, /api/messages records what it gets. */
function standInBot(): Promise<{ server: http.Server; port: number; received: string[] }> {
  const received: string[] = [];
  const server = http.createServer((req, res) => {
    if (req.url === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      return;
    }
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      received.push(`${req.method} ${req.url} ${body}`);
      res.writeHead(200).end();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as net.AddressInfo).port, received }));
  });
}

describe("loopback-only preload", () => {
  it("refuses non-loopback hosts and IPs, logs each once, and lets loopback through", () => {
    const probe = `
      const http = require("node:http"), net = require("node:net"), dns = require("node:dns");
      const results = {};
      const done = () => Object.keys(results).length === 7 && (console.log(JSON.stringify(results)), server.close());
      const record = (k) => (e) => { results[k] = e ? e.code : "ok"; done(); };
      const server = http.createServer((q, r) => r.end("hi")).listen(0, "127.0.0.1", () => {
        const port = server.address().port;
        http.get("http://169.254.169.254/metadata/instance", (r) => record("metadata")(null)).on("error", record("metadata"));
        http.get("http://169.254.169.254/metadata/again", (r) => record("metadata2")(null)).on("error", record("metadata2"));
        net.connect(443, "10.1.2.3").on("connect", () => record("private")(null)).on("error", record("private"));
        fetch("https://dc.services.visualstudio.com/v2/track").then(() => record("telemetry")(null), (e) => record("telemetry")(e.cause ?? e));
        dns.lookup("example.com", (e) => record("dns")(e));
        http.get("http://127.0.0.1:" + port + "/", (r) => { r.resume(); record("loopback")(null); }).on("error", record("loopback"));
        fetch("http://localhost:" + port + "/").then(() => record("localhost")(null), (e) => record("localhost")(e.cause ?? e));
      });
    `;
    const result = spawnSync(process.execPath, ["--require", PRELOAD, "-e", probe], { encoding: "utf8", timeout: 20_000 });
    expect(result.status, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      metadata: "ECONNREFUSED",
      metadata2: "ECONNREFUSED",
      private: "ECONNREFUSED",
      telemetry: "ECONNREFUSED",
      dns: "ECONNREFUSED",
      loopback: "ok",
      localhost: "ok",
    });
    const logLines = result.stderr.trim().split("\n");
    expect(logLines.filter((l) => l.includes("169.254.169.254"))).toHaveLength(1); // once per host
    expect(result.stderr).toContain("[loopback-only] refused connect to 10.1.2.3:443");
    expect(result.stderr).toContain("[loopback-only] refused getaddrinfo to example.com");
    expect(result.stderr).not.toMatch(/127\.0\.0\.1|localhost/);
  });
});

describe("Agents Playground with the preload", () => {
  let bot: Awaited<ReturnType<typeof standInBot>>;
  let playground: ChildProcess;
  let watched: ReturnType<typeof watch>;
  let port: number;

  beforeAll(async () => {
    bot = await standInBot();
    const askedPort = await freePort();
    const cwd = tempDir("samhandling-playground-");
    playground = spawn(
      process.execPath,
      [PLAYGROUND_CLI, "-e", `http://127.0.0.1:${bot.port}/api/messages`, "-c", "msteams", "-p", String(askedPort), "--disable-telemetry"],
      {
        cwd, // it writes devTools/ and reads its config from the working folder
        env: {
          ...process.env,
          NODE_OPTIONS: `--require ${PRELOAD}`,
          TEAMSAPPTESTER_BROWSER: "none",
          M365_AGENTS_PLAYGROUND_LOGFILE: path.join(cwd, "playground.log"),
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    children.push(playground);
    watched = watch(playground);
    // It falls back to a random port when the asked one was taken meanwhile: read the real one.
    const listening = await watched.waitFor("stdout", /Listening on (\d+)/, 45_000);
    port = Number(listening[1]);
  }, 60_000);

  afterAll(async () => {
    if (playground && playground.exitCode === null) {
      playground.kill("SIGTERM");
      await exited(playground, 10_000).catch(() => playground.kill("SIGKILL"));
    }
    await new Promise((resolve) => bot?.server.close(resolve));
  });

  it("serves its page on loopback", async () => {
    const page = await get(`http://127.0.0.1:${port}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain("Agents Playground");
  });

  it("stays up while its attempts to leave the machine are refused", async () => {
    // At start it asks the cloud metadata address and telemetry hosts; give it a moment to try.
    await watched.waitFor("stderr", /\[loopback-only\] refused/, 10_000).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(playground.exitCode).toBeNull();
    expect(playground.signalCode).toBeNull();
    expect((await get(`http://127.0.0.1:${port}/`)).status).toBe(200);
    const refused = watched.out.stderr.split("\n").filter((l) => l.startsWith("[loopback-only] refused"));
    for (const line of refused) expect(line).not.toMatch(/127\.0\.0\.1|localhost/);
    expect(watched.out.stderr).not.toMatch(/uncaught|unhandled/i);
  });

  it("stops on SIGTERM", async () => {
    playground.kill("SIGTERM");
    await exited(playground, 10_000);
    expect(await isListening(port)).toBe(false);
  }, 20_000);
});

describe("npm run playground (scripts/playground.ts)", () => {
  // src/main.ts is the real bot; here a copy of the script runs in a scratch project whose
  // src/main.ts is a tiny stand-in, so the test checks the script, not the bot.
  let project: string;
  let child: ChildProcess;
  let watched: ReturnType<typeof watch>;
  let botPort: number;

  beforeAll(async () => {
    project = tempDir("samhandling-playground-script-");
    mkdirSync(path.join(project, "scripts"));
    mkdirSync(path.join(project, "src"));
    copyFileSync(path.join(ROOT, "scripts", "playground.ts"), path.join(project, "scripts", "playground.ts"));
    copyFileSync(path.join(ROOT, "scripts", "teams-shim.ts"), path.join(project, "scripts", "teams-shim.ts"));
    // The script builds the årshjul tab's page first: the real sources, built into the scratch project.
    copyFileSync(path.join(ROOT, "scripts", "build-tab.ts"), path.join(project, "scripts", "build-tab.ts"));
    symlinkSync(path.join(ROOT, "src", "tab"), path.join(project, "src", "tab"), "dir");
    copyFileSync(PRELOAD, path.join(project, "scripts", "loopback-only.cjs"));
    copyFileSync(path.join(ROOT, "package.json"), path.join(project, "package.json"));
    symlinkSync(path.join(ROOT, "node_modules"), path.join(project, "node_modules"), "dir");
    writeFileSync(
      path.join(project, "src", "main.ts"),
      `import http from "node:http";
const port = Number(process.env.PORT);
console.log("stand-in bot: MicrosoftAppId=" + JSON.stringify(process.env.MicrosoftAppId));
const server = http.createServer((req, res) => {
  if (req.url === "/healthz") { res.writeHead(200).end("{}"); return; }
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    console.log("stand-in bot got " + req.url + " locale=" + JSON.parse(body).locale);
    res.writeHead(200).end();
  });
});
// Start late, so the script has to wait for /healthz.
setTimeout(() => server.listen(port, "127.0.0.1"), 1000);
`,
    );
    botPort = await freePort();
    const playgroundPort = await freePort();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(botPort),
      PLAYGROUND_PORT: String(playgroundPort),
      MicrosoftAppId: "00000000-0000-0000-0000-000000000001", // the script must blank it for the bot
    };
    delete env.NODE_OPTIONS;
    delete env.TEAMSAPPTESTER_BROWSER; // the script's default ("none") must keep the browser closed
    delete env.PLAYGROUND_ALLOW_NETWORK;
    delete env.M365_AGENTS_PLAYGROUND_LOGFILE;
    delete env.PLAYGROUND_LOCALE; // the default must be nb-NO
    child = spawn(process.execPath, ["--import", "tsx", path.join("scripts", "playground.ts")], {
      cwd: project,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(child);
    watched = watch(child);
    await watched.waitFor("stdout", /Open http:\/\/localhost:(\d+) in your browser/, 50_000);
  }, 60_000);

  it("starts the bot in local mode, then the Playground, and says where to open it", async () => {
    const opened = /Open http:\/\/localhost:(\d+) in your browser/.exec(watched.out.stdout)!;
    const page = await get(`http://127.0.0.1:${opened[1]}/`);
    expect(page.status).toBe(200);
    expect(page.body).toContain("Agents Playground");
    expect((await get(`http://127.0.0.1:${botPort}/healthz`)).status).toBe(200);
    expect(watched.out.stdout).toContain('stand-in bot: MicrosoftAppId=""');
    expect(watched.out.stdout.indexOf("The bot answers on")).toBeLessThan(watched.out.stdout.indexOf("Listening on"));
  });

  it("puts the locale shim in front of the bot, saying nb-NO where the Playground says en-US", async () => {
    expect(watched.out.stdout).toContain("Locale: nb-NO");
    const shimUrl = /through the locale shim at (http:\/\/127\.0\.0\.1:\d+\/api\/messages)/.exec(watched.out.stdout)![1]!;
    const res = await fetch(shimUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "message", text: "hjelp", locale: "en-US" }),
      signal: AbortSignal.timeout(5000),
    });
    expect(res.status).toBe(200);
    await watched.waitFor("stdout", /stand-in bot got \/api\/messages locale=nb-NO/, 5000);
  });

  it("stops the Playground, the shim and the bot on Ctrl-C (SIGINT)", async () => {
    const opened = /Open http:\/\/localhost:(\d+) in your browser/.exec(watched.out.stdout)!;
    const shimPort = /through the locale shim at http:\/\/127\.0\.0\.1:(\d+)/.exec(watched.out.stdout)![1]!;
    child.kill("SIGINT");
    const code = await exited(child, 15_000);
    expect(code).toBe(130);
    expect(await isListening(Number(opened[1]))).toBe(false);
    expect(await isListening(Number(shimPort))).toBe(false);
    expect(await isListening(botPort)).toBe(false);
  }, 20_000);

  it("refuses a PLAYGROUND_LOCALE that is not a language tag, before starting anything", async () => {
    const bad = spawn(process.execPath, ["--import", "tsx", path.join("scripts", "playground.ts")], {
      cwd: project,
      env: { ...process.env, PORT: String(await freePort()), PLAYGROUND_LOCALE: "norsk" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    children.push(bad);
    const badWatched = watch(bad);
    expect(await exited(bad, 15_000)).toBe(1);
    expect(badWatched.out.stderr).toContain('PLAYGROUND_LOCALE must be a language tag such as nb-NO, nn-NO or en-US, got "norsk"');
    expect(badWatched.out.stdout).not.toContain("Starting the bot");
  }, 20_000);
});
