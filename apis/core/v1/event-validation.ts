/**
 * Events as kube-apiserver v1.32 checks them (pkg/apis/core/validation/events.go): every Event passes the legacy
 * rules; one written through events.k8s.io/v1 also passes the strict ones (ValidateEventCreate, ValidateEventUpdate).
 * Upstream checks the internal Event whichever API the request used, so errors name the core fields
 * (`involvedObject`, `message`, `firstTimestamp`, `reportingController`) for events.k8s.io writes too.
 */
import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { GoValue, invalid, required } from '../../../runtime/machinery/field-errors.ts';
import { goPointee, goTimeString, goValue } from '../../../runtime/machinery/go-syntax.ts';
import { goEventSource, goObjectReference } from './go-internal.ts';
import { goLenOver, isDNS1123Subdomain, isQualifiedName } from '../../../runtime/machinery/string-checks.ts';
import { semanticEqual } from '../../../runtime/machinery/semantic-equal.ts';
import type { Event } from './event.ts';
import type { ObjectReference } from './serviceaccount.ts';

const reportingInstanceLimit = 128;
const actionLimit = 128;
const reasonLimit = 128;
const noteLimit = 1024;

/**
 * The internal Event's fields that validation reads, whichever API version carried them (core/v1 names, with the
 * internal ReportingController and the namespace taken out of the metadata).
 */
type InternalEvent = Omit<Event, 'apiVersion' | 'kind' | 'metadata' | 'involvedObject' | 'reportingComponent'> & {
  namespace: string;
  involvedObject: ObjectReference;
  reportingController?: string;
};

/** Go's `len(s) > limit`, in UTF-8 bytes. */
const over = (s: string | undefined, limit: number) => goLenOver(s ?? '', limit);

/** Upstream's legacyValidateEvent: every Event, whichever API wrote it. */
export function legacyEventErrors(ev: InternalEvent): FieldError[] {
  const errors: FieldError[] = [];
  const involvedNs = ev.involvedObject.namespace ?? '';
  const mismatch = () => invalid('involvedObject.namespace', involvedNs, 'does not match event.namespace');
  if (!ev.eventTime) {
    // Old-style events: the namespaces agree, or an unnamespaced object's event lives in "default" (old clients).
    if (!involvedNs ? ev.namespace !== '' && ev.namespace !== 'default' : ev.namespace !== involvedNs) errors.push(mismatch());
  } else {
    if (!involvedNs && ev.namespace !== 'default' && ev.namespace !== 'kube-system') errors.push(mismatch());
    if (!ev.reportingController) errors.push(required('reportingController', ''));
    for (const msg of isQualifiedName(ev.reportingController ?? '')) errors.push(invalid('reportingController', ev.reportingController ?? '', msg));
    if (!ev.reportingInstance) errors.push(required('reportingInstance', ''));
    if (over(ev.reportingInstance, reportingInstanceLimit)) errors.push(invalid('reportingInstance', '', `can have at most ${reportingInstanceLimit} characters`));
    if (!ev.action) errors.push(required('action', ''));
    if (over(ev.action, actionLimit)) errors.push(invalid('action', '', `can have at most ${actionLimit} characters`));
    if (!ev.reason) errors.push(required('reason', ''));
    if (over(ev.reason, reasonLimit)) errors.push(invalid('reason', '', `can have at most ${reasonLimit} characters`));
    if (over(ev.message, noteLimit)) errors.push(invalid('message', '', `can have at most ${noteLimit} characters`));
  }
  for (const msg of isDNS1123Subdomain(ev.namespace)) errors.push(invalid('namespace', ev.namespace, msg));
  return errors;
}

/** Upstream's validateV1EventSeries. */
function seriesErrors(ev: InternalEvent): FieldError[] {
  if (!ev.series) return [];
  const errors: FieldError[] = [];
  if ((ev.series.count ?? 0) < 2) errors.push(invalid('series.count', '', 'should be at least 2'));
  if (!ev.series.lastObservedTime) errors.push(required('series.lastObservedTime', ''));
  return errors;
}

/** The strict rules of upstream's ValidateEventCreate (events.k8s.io/v1), after the legacy ones. */
export function strictEventCreateErrors(ev: InternalEvent): FieldError[] {
  const errors = seriesErrors(ev);
  if (!ev.eventTime) errors.push(required('eventTime', ''));
  if (ev.type !== 'Normal' && ev.type !== 'Warning') errors.push(invalid('type', '', `has invalid value: ${ev.type ?? ''}`));
  if (ev.firstTimestamp) errors.push(invalid('firstTimestamp', '', 'needs to be unset'));
  if (ev.lastTimestamp) errors.push(invalid('lastTimestamp', '', 'needs to be unset'));
  if (ev.count) errors.push(invalid('count', '', 'needs to be unset'));
  if (ev.source?.component || ev.source?.host) errors.push(invalid('source', '', 'needs to be unset'));
  return errors;
}

/** A Time's or MicroTime's bad value (a Stringer): its String(). */
const goTime = (t: string | null | undefined) => new GoValue(goTimeString(t));


/** The strict rules of upstream's ValidateEventUpdate (events.k8s.io/v1), after the legacy ones. */
export function strictEventUpdateErrors(ev: InternalEvent, old: InternalEvent): FieldError[] {
  const errors = semanticEqual(ev.series ?? null, old.series ?? null) ? [] : seriesErrors(ev);
  const immutable = (field: string, changed: boolean, shown: unknown) => {
    if (changed) errors.push(invalid(field, shown, 'field is immutable'));
  };
  const str = (a: string | undefined, b: string | undefined) => (a ?? '') !== (b ?? '');
  const time = (a: string | null | undefined, b: string | null | undefined) => goTime(a).text !== goTime(b).text;
  immutable('involvedObject', !semanticEqual(ev.involvedObject, old.involvedObject), goValue(goObjectReference, ev.involvedObject));
  immutable('reason', str(ev.reason, old.reason), ev.reason ?? '');
  immutable('message', str(ev.message, old.message), ev.message ?? '');
  immutable('source', !semanticEqual(ev.source ?? {}, old.source ?? {}), goValue(goEventSource, ev.source));
  immutable('firstTimestamp', time(ev.firstTimestamp, old.firstTimestamp), goTime(ev.firstTimestamp));
  immutable('lastTimestamp', time(ev.lastTimestamp, old.lastTimestamp), goTime(ev.lastTimestamp));
  immutable('count', (ev.count ?? 0) !== (old.count ?? 0), ev.count ?? 0);
  // Upstream checks the reason twice.
  immutable('reason', str(ev.reason, old.reason), ev.reason ?? '');
  immutable('type', str(ev.type, old.type), ev.type ?? '');
  immutable('eventTime', time(ev.eventTime, old.eventTime), goTime(ev.eventTime));
  immutable('action', str(ev.action, old.action), ev.action ?? '');
  immutable('related', !semanticEqual(ev.related ?? null, old.related ?? null), goPointee(goObjectReference, ev.related));
  immutable('reportingController', str(ev.reportingController, old.reportingController), ev.reportingController ?? '');
  immutable('reportingInstance', str(ev.reportingInstance, old.reportingInstance), ev.reportingInstance ?? '');
  return errors;
}

/** A core/v1 Event as the internal one (reportingComponent is the internal ReportingController). */
export function coreEventView(obj: Event): InternalEvent {
  const { metadata, involvedObject, reportingComponent, ...rest } = obj;
  return { ...rest, namespace: metadata?.namespace ?? '', involvedObject: involvedObject ?? {}, reportingController: reportingComponent };
}
