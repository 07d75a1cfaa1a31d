/**
 * RequestInfo: what a request path and method mean in Kubernetes terms (verb, group, version, namespace,
 * resource, subresource, name), as upstream's RequestInfoFactory. Authorization, audit, in-flight limits and the
 * REST dispatcher all read it, so it is computed once per request.
 */
import { pathUnescape } from '../machinery/go-url.ts';
import { RequestSelectors } from './request-selectors.ts';

export interface RequestInfo {
  isResourceRequest: boolean;
  /** The path with its escapes decoded, as Go's URL.Path (see decodedPath). */
  path: string;
  /** Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection; or the HTTP verb lower-cased. */
  verb: string;
  apiPrefix: string;
  apiGroup: string;
  apiVersion: string;
  namespace: string;
  /** The path goes inside a namespace (`/namespaces/{namespace}/{resource}...`), an empty one included. */
  inNamespace: boolean;
  resource: string;
  subresource: string;
  name: string;
  parts: string[];
  /**
   * The request's query, parsed once with the RequestInfo (server/request-target.ts; one shared object when empty:
   * read only). Kept here rather than in a context variable of its own: the chain keeps to Hono's eight fast slots.
   */
  query: URLSearchParams;
  /**
   * The selectors of a list, watch or deletecollection that has some (absent otherwise, and for a /watch/ path), for
   * authorizers and the handler: parsed once, when first read.
   */
  selectors?: RequestSelectors;
}

const namespaceSubresources = new Set(['status', 'finalize']);

/**
 * The path as Go's server holds it in URL.Path, which upstream's RequestInfo takes whole: escapes decoded, an
 * escaped slash too, before the path is split (a path without `%` is its own decoding). Authorizers match it
 * (RBAC's nonResourceURLs) and a 403 quotes it. Undefined for an escape Go would refuse (`%zz`, a lone `%`): Go's
 * server answers such a request line itself, 400, before any handler.
 */
export function decodedPath(rawPath: string): string | undefined {
  if (!rawPath.includes('%')) return rawPath;
  try {
    return pathUnescape(rawPath);
  } catch {
    return undefined;
  }
}

/**
 * The path's segments as upstream's splitPath cuts them: the slashes at either end dropped, an empty segment inside
 * kept. `/api//v1` is a request for resource `v1` of version `""`, and `/api/v1/namespaces//pods` one for pods in
 * namespace `""` (every namespace), as kube-apiserver reads them.
 */
function pathSegments(path: string): string[] {
  const all = path.split('/');
  let start = 0;
  let end = all.length;
  while (start < end && all[start] === '') start++;
  while (end > start && all[end - 1] === '') end--;
  return all.slice(start, end);
}

/** `path` decoded (decodedPath). */
export function requestInfo(method: string, path: string, query: URLSearchParams): RequestInfo {
  const info: RequestInfo = { isResourceRequest: false, path, verb: method.toLowerCase(), apiPrefix: '', apiGroup: '', apiVersion: '', namespace: '', inNamespace: false, resource: '', subresource: '', name: '', parts: [], query };
  const all = pathSegments(path);
  // `at`: the first segment not read yet (one slice at the end instead of one per step).
  let at = 0;
  if (all[0] !== 'api' && all[0] !== 'apis') return info;
  info.apiPrefix = all[at++];
  if (info.apiPrefix === 'apis') {
    if (all.length - at < 2) return info;
    info.apiGroup = all[at++];
  }
  if (all.length - at < 1) return info;
  info.apiVersion = all[at++];
  if (all.length - at < 1) return info;
  info.isResourceRequest = true;

  let watchPath = false;
  if (all[at] === 'watch') {
    watchPath = true;
    at++;
  }
  if (all[at] === 'namespaces') {
    if (all.length - at > 1) {
      info.namespace = all[at + 1];
      // /namespaces/{ns} is the namespace itself; /namespaces/{ns}/{resource}... is inside it.
      if (all.length - at > 2 && !namespaceSubresources.has(all[at + 2])) {
        at += 2;
        info.inNamespace = true;
      }
    }
  }
  const parts = at === 0 ? all : all.slice(at);
  info.parts = parts;
  if (parts.length >= 3) info.subresource = parts[2];
  if (parts.length >= 2) info.name = parts[1];
  if (parts.length >= 1) info.resource = parts[0];
  if (info.resource === 'namespaces' && parts.length === 1) info.namespace = '';
  if (info.resource === 'namespaces' && parts.length >= 2) info.namespace = info.name;

  const watchParam = watchPath ? '' : query.get('watch');
  const isWatch = watchPath || watchParam === '1' || watchParam === 'true';
  switch (method) {
    case 'POST':
      info.verb = 'create';
      break;
    case 'GET':
    case 'HEAD':
      info.verb = info.name ? (isWatch ? 'watch' : 'get') : isWatch ? 'watch' : 'list';
      // Not for the deprecated /watch/ paths, as upstream: only some of them (the collections) honour selectors.
      if (info.verb !== 'get' && !watchPath) selectorsOf(info, query);
      break;
    case 'PUT':
      info.verb = 'update';
      break;
    case 'PATCH':
      info.verb = 'patch';
      break;
    case 'DELETE':
      info.verb = info.name ? 'delete' : 'deletecollection';
      if (!info.name) selectorsOf(info, query);
      break;
  }
  return info;
}

/** The selectors a multi-object request is limited by, read raw from the query (upstream's verbsWithSelectors). */
function selectorsOf(info: RequestInfo, query: URLSearchParams): void {
  const fields = query.get('fieldSelector') ?? '';
  const labels = query.get('labelSelector') ?? '';
  if (fields || labels) info.selectors = new RequestSelectors(fields, labels);
}
