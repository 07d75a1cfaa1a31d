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
   * Handles a POST. `name`: the object name in the path for subresources (`serviceaccounts/<name>/token`), else
   * ''. `obj` is decoded, defaulted and schema-validated. Returns the object sent back (status filled in), with
   * 201. Throws a StatusError for failures.
   */
  create(ctx: RequestContext, name: string, obj: StoredObject): Promise<StoredObject>;
}
