/**
 * The apiextensions server: the last in the chain, serving the custom resources of every established
 * CustomResourceDefinition (the CRD kind itself is a generated kind the kube API server's stores hold).
 *
 * A CRD informer over the CRD store feeds the custom resource handler (stores per served version), the Scheme
 * (so discovery and OpenAPI follow) and the CRD finalizer. Until the informer's first list is in, every resource
 * request that reaches this server answers 503, as upstream's does before its CRD informer has synced; after that,
 * unknown resources fall through to 404.
 */
import type { Logger } from 'pino';
import type { AdmissionChain } from '../admission/types.ts';
import { SharedInformer } from '../controllers/informer.ts';
import type { RequestInfo } from '../endpoints/request-info.ts';
import { names as metaNames } from '../endpoints/openapi/meta-schemas.ts';
import type { Scheme } from '../machinery/scheme.ts';
import * as status from '../machinery/status.ts';
import { systemContext, type RegistryStore } from '../registry/store.ts';
import type { APIServer, ResourceHandler } from '../server/delegate.ts';
import type { PostStartHooks } from '../server/poststarthooks.ts';
import type { ObjectStorage, StoredObject } from '../storage/store.ts';
import { CRDFinalizer } from './serving/finalizer.ts';
import { CustomResourceHandler } from './serving/handler.ts';
import { structuralSchemaCompiler, type SchemaCompiler } from './serving/schema.ts';
import { compileSchema } from './schema/index.ts';
import { SchemeSync } from './serving/scheme-sync.ts';
import { asCRD, crdGroup, crdResource } from './serving/types.ts';

export { registerConversionStrategy, type Converter, type ConverterFactory } from './serving/conversion.ts';
export type { SchemaCompiler, VersionSchema } from './serving/schema.ts';

export interface APIExtensionsConfig {
  scheme: Scheme;
  /** The shared storage per key prefix (the watch caches). */
  storage: { forResource(prefix: string): ObjectStorage };
  admission: AdmissionChain;
  etcdPrefix: string;
  log: Logger;
  /** The CRD store and its /status store; absent when the CRD kind is not served (nothing custom is then served). */
  crds?: RegistryStore;
  crdStatus?: RegistryStore;
  /** Compiles CRD version schemas (validation, defaults, pruning); default: the structural schema compiler. */
  schemaCompiler?: SchemaCompiler;
  /** Whether deletes add the garbage collector's finalizers (`--enable-garbage-collector`); default true. */
  enableGarbageCollection?: boolean;
}

/** Upstream's answer for paths asked before every CRD is installed: try again (in 5 seconds). */
async function notSynced(): Promise<never> {
  const err = status.serviceUnavailable('the request has been made before all known HTTP paths have been installed, please try again');
  err.status.details = { retryAfterSeconds: 5 };
  throw err;
}

export class APIExtensionsServer implements APIServer {
  readonly name = 'apiextensions-apiserver';
  private readonly handler: CustomResourceHandler;
  private readonly schemeSync: SchemeSync;
  private readonly finalizer?: CRDFinalizer;
  private informer?: SharedInformer;
  private synced = false;
  private markSynced!: () => void;
  private readonly syncedSignal = new Promise<void>((resolve) => (this.markSynced = resolve));

  constructor(private readonly cfg: APIExtensionsConfig) {
    const objectMeta = cfg.scheme.sharedDefinitions.openapiV3[metaNames.objectMeta] as Record<string, unknown> | undefined;
    this.handler = new CustomResourceHandler({
      storage: cfg.storage,
      admission: cfg.admission,
      etcdPrefix: cfg.etcdPrefix,
      schemaCompiler: cfg.schemaCompiler ?? structuralSchemaCompiler(compileSchema, objectMeta),
      ...(objectMeta ? { objectMetaSchema: objectMeta } : {}),
      log: cfg.log,
      enableGarbageCollection: cfg.enableGarbageCollection,
    });
    this.schemeSync = new SchemeSync(cfg.scheme, cfg.log);
    if (cfg.crds && cfg.crdStatus) this.finalizer = new CRDFinalizer({ crds: cfg.crds, crdStatus: cfg.crdStatus, handler: this.handler, log: cfg.log });
  }

  /** Whether the CRD informer has listed every CRD (custom resource paths answer 503 until then). */
  get hasSynced(): boolean {
    return this.synced;
  }

  resourceHandler(info: RequestInfo): ResourceHandler | undefined {
    const h = this.handler.resourceHandler(info);
    if (h || this.synced) return h;
    return notSynced;
  }

  /** One store per namespaced custom resource (deleting a namespace deletes its custom resources too). */
  namespacedStores(): RegistryStore[] {
    return this.handler.namespacedStores();
  }

  /** The storage-version store of every served custom resource, either scope (what the garbage collector follows). */
  storageStores(): RegistryStore[] {
    return this.handler.all().flatMap((i) => (i.storageStore ? [i.storageStore] : []));
  }

  /** Starts the CRD informer; resolves once its first list is served (the informer has synced). */
  async start(): Promise<void> {
    if (this.synced || this.informer) return;
    if (!this.cfg.crds) {
      this.synced = true;
      this.markSynced();
      return;
    }
    const informer = new SharedInformer(this.cfg.crds, { ctx: systemContext(), log: this.cfg.log });
    // The finalizer compares each CRD with the state it replaces (to let its own condition writes pass).
    informer.addHandler({ upsert: (obj, old) => this.observe('UPSERT', obj, old), delete: (obj) => this.observe('DELETED', obj) });
    this.informer = informer;
    try {
      await informer.start();
    } catch (e) {
      this.informer = undefined;
      informer.stop();
      throw e;
    }
    this.synced = true;
    this.markSynced();
  }

  /** Upstream's hook names: the informer (and the finalizer it feeds) starts; /readyz waits for its first list. */
  addPostStartHooks(hooks: PostStartHooks): void {
    hooks.add('start-apiextensions-informers', () => this.start());
    hooks.add('crd-informer-synced', () => this.syncedSignal);
  }

  private observe(type: 'UPSERT' | 'DELETED', obj: StoredObject, old?: StoredObject): void {
    const crd = asCRD(obj);
    if (!crd) return;
    const changed = type === 'DELETED' ? this.handler.remove(crd.metadata.name) : this.handler.upsert(crd);
    if (changed) this.schemeSync.sync(this.handler.all());
    if (type !== 'DELETED') this.finalizer?.observe(crd, old);
  }

  stop(): void {
    this.informer?.stop();
    this.finalizer?.stop();
  }
}

/** The apiextensions server over the CRD stores the kube API server holds (none when the CRD kind is not built in). */
export function newAPIExtensionsServer(deps: Omit<APIExtensionsConfig, 'crds' | 'crdStatus'> & { kube: { store(group: string, version: string, resource: string, subresource?: string): RegistryStore | undefined } }): APIExtensionsServer {
  const { kube, ...cfg } = deps;
  return new APIExtensionsServer({
    ...cfg,
    crds: kube.store(crdGroup, 'v1', crdResource),
    crdStatus: kube.store(crdGroup, 'v1', crdResource, 'status'),
  });
}
