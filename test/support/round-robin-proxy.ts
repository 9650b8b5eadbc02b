/**
 * A small round-robin HTTP proxy (node:http) standing in for App Service's front end: each request
 * goes to the next of the targets in turn, body and answer passed through as they are. Used by the
 * scale-out test (three app processes on one Cosmos DB) and `npm run bench -- scale`.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export interface RoundRobinProxy {
  /** `http://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Requests forwarded to each target, by target URL. */
  forwarded: Map<string, number>;
  /** Replaces the targets (e.g. one, two, three instances), from the next request on. */
  setTargets(targets: string[]): void;
  close(): Promise<void>;
}

export async function startRoundRobinProxy(targets: string[]): Promise<RoundRobinProxy> {
  let current = [...targets];
  let next = 0;
  const forwarded = new Map<string, number>();
  // Keep-alive to the instances, as a front end does; one pool for all of them.
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const server = http.createServer((req, res) => {
    const target = new URL(current[next++ % current.length]!);
    forwarded.set(target.origin, (forwarded.get(target.origin) ?? 0) + 1);
    const upstream = http.request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    // An instance that is gone (killed) is what a front end answers 502 for.
    upstream.on("error", (error) => {
      if (!res.headersSent) res.writeHead(502, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "BAD_GATEWAY", message: `${target.origin}: ${error.message}` } }));
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    forwarded,
    setTargets(targets) {
      current = [...targets];
      next = 0;
    },
    close: () =>
      new Promise((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
