/** NamespaceExists: refuses every write into a namespace that does not exist (upstream's default-off plug-in). */
import { notFound } from '../../machinery/status.ts';
import type { AdmissionPluginDependencies } from '../registry.ts';
import type { AdmissionPlugin } from '../types.ts';

export function namespaceExists(deps: AdmissionPluginDependencies): AdmissionPlugin {
  const namespaces = deps.reader('', 'v1', 'namespaces');
  return {
    name: 'NamespaceExists',
    async validate(attrs) {
      if (attrs.kind.scope !== 'Namespaced' || !attrs.namespace) return;
      if (!(await namespaces.get('', attrs.namespace))) throw notFound({ group: '', resource: 'namespaces' }, attrs.namespace);
    },
  };
}
