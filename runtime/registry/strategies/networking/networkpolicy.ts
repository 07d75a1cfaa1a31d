/**
 * NetworkPolicies: the DefaultStrategy, but as upstream's pkg/registry/networking/networkpolicy/strategy.go (v1.32):
 * PrepareForUpdate compares the spec with reflect.DeepEqual, so an empty list or map sent in the spec bumps the
 * generation; and ValidateUpdate appends ValidateNetworkPolicy (ObjectMeta, spec) and ValidateNetworkPolicyUpdate
 * (ObjectMeta's update rules, the spec again), so an update lists each spec error twice.
 */
import type { FieldError } from '../../../machinery/field-errors.ts';
import type { StoredObject } from '../../../storage/store.ts';
import type { ObjectMetaChecks } from '../../objectmeta.ts';
import type { ValidationOptions } from '../../../machinery/validation-options.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

class NetworkPolicyStrategy extends DefaultStrategy {
  protected override generationEquality = 'reflect' as const;

  protected override kindUpdateErrors(obj: StoredObject, old: StoredObject, opts: ValidationOptions, meta: ObjectMetaChecks): FieldError[] {
    const spec = this.kindErrors(obj, old, opts);
    return [...this.kindObjectMetaErrors(meta), ...spec, ...meta.coreObjectMetaUpdate(), ...spec];
  }
}

registerStrategy('networking.k8s.io', 'NetworkPolicy', (kind, schema, config) => new NetworkPolicyStrategy(kind, schema, config));
