/**
 * RBAC's escalation prevention (upstream's policybased Role/ClusterRole/RoleBinding/ClusterRoleBinding storage):
 * - a Role or ClusterRole may hold only rules its author already holds in that namespace (or cluster-wide), unless
 *   the author may `escalate` it; a ClusterRole with an aggregationRule needs full (cluster-admin) rights;
 * - a binding may reference only a role whose rules its author holds, unless the author may `bind` it.
 * Members of system:masters pass. It runs where validating admission runs, for every write of the four kinds.
 */
import type { AdmissionAttributes, AdmissionPlugin } from '../../../admission/types.ts';
import type { UserInfo } from '../../user.ts';
import { failure, StatusError } from '../../../machinery/status.ts';
import type { StoredObject } from '../../../storage/store.ts';
import { forbiddenError } from '../forbidden.ts';
import type { Authorizer } from '../types.ts';
import { mastersGroup } from '../types.ts';
import { aggregateErrors, type RBACAuthorizer } from './authorizer.ts';
import type { RBACIndex, RoleRef } from './index.ts';
import { compactString, goQuotedList, uncoveredRules, type PolicyRule } from './rules.ts';

const rbacGroup = 'rbac.authorization.k8s.io';
const fullAuthority: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

export interface EscalationCheckDeps {
  /** The server's whole authorizer (for the `escalate` and `bind` verbs). */
  authorizer: () => Authorizer;
  rbac: RBACAuthorizer;
  index: RBACIndex;
}

/** The reason text upstream's ConfirmNoEscalation gives, or undefined when `user` holds every rule in `rules`. */
export function escalationError(deps: EscalationCheckDeps, user: UserInfo, namespace: string, rules: PolicyRule[]): string | undefined {
  const { rules: owned, errors } = deps.rbac.rules(user, namespace);
  const missing = uncoveredRules(owned, rules);
  if (!missing.length) return undefined;
  let msg = `user ${JSON.stringify(user.name)} (groups=${goQuotedList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${missing.map(compactString).join('\n')}`;
  if (errors.length) msg += `; resolution errors: ${aggregateErrors(errors)}`;
  return msg;
}

async function allowedTo(deps: EscalationCheckDeps, user: UserInfo, verb: string, resource: string, namespace: string, name: string): Promise<boolean> {
  const { decision } = await deps.authorizer().authorize({ user, verb, resourceRequest: true, apiGroup: rbacGroup, apiVersion: '*', resource, subresource: '', namespace, name, path: '' });
  return decision === 'allow';
}

/**
 * Whether an update changes only what the garbage collector changes (owner references, finalizers), as upstream's
 * IsOnlyMutatingGCFields; such updates skip the escalation check. Server-owned fields are ignored.
 */
function onlyGCFieldsChange(obj: StoredObject, old: StoredObject): boolean {
  const strip = (o: StoredObject) => {
    const { ownerReferences: _o, finalizers: _f, resourceVersion: _r, managedFields: _m, generation: _g, ...meta } = o.metadata ?? {};
    return JSON.stringify({ ...o, metadata: meta });
  };
  return strip(obj) === strip(old);
}

const hasAggregationRule = (r: StoredObject | undefined) => Boolean(r?.aggregationRule?.clusterRoleSelectors?.length);

async function checkRole(deps: EscalationCheckDeps, a: AdmissionAttributes, obj: StoredObject, old: StoredObject | undefined): Promise<void> {
  const resource = a.kind.resource;
  const name = obj.metadata?.name ?? '';
  const namespace = resource === 'roles' ? a.namespace : '';
  if (await allowedTo(deps, a.user, 'escalate', resource, namespace, name)) return;
  if (old && onlyGCFieldsChange(obj, old)) return;
  const err = escalationError(deps, a.user, namespace, obj.rules ?? []);
  if (err) throw new StatusError(forbiddenError(rbacGroup, resource, name, err));
  // An aggregationRule can gather anything (and changing one can stop a role from shrinking): full rights only.
  if (resource === 'clusterroles' && (hasAggregationRule(obj) || hasAggregationRule(old)) && escalationError(deps, a.user, '', fullAuthority)) {
    throw new StatusError(forbiddenError(rbacGroup, resource, name, 'must have cluster-admin privileges to use the aggregationRule'));
  }
}

async function checkBinding(deps: EscalationCheckDeps, a: AdmissionAttributes, obj: StoredObject, old: StoredObject | undefined): Promise<void> {
  const resource = a.kind.resource;
  const name = obj.metadata?.name ?? '';
  const namespace = resource === 'rolebindings' ? a.namespace : '';
  const ref = (obj.roleRef ?? {}) as RoleRef;
  const refResource = ref.kind === 'Role' ? 'roles' : 'clusterroles';
  if (old && onlyGCFieldsChange(obj, old)) return;
  if (await allowedTo(deps, a.user, 'bind', refResource, namespace, ref.name)) return;
  const { rules, error } = deps.index.roleRefRules(ref, namespace);
  if (error) {
    const kind = ref.kind === 'Role' ? 'role' : 'clusterrole';
    throw failure(404, 'NotFound', `${kind}.${rbacGroup} ${JSON.stringify(ref.name)} not found`, { name: ref.name, group: rbacGroup, kind });
  }
  const err = escalationError(deps, a.user, namespace, rules);
  if (err) throw new StatusError(forbiddenError(rbacGroup, resource, name, err));
}

export function rbacEscalationCheck(deps: EscalationCheckDeps): AdmissionPlugin {
  return {
    name: 'RBACEscalationCheck',
    async validate(a: AdmissionAttributes): Promise<void> {
      if (a.kind.group !== rbacGroup || (a.operation !== 'CREATE' && a.operation !== 'UPDATE') || !a.object) return;
      if (a.user.groups.includes(mastersGroup)) return;
      await deps.index.synced();
      if (a.kind.resource === 'roles' || a.kind.resource === 'clusterroles') await checkRole(deps, a, a.object, a.oldObject);
      else if (a.kind.resource === 'rolebindings' || a.kind.resource === 'clusterrolebindings') await checkBinding(deps, a, a.object, a.oldObject);
    },
  };
}
