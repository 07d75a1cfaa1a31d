import type { EventSource } from '../../core/v1/event.ts';
import type { ObjectReference } from '../../core/v1/serviceaccount.ts';
import type { int32, MicroTime, ObjectMeta, Time } from '../../meta/v1/types.ts';

/**
 * Event is a report of something that happened to an object, e.g. a pod being scheduled or an image pull
 * failing. Events are kept only for a limited time.
 * @resource events
 * @metadataOnUpdate none
 * @selectableField .regarding.kind
 * @selectableField .regarding.namespace
 * @selectableField .regarding.name
 * @selectableField .regarding.uid
 * @selectableField .regarding.apiVersion
 * @selectableField .regarding.resourceVersion
 * @selectableField .regarding.fieldPath
 * @selectableField .reason
 * @selectableField .reportingController
 * @selectableField source source()
 * @selectableField .type
 * @shortNames ev
 * @printColumn "Last Seen" string lastSeen() How long ago the event was last seen.
 * @printColumn Type string .type
 * @printColumn Reason string .reason
 * @printColumn Object string object() The object the event is about, as kind/name.
 * @printColumn Subobject string .regarding.fieldPath 1
 * @printColumn Source string source() 1 The component (and host) that reported the event.
 * @printColumn Message string message() What happened, in human words.
 * @printColumn "First Seen" string firstSeen() 1 How long ago the event was first seen.
 * @printColumn Count string count() 1 How many times the event has occurred.
 * @printColumn Name string .metadata.name 1
 * @noAgeColumn
 */
export interface Event {
  /** Versioned schema of this representation of the object. */
  apiVersion?: string;
  /** The REST resource this object represents. */
  kind?: string;
  /**
   * Standard object metadata.
   * @protobuf 1
   * @alwaysWritten
   */
  metadata?: ObjectMeta;
  /**
   * When the event first happened.
   * @protobuf 2
   * @alwaysWritten
   */
  eventTime: MicroTime;
  /**
   * Present when the same event has happened repeatedly: how often and when last.
   * @protobuf 3
   */
  series?: EventSeries;
  /**
   * The controller that emitted the event, e.g. kubernetes.io/kubelet.
   * @protobuf 4
   */
  reportingController?: string;
  /**
   * The particular instance of that controller, e.g. kubelet-node-1.
   * @protobuf 5
   */
  reportingInstance?: string;
  /**
   * What was done, or failed to be done, about the regarding object, in CamelCase.
   * @protobuf 6
   */
  action?: string;
  /**
   * Why the action was taken, in CamelCase.
   * @protobuf 7
   */
  reason?: string;
  /**
   * The object the event is about.
   * @protobuf 8
   * @alwaysWritten
   */
  regarding?: ObjectReference;
  /**
   * A second object involved, e.g. the node a pod was scheduled to.
   * @protobuf 9
   */
  related?: ObjectReference;
  /**
   * Human-readable explanation, at most 1 kB.
   * @protobuf 10
   */
  note?: string;
  /**
   * Normal or Warning.
   * @protobuf 11
   */
  type?: string;
  /**
   * Legacy source of the event (core/v1 compatibility); must be empty when written through this version.
   * @protobuf 12
   * @alwaysWritten
   */
  deprecatedSource?: EventSource;
  /**
   * Legacy first-occurrence time (core/v1 compatibility).
   * @protobuf 13
   * @alwaysWritten
   */
  deprecatedFirstTimestamp?: Time;
  /**
   * Legacy last-occurrence time (core/v1 compatibility).
   * @protobuf 14
   * @alwaysWritten
   */
  deprecatedLastTimestamp?: Time;
  /**
   * Legacy occurrence count (core/v1 compatibility).
   * @protobuf 15
   */
  deprecatedCount?: int32;
}

/** How often an event has repeated. */
export interface EventSeries {
  /**
   * Occurrences so far, including the first.
   * @protobuf 1
   * @alwaysWritten
   */
  count: int32;
  /**
   * When the last occurrence was seen.
   * @protobuf 2
   * @alwaysWritten
   */
  lastObservedTime: MicroTime;
}

