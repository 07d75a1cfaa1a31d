/**
 * The `rbac/bootstrap-roles` post-start hook: creates the default roles and bindings, and reconciles existing ones
 * as upstream does: missing rules (as single-verb pieces), subjects, labels, annotations and aggregation
 * selectors are added, nothing a user added is removed, and objects annotated
 * `rbac.authorization.kubernetes.io/autoupdate: "false"` are left alone. A binding whose roleRef differs is
 * replaced by the default as it is (roleRef is immutable).
 */
import type { RegistryStore } from '../../../registry/store.ts';
import { getIfExists, systemContext } from '../../../registry/store.ts';
import type { StoredObject } from '../../../storage/store.ts';
import { goJson } from '../../../machinery/json-value.ts';
import { autoupdateAnnotation, clusterRoleBindings, clusterRoles, controllerRoleBindings, controllerRoles, namespaceRoleBindings, namespaceRoles } from './bootstrap-policy.ts';
import { missingPieces } from './rules.ts';

export interface RBACStores {
  roles: RegistryStore;
  clusterRoles: RegistryStore;
  roleBindings: RegistryStore;
  clusterRoleBindings: RegistryStore;
}

function mergeMaps(existing: Record<string, string> | undefined, wanted: Record<string, string> | undefined): Record<string, string> | undefined {
  if (!wanted) return existing;
  return { ...wanted, ...(existing ?? {}) };
}

/** What `existing` must become to hold everything `expected` holds, or undefined when it already does (compared as Go writes them: stored maps come back sorted). */
function reconcileRole(existing: StoredObject, expected: StoredObject): StoredObject | undefined {
  const next = structuredClone(existing);
  next.metadata.labels = mergeMaps(existing.metadata.labels, expected.metadata.labels);
  next.metadata.annotations = mergeMaps(existing.metadata.annotations, expected.metadata.annotations);
  // As upstream: the missing pieces are appended one verb and one resource (or URL) each, not merged back.
  const missing = missingPieces(existing.rules ?? [], expected.rules ?? []);
  if (missing.length) next.rules = [...(existing.rules ?? []), ...missing];
  // A default that is not aggregated loses an aggregationRule someone gave it (upstream removes it even when it
  // only unions); an aggregated one gets the selectors it misses.
  if (!expected.aggregationRule && existing.aggregationRule) delete next.aggregationRule;
  if (expected.aggregationRule) {
    const selectors: unknown[] = existing.aggregationRule?.clusterRoleSelectors ?? [];
    const seen = new Set(selectors.map((s) => JSON.stringify(s)));
    const add = (expected.aggregationRule.clusterRoleSelectors as unknown[]).filter((s) => !seen.has(JSON.stringify(s)));
    if (add.length) next.aggregationRule = { clusterRoleSelectors: [...selectors, ...add] };
  }
  return goJson(next) === goJson(existing) ? undefined : next;
}

function reconcileBinding(existing: StoredObject, expected: StoredObject): StoredObject | undefined {
  const next = structuredClone(existing);
  next.metadata.labels = mergeMaps(existing.metadata.labels, expected.metadata.labels);
  next.metadata.annotations = mergeMaps(existing.metadata.annotations, expected.metadata.annotations);
  const subjects: StoredObject[] = existing.subjects ?? [];
  // Subjects are the same when every field is (upstream compares them whole, apiGroup included).
  const key = (s: StoredObject) => JSON.stringify([s.kind, s.apiGroup ?? '', s.namespace ?? '', s.name]);
  const have = new Set(subjects.map(key));
  const add = ((expected.subjects ?? []) as StoredObject[]).filter((s) => !have.has(key(s)));
  if (add.length) next.subjects = [...subjects, ...add];
  return goJson(next) === goJson(existing) ? undefined : next;
}


function sameRoleRef(a: StoredObject | undefined, b: StoredObject): boolean {
  return a?.apiGroup === b.apiGroup && a?.kind === b.kind && a?.name === b.name;
}

async function ensure(store: RegistryStore, expected: StoredObject, reconcile: (existing: StoredObject, expected: StoredObject) => StoredObject | undefined): Promise<void> {
  const ns = expected.metadata.namespace ?? '';
  const ctx = systemContext(ns);
  const existing = await getIfExists(store, systemContext(ns), expected.metadata.name);
  if (!existing) {
    await store.create(ctx, structuredClone(expected));
    return;
  }
  if (existing.metadata.annotations?.[autoupdateAnnotation] === 'false') return;
  if (expected.roleRef && !sameRoleRef(existing.roleRef, expected.roleRef)) {
    await store.delete(ctx, existing.metadata.name, { preconditions: { uid: existing.metadata.uid } });
    // As upstream: the binding is reset to the default as it is, its subjects included.
    await store.create(ctx, structuredClone(expected));
    return;
  }
  const next = reconcile(existing, expected);
  if (next) await store.update(ctx, existing.metadata.name, next);
}

/** Creates or reconciles every default role and binding; throws (and is retried) while kube-system is missing. */
export async function bootstrapRBAC(stores: RBACStores): Promise<void> {
  for (const obj of [...clusterRoles, ...controllerRoles]) await ensure(stores.clusterRoles, obj, reconcileRole);
  for (const obj of [...clusterRoleBindings, ...controllerRoleBindings]) await ensure(stores.clusterRoleBindings, obj, reconcileBinding);
  for (const obj of namespaceRoles) await ensure(stores.roles, obj, reconcileRole);
  for (const obj of namespaceRoleBindings) await ensure(stores.roleBindings, obj, reconcileBinding);
}
