/**
 * `npm run store -- …`: the store's command line, in src/ so that it is compiled into dist/ and
 * ships in the deployment zip (`npm run store` there is `node dist/cli/store.js`, run from App
 * Service's SSH console with the app's own settings; docs/deploy.md). In the repo `npm run store`
 * runs it with tsx through scripts/store.ts.
 *
 * `npm run --silent store -- export > backup.jsonl` / `npm run store -- import [--overwrite] < backup.jsonl`
 * `npm run store -- migrate [--dry-run]`: every document to this app's versions (issue 13; the
 * report on stdout; exit 1 when documents of a newer version were found and left alone).
 * `npm run store -- person export|erase <entra-id> [--yes]`: one person's data (GDPR; src/cli/store-person.ts).
 *
 * The store is the one the app would use: STORE=sqlite|cosmos with SQLITE_PATH / COSMOS_*
 * (src/config.ts). Documents go to stdout / come from stdin as JSON Lines; the summary and
 * errors go to stderr. Exit codes: 0 done; 1 failed (invalid input, store error, or documents
 * refused because they differ in the target); 2 usage or configuration error.
 */
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { fileURLToPath } from "node:url";
import { openStore } from "../compose.js";
import { ConfigError, loadConfig, type Config } from "../config.js";
import { StoreUnavailableError, type DocumentStore } from "../store/store.js";
import { exportDocuments, importDocuments, TransferInputError } from "../store/transfer.js";
import { describeMigration, migrateStore } from "../store/migrations.js";
import { parsePersonArgs, PERSON_USAGE, runPerson, type PersonArgs } from "./store-person.js";

const USAGE = `usage: npm run --silent store -- export > backup.jsonl
       npm run store -- import [--overwrite] < backup.jsonl
       npm run store -- migrate [--dry-run]
${PERSON_USAGE}

The store is chosen as for the app: STORE=sqlite (SQLITE_PATH) or STORE=cosmos (COSMOS_*).
import creates missing documents, leaves identical ones alone and refuses ones that differ
(exit 1, listed) unless --overwrite.
migrate upgrades every document to this app's versions (etag-checked; a second run writes
nothing); --dry-run lists what would change. Export a backup first.
person export prints everything stored about one person (JSON); person erase deletes it and
replaces them by «slettet person» in the audit trail, only with --yes (without: what it would do).`;

class UsageError extends Error {}

function describeStore(config: Config): string {
  return config.STORE === "sqlite"
    ? `sqlite ${config.SQLITE_PATH}`
    : `cosmos ${config.COSMOS_ENDPOINT} ${config.COSMOS_DATABASE}/${config.COSMOS_CONTAINER}`;
}

/** The command itself; throws what `runStoreCommand` turns into a message and an exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let person: PersonArgs | undefined;
  if (command === "person") {
    try {
      person = parsePersonArgs(rest);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  if (command !== "export" && command !== "import" && command !== "migrate" && !person) throw new UsageError(command ? `unknown command ${JSON.stringify(command)}` : "missing command");
  const allowed = command === "import" ? ["--overwrite"] : command === "migrate" ? ["--dry-run"] : [];
  const unknown = person ? [] : rest.filter((arg) => !allowed.includes(arg));
  if (unknown.length > 0) throw new UsageError(`unknown argument ${JSON.stringify(unknown[0])} for ${command}`);
  const overwrite = rest.includes("--overwrite");

  const config = loadConfig();
  if ((command === "export" || command === "migrate" || person) && config.STORE === "sqlite" && config.SQLITE_PATH !== ":memory:" && !fs.existsSync(config.SQLITE_PATH)) {
    // Opening would create an empty store; exporting it is surely a wrong path.
    throw new ConfigError([`SQLITE_PATH: no store at ${config.SQLITE_PATH}`]);
  }
  let store: DocumentStore;
  try {
    store = await openStore(config);
  } catch (error) {
    // Unreachable (exit 1, worth retrying) is not misconfigured (exit 2, e.g. COSMOS_ENDPOINT missing).
    if (error instanceof StoreUnavailableError) throw error;
    throw new ConfigError([`cannot open the store (${describeStore(config)}): ${(error as Error).message}`]);
  }

  try {
    if (person) {
      const io = { stdout: (text: string) => process.stdout.write(text), stderr: (text: string) => process.stderr.write(text) };
      return await runPerson(store, person, { configuredAdmins: config.ADMIN_AAD_IDS, storeName: describeStore(config), io });
    }
    if (command === "export") {
      let count = 0;
      const lines = (async function* () {
        for await (const line of exportDocuments(store)) {
          count += 1;
          yield `${line}\n`;
        }
      })();
      await pipeline(Readable.from(lines), process.stdout);
      process.stderr.write(`exported ${count} documents from ${describeStore(config)}\n`);
      return 0;
    }
    if (command === "migrate") {
      // Through the port, on either adapter (src/store/migrations.ts); newer documents are left alone and listed (exit 1).
      const report = await migrateStore(store, { dryRun: rest.includes("--dry-run") });
      process.stdout.write(`migrate ${describeStore(config)}${report.dryRun ? " (dry run)" : ""}\n${describeMigration(report).join("\n")}\n`);
      return report.newer.length > 0 ? 1 : 0;
    }
    if (process.stdin.isTTY) throw new UsageError("import reads the documents from stdin: npm run store -- import < backup.jsonl");
    const input = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
    const result = await importDocuments(store, input, { overwrite });
    process.stderr.write(
      `imported into ${describeStore(config)}: ${result.read} read, ${result.written} written, ` +
        `${result.unchanged} unchanged, ${result.refused} refused\n`,
    );
    if (result.refused > 0) {
      for (const key of result.refusedKeys) process.stderr.write(`  differs, not replaced: ${key.partition}/${key.id}\n`);
      process.stderr.write("run again with --overwrite to replace them with the backup's version\n");
      return 1;
    }
    return 0;
  } finally {
    await store.close();
  }
}

/** Runs the command with `argv` (what follows `npm run store --`): its exit code, every failure said on stderr without a stack trace where it is expected. */
export async function runStoreCommand(argv: string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`store: ${error.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`store: ${error.message}\n`);
      return 2;
    }
    if (error instanceof TransferInputError) {
      process.stderr.write(`store: invalid input, nothing written: ${error.message}\n`);
      return 1;
    }
    if ((error as NodeJS.ErrnoException).code === "EPIPE") return 1;
    if (error instanceof Error && typeof (error as { code?: unknown }).code === "string") {
      // StoreConflictError, StoreUnavailableError and the like: expected, so no stack trace.
      process.stderr.write(`store: ${error.message}\n`);
      return 1;
    }
    process.stderr.write(`store: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}

// Run when started as a program: `node dist/cli/store.js` (the deployment zip's `npm run store`) or
// `tsx src/cli/store.ts`; not when imported (scripts/store.ts, the repo's `npm run store`, imports it).
// realpath: Node names this module by its real path, argv[1] is as typed (a symlinked folder would differ).
if (process.argv[1] && fs.realpathSync(path.resolve(process.argv[1])) === fileURLToPath(import.meta.url)) {
  process.exitCode = await runStoreCommand(process.argv.slice(2));
}
