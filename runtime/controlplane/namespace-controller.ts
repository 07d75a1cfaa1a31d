/**
 * The namespace controller (upstream's pkg/controller/namespace, run in-process): for every namespace marked
 * for deletion (Terminating, with a deletionTimestamp) it empties every namespaced resource in it
 * (namespace-content.ts: deletecollection with Background propagation, as upstream), reports progress in the
 * namespace's deletion conditions, and once nothing is left removes its `kubernetes` finalizer through
 * `namespaces/finalize`. That update deletes the namespace unless other finalizers hold it (kubectl delete ns
 * waits for that).
 *
 * It lists namespaces once and then follows a watch; a namespace whose contents are not gone yet (objects with
 * finalizers of their own, pods in their grace period) or whose clean-up failed is retried after a delay.
 */
import type { Logger } from 'pino';
import { StatusError } from '../machinery/status.ts';
import type { RegistryStore, RequestContext } from '../registry/store.ts';
import type { StoredObject, Watch } from '../storage/store.ts';
import { conditionTime, deleteNamespaceContent, mergeConditions } from './namespace-content.ts';
import { controllerContext } from '../controllers/context.ts';

export const namespaceFinalizer = 'kubernetes';

const systemUser = { name: 'system:serviceaccount:kube-system:namespace-controller', groups: ['system:masters'] };

export interface NamespaceControllerOptions {
  namespaces: RegistryStore;
  /** The namespaces/finalize store: updates only spec.finalizers. */
  finalize: RegistryStore;
  /** The namespaces/status store, for the deletion conditions (absent: they are not written). */
  status?: RegistryStore;
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
    return controllerContext(namespace, systemUser);
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

  private retryLater(name: string, delayMs = this.opts.retryMs ?? 1000): void {
    if (this.stopped || this.retries.has(name)) return;
    const t = setTimeout(() => {
      this.retries.delete(name);
      this.enqueue(name);
    }, delayMs);
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
    // Finalized by us already: other finalizers (metadata) belong to someone else, whose update finishes it.
    if (!(ns.spec?.finalizers ?? []).includes(namespaceFinalizer)) return true;

    const content = await deleteNamespaceContent(this.opts.namespacedStores(), this.context(name), name, ns.metadata.deletionTimestamp);
    await this.updateConditions(ns, content.conditions(conditionTime()));
    if (content.errors.length) {
      this.opts.log.warn({ namespace: name, errors: content.errors.map((e) => e.message) }, 'namespace content deletion failed; retrying');
      return false;
    }
    if (content.estimateSeconds > 0) {
      this.retryLater(name, content.estimateSeconds * 1000);
      return true;
    }
    try {
      await this.opts.finalize.guaranteedUpdate(clusterCtx, name, async (current) => {
        if (current.metadata.uid !== ns.metadata.uid) throw new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'namespace was recreated', code: 409 });
        return { ...current, spec: { ...(current.spec ?? {}), finalizers: (current.spec?.finalizers ?? []).filter((f: string) => f !== namespaceFinalizer) } };
      });
    } catch (e) {
      if (e instanceof StatusError && (e.code === 404 || e.code === 409)) return true;
      throw e;
    }
    return true;
  }

  /** Writes the deletion conditions through namespaces/status when they changed. */
  private async updateConditions(ns: StoredObject, next: ReturnType<Awaited<ReturnType<typeof deleteNamespaceContent>>['conditions']>): Promise<void> {
    if (!this.opts.status) return;
    // Unchanged since the namespace was read: no write (the check inside the update covers a change in between).
    if (!mergeConditions(ns.status?.conditions, next)) return;
    try {
      await this.opts.status.guaranteedUpdate(this.context(''), ns.metadata.name, async (current) => {
        if (current.metadata.uid !== ns.metadata.uid) throw notOurs;
        const merged = mergeConditions(current.status?.conditions, next);
        if (!merged) throw notOurs;
        return { ...current, status: { ...(current.status ?? {}), conditions: merged } };
      });
    } catch (e) {
      if (e === notOurs || (e instanceof StatusError && (e.code === 404 || e.code === 409))) return;
      this.opts.log.warn({ err: e, namespace: ns.metadata.name }, 'could not update the namespace deletion conditions');
    }
  }
}

const notOurs = new Error('nothing to change');
