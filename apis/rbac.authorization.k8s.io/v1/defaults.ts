import type { RoleRef, Subject } from './types.ts';

const rbacGroup = 'rbac.authorization.k8s.io';

/** A role reference always points into the RBAC group. */
export function setDefaults_RoleRef(obj: RoleRef): void {
  if (!obj.apiGroup) obj.apiGroup = rbacGroup;
}

/**
 * Users and groups live in the RBAC group; service accounts in the core group, whose name is the empty string.
 * Go's field is `omitempty`, so an empty group is never on the wire: it is dropped here rather than stored.
 */
export function setDefaults_Subject(obj: Subject): void {
  if (obj.apiGroup === '') delete obj.apiGroup;
  if (obj.apiGroup) return;
  if (obj.kind === 'User' || obj.kind === 'Group') obj.apiGroup = rbacGroup;
}
