/**
 * Local APIServices: one per group version this server serves itself (built-in, and custom resource group
 * versions as the Scheme gains them), named `<version>.<group>` (`v1.` for the core group) with `service` unset and
 * upstream's priorities, as kube-apiserver's autoregistration and CRD registration controllers keep them. Driven by
 * the Scheme: every change to the set of group versions triggers one sync (coalesced). APIServices it made carry the
 * `kube-aggregator.kubernetes.io/automanaged` label (`onstart` for built-in group versions, `true` for the others)
 * and are deleted when their group version is no longer served; APIServices someone else made are left alone.
 */
import type { Logger } from 'pino';
import type { GroupVersion, Scheme } from '../machinery/scheme.ts';
import { StatusError } from '../machinery/status.ts';
import { systemContext } from '../registry/store.ts';
import type { APIServiceCache, APIServiceObject } from './apiservice-cache.ts';
import { builtInPriority, customResourcePriority } from './priorities.ts';

export const automanagedLabel = 'kube-aggregator.kubernetes.io/automanaged';

export function apiServiceName(gv: GroupVersion): string {
  return `${gv.version}.${gv.group}`;
}

/** The local APIService of a served group version. */
export function localAPIService(gv: GroupVersion, builtIn: boolean): APIServiceObject {
  const p = builtInPriority(gv) ?? customResourcePriority;
  return {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: apiServiceName(gv), labels: { [automanagedLabel]: builtIn ? 'onstart' : 'true' } },
    spec: { group: gv.group, version: gv.version, groupPriorityMinimum: p.group, versionPriority: p.version },
  };
}

export class AutoRegisterController {
  private unsubscribe: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly scheme: Scheme,
    private readonly cache: APIServiceCache,
    private readonly log: Logger,
  ) {}

  /** What should exist now: every group version in the Scheme. */
  desired(): Map<string, APIServiceObject> {
    const out = new Map<string, APIServiceObject>();
    for (const gv of this.scheme.allGroupVersions()) {
      const builtIn = gv.kinds.length === 0 || gv.kinds.every((k) => k.builtIn);
      out.set(apiServiceName(gv), localAPIService(gv, builtIn));
    }
    return out;
  }

  /** First sync done when this resolves; later Scheme changes sync in the background. */
  async start(): Promise<void> {
    const offScheme = this.scheme.onChange(() => this.trigger());
    // A local APIService someone deleted or changed comes back as it should be, as upstream's controller restores it.
    const offCache = this.cache.onChange((type, obj) => {
      if (obj.metadata.labels?.[automanagedLabel] || type === 'DELETED') this.trigger();
    });
    this.unsubscribe = () => {
      offScheme();
      offCache();
    };
    await this.syncNow();
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
  }

  private trigger(): void {
    if (this.stopped) return;
    void this.syncNow().catch((e) => {
      this.log.warn({ err: e }, 'APIService autoregistration failed; retrying');
      this.timer = setTimeout(() => this.trigger(), 1000);
      this.timer.unref();
    });
  }

  private async syncNow(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.sync();
        } while (this.again && !this.stopped);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async sync(): Promise<void> {
    const store = this.cache.store;
    const ctx = systemContext();
    const desired = this.desired();
    for (const [name, want] of desired) {
      const have = this.cache.get(name);
      if (!have) {
        try {
          await store.create(ctx, structuredClone(want));
        } catch (e) {
          if (!(e instanceof StatusError && e.code === 409)) throw e;
        }
        continue;
      }
      // Someone registered this group version elsewhere on purpose (no label): theirs wins, as upstream.
      const managed = have.metadata.labels?.[automanagedLabel];
      if (!managed) continue;
      const same =
        !have.spec?.service &&
        have.spec?.group === want.spec!.group &&
        have.spec?.version === want.spec!.version &&
        have.spec?.groupPriorityMinimum === want.spec!.groupPriorityMinimum &&
        have.spec?.versionPriority === want.spec!.versionPriority &&
        managed === want.metadata.labels![automanagedLabel];
      if (same) continue;
      await store.guaranteedUpdate(ctx, name, async (current) => ({
        ...current,
        metadata: { ...current.metadata, labels: { ...current.metadata.labels, ...want.metadata.labels } },
        spec: { ...want.spec },
      }));
    }
    for (const s of this.cache.list()) {
      if (desired.has(s.metadata.name) || !s.metadata.labels?.[automanagedLabel] || s.spec?.service) continue;
      try {
        await store.delete(ctx, s.metadata.name, { preconditions: { uid: s.metadata.uid } });
      } catch (e) {
        if (!(e instanceof StatusError && (e.code === 404 || e.code === 409))) throw e;
      }
    }
  }
}
