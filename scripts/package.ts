/**
 * `npm run package`: builds the Teams app package (the zip a Teams admin uploads).
 *
 * Env: MicrosoftAppId (required), TEAMS_APP_ID, TAB_SSO_CLIENT_ID, BOT_DOMAIN, APP_BASE_URL, APP_VERSION,
 * APP_PACKAGE_OUT (where to write; a .zip path or a folder). A `.env` file in the
 * project root is read first; variables already set in the shell win.
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { AppPackageError, DEFAULT_PACKAGE_PATH, PROJECT_ROOT, makeAppPackage } from "./app-package.js";

function loadDotEnv(): void {
  const file = path.join(PROJECT_ROOT, ".env");
  if (existsSync(file) && typeof process.loadEnvFile === "function") process.loadEnvFile(file);
}

function outputPath(): string {
  const out = process.env.APP_PACKAGE_OUT?.trim();
  if (!out) return path.join(PROJECT_ROOT, DEFAULT_PACKAGE_PATH);
  const resolved = path.resolve(out);
  return resolved.toLowerCase().endsWith(".zip") ? resolved : path.join(resolved, path.basename(DEFAULT_PACKAGE_PATH));
}

async function main(): Promise<void> {
  loadDotEnv();
  const made = await makeAppPackage(process.env);
  const file = outputPath();
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, made.zip);

  const { variables } = made;
  const lines = [
    `Teams app package written: ${file}`,
    `  Teams app id (manifest id): ${variables.TEAMS_APP_ID}`,
    `  bot id (MicrosoftAppId):    ${variables.MicrosoftAppId}`,
    `  tab sign-in (SSO) app id:   ${variables.TAB_SSO_CLIENT_ID}${variables.TAB_SSO_CLIENT_ID === variables.MicrosoftAppId ? " (the bot's: TAB_SSO_CLIENT_ID not set)" : " (TAB_SSO_CLIENT_ID)"}`,
    `  valid domain:               ${variables.BOT_DOMAIN ?? "(none: BOT_DOMAIN not set)"}`,
    `  developer links:            ${variables.APP_BASE_URL}/`,
    `  app version:                ${variables.APP_VERSION} (manifest schema ${String(made.manifest.manifestVersion)})`,
    ...made.warnings.map((w) => `note: ${w}`),
    "Upload it in Teams: Apps → Manage your apps → Upload an app, or in the Teams admin center (Teams apps → Manage apps → Upload new app).",
  ];
  process.stdout.write(`${lines.join("\n")}\n`);
}

main().catch((error: unknown) => {
  if (error instanceof AppPackageError) {
    process.stderr.write(`npm run package: ${error.message}\n`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`npm run package: failed: ${message}\n`);
  }
  process.exitCode = 1;
});
