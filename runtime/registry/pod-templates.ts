/**
 * The kinds that embed a pod template, and where (upstream's DefaultPodSpecExtractor and the strategies that call
 * DropDisabledTemplateFields): PodSecurity admission checks these templates, and the disabled-fields droppers clear them.
 */
import type { StoredObject } from '../storage/store.ts';

export interface PodTemplateHolder {
  group: string;
  kind: string;
  resource: string;
  /** The embedded PodTemplateSpec, if the object has one. */
  template(obj: StoredObject | undefined): StoredObject | undefined;
}

const inSpec = (obj: StoredObject | undefined) => obj?.spec?.template;

export const podTemplateHolders: readonly PodTemplateHolder[] = [
  { group: '', kind: 'PodTemplate', resource: 'podtemplates', template: (obj) => obj?.template },
  { group: '', kind: 'ReplicationController', resource: 'replicationcontrollers', template: inSpec },
  { group: 'apps', kind: 'ReplicaSet', resource: 'replicasets', template: inSpec },
  { group: 'apps', kind: 'Deployment', resource: 'deployments', template: inSpec },
  { group: 'apps', kind: 'StatefulSet', resource: 'statefulsets', template: inSpec },
  { group: 'apps', kind: 'DaemonSet', resource: 'daemonsets', template: inSpec },
  { group: 'batch', kind: 'Job', resource: 'jobs', template: inSpec },
  { group: 'batch', kind: 'CronJob', resource: 'cronjobs', template: (obj) => obj?.spec?.jobTemplate?.spec?.template },
];
