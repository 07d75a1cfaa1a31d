/**
 * Every APIService, kept in memory from a watch of the apiservices store (the aggregator's lister). The proxy,
 * discovery and the controllers read from it on the request path, so a lookup is a map read. Listeners hear of
 * each change after the map is updated.
 */
import type { Logger } from 'pino';
import { Informer } from '../controllers/informer.ts';
import type { RegistryStore } from '../registry/store.ts';
import { systemContext } from '../registry/store.ts';
import type { StoredObject, WatchEventType } from '../storage/store.ts';

/** The fields of an APIService the aggregator reads. */
export interface APIServiceObject extends StoredObject {
  metadata: StoredObject['metadata'] & { name: string };
  spec?: {
    service?: { namespace?: string; name?: string; port?: number } | null;
    group?: string;
    version?: string;
    insecureSkipTLSVerify?: boolean;
    caBundle?: string;
    groupPriorityMinimum?: number;
    versionPriority?: number;
  };
  status?: { conditions?: { type: string; status: string; reason?: string; message?: string; lastTransitionTime?: string }[] };
}

export type APIServiceListener = (type: WatchEventType, obj: APIServiceObject) => void;

export function isLocal(s: APIServiceObject): boolean {
  return !s.spec?.service;
}

export function isAvailable(s: APIServiceObject): boolean {
  return s.status?.conditions?.some((c) => c.type === 'Available' && c.status === 'True') ?? false;
}

export class APIServiceCache {
  private readonly byName = new Map<string, APIServiceObject>();
  /** Remote APIServices by `<group>/<version>`, the proxy's lookup. */
  private readonly remoteByGV = new Map<string, APIServiceObject>();
  private readonly listeners = new Set<APIServiceListener>();
  private informer: Informer | undefined;
  private generation = 0;
  synced = false;

  constructor(
    readonly store: RegistryStore,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    this.informer = new Informer(this.store, systemContext(), (type, obj) => this.apply(type, obj as APIServiceObject), this.log);
    await this.informer.start();
    this.synced = true;
  }

  stop(): void {
    this.informer?.stop();
  }

  private apply(type: WatchEventType, obj: APIServiceObject): void {
    const name = obj.metadata.name;
    const old = this.byName.get(name);
    if (old && !isLocal(old)) this.remoteByGV.delete(`${old.spec?.group ?? ''}/${old.spec?.version ?? ''}`);
    if (type === 'DELETED') this.byName.delete(name);
    else {
      this.byName.set(name, obj);
      if (!isLocal(obj)) this.remoteByGV.set(`${obj.spec?.group ?? ''}/${obj.spec?.version ?? ''}`, obj);
    }
    this.generation++;
    for (const l of this.listeners) {
      try {
        l(type, obj);
      } catch (e) {
        this.log.warn({ err: e }, 'APIService listener failed');
      }
    }
  }

  /** Increases on every change: derived documents compare it to know they are stale. */
  get version(): number {
    return this.generation;
  }

  onChange(listener: APIServiceListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get(name: string): APIServiceObject | undefined {
    return this.byName.get(name);
  }

  list(): APIServiceObject[] {
    return [...this.byName.values()];
  }

  /** The APIService that sends `<group>/<version>` to another server, if any. */
  remoteFor(group: string, version: string): APIServiceObject | undefined {
    return this.remoteByGV.size ? this.remoteByGV.get(`${group}/${version}`) : undefined;
  }

  remotes(): APIServiceObject[] {
    return [...this.remoteByGV.values()];
  }
}
