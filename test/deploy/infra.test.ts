/**
 * infra/main.bicep against the app's configuration contract. No Bicep compiler or Azure CLI runs
 * here (docs/deploy.md, "What was run here and what was not"), so the Bicep is read as text
 * (test/deploy/bicep-text.ts): the web app's settings are checked against the zod schema in
 * src/config.ts both ways, and the security properties the issue asks for are checked where they
 * are declared.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import { COSMOS_PARTITION_KEY_PATH } from "../../src/store/cosmos-store.js";
import { ssoSettings } from "../../src/tab/sso.js";
import { arrayItems, objectEntries, paramAssignments, params, property, resources, stringLiteral, vars, type BicepResource } from "./bicep-text.js";

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8");
const BICEP = read("infra/main.bicep");
const BICEPPARAM = read("infra/main.bicepparam");
const RESOURCES = resources(BICEP);
const VARS = vars(BICEP);

/** The environment variables the app reads: the keys of the schema in src/config.ts (as test/i18n/catalogues.test.ts reads them). */
function environmentNames(): string[] {
  const source = read("src/config.ts");
  const schema = source.slice(source.indexOf("const EnvSchema = z.object({"), source.indexOf("});", source.indexOf("const EnvSchema")));
  return [...schema.matchAll(/^ {2}(\w+):/gm)].map((m) => m[1]!);
}

/**
 * Settings read by the platform or an SDK, not by the app, so not in its schema. Each is named
 * with its reader; nothing else may appear in the app settings without being in src/config.ts.
 */
const PLATFORM_SETTINGS: Record<string, string> = {
  // @azure/identity: DefaultAzureCredential's managed identity credential picks the user-assigned identity by it (Cosmos DB, keyless).
  AZURE_CLIENT_ID: "@azure/identity",
  // App Service's deployment (Kudu/Oryx): build on zip deploy, and how (npm ci of the runtime dependencies).
  SCM_DO_BUILD_DURING_DEPLOYMENT: "App Service build (Oryx)",
  CUSTOM_BUILD_COMMAND: "App Service build (Oryx)",
  // App Service's health check: failed /readyz pings before an instance leaves the rotation.
  WEBSITE_HEALTHCHECK_MAXPINGFAILURES: "App Service health check",
};

function resource(type: string, symbol?: string): BicepResource {
  const found = RESOURCES.filter((r) => r.type === type && (symbol === undefined || r.symbol === symbol));
  expect(found, `one ${type}${symbol ? ` (${symbol})` : ""} in infra/main.bicep`).toHaveLength(1);
  return found[0]!;
}

/** A value that is a string literal, a var holding one, or `<resource>.name` whose name is either. */
function literal(valueText: string | undefined): string | undefined {
  if (valueText === undefined) return undefined;
  const direct = stringLiteral(valueText);
  if (direct !== undefined) return direct;
  const text = valueText.trim();
  if (VARS.has(text)) return literal(VARS.get(text));
  const named = /^(\w+)\.name$/.exec(text);
  const target = named && RESOURCES.find((r) => r.symbol === named[1]);
  return target ? literal(property(target.body, "name")) : undefined;
}

const webApp = resource("Microsoft.Web/sites");

/** The web app's settings in order: name and value (source text). */
const SETTINGS: Array<{ name: string; value: string }> = arrayItems(property(webApp.body, "properties.siteConfig.appSettings") ?? "[]").map((item) => {
  const entries = objectEntries(item);
  const name = stringLiteral(entries.get("name"));
  if (name === undefined || !entries.has("value") || entries.size !== 2) throw new Error(`an app setting must be { name: '<literal>' value: … }, got ${item}`);
  return { name, value: entries.get("value")! };
});
const setting = (name: string) => SETTINGS.find((s) => s.name === name)?.value;

/**
 * What App Service gives the app for a setting whose value is computed at deployment (a resource's
 * endpoint, an identity's client id, a Key Vault reference): a realistic stand-in of that shape.
 */
const DEPLOYED_VALUES: Record<string, string> = {
  COSMOS_ENDPOINT: "https://cosmos-samhandling-prod-abc123.documents.azure.com:443/",
  MicrosoftAppId: "0b5e3c1a-7f2d-4c4e-9a1b-2d3e4f5a6b7c",
  AZURE_CLIENT_ID: "0b5e3c1a-7f2d-4c4e-9a1b-2d3e4f5a6b7c",
  MicrosoftAppTenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  PUBLIC_BASE_URL: "https://app-samhandling-prod-abc123.azurewebsites.net",
  // The parameter tabSsoClientId: the tab's own app registration (empty before it exists: see the test on the tab's sign-in).
  TAB_SSO_CLIENT_ID: "5d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c0d",
  TEAMS_APP_ID: "",
  ADMIN_AAD_IDS: "a1b2c3d4-e5f6-4a1b-8c9d-0e1f2a3b4c5d",
  // App Service resolves the Key Vault reference and hands the app the secret itself.
  NUDGE_RUN_KEY: "k".repeat(48),
  APPLICATIONINSIGHTS_CONNECTION_STRING:
    "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://norwayeast-0.in.applicationinsights.azure.com/",
};

/** The environment the deployed app sees: literal values as written, the rest as App Service would fill them. */
function deployedEnvironment(): Record<string, string> {
  return Object.fromEntries(
    SETTINGS.map(({ name, value }) => {
      const fixed = literal(value);
      if (fixed !== undefined) return [name, fixed];
      if (!(name in DEPLOYED_VALUES)) throw new Error(`the setting ${name} is computed at deployment: give the test a value of its shape in DEPLOYED_VALUES`);
      return [name, DEPLOYED_VALUES[name]!];
    }),
  );
}

/** What would keep the app from running as this environment means it to (empty: nothing). */
function productionProblems(env: Record<string, string>): string[] {
  let c;
  try {
    c = loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  const problems: string[] = [];
  const expectEqual = (name: string, actual: unknown, expected: unknown) => {
    if (actual !== expected) problems.push(`${name}: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  };
  expectEqual("STORE", c.STORE, "cosmos");
  expectEqual("COSMOS_KEY", c.COSMOS_KEY, undefined);
  expectEqual("COSMOS_CREATE_IF_MISSING", c.COSMOS_CREATE_IF_MISSING, false);
  expectEqual("MicrosoftAppType", c.MicrosoftAppType, "UserAssignedMSI");
  expectEqual("HOST", c.HOST, "0.0.0.0");
  for (const name of ["COSMOS_ENDPOINT", "MicrosoftAppId", "MicrosoftAppTenantId", "NUDGE_RUN_KEY", "PUBLIC_BASE_URL", "APPLICATIONINSIGHTS_CONNECTION_STRING"] as const) {
    if (!(c as Record<string, unknown>)[name]) problems.push(`${name}: not set`);
  }
  if (c.ADMIN_AAD_IDS.length === 0) problems.push("ADMIN_AAD_IDS: nobody could grant the first roles");
  return problems;
}

describe("infra/main.bicep: the web app's settings against the configuration schema (src/config.ts)", () => {
  it("the settings are read: each a literal name, none twice", () => {
    const names = SETTINGS.map((s) => s.name);
    // A broken extraction must not pass as "nothing to check".
    expect(names).toContain("STORE");
    expect(names).toContain("COSMOS_ENDPOINT");
    expect(new Set(names).size).toBe(names.length);
  });

  it("no setting names a variable the app does not know (besides the platform's and SDKs' own, listed)", () => {
    const known = new Set(environmentNames());
    expect(known).toContain("ADMIN_AAD_IDS");
    const unknown = SETTINGS.map((s) => s.name).filter((name) => !known.has(name) && !(name in PLATFORM_SETTINGS));
    expect(unknown, "add these to src/config.ts's schema, or to PLATFORM_SETTINGS if the platform or an SDK reads them").toEqual([]);
    // The list stays honest: nothing in it is the app's own, and each is used.
    expect(Object.keys(PLATFORM_SETTINGS).filter((name) => known.has(name))).toEqual([]);
    expect(Object.keys(PLATFORM_SETTINGS).filter((name) => setting(name) === undefined)).toEqual([]);
  });

  it("the app accepts the deployed settings and runs as meant: Cosmos DB keyless, the managed identity, telemetry, the run key", () => {
    const env = deployedEnvironment();
    expect(productionProblems(env)).toEqual([]);
    const c = loadConfig(env);
    // The database and container are the configuration's defaults: a backup imports either way.
    const defaults = loadConfig({});
    expect([c.COSMOS_DATABASE, c.COSMOS_CONTAINER]).toEqual([defaults.COSMOS_DATABASE, defaults.COSMOS_CONTAINER]);
    expect(c.COSMOS_PREFERRED_REGIONS).toEqual(["Norway East"]);
  });

  it("no secret is a setting's literal value: the run key is a Key Vault reference, and there is no Cosmos key or app password", () => {
    expect(setting("NUDGE_RUN_KEY")).toMatch(/^'@Microsoft\.KeyVault\(SecretUri=\$\{nudgeRunKeySecret\.properties\.secretUri\}\)'$/);
    expect(setting("COSMOS_KEY")).toBeUndefined();
    expect(setting("MicrosoftAppPassword")).toBeUndefined();
    expect(property(webApp.body, "properties.keyVaultReferenceIdentity")).toBe("identity.id");
  });

  it("the bot identity, the SDK's identity and the Azure Bot's are the same managed identity, in the same tenant", () => {
    const bot = resource("Microsoft.BotService/botServices");
    expect(setting("MicrosoftAppId")).toBe("identity.properties.clientId");
    expect(setting("AZURE_CLIENT_ID")).toBe("identity.properties.clientId");
    expect(property(bot.body, "properties.msaAppId")).toBe("identity.properties.clientId");
    expect(property(bot.body, "properties.msaAppMSIResourceId")).toBe("identity.id");
    expect(setting("MicrosoftAppTenantId")).toBe(property(bot.body, "properties.msaAppTenantId"));
    expect(stringLiteral(property(bot.body, "properties.msaAppType"))).toBe("UserAssignedMSI");
    expect(literal(setting("MicrosoftAppType"))).toBe("UserAssignedMSI");
    expect(property(webApp.body, "identity.userAssignedIdentities")).toMatch(/'\$\{identity\.id\}'\s*:\s*\{\}/);
  });

  // Without any of these the deployed app would refuse to start, or start as something else
  // (the embedded store, a multi-tenant bot without a secret): the check above would notice.
  it.each(["STORE", "COSMOS_ENDPOINT", "MicrosoftAppType", "MicrosoftAppId", "MicrosoftAppTenantId", "NUDGE_RUN_KEY", "APPLICATIONINSIGHTS_CONNECTION_STRING", "ADMIN_AAD_IDS"])(
    "a deployment without %s is noticed",
    (name) => {
      const env = deployedEnvironment();
      expect(env).toHaveProperty(name);
      delete env[name];
      expect(productionProblems(env)).not.toEqual([]);
    },
  );

  it("the tab's sign-in: with tabSsoClientId, tokens for the tab's own registration, never for the managed identity; empty, the app still starts", () => {
    expect(setting("TAB_SSO_CLIENT_ID")).toBe("tabSsoClientId");
    expect(params(BICEP).find((p) => p.name === "tabSsoClientId")?.defaultText).toBe("''");
    expect(paramAssignments(BICEPPARAM).has("tabSsoClientId")).toBe(true);
    const env = deployedEnvironment();
    const tab = ssoSettings(loadConfig(env))!;
    const host = new URL(env.PUBLIC_BASE_URL!).host;
    // What `npm run package` writes as webApplicationInfo with the same TAB_SSO_CLIENT_ID and BOT_DOMAIN=botDomain.
    expect(tab.audiences).toEqual([`api://${host}/${env.TAB_SSO_CLIENT_ID}`, env.TAB_SSO_CLIENT_ID]);
    expect(tab.audiences).not.toContain(env.MicrosoftAppId);
    // Before the registration exists: the parameter's default, an empty setting; the app starts all the same.
    const before = { ...env, TAB_SSO_CLIENT_ID: "" };
    expect(productionProblems(before)).toEqual([]);
    expect(loadConfig(before).TAB_SSO_CLIENT_ID).toBeUndefined();
  });

  it("a misspelt setting is noticed both ways: unknown to the app, and missing", () => {
    const env = deployedEnvironment();
    const known = new Set(environmentNames());
    const misspelt = "MicrosoftAppTenantID";
    expect(known.has(misspelt) || misspelt in PLATFORM_SETTINGS).toBe(false);
    env[misspelt] = env.MicrosoftAppTenantId!;
    delete env.MicrosoftAppTenantId;
    expect(productionProblems(env).join("\n")).toContain("MicrosoftAppTenantId");
  });
});

describe("infra/main.bicep: what the issue asks of the environment", () => {
  it("Cosmos DB for NoSQL in Norway East, keys disabled, continuous backup", () => {
    const cosmos = resource("Microsoft.DocumentDB/databaseAccounts");
    expect(literal(property(cosmos.body, "location"))).toBe("norwayeast");
    const regions = arrayItems(property(cosmos.body, "properties.locations")!).map((l) => literal(property(l, "locationName")));
    expect(regions).toEqual(["norwayeast"]);
    expect(property(cosmos.body, "properties.disableLocalAuth")).toBe("true");
    expect(stringLiteral(property(cosmos.body, "properties.backupPolicy.type"))).toBe("Continuous");
    expect(stringLiteral(property(cosmos.body, "kind"))).toBe("GlobalDocumentDB");
  });

  it("the database and container exist beforehand, named as the settings say, partitioned on /partition", () => {
    const database = resource("Microsoft.DocumentDB/databaseAccounts/sqlDatabases");
    const container = resource("Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers");
    expect(literal(setting("COSMOS_DATABASE"))).toBe(literal(property(database.body, "name")));
    expect(literal(setting("COSMOS_CONTAINER"))).toBe(literal(property(container.body, "name")));
    expect(property(container.body, "parent")).toBe(database.symbol);
    const paths = arrayItems(property(container.body, "properties.resource.partitionKey.paths")!).map((p) => stringLiteral(p));
    expect(paths).toEqual([COSMOS_PARTITION_KEY_PATH]);
    // Keyless the app cannot create them: it must not try.
    expect(literal(setting("COSMOS_CREATE_IF_MISSING"))).toBe("false");
  });

  it("the identity holds Cosmos DB's built-in data contributor role on the account", () => {
    const assignment = resource("Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments");
    const roleId = property(assignment.body, "properties.roleDefinitionId")!;
    expect(roleId.replace(/\$\{(\w+)\}/g, (_, v: string) => literal(v) ?? `\${${v}}`)).toBe("'${cosmos.id}/sqlRoleDefinitions/00000000-0000-0000-0000-000000000002'");
    expect(property(assignment.body, "properties.principalId")).toBe("identity.properties.principalId");
    expect(property(assignment.body, "properties.scope")).toBe("cosmos.id");
  });

  it("the Azure Bot has the Teams channel and no other (no Web Chat, no Direct Line)", () => {
    const channels = RESOURCES.filter((r) => r.type === "Microsoft.BotService/botServices/channels");
    expect(channels.map((c) => stringLiteral(property(c.body, "name")))).toEqual(["MsTeamsChannel"]);
    expect(stringLiteral(property(channels[0]!.body, "properties.channelName"))).toBe("MsTeamsChannel");
    expect(BICEP).not.toMatch(/channelName:\s*'(?!MsTeamsChannel')/);
    const bot = resource("Microsoft.BotService/botServices");
    expect(property(bot.body, "properties.endpoint")).toBe("'https://${hostName}/api/messages'");
  });

  it("the web app: Linux, Node 20, HTTPS only, TLS 1.2, always on, health check on /readyz, the production start", () => {
    const site = (path: string) => property(webApp.body, path);
    expect(site("properties.httpsOnly")).toBe("true");
    expect(stringLiteral(site("properties.siteConfig.healthCheckPath"))).toBe("/readyz");
    expect(site("properties.siteConfig.alwaysOn")).toBe("true");
    expect(stringLiteral(site("properties.siteConfig.minTlsVersion"))).toBe("1.2");
    expect(stringLiteral(site("properties.siteConfig.linuxFxVersion"))).toBe("NODE|20-lts");
    expect(site("properties.clientAffinityEnabled")).toBe("false");
    const start = stringLiteral(site("properties.siteConfig.appCommandLine"));
    // node itself, not `npm run start:prod`: npm's shell would swallow App Service's SIGTERM.
    const scripts = (JSON.parse(read("package.json")) as { scripts: Record<string, string> }).scripts;
    expect(start).toBe(scripts["start:prod"]);
    expect(start).toBe("node dist/main.js");
  });

  it("at least two instances on a Linux plan", () => {
    const plan = resource("Microsoft.Web/serverfarms");
    expect(property(plan.body, "properties.reserved")).toBe("true");
    const capacity = property(plan.body, "sku.capacity")!;
    const param = params(BICEP).find((p) => p.name === capacity);
    const minimum = param ? Number(param.decorators.minValue) : Number(capacity);
    expect(minimum).toBeGreaterThanOrEqual(2);
    if (param) expect(Number(param.defaultText)).toBeGreaterThanOrEqual(2);
  });

  it("Key Vault with RBAC holds the run key; the identity may read that secret", () => {
    const vault = resource("Microsoft.KeyVault/vaults");
    expect(property(vault.body, "properties.enableRbacAuthorization")).toBe("true");
    const secret = resource("Microsoft.KeyVault/vaults/secrets");
    expect(property(secret.body, "properties.value")).toBe("nudgeRunKey");
    expect(params(BICEP).find((p) => p.name === "nudgeRunKey")?.decorators).toHaveProperty("secure");
    const reader = resource("Microsoft.Authorization/roleAssignments");
    expect(property(reader.body, "scope")).toBe(secret.symbol);
    expect(property(reader.body, "properties.principalId")).toBe("identity.properties.principalId");
    // Key Vault Secrets User (built-in).
    const roleArgument = /^subscriptionResourceId\('Microsoft\.Authorization\/roleDefinitions',\s*(.+)\)$/.exec(property(reader.body, "properties.roleDefinitionId")!)?.[1];
    expect(literal(roleArgument)).toBe("4633458b-17de-408a-b874-0445c86b69e6");
  });

  it("Application Insights sends to a Log Analytics workspace, and the app gets its connection string", () => {
    const insights = resource("Microsoft.Insights/components");
    const workspace = resource("Microsoft.OperationalInsights/workspaces");
    expect(property(insights.body, "properties.WorkspaceResourceId")).toBe(`${workspace.symbol}.id`);
    expect(setting("APPLICATIONINSIGHTS_CONNECTION_STRING")).toBe(`${insights.symbol}.properties.ConnectionString`);
  });

  it("the example parameters file sets only declared parameters, every required one, and no secret in clear", () => {
    const declared = params(BICEP);
    const assigned = paramAssignments(BICEPPARAM);
    expect(BICEPPARAM).toMatch(/^using '\.\/main\.bicep'$/m);
    expect([...assigned.keys()].filter((name) => !declared.some((p) => p.name === name))).toEqual([]);
    expect(declared.filter((p) => p.defaultText === undefined && !assigned.has(p.name)).map((p) => p.name)).toEqual([]);
    for (const p of declared.filter((d) => "secure" in d.decorators)) {
      expect(assigned.get(p.name), p.name).toMatch(/^readEnvironmentVariable\(|^getSecret\(/);
    }
  });
});
