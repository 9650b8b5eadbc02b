/**
 * Signed, short-lived download links for one round's papers (issue 10: "a short-lived download
 * link served by the app. The link is signed, expires, covers one region and round, and answers
 * 403 when expired or tampered with").
 *
 * The signature is HMAC-SHA256 over everything the link decides — region, year, round, format,
 * language and expiry — so changing any of them (another region, another round, a later expiry)
 * makes it invalid. It is checked over the query's own text before anything is parsed, so a
 * tampered link is refused as tampered, whatever it was changed to. Pure apart from the hash.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Lang } from "../domain/calendar.js";
import type { Round } from "../domain/process.js";
import type { ExportFormat } from "./paper.js";

/** How long a download link works unless configured (REPORT_LINK_MINUTES): long enough to click, short enough that a forwarded link soon stops working. */
export const DEFAULT_REPORT_LINK_MINUTES = 15;

export interface LinkClaims {
  regionId: string;
  year: number;
  round: Round;
  format: ExportFormat;
  lang: Lang;
  /** Unix seconds after which the link is refused. */
  expires: number;
}

/** The query parameters of a link, in the order they are signed. */
const SIGNED = ["region", "year", "round", "format", "lang", "expires"] as const;

function signature(secret: string, values: readonly string[]): Buffer {
  // Versioned and unit-separated: no two different value lists sign the same text.
  return createHmac("sha256", secret).update(["v1", ...values].join("\u001f")).digest();
}

export function signedQuery(secret: string, claims: LinkClaims): URLSearchParams {
  const values = [claims.regionId, String(claims.year), claims.round, claims.format, claims.lang, String(claims.expires)];
  const query = new URLSearchParams(SIGNED.map((name, i) => [name, values[i]!]));
  query.set("sig", signature(secret, values).toString("base64url"));
  return query;
}

export type LinkCheck = { ok: true; claims: Record<(typeof SIGNED)[number], string> } | { ok: false; reason: "invalid" | "expired" };

/** The link's signed values when the signature holds and it has not expired (`now`: unix seconds). */
export function checkLink(secret: string, query: URLSearchParams, now: number): LinkCheck {
  const values = SIGNED.map((name) => query.getAll(name));
  const sig = query.getAll("sig");
  // Each parameter exactly once: a repeated one could be read differently by someone else.
  if (values.some((v) => v.length !== 1) || sig.length !== 1) return { ok: false, reason: "invalid" };
  const given = Buffer.from(sig[0]!, "base64url");
  const expected = signature(secret, values.map((v) => v[0]!));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "invalid" };
  const claims = Object.fromEntries(SIGNED.map((name, i) => [name, values[i]![0]!])) as Record<(typeof SIGNED)[number], string>;
  if (!(Number(claims.expires) >= now)) return { ok: false, reason: "expired" };
  return { ok: true, claims };
}
