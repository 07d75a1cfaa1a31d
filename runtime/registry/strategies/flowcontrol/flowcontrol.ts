/**
 * FlowSchemas and PriorityLevelConfigurations, as upstream's registry/flowcontrol: the DefaultStrategy's status
 * reset and generation, and upstream's validation (apis/flowcontrol.apiserver.k8s.io/v1/validation.ts) as the
 * word on every field it checks.
 */
import { validate_FlowSchema, validate_PriorityLevelConfiguration } from '../../../../apis/flowcontrol.apiserver.k8s.io/v1/validation.ts';
import type { FieldError } from '../../../machinery/field-errors.ts';
import type { StoredObject } from '../../../storage/store.ts';
import { registerStrategy } from '../../strategy.ts';
import { UpstreamValidatedStrategy } from '../upstream-validated.ts';

class FlowSchemaStrategy extends UpstreamValidatedStrategy {
  protected upstreamErrors(obj: StoredObject): FieldError[] {
    return validate_FlowSchema(obj);
  }
}

class PriorityLevelConfigurationStrategy extends UpstreamValidatedStrategy {
  protected upstreamErrors(obj: StoredObject): FieldError[] {
    return validate_PriorityLevelConfiguration(obj);
  }
}

const group = 'flowcontrol.apiserver.k8s.io';
registerStrategy(group, 'FlowSchema', (kind, schema, config) => new FlowSchemaStrategy(kind, schema, config));
registerStrategy(group, 'PriorityLevelConfiguration', (kind, schema, config) => new PriorityLevelConfigurationStrategy(kind, schema, config));
