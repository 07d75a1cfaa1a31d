import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { eventRuleErrors } from './event-rules.ts';
import type { Event } from './event.ts';

/** The legacy rules, then the strict ones. */
export function validate_Event(obj: Event, old?: Event): FieldError[] {
  const { legacy, strict } = eventRuleErrors(obj, old);
  return [...legacy, ...strict];
}
