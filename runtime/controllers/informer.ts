/**
 * The two pieces every in-process controller (and every part of the server that keeps a copy of some resource,
 * such as RBAC) needs, shaped as client-go's: a shared informer (list, then watch from the list's revision, and
 * list again when the watch ends) feeding handlers, and a work queue of keys that runs one sync at a time per
 * controller, collapses duplicates and retries failures after a delay.
 */
import type { Logger } from 'pino';
import { systemContext, type RegistryStore, type RequestContext } from '../registry/store.ts';
import type { StoredObject, Watch, WatchSink } from '../storage/store.ts';

export interface InformerHandler {
  /** An object appeared or changed (`old` is the previous copy, if any). */
  upsert(obj: StoredObject, old: StoredObject | undefined): void;
  delete(obj: StoredObject): void;
}

/** `namespace/name`, or `name` for cluster-scoped objects: the key of the informer's copy. */
export function objectKey(obj: StoredObject): string {
  return obj.metadata?.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : String(obj.metadata?.name ?? '');
}

/** What an informer reads: a registry store, or anything else that lists and watches one resource. */
export interface InformerSource {
  kind: { resource: string };
  list(ctx: RequestContext): Promise<{ items: StoredObject[]; resourceVersion: string }>;
  watch(ctx: RequestContext, opts: { resourceVersion?: string; allowWatchBookmarks?: boolean }, sink: WatchSink): Watch;
}

/**
 * An in-memory copy of one resource kept current from a list and a watch on its registry store (served by the
 * watch cache), telling each handler about every change. When the watch ends (compaction, a store restart) the
 * resource is listed again and the difference is reported: changed objects as upserts, vanished ones as deletes,
 * so handlers never keep an object the store no longer has.
 */
export class SharedInformer {
  readonly items = new Map<string, StoredObject>();
  private readonly handlers: InformerHandler[] = [];
  private watch?: Watch;
  private stopped = false;
  private running = false;
  private readonly syncedOnce: Promise<void>;
  private resolveSynced!: () => void;
  private readonly ctx: RequestContext;

  constructor(
    private readonly store: InformerSource,
    private readonly opts: {
      ctx?: RequestContext;
      log?: Logger;
      relistDelayMs?: number;
      /**
       * Trims each object before it is kept and handed on (client-go's SetTransform); must keep name, namespace and
       * resourceVersion. It may be given the watch cache's own object (WatchEvent.peek), so it copies what it keeps
       * and changes nothing: a trimmed watcher then pays no private copy of every object it is told about.
       */
      transform?: (obj: StoredObject) => StoredObject;
    } = {},
  ) {
    this.ctx = opts.ctx ?? systemContext();
    this.syncedOnce = new Promise((r) => (this.resolveSynced = r));
  }

  /** Adds a handler; it is told about every object already in the copy first. */
  addHandler(h: InformerHandler): void {
    this.handlers.push(h);
    for (const obj of this.items.values()) h.upsert(obj, undefined);
  }

  /** Resolves once the first list has been applied. */
  synced(): Promise<void> {
    return this.syncedOnce;
  }

  /** Starts listing and watching (once); resolves with the first sync. */
  start(): Promise<void> {
    if (!this.running) {
      this.running = true;
      void this.run();
    }
    return this.syncedOnce;
  }

  stop(): void {
    this.stopped = true;
    this.watch?.stop();
  }

  private async run(): Promise<void> {
    const resource = this.store.kind.resource;
    while (!this.stopped) {
      try {
        const list = await this.store.list(this.ctx);
        if (this.stopped) return;
        this.replace(list.items);
        this.resolveSynced();
        await new Promise<void>((resolve) => {
          this.watch = this.store.watch(this.ctx, { resourceVersion: list.resourceVersion, allowWatchBookmarks: true }, {
            onEvent: (ev) => {
              if (ev.type === 'ADDED' || ev.type === 'MODIFIED') this.apply((this.opts.transform && ev.peek?.()) || ev.object);
              else if (ev.type === 'DELETED') this.remove(ev.object);
              else if (ev.type === 'ERROR') resolve();
            },
            onError: (err) => {
              this.opts.log?.debug({ err, resource }, 'informer watch ended; listing again');
              resolve();
            },
          });
          if (this.stopped) resolve();
        });
        this.watch?.stop();
      } catch (err) {
        this.opts.log?.warn({ err, resource }, 'informer list failed; retrying');
      }
      if (!this.stopped) await new Promise((r) => setTimeout(r, this.opts.relistDelayMs ?? 500).unref());
    }
  }

  /** A fresh list: what vanished since the last one is deleted, the rest applied. */
  private replace(items: StoredObject[]): void {
    const listed = new Set(items.map(objectKey));
    for (const [key, obj] of this.items) if (!listed.has(key)) this.remove(obj);
    for (const obj of items) {
      const old = this.items.get(objectKey(obj));
      // Compared on resourceVersion only, so a transformed copy compares as well as the full object.
      if (old?.metadata?.resourceVersion !== obj.metadata?.resourceVersion) this.apply(obj);
    }
  }

  private apply(full: StoredObject): void {
    const obj = this.opts.transform ? this.opts.transform(full) : full;
    const key = objectKey(obj);
    const old = this.items.get(key);
    this.items.set(key, obj);
    for (const h of this.handlers) h.upsert(obj, old);
  }

  private remove(obj: StoredObject): void {
    const key = objectKey(obj);
    const old = this.items.get(key) ?? obj;
    this.items.delete(key);
    for (const h of this.handlers) h.delete(old);
  }
}

/** A handler told each event by its type, as controllers that queue keys want it. */
export type InformerEventHandler = (type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: StoredObject) => void;

/**
 * What a handler that reads only which object changed keeps of it (a SharedInformer transform): its identity, the
 * rest left to the watch cache, so a write of the resource costs no private copy of the whole object.
 */
export function identityOnly(obj: StoredObject): StoredObject {
  const { name, namespace, uid, resourceVersion } = obj.metadata ?? {};
  return { apiVersion: obj.apiVersion, kind: obj.kind, metadata: { name, namespace, uid, resourceVersion } };
}

/** A shared informer with one event handler: the shape most controllers use. `transform`: see SharedInformer's. */
export class Informer extends SharedInformer {
  constructor(store: RegistryStore, ctx: RequestContext, handler: InformerEventHandler, log?: Logger, transform?: (obj: StoredObject) => StoredObject) {
    super(store, { ctx, log, transform });
    this.addHandler({ upsert: (obj, old) => handler(old ? 'MODIFIED' : 'ADDED', obj), delete: (obj) => handler('DELETED', obj) });
  }
}

export class WorkQueue {
  private readonly pending = new Set<string>();
  private readonly retries = new Map<string, NodeJS.Timeout>();
  private running = false;
  private stopped = false;

  constructor(
    private readonly sync: (key: string) => Promise<void>,
    private readonly log: Logger,
    private readonly name: string,
    private readonly retryMs = 1000,
  ) {}

  add(key: string): void {
    if (this.stopped) return;
    this.pending.add(key);
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.pending.size && !this.stopped) {
        const key: string = this.pending.values().next().value!;
        this.pending.delete(key);
        try {
          await this.sync(key);
        } catch (e) {
          this.log.warn({ err: e, controller: this.name, key }, 'sync failed; retrying');
          this.retryLater(key);
        }
      }
    } finally {
      this.running = false;
    }
  }

  private retryLater(key: string): void {
    if (this.stopped || this.retries.has(key)) return;
    const t = setTimeout(() => {
      this.retries.delete(key);
      this.add(key);
    }, this.retryMs);
    t.unref();
    this.retries.set(key, t);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.retries.values()) clearTimeout(t);
    this.retries.clear();
  }
}
