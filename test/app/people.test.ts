/**
 * The people use cases over a real (SQLite, in memory) store: bootstrap admins, authorization
 * on fresh reads, etag-guarded writes under contention, and the short-lived cache that keeps
 * roles, bindings and languages off the hot path.
 */
import { DateTime } from "luxon";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPeople, type PeopleOptions, type Person } from "../../src/app/people.js";
import { TtlCache } from "../../src/app/ttl-cache.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import type { DocumentStore } from "../../src/store/store.js";

const clock = () => DateTime.fromISO("2027-03-17T10:00:00+01:00");
const person = (n: number, name = `Person ${n}`): Person => ({ id: `00000000-0000-0000-0000-${String(n).padStart(12, "0")}`, name });
const BOOT = person(1, "Bootstrap Admin");
const ANNE = person(2, "Anne");
const OLA = person(3, "Ola");

/** Counts the store calls that reach the database. */
function counting(store: DocumentStore) {
  const counts = { read: 0, readMany: 0, write: 0 };
  const wrapped: DocumentStore = {
    kind: store.kind,
    read: (key) => (counts.read++, store.read(key)),
    readMany: (keys) => (counts.readMany++, store.readMany(keys)),
    write: (doc, pre) => (counts.write++, store.write(doc, pre)),
    remove: (key, pre) => store.remove(key, pre),
    list: (type, partition) => store.list(type, partition),
    close: () => store.close(),
  };
  return { store: wrapped, counts };
}

describe("people", () => {
  let base: DocumentStore;
  let now: number;
  const open = (options: PeopleOptions = {}) => {
    const { store, counts } = counting(base);
    return { people: createPeople(store, clock, { adminIds: [BOOT.id], now: () => now, ...options }), counts };
  };

  beforeEach(() => {
    base = openSqliteStore(":memory:");
    now = 1_000_000;
  });
  afterEach(async () => base.close());

  describe("names from a people picker (only the Entra object id)", () => {
    it("a grant without a name keeps a known one; a person's first message fills in a missing one, once", async () => {
      const { people, counts } = open();
      await people.grant(BOOT, { id: OLA.id, name: "" }, { kind: "region-coordinator", regionId: "46" });
      await people.grant(BOOT, { id: ANNE.id, name: "Anne" }, { kind: "national-coordinator" });
      await people.grant(BOOT, { id: ANNE.id, name: "" }, { kind: "agency-rep", agency: "IN" });
      const names = async () => (await people.roster()).assignments.map((a) => `${a.person.name}|${a.role.kind}`);
      expect(await names()).toEqual(["|region-coordinator", "Anne|national-coordinator", "Anne|agency-rep"]);

      const writes = counts.write;
      await people.learnName({ id: OLA.id.toUpperCase(), name: " Ola " });
      expect(await names()).toEqual(["Ola|region-coordinator", "Anne|national-coordinator", "Anne|agency-rep"]);
      expect(counts.write).toBe(writes + 1);
      // Nothing missing any more (or a name is known already): a cached read, no write.
      await people.learnName({ id: OLA.id, name: "Ola Nordmann" });
      await people.learnName({ id: ANNE.id, name: "Anne Annen" });
      await people.learnName({ id: BOOT.id, name: "" });
      expect(counts.write).toBe(writes + 1);
      expect(await names()).toEqual(["Ola|region-coordinator", "Anne|national-coordinator", "Anne|agency-rep"]);
    });
  });

  describe("bootstrap and authorization", () => {
    it("ADMIN_AAD_IDS admins are admins with no document; everyone else starts as a viewer", async () => {
      const { people } = open();
      expect(await people.rolesOf(BOOT.id)).toEqual([{ kind: "admin" }]);
      expect(await people.rolesOf(BOOT.id.toUpperCase())).toEqual([{ kind: "admin" }]);
      expect(await people.rolesOf(ANNE.id)).toEqual([]);
      expect(await base.read({ partition: "_system", id: "roles" })).toBeUndefined();
    });

    it("a non-admin's grant writes nothing", async () => {
      const { people, counts } = open();
      expect(await people.grant(ANNE, OLA, { kind: "admin" })).toEqual({ kind: "not-admin" });
      expect(counts.write).toBe(0);
      expect(await people.rolesOf(OLA.id)).toEqual([]);
    });

    it("an admin grants; the grant is stored with who and when, by lower-case object id", async () => {
      const { people } = open();
      expect(await people.grant(BOOT, { ...OLA, id: OLA.id.toUpperCase() }, { kind: "region-coordinator", regionId: "46" })).toEqual({ kind: "granted" });
      expect(await people.rolesOf(OLA.id)).toEqual([{ kind: "region-coordinator", regionId: "46" }]);
      const doc = (await base.read({ partition: "_system", id: "roles" }))!.doc as any;
      expect(doc.assignments).toEqual([
        { personId: OLA.id, name: "Ola", role: "region-coordinator:46", grantedBy: { id: BOOT.id, name: BOOT.name }, grantedAt: "2027-03-17T09:00:00.000Z" },
      ]);
    });

    it("an ADMIN_AAD_IDS admin cannot be revoked, nor granted admin twice", async () => {
      const { people, counts } = open();
      expect(await people.revoke(BOOT, BOOT, { kind: "admin" })).toEqual({ kind: "configured-admin" });
      expect(await people.grant(BOOT, BOOT, { kind: "admin" })).toEqual({ kind: "already" });
      expect(counts.write).toBe(0);
    });

    it("the last admin cannot be revoked when no admin is configured", async () => {
      await open().people.grant(BOOT, ANNE, { kind: "admin" });
      // The installation after ADMIN_AAD_IDS was emptied: Anne is the only admin.
      const { people } = open({ adminIds: [] });
      expect(await people.revoke(ANNE, ANNE, { kind: "admin" })).toEqual({ kind: "last-admin" });
      expect(await people.grant(ANNE, OLA, { kind: "admin" })).toEqual({ kind: "granted" });
      expect(await people.revoke(ANNE, ANNE, { kind: "admin" })).toEqual({ kind: "revoked" });
      expect(await people.rolesOf(ANNE.id)).toEqual([]);
      expect(await people.revoke(OLA, OLA, { kind: "admin" })).toEqual({ kind: "last-admin" });
    });

    it("admin commands authorize on a fresh read: an admin revoked on another instance is refused at once", async () => {
      const a = open().people;
      const b = open().people;
      await a.grant(BOOT, ANNE, { kind: "admin" });
      expect(await b.isAdmin(ANNE.id)).toBe(true); // b now caches Anne as admin
      await a.revoke(BOOT, ANNE, { kind: "admin" });
      expect(await b.isAdmin(ANNE.id)).toBe(true); // still cached: fine for showing buttons…
      expect(await b.bind(ANNE, "19:c@thread.v2", "46")).toEqual({ kind: "not-admin" }); // …not for acting
      expect(await b.grant(ANNE, OLA, { kind: "admin" })).toEqual({ kind: "not-admin" });
      expect(await b.binding("19:c@thread.v2")).toBeUndefined();
    });
  });

  describe("writes under contention", () => {
    it("40 admins on 40 instances grant at the same time: every grant is stored once", async () => {
      const instances = Array.from({ length: 40 }, () => open().people);
      const results = await Promise.all(instances.map((p, i) => p.grant(BOOT, person(100 + i), { kind: "agency-rep", agency: "IN", regionId: "46" })));
      expect(results.every((r) => r.kind === "granted")).toBe(true);
      const doc = (await base.read({ partition: "_system", id: "roles" }))!.doc as any;
      expect(doc.assignments).toHaveLength(40);
      expect(new Set(doc.assignments.map((a: any) => a.personId)).size).toBe(40);
    });

    it("the same grant racing on several instances is stored once; the others say «already»", async () => {
      const instances = Array.from({ length: 10 }, () => open().people);
      const results = await Promise.all(instances.map((p) => p.grant(BOOT, OLA, { kind: "national-coordinator" })));
      expect(results.filter((r) => r.kind === "granted")).toHaveLength(1);
      expect(results.filter((r) => r.kind === "already")).toHaveLength(9);
      expect((((await base.read({ partition: "_system", id: "roles" }))!.doc as any).assignments)).toHaveLength(1);
    });

    it("bindings of many channels at once all land", async () => {
      const instances = Array.from({ length: 15 }, () => open().people);
      await Promise.all(instances.map((p, i) => p.bind(BOOT, `19:channel-${i}@thread.tacv2`, "46")));
      const doc = (await base.read({ partition: "_system", id: "bindings" }))!.doc as any;
      expect(Object.keys(doc.channels)).toHaveLength(15);
    });
  });

  describe("the cache keeps roles, bindings and languages off the hot path", () => {
    it("within the TTL, roles, a binding and a language cost one read each, however often asked", async () => {
      const { people, counts } = open();
      for (let i = 0; i < 5; i++) {
        await people.rolesOf(OLA.id);
        await people.binding("19:c@thread.v2");
        await people.language(OLA.id);
      }
      expect(counts.read).toBe(3);
      now += 29_000;
      await people.rolesOf(OLA.id);
      expect(counts.read).toBe(3);
      now += 2_000;
      await people.rolesOf(OLA.id);
      expect(counts.read).toBe(4);
    });

    it("concurrent first asks share one read", async () => {
      const { people, counts } = open();
      await Promise.all(Array.from({ length: 20 }, () => people.language(OLA.id)));
      expect(counts.read).toBe(1);
    });

    it("a write is seen at once on its own instance, and on another within the TTL", async () => {
      const a = open();
      const b = open();
      expect(await b.people.language(OLA.id)).toBeUndefined();
      expect(await b.people.binding("19:c@thread.v2")).toBeUndefined();
      await a.people.setLanguage(OLA, "nn");
      await a.people.bind(BOOT, "19:c@thread.v2", "46");
      const readsBefore = a.counts.read;
      expect(await a.people.language(OLA.id)).toBe("nn");
      expect((await a.people.binding("19:c@thread.v2"))?.regionId).toBe("46");
      expect(a.counts.read).toBe(readsBefore);
      // b still has its cached answers…
      expect(await b.people.language(OLA.id)).toBeUndefined();
      expect(await b.people.binding("19:c@thread.v2")).toBeUndefined();
      // …until the TTL has passed.
      now += 30_001;
      expect(await b.people.language(OLA.id)).toBe("nn");
      expect((await b.people.binding("19:c@thread.v2"))?.regionId).toBe("46");
    });

    it("the TTL is configurable in code; 0 reads every time", async () => {
      const { people, counts } = open({ cacheTtlMs: 0 });
      await people.language(OLA.id);
      await people.language(OLA.id);
      expect(counts.read).toBe(2);
    });
  });

  describe("language", () => {
    it("is stored per person in _people, replaced, and forgotten with undefined", async () => {
      const { people } = open();
      await people.setLanguage(OLA, "nn");
      await people.setLanguage(ANNE, "en");
      await people.setLanguage(OLA, "en");
      expect(((await base.read({ partition: "_people", id: OLA.id }))!.doc as any).lang).toBe("en");
      await people.setLanguage(OLA, undefined);
      expect(((await base.read({ partition: "_people", id: OLA.id }))!.doc as any).lang).toBeUndefined();
      expect(await open().people.language(OLA.id)).toBeUndefined();
      expect(await open().people.language(ANNE.id)).toBe("en");
    });

    it("an id that is not an Entra object id has no language and cannot store one", async () => {
      const { people, counts } = open();
      expect(await people.language("29:teams-user")).toBeUndefined();
      expect(counts.read).toBe(0);
      await expect(people.setLanguage({ id: "a/b", name: "x" }, "nn")).rejects.toThrow(/Entra ID object id/);
    });
  });

  describe("roster", () => {
    it("lists stored assignments and the configured admins that have none", async () => {
      const before = open().people;
      await before.grant(BOOT, OLA, { kind: "region-coordinator", regionId: "46" });
      await before.grant(BOOT, person(9), { kind: "admin" });
      // Person 9 is later configured as well: listed once, by name, from the document.
      const roster = await open({ adminIds: [BOOT.id, person(9).id] }).people.roster();
      expect(roster.configuredAdmins).toEqual([BOOT.id]);
      expect(roster.assignments.map((a) => [a.person.name, a.role])).toEqual([
        ["Ola", { kind: "region-coordinator", regionId: "46" }],
        ["Person 9", { kind: "admin" }],
      ]);
    });
  });

  it("a stored document that is not valid is an error, not an empty list", async () => {
    await base.write({ id: "roles", partition: "_system", type: "roles", schemaVersion: 1, assignments: [{ personId: OLA.id, name: "Ola", role: "boss", grantedBy: BOOT, grantedAt: "2027-03-17T09:00:00Z" }] }, { ifAbsent: true });
    await expect(open().people.rolesOf(OLA.id)).rejects.toThrow(/canonical role/);
  });
});

describe("TtlCache", () => {
  it("does not keep a failed load; the caller gets the error and the next call loads again", async () => {
    const cache = new TtlCache<string, number>(1_000);
    let calls = 0;
    await expect(cache.get("k", async () => (calls++, Promise.reject(new Error("store down"))))).rejects.toThrow("store down");
    expect(await cache.get("k", async () => (calls++, 7))).toBe(7);
    expect(await cache.get("k", async () => (calls++, 8))).toBe(7);
    expect(calls).toBe(2);
  });

  it("keeps at most its capacity, dropping the oldest", async () => {
    const cache = new TtlCache<number, number>(1_000, 2);
    let calls = 0;
    const load = (v: number) => async () => (calls++, v);
    await cache.get(1, load(1));
    await cache.get(2, load(2));
    await cache.get(3, load(3));
    await cache.get(2, load(2));
    expect(calls).toBe(3);
    await cache.get(1, load(1));
    expect(calls).toBe(4);
  });
});
