import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { invalid, required } from '../../../runtime/machinery/field-errors.ts';
import { isQualifiedName } from '../../../runtime/machinery/string-checks.ts';
import type { Event } from './event.ts';

function lengthLimit(value: string | undefined, path: string, max: number): FieldError[] {
  return value && value.length > max ? [invalid(path, '', `can have at most ${max} characters`)] : [];
}

export function validate_Event(obj: Event, old?: Event): FieldError[] {
  const errors: FieldError[] = [];
  if (obj.series) {
    if ((obj.series.count ?? 0) < 2) errors.push(invalid('series.count', '', 'should be at least 2'));
    if (!obj.series.lastObservedTime) errors.push(required('series.lastObservedTime', ''));
  }
  if (!obj.eventTime) errors.push(required('eventTime', ''));
  if (obj.type !== 'Normal' && obj.type !== 'Warning') errors.push(invalid('type', '', `has invalid value: ${obj.type ?? ''}`));
  if (!old) {
    if (obj.deprecatedFirstTimestamp) errors.push(invalid('deprecatedFirstTimestamp', '', 'needs to be unset'));
    if (obj.deprecatedLastTimestamp) errors.push(invalid('deprecatedLastTimestamp', '', 'needs to be unset'));
    if (obj.deprecatedCount) errors.push(invalid('deprecatedCount', '', 'needs to be unset'));
    if (obj.deprecatedSource?.component || obj.deprecatedSource?.host) errors.push(invalid('deprecatedSource', '', 'needs to be unset'));
  }
  if (!obj.reportingController) errors.push(required('reportingController', ''));
  else for (const msg of isQualifiedName(obj.reportingController)) errors.push(invalid('reportingController', obj.reportingController, msg));
  if (!obj.reportingInstance) errors.push(required('reportingInstance', ''));
  errors.push(...lengthLimit(obj.reportingInstance, 'reportingInstance', 128));
  if (!obj.action) errors.push(required('action', ''));
  errors.push(...lengthLimit(obj.action, 'action', 128));
  if (!obj.reason) errors.push(required('reason', ''));
  errors.push(...lengthLimit(obj.reason, 'reason', 128));
  errors.push(...lengthLimit(obj.note, 'note', 1024));
  return errors;
}
