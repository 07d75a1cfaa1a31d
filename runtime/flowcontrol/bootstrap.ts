/**
 * Upstream's built-in API Priority and Fairness configuration (kube-apiserver v1.32): the mandatory objects
 * (`exempt`, `catch-all`), which the server always restores, and the suggested ones, which it creates when missing
 * and keeps up to date while their `apf.kubernetes.io/autoupdate-spec` annotation is `true`. Specs are written
 * with every default filled in, so they compare equal to what the server stores.
 */
import type { FlowSchema, FlowSchemaSpec, PolicyRulesWithSubjects, ResourcePolicyRule, Subject } from '../../apis/flowcontrol.apiserver.k8s.io/v1/flowschema.ts';
import type { PriorityLevelConfiguration, PriorityLevelConfigurationSpec } from '../../apis/flowcontrol.apiserver.k8s.io/v1/prioritylevelconfiguration.ts';

export const autoUpdateAnnotation = 'apf.kubernetes.io/autoupdate-spec';

const group = (name: string): Subject => ({ kind: 'Group', group: { name } });
const user = (name: string): Subject => ({ kind: 'User', user: { name } });
const kubeSystemSA = (name: string): Subject => ({ kind: 'ServiceAccount', serviceAccount: { namespace: 'kube-system', name } });

const allResources: ResourcePolicyRule = { verbs: ['*'], apiGroups: ['*'], resources: ['*'], clusterScope: true, namespaces: ['*'] };
const allNonResources = { verbs: ['*'], nonResourceURLs: ['*'] };

/** Every request of the given subjects. */
function everything(...subjects: Subject[]): PolicyRulesWithSubjects {
  return { subjects, resourceRules: [allResources], nonResourceRules: [allNonResources] };
}

function rule(verbs: string[], apiGroups: string[], resources: string[], namespaces: string[], clusterScope: boolean): ResourcePolicyRule {
  return { verbs, apiGroups, resources, clusterScope, namespaces };
}

function flowSchema(name: string, priorityLevel: string, matchingPrecedence: number, distinguisher: 'ByUser' | 'ByNamespace' | undefined, ...rules: PolicyRulesWithSubjects[]): FlowSchema {
  const spec: FlowSchemaSpec = { priorityLevelConfiguration: { name: priorityLevel }, matchingPrecedence, rules };
  if (distinguisher) spec.distinguisherMethod = { type: distinguisher };
  return { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'FlowSchema', metadata: { name }, spec };
}

function priorityLevel(name: string, spec: PriorityLevelConfigurationSpec): PriorityLevelConfiguration {
  return { apiVersion: 'flowcontrol.apiserver.k8s.io/v1', kind: 'PriorityLevelConfiguration', metadata: { name }, spec };
}

function queued(shares: number, lendablePercent: number, queues: number, handSize: number, queueLengthLimit: number): PriorityLevelConfigurationSpec {
  return { type: 'Limited', limited: { nominalConcurrencyShares: shares, lendablePercent, limitResponse: { type: 'Queue', queuing: { queues, handSize, queueLengthLimit } } } };
}

export const mandatoryPriorityLevels: PriorityLevelConfiguration[] = [
  priorityLevel('exempt', { type: 'Exempt', exempt: { nominalConcurrencyShares: 0, lendablePercent: 0 } }),
  priorityLevel('catch-all', { type: 'Limited', limited: { nominalConcurrencyShares: 5, lendablePercent: 0, limitResponse: { type: 'Reject' } } }),
];

export const mandatoryFlowSchemas: FlowSchema[] = [
  // Administrators can always reach the server.
  flowSchema('exempt', 'exempt', 1, undefined, everything(group('system:masters'))),
  // What no other schema matches; a small share, since global-default normally catches it first.
  flowSchema('catch-all', 'catch-all', 10000, 'ByUser', everything(group('system:unauthenticated'), group('system:authenticated'))),
];

export const suggestedPriorityLevels: PriorityLevelConfiguration[] = [
  priorityLevel('system', queued(30, 33, 64, 6, 50)),
  priorityLevel('node-high', queued(40, 25, 64, 6, 50)),
  priorityLevel('leader-election', queued(10, 0, 16, 4, 50)),
  priorityLevel('workload-high', queued(40, 50, 128, 6, 50)),
  priorityLevel('workload-low', queued(100, 90, 128, 6, 50)),
  priorityLevel('global-default', queued(20, 50, 128, 6, 50)),
];

const leaderElectionRules = (coreNamespaces: string[]): ResourcePolicyRule[] => [
  rule(['get', 'create', 'update'], [''], ['endpoints', 'configmaps'], coreNamespaces, false),
  rule(['get', 'create', 'update'], ['coordination.k8s.io'], ['leases'], ['*'], false),
];

export const suggestedFlowSchemas: FlowSchema[] = [
  flowSchema('system-nodes', 'system', 500, 'ByUser', everything(group('system:nodes'))),
  flowSchema('system-node-high', 'node-high', 400, 'ByUser', {
    subjects: [group('system:nodes')],
    resourceRules: [rule(['*'], [''], ['nodes', 'nodes/status'], ['*'], true), rule(['*'], ['coordination.k8s.io'], ['leases'], ['*'], false)],
  }),
  // Health probes never wait behind other traffic.
  flowSchema('probes', 'exempt', 2, undefined, {
    subjects: [group('system:unauthenticated'), group('system:authenticated')],
    nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/readyz', '/livez'] }],
  }),
  flowSchema('system-leader-election', 'leader-election', 100, 'ByUser', {
    subjects: [user('system:kube-controller-manager'), user('system:kube-scheduler'), kubeSystemSA('*')],
    resourceRules: leaderElectionRules(['kube-system']),
  }),
  flowSchema('endpoint-controller', 'workload-high', 150, 'ByUser', {
    subjects: [user('system:kube-controller-manager'), kubeSystemSA('endpoint-controller'), kubeSystemSA('endpointslicemirroring-controller')],
    resourceRules: [rule(['get', 'create', 'update', 'delete'], [''], ['endpoints'], ['*'], false)],
  }),
  flowSchema('workload-leader-election', 'leader-election', 200, 'ByUser', { subjects: [kubeSystemSA('*')], resourceRules: leaderElectionRules(['*']) }),
  flowSchema('kube-controller-manager', 'workload-high', 800, 'ByNamespace', everything(user('system:kube-controller-manager'))),
  flowSchema('kube-scheduler', 'workload-high', 800, 'ByNamespace', everything(user('system:kube-scheduler'))),
  flowSchema('kube-system-service-accounts', 'workload-high', 900, 'ByNamespace', everything(kubeSystemSA('*'))),
  flowSchema('service-accounts', 'workload-low', 9000, 'ByUser', everything(group('system:serviceaccounts'))),
  flowSchema('global-default', 'global-default', 9900, 'ByUser', everything(group('system:unauthenticated'), group('system:authenticated'))),
];

const mandatoryFlowSchemaSpecs = new Map(mandatoryFlowSchemas.map((fs) => [fs.metadata!.name!, fs.spec!]));
const mandatoryPriorityLevelSpecs = new Map(mandatoryPriorityLevels.map((pl) => [pl.metadata!.name!, pl.spec!]));

/** The fixed spec of a mandatory FlowSchema, or undefined for any other name. */
export function mandatoryFlowSchemaSpec(name: string): FlowSchemaSpec | undefined {
  return mandatoryFlowSchemaSpecs.get(name);
}

/** The fixed spec of a mandatory PriorityLevelConfiguration, or undefined for any other name. */
export function mandatoryPriorityLevelSpec(name: string): PriorityLevelConfigurationSpec | undefined {
  return mandatoryPriorityLevelSpecs.get(name);
}

/**
 * Whether a priority level's spec is the built-in one in what the server owns: the `exempt` level's `spec.exempt`
 * (its shares and lendable percent) is the admin's to tune, so it is left out of the comparison.
 */
export function priorityLevelSpecIsBuiltIn(name: string, spec: PriorityLevelConfigurationSpec | undefined, builtIn: PriorityLevelConfigurationSpec): boolean {
  return specEqual(name === 'exempt' ? { ...spec, exempt: builtIn.exempt } : spec, builtIn);
}

/**
 * Deep equality of two decoded JSON values where an absent field, `null`, `false`, `0`, `""` and `[]` count as
 * the same (Go's zero values), as upstream's semantic equality of specs sees them.
 */
export function specEqual(a: unknown, b: unknown): boolean {
  const zero = (v: unknown) => v === undefined || v === null || v === false || v === 0 || v === '' || (Array.isArray(v) && v.length === 0);
  if (zero(a) && zero(b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => specEqual(x, b[i]));
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) if (!specEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
    return true;
  }
  return a === b;
}
