/** Roles: the canonical grammar, and who may record which step (§4.1, §4.2, §2.1, §3.1/§3.2). */
import { describe, expect, it } from "vitest";
import type { Obligation } from "../../src/domain/obligations.js";
import { formatRole, isCanonicalRole, mayAdminister, mayRecord, parseRole, roleFromParts, RoleSchema, type Role } from "../../src/domain/roles.js";

describe("parseRole / formatRole", () => {
  it.each<[string, Role]>([
    ["admin", { kind: "admin" }],
    ["national-coordinator", { kind: "national-coordinator" }],
    ["region-coordinator:46", { kind: "region-coordinator", regionId: "46" }],
    ["region-coordinator:03", { kind: "region-coordinator", regionId: "03" }],
    ["agency-rep:IN", { kind: "agency-rep", agency: "IN" }],
    ["agency-rep:IN:46", { kind: "agency-rep", agency: "IN", regionId: "46" }],
    ["agency-rep:RFF:56", { kind: "agency-rep", agency: "RFF", regionId: "56" }],
  ])("%s ⇄ %j", (text, role) => {
    expect(parseRole(text)).toEqual({ ok: true, role });
    expect(formatRole(role)).toBe(text);
    expect(isCanonicalRole(text)).toBe(true);
  });

  it("every role of every region and agency survives the round trip", () => {
    const roles: Role[] = [{ kind: "admin" }, { kind: "national-coordinator" }];
    for (const regionId of ["03", "11", "15", "18", "31", "32", "33", "34", "39", "40", "42", "46", "50", "55", "56"]) {
      roles.push({ kind: "region-coordinator", regionId });
      for (const agency of ["IN", "SIVA", "NFR", "RFF"] as const) roles.push({ kind: "agency-rep", agency, regionId });
    }
    for (const role of roles) expect(parseRole(formatRole(role))).toEqual({ ok: true, role });
  });

  it.each([
    ["agency-rep:XX", "unknown-agency"],
    ["agency-rep:in", "unknown-agency"],
    ["agency-rep:XX:46", "unknown-agency"],
    ["agency-rep:IN:99", "unknown-region"],
    ["region-coordinator:99", "unknown-region"],
    // Region names are for the command words; the canonical form uses ids only.
    ["region-coordinator:Vestland", "unknown-region"],
    ["region-coordinator:12", "unknown-region"],
    ["region-coordinator", "malformed"],
    ["region-coordinator:46:IN", "malformed"],
    ["admin:46", "malformed"],
    ["national-coordinator:46", "malformed"],
    ["agency-rep", "malformed"],
    ["agency-rep:IN:46:x", "malformed"],
    ["viewer", "malformed"],
    ["", "malformed"],
    ["Admin", "malformed"],
  ])("%j is refused as %s", (text, problem) => {
    expect(parseRole(text)).toEqual({ ok: false, problem });
    expect(isCanonicalRole(text)).toBe(false);
  });

  it("a role with stray spaces parses but is not canonical (stored documents hold canonical strings only)", () => {
    expect(parseRole(" admin ")).toEqual({ ok: true, role: { kind: "admin" } });
    expect(isCanonicalRole(" admin ")).toBe(false);
  });

  it("RoleSchema refuses unknown regions, agencies and extra fields", () => {
    expect(RoleSchema.safeParse({ kind: "region-coordinator", regionId: "46" }).success).toBe(true);
    expect(RoleSchema.safeParse({ kind: "region-coordinator", regionId: "47" }).success).toBe(false);
    expect(RoleSchema.safeParse({ kind: "agency-rep", agency: "XX" }).success).toBe(false);
    expect(RoleSchema.safeParse({ kind: "admin", regionId: "46" }).success).toBe(false);
  });
});

type Responsible = Obligation["responsible"];
const r = (role: Responsible["role"], regionId?: string, agency?: Responsible["agency"]): Responsible => ({
  role,
  ...(regionId ? { regionId } : {}),
  ...(agency ? { agency } : {}),
});

const ADMIN: Role = { kind: "admin" };
const RUK: Role = { kind: "national-coordinator" };
const VESTLAND: Role = { kind: "region-coordinator", regionId: "46" };
const IN_NATIONAL: Role = { kind: "agency-rep", agency: "IN" };
const IN_VESTLAND: Role = { kind: "agency-rep", agency: "IN", regionId: "46" };

describe("mayRecord: who records which step", () => {
  it.each<[string, Role[], Responsible, boolean]>([
    // Admin: anything.
    ["admin: a national meeting", [ADMIN], r("national-coordinator"), true],
    ["admin: a region's step", [ADMIN], r("region-coordinator", "46"), true],
    ["admin: an agency's report", [ADMIN], r("agency-regional", "46", "SIVA"), true],
    // §4.1, §1, §2.1: RUK AU convenes and holds the national meetings, and records the state budget.
    ["§4.1 RUK AU: the national meetings", [RUK], r("national-coordinator"), true],
    ["§4.1 RUK AU: not a region's meeting", [RUK], r("region-coordinator", "46"), false],
    ["§4.1 RUK AU: not an allocation letter", [RUK], r("agency-national", undefined, "IN"), false],
    // §4.2, §3.1, §3.2: the region's leadership convenes its meetings, drafts, treats politically, signs for the region.
    ["§4.2 region coordinator: own region's meeting", [VESTLAND], r("region-coordinator", "46"), true],
    ["§4.2 region coordinator: not another region's", [VESTLAND], r("region-coordinator", "11"), false],
    ["§4.2 region coordinator: not a national step", [VESTLAND], r("national-coordinator"), false],
    ["§4.2 region coordinator: a region-coordinator step without a region", [VESTLAND], r("region-coordinator"), false],
    ["§2.1 region coordinator: the region's own signature (raw party role)", [VESTLAND], r("party", "46"), true],
    ["§2.1 region coordinator: another region's signature", [VESTLAND], r("party", "11"), false],
    ["§2.1 region coordinator: not an agency's signature", [VESTLAND], r("party", "46", "IN"), false],
    ["§3.1 region coordinator: not an agency's report", [VESTLAND], r("agency-regional", "46", "IN"), false],
    // §2.1: an agency's national contact confirms its allocation letter, and may act for its regional offices.
    ["§2.1 national IN contact: IN's allocation letter", [IN_NATIONAL], r("agency-national", undefined, "IN"), true],
    ["§2.1 national IN contact: not SIVA's allocation letter", [IN_NATIONAL], r("agency-national", undefined, "SIVA"), false],
    ["§3.1 national IN contact: IN's report in any region", [IN_NATIONAL], r("agency-regional", "11", "IN"), true],
    // A signature binds the agency in that region: its regional contact signs, not a national one.
    ["§2.1 national IN contact: not IN's signature in a region", [IN_NATIONAL], r("party", "50", "IN"), false],
    ["§3.2 national IN contact: not SIVA's report", [IN_NATIONAL], r("agency-regional", "46", "SIVA"), false],
    ["national IN contact: not the region's own step", [IN_NATIONAL], r("region-coordinator", "46"), false],
    // §3.1/§3.2, §2.1: a regional agency contact reports and signs for that region only.
    ["§3.1 IN in Vestland: IN's report in Vestland", [IN_VESTLAND], r("agency-regional", "46", "IN"), true],
    ["§3.1 IN in Vestland: not IN's report in Rogaland", [IN_VESTLAND], r("agency-regional", "11", "IN"), false],
    ["§3.1 IN in Vestland: not SIVA's report in Vestland", [IN_VESTLAND], r("agency-regional", "46", "SIVA"), false],
    ["§2.1 IN in Vestland: IN's signature in Vestland", [IN_VESTLAND], r("party", "46", "IN"), true],
    ["§2.1 IN in Vestland: not IN's allocation letter (national)", [IN_VESTLAND], r("agency-national", undefined, "IN"), false],
    ["§2.1 IN in Vestland: not the region's signature", [IN_VESTLAND], r("party", "46"), false],
    // Viewers record nothing; several roles add up.
    ["viewer: nothing", [], r("region-coordinator", "46"), false],
    ["viewer: not even a national step", [], r("national-coordinator"), false],
    ["several roles: any one suffices", [IN_VESTLAND, RUK], r("national-coordinator"), true],
    ["several roles: none fits", [IN_VESTLAND, RUK], r("region-coordinator", "46"), false],
  ])("%s → %s", (_name, roles, responsible, allowed) => {
    expect(mayRecord(roles, responsible)).toBe(allowed);
  });
});

describe("mayAdminister", () => {
  it("admins only", () => {
    expect(mayAdminister([ADMIN])).toBe(true);
    expect(mayAdminister([VESTLAND, ADMIN])).toBe(true);
    expect(mayAdminister([RUK, VESTLAND, IN_NATIONAL, IN_VESTLAND])).toBe(false);
    expect(mayAdminister([])).toBe(false);
  });
});

describe("roleFromParts (the admin card's fields)", () => {
  it.each<[Parameters<typeof roleFromParts>[0], Role]>([
    [{ kind: "admin" }, { kind: "admin" }],
    // A field the kind does not use is ignored: the form may still hold an earlier choice.
    [{ kind: "admin", regionId: "46", agency: "IN" }, { kind: "admin" }],
    [{ kind: "national-coordinator", regionId: "46" }, { kind: "national-coordinator" }],
    [{ kind: "region-coordinator", regionId: "46", agency: "IN" }, { kind: "region-coordinator", regionId: "46" }],
    [{ kind: "agency-rep", agency: "IN" }, { kind: "agency-rep", agency: "IN" }],
    [{ kind: "agency-rep", agency: "NFR", regionId: "15" }, { kind: "agency-rep", agency: "NFR", regionId: "15" }],
  ])("%j → %j", (parts, role) => {
    expect(roleFromParts(parts)).toEqual({ ok: true, role });
  });

  it.each([
    [{}, "kind", "missing"],
    [{ kind: "boss" }, "kind", "unknown"],
    [{ kind: "region-coordinator" }, "region", "missing"],
    [{ kind: "region-coordinator", regionId: "99" }, "region", "unknown"],
    [{ kind: "agency-rep", regionId: "46" }, "agency", "missing"],
    [{ kind: "agency-rep", agency: "XY" }, "agency", "unknown"],
    [{ kind: "agency-rep", agency: "IN", regionId: "Vestland" }, "region", "unknown"],
  ])("%j is refused: %s %s", (parts, field, problem) => {
    expect(roleFromParts(parts)).toEqual({ ok: false, field, problem });
  });
});
