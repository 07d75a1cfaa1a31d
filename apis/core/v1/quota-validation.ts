/**
 * ResourceQuotas and LimitRanges, as upstream's ValidateResourceQuota (+Update, +StatusUpdate) and
 * ValidateLimitRange (pkg/apis/core/validation, v1.32): resource names, quantities, scopes and the relations
 * between a limit range's min, max, defaults and ratios, with upstream's paths, messages and bad values.
 */
import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { duplicate, forbidden, GoValue, invalid, required } from '../../../runtime/machinery/field-errors.ts';
import { goQuantityText, goStrings, goValue } from '../../../runtime/machinery/go-syntax.ts';
import { goResourceQuotaScopes, goScopeSelector } from './go-internal.ts';
import { compareQuantities, isQuantity, quantityScaledValue, sentQuantity } from '../../../runtime/machinery/quantity.ts';
import { isQualifiedName } from '../../../runtime/machinery/string-checks.ts';
import type { LimitRange, LimitRangeItem } from './limitrange.ts';
import type { ResourceQuota, ResourceQuotaSpec } from './resourcequota.ts';
import { isOvercommitAllowed, isStandardQuotaResourceName, validateContainerResourceName, validateQuotaResourceName, validateResourceName, validateResourceQuantityValue } from './validation-common.ts';

type ResourceList = Record<string, string>;

// ---- ResourceQuota ----

/** Scopes v1.32 knows with its default feature gates (VolumeAttributesClass is behind a disabled gate). */
const standardScopes = new Set(['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity']);
const podComputeResources = new Set(['cpu', 'memory', 'limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory']);
/** Scopes that only have `Exists` / `DoesNotExist` meaning in a scope selector. */
const existenceScopes = new Set(['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating', 'CrossNamespacePodAffinity']);
const conflictingPairs = [['BestEffort', 'NotBestEffort'], ['Terminating', 'NotTerminating']];

/** Whether a quota on `resource` can be narrowed by `scope` (pod scopes count pods and their compute). */
function scopeValidForResource(scope: string, resource: string): boolean {
  switch (scope) {
    case 'Terminating':
    case 'NotTerminating':
    case 'NotBestEffort':
    case 'PriorityClass':
    case 'CrossNamespacePodAffinity':
      return resource === 'pods' || podComputeResources.has(resource);
    case 'BestEffort':
      return resource === 'pods';
    default:
      return true;
  }
}



/** Hard resources, in Go's sorted order, that the quota tracks itself. */
const sortedStandardHard = (spec: ResourceQuotaSpec) => Object.keys(spec.hard ?? {}).sort().filter(isStandardQuotaResourceName);

function conflictErrors(scopes: Set<string>, path: string, spec: ResourceQuotaSpec): FieldError[] {
  return conflictingPairs.filter(([a, b]) => scopes.has(a) && scopes.has(b)).map(() => invalid(path, goValue(goResourceQuotaScopes, spec.scopes), 'conflicting scopes'));
}

function validateScopes(spec: ResourceQuotaSpec): FieldError[] {
  if (!spec.scopes?.length) return [];
  const path = 'spec.scopes';
  const errors: FieldError[] = [];
  const hard = sortedStandardHard(spec);
  for (const scope of spec.scopes) {
    if (!standardScopes.has(scope)) errors.push(invalid(path, goValue(goResourceQuotaScopes, spec.scopes), 'unsupported scope'));
    for (const k of hard) if (!scopeValidForResource(scope, k)) errors.push(invalid(path, goValue(goResourceQuotaScopes, spec.scopes), 'unsupported scope applied to resource'));
  }
  return [...errors, ...conflictErrors(new Set(spec.scopes), path, spec)];
}

function validateScopeSelector(spec: ResourceQuotaSpec): FieldError[] {
  const sel = spec.scopeSelector;
  if (!sel) return [];
  const path = 'spec.scopeSelector.matchExpressions';
  const errors: FieldError[] = [];
  const hard = sortedStandardHard(spec);
  const names = new Set<string>();
  for (const r of sel.matchExpressions ?? []) {
    const scope = r.scopeName ?? '';
    if (!standardScopes.has(scope)) errors.push(invalid(`${path}.scopeName`, scope, 'unsupported scope'));
    for (const k of hard) if (!scopeValidForResource(scope, k)) errors.push(invalid(path, goValue(goScopeSelector, sel), 'unsupported scope applied to resource'));
    if (existenceScopes.has(scope) && r.operator !== 'Exists') {
      errors.push(invalid(`${path}.operator`, r.operator ?? '', 'must be \'Exists\' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity'));
    }
    if (r.operator === 'In' || r.operator === 'NotIn') {
      if (!r.values?.length) errors.push(required(`${path}.values`, 'must be at least one value when `operator` is \'In\' or \'NotIn\' for scope selector'));
    } else if (r.operator === 'Exists' || r.operator === 'DoesNotExist') {
      if (r.values?.length) errors.push(invalid(`${path}.values`, goValue(goStrings, r.values), 'must be no value when `operator` is \'Exist\' or \'DoesNotExist\' for scope selector'));
    } else {
      errors.push(invalid(`${path}.operator`, r.operator ?? '', 'not a valid selector operator'));
    }
    names.add(scope);
  }
  // Upstream reports a conflict in the selector with the spec's `scopes` list as the bad value.
  return [...errors, ...conflictErrors(names, path, spec)];
}

function validateQuotaList(list: ResourceList | undefined, path: string): FieldError[] {
  return Object.keys(list ?? {}).flatMap((k) => [...validateQuotaResourceName(`${path}[${k}]`, k), ...validateResourceQuantityValue(k, list!, `${path}[${k}]`)]);
}

function validateQuotaSpec(spec: ResourceQuotaSpec): FieldError[] {
  return [...validateQuotaList(spec.hard, 'spec.hard'), ...validateScopes(spec), ...validateScopeSelector(spec)];
}

function validateQuotaStatus(quota: ResourceQuota): FieldError[] {
  return [...validateQuotaList(quota.status?.hard, 'status.hard'), ...validateQuotaList(quota.status?.used, 'status.used')];
}

/** ValidateResourceQuota on create; ValidateResourceQuotaUpdate (spec, and scopes immutable) on update. */
export function validateResourceQuota(quota: ResourceQuota, old?: ResourceQuota): FieldError[] {
  const spec = quota.spec ?? {};
  if (!old) return [...validateQuotaSpec(spec), ...validateQuotaStatus(quota)];
  const errors = validateQuotaSpec(spec);
  const now = new Set(spec.scopes ?? []);
  const before = new Set(old.spec?.scopes ?? []);
  if (now.size !== before.size || [...now].some((s) => !before.has(s))) errors.push(invalid('spec.scopes', goValue(goResourceQuotaScopes, spec.scopes), 'field is immutable'));
  return errors;
}

/**
 * ValidateResourceQuotaStatusUpdate, after the metadata update rules. Its resourceVersion rule is left out: it never
 * fires over HTTP, as upstream's quota strategy allows unconditional updates and its store fills in the stored
 * version before validation when a client sends none.
 */
export function validateResourceQuotaStatus(quota: ResourceQuota): FieldError[] {
  return validateQuotaStatus(quota);
}

// ---- LimitRange ----

const standardLimitTypes = new Set(['Pod', 'Container', 'PersistentVolumeClaim']);

function validateLimitTypeName(type: string, path: string): FieldError[] {
  const errors = isQualifiedName(type).map((msg) => invalid(path, type, msg));
  if (errors.length) return errors;
  if (!type.includes('/') && !standardLimitTypes.has(type)) errors.push(invalid(path, type, 'must be a standard limit type or fully qualified'));
  return errors;
}

/** Pods and containers take container resource names; other types (PVCs: storage) any resource name. */
const limitResourceName = (type: string, path: string, name: string) => (type === 'Pod' || type === 'Container' ? validateContainerResourceName(path, name) : validateResourceName(path, name));

/** Go's `%f`: six decimals, `+Inf` for a division by zero. */
const goFloat = (n: number) => (Number.isFinite(n) ? n.toFixed(6) : n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN');

/** Go's resource.MaxMilliValue: the largest whole value whose milli-value an int64 still holds. */
const maxMilliValue = (2n ** 63n - 1n) / 1000n;
/** Go's Quantity.Value and MilliValue (exact, rounded away from zero), as the float64 upstream divides them in. */
const wholeValue = (q: string) => quantityScaledValue(q, 0)!;
const milliValue = (q: string) => quantityScaledValue(q, -3)!;

/** The relations between one resource's quantities in one limit item, in upstream's order of checks. */
function validateLimitRelations(item: LimitRangeItem, at: string, k: string, lists: Record<'min' | 'max' | 'default' | 'defaultRequest' | 'maxLimitRequestRatio', ResourceList>): FieldError[] {
  const errors: FieldError[] = [];
  const q = (list: keyof typeof lists) => {
    const v = lists[list][k];
    return v !== undefined && isQuantity(v) ? v : undefined;
  };
  const min = q('min');
  const max = q('max');
  const def = q('default');
  const defReq = q('defaultRequest');
  const ratio = q('maxLimitRequestRatio');
  const cmp = compareQuantities;
  const key = (list: string) => `${at}.${list}[${k}]`;
  // The bad value is the Quantity itself, printed as a Go struct of what the client sent; the message printed it
  // first, so its canonical text is cached in it.
  const bad = (list: keyof typeof lists) => new GoValue(goQuantityText(sentQuantity(item[list] ?? {}, k) ?? lists[list][k], lists[list][k]));
  if (min && max && cmp(min, max) > 0) errors.push(invalid(key('min'), bad('min'), `min value ${min} is greater than max value ${max}`));
  if (defReq && min && cmp(min, defReq) > 0) errors.push(invalid(key('defaultRequest'), bad('defaultRequest'), `min value ${min} is greater than default request value ${defReq}`));
  if (defReq && max && cmp(defReq, max) > 0) errors.push(invalid(key('defaultRequest'), bad('defaultRequest'), `default request value ${defReq} is greater than max value ${max}`));
  if (defReq && def && cmp(defReq, def) > 0) errors.push(invalid(key('defaultRequest'), bad('defaultRequest'), `default request value ${defReq} is greater than default limit value ${def}`));
  if (def && min && cmp(min, def) > 0) errors.push(invalid(key('default'), bad('min'), `min value ${min} is greater than default value ${def}`));
  if (def && max && cmp(def, max) > 0) errors.push(invalid(key('default'), bad('max'), `default value ${def} is greater than max value ${max}`));
  if (ratio && cmp(ratio, '1') < 0) errors.push(invalid(key('maxLimitRequestRatio'), bad('maxLimitRequestRatio'), `ratio ${ratio} is less than 1`));
  if (ratio && min && max) {
    // Upstream compares in milli-units when all three fit, else in whole units. Its division is float64's: a zero
    // min gives +Inf (or NaN for a zero max), which no ratio exceeds.
    const milli = [ratio, min, max].every((v) => wholeValue(v) < maxMilliValue);
    const ratioValue = milli ? Number(milliValue(ratio)) / 1000 : Number(wholeValue(ratio));
    const limit = milli ? Number(milliValue(max)) / Number(milliValue(min)) : Number(wholeValue(max)) / Number(wholeValue(min));
    if (ratioValue > limit) errors.push(invalid(key('maxLimitRequestRatio'), bad('maxLimitRequestRatio'), `ratio ${ratio} is greater than max/min = ${goFloat(limit)}`));
  }
  if (!isOvercommitAllowed(k) && def && defReq && cmp(def, defReq) !== 0) {
    errors.push(invalid(key('defaultRequest'), bad('defaultRequest'), `default value ${def} must equal to defaultRequest value ${defReq} in ${k}`));
  }
  return errors;
}

function validateLimitItem(item: LimitRangeItem, at: string): FieldError[] {
  const errors: FieldError[] = [];
  const type = item.type ?? '';
  const keys = new Set<string>();
  const lists = { min: {}, max: {}, default: {}, defaultRequest: {}, maxLimitRequestRatio: {} } as Record<'min' | 'max' | 'default' | 'defaultRequest' | 'maxLimitRequestRatio', ResourceList>;
  const take = (list: keyof typeof lists) => {
    for (const [k, v] of Object.entries(item[list] ?? {})) {
      errors.push(...limitResourceName(type, `${at}.${list}[${k}]`, k));
      keys.add(k);
      lists[list][k] = v;
    }
  };
  take('max');
  take('min');
  if (type === 'Pod') {
    if (Object.keys(item.default ?? {}).length) errors.push(forbidden(`${at}.default`, "may not be specified when `type` is 'Pod'"));
    if (Object.keys(item.defaultRequest ?? {}).length) errors.push(forbidden(`${at}.defaultRequest`, "may not be specified when `type` is 'Pod'"));
  } else {
    take('default');
    take('defaultRequest');
  }
  if (type === 'PersistentVolumeClaim' && item.min?.storage === undefined && item.max?.storage === undefined) {
    errors.push(required(`${at}.limits`, 'either minimum or maximum storage value is required, but neither was provided'));
  }
  take('maxLimitRequestRatio');
  for (const k of keys) errors.push(...validateLimitRelations(item, at, k, lists));
  return errors;
}

/** Upstream's ValidateLimitRange, after the object metadata; the same on update. */
export function validateLimitRange(lr: LimitRange): FieldError[] {
  const errors: FieldError[] = [];
  const types = new Set<string>();
  (lr.spec?.limits ?? []).forEach((item, i) => {
    const at = `spec.limits[${i}]`;
    const type = item.type ?? '';
    errors.push(...validateLimitTypeName(type, `${at}.type`));
    if (types.has(type)) errors.push(duplicate(`${at}.type`, type));
    types.add(type);
    errors.push(...validateLimitItem(item, at));
  });
  return errors;
}
