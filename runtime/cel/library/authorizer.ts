/**
 * The Kubernetes `authz` library (upstream's library/authz.go): policies ask the server's authorizer whether the
 * requesting user (or a service account) may do something:
 *
 *   authorizer.group('apps').resource('deployments').namespace('ns').name('web').check('update').allowed()
 *   authorizer.path('/healthz').check('get').reason()
 *   authorizer.serviceAccount('ns', 'sa').group('').resource('pods').check('list').allowed()
 *   authorizer.requestResource.check('approve').allowed()
 *   authorizer.group('').resource('pods').fieldSelector('spec.nodeName=n1').labelSelector('app=web').check('list').allowed()
 *
 * Authorizers answer asynchronously while CEL runs synchronously: an `AuthorizationSession` caches decisions, and a
 * check that is not cached yet stops the evaluation, to be fetched and the expression run again (see evaluateAsync).
 * Each check costs what upstream's does, so a handful of them reach the per-expression cost limit.
 */
import type { CelFunc } from '@bufbuild/cel';
import { currentRun } from '../run-context.ts';
import { global, method } from './func.ts';
import { OpaqueValue, asCel } from './opaque.ts';
import type { FieldRequirement, LabelRequirement } from '../../machinery/selectors.ts';
import { fieldSelectorRequirements, labelSelectorRequirements, selectorAttributes, type SelectorRequirements } from '../../auth/authorization/selector-attributes.ts';

/** The user an authorizer decides for; structurally runtime/auth/user.ts' UserInfo. */
export interface CelUser {
  name: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

/** What an authorizer is asked; structurally runtime/auth/authorization's Attributes. */
export interface CelAuthzAttributes {
  user: CelUser;
  verb: string;
  resourceRequest: boolean;
  apiGroup: string;
  apiVersion: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  path: string;
  /** The selectors a check is limited by (upstream's AuthzSelectors library, AuthorizeWithSelectors), parsed when
   *  the check is made; one that does not parse limits nothing, so the check asks the broader question. */
  fieldSelector?: SelectorRequirements<FieldRequirement>;
  labelSelector?: SelectorRequirements<LabelRequirement>;
}

export type CelAuthorize = (attrs: CelAuthzAttributes) => Promise<{ decision: 'allow' | 'deny' | 'no-opinion'; reason?: string }>;

/** Upstream's cost of one authorization check. */
export const authzCheckCost = 350_000;

interface DecisionData {
  allowed: boolean;
  reason: string;
  error: string;
}

/** Signals that the evaluation needs decisions the session has not fetched yet. */
export class AuthorizationPending extends Error {
  constructor() {
    super('authorization decisions pending');
  }
}

/** Decisions for one admission request, shared by every expression evaluated for it (as upstream's caching authorizer). */
export class AuthorizationSession {
  private readonly decisions = new Map<string, DecisionData>();
  private pending = new Map<string, CelAuthzAttributes>();
  constructor(private readonly authorize: CelAuthorize) {}

  lookup(attrs: CelAuthzAttributes): DecisionData | undefined {
    const key = JSON.stringify([attrs.user.name, attrs.user.groups, attrs.verb, attrs.resourceRequest, attrs.apiGroup, attrs.resource, attrs.subresource, attrs.namespace, attrs.name, attrs.path, attrs.fieldSelector, attrs.labelSelector]);
    const d = this.decisions.get(key);
    if (!d) this.pending.set(key, attrs);
    return d;
  }

  get hasPending(): boolean {
    return this.pending.size > 0;
  }

  /** Asks the authorizer for every decision the last run missed. */
  async fetchPending(): Promise<void> {
    const todo = [...this.pending];
    this.pending = new Map();
    await Promise.all(
      todo.map(async ([key, attrs]) => {
        try {
          const r = await this.authorize(attrs);
          this.decisions.set(key, { allowed: r.decision === 'allow', reason: r.reason ?? '', error: '' });
        } catch (e) {
          this.decisions.set(key, { allowed: false, reason: '', error: e instanceof Error ? e.message : String(e) });
        }
      }),
    );
  }
}

export class AuthorizerValue extends OpaqueValue {
  readonly typeName = 'kubernetes.authorization.Authorizer';
  constructor(
    readonly session: AuthorizationSession,
    readonly user: CelUser,
    /** The resource of the request being admitted, behind `authorizer.requestResource`. */
    private readonly requestResource?: Omit<ResourceCheckData, 'authz'>,
  ) {
    super();
  }
  protected identity(): string {
    return this.user.name;
  }
  protected override field(key: unknown) {
    if (key === 'requestResource' && this.requestResource) return asCel(new ResourceCheck({ ...this.requestResource, authz: this }));
    return undefined;
  }
}

class PathCheck extends OpaqueValue {
  readonly typeName = 'kubernetes.authorization.PathCheck';
  constructor(
    readonly authz: AuthorizerValue,
    readonly path: string,
  ) {
    super();
  }
  protected identity(): string {
    return this.path;
  }
}

class GroupCheck extends OpaqueValue {
  readonly typeName = 'kubernetes.authorization.GroupCheck';
  constructor(
    readonly authz: AuthorizerValue,
    readonly group: string,
  ) {
    super();
  }
  protected identity(): string {
    return this.group;
  }
}

interface ResourceCheckData {
  authz: AuthorizerValue;
  group: string;
  version?: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  fieldSelector?: string;
  labelSelector?: string;
}

class ResourceCheck extends OpaqueValue {
  readonly typeName = 'kubernetes.authorization.ResourceCheck';
  constructor(readonly data: ResourceCheckData) {
    super();
  }
  protected identity(): string {
    const d = this.data;
    return JSON.stringify([d.group, d.resource, d.subresource, d.namespace, d.name, d.fieldSelector ?? '', d.labelSelector ?? '']);
  }
  with(patch: Partial<ResourceCheckData>): ResourceCheck {
    return new ResourceCheck({ ...this.data, ...patch });
  }
}

class DecisionValue extends OpaqueValue {
  readonly typeName = 'kubernetes.authorization.Decision';
  constructor(readonly d: DecisionData) {
    super();
  }
  protected identity(): string {
    return JSON.stringify(this.d);
  }
}

/** The check is charged authzCheckCost by the run's meter (../call-cost.ts) before it gets here. */
function decide(authz: AuthorizerValue, attrs: Omit<CelAuthzAttributes, 'user'>): DecisionValue {
  const d = authz.session.lookup({ ...attrs, user: authz.user });
  if (d) return new DecisionValue(d);
  const run = currentRun();
  if (run && !run.interrupt) run.interrupt = new AuthorizationPending();
  // The run stops at the function boundary; this placeholder is never seen by the expression.
  return new DecisionValue({ allowed: false, reason: '', error: 'pending' });
}

const A = 'kubernetes.authorization.Authorizer';
const P = 'kubernetes.authorization.PathCheck';
const G = 'kubernetes.authorization.GroupCheck';
const R = 'kubernetes.authorization.ResourceCheck';
const D = 'kubernetes.authorization.Decision';

/** The service account user, as upstream's serviceaccount.UserInfo. */
export function serviceAccountUser(namespace: string, name: string): CelUser {
  return { name: `system:serviceaccount:${namespace}:${name}`, groups: ['system:serviceaccounts', `system:serviceaccounts:${namespace}`] };
}

export const authz: CelFunc[] = [
  method('path', A, ['string'], P, (a: AuthorizerValue, p: string) => new PathCheck(a, p)),
  method('group', A, ['string'], G, (a: AuthorizerValue, g: string) => new GroupCheck(a, g)),
  method('serviceAccount', A, ['string', 'string'], A, (a: AuthorizerValue, ns: string, n: string) => new AuthorizerValue(a.session, serviceAccountUser(ns, n))),
  method('resource', G, ['string'], R, (g: GroupCheck, r: string) => new ResourceCheck({ authz: g.authz, group: g.group, resource: r, subresource: '', namespace: '', name: '' })),
  method('subresource', R, ['string'], R, (r: ResourceCheck, s: string) => r.with({ subresource: s })),
  method('namespace', R, ['string'], R, (r: ResourceCheck, s: string) => r.with({ namespace: s })),
  method('name', R, ['string'], R, (r: ResourceCheck, s: string) => r.with({ name: s })),
  // Selectors are kept raw (the check's identity) and parsed when the check is made; an empty one is no selector.
  method('fieldSelector', R, ['string'], R, (r: ResourceCheck, s: string) => r.with({ fieldSelector: s || undefined })),
  method('labelSelector', R, ['string'], R, (r: ResourceCheck, s: string) => r.with({ labelSelector: s || undefined })),
  method('check', R, ['string'], D, (r: ResourceCheck, verb: string) => {
    const d = r.data;
    return decide(d.authz, {
      verb,
      resourceRequest: true,
      apiGroup: d.group,
      apiVersion: d.version ?? '*',
      resource: d.resource,
      subresource: d.subresource,
      namespace: d.namespace,
      name: d.name,
      path: '',
      ...selectorAttributes(fieldSelectorRequirements(d.fieldSelector), labelSelectorRequirements(d.labelSelector)),
    });
  }),
  method('check', P, ['string'], D, (p: PathCheck, verb: string) =>
    decide(p.authz, { verb, resourceRequest: false, apiGroup: '', apiVersion: '', resource: '', subresource: '', namespace: '', name: '', path: p.path }),
  ),
  method('allowed', D, [], 'bool', (d: DecisionValue) => d.d.allowed),
  method('reason', D, [], 'string', (d: DecisionValue) => d.d.reason),
  method('errored', D, [], 'bool', (d: DecisionValue) => d.d.error !== ''),
  method('error', D, [], 'string', (d: DecisionValue) => d.d.error),
];

// Referenced so the checker knows these type names exist even before any overload returns them.
export const authzTypeNames = [A, P, G, R, D];

