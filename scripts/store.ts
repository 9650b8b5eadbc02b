/**
 * `npm run store -- …` in the repo (with tsx): the command lives in src/cli/store.ts, so that the
 * deployment zip has it compiled (`node dist/cli/store.js`, its own `npm run store`). Usage, exit
 * codes and the commands: there, or `npm run store -- --help`.
 */
import { runStoreCommand } from "../src/cli/store.js";

process.exitCode = await runStoreCommand(process.argv.slice(2));
