/**
 * The RBAC authorizer and rule resolver (upstream's plugin/pkg/auth/authorizer/rbac): allows what a bound Role or
 * ClusterRole grants, and otherwise has no opinion (RBAC never denies), saying which bound roles were missing.
 */
import type { UserInfo } from '../../user.ts';
import type { Attributes, AuthorizationResult, Authorizer, NonResourceRuleInfo, ResourceRuleInfo, RuleResolver } from '../types.ts';
import { describeBinding, type MissingRoleWording, type RBACIndex } from './index.ts';
import { ruleAllows, type PolicyRule } from './rules.ts';
import { aggregateErrors } from '../../../machinery/aggregate-errors.ts';

export class RBACAuthorizer implements Authorizer, RuleResolver {
  constructor(private readonly index: RBACIndex) {}

  async authorize(attrs: Attributes): Promise<AuthorizationResult> {
    let errors: string[] | undefined;
    for (const g of this.index.grants(attrs.user, attrs.namespace)) {
      if (g.missing) (errors ??= []).push(this.index.missingRoleError(g, 'lister'));
      for (const rule of g.rules) {
        if (ruleAllows(attrs, rule)) return { decision: 'allow', reason: `RBAC: allowed by ${(g.description ??= describeBinding(g.binding, attrs.user))}` };
      }
    }
    return { decision: 'no-opinion', reason: errors ? `RBAC: ${aggregateErrors(errors)}` : '' };
  }

  /** Every rule the user holds in `namespace` (cluster-wide ones included). */
  rules(user: UserInfo, namespace: string, wording: MissingRoleWording = 'lister'): { rules: PolicyRule[]; errors: string[] } {
    const rules: PolicyRule[] = [];
    const errors = this.index.visitRules(user, namespace, (rule) => {
      rules.push(rule);
      return false;
    }, wording);
    return { rules, errors };
  }

  async rulesFor(user: UserInfo, namespace: string) {
    const { rules, errors } = this.rules(user, namespace);
    const resourceRules: ResourceRuleInfo[] = [];
    const nonResourceRules: NonResourceRuleInfo[] = [];
    for (const r of rules) {
      if (r.resources?.length) resourceRules.push({ verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources, resourceNames: r.resourceNames ?? [] });
      if (r.nonResourceURLs?.length) nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs });
    }
    // Upstream's RBAC never calls its list incomplete: a binding to a missing role is only an error.
    return { resourceRules, nonResourceRules, incomplete: false, evaluationError: errors.length ? aggregateErrors(errors) : undefined, errors };
  }
}
