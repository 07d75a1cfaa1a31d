import * as statusErrors from '../../../machinery/status.ts';
import { goQuote } from '../../../machinery/gofmt.ts';
import type { StoredObject } from '../../../storage/store.ts';
import { semanticEqual } from '../../../machinery/semantic-equal.ts';
import { registerStrategy } from '../../strategy.ts';
import { SelectorHoldingStrategy } from './selector-holding-strategy.ts';
import type { ObjectMetaChecks } from '../../objectmeta.ts';
import { changedTemplateWarnings, podWarnings } from '../core/pod-warnings.ts';
import { validateDaemonSetStatusUpdate } from './status-validation.ts';
import type { FieldError } from '../../../machinery/field-errors.ts';

/** Where apps/v1 keeps the DaemonSet's template generation (spec.templateGeneration of the internal type). */
export const templateGenerationAnnotation = 'deprecated.daemonset.template.generation';

/**
 * DaemonSets as upstream's strategy: the template generation starts at 1 and counts template changes, whatever
 * the client sends in the annotation; the generation counts spec changes.
 */
class DaemonSetStrategy extends SelectorHoldingStrategy {
  protected override updateValidatesAsCreateFirst = true;
  override prepareForCreate(obj: StoredObject): void {
    super.prepareForCreate(obj);
    const sent = templateGeneration(obj);
    setTemplateGeneration(obj, sent >= 1 ? sent : 1);
  }

  override prepareForUpdate(obj: StoredObject, old: StoredObject): void {
    templateGeneration(obj);
    super.prepareForUpdate(obj, old);
    const previous = templateGeneration(old);
    setTemplateGeneration(obj, semanticEqual(obj.spec?.template, old.spec?.template) ? previous : previous + 1);
  }
  validateStatusUpdate(obj: StoredObject, old: StoredObject, meta: ObjectMetaChecks): FieldError[] {
    return validateDaemonSetStatusUpdate(obj, old, meta);
  }
  warningsOnCreate(obj: StoredObject): string[] {
    return [...podWarnings(obj.spec?.template, 'spec.template.')];
  }
  warningsOnUpdate(obj: StoredObject, old: StoredObject): string[] {
    return changedTemplateWarnings(obj, old, obj.spec?.template, 'spec.template.');
  }
}

/**
 * The template generation an object carries (0 without one). A value that is not an integer cannot be converted
 * to the internal type upstream: 400, as the decoder words a conversion error (transformDecodeError).
 */
function templateGeneration(obj: StoredObject): number {
  const value = obj.metadata?.annotations?.[templateGenerationAnnotation];
  if (value === undefined) return 0;
  if (!/^[+-]?\d+$/.test(String(value))) {
    throw statusErrors.badRequest(`DaemonSet in version "v1" cannot be handled as a DaemonSet: strconv.ParseInt: parsing ${goQuote(String(value))}: invalid syntax`);
  }
  return Number(value);
}

function setTemplateGeneration(obj: StoredObject, generation: number): void {
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [templateGenerationAnnotation]: String(generation) };
}

registerStrategy('apps', 'DaemonSet', (kind, schema, config) => new DaemonSetStrategy(kind, schema, config));
