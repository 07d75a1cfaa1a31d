/**
 * The `ValidatingAdmissionPolicy` plug-in's factory: the engine is runtime/admission/policy/validating.ts; this
 * supplies what it needs from the server (the kinds params may be of, the authorizer).
 */
import { groupVersions } from '../../../generated/index.ts';
import { parseApiVersion } from '../../machinery/scheme.ts';
import type { KindRegistration } from '../../machinery/registration.ts';
import type { CelAuthorize } from '../../cel/index.ts';
import { validatingAdmissionPolicy } from '../policy/validating.ts';
import type { AdmissionPluginFactory } from '../registry.ts';

/** Built-in kinds by apiVersion and kind (params of policies are ConfigMaps or other built-ins here). */
function builtInKindFor(apiVersion: string, kind: string): KindRegistration | undefined {
  const gv = parseApiVersion(apiVersion);
  return groupVersions.find((g) => g.group === gv.group && g.version === gv.version)?.kinds.find((k) => k.kind === kind && k.resource);
}

/**
 * `options.authorizer` (an object with `authorize(attributes)`, the server's authorizer) backs the `authorizer`
 * variable; without one every check is allowed, as the AlwaysAllow mode would answer.
 */
export const validatingAdmissionPolicyFactory: AdmissionPluginFactory = (deps) => {
  const authorizer = deps.options.authorizer as { authorize?: CelAuthorize } | undefined;
  const authorize = authorizer?.authorize ? (a: Parameters<CelAuthorize>[0]) => authorizer.authorize!(a) : undefined;
  return validatingAdmissionPolicy(deps, { kindFor: builtInKindFor, authorize });
};
