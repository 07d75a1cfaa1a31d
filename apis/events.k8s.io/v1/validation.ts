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

/**
 * The two halves of upstream's ValidateEventCreate and ValidateEventUpdate for events.k8s.io/v1: the legacy rules,
 * and the strict ones. Upstream checks the object metadata between them (the strategy puts it there).
 */
export function eventRuleErrors(obj: Event, old?: Event): { legacy: FieldError[]; strict: FieldError[] } {
  const ev = internalView(obj);
  return { legacy: legacyEventErrors(ev), strict: old ? strictEventUpdateErrors(ev, internalView(old)) : strictEventCreateErrors(ev) };
}

/** The legacy rules, then the strict ones. */
export function validate_Event(obj: Event, old?: Event): FieldError[] {
  const { legacy, strict } = eventRuleErrors(obj, old);
  return [...legacy, ...strict];
}
