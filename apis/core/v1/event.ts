import type { MicroTime, ObjectMeta, Time, int32 } from '../../meta/v1/types.ts';
import type { ObjectReference } from './serviceaccount.ts';

/**
 * Event reports something that happened to an object: a state change, an error, a scheduling decision. Events are
 * kept for a limited time (one hour by default).
 * @resource events
 * @metadataOnUpdate none
 * @nameFormat path-segment
 * @selectableField .involvedObject.kind
 * @selectableField .involvedObject.namespace
 * @selectableField .involvedObject.name
 * @selectableField .involvedObject.uid
 * @selectableField .involvedObject.apiVersion
 * @selectableField .involvedObject.resourceVersion
 * @selectableField .involvedObject.fieldPath
 * @selectableField .reason
 * @selectableField .reportingComponent
 * @selectableField source source()
 * @selectableField .type
 * @shortNames ev
 * @printColumn "Last Seen" string lastSeen() How long ago the event was last seen.
 * @printColumn Type string .type
 * @printColumn Reason string .reason
 * @printColumn Object string object() The object the event is about, as kind/name.
 * @printColumn Subobject string .involvedObject.fieldPath 1
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
  metadata: ObjectMeta;
  /**
   * The object the event is about.
   * @protobuf 2
   * @alwaysWritten
   */
  involvedObject: ObjectReference;
  /**
   * Short CamelCase reason for the event, e.g. FailedScheduling.
   * @protobuf 3
   */
  reason?: string;
  /**
   * Human-readable description of what happened.
   * @protobuf 4
   */
  message?: string;
  /**
   * The component that reported the event.
   * @protobuf 5
   * @alwaysWritten
   */
  source?: EventSource;
  /**
   * When the event was first recorded.
   * @protobuf 6
   * @alwaysWritten
   */
  firstTimestamp?: Time;
  /**
   * When the event was most recently recorded.
   * @protobuf 7
   * @alwaysWritten
   */
  lastTimestamp?: Time;
  /**
   * How many times this event has occurred.
   * @protobuf 8
   */
  count?: int32;
  /**
   * Normal or Warning.
   * @protobuf 9
   */
  type?: string;
  /**
   * When the event was first observed, with microsecond precision.
   * @protobuf 10
   * @alwaysWritten
   */
  eventTime?: MicroTime;
  /**
   * Data about a series of repeated events, when this event is one.
   * @protobuf 11
   */
  series?: EventSeries;
  /**
   * What the reporting component did, or failed to do, to the object.
   * @protobuf 12
   */
  action?: string;
  /**
   * A second object involved, e.g. the node a pod was scheduled to.
   * @protobuf 13
   */
  related?: ObjectReference;
  /**
   * The controller that emitted the event, e.g. kubernetes.io/kubelet.
   * @protobuf 14
   * @alwaysWritten
   */
  reportingComponent?: string;
  /**
   * ID of the controller instance that emitted it, e.g. the kubelet's node name.
   * @protobuf 15
   * @alwaysWritten
   */
  reportingInstance?: string;
}

/**
 * The component that reported an event.
 */
export interface EventSource {
  /**
   * Name of the component.
   * @protobuf 1
   */
  component?: string;
  /**
   * Node the component runs on.
   * @protobuf 2
   */
  host?: string;
}

/**
 * A series of repeated events.
 */
export interface EventSeries {
  /**
   * How many times the event has occurred in the series.
   * @protobuf 1
   */
  count?: int32;
  /**
   * When the event was last observed.
   * @protobuf 2
   * @alwaysWritten
   */
  lastObservedTime?: MicroTime;
}
