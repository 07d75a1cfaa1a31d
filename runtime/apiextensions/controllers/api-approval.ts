/**
 * The KubernetesAPIApprovalPolicyConformant condition (upstream's apiapproval controller): CRDs of the Kubernetes
 * project's groups (`*.k8s.io`, `*.kubernetes.io`) report whether their `api-approved.kubernetes.io` annotation
 * points at an approved API review.
 */
import type { StoredObject } from '../../storage/store.ts';
import { apiApprovalState, isProtectedCommunityGroup } from '../validation/index.ts';
import type { CRDCondition } from './conditions.ts';
import type { CRDConditionRule } from './condition-controller.ts';

const conditionType = 'KubernetesAPIApprovalPolicyConformant';

export function apiApprovalCondition(crd: StoredObject): CRDCondition | undefined {
  if (!isProtectedCommunityGroup(String(crd.spec?.group ?? ''))) return undefined;
  const { state, reason } = apiApprovalState(crd.metadata?.annotations);
  const byState = {
    Invalid: ['False', 'InvalidAnnotation'],
    Missing: ['False', 'MissingAnnotation'],
    Approved: ['True', 'ApprovedAnnotation'],
    Bypassed: ['False', 'UnapprovedAnnotation'],
  } as const;
  const [status, why] = byState[state];
  return { type: conditionType, status, reason: why, message: reason };
}

/** Checked again when the approval annotation changes. */
export const apiApprovalRule: CRDConditionRule = {
  name: 'KubernetesAPIApprovalPolicyConformantConditionController',
  type: conditionType,
  inputOf: (crd) => String(crd.metadata?.annotations?.['api-approved.kubernetes.io'] ?? ''),
  conditionFor: apiApprovalCondition,
  removeWhenAbsent: false,
};
