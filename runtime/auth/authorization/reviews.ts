/**
 * authorization.k8s.io/v1 reviews, served without storage (upstream's registry/authorization): SubjectAccessReview
 * and LocalSubjectAccessReview ask the server's authorizers about a user given in the body, SelfSubjectAccessReview
 * about the requester (`kubectl auth can-i`), SelfSubjectRulesReview lists the requester's rules in a namespace
 * (`kubectl auth can-i --list`).
 */
import { LocalSubjectAccessReview, SelfSubjectAccessReview, SelfSubjectRulesReview, SubjectAccessReview } from '../../../generated/authorization.k8s.io/v1/register.ts';
import type { FieldError } from '../../machinery/field-errors.ts';
import { badRequest, invalid } from '../../machinery/status.ts';
import type { CreaterREST } from '../../registry/rest.ts';
import type { StoredObject } from '../../storage/store.ts';
import type { UserInfo } from '../user.ts';
import type { Attributes, Authorizer, RuleResolver } from './types.ts';

interface ReviewSpec {
  resourceAttributes?: { namespace?: string; verb?: string; group?: string; version?: string; resource?: string; subresource?: string; name?: string };
  nonResourceAttributes?: { path?: string; verb?: string };
  user?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
  uid?: string;
}

/** The attributes a review asks about, as upstream's ResourceAttributesFrom / NonResourceAttributesFrom. */
export function attributesFromReview(user: UserInfo, spec: ReviewSpec): Attributes {
  const r = spec.resourceAttributes;
  if (r) {
    return { user, verb: r.verb ?? '', resourceRequest: true, apiGroup: r.group ?? '', apiVersion: r.version ?? '', resource: r.resource ?? '', subresource: r.subresource ?? '', namespace: r.namespace ?? '', name: r.name ?? '', path: '' };
  }
  const n = spec.nonResourceAttributes ?? {};
  return { user, verb: n.verb ?? '', resourceRequest: false, apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '', path: n.path ?? '' };
}

function exactlyOneAttributes(spec: ReviewSpec): FieldError[] {
  const both = Boolean(spec.resourceAttributes) === Boolean(spec.nonResourceAttributes);
  return both ? [{ type: 'FieldValueInvalid', field: 'spec.resourceAttributes', badValue: spec.resourceAttributes ?? null, detail: 'exactly one of nonResourceAttributes or resourceAttributes must be specified' }] : [];
}

async function review(authorizer: Authorizer, user: UserInfo, spec: ReviewSpec): Promise<Record<string, unknown>> {
  const result = await authorizer.authorize(attributesFromReview(user, spec));
  const status: Record<string, unknown> = { allowed: result.decision === 'allow' };
  if (result.decision === 'deny') status.denied = true;
  if (result.reason) status.reason = result.reason;
  if (result.error) status.evaluationError = result.error;
  return status;
}

function reject(kind: string, name: string, errors: FieldError[]): void {
  if (errors.length) throw invalid('authorization.k8s.io', kind, name, errors);
}

export function subjectAccessReviewREST(authorizer: Authorizer): CreaterREST {
  return {
    kind: SubjectAccessReview,
    async create(_ctx, _name, obj) {
      const spec = (obj.spec ?? {}) as ReviewSpec;
      const errors = exactlyOneAttributes(spec);
      if (!spec.user && !spec.groups?.length) errors.push({ type: 'FieldValueInvalid', field: 'spec.user,spec.groups', badValue: spec.user ?? '', detail: 'at least one of user or group must be specified' });
      reject('SubjectAccessReview', obj.metadata?.name ?? '', errors);
      const user: UserInfo = { name: spec.user ?? '', groups: spec.groups ?? [], ...(spec.uid ? { uid: spec.uid } : {}), ...(spec.extra ? { extra: spec.extra } : {}) };
      return { ...obj, status: await review(authorizer, user, spec) } as StoredObject;
    },
  };
}

export function selfSubjectAccessReviewREST(authorizer: Authorizer): CreaterREST {
  return {
    kind: SelfSubjectAccessReview,
    async create(ctx, _name, obj) {
      const spec = (obj.spec ?? {}) as ReviewSpec;
      reject('SelfSubjectAccessReview', obj.metadata?.name ?? '', exactlyOneAttributes(spec));
      return { ...obj, status: await review(authorizer, ctx.user, spec) } as StoredObject;
    },
  };
}

export function localSubjectAccessReviewREST(authorizer: Authorizer): CreaterREST {
  return {
    kind: LocalSubjectAccessReview,
    async create(ctx, _name, obj) {
      const namespace = ctx.namespace;
      if (!namespace) throw badRequest(`namespace is required on this type: ${namespace}`);
      obj.metadata ??= {};
      obj.metadata.namespace ??= namespace;
      if (obj.metadata.namespace !== namespace) throw badRequest(`spec.resourceAttributes.namespace must match namespace: ${namespace}`);
      const spec = (obj.spec ?? {}) as ReviewSpec;
      const errors = exactlyOneAttributes(spec);
      if (spec.nonResourceAttributes) errors.push({ type: 'FieldValueInvalid', field: 'spec.nonResourceAttributes', badValue: spec.nonResourceAttributes, detail: 'disallowed on this kind of request' });
      if (spec.resourceAttributes && spec.resourceAttributes.namespace !== namespace) {
        errors.push({ type: 'FieldValueInvalid', field: 'spec.resourceAttributes.namespace', badValue: spec.resourceAttributes.namespace ?? '', detail: 'must match metadata.namespace' });
      }
      if (!spec.user && !spec.groups?.length) errors.push({ type: 'FieldValueInvalid', field: 'spec.user,spec.groups', badValue: spec.user ?? '', detail: 'at least one of user or group must be specified' });
      reject('LocalSubjectAccessReview', obj.metadata.name ?? '', errors);
      const user: UserInfo = { name: spec.user ?? '', groups: spec.groups ?? [], ...(spec.uid ? { uid: spec.uid } : {}), ...(spec.extra ? { extra: spec.extra } : {}) };
      return { ...obj, status: await review(authorizer, user, spec) } as StoredObject;
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
      return { ...obj, status } as StoredObject;
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
