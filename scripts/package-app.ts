/**
 * `npm run package:app`: the deployment zip for Azure App Service zip deploy,
 * `build/samhandling-app.zip` (`PACKAGE_APP_OUT` = another .zip path or a folder).
 *
 * It builds first, so it never ships stale files: the server with tsc (tsconfig.build.json) into a
 * fresh staging folder, not into `dist/` in place, so that files of deleted sources never linger and
 * a `npm run start:prod` running from `dist/` is left alone; the tab with scripts/build-tab.ts, taking
 * exactly the files that build wrote (build/tab/ can hold chunks of older builds under other hashes).
 *
 * The zip holds what `node dist/main.js` reads at run time and what installs its packages:
 *   dist/               the compiled server (src/ → dist/, same depth, so `../../adaptive-cards`
 *                       and `../../build/tab` resolve from dist/ as from src/)
 *   adaptive-cards/     the card templates (src/cards/templates.ts)
 *   models/             the model files (README «Tilpasse årshjulet»): `MODEL_PATH=models/2017.yaml`, or a
 *                       copy adapted beside it, works on App Service as in the repo (relative to the
 *                       app's folder, where App Service starts it)
 *   build/tab/          the tab's bundle, with source maps and licence notices (src/tab/routes.ts)
 *   package.json        as in the repo, but with production scripts only (below)
 *   package-lock.json   so that `npm ci --omit=dev` installs exactly what was tested
 * No node_modules (the target installs them for its own platform: better-sqlite3 is native), no
 * manifest/ (the Teams package is `npm run package`; the running app does not read it), no .env.
 *
 * package.json's scripts in the zip are `start` and `start:prod`, both `node dist/main.js`, and
 * `store`, `node dist/cli/store.js` (export/import, migrate, person export/erase from App Service's
 * SSH console, with the app's settings): the repo's `start` (tsx, with a `prestart` that bundles
 * the tab), `store` (tsx) and `build` (tsc) need src/ and dev dependencies the zip does not have,
 * and App Service's build (Oryx) runs `npm run build` when there is one and starts the app with
 * `npm start` when no startup command is set.
 *
 * Before zipping, every package the compiled server imports must be a Node built-in or in
 * "dependencies": one only in devDependencies (or not declared) would be missing after
 * `npm ci --omit=dev`, and might only show when that code path runs. Exit 1 names it.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { builtinModules, createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { zipSync, type Zippable } from "fflate";
import ts from "typescript";
import { buildTab } from "./build-tab.js";

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const DEFAULT_APP_ZIP = path.join(PROJECT_ROOT, "build", "samhandling-app.zip");

/** The scripts the deployed package.json keeps: the app starts from the compiled code, nothing else runs there. */
export const PRODUCTION_SCRIPTS = { start: "node dist/main.js", "start:prod": "node dist/main.js", store: "node dist/cli/store.js" } as const;

export class PackageAppError extends Error {}

export interface PackagedFile {
  /** Path inside the zip, with forward slashes, e.g. `dist/main.js`. */
  path: string;
  bytes: number;
}

export interface PackagedApp {
  file: string;
  files: PackagedFile[];
  /** Size of the zip itself. */
  zipBytes: number;
}

/** Builds the server and the tab afresh and writes the deployment zip to `out`. */
export async function packageApp(out: string = DEFAULT_APP_ZIP): Promise<PackagedApp> {
  const stage = mkdtempSync(path.join(tmpdir(), "samhandling-app-"));
  try {
    const distDir = path.join(stage, "dist");
    compileServer(distDir);
    // Into the stage, not build/tab: the suite's browser tests may be serving build/tab right now.
    const tabDir = path.join(stage, "tab");
    await buildTab(tabDir);

    const entries = new Map<string, string>(); // zip path → file on disk
    for (const file of walk(distDir)) entries.set(`dist/${toZipPath(path.relative(distDir, file))}`, file);
    checkImports(entries);
    for (const file of walk(path.join(PROJECT_ROOT, "adaptive-cards"))) entries.set(toZipPath(path.relative(PROJECT_ROOT, file)), file);
    // esbuild's outputs, all of them: each file, its external source map and its linked licence notice.
    for (const file of walk(tabDir)) entries.set(`build/tab/${toZipPath(path.relative(tabDir, file))}`, file);
    if (!entries.has("build/tab/app.js")) throw new PackageAppError("the tab's build wrote no build/tab/app.js");
    if (!entries.has("dist/cli/store.js")) throw new PackageAppError("tsc wrote no dist/cli/store.js (the zip's npm run store)");
    for (const file of walk(path.join(PROJECT_ROOT, "models"))) entries.set(toZipPath(path.relative(PROJECT_ROOT, file)), file);
    const lockfile = path.join(PROJECT_ROOT, "package-lock.json");
    if (!existsSync(lockfile)) throw new PackageAppError("package-lock.json is missing: run `npm install` first, so that the target installs exactly the tested versions");
    entries.set("package-lock.json", lockfile);

    const zippable: Zippable = {};
    const files: PackagedFile[] = [];
    for (const [zipPath, onDisk] of [...entries].sort(([a], [b]) => a.localeCompare(b))) {
      const bytes = readFileSync(onDisk);
      // The real modification time: the tab's assets are served with an etag made of size and mtime,
      // so a fixed time would let a changed file of the same size look unchanged to browsers.
      zippable[zipPath] = [bytes, { mtime: statSync(onDisk).mtime }];
      files.push({ path: zipPath, bytes: bytes.length });
    }
    const manifest = deployedPackageJson();
    zippable["package.json"] = [manifest, { mtime: new Date() }];
    files.push({ path: "package.json", bytes: manifest.length });

    const zip = zipSync(zippable, { level: 6 });
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, zip);
    return { file: out, files, zipBytes: zip.length };
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** tsc -p tsconfig.build.json into `outDir`; its diagnostics in the error when it fails. */
function compileServer(outDir: string): void {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  try {
    execFileSync(process.execPath, [tsc, "-p", path.join(PROJECT_ROOT, "tsconfig.build.json"), "--outDir", outDir], { cwd: PROJECT_ROOT, stdio: "pipe" });
  } catch (error) {
    const output = String((error as { stdout?: Buffer }).stdout ?? "") + String((error as { stderr?: Buffer }).stderr ?? "");
    throw new PackageAppError(`the server does not compile (tsc -p tsconfig.build.json):\n${output.trim() || String(error)}`);
  }
  if (!existsSync(path.join(outDir, "main.js"))) throw new PackageAppError("tsc wrote no dist/main.js");
}

/** The repo's package.json with the production scripts only (see the header). */
function deployedPackageJson(): Uint8Array {
  const manifest = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as Record<string, unknown>;
  return new TextEncoder().encode(`${JSON.stringify({ ...manifest, scripts: PRODUCTION_SCRIPTS }, null, 2)}\n`);
}

/**
 * The packages the compiled server imports (static and dynamic imports, and createRequire(...)(...)
 * as src/cards/templates.ts uses), each a Node built-in or a production dependency.
 */
export function checkImports(entries: Map<string, string>): void {
  const manifest = JSON.parse(readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8")) as { dependencies?: Record<string, string> };
  const dependencies = new Set(Object.keys(manifest.dependencies ?? {}));
  const builtins = new Set(builtinModules);
  const problems: string[] = [];
  for (const [zipPath, onDisk] of entries) {
    if (!zipPath.endsWith(".js")) continue;
    const code = readFileSync(onDisk, "utf8");
    for (const specifier of importedSpecifiers(code)) {
      if (specifier.startsWith(".")) continue;
      if (specifier.startsWith("node:") || builtins.has(specifier.split("/")[0]!)) continue;
      const name = specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!;
      if (!dependencies.has(name)) problems.push(`${zipPath} imports "${specifier}", but "${name}" is not in package.json's dependencies`);
    }
  }
  if (problems.length > 0)
    throw new PackageAppError(
      `the server imports packages that \`npm ci --omit=dev\` will not install:\n  ${problems.join("\n  ")}\nMove them to "dependencies" (or import only types from them: \`import type\`).`,
    );
}

/**
 * What a compiled module imports, read by TypeScript's own import scanner (static and dynamic
 * `import`, `require`), plus `createRequire(...)("package")`, which it does not see.
 */
export function importedSpecifiers(code: string): string[] {
  const found = new Set(ts.preProcessFile(code, true, true).importedFiles.map((f) => f.fileName));
  for (const match of code.matchAll(/\bcreateRequire\([^)]*\)\(\s*["']([^"']+)["']\s*\)/g)) found.add(match[1]!);
  return [...found];
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

const toZipPath = (relative: string) => relative.split(path.sep).join("/");

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

function outputPath(): string {
  const out = process.env.PACKAGE_APP_OUT?.trim();
  if (!out) return DEFAULT_APP_ZIP;
  const resolved = path.resolve(out);
  return resolved.toLowerCase().endsWith(".zip") ? resolved : path.join(resolved, path.basename(DEFAULT_APP_ZIP));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  packageApp(outputPath())
    .then(({ file, files, zipBytes }) => {
      // dist/ and adaptive-cards/ as a line each (a hundred small files); the rest file by file.
      const groups = new Map<string, PackagedFile[]>();
      for (const f of files) {
        const group = f.path.startsWith("dist/") ? "dist/" : f.path.startsWith("adaptive-cards/") ? "adaptive-cards/" : f.path.startsWith("models/") ? "models/" : f.path;
        groups.set(group, [...(groups.get(group) ?? []), f]);
      }
      for (const [group, members] of groups) {
        const bytes = members.reduce((sum, f) => sum + f.bytes, 0);
        process.stdout.write(`  ${group.padEnd(36)} ${kB(bytes).padStart(10)}${members.length > 1 ? `  (${members.length} files)` : ""}\n`);
      }
      const raw = files.reduce((sum, f) => sum + f.bytes, 0);
      process.stdout.write(
        `App Service zip written: ${path.relative(process.cwd(), file) || file} — ${files.length} files, ${kB(raw)} → ${kB(zipBytes)} zipped, in ${Math.round(performance.now() - started)} ms\n` +
          "Deploy it with App Service zip deploy (docs/operations.md, \"The production build\"); the target runs `npm ci --omit=dev` and `node dist/main.js`.\n",
      );
    })
    .catch((error: unknown) => {
      process.stderr.write(`npm run package:app: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    });
}
