/**
 * The authorizer contract, as upstream's authorizer.Authorizer: a decision about plain attributes of a request
 * (who, which verb, on what), never about the HTTP request itself. The authorization filter builds attributes from
 * RequestInfo; SubjectAccessReview builds them from its spec; impersonation builds them for the `impersonate` verb.
 */
import type { UserInfo } from '../user.ts';
import type { RequestInfo } from '../../endpoints/request-info.ts';
import type { FieldRequirement, LabelRequirement } from '../../machinery/selectors.ts';
import type { RequestSelectors } from '../../endpoints/request-selectors.ts';
import { selectorRequirements, type SelectorRequirements } from './selector-attributes.ts';

/** What is being asked for, as upstream's authorizer.AttributesRecord. */
export interface Attributes {
  user: UserInfo;
  /** Kubernetes verb (get, list, watch, create, update, patch, delete, deletecollection, impersonate, bind, escalate, ...)
   *  for resource requests; the lower-cased HTTP method (get, post, put, ...) for non-resource requests. */
  verb: string;
  /** True for /api and /apis resource paths (and SubjectAccessReview resourceAttributes), false for plain paths. */
  resourceRequest: boolean;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  /** The request path (non-resource requests are authorized by it). */
  path: string;
  /** The field selector a list, watch or deletecollection is limited by, parsed (upstream's GetFieldSelector). */
  fieldSelector?: SelectorRequirements<FieldRequirement>;
  /** The label selector it is limited by, parsed (upstream's GetLabelSelector). */
  labelSelector?: SelectorRequirements<LabelRequirement>;
}

export type Decision = 'allow' | 'deny' | 'no-opinion';

export interface AuthorizationResult {
  decision: Decision;
  /** Why, for the 403 message and SubjectAccessReview status.reason. */
  reason?: string;
  /** The authorizer could not decide (a webhook failed): with no other allow, the request is a 500, as upstream. */
  error?: string;
}

export interface Authorizer {
  /** 'allow' and 'deny' decide; 'no-opinion' lets the next authorizer decide (no authorizer left: forbidden). */
  authorize(attrs: Attributes): Promise<AuthorizationResult>;
}

/** One rule a user holds (SelfSubjectRulesReview, can-i --list). */
export interface ResourceRuleInfo {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
}
export interface NonResourceRuleInfo {
  verbs: string[];
  nonResourceURLs: string[];
}

/** An authorizer that can also list what a user may do in a namespace, as upstream's RuleResolver. */
export interface RuleResolver {
  rulesFor(user: UserInfo, namespace: string): Promise<{ resourceRules: ResourceRuleInfo[]; nonResourceRules: NonResourceRuleInfo[]; incomplete: boolean; evaluationError?: string }>;
}

/** The attributes of a request as parsed by RequestInfo. */
export function attributesFromRequestInfo(user: UserInfo, info: RequestInfo): Attributes {
  return new RequestAttributes(user, info);
}

/**
 * A class rather than a literal: its selectors are getters on the prototype, read (and so parsed, once per request:
 * request-selectors.ts) only by the authorizers that ask for them, never by RBAC alone.
 */
class RequestAttributes implements Attributes {
  readonly verb: string;
  readonly resourceRequest: boolean;
  readonly apiGroup: string;
  readonly apiVersion: string;
  readonly resource: string;
  readonly subresource: string;
  readonly namespace: string;
  readonly name: string;
  readonly path: string;
  readonly #selectors: RequestSelectors | undefined;

  constructor(
    readonly user: UserInfo,
    info: RequestInfo,
  ) {
    this.verb = info.verb;
    this.resourceRequest = info.isResourceRequest;
    this.apiGroup = info.apiGroup;
    this.apiVersion = info.apiVersion;
    this.resource = info.resource;
    this.subresource = info.subresource;
    this.namespace = info.namespace;
    this.path = info.path;
    this.#selectors = info.selectors;
    this.name = info.name || nameFromFieldSelector(info.verb, info.selectors);
  }

  get fieldSelector(): SelectorRequirements<FieldRequirement> | undefined {
    const s = this.#selectors;
    return s && selectorRequirements(s.rawField, () => s.field());
  }

  get labelSelector(): SelectorRequirements<LabelRequirement> | undefined {
    const s = this.#selectors;
    return s && selectorRequirements(s.rawLabel, () => s.label());
  }
}

/** `system:masters` holds every permission, whatever the modes (upstream's privileged-group authorizer). */
export const mastersGroup = 'system:masters';

/**
 * Whether the user is in the privileged group: allowed before any authorization mode runs, and exempt from the
 * in-flight limits. One answer for the union authorizer and the filters that decide it without waiting.
 */
export function isPrivileged(user: { groups: readonly string[] }): boolean {
  return user.groups.includes(mastersGroup);
}

/**
 * A list or watch pinned to one object by `metadata.name=<name>` is authorized as a request for that name, as
 * upstream's RequestInfo does (a kubelet watches its own Node that way; RBAC resourceNames apply).
 */
function nameFromFieldSelector(verb: string, selectors: RequestSelectors | undefined): string {
  if ((verb !== 'list' && verb !== 'watch') || !selectors?.rawField) return '';
  let name;
  try {
    name = selectors.field().requiresExactMatch('metadata.name') ?? '';
  } catch {
    return ''; // a selector that does not parse names nothing (the handler answers 400)
  }
  return name && name !== '.' && name !== '..' && !/[/%]/.test(name) ? name : '';
}
