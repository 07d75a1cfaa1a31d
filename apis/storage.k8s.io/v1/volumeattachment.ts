import type { ObjectMeta, Time } from '../../meta/v1/types.ts';
import type { PersistentVolumeSpec } from '../../core/v1/persistentvolume.ts';

/**
 * VolumeAttachment asks a CSI driver's external attacher to attach one volume to one node (ControllerPublish),
 * and records the result. The attach/detach controller creates it; the attacher writes its status.
 * @resource volumeattachments
 * @scope Cluster
 * @subresource status
 * @printColumn Attacher string .spec.attacher
 * @printColumn PV string .spec.source.persistentVolumeName
 * @printColumn Node string .spec.nodeName
 * @printColumn Attached boolean .status.attached
 * @printColumn Age date .metadata.creationTimestamp
 */
export interface VolumeAttachment {
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
   * What to attach where. Cannot be changed.
   * @protobuf 2
   * @alwaysWritten
   */
  spec: VolumeAttachmentSpec;
  /**
   * Whether the attach (or detach) succeeded, written by the attacher through the status subresource.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: VolumeAttachmentStatus;
}

/** The volume, the node and the driver of an attachment. */
export interface VolumeAttachmentSpec {
  /**
   * Name of the CSI driver that attaches the volume, as its GetPluginName reports it.
   * @protobuf 1
   * @alwaysWritten
   */
  attacher: string;
  /**
   * The volume to attach.
   * @protobuf 2
   * @alwaysWritten
   */
  source: VolumeAttachmentSource;
  /**
   * The node to attach the volume to.
   * @protobuf 3
   * @alwaysWritten
   */
  nodeName: string;
}

/** The volume of an attachment: a PersistentVolume, or an inline volume's spec; exactly one is set. */
export interface VolumeAttachmentSource {
  /**
   * Name of the PersistentVolume to attach.
   * @protobuf 1
   * @pointer
   */
  persistentVolumeName?: string;
  /**
   * The spec of a volume given inline in a pod (a CSI volume migrated from an in-tree plugin), as a
   * PersistentVolume spec.
   * @protobuf 2
   */
  inlineVolumeSpec?: PersistentVolumeSpec;
}

/** What the attacher reports about an attachment. */
export interface VolumeAttachmentStatus {
  /**
   * Whether the volume is attached; written only by the attacher.
   * @protobuf 1
   * @alwaysWritten
   */
  attached: boolean;
  /**
   * What the attach returned that the later mount needs (ControllerPublishVolume's publish context).
   * @protobuf 2
   */
  attachmentMetadata?: Record<string, string>;
  /**
   * The last error of an attach, if it failed.
   * @protobuf 3
   */
  attachError?: VolumeError;
  /**
   * The last error of a detach, if it failed.
   * @protobuf 4
   */
  detachError?: VolumeError;
}

/** An error an attach or detach ran into. */
export interface VolumeError {
  /**
   * When the error happened.
   * @protobuf 1
   * @alwaysWritten
   */
  time?: Time;
  /**
   * What went wrong; may be logged, so it should not hold secrets.
   * @protobuf 2
   */
  message?: string;
}
