/**
 * A controller keeping one status condition of every CRD as a function of the CRD alone (upstream's
 * NonStructuralSchema and API approval controllers have this shape). A CRD is checked again only when the part the
 * condition depends on (`inputOf`) changed; an unchanged condition is not written.
 */
import type { Logger } from 'pino';
import { WorkQueue } from '../../controllers/informer.ts';
import type { RegistryStore } from '../../registry/store.ts';
import type { StoredObject } from '../../storage/store.ts';
import type { CRDCache } from './crd-cache.ts';
import { findCondition, removeCondition, setCondition, type CRDCondition } from './conditions.ts';
import { updateStatus } from './status-writer.ts';

export interface CRDConditionRule {
  /** The controller's name (logs), upstream's. */
  name: string;
  /** The condition type it owns. */
  type: string;
  /** What the condition depends on: the CRD is checked again only when this changes. */
  inputOf(crd: StoredObject): string;
  /** The condition the CRD should carry; undefined: none (removed with `removeWhenAbsent`, else left as it is). */
  conditionFor(crd: StoredObject): CRDCondition | undefined;
  removeWhenAbsent: boolean;
}

export class CRDConditionController {
  private readonly queue: WorkQueue;
  private readonly lastInput = new Map<string, string>();

  constructor(
    private readonly cache: CRDCache,
    private readonly statusStore: RegistryStore,
    private readonly rule: CRDConditionRule,
    log: Logger,
  ) {
    this.queue = new WorkQueue((name) => this.sync(name), log, rule.name);
    cache.onChange((type, crd) => {
      if (type === 'DELETED') this.lastInput.delete(crd.metadata.name);
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
    const input = this.rule.inputOf(crd);
    if (this.lastInput.get(name) === input) return;
    const cond = this.rule.conditionFor(crd);
    const old = findCondition(crd, this.rule.type);
    if (!cond && (!old || !this.rule.removeWhenAbsent)) return;
    if (cond && old && old.status === cond.status && old.reason === cond.reason && old.message === cond.message) return;
    const next = structuredClone(crd);
    if (cond) setCondition(next, cond);
    else removeCondition(next, this.rule.type);
    const stored = await updateStatus(this.statusStore, next);
    if (!stored) return;
    this.cache.mutated(stored);
    this.lastInput.set(name, input);
  }
}
