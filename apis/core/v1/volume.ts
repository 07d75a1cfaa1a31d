import type { LabelSelector, ObjectMeta, Quantity, int32, int64 } from '../../meta/v1/types.ts';
import type { PersistentVolumeClaimSpec } from './persistentvolumeclaim.ts';
import type { ObjectFieldSelector, ResourceFieldSelector } from './pod.ts';
import type { LocalObjectReference } from './serviceaccount.ts';

/**
 * A named volume of a pod that its containers can mount. Exactly one source is set; with none, an emptyDir is used.
 * @protobufEmbed VolumeSource 2
 */
export interface Volume extends VolumeSource {
  /**
   * Name of the volume, a DNS-1123 label unique within the pod.
   * @protobuf 1
   * @alwaysWritten
   */
  name: string;
}

/**
 * Where a volume's data comes from: exactly one member is set.
 */
export interface VolumeSource {
  /**
   * A file or directory of the node. Gives access to the host; use with care.
   * @protobuf 1
   */
  hostPath?: HostPathVolumeSource;
  /**
   * A fresh directory that lives as long as the pod.
   * @protobuf 2
   */
  emptyDir?: EmptyDirVolumeSource;
  /**
   * A GCE persistent disk attached to the node. Deprecated: use the GCE PD CSI driver.
   * @protobuf 3
   */
  gcePersistentDisk?: GCEPersistentDiskVolumeSource;
  /**
   * An AWS EBS disk attached to the node. Deprecated: use the EBS CSI driver.
   * @protobuf 4
   */
  awsElasticBlockStore?: AWSElasticBlockStoreVolumeSource;
  /**
   * A git repository cloned at pod start. Deprecated: clone in an init container into an emptyDir.
   * @protobuf 5
   */
  gitRepo?: GitRepoVolumeSource;
  /**
   * The keys of a Secret, as files.
   * @protobuf 6
   */
  secret?: SecretVolumeSource;
  /**
   * An NFS export mounted for the pod's lifetime.
   * @protobuf 7
   */
  nfs?: NFSVolumeSource;
  /**
   * An iSCSI disk attached to the node.
   * @protobuf 8
   */
  iscsi?: ISCSIVolumeSource;
  /**
   * A Glusterfs mount. Deprecated, no longer supported.
   * @protobuf 9
   */
  glusterfs?: GlusterfsVolumeSource;
  /**
   * A PersistentVolumeClaim in the pod's namespace.
   * @protobuf 10
   */
  persistentVolumeClaim?: PersistentVolumeClaimVolumeSource;
  /**
   * A Ceph RADOS block device. Deprecated, no longer supported.
   * @protobuf 11
   */
  rbd?: RBDVolumeSource;
  /**
   * A volume mounted by an exec-based plugin. Deprecated.
   * @protobuf 12
   */
  flexVolume?: FlexVolumeSource;
  /**
   * An OpenStack Cinder volume. Deprecated: use the Cinder CSI driver.
   * @protobuf 13
   */
  cinder?: CinderVolumeSource;
  /**
   * A Ceph filesystem mount. Deprecated, no longer supported.
   * @protobuf 14
   */
  cephfs?: CephFSVolumeSource;
  /**
   * A Flocker dataset. Deprecated, no longer supported.
   * @protobuf 15
   */
  flocker?: FlockerVolumeSource;
  /**
   * Fields of the pod, as files.
   * @protobuf 16
   */
  downwardAPI?: DownwardAPIVolumeSource;
  /**
   * A Fibre Channel disk attached to the node.
   * @protobuf 17
   */
  fc?: FCVolumeSource;
  /**
   * An Azure File Service share. Deprecated: use the Azure File CSI driver.
   * @protobuf 18
   */
  azureFile?: AzureFileVolumeSource;
  /**
   * The keys of a ConfigMap, as files.
   * @protobuf 19
   */
  configMap?: ConfigMapVolumeSource;
  /**
   * A vSphere volume. Deprecated: use the vSphere CSI driver.
   * @protobuf 20
   */
  vsphereVolume?: VsphereVirtualDiskVolumeSource;
  /**
   * A Quobyte mount. Deprecated, no longer supported.
   * @protobuf 21
   */
  quobyte?: QuobyteVolumeSource;
  /**
   * An Azure data disk. Deprecated: use the Azure Disk CSI driver.
   * @protobuf 22
   */
  azureDisk?: AzureDiskVolumeSource;
  /**
   * A Photon Controller persistent disk. Deprecated, no longer supported.
   * @protobuf 23
   */
  photonPersistentDisk?: PhotonPersistentDiskVolumeSource;
  /**
   * Several sources (secrets, config maps, downward API, service account tokens) projected into one directory.
   * @protobuf 26
   */
  projected?: ProjectedVolumeSource;
  /**
   * A Portworx volume. Deprecated: use the Portworx CSI driver.
   * @protobuf 24
   */
  portworxVolume?: PortworxVolumeSource;
  /**
   * A ScaleIO volume. Deprecated, no longer supported.
   * @protobuf 25
   */
  scaleIO?: ScaleIOVolumeSource;
  /**
   * A StorageOS volume. Deprecated, no longer supported.
   * @protobuf 27
   */
  storageos?: StorageOSVolumeSource;
  /**
   * A volume provided by a CSI driver that supports ephemeral inline volumes.
   * @protobuf 28
   */
  csi?: CSIVolumeSource;
  /**
   * A volume provisioned for the pod from a claim template and deleted with it.
   * @protobuf 29
   */
  ephemeral?: EphemeralVolumeSource;
  /**
   * An OCI image or artifact mounted read-only.
   * @protobuf 30
   */
  image?: ImageVolumeSource;
}

/**
 * An empty directory, created when the pod starts and removed when it ends.
 */
export interface EmptyDirVolumeSource {
  /**
   * Storage medium: "" (the node's default) or Memory (tmpfs), or HugePages.
   * @protobuf 1
   */
  medium?: string;
  /**
   * Most local storage the volume may use; memory-backed volumes are also bounded by the pod's memory limit.
   * @protobuf 2
   */
  sizeLimit?: Quantity;
}

/**
 * A path on the node.
 */
export interface HostPathVolumeSource {
  /**
   * Path on the node; a symbolic link is followed.
   * @protobuf 1
   * @alwaysWritten
   */
  path: string;
  /**
   * What must exist at the path: "" (no check, the default), DirectoryOrCreate, Directory, FileOrCreate, File,
   * Socket, CharDevice or BlockDevice.
   * @protobuf 2
   * @default ""
   * @pointer
   */
  type?: '' | 'DirectoryOrCreate' | 'Directory' | 'FileOrCreate' | 'File' | 'Socket' | 'CharDevice' | 'BlockDevice';
}

/**
 * The keys of a ConfigMap as files: each key becomes a file named after it, unless items says otherwise.
 * @protobufEmbed LocalObjectReference 1
 */
export interface ConfigMapVolumeSource extends LocalObjectReference {
  /**
   * Which keys to project and to which paths; keys not listed are left out. Without it, all keys are projected.
   * @protobuf 2
   * @listType atomic
   */
  items?: KeyToPath[];
  /**
   * Permission bits of the files, 0000-0777 (decimal in JSON). Defaults to 0644 (420).
   * @protobuf 3
   * @default 420
   * @pointer
   */
  defaultMode?: int32;
  /**
   * Whether the ConfigMap or listed keys may be missing.
   * @protobuf 4
   * @pointer
   */
  optional?: boolean;
}

/**
 * The keys of a Secret as files: each key becomes a file named after it, unless items says otherwise.
 */
export interface SecretVolumeSource {
  /**
   * Name of the Secret in the pod's namespace.
   * @protobuf 1
   */
  secretName?: string;
  /**
   * Which keys to project and to which paths; keys not listed are left out.
   * @protobuf 2
   * @listType atomic
   */
  items?: KeyToPath[];
  /**
   * Permission bits of the files, 0000-0777 (decimal in JSON). Defaults to 0644 (420).
   * @protobuf 3
   * @default 420
   * @pointer
   */
  defaultMode?: int32;
  /**
   * Whether the Secret or listed keys may be missing.
   * @protobuf 4
   * @pointer
   */
  optional?: boolean;
}

/**
 * Maps a key to a file path.
 */
export interface KeyToPath {
  /**
   * The key.
   * @protobuf 1
   * @alwaysWritten
   */
  key: string;
  /**
   * Relative path of the file; may not contain '..' or start with it.
   * @protobuf 2
   * @alwaysWritten
   */
  path: string;
  /**
   * Permission bits of this file, 0000-0777; defaults to the volume's defaultMode.
   * @protobuf 3
   * @pointer
   */
  mode?: int32;
}

/**
 * Refers to a PersistentVolumeClaim in the pod's namespace.
 */
export interface PersistentVolumeClaimVolumeSource {
  /**
   * Name of the claim.
   * @protobuf 1
   * @alwaysWritten
   */
  claimName: string;
  /**
   * Mount the volume read-only. Defaults to false.
   * @protobuf 2
   */
  readOnly?: boolean;
}

/**
 * Several sources projected into one directory.
 */
export interface ProjectedVolumeSource {
  /**
   * The sources.
   * @protobuf 1
   * @listType atomic
   * @alwaysWritten
   */
  sources?: VolumeProjection[];
  /**
   * Permission bits of the files, 0000-0777. Defaults to 0644 (420).
   * @protobuf 2
   * @default 420
   * @pointer
   */
  defaultMode?: int32;
}

/**
 * One source of a projected volume; exactly one member is set.
 */
export interface VolumeProjection {
  /**
   * Keys of a Secret.
   * @protobuf 1
   */
  secret?: SecretProjection;
  /**
   * Fields of the pod.
   * @protobuf 2
   */
  downwardAPI?: DownwardAPIProjection;
  /**
   * Keys of a ConfigMap.
   * @protobuf 3
   */
  configMap?: ConfigMapProjection;
  /**
   * A token of the pod's service account.
   * @protobuf 4
   */
  serviceAccountToken?: ServiceAccountTokenProjection;
  /**
   * The certificates of ClusterTrustBundles, as one PEM file.
   * @protobuf 5
   */
  clusterTrustBundle?: ClusterTrustBundleProjection;
}

/**
 * A token of the pod's service account, written to a file and refreshed by the kubelet.
 */
export interface ServiceAccountTokenProjection {
  /**
   * Audience the token is for; defaults to the API server's identifier.
   * @protobuf 1
   */
  audience?: string;
  /**
   * Requested lifetime of the token in seconds, at least 600. Defaults to 3600.
   * @protobuf 2
   * @default 3600
   * @pointer
   */
  expirationSeconds?: int64;
  /**
   * Path of the token file, relative to the mount point.
   * @protobuf 3
   * @alwaysWritten
   */
  path: string;
}

/**
 * The keys of a ConfigMap in a projected volume.
 * @protobufEmbed LocalObjectReference 1
 */
export interface ConfigMapProjection extends LocalObjectReference {
  /**
   * Which keys to project and to which paths.
   * @protobuf 2
   * @listType atomic
   */
  items?: KeyToPath[];
  /**
   * Whether the ConfigMap or listed keys may be missing.
   * @protobuf 4
   * @pointer
   */
  optional?: boolean;
}

/**
 * The keys of a Secret in a projected volume.
 * @protobufEmbed LocalObjectReference 1
 */
export interface SecretProjection extends LocalObjectReference {
  /**
   * Which keys to project and to which paths.
   * @protobuf 2
   * @listType atomic
   */
  items?: KeyToPath[];
  /**
   * Whether the Secret or listed keys may be missing.
   * @protobuf 4
   * @pointer
   */
  optional?: boolean;
}

/**
 * Fields of the pod in a projected volume.
 */
export interface DownwardAPIProjection {
  /**
   * The files to write.
   * @protobuf 1
   * @listType atomic
   */
  items?: DownwardAPIVolumeFile[];
}

/**
 * Fields of the pod as files.
 */
export interface DownwardAPIVolumeSource {
  /**
   * The files to write.
   * @protobuf 1
   * @listType atomic
   */
  items?: DownwardAPIVolumeFile[];
  /**
   * Permission bits of the files, 0000-0777. Defaults to 0644 (420).
   * @protobuf 2
   * @default 420
   * @pointer
   */
  defaultMode?: int32;
}

/**
 * A file holding a field of the pod.
 */
export interface DownwardAPIVolumeFile {
  /**
   * Relative path of the file.
   * @protobuf 1
   * @alwaysWritten
   */
  path: string;
  /**
   * A field of the pod: metadata.name, metadata.namespace, metadata.labels, metadata.annotations, metadata.uid.
   * @protobuf 2
   */
  fieldRef?: ObjectFieldSelector;
  /**
   * A resource limit or request of a container (limits.cpu, requests.memory, ...).
   * @protobuf 3
   */
  resourceFieldRef?: ResourceFieldSelector;
  /**
   * Permission bits of this file, 0000-0777.
   * @protobuf 4
   * @pointer
   */
  mode?: int32;
}

/**
 * An NFS export.
 */
export interface NFSVolumeSource {
  /**
   * Host name or IP of the NFS server.
   * @protobuf 1
   * @alwaysWritten
   */
  server: string;
  /**
   * Path exported by the server.
   * @protobuf 2
   * @alwaysWritten
   */
  path: string;
  /**
   * Mount read-only. Defaults to false.
   * @protobuf 3
   */
  readOnly?: boolean;
}

/**
 * An ephemeral inline volume from a CSI driver.
 */
export interface CSIVolumeSource {
  /**
   * Name of the CSI driver.
   * @protobuf 1
   * @alwaysWritten
   */
  driver: string;
  /**
   * Mount read-only. Defaults to false.
   * @protobuf 2
   * @pointer
   */
  readOnly?: boolean;
  /**
   * Filesystem type, e.g. ext4; the driver chooses when empty.
   * @protobuf 3
   * @pointer
   */
  fsType?: string;
  /**
   * Driver-specific properties.
   * @protobuf 4
   */
  volumeAttributes?: Record<string, string>;
  /**
   * Secret with data the driver needs to publish the volume.
   * @protobuf 5
   */
  nodePublishSecretRef?: LocalObjectReference;
}

/**
 * A volume whose claim is created from a template with the pod and deleted with it.
 */
export interface EphemeralVolumeSource {
  /**
   * Template of the PersistentVolumeClaim, named <pod>-<volume>.
   * @protobuf 1
   */
  volumeClaimTemplate?: PersistentVolumeClaimTemplate;
}

/**
 * A template for a PersistentVolumeClaim.
 */
export interface PersistentVolumeClaimTemplate {
  /**
   * Labels and annotations copied to the claim; other fields are not allowed.
   * @protobuf 1
   * @alwaysWritten
   */
  metadata?: ObjectMeta;
  /**
   * Spec of the claim.
   * @protobuf 2
   * @alwaysWritten
   */
  spec: PersistentVolumeClaimSpec;
}

/**
 * An OCI image or artifact mounted read-only.
 */
export interface ImageVolumeSource {
  /**
   * Image reference, as for a container image.
   * @protobuf 1
   */
  reference?: string;
  /**
   * When to pull: Always, Never or IfNotPresent. Defaults to Always for :latest, IfNotPresent otherwise.
   * @protobuf 2
   */
  pullPolicy?: 'Always' | 'Never' | 'IfNotPresent';
}

/**
 * A Google Compute Engine persistent disk. Deprecated: the pd.csi.storage.gke.io CSI driver replaces it.
 */
export interface GCEPersistentDiskVolumeSource {
  /**
   * Name of the persistent disk in GCE.
   * @protobuf 1
   * @alwaysWritten
   */
  pdName: string;
  /**
   * Filesystem to mount, e.g. ext4 or xfs; the node must support it.
   * @protobuf 2
   */
  fsType?: string;
  /**
   * Partition to mount; 0 or unset mounts the whole disk.
   * @protobuf 3
   */
  partition?: int32;
  /**
   * Mount the volume read-only.
   * @protobuf 4
   */
  readOnly?: boolean;
}

/**
 * An AWS EBS disk in the node's zone. Deprecated: the ebs.csi.aws.com CSI driver replaces it.
 */
export interface AWSElasticBlockStoreVolumeSource {
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
   * Partition to mount; 0 or unset mounts the whole disk.
   * @protobuf 3
   */
  partition?: int32;
  /**
   * Mount the volume read-only.
   * @protobuf 4
   */
  readOnly?: boolean;
}

/**
 * A git repository cloned into an empty directory. Deprecated: clone in an init container instead.
 */
export interface GitRepoVolumeSource {
  /**
   * URL of the git repository.
   * @protobuf 1
   * @alwaysWritten
   */
  repository: string;
  /**
   * Commit hash to check out.
   * @protobuf 2
   */
  revision?: string;
  /**
   * Directory to clone into, relative to the volume; "." clones into the volume itself.
   * @protobuf 3
   */
  directory?: string;
}

/**
 * An iSCSI disk, read-write once.
 */
export interface ISCSIVolumeSource {
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
  secretRef?: LocalObjectReference;
  /**
   * Custom initiator name; with it, a new interface <target portal>:<volume name> is created.
   * @protobuf 12
   * @pointer
   */
  initiatorName?: string;
}

/**
 * A Glusterfs mount. Deprecated, no longer supported.
 */
export interface GlusterfsVolumeSource {
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
}

/**
 * A Ceph RADOS block device. Deprecated, no longer supported.
 */
export interface RBDVolumeSource {
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
  secretRef?: LocalObjectReference;
  /**
   * Mount the volume read-only.
   * @protobuf 8
   */
  readOnly?: boolean;
}

/**
 * A volume mounted by an exec-based plugin. Deprecated: use a CSI driver.
 */
export interface FlexVolumeSource {
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
  secretRef?: LocalObjectReference;
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
 * An OpenStack Cinder volume. Deprecated: the cinder.csi.openstack.org CSI driver replaces it.
 */
export interface CinderVolumeSource {
  /**
   * ID of the Cinder volume.
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
  secretRef?: LocalObjectReference;
}

/**
 * A Ceph filesystem mount. Deprecated, no longer supported.
 */
export interface CephFSVolumeSource {
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
  secretRef?: LocalObjectReference;
  /**
   * Mount the volume read-only.
   * @protobuf 6
   */
  readOnly?: boolean;
}

/**
 * A Flocker dataset; give exactly one of datasetName and datasetUUID. Deprecated, no longer supported.
 */
export interface FlockerVolumeSource {
  /**
   * Name of the dataset, as metadata for Flocker.
   * @protobuf 1
   */
  datasetName?: string;
  /**
   * UUID of the dataset; the unique identifier of a Flocker dataset.
   * @protobuf 2
   */
  datasetUUID?: string;
}

/**
 * A Fibre Channel disk, read-write once.
 */
export interface FCVolumeSource {
  /**
   * Fibre Channel target world wide names.
   * @protobuf 1
   * @listType atomic
   */
  targetWWNs?: string[];
  /**
   * Fibre Channel target LUN number.
   * @protobuf 2
   * @pointer
   */
  lun?: int32;
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
   * World wide identifiers of the volume; set either these or targetWWNs with lun.
   * @protobuf 5
   * @listType atomic
   */
  wwids?: string[];
}

/**
 * An Azure File Service share. Deprecated: the file.csi.azure.com CSI driver replaces it.
 */
export interface AzureFileVolumeSource {
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
}

/**
 * A vSphere volume. Deprecated: the csi.vsphere.vmware.com CSI driver replaces it.
 */
export interface VsphereVirtualDiskVolumeSource {
  /**
   * Path that identifies the vSphere volume.
   * @protobuf 1
   * @alwaysWritten
   */
  volumePath: string;
  /**
   * Filesystem to mount, e.g. ext4 or xfs; the node must support it.
   * @protobuf 2
   */
  fsType?: string;
  /**
   * Storage policy based management profile name.
   * @protobuf 3
   */
  storagePolicyName?: string;
  /**
   * Storage policy based management profile ID.
   * @protobuf 4
   */
  storagePolicyID?: string;
}

/**
 * A Quobyte mount. Deprecated, no longer supported.
 */
export interface QuobyteVolumeSource {
  /**
   * Quobyte registries, host:port, comma-separated.
   * @protobuf 1
   * @alwaysWritten
   */
  registry: string;
  /**
   * Name of an existing volume.
   * @protobuf 2
   * @alwaysWritten
   */
  volume: string;
  /**
   * Mount the volume read-only.
   * @protobuf 3
   */
  readOnly?: boolean;
  /**
   * User that owns the files; defaults to the service account user.
   * @protobuf 4
   */
  user?: string;
  /**
   * Group that owns the files; defaults to none.
   * @protobuf 5
   */
  group?: string;
  /**
   * Quobyte tenant that owns the volume.
   * @protobuf 6
   */
  tenant?: string;
}

/**
 * An Azure data disk. Deprecated: the disk.csi.azure.com CSI driver replaces it.
 */
export interface AzureDiskVolumeSource {
  /**
   * Name of the data disk in blob storage.
   * @protobuf 1
   * @alwaysWritten
   */
  diskName: string;
  /**
   * URI of the data disk in blob storage.
   * @protobuf 2
   * @alwaysWritten
   */
  diskURI: string;
  /**
   * Host caching: None, ReadOnly or ReadWrite (the default).
   * @protobuf 3
   * @default "ReadWrite"
   * @pointer
   */
  cachingMode?: 'None' | 'ReadOnly' | 'ReadWrite';
  /**
   * Filesystem to mount; defaults to ext4.
   * @protobuf 4
   * @default "ext4"
   * @pointer
   */
  fsType?: string;
  /**
   * Mount the volume read-only; defaults to false.
   * @protobuf 5
   * @default false
   * @pointer
   */
  readOnly?: boolean;
  /**
   * Shared (several disks per storage account, the default), Dedicated or Managed.
   * @protobuf 6
   * @default "Shared"
   * @pointer
   */
  kind?: 'Shared' | 'Dedicated' | 'Managed';
}

/**
 * A Photon Controller persistent disk. Deprecated, no longer supported.
 */
export interface PhotonPersistentDiskVolumeSource {
  /**
   * ID of the Photon Controller persistent disk.
   * @protobuf 1
   * @alwaysWritten
   */
  pdID: string;
  /**
   * Filesystem to mount, e.g. ext4 or xfs; the node must support it.
   * @protobuf 2
   */
  fsType?: string;
}

/**
 * A Portworx volume. Deprecated: the pxd.portworx.com CSI driver replaces it.
 */
export interface PortworxVolumeSource {
  /**
   * ID of the Portworx volume.
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
}

/**
 * A ScaleIO volume. Deprecated, no longer supported.
 */
export interface ScaleIOVolumeSource {
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
  secretRef: LocalObjectReference;
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
 * A StorageOS volume. Deprecated, no longer supported.
 */
export interface StorageOSVolumeSource {
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
  secretRef?: LocalObjectReference;
}

/**
 * The certificates of ClusterTrustBundle objects, written to one file as PEM.
 */
export interface ClusterTrustBundleProjection {
  /**
   * Name of the ClusterTrustBundle; not with signerName.
   * @protobuf 1
   * @pointer
   */
  name?: string;
  /**
   * Selects all ClusterTrustBundles of this signer (with labelSelector).
   * @protobuf 2
   * @pointer
   */
  signerName?: string;
  /**
   * Only bundles matching these labels; with signerName. Null matches none, empty matches all.
   * @protobuf 3
   */
  labelSelector?: LabelSelector;
  /**
   * Start the pod even when no bundle matches.
   * @protobuf 5
   * @pointer
   */
  optional?: boolean;
  /**
   * Path of the file in the volume.
   * @protobuf 4
   * @alwaysWritten
   */
  path: string;
}
