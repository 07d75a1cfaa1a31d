/**
 * The watch cache (upstream's storage/cacher): one per resource prefix, in front of the shared ObjectStore, with the
 * same methods, so the registry can use either.
 *
 *  - Fed by a single store watch on `<resource prefix>/`: a full list, then a KV watch from its revision. A broken
 *    watch (backend lost) is resumed from the cache's revision with backoff, so watchers do not notice; a
 *    compacted one (the cache fell too far behind) relists and ends every watcher with Expired (clients relist).
 *  - Keeps the current objects in memory and a ring buffer of the last `capacity` events
 *    (`--default-watch-cache-size`, default 100). Watches from a revision whose events are all still in the buffer
 *    are served from it; older -> Expired ("too old resource version"), as upstream.
 *  - Reads: resourceVersion "0" is served from memory at once. Consistent reads (no resourceVersion) first ask the
 *    store for its current revision and wait until the cache has caught up (asking the feed for a progress
 *    notification, like upstream's consistent-reads-from-cache), then serve from memory; NotOlderThan waits for
 *    that revision. If the cache does not catch up in time, or is not ready, the read goes to the store. On etcd
 *    older than 3.4.31 / 3.5.13 requested progress notifications can overtake events (etcd-io/etcd#15220), so
 *    there a consistent read the cache has not reached through its own events goes to the store at once.
 *    Exact reads and continue tokens go to the store (tokens from memory pages carry a real store revision).
 *  - Predicates (label/field selectors) are applied here; watchers cost nothing at the store: hundreds of
 *    watchers share the one store watch. A change asks only the watchers that may select it: those of its
 *    namespace and name, and those pinning a field to its object's or old object's value (watcher-index.ts), so a
 *    thousand kubelets each watching its own node's pods do not each test every pod's change.
 *  - Writes go straight to the store; their effect reaches the cache through the feed.
 *  - Undecodable stored values are kept as error entries: reads that touch them fail naming the key, watchers whose
 *    prefix covers them end with that error; the cache itself keeps running.
 */
import { CompactedError, type KeyValue, type KVWatch, type KVWatchEvent } from '../kv.ts';
import {
  ObjectStore,
  StorageError,
  bookmark,
  encodeContinue,
  everything,
  lazyList,
  lazyWatchEvent,
  objectFromKey,
  parseResourceVersion,
  readPlan,
  sharePage,
  tooOldResourceVersion,
  type EncodedItem,
  type EncodingMemo,
  type GetOptions,
  type GuaranteedUpdateOptions,
  type ListOptions,
  type ListResult,
  type ObjectStoreOptions,
  type Preconditions,
  type Predicate,
  type StoredObject,
  type Watch,
  type WatchEvent,
  type WatchOptions,
  type WatchSink,
} from '../store.ts';
import { Ring } from './ring.ts';
import { SortedKeys } from './sorted-keys.ts';
import { WatcherIndex, type ChangeFields, type FieldsOf, type IndexedWatcher } from './watcher-index.ts';
import { cloneJson } from '../../machinery/json-value.ts';
import { parseJsonInt64 } from '../../machinery/json-int64.ts';
import { jsonTextOfObject } from '../../machinery/json-text.ts';
import { valueDigest } from '../value-digest.ts';

export interface CacherOptions extends ObjectStoreOptions {
  /** Events kept for watches from a past revision (`--default-watch-cache-size`). Default 100. */
  capacity?: number;
  /** How long a read waits for the cache to catch up before going to the store. Default 3000 ms. */
  freshnessTimeoutMs?: number;
  /** While reads wait, how often the feed is asked for a progress notification. Default 100 ms. */
  progressPollMs?: number;
}

/**
 * One cached object, held as its JSON text (lists send it as it is; a reader parses its own copy) with its labels
 * and apiVersion, so the cache stays under twice its objects' JSON size; a decoded object would take two to three
 * times. Field selectors parse the text once per object and kind (see Predicate.selection). Its protobuf bytes, once a
 * reader made them, are kept weakly beside the text (EncodingMemo) until the object changes.
 */
interface Entry extends EncodingMemo {
  json?: string;
  /** The text holds integers past 2^53 (see EncodedItem.int64). */
  int64?: boolean;
  apiVersion?: string;
  labels?: Readonly<Record<string, string>>;
  /** The selectable fields of the object, made by `fieldsOf`. */
  fields?: Record<string, string>;
  fieldsOf?: (obj: StoredObject) => Record<string, string>;
  error?: StorageError;
  /** valueDigest of the stored bytes, so an update from this entry spots a no-op without encoding it again. */
  digest?: number;
  /**
   * The entry itself: an entry is its own EncodedItem (text, apiVersion, memo), so gets and lists hand out the
   * entries, not a wrapper per object and read (a list of 500 made 500 of them, which outlived the young generation
   * while the response was being written and filled the old one).
   */
  memo?: Entry;
}

function entryOf(obj: StoredObject, value: Uint8Array): Entry {
  const { text: json, int64 } = jsonTextOfObject(obj);
  const e: Entry = { json, int64, apiVersion: obj.apiVersion, labels: obj.metadata?.labels, fields: undefined, fieldsOf: undefined, digest: valueDigest(value), encoded: undefined, memo: undefined };
  e.memo = e;
  return e;
}

/** An entry as the EncodedItem it is (only entries with a text: an undecodable one throws before). */
const asEncoded = (e: Entry): EncodedItem => e as EncodedItem;

/** Settled answers of the read path, shared rather than made per read. */
const noEncodedItem: Promise<EncodedItem | undefined> = Promise.resolve(undefined);
const notFresh = Promise.resolve(false);
const freshNow = Promise.resolve(true);

/** A private copy of a cached object. */
function objectOf(e: Entry): StoredObject {
  return (e.int64 ? parseJsonInt64(e.json!) : JSON.parse(e.json!)) as StoredObject;
}

/**
 * Whether a cached object is selected, parsing its text only when the predicate cannot work on labels and fields
 * (`obj`: the object already decoded, read instead). Its selectable fields are kept on the entry: a change is tested
 * by every watcher with a field selector, and they read them once, not once each.
 */
function selects(p: Predicate, e: Entry, obj?: StoredObject): boolean {
  if (p.everything) return true;
  const s = p.selection;
  if (!s) return p.matches(obj ?? objectOf(e));
  if (!s.labels(e.labels ?? {})) return false;
  if (!s.fields) return true;
  return s.fields.matches(fieldsOfEntry(e, s.fields.of, obj));
}

/** The selectable fields of a cached object as `of` makes them, kept on the entry (see selects). */
function fieldsOfEntry(e: Entry, of: FieldsOf, obj?: StoredObject): Record<string, string> {
  if (e.fieldsOf !== of) {
    e.fields = of(obj ?? objectOf(e));
    e.fieldsOf = of;
  }
  return e.fields!;
}

interface CacheEvent {
  rev: number;
  key: string;
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** The new object (for DELETED: the last known state at the deleting revision). */
  obj?: StoredObject;
  /** The cache's entry of `obj` (ADDED, MODIFIED), where watchers' selectors keep what they read of it. */
  entry?: Entry;
  /** The previous state, when the cache knew it: decoded, or still the old entry (see prevOf), or both. */
  prev?: StoredObject;
  prevEntry?: Entry;
  /** The stored value could not be decoded. */
  error?: StorageError;
  /** The encoded forms of this change, shared by every watcher it is sent to (see WatchEvent.shared). */
  shared?: Map<string, Uint8Array>;
}

/**
 * The selectable fields of a change's object and of its update's old object, for the watcher index: read from the
 * entries, where the watchers' selectors then find them. Only for changes with a known object (see Cacher.apply).
 */
const changeFields: ChangeFields<CacheEvent> = (ev, of) => {
  if (ev.type === 'DELETED') return [ev.prevEntry ? fieldsOfEntry(ev.prevEntry, of, ev.prev) : of(ev.prev!)];
  return [fieldsOfEntry(ev.entry!, of, ev.obj), ev.prevEntry && fieldsOfEntry(ev.prevEntry, of, ev.prev)];
};

/** The previous state of an update, parsed from the old entry by the first watcher that needs it. */
function prevOf(ev: CacheEvent): StoredObject | undefined {
  if (!ev.prev && ev.prevEntry) ev.prev = objectOf(ev.prevEntry);
  return ev.prev;
}

/**
 * The change as a watcher receives it: its own copy of the object, made only if read; the encodings shared; the
 * entry's text for a new state (a DELETED event's object is the last state at the deleting revision: no entry's).
 */
function sharedEvent(ev: CacheEvent, type: WatchEvent['type']): WatchEvent {
  return lazyWatchEvent(type, ev, copyOfObject, (ev.shared ??= new Map()), cachedObject, ev.type === 'DELETED' ? undefined : entryText);
}

const copyOfObject = (ev: CacheEvent): StoredObject => cloneJson(ev.obj!);

/** The cache's own object of an event, for a watcher that only reads it (WatchEvent.peek). */
const cachedObject = (ev: CacheEvent): StoredObject => ev.obj!;

/** The cache's entry of an event's new state, which holds its text (WatchEvent.encoded). */
const entryText = (ev: CacheEvent): EncodedItem | undefined => (ev.entry ? asEncoded(ev.entry) : undefined);

class CacheWatcher implements IndexedWatcher {
  done = false;
  place?: IndexedWatcher['place'];
  /** The last revision this watcher has been brought to (event or bookmark). */
  lastRev = 0;
  /** Events at or below this revision are skipped (a watch from a future revision). */
  minRev = 0;

  constructor(
    readonly prefix: string,
    readonly predicate: Predicate,
    readonly sink: WatchSink,
    readonly bookmarks: boolean,
  ) {}
}

/**
 * One page of a list without selectors as the cache's walk found it (its items, the last key walked, whether more
 * follow and how many): lists of the same prefix and limit get it again, not a new walk, until the cache's next
 * event. The list's resourceVersion and continue token are not part of it: they are the cache's revision at each
 * read, which moves without events (progress notifications, proveUnchanged).
 */
interface Page {
  items: readonly Entry[];
  lastKey?: string;
  more: boolean;
  remaining: number;
}

/** At most this many pages are kept at once (distinct prefixes and limits read since the last event). */
const maxPages = 32;

interface RevWaiter {
  rev: number;
  resolve(ok: boolean): void;
  timer: NodeJS.Timeout;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref());


export class Cacher extends ObjectStore {
  /** The resource prefix with a trailing '/': every key this cache holds starts with it. */
  readonly prefix: string;
  private readonly capacity: number;
  private readonly freshnessTimeoutMs: number;
  private readonly progressPollMs: number;

  private readonly items = new Map<string, Entry>();
  private readonly keys = new SortedKeys();
  /** Pages of lists without selectors, by limit and prefix, while the objects are unchanged (see Page). */
  private readonly pages = new Map<string, Page>();
  private rev = 0;
  private ready = false;
  private readyWaiters: (() => void)[] = [];
  private readonly buffer: Ring<CacheEvent>;
  /** Every event with a revision above this one is in the buffer. */
  private bufferStart = 0;
  /** Every watcher, kept by what the objects it selects must hold (see WatcherIndex). */
  private readonly watchers: WatcherIndex<CacheWatcher>;
  private feed?: KVWatch;
  private feedGen = 0;
  private backoffMs = 100;
  /** Whether the feed may be asked for progress notifications (see KV.progressRequestsSupported). */
  private progressRequests = false;
  private stopped = false;
  /** The freshness proof in flight (see caughtUp), shared by every reader that needs one meanwhile. */
  private proof?: Promise<boolean>;
  private revWaiters: RevWaiter[] = [];
  private progressTimer?: NodeJS.Timeout;
  private bookmarkTimer?: NodeJS.Timeout;

  constructor(
    readonly store: ObjectStore,
    resourcePrefix: string,
    opts: CacherOptions = {},
  ) {
    super(store.kv, { ...opts, codec: store.codec });
    this.prefix = resourcePrefix.endsWith('/') ? resourcePrefix : resourcePrefix + '/';
    this.capacity = opts.capacity ?? 100;
    this.freshnessTimeoutMs = opts.freshnessTimeoutMs ?? 3000;
    this.progressPollMs = opts.progressPollMs ?? 100;
    this.buffer = new Ring(this.capacity);
    this.watchers = new WatcherIndex(this.prefix);
    if (this.bookmarkIntervalMs > 0) {
      this.bookmarkTimer = setInterval(() => this.sendBookmarks(), this.bookmarkIntervalMs);
      this.bookmarkTimer.unref();
    }
    void this.relist();
  }

  /** The revision the cache has reached (for tests and metrics). */
  get resourceVersion(): number {
    return this.rev;
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** How many objects the cache holds (apiserver_storage_objects); undefined until it has filled. */
  get objectCount(): number | undefined {
    return this.ready ? this.items.size : undefined;
  }

  /** Resolves when the cache holds a full state (or after `timeoutMs`, with false). */
  whenReady(timeoutMs = this.freshnessTimeoutMs): Promise<boolean> {
    if (this.ready) return Promise.resolve(true);
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.readyWaiters = this.readyWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        resolve(this.ready);
      };
      this.readyWaiters.push(done);
    });
  }

  /** Stops the feed and ends every watcher. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.ready = false;
    this.feedGen++;
    this.feed?.cancel();
    this.feed = undefined;
    if (this.bookmarkTimer) clearInterval(this.bookmarkTimer);
    if (this.progressTimer) clearInterval(this.progressTimer);
    for (const w of this.revWaiters) {
      clearTimeout(w.timer);
      w.resolve(false);
    }
    this.revWaiters = [];
    for (const r of this.readyWaiters) r();
    this.readyWaiters = [];
    this.endWatchers(new StorageError('Unavailable', this.prefix, 'the watch cache was stopped'));
  }

  // ---- writes: straight to the store ----

  override create(key: string, obj: StoredObject, opts: { ttlSeconds?: number } = {}): Promise<StoredObject> {
    return this.store.create(key, obj, opts);
  }

  /** Starts from the cached object when there is one (no read before the write), as upstream's cacher does. */
  override guaranteedUpdate(
    key: string,
    tryUpdate: (current: StoredObject) => Promise<StoredObject>,
    opts: GuaranteedUpdateOptions = {},
  ): Promise<StoredObject> {
    const cached = this.ready && key.startsWith(this.prefix) ? this.items.get(key) : undefined;
    if (opts.suggestion || !cached || cached.error) return this.store.guaranteedUpdate(key, tryUpdate, opts);
    return this.store.guaranteedUpdate(key, tryUpdate, { ...opts, suggestion: objectOf(cached), suggestionDigest: cached.digest });
  }

  override delete(key: string, opts: { preconditions?: Preconditions } = {}): Promise<StoredObject> {
    return this.store.delete(key, opts);
  }

  override currentRevision(): Promise<number> {
    return this.store.currentRevision();
  }

  // ---- reads ----

  override async get(key: string, opts: GetOptions = {}): Promise<StoredObject> {
    if (!key.startsWith(this.prefix)) return this.store.get(key, opts);
    const plan = readPlan(opts);
    if (plan.exact || !(await this.fresh(opts.resourceVersion, plan.minimum))) return this.store.get(key, opts);
    return objectOf(this.entry(key));
  }

  /**
   * The cached text itself (no parse), under the same rules as get; undefined where get would read the store. One
   * promise chain rather than nested async functions: a consistent GET of one object is the commonest read, and each
   * async frame cost it a promise and a suspended frame.
   */
  getEncoded(key: string, opts: GetOptions = {}): Promise<EncodedItem | undefined> {
    if (!key.startsWith(this.prefix)) return noEncodedItem;
    let plan;
    try {
      plan = readPlan(opts);
    } catch (e) {
      return Promise.reject(e); // a bad resourceVersion fails the promise, as from an async function
    }
    if (plan.exact) return noEncodedItem;
    return this.fresh(opts.resourceVersion, plan.minimum).then((fresh) => (fresh ? asEncoded(this.entry(key)) : undefined));
  }

  /** The cached entry of `key`; throws as the store would (not found, or an object that failed to decode). */
  private entry(key: string): Entry {
    const e = this.items.get(key);
    if (!e) throw new StorageError('NotFound', key, `key ${key} not found`, this.rev);
    if (e.error) throw e.error;
    return e;
  }

  override async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    if (!prefix.startsWith(this.prefix) || opts.continue) return this.store.list(prefix, opts);
    const plan = readPlan(opts);
    if (plan.exact || !(await this.fresh(opts.resourceVersion, plan.minimum))) return this.store.list(prefix, opts);
    return this.listFromMemory(prefix, opts);
  }

  /**
   * Whether the cache may answer a read now: '0' at once when ready; otherwise once it has reached the store's
   * current revision (consistent read) or the requested minimum. False: ask the store instead.
   */
  private fresh(resourceVersion: string | undefined, minimum: number): Promise<boolean> {
    if (!this.ready) return notFresh;
    if (resourceVersion === '0') return freshNow;
    const consistent = resourceVersion === undefined || resourceVersion === '';
    if (!consistent) return this.waitFor(minimum);
    let now;
    try {
      now = this.store.revisionNow();
    } catch (e) {
      return Promise.reject(e); // a closed or failing store fails the read's promise, as its query would
    }
    if (now === undefined) return this.store.currentRevision().then(this.caughtUpTo);
    const caught = this.caughtUp(now);
    return caught === true ? freshNow : caught === false ? notFresh : caught;
  }

  private readonly caughtUpTo = (target: number) => this.caughtUp(target);

  /**
   * Whether the cache holds the store's state at `target`, a revision the store has reached. With ordered progress
   * notifications the feed catches up by itself. Without them (etcd before 3.4.31), writes to other resources
   * move the revision with no event here, so the cache asks the store whether anything under its prefix changed
   * since its own revision (KV.changesSince); nothing did: its state holds at the store's revision, which it takes
   * as its own. Something did, or no such query: the read goes to the store. At once (no promise) when the cache has
   * already reached `target`, as it has for most reads, with progress notifications or without: a promise returned
   * into the revision query's chain costs the read two more event-loop hops.
   */
  private caughtUp(target: number): boolean | Promise<boolean> {
    if (this.ready && this.rev >= target) return true;
    if (this.progressRequests) return this.waitFor(target);
    if (this.rev >= target) return this.ready;
    return this.provenCaughtUp(target);
  }

  private async provenCaughtUp(target: number): Promise<boolean> {
    // Two rounds at most: a proof already in flight may have been asked before `target` was read.
    for (let round = 0; round < 2; round++) {
      if (this.rev >= target) return this.ready;
      if (!this.kv.changesSince) return false;
      this.proof ??= this.proveUnchanged().finally(() => (this.proof = undefined));
      if (!(await this.proof)) return false;
    }
    return this.ready && this.rev >= target;
  }

  private async proveUnchanged(): Promise<boolean> {
    if (!this.ready) return false;
    const rev = this.rev;
    const count = this.items.size;
    const gen = this.feedGen;
    const found = await this.kv.changesSince!(this.prefix, rev).catch(() => undefined);
    if (!found || found.written || found.count !== count) return false;
    // No event under the prefix lies in (rev, found.revision]: any that arrived meanwhile is newer still.
    if (gen === this.feedGen && this.rev === rev && found.revision > rev) {
      this.rev = found.revision;
      this.wake();
    }
    return true;
  }

  private listFromMemory(prefix: string, opts: ListOptions): ListResult {
    const predicate = opts.predicate ?? everything;
    const limit = opts.limit && opts.limit > 0 ? opts.limit : 0;
    let page: Page | undefined;
    if (predicate.everything) {
      const key = `${limit}\0${prefix}`;
      page = this.pages.get(key);
      if (!page) {
        page = this.walk(prefix, predicate, limit);
        // Shared by every list that reads it, so readers may keep encodings of the whole page (see PageMemo).
        sharePage(page.items as EncodedItem[]);
        if (this.pages.size >= maxPages) this.pages.clear();
        this.pages.set(key, page);
      }
    } else page = this.walk(prefix, predicate, limit);
    const meta: Omit<ListResult, 'items'> = { resourceVersion: String(this.rev) };
    if (page.more && page.lastKey !== undefined) {
      meta.continue = encodeContinue(this.rev, page.lastKey.slice(prefix.length) + '\x00');
      if (predicate.everything) meta.remainingItemCount = page.remaining;
    }
    return lazyList(meta, page.items as EncodedItem[]);
  }

  /** The objects under `prefix` that `predicate` selects, in key order, up to `limit` (0: all). */
  private walk(prefix: string, predicate: Predicate, limit: number): Page {
    let lastKey: string | undefined;
    let more = false;
    let remaining = 0;
    // The keys under the prefix are those from the prefix up to the first one past it (the prefix with its last
    // character's successor): counted by rank, so a page's remaining count needs no walk over the rest.
    const total = prefix
      ? this.keys.rank(prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)) - this.keys.rank(prefix)
      : this.keys.size;
    // Without a selector the page's size is known: one array of it, not one grown (and copied) push by push.
    const items: Entry[] = predicate.everything ? new Array<Entry>(limit ? Math.min(limit, total) : total) : [];
    let n = 0;
    let visited = 0;
    this.keys.forEachFrom(prefix, (key) => {
      if (visited === total) return false;
      if (limit && n === limit) {
        more = true;
        remaining = total - visited;
        return false;
      }
      visited++;
      const e = this.items.get(key)!;
      lastKey = key;
      if (e.error) throw e.error;
      if (selects(predicate, e)) items[n++] = e;
      return true;
    });
    items.length = n;
    // Frozen: a shared page is handed to many lists, none of which may change it for the others.
    return { items: Object.freeze(items), lastKey, more, remaining };
  }

  // ---- watches ----

  override watch(prefix: string, opts: WatchOptions, sink: WatchSink): Watch {
    if (!prefix.startsWith(this.prefix)) return this.store.watch(prefix, opts, sink);
    const w = new CacheWatcher(prefix, opts.predicate ?? everything, sink, Boolean(opts.allowWatchBookmarks));
    let delegated: Watch | undefined;
    const handle: Watch = {
      stop: () => {
        w.done = true;
        this.watchers.delete(w);
        delegated?.stop();
      },
    };
    const start = async () => {
      const rv = parseResourceVersion(opts.resourceVersion);
      const consistent = opts.resourceVersion === undefined || opts.resourceVersion === '';
      const initial = opts.sendInitialEvents === true || (opts.sendInitialEvents === undefined && rv === 0);
      if (!(await this.whenReady())) {
        throw new StorageError('Unavailable', prefix, 'storage is (re)initializing');
      }
      let minimum = 0;
      if (consistent) minimum = await this.store.currentRevision();
      else if (initial && rv > 0) minimum = rv;
      const caughtUp = consistent ? await this.caughtUp(minimum) : minimum === 0 || (await this.waitFor(minimum));
      if (!caughtUp) {
        // The cache lags behind the store: this watcher is served by the store directly.
        if (!w.done) delegated = this.store.watch(prefix, opts, sink);
        return;
      }
      if (w.done) return;
      if (!this.ready) throw new StorageError('Unavailable', prefix, 'storage is (re)initializing');
      // From here on everything is synchronous: the snapshot/replay and the registration see the same state.
      if (initial) {
        const snapshot = this.listFromMemory(prefix, { predicate: w.predicate }); // throws on an undecodable object
        for (const obj of snapshot.items) this.send(w, { type: 'ADDED', object: obj });
        if (opts.sendInitialEvents) this.send(w, bookmark(this.rev, true));
        w.lastRev = this.rev;
      } else if (consistent || rv === 0) {
        w.lastRev = this.rev;
      } else {
        if (rv < this.bufferStart) throw tooOldResourceVersion(prefix, rv, this.bufferStart);
        w.lastRev = rv;
        if (rv > this.rev) w.minRev = rv;
        for (const ev of this.buffer.since(rv)) this.dispatch(w, ev);
      }
      if (!w.done) this.watchers.add(w);
    };
    start().catch((err) => this.failWatcher(w, err as Error));
    return handle;
  }

  private send(w: CacheWatcher, ev: WatchEvent): void {
    if (w.done) return;
    try {
      w.sink.onEvent(ev);
    } catch (err) {
      // A broken consumer must not break the cache or other watchers.
      this.log.warn({ prefix: w.prefix, err: (err as Error).message }, 'watch consumer failed; watch stopped');
      w.done = true;
      this.watchers.delete(w);
    }
  }

  private failWatcher(w: CacheWatcher, err: Error): void {
    if (w.done) return;
    w.done = true;
    this.watchers.delete(w);
    try {
      w.sink.onError(err);
    } catch {
      // ignore consumer errors
    }
  }

  private endWatchers(err: Error): void {
    for (const w of [...this.watchers.all]) this.failWatcher(w, err);
  }

  /** dispatch, made once for the watcher index's visits (a closure per change would be garbage per change). */
  private readonly dispatchChange = (w: CacheWatcher, ev: CacheEvent): void => this.dispatch(w, ev);

  /** One cache event for one watcher, after its predicate (leaving the selection reads as DELETED). */
  private dispatch(w: CacheWatcher, ev: CacheEvent): void {
    if (w.done || ev.rev <= w.minRev || !ev.key.startsWith(w.prefix)) return;
    w.lastRev = ev.rev;
    if (ev.error) {
      this.failWatcher(w, ev.error);
      return;
    }
    const p = w.predicate;
    switch (ev.type) {
      case 'ADDED':
        if (selects(p, ev.entry!, ev.obj)) this.send(w, sharedEvent(ev, 'ADDED'));
        return;
      case 'MODIFIED': {
        if (p.everything) return this.send(w, sharedEvent(ev, 'MODIFIED'));
        const now = selects(p, ev.entry!, ev.obj);
        const before = ev.prevEntry ? selects(p, ev.prevEntry, ev.prev) : false;
        if (now) this.send(w, sharedEvent(ev, before ? 'MODIFIED' : 'ADDED'));
        else if (before) {
          const old = cloneJson(prevOf(ev)!);
          old.metadata.resourceVersion = String(ev.rev);
          this.send(w, { type: 'DELETED', object: old });
        }
        return;
      }
      case 'DELETED':
        // Unknown previous content: tell the watcher anyway rather than drop the delete.
        if (!ev.prev || (ev.prevEntry ? selects(p, ev.prevEntry, ev.prev) : p.matches(ev.prev))) this.send(w, sharedEvent(ev, 'DELETED'));
        return;
    }
  }

  private sendBookmarks(): void {
    if (!this.ready || this.stopped) return;
    if (this.progressRequests) this.feed?.requestProgress();
    // Every watcher asking for bookmarks gets one at the same revision: its bytes are made once per form, as a
    // change's are, rather than once per watcher, all in this one turn.
    const shared = new Map<string, Uint8Array>();
    for (const w of this.watchers.all) {
      if (!w.bookmarks || w.done || this.rev < w.lastRev) continue;
      w.lastRev = this.rev;
      this.send(w, { ...bookmark(this.rev), shared });
    }
  }

  // ---- the feed ----

  private async relist(): Promise<void> {
    this.ready = false;
    let delay = 100;
    while (!this.stopped) {
      try {
        this.progressRequests = await this.kv.progressRequestsSupported();
        const res = await this.kv.range(this.prefix);
        if (this.stopped) return;
        this.replace(res.kvs.map((kv) => [kv.key, this.decodeEntry(kv)] as const), res.revision);
        this.startFeed(res.revision);
        return;
      } catch (err) {
        this.log.warn({ prefix: this.prefix, err: (err as Error).message }, 'watch cache list failed; retrying');
        await sleep(delay);
        delay = Math.min(delay * 2, 2000);
      }
    }
  }

  /** The object a stored value holds, or why it cannot be read; `written`: a write's event (see decodeWrite). */
  private decodeValue(kv: KeyValue, written = false): { obj?: StoredObject; error?: StorageError } {
    try {
      return { obj: written ? this.store.decodeWrite(kv) : this.decode(kv) };
    } catch (e) {
      this.log.error({ key: kv.key, err: (e as Error).message }, 'undecodable object in the watch cache');
      return { error: e as StorageError };
    }
  }

  private decodeEntry(kv: KeyValue): Entry {
    const { obj, error } = this.decodeValue(kv);
    return obj ? entryOf(obj, kv.value) : { error };
  }

  private replace(entries: (readonly [string, Entry])[], revision: number): void {
    // Watchers cannot follow a relist: they rewatch (from a revision now too old) and relist.
    this.endWatchers(tooOldResourceVersion(this.prefix, this.rev, revision));
    this.items.clear();
    for (const [k, e] of entries) this.items.set(k, e);
    this.keys.reset(entries.map(([k]) => k));
    this.pages.clear();
    this.rev = revision;
    this.buffer.clear();
    this.bufferStart = revision;
    this.ready = true;
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const r of waiters) r();
    this.wake();
  }

  private startFeed(after: number): void {
    if (this.stopped) return;
    const gen = ++this.feedGen;
    try {
      this.feed = this.kv.watch(this.prefix, after, {
        onEvents: (events) => {
          if (gen !== this.feedGen) return;
          this.backoffMs = 100;
          this.apply(events);
        },
        onProgress: (revision) => {
          if (gen !== this.feedGen) return;
          this.backoffMs = 100;
          if (revision > this.rev) this.rev = revision;
          this.wake();
        },
        onError: (err) => {
          if (gen !== this.feedGen) return;
          this.feed = undefined;
          this.feedFailed(err);
        },
      });
    } catch (err) {
      this.feedFailed(err as Error);
    }
  }

  private feedFailed(err: Error): void {
    if (this.stopped) return;
    if (err instanceof CompactedError) {
      this.log.warn({ prefix: this.prefix, err: err.message }, 'watch cache fell behind compaction; relisting');
      void this.relist();
      return;
    }
    // Backend lost: resume from our revision once it is back; watchers keep their streams.
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, 2000);
    setTimeout(() => this.startFeed(this.rev), delay).unref();
  }

  private apply(events: KVWatchEvent[]): void {
    // Any event may change a page (a new, changed or deleted object, or the count after it): walked again on demand.
    if (events.length && this.pages.size) this.pages.clear();
    for (const ev of events) {
      const rev = ev.kv.modRevision;
      const key = ev.kv.key;
      if (rev < this.rev) continue; // already applied (the feed resumes strictly after this.rev)
      const old = this.items.get(key);
      let ce: CacheEvent;
      if (ev.type === 'put') {
        const { obj, error } = this.decodeValue(ev.kv, true);
        if (!old) this.keys.insert(key);
        const entry: Entry = obj ? entryOf(obj, ev.kv.value) : { error };
        this.items.set(key, entry);
        ce = { rev, key, type: old ? 'MODIFIED' : 'ADDED', obj, entry, prevEntry: old && !old.error ? old : undefined, error };
      } else {
        if (old) {
          this.items.delete(key);
          this.keys.remove(key);
        }
        const prevEntry = old && !old.error ? old : undefined;
        let prev = prevEntry ? objectOf(prevEntry) : undefined;
        if (!prev && !old && ev.prevKv) prev = this.decodeValue(ev.prevKv).obj;
        const obj = prev ? { ...prev, metadata: { ...prev.metadata, resourceVersion: String(rev) } } : objectFromKey(key, this.prefix, rev);
        ce = { rev, key, type: 'DELETED', obj, prev, prevEntry };
      }
      if (rev > this.rev) this.rev = rev;
      const evicted = this.buffer.push(ce);
      if (evicted) this.bufferStart = evicted.rev;
      // A change whose object is unknown (undecodable, or deleted unseen) goes to every watcher, as dispatch decides.
      if (ce.error || (ce.type === 'DELETED' && !ce.prev)) this.watchers.forEach(ce, this.dispatchChange);
      else this.watchers.forEachCandidate(key, ce, changeFields, this.dispatchChange);
    }
    this.wake();
  }

  // ---- freshness ----

  /** Resolves true once the cache has reached `rev`, false after the freshness timeout. */
  private waitFor(rev: number): Promise<boolean> {
    if (this.ready && this.rev >= rev) return Promise.resolve(true);
    if (this.stopped) return Promise.resolve(false);
    return new Promise((resolve) => {
      const waiter: RevWaiter = {
        rev,
        resolve,
        timer: setTimeout(() => {
          this.revWaiters = this.revWaiters.filter((x) => x !== waiter);
          resolve(false);
        }, this.freshnessTimeoutMs),
      };
      this.revWaiters.push(waiter);
      if (!this.progressRequests) return; // wait for events only
      this.feed?.requestProgress();
      if (!this.progressTimer) {
        this.progressTimer = setInterval(() => {
          if (this.revWaiters.length === 0) {
            clearInterval(this.progressTimer);
            this.progressTimer = undefined;
            return;
          }
          this.feed?.requestProgress();
        }, this.progressPollMs);
      }
    });
  }

  private wake(): void {
    if (!this.ready || this.revWaiters.length === 0) return;
    const keep: RevWaiter[] = [];
    for (const w of this.revWaiters) {
      if (w.rev <= this.rev) {
        clearTimeout(w.timer);
        w.resolve(true);
      } else keep.push(w);
    }
    this.revWaiters = keep;
  }
}

/** One Cacher per resource prefix over a shared store: a StorageProvider for the API server. */
export class CacherProvider {
  private readonly cachers = new Map<string, Cacher>();

  constructor(
    private readonly store: ObjectStore,
    private readonly opts: CacherOptions = {},
  ) {}

  /** Objects the resource under `prefix` holds now, when its cache exists (list seats in API Priority and Fairness). */
  objectCount(prefix: string): number | undefined {
    return this.cachers.get(prefix)?.objectCount;
  }

  forResource(prefix: string): Cacher {
    let c = this.cachers.get(prefix);
    if (!c) {
      c = new Cacher(this.store, prefix, this.opts);
      this.cachers.set(prefix, c);
    }
    return c;
  }

  /** Every cache made so far, by resource prefix (health checks and metrics read them). */
  all(): ReadonlyMap<string, Cacher> {
    return this.cachers;
  }

  stop(): void {
    for (const c of this.cachers.values()) c.stop();
    this.cachers.clear();
  }
}
