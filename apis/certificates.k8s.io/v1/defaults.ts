import type { CertificateSigningRequestCondition } from './types.ts';

/** A condition without a status is True, as upstream's v1 defaulting. */
export function setDefaults_CertificateSigningRequestCondition(obj: CertificateSigningRequestCondition): void {
  if (!obj.status) obj.status = 'True';
}
