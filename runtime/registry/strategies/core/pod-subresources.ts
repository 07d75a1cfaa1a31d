/**
 * Strategies of the Pod subresources that write the pod itself: `ephemeralcontainers` (only
 * spec.ephemeralContainers changes, and existing ones stay as they are), and `binding` / `eviction`, which the
 * server writes through as upstream's REST writes storage (runtime/registry/core/binding.ts, eviction.ts).
 */
import { forbidden, type FieldError } from '../../../machinery/field-errors.ts';
import type { StoredObject } from '../../../storage/store.ts';
import { dropDisabledFields } from '../../disabled-fields.ts';
import { DirectWriteStrategy } from '../../direct-write-strategy.ts';
import { StatusStrategy } from '../../status-strategy.ts';
import { registerSubresourceStrategy, type Strategy } from '../../strategy.ts';

/** The annotation of a static pod's mirror, which ephemeral containers are refused on (upstream #113935). */
const mirrorPodAnnotation = 'kubernetes.io/config.mirror';

/**
 * `pods/<name>/ephemeralcontainers`, upstream's podEphemeralContainersStrategy: an update keeps the stored pod and
 * takes only spec.ephemeralContainers from the request; validation is the pod's, plus: no static pods, and an
 * ephemeral container once added may be neither removed nor changed.
 */
class PodEphemeralContainersStrategy extends StatusStrategy {
  override readonly subresource = 'ephemeralcontainers';

  constructor(private readonly pod: Strategy) {
    super(pod);
    Object.assign(this, { kind: { ...pod.kind, verbs: ['get', 'patch', 'update'] } });
  }

  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    const ephemeral = obj.spec?.ephemeralContainers;
    const managedFields = obj.metadata?.managedFields;
    for (const key of Object.keys(obj)) delete obj[key];
    Object.assign(obj, structuredClone(old));
    obj.spec ??= {};
    if (ephemeral === undefined) delete obj.spec.ephemeralContainers;
    else obj.spec.ephemeralContainers = ephemeral;
    if (managedFields === undefined) delete obj.metadata.managedFields;
    else obj.metadata.managedFields = managedFields;
    dropDisabledFields(this.kind, obj, old);
  }

  override validateUpdate(obj: StoredObject, old: StoredObject): FieldError[] {
    if (old.metadata?.annotations?.[mirrorPodAnnotation] !== undefined) return [forbidden('', 'static pods do not support ephemeral containers')];
    const errors = this.pod.validateUpdate(obj, old);
    const current = new Map<string, unknown>((obj.spec?.ephemeralContainers ?? []).map((c: StoredObject) => [c.name, c]));
    for (const before of old.spec?.ephemeralContainers ?? []) {
      const after = current.get(before.name);
      if (after === undefined) errors.push(forbidden('spec.ephemeralContainers', `existing ephemeral containers "${before.name}" may not be removed\n`));
      else if (!sameValue(before, after)) errors.push(forbidden(`spec.ephemeralContainers[${before.name}]`, `existing ephemeral containers "${before.name}" may not be changed\n`));
    }
    return errors;
  }
}

/** Deep equality of JSON values, key order aside (apiequality.Semantic.DeepEqual for what JSON can hold). */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const ak = Object.keys(ao).filter((k) => ao[k] !== undefined);
  const bk = Object.keys(bo).filter((k) => bo[k] !== undefined);
  return ak.length === bk.length && ak.every((k) => sameValue(ao[k], bo[k]));
}

registerSubresourceStrategy('', 'Pod', 'ephemeralcontainers', (pod) => new PodEphemeralContainersStrategy(pod));
registerSubresourceStrategy('', 'Pod', 'binding', (pod) => new DirectWriteStrategy(pod, 'binding'));
registerSubresourceStrategy('', 'Pod', 'eviction', (pod) => new DirectWriteStrategy(pod, 'eviction'));
