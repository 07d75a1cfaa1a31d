import type { RoleRef, Subject } from './types.ts';

const rbacGroup = 'rbac.authorization.k8s.io';

/** A role reference always points into the RBAC group. */
export function setDefaults_RoleRef(obj: RoleRef): void {
  if (!obj.apiGroup) obj.apiGroup = rbacGroup;
}

/** Users and groups live in the RBAC group; service accounts in the core group. */
export function setDefaults_Subject(obj: Subject): void {
  if (obj.apiGroup) return;
  if (obj.kind === 'ServiceAccount') obj.apiGroup = '';
  else if (obj.kind === 'User' || obj.kind === 'Group') obj.apiGroup = rbacGroup;
}
