/**
 * Validation helpers for the shared meta types and for checks several groups repeat (non-negative counts,
 * int-or-percent values, selector/template agreement). Used by the `validate_*` hooks of apis/<group>/<version>/
 * validation.ts; field paths and messages follow upstream's apimachinery validation.
 */
import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { duplicate, forbidden, invalid, notSupported, required, tooLong } from '../../../runtime/machinery/field-errors.ts';
import { goIntOrString, goValue } from '../../../runtime/machinery/go-syntax.ts';
import { labelSelectorFromObject } from '../../../runtime/machinery/selectors.ts';
import { isDNS1123Subdomain, isQualifiedName, isValidLabelValue, isValidPercent, regexError } from '../../../runtime/machinery/string-checks.ts';
import type { Condition, IntOrString, LabelSelector } from './types.ts';

export const negativeMessage = 'must be greater than or equal to 0';

/** `path: Invalid value: v: must be greater than or equal to 0` when v < 0; nothing for an absent value. */
export function nonNegative(value: number | undefined | null, path: string): FieldError[] {
  return typeof value === 'number' && value < 0 ? [invalid(path, value, negativeMessage)] : [];
}

/** Label keys and values of a label map, reported at the map's path (as upstream's ValidateLabels). */
export function validateLabels(labels: Record<string, string> | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    for (const msg of isQualifiedName(k)) errors.push(invalid(path, k, msg));
    for (const msg of isValidLabelValue(String(v))) errors.push(invalid(path, v, msg));
  }
  return errors;
}

/**
 * A metav1.LabelSelector: valid label keys and values, operators with the right number of values. With
 * `allowInvalidValues` the expressions' values are not checked (upstream's AllowInvalidLabelValueInSelector, for
 * objects stored before values were checked).
 */
export function validateLabelSelector(sel: LabelSelector | undefined | null, path: string, allowInvalidValues = false): FieldError[] {
  if (!sel) return [];
  const errors = validateLabels(sel.matchLabels, `${path}.matchLabels`);
  (sel.matchExpressions ?? []).forEach((req, i) => errors.push(...validateLabelSelectorRequirement(req, `${path}.matchExpressions[${i}]`, { allowInvalidValues })));
  return errors;
}

/** Whether a selector requirement's values suit its operator (the checks label and field selectors share). */
function validateOperatorValues(operator: string, values: string[], at: string, allowUnknownOperator: boolean): FieldError[] {
  switch (operator) {
    case 'In':
    case 'NotIn':
      return values.length === 0 ? [required(`${at}.values`, "must be specified when `operator` is 'In' or 'NotIn'")] : [];
    case 'Exists':
    case 'DoesNotExist':
      return values.length > 0 ? [forbidden(`${at}.values`, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'")] : [];
    default:
      return allowUnknownOperator ? [] : [invalid(`${at}.operator`, operator, 'not a valid selector operator')];
  }
}

/**
 * One label selector requirement (apimachinery's ValidateLabelSelectorRequirement). `allowUnknownOperator`: access
 * reviews accept operators newer clients know and this server does not; `allowInvalidValues`: see above.
 */
export function validateLabelSelectorRequirement(
  req: { key?: string; operator?: string; values?: string[] },
  at: string,
  opts: { allowUnknownOperator?: boolean; allowInvalidValues?: boolean } = {},
): FieldError[] {
  const values = req.values ?? [];
  const errors = validateOperatorValues(req.operator ?? '', values, at, opts.allowUnknownOperator ?? false);
  for (const msg of isQualifiedName(req.key ?? '')) errors.push(invalid(`${at}.key`, req.key ?? '', msg));
  if (!opts.allowInvalidValues) values.forEach((v, j) => {
    for (const msg of isValidLabelValue(v)) errors.push(invalid(`${at}.values[${j}]`, v, msg));
  });
  return errors;
}

/** One field selector requirement (apimachinery's ValidateFieldSelectorRequirement). */
export function validateFieldSelectorRequirement(req: { key?: string; operator?: string; values?: string[] }, at: string, allowUnknownOperator = false): FieldError[] {
  const errors = req.key ? [] : [required(`${at}.key`, 'must be specified')];
  return [...errors, ...validateOperatorValues(req.operator ?? '', req.values ?? [], at, allowUnknownOperator)];
}

/** True when the selector has no requirements at all (matches everything). */
export function isEmptySelector(sel: LabelSelector): boolean {
  return Object.keys(sel.matchLabels ?? {}).length + (sel.matchExpressions ?? []).length === 0;
}

/**
 * Whether `labels` satisfy `sel`; undefined when the selector cannot be turned into one (an invalid operator,
 * already reported by validateLabelSelector). A null selector matches nothing, as upstream.
 */
export function selectorMatches(sel: LabelSelector | undefined | null, labels: Record<string, string> | undefined): boolean | undefined {
  try {
    return labelSelectorFromObject(sel).matches(labels ?? {});
  } catch {
    return undefined;
  }
}

const percentPattern = /^[0-9]+%$/;

/** The number an int-or-percent stands for (`25%` -> 25, `3` -> 3); 0 for an unparsable string, as upstream. */
export function intOrPercentValue(v: IntOrString | undefined | null): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number') return v;
  if (percentPattern.test(v)) return Number(v.slice(0, -1));
  return /^-?\d+$/.test(v) ? Number(v) : 0;
}

/** A non-negative integer or a percentage string such as `25%`. */
export function validatePositiveIntOrPercent(v: IntOrString | undefined | null, path: string): FieldError[] {
  if (v === undefined || v === null) return [];
  // Upstream reports the whole intstr.IntOrString struct (printed with %#v) as the bad value.
  if (typeof v === 'string') return isValidPercent(v).map((msg) => invalid(path, goValue(goIntOrString, v), msg));
  return nonNegative(v, path);
}

/** A percentage may not exceed 100%. */
export function notMoreThan100Percent(v: IntOrString | undefined | null, path: string): FieldError[] {
  if (typeof v !== 'string' || !percentPattern.test(v)) return [];
  return Number(v.slice(0, -1)) > 100 ? [invalid(path, goValue(goIntOrString, v), 'must not be greater than 100%')] : [];
}

const conditionStatuses = ['False', 'True', 'Unknown'];
const conditionReasonFormat = '[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?';
const conditionReason = new RegExp(`^${conditionReasonFormat}$`);
const conditionReasonMessage = regexError(
  "a condition reason must start with alphabetic character, optionally followed by a string of alphanumeric characters or '_,:', and must end with an alphanumeric character or '_'",
  conditionReasonFormat, 'my_name', 'MY_NAME', 'MyName', 'ReasonA,ReasonB', 'ReasonA:ReasonB',
);

/**
 * A list of metav1.Conditions, as apimachinery's ValidateConditions checks the status conditions of the kinds that
 * use them (PodDisruptionBudget, ValidatingAdmissionPolicy): one entry per type, each with a qualified-name type,
 * a known status, a transition time and a reason.
 */
export function validateConditions(conditions: Condition[] | undefined, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const types = new Set<string>();
  (conditions ?? []).forEach((c, i) => {
    const at = `${path}[${i}]`;
    const type = c.type ?? '';
    if (types.has(type)) errors.push(duplicate(`${at}.type`, type));
    types.add(type);
    for (const msg of isQualifiedName(type)) errors.push(invalid(`${at}.type`, type, msg));
    if (!conditionStatuses.includes(c.status)) errors.push(notSupported(`${at}.status`, c.status ?? '', conditionStatuses));
    if ((c.observedGeneration ?? 0) < 0) errors.push(invalid(`${at}.observedGeneration`, c.observedGeneration, 'must be greater than or equal to zero'));
    if (!c.lastTransitionTime) errors.push(required(`${at}.lastTransitionTime`, 'must be set'));
    const reason = c.reason ?? '';
    if (!reason) errors.push(required(`${at}.reason`, 'must be set'));
    else {
      if (!conditionReason.test(reason)) errors.push(invalid(`${at}.reason`, reason, conditionReasonMessage));
      if (reason.length > 1024) errors.push(tooLong(`${at}.reason`, '', 1024));
    }
    if ((c.message ?? '').length > 32 * 1024) errors.push(tooLong(`${at}.message`, '', 32 * 1024));
  });
  return errors;
}

const httpPathFmt = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
const httpPath = new RegExp(`^${httpPathFmt}$`);

/**
 * A domain-prefixed path such as `acme.io/foo`: a DNS subdomain, `/`, then HTTP path characters (apimachinery's
 * IsDomainPrefixedPath; a Job's managedBy, an IngressClass's controller).
 */
export function validateDomainPrefixedPath(value: string, path: string): FieldError[] {
  if (value.length === 0) return [required(path, '')];
  const slash = value.indexOf('/');
  const host = slash < 0 ? value : value.slice(0, slash);
  const rest = slash < 0 ? '' : value.slice(slash + 1);
  if (slash < 0 || host.length === 0 || rest.length === 0) return [invalid(path, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const errors = isDNS1123Subdomain(host).map((msg) => invalid(path, host, msg));
  if (!httpPath.test(rest)) errors.push(invalid(path, rest, regexError('Invalid path', httpPathFmt)));
  return errors;
}
