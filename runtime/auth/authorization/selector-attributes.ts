/**
 * Selectors as a SubjectAccessReview carries them to a webhook (upstream's webhook authorizer with
 * AuthorizeWithSelectors): parsed requirements only, never the raw text, so the webhook need not parse it again.
 * Selectors only narrow a request, so whatever cannot be said safely is left out and the webhook is asked the
 * broader question: a selector that does not parse, and requirements whose operator has no API spelling (gt, lt).
 * The reverse (a SubjectAccessReview's selector attributes as the raw text authorizers take) is here too.
 */
import { escapeFieldValue, labelSelectorFromObject, parseFieldSelector, parseLabelSelector, type LabelOperator } from '../../machinery/selectors.ts';

interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

/** `spec.resourceAttributes.fieldSelector` for a raw field selector; undefined when it limits nothing. */
export function fieldSelectorAttributes(raw: string | undefined): { requirements: Requirement[] } | undefined {
  if (!raw) return undefined;
  let requirements: Requirement[];
  try {
    requirements = parseFieldSelector(raw).requirements.map((r) => ({ key: r.field, operator: r.operator === '!=' ? 'NotIn' : 'In', values: [r.value] }));
  } catch {
    return undefined;
  }
  return requirements.length ? { requirements } : undefined;
}

const labelOperators: Partial<Record<LabelOperator, string>> = { '=': 'In', '==': 'In', in: 'In', '!=': 'NotIn', notin: 'NotIn', exists: 'Exists', '!': 'DoesNotExist' };

/** `spec.resourceAttributes.labelSelector` for a raw label selector; undefined when it limits nothing. */
export function labelSelectorAttributes(raw: string | undefined): { requirements: Requirement[] } | undefined {
  if (!raw) return undefined;
  const requirements: Requirement[] = [];
  try {
    for (const r of parseLabelSelector(raw).requirements) {
      const operator = labelOperators[r.operator];
      if (operator) requirements.push({ key: r.key, operator, ...(r.values.length ? { values: [...r.values] } : {}) });
    }
  } catch {
    return undefined;
  }
  return requirements.length ? { requirements } : undefined;
}

/**
 * The raw field selector a review's `fieldSelector` asks about (upstream's ResourceAttributesFrom): the rawSelector,
 * or the requirements, each `In` or `NotIn` with one value. Anything else does not parse, so it limits nothing.
 */
export function rawFieldSelector(attrs: { rawSelector?: string; requirements?: Requirement[] | null } | undefined): string | undefined {
  if (attrs?.rawSelector) return attrs.rawSelector;
  const terms: string[] = [];
  for (const r of attrs?.requirements ?? []) {
    const op = r.operator === 'In' ? '=' : r.operator === 'NotIn' ? '!=' : undefined;
    if (!op || r.values?.length !== 1) return undefined;
    terms.push(`${r.key}${op}${escapeFieldValue(r.values[0])}`);
  }
  return terms.join(',') || undefined;
}

/** The raw label selector a review's `labelSelector` asks about; requirements that are no selector limit nothing. */
export function rawLabelSelector(attrs: { rawSelector?: string; requirements?: Requirement[] | null } | undefined): string | undefined {
  if (attrs?.rawSelector) return attrs.rawSelector;
  if (!attrs?.requirements?.length) return undefined;
  try {
    return labelSelectorFromObject({ matchExpressions: attrs.requirements }).toString() || undefined;
  } catch {
    return undefined;
  }
}
