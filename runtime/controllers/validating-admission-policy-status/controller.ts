/**
 * The ValidatingAdmissionPolicy status controller (upstream's policy/validating controller_reconcile.go): for
 * every policy whose spec generation has not been observed yet, it type-checks the expressions against the kinds
 * the policy matches and writes `status.typeChecking.expressionWarnings` and `status.observedGeneration` through
 * the status subresource. It lists once, then follows a watch (relisting when the watch ends).
 */
import type { Logger } from 'pino';
import { systemContext, type RegistryStore } from '../../registry/store.ts';
import type { StoredObject, Watch } from '../../storage/store.ts';
import { typeCheckPolicy, type KindLookup } from '../../admission/policy/typecheck.ts';
import type { PolicySpec } from '../../admission/policy/compile.ts';
import { builtInKinds } from '../../admission/policy/kinds.ts';
import { controllerContext } from '../context.ts';

export interface PolicyStatusControllerOptions {
  policies: RegistryStore;
  /** The validatingadmissionpolicies/status store. */
  status: RegistryStore;
  kinds: KindLookup;
  log: Logger;
}

export class PolicyStatusController {
  private watch: Watch | undefined;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  /** One reconcile at a time per policy; a newer event while busy runs once more after. */
  private readonly busy = new Map<string, boolean>();

  constructor(private readonly opts: PolicyStatusControllerOptions) {}

  async start(): Promise<void> {
    const ctx = systemContext();
    const listed = await this.opts.policies.list(ctx);
    for (const p of listed.items) this.observe(p);
    this.watch = this.opts.policies.watch(ctx, { resourceVersion: listed.resourceVersion }, {
      onEvent: (ev) => {
        if (ev.type === 'ADDED' || ev.type === 'MODIFIED') this.observe(ev.object);
      },
      onError: (err) => {
        if (this.stopped) return;
        this.opts.log.warn({ err }, 'validating admission policy status controller watch ended; relisting');
        this.timer = setTimeout(() => this.start().catch((e) => this.opts.log.warn({ err: e }, 'validating admission policy status relist failed')), 1000);
        this.timer.unref();
      },
    });
  }

  stop(): void {
    this.stopped = true;
    this.watch?.stop();
    if (this.timer) clearTimeout(this.timer);
  }

  private observe(policy: StoredObject): void {
    const generation = policy.metadata.generation as number | undefined;
    const observed = (policy.status as { observedGeneration?: number } | undefined)?.observedGeneration;
    if (generation === undefined || generation === observed) return;
    const name = policy.metadata.name;
    if (this.busy.has(name)) {
      this.busy.set(name, true);
      return;
    }
    this.busy.set(name, false);
    void this.reconcile(name).finally(() => {
      const again = this.busy.get(name);
      this.busy.delete(name);
      if (again && !this.stopped) this.opts.policies.get(systemContext(), name).then((p) => this.observe(p), () => undefined);
    });
  }

  private async reconcile(name: string): Promise<void> {
    try {
      await this.opts.status.guaranteedUpdate(controllerContext(), name, async (current) => {
        const generation = current.metadata.generation as number;
        const warnings = typeCheckPolicy((current.spec ?? {}) as PolicySpec, this.opts.kinds);
        const typeChecking = warnings.length ? { expressionWarnings: warnings } : {};
        const status = { ...((current.status as Record<string, unknown>) ?? {}), observedGeneration: generation, typeChecking };
        return { ...current, status };
      });
    } catch (e) {
      if (!this.stopped) this.opts.log.warn({ err: e, policy: name }, 'could not update the status of a validating admission policy');
    }
  }
}

/** The controller over a kube API server's stores (for server-chain.ts: one call). */
export function policyStatusController(store: (group: string, version: string, resource: string, subresource?: string) => RegistryStore | undefined, log: Logger): PolicyStatusController {
  const g = 'admissionregistration.k8s.io';
  return new PolicyStatusController({
    policies: store(g, 'v1', 'validatingadmissionpolicies')!,
    status: store(g, 'v1', 'validatingadmissionpolicies', 'status')!,
    kinds: builtInKinds,
    log,
  });
}
