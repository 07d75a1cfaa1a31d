/**
 * The key-value contract every storage backend implements.
 *
 * It is deliberately etcd's own model (a multi-version store with one global revision counter), so the etcd
 * backend is a thin adapter and the embedded SQLite backend emulates the same semantics. Everything Kubernetes-
 * specific (objects, resourceVersion, continue tokens, selectors) lives one layer up, in `store.ts`, and is shared
 * by both backends.
 *
 * Revisions are plain numbers: they stay far below 2^53 in any real deployment.
 */

/** One stored key at some revision. */
export interface KeyValue {
  key: string;
  value: Uint8Array;
  /** Revision of the write that created this key (unchanged by updates). */
  createRevision: number;
  /** Revision of the last write to this key: the object's resourceVersion. */
  modRevision: number;
  /**
   * Set by a value transformer (encryption at rest) when the value was read with other than the write provider or
   * key: an update rewrites it even if nothing changed, so rewriting every object completes a key rotation.
   */
  stale?: boolean;
  /** Set by a value transformer when the stored bytes could not be turned back into the value (decryption failed). */
  transformError?: string;
}

export interface RangeOptions {
  /** Read the state as of this revision (0 or absent: latest). A compacted revision throws `CompactedError`. */
  revision?: number;
  /** Maximum number of keys to return (0 or absent: all). */
  limit?: number;
}

export interface RangeResult {
  kvs: KeyValue[];
  /** Number of keys in the whole range at that revision, including those past the limit. */
  count: number;
  /** The store revision the read was served at. */
  revision: number;
}

/** What `KV.changesSince` found under a prefix. */
export interface PrefixChanges {
  /** The store revision the answer holds at. */
  revision: number;
  /** Number of keys under the prefix at that revision. */
  count: number;
  /** Whether any key under the prefix was written (created or updated) after the revision asked about. */
  written: boolean;
}

/** Result of a conditional write. On failure, `current` is the key's current value (absent if the key is gone). */
export type TxnResult =
  | { succeeded: true; revision: number; kv: KeyValue }
  | { succeeded: false; revision: number; current?: KeyValue };

export type WatchEventType = 'put' | 'delete';

export interface KVWatchEvent {
  type: WatchEventType;
  /** For put: the new value. For delete: key with empty value and modRevision = the deleting revision. */
  kv: KeyValue;
  /** The value before this event, when the backend knows it (always known for delete). */
  prevKv?: KeyValue;
}

export interface KVWatchHandlers {
  /** Events in revision order; all events of one revision are delivered in one call. */
  onEvents(events: KVWatchEvent[]): void;
  /**
   * A progress notification: every event up to `revision` has been delivered. Lets caches advance their
   * revision without a write to this prefix.
   */
  onProgress?(revision: number): void;
  /** The watch ended abnormally (compacted start revision: `CompactedError`; backend lost: other errors). */
  onError(err: Error): void;
}

export interface KVWatch {
  cancel(): void;
  /**
   * Asks for a progress notification (`onProgress`) as soon as every event up to the store's current revision has
   * been delivered (etcd: a WatchRequest progress_request). Lets a cache prove it is fresh without a write.
   */
  requestProgress(): void;
}

/** Thrown (or passed to onError) when a requested revision has been compacted away. Maps to 410 Expired/Gone. */
export class CompactedError extends Error {
  constructor(
    readonly requested: number,
    readonly compacted: number,
  ) {
    super(`required revision ${requested} has been compacted (compacted revision ${compacted})`);
    this.name = 'CompactedError';
  }
}

/** Thrown when a revision newer than the store's current one is requested. Maps to 504 Timeout / "too large". */
export class FutureRevisionError extends Error {
  constructor(
    readonly requested: number,
    readonly current: number,
  ) {
    super(`required revision ${requested} is a future revision (current revision ${current})`);
    this.name = 'FutureRevisionError';
  }
}

/** etcd's default --max-request-bytes: the largest write it takes (key, value and a little framing), 1.5 MiB. */
export const defaultMaxRequestBytes = 1572864;

/**
 * Thrown when the backend refuses a write as bigger than it takes. The message is what etcd says, so clients see
 * the same text whichever backend refused it.
 */
export class RequestTooLargeError extends Error {
  constructor(message = 'etcdserver: request is too large') {
    super(message);
    this.name = 'RequestTooLargeError';
  }
}

/** Thrown when the backend cannot be reached. Maps to 503/500 Status; the request fails fast rather than hang. */
export class StorageUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

export interface KV {
  /** Reads one key (latest, or as of `revision`). */
  get(key: string, opts?: { revision?: number }): Promise<{ kv?: KeyValue; revision: number }>;
  /** Reads all keys with this prefix in key order, starting at `fromKey` (inclusive) when given. */
  range(prefix: string, opts?: RangeOptions & { fromKey?: string }): Promise<RangeResult>;
  /** Writes `key` only if it does not exist. `ttlSeconds` attaches an expiry (etcd: a lease). */
  create(key: string, value: Uint8Array, opts?: { ttlSeconds?: number }): Promise<TxnResult>;
  /** Writes `key` only if its modRevision is `expectedModRevision` (compare-and-swap). */
  update(key: string, value: Uint8Array, expectedModRevision: number, opts?: { ttlSeconds?: number }): Promise<TxnResult>;
  /** Deletes `key`, only if its modRevision is `expectedModRevision` when given. */
  delete(key: string, expectedModRevision?: number): Promise<TxnResult>;
  /** Watches every key with this prefix for events strictly after `afterRevision`. */
  watch(prefix: string, afterRevision: number, handlers: KVWatchHandlers): KVWatch;
  /** The store's current revision. */
  currentRevision(): Promise<number>;
  /**
   * The current revision at once, where the store keeps it itself (SQLite: its own commits, and those of other
   * processes on the same file read in as it answers): a consistent read then costs no query, promise or event-loop
   * turn. Absent where the revision is a round trip to another process (etcd): consistent readers gather their
   * queries per event-loop turn (revision-batch.ts).
   */
  revisionNow?(): number;
  /** Drops history older than `revision`. */
  compact(revision: number): Promise<void>;
  /** The oldest revision still readable (after compaction). */
  compactedRevision(): Promise<number>;
  /**
   * Whether requested progress notifications (`KVWatch.requestProgress`) are ordered with the watch's events, so a
   * cache may trust them to prove freshness. etcd before 3.4.31 / 3.5.13 could send one ahead of pending events
   * (etcd-io/etcd#15220); there, callers must not request progress and fall back to reading the store.
   */
  progressRequestsSupported(): Promise<boolean>;
  /**
   * Optional, for backends without ordered progress notifications: in one cheap read (keys only, at most one
   * returned), whether anything under `prefix` was written after `revision`, and how many keys it holds now. A
   * cache that held `count` keys at `revision` and sees nothing written since holds the current state: deletes
   * would lower the count, and creates or updates would show as written.
   */
  changesSince?(prefix: string, revision: number): Promise<PrefixChanges>;
  /** Throws if the backend is unreachable; used by the `etcd` health check. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
