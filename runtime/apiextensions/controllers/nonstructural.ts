/**
 * The NonStructuralSchema condition controller: True (`Violations`, with the structural-schema errors) for a CRD
 * whose schemas are not structural, removed once they are. Validation refuses such schemas on every write since
 * apiextensions.k8s.io/v1, so only objects stored before (or restored from old data) ever get it. Each generation
 * is checked once.
 */
import type { Logger } from 'pino';
import { WorkQueue } from '../../controllers/informer.ts';
import { fieldErrorMessage, invalid } from '../../machinery/field-errors.ts';
import type { FieldError } from '../../machinery/field-errors.ts';
import type { RegistryStore } from '../../registry/store.ts';
import type { StoredObject } from '../../storage/store.ts';
import { structuralConversionError, validateStructural } from '../validation/index.ts';
import type { CRDCache } from './crd-cache.ts';
import { findCondition, removeCondition, setCondition, type CRDCondition } from './conditions.ts';
import { updateStatus } from './status-writer.ts';

/** The condition a CRD should carry, or undefined when its schemas are all structural. */
export function nonStructuralCondition(crd: StoredObject): CRDCondition | undefined {
  const errs: FieldError[] = [];
  if (crd.spec?.preserveUnknownFields === true) errs.push(invalid('spec.preserveUnknownFields', true, 'must be false'));
  const versions: StoredObject[] = Array.isArray(crd.spec?.versions) ? crd.spec.versions : [];
  for (const [i, v] of versions.entries()) {
    const schema = v?.schema?.openAPIV3Schema;
    if (!schema || typeof schema !== 'object') continue;
    const conversionError = structuralConversionError(schema);
    if (conversionError) {
      return { type: 'NonStructuralSchema', status: 'Unknown', reason: 'StructuralError', message: `failed to check validation schema for version ${v.name}: ${conversionError}` };
    }
    errs.push(...validateStructural(schema, `spec.versions[${i}].schema.openAPIV3Schema`));
  }
  if (!errs.length) return undefined;
  const messages = errs.map(fieldErrorMessage);
  return { type: 'NonStructuralSchema', status: 'True', reason: 'Violations', message: messages.length === 1 ? messages[0] : `[${messages.join(', ')}]` };
}

export class NonStructuralSchemaController {
  private readonly queue: WorkQueue;
  private readonly lastSeenGeneration = new Map<string, number>();

  constructor(
    private readonly cache: CRDCache,
    private readonly statusStore: RegistryStore,
    log: Logger,
  ) {
    this.queue = new WorkQueue((name) => this.sync(name), log, 'NonStructuralSchemaConditionController');
    cache.onChange((type, crd) => {
      if (type === 'DELETED') this.lastSeenGeneration.delete(crd.metadata.name);
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
    const generation = Number(crd.metadata?.generation ?? 0);
    const seen = this.lastSeenGeneration.get(name);
    if (seen !== undefined && generation <= seen) return;
    const cond = nonStructuralCondition(crd);
    const old = findCondition(crd, 'NonStructuralSchema');
    if (!cond && !old) return;
    if (cond && old && old.status === cond.status && old.reason === cond.reason && old.message === cond.message) return;
    const next = structuredClone(crd);
    if (cond) setCondition(next, cond);
    else removeCondition(next, 'NonStructuralSchema');
    const stored = await updateStatus(this.statusStore, next);
    if (!stored) return;
    this.cache.mutated(stored);
    this.lastSeenGeneration.set(name, generation);
  }
}
