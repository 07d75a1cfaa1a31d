/**
 * The default RBAC policy kube-apiserver v1.32 creates (upstream's bootstrappolicy; the expected objects are its
 * testdata cluster-roles.yaml, cluster-role-bindings.yaml, namespace-roles.yaml, namespace-role-bindings.yaml).
 * Data only: the post-start hook in bootstrap.ts writes and reconciles it. Roles of features that are off by
 * default in v1.32 (cluster-roles-featuregates.yaml, controller-roles-featuregates.yaml) are not included.
 */
import type { StoredObject } from '../../../storage/store.ts';
import type { PolicyRule } from './rules.ts';

const words = (s: string): string[] => (s === '' ? [''] : s.split(' '));

/** A resource rule: space-separated verbs, groups ('' is the core group) and resources. */
function r(verbs: string, groups: string, resources: string, names?: string): PolicyRule {
  const rule: PolicyRule = { verbs: words(verbs), apiGroups: groups === '' ? [''] : words(groups), resources: words(resources) };
  if (names) rule.resourceNames = words(names);
  return rule;
}
/** A non-resource rule. */
function u(verbs: string, urls: string): PolicyRule {
  return { verbs: words(verbs), nonResourceURLs: words(urls) };
}
/** The core group plus another, for rules upstream writes with `apiGroups: ["", "events.k8s.io"]`. */
function rg(verbs: string, groups: string[], resources: string): PolicyRule {
  return { verbs: words(verbs), apiGroups: groups, resources: words(resources) };
}

const RW = 'create delete deletecollection get list patch update watch';
const W = 'create delete deletecollection patch update';
const R = 'get list watch';
const eventsWrite = rg('create patch update', ['', 'events.k8s.io'], 'events');

export const bootstrapLabel = { 'kubernetes.io/bootstrapping': 'rbac-defaults' };
export const autoupdateAnnotation = 'rbac.authorization.kubernetes.io/autoupdate';

function meta(name: string, namespace?: string, labels: Record<string, string> = {}): StoredObject {
  return { name, ...(namespace ? { namespace } : {}), labels: { ...bootstrapLabel, ...labels }, annotations: { [autoupdateAnnotation]: 'true' } };
}

function clusterRole(name: string, rules: PolicyRule[], extra: { labels?: Record<string, string>; aggregateFrom?: string } = {}): StoredObject {
  const obj: StoredObject = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: meta(name, undefined, extra.labels), rules };
  if (extra.aggregateFrom) obj.aggregationRule = { clusterRoleSelectors: [{ matchLabels: { [extra.aggregateFrom]: 'true' } }] };
  return obj;
}

const aggregateTo = (role: string) => `rbac.authorization.k8s.io/aggregate-to-${role}`;

export const clusterRoles: StoredObject[] = [
  clusterRole('admin', [], { aggregateFrom: aggregateTo('admin') }),
  clusterRole('cluster-admin', [r('*', '*', '*'), u('*', '*')]),
  clusterRole('edit', [], { aggregateFrom: aggregateTo('edit'), labels: { [aggregateTo('admin')]: 'true' } }),
  clusterRole('system:aggregate-to-admin', [r('create', 'authorization.k8s.io', 'localsubjectaccessreviews'), r(RW, 'rbac.authorization.k8s.io', 'rolebindings roles')], {
    labels: { [aggregateTo('admin')]: 'true' },
  }),
  clusterRole(
    'system:aggregate-to-edit',
    [
      r(R, '', 'pods/attach pods/exec pods/portforward pods/proxy secrets services/proxy'),
      r('impersonate', '', 'serviceaccounts'),
      r(W, '', 'pods pods/attach pods/exec pods/portforward pods/proxy'),
      r('create', '', 'pods/eviction'),
      r(W, '', 'configmaps events persistentvolumeclaims replicationcontrollers replicationcontrollers/scale secrets serviceaccounts services services/proxy'),
      r('create', '', 'serviceaccounts/token'),
      r(W, 'apps', 'daemonsets deployments deployments/rollback deployments/scale replicasets replicasets/scale statefulsets statefulsets/scale'),
      r(W, 'autoscaling', 'horizontalpodautoscalers'),
      r(W, 'batch', 'cronjobs jobs'),
      r(W, 'extensions', 'daemonsets deployments deployments/rollback deployments/scale ingresses networkpolicies replicasets replicasets/scale replicationcontrollers/scale'),
      r(W, 'policy', 'poddisruptionbudgets'),
      r(W, 'networking.k8s.io', 'ingresses networkpolicies'),
      r(RW, 'coordination.k8s.io', 'leases'),
    ],
    { labels: { [aggregateTo('edit')]: 'true' } },
  ),
  clusterRole(
    'system:aggregate-to-view',
    [
      r(R, '', 'configmaps endpoints persistentvolumeclaims persistentvolumeclaims/status pods replicationcontrollers replicationcontrollers/scale serviceaccounts services services/status'),
      r(R, '', 'bindings events limitranges namespaces/status pods/log pods/status replicationcontrollers/status resourcequotas resourcequotas/status'),
      r(R, '', 'namespaces'),
      r(R, 'discovery.k8s.io', 'endpointslices'),
      r(R, 'apps', 'controllerrevisions daemonsets daemonsets/status deployments deployments/scale deployments/status replicasets replicasets/scale replicasets/status statefulsets statefulsets/scale statefulsets/status'),
      r(R, 'autoscaling', 'horizontalpodautoscalers horizontalpodautoscalers/status'),
      r(R, 'batch', 'cronjobs cronjobs/status jobs jobs/status'),
      r(R, 'extensions', 'daemonsets daemonsets/status deployments deployments/scale deployments/status ingresses ingresses/status networkpolicies replicasets replicasets/scale replicasets/status replicationcontrollers/scale'),
      r(R, 'policy', 'poddisruptionbudgets poddisruptionbudgets/status'),
      r(R, 'networking.k8s.io', 'ingresses ingresses/status networkpolicies'),
    ],
    { labels: { [aggregateTo('view')]: 'true' } },
  ),
  clusterRole('system:auth-delegator', [r('create', 'authentication.k8s.io', 'tokenreviews'), r('create', 'authorization.k8s.io', 'subjectaccessreviews')]),
  clusterRole('system:basic-user', [r('create', 'authorization.k8s.io', 'selfsubjectaccessreviews selfsubjectrulesreviews'), r('create', 'authentication.k8s.io', 'selfsubjectreviews')]),
  clusterRole('system:certificates.k8s.io:certificatesigningrequests:nodeclient', [r('create', 'certificates.k8s.io', 'certificatesigningrequests/nodeclient')]),
  clusterRole('system:certificates.k8s.io:certificatesigningrequests:selfnodeclient', [r('create', 'certificates.k8s.io', 'certificatesigningrequests/selfnodeclient')]),
  clusterRole('system:certificates.k8s.io:kube-apiserver-client-approver', [r('approve', 'certificates.k8s.io', 'signers', 'kubernetes.io/kube-apiserver-client')]),
  clusterRole('system:certificates.k8s.io:kube-apiserver-client-kubelet-approver', [r('approve', 'certificates.k8s.io', 'signers', 'kubernetes.io/kube-apiserver-client-kubelet')]),
  clusterRole('system:certificates.k8s.io:kubelet-serving-approver', [r('approve', 'certificates.k8s.io', 'signers', 'kubernetes.io/kubelet-serving')]),
  clusterRole('system:certificates.k8s.io:legacy-unknown-approver', [r('approve', 'certificates.k8s.io', 'signers', 'kubernetes.io/legacy-unknown')]),
  clusterRole('system:discovery', [u('get', '/api /api/* /apis /apis/* /healthz /livez /openapi /openapi/* /readyz /version /version/')]),
  clusterRole('system:heapster', [r(R, '', 'events namespaces nodes pods'), r(R, 'extensions', 'deployments')]),
  clusterRole('system:kube-aggregator', [r(R, '', 'endpoints services')]),
  clusterRole('system:kube-controller-manager', [
    eventsWrite,
    r('create', 'coordination.k8s.io', 'leases'),
    r('get update', 'coordination.k8s.io', 'leases', 'kube-controller-manager'),
    r('create', '', 'secrets serviceaccounts'),
    r('delete', '', 'secrets'),
    r('get', '', 'configmaps namespaces secrets serviceaccounts'),
    r('update', '', 'secrets serviceaccounts'),
    r('create', 'authentication.k8s.io', 'tokenreviews'),
    r('create', 'authorization.k8s.io', 'subjectaccessreviews'),
    r('list watch', '*', '*'),
    r('create', '', 'serviceaccounts/token'),
  ]),
  clusterRole('system:kube-dns', [r('list watch', '', 'endpoints services')]),
  clusterRole('system:kube-scheduler', [
    eventsWrite,
    r('create', 'coordination.k8s.io', 'leases'),
    r('get update', 'coordination.k8s.io', 'leases', 'kube-scheduler'),
    r(R, '', 'nodes'),
    r('delete get list watch', '', 'pods'),
    r('create', '', 'bindings pods/binding'),
    r('patch update', '', 'pods/status'),
    r(R, '', 'replicationcontrollers services'),
    r(R, 'apps extensions', 'replicasets'),
    r(R, 'apps', 'statefulsets'),
    r(R, 'policy', 'poddisruptionbudgets'),
    r(R, '', 'persistentvolumeclaims persistentvolumes'),
    r('create', 'authentication.k8s.io', 'tokenreviews'),
    r('create', 'authorization.k8s.io', 'subjectaccessreviews'),
    r(R, 'storage.k8s.io', 'csinodes'),
    // v1.32's CSI volume limits count VolumeAttachments too (kubernetes#127757).
    r(R, 'storage.k8s.io', 'volumeattachments'),
    r(R, '', 'namespaces'),
    r(R, 'storage.k8s.io', 'csidrivers'),
    r(R, 'storage.k8s.io', 'csistoragecapacities'),
  ]),
  clusterRole('system:kubelet-api-admin', [r(R, '', 'nodes'), r('proxy', '', 'nodes'), r('*', '', 'nodes/log nodes/metrics nodes/proxy nodes/stats')]),
  clusterRole('system:monitoring', [u('get', '/healthz /healthz/* /livez /livez/* /metrics /metrics/slis /readyz /readyz/*')]),
  clusterRole('system:node', [
    r('create', 'authentication.k8s.io', 'tokenreviews'),
    r('create', 'authorization.k8s.io', 'localsubjectaccessreviews subjectaccessreviews'),
    r(R, '', 'services'),
    r('create get list watch', '', 'nodes'),
    r('patch update', '', 'nodes/status'),
    r('patch update', '', 'nodes'),
    r('create patch update', '', 'events'),
    r(R, '', 'pods'),
    r('create delete', '', 'pods'),
    r('patch update', '', 'pods/status'),
    r('create', '', 'pods/eviction'),
    r(R, '', 'configmaps secrets'),
    r('get', '', 'persistentvolumeclaims persistentvolumes'),
    r('get', '', 'endpoints'),
    r('create get list watch', 'certificates.k8s.io', 'certificatesigningrequests'),
    r('create delete get patch update', 'coordination.k8s.io', 'leases'),
    r('get', 'storage.k8s.io', 'volumeattachments'),
    r('create', '', 'serviceaccounts/token'),
    r('get patch update', '', 'persistentvolumeclaims/status'),
    r(R, 'storage.k8s.io', 'csidrivers'),
    r('create delete get patch update', 'storage.k8s.io', 'csinodes'),
    r(R, 'node.k8s.io', 'runtimeclasses'),
  ]),
  clusterRole('system:node-bootstrapper', [r('create get list watch', 'certificates.k8s.io', 'certificatesigningrequests')]),
  clusterRole('system:node-problem-detector', [r('get', '', 'nodes'), r('patch', '', 'nodes/status'), eventsWrite]),
  clusterRole('system:node-proxier', [r('list watch', '', 'endpoints services'), r(R, '', 'nodes'), eventsWrite, r('list watch', 'discovery.k8s.io', 'endpointslices')]),
  clusterRole('system:persistent-volume-provisioner', [
    r('create delete get list watch', '', 'persistentvolumes'),
    r('get list update watch', '', 'persistentvolumeclaims'),
    r(R, 'storage.k8s.io', 'storageclasses'),
    r('watch', '', 'events'),
    eventsWrite,
  ]),
  clusterRole('system:public-info-viewer', [u('get', '/healthz /livez /readyz /version /version/')]),
  clusterRole('system:service-account-issuer-discovery', [u('get', '/.well-known/openid-configuration /openid/v1/jwks')]),
  clusterRole('system:volume-scheduler', [r('get list patch update watch', '', 'persistentvolumes'), r(R, 'storage.k8s.io', 'storageclasses'), r('get list patch update watch', '', 'persistentvolumeclaims')]),
  clusterRole('view', [], { aggregateFrom: aggregateTo('view'), labels: { [aggregateTo('edit')]: 'true' } }),
];

const rbacGroup = 'rbac.authorization.k8s.io';
const user = (name: string) => ({ apiGroup: rbacGroup, kind: 'User', name });
const group = (name: string) => ({ apiGroup: rbacGroup, kind: 'Group', name });
const sa = (namespace: string, name: string) => ({ kind: 'ServiceAccount', name, namespace });

function clusterRoleBinding(name: string, subjects: StoredObject[], role = name): StoredObject {
  const obj: StoredObject = { apiVersion: `${rbacGroup}/v1`, kind: 'ClusterRoleBinding', metadata: meta(name), roleRef: { apiGroup: rbacGroup, kind: 'ClusterRole', name: role } };
  if (subjects.length) obj.subjects = subjects;
  return obj;
}

export const clusterRoleBindings: StoredObject[] = [
  clusterRoleBinding('cluster-admin', [group('system:masters')]),
  clusterRoleBinding('system:basic-user', [group('system:authenticated')]),
  clusterRoleBinding('system:discovery', [group('system:authenticated')]),
  clusterRoleBinding('system:kube-controller-manager', [user('system:kube-controller-manager')]),
  clusterRoleBinding('system:kube-dns', [sa('kube-system', 'kube-dns')]),
  clusterRoleBinding('system:kube-scheduler', [user('system:kube-scheduler')]),
  clusterRoleBinding('system:monitoring', [group('system:monitoring')]),
  // No subjects: nodes are authorized by the Node authorizer; the binding exists so it can be reconciled.
  clusterRoleBinding('system:node', []),
  clusterRoleBinding('system:node-proxier', [user('system:kube-proxy')]),
  clusterRoleBinding('system:public-info-viewer', [group('system:authenticated'), group('system:unauthenticated')]),
  clusterRoleBinding('system:service-account-issuer-discovery', [group('system:serviceaccounts')]),
  clusterRoleBinding('system:volume-scheduler', [user('system:kube-scheduler')]),
];

function role(namespace: string, name: string, rules: PolicyRule[]): StoredObject {
  return { apiVersion: `${rbacGroup}/v1`, kind: 'Role', metadata: meta(name, namespace), rules };
}
function roleBinding(namespace: string, name: string, roleName: string, subjects: StoredObject[]): StoredObject {
  return { apiVersion: `${rbacGroup}/v1`, kind: 'RoleBinding', metadata: meta(name, namespace), roleRef: { apiGroup: rbacGroup, kind: 'Role', name: roleName }, subjects };
}

const leaderLocking = [r('create get list update watch', 'coordination.k8s.io', 'leases'), r('create get list update watch', 'coordination.k8s.io', 'leasecandidates')];

export const namespaceRoles: StoredObject[] = [
  role('kube-public', 'system:controller:bootstrap-signer', [r(R, '', 'configmaps'), r('update', '', 'configmaps', 'cluster-info'), eventsWrite]),
  role('kube-system', 'extension-apiserver-authentication-reader', [r(R, '', 'configmaps', 'extension-apiserver-authentication')]),
  role('kube-system', 'system::leader-locking-kube-controller-manager', leaderLocking),
  role('kube-system', 'system::leader-locking-kube-scheduler', leaderLocking),
  role('kube-system', 'system:controller:bootstrap-signer', [r(R, '', 'secrets')]),
  role('kube-system', 'system:controller:cloud-provider', [r('create get list watch', '', 'configmaps')]),
  role('kube-system', 'system:controller:token-cleaner', [r('delete get list watch', '', 'secrets'), eventsWrite]),
];

export const namespaceRoleBindings: StoredObject[] = [
  roleBinding('kube-public', 'system:controller:bootstrap-signer', 'system:controller:bootstrap-signer', [sa('kube-system', 'bootstrap-signer')]),
  roleBinding('kube-system', 'system::extension-apiserver-authentication-reader', 'extension-apiserver-authentication-reader', [user('system:kube-controller-manager'), user('system:kube-scheduler')]),
  roleBinding('kube-system', 'system::leader-locking-kube-controller-manager', 'system::leader-locking-kube-controller-manager', [
    user('system:kube-controller-manager'),
    sa('kube-system', 'kube-controller-manager'),
    sa('kube-system', 'leader-election-controller'),
  ]),
  roleBinding('kube-system', 'system::leader-locking-kube-scheduler', 'system::leader-locking-kube-scheduler', [user('system:kube-scheduler'), sa('kube-system', 'kube-scheduler')]),
  roleBinding('kube-system', 'system:controller:bootstrap-signer', 'system:controller:bootstrap-signer', [sa('kube-system', 'bootstrap-signer')]),
  roleBinding('kube-system', 'system:controller:cloud-provider', 'system:controller:cloud-provider', [sa('kube-system', 'cloud-provider')]),
  roleBinding('kube-system', 'system:controller:token-cleaner', 'system:controller:token-cleaner', [sa('kube-system', 'token-cleaner')]),
];

/**
 * The roles of kube-controller-manager's controllers (controller-roles.yaml), each bound to the service account of
 * the same name in kube-system (controller-role-bindings.yaml), used with --use-service-account-credentials.
 * Controllers behind feature gates that are off by default in v1.32 are left out. The rules are v1.32.0's: the
 * `watch` verbs kubernetes#129201 and #130405 added to several of these roles came in 1.33 (and in 1.32 patch
 * releases after 1.32.0), and the Portworx plugin's `get services` stays until the plugin's removal in 1.36.
 */
const controllerRoleRules: Record<string, PolicyRule[]> = {
  'attachdetach-controller': [
    r('list watch', '', 'persistentvolumeclaims persistentvolumes'),
    r(R, '', 'nodes'),
    r('patch update', '', 'nodes/status'),
    r('list watch', '', 'pods'),
    eventsWrite,
    r('create delete get list watch', 'storage.k8s.io', 'volumeattachments'),
    r(R, 'storage.k8s.io', 'csidrivers'),
    r(R, 'storage.k8s.io', 'csinodes'),
  ],
  'certificate-controller': [
    r('delete get list watch', 'certificates.k8s.io', 'certificatesigningrequests'),
    r('update', 'certificates.k8s.io', 'certificatesigningrequests/approval certificatesigningrequests/status'),
    r('approve', 'certificates.k8s.io', 'signers', 'kubernetes.io/kube-apiserver-client-kubelet'),
    r('sign', 'certificates.k8s.io', 'signers', 'kubernetes.io/kube-apiserver-client kubernetes.io/kube-apiserver-client-kubelet kubernetes.io/kubelet-serving kubernetes.io/legacy-unknown'),
    r('create', 'authorization.k8s.io', 'subjectaccessreviews'),
    eventsWrite,
  ],
  'clusterrole-aggregation-controller': [r('escalate get list patch update watch', 'rbac.authorization.k8s.io', 'clusterroles')],
  'cronjob-controller': [
    r('get list update watch', 'batch', 'cronjobs'),
    r('create delete get list patch update watch', 'batch', 'jobs'),
    r('update', 'batch', 'cronjobs/status'),
    r('update', 'batch', 'cronjobs/finalizers'),
    r('delete list', '', 'pods'),
    eventsWrite,
  ],
  'daemon-set-controller': [
    r(R, 'apps extensions', 'daemonsets'),
    r('update', 'apps extensions', 'daemonsets/status'),
    r('update', 'apps extensions', 'daemonsets/finalizers'),
    r('list watch', '', 'nodes'),
    r('create delete list patch watch', '', 'pods'),
    r('create', '', 'pods/binding'),
    r('create delete get list patch update watch', 'apps', 'controllerrevisions'),
    eventsWrite,
  ],
  'deployment-controller': [
    r('get list update watch', 'apps extensions', 'deployments'),
    r('update', 'apps extensions', 'deployments/status'),
    r('update', 'apps extensions', 'deployments/finalizers'),
    r('create delete get list patch update watch', 'apps extensions', 'replicasets'),
    r('get list update watch', '', 'pods'),
    eventsWrite,
  ],
  'disruption-controller': [
    r(R, 'apps extensions', 'deployments'),
    r(R, 'apps extensions', 'replicasets'),
    r(R, '', 'replicationcontrollers'),
    r(R, 'policy', 'poddisruptionbudgets'),
    r(R, 'apps', 'statefulsets'),
    r('update', 'policy', 'poddisruptionbudgets/status'),
    r('patch update', '', 'pods/status'),
    r('get', '*', '*/scale'),
    eventsWrite,
  ],
  'endpoint-controller': [r(R, '', 'pods services'), r('create delete get list update', '', 'endpoints'), r('create', '', 'endpoints/restricted'), eventsWrite],
  'endpointslice-controller': [
    r(R, '', 'nodes pods services'),
    r('update', '', 'services/finalizers'),
    r('create delete get list update', 'discovery.k8s.io', 'endpointslices'),
    eventsWrite,
  ],
  'endpointslicemirroring-controller': [
    r(R, '', 'endpoints services'),
    r('update', '', 'services/finalizers'),
    r('update', '', 'endpoints/finalizers'),
    r('create delete get list update', 'discovery.k8s.io', 'endpointslices'),
    eventsWrite,
  ],
  'ephemeral-volume-controller': [r(R, '', 'pods'), r('update', '', 'pods/finalizers'), r('create get list watch', '', 'persistentvolumeclaims'), eventsWrite],
  'expand-controller': [
    r('get list patch update watch', '', 'persistentvolumes'),
    r('patch update', '', 'persistentvolumeclaims/status'),
    r(R, '', 'persistentvolumeclaims'),
    eventsWrite,
    r('get', '', 'services'),
  ],
  'generic-garbage-collector': [r('delete get list patch update watch', '*', '*'), eventsWrite],
  'horizontal-pod-autoscaler': [
    r(R, 'autoscaling', 'horizontalpodautoscalers'),
    r('update', 'autoscaling', 'horizontalpodautoscalers/status'),
    r('get update', '*', '*/scale'),
    r('list', '', 'pods'),
    r('list', 'metrics.k8s.io', 'pods'),
    r('get list', 'custom.metrics.k8s.io', '*'),
    r('get list', 'external.metrics.k8s.io', '*'),
    eventsWrite,
  ],
  'job-controller': [
    r('get list patch update watch', 'batch', 'jobs'),
    r('update', 'batch', 'jobs/status'),
    r('update', 'batch', 'jobs/finalizers'),
    r('create delete list patch watch', '', 'pods'),
    eventsWrite,
  ],
  'legacy-service-account-token-cleaner': [r('get', '', 'configmaps', 'kube-apiserver-legacy-service-account-token-tracking'), r('delete patch', '', 'secrets')],
  'namespace-controller': [r('delete get list watch', '', 'namespaces'), r('update', '', 'namespaces/finalize namespaces/status'), r('delete deletecollection get list', '*', '*')],
  'node-controller': [
    r('delete get list patch update', '', 'nodes'),
    r('patch update', '', 'nodes/status'),
    r('patch update', '', 'pods/status'),
    r('delete get list', '', 'pods'),
    eventsWrite,
  ],
  'persistent-volume-binder': [
    r('create delete get list update watch', '', 'persistentvolumes'),
    r('update', '', 'persistentvolumes/status'),
    r('get list update watch', '', 'persistentvolumeclaims'),
    r('update', '', 'persistentvolumeclaims/status'),
    r('create delete get list watch', '', 'pods'),
    r(R, 'storage.k8s.io', 'storageclasses'),
    r('list watch', '', 'nodes'),
    eventsWrite,
    r('watch', '', 'events'),
    r('get', '', 'services'),
  ],
  'pod-garbage-collector': [r('delete list watch', '', 'pods'), r('get list', '', 'nodes'), r('patch', '', 'pods/status')],
  'pv-protection-controller': [r('get list update watch', '', 'persistentvolumes'), eventsWrite],
  'pvc-protection-controller': [r('get list update watch', '', 'persistentvolumeclaims'), r(R, '', 'pods'), eventsWrite],
  'replicaset-controller': [
    r('get list update watch', 'apps extensions', 'replicasets'),
    r('update', 'apps extensions', 'replicasets/status'),
    r('update', 'apps extensions', 'replicasets/finalizers'),
    r('create delete list patch watch', '', 'pods'),
    eventsWrite,
  ],
  'replication-controller': [
    r('get list update watch', '', 'replicationcontrollers'),
    r('update', '', 'replicationcontrollers/status'),
    r('update', '', 'replicationcontrollers/finalizers'),
    r('create delete list patch watch', '', 'pods'),
    eventsWrite,
  ],
  'resourcequota-controller': [r('list watch', '*', '*'), r('update', '', 'resourcequotas/status'), eventsWrite],
  'root-ca-cert-publisher': [r('create update', '', 'configmaps'), eventsWrite],
  'route-controller': [r('list watch', '', 'nodes'), r('patch', '', 'nodes/status'), eventsWrite],
  'service-account-controller': [r('create', '', 'serviceaccounts'), eventsWrite],
  'service-controller': [r(R, '', 'services'), r('patch update', '', 'services/status'), r('list watch', '', 'nodes'), eventsWrite],
  'statefulset-controller': [
    r('list watch', '', 'pods'),
    r(R, 'apps', 'statefulsets'),
    r('update', 'apps', 'statefulsets/status'),
    r('update', 'apps', 'statefulsets/finalizers'),
    r('create delete get patch update', '', 'pods'),
    r('create delete get list patch update watch', 'apps', 'controllerrevisions'),
    r('create get list watch', '', 'persistentvolumeclaims'),
    r('delete update', '', 'persistentvolumeclaims'),
    r('update', '', 'pods/finalizers'),
    eventsWrite,
  ],
  'ttl-after-finished-controller': [r('delete get list watch', 'batch', 'jobs'), eventsWrite],
  'ttl-controller': [r('list patch update watch', '', 'nodes'), eventsWrite],
  'validatingadmissionpolicy-status-controller': [
    r(R, 'admissionregistration.k8s.io', 'validatingadmissionpolicies'),
    r('get patch update', 'admissionregistration.k8s.io', 'validatingadmissionpolicies/status'),
    eventsWrite,
  ],
};

export const controllerRoles: StoredObject[] = Object.entries(controllerRoleRules).map(([name, rules]) => clusterRole(`system:controller:${name}`, rules));

export const controllerRoleBindings: StoredObject[] = Object.keys(controllerRoleRules).map((name) =>
  clusterRoleBinding(`system:controller:${name}`, [sa('kube-system', name)]),
);
