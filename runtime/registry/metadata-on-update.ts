/**
 * Which kinds' update validation checks ObjectMeta only as upstream's ValidateObjectMetaUpdate does (names that do not
 * change, and so on), rather than re-running the kind's whole create-time ValidateX with its name format. Read from
 * kubernetes v1.32's pkg/apis/<group>/validation ValidateXUpdate: these start from ValidateObjectMetaUpdate and then
 * validate the spec alone. On such an update a generateName is held only to the registry's common rule (a path
 * segment: no '/' or '%'), not to the kind's name format. Every kind not listed re-runs its full validation
 * (ConfigMap, Secret, Service, ServiceAccount, Pod, PersistentVolume, PersistentVolumeClaim, LimitRange, ...).
 */
import type { KindRegistration } from '../machinery/registration.ts';

const metadataUpdateOnly = new Set([
  // core
  '/Namespace',
  '/Node',
  '/Endpoints',
  '/ReplicationController',
  '/PodTemplate',
  '/ResourceQuota',
  // apps
  'apps/Deployment',
  'apps/ReplicaSet',
  'apps/DaemonSet',
  'apps/StatefulSet',
  // batch
  'batch/Job',
  'batch/CronJob',
  // others
  'coordination.k8s.io/Lease',
  'storage.k8s.io/StorageClass',
  'autoscaling/HorizontalPodAutoscaler',
  'networking.k8s.io/Ingress',
  'networking.k8s.io/NetworkPolicy',
  'networking.k8s.io/IngressClass',
  'node.k8s.io/RuntimeClass',
  'scheduling.k8s.io/PriorityClass',
]);

/** 'update' when the kind's update validation runs ValidateObjectMetaUpdate alone, else 'full'. */
export function metadataOnUpdateOf(kind: KindRegistration): 'full' | 'update' {
  return metadataUpdateOnly.has(`${kind.group}/${kind.kind}`) ? 'update' : 'full';
}
