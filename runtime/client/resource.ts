/**
 * ResourceClient: the verbs of one resource (create, get, list, watch, update, patch, delete) over a RESTClient,
 * typed by the kind `T` and its list `L`, as client-go's typed clients. One instance is bound to one namespace
 * (or to none, for cluster-scoped resources and for listing or watching every namespace).
 */
import type { ObjectMeta } from '../../apis/meta/v1/types.ts';
import type { DeleteOptions as DeleteOptionsBody, Status } from '../../apis/meta/v1/status.ts';
import type { QueryValue, RESTClient } from './rest.ts';
import { watchEvents, type Watch } from './watch.ts';

/** What every kind has: the fields a client reads to build paths. */
export interface KubernetesObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
}

/** Which resource a ResourceClient talks to, and where. */
export interface ResourceDescriptor {
  /** API group; '' for the core group (`/api/v1`). */
  group: string;
  version: string;
  /** The plural resource name in URLs (`configmaps`). */
  resource: string;
  /** The kind, filled into `kind`/`apiVersion` of written objects that leave them out. */
  kind?: string;
  namespaced: boolean;
  /** For namespaced resources: the namespace, or '' for every namespace (list, watch and deletecollection only). */
  namespace?: string;
}

export interface GetOptions {
  resourceVersion?: string;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  timeoutSeconds?: number;
}

export interface WatchOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Start after this resourceVersion (typically a list's `metadata.resourceVersion`); now when absent. */
  resourceVersion?: string;
  resourceVersionMatch?: 'NotOlderThan' | 'Exact';
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  /** The server ends the watch after this many seconds. */
  timeoutSeconds?: number;
}

/** Options of create, update and patch. */
export interface WriteOptions {
  /** Validate and admit the request, but store nothing. */
  dryRun?: boolean;
  fieldManager?: string;
  /** What the server does about fields the schema does not know: drop them silently, warn, or refuse. */
  fieldValidation?: 'Ignore' | 'Warn' | 'Strict';
}

export interface DeleteOptions extends Pick<DeleteOptionsBody, 'gracePeriodSeconds' | 'preconditions' | 'propagationPolicy'> {
  dryRun?: boolean;
}

/** `merge`: JSON merge patch (RFC 7386); `json`: JSON patch (RFC 6902); `strategic`: strategic merge patch. */
export type PatchType = 'merge' | 'json' | 'strategic';

const patchContentTypes: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
};

export class ResourceClient<T extends KubernetesObject, L = unknown> {
  constructor(
    readonly client: RESTClient,
    readonly resource: ResourceDescriptor,
  ) {}

  /** Creates `obj`; resolves with the object as stored (name generated, uid, resourceVersion, defaults). */
  create(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.client.request<T>('POST', this.path(), { body: this.withTypeMeta(obj), query: writeQuery(opts) });
  }

  get(name: string, opts: GetOptions = {}): Promise<T> {
    return this.client.request<T>('GET', this.path(name), { query: { resourceVersion: opts.resourceVersion } });
  }

  list(opts: ListOptions = {}): Promise<L> {
    return this.client.request<L>('GET', this.path(undefined, true), { query: { ...opts } });
  }

  /**
   * Replaces the object named by `obj.metadata.name`. A `metadata.resourceVersion` makes the update
   * conditional: the server answers 409 Conflict when the stored object has moved on.
   */
  update(obj: T, opts: WriteOptions = {}): Promise<T> {
    const name = obj.metadata?.name;
    if (!name) throw new Error(`update of ${this.resource.resource}: the object has no metadata.name`);
    return this.client.request<T>('PUT', this.path(name), { body: this.withTypeMeta(obj), query: writeQuery(opts) });
  }

  /** Patches the named object; `patch` is an object (merge, strategic), an array of operations (json) or raw JSON text. */
  patch(name: string, patch: unknown, type: PatchType = 'merge', opts: WriteOptions = {}): Promise<T> {
    return this.client.request<T>('PATCH', this.path(name), { body: patch, contentType: patchContentTypes[type], query: writeQuery(opts) });
  }

  /**
   * Deletes the named object. Resolves with a Success Status when it is gone, or with the object itself when it
   * still waits for finalizers (as the server answers).
   */
  delete(name: string, opts: DeleteOptions = {}): Promise<Status | T> {
    return this.client.request<Status | T>('DELETE', this.path(name), { body: deleteBody(opts) });
  }

  /** Deletes every object the options select; resolves with the list of deleted objects. */
  deleteCollection(opts: ListOptions = {}, deleteOpts: DeleteOptions = {}): Promise<L> {
    return this.client.request<L>('DELETE', this.path(undefined, true), { query: { ...opts }, body: deleteBody(deleteOpts) });
  }

  /**
   * Opens a watch; resolves once the server has accepted it (so writes made afterwards are seen) and rejects
   * with an APIError when it refuses. Iterate the result for events; leaving the loop closes the request.
   */
  async watch(opts: WatchOptions = {}): Promise<Watch<T>> {
    const query: Record<string, QueryValue> = { ...opts, watch: 'true' };
    return watchEvents<T>(await this.client.stream('GET', this.path(undefined, true), { query }));
  }

  /** The URL path of the collection or of one object. `collection` allows the all-namespaces form. */
  path(name?: string, collection = false): string {
    const { group, version, resource, namespaced, namespace } = this.resource;
    let path = group ? `/apis/${group}/${version}` : `/api/${version}`;
    if (namespaced) {
      if (namespace) path += `/namespaces/${encodeURIComponent(namespace)}`;
      else if (!collection || name !== undefined) throw new Error(`${resource} are namespaced: give a namespace (only list, watch and deleteCollection work across all namespaces)`);
    }
    path += `/${resource}`;
    if (name !== undefined) {
      if (!name) throw new Error(`${resource}: a name is required`);
      path += `/${encodeURIComponent(name)}`;
    }
    return path;
  }

  private withTypeMeta(obj: T): T {
    const { group, version, kind } = this.resource;
    if (!kind || (obj.apiVersion && obj.kind)) return obj;
    return { apiVersion: group ? `${group}/${version}` : version, kind, ...obj };
  }
}

function writeQuery(opts: WriteOptions): Record<string, QueryValue> {
  return { dryRun: opts.dryRun ? 'All' : undefined, fieldManager: opts.fieldManager, fieldValidation: opts.fieldValidation };
}

function deleteBody(opts: DeleteOptions): DeleteOptionsBody | undefined {
  const { dryRun, ...rest } = opts;
  const body: DeleteOptionsBody = { ...rest, ...(dryRun ? { dryRun: ['All'] } : {}) };
  return Object.values(body).some((v) => v !== undefined) ? { apiVersion: 'v1', kind: 'DeleteOptions', ...body } : undefined;
}
