/**
 * `npm run store -- person export <entra-id>` and `npm run store -- person erase <entra-id> [--yes]`
 * (GDPR art. 15 and 17): the command line of src/app/personal-data.ts, called by src/cli/store.ts
 * once the store is open.
 *
 * - export: every entry stored about the person as JSON on stdout, a summary on stderr.
 * - erase: without `--yes` only says what it would do (stderr) and writes nothing; with `--yes`
 *   deletes and pseudonymises, and prints what it did as JSON on stdout (a record of the erasure
 *   that names the documents changed, not the person's data).
 *
 * Exit codes as for the other store commands: 0 done; 1 documents mention the person but do not
 * parse (left alone, listed), the erasure was refused (last admin) or the store failed; 2 usage
 * (a malformed id) or configuration.
 */
import { DateTime } from "luxon";
import { erasePerson, exportCounts, exportPerson, parsePersonId, type DocumentRef, type ErasureReport } from "../app/personal-data.js";
import type { DocumentStore } from "../store/store.js";

export interface PersonArgs {
  action: "export" | "erase";
  personId: string;
  yes: boolean;
}

export const PERSON_USAGE = `       npm run --silent store -- person export <entra-object-id> > person.json
       npm run store -- person erase <entra-object-id> [--yes]`;

/** The arguments after `person`; throws an Error whose message says what is wrong (the caller makes it a usage error, exit 2). */
export function parsePersonArgs(args: readonly string[]): PersonArgs {
  const [action, id, ...rest] = args;
  if (action !== "export" && action !== "erase") {
    throw new Error(action ? `unknown person command ${JSON.stringify(action)} (export or erase)` : "person needs export or erase, and the person's Entra object id");
  }
  const allowed = action === "erase" ? ["--yes"] : [];
  const unknown = rest.find((arg) => !allowed.includes(arg));
  if (unknown !== undefined) throw new Error(`unknown argument ${JSON.stringify(unknown)} for person ${action}`);
  if (id?.startsWith("--")) throw new Error(`person ${action} needs the person's Entra object id before ${id}`);
  return { action, personId: parsePersonId(id), yes: rest.includes("--yes") };
}

export interface PersonIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export async function runPerson(store: DocumentStore, args: PersonArgs, options: { configuredAdmins: readonly string[]; storeName: string; io: PersonIo }): Promise<number> {
  const { io } = options;
  const common = { configuredAdmins: options.configuredAdmins, now: () => DateTime.now() };
  if (args.action === "export") {
    const data = await exportPerson(store, args.personId, common);
    io.stdout(`${JSON.stringify(data, null, 2)}\n`);
    const counts = exportCounts(data);
    const groups = Object.entries(counts.byGroup)
      .filter(([, n]) => n > 0)
      .map(([group, n]) => `${group} ${n}`)
      .join(", ");
    io.stderr(
      counts.total === 0
        ? `nothing stored about ${args.personId} in ${options.storeName}\n`
        : `exported ${counts.total} entries about ${args.personId} from ${options.storeName}: ${groups}` +
            (counts.pseudonymous > 0 ? ` (${counts.pseudonymous} of them pseudonymised: the person was erased, the audit trail keeps them as «slettet person»)` : "") +
            "\n",
    );
    if (data.adminThroughSetting) io.stderr("the id is also in ADMIN_AAD_IDS (the app settings): an admin whatever the store says\n");
    return unreadable(data.unreadable, io);
  }

  const report = await erasePerson(store, args.personId, { ...common, dryRun: !args.yes });
  for (const warning of report.warnings) io.stderr(`warning: ${warning}\n`);
  if (report.dryRun) {
    if (report.documents.length === 0) io.stderr(`nothing to erase about ${args.personId} in ${options.storeName}\n`);
    else {
      io.stderr(`would erase ${args.personId} in ${options.storeName}:\n${lines(report)}`);
      io.stderr("nothing was changed: run again with --yes to erase\n");
    }
    return unreadable(report.unreadable, io);
  }
  io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  io.stderr(
    report.documents.length === 0
      ? `nothing left to erase about ${args.personId} in ${options.storeName}; nothing written\n`
      : `erased ${args.personId} in ${options.storeName}: ${report.removed} documents deleted, ${report.written} pseudonymised\n${lines(report)}`,
  );
  return unreadable(report.unreadable, io);
}

function lines(report: ErasureReport): string {
  return report.documents.map((d) => `  ${d.action === "delete" ? "delete" : "update"} ${d.partition}/${d.id} (${d.type}): ${d.what.join("; ")}\n`).join("");
}

function unreadable(refs: readonly DocumentRef[], io: PersonIo): number {
  if (refs.length === 0) return 0;
  for (const ref of refs) io.stderr(`  mentions the id but does not parse, left alone: ${ref.partition}/${ref.id} (${ref.type})\n`);
  io.stderr("fix or remove these documents (npm run store -- export shows them) and run again\n");
  return 1;
}
