/**
 * authorization.k8s.io/v1 reviews, served without storage (upstream's registry/authorization): SubjectAccessReview
 * and LocalSubjectAccessReview ask the server's authorizers about a user given in the body, SelfSubjectAccessReview
 * about the requester (`kubectl auth can-i`), SelfSubjectRulesReview lists the requester's rules in a namespace
 * (`kubectl auth can-i --list`).
 */
import { LocalSubjectAccessReview, SelfSubjectAccessReview, SelfSubjectRulesReview, SubjectAccessReview } from '../../../generated/authorization.k8s.io/v1/register.ts';
import type { FieldError } from '../../machinery/field-errors.ts';
import { invalid as invalidField } from '../../machinery/field-errors.ts';
import { badRequest, invalid } from '../../machinery/status.ts';
import type { CreaterREST } from '../../registry/rest.ts';
import type { StoredObject } from '../../storage/store.ts';
import type { UserInfo } from '../user.ts';
import { goValue } from '../../machinery/go-syntax.ts';
import { goNonResourceAttributes, validateReviewMeta, validateReviewSpec, type ReviewSpec } from './review-validation.ts';
import type { Attributes, Authorizer, RuleResolver } from './types.ts';
import { reviewFieldSelector, reviewLabelSelector, selectorAttributes, selectorEvaluationErrors } from './selector-attributes.ts';

/** The attributes a review asks about, as upstream's ResourceAttributesFrom / NonResourceAttributesFrom. */
export function attributesFromReview(user: UserInfo, spec: ReviewSpec): Attributes {
  const r = spec.resourceAttributes;
  if (r) {
    return {
      user,
      verb: r.verb ?? '',
      resourceRequest: true,
      apiGroup: r.group ?? '',
      apiVersion: r.version ?? '',
      resource: r.resource ?? '',
      subresource: r.subresource ?? '',
      namespace: r.namespace ?? '',
      name: r.name ?? '',
      path: '',
      ...selectorAttributes(reviewFieldSelector(r.fieldSelector), reviewLabelSelector(r.labelSelector)),
    };
  }
  const n = spec.nonResourceAttributes ?? {};
  return { user, verb: n.verb ?? '', resourceRequest: false, apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '', path: n.path ?? '' };
}

async function review(authorizer: Authorizer, user: UserInfo, spec: ReviewSpec): Promise<Record<string, unknown>> {
  const attrs = attributesFromReview(user, spec);
  const result = await authorizer.authorize(attrs);
  const status: Record<string, unknown> = { allowed: result.decision === 'allow' };
  if (result.decision === 'deny') status.denied = true;
  if (result.reason) status.reason = result.reason;
  const evaluationError = [...(result.error ? [result.error] : []), ...selectorEvaluationErrors(attrs)].join('; ');
  if (evaluationError) status.evaluationError = evaluationError;
  return status;
}

/**
 * Upstream names the kind of its error from the decoded object, whose kind the conversion to the internal version
 * left empty: the message reads `.authorization.k8s.io "" is invalid`.
 */
function reject(errors: FieldError[]): void {
  if (errors.length) throw invalid('authorization.k8s.io', '', '', errors);
}

function subjectOf(spec: ReviewSpec): UserInfo {
  return { name: spec.user ?? '', groups: spec.groups ?? [], ...(spec.uid ? { uid: spec.uid } : {}), ...(spec.extra ? { extra: spec.extra } : {}) };
}

export function subjectAccessReviewREST(authorizer: Authorizer): CreaterREST {
  return {
    kind: SubjectAccessReview,
    async create(_ctx, _name, obj) {
      const spec = (obj.spec ?? {}) as ReviewSpec;
      reject([...validateReviewSpec(spec, true), ...validateReviewMeta(obj.metadata, false)]);
      return { ...obj, status: await review(authorizer, subjectOf(spec), spec) } as StoredObject;
    },
  };
}

export function selfSubjectAccessReviewREST(authorizer: Authorizer): CreaterREST {
  return {
    kind: SelfSubjectAccessReview,
    async create(ctx, _name, obj) {
      const spec = (obj.spec ?? {}) as ReviewSpec;
      reject([...validateReviewSpec(spec, false), ...validateReviewMeta(obj.metadata, false)]);
      return { ...obj, status: await review(authorizer, ctx.user, spec) } as StoredObject;
    },
  };
}

export function localSubjectAccessReviewREST(authorizer: Authorizer): CreaterREST {
  return {
    kind: LocalSubjectAccessReview,
    async create(ctx, _name, obj) {
      obj.metadata ??= {};
      if (ctx.namespace) obj.metadata.namespace ??= ctx.namespace;
      const spec = (obj.spec ?? {}) as ReviewSpec;
      const namespace = obj.metadata.namespace ?? '';
      const errors = [...validateReviewSpec(spec, true), ...validateReviewMeta(obj.metadata, true)];
      if (spec.resourceAttributes && (spec.resourceAttributes.namespace ?? '') !== namespace) {
        errors.push(invalidField('spec.resourceAttributes.namespace', spec.resourceAttributes.namespace ?? '', 'must match metadata.namespace'));
      }
      if (spec.nonResourceAttributes) errors.push(invalidField('spec.nonResourceAttributes', goValue(goNonResourceAttributes, spec.nonResourceAttributes), 'disallowed on this kind of request'));
      reject(errors);
      if (!ctx.namespace) throw badRequest(`namespace is required on this type: ${ctx.namespace ?? ''}`);
      if (namespace !== ctx.namespace) throw badRequest(`spec.resourceAttributes.namespace must match namespace: ${ctx.namespace}`);
      return { ...obj, status: await review(authorizer, subjectOf(spec), spec) } as StoredObject;
    },
  };
}

export function selfSubjectRulesReviewREST(resolver: RuleResolver): CreaterREST {
  return {
    kind: SelfSubjectRulesReview,
    async create(ctx, _name, obj) {
      const namespace = obj.spec?.namespace as string | undefined;
      if (!namespace) throw badRequest('no namespace on request');
      const rules = await resolver.rulesFor(ctx.user, namespace);
      const status: Record<string, unknown> = { resourceRules: rules.resourceRules, nonResourceRules: rules.nonResourceRules, incomplete: rules.incomplete };
      if (rules.evaluationError) status.evaluationError = rules.evaluationError;
      // Upstream answers with a new review holding only the status: the request's metadata and spec are not echoed.
      return { apiVersion: obj.apiVersion, kind: obj.kind, metadata: {}, spec: {}, status } as StoredObject;
    },
  };
}

type RESTRegistry = { registerREST(group: string, version: string, resource: string, subresource: string, rest: CreaterREST): void };

export function registerAuthorizationREST(kube: RESTRegistry, authorizer: Authorizer, resolver: RuleResolver): void {
  kube.registerREST('authorization.k8s.io', 'v1', 'subjectaccessreviews', '', subjectAccessReviewREST(authorizer));
  kube.registerREST('authorization.k8s.io', 'v1', 'selfsubjectaccessreviews', '', selfSubjectAccessReviewREST(authorizer));
  kube.registerREST('authorization.k8s.io', 'v1', 'localsubjectaccessreviews', '', localSubjectAccessReviewREST(authorizer));
  kube.registerREST('authorization.k8s.io', 'v1', 'selfsubjectrulesreviews', '', selfSubjectRulesReviewREST(resolver));
}
