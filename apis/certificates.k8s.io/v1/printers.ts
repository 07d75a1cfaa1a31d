/** Computed `kubectl get csr` columns, as upstream's printers show them. */
import { humanDuration } from '../../../runtime/endpoints/table.ts';
import type { CertificateSigningRequest } from './types.ts';

export function print_CertificateSigningRequest_signerName(obj: Partial<CertificateSigningRequest>): string {
  return obj.spec?.signerName || '<none>';
}

export function print_CertificateSigningRequest_requestedDuration(obj: Partial<CertificateSigningRequest>): string {
  const s = obj.spec?.expirationSeconds;
  return typeof s === 'number' ? humanDuration(s * 1000) : '<none>';
}

/** Denied, Approved or Pending, then `,Failed` and `,Issued` when they apply (e.g. `Approved,Issued`). */
export function print_CertificateSigningRequest_condition(obj: Partial<CertificateSigningRequest>): string {
  const types = new Set((obj.status?.conditions ?? []).map((c) => c.type));
  let out = types.has('Denied') ? 'Denied' : types.has('Approved') ? 'Approved' : 'Pending';
  if (types.has('Failed')) out += ',Failed';
  if (obj.status?.certificate) out += ',Issued';
  return out;
}
