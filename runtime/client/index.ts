/**
 * The typed client, as client-go: RESTClient (kubeconfig, HTTPS, errors as APIError with the server's Status),
 * ResourceClient (the verbs of one resource) and watch streams. The per-group-version accessors and the
 * Clientset are generated (`generated/<group>/<version>/client.ts`, `generated/client.ts`) on top of these.
 */
export { APIError, hasReason, isAlreadyExists, isConflict, isNotFound, isStatus } from './errors.ts';
export { loadKubeconfig, type RESTConfig } from './kubeconfig.ts';
export { RESTClient, type QueryValue, type RequestOptions, type StreamResponse } from './rest.ts';
export {
  ResourceClient,
  type DeleteOptions,
  type GetOptions,
  type KubernetesObject,
  type ListOptions,
  type PatchType,
  type ResourceDescriptor,
  type WatchOptions,
  type WriteOptions,
} from './resource.ts';
export { watchEvents, type Watch, type WatchEvent } from './watch.ts';
