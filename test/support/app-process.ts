/**
 * The real app as `npm start` runs it (`node --import tsx src/main.ts`), in a child process: for
 * tests that need a process of its own — killed, signalled, or several side by side on one store.
 */
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));

export interface AppProcess {
  child: ChildProcessWithoutNullStreams;
  /** `http://127.0.0.1:<port>`, from the start-up log line. */
  url: string;
  /** Everything the process wrote so far (stdout and stderr). */
  output(): string;
  /** SIGTERM, and resolves once it exited (at once if it already had). */
  stop(): Promise<void>;
}

/**
 * Starts `src/main.ts` with `env` (on top of this process's environment, without the store, nudge,
 * clock and cache settings a developer's shell may hold); resolves once it listens (use `PORT: "0"`).
 */
export function startApp(env: Record<string, string>): Promise<AppProcess> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(STORE|SQLITE_|COSMOS_|NUDGE_|CLOCK_|NATIONAL_CACHE_|ADMIN_AAD_IDS)/.test(k)));
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: projectRoot, env: { ...clean, ...env }, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return new Promise((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      const url = /"url":"(http:\/\/[^"]+)"/.exec(out)?.[1];
      if (url)
        resolve({
          child,
          url,
          output: () => out,
          stop: async () => {
            if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
            await exited;
          },
        });
    });
    child.stderr.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`the app exited (${code}) before listening:\n${out}`)));
  });
}
