/**
 * Strategies of the Pod subresources that write the pod itself: `ephemeralcontainers` (only
 * spec.ephemeralContainers changes, and existing ones stay as they are), and `binding` / `eviction`, which the
 * server writes through as upstream's REST writes storage (runtime/registry/core/binding.ts, eviction.ts).
 */
import type { FieldError } from '../../../machinery/field-errors.ts';
import { defaultValidationOptions, type ValidationOptions } from '../../../machinery/validation-options.ts';
import type { StoredObject } from '../../../storage/store.ts';
import { dropDisabledFields } from '../../disabled-fields.ts';
import { DirectWriteStrategy } from '../../direct-write-strategy.ts';
import { StatusStrategy } from '../../status-strategy.ts';
import { registerSubresourceStrategy, type Strategy } from '../../strategy.ts';

/**
 * `pods/<name>/ephemeralcontainers`, upstream's podEphemeralContainersStrategy: an update keeps the stored pod and
 * takes only spec.ephemeralContainers from the request; validation is upstream's ValidatePodEphemeralContainersUpdate
 * (no static pods, and an ephemeral container once added may be neither removed nor changed).
 */
class PodEphemeralContainersStrategy extends StatusStrategy {
  override readonly subresource = 'ephemeralcontainers';

  /** The pod strategy's options, telling the pod's validation that the write comes through this subresource. */
  readonly validationOptions: ValidationOptions;

  constructor(private readonly pod: Strategy) {
    super(pod);
    Object.assign(this, { kind: { ...pod.kind, verbs: ['get', 'patch', 'update'] } });
    this.validationOptions = Object.freeze({ ...(pod.validationOptions ?? defaultValidationOptions), subresource: this.subresource });
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

  /** Checked by the pod's own validation, told this is an ephemeral-containers write (pod-validation.ts). */
  override validateUpdate(obj: StoredObject, old: StoredObject): FieldError[] {
    return this.pod.validateUpdate(obj, old, this.validationOptions);
  }
}

registerSubresourceStrategy('', 'Pod', 'ephemeralcontainers', (pod) => new PodEphemeralContainersStrategy(pod));
registerSubresourceStrategy('', 'Pod', 'binding', (pod) => new DirectWriteStrategy(pod, 'binding'));
registerSubresourceStrategy('', 'Pod', 'eviction', (pod) => new DirectWriteStrategy(pod, 'eviction'));
