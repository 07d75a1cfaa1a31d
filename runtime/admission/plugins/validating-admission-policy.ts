/**
 * The `ValidatingAdmissionPolicy` plug-in's factory: the engine is runtime/admission/policy/validating.ts; this
 * supplies what it needs from the server (the kinds params may be of, the authorizer).
 */
import type { CelAuthorize } from '../../cel/index.ts';
import { builtInKinds } from '../policy/kinds.ts';
import { validatingAdmissionPolicy } from '../policy/validating.ts';
import type { AdmissionPluginFactory } from '../registry.ts';

/**
 * `options.authorizer` (the server's authorizer union, server-chain.ts passes it) backs the `authorizer` variable; without
 * one every check is allowed, as the AlwaysAllow mode would answer.
 */
export const validatingAdmissionPolicyFactory: AdmissionPluginFactory = (deps) => {
  const authorizer = deps.options.authorizer as { authorize?: CelAuthorize } | undefined;
  const authorize = authorizer?.authorize ? (a: Parameters<CelAuthorize>[0]) => authorizer.authorize!(a) : undefined;
  return validatingAdmissionPolicy(deps, { kindFor: (apiVersion, kind) => builtInKinds.forKind(apiVersion, kind), authorize });
};
