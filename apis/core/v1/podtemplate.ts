import type { ObjectMeta } from '../../meta/v1/types.ts';
import type { PodTemplateSpec } from './pod.ts';

/**
 * PodTemplate is a stored description of a pod, for controllers and people to create pods from.
 * @resource podtemplates
 * @printColumn Containers string containers()
 * @printColumn Images string images()
 * @printColumn "Pod Labels" string podLabels()
 * @noAgeColumn
 * @generation tracked
 */
export interface PodTemplate {
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
   * The pods this template describes: their metadata and spec.
   * @protobuf 2
   * @alwaysWritten
   */
  template?: PodTemplateSpec;
}
