/**
 * The Cosmos DB adapter against `@vercel/cosmosdb-server`, an in-memory implementation of the
 * Cosmos REST API, started in this process over plain HTTP. It runs the same contract suite as
 * SQLite; all tests share one container (the contract isolates tests by random partition/type).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import type { IncomingMessage } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CosmosClient } from "@azure/cosmos";
import type { TokenCredential } from "@azure/identity";
import { createHttpsServer } from "@vercel/cosmosdb-server";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/compose.js";
import { loadConfig } from "../../src/config.js";
import { openCosmosStore, type CosmosStore, type CosmosStoreOptions } from "../../src/store/cosmos-store.js";
import { StoreUnavailableError, type StoredDocument } from "../../src/store/store.js";
import { EMULATOR_KEY, startCosmosEmulator, type CosmosEmulator } from "../support/cosmos-emulator.js";
import { describeStoreContract, type StoreContractFixture } from "./contract.js";
import { describeReportDocumentsContract } from "./report-documents.js";

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

async function openCosmos(): Promise<StoreContractFixture> {
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
}

describeStoreContract("cosmos (in-process emulator over HTTP)", openCosmos);
describeReportDocumentsContract("cosmos (in-process emulator over HTTP)", openCosmos);

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

  /**
   * Keyless needs TLS (the SDK sends Entra ID tokens over https only), so these tests run their own
   * in-process server over https with a throwaway self-signed certificate (made with openssl),
   * trusted through the store's `agent`, and record the Authorization header of every request.
   */
  async function startHttpsEmulator() {
    const dir = mkdtempSync(join(tmpdir(), "cosmos-tls-"));
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
      "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")], { stdio: "ignore" });
    const cert = readFileSync(join(dir, "cert.pem"));
    const server = createHttpsServer({ key: readFileSync(join(dir, "key.pem")), cert });
    rmSync(dir, { recursive: true, force: true });
    const authorizations: string[] = [];
    server.prependListener("request", (req: IncomingMessage) => authorizations.push(String(req.headers.authorization)));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    toClose.push({ close: () => new Promise<void>((resolve) => server.close(() => resolve())) });
    const agent = new HttpsAgent({ ca: cert });
    toClose.push({ close: () => agent.destroy() });
    return { endpoint: `https://127.0.0.1:${(server.address() as AddressInfo).port}/`, agent, authorizations };
  }
  function fakeCredential(scopes: string[] = []): TokenCredential {
    return {
      getToken: async (scope) => {
        scopes.push(...[scope].flat());
        return { token: "fake-entra-token", expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
  }

  it("without a key it signs in with the Entra ID credential: Authorization type=aad, token from getToken", async () => {
    const tls = await startHttpsEmulator();
    const scopes: string[] = [];
    // The in-process server lets a data-plane identity create; real Cosmos would not (hence opt-in).
    const store = await open({ endpoint: tls.endpoint, agent: tls.agent, key: undefined, credential: fakeCredential(scopes), createIfMissing: true });
    await store.write(doc("aad"), { ifAbsent: true });
    expect((await store.read({ partition: "46", id: "aad" }))?.doc.id).toBe("aad");

    expect(scopes[0]).toBe(`${tls.endpoint.replace(/\/$/, "")}/.default`);
    expect(tls.authorizations.length).toBeGreaterThan(0);
    for (const header of tls.authorizations) expect(decodeURIComponent(header)).toBe("type=aad&ver=1.0&sig=fake-entra-token");
  });

  it("keyless, the database and container are not created by default: a missing one is named", async () => {
    const tls = await startHttpsEmulator();
    const keyless = { endpoint: tls.endpoint, agent: tls.agent, key: undefined, credential: fakeCredential() };
    await expect(open({ ...keyless, database: "keyless-db", container: "keyless-c" })).rejects.toThrow(/keyless-db\/keyless-c.*does not exist/);
    // Once provisioned (here: by a keyed open), the default opens it without trying to create.
    await open({ ...keyless, createIfMissing: true });
    expect((await open(keyless)).kind).toBe("cosmos");
  });

  it("keyless, a credential that finds no identity is reported clearly, suggesting COSMOS_KEY", async () => {
    const tls = await startHttpsEmulator();
    const credential: TokenCredential = {
      getToken: async () => {
        const err = new Error("DefaultAzureCredential failed to retrieve a token from the included credentials.");
        err.name = "CredentialUnavailableError";
        throw err;
      },
    };
    const err = await openCosmosStore(options({ endpoint: tls.endpoint, agent: tls.agent, key: undefined, credential })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(StoreUnavailableError);
    expect((err as Error).message).toMatch(/Entra ID.*COSMOS_KEY/);
  });

  it("keyless on an http:// (emulator) endpoint is refused up front: tokens travel over TLS only", async () => {
    await expect(openCosmosStore(options({ key: undefined, credential: fakeCredential() }))).rejects.toThrow(/https.*COSMOS_KEY/);
    await expect(openStore(loadConfig({ STORE: "cosmos", COSMOS_ENDPOINT: endpoint }))).rejects.toThrow(/https.*COSMOS_KEY/);
  });

  it("COSMOS_CREATE_IF_MISSING=false reaches the store: a missing container is refused, naming it", async () => {
    await expect(
      openStore(loadConfig({ STORE: "cosmos", COSMOS_ENDPOINT: endpoint, COSMOS_KEY: EMULATOR_KEY, COSMOS_DATABASE: "env-nowhere", COSMOS_CREATE_IF_MISSING: "false" })),
    ).rejects.toThrow(/env-nowhere\/process.*does not exist/);
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
