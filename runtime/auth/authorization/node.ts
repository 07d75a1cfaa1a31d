/**
 * The Node authorizer (a subset of upstream's graph authorizer): decides only for kubelets, users named
 * `system:node:<name>` in group `system:nodes`. From informer copies of pods, PVCs and PVs it knows which pods are
 * bound to which node, and lets a node:
 * - get the secrets, configmaps and persistentvolumeclaims its pods reference, and the persistentvolumes bound to
 *   those claims (nothing else of these kinds: no list or watch, no other names);
 * - get, update, patch and delete its own Lease in kube-node-lease, and create leases there (the name of a create
 *   is checked by NodeRestriction upstream, not here);
 * - create tokens (`serviceaccounts/token`) only for the service accounts of its pods;
 * - as upstream v1.32 with AuthorizeNodeWithSelectors (beta, on): read only its own Node, create Nodes, update and
 *   patch only itself and its status (upstream leaves that to NodeRestriction, not served here); get only its pods, list and watch pods only with the field selector
 *   `spec.nodeName=<node>`, create and delete (mirror) pods, update their status, evict them;
 * - everything else the system:node ClusterRole grants (events, CSRs, services, ...).
 * Not done, unlike upstream: volumeattachments, csinodes and resourceclaims/resourceslices (kinds this server does
 * not serve), attachment-based PV rules, and list/watch of secrets/configmaps limited by field selector.
 */
import type { Attributes, AuthorizationResult, Authorizer } from './types.ts';
import { objectKey, type SharedInformer } from '../../controllers/informer.ts';
import { clusterRoles } from './rbac/bootstrap-policy.ts';
import { ruleAllows, type PolicyRule } from './rbac/rules.ts';
import type { StoredObject } from '../../storage/store.ts';

const nodesGroup = 'system:nodes';
const nodeUserPrefix = 'system:node:';
const nodeRules: PolicyRule[] = clusterRoles.find((r) => r.metadata.name === 'system:node')!.rules;

/** The node a user is, or undefined when the user is not a kubelet. */
export function nodeName(user: { name: string; groups: string[] }): string | undefined {
  if (!user.groups.includes(nodesGroup) || !user.name.startsWith(nodeUserPrefix)) return undefined;
  return user.name.slice(nodeUserPrefix.length) || undefined;
}

/** What a pod references, by kind: secrets, configmaps, persistentvolumeclaims (names in the pod's namespace). */
export function podReferences(pod: StoredObject): { secrets: Set<string>; configmaps: Set<string>; pvcs: Set<string> } {
  const secrets = new Set<string>();
  const configmaps = new Set<string>();
  const pvcs = new Set<string>();
  const spec = pod.spec ?? {};
  for (const s of spec.imagePullSecrets ?? []) if (s?.name) secrets.add(s.name);
  for (const v of spec.volumes ?? []) {
    if (v.secret?.secretName) secrets.add(v.secret.secretName);
    if (v.configMap?.name) configmaps.add(v.configMap.name);
    if (v.persistentVolumeClaim?.claimName) pvcs.add(v.persistentVolumeClaim.claimName);
    if (v.ephemeral) pvcs.add(`${pod.metadata?.name}-${v.name}`);
    for (const src of v.projected?.sources ?? []) {
      if (src.secret?.name) secrets.add(src.secret.name);
      if (src.configMap?.name) configmaps.add(src.configMap.name);
    }
    for (const key of ['azureFile', 'cephfs', 'cinder', 'flexVolume', 'iscsi', 'rbd', 'scaleIO', 'storageos', 'csi']) {
      const ref = v[key]?.secretRef?.name ?? v[key]?.nodePublishSecretRef?.name ?? v[key]?.secretName;
      if (ref) secrets.add(ref);
    }
  }
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])]) {
    for (const e of c.envFrom ?? []) {
      if (e.secretRef?.name) secrets.add(e.secretRef.name);
      if (e.configMapRef?.name) configmaps.add(e.configMapRef.name);
    }
    for (const e of c.env ?? []) {
      if (e.valueFrom?.secretKeyRef?.name) secrets.add(e.valueFrom.secretKeyRef.name);
      if (e.valueFrom?.configMapKeyRef?.name) configmaps.add(e.valueFrom.configMapKeyRef.name);
    }
  }
  return { secrets, configmaps, pvcs };
}

export class NodeAuthorizer implements Authorizer {
  /** node name -> pod key -> pod: the pods bound to each node, kept by a handler on the pod informer. */
  private readonly podsByNode = new Map<string, Map<string, StoredObject>>();

  constructor(private readonly informers: { pods: SharedInformer; pvcs: SharedInformer }) {
    const remove = (pod: StoredObject) => {
      const bound = this.podsByNode.get(pod.spec?.nodeName ?? '');
      bound?.delete(objectKey(pod));
      if (bound && !bound.size) this.podsByNode.delete(pod.spec.nodeName);
    };
    informers.pods.addHandler({
      upsert: (pod, old) => {
        if (old) remove(old);
        const node = pod.spec?.nodeName;
        if (!node) return;
        let bound = this.podsByNode.get(node);
        if (!bound) this.podsByNode.set(node, (bound = new Map()));
        bound.set(objectKey(pod), pod);
      },
      delete: remove,
    });
  }

  async authorize(attrs: Attributes): Promise<AuthorizationResult> {
    const node = nodeName(attrs.user);
    if (!node) return { decision: 'no-opinion' };
    if (!attrs.resourceRequest) return { decision: 'no-opinion' };
    const noRelationship = { decision: 'no-opinion' as const, reason: `no relationship found between node '${node}' and this object` };
    if (attrs.apiGroup === '' && ['secrets', 'configmaps', 'persistentvolumeclaims', 'persistentvolumes'].includes(attrs.resource) && !attrs.subresource) {
      if (attrs.verb !== 'get' || !attrs.name) return { decision: 'no-opinion', reason: `can only get individual resources of this type` };
      return this.references(node, attrs) ? { decision: 'allow' } : noRelationship;
    }
    if (attrs.apiGroup === 'coordination.k8s.io' && attrs.resource === 'leases') {
      if (!['get', 'create', 'update', 'patch', 'delete'].includes(attrs.verb)) return { decision: 'no-opinion', reason: 'can only get, create, update, patch, or delete a node lease' };
      if (attrs.namespace !== 'kube-node-lease') return { decision: 'no-opinion', reason: 'can only access leases in the "kube-node-lease" system namespace' };
      // A create carries no name in its path; upstream leaves that check to the NodeRestriction admission plugin.
      if (attrs.verb !== 'create' && attrs.name !== node) return { decision: 'no-opinion', reason: 'can only access node lease with the same name as the requesting node' };
      return { decision: 'allow' };
    }
    if (attrs.apiGroup === '' && attrs.resource === 'serviceaccounts') return this.authorizeCreateToken(node, attrs);
    if (attrs.apiGroup === '' && attrs.resource === 'nodes') return authorizeNode(node, attrs);
    if (attrs.apiGroup === '' && attrs.resource === 'pods') return this.authorizePod(node, attrs);
    return nodeRules.some((r) => ruleAllows(attrs, r)) ? { decision: 'allow' } : { decision: 'no-opinion' };
  }

  /** A token for a service account one of the node's pods runs as (upstream's authorizeCreateToken). */
  private authorizeCreateToken(node: string, attrs: Attributes): AuthorizationResult {
    if (attrs.verb !== 'create' || !attrs.name) return { decision: 'no-opinion', reason: 'can only create tokens for individual service accounts' };
    if (attrs.subresource !== 'token') return { decision: 'no-opinion', reason: 'can only create token subresource of serviceaccount' };
    for (const pod of this.podsByNode.get(node)?.values() ?? []) {
      if (pod.metadata?.namespace === attrs.namespace && (pod.spec?.serviceAccountName || 'default') === attrs.name) return { decision: 'allow' };
    }
    return { decision: 'no-opinion', reason: noRelationship(node) };
  }

  /** Pods: their own (get), by `spec.nodeName=<node>` (list, watch); mirror pods, status and eviction go to NodeRestriction. */
  private authorizePod(node: string, attrs: Attributes): AuthorizationResult {
    if (attrs.subresource === '') {
      switch (attrs.verb) {
        case 'get':
          return this.podOnNode(node, attrs) ? { decision: 'allow' } : { decision: 'no-opinion', reason: noRelationship(node) };
        case 'list':
        case 'watch': {
          if (selectsNode(attrs.fieldSelector, node)) return { decision: 'allow' };
          if (attrs.name) return this.podOnNode(node, attrs) ? { decision: 'allow' } : { decision: 'no-opinion', reason: noRelationship(node) };
          return { decision: 'no-opinion', reason: 'can only list/watch pods with spec.nodeName field selector' };
        }
        case 'create':
        case 'delete':
          return { decision: 'allow' };
      }
    } else if (attrs.subresource === 'status' && (attrs.verb === 'update' || attrs.verb === 'patch')) {
      return { decision: 'allow' };
    } else if (attrs.subresource === 'eviction' && attrs.verb === 'create') {
      return { decision: 'allow' };
    }
    return { decision: 'no-opinion' };
  }

  private podOnNode(node: string, attrs: Attributes): boolean {
    return Boolean(attrs.name) && this.podsByNode.get(node)?.has(`${attrs.namespace}/${attrs.name}`) === true;
  }

  /** Whether a pod bound to `node` references the object (a PV through a referenced, bound claim). */
  private references(node: string, attrs: Attributes): boolean {
    for (const pod of this.podsByNode.get(node)?.values() ?? []) {
      const ns = pod.metadata?.namespace;
      const refs = podReferences(pod);
      if (attrs.resource === 'persistentvolumes') {
        for (const claim of refs.pvcs) if (this.informers.pvcs.items.get(`${ns}/${claim}`)?.spec?.volumeName === attrs.name) return true;
        continue;
      }
      if (ns !== attrs.namespace) continue;
      const set = attrs.resource === 'secrets' ? refs.secrets : attrs.resource === 'configmaps' ? refs.configmaps : refs.pvcs;
      if (set.has(attrs.name)) return true;
    }
    return false;
  }
}

function noRelationship(node: string): string {
  return `no relationship found between node '${node}' and this object`;
}

/** Whether a field selector pins `spec.nodeName` to `node` with `=` or `==`. */
function selectsNode(fieldSelector: Attributes['fieldSelector'], node: string): boolean {
  return fieldSelector?.requirements.some((r) => r.field === 'spec.nodeName' && r.operator !== '!=' && r.value === node) === true;
}

/** Nodes: read only its own; create, update and patch it and its status (NodeRestriction limits those to itself). */
function authorizeNode(node: string, attrs: Attributes): AuthorizationResult {
  if (attrs.subresource === '') {
    switch (attrs.verb) {
      case 'create':
        return { decision: 'allow' };
      case 'update':
      case 'patch':
        // Upstream leaves this to NodeRestriction, which this server does not have: refused here instead.
        return attrs.name === node ? { decision: 'allow' } : { decision: 'no-opinion', reason: `node '${node}' cannot modify node '${attrs.name}'` };
      case 'get':
      case 'list':
      case 'watch':
        if (attrs.name === node) return { decision: 'allow' };
        if (!attrs.name) return { decision: 'no-opinion', reason: `node '${node}' cannot read all nodes, only its own Node object` };
        return { decision: 'no-opinion', reason: `node '${node}' cannot read '${attrs.name}', only its own Node object` };
    }
  } else if (attrs.subresource === 'status' && (attrs.verb === 'update' || attrs.verb === 'patch')) {
    return attrs.name === node ? { decision: 'allow' } : { decision: 'no-opinion', reason: `node '${node}' cannot modify node '${attrs.name}'` };
  }
  return { decision: 'no-opinion' };
}
