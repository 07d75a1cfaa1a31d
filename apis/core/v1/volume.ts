import type { ObjectMeta, Quantity, int32, int64 } from '../../meta/v1/types.ts';
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
   * A PersistentVolumeClaim in the pod's namespace.
   * @protobuf 10
   */
  persistentVolumeClaim?: PersistentVolumeClaimVolumeSource;
  /**
   * Fields of the pod, as files.
   * @protobuf 16
   */
  downwardAPI?: DownwardAPIVolumeSource;
  /**
   * The keys of a ConfigMap, as files.
   * @protobuf 19
   */
  configMap?: ConfigMapVolumeSource;
  /**
   * Several sources (secrets, config maps, downward API, service account tokens) projected into one directory.
   * @protobuf 26
   */
  projected?: ProjectedVolumeSource;
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
