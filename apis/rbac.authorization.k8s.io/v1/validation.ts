import type { FieldError } from '../../../runtime/machinery/field-errors.ts';
import { invalid, notSupported, required } from '../../../runtime/machinery/field-errors.ts';
import { goString, goStrings, goStruct, goValue } from '../../../runtime/machinery/go-syntax.ts';
import { labelSelectorFromObject } from '../../../runtime/machinery/selectors.ts';
import { validateName } from '../../../runtime/registry/objectmeta.ts';
import { validateLabelSelector } from '../../meta/v1/validation-helpers.ts';
import type { ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding, RoleRef, Subject } from './types.ts';

const rbacGroup = 'rbac.authorization.k8s.io';

function validatePolicyRule(rule: PolicyRule, namespaced: boolean, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!rule.verbs?.length) errors.push(required(`${path}.verbs`, 'verbs must contain at least one value'));
  if (rule.nonResourceURLs?.length) {
    // Upstream reports the whole list, which Go prints as []string{"..."}.
    const urls = goValue(goStrings, rule.nonResourceURLs);
    if (namespaced) errors.push(invalid(`${path}.nonResourceURLs`, urls, 'namespaced rules cannot apply to non-resource URLs'));
    if (rule.apiGroups?.length || rule.resources?.length || rule.resourceNames?.length) {
      errors.push(invalid(`${path}.nonResourceURLs`, urls, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errors;
  }
  if (!rule.apiGroups?.length) errors.push(required(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  if (!rule.resources?.length) errors.push(required(`${path}.resources`, 'resource rules must supply at least one resource'));
  return errors;
}

export function validate_Role(obj: Role, _old?: Role): FieldError[] {
  return (obj.rules ?? []).flatMap((r, i) => validatePolicyRule(r, true, `rules[${i}]`));
}

export function validate_ClusterRole(obj: ClusterRole, _old?: ClusterRole): FieldError[] {
  const errors = (obj.rules ?? []).flatMap((r, i) => validatePolicyRule(r, false, `rules[${i}]`));
  if (obj.aggregationRule) {
    const selectors = obj.aggregationRule.clusterRoleSelectors ?? [];
    if (selectors.length === 0) {
      errors.push(required('aggregationRule.clusterRoleSelectors', 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    }
    selectors.forEach((s, i) => {
      const path = `aggregationRule.clusterRoleSelectors[${i}]`;
      errors.push(...validateLabelSelector(s, path));
      // Upstream then builds the selector too, and a selector that cannot be built is reported again, whole; the
      // value it reports is the selector that was not built, nil, which Go prints as "null".
      try {
        labelSelectorFromObject(s);
      } catch {
        errors.push(invalid(path, null, 'invalid label selector.'));
      }
    });
  }
  return errors;
}

function validateRoleRef(ref: RoleRef | undefined, allowedKinds: string[]): FieldError[] {
  const errors: FieldError[] = [];
  const r = ref ?? ({} as RoleRef);
  if (r.apiGroup !== rbacGroup) errors.push(notSupported('roleRef.apiGroup', r.apiGroup ?? '', [rbacGroup]));
  if (!allowedKinds.includes(r.kind)) errors.push(notSupported('roleRef.kind', r.kind ?? '', allowedKinds));
  if (!r.name) errors.push(required('roleRef.name', ''));
  else errors.push(...validateName(r.name, 'path-segment', 'roleRef.name'));
  return errors;
}

function validateSubject(s: Subject, namespaced: boolean, path: string): FieldError[] {
  const errors: FieldError[] = [];
  if (!s.name) errors.push(required(`${path}.name`, ''));
  switch (s.kind) {
    case 'ServiceAccount':
      // ValidateServiceAccountName: a DNS subdomain, each of its messages a cause of its own.
      if (s.name) errors.push(...validateName(s.name, 'dns1123-subdomain', `${path}.name`));
      if (s.apiGroup) errors.push(notSupported(`${path}.apiGroup`, s.apiGroup, ['']));
      if (!namespaced && !s.namespace) errors.push(required(`${path}.namespace`, ''));
      break;
    case 'User':
    case 'Group':
      if (s.apiGroup !== rbacGroup) errors.push(notSupported(`${path}.apiGroup`, s.apiGroup ?? '', [rbacGroup]));
      break;
    default:
      errors.push(notSupported(`${path}.kind`, s.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errors;
}

/** The internal RoleRef, which upstream reports whole. */
const goRoleRef = goStruct('rbac.RoleRef', [['APIGroup', goString(), 'apiGroup'], ['Kind', goString()], ['Name', goString()]]);

function roleRefChanged(obj: { roleRef: RoleRef }, old?: { roleRef: RoleRef }): FieldError[] {
  if (!old) return [];
  const a = obj.roleRef ?? ({} as RoleRef);
  const b = old.roleRef ?? ({} as RoleRef);
  if (a.apiGroup === b.apiGroup && a.kind === b.kind && a.name === b.name) return [];
  return [invalid('roleRef', goValue(goRoleRef, a), 'cannot change roleRef')];
}

export function validate_RoleBinding(obj: RoleBinding, old?: RoleBinding): FieldError[] {
  return [
    ...validateRoleRef(obj.roleRef, ['Role', 'ClusterRole']),
    ...(obj.subjects ?? []).flatMap((s, i) => validateSubject(s, true, `subjects[${i}]`)),
    ...roleRefChanged(obj, old),
  ];
}

export function validate_ClusterRoleBinding(obj: ClusterRoleBinding, old?: ClusterRoleBinding): FieldError[] {
  return [
    ...validateRoleRef(obj.roleRef, ['ClusterRole']),
    ...(obj.subjects ?? []).flatMap((s, i) => validateSubject(s, false, `subjects[${i}]`)),
    ...roleRefChanged(obj, old),
  ];
}
