/**
 * Upstream's checks that a written object is the one its URL names (k8s.io/apiserver handlers: the namespace by
 * rest.EnsureObjectNamespaceMatchesRequestNamespace, then the name by checkName through ContextBasedNaming), run on
 * a PUT's body, on the object a patch or an apply produced, and on a /scale write alike.
 */
import * as status from './status.ts';

interface NamedMeta {
  name?: unknown;
  namespace?: unknown;
}

/**
 * The object's namespace is the request's: filled in when left out, dropped when the resource is cluster-scoped
 * (`requestNamespace` ''), refused when it names another. Mutates `meta`.
 */
export function ensureRequestNamespace(meta: NamedMeta, requestNamespace: string): void {
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : '';
  if (namespace === requestNamespace) return;
  if (namespace === '') meta.namespace = requestNamespace;
  else if (requestNamespace === '') delete meta.namespace;
  else throw status.badRequest('the namespace of the provided object does not match the namespace sent on the request');
}

/** The object names the URL's object; with no name at all it cannot be matched (ContextBasedNaming's errEmptyName). */
export function checkRequestName(meta: NamedMeta, urlName: string): void {
  const name = typeof meta.name === 'string' ? meta.name : '';
  if (name === '') throw status.badRequest(`the name of the object (${urlName} based on URL) was undeterminable: name must be provided`);
  if (name !== urlName) throw status.badRequest(`the name of the object (${name}) does not match the name on the URL (${urlName})`);
}
