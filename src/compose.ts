/**
 * Wiring: config → store → settings → app → bot → server. Shared by main.ts and the tests, so
 * that tests run the same assembly the product runs.
 */
import type restify from "restify";
import { createApp, type App } from "./app/app.js";
import { createClock, type Clock } from "./app/clock.js";
import { loadSettings } from "./app/settings.js";
import { createAdapter, type AuthenticationSettings } from "./bot/adapter.js";
import { SamhandlingBot } from "./bot/bot.js";
import { CardCache } from "./cards/card-cache.js";
import { wheelLinkOf } from "./cards/tab-link.js";
import type { Config } from "./config.js";
import { osloDate } from "./domain/calendar.js";
import { installModelTexts } from "./i18n/index.js";
import type { Logger } from "./logger.js";
import { createServer } from "./server/server.js";
import { registerTabRoutes } from "./tab/routes.js";
import { createTabAuth, type TabSsoOptions } from "./tab/sso.js";
import { drainRequests } from "./server/shutdown.js";
import { openSqliteStore } from "./store/sqlite-store.js";
import type { DocumentStore } from "./store/store.js";
import { upgradingStore, type VersionTable } from "./store/migrations.js";
import { traceStore } from "./telemetry/store.js";
import { traceNudges } from "./telemetry/nudges.js";
import { storeReadiness } from "./app/readiness.js";
import { createMessenger } from "./bot/messenger.js";
import { createNudgeRunner, type NudgeRunner } from "./nudges/run.js";
import { startScheduler, type Scheduler } from "./nudges/scheduler.js";
import type { Cadence } from "./domain/nudges.js";

/** How long shutdown waits for nudge cards already on their way. */
const NUDGE_DRAIN_MS = 10_000;
/** How long shutdown waits for turns in flight before it closes their connections (issue 11). */
const TURN_DRAIN_MS = 10_000;

/** What a shutdown did, for its last log line. */
export interface ShutdownReport {
  /** Requests (turns, a nudge trigger) still unanswered at the bound, whose connections were closed. */
  requestsCut: number;
  durationMs: number;
}

export interface Samhandling {
  server: restify.Server;
  app: App;
  store: DocumentStore;
  clock: Clock;
  nudges: NudgeRunner;
  /**
   * Graceful shutdown: stops accepting, lets turns in flight finish (at most 10 s, then closes
   * their connections), stops the scheduler, lets a nudge run finish the cards on their way and
   * release the lease, then closes the store.
   */
  close(): Promise<ShutdownReport>;
}

export async function openStore(config: Config): Promise<DocumentStore> {
  switch (config.STORE) {
    case "sqlite":
      return openSqliteStore(config.SQLITE_PATH);
    case "cosmos":
      if (!config.COSMOS_ENDPOINT) throw new Error("STORE=cosmos needs COSMOS_ENDPOINT");
      // Without COSMOS_KEY the store signs in with Entra ID (DefaultAzureCredential).
      // Loaded only here: @azure/cosmos and @azure/identity take about a third of a second to
      // import, which the embedded store's start-up (goal: under 1.5 s, bench/startup.ts) does without.
      const { openCosmosStore } = await import("./store/cosmos-store.js");
      return openCosmosStore({
        endpoint: config.COSMOS_ENDPOINT,
        ...(config.COSMOS_KEY ? { key: config.COSMOS_KEY } : {}),
        database: config.COSMOS_DATABASE,
        container: config.COSMOS_CONTAINER,
        ...(config.COSMOS_CREATE_IF_MISSING === undefined ? {} : { createIfMissing: config.COSMOS_CREATE_IF_MISSING }),
        preferredRegions: config.COSMOS_PREFERRED_REGIONS,
      });
  }
}

/** The nudge cadence from the configuration (defaults in domain/nudges.ts, DEFAULT_CADENCE). */
export function cadenceOf(config: Config): Cadence {
  return {
    firstNoticeWorkingDays: config.NUDGE_FIRST_NOTICE_DAYS,
    reminderAfterWorkingDays: config.NUDGE_REMINDER_DAYS,
    reportRoundOpenWorkingDays: config.REPORT_ROUND_OPEN_DAYS,
    workingDays: { skipChristmasWeek: config.NUDGE_SKIP_CHRISTMAS_WEEK, skipJulyHoliday: config.NUDGE_SKIP_JULY },
  };
}

export async function compose(
  config: Config,
  logger: Logger,
  options: {
    store?: DocumentStore;
    /** The document versions the app reads (default: DOCUMENT_VERSIONS); tests pass a made-up next version. */
    documentVersions?: VersionTable;
    clock?: Clock;
    nudgeSender?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number; sendTimeoutMs?: number };
    /** Where tokens are checked (tests: a local OpenID configuration); the public cloud's when absent. */
    authentication?: AuthenticationSettings;
    /** Where the tab's SSO tokens are checked (tests: a local JWKS); Entra ID's keys when absent. */
    tabSso?: TabSsoOptions;
  } = {},
): Promise<Samhandling> {
  const clock = options.clock ?? createClock(config.clockNow);
  // Documents of an older version are upgraded as they are read, and refused when newer (src/store/migrations.ts).
  // Each store call a span beneath its turn (src/telemetry: no-ops without an OpenTelemetry SDK).
  const opened = options.store ?? (await openStore(config));
  const store = upgradingStore(traceStore(opened), options.documentVersions);
  const settings = await loadSettings(store, osloDate(clock()));
  // The model file's words for its steps (MODEL_PATH), for every card and the tab; none for the built-in model.
  installModelTexts(config.model.steps);
  const app = createApp({
    store,
    model: config.model,
    settings,
    clock,
    people: { adminIds: config.ADMIN_AAD_IDS },
    nationalCacheMs: config.NATIONAL_CACHE_SECONDS * 1000,
    reportRoundOpenWorkingDays: config.REPORT_ROUND_OPEN_DAYS,
    workingDays: cadenceOf(config).workingDays,
    reportLinks: {
      minutes: config.REPORT_LINK_MINUTES,
      ...(config.PUBLIC_BASE_URL ? { baseUrl: config.PUBLIC_BASE_URL } : {}),
      ...(config.REPORT_LINK_SECRET ? { secret: config.REPORT_LINK_SECRET } : {}),
    },
  });
  // The apology after a failed turn speaks the language the person chose (`språk`), as the bot does.
  const adapter = createAdapter(config, logger, {
    languageOf: async (context) => {
      const id = context.activity.from?.aadObjectId;
      return id ? app.people.language(id) : undefined;
    },
    ...(options.authentication ? { authentication: options.authentication } : {}),
  });
  // The status card's «Åpne årshjulet»: a Teams deep link to the tab, or the page itself in local mode (issue 12).
  const wheel = wheelLinkOf({ microsoftAppId: config.MicrosoftAppId, teamsAppId: config.TEAMS_APP_ID, publicBaseUrl: config.PUBLIC_BASE_URL, port: config.PORT });
  const bot = new SamhandlingBot(app, new CardCache(config.CARD_CACHE_SIZE), logger, undefined, wheel);
  const nudges = traceNudges(createNudgeRunner({
    app,
    store,
    messenger: createMessenger(adapter, config.MicrosoftAppId ?? ""),
    logger,
    options: {
      cadence: cadenceOf(config),
      ratePerSecond: config.NUDGE_RATE_PER_SECOND,
      leaseMs: config.NUDGE_LEASE_SECONDS * 1000,
      ...(options.nudgeSender ? { sender: options.nudgeSender } : {}),
    },
  }));
  // Someone the bot can reach for the first time gets what waited for them the same day, not
  // with tomorrow's run; in the background, so that their turn is answered first.
  bot.onReachable = (who) => {
    nudges.reachable(who).catch((error: unknown) => logger.error({ err: error }, "could not send the nudges kept for someone who just became reachable; the next run sends them"));
  };
  const server = createServer({
    adapter,
    bot,
    logger,
    health: () => ({ store: store.kind, now: clock().toISO(), model: config.model.id }),
    // Readiness asks the store as opened: the probes stay out of the telemetry.
    ready: storeReadiness(opened),
    runNudges: () => nudges.run(),
    downloadReport: (query) => app.exports.download(query),
    ...(config.NUDGE_RUN_KEY ? { nudgeRunKey: config.NUDGE_RUN_KEY } : {}),
    // The årshjul tab (issue 12): its page, bundle and API, on the same server and use cases.
    registerRoutes: (s) => registerTabRoutes(s, { app, auth: createTabAuth(config, logger, options.tabSso), logger }),
  });
  const requests = drainRequests(server);
  const scheduler: Scheduler | undefined = config.NUDGE_SCHEDULER === "on" ? startScheduler({ runner: nudges, clock, nudgeTime: config.NUDGE_TIME, logger, workingDays: cadenceOf(config).workingDays, leaseMs: config.NUDGE_LEASE_SECONDS * 1000 }) : undefined;
  return {
    server,
    app,
    store,
    clock,
    nudges,
    async close() {
      const started = Date.now();
      scheduler?.stop();
      // Side by side, so the bounds do not add up: the server stops accepting and waits for the
      // turns in flight (a nudge trigger among them, which ends once its run stops claiming); a run
      // under way stops claiming, finishes the cards on their way and lets go of the lease. The
      // store stays open until both are done, as those turns and cards still write to it.
      const [stopped] = await Promise.all([server.server.listening ? requests.stop(TURN_DRAIN_MS) : undefined, nudges.drain(NUDGE_DRAIN_MS)]);
      await store.close();
      return { requestsCut: stopped?.cut ?? 0, durationMs: Date.now() - started };
    },
  };
}
