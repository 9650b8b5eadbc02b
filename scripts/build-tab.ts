/**
 * Bundles the årshjul tab's page (`src/tab/client/main.tsx`, React + Fluent UI + teams-js) into
 * `build/tab/` with esbuild: `app.js` (ESM, minified), its source map, and `app.css` when the page
 * imports CSS, and chunks (`*-[hash].js`: teams-js, loaded only inside Teams). The server serves
 * the folder, flat, at `/tab/assets/*`.
 *
 * Run by `npm start` (prestart), `npm run playground` and the test suite's global setup, so
 * nobody builds by hand (issue 12: "build on start or on install, never by hand").
 * `npm run build:tab` prints the files and their sizes, raw and gzip.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build, type Plugin } from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const TAB_ENTRY = path.join(ROOT, "src", "tab", "client", "main.tsx");
export const TAB_OUT_DIR = path.join(ROOT, "build", "tab");

const ZOD_LITE = path.join(ROOT, "src", "tab", "client", "zod-lite.ts");

/**
 * The page's `import { z } from "zod"` (the contract, src/tab/api-schema.ts) goes to
 * src/tab/client/zod-lite.ts, which re-exports only what the page uses: zod's namespace as a
 * whole is about 440 kB minified. zod-lite itself imports the real package.
 */
const zodLite: Plugin = {
  name: "zod-lite",
  setup(b) {
    b.onResolve({ filter: /^zod$/ }, (args) => (args.importer === ZOD_LITE ? undefined : { path: ZOD_LITE }));
  },
};

export interface BuiltFile {
  /** Relative to the project root, e.g. `build/tab/app.js`. */
  file: string;
  bytes: number;
  gzipBytes: number;
}

/** Bundles the page; throws with esbuild's messages when it does not compile. */
/** `outDir`: where to write (default build/tab); the deployment zip builds into a folder of its own, so a running test suite's page is never half-written. */
export async function buildTab(outDir: string = TAB_OUT_DIR): Promise<BuiltFile[]> {
  const result = await build({
    entryPoints: { app: TAB_ENTRY },
    outdir: outDir,
    bundle: true,
    format: "esm",
    // teams-js goes in its own chunk, loaded only inside Teams (src/tab/client/startup.ts).
    splitting: true,
    chunkNames: "[name]-[hash]",
    minify: true,
    sourcemap: "external",
    target: ["es2020", "chrome100"],
    platform: "browser",
    jsx: "automatic",
    define: { "process.env.NODE_ENV": '"production"' },
    legalComments: "linked",
    metafile: true,
    plugins: [zodLite],
    logLevel: "silent",
    absWorkingDir: ROOT,
  });
  return Object.keys(result.metafile.outputs)
    .filter((file) => !file.endsWith(".map"))
    .sort()
    .map((file) => {
      const content = readFileSync(path.join(ROOT, file));
      return { file, bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
    });
}

const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const started = performance.now();
  buildTab()
    .then((files) => {
      for (const f of files) process.stdout.write(`${f.file}  ${kB(f.bytes)}  (gzip ${kB(f.gzipBytes)})\n`);
      process.stdout.write(`tab built in ${Math.round(performance.now() - started)} ms\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`build-tab: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    });
}
