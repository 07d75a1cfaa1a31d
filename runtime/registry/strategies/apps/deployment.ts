import type { StoredObject } from '../../../storage/store.ts';
import { goQuote } from '../../../machinery/gofmt.ts';
import { semanticEqual } from '../../../machinery/semantic-equal.ts';
import { registerStrategy } from '../../strategy.ts';
import { SelectorHoldingStrategy } from './selector-holding-strategy.ts';
import type { ObjectMetaChecks } from '../../objectmeta.ts';
import { changedTemplateWarnings, podWarnings } from '../core/pod-warnings.ts';
import { podNameWarnings } from './pod-name-warning.ts';
import { validateDeploymentStatusUpdate } from './status-validation.ts';
import type { FieldError } from '../../../machinery/field-errors.ts';
import * as statusErrors from '../../../machinery/status.ts';
import { rollbackToAnnotation } from '../../../../apis/apps/v1/validation.ts';

/**
 * Deployments as upstream's deployment strategy: status cleared on create and kept on update, and the generation
 * bumped by spec changes and by annotation changes too (the controller copies annotations to its ReplicaSets); a
 * status write is checked as a status.
 */
class DeploymentStrategy extends SelectorHoldingStrategy {
  override prepareForCreate(obj: StoredObject): void {
    checkRollbackTo(obj);
    super.prepareForCreate(obj);
  }
  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    checkRollbackTo(obj);
    super.prepareForUpdate(obj, old);
  }
  protected override generationChanged(obj: StoredObject, old: StoredObject): boolean {
    return super.generationChanged(obj, old) || !semanticEqual(obj.metadata?.annotations, old.metadata?.annotations);
  }
  validateStatusUpdate(obj: StoredObject, old: StoredObject, meta: ObjectMetaChecks): FieldError[] {
    return validateDeploymentStatusUpdate(obj, old, meta);
  }
  warningsOnCreate(obj: StoredObject): string[] {
    return [...podNameWarnings(obj.metadata?.name), ...podWarnings(obj.spec?.template, 'spec.template.')];
  }
  warningsOnUpdate(obj: StoredObject, old: StoredObject): string[] {
    return changedTemplateWarnings(obj, old, obj.spec?.template, 'spec.template.');
  }
}

/**
 * apps/v1 carries the old spec.rollbackTo in an annotation, which upstream's conversion parses as an int64: a value
 * that is not one fails the decoding (400, in the decoder's words).
 */
function checkRollbackTo(obj: StoredObject): void {
  const value = obj.metadata?.annotations?.[rollbackToAnnotation];
  if (!value || /^[+-]?\d+$/.test(String(value))) return;
  throw statusErrors.badRequest(
    `Deployment in version "v1" cannot be handled as a Deployment: failed to parse annotation[${rollbackToAnnotation}]=${value} as int64: strconv.ParseInt: parsing ${goQuote(String(value))}: invalid syntax`,
  );
}

registerStrategy('apps', 'Deployment', (kind, schema, config) => new DeploymentStrategy(kind, schema, config));
