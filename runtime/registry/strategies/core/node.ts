import type { FieldError } from '../../../machinery/field-errors.ts';
import type { StoredObject } from '../../../storage/store.ts';
import type { ObjectMetaChecks } from '../../objectmeta.ts';
import { StatusStrategy } from '../../status-strategy.ts';
import { DefaultStrategy, registerStrategy, registerSubresourceStrategy } from '../../strategy.ts';
import { validateNodeUpdate } from '../../../../apis/core/v1/node-validation.ts';
import type { Node } from '../../../../apis/core/v1/node.ts';

/**
 * Nodes (upstream's pkg/registry/core/node): a kubelet registers its node with its status, so create keeps the
 * status; the deprecated dynamic-config fields are dropped unless already in use; a /status write is checked as
 * ValidateNodeUpdate checks it (not the create-time rules of ValidateNode). A taint's effect is `@openEnum`:
 * upstream's own rules (node-validation.ts) report a bad one, under `metadata.taints`.
 */
class NodeStrategy extends DefaultStrategy {
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

  warningsOnCreate(obj: StoredObject): string[] {
    return deprecatedFieldWarnings(obj);
  }

  warningsOnUpdate(obj: StoredObject): string[] {
    return deprecatedFieldWarnings(obj);
  }

  validateStatusUpdate(obj: StoredObject, old: StoredObject, meta: ObjectMetaChecks): FieldError[] {
    return [...meta.coreObjectMetaUpdate(), ...validateNodeUpdate(obj as Node, old as Node)];
  }
}

/**
 * Upstream's node strategy warns of the spec fields nothing reads any more, on create and on a main-resource update
 * (a /status write does not). Create drops configSource before the warnings are made, so only an update of a node
 * that already had one can warn of it.
 */
function deprecatedFieldWarnings(obj: StoredObject): string[] {
  const warnings: string[] = [];
  if (obj.spec?.configSource != null) warnings.push('spec.configSource: the feature is removed');
  if (obj.spec?.externalID) warnings.push('spec.externalID: this field is deprecated, and is unused by Kubernetes');
  return warnings;
}

/** A /status write sets the dynamic-config status only on a node that already reports one (create drops it). */
class NodeStatusStrategy extends StatusStrategy {
  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    super.prepareForUpdate(obj, old);
    if (obj.status && !old.status?.config) delete obj.status.config;
  }
}

registerStrategy('', 'Node', (kind, schema, config) => new NodeStrategy(kind, schema, config));
registerSubresourceStrategy('', 'Node', 'status', (main) => new NodeStatusStrategy(main));
