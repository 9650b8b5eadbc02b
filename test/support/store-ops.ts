/**
 * A DocumentStore wrapper that counts what the app asks of the store, for asserting the cost of
 * a turn: point reads (`read`, and every key of `readMany` — the Cosmos adapter point-reads each
 * key), writes, removes and `list` calls (a query; cross-partition without a partition).
 */
import type { DocumentKey, DocumentStore } from "../../src/store/store.js";

export interface StoreOps {
  /** `read` calls. */
  reads: number;
  /** `readMany` calls, and the keys they asked for in all. */
  readManyCalls: number;
  readManyKeys: number;
  writes: number;
  removes: number;
  lists: number;
  /** `list` calls without a partition (cross-partition queries). */
  crossPartitionLists: number;
  /** Every key read, point or in a readMany, in order (for the message of a failed assertion). */
  keys: DocumentKey[];
}

export interface CountingStore {
  store: DocumentStore;
  ops: StoreOps;
  /** Point reads in all: `read` calls plus `readMany` keys. */
  pointReads(): number;
  /** Starts counting afresh (e.g. after warming the caches). */
  reset(): void;
}

const zero = (): StoreOps => ({ reads: 0, readManyCalls: 0, readManyKeys: 0, writes: 0, removes: 0, lists: 0, crossPartitionLists: 0, keys: [] });

export function countingStore(inner: DocumentStore): CountingStore {
  const ops = zero();
  const store: DocumentStore = {
    kind: inner.kind,
    read(key) {
      ops.reads++;
      ops.keys.push(key);
      return inner.read(key);
    },
    readMany(keys) {
      ops.readManyCalls++;
      ops.readManyKeys += keys.length;
      ops.keys.push(...keys);
      return inner.readMany(keys);
    },
    write(doc, precondition) {
      ops.writes++;
      return inner.write(doc, precondition);
    },
    remove(key, precondition) {
      ops.removes++;
      return inner.remove(key, precondition);
    },
    list(type, partition) {
      ops.lists++;
      if (partition === undefined) ops.crossPartitionLists++;
      return inner.list(type, partition);
    },
    close: () => inner.close(),
  };
  return {
    store,
    ops,
    pointReads: () => ops.reads + ops.readManyKeys,
    reset: () => Object.assign(ops, zero()),
  };
}
