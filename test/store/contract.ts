/**
 * The behaviour every DocumentStore adapter must have (SQLite now, Cosmos DB later). An adapter
 * test file calls `describeStoreContract` once per configuration.
 *
 * Each test uses its own partition and type names (random suffix), so an adapter may hand out
 * one shared container for all tests without them seeing each other's documents.
 */
import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  MAX_DOCUMENT_BYTES,
  StoreConflictError,
  type DocumentKey,
  type DocumentStore,
  type StoredDocument,
  type Versioned,
} from "../../src/store/store.js";

export interface StoreContractFixture {
  store: DocumentStore;
  /** Opens the same underlying data again after `store.close()` (omit for memory-only stores). */
  reopen?: () => Promise<DocumentStore>;
  /** Closes whatever is still open and removes the data. */
  cleanup: () => Promise<void>;
}

/** Registers the contract tests for one adapter configuration; `open` is called once per test. */
/**
 * `durable: false` is for stores that cannot be reopened (SQLite `:memory:`): the durability
 * tests are then not registered at all, rather than skipped.
 */
export function describeStoreContract(name: string, open: () => Promise<StoreContractFixture>, options: { durable: boolean } = { durable: true }): void {
  describe(`DocumentStore contract: ${name}`, () => {
    let fixture: StoreContractFixture;
    let store: DocumentStore;
    let ns: string;

    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
      ns = randomUUID().slice(0, 8);
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    const partition = (label = "p") => `${label}-${ns}`;
    const type = (label = "thing") => `${label}-${ns}`;
    const key = (id: string, p = partition()): DocumentKey => ({ partition: p, id });
    const doc = (id: string, fields: Record<string, unknown> = {}, p = partition()): StoredDocument => ({
      id,
      partition: p,
      type: type(),
      schemaVersion: 1,
      ...fields,
    });

    async function expectConflict(promise: Promise<unknown>, expectedKey: DocumentKey): Promise<void> {
      const err = await promise.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, "expected the store to refuse with StoreConflictError").toBeInstanceOf(StoreConflictError);
      expect((err as StoreConflictError).code).toBe("STORE_CONFLICT");
      expect((err as StoreConflictError).key).toEqual(expectedKey);
    }

    async function mustRead(k: DocumentKey): Promise<Versioned> {
      const found = await store.read(k);
      expect(found, `expected ${k.partition}/${k.id} to exist`).toBeDefined();
      return found!;
    }

    describe("creating and reading", () => {
      it("a document created with ifAbsent reads back exactly as written, with the etag the write returned", async () => {
        const written = doc("a", { title: "Samhandlingsmøte", count: 3, done: false, note: null });
        const etag = await store.write(written, { ifAbsent: true });

        expect(typeof etag).toBe("string");
        expect(etag.length).toBeGreaterThan(0);
        const found = await mustRead(key("a"));
        expect(found.doc).toStrictEqual(written);
        expect(found.etag).toBe(etag);
      });

      it("reading a document that was never written gives undefined", async () => {
        expect(await store.read(key("never"))).toBeUndefined();
      });

      it("creating with ifAbsent when the document exists is refused and the stored document is unchanged", async () => {
        const etag = await store.write(doc("a", { version: "first" }), { ifAbsent: true });

        await expectConflict(store.write(doc("a", { version: "second" }), { ifAbsent: true }), key("a"));

        const found = await mustRead(key("a"));
        expect(found.doc.version).toBe("first");
        expect(found.etag).toBe(etag);
      });

      it("a document read back is a copy: changing it does not change what is stored", async () => {
        await store.write(doc("a", { list: [1, 2] }), { ifAbsent: true });
        const first = await mustRead(key("a"));
        (first.doc.list as number[]).push(3);
        first.doc.extra = "mutated";

        const second = await mustRead(key("a"));
        expect(second.doc).toStrictEqual(doc("a", { list: [1, 2] }));
      });
    });

    describe("optimistic concurrency", () => {
      it("replacing with the current etag succeeds and gives a new etag", async () => {
        const first = await store.write(doc("a", { n: 1 }), { ifAbsent: true });
        const second = await store.write(doc("a", { n: 2 }), { ifMatch: first });

        expect(second).not.toBe(first);
        const found = await mustRead(key("a"));
        expect(found.doc.n).toBe(2);
        expect(found.etag).toBe(second);
      });

      it("every write gives a fresh etag, even when the content is unchanged", async () => {
        const first = await store.write(doc("a"), { ifAbsent: true });
        const second = await store.write(doc("a"), { ifMatch: first });
        const third = await store.write(doc("a"), { unconditional: true });

        expect(new Set([first, second, third]).size).toBe(3);
        await expectConflict(store.write(doc("a"), { ifMatch: first }), key("a"));
      });

      it("a write with a stale etag is refused and nothing is written", async () => {
        const stale = await store.write(doc("a", { by: "original" }), { ifAbsent: true });
        const current = await store.write(doc("a", { by: "someone else" }), { ifMatch: stale });

        await expectConflict(store.write(doc("a", { by: "me, too late" }), { ifMatch: stale }), key("a"));

        const found = await mustRead(key("a"));
        expect(found.doc.by).toBe("someone else");
        expect(found.etag).toBe(current);
      });

      it("a write with ifMatch on a missing document is refused and does not create it", async () => {
        const etag = await store.write(doc("other"), { ifAbsent: true });

        await expectConflict(store.write(doc("missing"), { ifMatch: etag }), key("missing"));

        expect(await store.read(key("missing"))).toBeUndefined();
      });

      it("an unconditional write creates, then replaces whatever is there", async () => {
        const created = await store.write(doc("a", { n: 1 }), { unconditional: true });
        expect((await mustRead(key("a"))).doc.n).toBe(1);

        const replaced = await store.write(doc("a", { n: 2 }), { unconditional: true });
        const found = await mustRead(key("a"));
        expect(found.doc).toStrictEqual(doc("a", { n: 2 }));
        expect(found.etag).toBe(replaced);
        expect(replaced).not.toBe(created);
      });

      it("a replacement drops fields the new version no longer has", async () => {
        const etag = await store.write(doc("a", { old: "x", kept: 1 }), { ifAbsent: true });
        await store.write(doc("a", { kept: 2 }), { ifMatch: etag });

        expect((await mustRead(key("a"))).doc).toStrictEqual(doc("a", { kept: 2 }));
      });

      it("50 concurrent read-modify-write loops on one document lose no update", async () => {
        const k = key("counter");
        await store.write(doc("counter", { seen: [] }), { ifAbsent: true });
        let conflicts = 0;

        async function appendWithRetry(n: number): Promise<void> {
          for (let attempt = 0; attempt < 500; attempt++) {
            const current = await mustRead(k);
            const seen = current.doc.seen as number[];
            try {
              await store.write({ ...current.doc, seen: [...seen, n] }, { ifMatch: current.etag });
              return;
            } catch (err) {
              if (!(err instanceof StoreConflictError)) throw err;
              conflicts++;
            }
          }
          throw new Error(`loop ${n} gave up after 500 conflicts`);
        }

        await Promise.all(Array.from({ length: 50 }, (_, n) => appendWithRetry(n)));

        const seen = (await mustRead(k)).doc.seen as number[];
        expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, n) => n));
        // All loops read before any of them writes, so the etag check must have refused some.
        expect(conflicts).toBeGreaterThan(0);
      });
    });

    describe("reading several at once", () => {
      it("readMany answers in the order of the keys, with undefined for missing documents", async () => {
        const etagB = await store.write(doc("b", { n: "b" }), { ifAbsent: true });
        const etagA = await store.write(doc("a", { n: "a" }), { ifAbsent: true });
        const etagOther = await store.write(doc("a", { n: "other a" }, partition("other")), { ifAbsent: true });

        const found = await store.readMany([
          key("b"),
          key("missing"),
          key("a", partition("other")),
          key("a"),
          key("b"),
        ]);

        expect(found.map((v) => v?.doc.n)).toEqual(["b", undefined, "other a", "a", "b"]);
        expect(found.map((v) => v?.etag)).toEqual([etagB, undefined, etagOther, etagA, etagB]);
        // A repeated key gives two independent copies.
        (found[0]!.doc as Record<string, unknown>).n = "mutated";
        expect(found[4]!.doc.n).toBe("b");
      });

      it("readMany of no keys gives an empty list", async () => {
        expect(await store.readMany([])).toEqual([]);
      });
    });

    describe("listing", () => {
      it("list by type gives only that type, ordered by partition then id", async () => {
        const [pa, pb] = [partition("a"), partition("b")];
        for (const [id, p] of [
          ["y", pb],
          ["9", pa],
          ["a", pb],
          ["10", pa],
          ["c", pa],
        ] as const) {
          await store.write(doc(id, {}, p), { ifAbsent: true });
        }
        await store.write({ ...doc("a0", {}, pa), type: type("elsewhere") }, { ifAbsent: true });

        const listed = await store.list(type());

        expect(listed.map((v) => `${v.doc.partition}/${v.doc.id}`)).toEqual([
          `${pa}/10`,
          `${pa}/9`,
          `${pa}/c`,
          `${pb}/a`,
          `${pb}/y`,
        ]);
        const direct = await mustRead(key("a", pb));
        expect(listed[3]).toStrictEqual(direct);
      });

      it("list within a partition gives only that partition's documents of the type, ordered by id", async () => {
        const [pa, pb] = [partition("a"), partition("b")];
        await store.write(doc("z", {}, pa), { ifAbsent: true });
        await store.write(doc("m", {}, pb), { ifAbsent: true });
        await store.write(doc("b", {}, pa), { ifAbsent: true });
        await store.write({ ...doc("c", {}, pa), type: type("elsewhere") }, { ifAbsent: true });

        const listed = await store.list(type(), pa);

        expect(listed.map((v) => v.doc.id)).toEqual(["b", "z"]);
        expect(listed.every((v) => v.doc.partition === pa && v.etag.length > 0)).toBe(true);
      });

      it("list of a type nobody wrote is empty", async () => {
        await store.write(doc("a"), { ifAbsent: true });
        expect(await store.list(type("nothing"))).toEqual([]);
        expect(await store.list(type(), partition("empty"))).toEqual([]);
      });
    });

    describe("partitions", () => {
      it("equal ids in different partitions are separate documents", async () => {
        const [p1, p2] = [partition("46"), partition("national")];
        const etag1 = await store.write(doc("cycle-2025", { region: "46" }, p1), { ifAbsent: true });
        const etag2 = await store.write(doc("cycle-2025", { region: "national" }, p2), { ifAbsent: true });

        expect((await mustRead(key("cycle-2025", p1))).doc.region).toBe("46");
        expect((await mustRead(key("cycle-2025", p2))).doc.region).toBe("national");
        // One partition's etag is no licence to write the other's document.
        await expectConflict(
          store.write(doc("cycle-2025", { region: "hijack" }, p2), { ifMatch: etag1 }),
          key("cycle-2025", p2),
        );

        await store.remove(key("cycle-2025", p1), { ifMatch: etag1 });
        expect(await store.read(key("cycle-2025", p1))).toBeUndefined();
        const survivor = await mustRead(key("cycle-2025", p2));
        expect(survivor.doc.region).toBe("national");
        expect(survivor.etag).toBe(etag2);
      });
    });

    describe("removing", () => {
      it("remove with a stale etag is refused and the document stays", async () => {
        const stale = await store.write(doc("a", { n: 1 }), { ifAbsent: true });
        const current = await store.write(doc("a", { n: 2 }), { ifMatch: stale });

        await expectConflict(store.remove(key("a"), { ifMatch: stale }), key("a"));

        const found = await mustRead(key("a"));
        expect(found.doc.n).toBe(2);
        expect(found.etag).toBe(current);
      });

      it("remove with the current etag deletes it, and the id can then be created again", async () => {
        const etag = await store.write(doc("a", { n: 1 }), { ifAbsent: true });

        await store.remove(key("a"), { ifMatch: etag });

        expect(await store.read(key("a"))).toBeUndefined();
        expect(await store.list(type())).toEqual([]);
        await store.write(doc("a", { n: "again" }), { ifAbsent: true });
        expect((await mustRead(key("a"))).doc.n).toBe("again");
      });

      it("unconditional remove deletes, and removing a missing document is not an error", async () => {
        await store.write(doc("a"), { ifAbsent: true });

        await store.remove(key("a"), { unconditional: true });
        expect(await store.read(key("a"))).toBeUndefined();
        await expect(store.remove(key("a"), { unconditional: true })).resolves.toBeUndefined();
      });

      it("remove with ifMatch on a missing document is a conflict", async () => {
        const etag = await store.write(doc("a"), { ifAbsent: true });
        await store.remove(key("a"), { unconditional: true });

        await expectConflict(store.remove(key("a"), { ifMatch: etag }), key("a"));
      });
    });

    describe("content fidelity", () => {
      it("unicode (æøå, emoji) and nested JSON round-trip exactly", async () => {
        const id = "møte-Ålesund-😀";
        const written = doc(id, {
          title: "Samhandlingsmøte i Møre og Romsdal – æøå ÆØÅ 🎉👩🏽‍💻",
          quoting: 'He said "hei" \\ then\nnew line\ttab',
          nested: {
            events: [
              { at: "2025-03-01T09:00:00+01:00", who: "Åse Ødegård", payload: { votes: [1, 2.5, -3, 0] } },
              { at: "2025-03-02T09:00:00+01:00", who: "Bjørn", payload: {} },
            ],
            empty: [],
            deep: { a: { b: { c: { d: [null, true, false, "ø"] } } } },
          },
          big: Number.MAX_SAFE_INTEGER,
          tiny: 1e-9,
        });
        await store.write(written, { ifAbsent: true });

        expect((await mustRead(key(id))).doc).toStrictEqual(written);
        expect((await store.readMany([key(id)]))[0]?.doc).toStrictEqual(written);
        expect((await store.list(type()))[0]?.doc).toStrictEqual(written);
      });

      it("a document of about 1 MB round-trips", async () => {
        const events = Array.from({ length: 2000 }, (_, i) => ({
          seq: i,
          who: `person-${i}`,
          text: `hendelse ${i} æøå `.repeat(25),
        }));
        const written = doc("big", { events });
        expect(JSON.stringify(written).length).toBeGreaterThan(900_000);

        const etag = await store.write(written, { ifAbsent: true });

        const found = await mustRead(key("big"));
        expect(found.doc).toStrictEqual(written);
        expect(found.etag).toBe(etag);
      });

      it("a document over the size limit (Cosmos DB's 2 MB) is refused and nothing is written", async () => {
        const written = doc("huge", { filler: "x".repeat(MAX_DOCUMENT_BYTES) });

        await expect(store.write(written, { ifAbsent: true })).rejects.toThrow(/bytes/);

        expect(await store.read(key("huge"))).toBeUndefined();
      });
    });

    describe("invalid documents", () => {
      const invalid: Array<[string, (d: StoredDocument) => Record<string, unknown>, RegExp]> = [
        ["an empty id", (d) => ({ ...d, id: "" }), /\bid\b/],
        ["an id with a slash (Cosmos forbids / \\ ? #)", (d) => ({ ...d, id: "a/b" }), /\bid\b/],
        ["an empty partition", (d) => ({ ...d, partition: "" }), /partition/],
        ["a missing type", ({ type: _omit, ...rest }) => rest, /\btype\b/],
        ["schemaVersion 0", (d) => ({ ...d, schemaVersion: 0 }), /schemaVersion/],
        ["a fractional schemaVersion", (d) => ({ ...d, schemaVersion: 1.5 }), /schemaVersion/],
        ["a reserved top-level field _etag", (d) => ({ ...d, _etag: "x" }), /_etag/],
      ];

      it.each(invalid)("a document with %s is refused naming the field, and nothing is written", async (_, spoil, field) => {
        const bad = spoil(doc("bad", { n: 1 })) as StoredDocument;

        for (const precondition of [{ ifAbsent: true }, { unconditional: true }] as const) {
          const err = await store.write(bad, precondition).then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(err).toBeInstanceOf(TypeError);
          expect((err as Error).message).toMatch(field);
        }

        expect(await store.read(key("bad"))).toBeUndefined();
        expect(await store.list(type())).toEqual([]);
      });

      it("an invalid replacement leaves the stored document and its etag untouched", async () => {
        const etag = await store.write(doc("a", { n: 1 }), { ifAbsent: true });

        await expect(store.write(doc("a", { n: 2, schemaVersion: 0 }), { ifMatch: etag })).rejects.toThrow(
          /schemaVersion/,
        );

        const found = await mustRead(key("a"));
        expect(found.doc).toStrictEqual(doc("a", { n: 1 }));
        expect(found.etag).toBe(etag);
      });
    });

    if (options.durable) describe("durability", () => {
      it("data survives close and reopen, and old etags keep their meaning", async () => {
        if (!fixture.reopen) throw new Error("a durable store's fixture must provide reopen()");
        const stale = await store.write(doc("a", { n: 1 }), { ifAbsent: true });
        const current = await store.write(doc("a", { n: 2 }), { ifMatch: stale });
        const etagB = await store.write(doc("b", { text: "æøå 😀" }, partition("other")), { ifAbsent: true });
        await store.close();

        const reopened = await fixture.reopen!();
        try {
          expect(await reopened.read(key("a"))).toStrictEqual({ doc: doc("a", { n: 2 }), etag: current });
          expect(await reopened.read(key("b", partition("other")))).toStrictEqual({
            doc: doc("b", { text: "æøå 😀" }, partition("other")),
            etag: etagB,
          });
          await expectConflict(reopened.write(doc("a", { n: 3 }), { ifMatch: stale }), key("a"));
          await reopened.write(doc("a", { n: 3 }), { ifMatch: current });
          expect((await reopened.read(key("a")))?.doc.n).toBe(3);
        } finally {
          await reopened.close();
        }
      });
    });
  });
}
