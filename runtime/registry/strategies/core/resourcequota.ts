import type { FieldError } from '../../../machinery/field-errors.ts';
import type { StoredObject } from '../../../storage/store.ts';
import type { ObjectMetaChecks } from '../../objectmeta.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';
import { validateResourceQuotaStatus } from '../../../../apis/core/v1/quota-validation.ts';
import type { ResourceQuota } from '../../../../apis/core/v1/resourcequota.ts';

/**
 * Resource quotas (upstream's pkg/registry/core/resourcequota): a /status write is checked as
 * ValidateResourceQuotaStatusUpdate checks it, the status lists only. Upstream also refuses updates without a
 * resourceVersion; ours stay allowed, as the server's own quota controller and admission write status so. Scope
 * names and operators are `@openEnum`: the quota's own rules (quota-validation.ts) report bad ones, at the list.
 */
class ResourceQuotaStrategy extends DefaultStrategy {
  validateStatusUpdate(obj: StoredObject, old: StoredObject, meta: ObjectMetaChecks): FieldError[] {
    return [...meta.coreObjectMetaUpdate(), ...validateResourceQuotaStatus(obj as ResourceQuota)];
  }
}
registerStrategy('', 'ResourceQuota', (kind, schema, config) => new ResourceQuotaStrategy(kind, schema, config));
