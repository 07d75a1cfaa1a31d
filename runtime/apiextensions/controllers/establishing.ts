/**
 * The establishing controller (upstream's EstablishingController): a CRD whose names are accepted becomes
 * Established (`InitialNamesAccepted`, "the initial names have been accepted") and stays so until deleted; its
 * custom resources are served from then on. A conversion webhook CA bundle that does not parse keeps it
 * unestablished (`InvalidCABundle`).
 *
 * `beforeEstablish` lets the serving side finish installing the CRD's storage first, so a client that waits for
 * Established can use the resource at once.
 */
import type { Logger } from 'pino';
import { WorkQueue } from '../../controllers/informer.ts';
import { caBundleError } from '../validation/ca-bundle.ts';
import type { RegistryStore } from '../../registry/store.ts';
import type { StoredObject } from '../../storage/store.ts';
import type { CRDCache } from './crd-cache.ts';
import { conditionEquivalent, findCondition, isConditionTrue, setCondition, type CRDCondition } from './conditions.ts';
import { updateStatus } from './status-writer.ts';

/** Whether a base64 PEM bundle holds only parsable certificates (empty counts as valid: the system roots apply). */
/** Whether a conversion webhook's caBundle gives root certificates (or is unset): the rule CRD validation uses. */
export function caBundleValid(caBundle: unknown): boolean {
  if (caBundle === undefined || caBundle === null || caBundle === '') return true;
  return typeof caBundle === 'string' && caBundleError(caBundle) === undefined;
}

export interface EstablishingOptions {
  /** Resolves once the CRD's custom resources can be served; Established is written after it. */
  beforeEstablish?: (crd: StoredObject) => Promise<void>;
}

export class EstablishingController {
  private readonly queue: WorkQueue;

  constructor(
    private readonly cache: CRDCache,
    private readonly statusStore: RegistryStore,
    log: Logger,
    private readonly opts: EstablishingOptions = {},
  ) {
    this.queue = new WorkQueue((name) => this.sync(name), log, 'crdEstablishing');
    cache.onChange((type, crd) => {
      if (type !== 'DELETED') this.queueCRD(crd.metadata.name);
    });
  }

  /** Asks for the CRD to be established if its names are accepted (upstream's QueueCRD). */
  queueCRD(name: string): void {
    const crd = this.cache.items.get(name);
    if (crd && isConditionTrue(crd, 'NamesAccepted') && !isConditionTrue(crd, 'Established')) this.queue.add(name);
  }

  start(): void {
    for (const name of this.cache.items.keys()) this.queueCRD(name);
  }

  stop(): void {
    this.queue.stop();
  }

  private async sync(name: string): Promise<void> {
    const cached = this.cache.items.get(name);
    if (!cached || !isConditionTrue(cached, 'NamesAccepted') || isConditionTrue(cached, 'Established')) return;
    const crd = structuredClone(cached);
    let condition: CRDCondition;
    if (!caBundleValid(crd.spec?.conversion?.webhook?.clientConfig?.caBundle)) {
      condition = { type: 'Established', status: 'False', reason: 'InvalidCABundle', message: 'The conversion webhook CABundle is invalid' };
      if (conditionEquivalent(condition, findCondition(crd, 'Established'))) return;
    } else {
      await this.opts.beforeEstablish?.(crd);
      condition = { type: 'Established', status: 'True', reason: 'InitialNamesAccepted', message: 'the initial names have been accepted' };
    }
    setCondition(crd, condition);
    const stored = await updateStatus(this.statusStore, crd);
    if (stored) this.cache.mutated(stored);
  }
}
