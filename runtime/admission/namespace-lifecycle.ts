/**
 * NamespaceLifecycle: nothing is created in a namespace that does not exist or is being deleted, as upstream's
 * plugin of the same name. The namespace lookup is injected so this plugin does not depend on the registry.
 */
import { failure, notFound } from '../machinery/status.ts';
import type { StoredObject } from '../storage/store.ts';
import type { AdmissionPlugin } from './types.ts';

/** Namespaces every cluster needs; deleting them is refused, as upstream. */
export const immortalNamespaces = ['default', 'kube-system', 'kube-public'];

export function namespaceLifecycle(getNamespace: (name: string) => Promise<StoredObject | undefined>): AdmissionPlugin {
  return {
    name: 'NamespaceLifecycle',
    async validate(attrs) {
      if (attrs.operation === 'DELETE' && attrs.kind.group === '' && attrs.kind.resource === 'namespaces' && immortalNamespaces.includes(attrs.name)) {
        throw failure(403, 'Forbidden', `namespaces "${attrs.name}" is forbidden: this namespace may not be deleted`, { name: attrs.name, kind: 'namespaces' });
      }
      if (attrs.operation !== 'CREATE' || attrs.kind.scope !== 'Namespaced' || attrs.subresource) return;
      const ns = await getNamespace(attrs.namespace);
      if (!ns) throw notFound({ group: '', resource: 'namespaces' }, attrs.namespace);
      if (ns.status?.phase === 'Terminating') {
        throw failure(403, 'Forbidden', `${attrs.kind.resource} "${attrs.name}" is forbidden: unable to create new content in namespace ${attrs.namespace} because it is being terminated`, {
          name: attrs.name,
          kind: attrs.kind.resource,
          causes: [{ reason: 'NamespaceTerminating', message: `namespace ${attrs.namespace} is being terminated`, field: 'metadata.namespace' }],
        });
      }
    },
  };
}
