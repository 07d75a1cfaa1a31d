/**
 * Builds the admission chain the server runs: the built-in plug-ins plus those other parts of the server register,
 * the ones that are on, in upstream's order. Called once at start-up from server-chain.ts.
 */
import type { Logger } from 'pino';
import { storeListers, storeReaders, watchedReader, type StoreLookup } from './readers.ts';
import type { AdmissionPluginRegistry } from './registry.ts';
import { newAdmissionPluginRegistry } from './plugins/index.ts';
import { AdmissionChain, type AdmissionPlugin } from './types.ts';

export interface AdmissionSetup {
  /** Plug-ins that always run first, whatever the flags say (RBAC's escalation check, which upstream does in storage). */
  always?: readonly AdmissionPlugin[];
  /** Names that are on (options.admissionPlugins). */
  enabled: readonly string[];
  /** The kube API server's stores, looked up per read (they may not exist yet when this runs). */
  lookup: StoreLookup;
  log: Logger;
  options: Readonly<Record<string, unknown>>;
  /** Registers plug-ins from elsewhere (PodSecurity, ResourceQuota, webhooks) into the registry before the build. */
  register?: (registry: AdmissionPluginRegistry) => void;
}

export async function buildAdmission(setup: AdmissionSetup): Promise<AdmissionChain> {
  const registry = newAdmissionPluginRegistry();
  setup.register?.(registry);
  const listers = storeListers(setup.lookup, setup.log);
  const reader = storeReaders(setup.lookup);
  const plugins = await registry.build(setup.enabled, {
    reader,
    lister: (g, v, r) => listers.lister(g, v, r),
    watched: (g, v, r) => watchedReader(listers.lister(g, v, r), reader(g, v, r)),
    log: setup.log,
    options: setup.options,
  });
  const chain = new AdmissionChain([...(setup.always ?? []), ...plugins], () => listers.stop());
  setup.log.info({ plugins: chain.names }, `loaded ${plugins.length} admission plugins`);
  return chain;
}
