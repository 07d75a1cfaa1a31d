/**
 * Selectors as authorizers take them (upstream's AuthorizeWithSelectors). A request's field and label selectors are
 * parsed once, when its attributes are made (upstream's GetAuthorizerAttributes and ResourceAttributesFrom fill
 * AttributesRecord with parsed requirements), and every authorizer reads those requirements: the Node authorizer,
 * the webhook (which sends them in a SubjectAccessReview), the CEL authorizer library.
 *
 * Selectors only narrow a request, so whatever cannot be read is left out and the broader question is asked: a raw
 * selector that does not parse gives no requirements, a review's requirement that is not valid is dropped alone; the
 * error is kept for SubjectAccessReview's status.evaluationError.
 */
import { labelSelectorFromObject, parseFieldSelector, parseLabelSelector, type FieldRequirement, type LabelOperator, type LabelRequirement } from '../../machinery/selectors.ts';

/** A selector's requirements as an authorizer reads them; `error` when (part of) it could not be read. */
export interface SelectorRequirements<R> {
  readonly requirements: readonly R[];
  readonly error?: string;
}

/** A selector requirement in the authorization API (metav1.FieldSelectorRequirement, LabelSelectorRequirement). */
interface APIRequirement {
  key: string;
  operator: string;
  values?: string[] | null;
}

/** A selector as a SubjectAccessReview spells it: raw text or requirements. */
export interface APISelector {
  rawSelector?: string;
  requirements?: APIRequirement[] | null;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** A raw selector's requirements as `parse` reads them; undefined for an empty one, which limits nothing. */
export function selectorRequirements<R>(raw: string | undefined, parse: (raw: string) => { requirements: readonly R[] }): SelectorRequirements<R> | undefined {
  if (!raw) return undefined;
  try {
    return { requirements: parse(raw).requirements };
  } catch (e) {
    return { requirements: [], error: message(e) };
  }
}

/** A raw field selector's requirements (fields.ParseSelector). */
export function fieldSelectorRequirements(raw: string | undefined): SelectorRequirements<FieldRequirement> | undefined {
  return selectorRequirements(raw, (text) => parseFieldSelector(text));
}

/** A raw label selector's requirements (labels.Parse: keys sorted, each one's values sorted and de-duplicated). */
export function labelSelectorRequirements(raw: string | undefined): SelectorRequirements<LabelRequirement> | undefined {
  return selectorRequirements(raw, parseLabelSelector);
}

/** Both selectors of a request, for its attributes (absent ones left out). */
export function selectorAttributes(field: SelectorRequirements<FieldRequirement> | undefined, label: SelectorRequirements<LabelRequirement> | undefined) {
  return { ...(field ? { fieldSelector: field } : {}), ...(label ? { labelSelector: label } : {}) };
}

/** Requirements read one by one, as upstream's fieldSelectorAsSelector and labelSelectorAsSelector: bad ones dropped. */
function eachRequirement<R>(requirements: APIRequirement[], read: (r: APIRequirement) => R): SelectorRequirements<R> {
  const out: R[] = [];
  const errors: string[] = [];
  for (const r of requirements) {
    try {
      out.push(read(r));
    } catch (e) {
      errors.push(message(e));
    }
  }
  return errors.length ? { requirements: out, error: errors.join(', ') } : { requirements: out };
}

/** A review's field selector (ResourceAttributesFrom): the raw text parsed, or each requirement `In`/`NotIn` one value. */
export function reviewFieldSelector(sel: APISelector | undefined): SelectorRequirements<FieldRequirement> | undefined {
  if (sel?.requirements?.length) {
    return eachRequirement(sel.requirements, (r) => {
      if ((r.values?.length ?? 0) > 1) throw new Error('fieldSelectors do not yet support multiple values');
      if (r.operator === 'Exists' || r.operator === 'DoesNotExist') throw new Error(`fieldSelectors do not yet support ${r.operator}`);
      if (r.operator !== 'In' && r.operator !== 'NotIn') throw new Error(`${JSON.stringify(r.operator)} is not a valid field selector operator`);
      if (r.values?.length !== 1) throw new Error(`fieldSelectors ${r.operator === 'In' ? 'in' : 'not in'} must have one value`);
      return { field: r.key, operator: r.operator === 'In' ? '=' : '!=', value: r.values[0] } satisfies FieldRequirement;
    });
  }
  return fieldSelectorRequirements(sel?.rawSelector);
}

/** A review's label selector: the raw text parsed, or each requirement checked on its own, its values as given. */
export function reviewLabelSelector(sel: APISelector | undefined): SelectorRequirements<LabelRequirement> | undefined {
  if (sel?.requirements?.length) {
    return eachRequirement(sel.requirements, (r) => {
      // Checked as a one-requirement selector; upstream's NewRequirement keeps the values in the order given.
      const [checked] = labelSelectorFromObject({ matchExpressions: [{ key: r.key, operator: r.operator, values: r.values }] }).requirements;
      return { ...checked, values: [...(r.values ?? [])] };
    });
  }
  return labelSelectorRequirements(sel?.rawSelector);
}

/** The value a field selector pins `field` to with `=` or `==` (fields.Selector.RequiresExactMatch). */
export function fieldRequiresExactMatch(sel: SelectorRequirements<FieldRequirement> | undefined, field: string): string | undefined {
  return sel?.requirements.find((r) => r.field === field && r.operator !== '!=')?.value;
}

/**
 * `spec.resourceAttributes.fieldSelector` a webhook is sent (upstream's fieldSelectorToAuthorizationAPI): every
 * requirement that can be said, even when part of the selector could not be read; undefined when none can.
 */
export function fieldSelectorAttributes(sel: SelectorRequirements<FieldRequirement> | undefined): { requirements: APIRequirement[] } | undefined {
  if (!sel?.requirements.length) return undefined;
  return { requirements: sel.requirements.map((r) => ({ key: r.field, operator: r.operator === '!=' ? 'NotIn' : 'In', values: [r.value] })) };
}

const labelOperators: Partial<Record<LabelOperator, string>> = { '=': 'In', '==': 'In', in: 'In', '!=': 'NotIn', notin: 'NotIn', exists: 'Exists', '!': 'DoesNotExist' };

/** `spec.resourceAttributes.labelSelector` a webhook is sent; requirements with no API operator (gt, lt) are left out. */
export function labelSelectorAttributes(sel: SelectorRequirements<LabelRequirement> | undefined): { requirements: APIRequirement[] } | undefined {
  const requirements: APIRequirement[] = [];
  for (const r of sel?.requirements ?? []) {
    const operator = labelOperators[r.operator];
    if (operator) requirements.push({ key: r.key, operator, ...(r.values.length ? { values: [...r.values] } : {}) });
  }
  return requirements.length ? { requirements } : undefined;
}

/**
 * What a review's status.evaluationError says of its selectors (upstream's BuildEvaluationError): each one that could
 * not be read, wholly or partly.
 */
export function selectorEvaluationErrors(attrs: { fieldSelector?: SelectorRequirements<unknown>; labelSelector?: SelectorRequirements<unknown> }): string[] {
  const out: string[] = [];
  for (const name of ['fieldSelector', 'labelSelector'] as const) {
    const sel = attrs[name];
    if (sel?.error) out.push(`spec.resourceAttributes.${name} ${sel.requirements.length ? 'partially ignored' : 'ignored'} due to parse error`);
  }
  return out;
}
