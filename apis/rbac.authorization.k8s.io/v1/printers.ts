/** Computed `kubectl get` columns of rbac.authorization.k8s.io/v1 bindings, as upstream's printers show them. */
import type { ClusterRoleBinding, RoleBinding, Subject } from './types.ts';

type Binding = Partial<RoleBinding> | Partial<ClusterRoleBinding>;

const role = (obj: Binding) => `${obj.roleRef?.kind ?? ''}/${obj.roleRef?.name ?? ''}`;
const subjects = (obj: Binding, kind: string, show: (s: Subject) => string) => (obj.subjects ?? []).filter((s) => s.kind === kind).map(show).join(', ');
const users = (obj: Binding) => subjects(obj, 'User', (s) => s.name);
const groups = (obj: Binding) => subjects(obj, 'Group', (s) => s.name);
const serviceAccounts = (obj: Binding) => subjects(obj, 'ServiceAccount', (s) => `${s.namespace ?? ''}/${s.name}`);

export function print_RoleBinding_role(obj: Partial<RoleBinding>): string {
  return role(obj);
}

export function print_RoleBinding_users(obj: Partial<RoleBinding>): string {
  return users(obj);
}

export function print_RoleBinding_groups(obj: Partial<RoleBinding>): string {
  return groups(obj);
}

export function print_RoleBinding_serviceAccounts(obj: Partial<RoleBinding>): string {
  return serviceAccounts(obj);
}

export function print_ClusterRoleBinding_role(obj: Partial<ClusterRoleBinding>): string {
  return role(obj);
}

export function print_ClusterRoleBinding_users(obj: Partial<ClusterRoleBinding>): string {
  return users(obj);
}

export function print_ClusterRoleBinding_groups(obj: Partial<ClusterRoleBinding>): string {
  return groups(obj);
}

export function print_ClusterRoleBinding_serviceAccounts(obj: Partial<ClusterRoleBinding>): string {
  return serviceAccounts(obj);
}

