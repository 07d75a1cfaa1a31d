/**
 * Selectors as a SubjectAccessReview carries them to a webhook (upstream's webhook authorizer with
 * AuthorizeWithSelectors): parsed requirements only, never the raw text, so the webhook need not parse it again.
 * Selectors only narrow a request, so whatever cannot be said safely is left out and the webhook is asked the
 * broader question: a selector that does not parse, and requirements whose operator has no API spelling (gt, lt).
 */
import { parseFieldSelector, parseLabelSelector, type LabelOperator } from '../../machinery/selectors.ts';

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
