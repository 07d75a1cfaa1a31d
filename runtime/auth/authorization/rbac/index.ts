/**
 * In-memory RBAC state: Roles and ClusterRoles by name, and RoleBindings/ClusterRoleBindings indexed by the
 * subjects they name, kept current by informers on the four RBAC resources. A request looks up its user's and
 * groups' bindings in these maps; nothing is read from the store per request. What applies to one user in one
 * namespace (its bindings, their roles' rules) is resolved once and kept until any RBAC object changes.
 */
import type { UserInfo } from '../../user.ts';
import { goQuote } from '../../../machinery/gofmt.ts';
import type { StoredObject } from '../../../storage/store.ts';
import type { SharedInformer, InformerHandler } from '../../../controllers/informer.ts';
import type { PolicyRule } from './rules.ts';

/**
 * How a missing role is worded: the authorizer reads roles through listers, whose NotFound names the kind
 * (`role.rbac.authorization.k8s.io "x" not found`); the escalation check reads them through their storage, whose
 * NotFound names the resource (`roles.rbac.authorization.k8s.io "x" not found`).
 */
export type MissingRoleWording = 'lister' | 'storage';

export interface RoleRef {
  apiGroup?: string;
  kind: string;
  name: string;
}
export interface Subject {
  kind: string;
  name: string;
  namespace?: string;
  apiGroup?: string;
}

/** The index key of a subject: users and service accounts by user name, groups by group name. */
function subjectKey(s: Subject, bindingNamespace: string): string | undefined {
  if (s.kind === 'User') return `u:${s.name}`;
  if (s.kind === 'Group') return `g:${s.name}`;
  if (s.kind === 'ServiceAccount') {
    const ns = s.namespace || bindingNamespace;
    return ns ? `u:system:serviceaccount:${ns}:${s.name}` : undefined;
  }
  return undefined;
}

function userKeys(user: UserInfo): string[] {
  return [`u:${user.name}`, ...user.groups.map((g) => `g:${g}`)];
}

/** Bindings by subject key; for RoleBindings one such map per namespace. */
class BindingIndex implements InformerHandler {
  /** namespace ('' for ClusterRoleBindings) -> subject key -> binding object key -> binding. */
  readonly bySubject = new Map<string, Map<string, Map<string, StoredObject>>>();

  private keys(b: StoredObject): string[] {
    const ns = b.metadata?.namespace ?? '';
    return ((b.subjects ?? []) as Subject[]).map((s) => subjectKey(s, ns)).filter((k): k is string => !!k);
  }

  upsert(obj: StoredObject, old: StoredObject | undefined): void {
    if (old) this.delete(old);
    const ns = obj.metadata?.namespace ?? '';
    let inNs = this.bySubject.get(ns);
    if (!inNs) this.bySubject.set(ns, (inNs = new Map()));
    for (const k of this.keys(obj)) {
      let set = inNs.get(k);
      if (!set) inNs.set(k, (set = new Map()));
      set.set(obj.metadata.name, obj);
    }
  }

  delete(obj: StoredObject): void {
    const inNs = this.bySubject.get(obj.metadata?.namespace ?? '');
    if (!inNs) return;
    for (const k of this.keys(obj)) {
      const set = inNs.get(k);
      set?.delete(obj.metadata.name);
      if (set && !set.size) inNs.delete(k);
    }
  }

  /** Bindings in `namespace` naming the user or one of its groups, each once, in a stable order. */
  forUser(user: UserInfo, namespace: string): StoredObject[] {
    const inNs = this.bySubject.get(namespace);
    if (!inNs) return [];
    const seen = new Map<string, StoredObject>();
    for (const k of userKeys(user)) for (const [name, b] of inNs.get(k) ?? []) seen.set(name, b);
    return [...seen.values()];
  }
}

/** Where a rule came from, for SubjectAccessReview reasons: `ClusterRoleBinding "x" of ClusterRole "y" to User "bob"`. */
export function describeBinding(binding: StoredObject, user: UserInfo): string {
  const ns = binding.metadata?.namespace ?? '';
  const ref = binding.roleRef as RoleRef;
  const subject = ((binding.subjects ?? []) as Subject[]).find((s) => {
    const k = subjectKey(s, ns);
    return k !== undefined && userKeys(user).includes(k);
  });
  let who = '';
  if (subject) who = subject.kind === 'ServiceAccount' ? `ServiceAccount ${JSON.stringify(`${subject.name}/${subject.namespace || ns}`)}` : `${subject.kind} ${JSON.stringify(subject.name)}`;
  return ns
    ? `RoleBinding ${JSON.stringify(`${binding.metadata.name}/${ns}`)} of ${ref.kind} ${JSON.stringify(ref.name)} to ${who}`
    : `ClusterRoleBinding ${JSON.stringify(binding.metadata.name)} of ${ref.kind} ${JSON.stringify(ref.name)} to ${who}`;
}

/**
 * A binding that applies to a user in a namespace, with the rules of the role it names (none when the role is
 * missing: its error is worded by the reader, see roleRefRules).
 */
export interface Grant {
  readonly binding: StoredObject;
  /** The binding's namespace ('' for a ClusterRoleBinding): where a Role it names lives. */
  readonly namespace: string;
  readonly rules: PolicyRule[];
  readonly missing: boolean;
  /** describeBinding for the users this grant was resolved for (they share name and groups), made when first read. */
  description?: string;
}

/** Users and namespaces whose grants are kept at most; past it they are resolved afresh. */
const maxCachedGrants = 4096;

export class RBACIndex {
  private readonly clusterBindings = new BindingIndex();
  private readonly roleBindings = new BindingIndex();
  /** Grants by namespace, user name and groups; emptied on every change of a role or binding. */
  private readonly grantsCache = new Map<string, Grant[]>();

  constructor(
    private readonly informers: { roles: SharedInformer; clusterRoles: SharedInformer; roleBindings: SharedInformer; clusterRoleBindings: SharedInformer },
  ) {
    informers.clusterRoleBindings.addHandler(this.clusterBindings);
    informers.roleBindings.addHandler(this.roleBindings);
    // Informers apply an event to their copy, then tell handlers, all before any request is served again.
    const invalidate: InformerHandler = { upsert: () => this.grantsCache.clear(), delete: () => this.grantsCache.clear() };
    for (const i of Object.values(informers)) i.addHandler(invalidate);
  }

  async synced(): Promise<void> {
    await Promise.all(Object.values(this.informers).map((i) => i.synced()));
  }

  clusterRole(name: string): StoredObject | undefined {
    return this.informers.clusterRoles.items.get(name);
  }

  allClusterRoles(): Iterable<StoredObject> {
    return this.informers.clusterRoles.items.values();
  }

  role(namespace: string, name: string): StoredObject | undefined {
    return this.informers.roles.items.get(`${namespace}/${name}`);
  }

  /**
   * The rules a role reference grants, or the upstream-worded error when the role is missing. A RoleBinding's
   * Role lives in the binding's namespace; a ClusterRole is cluster-wide.
   */
  roleRefRules(ref: RoleRef, namespace: string, wording: MissingRoleWording = 'lister'): { rules: PolicyRule[]; error?: string } {
    const missing = (kind: string) => `${kind}${wording === 'storage' ? 's' : ''}.rbac.authorization.k8s.io ${goQuote(ref.name)} not found`;
    if (ref.kind === 'ClusterRole') {
      const r = this.clusterRole(ref.name);
      return r ? { rules: r.rules ?? [] } : { rules: [], error: missing('clusterrole') };
    }
    if (ref.kind === 'Role' && namespace) {
      const r = this.role(namespace, ref.name);
      return r ? { rules: r.rules ?? [] } : { rules: [], error: missing('role') };
    }
    return { rules: [], error: `unsupported role reference kind: ${JSON.stringify(ref.kind)}` };
  }

  /**
   * Visits the rules that apply to `user` in `namespace` (cluster-wide bindings first, then the namespace's);
   * `visit` returns true to stop. Returns the errors met (missing roles).
   */
  visitRules(user: UserInfo, namespace: string, visit: (rule: PolicyRule, binding: StoredObject) => boolean, wording: MissingRoleWording = 'lister'): string[] {
    const errors: string[] = [];
    for (const g of this.grants(user, namespace)) {
      if (g.missing) errors.push(this.missingRoleError(g, wording));
      for (const rule of g.rules) if (visit(rule, g.binding)) return errors;
    }
    return errors;
  }

  /** The bindings that apply to `user` in `namespace`, cluster-wide ones first, with their roles' rules. Not to be changed. */
  grants(user: UserInfo, namespace: string): readonly Grant[] {
    // JSON: no name or group can make two users' keys alike.
    const key = JSON.stringify([namespace, user.name, user.groups]);
    let grants = this.grantsCache.get(key);
    if (!grants) {
      grants = this.clusterBindings.forUser(user, '').map((b) => this.grant(b, ''));
      if (namespace) for (const b of this.roleBindings.forUser(user, namespace)) grants.push(this.grant(b, namespace));
      if (this.grantsCache.size >= maxCachedGrants) this.grantsCache.clear();
      this.grantsCache.set(key, grants);
    }
    return grants;
  }

  /** Why a grant's role is missing, in `wording`. */
  missingRoleError(g: Grant, wording: MissingRoleWording): string {
    return this.roleRefRules(g.binding.roleRef, g.namespace, wording).error!;
  }

  private grant(binding: StoredObject, namespace: string): Grant {
    const { rules, error } = this.roleRefRules(binding.roleRef, namespace);
    return { binding, namespace, rules, missing: error !== undefined };
  }
}
