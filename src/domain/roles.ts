/**
 * Roles and the authorization rule: who may record which step of the wheel. Pure.
 *
 * The roles follow product.md ("Roles"); their canonical strings (`admin`,
 * `national-coordinator`, `region-coordinator:46`, `agency-rep:IN`, `agency-rep:IN:46`) are what
 * is stored and what an admin may type. Everyone without a role is a viewer: a viewer reads
 * status, overview and the wheel, and records nothing.
 */
import { z } from "zod";
import type { Obligation } from "./obligations.js";
import { AGENCY_IDS, regionById, type AgencyId } from "./regions.js";

export type Role =
  | { kind: "admin" }
  | { kind: "national-coordinator" }
  | { kind: "region-coordinator"; regionId: string }
  /** Without a region: the agency's national contact (allocation letters, §2.1). With one: its regional office (§3.1/§3.2, signature §2.1). */
  | { kind: "agency-rep"; agency: AgencyId; regionId?: string };

export type RoleKind = Role["kind"];

/** Why a canonical role string was refused; the bot translates these. */
export type RoleProblem = "malformed" | "unknown-agency" | "unknown-region";

const RegionIdSchema = z.string().refine((id) => regionById(id) !== undefined, { error: "unknown-region" });
const AgencySchema = z.enum(AGENCY_IDS, { error: "unknown-agency" });

/** A role as an object, checked: the region and the agency must exist. */
export const RoleSchema = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("admin") }),
  z.strictObject({ kind: z.literal("national-coordinator") }),
  z.strictObject({ kind: z.literal("region-coordinator"), regionId: RegionIdSchema }),
  z.strictObject({ kind: z.literal("agency-rep"), agency: AgencySchema, regionId: RegionIdSchema.optional() }),
]);

/**
 * The grammar of the canonical strings: `kind[:part[:part]]`, split at the colons, the parts
 * given to `RoleSchema` by position. The issue message is the `RoleProblem`.
 */
export const RoleTextSchema = z.string().transform((text, ctx): Role => {
  const [kind = "", ...parts] = text.trim().split(":");
  const candidate = shapeOf(kind, parts);
  if (!candidate) {
    ctx.addIssue({ code: "custom", message: "malformed" satisfies RoleProblem });
    return z.NEVER;
  }
  const parsed = RoleSchema.safeParse(candidate);
  if (!parsed.success) {
    ctx.addIssue({ code: "custom", message: parsed.error.issues[0]?.message ?? "malformed" });
    return z.NEVER;
  }
  return parsed.data as Role;
});

function shapeOf(kind: string, parts: string[]): Record<string, string> | undefined {
  switch (kind) {
    case "admin":
    case "national-coordinator":
      return parts.length === 0 ? { kind } : undefined;
    case "region-coordinator":
      return parts.length === 1 ? { kind, regionId: parts[0]! } : undefined;
    case "agency-rep":
      if (parts.length === 1) return { kind, agency: parts[0]! };
      if (parts.length === 2) return { kind, agency: parts[0]!, regionId: parts[1]! };
      return undefined;
    default:
      return undefined;
  }
}

export type RoleParse = { ok: true; role: Role } | { ok: false; problem: RoleProblem };

/** Parses a canonical role string (`region-coordinator:46`); names of regions are not accepted here, only ids. */
export function parseRole(text: string): RoleParse {
  const parsed = RoleTextSchema.safeParse(text);
  if (parsed.success) return { ok: true, role: parsed.data };
  const message = parsed.error.issues[0]?.message;
  return { ok: false, problem: message === "unknown-agency" || message === "unknown-region" ? message : "malformed" };
}

/** The canonical string of a role: what is stored, and what `parseRole` reads back. */
export function formatRole(role: Role): string {
  switch (role.kind) {
    case "admin":
    case "national-coordinator":
      return role.kind;
    case "region-coordinator":
      return `region-coordinator:${role.regionId}`;
    case "agency-rep":
      return role.regionId === undefined ? `agency-rep:${role.agency}` : `agency-rep:${role.agency}:${role.regionId}`;
  }
}

/** True when the text is a role in its canonical spelling (stored documents must hold nothing else). */
export function isCanonicalRole(text: string): boolean {
  const parsed = parseRole(text);
  return parsed.ok && formatRole(parsed.role) === text;
}

export function sameRole(a: Role, b: Role): boolean {
  return formatRole(a) === formatRole(b);
}

export const ROLE_KINDS = ["admin", "national-coordinator", "region-coordinator", "agency-rep"] as const satisfies readonly RoleKind[];

/** The field of a role form (kind, region, agency) that is wrong, and how. */
export type RolePartsProblem = { field: "kind" | "region" | "agency"; problem: "missing" | "unknown" };

/**
 * A role from the separate fields of a form (the admin card): the kind, and a region and an
 * agency where the kind needs them. A field the kind does not use is ignored (an administrator
 * has no region), so a form can keep what was chosen before; what is missing or unknown is named.
 */
export function roleFromParts(parts: { kind?: string; regionId?: string; agency?: string }): { ok: true; role: Role } | ({ ok: false } & RolePartsProblem) {
  const { kind, regionId, agency } = parts;
  if (!kind) return { ok: false, field: "kind", problem: "missing" };
  let candidate: Record<string, string>;
  switch (kind) {
    case "admin":
    case "national-coordinator":
      candidate = { kind };
      break;
    case "region-coordinator":
      if (!regionId) return { ok: false, field: "region", problem: "missing" };
      candidate = { kind, regionId };
      break;
    case "agency-rep":
      if (!agency) return { ok: false, field: "agency", problem: "missing" };
      candidate = regionId ? { kind, agency, regionId } : { kind, agency };
      break;
    default:
      return { ok: false, field: "kind", problem: "unknown" };
  }
  const parsed = RoleSchema.safeParse(candidate);
  if (parsed.success) return { ok: true, role: parsed.data as Role };
  return { ok: false, field: parsed.error.issues[0]?.path[0] === "agency" ? "agency" : "region", problem: "unknown" };
}

/**
 * May a person holding `roles` record the step whose responsible party is `responsible`
 * (as computed by `obligations`)?
 *
 * - `admin`: anything — the administrator repairs what others could not record.
 * - `national-coordinator` (RUK AU): the national steps, whose responsible role is
 *   "national-coordinator": convening and holding the national theme meetings (§4.1, §1) and the
 *   state budget (§2.1).
 * - `region-coordinator:R`: the steps of region R's leadership — convening and holding the
 *   regional meetings (§4.2, §3.1, §3.2), the draft and its political treatment (§3, §3.2), the
 *   regional budget (§2.1), commission agreements (§3.3) — and the region's own signature on the
 *   agreement (§2.1; `obligations` gives that party step the role "region-coordinator").
 * - `agency-rep:A` (national contact): agency A's national steps ("agency-national": the
 *   allocation letter from its ministry, §2.1), and agency A's regional steps in any region
 *   ("agency-regional": follow-up reports §3.1/§3.2, its signature §2.1) — a national contact
 *   may act for the agency's regional offices.
 * - `agency-rep:A:R`: agency A's regional steps in region R only (§3.1/§3.2 reports, §2.1 signature).
 *
 * A "party" responsible (should a caller pass the model's raw role) is read as obligations
 * reads it: with an agency it is that agency's regional step, without one the region's own.
 */
export function mayRecord(roles: readonly Role[], responsible: Obligation["responsible"]): boolean {
  // An agency's signature binds the agency in that region (§2.1): its regional contact signs,
  // not a national contact on behalf of every region.
  const signature = responsible.role === "party" && responsible.agency !== undefined;
  const r =
    responsible.role === "party"
      ? { ...responsible, role: responsible.agency !== undefined ? ("agency-regional" as const) : ("region-coordinator" as const) }
      : responsible;
  return roles.some((role) => {
    switch (role.kind) {
      case "admin":
        return true;
      case "national-coordinator":
        return r.role === "national-coordinator";
      case "region-coordinator":
        return r.role === "region-coordinator" && r.regionId !== undefined && r.regionId === role.regionId;
      case "agency-rep":
        if (r.agency !== role.agency) return false;
        if (role.regionId === undefined) return r.role === "agency-national" || (r.role === "agency-regional" && !signature);
        return r.role === "agency-regional" && r.regionId !== undefined && r.regionId === role.regionId;
    }
  });
}

/** Granting and revoking roles and binding conversations to regions: administrators only. */
export function mayAdminister(roles: readonly Role[]): boolean {
  return roles.some((role) => role.kind === "admin");
}
