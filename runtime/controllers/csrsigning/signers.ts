/**
 * What each built-in signer accepts, as kube-controller-manager's csrsigning recognizers: a request for a signer
 * that breaks its rules gets a Failed condition (reason SignerValidationFailure) with upstream's message.
 */
import type { ParsedCSR } from '../../certificates/csr.ts';
import { legacyUnknownSignerName } from '../../certificates/validation.ts';

export const kubeAPIServerClientSigner = 'kubernetes.io/kube-apiserver-client';
export const kubeletClientSigner = 'kubernetes.io/kube-apiserver-client-kubelet';
export const kubeletServingSigner = 'kubernetes.io/kubelet-serving';

export const builtInSigners = [kubeAPIServerClientSigner, kubeletClientSigner, kubeletServingSigner, legacyUnknownSignerName] as const;

const sameSet = (a: readonly string[], b: readonly string[]) => new Set(a).size === new Set(b).size && [...new Set(a)].every((x) => b.includes(x));

function kubeletSubjectError(csr: ParsedCSR): string | undefined {
  if (csr.organizations.length !== 1 || csr.organizations[0] !== 'system:nodes') return 'subject organization is not system:nodes';
  return undefined;
}

/** Why a kubelet client request is not one (upstream's ValidateKubeletClientCSR), or undefined. */
export function kubeletClientError(csr: ParsedCSR, usages: readonly string[]): string | undefined {
  const subject = kubeletSubjectError(csr);
  if (subject) return subject;
  if (csr.dnsNames.length) return 'DNS subjectAltNames are not allowed';
  if (csr.emailAddresses.length) return 'Email subjectAltNames are not allowed';
  if (csr.ipAddresses.length) return 'IP subjectAltNames are not allowed';
  if (csr.uris.length) return 'URI subjectAltNames are not allowed';
  if (!csr.commonName.startsWith('system:node:')) return 'subject common name does not begin with system:node:';
  if (!sameSet(usages, ['client auth', 'digital signature', 'key encipherment']) && !sameSet(usages, ['client auth', 'digital signature'])) {
    return 'usages did not match [client auth digital signature key encipherment]';
  }
  return undefined;
}

/** Why a kubelet serving request is not one (upstream's ValidateKubeletServingCSR), or undefined. */
export function kubeletServingError(csr: ParsedCSR, usages: readonly string[]): string | undefined {
  const subject = kubeletSubjectError(csr);
  if (subject) return subject;
  if (csr.dnsNames.length === 0 && csr.ipAddresses.length === 0) return 'DNS or IP subjectAltName is required';
  if (csr.emailAddresses.length) return 'Email subjectAltNames are not allowed';
  if (csr.uris.length) return 'URI subjectAltNames are not allowed';
  if (!sameSet(usages, ['digital signature', 'key encipherment', 'server auth']) && !sameSet(usages, ['digital signature', 'server auth'])) {
    return 'usages did not match [digital signature key encipherment server auth]';
  }
  if (!csr.commonName.startsWith('system:node:')) return 'subject common name does not begin with system:node:';
  return undefined;
}

/** Client certificates for the API server: client auth, optionally digital signature and key encipherment. */
export function apiServerClientError(usages: readonly string[]): string | undefined {
  for (const u of usages) if (u !== 'digital signature' && u !== 'key encipherment' && u !== 'client auth') return `invalid usage for client certificate: ${u}`;
  if (!usages.includes('client auth')) return 'missing required usage for client certificate: client auth';
  return undefined;
}

/** Why `signerName` may not issue this request, or undefined when it may. */
export function signerValidationError(signerName: string, csr: ParsedCSR, usages: readonly string[]): string | undefined {
  switch (signerName) {
    case kubeletServingSigner:
      return kubeletServingError(csr, usages);
    case kubeletClientSigner:
      return kubeletClientError(csr, usages);
    case kubeAPIServerClientSigner:
      return apiServerClientError(usages);
    default:
      return undefined; // legacy-unknown: no restrictions, as upstream keeps for compatibility
  }
}
