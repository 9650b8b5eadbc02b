/**
 * The Bot Framework adapter: CloudAdapter with botbuilder's own environment names. An empty
 * MicrosoftAppId is local mode (Agents Playground, tests) without authentication; with an app
 * id every incoming request's JWT is validated by botbuilder before the turn runs (`handle`).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { ActivityTypes, CloudAdapter, ConfigurationBotFrameworkAuthentication, INVOKE_RESPONSE_KEY, type Activity, type TurnContext } from "botbuilder";
import { validateAndFixActivity } from "botbuilder/lib/activityValidator.js";
import type { Config } from "../config.js";
import type { Lang } from "../domain/calendar.js";
import { langFromLocale, translator } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import { failureMessageKey } from "./failure.js";
import { turnFailed } from "../telemetry/turns.js";

export interface AdapterOptions {
  /**
   * The language the person chose (`språk`), for the apology after a failed message turn;
   * undefined → their Teams locale. Given by the composition (compose.ts): the adapter has no app.
   */
  languageOf?: (context: TurnContext) => Promise<Lang | undefined>;
  /** Where tokens are checked against (default: the public cloud's Bot Framework); tests point it at a local server. */
  authentication?: AuthenticationSettings;
}

/**
 * botbuilder's authentication configuration, for a login other than the public cloud's. With
 * `openIdMetadataUrl` set, botbuilder takes every endpoint from here (it then uses no defaults),
 * so the rest are filled with the public cloud's values (botbuilder's AuthenticationConstants).
 */
export interface AuthenticationSettings {
  /** OpenID configuration whose JWKS signs the channel's tokens (botbuilder's ToBotFromChannelOpenIdMetadataUrl). */
  openIdMetadataUrl?: string;
  /** The `iss` the channel's tokens carry (ToBotFromChannelTokenIssuer). */
  tokenIssuer?: string;
  /** How replies get their own token (default: MicrosoftAppPassword against Entra ID); a test signs them with a fixed one. */
  credentialsFactory?: ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1];
  /** Longest wait for the token check (it may fetch the login metadata) before the request is answered 503. */
  timeoutMs?: number;
}

/** The public cloud's endpoints (botbuilder's AuthenticationConstants), for when the metadata URL is given. */
const PUBLIC_CLOUD = {
  ToChannelFromBotLoginUrl: "https://login.microsoftonline.com/botframework.com",
  ToChannelFromBotOAuthScope: "https://api.botframework.com",
  ToBotFromChannelTokenIssuer: "https://api.botframework.com",
  OAuthUrl: "https://api.botframework.com",
  CallerId: "urn:botframework:azure",
} as const;

/** Teams waits about 15 s for an answer: a 503 within that lets it (or its retry) try again. */
const TOKEN_CHECK_TIMEOUT_MS = 10_000;

/** What the bot endpoint makes of one request; the server turns it into the HTTP answer. */
export type RequestOutcome =
  /** The turn ran; an invoke's answer is in `body`. */
  | { kind: "answered"; status: number; body?: unknown }
  /** The token was refused (401), or could not be checked now (503: the login metadata is unreachable). The turn did not run. */
  | { kind: "refused"; status: 401 | 503; reason: string };

/**
 * CloudAdapter with the token check apart from the turn. CloudAdapter.process answers a failed
 * check with 500 and the error's text unless botbuilder threw its own AuthenticationError (a
 * wrong signature or a metadata outage does not), and prints the error on stderr; `handle`
 * refuses with 401 or 503 instead and leaves the wording and the log to the server.
 */
export class SamhandlingAdapter extends CloudAdapter {
  constructor(
    authentication: ConfigurationBotFrameworkAuthentication,
    private readonly tokenCheckTimeoutMs: number,
  ) {
    super(authentication);
  }

  /** One request to /api/messages (`body` already checked by the server): the token, then the turn. */
  async handle(body: Record<string, unknown>, authorization: string | undefined, logic: (context: TurnContext) => Promise<void>): Promise<RequestOutcome> {
    const activity = validateAndFixActivity(body as Partial<Activity> as Activity);
    let authenticated;
    try {
      authenticated = await withTimeout(
        quietly(() => this.botFrameworkAuthentication.authenticateRequest(activity, authorization ?? "")),
        this.tokenCheckTimeoutMs,
      );
    } catch (error) {
      return { kind: "refused", status: tokenFailureStatus(error), reason: describeFailure(error) };
    }
    const invokeResponse = await this.processActivity(authenticated, activity, logic);
    return { kind: "answered", status: invokeResponse?.status ?? 200, ...(invokeResponse?.body === undefined ? {} : { body: invokeResponse.body }) };
  }
}

class TokenCheckTimeout extends Error {
  override readonly name = "TokenCheckTimeout";
}

/**
 * 503 when the check could not be made: the metadata or its keys did not load (botbuilder's
 * AuthenticationError with a 5xx status, node-fetch's FetchError for a refused connection or a
 * body that is not JSON) or took too long. Anything else is about the token, and refused: a
 * request should not get a 5xx for what it sent (jsonwebtoken's errors for a bad signature,
 * `alg: none`, HS256, expiry; botbuilder's 401s for issuer, audience, serviceUrl, header).
 */
export function tokenFailureStatus(error: unknown): 401 | 503 {
  const e = error as { name?: unknown; statusCode?: unknown } | null;
  if (error instanceof TokenCheckTimeout) return 503;
  if (typeof e?.statusCode === "number" && e.statusCode >= 500) return 503;
  if (e?.name === "FetchError") return 503;
  return 401;
}

/** The failure for the log, one line: the error's kind and botbuilder's or jsonwebtoken's words, shortened (they may quote the token's claims). */
function describeFailure(error: unknown): string {
  const e = error as { name?: unknown; message?: unknown } | null;
  const text = `${typeof e?.name === "string" ? e.name : typeof error}: ${typeof e?.message === "string" ? e.message : String(error)}`;
  return text.replace(/\s+/g, " ").slice(0, 300);
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TokenCheckTimeout(`no answer from the login metadata within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * botbuilder's token check writes to console.error when it refuses a token (the stack of an
 * expired token's error, the signing key of a bad signature). The server logs each refusal once,
 * structured; inside a check those prints are dropped. Elsewhere console.error is untouched.
 */
const checkingToken = new AsyncLocalStorage<true>();
let consoleGuarded = false;
function quietly<T>(check: () => Promise<T>): Promise<T> {
  if (!consoleGuarded) {
    consoleGuarded = true;
    const print = console.error;
    console.error = (...args: unknown[]) => {
      if (!checkingToken.getStore()) print.apply(console, args);
    };
  }
  return checkingToken.run(true, check);
}

export function createAdapter(config: Config, logger: Logger, options: AdapterOptions = {}): SamhandlingAdapter {
  const settings = options.authentication ?? {};
  const auth = new ConfigurationBotFrameworkAuthentication(
    {
      MicrosoftAppId: config.MicrosoftAppId ?? "",
      MicrosoftAppPassword: config.MicrosoftAppPassword ?? "",
      MicrosoftAppType: config.MicrosoftAppType,
      MicrosoftAppTenantId: config.MicrosoftAppTenantId ?? "",
      ...(settings.openIdMetadataUrl
        ? {
            ...PUBLIC_CLOUD,
            ...(settings.tokenIssuer ? { ToBotFromChannelTokenIssuer: settings.tokenIssuer } : {}),
            ToBotFromChannelOpenIdMetadataUrl: settings.openIdMetadataUrl,
            // Emulator-shaped tokens are checked against the same keys: none of them reach the internet in a test.
            ToBotFromEmulatorOpenIdMetadataUrl: settings.openIdMetadataUrl,
            ValidateAuthority: true,
          }
        : {}),
    },
    settings.credentialsFactory,
  );
  const adapter = new SamhandlingAdapter(auth, settings.timeoutMs ?? TOKEN_CHECK_TIMEOUT_MS);
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    const activity = context.activity;
    turnFailed(error);
    logger.error(
      { err: error, code: (error as { code?: string }).code, activityId: activity.id, conversationId: activity.conversation?.id, type: activity.type },
      "turn failed",
    );
    // An invoke is answered in its HTTP response, never by a message: a message would reach the
    // whole chat or channel for one person's click. Card actions answer their own failures with
    // a card (bot.ts); any other invoke that fails gets a bare 500 rather than botbuilder's 501
    // ("not implemented"), unless the handler had answered already.
    if (activity.type === ActivityTypes.Invoke) {
      if (!context.turnState.get(INVOKE_RESPONSE_KEY)) {
        await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 500 } });
      }
      return;
    }
    // The person gets a short apology in their language ("try again in a moment" when the store
    // is unavailable: the bot recovers by itself once it is back); details stay in the log. If even that
    // cannot be delivered (the connector is unreachable), the log is all that can be done.
    try {
      const lang = (await chosenLanguage(context)) ?? langFromLocale(activity.locale);
      await context.sendActivity(translator(lang)(failureMessageKey(error)));
    } catch (sendError) {
      logger.error({ err: sendError, conversationId: activity.conversation?.id }, "could not deliver the apology either");
    }
  };
  /** The failure may be the store itself, which the language is read from: then the locale it is. */
  async function chosenLanguage(context: TurnContext): Promise<Lang | undefined> {
    try {
      return await options.languageOf?.(context);
    } catch {
      return undefined;
    }
  }
  return adapter;
}
