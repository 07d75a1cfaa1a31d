import type { ObjectMeta } from '../../meta/v1/types.ts';
import type { PodTemplateSpec } from './pod.ts';

/**
 * PodTemplate is a stored description of a pod, for controllers and people to create pods from.
 * @resource podtemplates
 * @metadataOnUpdate update
 * @printColumn Containers string containers() The names of the containers in the pod template.
 * @printColumn Images string images() The images the containers of the pod template run.
 * @printColumn "Pod Labels" string podLabels() The labels of the pods made from the template.
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
