/**
 * Reads Bicep as text, far enough to check what infra/main.bicep declares: no Bicep compiler runs
 * here. A small scanner that knows Bicep's strings ('…' with \ escapes and ${…} interpolation,
 * '''…''' multi-line), comments, and the nesting of {} [] (): enough to find a resource, walk its
 * object properties and list an array's items. It does not evaluate expressions; a value is kept
 * as its source text, and a plain string literal can be read as a string.
 */

export interface BicepResource {
  symbol: string;
  type: string;
  apiVersion: string;
  /** The resource's body, `{ … }`, comments removed. */
  body: string;
}

export interface BicepParam {
  name: string;
  type: string;
  /** The default value's source text, if any. */
  defaultText?: string;
  /** Decorators by name, each with its argument text: `@minValue(2)` → minValue: "2". */
  decorators: Record<string, string>;
}

export class BicepReadError extends Error {}

/** Where the string that starts at `start` (a quote) ends: the index after its closing quote. */
function skipString(text: string, start: number): number {
  if (text.startsWith("'''", start)) {
    const end = text.indexOf("'''", start + 3);
    if (end < 0) throw new BicepReadError(`unterminated ''' string at ${start}`);
    return end + 3;
  }
  let i = start + 1;
  while (i < text.length) {
    const c = text[i];
    if (c === "\\") i += 2;
    else if (c === "'") return i + 1;
    else if (c === "$" && text[i + 1] === "{") i = skipBalanced(text, i + 1);
    else i += 1;
  }
  throw new BicepReadError(`unterminated string at ${start}`);
}

const CLOSERS: Record<string, string> = { "{": "}", "[": "]", "(": ")" };

/** From an opening bracket at `open`, the index after its partner, skipping strings and comments. */
export function skipBalanced(text: string, open: number): number {
  const stack: string[] = [];
  let i = open;
  while (i < text.length) {
    const c = text[i]!;
    if (c === "'") {
      i = skipString(text, i);
      continue;
    }
    if (c === "/" && text[i + 1] === "/") {
      const eol = text.indexOf("\n", i);
      i = eol < 0 ? text.length : eol;
      continue;
    }
    if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) throw new BicepReadError(`unterminated comment at ${i}`);
      i = end + 2;
      continue;
    }
    if (CLOSERS[c]) stack.push(CLOSERS[c]!);
    else if (c === "}" || c === "]" || c === ")") {
      if (stack.pop() !== c) throw new BicepReadError(`unbalanced "${c}" at ${i}`);
      if (stack.length === 0) return i + 1;
    }
    i += 1;
  }
  throw new BicepReadError(`no partner for "${text[open]}" at ${open}`);
}

/** The text with every comment removed (strings kept as written, `//` inside them too). */
export function stripComments(text: string): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "'") {
      const end = skipString(text, i);
      out += text.slice(i, end);
      i = end;
    } else if (c === "/" && text[i + 1] === "/") {
      const eol = text.indexOf("\n", i);
      i = eol < 0 ? text.length : eol;
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      if (end < 0) throw new BicepReadError(`unterminated comment at ${i}`);
      i = end + 2;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/** Every `resource sym 'Type@version' = { … }` of the file (conditions and loops are not expected, and refused). */
export function resources(source: string): BicepResource[] {
  const text = stripComments(source);
  const found: BicepResource[] = [];
  const head = /^resource\s+(\w+)\s+'([^'@]+)@([^']+)'\s*(existing\s*)?=\s*/gm;
  for (let m = head.exec(text); m; m = head.exec(text)) {
    const at = m.index + m[0].length;
    if (text[at] !== "{") throw new BicepReadError(`resource ${m[1]}: only a plain { … } body is read here (no "if" or "for")`);
    found.push({ symbol: m[1]!, type: m[2]!, apiVersion: m[3]!, body: text.slice(at, skipBalanced(text, at)) });
  }
  return found;
}

/** Splits the inside of a `{ … }` or `[ … ]` block into its top-level entries (newline- or comma-separated). */
function topLevelEntries(block: string): string[] {
  const open = block.trimStart();
  if (open[0] !== "{" && open[0] !== "[") throw new BicepReadError(`not a block: ${block.slice(0, 40)}`);
  const inner = open.slice(1, skipBalanced(open, 0) - 1);
  const entries: string[] = [];
  let start = 0;
  let i = 0;
  while (i < inner.length) {
    const c = inner[i]!;
    if (c === "'") {
      i = skipString(inner, i);
    } else if (CLOSERS[c]) {
      i = skipBalanced(inner, i);
    } else if (c === "\n" || c === ",") {
      entries.push(inner.slice(start, i));
      start = i + 1;
      i += 1;
    } else {
      i += 1;
    }
  }
  entries.push(inner.slice(start));
  return entries.map((e) => e.trim()).filter((e) => e !== "");
}

/** The properties of an object block, each key (quotes removed) with its value's source text. */
export function objectEntries(block: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const entry of topLevelEntries(block)) {
    const m = /^('(?:[^'\\]|\\.)*'|[A-Za-z_$][\w$]*)\s*:\s*([\s\S]*)$/.exec(entry);
    if (!m) throw new BicepReadError(`not a property: ${entry.slice(0, 60)}`);
    const key = m[1]!.startsWith("'") ? m[1]!.slice(1, -1) : m[1]!;
    if (map.has(key)) throw new BicepReadError(`property ${key} twice`);
    map.set(key, m[2]!.trim());
  }
  return map;
}

/** The items of an array block, as source text. */
export function arrayItems(block: string): string[] {
  if (block.trimStart()[0] !== "[") throw new BicepReadError(`not an array: ${block.slice(0, 40)}`);
  return topLevelEntries(block);
}

/** A property by path (`properties.siteConfig.healthCheckPath`) within an object block; undefined when absent. */
export function property(block: string, path: string): string | undefined {
  let current: string | undefined = block;
  for (const key of path.split(".")) {
    if (current === undefined || !/^\s*\{/.test(current)) return undefined;
    current = objectEntries(current).get(key);
  }
  return current;
}

/** A plain string literal's value ('…' without interpolation); undefined for any other expression. */
export function stringLiteral(valueText: string | undefined): string | undefined {
  if (valueText === undefined) return undefined;
  const m = /^'((?:[^'\\$]|\\.|\$(?!\{))*)'$/.exec(valueText.trim());
  return m ? m[1]!.replace(/\\(.)/g, (_, ch: string) => ({ n: "\n", t: "\t", r: "\r" })[ch] ?? ch) : undefined;
}

/** The file's parameters, with their defaults and decorators (a decorator's arguments may span lines). */
export function params(source: string): BicepParam[] {
  const text = stripComments(source);
  const found: BicepParam[] = [];
  let decorators: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const blank = /^\s+/.exec(rest);
    if (blank) {
      i += blank[0].length;
      continue;
    }
    const deco = /^@(\w+)\(/.exec(rest);
    if (deco) {
      const open = i + deco[0].length - 1;
      const close = skipBalanced(text, open);
      decorators[deco[1]!] = text.slice(open + 1, close - 1).trim();
      i = close;
      continue;
    }
    const eol = text.indexOf("\n", i);
    const line = text.slice(i, eol < 0 ? text.length : eol).trim();
    const p = /^param\s+(\w+)\s+(\w+)(?:\s*=\s*(.+))?$/.exec(line);
    if (p) found.push({ name: p[1]!, type: p[2]!, ...(p[3] === undefined ? {} : { defaultText: p[3] }), decorators });
    // Decorators belong to the declaration right after them, whatever it is.
    decorators = {};
    // A declaration whose value opens a block (a resource, an object var) is skipped whole.
    const opener = /[{[(]\s*$/.exec(line);
    i = opener ? skipBalanced(text, i + opener.index) : eol < 0 ? text.length : eol + 1;
  }
  return found;
}

/** `var name = value` declarations (single-line values). */
export function vars(source: string): Map<string, string> {
  const text = stripComments(source);
  return new Map([...text.matchAll(/^var\s+(\w+)\s*=\s*(.+)$/gm)].map((m) => [m[1]!, m[2]!.trim()]));
}

/** `param name = value` assignments of a .bicepparam file. */
export function paramAssignments(source: string): Map<string, string> {
  const text = stripComments(source);
  return new Map([...text.matchAll(/^param\s+(\w+)\s*=\s*(.+)$/gm)].map((m) => [m[1]!, m[2]!.trim()]));
}
