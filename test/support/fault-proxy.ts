/**
 * A tiny HTTP proxy in front of the Cosmos DB emulator that injects store faults:
 * - `throttle(n)`: the next n requests are answered 429 with `x-ms-retry-after-ms` (the SDK retries them);
 * - `mode = "throttled"`: every request is answered 429 (throttling beyond the SDK's retries);
 * - `mode = "unavailable"`: every request is answered 503 at once;
 * - `mode = "lose-write-responses"`: writes (PUT, and POST that is not a query) reach the emulator
 *   and happen, but the answer is a 503, as when the connection drops after the service did the
 *   work; reads pass;
 * - `stop()` / `start()`: nothing listens on the port (connection refused), then the same port again.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type FaultMode = "pass" | "throttled" | "unavailable" | "lose-write-responses";

export interface FaultProxy {
  /** `http://127.0.0.1:<port>/` */
  endpoint: string;
  mode: FaultMode;
  /** Answers the next `count` requests 429 with `x-ms-retry-after-ms: retryAfterMs`. */
  throttle(count: number, retryAfterMs?: number): void;
  /** Requests the proxy answered with a fault, by status. */
  faults: { 429: number; 503: number };
  /** Requests passed to the emulator. */
  passed: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const upstream = new URL(target);
  let throttleNext = 0;
  let retryAfter = 50;
  let port = 0;
  let server: Server | undefined;

  const fault = (res: ServerResponse, status: 429 | 503) => {
    proxy.faults[status]++;
    const body = JSON.stringify(
      status === 429
        ? { code: "TooManyRequests", message: "Request rate is large (fault proxy)" }
        : { code: "ServiceUnavailable", message: "Service is unavailable (fault proxy)" },
    );
    res.writeHead(status, {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      "x-ms-activity-id": "00000000-0000-0000-0000-000000000000",
      ...(status === 429 ? { "x-ms-retry-after-ms": String(retryAfter), "x-ms-substatus": "3200" } : {}),
    });
    res.end(body);
  };

  const forward = (req: IncomingMessage, res: ServerResponse, loseResponse: boolean) => {
    proxy.passed++;
    const out = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        if (loseResponse) {
          answer.resume();
          answer.on("end", () => fault(res, 503));
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on("error", () => {
      if (!res.headersSent) fault(res, 503);
      else res.destroy();
    });
    req.pipe(out);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    if (throttleNext > 0) {
      throttleNext--;
      req.resume();
      return fault(res, 429);
    }
    if (proxy.mode === "throttled" || proxy.mode === "unavailable") {
      req.resume();
      return fault(res, proxy.mode === "throttled" ? 429 : 503);
    }
    const write = req.method === "PUT" || (req.method === "POST" && req.headers["x-ms-documentdb-isquery"] === undefined);
    forward(req, res, proxy.mode === "lose-write-responses" && write);
  };

  const listen = async () => {
    const s = createServer(handle);
    await new Promise<void>((resolve, reject) => {
      s.once("error", reject);
      s.listen(port, "127.0.0.1", resolve);
    });
    port = (s.address() as AddressInfo).port;
    server = s;
  };

  const stop = async () => {
    const s = server;
    server = undefined;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  };

  await listen();
  const proxy: FaultProxy = {
    endpoint: `http://127.0.0.1:${port}/`,
    mode: "pass",
    faults: { 429: 0, 503: 0 },
    passed: 0,
    throttle(count, retryAfterMs = 50) {
      throttleNext = count;
      retryAfter = retryAfterMs;
    },
    stop,
    start: listen,
    close: stop,
  };
  return proxy;
}
