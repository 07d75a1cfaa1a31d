/**
 * A controller that keeps one named object in every namespace (the `default` ServiceAccount, the
 * `kube-root-ca.crt` ConfigMap): created when a namespace appears or the object is deleted, put back in shape when
 * it is changed, never touched in a namespace being deleted. Driven by watches of namespaces and of the objects.
 */
import type { Logger } from 'pino';
import type { UserInfo } from '../auth/user.ts';
import { StatusError } from '../machinery/status.ts';
import { getIfExists, type RegistryStore, type RequestContext } from '../registry/store.ts';
import type { StoredObject } from '../storage/store.ts';
import { identityOnly, Informer, WorkQueue } from './informer.ts';
import { controllerContext } from './context.ts';

export interface PerNamespaceObjectOptions {
  /** Controller name, for logs. */
  name: string;
  namespaces: RegistryStore;
  /** The store of the kept object's resource. */
  objects: RegistryStore;
  /** The kept object's name. */
  objectName: string;
  /** The object to create in `namespace`. */
  desired(namespace: string): StoredObject;
  /** The stored object corrected, or undefined when it is fine as it is. */
  repair?(current: StoredObject): StoredObject | undefined;
  /** Who the controller writes as. */
  user: UserInfo;
  log: Logger;
}

export class PerNamespaceObjectController {
  private readonly queue: WorkQueue;
  private readonly informers: Informer[];

  constructor(private readonly opts: PerNamespaceObjectOptions) {
    this.queue = new WorkQueue((ns) => this.sync(ns), opts.log, opts.name);
    const all = this.context('');
    this.informers = [
      new Informer(opts.namespaces, all, (type, ns) => {
        if (type !== 'DELETED' && !ns.metadata?.deletionTimestamp) this.queue.add(ns.metadata.name);
      }, opts.log),
      // Every object of the resource (each ConfigMap write) is told; only its name and namespace are read (the sync
      // reads the store), so the informer keeps no copy of the rest.
      new Informer(opts.objects, all, (type, obj) => {
        // ADDED needs nothing: the namespace's own event already queued it.
        if (type !== 'ADDED' && obj.metadata?.name === opts.objectName) this.queue.add(obj.metadata.namespace);
      }, opts.log, identityOnly),
    ];
  }

  /** Resolves once both lists are done (every existing namespace is queued). */
  async start(): Promise<void> {
    await Promise.all(this.informers.map((i) => i.start()));
  }

  stop(): void {
    for (const i of this.informers) i.stop();
    this.queue.stop();
  }

  private context(namespace: string): RequestContext {
    return controllerContext(namespace, this.opts.user);
  }

  private async sync(namespace: string): Promise<void> {
    const ns = await getIfExists(this.opts.namespaces, this.context(''), namespace);
    if (!ns || ns.metadata.deletionTimestamp || ns.status?.phase === 'Terminating') return;
    const ctx = this.context(namespace);
    const current = await getIfExists(this.opts.objects, ctx, this.opts.objectName);
    try {
      if (!current) {
        await this.opts.objects.create(ctx, this.opts.desired(namespace));
        return;
      }
      const repaired = this.opts.repair?.(structuredClone(current));
      if (repaired) await this.opts.objects.update(ctx, this.opts.objectName, repaired);
    } catch (e) {
      // Created by someone else meanwhile, changed meanwhile (its event queues it again), or the namespace is going.
      if (e instanceof StatusError && (e.code === 409 || e.code === 403 || e.code === 404)) return;
      throw e;
    }
  }
}

