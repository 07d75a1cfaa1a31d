/**
 * The parts of a job spec that come with rules of their own: the pod failure policy, the success policy and the
 * index lists (`1,3-5`) of success policies and of a job's status. Limits, paths and messages are upstream's
 * (kubernetes v1.32 pkg/apis/batch/validation).
 */
import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { duplicate, invalid, notSupported, required, tooLong, tooMany } from '../../../runtime/machinery/field-errors.ts';
import { goValue } from '../../../runtime/machinery/go-syntax.ts';
import { isQualifiedName } from '../../../runtime/machinery/string-checks.ts';
import { nonNegative } from '../../meta/v1/validation-helpers.ts';
import type { JobSpec, PodFailurePolicyOnExitCodesRequirement, PodFailurePolicyOnPodConditionsPattern, PodFailurePolicyRule, SuccessPolicyRule } from './job.ts';
import { goInt32s } from './go-internal.ts';

const maxPodFailurePolicyRules = 20;
const maxOnExitCodesValues = 255;
const maxOnPodConditionsPatterns = 20;
const maxSuccessPolicyRules = 20;
const maxSucceededIndexesLength = 64 * 1024;

const policyActions = ['Count', 'FailIndex', 'FailJob', 'Ignore'];
const exitCodeOperators = ['In', 'NotIn'];
const conditionStatuses = ['False', 'True', 'Unknown'];

/** Go's `%q` of a string list: `["a" "b"]`. */
const goQuotedList = (list: string[]) => `[${list.map((s) => JSON.stringify(s)).join(' ')}]`;

/** Upstream's validatePodFailurePolicy: rule count, then each rule. */
export function validatePodFailurePolicy(spec: JobSpec, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const rules = spec.podFailurePolicy?.rules ?? [];
  if (rules.length > maxPodFailurePolicyRules) errors.push(tooMany(`${path}.rules`, rules.length, maxPodFailurePolicyRules));
  const podSpec = spec.template?.spec;
  const containerNames = new Set([...(podSpec?.containers ?? []), ...(podSpec?.initContainers ?? [])].map((c) => c?.name ?? ''));
  rules.forEach((rule, i) => errors.push(...validatePodFailurePolicyRule(spec, rule ?? ({} as PodFailurePolicyRule), `${path}.rules[${i}]`, containerNames)));
  return errors;
}

function validatePodFailurePolicyRule(spec: JobSpec, rule: PodFailurePolicyRule, path: string, containerNames: Set<string>): FieldError[] {
  const errors: FieldError[] = [];
  const action: string = rule.action ?? '';
  if (action === '') errors.push(required(`${path}.action`, `valid values: ${goQuotedList(policyActions)}`));
  else if (action === 'FailIndex') {
    if (spec.backoffLimitPerIndex == null) errors.push(invalid(`${path}.action`, action, 'requires the backoffLimitPerIndex to be set'));
  } else if (!policyActions.includes(action)) errors.push(notSupported(`${path}.action`, action, policyActions));
  if (rule.onExitCodes != null) errors.push(...validateOnExitCodes(rule.onExitCodes, `${path}.onExitCodes`, containerNames));
  const patterns = rule.onPodConditions ?? [];
  if (patterns.length > 0) errors.push(...validateOnPodConditions(patterns, `${path}.onPodConditions`));
  if (rule.onExitCodes != null && patterns.length > 0) errors.push(invalid(path, undefined, 'specifying both OnExitCodes and OnPodConditions is not supported'));
  if (rule.onExitCodes == null && patterns.length === 0) errors.push(invalid(path, undefined, 'specifying one of OnExitCodes and OnPodConditions is required'));
  return errors;
}

function validateOnPodConditions(patterns: PodFailurePolicyOnPodConditionsPattern[], path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (patterns.length > maxOnPodConditionsPatterns) errors.push(tooMany(path, patterns.length, maxOnPodConditionsPatterns));
  patterns.forEach((pattern, j) => {
    const at = `${path}[${j}]`;
    const type = pattern?.type ?? '';
    for (const msg of isQualifiedName(type)) errors.push(invalid(`${at}.type`, type, msg));
    const status: string = pattern?.status ?? '';
    if (status === '') errors.push(required(`${at}.status`, `valid values: ${goQuotedList(conditionStatuses)}`));
    else if (!conditionStatuses.includes(status)) errors.push(notSupported(`${at}.status`, status, conditionStatuses));
  });
  return errors;
}

function validateOnExitCodes(req: PodFailurePolicyOnExitCodesRequirement, path: string, containerNames: Set<string>): FieldError[] {
  const errors: FieldError[] = [];
  const operator: string = req.operator ?? '';
  if (operator === '') errors.push(required(`${path}.operator`, `valid values: ${goQuotedList(exitCodeOperators)}`));
  else if (!exitCodeOperators.includes(operator)) errors.push(notSupported(`${path}.operator`, operator, exitCodeOperators));
  if (req.containerName != null && !containerNames.has(req.containerName)) {
    errors.push(invalid(`${path}.containerName`, req.containerName, 'must be one of the container or initContainer names in the pod template'));
  }
  const values = req.values;
  const n = values?.length ?? 0;
  if (n === 0) errors.push(invalid(`${path}.values`, goValue(goInt32s, values), 'at least one value is required'));
  else if (n > maxOnExitCodesValues) errors.push(tooMany(`${path}.values`, n, maxOnExitCodesValues));
  let ordered = true;
  const seen = new Set<number>();
  (values ?? []).forEach((value, j) => {
    const at = `${path}.values[${j}]`;
    if (operator === 'In' && value === 0) errors.push(invalid(at, value, 'must not be 0 for the In operator'));
    if (seen.has(value)) errors.push(duplicate(at, value));
    else seen.add(value);
    if (j > 0 && values![j - 1] > value) ordered = false;
  });
  if (!ordered) errors.push(invalid(`${path}.values`, goValue(goInt32s, values), 'must be ordered'));
  return errors;
}

/** Upstream's validateSuccessPolicy, for an Indexed job (the caller checks the completion mode). */
export function validateSuccessPolicy(spec: JobSpec, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const rules = spec.successPolicy?.rules ?? [];
  if (rules.length === 0) errors.push(required(`${path}.rules`, 'at least one rules must be specified when the successPolicy is specified'));
  if (rules.length > maxSuccessPolicyRules) errors.push(tooMany(`${path}.rules`, rules.length, maxSuccessPolicyRules));
  rules.forEach((rule, i) => errors.push(...validateSuccessPolicyRule(spec, rule ?? {}, `${path}.rules[${i}]`)));
  return errors;
}

function validateSuccessPolicyRule(spec: JobSpec, rule: SuccessPolicyRule, path: string): FieldError[] {
  const errors: FieldError[] = [];
  const completions = spec.completions ?? 0;
  if (rule.succeededCount == null && rule.succeededIndexes == null) {
    errors.push(required(path, 'at least one of succeededCount or succeededIndexes must be specified'));
  }
  let total = 0;
  if (rule.succeededIndexes != null) {
    const at = `${path}.succeededIndexes`;
    if (Buffer.byteLength(rule.succeededIndexes) > maxSucceededIndexesLength) errors.push(tooLong(at, undefined, maxSucceededIndexesLength));
    const parsed = parseIndexes(rule.succeededIndexes, completions);
    if (typeof parsed === 'string') errors.push(invalid(at, rule.succeededIndexes, `error parsing succeededIndexes: ${parsed}`));
    else total = parsed;
  }
  if (rule.succeededCount != null) {
    const at = `${path}.succeededCount`;
    errors.push(...nonNegative(rule.succeededCount, at));
    if (rule.succeededCount > completions) {
      errors.push(invalid(at, rule.succeededCount, `must be less than or equal to ${completions} (the number of specified completions)`));
    }
    if (rule.succeededIndexes != null && rule.succeededCount > total) {
      errors.push(invalid(at, rule.succeededCount, `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`));
    }
  }
  return errors;
}

/** Go's strconv.Atoi, for the index lists: a number, or undefined where Go answers an error. */
function atoi(text: string): number | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** One interval of an index list (`3` or `3-5`) below `completions`: [first, last], or the error's text. */
export function parseIndexInterval(text: string, completions: number): [number, number] | string {
  const limits = text.split('-');
  if (limits.length > 2) return `the fragment ${JSON.stringify(text)} violates the requirement that an index interval can have at most two parts separated by '-'`;
  const x = atoi(limits[0]);
  if (x === undefined) return `cannot convert string to integer for index: ${JSON.stringify(limits[0])}`;
  if (x >= completions) return `too large index: ${JSON.stringify(limits[0])}`;
  if (limits.length === 1) return [x, x];
  const y = atoi(limits[1]);
  if (y === undefined) return `cannot convert string to integer for index: ${JSON.stringify(limits[1])}`;
  if (y >= completions) return `too large index: ${JSON.stringify(limits[1])}`;
  if (x >= y) return `non-increasing order, previous: ${x}, current: ${y}`;
  return [x, y];
}

/** Upstream's validateIndexesFormat: how many indexes the list names, or the error's text. */
export function parseIndexes(text: string, completions: number): number | string {
  if (text.length === 0) return 0;
  let last: number | undefined;
  let total = 0;
  for (const part of text.split(',')) {
    const interval = parseIndexInterval(part, completions);
    if (typeof interval === 'string') return interval;
    const [x, y] = interval;
    if (last !== undefined && last >= x) return `non-increasing order, previous: ${last}, current: ${x}`;
    total = (total + y - x + 1) | 0;
    last = y;
  }
  return total;
}

/** Upstream's validateFailedIndexesNotOverlapCompleted: the error's text when an index is both, else undefined. */
export function failedOverlapsCompleted(completedText: string, failedText: string, completions: number): string | undefined {
  if (completedText.length === 0 || failedText.length === 0) return undefined;
  const completed = completedText.split(',');
  const failed = failedText.split(',');
  let ci = 0;
  let fi = 0;
  let c = parseIndexInterval(completed[0], completions);
  let f = parseIndexInterval(failed[0], completions);
  while (ci < completed.length && fi < failed.length) {
    if (typeof c === 'string') {
      ci++;
      if (ci < completed.length) c = parseIndexInterval(completed[ci], completions);
    } else if (typeof f === 'string') {
      fi++;
      if (fi < failed.length) f = parseIndexInterval(failed[fi], completions);
    } else {
      if (c[0] <= f[1] && f[0] <= c[1]) return `failedIndexes and completedIndexes overlap at index: ${Math.max(c[0], f[0])}`;
      if (c[0] <= f[0]) {
        ci++;
        if (ci < completed.length) c = parseIndexInterval(completed[ci], completions);
      } else {
        fi++;
        if (fi < failed.length) f = parseIndexInterval(failed[fi], completions);
      }
    }
  }
  return undefined;
}
