/**
 * Configuration: zod over process.env, once, into one frozen object. Every problem is listed
 * at once, naming the variable, so a misconfigured deployment is fixed in one go.
 */
import { DateTime } from "luxon";
import { z } from "zod";
import { DEFAULT_ROUND_OPEN_WORKING_DAYS } from "./domain/reports.js";
import { DEFAULT_REPORT_LINK_MINUTES } from "./exports/links.js";
import { MODEL_2017, type ProcessModel } from "./domain/process.js";
import { loadModelFile, ModelFileError } from "./model-file.js";

/** A CLOCK_NOW without an offset means Oslo time, whatever the server's zone. */
const OSLO_DEFAULT = { zone: "Europe/Oslo", setZone: true } as const;

const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

/** "true"/"false"/"1"/"0" (empty = the default). */
const booleanText = optionalText.pipe(
  z
    .enum(["true", "false", "1", "0"], { error: 'expected "true", "false", "1" or "0"' })
    .transform((v) => v === "true" || v === "1")
    .optional(),
);

const EnvSchema = z.object({
  /** The listen address; unset: all interfaces with MicrosoftAppId, 127.0.0.1 without (local mode; see `loadConfig`). */
  HOST: optionalText,
  PORT: z.coerce.number().int().min(0).max(65535).default(3978),
  STORE: z.enum(["sqlite", "cosmos"]).default("sqlite"),
  SQLITE_PATH: z.string().min(1).default("./data/samhandling.db"),
  COSMOS_ENDPOINT: optionalText,
  COSMOS_KEY: optionalText,
  COSMOS_DATABASE: z.string().min(1).default("samhandling"),
  COSMOS_CONTAINER: z.string().min(1).default("process"),
  /** Create the database and container when missing; unset: yes with COSMOS_KEY, no keyless (data-plane RBAC cannot create them). */
  COSMOS_CREATE_IF_MISSING: booleanText,
  /** Azure regions to read from first, e.g. "Norway East" (Norwegian public-sector data). */
  COSMOS_PREFERRED_REGIONS: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean)),
  MicrosoftAppId: optionalText,
  MicrosoftAppPassword: optionalText,
  MicrosoftAppType: z.enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"]).default("MultiTenant"),
  MicrosoftAppTenantId: optionalText,
  /**
   * The client id of the tab's own Entra app registration, when the tab's SSO is not the bot's
   * registration: a bot running as a managed identity (MicrosoftAppType=UserAssignedMSI, the Bicep
   * template) cannot expose an API, so Teams can get no token for it. Unset: MicrosoftAppId.
   */
  TAB_SSO_CLIENT_ID: optionalText.pipe(
    z
      .string()
      .regex(/^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/, "expected the client id (a GUID) of the tab's Entra app registration, e.g. 5d2c1b0a-9e8f-4a7b-8c6d-5e4f3a2b1c0d")
      .transform((v) => v.toLowerCase())
      .optional(),
  ),
  /** The tab's SSO audience (the app id URI exposed in Entra ID); unset: api://<PUBLIC_BASE_URL's host>/<TAB_SSO_CLIENT_ID, else MicrosoftAppId>. */
  TAB_SSO_APP_ID_URI: optionalText.pipe(z.string().regex(/^api:\/\/\S+$/, "expected the app id URI, e.g. api://samhandling.example.no/<TAB_SSO_CLIENT_ID or MicrosoftAppId>").optional()),
  /** Entra tenants (comma-separated ids) whose people may use the tab; unset: MicrosoftAppTenantId alone. */
  TAB_ALLOWED_TENANTS: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((s) => s.trim().toLowerCase()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "expected Entra tenant ids (GUIDs), comma-separated"))),
  /** The app's id in the Teams catalogue (the manifest id, a GUID), for deep links to the tab; unset: MicrosoftAppId, as `npm run package` fills it. */
  TEAMS_APP_ID: optionalText.pipe(
    z
      .string()
      .regex(/^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/, "expected a GUID like 00000000-0000-0000-0000-000000000000 (the manifest id)")
      .optional(),
  ),
  ADMIN_AAD_IDS: z
    .string()
    .default("")
    .transform((v) => v.split(",").map((s) => s.trim()).filter(Boolean)),
  CLOCK_NOW: optionalText.pipe(
    z
      .string()
      .refine((v) => DateTime.fromISO(v, OSLO_DEFAULT).isValid, "expected an ISO 8601 instant, e.g. 2027-03-17T09:00:00+01:00")
      .optional(),
  ),
  NUDGE_TIME: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "expected HH:MM (24 h, Europe/Oslo)").default("09:00"),
  NUDGE_RUN_KEY: optionalText,
  /** The in-process scheduler; "off" where an external timer calls POST /api/nudges/run instead. */
  NUDGE_SCHEDULER: z.enum(["on", "off"], { error: 'expected "on" or "off"' }).default("on"),
  /** Nudge cards per second for the whole bot (Teams allows bursts above this, not sustained). */
  NUDGE_RATE_PER_SECOND: z.coerce.number().min(0.1).max(1000).default(50),
  /** Working days before a deadline when the first notice comes (or when the step opens, if later). */
  NUDGE_FIRST_NOTICE_DAYS: z.coerce.number().int().min(0).max(120).default(15),
  /** Working days after the first notice when the reminder comes. */
  NUDGE_REMINDER_DAYS: z.coerce.number().int().min(1).max(120).default(10),
  /** No nudges 24–31 December / in the July holiday (ISO weeks 28–30). */
  NUDGE_SKIP_CHRISTMAS_WEEK: booleanText.transform((v) => v ?? true),
  NUDGE_SKIP_JULY: booleanText.transform((v) => v ?? true),
  /** How long a nudge run's lease (and its claims on digests) holds without renewal. */
  NUDGE_LEASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Working days before the regional meeting a follow-up report round opens (§3.1, §3.2; issue 10). */
  REPORT_ROUND_OPEN_DAYS: z.coerce.number().int().min(1).max(120).default(DEFAULT_ROUND_OPEN_WORKING_DAYS),
  /** How long each instance keeps the national track's documents (a change on another instance shows within this). */
  NATIONAL_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(30),
  /** Rendered cards kept for reuse (by view version and language); 0 renders every card afresh. */
  CARD_CACHE_SIZE: z.coerce.number().int().min(0).max(100_000).default(500),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** The app's public https address (the bot endpoint's host), for the report download links; unset: no links, the Teams file card still works. */
  PUBLIC_BASE_URL: optionalText.pipe(z.url({ protocol: /^https?$/, error: "expected the app's public address, e.g. https://samhandling.example.no" }).optional()),
  /** How long a report download link works. */
  REPORT_LINK_MINUTES: z.coerce.number().int().min(1).max(24 * 60).default(DEFAULT_REPORT_LINK_MINUTES),
  /** The key that signs the download links (at least 32 characters); unset: made once and kept in the store. */
  REPORT_LINK_SECRET: optionalText.pipe(z.string().min(32, "expected at least 32 characters").optional()),
  /**
   * Application Insights (issue 13): traces, metrics and log correlation through OpenTelemetry
   * (src/telemetry). Unset: no telemetry at all, and its SDK is not even loaded.
   */
  APPLICATIONINSIGHTS_CONNECTION_STRING: optionalText.pipe(
    z
      .string()
      .regex(
        /(?:^|;)\s*InstrumentationKey=[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\s*(?:;|$)/i,
        "expected an Application Insights connection string, e.g. InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://norwayeast-0.in.applicationinsights.azure.com/ (Azure portal: Application Insights → Overview → Connection String)",
      )
      .optional(),
  ),
  /** The annual wheel as a file (JSON or YAML, e.g. models/2017.yaml adapted; README "Tilpasse årshjulet"); unset: the built-in 2017 model. */
  MODEL_PATH: optionalText,
});

export type Config = Readonly<Omit<z.infer<typeof EnvSchema>, "HOST"> & { HOST: string }> & {
  readonly clockNow?: DateTime;
  /** The process model: MODEL_PATH's, checked at start, or the built-in 2017 model. */
  readonly model: ProcessModel;
};

export class ConfigError extends Error {
  readonly code = "CONFIG_INVALID";
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join(".") || "environment"}: ${i.message}`));
  }
  const c = parsed.data;
  const problems: string[] = [];
  if (c.MicrosoftAppId && !c.MicrosoftAppPassword && c.MicrosoftAppType !== "UserAssignedMSI")
    problems.push("MicrosoftAppPassword: required when MicrosoftAppId is set (or use MicrosoftAppType=UserAssignedMSI)");
  if (c.MicrosoftAppType === "SingleTenant" && !c.MicrosoftAppTenantId) problems.push("MicrosoftAppTenantId: required when MicrosoftAppType=SingleTenant");
  // botbuilder asserts these for a managed identity when the adapter is built: said here, with the rest, instead of a crash.
  if (c.MicrosoftAppType === "UserAssignedMSI") {
    if (!c.MicrosoftAppId) problems.push("MicrosoftAppId: required when MicrosoftAppType=UserAssignedMSI (the managed identity's client id)");
    if (!c.MicrosoftAppTenantId) problems.push("MicrosoftAppTenantId: required when MicrosoftAppType=UserAssignedMSI (the identity's tenant)");
    if (c.MicrosoftAppPassword) problems.push("MicrosoftAppPassword: must be empty when MicrosoftAppType=UserAssignedMSI (the managed identity has no secret)");
  }
  if (c.STORE === "cosmos" && !c.COSMOS_ENDPOINT) problems.push("COSMOS_ENDPOINT: required when STORE=cosmos");
  // A model file with mistakes stops the start, every mistake named, rather than a wheel half right.
  let model: ProcessModel = MODEL_2017;
  if (c.MODEL_PATH) {
    try {
      model = loadModelFile(c.MODEL_PATH);
    } catch (error) {
      if (!(error instanceof ModelFileError)) throw error;
      problems.push(...error.problems.map((p) => `MODEL_PATH (${c.MODEL_PATH}): ${p}`));
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  // Local mode has no authentication: anyone who reaches the port could talk to the bot as anyone,
  // so without an app id it listens on loopback only, unless HOST says otherwise (issue 11).
  const HOST = c.HOST ?? (c.MicrosoftAppId ? "0.0.0.0" : "127.0.0.1");
  return Object.freeze({ ...c, HOST, model, ...(c.CLOCK_NOW ? { clockNow: DateTime.fromISO(c.CLOCK_NOW, OSLO_DEFAULT) } : {}) });
}
