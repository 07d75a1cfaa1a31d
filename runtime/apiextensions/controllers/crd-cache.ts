/**
 * The CustomResourceDefinition informer the apiextensions controllers share: every CRD by name, kept current by a
 * list-then-watch, with handlers told about each change. Controllers record what they just wrote (`mutated`) so
 * their next decision sees it even before the watch delivers it (upstream's mutation cache).
 */
import type { Logger } from 'pino';
import { Informer } from '../../controllers/informer.ts';
import { systemContext, type RegistryStore } from '../../registry/store.ts';
import type { StoredObject, WatchEventType } from '../../storage/store.ts';

export type CRDHandler = (type: WatchEventType, crd: StoredObject) => void;

function newer(a: StoredObject, b: StoredObject | undefined): boolean {
  if (!b) return true;
  const ra = Number(a.metadata?.resourceVersion);
  const rb = Number(b.metadata?.resourceVersion);
  return !Number.isFinite(ra) || !Number.isFinite(rb) || ra >= rb;
}

export class CRDCache {
  readonly items = new Map<string, StoredObject>();
  private readonly handlers: CRDHandler[] = [];
  private readonly informer: Informer;

  constructor(crds: RegistryStore, log: Logger) {
    this.informer = new Informer(crds, systemContext(), (type, obj) => this.observe(type, obj), log);
  }

  onChange(handler: CRDHandler): void {
    this.handlers.push(handler);
  }

  /** Lists every CRD and follows changes; resolves once the first list is in. */
  start(): Promise<void> {
    return this.informer.start();
  }

  stop(): void {
    this.informer.stop();
  }

  /** A CRD a controller has just written: used until the watch brings the same or a newer version. */
  mutated(crd: StoredObject): void {
    const name = crd.metadata?.name;
    if (typeof name === 'string' && this.items.has(name) && newer(crd, this.items.get(name))) this.items.set(name, crd);
  }

  /** Every CRD of an API group. */
  inGroup(group: string): StoredObject[] {
    return [...this.items.values()].filter((c) => c.spec?.group === group);
  }

  private observe(type: WatchEventType, obj: StoredObject): void {
    const name = obj.metadata?.name;
    if (typeof name !== 'string') return;
    if (type === 'DELETED') this.items.delete(name);
    else if (newer(obj, this.items.get(name))) this.items.set(name, obj);
    for (const h of this.handlers) h(type, obj);
  }
}
