/**
 * The Azure Cosmos DB adapter of the document store port (`STORE=cosmos`).
 *
 * One container, partition key path `/partition` (every document already carries `partition`,
 * the region id). Each port call is one Cosmos item operation whose precondition travels as the
 * matching Cosmos feature: `ifAbsent` → create (409 when it exists), `ifMatch` → replace with
 * `If-Match` (412 when stale, 404 when gone), `unconditional` → upsert. Cosmos owns the etag
 * (`_etag`); the adapter hands it out as the port's etag and strips Cosmos's system fields
 * (`_rid`, `_self`, `_etag`, `_attachments`, `_ts`, …) from what it returns, so a document reads
 * back exactly as written — the same as from SQLite. `serializeDocument` refuses documents with
 * top-level `_` fields, so nothing of the caller's is lost by the stripping.
 */
import type { Agent } from "node:http";
import {
  CosmosClient,
  type Container,
  type ItemDefinition,
  type RequestOptions,
} from "@azure/cosmos";
import { DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import {
  assertValidKey,
  serializeDocument,
  StoreConflictError,
  StoreUnavailableError,
  type DocumentKey,
  type DocumentStore,
  type RemovePrecondition,
  type StoreObserver,
  type StoredDocument,
  type Versioned,
  type WritePrecondition,
} from "./store.js";

/** The partition key path of the container; documents carry their region id in `partition`. */
export const COSMOS_PARTITION_KEY_PATH = "/partition";

export interface CosmosStoreOptions {
  /** Account endpoint, e.g. `https://samhandling.documents.azure.com:443/`, or an emulator's `http://127.0.0.1:8081/`. */
  endpoint: string;
  /** Account key. Without one the store is keyless: it authenticates with Entra ID through `credential`. */
  key?: string;
  /**
   * The Entra ID credential used when there is no `key` (default `new DefaultAzureCredential()`:
   * managed identity in Azure, the developer's `az login` locally). Ignored when `key` is given.
   */
  credential?: TokenCredential;
  database: string;
  container: string;
  /**
   * Create the database and container when missing. Default: true with a key, false keyless —
   * Cosmos DB data-plane RBAC (what a managed identity gets) cannot create databases or
   * containers; with it a create fails with 403, so keyless the default is to check that they
   * exist and name the missing one. Provision them with Bicep/ARM/`az` (control plane) instead.
   */
  createIfMissing?: boolean;
  /** Regions to prefer, in order (e.g. `["Norway East"]`). Ignored for `http://` (emulator) endpoints. */
  preferredRegions?: string[];
  /** Overrides of the SDK's throttling retry (tests use short ones). */
  retry?: { maxAttempts?: number; maxWaitSeconds?: number };
  /** Per-request timeout in milliseconds (default 10 s). */
  requestTimeoutMs?: number;
  /** A custom HTTP(S) agent (a proxy, or a private CA; the tests trust their own certificate with it). */
  agent?: Agent;
}

/**
 * Throttling (429) retry of the SDK, chosen for a chat bot rather than a batch job: the SDK's
 * default (9 attempts, up to 30 s) would hold a Teams turn far longer than the person waits, and
 * longer than the Bot Framework's own timeout. A few retries within 5 s absorb a short burst (the
 * SDK honours `x-ms-retry-after-ms`); beyond that the adapter reports StoreUnavailableError and
 * the bot answers "try again" quickly instead of hanging.
 */
const DEFAULT_MAX_RETRY_ATTEMPTS = 3;
const DEFAULT_MAX_RETRY_WAIT_SECONDS = 5;
/** A point operation normally takes milliseconds; the SDK default of 60 s would outlast the turn. */
const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/**
 * Opens the Cosmos store: checks (and when `createIfMissing`, creates) the database and container,
 * and verifies the container's partition key is `/partition`. Throws StoreUnavailableError when
 * the account cannot be reached or used.
 */
export async function openCosmosStore(options: CosmosStoreOptions): Promise<CosmosStore> {
  const keyless = !options.key;
  const emulator = options.endpoint.startsWith("http://");
  if (keyless && emulator) {
    // The SDK sends Entra ID tokens over TLS only (the emulator's http:// endpoint needs its key).
    throw new Error(`Cosmos DB at ${options.endpoint}: keyless (Entra ID) access needs an https:// endpoint; set COSMOS_KEY`);
  }
  const client = new CosmosClient({
    endpoint: options.endpoint,
    ...(keyless ? { aadCredentials: options.credential ?? new DefaultAzureCredential() } : { key: options.key }),
    ...(options.agent ? { agent: options.agent } : {}),
    connectionPolicy: {
      // An http:// endpoint is a local emulator: it has no regional endpoints to discover.
      enableEndpointDiscovery: !emulator,
      ...(!emulator && options.preferredRegions?.length ? { preferredLocations: options.preferredRegions } : {}),
      requestTimeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
      retryOptions: {
        maxRetryAttemptCount: options.retry?.maxAttempts ?? DEFAULT_MAX_RETRY_ATTEMPTS,
        maxWaitTimeInSeconds: options.retry?.maxWaitSeconds ?? DEFAULT_MAX_RETRY_WAIT_SECONDS,
      },
    },
  });
  const where = `${options.database}/${options.container} at ${options.endpoint}`;
  const createIfMissing = options.createIfMissing ?? !keyless;
  let found: { container: Container; paths: string[] } | undefined;
  try {
    let container: Container;
    if (createIfMissing) {
      const { database } = await client.databases.createIfNotExists({ id: options.database });
      ({ container } = await database.containers.createIfNotExists({
        id: options.container,
        partitionKey: { paths: [COSMOS_PARTITION_KEY_PATH] },
      }));
    } else {
      container = client.database(options.database).container(options.container);
    }
    const { resource, statusCode } = await container.read();
    if (resource && statusCode !== 404) found = { container, paths: resource.partitionKey?.paths ?? [] };
  } catch (err) {
    if (statusOf(err) !== 404) {
      client.dispose();
      const hint = keyless ? keylessHint(err, createIfMissing) : "";
      throw new StoreUnavailableError(`Cannot open the Cosmos DB store ${where}: ${messageOf(err)}${hint}`, { cause: err });
    }
  }
  if (!found) {
    client.dispose();
    throw new Error(
      `Cosmos DB container ${where} does not exist (create it with partition key ${COSMOS_PARTITION_KEY_PATH}, or allow creating it)`,
    );
  }
  if (found.paths.length !== 1 || found.paths[0] !== COSMOS_PARTITION_KEY_PATH) {
    client.dispose();
    throw new Error(
      `Cosmos DB container ${where} has partition key ${JSON.stringify(found.paths)}; this app needs ${COSMOS_PARTITION_KEY_PATH}`,
    );
  }
  return new CosmosStore(client, found.container, where);
}

export class CosmosStore implements DocumentStore {
  readonly kind = "cosmos" as const;
  private closed = false;
  private observer: StoreObserver | undefined;

  constructor(
    private readonly client: CosmosClient,
    private readonly container: Container,
    private readonly where: string,
  ) {}

  async read(key: DocumentKey): Promise<Versioned | undefined> {
    assertValidKey(key);
    return this.pointRead(key);
  }

  observe(observer: StoreObserver | undefined): void {
    this.observer = observer;
  }

  /**
   * Point reads in parallel, one per key, in key order. Cosmos has no single call that point-reads
   * several items across partitions (`items.readMany` is a query per partition range underneath,
   * costlier than point reads for the few keys a turn needs).
   */
  async readMany(keys: DocumentKey[]): Promise<Array<Versioned | undefined>> {
    keys.forEach((key, i) => assertValidKey(key, `keys[${i}]`));
    return Promise.all(keys.map((key) => this.pointRead(key)));
  }

  async write(doc: StoredDocument, precondition: WritePrecondition): Promise<string> {
    // A fresh copy of exactly what SQLite would store (also keeps the SDK off the caller's object).
    const body = JSON.parse(serializeDocument(doc)) as ItemDefinition;
    const key = { partition: doc.partition, id: doc.id };
    this.assertOpen();
    try {
      if ("ifMatch" in precondition) {
        assertEtag(precondition.ifMatch);
        const response = await this.container.item(key.id, key.partition).replace(body, ifMatch(precondition.ifMatch));
        this.tell(response);
        return etagOf(response.resource, key);
      }
      if ("ifAbsent" in precondition && precondition.ifAbsent === true) {
        const response = await this.container.items.create(body);
        this.tell(response);
        return etagOf(response.resource, key);
      }
      if ("unconditional" in precondition && precondition.unconditional === true) {
        const response = await this.container.items.upsert(body);
        this.tell(response);
        return etagOf(response.resource, key);
      }
    } catch (err) {
      this.tell(err, true);
      throw this.translate(err, key);
    }
    throw new TypeError("precondition must be { ifMatch }, { ifAbsent: true } or { unconditional: true }");
  }

  async remove(key: DocumentKey, precondition: RemovePrecondition): Promise<void> {
    assertValidKey(key);
    let options: RequestOptions | undefined;
    if ("ifMatch" in precondition) {
      assertEtag(precondition.ifMatch);
      options = ifMatch(precondition.ifMatch);
    } else if (!("unconditional" in precondition && precondition.unconditional === true)) {
      throw new TypeError("precondition must be { ifMatch } or { unconditional: true }");
    }
    this.assertOpen();
    try {
      this.tell(await this.container.item(key.id, key.partition).delete(options));
    } catch (err) {
      this.tell(err, true);
      // Removing a missing document unconditionally is not an error (as in SQLite).
      if (!options && statusOf(err) === 404) return;
      throw this.translate(err, key);
    }
  }

  /**
   * A parameterized query on `type` (a single-partition query when `partition` is given). The
   * order (partition, then id, by UTF-8 bytes like SQLite's BINARY collation) is applied here:
   * an ORDER BY on two fields would need a composite index on the container. Not for hot paths.
   */
  async list(type: string, partition?: string): Promise<Versioned[]> {
    if (typeof type !== "string" || type.length === 0) {
      throw new TypeError("type must be a non-empty string");
    }
    this.assertOpen();
    const query =
      partition === undefined
        ? { query: "SELECT * FROM c WHERE c.type = @type", parameters: [{ name: "@type", value: type }] }
        : {
            query: "SELECT * FROM c WHERE c.type = @type AND c.partition = @partition",
            parameters: [
              { name: "@type", value: type },
              { name: "@partition", value: partition },
            ],
          };
    let resources: ItemDefinition[];
    try {
      const response = await this.container.items.query<ItemDefinition>(query, partition === undefined ? {} : { partitionKey: partition }).fetchAll();
      this.tell(response);
      resources = response.resources;
    } catch (err) {
      this.tell(err, true);
      throw this.translate(err);
    }
    return resources
      .map((resource) => toVersioned(resource, { partition: String(resource.partition), id: String(resource.id) }))
      .sort((a, b) => compareBytes(a.doc.partition, b.doc.partition) || compareBytes(a.doc.id, b.doc.id));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.dispose();
  }

  private async pointRead(key: DocumentKey): Promise<Versioned | undefined> {
    this.assertOpen();
    try {
      const response = await this.container.item(key.id, key.partition).read<ItemDefinition>();
      this.tell(response);
      const { resource, statusCode } = response;
      if (statusCode === 404 || !resource) return undefined;
      return toVersioned(resource, key);
    } catch (err) {
      this.tell(err, true);
      if (statusOf(err) === 404) return undefined;
      throw this.translate(err, key);
    }
  }

  /**
   * Tells the observer (telemetry) what an answer or an error cost: its request charge, and the
   * 429s the SDK retried on the way (its diagnostics), plus the last one when it gave up.
   */
  private tell(outcome: unknown, failed = false): void {
    if (!this.observer) return;
    const answer = outcome as {
      requestCharge?: unknown;
      headers?: Record<string, unknown>;
      diagnostics?: { clientSideRequestStatistics?: { retryDiagnostics?: { failedAttempts?: Array<{ statusCode?: unknown }> } } };
    } | null;
    const charge = Number(answer?.requestCharge ?? answer?.headers?.["x-ms-request-charge"] ?? 0);
    const retried = answer?.diagnostics?.clientSideRequestStatistics?.retryDiagnostics?.failedAttempts ?? [];
    const throttles = retried.filter((attempt) => attempt.statusCode === 429).length + (failed && statusOf(outcome) === 429 ? 1 : 0);
    this.observer({ requestUnits: Number.isFinite(charge) && charge > 0 ? charge : 0, throttles });
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError(`The Cosmos DB store ${this.where} is closed`);
  }

  /** Preconditions that failed become StoreConflictError; outages, throttling beyond the SDK's retries and 5xx become StoreUnavailableError; anything else (a bug) is rethrown. */
  private translate(err: unknown, key?: DocumentKey): Error {
    const status = statusOf(err);
    if (key && status === 409) {
      return new StoreConflictError(key, `Document ${key.partition}/${key.id} already exists`);
    }
    if (key && (status === 412 || status === 404)) {
      return new StoreConflictError(
        key,
        `Document ${key.partition}/${key.id} was changed or removed since it was read (etag mismatch); reload it and try again`,
      );
    }
    if (this.closed) return new StoreUnavailableError(`The Cosmos DB store ${this.where} is closed`, { cause: err });
    if (status === undefined || status === 408 || status === 429 || status === 401 || status === 403 || status >= 500) {
      return new StoreUnavailableError(`The Cosmos DB store ${this.where} is unavailable: ${messageOf(err)}`, {
        cause: err,
      });
    }
    return err instanceof Error ? err : new Error(String(err));
  }
}

/** What to do about a failure to open the store without a key: sign-in failed, or the identity lacks rights. */
function keylessHint(err: unknown, createIfMissing: boolean): string {
  const status = statusOf(err);
  const how = " (no COSMOS_KEY: authenticating with Entra ID via DefaultAzureCredential";
  if (status === undefined && err instanceof Error && /Credential|Authentication/.test(err.name)) {
    return `${how}, which found no usable identity; set COSMOS_KEY, or run with a managed identity or \`az login\`)`;
  }
  if (status === 401 || status === 403) {
    const create = createIfMissing
      ? "; data-plane roles cannot create databases or containers: create them beforehand and set COSMOS_CREATE_IF_MISSING=false"
      : "";
    return `${how}; grant the identity a Cosmos DB data-plane role such as Cosmos DB Built-in Data Contributor${create})`;
  }
  return "";
}

function ifMatch(etag: string): RequestOptions {
  return { accessCondition: { type: "IfMatch", condition: etag } };
}

function assertEtag(etag: unknown): asserts etag is string {
  if (typeof etag !== "string" || etag.length === 0) {
    throw new TypeError("ifMatch must be a non-empty etag string from an earlier read or write");
  }
}

/** The port's view of a Cosmos item: the document without Cosmos's `_` system fields, and `_etag` as the etag. */
function toVersioned(resource: ItemDefinition, key: DocumentKey): Versioned {
  const doc: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(resource)) {
    if (!field.startsWith("_")) doc[field] = value;
  }
  return { doc: doc as StoredDocument, etag: etagOf(resource, key) };
}

function etagOf(resource: ItemDefinition | undefined, key: DocumentKey): string {
  const etag = (resource as { _etag?: unknown } | undefined)?._etag;
  if (typeof etag !== "string" || etag.length === 0) {
    throw new StoreUnavailableError(`Cosmos DB answered for ${key.partition}/${key.id} without an etag`);
  }
  return etag;
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}

/** The HTTP status of a Cosmos error (`code` is the status for service answers); undefined for network failures and timeouts. */
function statusOf(err: unknown): number | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const { code, statusCode } = err as { code?: unknown; statusCode?: unknown };
  if (typeof code === "number") return code;
  if (typeof statusCode === "number") return statusCode;
  return undefined;
}

function messageOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const status = statusOf(err);
  const first = err.message.split("\n")[0] ?? "";
  return status === undefined ? first : `${status} ${first}`;
}
