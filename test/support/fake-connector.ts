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
  /**
   * Answers for the next posts (POST …/activities) to a conversation, used up in order; "*" for
   * any conversation. A post answered with a fault is not recorded in `posted`: Teams did not
   * take it. `retryAfter` is sent as the Retry-After header (seconds).
   */
  postFaults: Map<string, PostFault[]>;
  /** Conversations that refuse every post for good (403/404 with Teams' error code). */
  refusing: Map<string, { status: number; code: string }>;
  /** Every post request received, answered or not, by conversation id (for counting retries). */
  postAttempts: string[];
  /** Milliseconds to wait before answering each post (a slow connector). */
  postDelayMs: number;
  /** Called when a post arrives, before it is answered; return false to leave it unanswered (a crash test holds it). */
  onPost?: (conversationId: string) => boolean;
  /** Conversations created by the bot (POST /v3/conversations): the 1:1 chats it opened. */
  created: Array<{ id: string; members: Array<{ id: string }>; tenantId?: string }>;
  /**
   * Files the bot uploaded (PUT /upload/…): the upload address a file consent's `uploadInfo` names
   * stands for the person's OneDrive (report exports). `uploadStatus` is what the next uploads get.
   */
  uploads: Array<{ path: string; headers: Record<string, string | string[] | undefined>; bytes: Buffer }>;
  uploadStatus: number;
  /** Activities posted to one conversation, in order. */
  to(conversationId: string): PostedActivity[];
  close(): Promise<void>;
}

export interface PostFault {
  status: number;
  code?: string;
  retryAfter?: number;
}

export async function startFakeConnector(): Promise<FakeConnector> {
  const postFaults = new Map<string, PostFault[]>();
  const refusing = new Map<string, { status: number; code: string }>();
  const postAttempts: string[] = [];
  const created: FakeConnector["created"] = [];
  const posted: PostedActivity[] = [];
  const members = new Map<string, FakeMember>();
  const memberLookups: string[] = [];
  const updated: PostedActivity[] = [];
  const rosters = new Map<string, FakeMember[]>();
  const memberListings: string[] = [];
  const faults = { updates: false, memberListings: false };
  let counter = 0;
  const uploads: FakeConnector["uploads"] = [];
  const server: Server = createServer(async (req, res) => {
    if (req.method === "PUT" && req.url?.startsWith("/upload/")) {
      const bytes = await readBytes(req);
      if (connector.uploadStatus < 300) uploads.push({ path: req.url, headers: req.headers, bytes });
      res.writeHead(connector.uploadStatus, { "content-type": "application/json" });
      res.end(JSON.stringify(connector.uploadStatus < 300 ? { id: "uploaded-1" } : { error: { code: "generalException", message: "injected" } }));
      return;
    }
    const body = await readBody(req);
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? "");
    if (req.method === "POST" && match) {
      const conversationId = decodeURIComponent(match[1]!);
      postAttempts.push(conversationId);
      if (connector.onPost && !connector.onPost(conversationId)) return; // held: never answered
      if (connector.postDelayMs > 0) await new Promise((r) => setTimeout(r, connector.postDelayMs));
      const refusal = refusing.get(conversationId);
      const queue = postFaults.get(conversationId)?.length ? postFaults.get(conversationId)! : postFaults.get("*");
      const fault = refusal ?? queue?.shift();
      if (fault) {
        res.writeHead(fault.status, { "content-type": "application/json", ...("retryAfter" in fault && fault.retryAfter !== undefined ? { "retry-after": String(fault.retryAfter) } : {}) });
        res.end(JSON.stringify({ error: { code: fault.code ?? "ServiceError", message: "injected" } }));
        return;
      }
    }
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
    if (req.method === "POST" && req.url === "/v3/conversations") {
      const parameters = JSON.parse(body) as { members?: Array<{ id: string }>; tenantId?: string };
      const id = `a:opened-${created.length + 1}`;
      created.push({ id, members: parameters.members ?? [], ...(parameters.tenantId ? { tenantId: parameters.tenantId } : {}) });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ id }));
      return;
    }
    const member = /^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(req.url ?? "");
    if (req.method === "GET" && member) {
      const memberId = decodeURIComponent(member[2]!);
      memberLookups.push(`${decodeURIComponent(member[1]!)} ${memberId}`);
      // Teams finds a member by Teams user id or by Entra object id.
      const found = members.get(memberId) ?? [...members.values()].find((m) => m.aadObjectId === memberId);
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
  const connector: FakeConnector = {
    url: `http://127.0.0.1:${port}/`,
    postFaults,
    refusing,
    postAttempts,
    postDelayMs: 0,
    created,
    uploads,
    uploadStatus: 201,
    posted,
    members,
    memberLookups,
    updated,
    rosters,
    memberListings,
    faults,
    to: (conversationId) => posted.filter((p) => p.conversationId === conversationId),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return connector;
}

function readBytes(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return readBytes(req).then((bytes) => bytes.toString("utf8"));
}
