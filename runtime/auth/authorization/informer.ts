/**
 * A tiny informer: keeps an in-memory copy of one resource (all namespaces) current from a list and a watch on
 * its registry store (served by the watch cache), and tells a handler about each change. Authorizers read these
 * copies, so a request never reads the store. A watch that ends (compaction, store restart) is re-listed.
 */
import type { Logger } from 'pino';
import type { RegistryStore } from '../../registry/store.ts';
import { systemContext } from '../../registry/store.ts';
import type { StoredObject, Watch } from '../../storage/store.ts';

export interface InformerHandler {
  /** An object appeared or changed (`old` is the previous copy, if any). */
  upsert(obj: StoredObject, old: StoredObject | undefined): void;
  delete(obj: StoredObject): void;
  /** The copy was rebuilt from a fresh list (after a broken watch): drop everything derived from the old one. */
  reset?(): void;
}

export function objectKey(obj: StoredObject): string {
  return obj.metadata?.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : String(obj.metadata?.name ?? '');
}

export class Informer {
  readonly items = new Map<string, StoredObject>();
  private watch?: Watch;
  private stopped = false;
  private syncedOnce!: Promise<void>;
  private resolveSynced!: () => void;
  private readonly handlers: InformerHandler[] = [];

  constructor(
    private readonly store: RegistryStore,
    private readonly log?: Logger,
  ) {
    this.syncedOnce = new Promise((r) => (this.resolveSynced = r));
  }

  addHandler(h: InformerHandler): void {
    this.handlers.push(h);
    for (const obj of this.items.values()) h.upsert(obj, undefined);
  }

  /** Resolves once the first list has been applied. */
  synced(): Promise<void> {
    return this.syncedOnce;
  }

  start(): void {
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.watch?.stop();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      try {
        const list = await this.store.list(systemContext());
        this.replace(list.items);
        this.resolveSynced();
        await new Promise<void>((resolve) => {
          this.watch = this.store.watch(systemContext(), { resourceVersion: list.resourceVersion, allowWatchBookmarks: true }, {
            onEvent: (ev) => {
              if (ev.type === 'ADDED' || ev.type === 'MODIFIED') this.apply(ev.object);
              else if (ev.type === 'DELETED') this.remove(ev.object);
              else if (ev.type === 'ERROR') resolve();
            },
            onError: (err) => {
              this.log?.debug({ err, resource: this.store.kind.resource }, 'informer watch ended; re-listing');
              resolve();
            },
          });
          if (this.stopped) resolve();
        });
        this.watch?.stop();
      } catch (err) {
        this.log?.warn({ err, resource: this.store.kind.resource }, 'informer list failed; retrying');
      }
      if (!this.stopped) await new Promise((r) => setTimeout(r, 500).unref());
    }
  }

  private replace(items: StoredObject[]): void {
    this.items.clear();
    for (const h of this.handlers) h.reset?.();
    for (const obj of items) this.apply(obj);
  }

  private apply(obj: StoredObject): void {
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
