/**
 * The root CA publisher (kube-controller-manager's `root-ca-certificate-publisher-controller`, run in-process):
 * every namespace has a `kube-root-ca.crt` ConfigMap whose `ca.crt` is the CA that signs the API server's serving
 * certificate, so pods can verify the server (the ServiceAccount admission plug-in projects it into every pod).
 * A changed or deleted one is put back.
 */
import type { Logger } from 'pino';
import type { RegistryStore } from '../../registry/store.ts';
import type { StoredObject } from '../../storage/store.ts';
import { PerNamespaceObjectController } from '../per-namespace-object.ts';

export const rootCAConfigMapName = 'kube-root-ca.crt';
const descriptionAnnotation = 'kubernetes.io/description';
const description =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

export const rootCACertPublisherUser = { name: 'system:serviceaccount:kube-system:root-ca-cert-publisher', groups: ['system:serviceaccounts', 'system:serviceaccounts:kube-system', 'system:masters'] };

export function newRootCACertPublisher(opts: { namespaces: RegistryStore; configMaps: RegistryStore; caPem: string; log: Logger }): PerNamespaceObjectController {
  // Data dirs made before certificates were written with LF still hold CRLF PEMs; publish Go's LF form.
  const caPem = opts.caPem.replace(/\r\n/g, '\n');
  return new PerNamespaceObjectController({
    name: 'root-ca-certificate-publisher-controller',
    namespaces: opts.namespaces,
    objects: opts.configMaps,
    objectName: rootCAConfigMapName,
    desired: () => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: rootCAConfigMapName, annotations: { [descriptionAnnotation]: description } },
      data: { 'ca.crt': caPem },
    }),
    repair(current: StoredObject) {
      const annotations = current.metadata.annotations ?? {};
      const data = current.data ?? {};
      if (data['ca.crt'] === caPem && Object.keys(data).length === 1 && annotations[descriptionAnnotation] === description && !current.binaryData) return undefined;
      current.data = { 'ca.crt': caPem };
      delete current.binaryData;
      current.metadata.annotations = { ...annotations, [descriptionAnnotation]: description };
      return current;
    },
    user: rootCACertPublisherUser,
    log: opts.log,
  });
}
