/**
 * Who may point admission policies at params, as upstream's ValidatingAdmissionPolicy and binding storage check it:
 * a policy's author must be able to read ("get") every object of its paramKind, a binding's author the object its
 * paramRef names (of the bound policy's paramKind). Members of system:masters pass. Upstream asks only once the
 * object is otherwise valid and answers a refusal as a 422 with a Forbidden cause at spec.paramKind or spec.paramRef;
 * this runs where upstream's storage does (after mutation, before the strategy validates), so it checks validity
 * itself first and leaves an invalid object to the strategy's answer.
 */
import type { Authorizer } from '../../auth/authorization/types.ts';
import { isPrivileged } from '../../auth/authorization/types.ts';
import type { UserInfo } from '../../auth/user.ts';
import { forbidden } from '../../machinery/field-errors.ts';
import { invalid } from '../../machinery/status.ts';
import type { StoredObject } from '../../storage/store.ts';
import { storeReaders, type StoreLookup } from '../readers.ts';
import type { AdmissionAttributes, AdmissionPlugin } from '../types.ts';
import { validateBindingSpec, validatePolicySpec } from './api-validation.ts';

const group = 'admissionregistration.k8s.io';

export interface ParamAuthorizationDeps {
  authorizer: () => Authorizer;
  /** The kinds the server serves, built-in and custom (upstream's resolver asks discovery). */
  scheme: { kindFor(group: string, version: string, kind: string): { resource: string } | undefined };
  /** The stores, for the bound policy. */
  lookup: StoreLookup;
}

interface ParamKind { apiVersion?: string; kind?: string }

/**
 * What a paramKind names, for the authorizer: `*` for whatever cannot be told (upstream's ParseGroupVersion fails
 * on more than one slash; a kind no served version has resolves to no resource).
 */
function paramTarget(deps: ParamAuthorizationDeps, pk: ParamKind | undefined): { apiGroup: string; apiVersion: string; resource: string } {
  const av = pk?.apiVersion ?? '';
  const slashes = av.split('/').length - 1;
  if (!pk || slashes > 1) return { apiGroup: '*', apiVersion: '*', resource: '*' };
  const [apiGroup, apiVersion] = av === '/' ? ['', ''] : slashes === 1 ? av.split('/') : ['', av];
  return { apiGroup, apiVersion, resource: deps.scheme.kindFor(apiGroup, apiVersion, pk.kind ?? '')?.resource || '*' };
}

/** The user as Go's %v prints upstream's *user.DefaultInfo: `&{name uid [groups] map[extra]}`. */
function goUser(u: UserInfo): string {
  const extra = Object.keys(u.extra ?? {})
    .sort()
    .map((k) => `${k}:[${u.extra![k].join(' ')}]`);
  return `&{${u.name} ${u.uid ?? ''} [${u.groups.join(' ')}] map[${extra.join(' ')}]}`;
}

async function allowed(deps: ParamAuthorizationDeps, user: UserInfo, target: { apiGroup: string; apiVersion: string; resource: string }, namespace: string, name: string): Promise<boolean> {
  const { decision } = await deps.authorizer().authorize({ user, verb: 'get', resourceRequest: true, subresource: '', path: '', namespace, name, ...target });
  return decision === 'allow';
}

async function checkPolicy(deps: ParamAuthorizationDeps, a: AdmissionAttributes, obj: StoredObject): Promise<string | undefined> {
  const pk: ParamKind | undefined = obj.spec?.paramKind;
  if (!pk) return undefined;
  const oldPk: ParamKind | undefined = a.oldObject?.spec?.paramKind;
  if (oldPk && oldPk.apiVersion === pk.apiVersion && oldPk.kind === pk.kind) return undefined;
  if (validatePolicySpec(obj.spec, obj.metadata?.name ?? '').length) return undefined;
  if (await allowed(deps, a.user, paramTarget(deps, pk), '*', '*')) return undefined;
  return `user ${goUser(a.user)} must have "get" permission on all objects of the referenced paramKind (kind=${pk.kind ?? ''}, apiVersion=${pk.apiVersion ?? ''})`;
}

async function checkBinding(deps: ParamAuthorizationDeps, a: AdmissionAttributes, obj: StoredObject): Promise<string | undefined> {
  const ref = obj.spec?.paramRef;
  // No update skips this: upstream compares the old and new paramRef structs, whose pointer fields (the required
  // parameterNotFoundAction among them) never compare equal.
  if (!ref || validateBindingSpec(obj.spec).length) return undefined;
  const policy = await storeReaders(deps.lookup)(group, 'v1', 'validatingadmissionpolicies').get('', obj.spec?.policyName ?? '');
  const target = paramTarget(deps, policy?.spec?.paramKind);
  if (await allowed(deps, a.user, target, ref.namespace ?? '', ref.name ?? '')) return undefined;
  return `user ${goUser(a.user)} does not have "get" permission on the object referenced by paramRef`;
}

export function policyParamAuthorization(deps: ParamAuthorizationDeps): AdmissionPlugin {
  return {
    name: 'ValidatingAdmissionPolicyParamAuthorization',
    resources: ['validatingadmissionpolicies', 'validatingadmissionpolicybindings'],
    async afterMutation(a: AdmissionAttributes): Promise<void> {
      if (a.kind.group !== group || a.subresource || (a.operation !== 'CREATE' && a.operation !== 'UPDATE') || !a.object) return;
      if (isPrivileged(a.user)) return;
      const binding = a.kind.resource === 'validatingadmissionpolicybindings';
      const refusal = binding ? await checkBinding(deps, a, a.object) : await checkPolicy(deps, a, a.object);
      if (refusal) throw invalid(group, a.kind.kind, a.object.metadata?.name ?? a.name, [forbidden(binding ? 'spec.paramRef' : 'spec.paramKind', refusal)]);
    },
  };
}
