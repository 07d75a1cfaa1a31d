/**
 * The namespace controller (upstream's pkg/controller/namespace, run in-process): for every namespace marked
 * for deletion (Terminating, with a deletionTimestamp) it deletes every object of every namespaced resource in
 * it, then removes its `kubernetes` finalizer through the finalize store and deletes the namespace, which is
 * then gone (kubectl delete ns waits for that).
 *
 * It lists namespaces once and then follows a watch; a namespace whose contents are not gone yet (objects with
 * finalizers of their own) or whose clean-up failed is retried after a delay.
 */
import type { Logger } from 'pino';
import { StatusError } from '../machinery/status.ts';
import type { RegistryStore, RequestContext } from '../registry/store.ts';
import type { StoredObject, Watch } from '../storage/store.ts';

export const namespaceFinalizer = 'kubernetes';

const systemUser = { name: 'system:serviceaccount:kube-system:namespace-controller', groups: ['system:masters'] };

export interface NamespaceControllerOptions {
  namespaces: RegistryStore;
  /** The namespaces/finalize store: updates only spec.finalizers. */
  finalize: RegistryStore;
  /** Every namespaced resource's store, asked anew on each pass (kinds come and go). */
  namespacedStores: () => RegistryStore[];
  log: Logger;
  /** Delay before a namespace is looked at again when it could not be finished. */
  retryMs?: number;
}

export class NamespaceController {
  private readonly queue = new Set<string>();
  private readonly retries = new Map<string, NodeJS.Timeout>();
  private running = false;
  private stopped = false;
  private watch: Watch | undefined;
  private restartTimer: NodeJS.Timeout | undefined;

  constructor(private readonly opts: NamespaceControllerOptions) {}

  /** Starts listing and watching; resolves once the first list is done. */
  async start(): Promise<void> {
    const ctx = this.context('');
    const listed = await this.opts.namespaces.list(ctx);
    for (const ns of listed.items) this.observe(ns);
    this.watch = this.opts.namespaces.watch(ctx, { resourceVersion: listed.resourceVersion }, {
      onEvent: (ev) => {
        if (ev.type === 'ADDED' || ev.type === 'MODIFIED') this.observe(ev.object);
      },
      onError: (err) => {
        // Expired or storage trouble: list and watch again, as an informer would.
        if (this.stopped) return;
        this.opts.log.warn({ err }, 'namespace controller watch ended; relisting');
        this.restartTimer = setTimeout(() => this.start().catch((e) => this.opts.log.warn({ err: e }, 'namespace controller relist failed')), 1000);
        this.restartTimer.unref();
      },
    });
  }

  stop(): void {
    this.stopped = true;
    this.watch?.stop();
    if (this.restartTimer) clearTimeout(this.restartTimer);
    for (const t of this.retries.values()) clearTimeout(t);
    this.retries.clear();
  }

  private context(namespace: string): RequestContext {
    return { user: systemUser, namespace, dryRun: false };
  }

  private observe(ns: StoredObject): void {
    if (!ns.metadata?.deletionTimestamp) return;
    this.enqueue(ns.metadata.name);
  }

  private enqueue(name: string): void {
    if (this.stopped) return;
    this.queue.add(name);
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.size && !this.stopped) {
        const name: string = this.queue.values().next().value!;
        this.queue.delete(name);
        let finished = false;
        try {
          finished = await this.sync(name);
        } catch (e) {
          this.opts.log.warn({ err: e, namespace: name }, 'namespace clean-up failed; retrying');
        }
        if (!finished) this.retryLater(name);
      }
    } finally {
      this.running = false;
    }
  }

  private retryLater(name: string): void {
    if (this.stopped || this.retries.has(name)) return;
    const t = setTimeout(() => {
      this.retries.delete(name);
      this.enqueue(name);
    }, this.opts.retryMs ?? 1000);
    t.unref();
    this.retries.set(name, t);
  }

  /** One pass over a namespace being deleted. Returns false when it has to be looked at again later. */
  private async sync(name: string): Promise<boolean> {
    const clusterCtx = this.context('');
    let ns: StoredObject;
    try {
      ns = await this.opts.namespaces.get(clusterCtx, name);
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return true;
      throw e;
    }
    if (!ns.metadata.deletionTimestamp) return true;
    const finalizers: string[] = ns.spec?.finalizers ?? [];
    if (finalizers.includes(namespaceFinalizer)) {
      if (!(await this.deleteContent(name))) return false;
      await this.opts.finalize.guaranteedUpdate(clusterCtx, name, async (current) => {
        if (current.metadata.uid !== ns.metadata.uid) throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'namespace was recreated', code: 409 });
        return { ...current, spec: { ...(current.spec ?? {}), finalizers: (current.spec?.finalizers ?? []).filter((f: string) => f !== namespaceFinalizer) } };
      });
    }
    // Other finalizers (spec or metadata) belong to someone else; the update that removes the last one deletes it.
    try {
      const { deleted } = await this.opts.namespaces.delete(clusterCtx, name, { preconditions: { uid: ns.metadata.uid } });
      return deleted || !(await this.stillOurs(name));
    } catch (e) {
      if (e instanceof StatusError && (e.code === 404 || e.code === 409)) return true;
      throw e;
    }
  }

  /** Whether the namespace still waits for our finalizer (otherwise others hold it and their update finishes it). */
  private async stillOurs(name: string): Promise<boolean> {
    try {
      const ns = await this.opts.namespaces.get(this.context(''), name);
      return (ns.spec?.finalizers ?? []).includes(namespaceFinalizer);
    } catch {
      return false;
    }
  }

  /** Deletes every object in the namespace. Returns true when nothing is left. */
  private async deleteContent(namespace: string): Promise<boolean> {
    const ctx = this.context(namespace);
    let remaining = 0;
    for (const store of this.opts.namespacedStores()) {
      const { items } = await store.list(ctx);
      for (const item of items) {
        try {
          const { deleted } = await store.delete(ctx, item.metadata.name, { preconditions: { uid: item.metadata.uid }, propagationPolicy: 'Background' });
          if (!deleted) remaining++;
        } catch (e) {
          if (e instanceof StatusError && e.code === 404) continue;
          if (e instanceof StatusError && e.code === 409) {
            remaining++; // replaced by a new object meanwhile: the next pass deletes that one
            continue;
          }
          throw e;
        }
      }
    }
    return remaining === 0;
  }
}
