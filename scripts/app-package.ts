/**
 * The Teams app package: fill the manifest template, validate it offline against the
 * schema bundled in `@microsoft/app-manifest`, and zip it with the two icons and the
 * language files its `localizationInfo` names (checked against the bundled localization
 * schema of the same version).
 *
 * Pure pieces (`fillManifest`, `validateManifest`, `buildAppPackage`) are exported for
 * tests; `scripts/package.ts` is the thin command line around `makeAppPackage`.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { AppManifestUtils, type TeamsManifestV1D30 } from "@microsoft/app-manifest";
import { strToU8, zipSync } from "fflate";

/**
 * The manifest schema version the template is written for. 1.30 is the newest
 * generally available version: it is `TeamsManifestLatest` in @microsoft/app-manifest
 * 1.1.2 and the version Microsoft's docs tell you to update to.
 */
export const MANIFEST_VERSION = "1.30";
export const MANIFEST_SCHEMA_URL = `https://developer.microsoft.com/json-schemas/teams/v${MANIFEST_VERSION}/MicrosoftTeams.schema.json`;

/** The file a Teams admin uploads, relative to the project root. */
export const DEFAULT_PACKAGE_PATH = path.join("build", "samhandling-teams-app.zip");

/** Used for the developer links when neither APP_BASE_URL nor BOT_DOMAIN is set. */
export const FALLBACK_BASE_URL = "http://localhost:3978";

export const ICON_SIZES = { color: 192, outline: 32 } as const;

export type TeamsManifest = TeamsManifestV1D30.TeamsManifestV1D30;
export type Env = Readonly<Record<string, string | undefined>>;

/** A problem the person running the script can fix; `problems` lists each one. */
export class AppPackageError extends Error {
  readonly problems: readonly string[];
  constructor(summary: string, problems: readonly string[]) {
    super(`${summary}\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "AppPackageError";
    this.problems = problems;
  }
}

/** The values that go into the template's `${{NAME}}` placeholders. */
export interface PackageVariables {
  /** The manifest id: identifies the app in the tenant's catalogue. */
  TEAMS_APP_ID: string;
  /** The bot's Microsoft App ID (Entra app registration behind the Azure Bot). */
  MicrosoftAppId: string;
  /**
   * The Entra app registration the tab's SSO asks tokens for (`webApplicationInfo.id`, and the
   * resource `api://BOT_DOMAIN/<it>`): `TAB_SSO_CLIENT_ID` when set (a bot that is a managed
   * identity cannot expose an API, so the tab needs its own registration), else MicrosoftAppId.
   */
  TAB_SSO_CLIENT_ID: string;
  /** Host name of the bot (validDomains); absent → no validDomains entry. */
  BOT_DOMAIN?: string;
  /** Base of the developer links (website, privacy, terms), without a trailing slash. */
  APP_BASE_URL: string;
  /** The app version (semver); Teams wants it raised on every update. */
  APP_VERSION: string;
}

export interface ResolvedVariables {
  variables: PackageVariables;
  /** Things that work but deserve a line in the output. */
  warnings: string[];
}

const GUID = /^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;
const HOST = /^(?:\*\.)?(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?::\d{1,5})?$/;
const HTTP_URL = /^https?:\/\/[^\s/?#]+(?:\/[^\s?#]*)?$/i;
const SEMVER = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

function value(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v === undefined || v === "" ? undefined : v;
}

/**
 * Reads and checks the package variables from `env`, listing every problem at once.
 * @param defaultVersion the app version when APP_VERSION is not set (package.json's).
 * @throws AppPackageError naming each missing or invalid variable.
 */
export function resolvePackageVariables(env: Env, defaultVersion = "1.0.0"): ResolvedVariables {
  const problems: string[] = [];
  const warnings: string[] = [];

  const botId = value(env, "MicrosoftAppId");
  if (botId === undefined) {
    problems.push(
      "MicrosoftAppId is not set: give the bot's Microsoft App ID (a GUID, the client id of the Entra app registration behind the Azure Bot).",
    );
  } else if (!GUID.test(botId)) {
    problems.push(`MicrosoftAppId must be a GUID like 00000000-0000-0000-0000-000000000000, got "${botId}".`);
  }

  const appIdRaw = value(env, "TEAMS_APP_ID");
  if (appIdRaw !== undefined && !GUID.test(appIdRaw)) {
    problems.push(`TEAMS_APP_ID must be a GUID like 00000000-0000-0000-0000-000000000000, got "${appIdRaw}".`);
  }

  const tabSsoId = value(env, "TAB_SSO_CLIENT_ID");
  if (tabSsoId !== undefined && !GUID.test(tabSsoId)) {
    problems.push(`TAB_SSO_CLIENT_ID must be a GUID like 00000000-0000-0000-0000-000000000000 (the client id of the tab's Entra app registration), got "${tabSsoId}".`);
  }

  const domain = value(env, "BOT_DOMAIN");
  if (domain !== undefined && !HOST.test(domain)) {
    problems.push(
      `BOT_DOMAIN must be a host name without scheme or path, e.g. samhandling.example.no, got "${domain}".`,
    );
  }

  let baseUrl = value(env, "APP_BASE_URL");
  if (baseUrl !== undefined) {
    baseUrl = baseUrl.replace(/\/+$/, "");
    if (!HTTP_URL.test(baseUrl)) {
      problems.push(`APP_BASE_URL must be an http(s) URL without query, e.g. https://samhandling.example.no, got "${baseUrl}".`);
    }
  } else if (domain !== undefined && HOST.test(domain) && !domain.startsWith("*.")) {
    baseUrl = `https://${domain}`;
    warnings.push(`APP_BASE_URL is not set: the developer links point to ${baseUrl}/ (…/privacy, …/terms).`);
  } else {
    baseUrl = FALLBACK_BASE_URL;
    warnings.push(
      `Neither APP_BASE_URL nor BOT_DOMAIN is set: the developer links point to ${FALLBACK_BASE_URL}; set APP_BASE_URL before uploading to a real tenant.`,
    );
  }

  if (domain === undefined) {
    warnings.push(
      "BOT_DOMAIN is not set: the package has no validDomains and no SSO resource (webApplicationInfo.resource), so the årshjul tab cannot sign people in with Teams SSO.",
    );
  } else if (HTTP_URL.test(baseUrl) && !domain.startsWith("*.") && new URL(baseUrl).host !== domain) {
    warnings.push(
      `The tab is served from ${baseUrl}/tab, whose host is not BOT_DOMAIN (${domain}): Teams SSO gives tokens only to a tab on the domain of its api:// resource.`,
    );
  }

  const version = value(env, "APP_VERSION") ?? defaultVersion;
  if (!SEMVER.test(version)) {
    problems.push(`APP_VERSION must be a semantic version like 1.2.3, got "${version}".`);
  }

  if (problems.length > 0 || botId === undefined) {
    throw new AppPackageError("Cannot fill the Teams app manifest:", problems);
  }
  const variables: PackageVariables = {
    TEAMS_APP_ID: appIdRaw ?? botId,
    MicrosoftAppId: botId,
    // Lower case, as Entra ID writes client ids and as the server (src/config.ts) keeps TAB_SSO_CLIENT_ID.
    TAB_SSO_CLIENT_ID: tabSsoId?.toLowerCase() ?? botId,
    APP_BASE_URL: baseUrl,
    APP_VERSION: version,
  };
  if (domain !== undefined) variables.BOT_DOMAIN = domain;
  return { variables, warnings };
}

/**
 * Replaces every `${{NAME}}` in the template's strings. Known variables come from
 * {@link resolvePackageVariables}; any other name is taken from `env` (as Teams Toolkit
 * does). An array element that is only the placeholder of an absent optional variable
 * (`"validDomains": ["${{BOT_DOMAIN}}"]`) is dropped, and so is an array left empty; an
 * object's property whose text uses an absent optional variable
 * (`"resource": "api://${{BOT_DOMAIN}}/…"`) is left out.
 * @throws AppPackageError naming each missing/invalid variable or unfilled placeholder.
 */
export function fillManifest(template: unknown, env: Env, defaultVersion?: string): TeamsManifest {
  const { variables } = resolvePackageVariables(env, defaultVersion);
  return substitute(template, variables, env);
}

function substitute(template: unknown, variables: PackageVariables, env: Env): TeamsManifest {
  return fillPlaceholders(template, variables, env, "The Teams app manifest still has unfilled placeholders:") as TeamsManifest;
}

function fillPlaceholders(template: unknown, variables: PackageVariables, env: Env, unfilledSummary: string): unknown {
  const known = variables as unknown as Record<string, string | undefined>;
  const lookup = (name: string): string | undefined =>
    Object.hasOwn(known, name) ? known[name] : value(env, name);
  const unfilled = new Map<string, string[]>();
  const note = (name: string, at: string) => {
    const places = unfilled.get(name) ?? [];
    places.push(at || "/");
    unfilled.set(name, places);
  };
  const onlyPlaceholder = (s: string): string | undefined => {
    const m = /^\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/.exec(s);
    return m?.[1];
  };
  const usesAbsentOptional = (s: string): boolean =>
    [...s.matchAll(PLACEHOLDER)].some(([, name]) => name !== undefined && isOptional(name) && lookup(name) === undefined);

  const walk = (node: unknown, at: string): unknown => {
    if (typeof node === "string") {
      return node.replace(PLACEHOLDER, (whole, name: string) => {
        const v = lookup(name);
        if (v === undefined) {
          note(name, at);
          return whole;
        }
        return v;
      });
    }
    if (Array.isArray(node)) {
      const out: unknown[] = [];
      node.forEach((item, i) => {
        const only = typeof item === "string" ? onlyPlaceholder(item) : undefined;
        if (only !== undefined && lookup(only) === undefined && isOptional(only)) return;
        out.push(walk(item, `${at}/${i}`));
      });
      return out;
    }
    if (node !== null && typeof node === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) {
        if (typeof child === "string" && usesAbsentOptional(child)) continue;
        const filled = walk(child, `${at}/${key}`);
        if (Array.isArray(child) && child.length > 0 && Array.isArray(filled) && filled.length === 0) continue;
        out[key] = filled;
      }
      return out;
    }
    return node;
  };

  const filled = walk(template, "");
  if (unfilled.size > 0) {
    throw new AppPackageError(
      unfilledSummary,
      [...unfilled].map(([name, places]) => `${name} is not set (used by \${{${name}}} at ${places.join(", ")}).`),
    );
  }
  return filled;
}

/** Optional variables: their absence removes a list entry instead of failing. */
function isOptional(name: string): boolean {
  return name === "BOT_DOMAIN";
}

/** Where @microsoft/app-manifest keeps the schema of a manifest version. */
export function bundledSchemaPath(version: string = MANIFEST_VERSION): string {
  const require = createRequire(import.meta.url);
  const entry = require.resolve("@microsoft/app-manifest"); // …/build/index.js
  return path.join(path.dirname(entry), "json-schemas", "teams", `v${version}`, "MicrosoftTeams.schema.json");
}

/**
 * Loads the bundled schema from disk. We pass it to `validateAgainstSchema` ourselves,
 * because without a schema argument the library looks for a local copy by URL and
 * falls back to downloading it, and this machine (and CI) has no internet.
 */
export async function loadBundledSchema(version: string = MANIFEST_VERSION): Promise<object> {
  return readBundledSchema(bundledSchemaPath(version), `the schema for manifest version ${version}`);
}

/** Where @microsoft/app-manifest keeps the language files' schema of a manifest version (it ships one beside each manifest schema). */
export function bundledLocalizationSchemaPath(version: string = MANIFEST_VERSION): string {
  return path.join(path.dirname(bundledSchemaPath(version)), "MicrosoftTeams.Localization.schema.json");
}

/** The bundled schema of the language files (`localizationInfo`), loaded as {@link loadBundledSchema} does. */
export async function loadBundledLocalizationSchema(version: string = MANIFEST_VERSION): Promise<object> {
  const schema = await readBundledSchema(bundledLocalizationSchemaPath(version), `the localization schema for manifest version ${version}`);
  return unicodeSafePatterns(schema) as object;
}

/**
 * The localization schema has patterns with a `]` outside any character class
 * (`^activities.activityTypes\[\b(…)\b]\.description$`): a literal `]` in a plain
 * JavaScript regexp, but a syntax error with the `u` flag, which AJV compiles patterns with,
 * so the library cannot compile the schema as shipped. Escaping such a `]` matches the same
 * strings and compiles; nothing else is changed.
 */
function unicodeSafePatterns(node: unknown, key?: string): unknown {
  if (Array.isArray(node)) return node.map((item) => unicodeSafePatterns(item));
  if (node === null || typeof node !== "object") return key === "pattern" && typeof node === "string" ? escapeLoneBrackets(node) : node;
  return Object.fromEntries(
    Object.entries(node).map(([k, child]) => [key === "patternProperties" ? escapeLoneBrackets(k) : k, unicodeSafePatterns(child, k)]),
  );
}

function escapeLoneBrackets(pattern: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "\\") {
      out += c + (pattern[i + 1] ?? "");
      i++;
    } else if (c === "[" && !inClass) {
      inClass = true;
      out += c;
    } else if (c === "]") {
      out += inClass ? c : "\\]";
      inClass = false;
    } else {
      out += c;
    }
  }
  return out;
}

async function readBundledSchema(file: string, what: string): Promise<object> {
  if (!existsSync(file)) {
    throw new AppPackageError("Cannot validate the manifest offline:", [
      `the installed @microsoft/app-manifest does not ship ${what} (looked for ${file}).`,
    ]);
  }
  const raw = await readFile(file, "utf8");
  // Same clean-up the library applies: some schema versions contain "\a" / "\v" escapes JSON.parse rejects.
  return JSON.parse(raw.replace(/\\a/g, "\\u0007").replace(/\\v/g, "\\u000b")) as object;
}

/**
 * Validates a filled manifest against the bundled schema of its `manifestVersion`.
 * @returns one line per problem; empty when the manifest is valid.
 */
export async function validateManifest(manifest: TeamsManifest): Promise<string[]> {
  const version = String(manifest.manifestVersion);
  const expectedUrl = `https://developer.microsoft.com/json-schemas/teams/v${version}/MicrosoftTeams.schema.json`;
  const problems: string[] = [];
  if (manifest.$schema !== undefined && manifest.$schema !== expectedUrl) {
    problems.push(`$schema is "${manifest.$schema}" but manifestVersion ${version} needs "${expectedUrl}".`);
  }
  const schema = await loadBundledSchema(version);
  const errors = await AppManifestUtils.validateAgainstSchema(
    manifest,
    schema as Parameters<typeof AppManifestUtils.validateAgainstSchema>[1],
  );
  return [...problems, ...errors.map((e) => `schema: ${e.trim()}`)];
}

/** Width and height from a PNG's IHDR chunk; undefined when the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | undefined {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || signature.some((b, i) => bytes[i] !== b)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (String.fromCharCode(...bytes.subarray(12, 16)) !== "IHDR") return undefined;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** A language file: `"name.short"`, `"staticTabs[1].name"`, `"bots[0].commandLists[0].commands[2].title"` … → text. */
export type LanguageFile = Readonly<Record<string, unknown>>;

/** The `$schema` a language file for manifest `version` names. */
export function localizationSchemaUrl(version: string = MANIFEST_VERSION): string {
  return `https://developer.microsoft.com/json-schemas/teams/v${version}/MicrosoftTeams.Localization.schema.json`;
}

/**
 * The manifest's own strings (the default language's) as a language file: the app's name and
 * descriptions, the static tabs' names and the bot's commands — what a translation must cover.
 * The package's `localizationInfo.defaultLanguageFile` is made from it, so the default
 * language has one source, the manifest.
 */
export function defaultLanguageStrings(manifest: TeamsManifest): Record<string, string> {
  const out: Record<string, string> = { $schema: localizationSchemaUrl(String(manifest.manifestVersion)) };
  out["name.short"] = manifest.name.short;
  if (manifest.name.full !== undefined) out["name.full"] = manifest.name.full;
  out["description.short"] = manifest.description.short;
  out["description.full"] = manifest.description.full;
  manifest.staticTabs?.forEach((tab, i) => {
    if (tab.name !== undefined) out[`staticTabs[${i}].name`] = tab.name;
  });
  manifest.bots?.[0]?.commandLists?.forEach((list, l) =>
    list.commands.forEach((command, i) => {
      out[`bots[0].commandLists[${l}].commands[${i}].title`] = command.title;
      if (command.description !== undefined) out[`bots[0].commandLists[${l}].commands[${i}].description`] = command.description;
    }),
  );
  return out;
}

/** `bots[0].commandLists[1].title` → ["bots", 0, "commandLists", 1, "title"]. */
function localizedPath(key: string): Array<string | number> {
  return key.split(".").flatMap((part) => {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) return [part];
    return [m[1]!, ...[...m[2]!.matchAll(/\[(\d+)\]/g)].map((i) => Number(i[1]))];
  });
}

/**
 * Checks a filled language file: against the bundled localization schema of the manifest's
 * version, that it names that schema, that every string it translates exists in the manifest
 * (its keys point by position: after a reordering `staticTabs[1].name` would rename the wrong
 * tab, or nothing, without a word), and that it translates every string the default language
 * has (Teams shows the default language's text for whatever a file leaves out).
 * @returns one line per problem, each naming the file; empty when the file is valid.
 */
export async function validateLanguageFile(file: string, strings: LanguageFile, manifest: TeamsManifest): Promise<string[]> {
  const version = String(manifest.manifestVersion);
  const problems: string[] = [];
  if (strings.$schema !== localizationSchemaUrl(version)) {
    problems.push(`${file}: $schema is "${String(strings.$schema)}" but manifestVersion ${version} needs "${localizationSchemaUrl(version)}".`);
  }
  const schema = await loadBundledLocalizationSchema(version);
  const errors = await AppManifestUtils.validateAgainstSchema(
    strings as unknown as TeamsManifest,
    schema as Parameters<typeof AppManifestUtils.validateAgainstSchema>[1],
  );
  problems.push(...errors.map((e) => `${file}: schema: ${e.trim()}`));
  for (const key of Object.keys(strings)) {
    if (key === "$schema" || key === "localizationKeys") continue;
    const target = localizedPath(key).reduce<unknown>((node, step) => (node !== null && typeof node === "object" ? (node as Record<string | number, unknown>)[step] : undefined), manifest);
    if (typeof target !== "string") problems.push(`${file}: "${key}" translates nothing in the manifest.`);
  }
  for (const key of Object.keys(defaultLanguageStrings(manifest))) {
    if (!Object.hasOwn(strings, key)) problems.push(`${file}: "${key}" is not translated.`);
  }
  return problems;
}

export interface AppPackageParts {
  manifest: TeamsManifest;
  colorPng: Uint8Array;
  outlinePng: Uint8Array;
  /** The filled language files `localizationInfo.additionalLanguages` names, by file name (the default language's is made from the manifest). */
  languageFiles?: Readonly<Record<string, LanguageFile>>;
}

/** Zip entries get a fixed time so the same inputs give the same bytes. */
const ZIP_MTIME = new Date(Date.UTC(2024, 0, 1));

/**
 * Validates a filled manifest, its icons and its language files and zips them:
 * `manifest.json`, the two icons and the language files at the zip root, which is what Teams
 * accepts as an app package.
 * @throws AppPackageError listing every schema error, icon or language file problem.
 */
export async function buildAppPackage(parts: AppPackageParts): Promise<Uint8Array> {
  const { manifest, colorPng, outlinePng } = parts;
  const problems = await validateManifest(manifest);

  // The language files: the default language's made from the manifest, the others as given.
  const languages: Record<string, LanguageFile> = {};
  const info = manifest.localizationInfo;
  if (info?.defaultLanguageFile !== undefined) languages[info.defaultLanguageFile] = defaultLanguageStrings(manifest);
  for (const { file } of info?.additionalLanguages ?? []) {
    const strings = parts.languageFiles?.[file];
    if (strings === undefined) problems.push(`localizationInfo names the language file "${file}", which is not there.`);
    else languages[file] = strings;
  }
  for (const [file, strings] of Object.entries(languages)) {
    if (file.includes("/") || file.includes("\\") || !file.endsWith(".json")) problems.push(`the language file "${file}" must be a .json file at the package root.`);
    problems.push(...(await validateLanguageFile(file, strings, manifest)));
  }

  const icons = [
    { role: "color", file: manifest.icons?.color, bytes: colorPng, size: ICON_SIZES.color },
    { role: "outline", file: manifest.icons?.outline, bytes: outlinePng, size: ICON_SIZES.outline },
  ] as const;
  for (const icon of icons) {
    if (typeof icon.file !== "string" || icon.file.includes("/") || icon.file.includes("\\")) {
      problems.push(`icons.${icon.role} must name a file at the package root, got "${String(icon.file)}".`);
    }
    const size = pngSize(icon.bytes);
    if (size === undefined) {
      problems.push(`the ${icon.role} icon is not a PNG file.`);
    } else if (size.width !== icon.size || size.height !== icon.size) {
      problems.push(`the ${icon.role} icon must be ${icon.size}×${icon.size} pixels, it is ${size.width}×${size.height}.`);
    }
  }
  if (manifest.icons?.color === manifest.icons?.outline) {
    problems.push("icons.color and icons.outline must be two different files.");
  }
  if (problems.length > 0) {
    throw new AppPackageError(`The Teams app manifest is not valid (schema v${String(manifest.manifestVersion)}):`, problems);
  }

  const entry = (data: Uint8Array) => [data, { mtime: ZIP_MTIME }] as [Uint8Array, { mtime: Date }];
  return zipSync(
    {
      "manifest.json": entry(strToU8(`${JSON.stringify(manifest, null, 2)}\n`)),
      [manifest.icons.color]: entry(colorPng),
      [manifest.icons.outline]: entry(outlinePng),
      ...Object.fromEntries(Object.entries(languages).map(([file, strings]) => [file, entry(strToU8(`${JSON.stringify(strings, null, 2)}\n`))])),
    },
    { level: 9 },
  );
}

/** The project root (the folder holding package.json and manifest/). */
export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface MadePackage extends ResolvedVariables {
  zip: Uint8Array;
  manifest: TeamsManifest;
}

/**
 * Reads `manifest/` under `rootDir`, fills and validates the manifest, and returns the
 * zip bytes with the values used. Writes nothing.
 */
export async function makeAppPackage(env: Env, rootDir: string = PROJECT_ROOT): Promise<MadePackage> {
  const manifestDir = path.join(rootDir, "manifest");
  const pkg = JSON.parse(await readFile(path.join(rootDir, "package.json"), "utf8")) as { version?: string };
  const template: unknown = JSON.parse(await readFile(path.join(manifestDir, "manifest.json"), "utf8"));
  const resolved = resolvePackageVariables(env, pkg.version);
  const manifest = substitute(template, resolved.variables, env);
  const iconFile = (name: unknown, role: string): string => {
    if (typeof name !== "string" || name === "") {
      throw new AppPackageError("The manifest template has no icon file:", [`icons.${role} is missing.`]);
    }
    return path.join(manifestDir, name);
  };
  const [colorPng, outlinePng] = await Promise.all([
    readFile(iconFile(manifest.icons?.color, "color")),
    readFile(iconFile(manifest.icons?.outline, "outline")),
  ]);
  // The translations (localizationInfo.additionalLanguages) sit beside the template, with placeholders filled alike.
  const languageFiles: Record<string, LanguageFile> = {};
  for (const { file } of manifest.localizationInfo?.additionalLanguages ?? []) {
    const at = path.join(manifestDir, file);
    if (!existsSync(at)) {
      throw new AppPackageError("The manifest template names a missing language file:", [`localizationInfo names "${file}"; there is no ${at}.`]);
    }
    const raw: unknown = JSON.parse(await readFile(at, "utf8"));
    languageFiles[file] = fillPlaceholders(raw, resolved.variables, env, `The language file ${file} still has unfilled placeholders:`) as LanguageFile;
  }
  const zip = await buildAppPackage({ manifest, colorPng, outlinePng, languageFiles });
  return { ...resolved, zip, manifest };
}
