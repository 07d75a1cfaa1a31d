/**
 * Validation of the access reviews' bodies, check for check upstream's authorization validation in v1.32: the
 * attribute sets (one of the two), the subject, the selector attributes, and a metadata that must stay empty
 * (a review is an answer, not a stored object).
 */
import type { FieldError } from '../../machinery/field-errors.ts';
import { invalid, required } from '../../machinery/field-errors.ts';
import { goString, goStruct, goValue } from '../../machinery/go-syntax.ts';
import { goObjectMeta } from '../../../apis/meta/v1/go-internal.ts';
import { validateFieldSelectorRequirement, validateLabelSelectorRequirement } from '../../../apis/meta/v1/validation-helpers.ts';
import type { FieldSelectorAttributes, LabelSelectorAttributes, SubjectAccessReviewSpec } from '../../../apis/authorization.k8s.io/v1/types.ts';

type Requirement = { key?: string; operator?: string; values?: string[] };
type SelectorAttributes = FieldSelectorAttributes | LabelSelectorAttributes;

/** What the three access reviews ask: a self review's spec is the same without the subject. */
export type ReviewSpec = SubjectAccessReviewSpec;

type Meta = { name?: string; generateName?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } & Record<string, unknown>;

/** The internal NonResourceAttributes, which upstream reports whole. */
export const goNonResourceAttributes = goStruct('authorization.NonResourceAttributes', [['Path', goString()], ['Verb', goString()]]);

/** The two attribute sets: exactly one. `subject`: the user or groups must be named (not for a self review). */
export function validateReviewSpec(spec: ReviewSpec, subject: boolean): FieldError[] {
  const errors: FieldError[] = [];
  if (spec.resourceAttributes && spec.nonResourceAttributes) {
    errors.push(invalid('spec.nonResourceAttributes', goValue(goNonResourceAttributes, spec.nonResourceAttributes), 'cannot be specified in combination with resourceAttributes'));
  }
  if (!spec.resourceAttributes && !spec.nonResourceAttributes) {
    errors.push(invalid('spec.resourceAttributes', null, 'exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  }
  if (subject && !spec.user && !spec.groups?.length) errors.push(invalid('spec.user', spec.user ?? '', 'at least one of user or group must be specified'));
  const attrs = spec.resourceAttributes;
  if (attrs?.fieldSelector) errors.push(...selectorAttributes(attrs.fieldSelector, 'spec.resourceAttributes.fieldSelector', (r, at) => validateFieldSelectorRequirement(r, at, true)));
  if (attrs?.labelSelector) errors.push(...selectorAttributes(attrs.labelSelector, 'spec.resourceAttributes.labelSelector', (r, at) => validateLabelSelectorRequirement(r, at, { allowUnknownOperator: true })));
  return errors;
}

/** A selector given as text or as requirements, not both; requirements with operators this server may not know. */
function selectorAttributes(sel: SelectorAttributes, at: string, requirement: (r: Requirement, at: string) => FieldError[]): FieldError[] {
  const errors: FieldError[] = [];
  const requirements = sel.requirements ?? [];
  if (sel.rawSelector && requirements.length) errors.push(invalid(`${at}.rawSelector`, sel.rawSelector, 'may not specified at the same time as requirements'));
  if (!sel.rawSelector && !requirements.length) errors.push(required(`${at}.requirements`, `when ${at} is specified, requirements or rawSelector is required`));
  requirements.forEach((r, i) => errors.push(...requirement(r, `${at}.requirements[${i}]`)));
  return errors;
}

/**
 * A review's metadata must be empty (managedFields aside; `keepNamespace` for the local review, which names its
 * namespace). The bad value is the whole ObjectMeta as Go's `%#v` prints it.
 */
export function validateReviewMeta(meta: Meta | undefined, keepNamespace: boolean): FieldError[] {
  const m = { ...(meta ?? {}) };
  delete m.managedFields;
  if (keepNamespace) delete m.namespace;
  // Go compares with the zero ObjectMeta: "", 0 and null (a null creationTimestamp, which clients send) are zero;
  // an empty map or list is not (it decodes to one that is not nil).
  const empty = Object.values(m).every((v) => v === undefined || v === null || v === '' || v === 0);
  if (empty) return [];
  return [invalid('metadata', goValue(goObjectMeta, { ...meta, managedFields: undefined }), keepNamespace ? 'must be empty except for namespace' : 'must be empty')];
}
