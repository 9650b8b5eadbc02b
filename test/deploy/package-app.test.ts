/**
 * The deployment zip (`npm run package:app`, scripts/package-app.ts) as App Service would take it:
 * built afresh, unpacked into an empty folder, its production packages installed from the
 * lockfile with `npm ci --omit=dev`, and `node dist/main.js` started there, far from the repo
 * (no src/, no tsx, no devDependencies, no node_modules above it), on a model file from the zip's
 * models/ (`MODEL_PATH=models/…`, as an App Service setting would name it). It must answer /healthz,
 * a `status Vestland` turn with the status card, and the tab's page and bundle; then the zip's own
 * `npm run store -- export` (compiled, no tsx) reads the documents the app wrote.
 *
 * `npm ci` runs with `--ignore-scripts --prefer-offline` (the npm cache is warm here): its only
 * install script that matters, better-sqlite3's, compiles SQLite from source when no prebuilt
 * binary can be downloaded (about 2 minutes on these machines, too slow for `npm test`). The
 * compiled binary is copied instead from the project's own node_modules: same machine, same Node
 * (same ABI), same better-sqlite3 version (both from the one lockfile). The test checks that no
 * other production package needs its install script (package.json's allowScripts).
 */
import { execFile, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { unzipSync } from "fflate";
import { afterAll, describe, expect, it } from "vitest";
import { checkImports, PackageAppError, packageApp, PRODUCTION_SCRIPTS } from "../../scripts/package-app.js";
import { startFakeConnector } from "../support/fake-connector.js";
import { BOT, cardOf, cardText, KARI } from "../support/harness.js";

const run = promisify(execFile);
const projectRoot = fileURLToPath(new URL("../..", import.meta.url));
const NATIVE = join("node_modules", "better-sqlite3", "build", "Release", "better_sqlite3.node");

/** Unpacks with Info-ZIP's `unzip` when the machine has it (as Kudu would, not with the library that wrote the zip); else with fflate. */
async function unpack(zip: string, into: string): Promise<void> {
  mkdirSync(into, { recursive: true });
  try {
    await run("unzip", ["-q", zip, "-d", into]);
    return;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  for (const [name, bytes] of Object.entries(unzipSync(readFileSync(zip)))) {
    if (name.endsWith("/")) continue;
    mkdirSync(dirname(join(into, name)), { recursive: true });
    writeFileSync(join(into, name), bytes);
  }
}

/** Environment for npm and the app: none of the test run's npm_* settings or app variables, and no NODE_OPTIONS (vitest's or a tsx loader). */
function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const keep = ["PATH", "HOME", "TMPDIR", "LANG"];
  return { ...Object.fromEntries(keep.flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : []))), ...extra };
}

function startDeployed(cwd: string, env: Record<string, string>): Promise<{ child: ChildProcessWithoutNullStreams; url: string; output: () => string }> {
  const child = spawn(process.execPath, ["dist/main.js"], { cwd, env: cleanEnv(env), stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const url = /"url":"(http:\/\/[^"]+)"/.exec(out)?.[1];
      if (url) resolve({ child, url, output: () => out });
    });
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`the deployed app exited (${code}) before listening:\n${out}`)));
  });
}

describe("npm run package:app", () => {
  const dir = mkdtempSync(join(tmpdir(), "samhandling-deploy-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("makes a zip that installs with npm ci --omit=dev and runs with node dist/main.js: /healthz, a status card, the tab", async () => {
    const started = Date.now();
    const phase: Record<string, number> = {};
    const lap = (name: string, since: number) => (phase[name] = Date.now() - since);

    let t = Date.now();
    const packaged = await packageApp(join(dir, "samhandling-app.zip"));
    lap("package", t);
    const app = join(dir, "app");
    t = Date.now();
    await unpack(packaged.file, app);
    lap("unzip", t);

    // What is in it: the compiled server, the templates, the tab, the package files. No sources, no
    // node_modules, no local settings, no Teams manifest.
    expect(readdirSync(app).sort()).toEqual(["adaptive-cards", "build", "dist", "models", "package-lock.json", "package.json"]);
    expect(readdirSync(join(app, "build"))).toEqual(["tab"]);
    expect(existsSync(join(app, "dist", "main.js"))).toBe(true);
    expect(readdirSync(join(app, "dist")).some((f) => f.endsWith(".ts"))).toBe(false);
    expect(readdirSync(join(app, "adaptive-cards")).sort()).toEqual(readdirSync(join(projectRoot, "adaptive-cards")).sort());
    expect(readdirSync(join(app, "models")).sort()).toEqual(readdirSync(join(projectRoot, "models")).sort());
    const deployedManifest = JSON.parse(readFileSync(join(app, "package.json"), "utf8"));
    const repoManifest = JSON.parse(readFileSync(join(projectRoot, "package.json"), "utf8"));
    // App Service starts `npm start` and builds with `npm run build` if there is one: in the zip both must work without src/ or tsx.
    expect(deployedManifest.scripts).toEqual(PRODUCTION_SCRIPTS);
    expect({ ...deployedManifest, scripts: undefined }).toEqual({ ...repoManifest, scripts: undefined });
    expect(readFileSync(join(app, "package-lock.json"), "utf8")).toBe(readFileSync(join(projectRoot, "package-lock.json"), "utf8"));

    t = Date.now();
    await run("npm", ["ci", "--omit=dev", "--ignore-scripts", "--prefer-offline", "--no-audit", "--no-fund"], { cwd: app, env: cleanEnv(), maxBuffer: 16 * 1024 * 1024 });
    lap("npm ci", t);
    // Production needs neither tsx nor its esbuild, nor anything else only the dev start, the scripts or the tests use.
    for (const dev of ["tsx", "esbuild", "typescript", "vitest", "playwright-core"]) expect(existsSync(join(app, "node_modules", dev)), dev).toBe(false);
    // Of the installed packages, only better-sqlite3's install script is needed (its binary is copied
    // below); the others' are refused in package.json's allowScripts and the app runs without them.
    const installed = JSON.parse(readFileSync(join(app, "node_modules", ".package-lock.json"), "utf8")).packages as Record<string, { hasInstallScript?: boolean }>;
    const withScripts = Object.entries(installed).flatMap(([path, p]) => (p.hasInstallScript ? [path.replace(/^.*node_modules\//, "")] : []));
    expect(withScripts).toContain("better-sqlite3");
    for (const name of withScripts.filter((n) => n !== "better-sqlite3")) expect(repoManifest.allowScripts?.[name], `${name} has an install script`).toBe(false);
    // The compiled SQLite binding the project's own install built (the package's install script, skipped above).
    mkdirSync(dirname(join(app, NATIVE)), { recursive: true });
    copyFileSync(join(projectRoot, NATIVE), join(app, NATIVE));

    const connector = await startFakeConnector();
    t = Date.now();
    const sqlitePath = join(dir, "data", "samhandling.db");
    const deployed = await startDeployed(app, {
      SQLITE_PATH: sqlitePath,
      PORT: "0",
      HOST: "127.0.0.1",
      NUDGE_SCHEDULER: "off",
      LOG_LEVEL: "info",
      // Relative to the app's folder, as on App Service; a week before the extra step's deadline (15 September).
      MODEL_PATH: "models/2017-with-extra-step.yaml",
      CLOCK_NOW: "2027-09-08T09:00:00+02:00",
    });
    lap("start", t);
    const exited = new Promise<number | null>((resolve) => deployed.child.once("exit", (code) => resolve(code)));
    const conversationId = "a:deploy-status";
    try {
      expect(deployed.output()).toContain('"store":"sqlite"');
      const health = await fetch(`${deployed.url}/healthz`);
      expect(health.status).toBe(200);
      expect(((await health.json()) as { model?: string }).model).toBe("samhandlingsmodell-2017-regionalt-innspill");

      const turn = await fetch(`${deployed.url}/api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          type: "message",
          id: "deploy-status-1",
          channelId: "msteams",
          serviceUrl: connector.url,
          locale: "nb-NO",
          conversation: { id: conversationId, conversationType: "personal", tenantId: "tenant-1" },
          from: KARI,
          recipient: BOT,
          text: "status Vestland",
        }),
      });
      expect(turn.status).toBe(200);
      const card = cardOf(connector.to(conversationId).at(-1));
      expect(card, "the status card").toBeDefined();
      expect(cardText(card)).toContain("Vestland");
      expect(cardText(card)).toContain("regionalt innspill til nasjonalt temamøte høst");

      // The tab: its page, and its bundle from build/tab/ in the zip.
      const page = await fetch(`${deployed.url}/tab`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("/tab/assets/app.js");
      const bundle = await fetch(`${deployed.url}/tab/assets/app.js`);
      expect(bundle.status).toBe(200);
      expect((await bundle.arrayBuffer()).byteLength).toBe(statSync(join(app, "build", "tab", "app.js")).size);
    } finally {
      deployed.child.kill("SIGTERM");
      await connector.close();
    }
    expect(await exited).toBe(0);

    // The zip's `npm run store` (node dist/cli/store.js), with the app's settings, on the store the app wrote.
    t = Date.now();
    const exported = await run("npm", ["run", "--silent", "store", "--", "export"], { cwd: app, env: cleanEnv({ SQLITE_PATH: sqlitePath, MODEL_PATH: "models/2017-with-extra-step.yaml" }), maxBuffer: 16 * 1024 * 1024 });
    lap("store export", t);
    const documents = exported.stdout.trim().split("\n").map((line) => (JSON.parse(line) as { doc: { partition?: unknown; id?: unknown; type?: unknown } }).doc);
    expect(documents.length).toBeGreaterThan(0);
    expect(documents.every((d) => typeof d.partition === "string" && typeof d.id === "string" && typeof d.type === "string")).toBe(true);
    // What the status turn wrote: the conversation it came from, kept for the nudges.
    expect(exported.stdout).toContain(conversationId);
    expect(exported.stderr).toContain(`exported ${documents.length} documents from sqlite ${sqlitePath}`);
    console.log(`package:app test: ${packaged.files.length} files, zip ${(packaged.zipBytes / 1024).toFixed(0)} kB; ${Object.entries(phase).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(", ")}; total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 180_000);

  it("refuses to package a server that imports a package npm ci --omit=dev would not install", () => {
    const file = join(dir, "uses-dev.js");
    writeFileSync(file, 'import { describe } from "vitest";\nimport { z } from "zod";\nconst label = "from \\"not-a-package\\"";\nexport const x = [describe, z, label];\n');
    const check = () => checkImports(new Map([["dist/uses-dev.js", file]]));
    expect(check).toThrow(PackageAppError);
    expect(check).toThrow(/dist\/uses-dev\.js imports "vitest", but "vitest" is not in package\.json's dependencies/);
    // A string that merely looks like an import is not one; zod is a dependency.
    expect(check).not.toThrow(/not-a-package|"zod"/);
  });
});
