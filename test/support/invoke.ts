/** Card actions (Action.Execute) as Teams delivers them: an `adaptiveCard/action` invoke. */
import { randomUUID } from "node:crypto";
import { BOT, type Harness } from "./harness.js";

export interface Invoker {
  aadObjectId: string;
  name?: string;
  locale?: string;
  conversationType?: "personal" | "groupChat" | "channel";
  conversationId?: string;
}

/** `h`: a harness, or anything that posts to an app (e.g. the scale-out test's proxy) with the connector its replies go to. */
export async function invoke(h: Pick<Harness, "post" | "connector">, who: Invoker, verb: string, data: unknown): Promise<{ status: number; card: any; body: any }> {
  const response = await h.post({
    type: "invoke",
    name: "adaptiveCard/action",
    id: randomUUID(),
    channelId: "msteams",
    serviceUrl: h.connector.url,
    locale: who.locale ?? "nb-NO",
    conversation: { id: who.conversationId ?? `conv-${who.aadObjectId}`, conversationType: who.conversationType ?? "personal", tenantId: "tenant-1" },
    from: { id: `29:${who.aadObjectId}`, aadObjectId: who.aadObjectId, name: who.name ?? "Kari Nordmann" },
    recipient: BOT,
    replyToId: "card-message-1",
    value: { action: { type: "Action.Execute", verb, data }, trigger: "manual" },
  });
  const body = response.body ? JSON.parse(response.body) : undefined;
  return { status: response.status, body, card: body?.value };
}

/** All Action.Execute actions in a card, with their verbs and data. */
export function executeActions(card: unknown): Array<{ verb: string; title: string; data: any }> {
  const found: Array<{ verb: string; title: string; data: any }> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const n = node as Record<string, any>;
      if (n.type === "Action.Execute") found.push({ verb: n.verb, title: n.title, data: n.data });
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return found;
}

/** All Action.OpenUrl actions in a card (e.g. the signed download links), with their titles. */
export function openUrls(card: unknown): Array<{ title: string; url: string }> {
  const found: Array<{ title: string; url: string }> = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === "object") {
      const n = node as Record<string, any>;
      if (n.type === "Action.OpenUrl") found.push({ title: n.title, url: n.url });
      Object.values(n).forEach(walk);
    }
  };
  walk(card);
  return found;
}
