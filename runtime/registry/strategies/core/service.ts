import type { StoredObject } from '../../../storage/store.ts';
import type { FieldError } from '../../../machinery/field-errors.ts';
import { mergeByField } from '../../../machinery/field-order.ts';
import type { ValidationOptions } from '../../../machinery/validation-options.ts';
import { dropTypeDependentFields, normalizeClusterIPs, patchAllocatedValues } from '../../core/service-alloc.ts';
import { serviceUpdateOnlyErrors, serviceWarnings, validateService, validateServiceStatusUpdate, withoutFamilyEnumErrors } from '../../core/service-validation.ts';
import type { ObjectMetaChecks } from '../../objectmeta.ts';
import { DefaultStrategy, registerStrategy, type BeginOptions, type Finish } from '../../strategy.ts';

const noop: Finish = async () => {};

/**
 * ExternalName Services never show an internalTrafficPolicy: upstream keeps one a type change left behind in
 * storage but drops it on every read (defaultOnReadInternalTrafficPolicy); not storing it answers the same.
 */
function hideInternalTrafficPolicy(obj: StoredObject): void {
  if (obj.spec?.type === 'ExternalName') delete obj.spec.internalTrafficPolicy;
}

/**
 * Services, as upstream's pkg/registry/core/service (strategy.go and the REST hooks of storage/storage.go): before
 * anything else a write claims what the Service needs from the cluster's pools (cluster IPs, node ports, the health
 * check node port) and fills in its IP family fields; updates keep the values the server chose when the client
 * leaves them out, and type changes clear and give back what no longer applies. Deletes give everything back and
 * remove the Service's Endpoints. PUT of a missing Service creates it.
 */
class ServiceStrategy extends DefaultStrategy {
  readonly returnDeletedObject = true;
  override readonly allowCreateOnUpdate = true;
  /** Upstream's Service strategy never sets metadata.generation. */
  protected override tracksGeneration = false;

  /** Status starts empty: Go writes an empty ServiceStatus as `{loadBalancer: {}}`. */
  override prepareForCreate(obj: StoredObject): void {
    super.prepareForCreate(obj);
    obj.status = { loadBalancer: {} };
    hideInternalTrafficPolicy(obj);
  }

  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    super.prepareForUpdate(obj, old);
    dropTypeDependentFields(obj, old);
    hideInternalTrafficPolicy(obj);
  }

  override validate(obj: StoredObject): FieldError[] {
    return mergeByField(validateService(obj), withoutFamilyEnumErrors(super.validate(obj)), this.fieldOrder());
  }

  /** ValidateServiceUpdate's own checks (cluster IPs and families up or down, load balancer class). */
  protected override updateOnlyErrors(obj: StoredObject, old: StoredObject): FieldError[] {
    return serviceUpdateOnlyErrors(obj, old);
  }

  /** ValidateService, with the schema's checks at their fields (less the family enums ValidateService checks first). */
  protected override kindErrors(obj: StoredObject, old: StoredObject | undefined, opts: ValidationOptions): FieldError[] {
    return mergeByField(validateService(obj), withoutFamilyEnumErrors(super.kindErrors(obj, old, opts)), this.fieldOrder());
  }

  validateStatusUpdate(obj: StoredObject, old: StoredObject, meta: ObjectMetaChecks): FieldError[] {
    return [...meta.coreObjectMetaUpdate(), ...validateServiceStatusUpdate(obj)];
  }

  /** Upstream's WarningsOnCreate / WarningsOnUpdate (read by the store once it asks strategies for warnings). */
  warningsOnCreate(obj: StoredObject): string[] {
    return serviceWarnings(obj);
  }

  warningsOnUpdate(obj: StoredObject): string[] {
    return serviceWarnings(obj);
  }

  async beginCreate(obj: StoredObject, opts: BeginOptions): Promise<Finish> {
    const alloc = this.config.serviceAllocators;
    obj.spec ??= {};
    normalizeClusterIPs(obj);
    if (!alloc) return noop;
    const txn = await alloc.allocateCreate(obj, opts.dryRun);
    return (ok) => (ok ? txn.commit() : txn.revert());
  }

  async beginUpdate(obj: StoredObject, old: StoredObject, opts: BeginOptions): Promise<Finish> {
    const alloc = this.config.serviceAllocators;
    obj.spec ??= {};
    patchAllocatedValues(obj, old);
    normalizeClusterIPs(obj, old);
    if (!alloc) return noop;
    const txn = await alloc.allocateUpdate(obj, old, opts.dryRun);
    return (ok) => (ok ? txn.commit() : txn.revert());
  }

  async afterDelete(obj: StoredObject): Promise<void> {
    await this.config.serviceAllocators?.releaseAllocatedResources(obj);
    await this.config.deleteServiceEndpoints?.(obj.metadata?.namespace ?? '', obj.metadata?.name ?? '');
  }
}

registerStrategy('', 'Service', (kind, schema, config) => new ServiceStrategy(kind, schema, config));
