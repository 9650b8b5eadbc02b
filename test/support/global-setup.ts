/**
 * Runs once before the suite: the browser test needs Debian's Chromium, and `npm test` on a
 * fresh machine must pass without manual steps, so the project installs it itself (idempotent:
 * a no-op when /usr/bin/chromium is there).
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default function setup(): void {
  const script = fileURLToPath(new URL("../../scripts/ensure-chromium.sh", import.meta.url));
  execFileSync("bash", [script], { stdio: "inherit" });
}
