/**
 * The NonStructuralSchema condition controller: True (`Violations`, with the structural-schema errors) for a CRD
 * whose schemas are not structural, removed once they are. Validation refuses such schemas on every write since
 * apiextensions.k8s.io/v1, so only objects stored before (or restored from old data) ever get it. Each generation
 * is checked once.
 */
import { fieldErrorMessage, invalid } from '../../machinery/field-errors.ts';
import type { FieldError } from '../../machinery/field-errors.ts';
import type { StoredObject } from '../../storage/store.ts';
import { structuralConversionError, validateStructural } from '../validation/index.ts';
import type { CRDCondition } from './conditions.ts';
import type { CRDConditionRule } from './condition-controller.ts';
import { aggregateErrors } from '../../machinery/aggregate-errors.ts';

/** The condition a CRD should carry, or undefined when its schemas are all structural. */
export function nonStructuralCondition(crd: StoredObject): CRDCondition | undefined {
  const errs: FieldError[] = [];
  if (crd.spec?.preserveUnknownFields === true) errs.push(invalid('spec.preserveUnknownFields', true, 'must be false'));
  const versions: StoredObject[] = Array.isArray(crd.spec?.versions) ? crd.spec.versions : [];
  for (const [i, v] of versions.entries()) {
    const schema = v?.schema?.openAPIV3Schema;
    if (!schema || typeof schema !== 'object') continue;
    const conversionError = structuralConversionError(schema);
    if (conversionError) {
      return { type: 'NonStructuralSchema', status: 'Unknown', reason: 'StructuralError', message: `failed to check validation schema for version ${v.name}: ${conversionError}` };
    }
    errs.push(...validateStructural(schema, `spec.versions[${i}].schema.openAPIV3Schema`));
  }
  if (!errs.length) return undefined;
  return { type: 'NonStructuralSchema', status: 'True', reason: 'Violations', message: aggregateErrors(errs.map(fieldErrorMessage)) };
}

/** Each generation is checked once: the schemas only change with the spec. */
export const nonStructuralSchemaRule: CRDConditionRule = {
  name: 'NonStructuralSchemaConditionController',
  type: 'NonStructuralSchema',
  inputOf: (crd) => String(crd.metadata?.generation ?? 0),
  conditionFor: nonStructuralCondition,
  removeWhenAbsent: true,
};
