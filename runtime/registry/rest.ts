/**
 * REST implementations without storage: resources and subresources whose POST is answered by computing, not by
 * storing (TokenReview, SubjectAccessReview, `serviceaccounts/<name>/token`). Upstream's `rest.Creater` alone.
 * The kube API server serves a kind whose only verb is `create`, and every custom subresource (`@subresource
 * <name> <apiVersion> <Kind> <verbs>`), through one of these, registered at start-up by the module that owns it.
 */
import type { KindRegistration } from '../machinery/registration.ts';
import type { StoredObject } from '../storage/store.ts';
import type { RequestContext } from './store.ts';

export interface CreaterREST {
  /** The kind of the request and response body (e.g. authentication.k8s.io/v1 TokenReview). */
  readonly kind: KindRegistration;
  /**
   * Other versions of the kind the body may be sent in, with the same fields (`policy/v1beta1` Evictions, as
   * upstream's GroupVersionAcceptor); absent: only the kind's own.
   */
  readonly acceptsAPIVersions?: readonly string[];
  /**
   * Handles a POST. `name`: the object name in the path for subresources (`serviceaccounts/<name>/token`), else
   * ''. `obj` is decoded, defaulted and schema-validated. Returns the object sent back (status filled in), with
   * 201, or a `Status` (Success, or a failure answered with its own code). Throws a StatusError for failures.
   */
  create(ctx: RequestContext, name: string, obj: StoredObject): Promise<StoredObject>;
}

/**
 * Upstream's rest.Getter and rest.Lister without storage: objects computed when asked (componentstatuses). The
 * kube API server serves a kind that can be neither written nor deleted through one of these.
 */
export interface ReaderREST {
  readonly kind: KindRegistration;
  /** The named object; throws a StatusError (or an Error, answered as upstream's 500) when there is none. */
  get(ctx: RequestContext, name: string): Promise<StoredObject>;
  /** Every object, in the order they are listed. */
  list(ctx: RequestContext): Promise<StoredObject[]>;
}

/** What a connect subresource was asked: its verb, the query (the options) and the path after the subresource. */
export interface ConnectRequest {
  verb: string;
  query: URLSearchParams;
  /** The rest of the path after `<name>/<subresource>` (`pods/p/proxy/healthz` -> `healthz`), '' without one. */
  subpath: string;
}

/**
 * Upstream's rest.Connecter (and the streaming `pods/log` Getter): a subresource that reaches a kubelet or a
 * backend (`pods/exec`, `pods/log`, `nodes/proxy`, ...). Answers with the bytes to stream back (logs), or throws
 * the Status upstream answers when the backend cannot be found or reached.
 */
export interface ConnecterREST {
  /** The verbs the subresource serves (those in discovery); others are 405. */
  readonly verbs: readonly string[];
  /**
   * Optional: the options object the query stands for (a v1 PodExecOptions, NodeProxyOptions, ...). A connecter
   * that has one is admitted with it as a CONNECT, as upstream's connect handler does (logs are not).
   */
  options?(request: ConnectRequest): StoredObject;
  connect(ctx: RequestContext, name: string, request: ConnectRequest): Promise<{ body: Uint8Array; contentType: string }>;
}
