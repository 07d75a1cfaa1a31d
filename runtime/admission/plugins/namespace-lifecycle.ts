/**
 * NamespaceLifecycle: nothing is created in a namespace that does not exist or is being deleted, and the
 * namespaces every cluster needs cannot be deleted, as upstream's plug-in of the same name. It runs in the
 * mutating phase, as upstream, so a missing namespace is reported before the object's own errors.
 */
import { forbidden, notFound } from '../../machinery/status.ts';
import type { AdmissionPluginDependencies } from '../registry.ts';
import { admissionForbidden, type AdmissionPlugin } from '../types.ts';

/** Namespaces every cluster needs; deleting them is refused, as upstream. */
export const immortalNamespaces = ['default', 'kube-system', 'kube-public'];

export function namespaceLifecycle(deps: AdmissionPluginDependencies): AdmissionPlugin {
  // From the namespaces' informer, as upstream's plug-in reads its lister: no copy of the namespace per create.
  const namespaces = deps.watched('', 'v1', 'namespaces');
  return {
    name: 'NamespaceLifecycle',
    async admit(attrs) {
      if (attrs.operation === 'DELETE' && attrs.resource.group === '' && attrs.resource.resource === 'namespaces' && !attrs.subresource && immortalNamespaces.includes(attrs.name)) {
        throw forbidden({ group: '', resource: 'namespaces' }, attrs.name, 'this namespace may not be deleted');
      }
      if (attrs.operation !== 'CREATE' || attrs.kind.scope !== 'Namespaced' || !attrs.namespace) return;
      // Access reviews say nothing about the namespace, so they may not reveal whether it exists, as upstream.
      if (attrs.resource.group === 'authorization.k8s.io' && attrs.resource.resource === 'localsubjectaccessreviews') return;
      const ns = await namespaces.get('', attrs.namespace);
      if (!ns) throw notFound({ group: '', resource: 'namespaces' }, attrs.namespace);
      // Subresources created on existing objects (tokens, evictions, bindings) are allowed while terminating, as upstream.
      if (ns.status?.phase === 'Terminating' && !attrs.subresource) {
        throw admissionForbidden(attrs, `unable to create new content in namespace ${attrs.namespace} because it is being terminated`, [
          { reason: 'NamespaceTerminating', message: `namespace ${attrs.namespace} is being terminated`, field: 'metadata.namespace' },
        ]);
      }
    },
  };
}
