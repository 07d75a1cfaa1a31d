/**
 * RBAC's escalation prevention (upstream's policybased Role/ClusterRole/RoleBinding/ClusterRoleBinding storage):
 * - a Role or ClusterRole may hold only rules its author already holds in that namespace (or cluster-wide), unless
 *   the author may `escalate` it; a ClusterRole with an aggregationRule needs full (cluster-admin) rights;
 * - a binding may reference only a role whose rules its author holds, unless the author may `bind` it.
 * Members of system:masters pass. It runs after mutating admission and before validation (where upstream's storage
 * wrappers run), for every write of the four kinds.
 */
import type { AdmissionAttributes, AdmissionPlugin } from '../../../admission/types.ts';
import { goQuote } from '../../../machinery/gofmt.ts';
import type { UserInfo } from '../../user.ts';
import { failure, forbidden, notFound } from '../../../machinery/status.ts';
import type { StoredObject } from '../../../storage/store.ts';
import { semanticEqual } from '../../../machinery/semantic-equal.ts';
import { sentIdentity, type SentIdentity } from '../../../registry/sent-identity.ts';
import type { Authorizer } from '../types.ts';
import { isPrivileged } from '../types.ts';
import type { RBACAuthorizer } from './authorizer.ts';
import { aggregateErrors } from '../../../machinery/aggregate-errors.ts';
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
  const { rules: owned, errors } = deps.rbac.rules(user, namespace, 'storage');
  const missing = uncoveredRules(owned, rules);
  if (!missing.length) return undefined;
  // Upstream collects the descriptions in a set: two equal pieces print once.
  const described = [...new Set(missing.map(compactString))];
  let msg = `user ${goQuote(user.name)} (groups=${goQuotedList(user.groups)}) is attempting to grant RBAC permissions not currently held:\n${described.join('\n')}`;
  // Upstream prints its list of resolution errors (one aggregate) with %v: in brackets, whatever the aggregate prints.
  if (errors.length) msg += `; resolution errors: [${aggregateErrors(errors)}]`;
  return msg;
}

/** Whether the server's authorizer allows `verb` (escalate, bind) on a role: upstream's attributes for it, asked as is. */
async function allowedTo(deps: EscalationCheckDeps, user: UserInfo, verb: string, attrs: { apiGroup: string; apiVersion: string; resource: string; namespace: string; name: string }): Promise<boolean> {
  const { decision } = await deps.authorizer().authorize({ user, verb, resourceRequest: true, subresource: '', path: '', ...attrs });
  return decision === 'allow';
}

/**
 * Whether an update changes only what the garbage collector changes, as upstream's IsOnlyMutatingGCFields: the new
 * object with the old one's owner references, finalizers and managed fields must equal the old one, semantically
 * (key order never matters). Such updates skip the escalation check. The comparison sees the identity fields as the
 * client sent them, so a replace without the stored uid, creation time or resourceVersion is a change.
 */
function onlyGCFieldsChange(obj: StoredObject, old: StoredObject): boolean {
  // Without a note (a mutating webhook replaced the object), the identity is taken to be the stored one, as a client
  // that read the object first sends it.
  const oldMeta = old.metadata ?? {};
  const sent = sentIdentity(obj) ?? { uid: oldMeta.uid, creationTimestamp: oldMeta.creationTimestamp, resourceVersion: oldMeta.resourceVersion };
  const comparable = (o: StoredObject, identity?: SentIdentity) => {
    const { ownerReferences: _o, finalizers: _f, managedFields: _m, selfLink: _s, ...meta } = o.metadata ?? {};
    if (identity) Object.assign(meta, { uid: identity.uid, creationTimestamp: identity.creationTimestamp, resourceVersion: identity.resourceVersion });
    // apiVersion and kind are not compared: upstream compares the decoded Go objects, whose type fields are empty.
    const { apiVersion: _a, kind: _k, ...rest } = o;
    return { ...rest, metadata: meta };
  };
  return semanticEqual(comparable(obj, sent), comparable(old));
}

const hasAggregationRule = (r: StoredObject | undefined) => Boolean(r?.aggregationRule?.clusterRoleSelectors?.length);

async function checkRole(deps: EscalationCheckDeps, a: AdmissionAttributes, obj: StoredObject, old: StoredObject | undefined): Promise<void> {
  const resource = a.kind.resource;
  const name = obj.metadata?.name ?? '';
  const namespace = resource === 'roles' ? a.namespace : '';
  // Upstream asks with the request's name: none on a create, so `escalate` limited to resourceNames never lets one by.
  const requestName = a.operation === 'CREATE' ? '' : name;
  if (await allowedTo(deps, a.user, 'escalate', { apiGroup: rbacGroup, apiVersion: '*', resource, namespace, name: requestName })) return;
  if (old && onlyGCFieldsChange(obj, old)) return;
  const err = escalationError(deps, a.user, namespace, obj.rules ?? []);
  if (err) throw forbidden({ group: rbacGroup, resource }, name, err);
  // An aggregationRule can gather anything (and changing one can stop a role from shrinking): full rights only.
  if (resource === 'clusterroles' && (hasAggregationRule(obj) || hasAggregationRule(old)) && escalationError(deps, a.user, '', fullAuthority)) {
    throw forbidden({ group: rbacGroup, resource }, name, 'must have cluster-admin privileges to use the aggregationRule');
  }
}

async function checkBinding(deps: EscalationCheckDeps, a: AdmissionAttributes, obj: StoredObject, old: StoredObject | undefined): Promise<void> {
  const resource = a.kind.resource;
  const name = obj.metadata?.name ?? '';
  const namespace = resource === 'rolebindings' ? a.namespace : '';
  const ref = (obj.roleRef ?? {}) as RoleRef;
  const refResource = ref.kind === 'Role' ? 'roles' : ref.kind === 'ClusterRole' ? 'clusterroles' : undefined;
  if (old && onlyGCFieldsChange(obj, old)) return;
  // `bind` is asked in the binding's namespace, with the roleRef's group and no version, as upstream's BindingAuthorized.
  if (refResource && (await allowedTo(deps, a.user, 'bind', { apiGroup: ref.apiGroup ?? '', apiVersion: '', resource: refResource, namespace, name: ref.name }))) return;
  // The check runs before validation, so a roleRef of another kind gets here; upstream's resolver fails on it with a
  // plain error, which the handler answers as a 500 with no reason.
  if (!refResource) throw failure(500, undefined, `unsupported role reference kind: ${JSON.stringify(ref.kind)}`);
  const { rules, error } = deps.index.roleRefRules(ref, namespace);
  // Upstream reads the role through its storage (not the authorizer's listers): the storage's NotFound, named by the resource.
  if (error) throw notFound({ group: rbacGroup, resource: refResource }, ref.name);
  const err = escalationError(deps, a.user, namespace, rules);
  if (err) throw forbidden({ group: rbacGroup, resource }, name, err);
}

export function rbacEscalationCheck(deps: EscalationCheckDeps): AdmissionPlugin {
  return {
    name: 'RBACEscalationCheck',
    async afterMutation(a: AdmissionAttributes): Promise<void> {
      if (a.kind.group !== rbacGroup || (a.operation !== 'CREATE' && a.operation !== 'UPDATE') || !a.object) return;
      if (isPrivileged(a.user)) return;
      await deps.index.synced();
      if (a.kind.resource === 'roles' || a.kind.resource === 'clusterroles') await checkRole(deps, a, a.object, a.oldObject);
      else if (a.kind.resource === 'rolebindings' || a.kind.resource === 'clusterrolebindings') await checkBinding(deps, a, a.object, a.oldObject);
    },
  };
}
