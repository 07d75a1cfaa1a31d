import type { FieldError } from '../../../machinery/field-errors.ts';
import type { StoredObject } from '../../../storage/store.ts';
import { validateObjectMetaUpdate } from '../../objectmeta.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';
import { validateNodeUpdate } from '../../../../apis/core/v1/node-validation.ts';
import type { Node } from '../../../../apis/core/v1/node.ts';

/**
 * The schema's errors for a taint's key and effect: upstream checks them itself (node-validation.ts) and reports
 * them under `metadata.taints`, so the schema's would be a second report of the same fault.
 */
const schemaTaintError = /^spec\.taints\[\d+\]\.(key|effect)$/;

/**
 * Nodes (upstream's pkg/registry/core/node): a kubelet registers its node with its status, so create keeps the
 * status; the deprecated dynamic-config fields are dropped unless already in use; a /status write is checked as
 * ValidateNodeUpdate checks it (not the create-time rules of ValidateNode).
 */
class NodeStrategy extends DefaultStrategy {
  override validate(obj: StoredObject): FieldError[] {
    return super.validate(obj).filter((e) => !schemaTaintError.test(e.field));
  }

  override validateUpdate(obj: StoredObject, old: StoredObject): FieldError[] {
    return super.validateUpdate(obj, old).filter((e) => !schemaTaintError.test(e.field));
  }

  override prepareForCreate(obj: StoredObject): void {
    const status = obj.status;
    super.prepareForCreate(obj);
    if (status !== undefined) obj.status = status;
    if (obj.spec) delete obj.spec.configSource;
    if (obj.status) delete obj.status.config;
  }

  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    super.prepareForUpdate(obj, old);
    if (obj.spec && !old.spec?.configSource) delete obj.spec.configSource;
  }

  validateStatusUpdate(obj: StoredObject, old: StoredObject): FieldError[] {
    return [...validateObjectMetaUpdate(obj.metadata ?? {}, old.metadata ?? {}), ...validateNodeUpdate(obj as Node, old as Node)];
  }
}
registerStrategy('', 'Node', (kind, schema, config) => new NodeStrategy(kind, schema, config));
