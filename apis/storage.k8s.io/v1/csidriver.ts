import type { int64, ObjectMeta } from '../../meta/v1/types.ts';

/**
 * CSIDriver tells the cluster how to work with a Container Storage Interface volume driver installed on its
 * nodes: whether volumes need attaching, what kubelet passes to the driver on mount, which volume lifecycles it
 * supports. The object's name is the driver's name; cluster-scoped.
 * @resource csidrivers
 * @scope Cluster
 * @printColumn AttachRequired boolean attachRequired() Whether volumes of the driver need an attach step (a
 *   VolumeAttachment).
 * @printColumn PodInfoOnMount boolean .spec.podInfoOnMount
 * @printColumn StorageCapacity boolean .spec.storageCapacity
 * @printColumn TokenRequests string tokenRequests() The audiences of the service account tokens the driver receives.
 * @printColumn RequiresRepublish boolean .spec.requiresRepublish
 * @printColumn Modes string modes() The volume lifecycle modes the driver supports.
 * @printColumn Age date .metadata.creationTimestamp
 */
export interface CSIDriver {
  /** Versioned schema of this representation of the object. */
  apiVersion?: string;
  /** The REST resource this object represents. */
  kind?: string;
  /**
   * Standard object metadata; the name is the CSI driver's own name (a DNS subdomain of at most 63 characters).
   * @protobuf 1
   * @alwaysWritten
   */
  metadata?: ObjectMeta;
  /**
   * How the cluster works with the driver.
   * @protobuf 2
   * @alwaysWritten
   */
  spec: CSIDriverSpec;
}

/** What a CSI driver needs from the cluster. */
export interface CSIDriverSpec {
  /**
   * Whether volumes of this driver must be attached (ControllerPublishVolume) before they are mounted, so the
   * attach/detach controller creates VolumeAttachments and waits for them. Defaults to true; cannot be changed.
   * @protobuf 1
   * @pointer
   */
  attachRequired?: boolean;
  /**
   * Whether kubelet passes the pod's name, namespace, UID and service account (and whether the volume is
   * ephemeral) to the driver as volume context on mount. Defaults to false.
   * @protobuf 2
   * @pointer
   */
  podInfoOnMount?: boolean;
  /**
   * The kinds of volumes the driver serves: Persistent (through PersistentVolumes, the default when empty) and
   * Ephemeral (inline CSI volumes of pods). Cannot be changed.
   * @protobuf 3
   * @listType set
   */
  volumeLifecycleModes?: string[];
  /**
   * Whether the scheduler considers the CSIStorageCapacity objects the driver publishes when it places pods with
   * late-binding volumes. Defaults to false.
   * @protobuf 4
   * @pointer
   */
  storageCapacity?: boolean;
  /**
   * Whether volumes support changing ownership and permissions to the pod's fsGroup before mounting:
   * ReadWriteOnceWithFSType (the default: only with an fsType and a ReadWriteOnce access mode), File (always) or
   * None (never).
   * @protobuf 5
   * @pointer
   */
  fsGroupPolicy?: string;
  /**
   * Service account tokens kubelet requests for the pod and passes to the driver on mount, one per audience; at
   * most one may leave the audience empty.
   * @protobuf 6
   * @listType atomic
   */
  tokenRequests?: TokenRequest[];
  /**
   * Whether kubelet calls NodePublishVolume again periodically, so the driver can refresh what it mounted (e.g.
   * expiring tokens). Defaults to false.
   * @protobuf 7
   * @pointer
   */
  requiresRepublish?: boolean;
  /**
   * Whether the driver supports the mount option that sets a volume's SELinux context, so kubelet mounts the
   * volume with the pod's context instead of relabelling its files. Defaults to false.
   * @protobuf 8
   * @pointer
   */
  seLinuxMount?: boolean;
}

/** A service account token kubelet requests for a CSI driver. */
export interface TokenRequest {
  /**
   * Intended audience of the token; empty means the API server's audiences.
   * @protobuf 1
   * @alwaysWritten
   */
  audience: string;
  /**
   * Requested lifetime of the token, at least 10 minutes; unset takes the TokenRequest default.
   * @protobuf 2
   * @pointer
   */
  expirationSeconds?: int64;
}
