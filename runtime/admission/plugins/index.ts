/**
 * The built-in admission plug-ins, registered by upstream's names (plugin/pkg/admission and
 * k8s.io/apiserver/pkg/admission/plugin). Their order in the chain comes from the registry, not from here.
 */
import { AdmissionPluginRegistry, inertPlugin, type AdmissionPluginFactory } from '../registry.ts';
import { alwaysAdmit, alwaysDeny } from './always.ts';
import { alwaysPullImages } from './always-pull-images.ts';
import { certificateApproval, certificateSigning, certificateSubjectRestriction } from './certificates.ts';
import { namespaceExists } from './namespace-exists.ts';
import { namespaceLifecycle } from './namespace-lifecycle.ts';
import { validatingAdmissionPolicyFactory } from './validating-admission-policy.ts';
import { defaultIngressClass } from './default-ingress-class.ts';
import { defaultStorageClass } from './default-storage-class.ts';
import { defaultTolerationSeconds } from './default-toleration-seconds.ts';
import { limitRanger } from './limit-ranger.ts';
import { persistentVolumeClaimResize } from './persistent-volume-claim-resize.ts';
import { priority } from './priority.ts';
import { runtimeClass } from './runtime-class.ts';
import { serviceAccount } from './service-account.ts';
import { storageObjectInUseProtection } from './storage-object-in-use-protection.ts';
import { taintNodesByCondition } from './taint-nodes-by-condition.ts';

/**
 * Kinds this server does not serve (ClusterTrustBundle, beta upstream): their plug-ins are on by default upstream
 * and have nothing to act on here, so they are accepted and admit everything.
 */
export const inertBuiltIns = ['ClusterTrustBundleAttest'];

/**
 * Plug-ins written in other modules. To add one: import its factory above and put it in its slot (one line
 * each, kept apart so merges stay clean). A slot left undefined admits everything.
 */
const externalPlugins: Record<string, AdmissionPluginFactory | undefined> = {
  PodSecurity: undefined,

  ResourceQuota: undefined,

  MutatingAdmissionWebhook: undefined,

  ValidatingAdmissionWebhook: undefined,

  ValidatingAdmissionPolicy: validatingAdmissionPolicyFactory,

  MutatingAdmissionPolicy: undefined,
};

export function registerBuiltInAdmissionPlugins(registry: AdmissionPluginRegistry): void {
  for (const [name, factory] of Object.entries(externalPlugins)) if (factory) registry.register(name, factory);
  registry.register('AlwaysAdmit', alwaysAdmit);
  registry.register('AlwaysDeny', alwaysDeny);
  registry.register('NamespaceLifecycle', namespaceLifecycle);
  registry.register('NamespaceExists', namespaceExists);
  for (const name of inertBuiltIns) registry.register(name, () => inertPlugin(name));
  registry.register('AlwaysPullImages', alwaysPullImages);
  registry.register('LimitRanger', limitRanger);
  registry.register('ServiceAccount', (deps) => serviceAccount(deps));
  registry.register('TaintNodesByCondition', taintNodesByCondition);
  registry.register('Priority', priority);
  registry.register('DefaultTolerationSeconds', defaultTolerationSeconds);
  registry.register('DefaultStorageClass', defaultStorageClass);
  registry.register('StorageObjectInUseProtection', storageObjectInUseProtection);
  registry.register('PersistentVolumeClaimResize', persistentVolumeClaimResize);
  registry.register('DefaultIngressClass', defaultIngressClass);
  registry.register('RuntimeClass', runtimeClass);
  registry.register('CertificateApproval', certificateApproval);
  registry.register('CertificateSigning', certificateSigning);
  registry.register('CertificateSubjectRestriction', certificateSubjectRestriction);
}

/** A registry holding every built-in plug-in; other parts of the server register theirs into it before build. */
export function newAdmissionPluginRegistry(): AdmissionPluginRegistry {
  const registry = new AdmissionPluginRegistry();
  registerBuiltInAdmissionPlugins(registry);
  return registry;
}
