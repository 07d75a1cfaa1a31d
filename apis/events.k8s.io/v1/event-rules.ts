/**
 * The rules upstream's ValidateEventCreate and ValidateEventUpdate hold an events.k8s.io/v1 Event to, in two halves
 * (pkg/apis/core/validation/events.go): the legacy rules and the strict ones; upstream checks the object metadata
 * between them.
 */
import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { legacyEventErrors, strictEventCreateErrors, strictEventUpdateErrors } from '../../core/v1/event-validation.ts';
import type { Event } from './event.ts';

/** An events.k8s.io/v1 Event as the internal one upstream validates (its core field names). */
function internalView(obj: Event) {
  return {
    namespace: obj.metadata?.namespace ?? '',
    involvedObject: obj.regarding ?? {},
    reason: obj.reason,
    message: obj.note,
    source: obj.deprecatedSource,
    firstTimestamp: obj.deprecatedFirstTimestamp,
    lastTimestamp: obj.deprecatedLastTimestamp,
    count: obj.deprecatedCount,
    type: obj.type,
    eventTime: obj.eventTime,
    series: obj.series,
    action: obj.action,
    related: obj.related,
    reportingController: obj.reportingController,
    reportingInstance: obj.reportingInstance,
  };
}

/** The legacy and the strict errors of an Event (validate_Event puts the metadata's between them). */
export function eventRuleErrors(obj: Event, old?: Event): { legacy: FieldError[]; strict: FieldError[] } {
  const ev = internalView(obj);
  return { legacy: legacyEventErrors(ev), strict: old ? strictEventUpdateErrors(ev, internalView(old)) : strictEventCreateErrors(ev) };
}
