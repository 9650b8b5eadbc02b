/** Role assignments for card tests: one person, or every role there is with several people each. */
import type { Assignment, Roster } from "../../src/app/people.js";
import { AGENCY_IDS, REGIONS } from "../../src/domain/regions.js";
import type { Role } from "../../src/domain/roles.js";

const by = { id: "00000000-0000-0000-0000-0000000000ad", name: "Anne Admin" };

export const assignment = (n: number, role: Role, name = `Person nummer ${n} med et ganske langt navn`): Assignment => ({
  person: { id: `00000000-0000-0000-0000-${String(n).padStart(12, "0")}`, name },
  role,
  grantedBy: by,
  grantedAt: "2027-03-17T09:00:00.000Z",
});

/** Every role there is, for every region and agency, several people each: far beyond a real installation. */
export function fullRoster(peoplePerRole: number, configuredAdmins: string[] = ["x", "y"]): Roster {
  const roles: Role[] = [{ kind: "admin" }, { kind: "national-coordinator" }, ...AGENCY_IDS.map((agency) => ({ kind: "agency-rep" as const, agency }))];
  for (const r of REGIONS) {
    roles.push({ kind: "region-coordinator", regionId: r.id });
    for (const agency of AGENCY_IDS) roles.push({ kind: "agency-rep", agency, regionId: r.id });
  }
  let n = 0;
  return { assignments: roles.flatMap((role) => Array.from({ length: peoplePerRole }, () => assignment(++n, role))), configuredAdmins };
}
