/**
 * The routes kube-apiserver installs for a built-in resource (apiserver v0.32.0 pkg/endpoints/installer.go): its
 * collection path serves list, watch, create and deletecollection; an object's path get, watch, update, patch and
 * delete; each of them only where the resource's storage has the verb (namespaces have no deletecollection). Any
 * other method on those paths finds the path but no route, and go-restful answers its 405 (pkg/server/handler.go
 * serviceErrorHandler). The all-namespaces path of a namespaced resource (`/api/v1/pods`, list and watch only) is
 * held to its routes before this (controlplane's namespacedRoutes). Custom resources are served by the CRD handler by
 * verb instead, which has no such table.
 */
import type { RequestInfo } from './request-info.ts';

const onCollection = new Set(['list', 'watch', 'create', 'deletecollection']);
const onObject = new Set(['get', 'watch', 'update', 'patch', 'delete']);

/** Whether a request for a built-in resource (not a subresource) with these verbs has a route of its own. */
export function hasInstalledRoute(info: RequestInfo, verbs: readonly string[]): boolean {
  const onPath = info.name ? onObject : onCollection;
  return onPath.has(info.verb) && verbs.includes(info.verb);
}
