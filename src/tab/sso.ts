/**
 * Who is asking the tab's API. With a bot identity (`MicrosoftAppId`) every request carries a
 * Teams SSO token (`authentication.getAuthToken` in the page): an Entra ID access token for the
 * app's own API (the app registration `TAB_SSO_CLIENT_ID`, else the bot's), checked here with `jose` against Entra ID's published keys — the signature
 * (RS256 only: `alg: none` and an HMAC "signed" with the public key are refused before any key is
 * looked up), the audience (the app id URI for v1 tokens, the bare app id for v2), the issuer and
 * the `tid` claim (one of the allowed tenants), the expiry, the scope (`scp` has `access_as_user`:
 * a person's token, not an app's), and an `oid` (the person's Entra object id: the identity,
 * nothing else is). Without a bot identity (local mode, loopback only) there is no token: the
 * person is the Agents Playground's default user, or the one the page names.
 */
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import type { Config } from "../config.js";
import type { Logger } from "../logger.js";

/** Microsoft's signing keys for Entra ID tokens, every tenant's. */
export const ENTRA_JWKS_URL = "https://login.microsoftonline.com/common/discovery/v2.0/keys";

/** The Agents Playground's default user ("Alex Wilber"): who local mode is unless the page says otherwise. */
export const LOCAL_DEFAULT_USER = { id: "00000000-0000-0000-0000-0000000000020", name: "Alex Wilber" } as const;

/** The header through which the page names the local user (`?user=` in its address); ignored with a bot identity. */
export const LOCAL_USER_HEADER = "x-samhandling-local-user";

/**
 * An Entra object id: a GUID. The last group may have 13 digits: the Playground's default user has
 * one (`…-0000000000020`), and local mode must accept who the Playground is.
 */
const LOCAL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12,13}$/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How long a caller waits before asking again when the keys could not be fetched (503). */
export const KEYS_RETRY_AFTER_SECONDS = 30;
/**
 * After a failed fetch of the keys, how long no request fetches them again. jose's own cooldown
 * (30 s) counts only from a successful fetch: without this, while Entra ID's endpoint fails (or
 * throttles us with 429) every request would ask it again.
 */
const KEYS_QUIET_MS = 10_000;
/**
 * The delegated scope the app registration exposes for the tab (docs/tab.md, «Expose an API»). An
 * app-only token for the app's API (client credentials: any service principal in an allowed tenant
 * can get one, without any permission) has no `scp` and is no person: refused.
 */
export const TAB_SSO_SCOPE = "access_as_user";
/** Tokens a little past their expiry (clocks drift between Entra ID and this host) still count. */
const CLOCK_TOLERANCE_SECONDS = 60;

/** Where the keys are fetched (tests: a local JWKS) and how long that may take. */
export interface TabSsoOptions {
  jwksUrl?: string;
  /** Longest wait for the keys before the request is answered 503 (jose's default: 5 s). */
  timeoutMs?: number;
}

export interface TabPerson {
  /** Entra object id (lower case). */
  id: string;
  /** Display name from the token (`name`, else `preferred_username`); may be empty. */
  name: string;
}

/** Why a request was not let in; the routes word it for people. */
export type TabRefusalCode =
  | "LOCAL_USER_INVALID"
  | "TOKEN_MISSING"
  | "TOKEN_EXPIRED"
  | "TOKEN_INVALID"
  | "TOKEN_SIGNATURE"
  | "TOKEN_ALGORITHM"
  | "TOKEN_AUDIENCE"
  | "TOKEN_ISSUER"
  | "TOKEN_TENANT"
  | "TOKEN_SCOPE"
  | "AUTH_UNAVAILABLE"
  | "TAB_SSO_NOT_CONFIGURED";

export type TabAuthResult =
  | { kind: "person"; person: TabPerson }
  | { kind: "refused"; status: 400 | 401 | 503; code: TabRefusalCode; retryAfterSeconds?: number };

export interface TabAuth {
  /** No bot identity: no sign-in (the page shows its «local mode» banner). */
  readonly localMode: boolean;
  /** The person behind a request, from its headers, or why not. */
  authenticate(headers: Record<string, string | string[] | undefined>): Promise<TabAuthResult>;
}

/** What the token check needs of the configuration: the app id, its URI and the tenants let in. */
export interface TabSsoSettings {
  /** The client id of the app registration the tab's tokens are for: TAB_SSO_CLIENT_ID, else MicrosoftAppId. */
  appId: string;
  audiences: string[];
  tenants: string[];
  issuers: string[];
}

/**
 * The audiences and issuers the tab's tokens may have. The tokens are for the app registration
 * `TAB_SSO_CLIENT_ID` when set (the tab's own: a bot that is a managed identity cannot expose an
 * API), else the bot's, `MicrosoftAppId`; only that one registration's tokens are let in. Its app id
 * URI is `TAB_SSO_APP_ID_URI`, else `api://<PUBLIC_BASE_URL's host>/<that client id>` (what Teams'
 * SSO requires the URI to be); without either only v2 tokens (audience: the client id) are
 * accepted. Tenants: `TAB_ALLOWED_TENANTS`, else `MicrosoftAppTenantId`; none is a configuration
 * error (every request is refused). Without `MicrosoftAppId` there is no sign-in at all (local mode).
 */
export function ssoSettings(config: Config): TabSsoSettings | undefined {
  if (!config.MicrosoftAppId) return undefined;
  const clientId = config.TAB_SSO_CLIENT_ID ?? config.MicrosoftAppId;
  const uri = config.TAB_SSO_APP_ID_URI ?? (config.PUBLIC_BASE_URL ? `api://${new URL(config.PUBLIC_BASE_URL).host}/${clientId}` : undefined);
  const tenants = config.TAB_ALLOWED_TENANTS.length > 0 ? config.TAB_ALLOWED_TENANTS : config.MicrosoftAppTenantId ? [config.MicrosoftAppTenantId.toLowerCase()] : [];
  return {
    appId: clientId,
    audiences: [...(uri ? [uri] : []), clientId],
    tenants,
    // v2 tokens, then v1 tokens (Teams' getAuthToken gives whichever the app registration asks for).
    issuers: tenants.flatMap((tid) => [`https://login.microsoftonline.com/${tid}/v2.0`, `https://sts.windows.net/${tid}/`]),
  };
}

export function createTabAuth(config: Config, logger: Logger, options: TabSsoOptions = {}): TabAuth {
  const settings = ssoSettings(config);
  if (!settings) return { localMode: true, authenticate: async (headers) => localPerson(headers) };
  if (settings.tenants.length === 0) {
    // Said once at start; every request is then refused with the same reason (TAB_SSO_NOT_CONFIGURED).
    logger.warn("the tab's API refuses every request: no tenant is allowed to sign in; set MicrosoftAppTenantId or TAB_ALLOWED_TENANTS");
  }
  const remote = createRemoteJWKSet(new URL(options.jwksUrl ?? ENTRA_JWKS_URL), options.timeoutMs !== undefined ? { timeoutDuration: options.timeoutMs } : {});
  // A failure to get the keys is told apart from a token that does not verify where it happens:
  // anything the key lookup throws, except "no such key" (a token signed by someone else), is an outage.
  let quietUntil = 0;
  const keys: JWTVerifyGetKey = async (header, token) => {
    if (Date.now() < quietUntil) {
      // The last fetch failed a moment ago: answer from the keys still held, never fetch again yet
      // (jose would, for no keys held or for a key id it does not know).
      const held = remote.fresh ? remote.jwks() : undefined;
      if (!held) throw new KeysUnavailable(new Error("the last fetch of the signing keys failed a moment ago"));
      if (!held.keys.some((k) => k.kid === header.kid)) throw new errors.JWKSNoMatchingKey();
    }
    try {
      return await remote(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      quietUntil = Date.now() + KEYS_QUIET_MS;
      throw new KeysUnavailable(error);
    }
  };
  return {
    localMode: false,
    async authenticate(headers) {
      if (settings.tenants.length === 0) return { kind: "refused", status: 503, code: "TAB_SSO_NOT_CONFIGURED" };
      const token = bearer(headers.authorization);
      if (!token) return { kind: "refused", status: 401, code: "TOKEN_MISSING" };
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          algorithms: ["RS256"],
          audience: settings.audiences,
          issuer: settings.issuers,
          requiredClaims: ["exp", "tid", "oid"],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
        }));
      } catch (error) {
        const refusal = classify(error);
        // One line, nothing of the token: the code says which check failed.
        if (refusal.status === 503) logger.error({ err: error, code: refusal.code }, "tab token not checked: the signing keys are unreachable");
        else logger.warn({ code: refusal.code, reason: (error as Error).message }, "tab token refused");
        return refusal;
      }
      // The issuer names the tenant already; the claim is checked too, as Microsoft advises for multi-tenant apps.
      const claimed = (): TabRefusalCode | undefined => {
        if (typeof payload.tid !== "string" || !settings.tenants.includes(payload.tid.toLowerCase())) return "TOKEN_TENANT";
        if (typeof payload.scp !== "string" || !payload.scp.split(" ").includes(TAB_SSO_SCOPE)) return "TOKEN_SCOPE";
        if (typeof payload.oid !== "string" || !GUID.test(payload.oid)) return "TOKEN_INVALID";
        return undefined;
      };
      const refused = claimed();
      if (refused) {
        logger.warn({ code: refused }, "tab token refused");
        return { kind: "refused", status: 401, code: refused };
      }
      const oid = payload.oid as string;
      const name = typeof payload.name === "string" ? payload.name : typeof payload.preferred_username === "string" ? payload.preferred_username : "";
      return { kind: "person", person: { id: oid.toLowerCase(), name: name.slice(0, 256) } };
    },
  };
}

/** Local mode: the page's `?user=` (sent in a header), else the Playground's default user. */
function localPerson(headers: Record<string, string | string[] | undefined>): TabAuthResult {
  const named = headers[LOCAL_USER_HEADER];
  if (named === undefined) return { kind: "person", person: { ...LOCAL_DEFAULT_USER } };
  if (typeof named !== "string" || !LOCAL_ID.test(named.trim())) return { kind: "refused", status: 400, code: "LOCAL_USER_INVALID" };
  const id = named.trim().toLowerCase();
  return { kind: "person", person: { id, name: id === LOCAL_DEFAULT_USER.id ? LOCAL_DEFAULT_USER.name : "" } };
}

function bearer(header: string | string[] | undefined): string | undefined {
  if (typeof header !== "string") return undefined;
  const match = /^bearer +(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/** The signing keys could not be had (timeout, no connection, an answer that is not a key set). */
class KeysUnavailable extends Error {
  constructor(cause: unknown) {
    super("the signing keys could not be fetched", { cause });
    this.name = "KeysUnavailable";
  }
}

/**
 * A failed check: the keys' fault (503: Entra ID's key endpoint timed out, answered other than 200
 * or could not be reached — the same token may pass a moment later) or the token's (401, each check
 * its code). The algorithm is checked before any key is fetched, so a forged `alg` is a 401 even
 * while the keys are unreachable.
 */
function classify(error: unknown): Extract<TabAuthResult, { kind: "refused" }> {
  const refused = (code: TabRefusalCode) => ({ kind: "refused" as const, status: 401 as const, code });
  if (error instanceof KeysUnavailable) return { kind: "refused", status: 503, code: "AUTH_UNAVAILABLE", retryAfterSeconds: KEYS_RETRY_AFTER_SECONDS };
  if (error instanceof errors.JWTExpired) return refused("TOKEN_EXPIRED");
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === "aud") return refused("TOKEN_AUDIENCE");
    if (error.claim === "iss") return refused("TOKEN_ISSUER");
    return refused("TOKEN_INVALID");
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return refused("TOKEN_ALGORITHM");
  // A bad signature, or no published key under the token's key id: signed by someone else.
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) return refused("TOKEN_SIGNATURE");
  // Anything else is the token's: not a JWT, claims of the wrong type, an unsupported header.
  return refused("TOKEN_INVALID");
}
