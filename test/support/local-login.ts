/**
 * A Bot Framework login on 127.0.0.1, for running botbuilder's real token validation with
 * MicrosoftAppId set (issue 11): an OpenID configuration and its JWKS, whose key is endorsed for
 * msteams (as Microsoft's are), and tokens minted with that key — or forged with another, unsigned,
 * or HMAC-signed with the published public key. Used by test/server/auth.http.test.ts and the
 * token fuzzing (test/support/fuzz.ts).
 */
import { ConfigurationServiceClientCredentialFactory } from "botbuilder";
import { createHmac, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { createServer, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export const APP_ID = "00000000-0000-0000-0000-00000000b077";
export const ISSUER = "https://api.botframework.com";
export const KID = "key-1";

export const loginKey = generateKeyPairSync("rsa", { modulusLength: 2048 });
/** Another key pair under the login's key id: a signature the login does not verify. */
export const strangerKey = generateKeyPairSync("rsa", { modulusLength: 2048 });

const b64url = (value: unknown) => Buffer.from(typeof value === "string" ? value : JSON.stringify(value)).toString("base64url");
export const epoch = () => Math.floor(Date.now() / 1000);

export const tokenHeader = () => ({ alg: "RS256", typ: "JWT", kid: KID });
/** The claims Teams puts in the tokens it sends a bot, valid now. */
export const teamsClaims = (serviceUrl: string) => ({ iss: ISSUER, aud: APP_ID, serviceurl: serviceUrl, nbf: epoch() - 60, exp: epoch() + 3600 });

/** A JWT as the login would sign it (RS256 by its key), or by `key`, or unsigned/HMAC when `alg` says so. */
export function mintToken(header: unknown, claims: unknown, key: KeyObject = loginKey.privateKey): string {
  const input = `${b64url(header)}.${b64url(claims)}`;
  const alg = (header as { alg?: unknown } | null)?.alg;
  if (alg === "none") return `${input}.`;
  // The classic confusion: the login's public key, as published, used as an HMAC secret.
  if (alg === "HS256") return `${input}.${createHmac("sha256", loginKey.publicKey.export({ type: "spki", format: "pem" })).update(input).digest("base64url")}`;
  return `${input}.${sign("sha256", Buffer.from(input), key).toString("base64url")}`;
}

/**
 * The login: `/{name}/.well-known/openid-configuration` and `/{name}/keys`. A name in `down`
 * answers 500; in `hung`, never.
 */
export interface Login {
  url: string;
  metadataUrl(name: string): string;
  down: Set<string>;
  hung: Set<string>;
  close(): Promise<void>;
}

export async function startLogin(): Promise<Login> {
  const down = new Set<string>();
  const hung = new Set<string>();
  const held: ServerResponse[] = [];
  const jwk = { ...loginKey.publicKey.export({ format: "jwk" }), kid: KID, use: "sig", endorsements: ["msteams"] };
  let base = "";
  const server: Server = createServer((req, res) => {
    const match = /^\/([^/]+)\/(\.well-known\/openid-configuration|keys)$/.exec(req.url ?? "");
    const name = match?.[1] ?? "";
    if (hung.has(name)) return void held.push(res);
    if (!match || down.has(name)) {
      res.writeHead(match ? 500 : 404, { "content-type": "text/plain" });
      res.end(match ? "upstream outage" : "");
      return;
    }
    res.writeHead(200, { "content-type": "application/json" });
    res.end(
      JSON.stringify(
        match[2] === "keys"
          ? { keys: [jwk] }
          : { issuer: ISSUER, jwks_uri: `${base}/${name}/keys`, id_token_signing_alg_values_supported: ["RS256"], token_endpoint_auth_methods_supported: ["private_key_jwt"] },
      ),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    metadataUrl: (name) => `${base}/${name}/.well-known/openid-configuration`,
    down,
    hung,
    close: () =>
      new Promise((resolve) => {
        held.forEach((res) => res.destroy());
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Replies need a token of their own from Entra ID, out of reach in a test: this factory signs
 * them with a fixed one. Which app ids are valid (the inbound audience check) is botbuilder's own.
 */
export class FixedTokenCredentials extends ConfigurationServiceClientCredentialFactory {
  override async createCredentials() {
    return {
      signRequest: async (request: { headers: { set(name: string, value: string): void } }) => {
        request.headers.set("authorization", "Bearer outgoing-test-token");
        return request;
      },
    } as never;
  }
}
