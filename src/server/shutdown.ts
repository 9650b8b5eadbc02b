/**
 * The HTTP side of a graceful shutdown (issue 11): stop accepting, let the requests in flight
 * (turns, a nudge trigger) finish within a bound, then cut what is left. Teams waits for a turn's
 * answer and retries one that fails, so a turn cut at the bound is not lost for good; one let
 * finish spares the person a second answer or a missing one.
 */
import type { ServerResponse } from "node:http";
import type restify from "restify";

export interface RequestDrain {
  /** Requests being answered right now. */
  inFlight(): number;
  /**
   * Stops accepting (the listening socket closes; a request arriving on a kept-alive connection
   * gets 503), waits for the requests in flight (at most `ms`), then closes every connection left.
   */
  stop(ms: number): Promise<{ waitedMs: number; cut: number }>;
}

/** Seconds a caller refused during shutdown is told to wait: another instance, or this one restarted, answers by then. */
const RETRY_AFTER_SECONDS = 5;

export function drainRequests(server: restify.Server): RequestDrain {
  const open = new Set<ServerResponse>();
  let stopping = false;
  let settled: (() => void) | undefined;

  // A pre handler: it runs before routing and before any body is read, so a refusal costs nothing.
  server.pre((_req, res, next) => {
    if (stopping) {
      res.setHeader("connection", "close");
      res.send(503, { error: { code: "SHUTTING_DOWN", message: "the server is shutting down; try again" } }, { "retry-after": String(RETRY_AFTER_SECONDS) });
      return next(false);
    }
    const raw = res as unknown as ServerResponse;
    open.add(raw);
    // `close` comes when the answer is sent and when the connection dies first: either way it is done.
    raw.once("close", () => {
      open.delete(raw);
      if (open.size === 0) settled?.();
    });
    return next();
  });

  return {
    inFlight: () => open.size,
    async stop(ms) {
      stopping = true;
      const started = Date.now();
      // An answer still to be written closes its connection after it, so the client does not reuse it.
      for (const res of open) if (!res.headersSent) res.setHeader("connection", "close");
      const closed = new Promise<void>((resolve) => server.server.close(() => resolve()));
      if (open.size > 0) {
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([new Promise<void>((resolve) => (settled = resolve)), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
        clearTimeout(timer);
        settled = undefined;
      }
      const cut = open.size;
      // Kept-alive connections with nothing in flight, and turns that outlived the bound.
      server.server.closeAllConnections();
      await closed;
      return { waitedMs: Date.now() - started, cut };
    },
  };
}
