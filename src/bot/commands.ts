/**
 * What a person wrote → a command. Pure; the handler does the rest. Teams delivers channel and
 * group messages with the bot's @mention in the text; the bot strips it before parsing, and
 * here any leftover markup is removed as well.
 */

/** Commands are short; anything longer is not a command and is refused politely. */
export const MAX_COMMAND_LENGTH = 500;

export type Command =
  | { kind: "status"; regionQuery?: string }
  | { kind: "overview" }
  | { kind: "help" }
  | { kind: "empty" }
  | { kind: "too-long"; length: number }
  | { kind: "unknown"; text: string };

const WORDS: Record<string, "status" | "overview" | "help"> = {
  status: "status",
  oversikt: "overview",
  overview: "overview",
  oversyn: "overview",
  hjelp: "help",
  help: "help",
  "?": "help",
};

export function parseCommand(raw: string | undefined): Command {
  const text = cleanText(raw ?? "");
  if (text.length > MAX_COMMAND_LENGTH) return { kind: "too-long", length: text.length };
  if (text === "") return { kind: "empty" };
  const [first = "", ...rest] = text.split(" ");
  const word = WORDS[first.toLowerCase()];
  const argument = rest.join(" ").trim();
  switch (word) {
    case "status":
      return argument ? { kind: "status", regionQuery: argument } : { kind: "status" };
    case "overview":
      return { kind: "overview" };
    case "help":
      return { kind: "help" };
    default:
      return { kind: "unknown", text: text.length > 60 ? `${text.slice(0, 57)}…` : text };
  }
}

/** Removes <at>…</at> mentions, HTML tags and entities Teams may leave, and folds white space. */
export function cleanText(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/\s+/g, " ")
    .trim();
}
