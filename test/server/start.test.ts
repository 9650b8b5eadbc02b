/**
 * Starting the real process (`src/main.ts`, as `npm start` runs it) where it cannot listen: a
 * port already taken is said in one line a person can act on, with no stack trace, and the
 * process ends with exit code 1 (found by a newcomer who ran `npm start` twice).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const projectRoot = fileURLToPath(new URL("../..", import.meta.url));

function run(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(STORE|SQLITE_|COSMOS_|NUDGE_|CLOCK_|PORT|HOST|Microsoft)/.test(k)));
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], { cwd: projectRoot, env: { ...clean, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve) => child.on("exit", (code) => resolve({ code, output })));
}

describe("npm start where the port is taken", () => {
  const dir = mkdtempSync(join(tmpdir(), "samhandling-start-"));
  let taken: Server;
  afterAll(() => {
    taken?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("says the port is in use and what to do, in one line without a stack, and exits 1", async () => {
    taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as { port: number }).port;
    const { code, output } = await run({ PORT: String(port), SQLITE_PATH: join(dir, "db"), NUDGE_SCHEDULER: "off", LOG_LEVEL: "info" });
    expect(code).toBe(1);
    expect(output).toContain(`port ${port} on 127.0.0.1 is already in use (is Samhandling already running?)`);
    expect(output).toContain("start with another PORT");
    expect(output).not.toMatch(/^\s+at /m);
    expect(output).not.toContain("Unhandled 'error' event");
  }, 30_000);
});
