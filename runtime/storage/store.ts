/**
 * The object store: Kubernetes semantics on top of a KV backend (upstream's k8s.io/apiserver storage/etcd3). Objects
 * are stored by a codec (`codec.ts`: JSON, or protobuf as kube-apiserver) without their resourceVersion, which is the
 * KV revision of the last write and is set on every read. The same code serves both backends, so etcd and SQLite cannot drift apart in what a resourceVersion, a
 * continue token or a watch means.
 *
 * Read semantics (resourceVersion / resourceVersionMatch), as upstream:
 *  - rv unset: the latest state (a consistent read).
 *  - rv "0" (match unset or NotOlderThan): any state; the store reads the latest, a watch cache answers from memory.
 *  - rv N, match NotOlderThan (or unset without a limit): the latest state, which must be at least N, else
 *    TooLargeResourceVersion.
 *  - rv N, match Exact, or (legacy) match unset with a limit: the state at revision N; compacted -> Expired.
 *  - continue: the next page at the revision of the first one; once compacted -> Expired with a token (rv -1) that
 *    continues the list at the latest revision (an inconsistent remainder).
 */
import { goShapes } from '../machinery/goshape.ts';
import { cloneJson } from '../machinery/json-value.ts';
import { throwIfCancelled, type Cancellation } from '../machinery/cancellation.ts';
import { parseJsonInt64 } from '../machinery/json-int64.ts';
import { posix } from 'node:path';
import type { KV, KeyValue, KVWatch, KVWatchEvent, TxnResult } from './kv.ts';
import { CompactedError, FutureRevisionError, RequestTooLargeError } from './kv.ts';
import { revisionBatch } from './revision-batch.ts';
import { valueDigest } from './value-digest.ts';
import { jsonCodec, type EncodedWrite, type StorageCodec, type StoredObject } from './codec.ts';

export type { StoredObject } from './codec.ts';

/** `RequestTooLarge`: the backend refused a write for its size (etcd's --max-request-bytes); the message is etcd's. */
export type StorageErrorCode = 'NotFound' | 'Exists' | 'Conflict' | 'Expired' | 'TooLargeResourceVersion' | 'InvalidObject' | 'Unavailable' | 'RequestTooLarge';

/** A storage-level failure; the registry turns it into a Status naming the resource. */
export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    readonly key: string,
    message: string,
    readonly currentRevision?: number,
    /** For an Expired continue token: a token that continues the list at the latest revision (`metadata.continue`). */
    readonly continueToken?: string,
  ) {
    super(message);
    this.name = 'StorageError';
  }
}

export interface Preconditions {
  uid?: string;
  resourceVersion?: string;
}

export type ResourceVersionMatch = '' | 'NotOlderThan' | 'Exact';

/** Which objects a list or watch returns. Applied in the store so limits count only matching objects. */
export interface Predicate {
  matches(obj: StoredObject): boolean;
  /** True when every object matches (lets lists report remainingItemCount). */
  readonly everything: boolean;
  /**
   * The same test split as upstream's (labels, then the kind's selectable fields), for a cache that keeps an object
   * as JSON text with its labels: it parses the text only for the fields, once per object and `fieldsOf` (a
   * function that stays the same for a kind, so the cache can keep its answer).
   */
  readonly selection?: Selection;
}

export interface Selection {
  labels(labels: Readonly<Record<string, string>>): boolean;
  fields?: {
    of(obj: StoredObject): Record<string, string>;
    matches(fields: Readonly<Record<string, string>>): boolean;
    /**
     * The values the selector requires fields to equal (`f=v`, `f==v`), by field: an object whose field differs is
     * never selected, so a cache can keep its watchers by them (see cacher/watcher-index.ts).
     */
    exact?: Readonly<Record<string, string>>;
  };
}

export const everything: Predicate = { matches: () => true, everything: true };

export interface GetOptions {
  resourceVersion?: string;
  resourceVersionMatch?: ResourceVersionMatch;
  /** The request's (absent for the server's own reads): work under the store that calls out (conversion webhooks) stops with it. */
  cancellation?: Cancellation;
}

/** The options of a create or delete: the request's cancellation, as GetOptions. */
export interface WriteOptions {
  cancellation?: Cancellation;
}

export interface ListOptions {
  resourceVersion?: string;
  resourceVersionMatch?: ResourceVersionMatch;
  limit?: number;
  continue?: string;
  predicate?: Predicate;
  /** The request's: a list that reads in batches starts no further batch once it is cancelled. */
  cancellation?: Cancellation;
}

export interface ListResult {
  items: StoredObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
  /**
   * The items as the watch cache already holds them encoded: each one's JSON text and apiVersion, in order. A
   * reader that would only serialize the items as JSON, unchanged, joins these texts instead of copying, parsing
   * and encoding every object again (then `items` is never read, and never made).
   */
  encoded?: EncodedItem[];
}

export interface EncodedItem {
  json: string;
  apiVersion: unknown;
  /** The text holds integers past 2^53 (a custom resource's int64s): read it with parseEncoded, not JSON.parse. */
  int64?: boolean;
  /** Where readers keep other encodings of this same object state (see encodedAllAs); absent: encode it yourself. */
  memo?: EncodingMemo;
}

/** An encoded item's object: its text parsed, its int64s exact. */
export function parseEncoded(item: EncodedItem): StoredObject {
  return (item.int64 ? parseJsonInt64(item.json) : JSON.parse(item.json)) as StoredObject;
}

/**
 * Another encoding of one object state in the watch cache (upstream's caching object): the first reader that
 * serializes the object in another form (protobuf) keeps the bytes here, under a key naming the form, and later
 * readers send them as they are. Bounded three ways: made only on demand, dropped with the cache's entry when the
 * object changes (a new resourceVersion is a new entry), and held weakly, so bytes nobody reads again go at the next
 * full garbage collection and an idle cache holds only its JSON texts. The bytes made together (one list's items)
 * share one weak reference: a WeakRef per object would cost as much as encoding a small one.
 */
export interface EncodingMemo {
  encoded?: { form: string; batch: WeakRef<Uint8Array[]>; index: number };
}

/** The bytes of each item in the form `form`: those a reader made of the same state while still held, else `make`'s. */
export function encodedAllAs(items: readonly EncodedItem[], form: string, make: (item: EncodedItem) => Uint8Array): Uint8Array[] {
  const out = new Array<Uint8Array>(items.length);
  let batch: Uint8Array[] | undefined;
  let ref: WeakRef<Uint8Array[]> | undefined;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const kept = item.memo?.encoded;
    let bytes = kept?.form === form ? kept.batch.deref()?.[kept.index] : undefined;
    if (!bytes) {
      bytes = make(item);
      if (item.memo) {
        batch ??= [];
        ref ??= new WeakRef(batch);
        item.memo.encoded = { form, batch: ref, index: batch.push(bytes) - 1 };
      }
    }
    out[i] = bytes;
  }
  return out;
}

/**
 * What readers keep about one page of the watch cache that every identical list is handed while the cache holds
 * the same objects (see Cacher.listFromMemory): the page's items array is the key, so a memo lives exactly as long
 * as the cache keeps handing out that page (it drops the page on its next event) and needs no invalidation of its own.
 */
export interface PageMemo {
  /** How many lists have been answered with this page so far (counted by the reader that encodes it). */
  reads: number;
  /**
   * A whole answer made of the page, by a name for its form: `value` is `head` (what precedes the items, which holds
   * what changes between lists of one page: resourceVersion, continue) followed by the items' bytes from `tailStart`.
   * Sent as it is to every list whose head is the same; `value` is never written again once kept.
   */
  bytes?: { form: string; head: string; value: Uint8Array; tailStart: number };
  /** A head that differed from the kept answer's, once: met again, it heads the kept answer (see rest.ts). */
  nextHead?: string;
  /** The apiVersion every item has (null: they differ); absent until asked (see apiVersionOfAll). */
  apiVersion?: unknown;
}

const pageMemos = new WeakMap<readonly EncodedItem[], PageMemo>();

/** Marks `items` as a page that will be handed out again unchanged, so readers may keep what they make of it. */
export function sharePage(items: readonly EncodedItem[]): void {
  pageMemos.set(items, { reads: 0 });
}

/** The memo of a shared page; undefined for the items of a list made for one read. */
export function pageMemoOf(items: readonly EncodedItem[]): PageMemo | undefined {
  return pageMemos.get(items);
}

/** Whether every item has apiVersion `apiVersion`: for a shared page, found once and kept in its memo. */
export function allOfApiVersion(items: readonly EncodedItem[], apiVersion: unknown): boolean {
  const memo = pageMemos.get(items);
  if (!memo) return items.every((e) => e.apiVersion === apiVersion);
  if (memo.apiVersion === undefined) {
    const first = items.length ? items[0].apiVersion : apiVersion;
    memo.apiVersion = items.every((e) => e.apiVersion === first) ? first : null;
  }
  return items.length === 0 || memo.apiVersion === apiVersion;
}

/** Where a lazy list keeps its texts and, once made, its items (see lazyList). */
const lazyState = Symbol('lazyList');
interface LazyState {
  encoded: EncodedItem[];
  items?: StoredObject[];
}

/** `encoded` lives on the prototype: a copy (`{ ...list }`) never has it, and no list is changed shape per read. */
const lazyListPrototype = {
  get encoded(): EncodedItem[] | undefined {
    const s = (this as unknown as { [lazyState]: LazyState })[lazyState];
    return s.items ? undefined : s.encoded;
  },
};

/**
 * A list whose `items` are made from `encoded` only when something reads them. `encoded` is there only while
 * nobody has: reading `items` (which may then be changed) removes it, and a copy of the list (`{ ...list }`)
 * never has it, so a layer that rebuilds the items cannot leave stale texts behind.
 */
export function lazyList(meta: Omit<ListResult, 'items' | 'encoded'>, encoded: EncodedItem[]): ListResult {
  const state: LazyState = { encoded };
  const list = {
    __proto__: lazyListPrototype,
    ...meta,
    get items(): StoredObject[] {
      return (state.items ??= state.encoded.map(parseEncoded));
    },
    set items(value: StoredObject[]) {
      state.items = value;
    },
  } as unknown as ListResult;
  Object.defineProperty(list, lazyState, { value: state });
  return list;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  object: StoredObject;
  /**
   * Shared by every watcher that receives this same change from the watch cache (upstream's caching object):
   * whoever serializes the event stores the bytes under a key naming the form (version, media type), and the
   * others send those bytes instead of converting and encoding the object again. Absent: encode it yourself.
   */
  shared?: Map<string, Uint8Array>;
  /**
   * The event's object without the private copy `object` makes of the watch cache's own, for a reader that never
   * changes it and keeps no part of it (it copies what it keeps); undefined: read `object`. Every in-process
   * watcher of a change (the garbage collector's, of every resource) paid a copy of the whole object for a few
   * of its metadata fields.
   */
  peek?(): StoredObject | undefined;
  /**
   * The event's object as the watch cache holds it (its JSON text, which a get sends as it is), while the event's
   * object is that state unchanged; undefined: serialize `object`. A JSON watcher's frame is then made of the text
   * the cache already wrote for the change, not of a private copy written again.
   */
  encoded?(): EncodedItem | undefined;
}

/**
 * A watch event whose object is made only when read: with a thousand watchers of one change, those that find
 * the event's bytes in `shared` never pay for a private copy of the object. `make(source)` makes it; `make` is
 * meant to be made once (per module or per watch), not per event: the accessor lives on the prototype, so an event
 * costs one small object rather than an object, two accessors and a closure (it is made once per watcher per change).
 * `object` being inherited, a spread (`{ ...ev }`) or JSON.stringify of the event leaves it out: read it instead.
 */
class LazyWatchEvent<S> implements WatchEvent {
  private made?: StoredObject;
  constructor(
    readonly type: WatchEventType,
    private readonly source: S,
    private readonly make: (source: S) => StoredObject,
    readonly shared: Map<string, Uint8Array>,
    private readonly peekAt?: (source: S) => StoredObject | undefined,
    private readonly encodedAt?: (source: S) => EncodedItem | undefined,
  ) {}
  get object(): StoredObject {
    return (this.made ??= this.make(this.source));
  }
  set object(value: StoredObject) {
    this.made = value;
  }
  peek(): StoredObject | undefined {
    return this.made ?? this.peekAt?.(this.source);
  }
  encoded(): EncodedItem | undefined {
    // An object once handed out may have been changed or replaced by its reader: its text is then no longer this.
    return this.made ? undefined : this.encodedAt?.(this.source);
  }
}

/**
 * `peek(source)`: what `make` would give, without copying (see WatchEvent.peek); absent, peek() reads undefined.
 * `encoded(source)`: that object's cached text, where there is one (see WatchEvent.encoded).
 */
export function lazyWatchEvent<S>(
  type: WatchEventType,
  source: S,
  make: (source: S) => StoredObject,
  shared: Map<string, Uint8Array>,
  peek?: (source: S) => StoredObject | undefined,
  encoded?: (source: S) => EncodedItem | undefined,
): WatchEvent {
  return new LazyWatchEvent(type, source, make, shared, peek, encoded);
}

export interface WatchOptions {
  /**
   * Start after this revision. '' (unset) or '0' without `sendInitialEvents: false`: send the current state as
   * ADDED events first (unset: the latest state; '0': any recent state), then changes.
   */
  resourceVersion?: string;
  predicate?: Predicate;
  /**
   * true: send the current state first, then a BOOKMARK annotated `k8s.io/initial-events-end: "true"` (watch-list).
   * false: never send the current state (only changes after resourceVersion, or after the latest revision).
   */
  sendInitialEvents?: boolean;
  /** Periodic BOOKMARK events carrying the revision the watch has reached. */
  allowWatchBookmarks?: boolean;
}

export interface WatchSink {
  onEvent(event: WatchEvent): void;
  /**
   * The watch ended: a StorageError ('Expired' for a compacted or too old start revision, 'InvalidObject' for an
   * undecodable stored value) or a backend failure (StorageUnavailableError). Called at most once.
   */
  onError(err: Error): void;
}

export interface Watch {
  stop(): void;
}

export interface GuaranteedUpdateOptions {
  preconditions?: Preconditions;
  ttlSeconds?: number;
  /**
   * What the caller believes is stored (the watch cache's copy): the first attempt starts from it instead of
   * reading the store, saving a round trip when it is current. Whenever it leads to a failure, a precondition
   * failure or a no-op, the store is read and the update tried again from what it holds, so a stale suggestion
   * can cost an attempt but never decides an answer. The caller gives it up: the store hands it to the first
   * attempt as it is, without a copy (the watch cache's is a private parse of its text).
   */
  suggestion?: StoredObject;
  /**
   * valueDigest of the bytes the suggestion was decoded from (the watch cache keeps it per object): the first
   * attempt's value is compared with it to spot a no-op, where otherwise the suggestion is encoded to compare with.
   */
  suggestionDigest?: number;
  /** The request's, as GetOptions. */
  cancellation?: Cancellation;
}

/** How long a list reads batches before it lets other work (and its own cancellation) in. */
const batchTurnMs = 10;

/** The methods the registry uses; implemented by ObjectStore and by the watch cache (Cacher). */
export interface ObjectStorage {
  create(key: string, obj: StoredObject, opts?: { ttlSeconds?: number } & WriteOptions): Promise<StoredObject>;
  get(key: string, opts?: GetOptions): Promise<StoredObject>;
  /**
   * The object `get` would return, as the JSON text the watch cache already holds, when the cache can answer and
   * every layer above it would leave the object as it is; otherwise undefined (then call `get`). A reader that
   * would only serialize the object as JSON sends this text, as upstream's caching object shares its bytes.
   */
  getEncoded?(key: string, opts?: GetOptions): Promise<EncodedItem | undefined>;
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  guaranteedUpdate(
    key: string,
    tryUpdate: (current: StoredObject) => Promise<StoredObject>,
    opts?: GuaranteedUpdateOptions,
  ): Promise<StoredObject>;
  delete(key: string, opts?: { preconditions?: Preconditions } & WriteOptions): Promise<StoredObject>;
  watch(prefix: string, opts: WatchOptions, sink: WatchSink): Watch;
  currentRevision(): Promise<number>;
}

/** Minimal logger (pino-compatible); the default writes warnings and errors to stderr. */
export interface StorageLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export const stderrLogger: StorageLogger = {
  warn: (obj, msg) => console.warn(`storage: ${msg}`, obj),
  error: (obj, msg) => console.error(`storage: ${msg}`, obj),
};

export interface ObjectStoreOptions {
  /** How often a watch with allowWatchBookmarks asks the backend for progress and sends a BOOKMARK. Default 60 s. */
  bookmarkIntervalMs?: number;
  log?: StorageLogger;
  /** How objects are written and read (`--storage-media-type`); default JSON. */
  codec?: StorageCodec;
}

export const initialEventsEndAnnotation = 'k8s.io/initial-events-end';

/** Decodes a stored value and stamps the revision it was read at. An undecodable value names its key. */
export function decodeObject(kv: KeyValue, codec: StorageCodec = jsonCodec): StoredObject {
  if (kv.transformError !== undefined) {
    throw new StorageError('InvalidObject', kv.key, `unable to transform key "${kv.key}": ${kv.transformError}`);
  }
  let obj: StoredObject;
  try {
    obj = codec.decode(kv.value);
  } catch (e) {
    throw new StorageError('InvalidObject', kv.key, `stored object at key ${kv.key} cannot be decoded: ${(e as Error).message}`);
  }
  return stampRevision(obj, kv);
}

/** A decoded object as read at `kv`'s revision: its resourceVersion set, in Go's shape. */
function stampRevision(obj: StoredObject, kv: KeyValue): StoredObject {
  const meta = obj.metadata !== null && typeof obj.metadata === 'object' && !Array.isArray(obj.metadata) ? obj.metadata : {};
  obj.metadata = { ...meta, resourceVersion: String(kv.modRevision) };
  // Objects stored before they were written in Go's shape (or by another writer) come out in it all the same.
  goShapes.writeObject(obj);
  return obj;
}

export function encodeObject(obj: StoredObject, codec: StorageCodec = jsonCodec): Uint8Array {
  return codec.encode(obj);
}

/** What is known of a deleted object whose last value is unavailable: its name (and namespace) from the key. */
export function objectFromKey(key: string, prefix: string, revision: number): StoredObject {
  const rel = key.startsWith(prefix) ? key.slice(prefix.length) : key.slice(key.lastIndexOf('/') + 1);
  const parts = rel.split('/').filter(Boolean);
  const metadata: StoredObject = { name: parts[parts.length - 1] ?? '', resourceVersion: String(revision) };
  if (parts.length >= 2) metadata.namespace = parts[parts.length - 2];
  return { metadata };
}

export function parseResourceVersion(rv: string | undefined, what = 'resourceVersion'): number {
  if (rv === undefined || rv === '') return 0;
  if (!/^\d+$/.test(rv)) throw new StorageError('InvalidObject', '', `invalid ${what}: "${rv}" is not a valid resource version`);
  return Number(rv);
}

export function bookmark(revision: number, initialEventsEnd = false): WatchEvent {
  const metadata: StoredObject = { resourceVersion: String(revision) };
  if (initialEventsEnd) metadata.annotations = { [initialEventsEndAnnotation]: 'true' };
  return { type: 'BOOKMARK', object: { metadata } };
}

// ---- continue tokens (upstream's format: base64url JSON {"v","rv","start"}, start relative to the list prefix) ----

export function encodeContinue(rv: number, nextKeySuffix: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: nextKeySuffix })).toString('base64url');
}

/** Decodes a token into the absolute start key and its revision (-1: continue at the latest revision). */
export function decodeContinue(token: string, prefix: string): { fromKey: string; rv: number } {
  const invalid = (why: string) => new StorageError('InvalidObject', '', `invalid continue token: continue key is not valid: ${why}`);
  let parsed: { v?: unknown; rv?: unknown; start?: unknown };
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (e) {
    throw invalid((e as Error).message);
  }
  if (parsed === null || typeof parsed !== 'object' || parsed.v !== 'meta.k8s.io/v1') throw invalid('unsupported continue token version');
  if (typeof parsed.rv !== 'number' || !Number.isInteger(parsed.rv) || parsed.rv === 0 || parsed.rv < -1) {
    throw invalid('incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
  }
  if (typeof parsed.start !== 'string' || parsed.start === '') throw invalid('encoded start key empty (version meta.k8s.io/v1)');
  // Defend against path traversal: the start key must stay inside the prefix.
  const key = parsed.start.startsWith('/') ? parsed.start : '/' + parsed.start;
  if (posix.normalize(key) !== key || key.endsWith('/') || key.includes('/./') || key.includes('/../')) {
    throw invalid(`${parsed.start}`);
  }
  return { fromKey: prefix + key.slice(1), rv: parsed.rv };
}

export const expiredMessage = 'The resourceVersion for the provided list is too old.';
export const continueExpiredMessage =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.';
export const inconsistentContinueMessage =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export function tooLargeResourceVersion(key: string, requested: number, current: number): StorageError {
  return new StorageError('TooLargeResourceVersion', key, `Too large resource version: ${requested}, current: ${current}`, current);
}

export function tooOldResourceVersion(key: string, requested: number, oldest: number): StorageError {
  return new StorageError('Expired', key, `too old resource version: ${requested} (${oldest})`);
}

/**
 * How a list or get reads, from its options: `exact` = read at that revision (0: latest); `minimum` = the latest
 * state must be at least this revision.
 */
export function readPlan(opts: { resourceVersion?: string; resourceVersionMatch?: ResourceVersionMatch; limit?: number }): { exact: number; minimum: number; any: boolean } {
  const rv = parseResourceVersion(opts.resourceVersion);
  switch (opts.resourceVersionMatch ?? '') {
    case 'Exact':
      return { exact: rv, minimum: 0, any: false };
    case 'NotOlderThan':
      return { exact: 0, minimum: rv, any: opts.resourceVersion === '0' };
    default:
      if (rv > 0 && opts.limit && opts.limit > 0) return { exact: rv, minimum: 0, any: false }; // legacy exact
      return { exact: 0, minimum: rv, any: opts.resourceVersion === '0' };
  }
}

/** How many decoded writes wait for their second reader, and up to what size (beyond it, both decode). */
const maxKeptWrites = 128;
const maxKeptWriteBytes = 64 * 1024;

export class ObjectStore implements ObjectStorage {
  protected readonly bookmarkIntervalMs: number;
  protected readonly log: StorageLogger;
  readonly codec: StorageCodec;

  constructor(
    readonly kv: KV,
    opts: ObjectStoreOptions = {},
  ) {
    this.bookmarkIntervalMs = opts.bookmarkIntervalMs ?? 60_000;
    this.log = opts.log ?? stderrLogger;
    this.codec = opts.codec ?? jsonCodec;
  }

  /** A stored value as an object at its revision (see decodeObject). */
  protected decode(kv: KeyValue): StoredObject {
    return decodeObject(kv, this.codec);
  }

  /** Recent writes decoded once (see decodeWrite), oldest first. */
  private readonly writes = new Map<string, { rev: number; obj: StoredObject }>();

  /**
   * Writes in flight, by key: the bytes sent and the object they encode, in its stored shape. The first reader of
   * the written value (see decodeWrite) takes the object from here instead of decoding the bytes back, where the
   * codec can say what decoding would give (StorageCodec.decodeStored); it is dropped when the write fails.
   */
  private readonly sending = new Map<string, EncodedWrite>();

  /** `obj` encoded, remembered as a write in flight to `key` (see sending). */
  private encodeWrite(key: string, obj: StoredObject): Uint8Array {
    if (!this.codec.encodeWrite) return this.codec.encode(obj);
    const sent = this.codec.encodeWrite(obj);
    if (sent.value.length <= maxKeptWriteBytes) this.sending.set(key, sent);
    return sent.value;
  }

  /** The written value as decoding it would give: from the object that was encoded, when that is at hand. */
  private decodeSent(kv: KeyValue): StoredObject {
    const sent = this.sending.get(kv.key);
    if (sent) {
      // Taken whether or not it matches: a record no reader takes would stay until the key's next write.
      this.sending.delete(kv.key);
      if (kv.transformError === undefined && Buffer.from(sent.value.buffer, sent.value.byteOffset, sent.value.byteLength).equals(kv.value)) {
        const obj = this.codec.decodeStored!(sent.stored, sent.value);
        if (obj) return stampRevision(obj, kv);
      }
    }
    return this.decode(kv);
  }

  /** Runs a write of `value` (see encodeWrite); when it does not succeed, what it sent is forgotten. */
  private async sendWrite(key: string, value: Uint8Array, op: () => Promise<TxnResult>): Promise<TxnResult> {
    let res: TxnResult | undefined;
    try {
      res = await this.translate(key, op);
      return res;
    } finally {
      if (!res?.succeeded) this.forgetSent(key, value);
    }
  }

  /** The write to `key` failed or was given up: whatever it sent is not to be read. */
  private forgetSent(key: string, value: Uint8Array | undefined): void {
    if (value && this.sending.get(key)?.value === value) this.sending.delete(key);
  }

  /**
   * A written value as an object, for its two readers: the writer (its result) and the watch cache (the write's
   * event), which come in either order. The value of a key at a revision never changes, so the first decodes it
   * and keeps a copy for the second (protobuf decoding, on etcd, costs many times the copy).
   */
  decodeWrite(kv: KeyValue): StoredObject {
    const kept = this.writes.get(kv.key);
    if (kept?.rev === kv.modRevision) {
      this.writes.delete(kv.key);
      return kept.obj;
    }
    const obj = this.decodeSent(kv);
    if (kept && kept.rev > kv.modRevision) return obj; // a later write's copy still waits for its other reader
    this.writes.delete(kv.key); // set again below, as the newest
    if (kv.value.length <= maxKeptWriteBytes) {
      this.writes.set(kv.key, { rev: kv.modRevision, obj: cloneJson(obj) });
      if (this.writes.size > maxKeptWrites) this.writes.delete(this.writes.keys().next().value!);
    }
    return obj;
  }

  async create(key: string, obj: StoredObject, opts: { ttlSeconds?: number } = {}): Promise<StoredObject> {
    const value = this.encodeWrite(key, obj);
    const res = await this.sendWrite(key, value, () => this.kv.create(key, value, opts));
    if (!res.succeeded) throw new StorageError('Exists', key, `key ${key} already exists`, res.revision);
    return this.decodeWrite(res.kv);
  }

  async get(key: string, opts: GetOptions = {}): Promise<StoredObject> {
    const plan = readPlan(opts);
    const res = await this.translate(key, () => this.kv.get(key, { revision: plan.exact }));
    if (plan.minimum > res.revision) throw tooLargeResourceVersion(key, plan.minimum, res.revision);
    if (!res.kv) throw new StorageError('NotFound', key, `key ${key} not found`, res.revision);
    return this.decode(res.kv);
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const predicate = opts.predicate ?? everything;
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    let fromKey = prefix;
    let plan = { exact: 0, minimum: 0 };
    if (opts.continue) {
      const token = decodeContinue(opts.continue, prefix);
      fromKey = token.fromKey;
      plan = { exact: token.rv > 0 ? token.rv : 0, minimum: 0 };
    } else {
      plan = readPlan(opts);
    }

    const items: StoredObject[] = [];
    let readAt = plan.exact;
    let lastKey: string | undefined;
    let more = false;
    let remaining = 0;
    let first = true;
    let ranSince = performance.now();
    // Read in batches until `limit` matching objects are found (selectors may reject many).
    for (;;) {
      if (!first && performance.now() - ranSince > batchTurnMs) {
        // SQLite answers within the turn: without a yield, a list of many batches would hold the event loop, and
        // neither its deadline nor its client's going away could be seen until it ended.
        await new Promise(setImmediate);
        ranSince = performance.now();
      }
      // As upstream's etcd client, which starts no call with a done context.
      throwIfCancelled(opts.cancellation);
      const batch = limit ? Math.max(limit + 1 - items.length, Math.min(limit * 2, 1000)) : 0;
      const from = fromKey;
      const res = await this.translateList(prefix, opts.continue ? from : undefined, () => this.kv.range(prefix, { revision: readAt, limit: batch, fromKey: from }));
      readAt = res.revision;
      if (first && plan.minimum > readAt) throw tooLargeResourceVersion(prefix, plan.minimum, readAt);
      first = false;
      let i = 0;
      for (; i < res.kvs.length; i++) {
        const kv = res.kvs[i];
        if (limit && items.length === limit) {
          more = true;
          break;
        }
        lastKey = kv.key;
        const obj = this.decode(kv); // upstream fails the whole list on a corrupt object, naming its key
        if (predicate.matches(obj)) items.push(obj);
      }
      if (more) {
        remaining = res.count - i;
        break;
      }
      if (!batch || res.kvs.length < batch || res.count <= res.kvs.length) break;
      fromKey = lastKey + '\x00';
    }
    const result: ListResult = { items, resourceVersion: String(readAt) };
    if (more && lastKey !== undefined) {
      result.continue = encodeContinue(readAt, lastKey.slice(prefix.length) + '\x00');
      if (predicate.everything) result.remainingItemCount = remaining;
    }
    return result;
  }

  /**
   * Read-modify-write with compare-and-swap, retried on conflict: `tryUpdate` gets the current object and returns
   * the new one (or throws to abort). Preconditions are checked against every attempt's current object.
   */
  async guaranteedUpdate(
    key: string,
    tryUpdate: (current: StoredObject) => Promise<StoredObject>,
    opts: GuaranteedUpdateOptions = {},
  ): Promise<StoredObject> {
    const suggested = opts.suggestion;
    const suggestedRevision = Number(suggested?.metadata?.resourceVersion);
    if (suggested && suggestedRevision > 0) {
      // One attempt from the suggestion. What the caller's update refuses (preconditions, conflicts, validation)
      // and a no-op are decided again from the store's state: the suggestion may be stale.
      let value: Uint8Array | undefined;
      try {
        checkPreconditions(key, suggested, opts.preconditions);
        // Without the stored bytes' digest, the suggestion is encoded to compare with, before the attempt, which
        // may change it: it is not copied for it (see suggestion).
        const digest = opts.suggestionDigest;
        const before = digest === undefined ? this.codec.encode(suggested) : undefined;
        value = this.encodeWrite(key, await tryUpdate(suggested));
        if (before ? Buffer.compare(value, before) === 0 : valueDigest(value) === digest) {
          this.forgetSent(key, value);
          value = undefined;
        }
      } catch {
        value = undefined;
      }
      if (value) {
        const sent = value;
        const res = await this.sendWrite(key, sent, () => this.kv.update(key, sent, suggestedRevision, { ttlSeconds: opts.ttlSeconds }));
        if (res.succeeded) return this.decodeWrite(res.kv);
        return this.updateFrom(key, res.current, tryUpdate, opts);
      }
    }
    return this.updateFrom(key, (await this.translate(key, () => this.kv.get(key))).kv, tryUpdate, opts);
  }

  /** The compare-and-swap loop of guaranteedUpdate, from a stored state the store returned. */
  private async updateFrom(
    key: string,
    currentKv: (KeyValue & { stale?: boolean }) | undefined,
    tryUpdate: (current: StoredObject) => Promise<StoredObject>,
    opts: GuaranteedUpdateOptions,
  ): Promise<StoredObject> {
    for (;;) {
      if (!currentKv) throw new StorageError('NotFound', key, `key ${key} not found`);
      const current = this.decode(currentKv);
      checkPreconditions(key, current, opts.preconditions);
      const value = this.encodeWrite(key, await tryUpdate(cloneJson(current)));
      // A no-op update keeps the resourceVersion, unless the stored value is stale (written with an old key).
      if (!currentKv.stale && Buffer.compare(value, currentKv.value) === 0) {
        this.forgetSent(key, value);
        return current;
      }
      const expected = currentKv.modRevision;
      const res = await this.sendWrite(key, value, () => this.kv.update(key, value, expected, { ttlSeconds: opts.ttlSeconds }));
      if (res.succeeded) return this.decodeWrite(res.kv);
      currentKv = res.current;
    }
  }

  /** Deletes the object (conditionally on preconditions); returns its last state with the deleting revision. */
  async delete(key: string, opts: { preconditions?: Preconditions } = {}): Promise<StoredObject> {
    let currentKv = (await this.translate(key, () => this.kv.get(key))).kv;
    for (;;) {
      if (!currentKv) throw new StorageError('NotFound', key, `key ${key} not found`);
      let current: StoredObject | undefined;
      try {
        current = this.decode(currentKv);
      } catch (e) {
        // An undecodable object can still be deleted unconditionally (upstream's unsafe-delete of corrupt objects).
        if (opts.preconditions?.uid || opts.preconditions?.resourceVersion) throw e;
      }
      if (current) checkPreconditions(key, current, opts.preconditions);
      const expected = currentKv.modRevision;
      const res = await this.translate(key, () => this.kv.delete(key, expected));
      if (res.succeeded) {
        const out = current ?? objectFromKey(key, '', res.revision);
        out.metadata.resourceVersion = String(res.revision);
        return out;
      }
      currentKv = res.current;
    }
  }

  /**
   * The store's current revision, for consistent reads. Callers that arrive while a query is in flight share the
   * next one, sent after they arrived (a query sent earlier could miss a write they already saw acknowledged), so
   * under load a couple of queries serve any number of concurrent readers.
   */
  currentRevision(): Promise<number> {
    const now = this.kv.revisionNow?.();
    return now === undefined ? revisionBatch(this.kv).get() : Promise.resolve(now);
  }

  /** The store's current revision at once where its KV keeps it itself (KV.revisionNow), else undefined. */
  revisionNow(): number | undefined {
    return this.kv.revisionNow?.();
  }

  /** Watches objects under `prefix`. Events reach the sink in revision order, each exactly once. */
  watch(prefix: string, opts: WatchOptions, sink: WatchSink): Watch {
    const predicate = opts.predicate ?? everything;
    let stopped = false;
    let kvWatch: KVWatch | undefined;
    let timer: NodeJS.Timeout | undefined;
    let lastRev = 0;
    const stop = () => {
      stopped = true;
      kvWatch?.cancel();
      if (timer) clearInterval(timer);
    };
    const fail = (err: Error) => {
      if (stopped) return;
      stop();
      sink.onError(err);
    };
    const emit = (ev: WatchEvent) => {
      if (!stopped) sink.onEvent(ev);
    };
    const start = async () => {
      const rv = parseResourceVersion(opts.resourceVersion);
      let after = rv;
      const initial = opts.sendInitialEvents === true || (opts.sendInitialEvents === undefined && rv === 0);
      if (initial) {
        // Current state first, at one revision (at least rv); then changes after it.
        const state = await this.list(prefix, { resourceVersion: rv ? String(rv) : '', resourceVersionMatch: rv ? 'NotOlderThan' : '', predicate });
        after = Number(state.resourceVersion);
        if (stopped) return;
        for (const obj of state.items) emit({ type: 'ADDED', object: obj });
        if (opts.sendInitialEvents) emit(bookmark(after, true));
      } else if (rv === 0) {
        after = await this.kv.currentRevision();
      }
      if (stopped) return;
      lastRev = after;
      kvWatch = this.kv.watch(prefix, after, {
        onEvents: (events) => {
          for (const ev of events) {
            if (stopped) return;
            let out: WatchEvent | undefined;
            try {
              out = this.toWatchEvent(prefix, ev, predicate);
            } catch (e) {
              fail(e as Error); // an undecodable object ends the watch with an error naming its key, as upstream
              return;
            }
            lastRev = ev.kv.modRevision;
            if (out) emit(out);
          }
        },
        onProgress: (revision) => {
          if (opts.allowWatchBookmarks && revision >= lastRev && !stopped) {
            lastRev = revision;
            emit(bookmark(revision));
          }
        },
        onError: (err) => {
          fail(err instanceof CompactedError ? tooOldResourceVersion(prefix, after, err.compacted) : err);
        },
      });
      if (opts.allowWatchBookmarks && this.bookmarkIntervalMs > 0) {
        // Ask the backend for progress (the bookmark then carries the store revision); where requested progress
        // is unreliable, bookmark the last delivered revision instead.
        const requests = await this.kv.progressRequestsSupported().catch(() => false);
        if (stopped) return;
        timer = setInterval(() => {
          if (requests) kvWatch?.requestProgress();
          else emit(bookmark(lastRev));
        }, this.bookmarkIntervalMs);
        timer.unref();
      }
    };
    start().catch((err) => fail(err instanceof CompactedError ? tooOldResourceVersion(prefix, err.requested, err.compacted) : err));
    return { stop };
  }

  /** One KV event as a Kubernetes watch event, after the predicate: leaving the selection reads as DELETED. */
  private toWatchEvent(prefix: string, ev: KVWatchEvent, predicate: Predicate): WatchEvent | undefined {
    const rev = ev.kv.modRevision;
    if (ev.type === 'delete') {
      if (!ev.prevKv) {
        // The backend lost the deleted value (e.g. compacted): still tell the watcher, with what the key says.
        this.log.warn({ key: ev.kv.key, revision: rev }, 'delete event without the previous value');
        return { type: 'DELETED', object: objectFromKey(ev.kv.key, prefix, rev) };
      }
      const obj = this.decode(ev.prevKv);
      obj.metadata.resourceVersion = String(rev);
      return predicate.matches(obj) ? { type: 'DELETED', object: obj } : undefined;
    }
    const obj = this.decode(ev.kv);
    const now = predicate.matches(obj);
    const created = ev.kv.createRevision === ev.kv.modRevision;
    if (created || !ev.prevKv) return now ? { type: created ? 'ADDED' : 'MODIFIED', object: obj } : undefined;
    if (predicate.everything) return { type: 'MODIFIED', object: obj };
    const prev = this.decode(ev.prevKv);
    const before = predicate.matches(prev);
    if (now && before) return { type: 'MODIFIED', object: obj };
    if (now) return { type: 'ADDED', object: obj };
    if (before) {
      // Left the selection: DELETED with the previous content at this event's revision, as upstream.
      prev.metadata.resourceVersion = String(rev);
      return { type: 'DELETED', object: prev };
    }
    return undefined;
  }

  /** Maps backend errors to StorageErrors (compaction -> Expired, future revision -> too large, oversized write). */
  protected async translate<T>(key: string, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      if (e instanceof CompactedError) throw new StorageError('Expired', key, expiredMessage);
      if (e instanceof FutureRevisionError) throw tooLargeResourceVersion(key, e.requested, e.current);
      if (e instanceof RequestTooLargeError) throw new StorageError('RequestTooLarge', key, e.message);
      throw e;
    }
  }

  /** As translate, for list pages: a compacted continue token expires with a token for the inconsistent rest. */
  private async translateList<T>(prefix: string, continueFrom: string | undefined, op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (e) {
      if (e instanceof CompactedError && continueFrom !== undefined) {
        const token = encodeContinue(-1, continueFrom.slice(prefix.length));
        throw new StorageError('Expired', prefix, inconsistentContinueMessage, undefined, token);
      }
      if (e instanceof CompactedError) throw new StorageError('Expired', prefix, expiredMessage);
      if (e instanceof FutureRevisionError) throw tooLargeResourceVersion(prefix, e.requested, e.current);
      throw e;
    }
  }
}

export function checkPreconditions(key: string, current: StoredObject, pre: Preconditions | undefined): void {
  if (!pre) return;
  if (pre.uid && pre.uid !== current.metadata?.uid) {
    throw new StorageError('Conflict', key, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata?.uid ?? ''}`);
  }
  if (pre.resourceVersion && pre.resourceVersion !== current.metadata?.resourceVersion) {
    throw new StorageError('Conflict', key, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata?.resourceVersion ?? ''}`);
  }
}
