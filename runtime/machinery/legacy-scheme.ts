/**
 * The kinds kube-apiserver's scheme (pkg/api/legacyscheme) knows in v1.32, by group version, served or not: what
 * its decoder can read a body as. A body naming a kind the scheme does not know is refused by the decoder itself
 * (`no kind "Deployment" is registered for version "v1" in scheme ...`); one naming a known kind of another version
 * decodes and is refused afterwards for its version. Taken from the `addKnownTypes` calls of k8s.io/api v0.32.0
 * (`<group>/<version>/register.go`, every version of the groups pkg/controlplane/import_known_versions.go
 * installs); each kind's `<Kind>List` is known too, as are the options every group version registers.
 */

/** The scheme's name in upstream's messages: where it was made. */
export const legacySchemeName = 'pkg/api/legacyscheme/scheme.go:30';

const kindsByGroupVersion: Record<string, string> = {
  'admission.k8s.io/v1': 'AdmissionReview',
  'admission.k8s.io/v1beta1': 'AdmissionReview',
  'admissionregistration.k8s.io/v1': 'MutatingWebhookConfiguration ValidatingAdmissionPolicy ValidatingAdmissionPolicyBinding ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1alpha1': 'MutatingAdmissionPolicy MutatingAdmissionPolicyBinding ValidatingAdmissionPolicy ValidatingAdmissionPolicyBinding',
  'admissionregistration.k8s.io/v1beta1': 'MutatingWebhookConfiguration ValidatingAdmissionPolicy ValidatingAdmissionPolicyBinding ValidatingWebhookConfiguration',
  'internal.apiserver.k8s.io/v1alpha1': 'StorageVersion',
  'apps/v1': 'ControllerRevision DaemonSet Deployment ReplicaSet StatefulSet',
  'apps/v1beta1': 'ControllerRevision Deployment DeploymentRollback Scale StatefulSet',
  'apps/v1beta2': 'ControllerRevision DaemonSet Deployment ReplicaSet Scale StatefulSet',
  'authentication.k8s.io/v1': 'SelfSubjectReview TokenRequest TokenReview',
  'authentication.k8s.io/v1alpha1': 'SelfSubjectReview',
  'authentication.k8s.io/v1beta1': 'SelfSubjectReview TokenReview',
  'authorization.k8s.io/v1': 'LocalSubjectAccessReview SelfSubjectAccessReview SelfSubjectRulesReview SubjectAccessReview',
  'authorization.k8s.io/v1beta1': 'LocalSubjectAccessReview SelfSubjectAccessReview SelfSubjectRulesReview SubjectAccessReview',
  'autoscaling/v1': 'HorizontalPodAutoscaler Scale',
  'autoscaling/v2': 'HorizontalPodAutoscaler',
  'autoscaling/v2beta1': 'HorizontalPodAutoscaler',
  'autoscaling/v2beta2': 'HorizontalPodAutoscaler',
  'batch/v1': 'CronJob Job',
  'batch/v1beta1': 'CronJob',
  'certificates.k8s.io/v1': 'CertificateSigningRequest',
  'certificates.k8s.io/v1alpha1': 'ClusterTrustBundle',
  'certificates.k8s.io/v1beta1': 'CertificateSigningRequest',
  'coordination.k8s.io/v1': 'Lease',
  'coordination.k8s.io/v1alpha2': 'LeaseCandidate',
  'coordination.k8s.io/v1beta1': 'Lease',
  'v1': 'APIGroup APIResourceList APIVersions Binding ComponentStatus ConfigMap Endpoints Event LimitRange Namespace Node NodeProxyOptions PersistentVolume PersistentVolumeClaim Pod PodAttachOptions PodExecOptions PodLogOptions PodPortForwardOptions PodProxyOptions PodStatusResult PodTemplate RangeAllocation ReplicationController ResourceQuota Secret SerializedReference Service ServiceAccount ServiceProxyOptions Status List',
  'discovery.k8s.io/v1': 'EndpointSlice',
  'discovery.k8s.io/v1beta1': 'EndpointSlice',
  'events.k8s.io/v1': 'Event',
  'events.k8s.io/v1beta1': 'Event',
  'extensions/v1beta1': 'DaemonSet Deployment DeploymentRollback Ingress NetworkPolicy ReplicaSet Scale',
  'flowcontrol.apiserver.k8s.io/v1': 'FlowSchema PriorityLevelConfiguration',
  'flowcontrol.apiserver.k8s.io/v1beta1': 'FlowSchema PriorityLevelConfiguration',
  'flowcontrol.apiserver.k8s.io/v1beta2': 'FlowSchema PriorityLevelConfiguration',
  'flowcontrol.apiserver.k8s.io/v1beta3': 'FlowSchema PriorityLevelConfiguration',
  'imagepolicy.k8s.io/v1alpha1': 'ImageReview',
  'networking.k8s.io/v1': 'Ingress IngressClass NetworkPolicy',
  'networking.k8s.io/v1alpha1': 'IPAddress ServiceCIDR',
  'networking.k8s.io/v1beta1': 'IPAddress Ingress IngressClass ServiceCIDR',
  'node.k8s.io/v1': 'RuntimeClass',
  'node.k8s.io/v1alpha1': 'RuntimeClass',
  'node.k8s.io/v1beta1': 'RuntimeClass',
  'policy/v1': 'Eviction PodDisruptionBudget',
  'policy/v1beta1': 'Eviction PodDisruptionBudget',
  'rbac.authorization.k8s.io/v1': 'ClusterRole ClusterRoleBinding Role RoleBinding',
  'rbac.authorization.k8s.io/v1alpha1': 'ClusterRole ClusterRoleBinding Role RoleBinding',
  'rbac.authorization.k8s.io/v1beta1': 'ClusterRole ClusterRoleBinding Role RoleBinding',
  'resource.k8s.io/v1alpha3': 'DeviceClass ResourceClaim ResourceClaimTemplate ResourceSlice',
  'resource.k8s.io/v1beta1': 'DeviceClass ResourceClaim ResourceClaimTemplate ResourceSlice',
  'scheduling.k8s.io/v1': 'PriorityClass',
  'scheduling.k8s.io/v1alpha1': 'PriorityClass',
  'scheduling.k8s.io/v1beta1': 'PriorityClass',
  'storage.k8s.io/v1': 'CSIDriver CSINode CSIStorageCapacity StorageClass VolumeAttachment',
  'storage.k8s.io/v1alpha1': 'CSIStorageCapacity VolumeAttachment VolumeAttributesClass',
  'storage.k8s.io/v1beta1': 'CSIDriver CSINode CSIStorageCapacity StorageClass VolumeAttachment VolumeAttributesClass',
  'storagemigration.k8s.io/v1alpha1': 'StorageVersionMigration',
};

/** What metav1.AddToGroupVersion registers in every group version. */
const everyGroupVersion = ['WatchEvent', 'ListOptions', 'GetOptions', 'DeleteOptions', 'CreateOptions', 'UpdateOptions', 'PatchOptions'];

const known = new Map<string, Set<string>>(
  Object.entries(kindsByGroupVersion).map(([gv, kinds]) => {
    const names = kinds.split(' ');
    return [gv, new Set([...names, ...names.map((k) => `${k}List`), ...everyGroupVersion])];
  }),
);

/** Whether the scheme has group version `gv` (`apps/v1`, `v1` for the core group) at all. */
export function legacySchemeHasGroupVersion(gv: string): boolean {
  return known.has(gv);
}

/** Whether the scheme can decode `kind` of group version `gv`. */
export function legacySchemeKnows(gv: string, kind: string): boolean {
  return known.get(gv)?.has(kind) ?? false;
}

/**
 * Where a group's kinds convert to: the package of its internal types (`pkg/apis/<package>`). Mostly the group's
 * first label; events.k8s.io has no internal types of its own (its Event is the core group's), and extensions and
 * apps register some of other groups' (their Scale is autoscaling's, extensions' workloads are apps').
 */
const internalPackageOfGroup: Record<string, string> = { '': 'core', 'events.k8s.io': 'core', 'internal.apiserver.k8s.io': 'apiserverinternal' };
const internalPackageOfKind: Record<string, Record<string, string>> = {
  apps: { Scale: 'autoscaling' },
  extensions: { DaemonSet: 'apps', Deployment: 'apps', DeploymentRollback: 'apps', ReplicaSet: 'apps', Ingress: 'networking', NetworkPolicy: 'networking', Scale: 'autoscaling' },
};

/** The kinds metav1.AddToGroupVersion registers: their Go types are the meta/v1 package's, whatever the group. */
const metaKinds = new Set(everyGroupVersion);

/**
 * The internal type a kind of group `group` converts to, as reflection prints it (`apps.Deployment`, `core.Event`
 * for an events.k8s.io Event): two kinds decode into each other's resources exactly when these are the same.
 */
export function legacyInternalType(group: string, kind: string): string {
  const base = kind.endsWith('List') ? kind.slice(0, -'List'.length) : kind;
  const pkg = internalPackageOfKind[group]?.[base] ?? internalPackageOfGroup[group] ?? group.split('.')[0];
  return `${pkg}.${kind}`;
}

/** A known kind's versioned Go type as reflection prints it (`v1beta2.ReplicaSet`, `v1.DeleteOptions`). */
export function legacyVersionedType(version: string, kind: string): string {
  return `${metaKinds.has(kind) ? 'v1' : version}.${kind}`;
}
