/**
 * A person's display name as the app keeps it. Names come from Teams (`from.name`, a mention, the
 * connector's member look-up, a card's people picker) and are stored with role assignments,
 * deputies, bindings and every event's `by`; the cards show them. Teams' own names are at most
 * 256 characters, so anything longer is not a real name: it is cut here, where a name enters,
 * and a stored name can never make a card pass Teams' 28 KB limit (a 100 KB name once made the
 * roles card 110 KB, broken for everyone).
 */

/** Teams' limit for a display name, in UTF-16 code units (what `string.length` and zod's `max` count). */
export const MAX_NAME_CHARS = 256;

/**
 * The name to store and show: one line (line breaks and other control characters become a space),
 * trimmed, at most {@link MAX_NAME_CHARS} characters — a longer one is cut and ends with «…».
 * Anything that is not a string (Teams sends none, or the JSON had something else) is "": the
 * person is then shown by id until their name is known. Applying it twice changes nothing.
 */
export function displayName(raw: unknown): string {
  if (typeof raw !== "string") return "";
  // Line breaks (and other control characters) would add lines to a card: a name is one line.
  const name = raw.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ").replace(/\s+/g, " ").trim();
  if (name.length <= MAX_NAME_CHARS) return name;
  let cut = name.slice(0, MAX_NAME_CHARS - 1);
  // Never half a surrogate pair (an emoji cut in two would show as a broken character).
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}
