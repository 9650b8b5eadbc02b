/**
 * What the instrumentations of others record that the app's own spans never would: every HTTP
 * call's full URL. Outgoing ones name the people they concern — Bot Framework's
 * `/v3/conversations/<conversation id>/activities`, Cosmos DB's `/docs/<document id>` (a person
 * document's id is their Entra object id) — and an incoming tab request's peer is a person's
 * browser. This span processor, given to Azure Monitor's distro (start.ts), rewrites them as each
 * span starts, before anything is exported: URLs keep their scheme, host and the path's fixed
 * words (`dbs`, `docs`, `conversations`, `activities`, `v3`); every other path segment becomes
 * `{id}`; the query goes. A server span's client address becomes `0.0.0.0`.
 *
 * Rewritten at start because both the HTTP instrumentation and the Azure SDK's tracing policy set
 * these attributes when they start the span (a processor's `onEnd` sees a read-only span).
 */
import { SpanKind } from "@opentelemetry/api";
// Types only (erased when compiled): the SDK itself is the distro's, not a dependency of the app's.
import type { ReadableSpan, Span, SpanProcessor } from "@opentelemetry/sdk-trace-base";

/** Attributes holding a whole URL (old and current semantic conventions). */
const URL_ATTRIBUTES = ["http.url", "url.full"] as const;
/** Attributes holding a path, perhaps with its query. */
const PATH_ATTRIBUTES = ["http.target", "url.path"] as const;
/** A server span's peer: the caller's address (a person's browser for the tab). */
const CLIENT_ADDRESS_ATTRIBUTES = ["client.address", "http.client_ip", "net.sock.peer.addr", "net.peer.ip", "network.peer.address"] as const;

/** A path segment that is a fixed word of an API (letters, dots, dashes; or a version like `v3`), not an id. */
const FIXED_WORD = /^(?:[A-Za-z][A-Za-z._-]{0,63}|v\d{1,2}(?:\.\d{1,2})?)$/;

/** The path with every segment that is not a fixed word as `{id}`, without its query or fragment. */
export function redactPath(path: string): string {
  const bare = path.split(/[?#]/, 1)[0] ?? "";
  return bare
    .split("/")
    .map((segment) => (segment === "" || FIXED_WORD.test(segment) ? segment : "{id}"))
    .join("/");
}

/** The URL as `redactPath` leaves its path: scheme, host and port kept (they name services, not people). */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${redactPath(parsed.pathname)}`;
  } catch {
    // Not an absolute URL: treat it as a path.
    return redactPath(url);
  }
}

export class RedactingSpanProcessor implements SpanProcessor {
  onStart(span: Span): void {
    const attributes = (span as unknown as ReadableSpan).attributes;
    for (const name of URL_ATTRIBUTES) {
      const value = attributes[name];
      if (typeof value === "string") span.setAttribute(name, redactUrl(value));
    }
    for (const name of PATH_ATTRIBUTES) {
      const value = attributes[name];
      if (typeof value === "string") span.setAttribute(name, redactPath(value));
    }
    if (typeof attributes["url.query"] === "string") span.setAttribute("url.query", "");
    if (span.kind === SpanKind.SERVER) {
      for (const name of CLIENT_ADDRESS_ATTRIBUTES) if (attributes[name] !== undefined) span.setAttribute(name, "0.0.0.0");
    }
  }

  onEnd(): void {}

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
