/**
 * Teams SSO tokens for the tab's API (issue 12), minted with the local login's key
 * (local-login.ts: its key pair, its JWKS at `/{name}/keys`, its forgeries), as Entra ID issues
 * them to the tab: v2 (audience the app id, issuer …/v2.0) or v1 (audience the app id URI, issuer
 * sts.windows.net), with the person's `oid`, `tid` and `name`.
 */
import type { KeyObject } from "node:crypto";
import { APP_ID, epoch, KID, loginKey, mintToken, type Login } from "./local-login.js";

export { APP_ID };
export const TENANT = "11111111-2222-3333-4444-555555555555";
export const OTHER_TENANT = "99999999-8888-7777-6666-555555555555";
export const PUBLIC_HOST = "samhandling.example.no";
export const APP_ID_URI = `api://${PUBLIC_HOST}/${APP_ID}`;

/** The environment of an installation with a bot identity whose tab lets TENANT in. */
export const TAB_SSO_ENV = {
  MicrosoftAppId: APP_ID,
  MicrosoftAppPassword: "test-secret",
  MicrosoftAppTenantId: TENANT,
  PUBLIC_BASE_URL: `https://${PUBLIC_HOST}`,
} as const;

/** The JWKS the tab checks tokens against: the local login's keys under `name`. */
export const tabJwksUrl = (login: Login, name = "tab") => `${login.url}/${name}/keys`;

export interface TabTokenOptions {
  version?: 1 | 2;
  tenant?: string;
  /** Claims to add or replace (`undefined` removes one). */
  claims?: Record<string, unknown>;
  alg?: "RS256" | "none" | "HS256";
  key?: KeyObject;
  kid?: string;
}

/** A token as Teams' getAuthToken gives the tab for this person (valid for an hour), or forged as asked. */
export function tabToken(oid: string, options: TabTokenOptions = {}): string {
  const tenant = options.tenant ?? TENANT;
  const v1 = options.version === 1;
  const claims: Record<string, unknown> = {
    aud: v1 ? APP_ID_URI : APP_ID,
    iss: v1 ? `https://sts.windows.net/${tenant}/` : `https://login.microsoftonline.com/${tenant}/v2.0`,
    tid: tenant,
    oid,
    name: "Tina Tabbrukar",
    scp: "access_as_user",
    iat: epoch() - 60,
    nbf: epoch() - 60,
    exp: epoch() + 3600,
    ...options.claims,
  };
  for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
  return mintToken({ alg: options.alg ?? "RS256", typ: "JWT", kid: options.kid ?? KID }, claims, options.key ?? loginKey.privateKey);
}
