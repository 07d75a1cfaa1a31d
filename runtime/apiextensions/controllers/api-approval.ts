/**
 * The KubernetesAPIApprovalPolicyConformant condition (upstream's apiapproval controller): CRDs of the Kubernetes
 * project's groups (`*.k8s.io`, `*.kubernetes.io`) report whether their `api-approved.kubernetes.io` annotation
 * points at an approved API review.
 */
import type { Logger } from 'pino';
import { WorkQueue } from '../../controllers/informer.ts';
import type { RegistryStore } from '../../registry/store.ts';
import type { StoredObject } from '../../storage/store.ts';
import { apiApprovalState, isProtectedCommunityGroup } from '../validation/index.ts';
import type { CRDCache } from './crd-cache.ts';
import { findCondition, setCondition, type CRDCondition } from './conditions.ts';
import { updateStatus } from './status-writer.ts';

const conditionType = 'KubernetesAPIApprovalPolicyConformant';

export function apiApprovalCondition(crd: StoredObject): CRDCondition | undefined {
  if (!isProtectedCommunityGroup(String(crd.spec?.group ?? ''))) return undefined;
  const { state, reason } = apiApprovalState(crd.metadata?.annotations);
  const byState = {
    Invalid: ['False', 'InvalidAnnotation'],
    Missing: ['False', 'MissingAnnotation'],
    Approved: ['True', 'ApprovedAnnotation'],
    Bypassed: ['False', 'UnapprovedAnnotation'],
  } as const;
  const [status, why] = byState[state];
  return { type: conditionType, status, reason: why, message: reason };
}

export class APIApprovalController {
  private readonly queue: WorkQueue;
  private readonly lastSeen = new Map<string, string>();

  constructor(
    private readonly cache: CRDCache,
    private readonly statusStore: RegistryStore,
    log: Logger,
  ) {
    this.queue = new WorkQueue((name) => this.sync(name), log, 'KubernetesAPIApprovalPolicyConformantConditionController');
    cache.onChange((type, crd) => {
      if (type === 'DELETED') this.lastSeen.delete(crd.metadata.name);
      else this.queue.add(crd.metadata.name);
    });
  }

  start(): void {
    for (const name of this.cache.items.keys()) this.queue.add(name);
  }

  stop(): void {
    this.queue.stop();
  }

  private async sync(name: string): Promise<void> {
    const crd = this.cache.items.get(name);
    if (!crd) return;
    const annotation = String(crd.metadata?.annotations?.['api-approved.kubernetes.io'] ?? '');
    if (this.lastSeen.get(name) === annotation) return;
    const cond = apiApprovalCondition(crd);
    if (!cond) return;
    const old = findCondition(crd, conditionType);
    if (old && old.status === cond.status && old.reason === cond.reason && old.message === cond.message) return;
    const next = structuredClone(crd);
    setCondition(next, cond);
    const stored = await updateStatus(this.statusStore, next);
    if (!stored) return;
    this.cache.mutated(stored);
    this.lastSeen.set(name, annotation);
  }
}
