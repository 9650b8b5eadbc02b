/**
 * People: role assignments, conversations bound to a region, and each person's language.
 *
 * Storage (architecture.md, persistence model): the `roles` and `bindings` documents in the
 * system partition (small, admin-written, read whole), and one `person` document per person
 * in `_people` (each person writes only their own, so nobody contends for an etag). Writes
 * are guarded by the etag with a bounded reload-and-retry; reads are cached for a short time so
 * that a status turn does not pay extra store reads for them, and a write refreshes this
 * instance's copy at once. Admin commands authorize against a fresh read, not the cache, so a
 * revoked admin cannot act on a stale copy.
 */
import type { Lang } from "../domain/calendar.js";
import { formatRole, mayAdminister, parseRole, sameRole, type Role } from "../domain/roles.js";
import {
  BindingsDocumentSchema,
  PEOPLE_PARTITION,
  PersonDocumentSchema,
  PersonIdSchema,
  RolesDocumentSchema,
  SYSTEM_PARTITION,
  type BindingsDocument,
  type ChannelBinding,
  type PersonDocument,
  type RoleAssignment,
  type RolesDocument,
} from "../store/records.js";
import { StoreConflictError, type DocumentKey, type DocumentStore, type StoredDocument } from "../store/store.js";
import type { Clock } from "./clock.js";
import { TtlCache } from "./ttl-cache.js";

/** A person as Teams names them: Entra ID object id and display name. */
export interface Person {
  id: string;
  name: string;
}

export interface Assignment {
  person: Person;
  role: Role;
  grantedBy: Person;
  grantedAt: string;
}

export interface Roster {
  assignments: Assignment[];
  /** Admins from `ADMIN_AAD_IDS` without a stored assignment (only their ids are known). */
  configuredAdmins: string[];
}

export type GrantResult = { kind: "granted" } | { kind: "already" } | { kind: "not-admin" };
export type RevokeResult =
  | { kind: "revoked" }
  | { kind: "not-held" }
  /** The person is an admin through `ADMIN_AAD_IDS`; only the configuration can change that. */
  | { kind: "configured-admin" }
  /** Nobody would be left to administer the installation. */
  | { kind: "last-admin" }
  | { kind: "not-admin" };
export type BindResult = { kind: "bound"; previous?: string } | { kind: "not-admin" };
export type UnbindResult = { kind: "unbound"; regionId: string } | { kind: "not-bound" } | { kind: "not-admin" };

export interface People {
  /** The person's roles, stored and from `ADMIN_AAD_IDS`; none means viewer. Cached (TTL). */
  rolesOf(personId: string): Promise<Role[]>;
  /** The person's roles from a fresh read, for authorizing a write: a role revoked on another instance must not still count. */
  rolesOfNow(personId: string): Promise<Role[]>;
  isAdmin(personId: string): Promise<boolean>;
  roster(): Promise<Roster>;
  grant(actor: Person, target: Person, role: Role): Promise<GrantResult>;
  revoke(actor: Person, target: Person, role: Role): Promise<RevokeResult>;
  /** The region a conversation is bound to. Cached (TTL). */
  binding(conversationKey: string): Promise<ChannelBinding | undefined>;
  /** Every conversation bound to a region (where a region's nudges are posted). Cached (TTL). */
  bindings(): Promise<Array<{ conversationKey: string; regionId: string }>>;
  bind(actor: Person, conversationKey: string, regionId: string): Promise<BindResult>;
  unbind(actor: Person, conversationKey: string): Promise<UnbindResult>;
  /** The language the person chose; undefined → follow their Teams locale. Cached (TTL). */
  language(personId: string): Promise<Lang | undefined>;
  /** Stores the choice; `undefined` forgets it. Refuses (TypeError) an id that is not an Entra object id. */
  setLanguage(person: Person, lang: Lang | undefined): Promise<void>;
  /**
   * Fills in the display name on the roles of a person granted them without one (a card's people
   * picker gives only the Entra object id). Called when the person writes; a cached read when
   * nothing is missing, a write only the first time.
   */
  learnName(person: Person): Promise<void>;
}

export interface PeopleOptions {
  /** Entra object ids that are admins whatever the store says (bootstrap, `ADMIN_AAD_IDS`). */
  adminIds?: readonly string[];
  /** How long a read of roles, bindings or a language is trusted; other instances' writes show up within it. */
  cacheTtlMs?: number;
  /** Conflicting writes tried before giving up. */
  maxAttempts?: number;
  /** Wall time for the cache (tests move it). */
  now?: () => number;
}

export const DEFAULT_CACHE_TTL_MS = 30_000;

const ROLES_KEY: DocumentKey = { partition: SYSTEM_PARTITION, id: "roles" };
const BINDINGS_KEY: DocumentKey = { partition: SYSTEM_PARTITION, id: "bindings" };
const personKey = (personId: string): DocumentKey => ({ partition: PEOPLE_PARTITION, id: personId });

interface Loaded<D> {
  doc: D;
  /** Absent while the document has never been written. */
  etag?: string;
}

export class ContentionError extends Error {
  readonly code = "CONCURRENCY_EXHAUSTED";
  constructor(key: DocumentKey, attempts: number) {
    super(`gave up writing ${key.partition}/${key.id} after ${attempts} conflicting attempts`);
    this.name = "ContentionError";
  }
}

/** Entra object ids compare case-insensitively; stored and compared in lower case. */
const normalizeId = (id: string) => id.trim().toLowerCase();

export function createPeople(store: DocumentStore, clock: Clock, options: PeopleOptions = {}): People {
  const configuredAdmins = new Set((options.adminIds ?? []).map(normalizeId));
  const ttl = options.cacheTtlMs ?? DEFAULT_CACHE_TTL_MS;
  const maxAttempts = options.maxAttempts ?? 20;
  const rolesCache = new TtlCache<"roles", Loaded<RolesDocument>>(ttl, 1, options.now);
  const bindingsCache = new TtlCache<"bindings", Loaded<BindingsDocument>>(ttl, 1, options.now);
  const languageCache = new TtlCache<string, Lang | undefined>(ttl, 10_000, options.now);

  const emptyRoles = (): RolesDocument => ({ ...ROLES_KEY, id: "roles", partition: SYSTEM_PARTITION, type: "roles", schemaVersion: 1, assignments: [] });
  const emptyBindings = (): BindingsDocument => ({ ...BINDINGS_KEY, id: "bindings", partition: SYSTEM_PARTITION, type: "bindings", schemaVersion: 1, channels: {} });

  const readRoles = () => readDocument(store, ROLES_KEY, (raw) => RolesDocumentSchema.parse(raw), emptyRoles);
  const cachedRoles = () => rolesCache.get("roles", readRoles);
  const readBindings = () => readDocument(store, BINDINGS_KEY, (raw) => BindingsDocumentSchema.parse(raw), emptyBindings);

  const rolesIn = (doc: RolesDocument, personId: string): Role[] => {
    const id = normalizeId(personId);
    const stored = doc.assignments.filter((a) => a.personId === id).map((a) => roleOf(a.role));
    return configuredAdmins.has(id) && !stored.some((r) => r.kind === "admin") ? [{ kind: "admin" }, ...stored] : stored;
  };

  /** Admin commands check a fresh read: the cache could still hold a role revoked on another instance. */
  const isAdminNow = async (personId: string) => {
    const fresh = await readRoles();
    rolesCache.set("roles", fresh);
    return mayAdminister(rolesIn(fresh.doc, personId));
  };

  const updateRoles = <R>(decide: (doc: RolesDocument) => { next?: RolesDocument; result: R }) =>
    updateDocument(store, ROLES_KEY, readRoles, decide, (loaded) => rolesCache.set("roles", loaded), maxAttempts);
  const updateBindings = <R>(decide: (doc: BindingsDocument) => { next?: BindingsDocument; result: R }) =>
    updateDocument(store, BINDINGS_KEY, readBindings, decide, (loaded) => bindingsCache.set("bindings", loaded), maxAttempts);

  const by = (actor: Person) => ({ id: normalizeId(actor.id), name: actor.name });
  const nowIso = () => clock().toUTC().toISO()!;

  return {
    async rolesOf(personId) {
      return rolesIn((await cachedRoles()).doc, personId);
    },

    async rolesOfNow(personId) {
      const fresh = await readRoles();
      rolesCache.set("roles", fresh);
      return rolesIn(fresh.doc, personId);
    },

    async isAdmin(personId) {
      return mayAdminister(rolesIn((await cachedRoles()).doc, personId));
    },

    async roster() {
      const { doc } = await cachedRoles();
      const storedAdmins = new Set(doc.assignments.filter((a) => a.role === "admin").map((a) => a.personId));
      return {
        assignments: doc.assignments.map((a) => ({ person: { id: a.personId, name: a.name }, role: roleOf(a.role), grantedBy: a.grantedBy, grantedAt: a.grantedAt })),
        configuredAdmins: [...configuredAdmins].filter((id) => !storedAdmins.has(id)),
      };
    },

    grant(actor, target, role) {
      const targetId = normalizeId(target.id);
      const canonical = formatRole(role);
      return updateRoles<GrantResult>((doc) => {
        if (!mayAdminister(rolesIn(doc, actor.id))) return { result: { kind: "not-admin" } };
        if (doc.assignments.some((a) => a.personId === targetId && a.role === canonical)) return { result: { kind: "already" } };
        if (role.kind === "admin" && configuredAdmins.has(targetId)) return { result: { kind: "already" } };
        // An unknown name ("": the people picker gives only the id) never replaces a known one.
        const name = target.name || doc.assignments.find((a) => a.personId === targetId && a.name !== "")?.name || "";
        const assignment: RoleAssignment = { personId: targetId, name, role: canonical, grantedBy: by(actor), grantedAt: nowIso() };
        // The display name as Teams shows it today replaces an older one on the person's other roles.
        const others = doc.assignments.map((a) => (a.personId === targetId ? { ...a, name } : a));
        return { next: { ...doc, assignments: [...others, assignment] }, result: { kind: "granted" } };
      });
    },

    revoke(actor, target, role) {
      const targetId = normalizeId(target.id);
      return updateRoles<RevokeResult>((doc) => {
        if (!mayAdminister(rolesIn(doc, actor.id))) return { result: { kind: "not-admin" } };
        const held = doc.assignments.filter((a) => a.personId === targetId && sameRole(roleOf(a.role), role));
        if (held.length === 0) {
          return { result: role.kind === "admin" && configuredAdmins.has(targetId) ? { kind: "configured-admin" } : { kind: "not-held" } };
        }
        const remaining = doc.assignments.filter((a) => !held.includes(a));
        if (role.kind === "admin" && configuredAdmins.size === 0 && !remaining.some((a) => a.role === "admin")) {
          return { result: { kind: "last-admin" } };
        }
        return { next: { ...doc, assignments: remaining }, result: { kind: "revoked" } };
      });
    },

    async binding(conversationKey) {
      const { doc } = await bindingsCache.get("bindings", readBindings);
      return Object.hasOwn(doc.channels, conversationKey) ? doc.channels[conversationKey] : undefined;
    },

    async bindings() {
      const { doc } = await bindingsCache.get("bindings", readBindings);
      return Object.entries(doc.channels).map(([conversationKey, b]) => ({ conversationKey, regionId: b.regionId }));
    },

    async bind(actor, conversationKey, regionId) {
      if (!(await isAdminNow(actor.id))) return { kind: "not-admin" };
      return updateBindings<BindResult>((doc) => {
        const previous = Object.hasOwn(doc.channels, conversationKey) ? doc.channels[conversationKey]!.regionId : undefined;
        const channels = { ...doc.channels, [conversationKey]: { regionId, boundBy: by(actor), boundAt: nowIso() } };
        return { next: { ...doc, channels }, result: previous !== undefined ? { kind: "bound", previous } : { kind: "bound" } };
      });
    },

    async unbind(actor, conversationKey) {
      if (!(await isAdminNow(actor.id))) return { kind: "not-admin" };
      return updateBindings<UnbindResult>((doc) => {
        if (!Object.hasOwn(doc.channels, conversationKey)) return { result: { kind: "not-bound" } };
        const { [conversationKey]: removed, ...channels } = doc.channels;
        return { next: { ...doc, channels }, result: { kind: "unbound", regionId: removed!.regionId } };
      });
    },

    async language(personId) {
      const id = normalizeId(personId);
      // Someone without an Entra object id (another channel, a test client) has no stored choice.
      if (!PersonIdSchema.safeParse(id).success) return undefined;
      return languageCache.get(id, async () => {
        const found = await store.read(personKey(id));
        return found ? PersonDocumentSchema.parse(found.doc).lang : undefined;
      });
    },

    async learnName(person) {
      const id = normalizeId(person.id);
      const name = person.name.trim();
      const nameless = (doc: RolesDocument) => doc.assignments.some((a) => a.personId === id && a.name === "");
      if (name === "" || !nameless((await cachedRoles()).doc)) return;
      await updateRoles<void>((doc) =>
        nameless(doc) ? { next: { ...doc, assignments: doc.assignments.map((a) => (a.personId === id && a.name === "" ? { ...a, name } : a)) }, result: undefined } : { result: undefined },
      );
    },

    async setLanguage(person, lang) {
      const id = PersonIdSchema.parse(normalizeId(person.id));
      const key = personKey(id);
      const empty = (): PersonDocument => ({ id, partition: PEOPLE_PARTITION, type: "person", schemaVersion: 1, updatedAt: nowIso() });
      const read = () => readDocument(store, key, (raw) => PersonDocumentSchema.parse(raw), empty);
      // Read-modify-write under the etag rather than a blind replace: other preferences may live in this document later.
      await updateDocument(
        store,
        key,
        read,
        (doc) => {
          const { lang: _old, ...rest } = doc;
          return { next: { ...rest, ...(lang ? { lang } : {}), updatedAt: nowIso() }, result: undefined };
        },
        (loaded) => languageCache.set(id, loaded.doc.lang),
        maxAttempts,
      );
    },
  };
}

/** Stored role strings were checked when read (zod); a failure here is a bug, not bad input. */
function roleOf(text: string): Role {
  const parsed = parseRole(text);
  if (!parsed.ok) throw new Error(`stored role "${text}" is not a role (${parsed.problem})`);
  return parsed.role;
}

async function readDocument<D>(store: DocumentStore, key: DocumentKey, parse: (raw: unknown) => D, empty: () => D): Promise<Loaded<D>> {
  const found = await store.read(key);
  return found ? { doc: parse(found.doc), etag: found.etag } : { doc: empty() };
}

/**
 * Read → decide → write under the etag; on a conflict read again and decide again, at most
 * `maxAttempts` times (the pattern of `appendToCycle`). `decide` returns no `next` when nothing
 * is to change (or the actor may not), and then nothing is written.
 */
async function updateDocument<D extends StoredDocument, R>(
  store: DocumentStore,
  key: DocumentKey,
  read: () => Promise<Loaded<D>>,
  decide: (doc: D) => { next?: D; result: R },
  remember: (loaded: Loaded<D>) => void,
  maxAttempts: number,
): Promise<R> {
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const current = await read();
    remember(current);
    const { next, result } = decide(current.doc);
    if (!next) return result;
    try {
      const etag = await store.write(next, current.etag ? { ifMatch: current.etag } : { ifAbsent: true });
      remember({ doc: next, etag });
      return result;
    } catch (error) {
      if (!(error instanceof StoreConflictError)) throw error;
      // Someone else wrote in between: wait a little (jittered) and decide again on their version.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
    }
  }
  throw new ContentionError(key, maxAttempts);
}
