/**
 * Quota evaluators, as upstream's pkg/quota/v1/evaluator/core and the generic object-count evaluator: for one kind,
 * which quota resource names it is charged against, what one object uses, which scopes it matches, and which
 * operations change its usage. Shared by the ResourceQuota admission plug-in (charging each write) and the
 * ResourceQuota controller (computing usage from the stored objects).
 */
import type { StoredObject } from '../../../storage/store.ts';
import { add, amount, max, type ResourceList } from './resources.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ScopeRequirement {
  scopeName: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[];
}

export interface Evaluator {
  group: string;
  resource: string;
  /** The resource names in `names` this evaluator charges (from a quota's hard list). */
  matchingResources(names: readonly string[]): string[];
  /** What one object uses. */
  usage(obj: StoredObject): ResourceList;
  /** Whether a quota scope requirement matches the object; kinds without scopes match none. */
  matchesScope(req: ScopeRequirement, obj: StoredObject): boolean;
  /** Whether a write with this operation can change usage. */
  handles(operation: string): boolean;
  /** Why the object cannot be charged against `required` (pods must state cpu/memory a quota tracks), or ''. */
  constraints(required: readonly string[], obj: StoredObject): string;
  /**
   * For kinds whose stored objects can come to use less without admission seeing it (a pod that finished, a
   * service that stopped being a load balancer): a short string of what decides that. The controller recounts
   * after an update only when it changed (upstream's quota monitor update filter). Kinds without it are recounted
   * when an object goes away, never on updates: admission charges their growth.
   */
  replenishSignature?(obj: StoredObject): string;
}

/** `count/<resource>` for the core group, `count/<resource>.<group>` for others. */
export function objectCountName(group: string, resource: string): string {
  return group ? `count/${resource}.${group}` : `count/${resource}`;
}

/** Object counts named without `count/`, kept from before `count/*` existed. */
const legacyCountNames: Record<string, string> = {
  '/pods': 'pods',
  '/services': 'services',
  '/replicationcontrollers': 'replicationcontrollers',
  '/resourcequotas': 'resourcequotas',
  '/secrets': 'secrets',
  '/configmaps': 'configmaps',
  '/persistentvolumeclaims': 'persistentvolumeclaims',
};

/** Any namespaced resource: one object counts once under `count/...` (and its legacy name); created only. */
export function objectCountEvaluator(group: string, resource: string): Evaluator {
  const names = [objectCountName(group, resource), legacyCountNames[`${group}/${resource}`]].filter(Boolean) as string[];
  return {
    group,
    resource,
    matchingResources: (hard) => hard.filter((n) => names.includes(n)),
    usage: () => Object.fromEntries(names.map((n) => [n, '1'])),
    matchesScope: () => false,
    handles: (op) => op === 'CREATE',
    constraints: () => '',
  };
}

// --- pods ----------------------------------------------------------------------------------------------------------

const podComputeNames = ['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'ephemeral-storage', 'requests.ephemeral-storage', 'limits.ephemeral-storage'];
const podNames = new Set(['pods', 'count/pods', ...podComputeNames]);
/** Resources a pod's containers must state when a quota tracks them (a historical coupling upstream keeps). */
const constrainedNames = new Set(['cpu', 'memory', 'requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory']);

const isExtendedRequest = (n: string) => n.startsWith('requests.') && n.includes('/');
const isHugePages = (n: string) => n.startsWith('hugepages-') || n.startsWith('requests.hugepages-') || n.startsWith('limits.hugepages-');

/** requests/limits of a container (or a pod's sum) as quota resource names. */
function computeUsage(requests: ResourceList, limits: ResourceList): ResourceList {
  const out: ResourceList = { pods: '1' };
  for (const r of ['cpu', 'memory', 'ephemeral-storage']) {
    if (r in requests) {
      out[r] = requests[r];
      out[`requests.${r}`] = requests[r];
    }
    if (r in limits) out[`limits.${r}`] = limits[r];
  }
  for (const [k, v] of Object.entries(requests)) {
    if (k.startsWith('hugepages-')) {
      out[k] = v;
      out[`requests.${k}`] = v;
    } else if (k.includes('/')) out[`requests.${k}`] = v;
  }
  for (const [k, v] of Object.entries(limits)) if (k.startsWith('hugepages-')) out[`limits.${k}`] = v;
  return out;
}

const resourcesOf = (c: Json): { requests: ResourceList; limits: ResourceList } => ({ requests: c.resources?.requests ?? {}, limits: c.resources?.limits ?? {} });

/** Terminal pods, and pods whose grace period has run out, no longer use compute resources. */
function podCountsCompute(pod: Json): boolean {
  const phase = pod.status?.phase;
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  const deletion = pod.metadata?.deletionTimestamp;
  if (deletion) {
    const grace = Number(pod.metadata?.deletionGracePeriodSeconds ?? 0);
    if (Date.parse(deletion) + grace * 1000 < Date.now()) return false;
  }
  return true;
}

export function podUsage(pod: Json): ResourceList {
  const result: ResourceList = { 'count/pods': '1' };
  if (!podCountsCompute(pod)) return result;
  let requests: ResourceList = {};
  let limits: ResourceList = {};
  for (const c of (pod.spec?.containers ?? []) as Json[]) {
    const r = resourcesOf(c);
    requests = add(requests, r.requests);
    limits = add(limits, r.limits);
  }
  // Init containers run one at a time before the others: the largest one counts against the sum of the rest.
  for (const c of (pod.spec?.initContainers ?? []) as Json[]) {
    const r = resourcesOf(c);
    requests = max(requests, r.requests);
    limits = max(limits, r.limits);
  }
  if (pod.spec?.overhead) {
    requests = add(requests, pod.spec.overhead);
    limits = add(limits, pod.spec.overhead);
  }
  return { ...result, ...computeUsage(requests, limits) };
}

const isBestEffort = (pod: Json): boolean =>
  [...((pod.spec?.containers ?? []) as Json[]), ...((pod.spec?.initContainers ?? []) as Json[])].every((c) => {
    const { requests, limits } = resourcesOf(c);
    return !['cpu', 'memory'].some((r) => r in requests || r in limits);
  });
const isTerminating = (pod: Json): boolean => typeof pod.spec?.activeDeadlineSeconds === 'number' && pod.spec.activeDeadlineSeconds >= 0;

function podMatchesScope(req: ScopeRequirement, pod: Json): boolean {
  switch (req.scopeName) {
    case 'Terminating':
      return isTerminating(pod);
    case 'NotTerminating':
      return !isTerminating(pod);
    case 'BestEffort':
      return isBestEffort(pod);
    case 'NotBestEffort':
      return !isBestEffort(pod);
    case 'PriorityClass': {
      const name = pod.spec?.priorityClassName;
      const has = typeof name === 'string' && name !== '';
      switch (req.operator) {
        case 'Exists':
          return has;
        case 'DoesNotExist':
          return !has;
        case 'In':
          return (req.values ?? []).includes(name ?? '');
        case 'NotIn':
          return !(req.values ?? []).includes(name ?? '');
      }
      return false;
    }
    case 'CrossNamespacePodAffinity': {
      const terms = [
        ...((pod.spec?.affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) as Json[]),
        ...((pod.spec?.affinity?.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) as Json[]).map((t) => t.podAffinityTerm ?? {}),
        ...((pod.spec?.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []) as Json[]),
        ...((pod.spec?.affinity?.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) as Json[]).map((t) => t.podAffinityTerm ?? {}),
      ];
      return terms.some((t) => (t.namespaces?.length ?? 0) > 0 || t.namespaceSelector !== undefined);
    }
    default:
      return false;
  }
}

export const podEvaluator: Evaluator = {
  group: '',
  resource: 'pods',
  matchingResources: (hard) => hard.filter((n) => podNames.has(n) || isHugePages(n) || isExtendedRequest(n)),
  usage: (pod) => podUsage(pod),
  matchesScope: (req, pod) => podMatchesScope(req, pod),
  handles: (op) => op === 'CREATE',
  // Turning terminal (or outliving its grace period) frees compute; gaining or losing a deadline moves it between
  // the Terminating and NotTerminating scopes. Shared literals, so a remembered signature costs no string.
  replenishSignature: (pod) => (podCountsCompute(pod) ? (isTerminating(pod) ? 'counted,terminating' : 'counted') : isTerminating(pod) ? 'terminal,terminating' : 'terminal'),
  constraints(required, pod) {
    const needed = required.filter((r) => constrainedNames.has(r));
    if (!needed.length) return '';
    const missing = new Map<string, string[]>();
    for (const c of [...((pod.spec?.containers ?? []) as Json[]), ...((pod.spec?.initContainers ?? []) as Json[])]) {
      const { requests, limits } = resourcesOf(c);
      const has = new Set(Object.keys(computeUsage(requests, limits)));
      for (const r of needed) if (!has.has(r)) missing.set(r, [...(missing.get(r) ?? []), String(c.name ?? '')]);
    }
    if (!missing.size) return '';
    const parts = [...missing.keys()].sort().map((r) => `${r} for: ${[...new Set(missing.get(r))].sort().join(',')}`);
    return `must specify ${parts.join('; ')}`;
  },
};

// --- services ------------------------------------------------------------------------------------------------------

const serviceNames = new Set(['services', 'count/services', 'services.loadbalancers', 'services.nodeports']);

/** How many node ports a service is charged: one a port for NodePort services and load balancers that allocate them. */
function chargedNodePorts(svc: Json): number {
  const type = svc.spec?.type;
  const allocates = type === 'NodePort' || (type === 'LoadBalancer' && svc.spec?.allocateLoadBalancerNodePorts !== false);
  return allocates ? ((svc.spec?.ports ?? []) as Json[]).length : 0;
}

export const serviceEvaluator: Evaluator = {
  group: '',
  resource: 'services',
  matchingResources: (hard) => hard.filter((n) => serviceNames.has(n)),
  usage(svc) {
    const out: ResourceList = { services: '1', 'count/services': '1', 'services.loadbalancers': '0', 'services.nodeports': '0' };
    if (svc.spec?.type === 'LoadBalancer') out['services.loadbalancers'] = '1';
    const nodePorts = chargedNodePorts(svc);
    if (nodePorts) out['services.nodeports'] = String(nodePorts);
    return out;
  },
  matchesScope: () => false,
  handles: (op) => op === 'CREATE' || op === 'UPDATE',
  // Admission charges an update's growth only: a service that stops being a NodePort or LoadBalancer (upstream
  // compares just the type) or drops ports gives room back through a recount.
  replenishSignature(svc) {
    const type = svc.spec?.type;
    const quotaType = type === 'NodePort' || type === 'LoadBalancer' ? type : '';
    const nodePorts = chargedNodePorts(svc);
    return nodePorts ? `${quotaType}:${nodePorts}` : quotaType;
  },
  constraints: () => '',
};

// --- persistent volume claims --------------------------------------------------------------------------------------

const storageClassSuffix = '.storageclass.storage.k8s.io/';

export const pvcEvaluator: Evaluator = {
  group: '',
  resource: 'persistentvolumeclaims',
  matchingResources: (hard) =>
    hard.filter(
      (n) =>
        n === 'persistentvolumeclaims' ||
        n === 'count/persistentvolumeclaims' ||
        n === 'requests.storage' ||
        (n.includes(storageClassSuffix) && (n.endsWith('/persistentvolumeclaims') || n.endsWith('/requests.storage'))),
    ),
  usage(pvc) {
    const out: ResourceList = { persistentvolumeclaims: '1', 'count/persistentvolumeclaims': '1' };
    const storage = pvc.spec?.resources?.requests?.storage;
    if (storage !== undefined) out['requests.storage'] = storage;
    const cls = pvc.spec?.storageClassName;
    if (cls) {
      out[`${cls}${storageClassSuffix}persistentvolumeclaims`] = '1';
      if (storage !== undefined) out[`${cls}${storageClassSuffix}requests.storage`] = storage;
    }
    return out;
  },
  matchesScope: () => false,
  handles: (op) => op === 'CREATE' || op === 'UPDATE',
  // A smaller request (allowed down to the capacity while recovering from a failed expansion) is not charged by
  // admission; upstream recounts when status.allocatedResources changes, what its usage also reads. Ours reads
  // the request and the class.
  replenishSignature: (pvc) => `${pvc.spec?.resources?.requests?.storage ?? ''} ${pvc.spec?.storageClassName ?? ''}`,
  constraints: () => '',
};

const special: Record<string, Evaluator> = {
  '/pods': podEvaluator,
  '/services': serviceEvaluator,
  '/persistentvolumeclaims': pvcEvaluator,
};

const generic = new Map<string, Evaluator>();

/** The evaluator of a resource: a dedicated one, or an object counter. */
export function evaluatorFor(group: string, resource: string): Evaluator {
  const key = `${group}/${resource}`;
  const found = special[key] ?? generic.get(key);
  if (found) return found;
  const e = objectCountEvaluator(group, resource);
  generic.set(key, e);
  return e;
}

/** A quota's scope requirements: `spec.scopes` (each must exist) and `spec.scopeSelector`. */
export function scopeRequirements(quota: Json): ScopeRequirement[] {
  const out: ScopeRequirement[] = ((quota.spec?.scopes ?? []) as string[]).map((s) => ({ scopeName: s, operator: 'Exists' }));
  for (const e of (quota.spec?.scopeSelector?.matchExpressions ?? []) as ScopeRequirement[]) out.push(e);
  return out;
}

/** Whether `quota` applies to `obj`: it limits something the evaluator charges, and every scope matches. */
export function quotaMatches(evaluator: Evaluator, quota: Json, obj: StoredObject): boolean {
  const hard = Object.keys(quota.status?.hard ?? {});
  if (!evaluator.matchingResources(hard).length) return false;
  return scopeRequirements(quota).every((req) => evaluator.matchesScope(req, obj));
}

/** Usage of many objects, masked to `names`, with a zero for each name nothing uses. */
export function totalUsage(evaluator: Evaluator, quota: Json, objects: readonly StoredObject[], names: readonly string[]): ResourceList {
  let total: ResourceList = Object.fromEntries(names.map((n) => [n, '0']));
  const scopes = scopeRequirements(quota);
  for (const obj of objects) {
    if (!scopes.every((req) => evaluator.matchesScope(req, obj))) continue;
    const u = evaluator.usage(obj);
    const masked: ResourceList = {};
    for (const n of names) if (n in u) masked[n] = u[n];
    total = add(total, masked);
  }
  // Keep zero entries explicit, as upstream's status.used lists every tracked resource.
  for (const n of names) if (amount(total[n]).nano === 0n) total[n] = '0';
  return total;
}
