/** Computed `kubectl get` columns of apps/v1 kinds, as upstream's printers show them. */
import { labelSelectorFromObject } from '../../../runtime/machinery/selectors.ts';
import type { Deployment } from './deployment.ts';
import type { StatefulSet } from './statefulset.ts';

type WithPodTemplate = { spec?: { template?: { spec?: { containers?: Array<{ name?: string; image?: string }> } } } };

const containerNames = (obj: WithPodTemplate) => (obj.spec?.template?.spec?.containers ?? []).map((c) => c.name ?? '').join(',');
const containerImages = (obj: WithPodTemplate) => (obj.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '').join(',');

/** `ready/desired` replicas, e.g. 2/3. */
export function print_Deployment_ready(obj: Deployment): string {
  return `${obj.status?.readyReplicas ?? 0}/${obj.spec?.replicas ?? 0}`;
}

export function print_Deployment_containers(obj: Deployment): string {
  return containerNames(obj);
}

export function print_Deployment_images(obj: Deployment): string {
  return containerImages(obj);
}

export function print_Deployment_selector(obj: Deployment): string {
  return labelSelectorFromObject(obj.spec?.selector).toString();
}

export function print_StatefulSet_ready(obj: StatefulSet): string {
  return `${obj.status?.readyReplicas ?? 0}/${obj.spec?.replicas ?? 0}`;
}

export function print_StatefulSet_containers(obj: StatefulSet): string {
  return containerNames(obj);
}

export function print_StatefulSet_images(obj: StatefulSet): string {
  return containerImages(obj);
}
