/**
 * The object store: Kubernetes semantics on top of a KV backend. Objects are stored as JSON without their
 * resourceVersion, which is the KV revision of the last write and is set on every read. The same code serves both
 * backends, so etcd and SQLite cannot drift apart in what a resourceVersion, a continue token or a watch means.
 */
import type { KV, KeyValue, KVWatchEvent } from './kv.ts';
import { CompactedError, FutureRevisionError } from './kv.ts';

export type StoredObject = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type StorageErrorCode = 'NotFound' | 'Exists' | 'Conflict' | 'Expired' | 'TooLargeResourceVersion' | 'InvalidObject' | 'Unavailable';

/** A storage-level failure; the registry turns it into a Status naming the resource. */
export class StorageError extends Error {
  constructor(
    readonly code: StorageErrorCode,
    readonly key: string,
    message: string,
    readonly currentRevision?: number,
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
}

export const everything: Predicate = { matches: () => true, everything: true };

export interface ListOptions {
  resourceVersion?: string;
  resourceVersionMatch?: ResourceVersionMatch;
  limit?: number;
  continue?: string;
  predicate?: Predicate;
}

export interface ListResult {
  items: StoredObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchEvent {
  type: WatchEventType;
  object: StoredObject;
}

export interface WatchOptions {
  /** Start after this revision; '' or '0' means: send the current state as ADDED events, then changes. */
  resourceVersion?: string;
  predicate?: Predicate;
  /** Send the current state first, then a BOOKMARK marked `k8s.io/initial-events-end` (watch-list). */
  sendInitialEvents?: boolean;
  allowWatchBookmarks?: boolean;
}

export interface WatchSink {
  onEvent(event: WatchEvent): void;
  /** The watch ended: a StorageError ('Expired' for a compacted start revision) or a backend failure. */
  onError(err: Error): void;
}

export interface Watch {
  stop(): void;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Decodes a stored value and stamps the revision it was read at. An undecodable value names its key. */
export function decodeObject(kv: KeyValue): StoredObject {
  let obj: StoredObject;
  try {
    obj = JSON.parse(decoder.decode(kv.value));
  } catch (e) {
    throw new StorageError('InvalidObject', kv.key, `stored object at ${kv.key} cannot be decoded: ${(e as Error).message}`);
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new StorageError('InvalidObject', kv.key, `stored object at ${kv.key} is not a JSON object`);
  }
  obj.metadata = { ...(obj.metadata ?? {}), resourceVersion: String(kv.modRevision) };
  return obj;
}

function encodeObject(obj: StoredObject): Uint8Array {
  const { resourceVersion: _rv, ...metadata } = obj.metadata ?? {};
  return encoder.encode(JSON.stringify({ ...obj, metadata }));
}

export function parseResourceVersion(rv: string | undefined, what = 'resourceVersion'): number {
  if (rv === undefined || rv === '') return 0;
  if (!/^\d+$/.test(rv)) throw new StorageError('InvalidObject', '', `invalid ${what}: "${rv}" is not a valid resource version`);
  return Number(rv);
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

export function encodeContinue(rv: number, nextKeySuffix: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv, start: nextKeySuffix })).toString('base64url');
}

export function decodeContinue(token: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as ContinueToken;
    if (parsed.v !== 'meta.k8s.io/v1' || typeof parsed.rv !== 'number' || typeof parsed.start !== 'string') throw new Error('bad shape');
    return parsed;
  } catch {
    throw new StorageError('InvalidObject', '', 'continue key is not valid: the token was not issued by this server');
  }
}

const expiredContinueMessage =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

export class ObjectStore {
  constructor(readonly kv: KV) {}

  async create(key: string, obj: StoredObject, opts: { ttlSeconds?: number } = {}): Promise<StoredObject> {
    const res = await this.kv.create(key, encodeObject(obj), opts);
    if (!res.succeeded) throw new StorageError('Exists', key, `key ${key} already exists`);
    return decodeObject(res.kv);
  }

  async get(key: string, opts: { resourceVersion?: string; resourceVersionMatch?: ResourceVersionMatch } = {}): Promise<StoredObject> {
    const revision = await this.readRevision(opts.resourceVersion, opts.resourceVersionMatch);
    const res = await this.translate(key, () => this.kv.get(key, { revision }));
    if (!res.kv) throw new StorageError('NotFound', key, `key ${key} not found`);
    return decodeObject(res.kv);
  }

  /** The KV revision to read at: 0 (latest) unless an Exact match asks for an older state. */
  private async readRevision(rv: string | undefined, match: ResourceVersionMatch | undefined): Promise<number> {
    const wanted = parseResourceVersion(rv);
    if (match === 'Exact') return wanted;
    if (wanted > 0) {
      const current = await this.kv.currentRevision();
      if (wanted > current) {
        throw new StorageError('TooLargeResourceVersion', '', `Too large resource version: ${wanted}, current: ${current}`, current);
      }
    }
    return 0;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const predicate = opts.predicate ?? everything;
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    let revision: number;
    let fromKey = prefix;
    if (opts.continue) {
      const token = decodeContinue(opts.continue);
      revision = token.rv;
      fromKey = prefix + token.start;
    } else {
      revision = await this.readRevision(opts.resourceVersion, opts.resourceVersionMatch);
    }

    const items: StoredObject[] = [];
    let readAt = revision;
    let lastKey: string | undefined;
    let more = false;
    let remaining = 0;
    // Read in batches until `limit` matching objects are found (selectors may reject many).
    for (;;) {
      const batch = limit ? Math.max(limit + 1 - items.length, Math.min(limit * 2, 1000)) : 0;
      const res = await this.translate(prefix, () => this.kv.range(prefix, { revision: readAt, limit: batch, fromKey }), Boolean(opts.continue));
      readAt = res.revision;
      let i = 0;
      for (; i < res.kvs.length; i++) {
        const kv = res.kvs[i];
        if (limit && items.length === limit) {
          more = true;
          break;
        }
        lastKey = kv.key;
        const obj = decodeObject(kv);
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
   * the new one (or throws to abort). A stale `preconditions.resourceVersion` is a Conflict, never retried.
   */
  async guaranteedUpdate(
    key: string,
    tryUpdate: (current: StoredObject) => Promise<StoredObject>,
    opts: { preconditions?: Preconditions; ttlSeconds?: number } = {},
  ): Promise<StoredObject> {
    let currentKv = (await this.translate(key, () => this.kv.get(key))).kv;
    for (;;) {
      if (!currentKv) throw new StorageError('NotFound', key, `key ${key} not found`);
      const current = decodeObject(currentKv);
      checkPreconditions(key, current, opts.preconditions);
      const value = encodeObject(await tryUpdate(structuredClone(current)));
      if (Buffer.compare(Buffer.from(value), Buffer.from(currentKv.value)) === 0) return current; // no-op update keeps the resourceVersion
      const res = await this.translate(key, () => this.kv.update(key, value, currentKv!.modRevision, { ttlSeconds: opts.ttlSeconds }));
      if (res.succeeded) return decodeObject(res.kv);
      currentKv = res.current;
    }
  }

  async delete(key: string, opts: { preconditions?: Preconditions } = {}): Promise<StoredObject> {
    let currentKv = (await this.translate(key, () => this.kv.get(key))).kv;
    for (;;) {
      if (!currentKv) throw new StorageError('NotFound', key, `key ${key} not found`);
      const current = decodeObject(currentKv);
      checkPreconditions(key, current, opts.preconditions);
      const res = await this.translate(key, () => this.kv.delete(key, currentKv!.modRevision));
      if (res.succeeded) {
        current.metadata.resourceVersion = String(res.revision);
        return current;
      }
      currentKv = res.current;
    }
  }

  async currentRevision(): Promise<number> {
    return this.kv.currentRevision();
  }

  /** Watches objects under `prefix`. Events reach the sink in revision order. */
  watch(prefix: string, opts: WatchOptions, sink: WatchSink): Watch {
    const predicate = opts.predicate ?? everything;
    let stopped = false;
    let kvWatch: { cancel(): void } | undefined;
    const start = async () => {
      const rv = parseResourceVersion(opts.resourceVersion);
      let after = rv;
      if (rv === 0 || opts.sendInitialEvents) {
        // Current state first, at one revision; then changes after it.
        const initial = await this.list(prefix, { resourceVersion: '', predicate });
        after = Number(initial.resourceVersion);
        if (stopped) return;
        for (const obj of initial.items) sink.onEvent({ type: 'ADDED', object: obj });
        if (opts.sendInitialEvents) {
          sink.onEvent({ type: 'BOOKMARK', object: { metadata: { resourceVersion: initial.resourceVersion, annotations: { 'k8s.io/initial-events-end': 'true' } } } });
        }
      }
      if (stopped) return;
      kvWatch = this.kv.watch(prefix, after, {
        onEvents: (events) => {
          for (const ev of events) {
            const out = this.toWatchEvent(ev, predicate);
            if (out && !stopped) sink.onEvent(out);
          }
        },
        onProgress: (revision) => {
          if (opts.allowWatchBookmarks && !stopped) sink.onEvent({ type: 'BOOKMARK', object: { metadata: { resourceVersion: String(revision) } } });
        },
        onError: (err) => {
          if (stopped) return;
          stopped = true;
          sink.onError(err instanceof CompactedError ? new StorageError('Expired', prefix, `too old resource version: ${err.requested} (${err.compacted})`) : err);
        },
      });
    };
    start().catch((err) => {
      if (!stopped) {
        stopped = true;
        sink.onError(err);
      }
    });
    return {
      stop() {
        stopped = true;
        kvWatch?.cancel();
      },
    };
  }

  /** One KV event as a Kubernetes watch event, after the predicate: leaving the selection reads as DELETED. */
  private toWatchEvent(ev: KVWatchEvent, predicate: Predicate): WatchEvent | undefined {
    try {
      if (ev.type === 'delete') {
        if (!ev.prevKv) return undefined;
        const obj = decodeObject(ev.prevKv);
        obj.metadata.resourceVersion = String(ev.kv.modRevision);
        return predicate.matches(obj) ? { type: 'DELETED', object: obj } : undefined;
      }
      const obj = decodeObject(ev.kv);
      const now = predicate.matches(obj);
      if (ev.kv.createRevision === ev.kv.modRevision) return now ? { type: 'ADDED', object: obj } : undefined;
      if (predicate.everything) return { type: 'MODIFIED', object: obj };
      const before = ev.prevKv ? predicate.matches(decodeObject(ev.prevKv)) : now;
      if (now && before) return { type: 'MODIFIED', object: obj };
      if (now) return { type: 'ADDED', object: obj };
      if (before) return { type: 'DELETED', object: obj };
      return undefined;
    } catch (e) {
      if (e instanceof StorageError) return { type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: e.message, reason: 'InternalError', code: 500 } };
      throw e;
    }
  }

  /** Maps backend errors to StorageErrors (compaction -> Expired, future revision -> too large). */
  private async translate<T>(key: string, op: () => Promise<T>, continuing = false): Promise<T> {
    try {
      return await op();
    } catch (e) {
      if (e instanceof CompactedError) {
        throw new StorageError('Expired', key, continuing ? expiredContinueMessage : `The resourceVersion for the provided list is too old.`);
      }
      if (e instanceof FutureRevisionError) {
        throw new StorageError('TooLargeResourceVersion', key, `Too large resource version: ${e.requested}, current: ${e.current}`, e.current);
      }
      throw e;
    }
  }
}

function checkPreconditions(key: string, current: StoredObject, pre: Preconditions | undefined): void {
  if (!pre) return;
  if (pre.uid && pre.uid !== current.metadata?.uid) {
    throw new StorageError('Conflict', key, `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${current.metadata?.uid ?? ''}`);
  }
  if (pre.resourceVersion && pre.resourceVersion !== current.metadata?.resourceVersion) {
    throw new StorageError('Conflict', key, `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${current.metadata?.resourceVersion ?? ''}`);
  }
}
