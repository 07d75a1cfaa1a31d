/**
 * The admission plug-in registry, as upstream's admission.Plugins plus kube-apiserver's plugins.go: every plug-in
 * is registered under upstream's name with a factory, and the chain is built from the names that are on, always in
 * upstream's fixed order (never the order of the flags).
 *
 * Plug-ins written elsewhere (PodSecurity, ResourceQuota, the webhooks, the admission policies) register with one
 * call: `registry.register('PodSecurity', (deps) => podSecurity(deps))`. Until they do, their names are known
 * slots that admit everything, so the flags already accept them.
 */
import type { Logger } from 'pino';
import type { StoredObject } from '../storage/store.ts';
import type { WatchedLister } from '../controllers/lister.ts';
import type { AdmissionPlugin } from './types.ts';

/** Every admission plug-in name kube-apiserver v1.32 knows, in the order the chain runs them. */
export const allOrderedPlugins: readonly string[] = [
  'AlwaysAdmit',
  'NamespaceAutoProvision',
  'NamespaceLifecycle',
  'NamespaceExists',
  'LimitPodHardAntiAffinityTopology',
  'LimitRanger',
  'ServiceAccount',
  'NodeRestriction',
  'TaintNodesByCondition',
  'AlwaysPullImages',
  'ImagePolicyWebhook',
  'PodSecurity',
  'PodNodeSelector',
  'Priority',
  'DefaultTolerationSeconds',
  'PodTolerationRestriction',
  'EventRateLimit',
  'ExtendedResourceToleration',
  'DefaultStorageClass',
  'StorageObjectInUseProtection',
  'OwnerReferencesPermissionEnforcement',
  'PersistentVolumeClaimResize',
  'RuntimeClass',
  'CertificateApproval',
  'CertificateSigning',
  'ClusterTrustBundleAttest',
  'CertificateSubjectRestriction',
  'DefaultIngressClass',
  'DenyServiceExternalIPs',
  // Webhooks, policies, quota and deny go last, as upstream.
  'MutatingAdmissionPolicy',
  'MutatingAdmissionWebhook',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionWebhook',
  'ResourceQuota',
  'AlwaysDeny',
];

/** The plug-ins kube-apiserver v1.32 turns on when no flag says otherwise. */
export const defaultOnPlugins: ReadonlySet<string> = new Set([
  'NamespaceLifecycle',
  'LimitRanger',
  'ServiceAccount',
  'DefaultStorageClass',
  'PersistentVolumeClaimResize',
  'DefaultTolerationSeconds',
  'MutatingAdmissionWebhook',
  'ValidatingAdmissionWebhook',
  'ResourceQuota',
  'StorageObjectInUseProtection',
  'Priority',
  'TaintNodesByCondition',
  'RuntimeClass',
  'CertificateApproval',
  'CertificateSigning',
  'ClusterTrustBundleAttest',
  'CertificateSubjectRestriction',
  'DefaultIngressClass',
  'PodSecurity',
  'MutatingAdmissionPolicy',
  'ValidatingAdmissionPolicy',
]);

/**
 * Plug-ins other parts of the server provide: known names that admit everything until their factory is
 * registered (so turning them on or off is accepted before they exist).
 */
export const pluggableSlots: readonly string[] = [
  'PodSecurity',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionWebhook',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionWebhook',
  'ResourceQuota',
];

/** Reads objects of one built-in resource, from the kube API server's stores (the watch cache). */
export interface ObjectReader {
  /** The object, or undefined when there is none. */
  get(namespace: string, name: string): Promise<StoredObject | undefined>;
  /** Every object in `namespace` ('' for all namespaces or a cluster-scoped resource). */
  list(namespace: string): Promise<StoredObject[]>;
}

/** What a plug-in factory gets: readers of other objects, a logger, and options of the server. */
export interface AdmissionPluginDependencies {
  /** A reader of a built-in resource (group '' for the core group). Call it per request or once; it is cheap. */
  reader(group: string, version: string, resource: string): ObjectReader;
  /**
   * The in-memory copy of a built-in resource, kept by a watch (one per resource, shared by the plug-ins, started
   * on first use): for what a plug-in reads on every request. Until it has synced, read through `reader`.
   */
  lister(group: string, version: string, resource: string): WatchedLister;
  /**
   * A reader whose lists come from `lister` once it has synced, through `reader` until then: for lists a plug-in
   * makes on every request (classes, limit ranges). Those lists are shared: read them, never change them.
   */
  watched(group: string, version: string, resource: string): ObjectReader;
  log: Logger;
  /** Server options a plug-in may need (flags it owns, upstream's plug-in flags). */
  options: Readonly<Record<string, unknown>>;
}

export type AdmissionPluginFactory = (deps: AdmissionPluginDependencies) => AdmissionPlugin | Promise<AdmissionPlugin>;

/** A plug-in that admits everything: the stand-in for a slot nobody has filled, or a kind this server lacks. */
export function inertPlugin(name: string): AdmissionPlugin {
  return { name };
}

export class AdmissionPluginRegistry {
  private readonly factories = new Map<string, AdmissionPluginFactory>();

  /** Registers `name`'s factory. The name must be one of upstream's (its place in the order comes from there). */
  register(name: string, factory: AdmissionPluginFactory): void {
    if (!allOrderedPlugins.includes(name)) throw new Error(`admission plugin "${name}" is not one of kube-apiserver's: ${allOrderedPlugins.join(', ')}`);
    if (this.factories.has(name)) throw new Error(`admission plugin "${name}" is registered twice`);
    this.factories.set(name, factory);
  }

  /** Whether a factory for `name` is registered (slots without one are inert). */
  has(name: string): boolean {
    return this.factories.has(name);
  }

  /**
   * Builds the plug-ins named in `enabled`, in upstream's order. A slot nobody registered is inert; a name
   * upstream has but this server does not implement is refused, so nobody believes it is enforced.
   */
  async build(enabled: Iterable<string>, deps: AdmissionPluginDependencies): Promise<AdmissionPlugin[]> {
    const on = new Set(enabled);
    const missing = [...on].filter((n) => !this.factories.has(n) && !pluggableSlots.includes(n));
    if (missing.length) {
      throw new Error(`admission plugins not implemented by this server: ${missing.join(', ')} (implemented: ${this.implemented().join(', ')})`);
    }
    const plugins: AdmissionPlugin[] = [];
    for (const name of allOrderedPlugins) {
      if (!on.has(name)) continue;
      const factory = this.factories.get(name);
      plugins.push(factory ? await factory(deps) : inertPlugin(name));
    }
    return plugins;
  }

  /** The names with a factory or a slot, in upstream's order. */
  implemented(): string[] {
    return allOrderedPlugins.filter((n) => this.factories.has(n) || pluggableSlots.includes(n));
  }
}

/**
 * The plug-ins that are on, in upstream's order: the default set, plus `enable`, minus `disable`, as
 * kube-apiserver's --enable-admission-plugins / --disable-admission-plugins. Returns the problems with the flags
 * (unknown names, a name in both) instead of the list when there are any.
 */
export function enabledAdmissionPlugins(enable: readonly string[], disable: readonly string[]): { names: string[]; errors: string[] } {
  const errors: string[] = [];
  const known = new Set(allOrderedPlugins);
  const list = `known plugins: ${allOrderedPlugins.join(', ')}`;
  for (const n of enable) if (!known.has(n)) errors.push(`enable-admission-plugins plugin "${n}" is unknown (${list})`);
  for (const n of disable) if (!known.has(n)) errors.push(`disable-admission-plugins plugin "${n}" is unknown (${list})`);
  const both = enable.filter((n) => disable.includes(n));
  if (both.length) errors.push(`${both.join(',')} in enable-admission-plugins and disable-admission-plugins overlapped`);
  const on = new Set([...defaultOnPlugins, ...enable]);
  for (const n of disable) on.delete(n);
  return { names: allOrderedPlugins.filter((n) => on.has(n)), errors };
}
