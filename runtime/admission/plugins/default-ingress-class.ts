/**
 * DefaultIngressClass: an Ingress created without a class (neither spec.ingressClassName nor the deprecated
 * `kubernetes.io/ingress.class` annotation) gets the default IngressClass, if there is one, as upstream.
 */
import type { AdmissionPluginDependencies } from '../registry.ts';
import { isResource, type AdmissionPlugin } from '../types.ts';
import { newestDefault } from './default-class.ts';

export const defaultIngressClassAnnotation = 'ingressclass.kubernetes.io/is-default-class';
const legacyIngressClassAnnotation = 'kubernetes.io/ingress.class';

export function defaultIngressClass(deps: AdmissionPluginDependencies): AdmissionPlugin {
  const classes = deps.watched('networking.k8s.io', 'v1', 'ingressclasses');
  return {
    name: 'DefaultIngressClass',
    resources: ['ingresses'],
    async admit(attrs) {
      if (attrs.operation !== 'CREATE' || !isResource(attrs, 'ingresses', 'networking.k8s.io') || !attrs.object) return;
      const ing = attrs.object;
      const spec = (ing.spec ??= {});
      // An explicit class, even "", is kept.
      if ((spec.ingressClassName !== undefined && spec.ingressClassName !== null) || ing.metadata?.annotations?.[legacyIngressClassAnnotation] !== undefined) return;
      const def = newestDefault(await classes.list(''), [defaultIngressClassAnnotation]);
      if (def) spec.ingressClassName = def.metadata.name;
    },
  };
}
