/**
 * The controllers upstream's apiextensions server runs inside the API server (always on, not part of
 * --controllers): naming (NamesAccepted, `status.acceptedNames`), establishing (Established), NonStructuralSchema
 * and KubernetesAPIApprovalPolicyConformant, over one shared CRD informer. They start with the
 * `start-apiextensions-controllers` post-start hook, as upstream's.
 *
 * The finalizer that deletes a CRD's objects belongs to the serving side (runtime/apiextensions/serving).
 */
import type { Logger } from 'pino';
import type { RegistryStore } from '../../registry/store.ts';
import type { PostStartHooks } from '../../server/poststarthooks.ts';
import { apiApprovalRule } from './api-approval.ts';
import { CRDConditionController } from './condition-controller.ts';
import { CRDCache } from './crd-cache.ts';
import { EstablishingController, type EstablishingOptions } from './establishing.ts';
import { NamingController } from './naming.ts';
import { nonStructuralSchemaRule } from './nonstructural.ts';

export { CRDCache } from './crd-cache.ts';
export { calculateNames } from './naming.ts';
export { caBundleValid, type EstablishingOptions } from './establishing.ts';
export { nonStructuralCondition } from './nonstructural.ts';
export { apiApprovalCondition } from './api-approval.ts';
export { findCondition, isConditionTrue, setCondition, type CRDCondition } from './conditions.ts';

export interface APIExtensionsControllersDeps extends EstablishingOptions {
  /** The CRD store and its /status store. */
  crds: RegistryStore;
  crdStatus: RegistryStore;
  log: Logger;
}

export interface APIExtensionsControllers {
  readonly cache: CRDCache;
  readonly establishing: EstablishingController;
  /** Lists the CRDs and starts every controller; resolves once the first list is in. */
  start(): Promise<void>;
  stop(): void;
}

export function newAPIExtensionsControllers(deps: APIExtensionsControllersDeps): APIExtensionsControllers {
  const cache = new CRDCache(deps.crds, deps.log);
  const naming = new NamingController(cache, deps.crdStatus, deps.log);
  const establishing = new EstablishingController(cache, deps.crdStatus, deps.log, { beforeEstablish: deps.beforeEstablish });
  const nonStructural = new CRDConditionController(cache, deps.crdStatus, nonStructuralSchemaRule, deps.log);
  const approval = new CRDConditionController(cache, deps.crdStatus, apiApprovalRule, deps.log);
  const controllers = [naming, establishing, nonStructural, approval];
  return {
    cache,
    establishing,
    async start() {
      await cache.start();
      for (const c of controllers) c.start();
    },
    stop() {
      cache.stop();
      for (const c of controllers) c.stop();
    },
  };
}

/**
 * Adds the `start-apiextensions-controllers` post-start hook over the kube API server's CRD stores (nothing when
 * the CRD kind is not served). Returns the controllers (stop them at shutdown), or undefined.
 */
export function addAPIExtensionsControllerHooks(
  hooks: PostStartHooks,
  deps: { kube: { store(group: string, version: string, resource: string, subresource?: string): RegistryStore | undefined }; log: Logger } & EstablishingOptions,
): APIExtensionsControllers | undefined {
  const crds = deps.kube.store('apiextensions.k8s.io', 'v1', 'customresourcedefinitions');
  const crdStatus = deps.kube.store('apiextensions.k8s.io', 'v1', 'customresourcedefinitions', 'status');
  if (!crds || !crdStatus) return undefined;
  const controllers = newAPIExtensionsControllers({ crds, crdStatus, log: deps.log, beforeEstablish: deps.beforeEstablish });
  hooks.add('start-apiextensions-controllers', () => controllers.start());
  return controllers;
}
