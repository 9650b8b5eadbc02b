/**
 * A fake Bot Connector: a local HTTP server standing in for Teams' connector service. The bot
 * posts its replies here (to the activity's serviceUrl); tests read what was posted.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface PostedActivity {
  path: string;
  conversationId: string;
  replyToId?: string;
  activity: {
    type: string;
    text?: string;
    attachments?: Array<{ contentType: string; content: any }>;
    [key: string]: unknown;
  };
}

export interface FakeConnector {
  url: string;
  posted: PostedActivity[];
  /** Activities posted to one conversation, in order. */
  to(conversationId: string): PostedActivity[];
  close(): Promise<void>;
}

export async function startFakeConnector(): Promise<FakeConnector> {
  const posted: PostedActivity[] = [];
  let counter = 0;
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? "");
    if (req.method === "POST" && match) {
      posted.push({
        path: req.url!,
        conversationId: decodeURIComponent(match[1]!),
        ...(match[2] ? { replyToId: decodeURIComponent(match[2]) } : {}),
        activity: JSON.parse(body),
      });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: `reply-${++counter}` }));
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    posted,
    to: (conversationId) => posted.filter((p) => p.conversationId === conversationId),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
