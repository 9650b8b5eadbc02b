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

/** A conversation member as the connector describes one (TeamsChannelAccount). */
export interface FakeMember {
  id: string;
  name: string;
  aadObjectId?: string;
}

export interface FakeConnector {
  url: string;
  posted: PostedActivity[];
  /**
   * Members the connector knows, by Teams user id ("29:…"), in every conversation:
   * `GET /v3/conversations/{id}/members/{memberId}` answers from here, and 404 for anyone else.
   */
  members: Map<string, FakeMember>;
  /** Member look-ups made, as "conversationId memberId". */
  memberLookups: string[];
  /** Messages replaced (PUT …/activities/{id}: the bot updating a card for everyone). */
  updated: PostedActivity[];
  /** Members of particular conversations, for `GET …/pagedmembers` (default: `members`). */
  rosters: Map<string, FakeMember[]>;
  /** Member listings made (`GET …/pagedmembers`), by conversation id, failed ones included. */
  memberListings: string[];
  /**
   * Faults to inject, each while true: `updates` answers every PUT …/activities/{id} with 500,
   * `memberListings` every `GET …/pagedmembers`. botbuilder's connector client retries a 5xx
   * itself (3 times, about 4 s in all), so one failure the bot sees is four requests here.
   */
  faults: { updates: boolean; memberListings: boolean };
  /** Activities posted to one conversation, in order. */
  to(conversationId: string): PostedActivity[];
  close(): Promise<void>;
}

export async function startFakeConnector(): Promise<FakeConnector> {
  const posted: PostedActivity[] = [];
  const members = new Map<string, FakeMember>();
  const memberLookups: string[] = [];
  const updated: PostedActivity[] = [];
  const rosters = new Map<string, FakeMember[]>();
  const memberListings: string[] = [];
  const faults = { updates: false, memberListings: false };
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
    if (req.method === "PUT" && match?.[2] && faults.updates) {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "ServiceError", message: "Unknown error" } }));
      return;
    }
    if (req.method === "PUT" && match?.[2]) {
      updated.push({ path: req.url!, conversationId: decodeURIComponent(match[1]!), replyToId: decodeURIComponent(match[2]), activity: JSON.parse(body) });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: decodeURIComponent(match[2]) }));
      return;
    }
    const paged = /^\/v3\/conversations\/([^/]+)\/pagedmembers(?:\?.*)?$/.exec(req.url ?? "");
    if (req.method === "GET" && paged) {
      memberListings.push(decodeURIComponent(paged[1]!));
      if (faults.memberListings) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "ServiceError", message: "Unknown error" } }));
        return;
      }
      // Every conversation has the members the test put in `members` (or `roster`, when set).
      const roster = rosters.get(decodeURIComponent(paged[1]!)) ?? [...members.values()];
      const pageSize = Number(new URL(req.url!, "http://x").searchParams.get("pageSize") ?? 200);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ members: roster.slice(0, pageSize), ...(roster.length > pageSize ? { continuationToken: "more" } : {}) }));
      return;
    }
    const member = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(req.url ?? "");
    if (req.method === "GET" && member) {
      const memberId = decodeURIComponent(member[2]!);
      memberLookups.push(`${decodeURIComponent(member[1]!)} ${memberId}`);
      const found = members.get(memberId);
      if (found) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(found));
      } else {
        // What Teams answers for someone who is not in the conversation.
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "MemberNotFoundInConversation", message: "The member was not found in the conversation." } }));
      }
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    posted,
    members,
    memberLookups,
    updated,
    rosters,
    memberListings,
    faults,
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
