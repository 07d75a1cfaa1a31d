/**
 * The kube API server: the built-in group versions generated from apis/, each kind served by a generic registry
 * store over the shared storage, with the admission chain in front of every write.
 */
import '../registry/stored-forms/index.ts'; // CRDs in v1beta1, registered before any store is built
import type { AdmissionChain } from '../admission/types.ts';
import type { RequestInfo } from '../endpoints/request-info.ts';
import { handleCreaterREST } from '../endpoints/create-only.ts';
import { handleConnecterREST, handleReaderREST } from '../endpoints/rest-without-storage.ts';
import { AdmissionChain as Admission } from '../admission/types.ts';
import { hasInstalledRoute } from '../endpoints/installed-routes.ts';
import { handleResource, withAdmissionWarnings } from '../endpoints/rest.ts';
import { handleScale } from '../endpoints/scale.ts';
import { methodNotAllowed } from '../machinery/status.ts';
import { StatusStrategy } from '../registry/status-strategy.ts';
import type { GroupVersionRegistration, KindRegistration } from '../machinery/registration.ts';
import type { Scheme } from '../machinery/scheme.ts';
import type { ConnecterREST, CreaterREST, ReaderREST } from '../registry/rest.ts';
import { RegistryStore } from '../registry/store.ts';
import { strategyFor, subresourceStrategyFor, type StrategyConfig } from '../registry/strategy.ts';
import { versionedStorage } from '../registry/versioned-storage.ts';
import '../registry/strategies/index.ts';
import { NamespaceFinalizeStrategy } from '../registry/strategies/core/namespace.ts';
import type { ObjectStorage } from '../storage/store.ts';
import { groupQualifiedGroups, resourcePrefix, storageResource } from '../storage/resource-prefixes.ts';
import type { APIServer, ResourceHandler } from '../server/delegate.ts';
import * as status from '../machinery/status.ts';

export interface StorageProvider {
  /** The object store for a resource prefix (a watch cache in front of the shared store, or the store itself). */
  forResource(prefix: string): ObjectStorage;
}

export class KubeAPIServer implements APIServer {
  readonly name = 'kube-apiserver';
  private readonly stores = new Map<string, RegistryStore>();
  /**
   * Resources and subresources answered without storage (reviews, token requests, bindings, evictions,
   * componentstatuses, logs and proxies), by `group/version/resource[/sub]`.
   */
  private readonly rests = new Map<string, CreaterREST | ReaderREST | ConnecterREST>();
  /** Admission for the server's own writes through a subresource that upstream's REST writes to storage directly. */
  private readonly noAdmission = new Admission([]);

  constructor(
    private readonly scheme: Scheme,
    private readonly storage: StorageProvider,
    private readonly admission: AdmissionChain,
    private readonly config: StrategyConfig & { etcdPrefix: string; enableGarbageCollection?: boolean },
  ) {
    // Serves what the scheme holds (every group version is in it, so each kind finds its storage version).
    for (const gv of scheme.allGroupVersions()) for (const kind of gv.kinds) this.install(kind, gv);
  }

  /**
   * Where the resource's objects live, as kube-apiserver keeps them (runtime/storage/resource-prefixes.ts). A name
   * that another group also serves, and that upstream does not store together, is qualified by its group so the two
   * never read each other's objects.
   */
  private keyPrefix(kind: KindRegistration): string {
    const relative = resourcePrefix(kind.group, kind.resource);
    const stored = storageResource(kind.group, kind.resource);
    const shared =
      stored.group === kind.group &&
      kind.group !== '' &&
      !groupQualifiedGroups.has(kind.group) &&
      this.scheme.allGroupVersions().some((gv) => gv.group !== kind.group && gv.kinds.some((k) => k.resource === kind.resource && storageResource(k.group, k.resource).group === k.group));
    return shared ? `${this.config.etcdPrefix}/${kind.group}/${kind.resource}` : `${this.config.etcdPrefix}/${relative}`;
  }

  private newStore(strategy: ConstructorParameters<typeof RegistryStore>[0], storage: ConstructorParameters<typeof RegistryStore>[1], prefix: string): RegistryStore {
    const admission = strategy.bypassesAdmission ? this.noAdmission : this.admission;
    return new RegistryStore(strategy, storage, admission, prefix, this.config.enableGarbageCollection !== false);
  }

  private install(kind: KindRegistration, gv: GroupVersionRegistration): void {
    // A kind that can be neither updated nor deleted is answered, never stored: a review or a Binding (create
    // only), or objects computed when asked (componentstatuses).
    if (isServedWithoutStorage(kind)) return;
    const prefix = this.keyPrefix(kind);
    const strategy = strategyFor(kind, gv.openapiV3[kind.openapiName], this.config);
    const storage = versionedStorage(this.storage.forResource(prefix), kind, this.scheme);
    this.stores.set(`${kind.group}/${kind.version}/${kind.resource}`, this.newStore(strategy, storage, prefix));
    if (kind.subresources.status) {
      const status = subresourceStrategyFor(strategy, 'status') ?? new StatusStrategy(strategy);
      this.stores.set(`${kind.group}/${kind.version}/${kind.resource}/status`, this.newStore(status, storage, prefix));
    }
    // Subresources that write part of the object itself through a strategy of their own (CSR /approval,
    // namespaces/finalize, pods/ephemeralcontainers), or that the server writes through (pods/binding).
    for (const c of kind.subresources.custom ?? []) {
      const sub = subresourceStrategyFor(strategy, c.name);
      if (sub) this.stores.set(`${kind.group}/${kind.version}/${kind.resource}/${c.name}`, this.newStore(sub, storage, prefix));
    }
  }

  /**
   * Serves a create-only kind or a custom subresource (`subresource` '' for the resource itself) through `rest`.
   * Registered at start-up by the module that owns the behaviour; unregistered ones answer 404.
   */
  registerREST(group: string, version: string, resource: string, subresource: string, rest: CreaterREST | ReaderREST | ConnecterREST): void {
    this.rests.set(`${group}/${version}/${resource}${subresource ? `/${subresource}` : ''}`, rest);
    this.handlers.clear();
  }

  /**
   * The registry store of a built-in resource (for admission plugins and controllers that read objects);
   * `subresource` 'finalize' of namespaces is the store that changes only spec.finalizers.
   */
  store(group: string, version: string, resource: string, subresource = ''): RegistryStore | undefined {
    return this.stores.get(`${group}/${version}/${resource}${subresource ? `/${subresource}` : ''}`);
  }

  /** One store per namespaced resource, in its storage version (what the namespace controller empties). */
  namespacedStores(): RegistryStore[] {
    const out: RegistryStore[] = [];
    for (const gv of this.scheme.allGroupVersions()) {
      if (gv.version !== gv.storageVersion) continue;
      for (const kind of gv.kinds) {
        const store = kind.scope === 'Namespaced' ? this.store(kind.group, kind.version, kind.resource) : undefined;
        if (store) out.push(store);
      }
    }
    return out;
  }

  /** One store per resource of either scope, in its storage version (what the garbage collector follows). */
  storageStores(): RegistryStore[] {
    const out: RegistryStore[] = [];
    for (const gv of this.scheme.allGroupVersions()) {
      if (gv.version !== gv.storageVersion) continue;
      for (const kind of gv.kinds) {
        const store = this.store(kind.group, kind.version, kind.resource);
        if (store) out.push(store);
      }
    }
    return out;
  }

  /**
   * The handler of every `group/version/resource[/sub]` served so far, made on its first request: a request's
   * resource is then found with one key and one lookup, and its handler is not made again for each request. Only
   * what is served is kept, so unknown names sent by clients cannot grow it.
   */
  private readonly handlers = new Map<string, ResourceHandler>();

  resourceHandler(info: RequestInfo): ResourceHandler | undefined {
    const key = info.subresource ? `${info.apiGroup}/${info.apiVersion}/${info.resource}/${info.subresource}` : `${info.apiGroup}/${info.apiVersion}/${info.resource}`;
    const known = this.handlers.get(key);
    if (known) return known;
    const made = this.makeResourceHandler(info, key);
    const handler = made && this.scheme.kindForResource(info.apiGroup, info.apiVersion, info.resource)?.scope === 'Namespaced' ? namespacedRoutes(made) : made;
    if (handler) this.handlers.set(key, handler);
    return handler;
  }

  /** `key`: the resource's `group/version/resource[/sub]`, as `rests` and `stores` hold it. */
  private makeResourceHandler(info: RequestInfo, key: string): ResourceHandler | undefined {
    if (!this.scheme.kindForResource(info.apiGroup, info.apiVersion, info.resource)) return undefined;
    const rest = this.rests.get(key);
    if (rest) {
      const resourceKind = this.scheme.kindForResource(info.apiGroup, info.apiVersion, info.resource)!;
      const resource = { group: info.apiGroup, resource: info.subresource ? `${info.resource}/${info.subresource}` : info.resource };
      if ('connect' in rest) return withAdmissionWarnings((req) => handleConnecterREST(rest, resource, req, { chain: this.admission, resourceKind }));
      if ('list' in rest) return (req) => handleReaderREST(rest, req);
      return withAdmissionWarnings((req) => handleCreaterREST(rest, { group: info.apiGroup, resource: info.resource }, req, { chain: this.admission, resourceKind }));
    }
    const store = this.stores.get(`${info.apiGroup}/${info.apiVersion}/${info.resource}`);
    if (!store) return undefined;
    const scale = store.kind.subresources.scale;
    if (info.subresource === 'scale' && scale) return withAdmissionWarnings((req) => handleScale(store, scale, req));
    // Subresources served by a store of their own (status, namespaces' finalize).
    const sub = info.subresource ? this.store(info.apiGroup, info.apiVersion, info.resource, info.subresource) : store;
    if (!sub) return undefined;
    if (sub !== store) return (req) => handleResource(sub, req);
    const { verbs } = store.kind;
    return (req) => (hasInstalledRoute(req.info, verbs) ? handleResource(store, req) : Promise.reject(methodNotAllowed()));
  }
}

/**
 * A namespaced kind's routes, as upstream's installer registers them: everything inside a namespace, and outside one
 * only the list and the watch of every namespace. Anything named there matches no route, and another method on the
 * collection no method of its route.
 */
function namespacedRoutes(handler: ResourceHandler): ResourceHandler {
  return (req) => {
    const { info } = req;
    if (info.inNamespace) return handler(req);
    if (info.name) return Promise.reject(status.noRoute());
    if (info.verb !== 'list' && info.verb !== 'watch') return Promise.reject(methodNotAllowed());
    return handler(req);
  };
}

function isServedWithoutStorage(kind: KindRegistration): boolean {
  return !kind.verbs.includes('update') && !kind.verbs.includes('delete');
}
