/**
 * Ingresses: the DefaultStrategy, plus upstream's create-time warning for the class annotation that
 * `spec.ingressClassName` replaced (pkg/registry/networking/ingress/strategy.go). Updates do not warn. A write
 * through /status checks the metadata and the load balancer status only (ValidateIngressStatusUpdate).
 */
import { validateIngressStatus } from '../../../../apis/networking.k8s.io/v1/validation-status.ts';
import type { FieldError } from '../../../machinery/field-errors.ts';
import type { StoredObject } from '../../../storage/store.ts';
import type { ObjectMetaChecks } from '../../objectmeta.ts';
import { DefaultStrategy, registerStrategy } from '../../strategy.ts';

const ingressClassAnnotation = 'kubernetes.io/ingress.class';

class IngressStrategy extends DefaultStrategy {
  warningsOnCreate(obj: StoredObject): string[] {
    const annotated = Object.hasOwn(obj.metadata?.annotations ?? {}, ingressClassAnnotation);
    return annotated && obj.spec?.ingressClassName == null
      ? [`annotation ${JSON.stringify(ingressClassAnnotation)} is deprecated, please use 'spec.ingressClassName' instead`]
      : [];
  }

  validateStatusUpdate(obj: StoredObject, old: StoredObject, meta: ObjectMetaChecks): FieldError[] {
    return [...meta.coreObjectMetaUpdate(), ...validateIngressStatus(obj)];
  }
}

registerStrategy('networking.k8s.io', 'Ingress', (kind, schema, config) => new IngressStrategy(kind, schema, config));
