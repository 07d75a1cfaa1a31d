/**
 * The internal pod template (k8s.io/kubernetes/pkg/apis/core PodTemplateSpec) as Go's `%#v` prints it, for the
 * errors that report a whole template (a Job's immutable `spec.template`). Only what `%#v` prints is described: it
 * does not follow a pointer inside a value (go-syntax.ts prints the pointer itself), so the structs here are those a
 * template holds by value or in slices and maps. Fields are in the declaration order of kubernetes v1.32
 * `pkg/apis/core/types.go` (which for core.VolumeSource differs from v1's) and `apimachinery/pkg/apis/meta/v1`,
 * limited to the fields k8s.io/api v0.32 has.
 */
import { goBool, goInline, goInt, goMap, goPointer, goQuantity, goSlice, goString, goStrings, goStruct } from '../../../runtime/machinery/go-syntax.ts';
import { goObjectMeta } from '../../meta/v1/go-internal.ts';
import { goContainerResizePolicies, goToleration } from './go-internal.ts';
import type { PodSpec, PodTemplateSpec } from './pod.ts';

/** core.ResourceList, a named map from core.ResourceName. */
export const goResourceList = goMap(goQuantity, 'core.ResourceList');

/** Internal order: Quobyte follows RBD here, where v1 has it after VsphereVolume. */
const goVolumeSource = goStruct('core.VolumeSource', [
  ['HostPath', goPointer('core.HostPathVolumeSource')],
  ['EmptyDir', goPointer('core.EmptyDirVolumeSource')],
  ['GCEPersistentDisk', goPointer('core.GCEPersistentDiskVolumeSource'), 'gcePersistentDisk'],
  ['AWSElasticBlockStore', goPointer('core.AWSElasticBlockStoreVolumeSource'), 'awsElasticBlockStore'],
  ['GitRepo', goPointer('core.GitRepoVolumeSource')],
  ['Secret', goPointer('core.SecretVolumeSource')],
  ['NFS', goPointer('core.NFSVolumeSource'), 'nfs'],
  ['ISCSI', goPointer('core.ISCSIVolumeSource'), 'iscsi'],
  ['Glusterfs', goPointer('core.GlusterfsVolumeSource')],
  ['PersistentVolumeClaim', goPointer('core.PersistentVolumeClaimVolumeSource')],
  ['RBD', goPointer('core.RBDVolumeSource'), 'rbd'],
  ['Quobyte', goPointer('core.QuobyteVolumeSource')],
  ['FlexVolume', goPointer('core.FlexVolumeSource')],
  ['Cinder', goPointer('core.CinderVolumeSource')],
  ['CephFS', goPointer('core.CephFSVolumeSource'), 'cephfs'],
  ['Flocker', goPointer('core.FlockerVolumeSource')],
  ['DownwardAPI', goPointer('core.DownwardAPIVolumeSource')],
  ['FC', goPointer('core.FCVolumeSource'), 'fc'],
  ['AzureFile', goPointer('core.AzureFileVolumeSource')],
  ['ConfigMap', goPointer('core.ConfigMapVolumeSource')],
  ['VsphereVolume', goPointer('core.VsphereVirtualDiskVolumeSource')],
  ['AzureDisk', goPointer('core.AzureDiskVolumeSource')],
  ['PhotonPersistentDisk', goPointer('core.PhotonPersistentDiskVolumeSource')],
  ['Projected', goPointer('core.ProjectedVolumeSource')],
  ['PortworxVolume', goPointer('core.PortworxVolumeSource')],
  ['ScaleIO', goPointer('core.ScaleIOVolumeSource')],
  ['StorageOS', goPointer('core.StorageOSVolumeSource'), 'storageos'],
  ['CSI', goPointer('core.CSIVolumeSource'), 'csi'],
  ['Ephemeral', goPointer('core.EphemeralVolumeSource')],
  ['Image', goPointer('core.ImageVolumeSource')],
]);

const goVolume = goStruct('core.Volume', [
  ['Name', goString()],
  ['VolumeSource', goVolumeSource, goInline],
]);

const goContainerPort = goStruct('core.ContainerPort', [
  ['Name', goString()],
  ['HostPort', goInt()],
  ['ContainerPort', goInt()],
  ['Protocol', goString('core.Protocol')],
  ['HostIP', goString()],
]);

const goEnvFromSource = goStruct('core.EnvFromSource', [
  ['Prefix', goString()],
  ['ConfigMapRef', goPointer('core.ConfigMapEnvSource')],
  ['SecretRef', goPointer('core.SecretEnvSource')],
]);

const goEnvVar = goStruct('core.EnvVar', [
  ['Name', goString()],
  ['Value', goString()],
  ['ValueFrom', goPointer('core.EnvVarSource')],
]);

const goResourceRequirements = goStruct('core.ResourceRequirements', [
  ['Limits', goResourceList],
  ['Requests', goResourceList],
  ['Claims', goSlice(goStruct('core.ResourceClaim', [['Name', goString()], ['Request', goString()]]))],
]);

const goVolumeMount = goStruct('core.VolumeMount', [
  ['Name', goString()],
  ['ReadOnly', goBool()],
  ['RecursiveReadOnly', goPointer('core.RecursiveReadOnlyMode')],
  ['MountPath', goString()],
  ['SubPath', goString()],
  ['MountPropagation', goPointer('core.MountPropagationMode')],
  ['SubPathExpr', goString()],
]);

const goVolumeDevice = goStruct('core.VolumeDevice', [
  ['Name', goString()],
  ['DevicePath', goString()],
]);

/** core.Container's fields, which core.EphemeralContainerCommon copies one for one. */
const containerFields = [
  ['Name', goString()],
  ['Image', goString()],
  ['Command', goStrings],
  ['Args', goStrings],
  ['WorkingDir', goString()],
  ['Ports', goSlice(goContainerPort)],
  ['EnvFrom', goSlice(goEnvFromSource)],
  ['Env', goSlice(goEnvVar)],
  ['Resources', goResourceRequirements],
  ['ResizePolicy', goContainerResizePolicies],
  ['RestartPolicy', goPointer('core.ContainerRestartPolicy')],
  ['VolumeMounts', goSlice(goVolumeMount)],
  ['VolumeDevices', goSlice(goVolumeDevice)],
  ['LivenessProbe', goPointer('core.Probe')],
  ['ReadinessProbe', goPointer('core.Probe')],
  ['StartupProbe', goPointer('core.Probe')],
  ['Lifecycle', goPointer('core.Lifecycle')],
  ['TerminationMessagePath', goString()],
  ['TerminationMessagePolicy', goString('core.TerminationMessagePolicy')],
  ['ImagePullPolicy', goString('core.PullPolicy')],
  ['SecurityContext', goPointer('core.SecurityContext')],
  ['Stdin', goBool()],
  ['StdinOnce', goBool()],
  ['TTY', goBool(), 'tty'],
] as const;

const goContainer = goStruct('core.Container', containerFields);

const goEphemeralContainer = goStruct('core.EphemeralContainer', [
  ['EphemeralContainerCommon', goStruct('core.EphemeralContainerCommon', containerFields), goInline],
  ['TargetContainerName', goString()],
]);

const goTopologySpreadConstraint = goStruct('core.TopologySpreadConstraint', [
  ['MaxSkew', goInt()],
  ['TopologyKey', goString()],
  ['WhenUnsatisfiable', goString('core.UnsatisfiableConstraintAction')],
  ['LabelSelector', goPointer('v1.LabelSelector')],
  ['MinDomains', goPointer('int32')],
  ['NodeAffinityPolicy', goPointer('core.NodeInclusionPolicy')],
  ['NodeTaintsPolicy', goPointer('core.NodeInclusionPolicy')],
  ['MatchLabelKeys', goStrings],
]);

/**
 * Internal order, and the internal field set: v1's hostNetwork, hostPID, hostIPC, shareProcessNamespace and
 * hostUsers live in the (pointed-to) PodSecurityContext, and v1's serviceAccount is folded into ServiceAccountName.
 */
const goPodSpec = goStruct('core.PodSpec', [
  ['Volumes', goSlice(goVolume)],
  ['InitContainers', goSlice(goContainer)],
  ['Containers', goSlice(goContainer)],
  ['EphemeralContainers', goSlice(goEphemeralContainer)],
  ['RestartPolicy', goString('core.RestartPolicy')],
  ['TerminationGracePeriodSeconds', goPointer('int64')],
  ['ActiveDeadlineSeconds', goPointer('int64')],
  ['DNSPolicy', goString('core.DNSPolicy'), 'dnsPolicy'],
  ['NodeSelector', goMap(goString())],
  ['ServiceAccountName', goString()],
  ['AutomountServiceAccountToken', goPointer('bool')],
  ['NodeName', goString()],
  ['SecurityContext', goPointer('core.PodSecurityContext')],
  ['ImagePullSecrets', goSlice(goStruct('core.LocalObjectReference', [['Name', goString()]]))],
  ['Hostname', goString()],
  ['Subdomain', goString()],
  ['SetHostnameAsFQDN', goPointer('bool')],
  ['Affinity', goPointer('core.Affinity')],
  ['SchedulerName', goString()],
  ['Tolerations', goSlice(goToleration)],
  ['HostAliases', goSlice(goStruct('core.HostAlias', [['IP', goString(), 'ip'], ['Hostnames', goStrings]]))],
  ['PriorityClassName', goString()],
  ['Priority', goPointer('int32')],
  ['PreemptionPolicy', goPointer('core.PreemptionPolicy')],
  ['DNSConfig', goPointer('core.PodDNSConfig'), 'dnsConfig'],
  ['ReadinessGates', goSlice(goStruct('core.PodReadinessGate', [['ConditionType', goString('core.PodConditionType')]]))],
  ['RuntimeClassName', goPointer('string')],
  ['Overhead', goResourceList],
  ['EnableServiceLinks', goPointer('bool')],
  ['TopologySpreadConstraints', goSlice(goTopologySpreadConstraint)],
  ['OS', goPointer('core.PodOS'), 'os'],
  ['SchedulingGates', goSlice(goStruct('core.PodSchedulingGate', [['Name', goString()]]))],
  ['ResourceClaims', goSlice(goStruct('core.PodResourceClaim', [
    ['Name', goString()],
    ['ResourceClaimName', goPointer('string')],
    ['ResourceClaimTemplateName', goPointer('string')],
  ]))],
  ['Resources', goPointer('core.ResourceRequirements')],
]);

export const goPodTemplateSpec = goStruct('core.PodTemplateSpec', [
  ['ObjectMeta', goObjectMeta, 'metadata'],
  ['Spec', goPodSpec],
]);

/**
 * A v1 pod spec as upstream's conversion to the internal type leaves it (Convert_v1_PodSpec_To_core_PodSpec), where
 * that shows in `%#v`: the deprecated `serviceAccount` stands in for an empty `serviceAccountName`, and the security
 * context is always set, since the conversion moves the host namespace fields into it.
 */
export function internalPodSpec(spec: PodSpec | undefined): Record<string, unknown> {
  return { ...spec, serviceAccountName: spec?.serviceAccountName || spec?.serviceAccount, securityContext: spec?.securityContext ?? {} };
}

/** A v1 pod template as its internal form prints (see internalPodSpec). */
export function internalPodTemplateSpec(template: PodTemplateSpec | undefined): Record<string, unknown> {
  return { ...template, spec: internalPodSpec(template?.spec) };
}
