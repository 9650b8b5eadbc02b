/**
 * The Cosmos DB adapter against `@vercel/cosmosdb-server`, an in-memory implementation of the
 * Cosmos REST API, started in this process over plain HTTP. It runs the same contract suite as
 * SQLite; all tests share one container (the contract isolates tests by random partition/type).
 */
import { CosmosClient } from "@azure/cosmos";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/compose.js";
import { loadConfig } from "../../src/config.js";
import { openCosmosStore, type CosmosStore, type CosmosStoreOptions } from "../../src/store/cosmos-store.js";
import { StoreUnavailableError, type StoredDocument } from "../../src/store/store.js";
import { EMULATOR_KEY, startCosmosEmulator, type CosmosEmulator } from "../support/cosmos-emulator.js";
import { describeStoreContract } from "./contract.js";

let emulator: CosmosEmulator;
let endpoint: string;

beforeAll(async () => {
  emulator = await startCosmosEmulator();
  endpoint = emulator.endpoint;
});
afterAll(async () => {
  await emulator.close();
});

function options(overrides: Partial<CosmosStoreOptions> = {}): CosmosStoreOptions {
  return { endpoint, key: EMULATOR_KEY, database: "samhandling", container: "process", ...overrides };
}

describeStoreContract("cosmos (in-process emulator over HTTP)", async () => {
  const opened: CosmosStore[] = [await openCosmosStore(options())];
  return {
    store: opened[0]!,
    reopen: async () => {
      // A new client on the same server: what another process (or a restart) would see.
      const store = await openCosmosStore(options());
      opened.push(store);
      return store;
    },
    cleanup: async () => {
      for (const store of opened) await store.close();
    },
  };
});

describe("Cosmos DB store specifics", () => {
  const toClose: Array<{ close(): unknown }> = [];
  afterEach(async () => {
    for (const handle of toClose.splice(0)) await handle.close();
  });

  async function open(overrides: Partial<CosmosStoreOptions> = {}): Promise<CosmosStore> {
    const store = await openCosmosStore(options(overrides));
    toClose.push(store);
    return store;
  }
  function rawContainer(database = "samhandling", container = "process") {
    const client = new CosmosClient({ endpoint, key: EMULATOR_KEY, connectionPolicy: { enableEndpointDiscovery: false } });
    toClose.push({ close: () => client.dispose() });
    return client.database(database).container(container);
  }
  const doc = (id: string, fields: Record<string, unknown> = {}): StoredDocument => ({
    id,
    partition: "46",
    type: `specific-${id}`,
    schemaVersion: 1,
    ...fields,
  });

  it("Cosmos's system fields are stored on the item but stripped on read; the etag is the item's _etag", async () => {
    const store = await open();
    const id = `sys-${Date.now()}`;
    const written = doc(id, { title: "møte" });
    const etag = await store.write(written, { ifAbsent: true });

    const { resource: raw } = await rawContainer().item(id, "46").read<Record<string, unknown>>();
    expect(raw).toMatchObject({ ...written, _etag: etag });
    expect(Object.keys(raw!).filter((f) => f.startsWith("_"))).toEqual(
      expect.arrayContaining(["_rid", "_self", "_etag", "_ts"]),
    );

    for (const found of [await store.read({ partition: "46", id }), (await store.readMany([{ partition: "46", id }]))[0], (await store.list(written.type))[0]]) {
      expect(found).toStrictEqual({ doc: written, etag });
    }
  });

  it("the container is created with partition key /partition, and items land in their region's partition", async () => {
    const store = await open({ database: "fresh-db", container: "fresh-container" });
    const id = `pk-${Date.now()}`;
    await store.write(doc(id), { ifAbsent: true });

    const container = rawContainer("fresh-db", "fresh-container");
    const { resource: definition } = await container.read();
    expect(definition?.partitionKey?.paths).toEqual(["/partition"]);
    const { resources } = await container.items
      .query({ query: "SELECT c.id FROM c WHERE c.id = @id", parameters: [{ name: "@id", value: id }] }, { partitionKey: "46" })
      .fetchAll();
    expect(resources).toEqual([{ id }]);
  });

  it("with createIfMissing off, a missing container is refused at start, naming it", async () => {
    await expect(open({ database: "nowhere", container: "nothing", createIfMissing: false })).rejects.toThrow(
      /nowhere\/nothing.*does not exist/,
    );
  });

  it("a closed store refuses further calls as unavailable, and closing twice is harmless", async () => {
    const store = await open();
    await store.close();
    await store.close();

    await expect(store.read({ partition: "46", id: "a" })).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.write(doc("a"), { ifAbsent: true })).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it("an endpoint where nothing listens is reported as store unavailable, naming the endpoint", async () => {
    const nowhere = "http://127.0.0.1:9/";
    const err = await openCosmosStore(options({ endpoint: nowhere, requestTimeoutMs: 2000 })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect((err as Error).message).toContain(nowhere);
  }, 30_000);

  it("without a key it says clearly that keyless access is not available yet", async () => {
    await expect(openCosmosStore(options({ key: undefined }))).rejects.toThrow(/COSMOS_KEY/);
    await expect(openStore(loadConfig({ STORE: "cosmos", COSMOS_ENDPOINT: endpoint }))).rejects.toThrow(/COSMOS_KEY/);
  });

  it("STORE=cosmos with the COSMOS_* settings opens this adapter on the named database and container", async () => {
    const store = await openStore(
      loadConfig({ STORE: "cosmos", COSMOS_ENDPOINT: endpoint, COSMOS_KEY: EMULATOR_KEY, COSMOS_DATABASE: "from-env", COSMOS_CONTAINER: "items" }),
    );
    toClose.push(store);
    expect(store.kind).toBe("cosmos");
    await store.write(doc("env"), { ifAbsent: true });
    expect((await rawContainer("from-env", "items").item("env", "46").read()).resource?.id).toBe("env");
  });
});
