/** Computed `kubectl get` columns of apps/v1 kinds, as upstream's printers show them. */
import { containerImages, containerNames, formatLabels, formatLabelSelector } from '../../meta/v1/printer-helpers.ts';
import type { ControllerRevision } from './controllerrevision.ts';
import type { DaemonSet } from './daemonset.ts';
import type { Deployment } from './deployment.ts';
import type { ReplicaSet } from './replicaset.ts';
import type { StatefulSet } from './statefulset.ts';

type WithPodTemplate = { spec?: { template?: { spec?: { containers?: Array<{ name?: string; image?: string }> } } } };

const names = (obj: WithPodTemplate) => containerNames(obj.spec?.template?.spec);
const images = (obj: WithPodTemplate) => containerImages(obj.spec?.template?.spec);

/** `ready/desired` replicas, e.g. 2/3. */
export function print_Deployment_ready(obj: Deployment): string {
  return `${obj.status?.readyReplicas ?? 0}/${obj.spec?.replicas ?? 0}`;
}

export function print_Deployment_containers(obj: Deployment): string {
  return names(obj);
}

export function print_Deployment_images(obj: Deployment): string {
  return images(obj);
}

export function print_Deployment_selector(obj: Deployment): string {
  return formatLabelSelector(obj.spec?.selector);
}

export function print_StatefulSet_ready(obj: StatefulSet): string {
  return `${obj.status?.readyReplicas ?? 0}/${obj.spec?.replicas ?? 0}`;
}

export function print_StatefulSet_containers(obj: StatefulSet): string {
  return names(obj);
}

export function print_StatefulSet_images(obj: StatefulSet): string {
  return images(obj);
}

/** The controller owning the revision as `kind.group/name` (lower-cased kind), `<none>` without one. */
export function print_ControllerRevision_controller(obj: Partial<ControllerRevision>): string {
  const ref = obj.metadata?.ownerReferences?.find((r) => r.controller);
  if (!ref) return '<none>';
  const slash = ref.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
  return `${(group ? `${ref.kind}.${group}` : ref.kind).toLowerCase()}/${ref.name}`;
}

export function print_DaemonSet_nodeSelector(obj: Partial<DaemonSet>): string {
  return formatLabels(obj.spec?.template?.spec?.nodeSelector);
}

export function print_DaemonSet_containers(obj: Partial<DaemonSet>): string {
  return names(obj);
}

export function print_DaemonSet_images(obj: Partial<DaemonSet>): string {
  return images(obj);
}

export function print_DaemonSet_selector(obj: Partial<DaemonSet>): string {
  return formatLabelSelector(obj.spec?.selector);
}

export function print_ReplicaSet_containers(obj: Partial<ReplicaSet>): string {
  return names(obj);
}

export function print_ReplicaSet_images(obj: Partial<ReplicaSet>): string {
  return images(obj);
}

export function print_ReplicaSet_selector(obj: Partial<ReplicaSet>): string {
  return formatLabelSelector(obj.spec?.selector);
}

/** Go's printer puts the counts in string columns as integers. */
export function print_Deployment_upToDate(obj: Deployment): number {
  return obj.status?.updatedReplicas ?? 0;
}

export function print_Deployment_available(obj: Deployment): number {
  return obj.status?.availableReplicas ?? 0;
}

export function print_ControllerRevision_revision(obj: Partial<ControllerRevision>): number {
  return obj.revision ?? 0;
}
