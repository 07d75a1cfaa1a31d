/**
 * The service account controller (kube-controller-manager's `serviceaccount-controller`, run in-process): every
 * namespace has a `default` ServiceAccount, created with the namespace and again after it is deleted.
 */
import type { Logger } from 'pino';
import type { RegistryStore } from '../../registry/store.ts';
import { PerNamespaceObjectController } from '../per-namespace-object.ts';

export const serviceAccountControllerUser = { name: 'system:serviceaccount:kube-system:service-account-controller', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:masters'] };

export function newServiceAccountController(opts: { namespaces: RegistryStore; serviceAccounts: RegistryStore; log: Logger }): PerNamespaceObjectController {
  return new PerNamespaceObjectController({
    name: 'serviceaccount-controller',
    namespaces: opts.namespaces,
    objects: opts.serviceAccounts,
    objectName: 'default',
    desired: () => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default' } }),
    user: serviceAccountControllerUser,
    log: opts.log,
  });
}
