import type { ObjectMeta, Time, int32 } from '../../meta/v1/types.ts';
import type { NodeSelector, ResourceList } from './pod.ts';
import type { ObjectReference } from './serviceaccount.ts';
import type {
  AWSElasticBlockStoreVolumeSource, AzureDiskVolumeSource, FCVolumeSource, FlockerVolumeSource, GCEPersistentDiskVolumeSource,
  HostPathVolumeSource, NFSVolumeSource, PhotonPersistentDiskVolumeSource, PortworxVolumeSource, QuobyteVolumeSource,
  VsphereVirtualDiskVolumeSource,
} from './volume.ts';

/**
 * PersistentVolume is a piece of storage in the cluster, provisioned by an administrator or dynamically through a
 * StorageClass, that claims bind to.
 * @resource persistentvolumes
 * @generation none
 * @scope Cluster
 * @shortNames pv
 * @subresource status
 * @statusKeepsMetadata none
 * @printColumn Capacity string capacity() The storage size the volume offers.
 * @printColumn "Access Modes" string accessModes() How the volume may be mounted, in short form (RWO, ROX, RWX, RWOP).
 * @printColumn "Reclaim Policy" string .spec.persistentVolumeReclaimPolicy
 * @printColumn Status string status() The volume's phase: Pending, Available, Bound, Released or Failed.
 * @printColumn Claim string claim() The claim bound to the volume, as namespace/name.
 * @printColumn StorageClass string storageClass() The storage class the volume belongs to.
 * @printColumn VolumeAttributesClass string volumeAttributesClass() The volume attributes class of the volume; <unset>
 *   without one.
 * @printColumn Reason string .status.reason
 * @printColumn Age date .metadata.creationTimestamp
 * @printColumn VolumeMode string volumeMode() 1 Whether the volume is a filesystem or a raw block device.
 */
export interface PersistentVolume {
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
   * Characteristics of the volume, set by the administrator or provisioner.
   * @protobuf 2
   * @alwaysWritten
   */
  spec?: PersistentVolumeSpec;
  /**
   * Observed state of the volume; read-only for clients.
   * @protobuf 3
   * @alwaysWritten
   */
  status?: PersistentVolumeStatus;
}

/**
 * Characteristics of a persistent volume. Exactly one source is set.
 * @protobufEmbed PersistentVolumeSource 2
 */
export interface PersistentVolumeSpec extends PersistentVolumeSource {
  /**
   * Resources of the volume, e.g. storage: 10Gi.
   * @protobuf 1
   */
  capacity?: ResourceList;
  /**
   * Ways the volume can be mounted: ReadWriteOnce, ReadOnlyMany, ReadWriteMany or ReadWriteOncePod.
   * @protobuf 3
   * @listType atomic
   * @openEnum
   */
  accessModes?: ('ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod')[];
  /**
   * The claim bound to the volume; set by the binder, or in advance to reserve the volume for a claim.
   * @structType granular
   * @protobuf 4
   */
  claimRef?: ObjectReference;
  /**
   * What happens when the claim is released: Retain (default for manual volumes), Delete or the deprecated Recycle.
   * @protobuf 5
   * @openEnum
   */
  persistentVolumeReclaimPolicy?: 'Recycle' | 'Delete' | 'Retain';
  /**
   * The StorageClass the volume belongs to; empty for none.
   * @protobuf 6
   */
  storageClassName?: string;
  /**
   * Mount options, not validated; a wrong one makes mounting fail.
   * @protobuf 7
   * @listType atomic
   */
  mountOptions?: string[];
  /**
   * Filesystem (default) or Block.
   * @protobuf 8
   * @pointer
   * @openEnum
   */
  volumeMode?: 'Block' | 'Filesystem';
  /**
   * Nodes the volume can be reached from; pods using it are scheduled there.
   * @protobuf 9
   */
  nodeAffinity?: VolumeNodeAffinity;
  /**
   * The VolumeAttributesClass of the volume.
   * @protobuf 10
   * @pointer
   */
  volumeAttributesClassName?: string;
}

/**
 * Where a persistent volume's data lives: exactly one member is set.
 */
export interface PersistentVolumeSource {
  /**
   * A GCE persistent disk. Deprecated: use the GCE PD CSI driver.
   * @protobuf 1
   */
  gcePersistentDisk?: GCEPersistentDiskVolumeSource;
  /**
   * An AWS EBS disk. Deprecated: use the EBS CSI driver.
   * @protobuf 2
   */
  awsElasticBlockStore?: AWSElasticBlockStoreVolumeSource;
  /**
   * A directory on a node, for single-node testing only.
   * @protobuf 3
   */
  hostPath?: HostPathVolumeSource;
  /**
   * A Glusterfs mount. Deprecated, no longer supported.
   * @protobuf 4
   */
  glusterfs?: GlusterfsPersistentVolumeSource;
  /**
   * An NFS export.
   * @protobuf 5
   */
  nfs?: NFSVolumeSource;
  /**
   * A Ceph RADOS block device. Deprecated, no longer supported.
   * @protobuf 6
   */
  rbd?: RBDPersistentVolumeSource;
  /**
   * An iSCSI disk.
   * @protobuf 7
   */
  iscsi?: ISCSIPersistentVolumeSource;
  /**
   * An OpenStack Cinder volume. Deprecated: use the Cinder CSI driver.
   * @protobuf 8
   */
  cinder?: CinderPersistentVolumeSource;
  /**
   * A Ceph filesystem mount. Deprecated, no longer supported.
   * @protobuf 9
   */
  cephfs?: CephFSPersistentVolumeSource;
  /**
   * A Fibre Channel disk.
   * @protobuf 10
   */
  fc?: FCVolumeSource;
  /**
   * A Flocker dataset. Deprecated, no longer supported.
   * @protobuf 11
   */
  flocker?: FlockerVolumeSource;
  /**
   * A volume mounted by an exec-based plugin. Deprecated.
   * @protobuf 12
   */
  flexVolume?: FlexPersistentVolumeSource;
  /**
   * An Azure File Service share. Deprecated: use the Azure File CSI driver.
   * @protobuf 13
   */
  azureFile?: AzureFilePersistentVolumeSource;
  /**
   * A vSphere volume. Deprecated: use the vSphere CSI driver.
   * @protobuf 14
   */
  vsphereVolume?: VsphereVirtualDiskVolumeSource;
  /**
   * A Quobyte mount. Deprecated, no longer supported.
   * @protobuf 15
   */
  quobyte?: QuobyteVolumeSource;
  /**
   * An Azure data disk. Deprecated: use the Azure Disk CSI driver.
   * @protobuf 16
   */
  azureDisk?: AzureDiskVolumeSource;
  /**
   * A Photon Controller persistent disk. Deprecated, no longer supported.
   * @protobuf 17
   */
  photonPersistentDisk?: PhotonPersistentDiskVolumeSource;
  /**
   * A Portworx volume. Deprecated: use the Portworx CSI driver.
   * @protobuf 18
   */
  portworxVolume?: PortworxVolumeSource;
  /**
   * A ScaleIO volume. Deprecated, no longer supported.
   * @protobuf 19
   */
  scaleIO?: ScaleIOPersistentVolumeSource;
  /**
   * A local disk, partition or directory of a node; needs nodeAffinity.
   * @protobuf 20
   */
  local?: LocalVolumeSource;
  /**
   * A StorageOS volume. Deprecated, no longer supported.
   * @protobuf 21
   */
  storageos?: StorageOSPersistentVolumeSource;
  /**
   * A volume managed by a CSI driver.
   * @protobuf 22
   */
  csi?: CSIPersistentVolumeSource;
}

/**
 * Observed state of a persistent volume.
 */
export interface PersistentVolumeStatus {
  /**
   * Pending, Available, Bound, Released or Failed.
   * @protobuf 1
   * @openEnum
   */
  phase?: 'Pending' | 'Available' | 'Bound' | 'Released' | 'Failed';
  /**
   * Human-readable detail of the phase.
   * @protobuf 2
   */
  message?: string;
  /**
   * Short CamelCase reason of a failure.
   * @protobuf 3
   */
  reason?: string;
  /**
   * When the phase last changed.
   * @protobuf 4
   */
  lastPhaseTransitionTime?: Time;
}

/**
 * Nodes a volume can be reached from.
 */
export interface VolumeNodeAffinity {
  /**
   * Node selector that nodes must match.
   * @protobuf 1
   */
  required?: NodeSelector;
}

/**
 * A local storage device or directory of a node.
 */
export interface LocalVolumeSource {
  /**
   * Full path of the device or directory on the node.
   * @protobuf 1
   * @alwaysWritten
   */
  path: string;
  /**
   * Filesystem type of a block device, e.g. ext4; detected when empty. Ignored for directories.
   * @protobuf 2
   * @pointer
   */
  fsType?: string;
}

/**
 * A volume managed by a CSI driver.
 */
export interface CSIPersistentVolumeSource {
  /**
   * Name of the driver.
   * @protobuf 1
   * @alwaysWritten
   */
  driver: string;
  /**
   * The driver's ID of the volume.
   * @protobuf 2
   * @alwaysWritten
   */
  volumeHandle: string;
  /**
   * Mount read-only. Defaults to false.
   * @protobuf 3
   */
  readOnly?: boolean;
  /**
   * Filesystem type, e.g. ext4.
   * @protobuf 4
   */
  fsType?: string;
  /**
   * Driver-specific properties of the volume.
   * @protobuf 5
   */
  volumeAttributes?: Record<string, string>;
  /**
   * Secret the driver needs to publish the volume to a node.
   * @protobuf 6
   */
  controllerPublishSecretRef?: SecretReference;
  /**
   * Secret the driver needs to stage the volume on a node.
   * @protobuf 7
   */
  nodeStageSecretRef?: SecretReference;
  /**
   * Secret the driver needs to publish the volume to a pod.
   * @protobuf 8
   */
  nodePublishSecretRef?: SecretReference;
  /**
   * Secret the driver needs to expand the volume.
   * @protobuf 9
   */
  controllerExpandSecretRef?: SecretReference;
  /**
   * Secret the driver needs to expand the volume on a node.
   * @protobuf 10
   */
  nodeExpandSecretRef?: SecretReference;
}

/**
 * Points at a Secret by name and namespace.
 * @structType atomic
 */
export interface SecretReference {
  /**
   * Name of the Secret.
   * @protobuf 1
   */
  name?: string;
  /**
   * Namespace of the Secret.
   * @protobuf 2
   */
  namespace?: string;
}

/**
 * A Glusterfs mount of a persistent volume. Deprecated, no longer supported.
 */
export interface GlusterfsPersistentVolumeSource {
  /**
   * Endpoints object that names the Glusterfs servers.
   * @protobuf 1
   * @alwaysWritten
   */
  endpoints: string;
  /**
   * Glusterfs volume path.
   * @protobuf 2
   * @alwaysWritten
   */
  path: string;
  /**
   * Mount the volume read-only.
   * @protobuf 3
   */
  readOnly?: boolean;
  /**
   * Namespace of the endpoints; defaults to the claim's namespace.
   * @protobuf 4
   * @pointer
   */
  endpointsNamespace?: string;
}

/**
 * A Ceph RADOS block device of a persistent volume. Deprecated, no longer supported.
 */
export interface RBDPersistentVolumeSource {
  /**
   * Ceph monitors.
   * @protobuf 1
   * @listType atomic
   * @alwaysWritten
   */
  monitors: string[];
  /**
   * Name of the RADOS image.
   * @protobuf 2
   * @alwaysWritten
   */
  image: string;
  /**
   * Filesystem to mount, e.g. ext4 or xfs; the node must support it.
   * @protobuf 3
   */
  fsType?: string;
  /**
   * RADOS pool; defaults to rbd.
   * @protobuf 4
   * @default "rbd"
   */
  pool?: string;
  /**
   * User name; defaults to admin.
   * @protobuf 5
   * @default "admin"
   */
  user?: string;
  /**
   * Keyring file of the user; defaults to /etc/ceph/keyring.
   * @protobuf 6
   * @default "/etc/ceph/keyring"
   */
  keyring?: string;
  /**
   * The Secret holding the credentials.
   * @protobuf 7
   */
  secretRef?: SecretReference;
  /**
   * Mount the volume read-only.
   * @protobuf 8
   */
  readOnly?: boolean;
}

/**
 * An iSCSI disk of a persistent volume, read-write once.
 */
export interface ISCSIPersistentVolumeSource {
  /**
   * iSCSI target portal, host or host:port (port 3260 when omitted).
   * @protobuf 1
   * @alwaysWritten
   */
  targetPortal: string;
  /**
   * iSCSI qualified name of the target.
   * @protobuf 2
   * @alwaysWritten
   */
  iqn: string;
  /**
   * iSCSI target LUN number.
   * @protobuf 3
   * @alwaysWritten
   */
  lun: int32;
  /**
   * iSCSI interface to use; defaults to "default" (tcp).
   * @protobuf 4
   * @default "default"
   */
  iscsiInterface?: string;
  /**
   * Filesystem to mount, e.g. ext4 or xfs; the node must support it.
   * @protobuf 5
   */
  fsType?: string;
  /**
   * Mount the volume read-only.
   * @protobuf 6
   */
  readOnly?: boolean;
  /**
   * Further target portals, host or host:port.
   * @protobuf 7
   * @listType atomic
   */
  portals?: string[];
  /**
   * Use CHAP authentication for discovery.
   * @protobuf 8
   */
  chapAuthDiscovery?: boolean;
  /**
   * Use CHAP authentication for the session.
   * @protobuf 11
   */
  chapAuthSession?: boolean;
  /**
   * The Secret holding the credentials.
   * @protobuf 10
   */
  secretRef?: SecretReference;
  /**
   * Custom initiator name; with it, a new interface <target portal>:<volume name> is created.
   * @protobuf 12
   * @pointer
   */
  initiatorName?: string;
}

/**
 * An OpenStack Cinder volume of a persistent volume. Deprecated: the CSI driver replaces it.
 */
export interface CinderPersistentVolumeSource {
  /**
   * ID of the volume in the storage system.
   * @protobuf 1
   * @alwaysWritten
   */
  volumeID: string;
  /**
   * Filesystem to mount, e.g. ext4 or xfs; the node must support it.
   * @protobuf 2
   */
  fsType?: string;
  /**
   * Mount the volume read-only.
   * @protobuf 3
   */
  readOnly?: boolean;
  /**
   * The Secret holding the credentials.
   * @protobuf 4
   */
  secretRef?: SecretReference;
}

/**
 * A Ceph filesystem mount of a persistent volume. Deprecated, no longer supported.
 */
export interface CephFSPersistentVolumeSource {
  /**
   * Ceph monitors.
   * @protobuf 1
   * @listType atomic
   * @alwaysWritten
   */
  monitors: string[];
  /**
   * Path in the mounted root; defaults to /.
   * @protobuf 2
   */
  path?: string;
  /**
   * RADOS user name; defaults to admin.
   * @protobuf 3
   */
  user?: string;
  /**
   * File holding the user's key; defaults to /etc/ceph/user.secret.
   * @protobuf 4
   */
  secretFile?: string;
  /**
   * The Secret holding the credentials.
   * @protobuf 5
   */
  secretRef?: SecretReference;
  /**
   * Mount the volume read-only.
   * @protobuf 6
   */
  readOnly?: boolean;
}

/**
 * A persistent volume mounted by an exec-based plugin. Deprecated: use a CSI driver.
 */
export interface FlexPersistentVolumeSource {
  /**
   * Name of the driver.
   * @protobuf 1
   * @alwaysWritten
   */
  driver: string;
  /**
   * Filesystem to mount; the default depends on the driver's script.
   * @protobuf 2
   */
  fsType?: string;
  /**
   * Secret passed to the driver's scripts.
   * @protobuf 3
   */
  secretRef?: SecretReference;
  /**
   * Mount the volume read-only.
   * @protobuf 4
   */
  readOnly?: boolean;
  /**
   * Extra options for the driver.
   * @protobuf 5
   */
  options?: Record<string, string>;
}

/**
 * An Azure File Service share of a persistent volume. Deprecated: the CSI driver replaces it.
 */
export interface AzureFilePersistentVolumeSource {
  /**
   * Name of the Secret holding the storage account name and key.
   * @protobuf 1
   * @alwaysWritten
   */
  secretName: string;
  /**
   * Name of the Azure file share.
   * @protobuf 2
   * @alwaysWritten
   */
  shareName: string;
  /**
   * Mount the volume read-only.
   * @protobuf 3
   */
  readOnly?: boolean;
  /**
   * Namespace of the Secret; defaults to the pod's namespace.
   * @protobuf 4
   * @alwaysWritten
   * @pointer
   */
  secretNamespace?: string;
}

/**
 * A ScaleIO volume of a persistent volume. Deprecated, no longer supported.
 */
export interface ScaleIOPersistentVolumeSource {
  /**
   * Host address of the ScaleIO API gateway.
   * @protobuf 1
   * @alwaysWritten
   */
  gateway: string;
  /**
   * Name of the storage system as configured in ScaleIO.
   * @protobuf 2
   * @alwaysWritten
   */
  system: string;
  /**
   * Secret holding the ScaleIO user's credentials.
   * @protobuf 3
   * @alwaysWritten
   * @pointer
   */
  secretRef: SecretReference;
  /**
   * Use SSL to talk to the gateway.
   * @protobuf 4
   */
  sslEnabled?: boolean;
  /**
   * ScaleIO protection domain of the storage.
   * @protobuf 5
   */
  protectionDomain?: string;
  /**
   * ScaleIO storage pool of the protection domain.
   * @protobuf 6
   */
  storagePool?: string;
  /**
   * ThickProvisioned or ThinProvisioned (the default).
   * @protobuf 7
   * @default "ThinProvisioned"
   */
  storageMode?: string;
  /**
   * Name of the volume, already created in the storage system.
   * @protobuf 8
   */
  volumeName?: string;
  /**
   * Filesystem to mount; defaults to xfs.
   * @protobuf 9
   * @default "xfs"
   */
  fsType?: string;
  /**
   * Mount the volume read-only.
   * @protobuf 10
   */
  readOnly?: boolean;
}

/**
 * A StorageOS volume of a persistent volume. Deprecated, no longer supported.
 */
export interface StorageOSPersistentVolumeSource {
  /**
   * Name of the volume, already created in the storage system.
   * @protobuf 1
   */
  volumeName?: string;
  /**
   * StorageOS namespace of the volume; defaults to the pod's namespace.
   * @protobuf 2
   */
  volumeNamespace?: string;
  /**
   * Filesystem to mount, e.g. ext4 or xfs; the node must support it.
   * @protobuf 3
   */
  fsType?: string;
  /**
   * Mount the volume read-only.
   * @protobuf 4
   */
  readOnly?: boolean;
  /**
   * Secret holding the StorageOS API credentials.
   * @protobuf 5
   */
  secretRef?: ObjectReference;
}
