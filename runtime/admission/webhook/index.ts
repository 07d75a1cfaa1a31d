/**
 * Admission webhooks: the MutatingAdmissionWebhook and ValidatingAdmissionWebhook plug-ins over the
 * admissionregistration.k8s.io/v1 MutatingWebhookConfiguration and ValidatingWebhookConfiguration objects.
 *
 * - config.ts: a configuration's webhooks with v1 defaults, parsed once;
 * - source.ts: the configurations, listed and watched through the watch cache;
 * - matching.ts: rules, namespace and object selectors, match conditions, exempt kinds;
 * - cel.ts: matchConditions on the server's CEL engine (runtime/cel);
 * - review.ts: the AdmissionReview sent and the checks on the answer;
 * - client.ts / service-resolver.ts: the HTTPS call (url or Service);
 * - plugins.ts: the two plug-ins (order, patches, reinvocation, failure policy).
 *
 * `registerWebhookAdmission` puts both plug-ins into the admission registry (one call from server-chain.ts);
 * `webhookAdmission` builds them from the kube API server's stores.
 */
import type { Scheme } from '../../machinery/scheme.ts';
import { StatusError } from '../../machinery/status.ts';
import type { RegistryStore } from '../../registry/store.ts';
import { systemContext } from '../../registry/store.ts';
import type { AdmissionPluginDependencies, AdmissionPluginRegistry } from '../registry.ts';
import type { AdmissionPlugin } from '../types.ts';
import type { CelAuthorize } from '../../cel/index.ts';
import { celMatchConditions } from './cel.ts';
import type { MatchConditionCompiler } from './matching.ts';
import { mutatingWebhookPlugin, validatingWebhookPlugin } from './plugins.ts';
import type { ServiceResolver } from './client.ts';
import { registryLister, WebhookConfigurationSource, type SourceLogger } from './source.ts';

export { mutatingPluginName, validatingPluginName } from './plugins.ts';
export type { MatchConditionCompiler, MatchConditionInput, MatchConditionResult } from './matching.ts';

export interface WebhookAdmissionOptions {
  scheme: Scheme;
  /** The kube API server's registry store of a resource (called at start and per request, never before start). */
  store(group: string, version: string, resource: string): RegistryStore | undefined;
  /** The CEL engine for matchConditions (default: runtime/cel without an authorizer). */
  matchConditions?: MatchConditionCompiler;
  /** The server's authorizers, for `authorizer` checks in matchConditions. */
  authorize?: CelAuthorize;
  log?: SourceLogger;
  /** Where a webhook's Service is served (server-chain.ts's kubeServiceResolver). */
  serviceResolver: ServiceResolver;
}

export interface WebhookAdmission {
  mutating: AdmissionPlugin;
  validating: AdmissionPlugin;
  /** Lists and watches the configurations now (else on the first write, which waits up to 10s for the list). */
  start(): void;
  stop(): void;
}

const group = 'admissionregistration.k8s.io';

export function webhookAdmission(opts: WebhookAdmissionOptions): WebhookAdmission {
  let mutatingSource: WebhookConfigurationSource | undefined;
  let validatingSource: WebhookConfigurationSource | undefined;
  const sourceOf = (resource: string, type: 'mutating' | 'validating') => {
    const store = opts.store(group, 'v1', resource);
    return new WebhookConfigurationSource(type, store && registryLister(store), opts.log);
  };
  const namespaceLabels = async (name: string): Promise<Record<string, string> | undefined> => {
    const namespaces = opts.store('', 'v1', 'namespaces');
    if (!namespaces) return undefined;
    // From the watch cache; a miss is checked once against the store (a namespace created a moment ago).
    for (const resourceVersion of ['0', undefined]) {
      try {
        return (await namespaces.get(systemContext(), name, { resourceVersion })).metadata?.labels ?? {};
      } catch (e) {
        if (!(e instanceof StatusError && e.code === 404)) throw e;
      }
    }
    return undefined;
  };
  const matchConditions = opts.matchConditions ?? celMatchConditions(opts.authorize);
  const common = { scheme: opts.scheme, namespaceLabels, matchConditions, serviceResolver: opts.serviceResolver, log: opts.log };
  // Sources are made and started on first use (the first write), so the plug-ins can be built before the stores
  // exist (as server-chain.ts does); that write waits for the first list.
  const mutating = () => {
    if (!mutatingSource) (mutatingSource = sourceOf('mutatingwebhookconfigurations', 'mutating')).start();
    return mutatingSource;
  };
  const validating = () => {
    if (!validatingSource) (validatingSource = sourceOf('validatingwebhookconfigurations', 'validating')).start();
    return validatingSource;
  };
  return {
    mutating: mutatingWebhookPlugin({ ...common, source: mutating }),
    validating: validatingWebhookPlugin({ ...common, source: validating }),
    start() {
      mutating();
      validating();
    },
    stop() {
      mutatingSource?.stop();
      validatingSource?.stop();
    },
  };
}

/** Registers both plug-ins under upstream's names (one call from the server's admission set-up). */
export function registerWebhookAdmission(registry: AdmissionPluginRegistry, opts: WebhookAdmissionOptions): void {
  let webhooks: WebhookAdmission | undefined;
  // Built once, by whichever factory runs first; the authorizer may also come with the server's options.
  const build = (deps: AdmissionPluginDependencies) => {
    const authorizer = deps.options.authorizer as { authorize?: CelAuthorize } | undefined;
    const authorize = opts.authorize ?? (authorizer?.authorize ? (a: Parameters<CelAuthorize>[0]) => authorizer.authorize!(a) : undefined);
    return (webhooks ??= webhookAdmission({ ...opts, authorize, log: opts.log ?? deps.log }));
  };
  registry.register('MutatingAdmissionWebhook', (deps) => build(deps).mutating);
  registry.register('ValidatingAdmissionWebhook', (deps) => build(deps).validating);
}
