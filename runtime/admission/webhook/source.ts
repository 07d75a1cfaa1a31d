/**
 * Where the webhooks come from: the configurations of one type, listed once and kept current by a watch on the
 * watch cache (as upstream's configuration manager does with an informer). Requests read `hooks()`, an array that
 * is rebuilt only when a configuration changes, so a cluster without webhooks pays one length check per write.
 */
import type { RegistryStore } from '../../registry/store.ts';
import { systemContext } from '../../registry/store.ts';
import type { StoredObject, Watch, WatchSink } from '../../storage/store.ts';
import { closeHookClient } from './client.ts';
import { hooksOf, type Hook, type WebhookType } from './config.ts';

/** The list and watch the source needs (a registry store's, through the watch cache). */
export interface ConfigurationLister {
  list(): Promise<{ items: StoredObject[]; resourceVersion: string }>;
  watch(resourceVersion: string, sink: WatchSink): Watch;
}

export function registryLister(store: RegistryStore): ConfigurationLister {
  return {
    list: () => store.list(systemContext()),
    watch: (resourceVersion, sink) => store.watch(systemContext(), { resourceVersion, allowWatchBookmarks: true }, sink),
  };
}

export interface SourceLogger {
  warn(obj: object, msg: string): void;
}

export class WebhookConfigurationSource {
  private readonly configs = new Map<string, { resourceVersion: string; hooks: Hook[] }>();
  private current: Hook[] = [];
  private watch?: Watch;
  private stopped = false;
  private retry?: NodeJS.Timeout;
  private synced = false;
  private readonly syncWaiters: Array<() => void> = [];

  constructor(
    readonly type: WebhookType,
    private readonly lister: ConfigurationLister | undefined,
    private readonly log?: SourceLogger,
  ) {
    if (!lister) this.markSynced();
  }

  /** The webhooks of every configuration, configurations by name, webhooks in declared order. */
  hooks(): readonly Hook[] {
    return this.current;
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once the first list is in, or false after `timeoutMs` (upstream waits 10s, then refuses). */
  waitForSync(timeoutMs = 10_000): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.syncWaiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }

  start(): void {
    if (this.lister && !this.stopped) void this.relist();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retry);
    this.watch?.stop();
  }

  private markSynced(): void {
    this.synced = true;
    for (const w of this.syncWaiters.splice(0)) w();
  }

  private async relist(): Promise<void> {
    this.watch?.stop();
    this.watch = undefined;
    if (this.stopped) return;
    try {
      const { items, resourceVersion } = await this.lister!.list();
      const listed = new Set(items.map((i) => i.metadata?.name ?? ''));
      for (const name of [...this.configs.keys()]) if (!listed.has(name)) this.remove(name);
      for (const item of items) this.put(item);
      this.rebuild();
      this.markSynced();
      if (this.stopped) return;
      this.watch = this.lister!.watch(resourceVersion, {
        onEvent: (ev) => {
          if (ev.type === 'ADDED' || ev.type === 'MODIFIED') this.put(ev.object);
          else if (ev.type === 'DELETED') this.remove(ev.object.metadata?.name ?? '');
          else if (ev.type === 'ERROR') return this.again();
          else return;
          this.rebuild();
        },
        onError: (err) => {
          this.log?.warn({ err: err.message, type: this.type }, 'webhook configuration watch ended; listing again');
          this.again();
        },
      });
    } catch (e) {
      this.log?.warn({ err: (e as Error).message, type: this.type }, 'listing webhook configurations failed; retrying');
      this.again();
    }
  }

  private again(): void {
    if (this.stopped) return;
    clearTimeout(this.retry);
    this.retry = setTimeout(() => void this.relist(), 1000);
    this.retry.unref?.();
  }

  private put(obj: StoredObject): void {
    const name: string = obj.metadata?.name ?? '';
    const rv: string = obj.metadata?.resourceVersion ?? '';
    // Keep the compiled hooks (and their agents and compiled conditions) of a configuration that did not change.
    const old = this.configs.get(name);
    if (old?.resourceVersion === rv && rv) return;
    this.configs.set(name, { resourceVersion: rv, hooks: hooksOf(this.type, obj) });
    old?.hooks.forEach(closeHookClient);
  }

  private remove(name: string): void {
    this.configs.get(name)?.hooks.forEach(closeHookClient);
    this.configs.delete(name);
  }

  private rebuild(): void {
    const names = [...this.configs.keys()].sort();
    this.current = names.flatMap((n) => this.configs.get(n)!.hooks);
  }
}
