import type { DaemonSet } from './daemonset.ts';
import type { Deployment } from './deployment.ts';
import type { ReplicaSet } from './replicaset.ts';
import type { StatefulSet } from './statefulset.ts';

export function setDefaults_Deployment(obj: Deployment): void {
  const spec = (obj.spec ??= {} as NonNullable<Deployment['spec']>);
  if (spec.replicas == null) spec.replicas = 1;
  const strategy = (spec.strategy ??= {});
  if (!strategy.type) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    if (ru.maxUnavailable == null) ru.maxUnavailable = '25%';
    if (ru.maxSurge == null) ru.maxSurge = '25%';
  }
  if (spec.revisionHistoryLimit == null) spec.revisionHistoryLimit = 10;
  if (spec.progressDeadlineSeconds == null) spec.progressDeadlineSeconds = 600;
}

export function setDefaults_ReplicaSet(obj: ReplicaSet): void {
  const spec = (obj.spec ??= {} as NonNullable<ReplicaSet['spec']>);
  if (spec.replicas == null) spec.replicas = 1;
}

export function setDefaults_StatefulSet(obj: StatefulSet): void {
  const spec = (obj.spec ??= {} as NonNullable<StatefulSet['spec']>);
  if (!spec.podManagementPolicy) spec.podManagementPolicy = 'OrderedReady';
  const strategy = (spec.updateStrategy ??= {});
  if (!strategy.type) {
    strategy.type = 'RollingUpdate';
    strategy.rollingUpdate ??= {};
  }
  if (strategy.type === 'RollingUpdate' && strategy.rollingUpdate && strategy.rollingUpdate.partition == null) {
    strategy.rollingUpdate.partition = 0;
  }
  const retention = (spec.persistentVolumeClaimRetentionPolicy ??= {});
  if (!retention.whenDeleted) retention.whenDeleted = 'Retain';
  if (!retention.whenScaled) retention.whenScaled = 'Retain';
  if (spec.replicas == null) spec.replicas = 1;
  if (spec.revisionHistoryLimit == null) spec.revisionHistoryLimit = 10;
  // apps/v1's conversion types every claim template (a PersistentVolumeClaim) on the way out, so tools that diff
  // what they applied see no drift; done here, it also holds for objects read back from protobuf, which has no room
  // for a nested object's apiVersion and kind.
  if (spec.volumeClaimTemplates) spec.volumeClaimTemplates = spec.volumeClaimTemplates.map(({ apiVersion: _v, kind: _k, ...rest }) => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', ...rest }));
}

export function setDefaults_DaemonSet(obj: DaemonSet): void {
  const spec = (obj.spec ??= {} as NonNullable<DaemonSet['spec']>);
  const strategy = (spec.updateStrategy ??= {});
  if (!strategy.type) strategy.type = 'RollingUpdate';
  if (strategy.type === 'RollingUpdate') {
    const ru = (strategy.rollingUpdate ??= {});
    if (ru.maxUnavailable == null) ru.maxUnavailable = 1;
    if (ru.maxSurge == null) ru.maxSurge = 0;
  }
  if (spec.revisionHistoryLimit == null) spec.revisionHistoryLimit = 10;
}
