/**
 * The custom resource handler (upstream's crdHandler): for every established CRD, one registry store per served
 * version (plus `/status`), built when the CRD appears or its spec or accepted names change, and found per request
 * with one Map lookup by group/version/resource. Requests for a CRD that is being deleted still read, update and
 * delete, but creating is refused with 405, as upstream's forbid-create admission does.
 */
import { customResourcePrefix } from '../../storage/resource-prefixes.ts';
import type { Logger } from 'pino';
import type { AdmissionChain } from '../../admission/types.ts';
import { handleResource, withAdmissionWarnings } from '../../endpoints/rest.ts';
import type { RequestInfo } from '../../endpoints/request-info.ts';
import { handleScale } from '../../endpoints/scale.ts';
import { jsonText } from '../../machinery/json-text.ts';
import type { KindRegistration } from '../../machinery/registration.ts';
import * as status from '../../machinery/status.ts';
import { StatusStrategy } from '../../registry/status-strategy.ts';
import { RegistryStore } from '../../registry/store.ts';
import type { ResourceHandler } from '../../server/delegate.ts';
import type { ObjectStorage } from '../../storage/store.ts';
import { converterFor, isNoneConversion } from './conversion.ts';
import { kindRegistration, openapiDefinitions } from './kind.ts';
import { pruningSchema, type SchemaCompiler } from './schema.ts';
import { customResourceStorage } from './storage.ts';
import { CustomResourceStrategy } from './strategy.ts';
import { acceptedNames, isConditionTrue, isTerminating, storageVersionOf, type CustomResourceDefinition, type JSONSchemaProps } from './types.ts';

export interface ServedVersion {
  kind: KindRegistration;
  store: RegistryStore;
  statusStore?: RegistryStore;
  /** OpenAPI v3 component schemas of this version's kind. */
  openapiV3: Record<string, unknown>;
}

/** What serving knows of one CRD: its latest object and, once established, a store per served version. */
export interface CRDInfo {
  crd: CustomResourceDefinition;
  /** Spec, accepted names and Established, as JSON: the stores are rebuilt only when this changes. */
  readonly servingKey: string;
  readonly established: boolean;
  terminating: boolean;
  /** Served versions by name (empty until established). */
  readonly versions: Map<string, ServedVersion>;
  /** The store of the storage version, for cleaning up every object when the CRD goes. */
  readonly storageStore?: RegistryStore;
  /** Why the CRD cannot be served, when building failed: its served versions' requests answer 500. */
  readonly error?: { message: string; routes: { group: string; version: string; resource: string }[] };
}

export interface CustomResourceHandlerConfig {
  storage: { forResource(prefix: string): ObjectStorage };
  admission: AdmissionChain;
  etcdPrefix: string;
  schemaCompiler: SchemaCompiler;
  /** ObjectMeta's schema, for pruning unknown metadata fields. */
  objectMetaSchema?: JSONSchemaProps;
  log: Logger;
  /** Whether deletes add the garbage collector's finalizers (`orphan`, `foregroundDeletion`); default true. */
  enableGarbageCollection?: boolean;
}

function servingKey(crd: CustomResourceDefinition): string {
  return jsonText([crd.metadata.uid, crd.spec, crd.status?.acceptedNames, isConditionTrue(crd, 'Established')]);
}

const gvr = (group: string, version: string, resource: string) => `${group}/${version}/${resource}`;

/** The verbs a request may use without a namespace on a namespaced resource. */
const acrossNamespaces = new Set(['list', 'watch']);

export class CustomResourceHandler {
  private readonly infos = new Map<string, CRDInfo>();
  /** `group/version/resource` -> the CRD and version serving it: the one lookup per request. */
  private readonly served = new Map<string, { info: CRDInfo; version?: ServedVersion }>();

  constructor(private readonly cfg: CustomResourceHandlerConfig) {}

  private newStore(strategy: ConstructorParameters<typeof RegistryStore>[0], storage: ConstructorParameters<typeof RegistryStore>[1], prefix: string): RegistryStore {
    return new RegistryStore(strategy, storage, this.cfg.admission, prefix, this.cfg.enableGarbageCollection !== false);
  }

  /** The current info of a CRD by name. */
  info(name: string): CRDInfo | undefined {
    return this.infos.get(name);
  }

  all(): CRDInfo[] {
    return [...this.infos.values()];
  }

  /**
   * Takes in the latest state of a CRD. Returns true when what is served changed (stores rebuilt or removed), so
   * the Scheme (discovery, OpenAPI) must follow.
   */
  upsert(crd: CustomResourceDefinition): boolean {
    const name = crd.metadata.name;
    const old = this.infos.get(name);
    const key = servingKey(crd);
    if (old && old.servingKey === key) {
      old.crd = crd;
      old.terminating = isTerminating(crd);
      return false;
    }
    if (old) this.unserve(old);
    const info = this.build(crd, key);
    this.infos.set(name, info);
    for (const v of info.versions.values()) this.served.set(gvr(v.kind.group, v.kind.version, v.kind.resource), { info, version: v });
    for (const r of info.error?.routes ?? []) this.served.set(gvr(r.group, r.version, r.resource), { info });
    return true;
  }

  /** Forgets a deleted CRD. Returns true when it was served. */
  remove(name: string): boolean {
    const old = this.infos.get(name);
    if (!old) return false;
    this.unserve(old);
    this.infos.delete(name);
    return old.versions.size > 0;
  }

  private unserve(info: CRDInfo): void {
    const routes = [...[...info.versions.values()].map((v) => v.kind), ...(info.error?.routes ?? [])];
    for (const r of routes) {
      const key = gvr(r.group, r.version, r.resource);
      if (this.served.get(key)?.info === info) this.served.delete(key);
    }
  }

  private build(crd: CustomResourceDefinition, key: string): CRDInfo {
    const base = { crd, servingKey: key, terminating: isTerminating(crd), versions: new Map<string, ServedVersion>() };
    const established = isConditionTrue(crd, 'Established');
    const names = acceptedNames(crd);
    if (!established || !names) return { ...base, established: false };
    const { group } = crd.spec;
    try {
      const storageVersion = storageVersionOf(crd);
      if (!storageVersion) throw new Error(`${crd.metadata.name} has no storage version`);
      const convert = converterFor(crd);
      const prefix = `${this.cfg.etcdPrefix}/${customResourcePrefix(group, names.plural)}`; // as upstream's CRD REST options
      const inner = this.cfg.storage.forResource(prefix);
      let storageStore: RegistryStore | undefined;
      for (const version of crd.spec.versions) {
        if (!version.served && !version.storage) continue;
        const schema = this.cfg.schemaCompiler(crd, version.name);
        const kind = kindRegistration({ crd, version, names, schema, pruningSchema: pruningSchema(crd, version.name, this.cfg.objectMetaSchema) });
        const strategy = new CustomResourceStrategy(kind, schema, version.selectableFields ?? []);
        const storage = customResourceStorage({
          inner,
          apiVersion: `${group}/${version.name}`,
          storageAPIVersion: `${group}/${storageVersion}`,
          convert,
          syncConversion: isNoneConversion(crd),
          schema,
          selectsBeyondMetadata: strategy.hasSelectableFields,
        });
        const store = this.newStore(strategy, storage, prefix);
        if (version.storage) storageStore = store;
        if (!version.served) continue;
        const statusStore = kind.subresources.status ? this.newStore(new StatusStrategy(strategy), storage, prefix) : undefined;
        base.versions.set(version.name, { kind, store, ...(statusStore ? { statusStore } : {}), openapiV3: openapiDefinitions(kind, version, crd) });
      }
      return { ...base, established: true, ...(storageStore ? { storageStore } : {}) };
    } catch (e) {
      this.cfg.log.error({ err: e, crd: crd.metadata.name }, 'cannot serve the custom resource definition');
      // Still routed, so its requests say the server failed rather than that the resource does not exist.
      const routes = crd.spec.versions.filter((v) => v.served).map((v) => ({ group, version: v.name, resource: names.plural }));
      return { ...base, versions: new Map(), established: true, error: { message: (e as Error).message, routes } };
    }
  }

  /**
   * The handler of a custom resource request, or undefined when no established CRD serves it (the chain then
   * answers 404). As upstream, a scope that does not fit the CRD's is not found either.
   */
  resourceHandler(info: RequestInfo): ResourceHandler | undefined {
    const entry = this.served.get(gvr(info.apiGroup, info.apiVersion, info.resource));
    if (!entry) return undefined;
    const { info: crdInfo, version } = entry;
    if (!version) {
      return async () => {
        throw status.internalError(new Error('error resolving resource'));
      };
    }
    const namespaced = version.kind.scope === 'Namespaced';
    if (!namespaced && info.namespace) return undefined;
    if (namespaced && !info.namespace && !acrossNamespaces.has(info.verb)) return undefined;
    const ref = { group: version.kind.group, resource: version.kind.resource };
    switch (info.subresource) {
      case '':
        return (req) => {
          // Objects of a CRD being deleted may still be read, changed and deleted, but no new ones made.
          if (crdInfo.terminating && req.info.verb === 'create') return Promise.reject(status.methodNotSupported(ref, 'CREATE'));
          return handleResource(version.store, req);
        };
      case 'status':
        if (version.statusStore) {
          const store = version.statusStore;
          return (req) => handleResource(store, req);
        }
        break;
      case 'scale': {
        const scale = version.kind.subresources.scale;
        if (scale) return withAdmissionWarnings((req) => handleScale(version.store, scale, req));
        break;
      }
    }
    return async () => {
      throw status.notFound(ref, info.name);
    };
  }

  /** One store per namespaced custom resource, in its storage version (what deleting a namespace empties). */
  namespacedStores(): RegistryStore[] {
    return this.all().flatMap((i) => (i.storageStore && i.storageStore.kind.scope === 'Namespaced' ? [i.storageStore] : []));
  }
}
