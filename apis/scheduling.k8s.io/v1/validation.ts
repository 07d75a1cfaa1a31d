import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { forbidden, invalid } from '../../../runtime/machinery/field-errors.ts';
import type { PriorityClass } from './priorityclass.ts';

const systemPrefix = 'system-';
const highestUserDefinable = 1_000_000_000;
const systemClasses: Record<string, number> = { 'system-node-critical': 2_000_001_000, 'system-cluster-critical': 2_000_000_000 };

function systemClassProblem(pc: PriorityClass): string | undefined {
  const name = pc.metadata?.name ?? '';
  if (!(name in systemClasses)) return `${name} is not a known system priority class`;
  if (pc.value !== systemClasses[name]) return `value of ${name} PriorityClass must be ${systemClasses[name]}`;
  if (pc.globalDefault) return `globalDefault of ${name} PriorityClass must be false`;
  return undefined;
}

/**
 * Upstream's strategy runs ValidatePriorityClass on create and only ValidatePriorityClassUpdate on update: the
 * reserved names and the user maximum are not looked at again, so a changed value is reported once, as a change.
 */
export function validate_PriorityClass(obj: PriorityClass, old?: PriorityClass): FieldError[] {
  if (old) {
    const errors: FieldError[] = [];
    if (old.value !== obj.value) errors.push(forbidden('value', 'may not be changed in an update.'));
    if (old.preemptionPolicy !== obj.preemptionPolicy) errors.push(invalid('preemptionPolicy', obj.preemptionPolicy, 'field is immutable'));
    return errors;
  }
  const errors: FieldError[] = [];
  if ((obj.metadata?.name ?? '').startsWith(systemPrefix)) {
    const problem = systemClassProblem(obj);
    if (problem) errors.push(forbidden('metadata.name', `priority class names with '${systemPrefix}' prefix are reserved for system use only. error: ${problem}`));
  } else if (obj.value > highestUserDefinable) {
    errors.push(forbidden('value', `maximum allowed value of a user defined priority is ${highestUserDefinable}`));
  }
  return errors;
}
