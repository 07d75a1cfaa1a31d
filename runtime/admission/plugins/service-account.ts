/**
 * ServiceAccount (upstream's plugin/pkg/admission/serviceaccount): a pod without a service account gets
 * `default`; a pod whose service account does not exist is refused; unless automounting is turned off (on the pod,
 * else on the service account) every container and init container mounts a projected `kube-api-access-<random>`
 * volume (a bound token valid 3607 s, the cluster CA from the `kube-root-ca.crt` ConfigMap, and the namespace) at
 * /var/run/secrets/kubernetes.io/serviceaccount; the service account's image pull secrets are copied to a pod
 * that names none. Mirror pods (static pods shown by the kubelet) may reference no service account at all.
 */
import { goQuote } from '../../machinery/gofmt.ts';
import { generateName } from '../../registry/objectmeta.ts';
import type { StoredObject } from '../../storage/store.ts';
import type { AdmissionPluginDependencies } from '../registry.ts';
import { admissionForbidden, isResource, type AdmissionAttributes, type AdmissionPlugin } from '../types.ts';

export const defaultServiceAccountName = 'default';
export const serviceAccountTokenMountPath = '/var/run/secrets/kubernetes.io/serviceaccount';
export const serviceAccountVolumePrefix = 'kube-api-access-';
export const rootCAConfigMapName = 'kube-root-ca.crt';
const mirrorPodAnnotation = 'kubernetes.io/config.mirror';
/** Upstream's token lifetime for the projected volume: an hour plus 7 s, so kubelets can tell it from a custom one. */
const tokenExpirationSeconds = 3607;

/** The projected volume upstream's plug-in adds, under `name`. */
export function serviceAccountTokenVolume(name: string): StoredObject {
  return {
    name,
    projected: {
      sources: [
        { serviceAccountToken: { expirationSeconds: tokenExpirationSeconds, path: 'token' } },
        { configMap: { name: rootCAConfigMapName, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
        { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
      ],
      defaultMode: 0o644,
    },
  };
}

export interface ServiceAccountOptions {
  /** How often, and how far apart, a missing `default` service account is looked up again (the controller may be about to create it). */
  defaultAttempts?: number;
  retryMs?: () => number;
}

export function serviceAccount(deps: AdmissionPluginDependencies, opts: ServiceAccountOptions = {}): AdmissionPlugin {
  // From the watched lister, as upstream's serviceAccountLister (a shared object, only read here): a pod create then
  // costs no store read and copy of the account; one not there yet is looked up in the store.
  const accounts = deps.watched('', 'v1', 'serviceaccounts');
  const attempts = opts.defaultAttempts ?? 10;
  const retryMs = opts.retryMs ?? (() => 100 + Math.floor(Math.random() * 100));

  async function lookup(namespace: string, name: string): Promise<StoredObject | undefined> {
    const tries = name === defaultServiceAccountName ? attempts : 1;
    for (let i = 0; i < tries; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, retryMs()));
      const sa = await accounts.get(namespace, name);
      if (sa) return sa;
    }
    return undefined;
  }

  function validateMirrorPod(attrs: AdmissionAttributes, pod: StoredObject): void {
    const spec = pod.spec ?? {};
    if (spec.serviceAccountName) throw admissionForbidden(attrs, 'a mirror pod may not reference service accounts');
    for (const v of spec.volumes ?? []) {
      if (v.secret) throw admissionForbidden(attrs, `volume with secret.secretName="${v.secret.secretName ?? ''}" is not allowed because mirror pods may not reference secrets`);
    }
  }

  return {
    name: 'ServiceAccount',
    resources: ['pods'],
    async admit(attrs) {
      if (attrs.operation !== 'CREATE' || !isResource(attrs, 'pods') || !attrs.object) return;
      const pod = attrs.object;
      pod.spec ??= {};
      const spec = pod.spec;
      if (pod.metadata?.annotations?.[mirrorPodAnnotation] !== undefined) return validateMirrorPod(attrs, pod);
      if (!spec.serviceAccountName) spec.serviceAccountName = spec.serviceAccount || defaultServiceAccountName;
      // The deprecated field mirrors the name, as upstream's v1 conversion writes it.
      spec.serviceAccount = spec.serviceAccountName;
      const sa = await lookup(attrs.namespace, spec.serviceAccountName);
      if (!sa) {
        throw admissionForbidden(attrs, `error looking up service account ${attrs.namespace}/${spec.serviceAccountName}: serviceaccount ${goQuote(spec.serviceAccountName)} not found`);
      }
      if (spec.automountServiceAccountToken ?? sa.automountServiceAccountToken ?? true) mountToken(spec);
      if (!spec.imagePullSecrets?.length && sa.imagePullSecrets?.length) {
        spec.imagePullSecrets = sa.imagePullSecrets.map((s: { name?: string }) => ({ name: s.name }));
      }
    },
    async validate(attrs) {
      if (attrs.operation !== 'CREATE' || !isResource(attrs, 'pods') || !attrs.object) return;
      if (attrs.object.metadata?.annotations?.[mirrorPodAnnotation] !== undefined) validateMirrorPod(attrs, attrs.object);
    },
  };
}

/** Mounts the token volume in every container and init container that has nothing at the token path yet. */
function mountToken(spec: StoredObject): void {
  const volumes: StoredObject[] = spec.volumes ?? [];
  const existing = volumes.find((v) => typeof v.name === 'string' && v.name.startsWith(serviceAccountVolumePrefix));
  const volumeName: string = existing?.name ?? generateName(serviceAccountVolumePrefix);
  let needed = false;
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])] as StoredObject[]) {
    const mounts: StoredObject[] = c.volumeMounts ?? [];
    if (mounts.some((m) => m.mountPath === serviceAccountTokenMountPath)) continue;
    c.volumeMounts = [...mounts, { name: volumeName, readOnly: true, mountPath: serviceAccountTokenMountPath }];
    needed = true;
  }
  if (needed && !existing) spec.volumes = [...volumes, serviceAccountTokenVolume(volumeName)];
}
