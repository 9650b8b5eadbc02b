/**
 * Runs once before the suite: the browser test needs Debian's Chromium, and `npm test` on a
 * fresh machine must pass without manual steps, so the project installs it itself (idempotent:
 * a no-op when /usr/bin/chromium is there). It also bundles the tab's page (scripts/build-tab.ts).
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { buildTab } from "../../scripts/build-tab.js";

export default async function setup(): Promise<void> {
  const script = fileURLToPath(new URL("../../scripts/ensure-chromium.sh", import.meta.url));
  execFileSync("bash", [script], { stdio: "inherit" });
  // The tab's page (build/tab/app.js) is served by the app: build it once for every test that opens /tab.
  await buildTab();
}
