/** The "meg" and "roller" cards: roles named as people say them, in the reader's language. */
import type { Assignment, Roster } from "../app/people.js";
import type { Lang } from "../domain/calendar.js";
import { AGENCIES, REGIONS, regionById, type Region } from "../domain/regions.js";
import type { Role } from "../domain/roles.js";
import { translator, type Translate } from "../i18n/index.js";
import { displayName } from "../domain/display-name.js";
import { expandTemplate, userName, type AdaptiveCard } from "./templates.js";

/** "regionkoordinator for Vestland", "kontaktperson for Innovasjon Norge i Vestland". */
export function roleName(role: Role, t: Translate): string {
  switch (role.kind) {
    case "admin":
      return t("roleName.admin");
    case "national-coordinator":
      return t("roleName.national-coordinator");
    case "region-coordinator":
      return t("roleName.region-coordinator", { region: regionLabel(role.regionId) });
    case "agency-rep":
      return role.regionId === undefined
        ? t("roleName.agency-national", { agency: AGENCIES[role.agency].name })
        : t("roleName.agency-regional", { agency: AGENCIES[role.agency].name, region: regionLabel(role.regionId) });
  }
}

/**
 * A person's name as stored, or — granted from a card's people picker, which gives only the
 * Entra object id — "(navn ukjent, id 1a2b3c4d…)" until they write to the bot (`learnName`).
 * Plain text, at most 256 characters: a card shows it through `userText`.
 */
export function personLabel(person: { id: string; name: string }, t: Translate, subject = false): string {
  const name = displayName(person.name);
  if (name !== "") return name;
  return t(subject ? "person.unknownSubject" : "person.unknownName", { id: `${person.id.slice(0, 8)}…` });
}

/**
 * `personLabel` for a TextBlock (Markdown): the name through `userName`; the «navn ukjent» label
 * is the catalogue's words and the start of an Entra object id (letters, digits, hyphens), text already.
 */
export function personText(person: { id: string; name: string }, t: Translate, subject = false): string {
  const name = displayName(person.name);
  return name !== "" ? userName(name) : personLabel(person, t, subject);
}

function regionLabel(regionId: string): string {
  return regionById(regionId)?.name ?? regionId;
}

/** A person's own roles; without any they are told they are a viewer like everyone else. */
export function renderMeCard(name: string | undefined, roles: readonly Role[], lang: Lang): AdaptiveCard {
  const t = translator(lang);
  if (name === undefined) return rolesCard({ title: t("me.title"), intro: t("me.anonymous"), groups: [], note: "" });
  const lines = roles.map((r) => ({ line: `• ${roleName(r, t)}` }));
  return rolesCard({
    title: t("me.title"),
    intro: roles.length > 0 ? t("me.intro", { name: userName(name) }) : t("me.none", { name: userName(name) }),
    groups: lines.length > 0 ? [{ heading: "", lines }] : [],
    note: t("me.viewer"),
  });
}

/** Lines on one card; far more than an installation has (15 regions × a handful of roles), and well under 28 KB. */
export const MAX_ROSTER_LINES = 150;

/**
 * Who holds which role: administrators, the national roles, then each region (or only the
 * given region, with the national roles that act for it too).
 */
export function renderRosterCard(roster: Roster, region: Region | undefined, lang: Lang): AdaptiveCard {
  const t = translator(lang);
  const line = (a: Assignment) => ({ line: t("roles.line", { name: personText(a.person, t), role: roleName(a.role, t) }) });
  const sorted = [...roster.assignments].sort((a, b) => a.person.name.localeCompare(b.person.name, "nb") || roleName(a.role, t).localeCompare(roleName(b.role, t), "nb"));
  const regionOf = (r: Role) => (r.kind === "region-coordinator" || r.kind === "agency-rep" ? r.regionId : undefined);

  const admins = sorted.filter((a) => a.role.kind === "admin").map((a) => ({ line: personText(a.person, t) }));
  if (roster.configuredAdmins.length > 0) admins.push({ line: t("roles.configuredAdmins", { count: roster.configuredAdmins.length }) });
  const national = sorted.filter((a) => a.role.kind !== "admin" && regionOf(a.role) === undefined).map(line);
  const regions = (region ? [region] : REGIONS).map((r) => ({
    heading: r.name,
    lines: sorted.filter((a) => regionOf(a.role) === r.id).map(line),
  }));

  const groups = [{ heading: t("roles.admins"), lines: admins }, { heading: t("roles.national"), lines: national }, ...regions].filter((g) => g.lines.length > 0);
  let budget = MAX_ROSTER_LINES;
  let left = 0;
  const shown = groups.flatMap((g) => {
    const kept = g.lines.slice(0, Math.max(0, budget));
    budget -= kept.length;
    left += g.lines.length - kept.length;
    return kept.length > 0 ? [{ ...g, lines: kept }] : [];
  });
  const anyone = roster.assignments.length > 0;
  return rolesCard({
    title: region ? t("roles.titleRegion", { region: region.name }) : t("roles.title"),
    intro: anyone ? "" : t("roles.none"),
    groups: shown,
    note: [left > 0 ? t("roles.truncated", { count: left }) : "", t("me.viewer")].filter(Boolean).join(" "),
  });
}

interface RolesCardData {
  title: string;
  intro: string;
  groups: Array<{ heading: string; lines: Array<{ line: string }> }>;
  note: string;
}

function rolesCard(data: RolesCardData): AdaptiveCard {
  return expandTemplate("roles", { ...data, buttons: [] });
}
